"""gendan export: a table as CSV with English field names, for scripts and checks.

The output is only ever a CSV: a workbook (by its name, or by its content when the file exists) and
the master itself are refused, so a slip of ``--out`` cannot overwrite a workbook with text.
Text cells starting with ``= + - @``, a tab or a carriage return get a leading ``'`` (OWASP CSV
injection), so a spreadsheet opening the CSV shows them as text instead of running them as a
formula; ``raw=True`` writes them unchanged.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.flags import Coded, Flag, MilestoneState
from gendan_xl.importers.reading import WORKBOOK_SUFFIXES
from gendan_xl.store.table_frame import cell_values
from gendan_xl.actions.common import check_output_place, open_workbook
from gendan_xl.actions.results import ExportResult

# Every spreadsheet name Excel, LibreOffice or Numbers opens as a workbook, template or add-in.
SPREADSHEET_SUFFIXES = frozenset(WORKBOOK_SUFFIXES) | {".xltx", ".xltm", ".xlt", ".xlam", ".xla", ".ots",
                                                       ".fods", ".numbers"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # .xls (an OLE compound file); the rest are zips
CODED = {"flag": Flag, "state": MilestoneState}   # columns the sheet shows as labels, exported as codes


def export_table(target, table: str, out, *, raw: bool = False) -> ExportResult:
    """Write a table as CSV (a flag or milestone state as its code, dates ISO, whole numbers without
    ``.0``, text escaped against CSV injection unless ``raw``)."""
    if table not in schema.TABLES:
        raise GendanError("未知表格 unknown table", value=table, expected="one of " + ", ".join(schema.TABLES),
                          code=ErrorCode.BAD_OPTION)
    spec = schema.TABLES[table]
    out = Path(out)
    wb = open_workbook(target)
    check_output(out, Path(wb.path))
    frame = wb.read(spec).frame.copy()
    for name, vocabulary in CODED.items():
        if name in frame.columns:
            frame[name] = frame[name].map(lambda cell, vocabulary=vocabulary: _code(vocabulary.read(cell)))
    for name in spec.of_kind(schema.DATE):
        frame[name] = frame[name].dt.strftime("%Y-%m-%d")
    for name in spec.of_kind(schema.INT):   # 12.0 -> 12; a fraction typed into the sheet stays 12.5
        frame[name] = pd.Series(cell_values(frame[name]), index=frame.index, dtype=object)
    escaped = 0
    if not raw:
        for name in spec.of_kind(schema.TEXT):
            escaped += int(frame[name].map(_starts_formula).sum())
            frame[name] = frame[name].map(csv_safe)
    frame.index.name = "excel_row"
    try:
        frame.to_csv(out, encoding="utf-8")
    except OSError as exc:   # e.g. a full disk: say which file could not be written
        exc.filename = exc.filename or str(out)
        raise
    return ExportResult(table=table, rows=len(frame), out=str(out), escaped=escaped)


def _code(member: Coded | None) -> str | None:
    return member.value if member else None


def csv_safe(value):
    """The value to write into a CSV cell: text a spreadsheet would run as a formula gets a leading ``'``."""
    return "'" + value if _starts_formula(value) else value


def _starts_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def check_output(out: Path, master: Path) -> None:
    """Refuse an output that is the master, a workbook, a folder or in a missing folder."""
    expected = "a .csv file name"
    check_output_place(out, master, expected, "导出文件不能是主工作簿 the output is the master workbook itself")
    if out.suffix.lower() in SPREADSHEET_SUFFIXES:
        raise GendanError("导出只写 CSV，不覆盖工作簿 export writes CSV, never a workbook", file=out,
                          expected=expected, code=ErrorCode.WRONG_FILE_TYPE)
    if out.is_file() and _is_workbook(out):
        raise GendanError("输出文件是工作簿，不会被覆盖 the output file is a workbook and is not overwritten",
                          file=out, expected=expected, code=ErrorCode.OUTPUT_EXISTS)


def _is_workbook(path: Path) -> bool:
    with open(path, "rb") as fh:
        head = fh.read(len(_OLE_SIGNATURE))
    return head == _OLE_SIGNATURE or zipfile.is_zipfile(path)
