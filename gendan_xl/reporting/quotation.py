"""报价单 The quotation a customer receives (pure): our company, the customer's legal name and payment
terms, and per quote the revision the customer holds (``quotes.sent``) with its price as the customer
sees it: ``USD 7.47 CIFC3 Hamburg`` (the unrounded price rounded half up to ``quote_decimals``, the
incoterm as quoted with its commission, the port).

The customer is named as names are compared (``values.party_key``): its 客户 Customers name or an
alias, or a name written on its quotes that no Customers row has. Nothing internal is in the result:
no purchase price, supplier, refund, rate, cost, margin, fx rate, target, remark or why — the
merchandiser's warnings name the rows left off and why, for the command's output only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.settings import Settings
from gendan_xl.model.trade_terms import Incoterm
from gendan_xl.model.values import display_text, party_key
from gendan_xl.quotes.rates import QuoteDefaults
from gendan_xl.reporting.company import Company
from gendan_xl.quotes.sent import NotShown, priced_as_sent, sent_revisions
from gendan_xl.rules.customers import customer_names, customer_row, customer_rows

SHOWN = ("quote_no", "revision", "quote_date", "valid_until", "style", "description", "qty")   # as the table has them
LINE_COLUMNS = (*SHOWN, "price", "currency", "term", "port", "price_text")
_LISTED = 30   # known customers an unknown name's error lists


@dataclass
class Quotation:
    """The quotation of one customer as of a date: its lines (``LINE_COLUMNS``, dates as Timestamps),
    the customer's quotes left off, and warnings for the merchandiser."""

    company: Company
    customer: str
    legal_name: str
    payment_terms: str | None
    as_of: dt.date
    lines: pd.DataFrame
    commission: bool = False     # some price is quoted with commission (CIFC3)
    not_shown: list[NotShown] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def build(quotes: pd.DataFrame, customers: pd.DataFrame, fx: pd.DataFrame, settings: Settings, customer: str,
          as_of: dt.date, quote: str | None = None, revision: int | None = None) -> Quotation:
    """The quotation of ``customer`` (typed: a name or an alias) from the typed 报价 Quotations,
    客户 Customers and 汇率 FX Rates frames; ``quote`` / ``revision`` name one quote / revision."""
    mine, name, legal, terms = _customer(customers, quotes["customer"], customer)
    ours = quotes[mine]
    sent = sent_revisions(ours, name, as_of, quote, revision)
    rows = ours.loc[sent.rows]
    defaults = QuoteDefaults.from_settings(settings)
    priced = priced_as_sent(rows, fx, as_of, defaults)
    price = priced.customer_prices(defaults.quote_decimals)
    labels = {r: f"{display_text(rows.at[r, 'quote_no'])} / {_whole(rows.at[r, 'revision'])}" for r in rows.index}
    warnings = [] if settings.company_name else [
        "设置中没有我司名称 (company_name)，报价单抬头无公司名 the Settings have no company_name: the quotation "
        "names no company atop"]
    warnings += [f"{labels[r]} 已过期仍列入 shown although expired (named): 有效期至 valid until "
                 f"{pd.Timestamp(rows.at[r, 'valid_until']).date()}" for r in sent.expired]
    left = price.index[price.isna()]
    warnings += [f"{labels[r]} 未列入报价单 left off the quotation: {priced.values.at[r, 'why']}" for r in left]
    if len(left) == len(rows):
        raise GendanError(f"客户 {name} 的报价无法定价 no quote of {name} to show can be priced", value=quote,
                          expected="; ".join(warnings[-len(left):]), code=ErrorCode.NO_QUOTE)
    shown = rows.drop(index=left)
    lines = _lines(shown, priced.inputs, price, defaults.quote_decimals)
    commission = bool((priced.inputs.loc[shown.index, "commission_rate"] > 0).any())
    return Quotation(Company.from_settings(settings), name, legal, terms, as_of, lines, commission, sent.not_shown,
                     warnings)


def _lines(rows: pd.DataFrame, inputs: pd.DataFrame, price: pd.Series, decimals: int) -> pd.DataFrame:
    lines = rows.reindex(columns=list(SHOWN)).copy()
    lines["price"] = price[rows.index]
    lines["currency"] = inputs.loc[rows.index, "currency"]
    lines["term"] = [Incoterm(code).quoted(rate) for code, rate in
                     zip(inputs.loc[rows.index, "incoterm"], inputs.loc[rows.index, "commission_rate"], strict=True)]
    lines["port"] = rows["port"].map(display_text)
    lines["price_text"] = [" ".join(part for part in (cur, f"{p:,.{decimals}f}", term, port) if part)
                           for cur, p, term, port in zip(lines["currency"], lines["price"], lines["term"],
                                                         lines["port"], strict=True)]
    return lines.reset_index(drop=True)[list(LINE_COLUMNS)]


def _customer(customers: pd.DataFrame, on_quotes: pd.Series, typed: str) -> tuple[pd.Series, str, str, str | None]:
    """The quotes of the customer ``typed`` names, its name, legal name (its name when blank) and
    payment terms. A Customers row's quotes are those whose customer is its name or an alias; a name
    no row has names the quotes written so. GendanError when ``typed`` names no one we know."""
    row = customer_row(customers, typed)
    rows = customer_rows(customers, on_quotes)
    if row is not None:
        name = customer_names(customers.at[row, "name"], customers.at[row, "aliases"])[0]
        legal = display_text(customers.at[row, "legal_name"]) or name
        return (rows == row).astype(bool), name, legal, display_text(customers.at[row, "payment_terms"])
    key = party_key(typed)
    mine = (rows.isna() & (on_quotes.map(party_key) == key) & (key != "")).astype(bool)
    if not mine.any() and not len(on_quotes):
        raise GendanError("主工作簿没有报价 the master has no quotes in 报价 Quotations", value=typed,
                          expected="quotes typed in or loaded (gendan load --table quotations)", code=ErrorCode.NO_QUOTE)
    if not mine.any():
        known = _known(customers, on_quotes[rows.isna()])
        raise GendanError("找不到客户 no customer of ours is called this", value=typed,
                          expected=(f"one of the customers of 客户 Customers or 报价 Quotations: {known}" if known
                                    else "a customer of 客户 Customers or 报价 Quotations (the master has none)"),
                          code=ErrorCode.UNKNOWN_PARTY)
    name = on_quotes[mine].astype(str).str.strip().mode().iloc[0]
    return mine, name, name, None


def _known(customers: pd.DataFrame, elsewhere: pd.Series) -> str:
    """The customers' names (Customers rows, then names only quotes have), one per party key, listed."""
    names = [n[0] for n in (customer_names(a, b) for a, b in zip(customers["name"], customers["aliases"],
                                                                 strict=True)) if n]
    names += [str(n).strip() for n in elsewhere if party_key(n)]
    unique = sorted({party_key(n): n for n in reversed(names)}.values(), key=str.casefold)
    more = len(unique) - _LISTED
    return ", ".join(unique[:_LISTED]) + (f" … (+{more})" if more > 0 else "")


def _whole(value) -> str:
    return display_text(value) or "?"
