"""gendan report --customer: one customer's order status as a new .xlsx or .pdf. Reads the master,
never writes it (no write lock: a reader cannot lose anyone's update)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gendan_xl.model import schema
from gendan_xl.reporting.customer_report import build, customer_lines
from gendan_xl.model.values import display_text
from gendan_xl.rules.customers import customer_row, same_customer
from gendan_xl.rules.parties import check_party
from gendan_xl.rules.slack import evaluate
from gendan_xl.actions.context import run_context
from gendan_xl.outputs.customer_file import REPORT, write_customer_file
from gendan_xl.actions.handout import output_path, write_xlsx_or_pdf
from gendan_xl.actions.results import CustomerReportResult


def customer_report(target, *, customer: str, out=None, as_of: dt.date | None = None) -> CustomerReportResult:
    """Write the report of ``customer`` to ``out`` (.xlsx, or .pdf through LibreOffice; default
    ``客户报告_<customer>_<as-of>.xlsx`` beside the master) and return its summary."""
    run = run_context(target, as_of)
    wb, orders, settings, as_of = run.wb, run.orders.frame, run.settings, run.as_of
    customers = wb.read(schema.CUSTOMERS).frame if wb.has_table(schema.CUSTOMERS) else None
    listed = same_customer(customers, orders["customer"], customer)
    legal = None
    if listed is None:   # not in 客户 Customers: the lines that write its name, shown as they write it
        check_party(orders, wb.read(schema.SUPPLIERS).frame, customer, side="customer")
    else:                # its lines by name or alias, shown by its name, addressed to its legal name
        row = customers.loc[customer_row(customers, customer)]
        legal, customer = display_text(row["legal_name"]), display_text(row["name"]) or customer
    mine = orders[customer_lines(orders, customer) if listed is None else listed]
    book, countries = run.calendars_of(mine)   # the calendars of the customer's lines only
    report = build(mine, evaluate(mine, countries, book, as_of, settings, detail=True), customer, as_of,
                   settings.report_shipped_days, lines_of=None if listed is None else listed[mine.index],
                   legal_name=legal)
    path = output_path(Path(out) if out else None, Path(wb.path), REPORT, report.customer, as_of)
    write_xlsx_or_pdf(path, lambda file: write_customer_file(file, report), report.as_of)
    spellings = sorted(set(mine["customer"].astype(str).str.strip()))
    notes = [f"这些写法视为同一客户 these spellings were taken as one customer: {' | '.join(spellings)}"
             ] if len(spellings) > 1 else []
    return CustomerReportResult(workbook=str(wb.path), file=str(path), **report.summary(), notes=notes)

