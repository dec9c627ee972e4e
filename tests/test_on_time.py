"""The on-time rate (on_time.py): one definition, on literal lines, and the same number in every
place that shows it (the 周报 headline, by supplier, the scorecard, the trend, the history, --json,
the command line's summary)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import python_calamine

from conftest import AS_OF, orders_frame
from gendan_xl import actions
from gendan_xl.actions.results import RefreshResult
from gendan_xl.rules import on_time
from gendan_xl.rules.calendar import CalendarBook
from gendan_xl.result_text import render
from gendan_xl.reporting.history import Changes, report_row
from gendan_xl.reporting.weekly import build_report
from gendan_xl.reporting.scorecard import scorecard
from gendan_xl.store.history_sheets import REPORTS_SHEET
from gendan_xl.sheets.report_sheet import REPORT_SHEET
from gendan_xl.model.statuses import ChangeKind

MONDAY = dt.date(2026, 11, 30)
BOOK = CalendarBook.from_rows(None, range(2026, 2028))

ROWS = [   # po, supplier, due, ship, qty, shipped, status, flag (as slack.py gives it as of MONDAY)
    ("A1", "Acme", "2026-11-20", "2026-11-19", 100, 100, None, "SHIPPED"),        # decided, on time
    ("A2", "Acme", "2026-11-20", "2026-11-19", 100, 60, None, "LATE"),            # partial by the due date: not on time
    ("A3", "Acme", "2026-11-20", "2026-11-24", 100, 100, None, "SHIPPED_LATE"),   # decided, late
    ("A4", " ACME", "2026-12-15", "2026-11-25", 50, 50, None, "SHIPPED"),         # shipped ahead: decided, on time
    ("A5", "Acme", "2026-11-30", None, 80, None, None, "AT_RISK"),                # due on the as-of date: not yet
    ("A6", "Acme", "2026-12-10", None, 80, None, None, "ON_TRACK"),               # not due
    ("A7", "Acme", None, "2026-11-10", 10, 10, None, "SHIPPED"),                  # no due date: left out
    ("A8", "Acme", "2026-11-10", None, 10, None, "CANCELLED 已取消", "LATE"),     # cancelled: left out
    ("B1", "Beta", "2026-12-20", None, 10, None, None, "ON_TRACK"),               # nothing decided
]


def _lines() -> pd.DataFrame:
    return orders_frame([{"po_no": po, "supplier": sup, "due_date": due, "ship_date": ship, "qty": qty,
                          "shipped_qty": sent, "status": status, "flag": flag}
                         for po, sup, due, ship, qty, sent, status, flag in ROWS],
                        line=1, customer="Maison", slack_wd=0.0, why="")


def test_decided_lines_and_on_time_lines():
    lines = _lines()
    assert lines.loc[on_time.decided(lines, MONDAY), "po_no"].tolist() == ["A1", "A2", "A3", "A4"]
    assert lines.loc[on_time.on_time(lines, MONDAY), "po_no"].tolist() == ["A1", "A4"]
    assert on_time.rate(2, 4) == 0.5 and on_time.rate(2, 3) == 0.6667
    assert on_time.rate(0, 0) is None


def test_headline_by_supplier_scorecard_and_history_give_one_number():
    lines = _lines()
    report = build_report(lines, MONDAY)
    summary = RefreshResult.of(report, workbook="master.xlsx", backup=None, warnings=[])   # what --json shows
    assert report.on_time_rate == 0.5 and summary.on_time_rate == 0.5
    by_supplier = report.by_supplier.set_index("party")["on_time_rate"]
    assert by_supplier["Acme"] == 0.5 and pd.isna(by_supplier["Beta"])   # " ACME" is Acme, as in the scorecard
    assert list(by_supplier.index) == ["Acme", "Beta"]
    countries = pd.Series("CN", index=lines.index, dtype=object)
    card = scorecard(lines, pd.Series(pd.NaT, index=lines.index), countries, BOOK, MONDAY).set_index("supplier")
    assert card.loc["Acme", "lines_due"] == 4 and card.loc["Acme", "on_time_rate_lines"] == 0.5
    assert card.loc["Beta", "lines_due"] == 0 and pd.isna(card.loc["Beta", "on_time_rate_lines"])
    row = report_row(MONDAY, report.counts, report.lines, report.open_lines, report.on_time_rate,
                     Changes(None, {k: pd.DataFrame() for k in ChangeKind}))
    assert row["on_time_rate"] == 0.5 and row["on_time_def"] == on_time.VERSION


def test_the_trend_marks_rates_of_an_earlier_definition():
    assert on_time.trend_label(MONDAY, on_time.VERSION) == "2026-11-30"
    assert on_time.trend_label(MONDAY, float("nan")) == "2026-11-30" + on_time.EARLIER_MARK


def test_every_place_of_the_demo_shows_the_same_rate(demo_master):
    out = actions.refresh(demo_master, as_of=AS_OF)
    rate = out.on_time_rate
    card = out.scorecard
    assert rate == on_time.rate(sum(r["on_time_lines"] for r in card), sum(r["lines_due"] for r in card))
    assert f"{on_time.LABEL}: {rate:.1%}" in render("refresh", out)
    book = python_calamine.CalamineWorkbook.from_path(str(demo_master))
    sheet = book.get_sheet_by_name(REPORT_SHEET).to_python()
    assert sheet[2][0] == on_time.DEFINITION                                      # stated once, at the top
    assert [r[1] for r in sheet if r[0] == on_time.LABEL] == [rate]               # the headline
    titles = [r[0] for r in sheet]
    start = titles.index("按供应商 By supplier") + 1
    column = sheet[start].index(on_time.LABEL)
    shown = {r[0]: r[column] for r in sheet[start + 1:start + 1 + len(card)]}
    assert shown == {r["supplier"]: ("" if r["on_time_rate_lines"] is None else r["on_time_rate_lines"]) for r in card}
    trend = titles.index(next(t for t in titles if str(t).startswith("趋势 Trend")))
    last = max(i for i, r in enumerate(sheet) if i > trend + 1 and str(r[0]).startswith("20"))
    assert sheet[last][0] == AS_OF.isoformat() and sheet[last][4] == rate
    reports = book.get_sheet_by_name(REPORTS_SHEET).to_python()
    assert reports[-1][reports[0].index("准时率 On-time rate")] == rate
    assert reports[-1][reports[0].index("准时率口径 On-time definition")] == on_time.VERSION
