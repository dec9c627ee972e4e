"""Where a file we hand a customer goes (the customer report, the quotation: beside the master by
default), and writing it as .xlsx or, through LibreOffice, .pdf. The master is only read."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.file_names import safe_stem
from gendan_xl.ooxml.package import Package
from gendan_xl.outputs.handout_file import Handout
from gendan_xl.actions.common import check_output_place

SUFFIXES = (".xlsx", ".pdf")


def output_path(out: Path | None, master: Path, handout: Handout, customer: str, as_of: dt.date) -> Path:
    """The file to write: ``out``, else ``<zh>_<customer>_<as-of>.xlsx`` beside the master. Refused:
    another suffix than .xlsx or .pdf, a folder, a missing folder, the master itself, and an
    existing workbook that is not an earlier file of the same kind."""
    if out is None:
        out = master_folder(master, handout.en) / f"{handout.zh}_{safe_stem(customer)}_{as_of.isoformat()}.xlsx"
    expected = "a file name ending in .xlsx or .pdf"
    if out.suffix.lower() not in SUFFIXES:
        raise GendanError(f"{handout.zh}只能写成 .xlsx 或 .pdf the {handout.en} is written as .xlsx or .pdf",
                          file=out, expected=expected, code=ErrorCode.WRONG_FILE_TYPE)
    check_output_place(out, master, expected,
                       f"{handout.zh}不能写在主工作簿上 the {handout.en} cannot be written over the master workbook")
    if out.suffix.lower() == ".xlsx" and out.exists() and not _is_handout(out, handout.sheet):
        raise GendanError(f"文件已存在且不是{handout.zh}，不会被覆盖 the file exists and is not a {handout.en}, so "
                          "it is not overwritten", file=out, expected=f"a new file name, or an earlier {handout.en}",
                          code=ErrorCode.OUTPUT_EXISTS)
    return out


def master_folder(master: Path, what: str) -> Path:
    """The folder of the master, where ``what`` is written by default; refused for a master with no
    local file (a new book Excel never saved, or one opened from the cloud)."""
    if not master.is_file():
        raise GendanError("工作簿没有本地文件夹（尚未保存或在云端），请先保存到文件夹 the workbook has no local folder "
                          f"(never saved, or in the cloud): save it to a folder first, the {what} is "
                          "written beside it", file=master, code=ErrorCode.FILE_NOT_FOUND)
    return master.parent


def write_xlsx_or_pdf(path: Path, write_xlsx: Callable[[Path], None], dated: dt.date) -> None:
    """``write_xlsx(path)``; for a .pdf, the workbook written to a temporary file and printed to
    ``path`` by LibreOffice, the PDF dated ``dated`` (the document's date, as the workbook is)."""
    if path.suffix.lower() != ".pdf":
        write_xlsx(path)
        return
    from gendan_xl.outputs.pdf import to_pdf
    with tempfile.TemporaryDirectory(prefix="gendan-handout-") as folder:
        sheet = Path(folder) / "handout.xlsx"
        write_xlsx(sheet)
        to_pdf(sheet, path, dated)


def _is_handout(path: Path, sheet: str) -> bool:
    """True when ``path`` is a workbook holding only the sheet ``sheet`` (one we wrote)."""
    try:
        return [s.name for s in Package(path).sheets] == [sheet]
    except GendanError:
        return False
