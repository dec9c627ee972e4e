"""gendan load: order lines from an ERP or hand-made export into the Orders table, then refresh; or
(``--table``) any keyed table's rows (customers, quotations, FX rates, samples) into that table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.importers.extract import extract_table
from gendan_xl.importers.references import resolve_references
from gendan_xl.rules.loading import load_rows
from gendan_xl.rules.table_loading import upsert_rows
from gendan_xl.model.issues import Reason, reason_counts
from gendan_xl.rules.plausible_dates import implausible_dates
from gendan_xl.quotes.revisions import frozen_changes
from gendan_xl.samples.loading import refused_rows
from gendan_xl.actions.added_tables import ensure_table
from gendan_xl.actions.common import append_log, issue_rows, now, path_text, writes_master
from gendan_xl.actions.context import run_context
from gendan_xl.actions.date_orders import check_given
from gendan_xl.actions.long_text import cut_long_text
from gendan_xl.actions.refresh import refresh
from gendan_xl.actions.results import LoadResult, TableLoadResult


@writes_master("load")
def load_orders(target, file, *, mapping: dict[str, str] | None = None, sheet=None,
                as_of: dt.date | None = None, dayfirst: bool | None = None,
                far_date: bool = False) -> LoadResult:
    """Upsert the file's lines by PO + line (changes logged, unusable rows listed), refresh, save once.

    ``dayfirst`` gives the day/month order of the file's dates, else its own dates decide, else each
    date the order decides is an ``ambiguous_date`` issue (``date_order.py``: an export has no
    supplier to remember it for); a date implausible for its row's order and due dates is not loaded.
    A day and month without a year (12月5日) is dated in the year nearest the run's as-of date.
    """
    run = run_context(target, as_of)
    wb, as_of = run.wb, run.as_of
    extracted, _ = resolve_references(extract_table(Path(file), schema.ORDERS, mapping=mapping, sheet=sheet,
                                                    reference_date=as_of, dayfirst=dayfirst))
    date_order = check_given(extracted, dayfirst)
    extracted, cut = cut_long_text(extracted)
    frame = extracted.frame
    incoming, implausible = implausible_dates(
        frame, frame.reindex(columns=["order_date", "due_date"]).set_axis(pd.RangeIndex(len(frame))),
        file=Path(file).name, headers=extracted.mapping)
    orders = run.orders
    result = load_rows(orders.frame, incoming, file=Path(file).name, timestamp=now())
    found = [i for i in extracted.issue_list() if i.reason is not Reason.BLANK_KEY]  # load says it better
    issues = found + cut + implausible + result.issues
    wb.write(orders, orders.frame, [], appended=result.appended)   # first: no room below stops before any write
    wb.write(orders, result.orders, result.fields)
    append_log(wb, result.changes, issues, as_of)
    refreshed = refresh(wb, as_of=as_of, save=False, far_date=far_date)
    backup = wb.save()
    return LoadResult(workbook=str(wb.path), file=str(file), sheet=extracted.sheet, rows_read=len(extracted.frame),
                      added=len(result.appended), date_order=date_order,
                      updated_lines=len({c["order_key"] for c in result.changes}), changed_values=len(result.changes),
                      issues=len(issues), issue_counts=reason_counts(issues), **issue_rows(issues),
                      backup=path_text(backup), refresh=refreshed, stated=extracted.stated)


def loadable_table(name: str) -> schema.Table:
    """The table ``--table`` names: its key (``customers``), its sheet name or either half of it
    (``客户``, ``Customers``), in any case; GendanError naming the tables rows load into."""
    wanted = name.strip().casefold()
    for key, spec in schema.LOADABLE_TABLES.items():
        if wanted in {key, spec.sheet.casefold(), *spec.sheet.casefold().split(" ", 1)}:
            return spec
    raise GendanError("--table 未知表格 no table of gendan's loads rows by that name", value=name,
                      expected="one of " + ", ".join(f"{key} ({spec.sheet})"
                                                     for key, spec in schema.LOADABLE_TABLES.items()),
                      code=ErrorCode.BAD_OPTION)


@writes_master("load")
def load_table(target, file, table: schema.Table, *, mapping: dict[str, str] | None = None, sheet=None,
               as_of: dt.date | None = None, dayfirst: bool | None = None) -> TableLoadResult:
    """Upsert the file's rows into ``table`` (not Orders: ``load_orders``) by its ``row_key`` (changes
    logged with the table and the row's key, unusable rows listed), then save once; no refresh (the
    table does not feed the flags). An older master gets the table first (``ensure_table``). The
    file's dates are read as ``load_orders`` reads them. A Quotations row changing a SENT or
    CONFIRMED revision is an issue row, not loaded (``quotes/revisions.py``); so is a Samples row the
    register cannot apply (``samples/loading.py``)."""
    run = run_context(target, as_of)
    wb, as_of = run.wb, run.as_of
    added = ensure_table(wb, table)
    extracted, _ = resolve_references(extract_table(Path(file), table, mapping=mapping, sheet=sheet,
                                                    reference_date=as_of, dayfirst=dayfirst, key=table.row_key[0]),
                                      key=table.row_key[-1])
    date_order = check_given(extracted, dayfirst)
    extracted, cut = cut_long_text(extracted)
    current = wb.read(table)
    incoming, frozen = (frozen_changes(current.frame, extracted.frame, file=Path(file).name)
                        if table is schema.QUOTATIONS else (extracted.frame, []))
    incoming, refused = (refused_rows(current.frame, incoming, run.orders.frame, file=Path(file).name)
                         if table is schema.SAMPLES else (incoming, []))
    result = upsert_rows(table, current.frame, incoming, file=Path(file).name, timestamp=now())
    found = [i for i in extracted.issue_list() if i.reason is not Reason.BLANK_KEY]  # the upsert says it better
    issues = found + cut + frozen + refused + result.issues
    wb.write(current, current.frame, [], appended=result.appended)   # first: no room below stops before any write
    wb.write(current, result.rows, result.fields)
    append_log(wb, result.changes, issues, as_of)
    backup = wb.save()
    return TableLoadResult(workbook=str(wb.path), table=table.key, table_added=added, file=str(file),
                           sheet=extracted.sheet, rows_read=len(extracted.frame), added=len(result.appended),
                           date_order=date_order, updated_rows=len({c["order_key"] for c in result.changes}),
                           changed_values=len(result.changes), issues=len(issues),
                           issue_counts=reason_counts(issues), **issue_rows(issues), backup=path_text(backup))
