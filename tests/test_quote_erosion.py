"""Quote vs order (quotes/erosion.py): open order lines of a confirmed quote's customer and style
selling below the quoted price or costing above the quoted purchase price; another currency is not
comparable. Literal frames, figures by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from gendan_xl.model.trade_terms import MarginCheck
from gendan_xl.quotes.erosion import LISTED, margin_erosion
from gendan_xl.quotes.pricing import price_quotes
from gendan_xl.rules.customers import customer_keys

# The worked example (CIFC3 USD 7.4695 → the customer saw 7.47), confirmed; a later draft of the same
# style and a lost quote of another style are never the reference.
QUOTES = pd.DataFrame({
    "quote_no": ["Q-1", "Q-1", "Q-2"], "revision": [1, 2, 1], "customer": ["Nordic Home AB"] * 3,
    "style": ["ST-1", "ST-1", "ST-2"], "quote_date": pd.to_datetime(["2026-10-01", "2026-11-01", "2026-10-01"]),
    "status": ["CONFIRMED 确认", "DRAFT", "LOST"], "currency": "USD", "incoterm": "CIF", "purchase_price": 45.2,
    "vat_rate": 0.13, "refund_rate": 0.09, "domestic_cost": 2.5, "freight": 0.4, "insurance_rate": 0.003,
    "commission_rate": 0.03, "bank_fee_rate": 0.003, "profit_rate": [0.08, 0.02, 0.08], "fx_rate": 7.05})
CUSTOMERS = pd.DataFrame({"name": ["Nordic Home AB"], "aliases": ["NH; Nordic"]}, index=[2])


def lines(*rows: dict) -> pd.DataFrame:
    base = {"customer": "Nordic Home AB", "style": "ST-1", "unit_price": 7.47, "cost_price": 45.2, "currency": "USD",
            "flag": "ON_TRACK"}
    return pd.DataFrame([{**base, "po_no": f"PO-{i}", "line": 1, **row} for i, row in enumerate(rows, start=1)])


def eroded(frame: pd.DataFrame, decimals: int = 2) -> pd.DataFrame:
    return margin_erosion(QUOTES, price_quotes(QUOTES), customer_keys(CUSTOMERS, QUOTES["customer"]), frame,
                          customer_keys(CUSTOMERS, frame["customer"]), decimals)


def test_a_line_selling_below_the_quoted_price_or_costing_above_it_is_listed_with_its_figures():
    found = eroded(lines({"unit_price": 7.46}, {"cost_price": 45.5}, {}, {"unit_price": 7.0, "cost_price": 46}))
    assert list(found.columns) == list(LISTED)
    assert list(zip(found["po_no"], found["check"])) == [
        ("PO-1", MarginCheck.PRICE_BELOW), ("PO-2", MarginCheck.COST_ABOVE),
        ("PO-4", MarginCheck.COST_ABOVE), ("PO-4", MarginCheck.PRICE_BELOW)]
    first = found.iloc[0]
    assert (first["quoted_price"], first["quote_no"], first["revision"]) == (7.47, "Q-1", 1)
    assert first["why"] == "售价低于报价 Selling price below the quote: USD 7.46 < USD 7.47 CIFC3 (Q-1 版本 rev 1)"
    assert found.iloc[1]["why"] == "采购价高于报价 Cost above the quote: ¥45.5 > ¥45.2 (Q-1 版本 rev 1)"


def test_the_price_compared_is_the_one_the_customer_saw():
    assert eroded(lines({"unit_price": 7.4695})).empty is False     # below 7.47 as quoted
    assert eroded(lines({"unit_price": 7.4695}), decimals=4).empty  # quoted to 4 decimals it is the price


def test_another_currency_is_not_comparable_but_its_cost_still_is():
    found = eroded(lines({"currency": "EUR", "unit_price": 6.0, "cost_price": 46.0}))
    assert sorted(found["check"]) == [MarginCheck.COST_ABOVE, MarginCheck.NOT_COMPARABLE]
    assert "EUR ≠ USD" in found.loc[found["check"] == MarginCheck.NOT_COMPARABLE, "why"].iloc[0]


def test_only_open_lines_of_the_customer_by_name_or_alias_and_of_the_style_are_compared():
    found = eroded(lines({"customer": "NH", "unit_price": 7.0}, {"customer": "Other", "unit_price": 7.0},
                         {"style": "st 1", "unit_price": 7.0}, {"style": "ST-2", "unit_price": 7.0},
                         {"flag": "SHIPPED", "unit_price": 7.0}, {"flag": "LATE", "unit_price": 7.0}))
    assert found["po_no"].tolist() == ["PO-1", "PO-3", "PO-6"]    # alias, style key, a late line is open


def test_of_several_confirmed_quotes_the_latest_dated_holds():
    later = QUOTES.assign(status=["CONFIRMED", "CONFIRMED", "LOST"])   # Q-1 rev 2: profit 2 %
    priced = price_quotes(later)
    price_2 = round(priced.values.at[1, "price"], 2)
    frame = lines({"unit_price": price_2})
    found = margin_erosion(later, priced, customer_keys(CUSTOMERS, later["customer"]), frame,
                           customer_keys(CUSTOMERS, frame["customer"]), 2)
    assert price_2 < 7.47 and found.empty
    frame = lines({"unit_price": price_2 - 0.01})
    found = margin_erosion(later, priced, customer_keys(CUSTOMERS, later["customer"]), frame,
                           customer_keys(CUSTOMERS, frame["customer"]), 2)
    assert found["revision"].tolist() == [2] and found["quoted_price"].tolist() == [pytest.approx(price_2)]
