"""The price trail of each quote (pure): its revisions in order — date, the price the customer saw,
the incoterm it was quoted in, the status and the move from the revision before."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gendan_xl.model.number_cells import number_or_nan
from gendan_xl.model.trade_terms import Incoterm, QuoteStatus
from gendan_xl.model.values import display_text, keys_of, map_distinct
from gendan_xl.quotes.pricing import Priced

COLUMNS = ("quote_no", "revision", "quote_date", "customer", "style", "currency", "terms", "price", "change",
           "status", "valid_until")


def quoted_terms(priced: Priced) -> list[str]:
    """Each quote's incoterm as the customer reads it: ``CIFC3`` with 3 % commission, else ``CIF``;
    '' when it has none."""
    return [Incoterm(term).quoted(rate if rate > 0 else 0) if term else ""
            for term, rate in zip(priced.inputs["incoterm"], priced.inputs["commission_rate"])]


def price_trail(quotes: pd.DataFrame, priced: Priced, decimals: int) -> pd.DataFrame:
    """One row per revision (``COLUMNS``), grouped by quote number (in the order numbers first
    appear, each spelt as it first appears), revisions ascending; ``price`` the customer's price (NaN when not priced), ``change``
    the move from the quote's previous priced revision (NaN for the first), ``status`` a code (None
    when unreadable, DRAFT when blank)."""
    revision = map_distinct(quotes["revision"], number_or_nan, np.nan).astype(float)
    status = map_distinct(quotes["status"], _status, None)
    trail = pd.DataFrame({
        "quote_no": quotes["quote_no"].map(display_text).to_numpy(), "revision": revision,
        "quote_date": pd.to_datetime(quotes["quote_date"], errors="coerce").dt.date.to_numpy(),
        "customer": quotes["customer"].map(display_text).to_numpy(),
        "style": quotes["style"].map(display_text).to_numpy(), "currency": priced.inputs["currency"].to_numpy(),
        "terms": quoted_terms(priced), "price": priced.customer_prices(decimals).to_numpy(),
        "status": status, "valid_until": pd.to_datetime(quotes["valid_until"], errors="coerce").dt.date.to_numpy(),
        "_key": keys_of(quotes["quote_no"]).to_numpy()})
    trail = trail[trail["_key"] != ""]
    trail["quote_no"] = trail.groupby("_key", sort=False)["quote_no"].transform("first")
    first_seen = trail.groupby("_key", sort=False).ngroup()
    trail = trail.assign(_first=first_seen).sort_values(["_first", "revision"], kind="stable")
    by_quote = trail.groupby("_key", sort=False)
    before = trail.assign(price=by_quote["price"].ffill()).groupby("_key", sort=False)["price"].shift()
    trail["change"] = (trail["price"] - before).round(decimals)
    trail["quote_date"] = trail["quote_date"].where(trail["quote_date"].notna(), None)
    trail["valid_until"] = trail["valid_until"].where(trail["valid_until"].notna(), None)
    return trail.loc[:, list(COLUMNS)].reset_index(drop=True)


def _status(value) -> str | None:
    found = QuoteStatus.read(value) if display_text(value) else QuoteStatus.DRAFT
    return None if found is None else found.value
