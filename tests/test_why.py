"""risk/why: the evidence behind a line's risk in words, counted over the lines shipped in the 365
days before the as-of date: the supplier's record (else its country's, else the whole book's), the
same customer, the same product family, the ETA slips and the expected delay."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gendan_xl.risk.evidence import COLUMNS
from gendan_xl.risk.model import fit
from gendan_xl.risk.why import risk_texts

AS_OF = "2026-11-26"
NAN = float("nan")


def _line(supplier, country, customer, family, late_wd=None, due="2026-06-01", slips=0.0) -> dict:
    """An evidence line shipped ``late_wd`` working days late (None: a day early)."""
    due = np.datetime64(due, "D")
    ship = due + (np.timedelta64(10, "D") if late_wd else np.timedelta64(-1, "D"))
    return {"supplier": supplier, "country": country, "customer": customer, "family": family,
            "kind": family.split()[0] if family else "", "qty": 100.0, "lead_wd": 20.0, "slips": slips,
            "ordered": np.datetime64("NaT", "D"), "due": due, "ship": ship, "delay_wd": late_wd or -1.0}


# s0 (CN): 10 lines in the last 12 months, 4 late by 2, 4, 6, 8 WD (median 5), 2 of its 6 for c1 among them;
# s1 (VN): 20 lines, 1 late by 3 WD; s2 (CN): 2 lines, none late, one for c2 and one for no customer; one s0
# line late 20 WD 14 months ago.
LATE_S0 = {0: 2.0, 1: 4.0, 6: 6.0, 7: 8.0}
BOOK = pd.DataFrame(
    [_line("s0", "CN", "c1" if k < 6 else "c2", "knit sweater", LATE_S0.get(k)) for k in range(10)]
    + [_line("s1", "VN", "c1", "woven shirt", 3.0 if k == 0 else None) for k in range(20)]
    + [_line("s2", "CN", customer, "", None) for customer in ("c2", "")]
    + [_line("s0", "CN", "c1", "knit sweater", 20.0, due="2025-09-20")], columns=list(COLUMNS))


def test_each_line_is_told_by_the_record_of_its_supplier_customer_and_product():
    model = fit(BOOK, AS_OF, 180)
    assert model.reason is None and (model.lines, model.late) == (33, 6)
    lines = pd.DataFrame([
        _line("s0", "CN", "c1", "knit sweater", slips=2.0),   # the supplier's record, with c1, the family, slips
        _line("s1", "VN", "c3", "woven shirt"),               # no line for c3: no customer part
        _line("s0", "CN", "", "knit sweater"),                # no customer: no customer part
        _line("s2", "CN", "c2", ""),                          # none late: no median; no family: no product part
        _line("s9", "VN", "c1", ""),                          # an unknown supplier: its country's record
        _line("s9", "", "c1", ""),                            # and without a country: the whole book's
        _line("s2", "CN", "", ""),                            # no customer: no customer part, even for s2's
    ], columns=list(COLUMNS))
    texts = risk_texts(model, lines, np.array([0.4242, 0.1, 0.3, 0.05, 0.2, 0.25, 0.01]),
                       np.array([3.5, NAN, 5.0, NAN, 2.0, 4.0, NAN]))
    history = "供应商历史 supplier history: "
    none = "供应商近 12 个月无出货 no supplier lines in 12 months; "
    assert texts.tolist() == [
        f"延误风险 late risk 42%: {history}4 of 10 lines late in 12 months, median 5 WD; 同客户 same customer 2/6; "
        "同品类 same product 4/10; ETA 已延后 2 次 slipped 2×; 迟则约 if late about 3.5 WD",
        f"延误风险 late risk 10%: {history}1 of 20 lines late in 12 months, median 3 WD; 同品类 same product 1/20",
        f"延误风险 late risk 30%: {history}4 of 10 lines late in 12 months, median 5 WD; 同品类 same product 4/10; "
        "迟则约 if late about 5 WD",
        f"延误风险 late risk 5%: {history}0 of 2 lines late in 12 months; 同客户 same customer 0/1",
        f"延误风险 late risk 20%: {none}同国家 country VN: 1 of 20 lines late in 12 months, median 3 WD; "
        "迟则约 if late about 2 WD",
        f"延误风险 late risk 25%: {none}全部 whole book: 5 of 32 lines late in 12 months, median 4 WD; "
        "迟则约 if late about 4 WD",
        f"延误风险 late risk 1%: {history}0 of 2 lines late in 12 months",
    ]


def test_a_model_that_claims_nothing_says_why_on_every_line():
    model = fit(BOOK.iloc[:29], AS_OF, 180)   # 29 lines shipped: fewer than the 30 it needs
    texts = risk_texts(model, BOOK.iloc[:2], np.array([NAN, NAN]), np.array([NAN, NAN]))
    assert texts.tolist() == [f"延误风险 late risk: {model.reason}"] * 2
    assert "too little history: 29" in model.reason and "needs 30 / 3" in model.reason
