"""Lay out an allocation proposal (rules/allocation.py) as the printable 分配 Allocation sheet: a title
naming the style, colour, N and rule, one row per line in the order it is served (allocated, short,
fill %), and the totals."""

from __future__ import annotations

import datetime as dt

from gendan_xl.model.schema import ALLOCATION, DATE, INT
from gendan_xl.model.statuses import Allocation
from gendan_xl.rules.allocation import Proposal
from gendan_xl.sheets.cells import plain_column
from gendan_xl.sheets.layout import fit, print_setup
from gendan_xl.sheets.sheet_render import SheetSpec

ALLOCATION_SHEET = ALLOCATION.sheet
HEADER_ROW = 4
_STYLES = {DATE: "date", INT: "int"}
_CAPS = {3: 24}
RULES = {False: "按等级、交期、PO 顺序 in order: tier, due date, PO, line",
         True: "等级内按未出数量比例 (最大余数法) fair: shares in proportion to open qty within a tier "
               "(largest remainder)"}
QTY_FROM = {True: "指定 given", False: "已生产未出货 produced, not yet shipped"}
TOTAL = "合计 Total"


def allocation_sheet(proposal: Proposal, as_of: dt.date) -> SheetSpec:
    """The sheet: title, what was shared and by which rule, the header (repeated on every printed page),
    the lines, then the totals."""
    spec = SheetSpec(ALLOCATION_SHEET, header=ALLOCATION_SHEET, header_right=as_of.isoformat(),
                     freeze_row=HEADER_ROW, tab_color="FF548235")
    colour = f" · {ALLOCATION.header('color')} {proposal.color}" if proposal.color else ""
    spec.put(1, 1, f"{ALLOCATION_SHEET} — {proposal.style}{colour} · N = {proposal.qty:,}", "title")
    spec.put(2, 1, f"N: {QTY_FROM[proposal.qty_given]} · 规则 Rule: {RULES[proposal.fair]}", "note")
    spec.put(3, 1, f"截至 As of {as_of.isoformat()} · 建议，订单未改动 a proposal: no order line was changed", "note")
    spec.row(HEADER_ROW, [f.header for f in ALLOCATION.fields], "header")
    lines = proposal.lines
    for col, f in enumerate(ALLOCATION.fields, start=1):
        values = plain_column(lines[f.name])
        if f.name == "allocation":
            values = [Allocation(v).label if v else None for v in values]
        style = f.style or _STYLES.get(f.kind, "text")
        for row, value in enumerate(values, start=HEADER_ROW + 1):
            spec.put(row, col, value, style)
    row = HEADER_ROW + len(lines) + 1
    totals = proposal.totals
    spec.put(row, 1, TOTAL, "total_text")
    for col, f in enumerate(ALLOCATION.fields, start=1):
        if f.name in totals:
            spec.put(row, col, totals[f.name], "total_percent" if f.name == "fill" else "total_int")
        elif col > 1:
            spec.put(row, col, None, "total_text")
    if totals["unallocated"]:
        spec.put(row + 2, 1, f"未分配 Not allocated: {totals['unallocated']:,} (N 超过可分配数量 N beyond what the "
                             "lines can take)", "note")
    fit(spec, caps=_CAPS)
    print_setup(spec, title_rows=(HEADER_ROW, HEADER_ROW))
    return spec
