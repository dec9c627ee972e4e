"""What a supplier sees of its chased lines and what it is asked (chase_view): literal frames, no
files. The ask is built from the line's facts against the supplier's own due date, in its own
calendar; never our reasoning."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from gendan_xl.rules.calendar import CalendarBook
from gendan_xl.rules.chase_view import SHOWN, asks, supplier_view, their_due
from gendan_xl.model.flags import Flag

MONDAY = dt.date(2026, 11, 23)
BOOK = CalendarBook.from_rows(None, range(2026, 2028))
DATES = ("due_date", "supplier_due", "eta", "prev_eta", "last_update", "order_date", "next_plan")
ETA_LATE = ("您的预计完成 2026-12-20 晚于交期 2026-12-14 共 5 个工作日，请告知如何追回 your ETA is 5 working days "
            "after the due date — please advise how to catch up")
CONFIRM = "请确认能按期出货 please confirm the due date"


def _line(**facts) -> dict:
    """A chased line as ``chase.select`` gives it: flagged (late against our date), with news."""
    return {"po_no": "P-1", "line": 1, "due_date": "2026-12-20", "supplier_due": None, "eta": "2026-12-10",
            "prev_eta": None, "flag": "AT_RISK", "flagged": True, "stale": False, "idle_wd": 1.0,
            "last_update": "2026-11-20", "order_date": "2026-10-01", "next_name": None, "next_plan": None, **facts}


def _asks(*lines: dict, countries=None) -> list[str]:
    frame = pd.DataFrame(list(lines))
    for name in DATES:
        frame[name] = pd.to_datetime(frame[name])
    frame.index = pd.RangeIndex(5, 5 + len(frame))   # Excel rows, as the master gives them
    return asks(frame, pd.Series(countries or ["CN"] * len(frame), index=frame.index, dtype=object),
                BOOK, MONDAY).tolist()


@pytest.mark.parametrize("facts, ask", [
    # the supplier's due date (工厂交期) passed, though the customer's is weeks away
    ({"supplier_due": "2026-11-20"}, "交期 2026-11-20 已过，尚未全部出货，请告知出货日期 the due date 2026-11-20 has "
                                     "passed and the order is not fully shipped — please advise the ship date"),
    ({"eta": None}, f"{CONFIRM}; 请提供预计完成日期 please give your ETA"),
    ({"eta": None, "flagged": False, "stale": True, "idle_wd": 5.0},
     "请提供预计完成日期 please give your ETA; 已 5 个工作日无更新 no update for 5 working days"),
    ({"eta": None, "supplier_due": "2026-11-20"}, "交期 2026-11-20 已过，尚未全部出货，请告知出货日期 the due date "
                                                  "2026-11-20 has passed and the order is not fully shipped — please "
                                                  "advise the ship date"),
    ({"eta": "2026-11-20"}, "您的预计完成 2026-11-20 已过，请提供新的预计完成日期 your ETA 2026-11-20 has passed — "
                            "please give a new ETA"),
    # before our date (2026-12-20), after the supplier's: asked against the supplier's
    ({"supplier_due": "2026-12-14", "eta": "2026-12-20"}, ETA_LATE),
    ({"due_date": "2026-12-14", "eta": "2026-12-20"}, ETA_LATE),   # no 工厂交期: the 交期 is the supplier's
    # Saturday to Sunday: no working day between them
    ({"supplier_due": "2026-12-19", "eta": "2026-12-20"}, "您的预计完成 2026-12-20 晚于交期 2026-12-19，请告知如何追回 "
                                                          "your ETA is after the due date — please advise how to catch up"),
    ({"supplier_due": "2026-12-14", "eta": "2026-12-15"}, "您的预计完成 2026-12-15 晚于交期 2026-12-14 共 1 个工作日，"
                                                          "请告知如何追回 your ETA is 1 working day after the due date — "
                                                          "please advise how to catch up"),
    # flagged by something the supplier cannot answer about (slack, the risk model, a customer's milestone)
    ({}, CONFIRM),
    ({"prev_eta": "2026-12-01"}, "您的预计完成已由 2026-12-01 改为 2026-12-10，请确认能按期出货 your ETA moved from "
                                 "2026-12-01 to 2026-12-10 — please confirm the due date"),
    ({"next_name": "裁剪 Cutting", "next_plan": "2026-11-18"},
     "裁剪 Cutting 尚未完成 (计划 2026-11-18) not done yet (plan 2026-11-18)"),
    ({"next_name": "裁剪 Cutting", "next_plan": "2026-11-23"}, CONFIRM),   # due today: not overdue yet
    ({"stale": True, "flagged": False, "idle_wd": 30.0}, "已 30 个工作日无更新 no update for 30 working days"),
    ({"stale": True, "flagged": False, "idle_wd": 33.0, "last_update": None},
     "下单 2026-10-01 后已 33 个工作日无更新 no update in the 33 working days since the order of 2026-10-01"),
    ({"stale": True, "flagged": False, "idle_wd": float("nan"), "last_update": None, "order_date": None},
     "尚无更新 no update yet"),
    # every ask that applies, in order
    ({"supplier_due": "2026-12-14", "eta": "2026-12-20", "next_name": "车缝 Sewing", "next_plan": "2026-11-20",
      "stale": True, "idle_wd": 7.0},
     f"{ETA_LATE}; 车缝 Sewing 尚未完成 (计划 2026-11-20) not done yet (plan 2026-11-20); 已 7 个工作日无更新 no update "
     "for 7 working days"),
])
def test_the_ask_is_built_from_the_suppliers_facts(facts, ask):
    assert _asks(_line(**facts)) == [ask]


def test_working_days_are_counted_in_the_suppliers_calendar():
    # Monday 14 Dec to Sunday 20th: CN works Monday to Friday (5), BD Sunday to Thursday with 16 Dec
    # (Victory Day) off: Monday, Tuesday, Thursday (3)
    line = _line(supplier_due="2026-12-14", eta="2026-12-20")
    cn, bd = _asks(line, line, countries=["CN", "BD"])
    assert cn == ETA_LATE and bd == ETA_LATE.replace("共 5 个", "共 3 个").replace("is 5 working", "is 3 working")


def test_no_internal_words_in_any_ask():
    facts = [{"supplier_due": "2026-11-20"}, {"eta": None}, {"supplier_due": "2026-12-14", "eta": "2027-01-20"},
             {"flag": "WILL_BE_LATE"}, {"stale": True, "idle_wd": 9.0}]
    texts = " ".join(_asks(*[_line(**f) for f in facts]))
    for word in ("WD", "slack", "余量", "risk", "风险", "provisional", "暂定", "NO_NEWS", "<", "≥", "%",
                 *Flag, *(f.zh for f in Flag)):
        assert word not in texts, word


def test_the_supplier_sees_its_own_due_date_and_nothing_of_ours():
    frame = pd.DataFrame([_line(supplier_due="2026-12-14", customer="Buyer", unit_price=9.5, remarks="ours",
                                why="x", reason="AT_RISK", ask="a"),
                          _line(po_no="P-2", ask="b")])
    for name in DATES:
        frame[name] = pd.to_datetime(frame[name])
    view = supplier_view(frame)
    assert tuple(view.columns) == SHOWN
    assert view["due_date"].tolist()[0] is pd.NaT and view["due_date"].iloc[1] == pd.Timestamp("2026-12-20")
    assert their_due(view).tolist() == [pd.Timestamp("2026-12-14"), pd.Timestamp("2026-12-20")]
    assert not {"customer", "unit_price", "cost_price", "remarks", "why", "reason", "flag", "slack_wd",
                "late_risk", "supplier"} & set(view.columns)


def test_a_milestone_plan_after_the_suppliers_due_date_is_not_shown():
    # T&A plans count back from our 交期: the ex-factory plan is the customer's date (2026-11-19 here)
    lines = [_line(supplier_due="2026-11-13", due_date="2026-11-19", next_name="出厂 Ex-factory",
                   next_plan="2026-11-19"),
             _line(supplier_due="2026-12-14", next_name="裁剪 Cutting", next_plan="2026-11-18"),
             _line(next_name=None, next_plan=None)]
    frame = pd.DataFrame(lines)
    for name in DATES:
        frame[name] = pd.to_datetime(frame[name])
    frame["ask"] = asks(frame, pd.Series(["CN"] * 3, index=frame.index, dtype=object), BOOK, MONDAY)
    view = supplier_view(frame)
    assert view["next_milestone"].tolist()[:2] == ["出厂 Ex-factory", "裁剪 Cutting · 计划 plan 2026-11-18"]
    assert pd.isna(view["next_milestone"].iloc[2])
    assert "2026-11-19" not in " ".join(map(str, view.iloc[0].tolist()))
    assert view["ask"].iloc[0].startswith("交期 2026-11-13 已过") and "Ex-factory" not in view["ask"].iloc[0]
