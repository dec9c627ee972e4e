"""gendan refresh: slack, flag and why for every order line, and the weekly report."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import schema
from ..calendar import CalendarBook
from ..issues import Issue
from ..parties import supplier_countries
from ..report import build_report
from ..settings import Settings
from ..slack import evaluate
from ..workbook.protocol import Workbook
from ..workbook.report_sheet import REPORT_SHEET, previous_counts, report_sheet
from ..workbook.table_frame import TableFrame
from .common import open_workbook, path_text, writes_master

COMPUTED = ["slack_wd", "flag", "why"]


@writes_master("refresh", unless=lambda kwargs: not kwargs.get("save", True))
def refresh(target, *, as_of: dt.date | None = None, save: bool = True, report: bool = True) -> dict:
    """Compute slack, flag and why for every line, write them and (unless ``report=False``) the
    weekly report, then save (unless ``save=False``: another action saves once at its end)."""
    wb = open_workbook(target)
    orders = wb.read(schema.ORDERS)
    settings = Settings.from_frame(wb.read(schema.SETTINGS).frame)
    as_of = as_of or settings.as_of or dt.date.today()
    evaluated = evaluate_orders(wb, orders, settings, as_of)
    wb.write(orders, evaluated.assign(flag=evaluated["flag"].map(schema.flag_label)), COMPUTED)
    previous = previous_counts(wb.sheet_rows(REPORT_SHEET), as_of) if report else None
    weekly = build_report(pd.concat([orders.frame.drop(columns=COMPUTED), evaluated], axis=1), as_of, previous)
    if report:
        wb.replace_sheet(report_sheet(weekly))
    backup = wb.save() if save else None
    return {**weekly.summary(), "workbook": str(wb.path), "backup": path_text(backup),
            "warnings": [_problem_text(p) for p in orders.problems]}


def evaluate_orders(wb: Workbook, orders: TableFrame, settings: Settings, as_of: dt.date) -> pd.DataFrame:
    """slack_wd, flag (code) and why per line, each supplier in its country's calendar."""
    frame = orders.frame
    book, countries = calendars(wb, frame, settings, as_of)
    result = evaluate(frame, countries, book, as_of, settings)
    for p in orders.problems:   # a cell that did not read as its kind is named in the line's why
        if p.row in result.index:
            note = f"{p.column} '{p.value}' 无法识别 not understood"
            result.loc[p.row, "why"] = f"{note}; {result.loc[p.row, 'why']}"
    return result[COMPUTED]


def calendars(wb: Workbook, frame: pd.DataFrame, settings: Settings, as_of: dt.date) -> tuple[CalendarBook, pd.Series]:
    """The calendar book of the master (Calendar sheet over the libraries) and each line's country."""
    book = CalendarBook.from_rows(wb.read(schema.CALENDAR).frame, _years(frame, as_of))
    return book, supplier_countries(frame["supplier"], wb.read(schema.SUPPLIERS).frame, settings.default_country)


def _years(frame: pd.DataFrame, as_of: dt.date) -> range:
    dates = pd.concat([frame[c] for c in schema.ORDERS.of_kind(schema.DATE)]).dropna()
    first = min([as_of.year, *([dates.min().year] if len(dates) else [])])
    last = max([as_of.year, *([dates.max().year] if len(dates) else [])])
    return range(first, last + 2)


def _problem_text(p: Issue) -> str:
    return f"{p.file}, sheet {p.sheet}, row {p.row}, column {p.column}: value {p.value!r} — {p.message}"
