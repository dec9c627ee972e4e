"""Lay out the 进度表 T&A sheet (one row per open line, one column per milestone, each date coloured
by its state) and the milestone to-do section of the weekly report."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.flags import Flag, MilestoneState
from gendan_xl.ta.views import LINE_FIELDS
from gendan_xl.sheets.cells import col_letter, plain_column, plain_value
from gendan_xl.sheets.layout import fit, print_setup
from gendan_xl.sheets.sheet_render import SheetSpec

TA_SHEET = "进度表 T&A"
HEADER_ROW = 5
BOARD_LIMIT = 5_000   # lines on the 进度表, nearest due date first; the Milestones table has them all
TODO_NAME = "工序待办 Milestone to-do"
TODO_PER_OWNER = 50   # to-do rows per owner on the 周报; the count and the Milestones table have them all
_LEGEND = (MilestoneState.DONE, MilestoneState.DONE_LATE, MilestoneState.OVERDUE, MilestoneState.DUE_SOON,
           MilestoneState.LATER, MilestoneState.NO_PLAN)   # the state colours, in the order of the legend
_LINE_STYLES = {"due_date": "date"}
_CAPS = {3: 20, 4: 24}
# The headers of ``views.TODO_COLUMNS``: the milestone's (its name short), its line's.
_TODO_HEADER = [schema.MILESTONES.header("owner"), *(schema.ORDERS.header(c) for c in ("po_no", "line", "supplier")),
                "工序 Milestone", *(schema.MILESTONES.header(c) for c in ("plan_date", "state", "slack_wd"))]


def ta_sheet(board: pd.DataFrame, codes: list[str], names: dict[str, str], as_of: dt.date, soon_wd: int) -> SheetSpec:
    """The SheetSpec of the 进度表: a legend of the state colours, then the board with filters and
    the header row frozen and repeated on every printed page."""
    spec = SheetSpec(TA_SHEET, landscape=True, tab_color="FF548235", header="进度表 T&A",
                     header_right=as_of.isoformat())
    spec.put(1, 1, "进度表 Time & Action calendar", "title")
    total = len(board)
    board = board.head(BOARD_LIMIT)
    shown = "" if total == len(board) else (f" · 显示交期最近的 {len(board)} 行，其余请在 {schema.MILESTONES.sheet} 表筛选 "
                                            f"showing the {len(board)} due first; filter {schema.MILESTONES.sheet} for all")
    spec.put(2, 1, f"截至 As of {as_of.isoformat()} · 未完成 {total} 行 open lines{shown} · 已完成的工序显示实际日期，"
                   f"其余显示计划日期 — a done milestone shows its actual date, the others their plan date; "
                   f"即将到期 = 计划在 {soon_wd} 个工作日内 due soon = planned within {soon_wd} WD", "note")
    for col, state in enumerate(_LEGEND, start=1):
        spec.put(3, col, state.words, f"state_{state}")
    headers = [schema.ORDERS.field(f).header for f in LINE_FIELDS] + [names.get(c, c) for c in codes]
    spec.row(HEADER_ROW, headers, "header")
    rows = range(HEADER_ROW + 1, HEADER_ROW + 1 + len(board))
    for col, name in enumerate(LINE_FIELDS, start=1):
        values = plain_column(board[name])
        if name == "flag":
            for r, code in zip(rows, values):
                spec.cells[(r, col)] = (Flag(code).label, f"flag_{code}")
        else:
            style = _LINE_STYLES.get(name, "text")
            spec.cells.update(((r, col), (v, style)) for r, v in zip(rows, values) if v is not None)
    for col, code in enumerate(codes, start=len(LINE_FIELDS) + 1):
        for r, value, state in zip(rows, plain_column(board[code]), board[f"{code}_state"]):
            if isinstance(state, str):
                spec.cells[(r, col)] = (value or "—", f"state_{state}")
    row = HEADER_ROW + len(board)
    if board.empty:
        spec.put(HEADER_ROW + 1, 1, "无未完成工序 No open line has milestones (gendan plan)", "note")
    last = col_letter(len(headers))
    spec.freeze_row = HEADER_ROW
    spec.auto_filter = f"A{HEADER_ROW}:{last}{max(row, HEADER_ROW + 1)}"
    fit(spec, caps=_CAPS)
    print_setup(spec, title_rows=(HEADER_ROW, HEADER_ROW))
    return spec


def todo_section(spec: SheetSpec, row: int, todo: pd.DataFrame, soon_wd: int) -> int:
    """The weekly report's milestone to-do list from ``row``: overdue and due-soon milestones by
    owner, the first ``TODO_PER_OWNER`` of each; returns the last row used."""
    spec.put(row, 1, f"{TODO_NAME} — 已逾期及 {soon_wd} 个工作日内到期 overdue and due in the next "
                     f"{soon_wd} WD ({len(todo)})", "subtitle")
    shown = todo.groupby("owner", sort=False, dropna=False).head(TODO_PER_OWNER)
    if len(shown) < len(todo):
        row += 1
        spec.put(row, 1, f"每个负责方显示最早的 {TODO_PER_OWNER} 项；其余请在 {schema.MILESTONES.sheet} 表按状态筛选 — "
                         f"showing the first {TODO_PER_OWNER} per owner; filter the {schema.MILESTONES.sheet} table "
                         f"by State for all {len(todo)}", "note")
    row += 1
    spec.row(row, _TODO_HEADER, "header")
    if todo.empty:
        spec.put(row + 1, 1, "无 None", "note")
        return row + 1
    styles = ["text", "text", "text", "text", "text", "date", None, "int"]
    for record in shown.itertuples(index=False):
        row += 1
        for col, (value, style) in enumerate(zip(record, styles), start=1):
            if style is None:
                spec.put(row, col, MilestoneState(value).label, f"state_{value}")
            else:
                spec.put(row, col, plain_value(value), style)
    return row
