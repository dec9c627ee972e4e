"""The refresh history in two hidden sheets of the master, read and written through the Workbook
protocol (``sheet_rows``, ``put_rows``), so the file and live Excel keep the same history.

Plain layout, no Excel Table: a bilingual header in row 1, one record per row from row 2, oldest
first. Recording a date keeps the rows dated before it and replaces everything after them, so a
re-run on the same report date replaces that date's rows instead of adding to them.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.flags import Flag
from gendan_xl.model.schema import ORDERS
from gendan_xl.model.statuses import ChangeKind
from gendan_xl.reporting.history import LINE_COLUMNS, REMOVED, REPORT_COLUMNS, History, shown_text
from gendan_xl.rules.on_time import LABEL as ON_TIME
from gendan_xl.model.values import blank_mask, is_blank, is_missing, map_distinct
from gendan_xl.store.protocol import Workbook

LINES_SHEET = "历史 History"
REPORTS_SHEET = "历史汇总 History Reports"
_DATE = "报告日期 Report date"
LINE_HEADERS = [_DATE, *(ORDERS.header(name) for name in LINE_COLUMNS[1:])]
REPORT_HEADERS = [_DATE, "行数 Lines", "未完成 Open", *(f.value for f in Flag), ON_TIME,
                  *(kind.words for kind in ChangeKind), "准时率口径 On-time definition"]
LATER_HEADERS = 1   # the last headers, added since: a sheet an older gendan wrote lacks them (blank)
LINE_STYLES = ["date", None, None, None, "date"]   # compact: the many line rows carry no border style
REPORT_STYLES = ["date", "int", "int", *["int"] * len(Flag), "percent", *["int"] * len(ChangeKind), "int"]
_RESTART = "删除此隐藏表可重新开始记录 delete this hidden sheet to start a new history"


def read_history(wb: Workbook) -> History:
    """The history the master carries (empty for a master that has none yet)."""
    lines = _frame(wb, LINES_SHEET, LINE_HEADERS, LINE_COLUMNS, texts=("po_no", "line", "flag"))
    reports = _frame(wb, REPORTS_SHEET, REPORT_HEADERS, REPORT_COLUMNS, later=LATER_HEADERS)
    if lines is None or reports is None:
        return History()
    for column in ("report_date", "eta"):
        lines[column] = _dates(wb, LINES_SHEET, lines, column, LINE_HEADERS[LINE_COLUMNS.index(column)])
    bad = ~lines["flag"].isin([*Flag, REMOVED])
    if bad.any():
        _fail(wb, LINES_SHEET, lines.index[bad.to_numpy()][0], ORDERS.header("flag"), lines.loc[bad, "flag"].iloc[0],
              "a flag code (" + ", ".join(Flag) + ") or blank")
    reports["report_date"] = _dates(wb, REPORTS_SHEET, reports, "report_date", _DATE)
    for column, header in zip(REPORT_COLUMNS[1:], REPORT_HEADERS[1:]):
        numbers = pd.to_numeric(reports[column].replace("", None), errors="coerce")
        bad = numbers.isna() & (column not in ("on_time_rate", "on_time_def"))
        if bad.any():
            _fail(wb, REPORTS_SHEET, reports.index[bad.to_numpy()][0], header, reports.loc[bad, column].iloc[0],
                  "a number")
        reports[column] = numbers
    return History(lines, reports)   # indexed by sheet row


def write_history(wb: Workbook, history: History, as_of: dt.date, rows: pd.DataFrame, row: dict) -> None:
    """Record ``as_of``: its line ``rows`` and report ``row`` replace any of the same date."""
    day = pd.Timestamp(as_of)
    wb.put_rows(LINES_SHEET, LINE_HEADERS, _first_free(history.lines, day), _cells(rows, LINE_COLUMNS),
                LINE_STYLES)
    wb.put_rows(REPORTS_SHEET, REPORT_HEADERS, _first_free(history.reports, day),
                _cells(pd.DataFrame([row], columns=REPORT_COLUMNS), REPORT_COLUMNS), REPORT_STYLES)


def drop_report(wb: Workbook, history: History, day: dt.date) -> None:
    """Remove the report of ``day`` from both sheets (``History.after_dropping``): the rows from the
    first one dated ``day`` on are rewritten without it."""
    when = pd.Timestamp(day)
    lines, reports = history.after_dropping(day)
    wb.put_rows(LINES_SHEET, LINE_HEADERS, _first_free(history.lines, when), _cells(lines, LINE_COLUMNS),
                LINE_STYLES)
    wb.put_rows(REPORTS_SHEET, REPORT_HEADERS, _first_free(history.reports, when),
                _cells(reports, REPORT_COLUMNS), REPORT_STYLES)


def _first_free(frame: pd.DataFrame, day: pd.Timestamp) -> int:
    """The sheet row after the last one dated before ``day`` (frames read here are indexed by row)."""
    kept = frame.index[(frame["report_date"] < day).to_numpy()]
    return int(kept.max()) + 1 if len(kept) else 2


def _frame(wb: Workbook, sheet: str, headers: list[str], columns: list[str],
           texts: tuple[str, ...] = (), later: int = 0) -> pd.DataFrame | None:
    """The sheet's records (blank rows left out) indexed by sheet row, the ``texts`` columns as
    ``shown_text``; typed columns when the workbook can read them so (fast), else every cell as
    saved; None when there is no sheet. The ``later`` last headers may be missing (blank columns)."""
    frame = wb.sheet_columns(sheet, headers)
    if frame is None:
        rows = wb.sheet_rows(sheet)
        if not rows:
            return None
        header = [str(v).strip() for v in rows[0][:len(headers)]]
        for col, expected in enumerate(headers):
            found = header[col] if col < len(header) else ""
            if found != expected and not (col >= len(headers) - later and found == ""):
                raise GendanError(f"历史表已被改动 the history sheet was changed; {_RESTART}", file=wb.path.name,
                                  sheet=sheet, row=1, column=col + 1, value=found, expected=expected,
                                  code=ErrorCode.HISTORY_CHANGED)
        frame = pd.DataFrame(rows[1:], dtype=object).reindex(columns=range(len(headers)), fill_value="")
        frame.index = pd.RangeIndex(2, 2 + len(frame))
    frame.columns = columns
    for column in texts:
        frame[column] = shown_text(frame[column])
    blank = [frame[c].eq("").to_numpy() if c in texts else blank_mask(frame[c]) if frame[c].dtype == object
             else frame[c].isna().to_numpy() for c in columns]
    return frame[~np.column_stack(blank).all(axis=1)]


def _dates(wb: Workbook, sheet: str, frame: pd.DataFrame, column: str, header: str) -> pd.Series:
    values = frame[column]
    if pd.api.types.is_datetime64_dtype(values):   # a typed date column: only a missing report date is bad
        is_date = values.notna()
        bad = ~is_date if column == "report_date" else pd.Series(False, index=values.index)
    else:
        is_date = values.map(type).isin([dt.date, dt.datetime, pd.Timestamp])
        bad = ~is_date if column == "report_date" else ~is_date & ~blank_mask(values)
    if bad.any():
        value = values[bad].iloc[0]
        _fail(wb, sheet, frame.index[bad.to_numpy()][0], header, "" if is_missing(value) else value, "a date")
    return pd.to_datetime(values.where(is_date), errors="coerce").astype("datetime64[ns]").dt.normalize()


def _fail(wb: Workbook, sheet: str, row: int, header: str, value, expected: str):
    raise GendanError(f"历史表有无法识别的值 the history sheet holds a value that is not understood; {_RESTART}",
                      file=wb.path.name, sheet=sheet, row=int(row), column=header, value=value, expected=expected,
                      code=ErrorCode.HISTORY_CHANGED)


def _cells(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """Plain cell values: dates as ``date``, blanks as None, whole numbers (and line numbers such
    as ``12``, read back as the same text) as int; each distinct value of a column converted once."""
    if "line" in frame:
        frame = frame.assign(line=map_distinct(frame["line"], _whole, None))
    return list(zip(*(map_distinct(frame[c], _cell, None) for c in columns)))


def _whole(text):
    return int(text) if isinstance(text, str) and text.isdigit() and str(int(text)) == text else text


def _cell(value):
    if is_blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item"):   # numpy scalars
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
