"""The one reader of a number cell: literal values, no files."""

from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gendan_xl.model.number_cells import MAX_NUMBER, parse_number


@pytest.mark.parametrize("value, expected", [
    (1200, 1200.0), (12.5, 12.5), (np.int64(7), 7.0),
    ("1200", 1200.0), (" -12.5 ", -12.5), ("1,200 pcs", 1200.0), ("１２００", 1200.0), ("１，２００件", 1200.0),
    ("1.200,50", 1200.5), ("1,200.50", 1200.5), ("1.200.000", 1200000.0), ("1 200", 1200.0),
    ("1'200.5", 1200.5), ("3,5", 3.5), ("1.200", 1.2), ("12%", 0.12), ("5‰", 0.005),
    ("(1,200)", -1200.0), ("（1,200）", -1200.0), ("1,200-", -1200.0), ("$1,200.00", 1200.0),
    ("-$5", -5.0), ("$-5", -5.0), ("¥1,200", 1200.0), ("￥1,200", 1200.0), ("USD 3.5", 3.5),
    ("US$3.5", 3.5), ("RMB 1200元", 1200.0), ("3.5 USD", 3.5), ("5 pcs/ctn", 5.0), ("1e3", 1000.0),
    (".5", 0.5), (None, None), ("", None), ("  ", None), (float("nan"), None), ("-", None), ("N/A", None),
])
def test_parse_number(value, expected):
    assert parse_number(value) == expected


@pytest.mark.parametrize("value, decimal_comma, expected", [
    ("1.200", True, 1200.0), ("1,5", True, 1.5), ("1.200,50", True, 1200.5), ("1,200", True, 1.2),
    ("1,200", False, 1200.0), ("1.200", False, 1.2), ("1,200.50", False, 1200.5),
])
def test_parse_number_decimal_mark(value, decimal_comma, expected):
    assert parse_number(value, decimal_comma=decimal_comma) == expected


@pytest.mark.parametrize("value", [
    "Freight Included in Commodity Cost", "See DN-304 (ID#:10589)", "Weight Captured Separately",
    "约800", "1,2,3", "12,34,567", "1200 (approx)", "5 3", "inf", "nan", True, date(2026, 1, 1),
    float("inf"), "$-", "1,200.50,5",
])
def test_parse_number_errors(value):
    with pytest.raises(ValueError):
        parse_number(value)


def test_parse_number_decimal_mark_errors():
    with pytest.raises(ValueError):
        parse_number("3,5", decimal_comma=False)
    with pytest.raises(ValueError):
        parse_number("1,200.50", decimal_comma=True)


@given(st.floats(min_value=-MAX_NUMBER, max_value=MAX_NUMBER))
def test_number_repr_round_trip(number):
    assert parse_number(repr(number)) == number


@given(st.floats(allow_nan=False).filter(lambda x: abs(x) > MAX_NUMBER))
def test_absurd_numbers_are_errors(number):
    for value in (number, repr(number)):
        with pytest.raises(ValueError, match="too large|not a (finite )?number"):
            parse_number(value)


@given(st.integers(min_value=-10**15, max_value=10**15))
def test_number_grouped_round_trip(number):
    assert parse_number(f"{number:,}") == number
    assert parse_number(f"{number:,}".replace(",", "."), decimal_comma=True) == number
    assert parse_number(f"${abs(number):,} pcs") == abs(number)
    if number:
        assert parse_number(f"({abs(number):,})") == -abs(number)


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_number_two_places_round_trip(number):
    text = f"{number:,.2f}"
    assert parse_number(text) == float(number)
    european = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    assert parse_number(european, decimal_comma=True) == float(number)
