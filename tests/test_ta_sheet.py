"""The 进度表 T&A sheet and the weekly report's milestone to-do list: content and colours
re-read with openpyxl, filters, frozen header, landscape print; LibreOffice prints both without
overlapping words and with every header whole."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from conftest import AS_OF
from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.sheets.layout import CONTINUED
from gendan_xl.sheets.report_sheet import REPORT_SHEET
from gendan_xl.sheets.styles import STATE_COLORS
from gendan_xl.sheets.ta_sheet import HEADER_ROW, TA_SHEET, TODO_PER_OWNER
from ooxml import assert_valid
from printed import check_sheet
from ta_book import edit, ta_master

D = dt.date


@pytest.fixture(scope="module")
def planned_demo(tmp_path_factory):
    """The demo master, planned, with some milestones done (on time and late), refreshed."""
    from gendan_xl.demo.build import build_demo
    folder = tmp_path_factory.mktemp("ta_demo")
    build_demo(folder, orders=120, seed=11, as_of=AS_OF)
    master = folder / "master.xlsx"
    actions.plan(master, as_of=AS_OF)
    wb = openpyxl.load_workbook(master)
    ws = wb[schema.MILESTONES.sheet]
    cols = {schema.match_header(schema.MILESTONES, c.value): c.column for c in ws[1]}
    for n, row in enumerate(ws.iter_rows(min_row=2)):
        plan = row[cols["plan_date"] - 1].value
        if plan is not None and plan.date() < AS_OF and n % 3:
            row[cols["actual_date"] - 1].value = plan + dt.timedelta(days=n % 5)
    wb.save(master)
    actions.refresh(master, as_of=AS_OF)
    return master


def _fill(cell) -> str:
    return cell.fill.fgColor.rgb


def test_ta_sheet_one_row_per_open_line_coloured_by_state(tmp_path):
    master = ta_master(tmp_path)
    actions.plan(master, as_of=AS_OF)
    edit(master, schema.MILESTONES.sheet, {"milestone": "LAB_DIP_APPROVED"}, {"actual_date": dt.datetime(2026, 12, 31)})
    actions.refresh(master, as_of=D(2027, 1, 19))
    ws = openpyxl.load_workbook(master)[TA_SHEET]
    header = [c.value for c in ws[HEADER_ROW]]
    assert header[:7] == ["PO号 PO No.", "行号 Line", "客户 Customer", "供应商 Supplier", "款号 Style", "交期 Due date",
                          "预警 Flag"]
    assert header[7:] == ["色样确认 Lab dip approved", "面料到厂 Fabric in-house", "产前样确认 PP sample approved",
                          "裁剪 Cutting", "车缝 Sewing", "尾查 Final inspection", "出厂 Ex-factory"]
    rows = [r for r in ws.iter_rows(min_row=HEADER_ROW + 1) if r[0].value]
    assert [r[0].value for r in rows] == ["PO-1"]          # PO-2 is shipped: not on the board
    line = rows[0]
    # lab dip done 3 WD late: its actual date in the done-late colour; fabric (plan 2027-01-19) due soon
    assert line[7].value.date() == D(2026, 12, 31) and _fill(line[7]) == STATE_COLORS["DONE_LATE"]
    assert line[8].value.date() == D(2027, 1, 19) and _fill(line[8]) == STATE_COLORS["DUE_SOON"]
    assert line[13].value.date() == D(2027, 3, 5) and _fill(line[13]) == STATE_COLORS["LATER"]
    assert line[6].value == "AT_RISK 有风险"
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:N{HEADER_ROW + 1}"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    report = openpyxl.load_workbook(master)[REPORT_SHEET]
    texts = [[c.value for c in r] for r in report.iter_rows()]
    start = next(i for i, r in enumerate(texts) if str(r[0]).startswith("工序待办 Milestone to-do"))
    todo = [r for r in texts[start + 2:] if r[0]]
    assert todo[0][:7] == ["SUPPLIER 供应商", "PO-1", "1", "Huamei", "面料到厂 Fabric in-house", dt.datetime(2027, 1, 19),
                           "DUE_SOON 即将到期"]
    assert_valid(master)


def test_the_todo_reads_an_owner_typed_in_chinese_alone_as_that_owner(tmp_path):
    """An Owner cell is read as ``Owner.read`` reads it (its code or 中文, any case): a milestone whose
    owner is typed ``我方`` is ours and listed first (the to-do read only a code, and listed it last)."""
    master = ta_master(tmp_path)
    actions.plan(master, as_of=AS_OF)
    edit(master, schema.MILESTONES.sheet, {"milestone": "LAB_DIP_APPROVED"}, {"owner": "我方"})
    actions.refresh(master, as_of=D(2027, 1, 19))
    texts = [[c.value for c in r] for r in openpyxl.load_workbook(master)[REPORT_SHEET].iter_rows()]
    start = next(i for i, r in enumerate(texts) if str(r[0]).startswith("工序待办 Milestone to-do"))
    todo = [r for r in texts[start + 2:] if r[0]]
    assert [(r[0], r[4], r[6]) for r in todo[:2]] == [("我方", "色样确认 Lab dip approved", "OVERDUE 已逾期"),
                                                     ("SUPPLIER 供应商", "面料到厂 Fabric in-house", "DUE_SOON 即将到期")]


def test_todo_lists_overdue_by_owner(planned_demo):
    ws = openpyxl.load_workbook(planned_demo)[REPORT_SHEET]
    texts = [[c.value for c in r] for r in ws.iter_rows()]
    start = next(i for i, r in enumerate(texts) if str(r[0]).startswith("工序待办 Milestone to-do"))
    header = next(i for i in range(start, start + 3) if texts[i][0] == "负责方 Owner")
    assert texts[header][:3] == ["负责方 Owner", "PO号 PO No.", "行号 Line"]
    rows = []
    for r in texts[header + 1:]:
        if not r[0]:
            break
        if r[0] != texts[header][0] and CONTINUED not in r[0]:   # not the name and header atop a printed page
            rows.append(r)
    owners = [r[0].split()[0] for r in rows]
    assert owners == sorted(owners, key=["US", "SUPPLIER", "CUSTOMER"].index)
    assert {r[6] for r in rows} <= {"OVERDUE 已逾期", "DUE_SOON 即将到期"} and len(rows) > 10
    assert all(r[7] < 0 for r in rows if r[6] == "OVERDUE 已逾期")
    total = int(texts[start][0].rsplit("(", 1)[1].rstrip(")"))
    assert max(owners.count(o) for o in set(owners)) <= TODO_PER_OWNER
    assert (len(rows) < total) == (header == start + 2)   # a note says where the rest are


@pytest.mark.parametrize("sheet", [TA_SHEET, REPORT_SHEET])
def test_ta_views_print_without_overlaps(planned_demo, sheet, tmp_path):
    check_sheet(planned_demo, sheet, tmp_path)


def test_planned_demo_passes_the_validator(planned_demo):
    states = {c.fill.fgColor.rgb for r in openpyxl.load_workbook(planned_demo)[TA_SHEET].iter_rows(min_row=HEADER_ROW + 1)
              for c in r[7:]}
    assert {STATE_COLORS[s] for s in ("DONE", "DONE_LATE", "OVERDUE", "LATER")} <= states
    assert_valid(planned_demo)


def test_the_board_shows_the_lines_due_first_up_to_its_limit():
    from gendan_xl.ta.views import LINE_FIELDS
    from gendan_xl.sheets.ta_sheet import BOARD_LIMIT, ta_sheet
    import pandas as pd
    n = BOARD_LIMIT + 3
    board = pd.DataFrame({"po_no": [f"PO-{i}" for i in range(n)], "line": "1", "customer": "C", "supplier": "S",
                          "style": "ST", "due_date": pd.date_range("2027-01-01", periods=n, freq="h"),
                          "flag": "ON_TRACK", "EX_FACTORY": pd.Timestamp("2027-03-01"), "EX_FACTORY_state": "LATER"})
    spec = ta_sheet(board[[*LINE_FIELDS, "EX_FACTORY", "EX_FACTORY_state"]], ["EX_FACTORY"], {}, AS_OF, 5)
    assert spec.last_row == HEADER_ROW + BOARD_LIMIT
    assert spec.cells[(spec.last_row, 1)][0] == f"PO-{BOARD_LIMIT - 1}"
    assert f"未完成 {n} 行 open lines · 显示交期最近的 {BOARD_LIMIT} 行" in spec.cells[(2, 1)][0]
