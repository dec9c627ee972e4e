"""The 样品跟进 Sample follow-up sheet on real masters: the open rounds (rows not applied too) by due
date, each row in its state's colour, the tracking number a text cell, re-read by openpyxl and
python-calamine, valid in both openpyxl writers, printed without overlaps; the ribbon's 样品 Samples
button; and the demo's season of samples."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest
import python_calamine

from conftest import AS_OF
from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.model.samples import SampleState
from gendan_xl.samples.approvals import sample_mark
from gendan_xl.sheets.samples_sheet import HEADER_ROW, SAMPLES_SHEET, SHEET_LIMIT, samples_sheet
from gendan_xl.sheets.styles import SAMPLE_COLORS
from ooxml import assert_valid
from printed import check_sheet
from table_rows import set_settings, table_rows

D = dt.datetime
# sample_no, kind, po_no, line, due, sent, received, status, status date, awb
ROUNDS = (
    ("S-1", "PP", "PO-1", 1, D(2026, 11, 20), None, None, None, None, None),                  # overdue
    ("S-2", "LAB_DIP", "PO-1", 1, D(2026, 11, 6), D(2026, 11, 9), D(2026, 11, 13), "RECEIVED", None,
     123456789),                                                                               # waiting; AWB a number
    ("S-3", "FIT 试身样", "PO-1", 1, D(2026, 12, 10), None, None, "待寄", None, None),          # open
    ("S-4", "SMS", None, None, None, D(2026, 11, 24), None, "SENT", None, "0012345678"),     # open, no due
    ("S-5", "PP", "PO-NOT-OURS", None, D(2026, 11, 1), None, None, None, None, None),         # not applied
    ("S-6", "LAB_DIP", "PO-1", 1, D(2026, 10, 30), D(2026, 11, 2), None, "APPROVED", D(2026, 11, 10), "0099"),
)
SHOWN = ["S-5", "S-2", "S-1", "S-3", "S-4"]   # by due date, the blank last; S-6 is closed
STATES = ["INVALID", "WAITING", "OVERDUE", "OPEN", "OPEN"]


def _master(tmp_path, rounds=ROUNDS):
    """A new master (Huamei's open PO-1) whose Samples rows are typed in, as a user would."""
    path = tmp_path / "master.xlsx"
    suppliers = pd.DataFrame([{"code": "HM", "name": "Huamei", "country": "CN"}])
    orders = pd.DataFrame([{"po_no": "PO-1", "line": 1, "supplier": "Huamei", "customer": "Nordic", "style": "ST-1",
                            "color": "Navy", "qty": 1000, "due_date": pd.Timestamp("2027-03-05"),
                            "eta": pd.Timestamp("2027-02-26"), "status": "OPEN 进行中"}])
    actions.new_master(path, suppliers=suppliers, orders=orders)
    wb = openpyxl.load_workbook(path)
    ws = wb[schema.SAMPLES.sheet]
    names = ("sample_no", "kind", "po_no", "line", "due", "sent_date", "received_date", "status", "status_date", "awb")
    for r, values in enumerate(rounds, start=2):
        for name, value in zip(("round", "customer", "supplier", *names), (1, "Nordic", "Huamei", *values)):
            ws.cell(row=r, column=schema.SAMPLES.names.index(name) + 1, value=value)
    table = ws.tables[schema.SAMPLES.name]
    table.ref = table.autoFilter.ref = f"A1:{openpyxl.utils.get_column_letter(len(schema.SAMPLES.fields))}{1 + len(rounds)}"
    wb.save(path)
    return path


def _board(path) -> list[list]:
    """The sheet's rows below its header (openpyxl cells)."""
    ws = openpyxl.load_workbook(path)[SAMPLES_SHEET]
    return [row for row in ws.iter_rows(min_row=HEADER_ROW + 1) if row[0].value or row[2].value]


def _fill(cell):
    return cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None


@pytest.fixture
def refreshed(tmp_path):
    path = _master(tmp_path)
    actions.refresh(path, as_of=AS_OF)
    return path


def test_the_sheet_lists_the_open_rounds_by_due_date_each_row_in_its_states_colour(refreshed):
    ws = openpyxl.load_workbook(refreshed)[SAMPLES_SHEET]
    assert [c.value for c in ws[HEADER_ROW]] == [schema.SAMPLES.header(name) for name in (
        "due", "state", "sample_no", "round", "kind", "customer", "supplier", "po_no", "line", "style", "color",
        "qty", "sent_date", "courier", "awb", "received_date", "wait_wd", "why")]
    rows = _board(refreshed)
    assert [r[2].value for r in rows] == SHOWN
    assert [r[1].value for r in rows] == [SampleState(s).label for s in STATES]
    for row, state in zip(rows, STATES):   # every cell of the row, blanks too, in its state's colour
        assert {_fill(c) for c in row} == {SAMPLE_COLORS[state]}, state
    assert SAMPLE_COLORS["OVERDUE"] != SAMPLE_COLORS["WAITING"] != SAMPLE_COLORS["INVALID"] != SAMPLE_COLORS["OPEN"]
    assert [r[4].value for r in rows] == ["PP 产前样", "LAB_DIP 色样", "PP 产前样", "FIT 试身样", "SMS 销售样"]
    assert rows[1][0].value == D(2026, 11, 6) and rows[1][16].value == 9   # waiting 9 WD since the 13th
    assert rows[2][17].value == "应于 2026-11-20 前寄出 due 2026-11-20, not sent: 4 WD overdue (CN)"
    assert rows[0][17].value.startswith("数据有误 bad input:") and rows[4][0].value is None
    awb = {r[2].value: r[14] for r in rows}
    assert (awb["S-4"].value, awb["S-4"].data_type) == ("0012345678", "s")   # leading zeros kept
    assert (awb["S-2"].value, awb["S-2"].data_type) == ("123456789", "s")    # typed as a number: text here
    assert ws["A2"].value.startswith("截至 As of 2026-11-26 · 未结束 5 轮 open rounds: 数据有误 INVALID 1 · "
                                     "逾期未寄 OVERDUE 1 · 待客户批复 WAITING 1 · 进行中 OPEN 2")
    assert [ws.cell(3, c).value for c in (1, 4, 7, 10)] == ["INVALID 数据有误 1", "OVERDUE 逾期未寄 1",
                                                           "WAITING 待客户批复 1", "OPEN 进行中 2"]
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}" and ws.auto_filter.ref == f"A{HEADER_ROW}:R{HEADER_ROW + 5}"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1


def test_calamine_reads_the_sheet_as_written(refreshed):
    rows = python_calamine.CalamineWorkbook.from_path(str(refreshed)).get_sheet_by_name(SAMPLES_SHEET).to_python()
    body = rows[HEADER_ROW:]
    assert [r[2] for r in body] == SHOWN
    assert [r[14] for r in body] == ["", "123456789", "", "", "0012345678"]
    assert body[1][0] == dt.date(2026, 11, 6) and body[1][12] == dt.date(2026, 11, 9)


def test_the_sheet_is_replaced_each_refresh(refreshed):
    wb = openpyxl.load_workbook(refreshed)
    ws = wb[schema.SAMPLES.sheet]
    ws.cell(row=2, column=schema.SAMPLES.names.index("sent_date") + 1, value=D(2026, 11, 25))   # S-1 sent
    wb.save(refreshed)
    actions.refresh(refreshed, as_of=AS_OF)
    rows = _board(refreshed)
    assert [r[2].value for r in rows] == SHOWN
    assert rows[2][1].value == "OPEN 进行中" and _fill(rows[2][0]) is None
    assert openpyxl.load_workbook(refreshed).sheetnames.count(SAMPLES_SHEET) == 1


@pytest.mark.parametrize("lxml", ["True", "False"], ids=["openpyxl+lxml", "openpyxl-without-lxml"])
def test_the_master_with_the_sheet_is_valid_in_both_openpyxl_writers(lxml, tmp_path):
    """The master is written by openpyxl (`gendan new`, in a process with OPENPYXL_LXML set), then refreshed."""
    script = ("import sys; sys.path.insert(0, 'tests'); from pathlib import Path; "
              "from test_samples_sheet import _master; print(_master(Path(sys.argv[1])))")
    proc = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True,
                          env={**os.environ, "OPENPYXL_LXML": lxml}, cwd=os.path.dirname(os.path.dirname(__file__)))
    assert proc.returncode == 0, proc.stderr
    path = tmp_path / "master.xlsx"
    actions.refresh(path, as_of=AS_OF)
    assert len(_board(path)) == len(SHOWN)
    assert_valid(path)


def test_a_master_without_samples_gets_no_sheet(refreshed):
    wb = openpyxl.load_workbook(refreshed)
    del wb[schema.SAMPLES.sheet], wb[SAMPLES_SHEET]
    wb.save(refreshed)
    actions.refresh(refreshed, as_of=AS_OF)
    assert SAMPLES_SHEET not in openpyxl.load_workbook(refreshed).sheetnames


def test_the_sheet_prints_without_overlaps(refreshed, tmp_path):
    check_sheet(refreshed, SAMPLES_SHEET, tmp_path)


def test_no_open_round_is_a_note_and_a_long_register_shows_the_rounds_due_first():
    empty = samples_sheet(pd.DataFrame(columns=schema.SAMPLES.names), AS_OF)
    assert empty.cells[(HEADER_ROW + 1, 1)][0].startswith("无未结束的样品轮次 No open sample rounds")
    n = SHEET_LIMIT + 2
    rows = pd.DataFrame({name: [None] * n for name in schema.SAMPLES.names}).assign(
        sample_no=[f"S-{i}" for i in range(n)], round=1.0, state="OPEN 进行中",
        due=pd.date_range("2027-01-01", periods=n, freq="h")[::-1])
    spec = samples_sheet(rows, AS_OF)
    assert spec.last_row == HEADER_ROW + SHEET_LIMIT
    assert spec.cells[(HEADER_ROW + 1, 3)][0] == f"S-{n - 1}"
    assert f"未结束 {n} 轮 open rounds" in spec.cells[(2, 1)][0] and f"显示需寄日期最近的 {SHEET_LIMIT} 轮" in spec.cells[(2, 1)][0]


# -- the demo's season -------------------------------------------------------------------------------

def test_the_demo_has_a_season_of_samples_its_approvals_closing_their_milestones(demo_master, tmp_path):
    rows = table_rows(demo_master, schema.SAMPLES)
    states = {r["state"] for r in rows}
    assert {SampleState(s).label for s in ("CLOSED", "OVERDUE", "WAITING", "OPEN")} <= states
    assert {r["courier"] for r in rows} >= {"DHL", "SF 顺丰", "FedEx"}
    assert all(isinstance(r["awb"], str) and r["awb"].startswith("00") for r in rows if r["awb"])
    assert any(r["po_no"] is None and r["kind"] == "SMS 销售样" for r in rows)
    by_sample = {}
    for r in rows:
        by_sample.setdefault(r["sample_no"], []).append(r)
    again = [s for s in by_sample.values() if [r["status"] for r in s] == ["REJECTED 拒绝", "APPROVED 批准"]
             and s[0]["kind"] == "PP 产前样"]
    assert again, "a PP sample rejected, sent again and approved in round 2"
    assert any([r["status"] for r in s] == ["REJECTED 拒绝", "SENT 已寄"] for s in by_sample.values())
    approved = again[0][1]
    # the approval closed the PP milestone of its line: cleared, a refresh sets it again from the approval
    wb = openpyxl.load_workbook(demo_master)
    ws = wb[schema.MILESTONES.sheet]
    cols = {schema.match_header(schema.MILESTONES, c.value): c.column for c in ws[1]}
    at = next(row for row in ws.iter_rows(min_row=2)
              if (row[cols["po_no"] - 1].value, str(row[cols["line"] - 1].value), row[cols["milestone"] - 1].value)
              == (approved["po_no"], str(approved["line"]), "PP_SAMPLE_APPROVED"))
    assert (at[cols["actual_date"] - 1].value, at[cols["source"] - 1].value) == (
        approved["status_date"], sample_mark(approved["sample_no"], 2))
    at[cols["actual_date"] - 1].value = at[cols["source"] - 1].value = None
    wb.save(demo_master)
    assert actions.refresh(demo_master, as_of=AS_OF).samples["set"] == 1
    milestone = next(m for m in table_rows(demo_master, schema.MILESTONES)
                     if (m["po_no"], str(m["line"]), m["milestone"]) == (approved["po_no"], str(approved["line"]),
                                                                         "PP_SAMPLE_APPROVED"))
    assert (milestone["actual_date"], milestone["source"]) == (approved["status_date"],
                                                               sample_mark(approved["sample_no"], 2))
    assert not [r for r in table_rows(demo_master, schema.IMPORT_ISSUES) if r["sheet"] == schema.SAMPLES.sheet]
    board = _board(demo_master)
    assert [r[1].value for r in board].count("OVERDUE 逾期未寄") == 1
    assert_valid(demo_master)


def test_the_demos_refresh_leaves_its_samples_and_the_change_log_as_they_are(demo_dir):
    """The season is recorded as earlier refreshes left it: the demo's own refresh logged nothing."""
    assert table_rows(demo_dir / "master.xlsx", schema.CHANGE_LOG) == []


def test_the_demos_sheet_prints_without_overlaps(demo_master, tmp_path):
    check_sheet(demo_master, SAMPLES_SHEET, tmp_path)


# -- the ribbon's 样品 Samples button ----------------------------------------------------------------

def _as_of_setting(path):
    """The Settings' as-of date fixed at the demo's: the button refreshes as of it, not today."""
    set_settings(path, {"as_of": AS_OF.isoformat()})
    return path


def test_the_samples_button_is_in_the_ribbon_with_an_allowlisted_tag():
    import xml.etree.ElementTree as ET

    from gendan_xl.excel import ribbon
    from gendan_xl.xlsm.ribbon_xml import CUSTOMUI_NS, ribbon_xml
    buttons = {b.get("tag"): b for b in ET.fromstring(ribbon_xml()).iter(f"{{{CUSTOMUI_NS}}}button")}
    assert buttons["samples"].get("label") == "样品 Samples"
    assert buttons["samples"].get("onAction") == "GendanRibbonAction"
    assert ribbon.command("samples") is ribbon.COMMANDS["samples"]


def test_the_samples_button_refreshes_shows_the_sheet_and_sums_it_up(demo_master):
    from gendan_xl.excel import ribbon
    from gendan_xl.store.xlwings_book import XlwingsWorkbook
    from xlwings_memory_engine import open_book
    book = open_book(_as_of_setting(demo_master))
    book.sheets[schema.ORDERS.sheet].api.Activate()
    ribbon.run("samples", book)
    (alert,) = book.app.impl.alerts
    lines = alert["prompt"].splitlines()
    assert alert["mode"] == "info" and lines[0] == f"样品已刷新 Samples refreshed · 截至 as of {AS_OF.isoformat()}"
    assert ("未结束 Open 7 · 数据有误 INVALID 0 · 逾期未寄 OVERDUE 1 · 待客户批复 WAITING 1 · 进行中 OPEN 5") in lines
    assert book.sheets.active.name == SAMPLES_SHEET and book.impl.saves == [None]
    live = XlwingsWorkbook(book)
    assert live.read(schema.ORDERS).frame["flag"].notna().all()   # refreshed as the Refresh button does
    shown = [book.sheets[SAMPLES_SHEET].range((r, 2)).value for r in range(HEADER_ROW + 1, HEADER_ROW + 8)]
    assert shown.count("OVERDUE 逾期未寄") == 1 and shown.count("WAITING 待客户批复") == 1 and None not in shown


def test_the_samples_button_gives_a_master_without_samples_the_table(demo_master):
    from gendan_xl.excel import ribbon
    from gendan_xl.store.xlwings_book import XlwingsWorkbook
    from xlwings_memory_engine import open_book
    wb = openpyxl.load_workbook(_as_of_setting(demo_master))
    del wb[schema.SAMPLES.sheet], wb[SAMPLES_SHEET]
    wb.save(demo_master)
    book = open_book(demo_master)
    ribbon.run("samples", book)
    (alert,) = book.app.impl.alerts
    assert alert["mode"] == "info", alert["prompt"]
    assert f"新增工作表 Added sheet: {schema.SAMPLES.sheet}" in alert["prompt"]
    assert "未结束 Open 0 · 数据有误 INVALID 0 · 逾期未寄 OVERDUE 0" in alert["prompt"]
    assert XlwingsWorkbook(book).has_table(schema.SAMPLES) and book.sheets.active.name == SAMPLES_SHEET


def test_an_emptied_register_leaves_the_milestones_its_approvals_closed_as_they_are(demo_master):
    """A register with no rounds has nothing to close, clear or put off: the plan is not looked
    through, and the actual dates earlier approvals set keep their dates and marks."""
    marked = [(m["po_no"], m["line"], m["milestone"], m["actual_date"], m["source"])
              for m in table_rows(demo_master, schema.MILESTONES) if str(m["source"] or "").startswith("样品 sample")]
    assert marked
    wb = openpyxl.load_workbook(demo_master)
    ws = wb[schema.SAMPLES.sheet]
    for row in ws.iter_rows(min_row=2):   # every round's cells blanked: the table keeps empty rows
        for cell in row:
            cell.value = None
    wb.save(demo_master)
    result = actions.refresh(demo_master, as_of=AS_OF)
    assert (result.samples["set"], result.samples["cleared"], result.samples["overdue"]) == (0, 0, [])
    assert marked == [(m["po_no"], m["line"], m["milestone"], m["actual_date"], m["source"])
                      for m in table_rows(demo_master, schema.MILESTONES)
                      if str(m["source"] or "").startswith("样品 sample")]
