"""risk/evidence: the evidence frame of order lines (parties as keys, product family, lead time and
delay in the supplier's working days) and the ETA slips logged before the as-of date."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from conftest import orders_frame
from gendan_xl.risk.evidence import COLUMNS, evidence, family_of, slips_before
from gendan_xl.rules.calendar import CalendarBook, WorkCalendar
from gendan_xl.rules.sync import CONFLICT_NOTE, SYNC_NOTE

# China's National Day: Thursday 1 and Friday 2 October 2026 off; Bangladesh rests Friday and Saturday
BOOK = CalendarBook({"CN": WorkCalendar("CN", holidays=["2026-10-01", "2026-10-02"]), "BD": WorkCalendar("BD")})
D = np.datetime64
NAT = np.datetime64("NaT", "D")


@pytest.mark.parametrize("description, style, family", [
    ("Lamivudine/Zidovudine 150/300mg, tablets", None, ("lamivudine/zidovudine 150/300mg", "lamivudine")),
    ("Knit  Sweater (navy)", "KS-1", ("knit sweater", "knit")),      # up to the bracket, spaces single
    ("Ｔ恤【纯棉】", None, ("t恤", "t恤")),                            # full width folded, cut at the bracket
    ("  ", "HT5781", ("ht", "ht")),                                    # no description: the style's letters
    (None, "5781", ("", "")), (None, None, ("", "")),
])
def test_the_family_is_the_description_up_to_its_first_cut_else_the_styles_letters(description, style, family):
    assert family_of(description, style) == family


def test_each_line_gets_its_keys_lead_time_and_delay_in_its_suppliers_calendar():
    orders = orders_frame([
        # ordered Mon 28 Sep, due Fri 9 Oct: 7 CN working days (1–2 Oct off); shipped Tue 13 Oct: 2 WD late
        {"supplier": " Huamei Knit ", "customer": "Maison Lumière, S.A.R.L.", "description": "Knit sweater, navy",
         "qty": 1000, "order_date": "2026-09-28", "due_date": "2026-10-09", "ship_date": "2026-10-13"},
        # due Thu 8 Oct, shipped Sun 11 Oct: Friday and Saturday are the Bangladesh weekend: 1 WD late
        {"supplier": "DHAKA KNIT", "customer": "maison lumiere sarl", "style": "DK-7", "qty": 50,
         "due_date": "2026-10-08", "ship_date": "2026-10-11"},
        # no supplier, no country: the default calendar; shipped Wed 7 Oct, due Fri 9 Oct: 2 WD early
        {"due_date": "2026-10-09", "ship_date": "2026-10-07"},
        {"supplier": "Huamei Knit", "due_date": "2026-12-01"},                    # open: no ship date
    ])
    frame = evidence(orders, ["cn ", "BD", None, "CN"], BOOK, slips=[2, 0, 0, 1])
    assert list(frame.columns) == list(COLUMNS) and frame.index.equals(orders.index)
    assert frame["supplier"].tolist() == ["huameiknit", "dhakaknit", "", "huameiknit"]
    assert frame["customer"].tolist() == ["maisonlumieresarl", "maisonlumieresarl", "", ""]
    assert frame["country"].tolist() == ["CN", "BD", "", "CN"]
    assert frame[["family", "kind"]].values.tolist() == [["knit sweater", "knit"], ["dk", "dk"], ["", ""], ["", ""]]
    assert frame["lead_wd"].tolist()[0] == 7 and np.isnan(frame["lead_wd"].tolist()[1:]).all()
    assert frame["delay_wd"].tolist()[:3] == [2, 1, -2] and np.isnan(frame["delay_wd"].iloc[3])
    assert frame["ship"].tolist()[:3] == [D("2026-10-13"), D("2026-10-11"), D("2026-10-07")]
    assert np.isnat(frame["ship"].to_numpy()[3]) and np.isnat(frame["ordered"].to_numpy()[1:]).all()
    assert frame["qty"].tolist()[:2] == [1000.0, 50.0] and np.isnan(frame["qty"].iloc[2])
    assert frame["slips"].tolist() == [2.0, 0.0, 0.0, 1.0]
    assert evidence(orders, "CN", BOOK)["slips"].tolist() == [0.0] * 4     # one country and no slips for all


def test_slips_count_the_eta_moves_later_that_sync_logged_by_the_as_of_date():
    orders = orders_frame([{"po_no": "PO-1", "line": "1"}, {"po_no": "PO-1", "line": "2"},
                           {"po_no": "PO-2", "line": "1"}])
    log = pd.DataFrame([
        ("2026-11-20 09:00", "2026-11-20", "PO-1 / 1", "eta", "2026-12-01", "2026-12-05", SYNC_NOTE),   # later
        ("2026-11-25 09:00", "2026-11-25", "PO-1 / 1", "eta", "2026-12-05", "2026-12-08", SYNC_NOTE),   # later
        ("2026-11-25 10:00", "2026-11-25", "PO-1 / 1", "eta", "2026-12-08", "2026-12-03", SYNC_NOTE),   # earlier
        ("2026-11-25 11:00", "2026-11-27", "PO-1 / 1", "eta", "2026-12-03", "2026-12-10", SYNC_NOTE),   # after as-of
        ("2026-11-20 09:00", "2026-11-20", "PO-1 / 2", "eta", "2026-12-01", "2026-12-09", CONFLICT_NOTE),
        ("2026-11-20 09:00", "2026-11-20", "PO-1 / 2", "qty", "1", "2", SYNC_NOTE),
        ("2026-11-20 09:00", "2026-11-20", "PO-2 / 1", "eta", None, "2026-12-01", SYNC_NOTE),           # first ETA
        ("2026-11-26 10:00", None, "PO-2 / 1", "eta", "2026-12-01", "2026-12-02", SYNC_NOTE),   # dated by its time
    ], columns=["timestamp", "as_of", "order_key", "field", "old", "new", "note"])
    assert slips_before(orders, log, dt.date(2026, 11, 26)).tolist() == [2.0, 0.0, 1.0]
    assert slips_before(orders, log, dt.date(2026, 11, 19)).tolist() == [0.0, 0.0, 0.0]
    assert slips_before(orders, None, dt.date(2026, 11, 26)).tolist() == [0.0, 0.0, 0.0]
    assert slips_before(orders, log.iloc[:0], dt.date(2026, 11, 26)).tolist() == [0.0, 0.0, 0.0]
