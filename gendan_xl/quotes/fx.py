"""Exchange rates from the 汇率 FX Rates table (``currency``, ``rate`` CNY per 1 unit, ``date``): a
currency's rate on a day is its latest row dated on or before that day (of two rows of one date, the
lower one in the table); today's rate is its rate on the as-of date. A quote whose fx_rate is blank
takes the rate of its quote date once sent (``QuoteStatus.priced_on_quote_date``), else today's."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gendan_xl.model.issues import Reason
from gendan_xl.model.number_cells import parse_number
from gendan_xl.model.trade_terms import QuoteStatus
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
    frame, problems = _usable(fx)
    if as_of is not None:
        frame = frame[frame["date"] <= pd.Timestamp(as_of)]
    latest = frame.sort_values("date", kind="stable").groupby("currency").tail(1).set_index("currency")
    return TodaysRates(latest["rate"].astype(float), latest["date"], problems)


@dataclass(frozen=True)
class QuoteRates:
    """Per quote row, the FX Rates rate a blank fx_rate takes (NaN: none) and the day it is the rate
    of: the quote date for a revision priced on it, else the as-of date."""

    rates: np.ndarray
    on_quote_date: np.ndarray      # bool: the quote date's rate
    problems: list[QuoteProblem]

    @classmethod
    def per_currency(cls, rates: pd.Series, currency: np.ndarray) -> QuoteRates:
        """Each row's currency's rate in ``rates`` (today's rates, by currency code)."""
        return cls(rates.reindex(currency).to_numpy(dtype=float), np.zeros(len(currency), dtype=bool), [])


def quote_rates(fx: pd.DataFrame, quotes: pd.DataFrame, as_of) -> QuoteRates:
    """The rate each quote's blank fx_rate takes: a revision priced on its quote date
    (``QuoteStatus.priced_on_quote_date``) that has a quote date takes its currency's rate on that
    date (on ``as_of`` when the quote date is later: no rate from after the run's date); any other (a
    draft, a blank status, no quote date) its rate on ``as_of``."""
    frame, problems = _usable(fx)
    status = map_distinct(quotes["status"], QuoteStatus.read, None)
    dated = pd.to_datetime(quotes["quote_date"], errors="coerce").to_numpy()
    on_quote_date = np.array([s is not None and s.priced_on_quote_date for s in status], dtype=bool) \
        & ~pd.isna(dated)
    today = np.datetime64(pd.Timestamp(as_of).normalize())
    day = np.where(on_quote_date, np.minimum(dated, today), today)
    wanted = pd.DataFrame({"currency": currency_codes(quotes["currency"]), "date": day.astype("datetime64[ns]"),
                           "pos": np.arange(len(quotes))})
    known = wanted[wanted["currency"].notna()].sort_values("date", kind="stable")
    table = frame.astype({"date": "datetime64[ns]"}).sort_values("date", kind="stable")
    found = pd.merge_asof(known, table, on="date", by="currency",
                          direction="backward", allow_exact_matches=True)
    rates = np.full(len(quotes), np.nan)
    rates[found["pos"].to_numpy()] = found["rate"].to_numpy(dtype=float)
    return QuoteRates(rates, on_quote_date, problems)


def _usable(fx: pd.DataFrame) -> tuple[pd.DataFrame, list[QuoteProblem]]:
    """The rows with a currency code and a date (``currency``, ``date``, ``rate``; an unreadable rate
    NaN), and a problem per row or cell not usable."""
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
    return frame[frame["currency"].notna() & frame["date"].notna()], problems


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
