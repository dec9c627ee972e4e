"""What the weekly report says of the quotes (pure): how many are priced, the open quotes the rate
has moved (``rate_moved``) and the open order lines eroding a confirmed quote's margin (``erosion``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gendan_xl.model.trade_terms import MarginCheck
from gendan_xl.model.values import display_text

JSON_DECIMALS = 4   # the figures of the lists in --json


@dataclass(frozen=True)
class QuoteWatch:
    """The quotes' part of a report: counts, the rate-moved list (``rate_moved.LISTED``, at
    ``today`` — rate per currency code), the margin-erosion list (``erosion.LISTED``)."""

    priced: int
    not_priced: int
    alert_points: float
    today: pd.Series
    rate_moved: pd.DataFrame
    erosion: pd.DataFrame

    @property
    def eroding(self) -> pd.DataFrame:
        """The erosion rows that earn less than quoted (not the ones only not comparable)."""
        return self.erosion[[MarginCheck(code).erodes for code in self.erosion["check"]]]

    def summary(self) -> dict:
        """The JSON form: counts, today's rates and both lists (figures to ``JSON_DECIMALS``)."""
        return {"priced": self.priced, "not_priced": self.not_priced, "alert_points": self.alert_points,
                "today_rates": {code: _figure(rate) for code, rate in self.today.items()},
                "rate_moved": _records(self.rate_moved), "margin_erosion": _records(self.erosion)}


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{name: json_value(name, value) for name, value in record.items()} for record in frame.to_dict("records")]


def json_value(name: str, value):
    """A list cell as --json gives it: revisions and lines whole, figures to ``JSON_DECIMALS``, NaN
    None, dates ISO, text as shown."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if name in ("revision", "line") and isinstance(value, (int, float, np.integer, np.floating)):
        return _whole(value)
    if isinstance(value, (float, np.floating)):
        return _figure(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    return display_text(value)


def _whole(value):
    number = float(value)
    if np.isnan(number):
        return None
    return int(number) if number == int(number) else number


def _figure(value) -> float | None:
    number = float(value)
    return None if np.isnan(number) else round(number, JSON_DECIMALS)
