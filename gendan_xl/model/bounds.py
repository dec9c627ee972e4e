"""The dates gendan accepts from a user: 1990-01-01 … 2099-12-31, for every date option and setting.

Working-day calendars, pandas timestamps and Excel serials all end somewhere (pandas at 2262-04-11,
Excel's 1900 system starts at 1900-01-01); a date outside this range is a typo, said so clearly
before any of them is reached.
"""

from __future__ import annotations

import datetime as dt

FIRST_DATE = dt.date(1990, 1, 1)
LAST_DATE = dt.date(2099, 12, 31)
RANGE_TEXT = f"a date from {FIRST_DATE} to {LAST_DATE}"


def check_date(day: dt.date) -> dt.date:
    """``day`` when within the range; else ValueError saying the range."""
    if not FIRST_DATE <= day <= LAST_DATE:
        raise ValueError(f"日期超出范围 {day} is out of range: {RANGE_TEXT}")
    return day
