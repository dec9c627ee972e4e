"""The 客户报告 Customer report file: a new small xlsx with one sheet, never the master.

Rows 1-3: title with the customer, the as-of date and the shipped window, the lines per status;
row 5 the header (repeated on every printed page); then the open lines and the recently shipped
lines, each under its own heading row; a note on what the date column shows. Laid out by layout.py
(widths from content, wrapped rows tall enough, landscape when wide, fit to width, page X of Y) and
rendered by sheet_render.py in the palette of the other sheets, written by handout_file.py (neutral
document properties).
"""

from __future__ import annotations

from pathlib import Path

from gendan_xl.model import schema
from gendan_xl.reporting.customer_report import SHOWN, CustomerReport
from gendan_xl.model.flags import Flag
from gendan_xl.model.statuses import CustomerStatus
from gendan_xl.model.values import display_text, is_missing
from gendan_xl.outputs.handout_file import Handout, write_handout
from gendan_xl.sheets.layout import fit, print_setup
from gendan_xl.sheets.sheet_render import SheetSpec

SHEET = "客户报告 Customer report"
REPORT = Handout("客户报告", "customer report", SHEET)
HEADER_ROW = 5
TO_CONFIRM = "待确认 To be confirmed"
# (line column, header, style): the Orders fields shown, the date shown and the status.
_STYLES = {schema.INT: "int", schema.DATE: "date"}
COLUMNS = (
    *((name, schema.ORDERS.header(name), _STYLES.get(schema.ORDERS.field(name).kind, "text")) for name in SHOWN),
    ("date", "出货/预计日期 Ship / expected date", "date"),
    ("status", schema.ORDERS.header("status"), "text"),
)
_CAPS = {3: 30, 4: 30, 5: 24}   # style, description, colour wrap past these widths
# The same palette as the flags of the other sheets.
_STATUS_STYLE = {CustomerStatus.SHIPPED: f"flag_{Flag.SHIPPED}", CustomerStatus.ON_SCHEDULE: f"flag_{Flag.ON_TRACK}",
                 CustomerStatus.EXPECTED_LATE: f"flag_{Flag.WILL_BE_LATE}", CustomerStatus.OVERDUE: f"flag_{Flag.LATE}",
                 CustomerStatus.TO_CONFIRM: f"flag_{Flag.NO_DATE}"}
DATE_NOTE = ("出货/预计日期：已出货为出货日期，按期为交期，预计延迟或已逾期为预计日期。 Ship / expected date: the ship "
             "date of shipped lines, the due date of lines on schedule, the expected date of late lines.")


def title(report: CustomerReport) -> str:
    return f"订单状态报告 Order status report — {report.addressed_to}"


def customer_sheet(report: CustomerReport) -> SheetSpec:
    """The report sheet: title block, header, the open and the shipped lines, laid out for print."""
    spec = SheetSpec(SHEET, header=title(report), header_right=report.as_of.isoformat(), freeze_row=HEADER_ROW)
    spec.put(1, 1, title(report), "title")
    spec.put(2, 1, f"截至 As of {report.as_of.isoformat()} · 未出货 open lines {len(report.open)} · "
                   f"近 {report.shipped_days} 天已出货 shipped in the last {report.shipped_days} days "
                   f"({_window(report)}): {len(report.shipped)}", "note")
    spec.put(3, 1, " · ".join(f"{CustomerStatus(code).words} {n:,}" for code, n in report.counts.items()) or
             "无订单行 No order lines", "note")
    spec.row(HEADER_ROW, [header for _, header, _ in COLUMNS], "header")
    row = HEADER_ROW + 1
    for heading, lines in ((f"未出货 Open lines ({len(report.open):,})", report.open),
                           (f"近 {report.shipped_days} 天已出货 Shipped in the last {report.shipped_days} days, "
                            f"{_window(report)} ({len(report.shipped):,})", report.shipped)):
        spec.put(row, 1, heading, "subtitle")
        row += 1
        if lines.empty:
            spec.put(row, 1, "无 None", "note")
            row += 1
        for rec in lines.itertuples(index=False):
            _line(spec, row, rec)
            row += 1
    spec.put(row + 1, 1, DATE_NOTE, "note")
    fit(spec, caps=_CAPS)
    print_setup(spec, title_rows=(HEADER_ROW, HEADER_ROW))
    return spec


def _line(spec: SheetSpec, row: int, rec) -> None:
    for col, (name, _, style) in enumerate(COLUMNS, start=1):
        value = getattr(rec, name)
        if name == "status":
            spec.put(row, col, CustomerStatus(value).words, _STATUS_STYLE[value])
        elif style == "date":
            spec.put(row, col, value.date() if not is_missing(value) else (TO_CONFIRM if name == "date" else None),
                     style if not is_missing(value) else "text")
        elif style == "int":
            spec.put(row, col, None if is_missing(value) else value, style)
        else:
            spec.put(row, col, display_text(value), style)


def _window(report: CustomerReport) -> str:
    return f"{report.shipped_from.isoformat()} – {report.as_of.isoformat()}"


def write_customer_file(path: Path, report: CustomerReport) -> None:
    """Write the report at ``path`` (a new file replacing any earlier one atomically)."""
    write_handout(path, customer_sheet(report), f"{title(report)} · {report.as_of.isoformat()}", report.as_of)
