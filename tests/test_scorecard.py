"""Supplier scorecard: literal figures on hand-built lines, no data, the --json shape, the 周报 section."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pandas as pd
import python_calamine

from conftest import AS_OF, orders_frame
from gendan_xl.model import schema
from gendan_xl.rules.calendar import CalendarBook
from gendan_xl.rules.chase import last_updates
from gendan_xl.reporting.scorecard import COLUMNS, scorecard
from gendan_xl.rules.sync import SYNC_NOTE
from gendan_xl.sheets.report_sheet import REPORT_SHEET

MONDAY = dt.date(2026, 11, 30)
BOOK = CalendarBook.from_rows(None, range(2026, 2028))


def _card(rows, log_rows=()):
    lines = orders_frame(rows)
    log = pd.DataFrame(list(log_rows), columns=schema.CHANGE_LOG.names)
    log["timestamp"] = pd.to_datetime(log["timestamp"])
    countries = pd.Series(["CN"] * len(lines), index=lines.index, dtype=object)
    table = scorecard(lines, last_updates(lines, log, MONDAY), countries, BOOK, MONDAY)
    return table.set_index("supplier").astype(object).where(lambda t: t.notna(), None)


def _log(po, when, line=1, as_of=None):
    return {"timestamp": when, "as_of": pd.Timestamp(as_of) if as_of else pd.NaT, "file": "f.xlsx", "sheet": "s",
            "source_row": 5, "order_key": f"{po} / {line}", "field": "eta", "old": None, "new": "2026-12-01",
            "note": SYNC_NOTE}


ROWS = [
    # on time, but later than its first ETA by one working day
    dict(po_no="P1", line=1, supplier="Acme", due_date="2026-11-20", qty=100, shipped_qty=100,
         ship_date="2026-11-19", first_eta="2026-11-18", flag="SHIPPED"),
    # partial shipment (60 of 100) before due: late by line, 60 on time by qty, open 6 WD past due
    dict(po_no="P2", line=1, supplier="Acme", due_date="2026-11-20", qty=100, shipped_qty=60,
         ship_date="2026-11-19", flag="LATE"),
    # shipped 2 WD late (Fri 20 -> Tue 24), exactly on its first ETA
    dict(po_no="P3", line=1, supplier="Acme", due_date="2026-11-20", qty=200, shipped_qty=200,
         ship_date="2026-11-24", first_eta="2026-11-24", flag="SHIPPED_LATE"),
    # not due yet and open: not measured
    dict(po_no="P4", line=1, supplier="Acme", due_date="2026-12-10", qty=80, flag="ON_TRACK"),
    # another spelling of Acme, shipped ahead of a later due date: decided, on time
    dict(po_no="P5", line=1, supplier=" ACME", due_date="2026-12-15", qty=50, shipped_qty=50,
         ship_date="2026-11-25", flag="SHIPPED"),
    # Beta: nothing due, and a cancelled late line that counts nowhere
    dict(po_no="B1", line=1, supplier="Beta", due_date="2026-12-20", qty=10, flag="ON_TRACK"),
    dict(po_no="B2", line=1, supplier="Beta", due_date="2026-11-10", qty=10, status="已取消 CANCELLED", flag="LATE"),
    # no supplier: left out
    dict(po_no="X1", line=1, supplier=None, due_date="2026-11-10", qty=10, flag="LATE"),
]


def test_the_figures_of_hand_built_lines():
    card = _card(ROWS, [_log("P1", "2026-11-20 09:00"), _log("P2", "2026-11-25 16:30"), _log("B1", "2026-11-01 08:00")])
    assert list(card.index) == ["Acme", "Beta"]
    acme = card.loc["Acme"]
    assert acme["lines_due"] == 4 and acme["on_time_lines"] == 2 and acme["on_time_rate_lines"] == 0.5
    assert acme["qty_due"] == 450 and acme["on_time_qty"] == 210 and acme["on_time_rate_qty"] == 0.4667
    assert acme["late_lines"] == 2 and acme["median_wd_late"] == 4.0       # median of 6 and 2 WD
    assert acme["first_eta_lines"] == 2 and acme["first_eta_held"] == 1 and acme["first_eta_held_rate"] == 0.5
    assert acme["avg_slip_wd"] == 0.5                                       # (1 + 0) / 2
    assert acme["last_update"] == dt.date(2026, 11, 25) and acme["days_since_update"] == 5
    assert acme["open_late"] == 1
    beta = card.loc["Beta"]
    assert beta["days_since_update"] == 29 and beta["open_late"] == 0


def test_days_since_update_count_to_the_as_of_date_from_nothing_dated_after_it():
    # synced on 6 Dec as of Friday 27 Nov; an older gendan's row stamped after the as-of date (Monday 30th)
    card = _card(ROWS, [_log("P1", "2026-12-06 10:00", as_of="2026-11-27"), _log("B1", "2026-12-08 08:00")])
    assert card.loc["Acme", "last_update"] == dt.date(2026, 11, 27) and card.loc["Acme", "days_since_update"] == 3
    assert card.loc["Beta", "last_update"] is None and card.loc["Beta", "days_since_update"] is None


def test_no_data_is_none_never_a_hundred_percent():
    beta = _card(ROWS).loc["Beta"]
    assert beta["lines_due"] == 0 and beta["late_lines"] == 0
    for name in ("on_time_rate_lines", "on_time_rate_qty", "qty_due", "median_wd_late", "first_eta_held_rate",
                 "avg_slip_wd", "last_update", "days_since_update"):
        assert beta[name] is None, name


def test_late_days_count_the_suppliers_calendar():
    rows = [dict(po_no="D1", line=1, supplier="Dhaka", due_date="2026-11-28", qty=5, flag="LATE")]
    lines = orders_frame(rows)
    log = pd.DataFrame(columns=schema.CHANGE_LOG.names)
    for country, wd in (("CN", 0), ("BD", 1)):   # due Saturday: China rests until Monday, Bangladesh works Sunday
        countries = pd.Series([country], index=lines.index, dtype=object)
        card = scorecard(lines, last_updates(lines, log, MONDAY), countries, BOOK, MONDAY)
        assert card["median_wd_late"].iloc[0] == wd


def test_refresh_json_and_the_report_section(demo_master):
    proc = subprocess.run([sys.executable, "-m", "gendan_xl.cli", "refresh", str(demo_master), "--as-of",
                           AS_OF.isoformat(), "--json"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    card = json.loads(proc.stdout)["scorecard"]
    assert card and all(list(row) == list(COLUMNS) for row in card)
    assert sum(row["open_late"] for row in card) == json.loads(proc.stdout)["counts"]["LATE"]
    for row in card:
        assert row["on_time_rate_lines"] is None or 0 <= row["on_time_rate_lines"] <= 1
        assert (row["on_time_rate_lines"] is None) == (row["lines_due"] == 0)
    sheet = python_calamine.CalamineWorkbook.from_path(str(demo_master)).get_sheet_by_name(REPORT_SHEET).to_python()
    titles = [r[0] for r in sheet]
    start = titles.index("供应商评分 Supplier scorecard")
    header = sheet[start + 2]
    assert header[0] == "供应商 Supplier" and header[2] == "准时率(行) On time by line"
    shown = {r[0]: r for r in sheet[start + 3:start + 3 + len(card)]}
    assert set(shown) == {row["supplier"] for row in card}
    for row in card:
        cell = shown[row["supplier"]][2]
        assert cell == ("—" if row["on_time_rate_lines"] is None else row["on_time_rate_lines"]) or \
            abs(cell - row["on_time_rate_lines"]) < 1e-4
