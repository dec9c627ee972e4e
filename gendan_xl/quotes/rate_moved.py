"""The rate moved (pure): each open quote re-priced at today's exchange rate, listed when its margin
fell by more than ``fx_alert_points`` percentage points or when it now loses money.

An open quote is the latest revision of a quote number whose status is DRAFT or SENT (a blank status
is a draft) and whose ``valid_until`` is not before the as-of date (blank: still valid). Its FOB price
in the quote currency stays as quoted; its costs in CNY are what they were, the bank fee taken at
today's rate: ``profit_loss_rate`` and ``fx_cost`` at today's rate follow the pricing's formulas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gendan_xl.model.number_cells import number_or_nan
from gendan_xl.model.trade_terms import QuoteStatus
from gendan_xl.model.values import keys_of, map_distinct
from gendan_xl.quotes.pricing import Priced
from gendan_xl.quotes.rates import QuoteDefaults

LISTED = ("quote_no", "revision", "customer", "currency", "fx_rate", "today_rate", "profit_loss_rate",
          "profit_loss_rate_today", "fx_cost_today", "points_lost", "loses_money", "why")


def open_quotes(quotes: pd.DataFrame, as_of) -> np.ndarray:
    """Per row: the latest revision of its quote number, DRAFT or SENT (blank: DRAFT), still valid."""
    revision = map_distinct(quotes["revision"], number_or_nan, np.nan).astype(float)
    key = keys_of(quotes["quote_no"])
    latest = pd.Series(revision, index=quotes.index).groupby(key.to_numpy()).transform("max").to_numpy()
    status = map_distinct(quotes["status"], QuoteStatus.read, QuoteStatus.DRAFT)
    is_open = np.array([s is not None and s.is_open for s in status], dtype=bool)
    valid = pd.to_datetime(quotes["valid_until"], errors="coerce")
    still_valid = (valid.isna() | (valid >= pd.Timestamp(as_of).normalize())).to_numpy()
    return (key != "").to_numpy() & (revision == latest) & is_open & still_valid


def rate_moved(quotes: pd.DataFrame, priced: Priced, today: pd.Series, as_of,
               alert_points: float = QuoteDefaults.fx_alert_points) -> pd.DataFrame:
    """The open, priced quotes whose margin at ``today``'s rate (per currency code) is more than
    ``alert_points`` percentage points below their own, or below zero (亏损: fx cost above today's
    rate): the ``LISTED`` columns, indexed like ``quotes``."""
    inputs, values = priced.inputs, priced.values
    rate = today.reindex(inputs["currency"]).to_numpy(dtype=float)
    fob, fx = values["fob"].to_numpy(), inputs["fx_rate"].to_numpy()
    total = values["net_cost"].to_numpy() + inputs["domestic_cost"].to_numpy() \
        + inputs["bank_fee_rate"].to_numpy() * fob * rate
    with np.errstate(divide="ignore", invalid="ignore"):
        margin_today = (fob * rate - total) / total
        fx_cost_today = total / fob
    margin = values["profit_loss_rate"].to_numpy()
    points = (margin - margin_today) * 100
    loses = fx_cost_today > rate
    listed = open_quotes(quotes, as_of) & ~np.isnan(points) & ((points > alert_points) | loses)
    moved = pd.DataFrame({
        "quote_no": quotes["quote_no"], "revision": quotes["revision"], "customer": quotes.get("customer"),
        "currency": inputs["currency"], "fx_rate": fx, "today_rate": rate, "profit_loss_rate": margin,
        "profit_loss_rate_today": margin_today, "fx_cost_today": fx_cost_today, "points_lost": points,
        "loses_money": loses}, index=quotes.index)[listed]
    moved["why"] = [
        f"汇率变动 rate moved: {cur} {was:.4f} → {now:.4f}; 盈亏率 margin {m * 100:.2f} % → {t * 100:.2f} % "
        f"(−{p:.2f} 个百分点 points)" + ("; 亏损 loses money: 换汇成本 fx cost " f"{c:.4f} > {now:.4f}" if lose else "")
        for cur, was, now, m, t, p, c, lose in zip(moved["currency"], moved["fx_rate"], moved["today_rate"],
                                                    moved["profit_loss_rate"], moved["profit_loss_rate_today"],
                                                    moved["points_lost"], moved["fx_cost_today"], moved["loses_money"],
                                                    strict=True)]
    return moved[list(LISTED)]

