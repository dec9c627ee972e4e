"""The Settings sheet as typed settings: the as-of date is read by the one date-cell reader."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.settings import Settings


def _as_of(value) -> Settings:
    """Settings from a sheet whose as-of cell holds ``value`` (the frame indexed by Excel row)."""
    return Settings.from_frame(pd.DataFrame({"key": ["as_of"], "value": [value], "description": [""]}, index=[2]))


@pytest.mark.parametrize("value", [
    "2026-11-26", "2026/11/26", "2026-11-26 10:00", "20261126", "Nov 26, 2026", "26-Nov-2026",
    "2026年11月26日", "２０２６年１１月２６日", "26.11.2026", "46352", 46352.0, "11/11/2026",
    dt.date(2026, 11, 26), pd.Timestamp("2026-11-26"),
])
def test_the_as_of_date_is_read_as_every_date_cell_is(value):
    """Before, pandas read the as-of cell: no Chinese date, no serial; now ``date_cells.parse_date``."""
    expected = dt.date(2026, 11, 11) if value == "11/11/2026" else dt.date(2026, 11, 26)
    assert _as_of(value).as_of == expected


@pytest.mark.parametrize("value, words", [
    ("05/12/2026", "write '05/12/2026' as 2026-05-12 or 2026-12-05"),   # before: 2026-05-12, a guess
    ("26/11/2026", "write '26/11/2026' as 2026-11-26"),                  # before: day-first, silently
    ("today", "'today' is not a date"),                                   # before: the wall clock
    ("TBD", "a date such as 2026-03-05"),
    ("2026-02-30", "not a calendar date"),
    ("0001-01-01", "before 1900-01-01"),
    ("2262-04-12", "1990-01-01 to 2099-12-31"),
])
def test_an_as_of_date_that_is_no_date_or_whose_order_is_a_guess_is_refused(value, words):
    with pytest.raises(GendanError) as err:
        _as_of(value)
    assert (err.value.row, err.value.value, err.value.code) == (2, value, ErrorCode.BAD_SETTING)
    assert words in str(err.value)
