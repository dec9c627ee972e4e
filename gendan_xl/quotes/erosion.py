"""Quote vs order (pure): the open order lines of a customer and style that a CONFIRMED quote priced,
compared with the quote's latest confirmed revision.

A line erodes the margin when its selling price (``unit_price``) is below the price the customer was
quoted (rounded as the customer saw it) — compared only when the line is in the quote's currency,
else the line is listed as not comparable — or when its cost price (CNY incl. VAT) is above the
quote's purchase price. Of several confirmed quotes for one customer and style, the latest quote date
(then the highest revision) is the one that holds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gendan_xl.model.flags import OPEN
from gendan_xl.model.number_cells import number_or_nan
from gendan_xl.model.trade_terms import MarginCheck, QuoteStatus
from gendan_xl.model.values import display_text, keys_of, map_distinct
from gendan_xl.quotes.fx import currency_codes
from gendan_xl.quotes.pricing import Priced
from gendan_xl.quotes.trail import quoted_terms

LISTED = ("check", "po_no", "line", "customer", "style", "currency", "unit_price", "quoted_price", "cost_price",
          "purchase_price", "quote_no", "revision", "why")


def margin_erosion(quotes: pd.DataFrame, priced: Priced, quote_customers: pd.Series, lines: pd.DataFrame,
                   line_customers: pd.Series, decimals: int) -> pd.DataFrame:
    """The ``LISTED`` rows, one per open line and ``MarginCheck`` found (a line both cheaper and
    costlier is listed twice), in PO and line order. ``quote_customers`` / ``line_customers``: one
    key per customer (``customers.customer_keys``); ``lines``: evaluated order lines (``flag`` a code)."""
    confirmed = _confirmed(quotes, priced, quote_customers, decimals)
    open_lines = lines[lines["flag"].isin(OPEN)]
    keyed = pd.DataFrame({"customer_key": line_customers.reindex(open_lines.index),
                          "style_key": keys_of(open_lines["style"]), "_pos": np.arange(len(open_lines))},
                         index=open_lines.index)
    matched = keyed.merge(confirmed, on=["customer_key", "style_key"], how="inner")
    if matched.empty:
        return pd.DataFrame(columns=list(LISTED))
    found = open_lines.iloc[matched["_pos"].to_numpy()].reset_index(drop=True)
    quote = matched.reset_index(drop=True)
    unit, cost = _numbers(found["unit_price"]), _numbers(found["cost_price"])
    currency = currency_codes(found["currency"])
    same = currency == quote["currency"].to_numpy()
    checks = {
        MarginCheck.PRICE_BELOW: same & (unit < quote["quoted_price"].to_numpy()),
        MarginCheck.COST_ABOVE: cost > quote["purchase_price"].to_numpy(),
        MarginCheck.NOT_COMPARABLE: ~same & ~np.isnan(unit),
    }
    found = found.assign(customer=found["customer"].map(display_text), style=found["style"].map(display_text),
                         currency=currency, unit_price=unit, cost_price=cost)
    listed = pd.concat([_listed(check, found[mask], quote[mask]) for check, mask in checks.items()],
                       ignore_index=True)
    return listed.sort_values(["po_no", "line", "check"], key=_sort_key, kind="stable").reset_index(drop=True)


def _confirmed(quotes: pd.DataFrame, priced: Priced, customers: pd.Series, decimals: int) -> pd.DataFrame:
    """Per customer and style, the confirmed, priced revision that holds."""
    status = map_distinct(quotes["status"], QuoteStatus.read, None)
    price = priced.customer_prices(decimals)
    frame = pd.DataFrame({
        "customer_key": customers.to_numpy(), "style_key": keys_of(quotes["style"]).to_numpy(),
        "quote_no": quotes["quote_no"].map(display_text).to_numpy(),
        "revision": map_distinct(quotes["revision"], number_or_nan, np.nan).astype(float),
        "date": pd.to_datetime(quotes["quote_date"], errors="coerce").to_numpy(),
        "currency": priced.inputs["currency"].to_numpy(), "quoted_price": price.to_numpy(),
        "purchase_price": priced.inputs["purchase_price"].to_numpy(),
        "terms": quoted_terms(priced),
    })
    keep = (np.array([s is QuoteStatus.CONFIRMED for s in status], dtype=bool) & ~np.isnan(frame["quoted_price"])
            & (frame["customer_key"] != "") & (frame["style_key"] != ""))
    frame = frame[keep].sort_values(["date", "revision"], na_position="first", kind="stable")
    frame = frame.drop_duplicates(["customer_key", "style_key"], keep="last")
    frame["revision"] = frame["revision"].map(lambda r: int(r) if not np.isnan(r) else None)
    return frame.drop(columns="date")


def _listed(check: MarginCheck, lines: pd.DataFrame, quote: pd.DataFrame) -> pd.DataFrame:
    """The ``LISTED`` rows of one check: the lines and the quote each is compared with."""
    rows = pd.DataFrame({
        "check": check.value, "po_no": lines["po_no"].to_numpy(), "line": lines["line"].to_numpy(),
        "customer": lines["customer"].to_numpy(), "style": lines["style"].to_numpy(),
        "currency": lines["currency"].to_numpy(), "unit_price": lines["unit_price"].to_numpy(),
        "quoted_price": quote["quoted_price"].to_numpy(), "cost_price": lines["cost_price"].to_numpy(),
        "purchase_price": quote["purchase_price"].to_numpy(), "quote_no": quote["quote_no"].to_numpy(),
        "revision": quote["revision"].to_numpy(),
        "why": [_why(check, u, c, cur, q) for u, c, cur, q in
                zip(lines["unit_price"], lines["cost_price"], lines["currency"], quote.to_dict("records"))]},
        columns=list(LISTED))
    return rows


def _why(check: MarginCheck, unit: float, cost: float, currency, quote: dict) -> str:
    named = f"{quote['quote_no']} 版本 rev {quote['revision']}"
    if check is MarginCheck.PRICE_BELOW:
        return (f"{check.words}: {currency} {unit:g} < {quote['currency']} {quote['quoted_price']:g} "
                f"{quote['terms']} ({named})")
    if check is MarginCheck.COST_ABOVE:
        return f"{check.words}: ¥{cost:g} > ¥{quote['purchase_price']:g} ({named})"
    return f"{check.words}: {currency or '—'} ≠ {quote['currency']} ({named})"


def _numbers(values: pd.Series) -> np.ndarray:
    return map_distinct(values, number_or_nan, np.nan).astype(float)



def _sort_key(column: pd.Series) -> pd.Series:
    return column.map(display_text).fillna("")
