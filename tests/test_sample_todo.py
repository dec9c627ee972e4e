"""样品 Samples to chase, pure, on literal frames: the supplier side (rounds not sent: overdue, with
the working days since their due date in the supplier's calendar, or not yet due), the customer side
(rounds received and not answered for ``sample_reply_wd`` working days), what a supplier sees of its
rounds and is asked, and the message draft naming them. Dates hand-computed in the CN calendar (2026:
National Day 1–7 Oct, Sat 10 Oct worked)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from conftest import orders_frame
from gendan_xl.model.samples import SampleState
from gendan_xl.rules.calendar import CalendarBook
from gendan_xl.rules.chase import DEFAULT_TEMPLATES, message
from gendan_xl.rules.chase_view import SAMPLE_SHOWN, sample_ask, sample_view
from gendan_xl.samples.register import read_register
from gendan_xl.samples.states import sample_states
from gendan_xl.samples.todo import sample_todo
from test_samples import cn, samples

BOOK = CalendarBook.from_rows(None, range(2026, 2028))
ORDERS = orders_frame([{"po_no": "P100", "line": 1, "style": "ST-1", "color": "NAVY", "supplier": "Huamei Knit",
                        "customer": "NH"},
                       {"po_no": "P200", "line": 1, "style": "ST-9", "color": "RED", "supplier": "Acme",
                        "customer": "Maison Lumière"}])
CUSTOMERS = pd.DataFrame({"name": ["Nordic Home"], "aliases": ["NH; Nordic"]}, index=[2])


def _todo(rows: pd.DataFrame, as_of: dt.date, reply_wd: int = 5):
    register = read_register(rows, ORDERS, file="m.xlsx")
    states = sample_states(register, cn(len(rows)), BOOK, as_of, reply_wd)
    return sample_todo(register, states, ORDERS, cn(len(rows)), BOOK, as_of, CUSTOMERS)


def test_rounds_not_sent_are_the_suppliers_overdue_ones_counted_in_working_days_since_their_due_date():
    rows = samples(
        {"sample_no": "S-1", "round": 1, "kind": "PP", "po_no": "P100", "due": "2026-09-29"},   # overdue
        {"sample_no": "S-2", "round": 1, "kind": "LAB_DIP", "supplier": "Acme", "due": "2026-10-09"},   # overdue
        {"sample_no": "S-3", "round": 1, "kind": "FIT", "po_no": "P200", "line": 1, "due": "2026-10-14"},   # not due
        {"sample_no": "S-4", "round": 1, "kind": "PP", "po_no": "P100", "due": "2026-10-12"},   # due today
        {"sample_no": "S-5", "round": 1, "kind": "PP", "po_no": "P100", "due": "2026-09-01", "status": "SENT",
         "sent_date": "2026-09-30"},                                                          # sent: none
        {"sample_no": "S-6", "round": 1, "kind": "PP", "po_no": "P100", "due": "2026-09-01",
         "status": "CANCELLED"},                                                              # cancelled: none
        {"sample_no": "S-7", "round": 1, "kind": "PP", "po_no": "P100"},                      # no due date: none
        {"sample_no": "S-8", "round": 1, "kind": "??", "po_no": "P100", "due": "2026-09-01"},  # bad: none
        {"sample_no": "S-9", "round": 1, "kind": "TOP", "po_no": "P100", "due": "2026-10-01",
         "sent_date": "2026-10-20"})                                                          # sent later: overdue
    todo = _todo(rows, dt.date(2026, 10, 12))   # a Monday
    sent = todo.to_send
    # by supplier (Acme, Huamei Knit), then due date; style and colour from the line a round covers
    assert sent[["supplier", "sample_no", "round", "kind", "style", "color"]].values.tolist() == [
        ["Acme", "S-2", 1, "LAB_DIP", None, None], ["Acme", "S-3", 1, "FIT", "ST-9", "RED"],
        ["Huamei Knit", "S-1", 1, "PP", "ST-1", "NAVY"], ["Huamei Knit", "S-9", 1, "TOP", "ST-1", "NAVY"],
        ["Huamei Knit", "S-4", 1, "PP", "ST-1", "NAVY"]]
    assert sent["state"].tolist() == [SampleState.OVERDUE, SampleState.OPEN, SampleState.OVERDUE,
                                      SampleState.OVERDUE, SampleState.OPEN]
    # since Tue 29 Sep: Wed 30 Sep, (1–7 Oct off), Thu 8, Fri 9, Sat 10 (worked), Mon 12 = 5; due Thu 1 Oct, a
    # holiday, is due on the next working day, Thu 8 Oct: 9, 10, 12 = 3; since Fri 9 Oct: 10, 12 = 2
    assert sent["overdue_wd"].fillna(-1).tolist() == [2, -1, 5, 3, -1]
    assert todo.overdue["sample_no"].tolist() == ["S-2", "S-1", "S-9"]
    assert todo.summary()["overdue"] == [
        {"sample_no": "S-2", "round": 1, "kind": "LAB_DIP", "supplier": "Acme", "po_no": None, "due": "2026-10-09",
         "overdue_wd": 2},
        {"sample_no": "S-1", "round": 1, "kind": "PP", "supplier": "Huamei Knit", "po_no": "P100",
         "due": "2026-09-29", "overdue_wd": 5},
        {"sample_no": "S-9", "round": 1, "kind": "TOP", "supplier": "Huamei Knit", "po_no": "P100",
         "due": "2026-10-01", "overdue_wd": 3}]


def test_rounds_received_and_unanswered_for_the_reply_days_are_the_customers_named_by_the_customers_table():
    rows = samples(
        {"sample_no": "S-1", "round": 2, "kind": "PP", "po_no": "P100", "status": "RECEIVED",
         "sent_date": "2026-11-09", "received_date": "2026-11-16"},                     # NH: Nordic Home, 8 WD
        {"sample_no": "S-2", "round": 1, "kind": "LAB_DIP", "customer": "Maison Lumière", "status": "RECEIVED",
         "status_date": "2026-11-19"},                                                  # 5 WD: waiting
        {"sample_no": "S-3", "round": 1, "kind": "FIT", "po_no": "P200", "status": "RECEIVED",
         "received_date": "2026-11-20"},                                                # 4 WD: not yet
        {"sample_no": "S-4", "round": 1, "kind": "PP", "po_no": "P100", "status": "APPROVED",
         "received_date": "2026-11-02", "status_date": "2026-11-20"},                   # answered
        {"sample_no": "S-5", "round": 1, "kind": "SMS", "status": "RECEIVED", "received_date": "2026-11-02"})
    todo = _todo(rows, dt.date(2026, 11, 26))   # a Thursday
    waiting = todo.waiting
    assert waiting[["customer", "sample_no", "round", "wait_wd"]].values.tolist() == [
        [None, "S-5", 1, 18], ["Nordic Home", "S-1", 2, 8], ["Maison Lumière", "S-2", 1, 5]]
    assert waiting["ask"].tolist() == [
        "催客户批样 ask the customer for comments on 销售样 Salesman sample round 1, waiting 18 WD",
        "催客户批样 ask Nordic Home for comments on 产前样 PP sample round 2, waiting 8 WD",
        "催客户批样 ask Maison Lumière for comments on 色样 Lab dip round 1, waiting 5 WD"]
    assert todo.summary()["waiting"][1] == {"sample_no": "S-1", "round": 2, "kind": "PP", "customer": "Nordic Home",
                                            "po_no": "P100", "received": "2026-11-16", "wait_wd": 8}
    assert _todo(rows, dt.date(2026, 11, 26), reply_wd=9).waiting["sample_no"].tolist() == ["S-5"]


def test_the_supplier_sees_its_rounds_and_is_asked_by_the_due_date_or_the_reply_deadline_when_overdue():
    rows = samples(
        {"sample_no": "S-1", "round": 1, "kind": "PP", "po_no": "P100", "due": "2026-11-20", "customer": "SECRET",
         "charge": 1234.5, "charge_terms": "collect", "comments": "too tight", "size": "M", "qty": 3},
        {"sample_no": "S-2", "round": 1, "kind": "LAB_DIP", "po_no": "P100", "due": "2026-11-27"})
    sent = _todo(rows, dt.date(2026, 11, 26)).to_send
    view = sample_view(sent, dt.date(2026, 11, 30))
    assert tuple(view.columns) == SAMPLE_SHOWN
    shown = view[["sample_no", "kind", "size", "qty"]].astype(object)
    assert shown.where(shown.notna(), None).values.tolist() == [["S-1", "产前样 PP sample", "M", 3],
                                                                          ["S-2", "色样 Lab dip", None, None]]
    assert view["ask"].tolist() == ["产前样请于 2026-11-30 前寄出 please send the PP sample by 2026-11-30",
                                    "色样请于 2026-11-27 前寄出 please send the lab dip by 2026-11-27"]
    shown = view.astype(str).to_string()
    assert all(word not in shown for word in ("SECRET", "1234", "collect", "too tight", "OVERDUE", "WD"))
    assert sample_ask("TOP", pd.Timestamp("2026-12-10")) == ("船头样请于 2026-12-10 前寄出 please send the TOP sample "
                                                             "by 2026-12-10")


def _lines() -> pd.DataFrame:
    return pd.DataFrame({"po_no": ["P100"], "line": ["1"], "style": ["ST-1"], "color": ["NAVY"], "qty": [500.0],
                         "due_date": [pd.Timestamp("2026-12-20")], "supplier_due": [pd.NaT],
                         "ask": ["请提供预计完成日期 please give your ETA"]})


def test_the_message_names_the_samples_after_the_templates_and_a_supplier_with_samples_only_gets_its_own():
    rows = samples({"sample_no": "S-1", "round": 2, "kind": "PP", "po_no": "P100", "due": "2026-11-20", "qty": 3})
    view = sample_view(_todo(rows, dt.date(2026, 11, 26)).to_send, dt.date(2026, 11, 30))
    args = ("Huamei Knit", "Wang Li")
    when = (dt.date(2026, 11, 30), dt.date(2026, 11, 26), "催单.xlsx")
    plain = message(list(DEFAULT_TEMPLATES), *args, _lines(), *when)
    both = message(list(DEFAULT_TEMPLATES), *args, _lines(), *when, view)
    round_line = ("- S-1 第 2 轮 round 2 · 产前样 PP sample · P100 · ST-1 NAVY · 3 · "
                  "产前样请于 2026-11-30 前寄出 please send the PP sample by 2026-11-30")
    assert both.startswith(plain + "\n\n样品 Samples — 请按期寄出以下样品") and both.endswith(round_line)
    assert message(list(DEFAULT_TEMPLATES), *args, _lines(), *when, view.iloc[:0]) == plain   # none: as before
    alone = message(list(DEFAULT_TEMPLATES), *args, _lines().iloc[:0], *when, view)
    assert alone.startswith("Wang Li 您好 Dear Wang Li,\n截至 as of 2026-11-26:\n样品 Samples")
    assert round_line in alone and "订单行" not in alone and alone.endswith("please send it back by 2026-11-30. "
                                                                          "谢谢 Thank you!")
