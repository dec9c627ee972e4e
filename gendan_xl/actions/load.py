"""gendan load: order lines from an ERP or hand-made export into the Orders table, then refresh."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.importers.extract import extract_table
from gendan_xl.importers.references import resolve_references
from gendan_xl.rules.loading import load_rows
from gendan_xl.model.issues import Reason, reason_counts
from gendan_xl.rules.plausible_dates import implausible_dates
from gendan_xl.actions.common import append_log, issue_rows, now, path_text, writes_master
from gendan_xl.actions.context import run_context
from gendan_xl.actions.date_orders import check_given
from gendan_xl.actions.long_text import cut_long_text
from gendan_xl.actions.refresh import refresh
from gendan_xl.actions.results import LoadResult


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
                      backup=path_text(backup), refresh=refreshed)
