"""A rate cell (VAT, export refund, commission, bank fee, profit, insurance) as a fraction, read once.

``13%``, ``0.13`` and ``13`` all mean 13 %: a value above 1 is a percent, a value typed with ``%``
(or ``‰``) is what it says. A blank takes its default (``QuoteDefaults``); whether the fraction makes
sense (below 100 %) is the pricing's question.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from gendan_xl.model.number_cells import read_rate
from gendan_xl.model.settings import Settings
from gendan_xl.model.values import map_distinct


@dataclass(frozen=True)
class QuoteDefaults:
    """The settings a quote falls back on: the rates a blank cell takes, the decimals the customer
    sees a price with, and how many percentage points of margin the rate-moved alert allows (the
    Settings' defaults; ``from_settings``: a master's own)."""

    vat_rate: float = Settings.vat_rate
    refund_rate: float = Settings.refund_rate
    bank_fee_rate: float = Settings.bank_fee_rate
    commission_rate: float = Settings.commission_rate
    quote_decimals: int = Settings.quote_decimals
    fx_alert_points: float = Settings.fx_alert_points

    @classmethod
    def from_settings(cls, settings: Settings) -> QuoteDefaults:
        """The master's own defaults (its 设置 Settings rows of the same names)."""
        return cls(**{f.name: getattr(settings, f.name) for f in fields(cls)})

    def rate(self, name: str) -> float | None:
        """The default of the rate ``name``; None for a rate without one (profit, insurance)."""
        return getattr(self, name, None) if name.endswith("_rate") else None


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
