"""A rate cell (VAT, export refund, commission, bank fee, profit, insurance) as a fraction, read once.

``13%``, ``0.13`` and ``13`` all mean 13 %: a value above 1 is a percent, a value typed with ``%``
(or ``‰``) is what it says. A blank takes its default (``QuoteDefaults``); whether the fraction makes
sense (below 100 %) is the pricing's question.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gendan_xl.model.number_cells import parse_number
from gendan_xl.model.values import fold, is_blank, map_distinct


@dataclass(frozen=True)
class QuoteDefaults:
    """The settings a quote falls back on: the rates a blank cell takes, the decimals the customer
    sees a price with, and how many percentage points of margin the rate-moved alert allows."""

    vat_rate: float = 0.13
    refund_rate: float = 0.13
    bank_fee_rate: float = 0.0
    commission_rate: float = 0.0
    quote_decimals: int = 2
    fx_alert_points: float = 2.0

    def rate(self, name: str) -> float | None:
        """The default of the rate ``name``; None for a rate without one (profit, insurance)."""
        return getattr(self, name, None) if name.endswith("_rate") else None


def read_rate(value) -> float | None:
    """A rate cell as a fraction; None when blank; ValueError(reason) for a cell that is no number."""
    if is_blank(value):
        return None
    number = parse_number(value)
    if number is None:          # a marker such as TBD or N/A
        return None
    typed_percent = isinstance(value, str) and fold(value).strip().endswith(("%", "‰"))
    return number / 100 if number > 1 and not typed_percent else number


def read_rates(values: pd.Series, default: float | None) -> tuple[np.ndarray, np.ndarray]:
    """``read_rate`` of a column (once per distinct value): the fractions (a blank takes ``default``,
    NaN when it has none or the cell is unreadable) and, per row, the reason a cell is unreadable
    (None when it is read)."""
    def one(value):
        try:
            rate = read_rate(value)
        except ValueError as error:
            return np.nan, str(error)
        return (np.nan if default is None else default) if rate is None else rate, None

    pairs = map_distinct(values, one, (np.nan if default is None else default, None))
    return np.array([p[0] for p in pairs], dtype=float), np.array([p[1] for p in pairs], dtype=object)
