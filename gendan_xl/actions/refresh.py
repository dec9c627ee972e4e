"""gendan refresh: slack, flag and why for every order line, and the weekly report."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.rules.calendar import CalendarBook
from gendan_xl.rules.chase import last_updates
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.flags import Flag
from gendan_xl.reporting.history import History, compare, records, report_row, snapshot, trend
from gendan_xl.model.issues import Issue, Reason
from gendan_xl.rules.parties import supplier_countries
from gendan_xl.reporting.weekly import WeeklyReport, build_report, risk_tables
from gendan_xl.risk.assess import COLUMNS as RISK_COLUMNS, assess, raise_flags
from gendan_xl.reporting.scorecard import scorecard
from gendan_xl.model.settings import Settings
from gendan_xl.rules.slack import evaluate
from gendan_xl.store.history_sheets import read_history, write_history
from gendan_xl.store.protocol import Workbook
from gendan_xl.sheets.report_sheet import report_sheet
from gendan_xl.store.table_frame import TableFrame
from gendan_xl.sheets.table_layout import table_widths
from gendan_xl.actions.common import append_log, open_workbook, path_text, writes_master
from gendan_xl.actions.milestone_step import milestone_step

COMPUTED = ["slack_wd", "flag", "why", *RISK_COLUMNS]


@writes_master("refresh", unless=lambda kwargs: not kwargs.get("save", True))
def refresh(target, *, as_of: dt.date | None = None, save: bool = True, report: bool = True,
            history: bool = True, far_date: bool = False) -> dict:
    """Compute slack, flag and why for every line, write them and (unless ``report=False``) the
    weekly report, compared with and recorded in the master's history (unless ``history=False``:
    a what-if, e.g. a future date, leaves the history alone), then save (unless ``save=False``:
    another action saves once at its end). An as-of date more than ``FAR_DAYS`` after both today and
    the last recorded report (a typo that would block every later report) stops unless ``far_date``."""
    wb = open_workbook(target, prefetch=(schema.MILESTONES,))
    orders = wb.read(schema.ORDERS)
    settings = Settings.from_frame(wb.read(schema.SETTINGS).frame)
    as_of = as_of or settings.as_of or dt.date.today()
    book, countries = calendars(wb, orders.frame, settings, as_of)
    evaluated = evaluate_orders(wb, orders, settings, as_of, (book, countries))
    evaluated, tna = milestone_step(wb, orders.frame, evaluated, book, countries, settings, as_of, write=True)
    wb.write(orders, evaluated.assign(flag=evaluated["flag"].map(lambda code: Flag(code).label)), COMPUTED)
    wb.lay_out_table(orders, table_widths(schema.ORDERS, orders.frame))
    lines = pd.concat([orders.frame.drop(columns=COMPUTED), evaluated], axis=1)
    weekly = build_report(lines, as_of)
    updates = last_updates(lines, wb.read(schema.CHANGE_LOG).frame, as_of)
    weekly.scorecard = scorecard(lines, updates, countries, book, as_of)
    weekly.milestone_todo = tna.todo if tna else None
    weekly.risk = risk_tables(lines, settings.risk_threshold) if settings.risk_model else None
    unknown = unknown_issues(wb, orders)
    if unknown:
        append_log(wb, [], unknown, as_of)
    warnings = [_problem_text(p) for p in [*orders.problems, *unknown]]
    if report:
        warnings += _week(wb, weekly, lines, countries, book, record=history, far_date=far_date)
        wb.replace_sheet(report_sheet(weekly))
        if tna:
            wb.replace_sheet(tna.sheet(as_of))
    backup = wb.save() if save else None
    return {**weekly.summary(), "workbook": str(wb.path), "backup": path_text(backup), "warnings": warnings}


def _week(wb: Workbook, weekly: WeeklyReport, lines: pd.DataFrame, countries: pd.Series,
          book: CalendarBook, *, record: bool, far_date: bool = False) -> list[str]:
    """Compare with the last report in the master's history, fill the report's week-over-week
    parts, and record this report (replacing one of the same date). Returns warnings.
    ``record=False``: the history is neither read nor written."""
    past = read_history(wb) if record else History()
    as_of = weekly.as_of
    if record and not far_date:
        _refuse_far(wb, as_of, past.last_date)
    since = past.previous_date(as_of)
    before = past.state_at(since) if since else None
    now = snapshot(lines)
    if since:
        weekly.previous = (since, past.counts_at(since))
        weekly.changes = compare(before, since, lines, countries, book, now)
    row = report_row(as_of, weekly.counts, weekly.lines, weekly.open_lines, weekly.on_time_rate, weekly.changes)
    weekly.trend = trend(past, row)
    if not record:
        return []
    if not past.recordable(as_of):
        return [f"历史未记录 not recorded in the history: {as_of.isoformat()} is before the last report "
                f"{past.last_date.isoformat()}"]
    write_history(wb, past, as_of, records(before, now, as_of), row)
    return []


FAR_DAYS = 366


def _refuse_far(wb: Workbook, as_of: dt.date, last: dt.date | None) -> None:
    """A report dated more than ``FAR_DAYS`` after today and after the last recorded one is a typo
    until said otherwise: recorded, it would put every later report before it."""
    limit = max(dt.date.today(), last or dt.date.min) + dt.timedelta(days=FAR_DAYS)
    if as_of > limit:
        raise GendanError(
            f"截至日期太远 the as-of date {as_of.isoformat()} is more than {FAR_DAYS} days after today and after "
            f"the last report ({last.isoformat() if last else 'none'}); recorded in the history it would put every "
            "later report before it", file=wb.path.name, value=as_of.isoformat(),
            expected="a nearer date, --no-history for a what-if, or --far-date if it is meant "
                     "(a report recorded by mistake: gendan history PATH --drop DATE)", code=ErrorCode.AS_OF_TOO_FAR)


def evaluate_orders(wb: Workbook, orders: TableFrame, settings: Settings, as_of: dt.date,
                    calendar: tuple[CalendarBook, pd.Series] | None = None) -> pd.DataFrame:
    """slack_wd, flag (code), why, late_risk and expected_delay_wd per line, each supplier in its country's calendar
    (``calendar``: the book and countries from ``calendars``, when the caller has them)."""
    frame = orders.frame
    book, countries = calendar or calendars(wb, frame, settings, as_of)
    result = evaluate(frame, countries, book, as_of, settings)
    if settings.risk_model:
        risk = assess(frame, result["flag"], countries, book, wb.read(schema.CHANGE_LOG).frame, as_of, settings)
        result = raise_flags(result, risk, settings.risk_threshold)
    else:
        result[RISK_COLUMNS] = float("nan")
    for p in orders.problems:   # a cell that did not read as its kind is named in the line's why
        if p.row in result.index:
            note = f"{p.column} '{p.value}' 无法识别 not understood"
            result.loc[p.row, "why"] = f"{note}; {result.loc[p.row, 'why']}"
    return _unknown_values(orders, result)[COMPUTED]


def _unknown_values(orders: TableFrame, result: pd.DataFrame) -> pd.DataFrame:
    """A line with an input cell that is a formula without a saved value is not judged on a blank:
    it keeps the flag and slack it had (when it had one) and its why says which value is unknown."""
    inputs = [(row, name, formula) for row, name, formula in orders.unknown
              if row in result.index and schema.ORDERS.field(name).owner != schema.COMPUTED]
    for row, name, formula in inputs:
        header = schema.ORDERS.field(name).header
        note = (f"值未知 value unknown: {header} 是没有保存值的公式 is the formula {formula} with no saved value — "
                "open and save the workbook in Excel (or type the value); 预警未更新 flag not updated")
        before = Flag.read(orders.frame.at[row, "flag"])   # the flag as the sheet shows it
        if before:
            result.loc[row, ["flag", "slack_wd"]] = [before.value, orders.frame.at[row, "slack_wd"]]
        result.loc[row, "why"] = note
    return result


def unknown_issues(wb: Workbook, orders: TableFrame) -> list[Issue]:
    """An Import Issues row per formula cell without a saved value in the Orders table."""
    return [Issue(wb.path.name, orders.sheet, row, schema.ORDERS.field(name).header, formula,
                  Reason.FORMULA_WITHOUT_VALUE, f"{Reason.FORMULA_WITHOUT_VALUE.zh} the formula {formula} has no saved "
                  "value: open and save the workbook in Excel (or type the value); the line's flag was not updated")
            for row, name, formula in orders.unknown]


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
