"""The rate moved (quotes/rate_moved.py): open quotes re-priced at today's rate, listed when their
margin fell by more than ``fx_alert_points`` percentage points or when they lose money."""

from __future__ import annotations

import pandas as pd
import pytest

from gendan_xl.quotes.fx import quote_rates, todays_rates
from gendan_xl.quotes.pricing import price_quotes
from gendan_xl.quotes.rate_moved import LISTED, open_quotes, rate_moved

BASE = {"customer": "Acme", "currency": "USD", "incoterm": "CIF", "purchase_price": 45.2, "vat_rate": "13%",
        "refund_rate": 9, "domestic_cost": 2.5, "freight": 0.4, "insurance_rate": "0.3%", "commission_rate": 0.03,
        "bank_fee_rate": "0.3%", "profit_rate": 0.08, "fx_rate": 7.05, "status": "SENT 已报", "valid_until": pd.NaT}
AS_OF = "2026-11-26"


def quotes(*rows: dict) -> pd.DataFrame:
    frame = pd.DataFrame([{**BASE, "quote_no": f"Q{i}", "revision": 1, **row} for i, row in enumerate(rows)])
    frame["valid_until"] = pd.to_datetime(frame["valid_until"])
    return frame


def moved(frame: pd.DataFrame, today: dict, **kw) -> pd.DataFrame:
    return rate_moved(frame, price_quotes(frame), pd.Series(today, dtype=float), AS_OF, **kw)


def test_a_quote_whose_margin_fell_more_than_two_points_is_listed_with_the_figures():
    # the worked example: 8.70 % at 7.05; at 6.90 total cost 44.2411 (bank fee at 6.90) against 47.0684
    listed = moved(quotes({}), {"USD": 6.90})
    assert list(listed.columns) == list(LISTED) and len(listed) == 1
    row = listed.iloc[0]
    fob = 6.821503979210655
    total = 41.6 + 2.5 + 0.003 * fob * 6.90
    assert row["profit_loss_rate_today"] == pytest.approx((fob * 6.90 - total) / total, rel=1e-12)
    assert row["fx_cost_today"] == pytest.approx(total / fob, rel=1e-12)
    assert row["points_lost"] == pytest.approx(2.3053, abs=1e-4) and not row["loses_money"]
    assert row["why"] == ("汇率变动 rate moved: USD 7.0500 → 6.9000; 盈亏率 margin 8.70 % → 6.39 % "
                          "(−2.31 个百分点 points)")


def test_a_smaller_fall_or_a_rise_is_not_listed_and_the_alert_points_are_a_setting():
    assert moved(quotes({}), {"USD": 6.95}).empty                         # −1.54 points
    assert moved(quotes({}), {"USD": 7.30}).empty                         # the margin rose
    assert len(moved(quotes({}), {"USD": 6.95}, alert_points=1.5)) == 1


def test_a_quote_that_loses_money_at_todays_rate_is_listed_even_for_a_small_fall():
    listed = moved(quotes({"profit_rate": 0.005}), {"USD": 7.00})        # 0.5 % margin, −0.7 points
    assert len(listed) == 1 and listed.iloc[0]["loses_money"]
    assert listed.iloc[0]["fx_cost_today"] > 7.00 and "亏损 loses money" in listed.iloc[0]["why"]


def test_only_open_still_valid_latest_revisions_priced_in_a_currency_with_a_rate_are_watched():
    frame = quotes({"status": "DRAFT"}, {"status": "CONFIRMED"}, {"status": "LOST"}, {"status": "作废"},
                   {"status": None}, {"valid_until": "2026-11-25"}, {"valid_until": "2026-11-26"},
                   {"currency": "EUR", "fx_rate": 7.8}, {"fx_rate": 705},
                   {"quote_no": "Q1", "revision": 2, "status": "DRAFT"}, {"quote_no": "Q0", "revision": "2"})
    assert open_quotes(frame, AS_OF).tolist() == [False, False, False, False, True, False, True, True, True, True,
                                                  True]
    # Q0's DRAFT revision 1 is superseded by its SENT revision 2 (typed as text); EUR has no rate today; the
    # fx 705 row is not priced
    assert moved(frame, {"USD": 6.90}).index.tolist() == [4, 6, 9, 10]


def test_a_sent_quote_priced_at_its_quote_dates_rate_is_watched_against_todays():
    fx = pd.DataFrame({"currency": ["USD", "USD"], "rate": [7.05, 6.90],
                       "date": pd.to_datetime(["2026-11-02", "2026-11-20"])})
    frame = quotes({"fx_rate": None, "quote_date": pd.Timestamp("2026-11-03")})
    priced = price_quotes(frame, quote_rates(fx, frame, AS_OF))
    assert priced.values.at[0, "price"] == pytest.approx(7.4695, abs=5e-5)      # still the price the customer has
    listed = rate_moved(frame, priced, todays_rates(fx, AS_OF).rates, AS_OF)
    assert listed["fx_rate"].tolist() == [7.05] and listed["today_rate"].tolist() == [6.90]
    assert listed.iloc[0]["points_lost"] == pytest.approx(2.3053, abs=1e-4)
