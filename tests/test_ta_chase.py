"""Chase files ask for the next milestone dates (issue 11 §4): a line warned by a late milestone is
chased, its file names the next supplier milestone and has a yellow column for its date; filled in
and sent back, the file syncs that date into the Milestones table. Printed by LibreOffice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from gendan_xl import actions, schema
from gendan_xl.workbook import chase_file
from ooxml import assert_valid
from test_milestones import AS_OF, _day, _master, _table
from test_sheets_print import _check_sheet

D = dt.date


def test_chase_asks_for_the_next_milestone_and_the_answer_syncs(tmp_path):
    master = _master(tmp_path)
    actions.plan(master, as_of=AS_OF)
    out = actions.chase(master, out=tmp_path / "chase", as_of=D(2027, 1, 4))
    (entry,) = out["files"]
    assert entry["reasons"] == {"WILL_BE_LATE+NO_NEWS": 1}    # the lab dip is late; the ETA looks fine
    path = Path(entry["file"])
    ws = openpyxl.load_workbook(path)[chase_file.SHEET]
    header = [c.value for c in ws[chase_file.HEADER_ROW]]
    assert header[-2:] == [chase_file.NEXT_HEADER, "面料到厂 Fabric in-house"]
    row = [c.value for c in ws[chase_file.HEADER_ROW + 1]]
    assert row[-2] == "面料到厂 Fabric in-house · 计划 plan 2027-01-19" and row[-1] is None
    assert "色样确认 LAB_DIP_APPROVED plan 2026-12-28, not done at 2027-01-04" in row[header.index("催单原因 Why we ask")]
    assert ws.cell(chase_file.HEADER_ROW, len(header)).fill.fgColor.rgb.endswith("FFC000")   # an answer column
    assert_valid(path)
    _check_sheet(path, chase_file.SHEET, tmp_path, [*header, ws["A1"].value])

    ws.cell(chase_file.HEADER_ROW + 1, len(header)).value = dt.datetime(2027, 1, 15)   # the supplier answers
    ws.parent.save(path)
    result = actions.sync(master, [path], as_of=D(2027, 1, 18))
    assert result["files"][0]["milestone_dates"] == 1
    fabric = next(r for r in _table(master, schema.MILESTONES) if r["milestone"] == "FABRIC_IN")
    assert _day(fabric["actual_date"]) == D(2027, 1, 15) and fabric["flag"] == "DONE 按时完成"
