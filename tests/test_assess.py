"""risk/assess: the late risk of every open line of a master on literal order frames, and the AT_RISK
flags a risk at or over the threshold raises (with its evidence in ``why``)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from conftest import orders_frame
from gendan_xl.model.settings import Settings
from gendan_xl.risk.assess import assess, raise_flags
from gendan_xl.rules.calendar import CalendarBook, WorkCalendar

AS_OF = dt.date(2026, 11, 26)
BOOK = CalendarBook({"CN": WorkCalendar("CN")})   # Monday to Friday, no holidays
NAN = float("nan")


def _book(late_works_late: int, good_works_late: int, shipped: int = 20) -> tuple[pd.DataFrame, pd.Series]:
    """Each supplier's ``shipped`` lines due on Mondays from 2 March 2026, its late ones shipped a week
    (5 WD) late, the others the Friday before; then an open line of each, a shipped one, one undated."""
    rows = []
    for supplier, late in (("Late Works", late_works_late), ("Good Works", good_works_late)):
        for k in range(shipped):
            due = dt.date(2026, 3, 2) + dt.timedelta(weeks=k)
            ship = due + dt.timedelta(days=7 if k < late else -3)
            rows.append({"po_no": f"{supplier[0]}-{k}", "supplier": supplier, "due_date": due, "ship_date": ship,
                         "flag": "SHIPPED_LATE" if k < late else "SHIPPED"})
    rows += [{"po_no": "L-OPEN", "supplier": "Late Works", "due_date": "2026-12-21", "flag": "ON_TRACK"},
             {"po_no": "G-OPEN", "supplier": "Good Works", "due_date": "2026-12-21", "flag": "ON_TRACK"},
             {"po_no": "G-NODATE", "supplier": "Good Works", "flag": "NO_DATE"}]
    orders = orders_frame(rows, line="1", customer="Maison", qty=500)
    return orders, orders["flag"]


def test_open_lines_are_scored_and_the_late_suppliers_line_is_the_riskier_with_its_record_in_words():
    orders, flags = _book(15, 1)
    risk = assess(orders, flags, "CN", BOOK, None, AS_OF, Settings()).set_axis(orders["po_no"])
    scored = risk["late_risk"].notna()
    assert scored[scored].index.tolist() == ["L-OPEN", "G-OPEN"]          # shipped and undated lines: none
    assert risk["risk_why"].notna().tolist() == scored.tolist()
    assert risk.at["L-OPEN", "late_risk"] > 0.5 > risk.at["G-OPEN", "late_risk"]
    assert risk.at["L-OPEN", "expected_delay_wd"] >= risk.at["G-OPEN", "expected_delay_wd"] > 0
    figures = risk.loc[["L-OPEN", "G-OPEN"]]
    assert np.allclose(figures["late_risk"] * 10_000, (figures["late_risk"] * 10_000).round())   # 4 decimals
    assert np.allclose(figures["expected_delay_wd"] * 10, (figures["expected_delay_wd"] * 10).round())
    assert ("供应商历史 supplier history: 15 of 20 lines late in 12 months, median 5 WD; 同客户 same customer 15/20"
            in risk.at["L-OPEN", "risk_why"])
    assert "1 of 20 lines late in 12 months, median 5 WD" in risk.at["G-OPEN", "risk_why"]


def test_too_little_history_scores_nothing_and_every_open_line_says_why():
    orders, flags = _book(2, 0, shipped=2)   # 4 lines shipped, 2 late: fewer than 30
    risk = assess(orders, flags, "CN", BOOK, None, AS_OF, Settings()).set_axis(orders["po_no"])
    assert risk["late_risk"].isna().all() and risk["expected_delay_wd"].isna().all()
    why = ("延误风险 late risk: 历史不足 too little history: 4 行已出货 lines shipped before 2026-11-26, 2 迟 late "
           "(需要 needs 30 / 3)")
    assert risk["risk_why"].dropna().to_dict() == {"L-OPEN": why, "G-OPEN": why}


def test_raise_flags_makes_on_track_lines_at_or_over_the_threshold_at_risk_with_the_evidence_first():
    evaluated = pd.DataFrame({
        "slack_wd": [10.0, 2.0, 12.0, -4.0, -4.0, 0.0, 8.0, -1.0],
        "flag": ["ON_TRACK", "AT_RISK", "ON_TRACK", "LATE", "LATE", "SHIPPED", "ON_TRACK", "WILL_BE_LATE"],
        "why": [f"why {n}" for n in range(8)]}, index=range(2, 10))
    risk = pd.DataFrame({
        "late_risk": [0.5, 0.6, 0.2, 0.8, 0.8, NAN, NAN, 0.9],
        "expected_delay_wd": [3.0, 2.0, 1.0, 2.0, 6.0, NAN, NAN, 4.0],
        "risk_why": ["延误风险 late risk 50%: 供应商历史 supplier history: 3 of 4", "延误风险 late risk 60%: e1",
                     "延误风险 late risk 20%: e2", "r3", "r4", None, "延误风险 late risk: 历史不足 too little", "r7"]},
        index=range(2, 10))
    out = raise_flags(evaluated, risk, 0.5)
    assert out["flag"].tolist() == ["AT_RISK", "AT_RISK", "ON_TRACK", "LATE", "LATE", "SHIPPED", "ON_TRACK",
                                    "WILL_BE_LATE"]
    assert out["why"].tolist() == [
        "延误风险 late risk 50% ≥ 50%: 供应商历史 supplier history: 3 of 4; why 0",   # raised: the evidence first
        "why 1; 延误风险 late risk 60%: e1",                                          # AT_RISK already: added
        "why 2", "why 3", "why 4", "why 5",
        "why 6; 延误风险 late risk: 历史不足 too little",                              # no claim, and why not
        "why 7"]
    # a LATE line is late already: risk 1 and an expected delay of at least the working days it is late
    assert out["late_risk"].tolist()[3:5] == [1.0, 1.0] and out["expected_delay_wd"].tolist()[3:5] == [4.0, 6.0]
    assert out["late_risk"].tolist()[:3] == [0.5, 0.6, 0.2] and out.at[9, "expected_delay_wd"] == 4.0
    assert out["slack_wd"].equals(evaluated["slack_wd"]) and evaluated["flag"].iloc[0] == "ON_TRACK"
