"""Lay out the weekly report model as the 周报 Weekly Report sheet, in the order she acts: the KPIs and
charts, then the lines to act on (late, will be late, at risk), the milestone to-do, the sample to-do
(a master with 样品 Samples), what changed, and last the scorecard, the risk tables, the quotes, the
buyers' sample turnaround, the shipments to watch and the per-party tables. Each part from the lines to
act on starts a printed page; a list going on over a page shows its own header again
(``layout.paginate``); every why runs to the last column, wide enough for ``WHY_LINES`` lines."""

from __future__ import annotations

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.flags import EXCEPTIONS, Flag
from gendan_xl.model.samples import SampleKind, SampleState
from gendan_xl.model.statuses import ChangeKind
from gendan_xl.rules.on_time import DEFINITION, EARLIER, EARLIER_MARK, LABEL, trend_label
from gendan_xl.model.trade_terms import MarginCheck
from gendan_xl.model.values import display_text
from gendan_xl.model.shipments import ShipmentState
from gendan_xl.quotes.watch import QuoteWatch
from gendan_xl.samples.todo import SampleTodo
from gendan_xl.samples.turnaround import Turnaround
from gendan_xl.shipments.watch import LISTED as SHIPMENT_FIELDS, ShipmentWatch
from gendan_xl.reporting.weekly import CHANGE_LIMIT, LIST_FIELDS, RISK_FIELDS, RiskTables, WeeklyReport
from gendan_xl.sheets.cells import make_range, plain_value
from gendan_xl.sheets.chart import BarChart, LineChart, Series
from gendan_xl.sheets.layout import Block, fit, paginate, print_setup
from gendan_xl.sheets.sheet_render import SheetSpec
from gendan_xl.sheets.styles import FLAG_COLORS
from gendan_xl.sheets.ta_sheet import TODO_NAME, todo_section

REPORT_SHEET = "周报 Weekly Report"
WHY_COL = len(LIST_FIELDS)   # the lines-to-act-on list's last column: every why runs to it
WHY_LINES = 3                # a why wraps to at most this many lines
_CAPS = {1: 18, 3: 16, 4: 20, 5: 20, 7: 18, 11: 18, WHY_COL: 140}   # widest a column grows before its text wraps
_HEADER = {"header_lines": 4, "short_header": 8.0}   # a header wraps to up to four lines rather than widen its column
_CHART_COL = 5               # the charts sit right of the flag table, from column F (0-based 5)
PREVIOUS = "上次 Previous"
_CHANGE_HEADER = [*(schema.ORDERS.header(f) for f in ("po_no", "line", "supplier")), "之前 Before", "之后 After",
                  "移动(工作日) Move (WD)", schema.ORDERS.header("why")]
# The trend: (report history column, header, line colour)
_TREND = tuple((f.value, f.words, color) for f, color in zip(EXCEPTIONS, ("C00000", "ED7D31", "BF9000")))
_PARTY_COLUMNS = (
    ("party", schema.SUPPLIERS.header("name"), "text"), ("lines", "行数 Lines", "int"),
    ("open", "未完成 Open", "int"), ("late", Flag.LATE.words, "int"), ("will_be_late", Flag.WILL_BE_LATE.words, "int"),
    ("at_risk", Flag.AT_RISK.words, "int"), ("shipped", "准时出货 Shipped on time", "int"),
    ("shipped_late", Flag.SHIPPED_LATE.words, "int"), ("on_time_rate", LABEL, "percent"),
    ("avg_open_slack", "平均余量 Avg open slack (WD)", "number"),
)
_SCORE_COLUMNS = (
    ("supplier", schema.ORDERS.header("supplier"), "text"), ("lines_due", "已定行 Lines decided", "int"),
    ("on_time_rate_lines", "准时率(行) On time by line", "percent"),
    ("on_time_rate_qty", "准时率(数量) On time by qty", "percent"), ("late_lines", "延误行 Late lines", "int"),
    ("median_wd_late", "延误中位数(工作日) Median WD late", "number"),
    ("first_eta_held_rate", "首次预计守约 First ETA held", "percent"),
    ("avg_slip_wd", "平均延期(工作日) Avg slip (WD)", "number"),
    ("days_since_update", "距上次更新(天) Days since update", "int"),
    ("open_late", "未完成延误 Open late", "int"),
)


def report_sheet(report: WeeklyReport) -> SheetSpec:
    """The SheetSpec of the weekly report."""
    spec = SheetSpec(REPORT_SHEET, landscape=True, tab_color="FF305496", header="周报 Weekly Report",
                     header_right=report.as_of.isoformat(), freeze_row=2)   # title and as-of stay in view
    spec.put(1, 1, "跟单周报 Weekly Order Status Report", "title")
    spec.put(2, 1, f"截至 As of {report.as_of.isoformat()} · 共 {report.lines} 行 lines · "
                   f"未完成 open {report.open_lines}", "note")
    spec.put(3, 1, DEFINITION, "note")
    row = 4
    spec.put(row, 1, "预警汇总 Flags", "subtitle")
    row += 1
    header = [schema.ORDERS.header("flag"), "行数 Lines", "占比 Share"]
    if report.previous:
        header += [f"{PREVIOUS} {report.previous[0].isoformat()}", "变化 Change"]
    spec.row(row, header, "header")
    for flag in Flag:
        row += 1
        n = report.counts[flag]
        spec.put(row, 1, flag.label, f"flag_{flag}")
        spec.put(row, 2, n, "int")
        spec.put(row, 3, n / report.lines if report.lines else None, "percent")
        if report.previous:
            before = report.previous[1].get(flag)
            spec.put(row, 4, before, "int")
            spec.put(row, 5, None if before is None else n - before, "int")
    first_flag = row - len(Flag) + 1
    flag_chart = _flag_chart(report, first_flag, row)
    row += 1
    spec.put(row, 1, LABEL, "total_text")
    spec.put(row, 2, report.on_time_rate, "kpi_percent")
    row = max(row + 2, flag_chart.anchor[3] + 2)
    trend_chart = _trend(spec, row, report.trend)
    spec.charts = [flag_chart, trend_chart]
    starts: list[int] = []   # each part from here starts a printed page
    blocks: list[Block] = []
    row = spec.last_row + 2
    starts.append(row)
    row = _exceptions(spec, row, report.exceptions, report.exception_total, blocks) + 2
    if report.milestone_todo is not None:
        starts.append(row)
        last = todo_section(spec, row, report.milestone_todo.rows, report.milestone_todo.soon_wd)
        blocks.append(_block(spec, row, last, TODO_NAME))
        row = last + 2
    if report.samples is not None:
        starts.append(row)
        row = _samples(spec, row, report.samples, blocks) + 2
    starts.append(row)
    row = _changes(spec, row, report, blocks) + 2
    starts.append(row)
    if report.scorecard is not None:
        row = _scorecard(spec, row, report.scorecard, blocks) + 2
    if report.risk is not None:
        row = _risk(spec, row, report.risk, blocks) + 2
    if report.quotes is not None:
        row = _quotes(spec, row, report.quotes, blocks) + 2
    if report.sample_turnaround is not None:
        row = _turnaround(spec, row, report.sample_turnaround, blocks) + 2
    if report.shipments is not None:
        row = _shipments(spec, row, report.shipments, blocks) + 2
    row = _party_table(spec, row, "按供应商 By supplier", report.by_supplier, blocks) + 2
    _party_table(spec, row, "按客户 By customer", report.by_customer, blocks)
    fit(spec, caps=_CAPS, lines={WHY_COL: WHY_LINES}, **_HEADER)
    print_setup(spec)
    paginate(spec, starts, blocks)
    _beside_the_flags(spec.charts, spec.widths)
    return spec


def _block(spec: SheetSpec, title: int, last: int, name: str) -> Block:
    """The list from its title row to ``last``; its header is the first header row after the title."""
    header = next(r for r in range(title, last + 1) if spec.cells.get((r, 1), (None, ""))[1] == "header")
    return Block(title, header, last, name)


def _why(spec: SheetSpec, row: int, col: int, value, style: str = "text") -> None:
    """A why (or its header) in ``col``, merged to :data:`WHY_COL` so that every why has the room of
    the widest."""
    spec.put(row, col, value, style)
    if col < WHY_COL:
        spec.merges.append(make_range(col, row, WHY_COL, row))


def _beside_the_flags(charts: list[BarChart | LineChart], widths: dict[int, float]) -> None:
    """The flag chart and the trend chart side by side right of the flag table, to the last column,
    split at the column boundary nearest the middle."""
    last = max(widths)
    edges = range(_CHART_COL + 1, last)
    left = {k: sum(widths.get(c, 0) for c in range(_CHART_COL + 1, k + 1)) for k in edges}
    total = sum(widths.get(c, 0) for c in range(_CHART_COL + 1, last + 1))
    split = min(edges, key=lambda k: abs(2 * left[k] - total))
    for chart, (c1, c2) in zip(charts, ((_CHART_COL, split), (split, last))):
        chart.anchor = (c1, chart.anchor[1], c2, chart.anchor[3])


def _flag_chart(report: WeeklyReport, first: int, last: int) -> BarChart:
    """Lines per flag as coloured bars, beside the flag table (rows ``first``..``last``)."""
    return BarChart(title="预警 Flags — 行数 lines", categories=f"$A${first}:$A${last}",
                    values=f"$B${first}:$B${last}", labels=[f.label for f in Flag],
                    numbers=[report.counts[f] for f in Flag],
                    colors=[FLAG_COLORS[f][2:] for f in Flag], anchor=(5, 3, 11, 21))


def _trend(spec: SheetSpec, row: int, trend: pd.DataFrame) -> LineChart:
    """The last reports (date, late, will-be-late, at-risk, on-time rate) and their line chart,
    beside the flag chart."""
    labels = [trend_label(d.date(), v) for d, v in zip(trend["report_date"], trend["on_time_def"])]
    earlier = f"; {EARLIER}" if any(label.endswith(EARLIER_MARK) for label in labels) else ""
    spec.put(row, 1, f"趋势 Trend — 最近 {len(trend)} 次报告 last {len(trend)} reports{earlier}", "subtitle")
    spec.row(row + 1, ["报告日期 Report date", *(h for _, h, _ in _TREND), LABEL], "header")
    first, last = row + 2, row + 1 + len(trend)
    rates = [None if pd.isna(v) else round(float(v), 4) for v in trend["on_time_rate"]]
    for r, label, values, rate in zip(range(first, last + 1), labels, trend.itertuples(index=False), rates):
        spec.put(r, 1, label, "text")
        for col, (name, _, _) in enumerate(_TREND, start=2):
            spec.put(r, col, int(getattr(values, name)), "int")
        spec.put(r, 5, rate, "percent")
    series = [Series(header, f"${col}${first}:${col}${last}", [int(v) for v in trend[name]], color)
              for col, (name, header, color) in zip("BCD", _TREND)]
    return LineChart(title="趋势 Trend — 延误、风险与准时率 late, at risk and on-time rate",
                     categories=f"$A${first}:$A${last}", labels=labels, series=series,
                     rates=[Series(LABEL, f"$E${first}:$E${last}", rates, "548235")],
                     anchor=(11, 3, 13, 21))


def _changes(spec: SheetSpec, row: int, report: WeeklyReport, blocks: list[Block]) -> int:
    """Per change kind, the lines changed since the last report (the first ``CHANGE_LIMIT``), a block
    of ``blocks`` each."""
    changes = report.changes
    counts = changes.counts()
    if changes.since is None:
        spec.put(row, 1, "本周变化 Changes — 无上次报告 no earlier report in the history", "subtitle")
        return row
    spec.put(row, 1, f"本周变化 Changes since {changes.since.isoformat()}: " + ", ".join(
        f"{k.heading} {counts[k]}" for k in ChangeKind), "subtitle")
    for kind in ChangeKind:
        lines = changes.lines[kind]
        row += 2
        title = row
        spec.put(row, 1, f"{kind.heading} ({len(lines)})", "subtitle")
        row += 1
        spec.row(row, _CHANGE_HEADER[:-1], "header")
        _why(spec, row, len(_CHANGE_HEADER), _CHANGE_HEADER[-1], "header")
        if lines.empty:
            spec.put(row + 1, 1, "无 None", "note")
            row += 1
        for record in lines.head(CHANGE_LIMIT).itertuples(index=False):
            row += 1
            before, after = (_shown_state(kind, v) for v in (record.before, record.after))
            spec.row(row, [record.po_no, record.line, plain_value(record.supplier), before, after], "text")
            spec.put(row, 6, plain_value(record.move_wd), "int")
            _why(spec, row, 7, plain_value(record.why))
        if len(lines) > CHANGE_LIMIT:
            row += 1
            spec.put(row, 1, f"另有 {len(lines) - CHANGE_LIMIT} 行 and {len(lines) - CHANGE_LIMIT} more", "note")
        blocks.append(_block(spec, title, row, kind.heading))
    return row


def _shown_state(kind: ChangeKind, value) -> str:
    """A flag as its label, an ETA as its date, nothing as —."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    return value if kind.moves_the_eta else Flag(value).label


def _exceptions(spec: SheetSpec, row: int, lines: pd.DataFrame, total: int, blocks: list[Block]) -> int:
    """The list of the most urgent lines (a block of ``blocks``); returns its last row."""
    title = row
    spec.put(row, 1, f"{_ACT_ON} ({total})", "subtitle")
    if total > len(lines):
        spec.put(row + 1, 1, f"显示最紧急的 {len(lines)} 行；其余请在订单表按预警筛选 — showing the {len(lines)} "
                             f"most urgent; filter the Orders table by Flag for all {total}", "note")
        row += 1
    row += 1
    spec.row(row, [schema.ORDERS.field(f).header for f in LIST_FIELDS], "header")
    if lines.empty:
        spec.put(row + 1, 1, "无 None", "note")
        row += 1
    blocks.append(_block(spec, title, row + len(lines), _ACT_ON))
    styles = [_style(f) for f in LIST_FIELDS]
    for record in lines.itertuples(index=False):
        row += 1
        for col, (name, value) in enumerate(zip(LIST_FIELDS, record), start=1):
            if name == "flag":
                spec.put(row, col, Flag(value).label, f"flag_{value}")
            else:
                spec.put(row, col, plain_value(value), styles[col - 1])
    return row


_ACT_ON = "延误与风险订单 Late, will-be-late and at-risk lines"
_RISKIEST = "最高延误风险的未完成订单 Riskiest open lines"
_RISK_BY_SUPPLIER = "按供应商的延误风险 Late risk by supplier"
_RISK_SUPPLIER_COLUMNS = (
    ("supplier", schema.ORDERS.header("supplier"), "text"), ("open", "未完成(有风险值) Open (scored)", "int"),
    ("mean_risk", "平均风险 Mean risk", "percent"), ("at_or_over", "达到阈值 At or over threshold", "int"),
    ("expected_late", "预计延误行 Expected late lines", "number"),
    ("expected_delay_wd", "迟则约(工作日) If late, about (WD)", "number"),
)


def _risk(spec: SheetSpec, row: int, risk: RiskTables, blocks: list[Block]) -> int:
    """The riskiest open lines not yet late (risk model), then the risk per supplier (two blocks)."""
    title = row
    spec.put(row, 1, f"{_RISKIEST} (风险模型 risk model; 阈值 threshold "
                     f"{risk.threshold:.0%}; {risk.scored} 行有风险值 lines scored)", "subtitle")
    row += 1
    headers = [schema.ORDERS.field(f).header for f in RISK_FIELDS]
    spec.row(row, headers[:-1], "header")
    _why(spec, row, len(headers), headers[-1], "header")
    if risk.riskiest.empty:
        spec.put(row + 1, 1, "无 None (历史不足或无未完成行 too little history or no open lines)", "note")
        row += 1
    styles = [schema.ORDERS.field(f).style or _style(f) for f in RISK_FIELDS]
    for record in risk.riskiest.itertuples(index=False):
        row += 1
        for col, (name, value) in enumerate(zip(RISK_FIELDS, record), start=1):
            if name == "flag":
                spec.put(row, col, Flag(value).label, f"flag_{value}")
            elif name == "why":
                _why(spec, row, col, plain_value(value), styles[col - 1])
            else:
                spec.put(row, col, plain_value(value), styles[col - 1])
    blocks.append(_block(spec, title, row, _RISKIEST))
    row += 2
    title = row
    spec.put(row, 1, _RISK_BY_SUPPLIER, "subtitle")
    row += 1
    spec.row(row, [label for _, label, _ in _RISK_SUPPLIER_COLUMNS], "header")
    for record in risk.by_supplier.to_dict("records"):
        row += 1
        for col, (name, _, style) in enumerate(_RISK_SUPPLIER_COLUMNS, start=1):
            spec.put(row, col, plain_value(record[name]), style)
    blocks.append(_block(spec, title, row, _RISK_BY_SUPPLIER))
    return row


def _party_table(spec: SheetSpec, row: int, title: str, table: pd.DataFrame, blocks: list[Block]) -> int:
    spec.put(row, 1, title, "subtitle")
    spec.row(row + 1, [label for _, label, _ in _PARTY_COLUMNS], "header")
    for k, record in enumerate(table.itertuples(index=False), start=row + 2):
        values = record._asdict()
        for col, (name, _, style) in enumerate(_PARTY_COLUMNS, start=1):
            spec.put(k, col, plain_value(values[name]), style)
    blocks.append(_block(spec, row, row + 1 + len(table), title))
    return row + 1 + len(table)


def _scorecard(spec: SheetSpec, row: int, table: pd.DataFrame, blocks: list[Block]) -> int:
    """The supplier scorecard (scorecard.py); — where a supplier has nothing to measure."""
    title = row
    spec.put(row, 1, _SCORECARD, "subtitle")
    spec.put(row + 1, 1, "准时(行) = 准时率(见页首定义)；准时(数量) = 交期当日或之前出货数量 ÷ 已定行数量 — "
                         "on time by line: the on-time rate (defined at the top); "
                         "by qty: qty shipped by the due date ÷ qty of the lines decided", "note")
    row += 2
    spec.row(row, [label for _, label, _ in _SCORE_COLUMNS], "header")
    for record in table.to_dict("records"):
        row += 1
        for col, (name, _, style) in enumerate(_SCORE_COLUMNS, start=1):
            value = plain_value(record[name])
            spec.put(row, col, "—" if value is None else value, "text" if value is None else style)
    blocks.append(_block(spec, title, row, _SCORECARD))
    return row


_SCORECARD = "供应商评分 Supplier scorecard"

SAMPLE_TODO = "样品待办 Sample to-do"
SAMPLE_LIMIT = 50   # rounds listed per sample list; the count says how many there are
_SAMPLE = schema.SAMPLES.header
# (column of the list, header, style); the last column of the waiting list is its to-do, run to WHY_COL
_OVERDUE_COLUMNS = (("supplier", _SAMPLE("supplier"), "text"), ("sample_no", _SAMPLE("sample_no"), "text"),
                    ("round", _SAMPLE("round"), "int"), ("kind", _SAMPLE("kind"), "text"),
                    ("po_no", _SAMPLE("po_no"), "text"), ("due", _SAMPLE("due"), "date"),
                    ("overdue_wd", "逾期(工作日) WD overdue", "int"))
_WAITING_COLUMNS = (("customer", _SAMPLE("customer"), "text"), ("sample_no", _SAMPLE("sample_no"), "text"),
                    ("round", _SAMPLE("round"), "int"), ("kind", _SAMPLE("kind"), "text"),
                    ("po_no", _SAMPLE("po_no"), "text"), ("received", _SAMPLE("received_date"), "date"),
                    ("wait_wd", _SAMPLE("wait_wd"), "int"), ("ask", "待办 To do", "text"))


def _samples(spec: SheetSpec, row: int, todo: SampleTodo, blocks: list[Block]) -> int:
    """The sample to-do: the rounds not sent by their due date (chase the supplier), then those the
    customer has not answered (ask the customer); a block each, the first ``SAMPLE_LIMIT`` of each."""
    overdue = todo.overdue
    spec.put(row, 1, f"{SAMPLE_TODO} — {SampleState.OVERDUE.words} {len(overdue)} · "
                     f"{SampleState.WAITING.words} {len(todo.waiting)}", "subtitle")
    row = _sample_list(spec, row + 2, f"{SampleState.OVERDUE.words} — 催供应商 chase the supplier ({len(overdue)})",
                       _OVERDUE_COLUMNS, overdue, blocks)
    return _sample_list(spec, row + 2, f"{SampleState.WAITING.words} — 催客户 ask the customer "
                                       f"({len(todo.waiting)})", _WAITING_COLUMNS, todo.waiting, blocks)


def _sample_list(spec: SheetSpec, row: int, title: str, columns: tuple, table: pd.DataFrame,
                 blocks: list[Block]) -> int:
    """A sample list, kinds in words, the first ``SAMPLE_LIMIT`` rounds (the rest counted in a note)."""
    more = (f"另有 {{n}} 项，请在 {schema.SAMPLES.sheet} 表按 {_SAMPLE('state')} 筛选 — and {{n}} more: "
            f"filter the {schema.SAMPLES.sheet} table by State")
    shown = table.assign(kind=[SampleKind(code).label for code in table["kind"]])
    return _listed(spec, row, title, columns, shown, blocks, why_last=columns[-1][0] == "ask", limit=SAMPLE_LIMIT,
                   more=more)


def _style(field_name: str) -> str:
    kind = schema.ORDERS.field(field_name).kind
    return {schema.DATE: "date", schema.INT: "int", schema.NUMBER: "number"}.get(kind, "text")


_RATE_MOVED, _EROSION = "汇率变动 Rate moved", "毛利侵蚀 Margin erosion"
_QUOTE = f"{schema.QUOTATIONS.header('quote_no')} / {schema.QUOTATIONS.header('revision')}"
# (column of the list, header, style); ``quote`` is the quote number and revision together
_MOVED_COLUMNS = (
    ("quote", _QUOTE, "text"), ("customer", schema.QUOTATIONS.header("customer"), "text"),
    ("currency", schema.QUOTATIONS.header("currency"), "text"), ("fx_rate", schema.QUOTATIONS.header("fx_rate"),
                                                                "rate"),
    ("today_rate", "今日汇率 Today's rate", "rate"), ("profit_loss_rate", schema.QUOTATIONS.header("profit_loss_rate"),
                                                   "percent"),
    ("profit_loss_rate_today", "今日盈亏率 Margin at today's rate", "percent"),
    ("points_lost", "减少(百分点) Points lost", "number"), ("why", schema.QUOTATIONS.header("why"), "text"),
)
_EROSION_COLUMNS = (
    ("check", "检查 Check", "text"), *((f, schema.ORDERS.header(f), _style(f)) for f in
                                      ("po_no", "line", "customer", "style", "currency", "unit_price")),
    ("quoted_price", schema.QUOTATIONS.header("price"), "number"),
    ("cost_price", schema.ORDERS.header("cost_price"), "number"),
    ("purchase_price", schema.QUOTATIONS.header("purchase_price"), "number"),
    ("quote", _QUOTE, "text"), ("why", schema.ORDERS.header("why"), "text"),
)


def _quotes(spec: SheetSpec, row: int, watch: QuoteWatch, blocks: list[Block]) -> int:
    """The open quotes the exchange rate has moved, then the open lines eroding a confirmed quote's
    margin (two blocks; each says 无 None when empty)."""
    rates = ", ".join(f"{code} {rate:.4f}" for code, rate in watch.today.items()) or "—"
    moved = watch.rate_moved.assign(quote=_quote_names(watch.rate_moved),
                                    why=watch.rate_moved["why"], check=None)
    row = _listed(spec, row, f"{_RATE_MOVED} (今日汇率 today's rates: {rates}; 提示 alert > "
                      f"{watch.alert_points:g} 个百分点 points)", _MOVED_COLUMNS, moved, blocks) + 2
    eroded = watch.erosion.assign(quote=_quote_names(watch.erosion),
                                  check=[MarginCheck(c).label for c in watch.erosion["check"]])
    return _listed(spec, row, f"{_EROSION} ({len(watch.eroding)} 行 lines)", _EROSION_COLUMNS, eroded, blocks)


def _listed(spec: SheetSpec, row: int, title: str, columns: tuple, table: pd.DataFrame, blocks: list[Block], *,
            why_last: bool = True, limit: int | None = None, more: str = "") -> int:
    """A titled list (one block): its header, a row per record (``limit``: the first ones, the rest
    counted by ``more``, formatted with ``n``), 无 None when empty; with ``why_last`` the last column
    runs to the why column."""
    first = row
    spec.put(row, 1, title, "subtitle")
    row += 1
    headers = [header for _, header, _ in columns]
    spec.row(row, headers[:-1] if why_last else headers, "header")
    if why_last:
        _why(spec, row, len(headers), headers[-1], "header")
    if table.empty:
        row += 1
        spec.put(row, 1, "无 None", "note")
    for record in (table if limit is None else table.head(limit)).to_dict("records"):
        row += 1
        for col, (name, _, style) in enumerate(columns, start=1):
            value = plain_value(record[name])
            if why_last and col == len(columns):
                _why(spec, row, col, value)
            else:
                spec.put(row, col, value, style)
    if limit is not None and len(table) > limit:
        row += 1
        spec.put(row, 1, more.format(n=len(table) - limit), "note")
    blocks.append(_block(spec, first, row, title))
    return row


def _quote_names(table: pd.DataFrame) -> list[str]:
    return [f"{display_text(no)} / {display_text(rev)}" for no, rev in zip(table["quote_no"], table["revision"])]


_TURNAROUND = "样品周转 Sample turnaround"
_SLOWER = "慢于常规 Slower than usual"
_TURNAROUND_COLUMNS = (
    ("customer", schema.SAMPLES.header("customer"), "text"), ("kind", schema.SAMPLES.header("kind"), "text"),
    ("answered", "已批复轮次 Rounds answered", "int"), ("median_wd", "批复用时中位数(工作日) Median WD to answer", "number"),
    ("rounds_to_approval", "几轮批准(中位数) Rounds to approval (median)", "number"), ("slower", _SLOWER, "text"),
)


def _turnaround(spec: SheetSpec, row: int, turnaround: Turnaround, blocks: list[Block]) -> int:
    """Per customer and kind, how long the customer takes to answer a sample and in how many rounds it
    approves, the customers slower than usual named above the list (a block)."""
    title = row
    spec.put(row, 1, f"{_TURNAROUND} (常规 usual ≤ {turnaround.usual_wd} WD, sample_turnaround_wd)", "subtitle")
    row += 1
    spec.put(row, 1, f"{_SLOWER}: " + (", ".join(turnaround.slower) or "无 none"), "note")
    row += 1
    spec.row(row, [label for _, label, _ in _TURNAROUND_COLUMNS], "header")
    if turnaround.table.empty:
        row += 1
        spec.put(row, 1, "无 None (尚无批复的样品 no sample answered yet)", "note")
    for record in turnaround.table.to_dict("records"):
        row += 1
        shown = {**record, "kind": SampleKind(record["kind"]).label, "slower": _SLOWER if record["slower"] else None}
        for col, (name, _, style) in enumerate(_TURNAROUND_COLUMNS, start=1):
            spec.put(row, col, plain_value(shown[name]), style)
    blocks.append(_block(spec, title, row, _TURNAROUND))
    return row


_SHIPMENT_COLUMNS = tuple((name, schema.SHIPMENTS.header(name),
                           "date" if schema.SHIPMENTS.field(name).kind == schema.DATE else "text")
                          for name in SHIPMENT_FIELDS)


def _shipments(spec: SheetSpec, row: int, watch: ShipmentWatch, blocks: list[Block]) -> int:
    """The shipments to act on (needing action, bad input) with their why; the title counts each state."""
    counts = ", ".join(f"{ShipmentState(code).label} {n}" for code, n in watch.counts.items())
    return _listed(spec, row, f"{schema.SHIPMENTS.sheet} ({counts})", _SHIPMENT_COLUMNS, watch.to_do, blocks)
