"""What a customer has been quoted (pure): per quote number the revision the customer holds, priced as
it was sent.

The revision shown of a quote is its latest revision the customer has seen or answered (a DRAFT or a
blank status is ours alone), when that one is SENT or CONFIRMED (``QuoteStatus.is_frozen``): a quote
whose latest such revision is LOST or CANCELLED is over, and one past its ``valid_until`` at the
as-of date has expired — neither is shown unless the quote is named. A named revision is shown when
it is itself SENT or CONFIRMED.

A frozen revision's price never moves with the rate: a blank ``fx_rate`` takes its currency's 汇率
FX Rates rate on the quote date (``fx.quote_rates``), the rate the price was sent at.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.number_cells import number_or_nan
from gendan_xl.model.trade_terms import QuoteStatus
from gendan_xl.model.values import display_text, keys_of, map_distinct, normalise_key
from gendan_xl.quotes.fx import quote_rates
from gendan_xl.quotes.pricing import Priced, price_quotes
from gendan_xl.quotes.rates import QuoteDefaults


@dataclass(frozen=True)
class NotShown:
    """A quote of the customer left off, and why (for the merchandiser, never for the customer)."""

    quote_no: str
    why: str


@dataclass(frozen=True)
class Sent:
    """The rows shown (labels of the quotes frame, by quote date then quote number), the customer's
    quotes left off, and the rows shown although past ``valid_until`` (named ones)."""

    rows: list
    not_shown: list[NotShown]
    expired: list


def sent_revisions(quotes: pd.DataFrame, customer: str, as_of: dt.date, quote: str | None = None,
                   revision: int | None = None) -> Sent:
    """The revisions of ``customer``'s quotes (``quotes``: its rows of 报价 Quotations, typed) to show
    as of ``as_of``; ``quote`` names one quote (any spelling its key reads the same), ``revision``
    one of its revisions. GendanError (``NO_QUOTE``) when nothing is left to show, naming what exists."""
    key = keys_of(quotes["quote_no"])
    if quote is not None:
        wanted = normalise_key(quote)
        if not (key == wanted).any():
            raise GendanError(f"客户 {customer} 没有此报价单 {customer} has no such quote", value=quote,
                              expected=_listed(quotes, key) or "a quote of this customer (it has none)",
                              code=ErrorCode.NO_QUOTE)
        quotes, key = quotes[key == wanted], key[key == wanted]
    number = pd.Series(map_distinct(quotes["revision"], number_or_nan, np.nan), index=quotes.index, dtype=float)
    status = pd.Series(map_distinct(quotes["status"], QuoteStatus.read, QuoteStatus.DRAFT), index=quotes.index,
                       dtype=object)   # a blank status is a draft, an unknown one None
    valid = pd.to_datetime(quotes["valid_until"], errors="coerce")
    shown, not_shown, expired = [], [], []
    for k in dict.fromkeys(key[key != ""]):
        mine = key.index[key == k]
        name = display_text(quotes.at[mine[0], "quote_no"])
        if revision is not None:
            row = _named(quotes, mine, number, status, name, revision)
        else:
            row, why = _latest(mine, number, status)
            if why:
                not_shown.append(NotShown(name, why))
                continue
        if valid[row] < pd.Timestamp(as_of):
            if quote is None:
                not_shown.append(NotShown(name, f"已过期 expired: 有效期至 valid until {valid[row].date()}"))
                continue
            expired.append(row)
        shown.append(row)
    if not shown:
        found = "; ".join(f"{n.quote_no}: {n.why}" for n in not_shown)
        raise GendanError(f"客户 {customer} 没有可发送的报价 no quote to show {customer}", value=quote,
                          expected=f"a SENT or CONFIRMED revision, still valid ({found or 'no quote at all'})",
                          code=ErrorCode.NO_QUOTE)
    order = pd.DataFrame({"date": pd.to_datetime(quotes.loc[shown, "quote_date"], errors="coerce"),
                          "key": key[shown]}).sort_values(["date", "key"], na_position="last", kind="stable")
    return Sent(order.index.tolist(), not_shown, expired)


def _latest(rows: pd.Index, number: pd.Series, status: pd.Series) -> tuple[object, str | None]:
    """The latest revision the customer has (drafts aside), or why the quote is not shown."""
    given = [r for r in rows if status[r] not in (None, QuoteStatus.DRAFT) and not np.isnan(number[r])]
    if not given:
        return None, "无已报版本 no SENT or CONFIRMED revision (" + _revisions(rows, number, status) + ")"
    latest = max(given, key=lambda r: number[r])
    if not status[latest].is_frozen:
        return None, f"最新版本 latest revision {number[latest]:g}: {status[latest].words}"
    return latest, None


def _named(quotes: pd.DataFrame, rows: pd.Index, number: pd.Series, status: pd.Series, name: str,
           revision: int):
    """The row of revision ``revision`` of the quote ``name``, when the customer has it."""
    found = [r for r in rows if number[r] == revision]
    if not found:
        raise GendanError(f"报价单 {name} 没有版本 {revision} quote {name} has no revision {revision}",
                          value=revision, expected=f"one of its revisions ({_revisions(rows, number, status)})",
                          code=ErrorCode.NO_QUOTE)
    row = found[0]
    if status[row] is None or not status[row].is_frozen:
        shown = status[row].words if status[row] else f"状态 status '{display_text(quotes.at[row, 'status']) or ''}'"
        raise GendanError(f"报价单 {name} 版本 {revision} 未发给客户 revision {revision} of quote {name} is "
                          f"not the customer's: {shown}", value=revision,
                          expected="a SENT or CONFIRMED revision", code=ErrorCode.NO_QUOTE)
    return row


def _revisions(rows, number: pd.Series, status: pd.Series) -> str:
    """Each revision with its status: ``1 DRAFT, 2 LOST`` (a blank status is a draft, an unknown one ?)."""
    return ", ".join(f"{'?' if np.isnan(number[r]) else f'{number[r]:g}'} "
                     f"{status[r].value if status[r] else '?'}" for r in rows)


def _listed(quotes: pd.DataFrame, key: pd.Series) -> str:
    names = dict.fromkeys(display_text(quotes.at[r, "quote_no"]) for r in key.index[key != ""])
    return ("one of its quotes: " + ", ".join(names)) if names else ""


def priced_as_sent(quotes: pd.DataFrame, fx: pd.DataFrame, as_of: dt.date, defaults: QuoteDefaults) -> Priced:
    """``quotes`` priced as ``gendan quote`` prices them: at their own fx rate, a blank one taking its
    currency's FX Rates rate on the quote date (``fx.quote_rates``)."""
    return price_quotes(quotes, quote_rates(fx, quotes, as_of), defaults)
