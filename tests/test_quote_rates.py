"""A rate cell read as a fraction (quotes/rates.py): 13 %, 0.13 and 13 all mean 13 %."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gendan_xl.quotes.rates import QuoteDefaults, read_rate, read_rates


@pytest.mark.parametrize("cell", ["13%", " 13 % ", "１３％", 0.13, "0.13", 13, 13.0, "13"])
def test_thirteen_percent_however_typed(cell):
    assert read_rate(cell) == pytest.approx(0.13, abs=1e-15)


def test_a_value_above_one_is_a_percent_and_a_typed_percent_is_what_it_says():
    assert read_rate(0.5) == 0.5 and read_rate(1.5) == pytest.approx(0.015) and read_rate("0.3%") == pytest.approx(0.003)
    assert read_rate("150%") == 1.5          # not 1.5 %: the pricing then refuses it as 100 % or more
    assert read_rate(1) == 1.0 and read_rate(100) == 1.0
    assert read_rate("3‰") == pytest.approx(0.003)


@pytest.mark.parametrize("cell", [None, np.nan, "", "  ", "TBD", "N/A"])
def test_a_blank_or_a_marker_is_no_rate(cell):
    assert read_rate(cell) is None


def test_text_that_is_no_number_says_why():
    with pytest.raises(ValueError, match="not a number"):
        read_rate("thirteen")


def test_a_column_of_rates_takes_the_default_for_blanks_and_says_which_cells_are_unread():
    rates, unread = read_rates(pd.Series(["13%", None, "abc", 9.0, "", "9"]), QuoteDefaults().vat_rate)
    np.testing.assert_allclose(rates, [0.13, 0.13, np.nan, 0.09, 0.13, 0.09])
    assert [u is not None for u in unread] == [False, False, True, False, False, False] and "abc" in unread[2]
    without_default, _ = read_rates(pd.Series([None, "8%"]), QuoteDefaults().rate("profit_rate"))
    assert np.isnan(without_default[0]) and without_default[1] == pytest.approx(0.08)


def test_the_defaults_are_the_settings_of_the_issue():
    d = QuoteDefaults()
    assert (d.rate("vat_rate"), d.rate("refund_rate"), d.rate("bank_fee_rate"), d.rate("commission_rate")) == \
        (0.13, 0.13, 0.0, 0.0)
    assert d.rate("profit_rate") is None and d.rate("insurance_rate") is None
    assert (d.quote_decimals, d.fx_alert_points) == (2, 2.0)
