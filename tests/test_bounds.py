"""model/bounds: the one range of dates gendan accepts from a user, both ends included."""

from __future__ import annotations

import datetime as dt

import pytest

from gendan_xl.model.bounds import check_date


@pytest.mark.parametrize("day", [dt.date(1990, 1, 1), dt.date(2026, 11, 26), dt.date(2099, 12, 31)])
def test_a_date_in_the_range_is_given_back(day):
    assert check_date(day) == day


@pytest.mark.parametrize("day", [dt.date(1989, 12, 31), dt.date(2100, 1, 1), dt.date(1900, 1, 1),
                                 dt.date(2262, 4, 12)])
def test_a_date_outside_the_range_is_refused_naming_it_and_the_range(day):
    with pytest.raises(ValueError) as err:
        check_date(day)
    message = str(err.value)
    assert str(day) in message and "1990-01-01" in message and "2099-12-31" in message
    assert "超出范围" in message and "out of range" in message
