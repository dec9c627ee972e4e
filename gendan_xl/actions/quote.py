"""gendan quote: price every row of 报价 Quotations (quotes/pricing.py) and write its computed columns.

The computed columns are stored to 4 decimals (``Priced.stored``): enough to check a price by hand to a
hundredth of a fen, and the same figures whatever the float arithmetic's last bits; the customer sees
the unrounded price rounded half up to the Settings' ``quote_decimals``.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.issues import Issue, reason_counts
from gendan_xl.model.trade_terms import QuoteStatus
from gendan_xl.model.values import display_text
from gendan_xl.quotes.fx import todays_rates
from gendan_xl.quotes.pricing import COMPUTED, Priced, price_quotes
from gendan_xl.quotes.problems import QuoteProblem
from gendan_xl.quotes.rate_moved import rate_moved
from gendan_xl.quotes.rates import QuoteDefaults
from gendan_xl.store.table_frame import TableFrame
from gendan_xl.actions.added_tables import ensure_table
from gendan_xl.actions.common import append_log, issue_rows, path_text, writes_master
from gendan_xl.actions.context import run_context
from gendan_xl.actions.results import QuotedRow, QuoteResult

MOVED_DECIMALS = 4   # the rate-moved figures in --json


@writes_master("quote")
def quote(target, *, as_of: dt.date | None = None) -> QuoteResult:
    """Price every quote revision at the as-of date's exchange rates (a blank fx_rate takes its
    currency's latest 汇率 FX Rates row on or before it; blank rates the Settings' defaults), write
    the computed columns and ``why``, list each unpriced cell (and unusable FX row) in Import Issues
    once, and save once. An older master gets the Quotations and FX Rates tables first."""
    run = run_context(target, as_of)
    wb, as_of = run.wb, run.as_of
    added = [spec.key for spec in (schema.QUOTATIONS, schema.FX_RATES) if ensure_table(wb, spec)]
    defaults = QuoteDefaults.from_settings(run.settings)
    quotes, fx = wb.read(schema.QUOTATIONS), wb.read(schema.FX_RATES)
    today = todays_rates(fx.frame, as_of)
    priced = price_quotes(quotes.frame, today.rates, defaults)
    stored = priced.stored()
    wb.write(quotes, stored, [*COMPUTED, "why"])
    issues = [*_placed(wb.path.name, quotes, priced.problems), *_placed(wb.path.name, fx, today.problems)]
    append_log(wb, [], issues, as_of)
    moved = rate_moved(quotes.frame, priced, today.rates, as_of, defaults.fx_alert_points)
    backup = wb.save()
    rows = _rows(quotes.frame, priced, stored, defaults.quote_decimals)
    not_priced = sum(r.price is None for r in rows)
    return QuoteResult(workbook=str(wb.path), as_of=as_of.isoformat(), tables_added=added,
                       priced=len(rows) - not_priced, not_priced=not_priced, quotes=rows,
                       rate_moved=_moved_rows(moved), issues=len(issues), issue_counts=reason_counts(issues),
                       **issue_rows(issues), backup=path_text(backup))


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


def _moved_rows(moved: pd.DataFrame) -> list[dict]:
    """The rate-moved rows, JSON-ready: numbers to ``MOVED_DECIMALS`` decimals, revision whole."""
    rows = []
    for record in moved.to_dict("records"):
        row = {k: (round(v, MOVED_DECIMALS) if isinstance(v, float) else v) for k, v in record.items()}
        row.update(quote_no=display_text(record["quote_no"]), revision=_whole(record["revision"]),
                   customer=display_text(record["customer"]), loses_money=bool(record["loses_money"]))
        rows.append(row)
    return rows


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
