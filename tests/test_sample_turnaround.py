"""Buyer turnaround on literal frames, hand-computed in the CN calendar (2026: Sun 20 Sep worked, Mid-Autumn
Fri 25 Sep, National Day 1–7 Oct, Sat 10 Oct worked): per customer (name or alias of 客户 Customers) and kind,
the answered rounds, the median working days to the answer, the rounds to approval, the customers
slower than usual, and the turnaround assumed without history."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from conftest import orders_frame
from gendan_xl.model.settings import Settings
from gendan_xl.rules.calendar import CalendarBook
from gendan_xl.samples.register import read_register, sample_customers
from gendan_xl.samples.states import sample_states
from gendan_xl.samples.turnaround import buyer_turnaround, round_customers
from test_samples import samples

AS_OF = dt.date(2026, 11, 26)
BOOK = CalendarBook.from_rows(None, range(2026, 2028))
ORDERS = orders_frame([{"po_no": "P100", "line": 1, "style": "ST-1", "customer": "Nordic Home AB"},
                       {"po_no": "P200", "line": 1, "style": "ST-9", "customer": "ACME"}])
CUSTOMERS = pd.DataFrame({"name": ["Nordic Home AB"], "aliases": ["NHAB; NH"]}, index=pd.RangeIndex(2, 3))
ROWS = samples(
    # Nordic Home AB (its name, an alias, another case, or its order line's customer)
    {"sample_no": "S-1", "round": 1, "kind": "PP", "customer": "NHAB", "received_date": "2026-09-21",
     "status": "REJECTED", "status_date": "2026-09-30"},                  # 6 WD (Fri 25 Sep off)
    {"sample_no": "S-1", "round": 2, "kind": "PP", "po_no": "P100", "line": 1, "sent_date": "2026-10-09",
     "status": "APPROVED", "status_date": "2026-10-14"},                  # 4 WD (Sat 10 Oct worked)
    {"sample_no": "S-2", "round": 1, "kind": "PP", "customer": "nordic home ab", "sent_date": "2026-09-28",
     "received_date": "2026-09-30", "status": "APPROVED", "status_date": "2026-10-12"},   # 4 WD (1–7 Oct off)
    {"sample_no": "L-1", "round": 1, "kind": "LAB_DIP", "customer": "NH", "received_date": "2026-09-14",
     "status": "APPROVED", "status_date": "2026-09-24"},                  # 9 WD (Sun 20 Sep worked)
    # ACME
    {"sample_no": "A-1", "round": 1, "kind": "PP", "customer": "ACME", "received_date": "2026-11-02",
     "status": "REJECTED", "status_date": "2026-11-05"},                  # 3 WD
    {"sample_no": "A-1", "round": 2, "kind": "PP", "customer": "ACME", "received_date": "2026-11-20",
     "status": "RECEIVED"},                                               # open: not answered
    {"sample_no": "A-2", "round": 1, "kind": "PP", "customer": "ACME", "received_date": "2026-11-20",
     "status": "APPROVED", "status_date": "2026-11-30"},                  # after the as-of date
    {"sample_no": "A-3", "round": 1, "kind": "FIT", "po_no": "P200", "status": "APPROVED",
     "status_date": "2026-11-10"},                                        # never sent: counted, not timed
    {"sample_no": "A-4", "round": 1, "kind": "?", "customer": "ACME", "status": "REJECTED",
     "status_date": "2026-11-10"},                                        # not applied
    {"sample_no": "D-1", "round": 1, "kind": "PROTO", "sent_date": "2026-11-02", "status": "REJECTED",
     "status_date": "2026-11-04"})                                        # no customer


def _turnaround(usual_wd: int = Settings().sample_turnaround_wd, customers=CUSTOMERS):
    register = read_register(ROWS, ORDERS, file="m.xlsx")
    countries = np.full(len(ROWS), "CN", dtype=object)
    wait = sample_states(register, countries, BOOK, AS_OF, Settings().sample_reply_wd)["wait_wd"]
    keys, shown = round_customers(sample_customers(register, ORDERS), customers)
    return buyer_turnaround(register, wait, keys, shown, AS_OF, usual_wd)


def test_turnaround_per_customer_and_kind_on_hand_computed_working_days():
    turnaround = _turnaround()
    assert turnaround.summary() == {"turnaround": [
        {"customer": "ACME", "kind": "FIT", "answered": 1, "median_wd": None, "rounds_to_approval": 1.0,
         "slower": False},
        {"customer": "ACME", "kind": "PP", "answered": 1, "median_wd": 3.0, "rounds_to_approval": None,
         "slower": False},
        {"customer": "Nordic Home AB", "kind": "LAB_DIP", "answered": 1, "median_wd": 9.0, "rounds_to_approval": 1.0,
         "slower": True},
        {"customer": "Nordic Home AB", "kind": "PP", "answered": 3, "median_wd": 4.0, "rounds_to_approval": 1.5,
         "slower": False}],   # medians of 6, 4, 4 WD and of rounds 2 (S-1) and 1 (S-2)
        "slower": ["Nordic Home AB"]}


def test_the_usual_turnaround_is_the_setting_and_used_without_history():
    turnaround = _turnaround(usual_wd=9)
    assert turnaround.slower == []                       # 9 WD is not above 9
    keys = turnaround.table.set_index(["customer", "kind"])["key"]
    wd, known = turnaround.wd([keys["Nordic Home AB", "PP"], keys["ACME", "FIT"], keys["ACME", "PP"], "#9"],
                              ["PP", "FIT", "LAB_DIP", "PP"])
    assert wd.tolist() == [4, 9, 9, 9] and known.tolist() == [True, False, False, False]


def test_without_a_customers_table_names_are_grouped_as_written():
    table = _turnaround(customers=None).table
    assert table[["customer", "kind", "answered"]].values.tolist() == [
        ["ACME", "FIT", 1], ["ACME", "PP", 1], ["NH", "LAB_DIP", 1], ["NHAB", "PP", 1],
        ["Nordic Home AB", "PP", 2]]   # S-1 round 2's (its line's) and "nordic home ab": one name, as first written
