"""Today's exchange rate of each currency from the 汇率 FX Rates table (``currency``, ``rate`` CNY per
1 unit, ``date``): the latest row of the currency dated on or before the as-of date (of two rows of one
date, the lower one in the table)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gendan_xl.model.issues import Reason
from gendan_xl.model.number_cells import parse_number
from gendan_xl.model.values import display_text, fold, map_distinct
from gendan_xl.quotes.problems import QuoteProblem

HOME_CURRENCY = "CNY"   # the currency costs are in: its rate is 1
_CODE = re.compile(r"[A-Z]{3}")


def currency_code(value) -> str | None:
    """A currency cell as its three-letter code (``usd `` -> ``USD``); None for anything else."""
    if not isinstance(value, str):
        return None
    text = fold(value).strip().upper()
    return text if _CODE.fullmatch(text) else None


def currency_codes(values: pd.Series) -> np.ndarray:
    """``currency_code`` of a column, once per distinct value (None for blanks and non-codes)."""
    return map_distinct(values, currency_code, None)


@dataclass(frozen=True)
class TodaysRates:
    """Per currency code, today's rate (CNY per 1 unit, NaN when its latest row has none readable)
    and the date of that row; the problems of the rows not usable."""

    rates: pd.Series
    dates: pd.Series
    problems: list[QuoteProblem]


def todays_rates(fx: pd.DataFrame, as_of=None) -> TodaysRates:
    """The latest rate of each currency on or before ``as_of`` (every row when None). A row with no
    currency code or no date is left out (and is a problem); a latest row whose rate is unreadable
    gives NaN (the quotes in that currency are then not priced), never an older rate."""
    codes = currency_codes(fx["currency"])
    dates = pd.to_datetime(fx["date"], errors="coerce")
    rates, problems = _rate_values(fx["rate"])
    for label in fx.index[pd.isna(codes)]:
        value = display_text(fx.at[label, "currency"])
        problems.append(QuoteProblem(label, "currency", value, Reason.MISSING_VALUE if value is None
                                     else Reason.UNKNOWN_CODE, f"币种不是三个字母的代码 the currency is not a "
                                     f"three-letter code: {value or 'blank'}"))
    problems += [QuoteProblem(label, "date", display_text(fx.at[label, "date"]), Reason.BAD_DATE,
                              "汇率没有日期 the exchange rate has no date") for label in fx.index[dates.isna()]]
    frame = pd.DataFrame({"currency": codes, "date": dates.to_numpy(), "rate": rates})
    frame = frame[frame["currency"].notna() & frame["date"].notna()]
    if as_of is not None:
        frame = frame[frame["date"] <= pd.Timestamp(as_of)]
    latest = frame.sort_values("date", kind="stable").groupby("currency").tail(1).set_index("currency")
    return TodaysRates(latest["rate"].astype(float), latest["date"], problems)


def _rate_values(values: pd.Series) -> tuple[np.ndarray, list[QuoteProblem]]:
    def one(value):
        try:
            number = parse_number(value)
        except ValueError as error:
            return np.nan, str(error)
        return (np.nan, None) if number is None else (number, None)

    pairs = map_distinct(values, one, (np.nan, None))
    rates = np.array([p[0] for p in pairs], dtype=float)
    problems = [QuoteProblem(label, "rate", display_text(value), Reason.BAD_NUMBER,
                             f"汇率无法识别 exchange rate not read: {reason}")
                for (label, value), (_, reason) in zip(values.items(), pairs, strict=True) if reason]
    return rates, problems
