"""Lay out a backtest as the 回测 Backtest sheet: the per-origin table and a calibration chart."""

from __future__ import annotations

import pandas as pd

from .chart import LineChart, Series
from .layout import fit, print_setup
from .sheet_render import SheetSpec

BACKTEST_SHEET = "回测 Backtest"
_COLUMNS = (
    ("origin", "起点 Origin", "text"), ("lines", "行数 Lines", "int"), ("late", "延误行 Late lines", "int"),
    ("late_share", "延误占比 Late share", "percent"), ("auc", "AUC", "number"),
    ("baseline_auc", "基准 AUC Baseline AUC", "number"), ("brier", "Brier", "number"),
    ("base_brier", "基准 Brier Base-rate Brier", "number"), ("precision", "精确率 Precision", "percent"),
    ("recall", "召回率 Recall", "percent"), ("top10_late_share", "最高风险 10% 中延误 Late in riskiest 10%", "percent"),
)


def backtest_sheet(table: pd.DataFrame, calibration: pd.DataFrame, about: dict) -> SheetSpec:
    """The sheet: a title, what was run (``about``: source, horizon, threshold, half-life), the table
    with a mean row, and predicted vs observed late share per risk band as a line chart."""
    spec = SheetSpec(BACKTEST_SHEET, landscape=True, tab_color="FF7030A0", header="回测 Backtest — gendan_xl")
    spec.put(1, 1, "延误风险回测 Late-risk backtest", "title")
    spec.put(2, 1, f"数据 Data: {about['source']} · 展望 horizon {about['horizon_wd']} WD · 阈值 threshold "
                   f"{about['threshold']:.0%} · 半衰期 half-life {about['half_life_days']:g} 天 days", "note")
    header_row = 4
    spec.row(header_row, [h for _, h, _ in _COLUMNS], "header")
    row = header_row
    for rec in table.to_dict("records"):
        row += 1
        for col, (name, _, style) in enumerate(_COLUMNS, start=1):
            value = rec[name]
            spec.put(row, col, value.isoformat() if name == "origin" else _number(value, style), style)
    row += 1
    spec.put(row, 1, "平均 Mean", "total_text")
    for col, (name, _, style) in enumerate(_COLUMNS[1:], start=2):
        values = pd.to_numeric(table[name], errors="coerce")
        spec.put(row, col, None if values.isna().all() else _number(values.mean(), style), style)
    row += 2
    spec.put(row, 1, "校准 Calibration — 预测与实际延误占比 predicted vs observed late share", "subtitle")
    spec.row(row + 1, ["风险区间 Risk band", "行数 Lines", "预测 Predicted", "实际 Observed"], "header")
    first = row + 2
    labels = []
    for r, rec in enumerate(calibration.to_dict("records"), start=first):
        labels.append(f"{rec['low']:.0%}–{rec['high']:.0%}")
        spec.row(r, [labels[-1]], "text")
        spec.put(r, 2, int(rec["lines"]), "int")
        spec.put(r, 3, round(rec["predicted"], 4), "percent")
        spec.put(r, 4, round(rec["observed"], 4), "percent")
    last = first + len(calibration) - 1
    if len(calibration):
        spec.charts = [LineChart(
            title="校准 Calibration", categories=f"$A${first}:$A${last}", labels=labels, series=[],
            rates=[Series("预测 Predicted", f"$C${first}:$C${last}", list(calibration["predicted"].round(4)), "305496"),
                   Series("实际 Observed", f"$D${first}:$D${last}", list(calibration["observed"].round(4)), "C00000")],
            anchor=(5, row, 11, row + 18))]
    fit(spec, caps={1: 16})
    print_setup(spec, title_rows=(header_row, header_row))
    return spec


def new_book(path, sheet: str) -> None:
    """An empty workbook whose one sheet is ``sheet`` (then replaced by the generated sheet)."""
    from openpyxl import Workbook
    book = Workbook()
    book.active.title = sheet
    book.save(path)


def _number(value, style: str):
    if value is None or pd.isna(value):
        return None
    return int(value) if style == "int" else round(float(value), 4)
