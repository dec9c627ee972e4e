"""Today's exchange rate per currency (quotes/fx.py) and the quotes that take it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gendan_xl.model.issues import Reason
from gendan_xl.quotes.fx import currency_code, quote_rates, todays_rates
from gendan_xl.quotes.pricing import price_quotes

FX = pd.DataFrame({"currency": ["USD", "usd ", "EUR", "USD", "EUR", "EUR"],
                   "rate": [7.10, "7.05", 7.80, 6.90, 7.70, 7.75],
                   "date": pd.to_datetime(["2026-11-01", "2026-11-20", "2026-11-10", "2026-12-01", "2026-11-12",
                                           "2026-11-12"])})


def test_the_latest_rate_of_each_currency_on_or_before_the_as_of_date():
    today = todays_rates(FX, "2026-11-26")
    assert today.rates.to_dict() == {"EUR": 7.75, "USD": 7.05}     # of two rows of one date, the lower one
    assert today.dates["USD"] == pd.Timestamp("2026-11-20") and not today.problems
    assert todays_rates(FX, "2026-12-01").rates["USD"] == 6.90     # a rate dated on the as-of date counts
    assert todays_rates(FX).rates["USD"] == 6.90                   # no as-of date: the latest row
    assert todays_rates(FX, "2026-11-05").rates.to_dict() == {"USD": 7.10}


def test_an_unreadable_latest_rate_is_no_rate_not_an_older_one_and_bad_rows_are_problems():
    fx = pd.DataFrame({"currency": ["USD", "USD", "U$", None], "rate": [7.1, "seven", 7.0, 7.0],
                       "date": pd.to_datetime(["2026-11-01", "2026-11-20", "2026-11-01", None])})
    today = todays_rates(fx, "2026-11-26")
    assert np.isnan(today.rates["USD"]) and list(today.rates.index) == ["USD"]
    assert {(p.row, p.column, p.value, p.reason) for p in today.problems} == {
        (1, "rate", "seven", Reason.BAD_NUMBER), (2, "currency", "U$", Reason.UNKNOWN_CODE),
        (3, "currency", None, Reason.MISSING_VALUE), (3, "date", None, Reason.BAD_DATE)}


def test_an_empty_table_has_no_rates():
    assert todays_rates(FX.iloc[:0], "2026-11-26").rates.empty


@pytest.mark.parametrize(("cell", "code"), [("USD", "USD"), (" usd", "USD"), ("ＥＵＲ", "EUR"), ("US", None),
                                            ("US$", None), ("dollar", None), (None, None), (7.05, None)])
def test_a_currency_is_a_three_letter_code(cell, code):
    assert currency_code(cell) == code


def test_a_blank_fx_rate_takes_todays_rate_a_typed_one_is_kept_and_cny_is_one():
    quotes = pd.DataFrame({"currency": ["USD", "USD", "CNY", "EUR"], "incoterm": "FOB", "purchase_price": 45.2,
                           "domestic_cost": 2.5, "profit_rate": "8%", "fx_rate": [None, 7.2, None, ""]})
    priced = price_quotes(quotes, todays_rates(FX, "2026-11-26").rates)
    assert priced.inputs["fx_rate"].tolist() == [7.05, 7.2, 1.0, 7.75]
    assert priced.inputs["fx_source"].tolist() == ["today", "typed", "home", "today"]
    fob = priced.values["fob"]
    assert fob[0] * 7.05 == pytest.approx(fob[1] * 7.2) == pytest.approx(fob[2]) == pytest.approx(fob[3] * 7.75)
    assert "FX Rates" in priced.values["why"][0] and "FX Rates" not in priced.values["why"][1]


QUOTED = pd.DataFrame({
    "quote_no": ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6"], "currency": ["USD", "USD", "usd", "USD", "EUR", "JPY"],
    "status": ["SENT 已报", "DRAFT", None, "CONFIRMED", "LOST", "SENT"],
    "quote_date": pd.to_datetime(["2026-11-05", "2026-11-05", "2026-11-05", None, "2026-11-12", "2026-11-05"])})


def test_a_sent_revision_takes_its_quote_dates_rate_a_draft_or_undated_one_the_as_of_dates():
    found = quote_rates(FX, QUOTED, "2026-11-26")
    assert found.rates[:5].tolist() == [7.10, 7.05, 7.05, 7.05, 7.75]   # EUR 2026-11-12: the lower of two rows
    assert np.isnan(found.rates[5])                                   # no JPY rate at all
    assert found.on_quote_date.tolist() == [True, False, False, False, True, True]


def test_a_sent_quote_dated_before_any_rate_is_not_priced_at_a_later_rate():
    early = QUOTED.iloc[:1].assign(quote_date=pd.Timestamp("2026-10-01"))
    priced = price_quotes(early.assign(incoterm="FOB", purchase_price=45.2, domestic_cost=2.5, profit_rate=0.08,
                                       fx_rate=None), quote_rates(FX, early, "2026-11-26"))
    assert np.isnan(priced.values.at[0, "price"])
    assert [p.reason for p in priced.problems] == [Reason.NO_FX_RATE]


def test_the_why_says_which_days_rate_a_blank_fx_rate_took():
    frame = QUOTED.iloc[:2].assign(incoterm="FOB", purchase_price=45.2, domestic_cost=2.5, profit_rate=0.08,
                                   fx_rate=None)
    priced = price_quotes(frame, quote_rates(FX, frame, "2026-11-26"))
    assert priced.inputs["fx_source"].tolist() == ["quote_date", "today"]
    assert "7.1000 报价日汇率表 FX Rates on the quote date" in priced.values.at[0, "why"]
    assert "7.0500 汇率表 from FX Rates" in priced.values.at[1, "why"]
