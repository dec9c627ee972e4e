"""Chase files ask for the next milestone dates: a line warned by a late milestone is
chased, its file names the next supplier milestone and has a yellow column for its date; filled in
and sent back, the file syncs that date into the Milestones table. Printed by LibreOffice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from conftest import AS_OF
from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.outputs import chase_file
from ooxml import assert_valid
from printed import check_sheet
from ta_book import day_of, rows_of, ta_master

D = dt.date


def test_chase_asks_for_the_next_milestone_and_the_answer_syncs(tmp_path):
    master = ta_master(tmp_path)
    actions.plan(master, as_of=AS_OF)
    out = actions.chase(master, out=tmp_path / "chase", as_of=D(2027, 1, 4))
    (entry,) = out.files
    assert entry.reasons == {"WILL_BE_LATE+NO_NEWS": 1}    # the lab dip is late; the ETA looks fine
    path = Path(entry.file)
    ws = openpyxl.load_workbook(path)[chase_file.SHEET]
    header = [c.value for c in ws[chase_file.HEADER_ROW]]
    assert header[-2:] == [chase_file.NEXT_HEADER, "面料到厂 Fabric in-house"]
    row = [c.value for c in ws[chase_file.HEADER_ROW + 1]]
    assert row[-2] == "面料到厂 Fabric in-house · 计划 plan 2027-01-19" and row[-1] is None
    # late by the customer's lab dip, not a milestone of the supplier's: it is asked to confirm, told nothing else
    ask = row[header.index("请回复 What we ask")]
    assert ask.startswith("请确认能按期出货 please confirm the due date; ") and "LAB_DIP" not in ask and "色样" not in ask
    assert ws.cell(chase_file.HEADER_ROW, len(header)).fill.fgColor.rgb.endswith("FFC000")   # an answer column
    assert_valid(path)
    check_sheet(path, chase_file.SHEET, tmp_path, [*header, ws["A1"].value])

    ws.cell(chase_file.HEADER_ROW + 1, len(header)).value = dt.datetime(2027, 1, 15)   # the supplier answers
    ws.parent.save(path)
    result = actions.sync(master, [path], as_of=D(2027, 1, 18))
    assert result.files[0].milestone_dates == 1
    fabric = next(r for r in rows_of(master, schema.MILESTONES) if r["milestone"] == "FABRIC_IN")
    assert day_of(fabric["actual_date"]) == D(2027, 1, 15) and fabric["state"] == "DONE 按时完成"


def test_an_overdue_milestone_of_the_supplier_is_asked_by_its_name_and_plan(tmp_path):
    master = ta_master(tmp_path)
    actions.plan(master, as_of=AS_OF)
    (entry,) = actions.chase(master, out=tmp_path / "chase", as_of=D(2027, 1, 21)).files
    ws = openpyxl.load_workbook(entry.file)[chase_file.SHEET]
    header = [c.value for c in ws[chase_file.HEADER_ROW]]
    ask = ws.cell(chase_file.HEADER_ROW + 1, header.index("请回复 What we ask") + 1).value
    assert ask.startswith("面料到厂 Fabric in-house 尚未完成 (计划 2027-01-19) not done yet (plan 2027-01-19); ")
    assert "FABRIC_IN" not in ask and "LAB_DIP" not in ask and "请确认" not in ask
    assert ask in entry.message
