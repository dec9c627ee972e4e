"""gendan report --customer: one customer's order status as a new .xlsx or .pdf. Reads the master,
never writes it (no write lock: a reader cannot lose anyone's update)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from gendan_xl.model import schema
from gendan_xl.reporting.customer_report import build, customer_lines
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.file_names import safe_stem
from gendan_xl.model.values import display_text
from gendan_xl.rules.customers import customer_row, same_customer
from gendan_xl.rules.parties import check_party
from gendan_xl.rules.slack import evaluate
from gendan_xl.ooxml.package import Package
from gendan_xl.actions.common import check_output_place
from gendan_xl.actions.context import run_context
from gendan_xl.actions.results import CustomerReportResult

SUFFIXES = (".xlsx", ".pdf")


def customer_report(target, *, customer: str, out=None, as_of: dt.date | None = None) -> CustomerReportResult:
    """Write the report of ``customer`` to ``out`` (.xlsx, or .pdf through LibreOffice; default
    ``客户报告_<customer>_<as-of>.xlsx`` beside the master) and return its summary."""
    # openpyxl is needed only here: imported late to keep the other commands quick to start.
    from gendan_xl.outputs.customer_file import write_customer_file

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
    path = output_path(Path(out) if out else None, Path(wb.path), report.customer, as_of)
    if path.suffix.lower() == ".pdf":
        from gendan_xl.outputs.pdf import to_pdf
        with tempfile.TemporaryDirectory(prefix="gendan-report-") as folder:
            sheet = Path(folder) / "report.xlsx"
            write_customer_file(sheet, report)
            to_pdf(sheet, path)
    else:
        write_customer_file(path, report)
    spellings = sorted(set(mine["customer"].astype(str).str.strip()))
    notes = [f"这些写法视为同一客户 these spellings were taken as one customer: {' | '.join(spellings)}"
             ] if len(spellings) > 1 else []
    return CustomerReportResult(workbook=str(wb.path), file=str(path), **report.summary(), notes=notes)


def output_path(out: Path | None, master: Path, customer: str, as_of: dt.date) -> Path:
    """The file to write: ``out``, else ``客户报告_<customer>_<as-of>.xlsx`` beside the master. Refused:
    another suffix than .xlsx or .pdf, a folder, a missing folder, the master itself, and an
    existing workbook that is not an earlier customer report."""
    if out is None:
        if not master.is_file():   # a new book Excel never saved, or one opened from the cloud
            raise GendanError("工作簿没有本地文件夹（尚未保存或在云端），请先保存到文件夹 the workbook has no local folder "
                              "(never saved, or in the cloud): save it to a folder first, the report is written "
                              "beside it", file=master, code=ErrorCode.FILE_NOT_FOUND)
        out = master.parent / f"客户报告_{safe_stem(customer)}_{as_of.isoformat()}.xlsx"
    expected = "a file name ending in .xlsx or .pdf"
    if out.suffix.lower() not in SUFFIXES:
        raise GendanError("客户报告只能写成 .xlsx 或 .pdf the customer report is written as .xlsx or .pdf", file=out,
                          expected=expected, code=ErrorCode.WRONG_FILE_TYPE)
    check_output_place(out, master, expected,
                       "客户报告不能写在主工作簿上 the report cannot be written over the master workbook")
    if out.suffix.lower() == ".xlsx" and out.exists() and not _is_customer_report(out):
        raise GendanError("文件已存在且不是客户报告，不会被覆盖 the file exists and is not a customer report, so it "
                          "is not overwritten", file=out, expected="a new file name, or an earlier customer report",
                          code=ErrorCode.OUTPUT_EXISTS)
    return out


def _is_customer_report(path: Path) -> bool:
    """True when ``path`` is a workbook holding only the customer report sheet (one we wrote)."""
    from gendan_xl.outputs.customer_file import SHEET
    try:
        return [s.name for s in Package(path).sheets] == [SHEET]
    except GendanError:
        return False
