"""Lay out a backtest as the 回测 Backtest sheet: the per-origin table (an origin too small to judge
says so instead of figures), the mean over the origins judged, a plain line on each measure, and a
calibration chart."""

from __future__ import annotations

import pandas as pd

from gendan_xl.risk.backtest import JUDGE_MIN_LATE, JUDGE_MIN_LINES, NONE_JUDGED, TOO_FEW, means
from gendan_xl.sheets.cells import make_range
from gendan_xl.sheets.chart import LineChart, Series
from gendan_xl.sheets.layout import Block, fit, paginate, print_setup
from gendan_xl.sheets.sheet_render import SheetSpec

BACKTEST_SHEET = "回测 Backtest"
_COLUMNS = (
    ("origin", "起点 Origin", "text"), ("lines", "行数 Lines", "int"), ("late", "延误行 Late lines", "int"),
    ("late_share", "延误占比 Late share", "percent"), ("auc", "AUC", "number"),
    ("baseline_auc", "基准 AUC Baseline AUC", "number"), ("brier", "Brier", "number"),
    ("base_brier", "基准 Brier Base-rate Brier", "number"), ("precision", "精确率 Precision", "percent"),
    ("recall", "召回率 Recall", "percent"), ("top10_late_share", "最高风险 10% 中延误 Late in riskiest 10%", "percent"),
)
_FIRST_FIGURE = 5   # the AUC column: an origin not judged says so from here to the last column
_CHART_ROWS = 18    # the calibration chart's height in rows, beside its table
_TITLE, _CALIBRATION = "延误风险回测 Late-risk backtest", "校准 Calibration"
# What each measure says, in one plain line.
MEASURES = (
    "AUC: 随机取一行延误、一行准时，模型给延误行更高风险的概率；0.5 等于瞎猜，1 为完美 — the chance that a late "
    "line gets a higher risk than an on-time one: 0.5 is a coin toss, 1 is perfect.",
    "Brier: 风险与结果(延误 1，准时 0)之差的平方的平均，越小越好；应小于基准 Brier(每行都给历史延误占比) — the mean "
    "squared gap between the risk and what happened (late 1, on time 0), lower is better; it should beat the "
    "base-rate Brier (every line given the past late share).",
    "精确率 Precision: 风险达到阈值的行中，后来真延误的占比(空白：没有行达到阈值) — of the lines at or over the "
    "threshold, the share that turned out late (blank: no line reached the threshold).",
    "召回率 Recall: 后来延误的行中，事先风险达到阈值的占比 — of the lines that turned out late, the share that "
    "were at or over the threshold beforehand.",
    f"{TOO_FEW}: 少于 {JUDGE_MIN_LINES} 行或少于 {JUDGE_MIN_LATE} 行延误的起点不评估，也不计入平均 — an origin with "
    f"fewer than {JUDGE_MIN_LINES} lines or {JUDGE_MIN_LATE} late lines is not judged and is left out of the mean.",
)


def backtest_sheet(table: pd.DataFrame, calibration: pd.DataFrame, about: dict) -> SheetSpec:
    """The sheet: a title, what was run (``about``: source, horizon, threshold, half-life), the table
    with a mean row over the origins judged, what each measure says, and predicted vs observed late
    share per risk band as a line chart."""
    dates = [d.isoformat() for d in table["origin"]]
    spec = SheetSpec(BACKTEST_SHEET, landscape=True, tab_color="FF7030A0", header="回测 Backtest",
                     header_right=f"{dates[0]} – {dates[-1]}" if dates else "")
    spec.put(1, 1, _TITLE, "title")
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
        if isinstance(rec["note"], str):
            _across(spec, row, rec["note"])
    row += 1
    mean = means(table)
    spec.put(row, 1, f"平均 Mean ({mean['judged']} 个起点 origins)", "total_text")
    for col, (name, _, style) in enumerate(_COLUMNS[1:], start=2):
        spec.put(row, col, _number(mean[name], style), style)
    if not mean["judged"]:
        _across(spec, row, NONE_JUDGED)
    origins = Block(1, header_row, row, _TITLE)
    for line in MEASURES:
        row += 1
        spec.put(row, 1, line, "note")
    row += 2
    spec.put(row, 1, f"{_CALIBRATION} — 预测与实际延误占比 predicted vs observed late share", "subtitle")
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
            title=_CALIBRATION, categories=f"$A${first}:$A${last}", labels=labels, series=[],
            rates=[Series("预测 Predicted", f"$C${first}:$C${last}", list(calibration["predicted"].round(4)), "305496"),
                   Series("实际 Observed", f"$D${first}:$D${last}", list(calibration["observed"].round(4)), "C00000")],
            anchor=(5, row, 11, row + _CHART_ROWS))]
    fit(spec, caps={1: 16})
    print_setup(spec)
    paginate(spec, [], [origins, Block(row, row + 1, max(last, row + 1, row + _CHART_ROWS), _CALIBRATION)])
    return spec


def _across(spec: SheetSpec, row: int, text: str) -> None:
    """``text`` in place of a row's figures: from the AUC column to the last, merged."""
    spec.put(row, _FIRST_FIGURE, text, "text")
    spec.merges.append(make_range(_FIRST_FIGURE, row, len(_COLUMNS), row))


def _number(value, style: str):
    if value is None or pd.isna(value):
        return None
    return int(value) if style == "int" else round(float(value), 4)
