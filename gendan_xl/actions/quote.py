"""gendan quote: price every row of 报价 Quotations (quotes/pricing.py) and write its computed columns.

The computed columns are stored to 4 decimals (``Priced.stored``): enough to check a price by hand to a
hundredth of a fen, and the same figures whatever the float arithmetic's last bits; the customer sees
the unrounded price rounded half up to the Settings' ``quote_decimals``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.issues import Issue, reason_counts
from gendan_xl.model.trade_terms import QuoteStatus
from gendan_xl.model.values import display_text
from gendan_xl.quotes.erosion import margin_erosion
from gendan_xl.quotes.fx import quote_rates, todays_rates
from gendan_xl.quotes.pricing import COMPUTED, Priced, price_quotes
from gendan_xl.quotes.problems import QuoteProblem
from gendan_xl.quotes.rate_moved import rate_moved
from gendan_xl.quotes.rates import QuoteDefaults
from gendan_xl.quotes.trail import price_trail
from gendan_xl.quotes.watch import QuoteWatch, json_value
from gendan_xl.rules.customers import customer_keys
from gendan_xl.rules.slack import evaluate
from gendan_xl.sheets.quote_history_sheet import quote_history_sheet
from gendan_xl.store.table_frame import TableFrame
from gendan_xl.actions.added_tables import ensure_table
from gendan_xl.actions.common import append_log, issue_rows, path_text, writes_master
from gendan_xl.actions.context import RunContext, run_context
from gendan_xl.actions.results import QuotedRow, QuoteResult

@dataclass(frozen=True)
class QuoteBook:
    """The master's quotes priced at a run's as-of date: the defaults used, the table, the prices,
    the problems as Import Issues rows, the price trail, and what the weekly report says of them."""

    defaults: QuoteDefaults
    quotes: TableFrame
    priced: Priced
    stored: pd.DataFrame
    issues: list[Issue]
    trail: pd.DataFrame
    watch: QuoteWatch


def price_book(run: RunContext, lines: pd.DataFrame) -> QuoteBook:
    """Price every quote revision of the master — a blank fx_rate takes its currency's FX Rates rate
    on the quote date once sent, else on the as-of date; blank rates the Settings' defaults — and
    write the computed columns, ``why``, the 报价历史 Quote history sheet and each unpriced cell (and
    unusable FX row) in Import Issues once. ``lines``: the evaluated order lines (``flag`` a code)
    for the margin-erosion check. Nothing is saved."""
    wb, as_of = run.wb, run.as_of
    defaults = QuoteDefaults.from_settings(run.settings)
    quotes, fx = wb.read(schema.QUOTATIONS), wb.read(schema.FX_RATES)
    rates, today = quote_rates(fx.frame, quotes.frame, as_of), todays_rates(fx.frame, as_of)
    priced = price_quotes(quotes.frame, rates, defaults)
    stored = priced.stored()
    wb.write(quotes, stored, [*COMPUTED, "why"])
    issues = [*_placed(wb.path.name, quotes, priced.problems), *_placed(wb.path.name, fx, today.problems)]
    append_log(wb, [], issues, as_of)
    trail = price_trail(quotes.frame, priced, defaults.quote_decimals)
    wb.replace_sheet(quote_history_sheet(trail, as_of))
    customers = wb.read(schema.CUSTOMERS).frame if wb.has_table(schema.CUSTOMERS) else None
    erosion = margin_erosion(quotes.frame, priced, customer_keys(customers, quotes.frame["customer"]), lines,
                             customer_keys(customers, lines["customer"]), defaults.quote_decimals)
    not_priced = int(priced.values["price"].isna().sum())
    watch = QuoteWatch(len(quotes.frame) - not_priced, not_priced, defaults.fx_alert_points, today.rates,
                       rate_moved(quotes.frame, priced, today.rates, as_of, defaults.fx_alert_points), erosion)
    return QuoteBook(defaults, quotes, priced, stored, issues, trail, watch)


@writes_master("quote")
def quote(target, *, as_of: dt.date | None = None) -> QuoteResult:
    """Price every quote revision (``price_book``), list the open quotes the rate has moved, the open
    order lines eroding a confirmed quote's margin and each quote's price trail, and save once. An
    older master gets the Quotations and FX Rates tables first."""
    run = run_context(target, as_of)
    wb = run.wb
    added = [spec.key for spec in (schema.QUOTATIONS, schema.FX_RATES) if ensure_table(wb, spec)]
    orders = run.orders.frame   # erosion asks only which lines are open: the flags, without risk or T&A
    lines = orders.assign(flag=evaluate(orders, run.countries, run.book, run.as_of, run.settings)["flag"])
    book = price_book(run, lines)
    backup = wb.save()
    rows = _rows(book.quotes.frame, book.priced, book.stored, book.defaults.quote_decimals)
    summary = book.watch.summary()
    return QuoteResult(workbook=str(wb.path), as_of=run.as_of.isoformat(), tables_added=added,
                       priced=book.watch.priced, not_priced=book.watch.not_priced, quotes=rows,
                       rate_moved=summary["rate_moved"], margin_erosion=summary["margin_erosion"],
                       trail=trail_json(book.trail), issues=len(book.issues),
                       issue_counts=reason_counts(book.issues), **issue_rows(book.issues), backup=path_text(backup))


def trail_json(trail: pd.DataFrame) -> list[dict]:
    """The price trail per quote number: its revisions (revision, quote_date, price, change, status)."""
    out: dict[str, dict] = {}
    for record in trail.to_dict("records"):
        entry = out.setdefault(record["quote_no"], {"quote_no": record["quote_no"], "customer": record["customer"],
                                                    "style": record["style"], "revisions": []})
        entry["revisions"].append({name: json_value(name, record[name]) for name in
                                   ("revision", "quote_date", "currency", "terms", "price", "change", "status")})
    return list(out.values())


def _placed(file: str, table: TableFrame, found: list[QuoteProblem]) -> list[Issue]:
    """The problems as Import Issues rows (by row): the master's file, the table's sheet, the Excel
    row, the header."""
    return [p.issue(file, table.sheet, int(p.row), table.spec.header(p.column))
            for p in sorted(found, key=lambda p: int(p.row))]


def _rows(frame: pd.DataFrame, priced: Priced, stored: pd.DataFrame, decimals: int) -> list[QuotedRow]:
    customer = priced.customer_prices(decimals)
    inputs = priced.inputs
    return [QuotedRow(quote_no=display_text(frame.at[row, "quote_no"]), revision=_whole(frame.at[row, "revision"]),
                      status=_code(QuoteStatus.read(frame.at[row, "status"])),
                      currency=inputs.at[row, "currency"], incoterm=inputs.at[row, "incoterm"],
                      price=_number(stored.at[row, "price"]), customer_price=_number(customer[row]),
                      profit_loss_rate=_number(stored.at[row, "profit_loss_rate"]), why=stored.at[row, "why"])
            for row in frame.index]


def _code(status) -> str | None:
    return None if status is None else status.value


def _whole(value) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if math.isfinite(number) and number == int(number) else None


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)

