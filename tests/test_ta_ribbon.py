"""The 排期 Plan ribbon button on real xlwings books (tests/xlwings_memory_engine.py):
the tag is allowlisted and in the ribbon XML, Plan fills the live book's Milestones table, and a live
book from before T&A (no T&A tables) gets them added."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import openpyxl

from conftest import AS_OF
from gendan_xl.model import schema
from gendan_xl.excel import ribbon
from gendan_xl.xlsm.ribbon_xml import CUSTOMUI_NS, RIBBON_TAGS, ribbon_xml
from gendan_xl.sheets.ta_sheet import TA_SHEET
from gendan_xl.store.xlwings_book import XlwingsWorkbook
from gendan_xl.model.flags import Flag, MilestoneState
from xlwings_memory_engine import open_book


def _with_as_of(path, *, unplanned: bool = False):
    """The Settings as-of date fixed, so the live book plans at the demo's date (``unplanned``: the
    demo's milestone rows removed, as before a first plan)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[schema.SETTINGS.sheet]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "as_of":
            row[1].value = AS_OF.isoformat()
    if unplanned:
        ms = wb[schema.MILESTONES.sheet]
        ms.delete_rows(2, ms.max_row)
        ms.tables[schema.MILESTONES.name].ref = f"A1:{openpyxl.utils.get_column_letter(ms.max_column)}2"
    wb.save(path)
    return path


def test_plan_is_a_ribbon_button_with_an_allowlisted_tag():
    assert "plan" in RIBBON_TAGS and ribbon.command("plan") is ribbon.COMMANDS["plan"]
    root = ET.fromstring(ribbon_xml())
    buttons = {b.get("tag"): b for b in root.iter(f"{{{CUSTOMUI_NS}}}button")}
    assert buttons["plan"].get("label") == "排期 Plan" and buttons["plan"].get("onAction") == "GendanRibbonAction"


def test_plan_button_fills_the_milestones_of_the_live_book(demo_master):
    book = open_book(_with_as_of(demo_master, unplanned=True))
    ribbon.run("plan", book)
    (alert,) = book.app.impl.alerts
    assert alert["mode"] == "info" and alert["prompt"].startswith("排期完成 Planned")
    wb = XlwingsWorkbook(book)
    rows = wb.read(schema.MILESTONES).frame
    flags = wb.read(schema.ORDERS).frame["flag"].map(Flag.read)
    open_lines = flags.isin(["LATE", "WILL_BE_LATE", "AT_RISK", "ON_TRACK"]).sum()
    assert len(rows) == 7 * open_lines and rows["plan_date"].notna().all()
    assert rows["state"].isin([s.label for s in MilestoneState]).all()
    assert TA_SHEET in [s.name for s in book.sheets]
    assert book.impl.saves == [None]


def test_plan_button_adds_the_tables_to_an_older_live_book(demo_master):
    wb = openpyxl.load_workbook(_with_as_of(demo_master))
    del wb[schema.TA_TEMPLATES.sheet], wb[schema.MILESTONES.sheet]
    wb.save(demo_master)
    book = open_book(demo_master)
    assert not XlwingsWorkbook(book).has_table(schema.MILESTONES)
    ribbon.run("plan", book)
    assert book.app.impl.alerts[0]["prompt"].startswith("排期完成 Planned"), book.app.impl.alerts
    assert "新增工作表 added sheets: 工序模板 T&A Templates, 工序 Milestones" in book.app.impl.alerts[0]["prompt"]
    live = XlwingsWorkbook(book)
    templates = live.read(schema.TA_TEMPLATES).frame
    assert list(templates["milestone"]) == [code for code, *_ in schema.APPAREL]
    assert len(live.read(schema.MILESTONES).frame) > 0
