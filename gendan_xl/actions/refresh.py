"""gendan refresh: slack, flag and why for every order line, and the weekly report."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.rules.calendar import CalendarBook
from gendan_xl.rules.chase import last_updates
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.flags import Flag
from gendan_xl.reporting.history import History, compare, records, snapshot
from gendan_xl.model.issues import Issue, Reason
from gendan_xl.reporting.weekly import SinceLast, build_report, risk_tables
from gendan_xl.reporting.scorecard import scorecard
from gendan_xl.store.history_sheets import read_history, write_history
from gendan_xl.store.protocol import Workbook
from gendan_xl.sheets.report_sheet import report_sheet
from gendan_xl.sheets.samples_sheet import samples_sheet
from gendan_xl.store.table_frame import TableFrame
from gendan_xl.sheets.table_layout import table_widths
from gendan_xl.actions.common import append_log, path_text, writes_master
from gendan_xl.actions.context import COMPUTED, run_context
from gendan_xl.actions.quote import price_book
from gendan_xl.actions.sample_step import sample_step
from gendan_xl.actions.shipment_step import shipment_step
from gendan_xl.actions.results import RefreshResult


@writes_master("refresh", unless=lambda kwargs: not kwargs.get("save", True))
def refresh(target, *, as_of: dt.date | None = None, save: bool = True, report: bool = True,
            history: bool = True, far_date: bool = False) -> RefreshResult:
    """Apply the shipments (a master with 出运 Shipments: ``shipment_step``) and the sample register (a
    master with 样品 Samples: ``sample_step``), compute slack, flag and
    why for every line, price the quotes (a master with 报价 Quotations),
    write them and (unless ``report=False``) the weekly report (and the 样品跟进 sheet of the open sample
    rounds), compared with and recorded in the master's history (unless ``history=False``:
    a what-if, e.g. a future date, leaves the history alone), then save (unless ``save=False``:
    another action saves once at its end). An as-of date more than ``FAR_DAYS`` after both today and
    the last recorded report (a typo that would block every later report) stops unless ``far_date``."""
    run = run_context(target, as_of, prefetch=(schema.SHIPMENTS, schema.SHIPMENT_LINES, schema.SAMPLES,
                                               schema.MILESTONES, schema.CHANGE_LOG))   # in the order read
    wb, orders, settings, as_of = run.wb, run.orders, run.settings, run.as_of
    countries, book = run.countries, run.book
    shipments = shipment_step(run)   # first: the departed shipments set the ship dates the flags judge
    samples = sample_step(run)   # first: the approvals it applies close milestones the T&A judges
    evaluated, tna = run.with_milestones(run.evaluated(), write=True)
    wb.write(orders, evaluated.assign(flag=evaluated["flag"].map(lambda code: Flag(code).label)), COMPUTED)
    wb.lay_out_table(orders, table_widths(schema.ORDERS, orders.frame))
    lines = pd.concat([orders.frame.drop(columns=COMPUTED), evaluated], axis=1)
    updates = last_updates(lines, wb.read(schema.CHANGE_LOG).frame, as_of)
    unknown = unknown_issues(wb, orders)
    if unknown:
        append_log(wb, [], unknown, as_of)
    warnings = [_problem_text(p) for p in [*orders.problems, *unknown]]
    since_last, states = (_since_last(wb, as_of, lines, countries, book, record=history, far_date=far_date)
                          if report else (None, None))
    quotes = price_book(run, lines) if wb.has_table(schema.QUOTATIONS) else None
    outlook = run.sample_outlook
    weekly = build_report(lines, as_of, since_last, scorecard=scorecard(lines, updates, countries, book, as_of),
                          milestone_todo=tna.todo if tna else None,
                          risk=risk_tables(lines, settings.risk_threshold) if settings.risk_model else None,
                          quotes=quotes.watch if quotes else None,
                          samples=outlook.todo if outlook and outlook.rounds else None,
                          sample_turnaround=outlook.turnaround if outlook and outlook.rounds else None,
                          shipments=shipments)
    if report:
        if states is not None:
            write_history(wb, since_last.history, as_of, states, weekly.history_row())
        elif history:
            warnings.append(f"历史未记录 not recorded in the history: {as_of.isoformat()} is before the last report "
                            f"{since_last.history.last_date.isoformat()}")
        wb.replace_sheet(report_sheet(weekly))
        if tna:
            wb.replace_sheet(tna.sheet(as_of))
        if samples is not None:
            wb.replace_sheet(samples_sheet(wb.read(schema.SAMPLES).frame, as_of))
    backup = wb.save() if save else None
    result = RefreshResult.of(weekly, workbook=str(wb.path), backup=path_text(backup), warnings=warnings)
    result.samples = {**vars(samples), **outlook.turnaround.summary()} if samples else None   # not asdict: no deep copy
    return result


def _since_last(wb: Workbook, as_of: dt.date, lines: pd.DataFrame, countries: pd.Series, book: CalendarBook, *,
                record: bool, far_date: bool) -> tuple[SinceLast, pd.DataFrame | None]:
    """The report's comparison with the last report in the master's history, and the line states
    to record for this report (None when it is not recorded: ``record=False``, where the history is
    neither read nor written, or a date before the last report)."""
    past = read_history(wb) if record else History()
    if record and not far_date:
        _refuse_far(wb, as_of, past.last_date)
    since = past.previous_date(as_of)
    before = past.state_at(since) if since else None
    now = snapshot(lines)
    found = (SinceLast(past, (since, past.counts_at(since)), compare(before, since, lines, countries, book, now))
             if since else SinceLast(past))
    return found, records(before, now, as_of) if record and past.recordable(as_of) else None


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


def unknown_issues(wb: Workbook, orders: TableFrame) -> list[Issue]:
    """An Import Issues row per formula cell without a saved value in the Orders table."""
    return [Issue(wb.path.name, orders.sheet, row, schema.ORDERS.field(name).header, formula,
                  Reason.FORMULA_WITHOUT_VALUE, f"{Reason.FORMULA_WITHOUT_VALUE.zh} the formula {formula} has no saved "
                  "value: open and save the workbook in Excel (or type the value); the line's flag was not updated")
            for row, name, formula in orders.unknown]


def _problem_text(p: Issue) -> str:
    return f"{p.file}, sheet {p.sheet}, row {p.row}, column {p.column}: value {p.value!r} — {p.message}"
