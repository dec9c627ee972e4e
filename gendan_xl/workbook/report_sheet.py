"""Lay out the weekly report model as the 周报 Weekly Report sheet."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from .. import schema
from ..report import LIST_FIELDS, WeeklyReport
from .cells import plain_value
from .chart import BarChart
from .layout import fit, print_setup
from .sheet_render import SheetSpec
from .styles import FLAG_COLORS

REPORT_SHEET = "周报 Weekly Report"
_CAPS = {1: 36, 3: 24, 4: 16, 5: 24, 12: 48}   # widest a column grows before its text wraps
PREVIOUS = "上次 Previous"
_AS_OF = re.compile(r"As of (\d{4}-\d{2}-\d{2})")
_PARTY_COLUMNS = (
    ("party", "名称 Name", "text"), ("lines", "行数 Lines", "int"), ("open", "未完成 Open", "int"),
    ("late", "已延误 Late", "int"), ("will_be_late", "将延误 Will be late", "int"),
    ("at_risk", "有风险 At risk", "int"), ("shipped", "准时出货 Shipped on time", "int"),
    ("shipped_late", "延迟出货 Shipped late", "int"), ("on_time_rate", "准时率 On-time rate", "percent"),
    ("avg_open_slack", "平均余量 Avg open slack (WD)", "number"),
)


def report_sheet(report: WeeklyReport) -> SheetSpec:
    """The SheetSpec of the weekly report."""
    spec = SheetSpec(REPORT_SHEET, landscape=True, tab_color="FF305496",
                     header="周报 Weekly Report — gendan_xl")
    spec.put(1, 1, "跟单周报 Weekly Order Status Report", "title")
    spec.put(2, 1, f"截至 As of {report.as_of.isoformat()} · 共 {report.lines} 行 lines · "
                   f"未完成 open {report.open_lines}", "note")
    row = 4
    spec.put(row, 1, "预警汇总 Flags", "subtitle")
    row += 1
    header = ["预警 Flag", "行数 Lines", "占比 Share"]
    if report.previous:
        header += [f"{PREVIOUS} {report.previous[0].isoformat()}", "变化 Change"]
    spec.row(row, header, "header")
    for code, label in schema.FLAGS.items():
        row += 1
        n = report.counts[code]
        spec.put(row, 1, f"{code} {label}", f"flag_{code}")
        spec.put(row, 2, n, "int")
        spec.put(row, 3, n / report.lines if report.lines else None, "percent")
        if report.previous:
            before = report.previous[1].get(code)
            spec.put(row, 4, before, "int")
            spec.put(row, 5, None if before is None else n - before, "int")
    first_flag = row - len(schema.FLAGS) + 1
    spec.chart = _flag_chart(report, first_flag, row)
    row += 1
    spec.put(row, 1, "准时出货率 On-time delivery rate", "total_text")
    spec.put(row, 2, report.on_time_rate, "kpi_percent")
    row = max(row + 2, spec.chart.anchor[3] + 2)
    list_header, row = _exceptions(spec, row, report.exceptions, report.exception_total)
    row += 2
    row = _party_table(spec, row, "按供应商 By supplier", report.by_supplier)
    row += 2
    _party_table(spec, row, "按客户 By customer", report.by_customer)
    fit(spec, caps=_CAPS)
    print_setup(spec, title_rows=(list_header, list_header))
    return spec


def _flag_chart(report: WeeklyReport, first: int, last: int) -> BarChart:
    """Lines per flag as coloured bars, beside the flag table (rows ``first``..``last``)."""
    return BarChart(title="预警 Flags — 行数 lines", categories=f"$A${first}:$A${last}",
                    values=f"$B${first}:$B${last}", labels=[f"{c} {z}" for c, z in schema.FLAGS.items()],
                    numbers=[report.counts[c] for c in schema.FLAGS],
                    colors=[FLAG_COLORS[c][2:] for c in schema.FLAGS], anchor=(5, 3, 11, 21))


def _exceptions(spec: SheetSpec, row: int, lines: pd.DataFrame, total: int) -> tuple[int, int]:
    """The list of the most urgent lines; returns its header row and its last row."""
    spec.put(row, 1, f"延误与风险订单 Late, will-be-late and at-risk lines ({total})", "subtitle")
    if total > len(lines):
        spec.put(row + 1, 1, f"显示最紧急的 {len(lines)} 行；其余请在订单表按预警筛选 — showing the {len(lines)} "
                             f"most urgent; filter the Orders table by Flag for all {total}", "note")
        row += 1
    row += 1
    spec.row(row, [schema.ORDERS.field(f).header for f in LIST_FIELDS], "header")
    header = row
    if lines.empty:
        spec.put(row + 1, 1, "无 None", "note")
        return header, row + 1
    styles = [_style(f) for f in LIST_FIELDS]
    for record in lines.itertuples(index=False):
        row += 1
        for col, (name, value) in enumerate(zip(LIST_FIELDS, record), start=1):
            if name == "flag":
                spec.put(row, col, schema.flag_label(value), f"flag_{value}")
            else:
                spec.put(row, col, plain_value(value), styles[col - 1])
    return header, row


def _party_table(spec: SheetSpec, row: int, title: str, table: pd.DataFrame) -> int:
    spec.put(row, 1, title, "subtitle")
    row += 1
    spec.row(row, [label for _, label, _ in _PARTY_COLUMNS], "header")
    for record in table.itertuples(index=False):
        row += 1
        values = record._asdict()
        for col, (name, _, style) in enumerate(_PARTY_COLUMNS, start=1):
            spec.put(row, col, plain_value(values[name]), style)
    return row


def _style(field_name: str) -> str:
    kind = schema.ORDERS.field(field_name).kind
    return {schema.DATE: "date", schema.INT: "int", schema.NUMBER: "number"}.get(kind, "text")


def previous_counts(rows: list[list], as_of: dt.date) -> tuple[dt.date, dict[str, int]] | None:
    """The counts to compare with, from the report sheet as it was (``sheet_rows``): that report's
    own counts when it is older than ``as_of``, or, re-run on the same day, the ones it compared with."""
    found = next((_AS_OF.search(str(r[0])) for r in rows[:3] if r and _AS_OF.search(str(r[0]))), None)
    header_at = next((i for i, r in enumerate(rows) if r and r[0] == "预警 Flag"), None)
    if found is None or header_at is None:
        return None
    then = dt.date.fromisoformat(found.group(1))
    header = rows[header_at]
    block = rows[header_at + 1:header_at + 1 + len(schema.FLAGS)]
    if then < as_of:
        return then, _counts(block, 1)
    if then == as_of and len(header) > 3 and str(header[3]).startswith(PREVIOUS):
        return dt.date.fromisoformat(str(header[3]).split()[-1]), _counts(block, 3)
    return None


def _counts(block: list[list], col: int) -> dict[str, int]:
    out = {}
    for r in block:
        code = schema.flag_code(r[0]) if r else None
        if code and len(r) > col and isinstance(r[col], (int, float)):
            out[code] = int(r[col])
    return out
