"""`gendan sync` reads milestone dates: a messy supplier file (title rows, merged title,
Chinese dates, serials, TBD, total row), aliases, --map CODE=Header saved as a profile, change log,
conflicts on milestones we own, issues, idempotent re-import. Workbooks re-read with openpyxl."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import openpyxl
import pandas as pd

from conftest import AS_OF
from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.ta.milestones import seed_templates
from gendan_xl.ta.views import next_milestones
from gendan_xl.model.words import reason_code
from ooxml import assert_valid
from ta_book import day_of, edit, rows_of, ta_master

D = dt.date


def _supplier_file(path, *, own_header="大货面料到厂日期"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "进度 Progress"
    ws["A1"] = "华美服饰 生产进度表 Production status"
    ws.merge_cells("A1:H1")
    ws["A2"] = "更新日期: 2027年1月20日"
    ws.append(["订单号", "行号", "预计完工", "色样确认", own_header, "裁剪 Cutting", "车缝", "尾查"])
    ws.append(["PO-1", 1, "2027-02-26", "2026-12-20", "2027年1月15日", dt.datetime(2027, 1, 25), "TBD", None])
    ws.append(["PO-9", 1, "2027-02-26", None, "2027/1/16", None, None, None])
    ws.append(["合计 Total", None, None, None, None, None, None, None])
    wb.save(path)
    return path


def _gendan(*args):
    return subprocess.run([sys.executable, "-m", "gendan_xl", *map(str, args)], capture_output=True, text=True)


def _actuals(path) -> dict:
    return {r["milestone"]: day_of(r["actual_date"]) for r in rows_of(path, schema.MILESTONES) if r["po_no"] == "PO-1"}


def test_sync_reads_milestone_dates_from_a_messy_file(tmp_path):
    master = ta_master(tmp_path)
    actions.plan(master, as_of=AS_OF)
    edit(master, schema.MILESTONES.sheet, {"milestone": "LAB_DIP_APPROVED"}, {"actual_date": dt.datetime(2026, 12, 22)})
    supplier = _supplier_file(tmp_path / "huamei.xlsx")
    out = _gendan("sync", master, supplier, "--map", "FABRIC_IN=大货面料到厂日期", "--as-of", "2027-01-20", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["files"][0]["milestone_dates"] == 2
    actual = _actuals(master)
    assert actual["FABRIC_IN"] == D(2027, 1, 15) and actual["CUTTING_START"] == D(2027, 1, 25)
    assert actual["SEWING_START"] is None and actual["FINAL_INSPECTION"] is None   # TBD and blank erase nothing
    assert actual["LAB_DIP_APPROVED"] == D(2026, 12, 22)   # the customer's milestone: ours, not changed
    log = [r for r in rows_of(master, schema.CHANGE_LOG)]
    applied = {(r["field"], r["new"], r["note"]) for r in log}
    assert ("FABRIC_IN 实际日期 Actual date", "2027-01-15", "同步 sync") in applied
    assert ("CUTTING_START 实际日期 Actual date", "2027-01-25", "同步 sync") in applied
    assert ("LAB_DIP_APPROVED 实际日期 Actual date", "2026-12-20", "冲突未应用 conflict, not applied") in applied
    issues = {(reason_code(r["reason"]), r["column"], r["row"]) for r in rows_of(master, schema.IMPORT_ISSUES)}
    assert ("conflict", "色样确认", 4) in issues
    assert ("date_marker", "车缝", 4) in issues
    assert ("unknown_order", "PO", 5) in issues
    profiles = {(r["profile"], r["field"], r["header"]) for r in rows_of(master, schema.PROFILES)}
    assert ("huamei", "FABRIC_IN", "大货面料到厂日期") in profiles
    fabric = next(r for r in rows_of(master, schema.MILESTONES) if r["milestone"] == "FABRIC_IN")
    assert fabric["state"] == "DONE 按时完成"   # plan 2027-01-19, done 2027-01-15
    assert_valid(master)

    # The same file again, without --map: the saved profile reads it; nothing new is logged
    before = len(log)
    again = _gendan("sync", master, supplier, "--as-of", "2027-01-20", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["files"][0]["profile"] == "huamei"
    assert json.loads(again.stdout)["files"][0]["milestone_dates"] == 0
    assert len(rows_of(master, schema.CHANGE_LOG)) == before


def test_sync_milestone_for_a_line_without_rows_and_unknown_code(tmp_path):
    master = ta_master(tmp_path)      # no `gendan plan` yet: the Milestones table is empty
    supplier = _supplier_file(tmp_path / "huamei.xlsx", own_header="面料到厂")
    out = _gendan("sync", master, supplier, "--as-of", "2027-01-20", "--json")
    assert out.returncode == 0, out.stderr
    rows = [r for r in rows_of(master, schema.IMPORT_ISSUES) if reason_code(r["reason"]) == "not_imported"]
    assert any(r["column"] == "面料到厂" and "gendan plan" in r["message"] and r["value"] == "2027-01-15"
               for r in rows)
    bad = _gendan("sync", master, supplier, "--map", "FABRIC_INN=面料到厂")
    assert bad.returncode == 1 and "FABRIC_INN" in bad.stderr and "unknown field or milestone code" in bad.stderr


def test_a_milestone_row_whose_line_reads_1_0_is_line_1(tmp_path):
    """The order line is typed ``1``, its Milestones rows say ``1.0``: one line. A second
    `plan` adds no second set of rows, the supplier's date lands on them and refresh judges them (the
    date was "not imported: run gendan plan first"); the Milestones Line text is left as typed."""
    master = ta_master(tmp_path)
    actions.plan(master, as_of=AS_OF)
    edit(master, schema.MILESTONES.sheet, {"po_no": "PO-1"}, {"line": "1.0"})
    assert actions.plan(master, as_of=AS_OF).milestones_added == 0
    result = actions.sync(master, [_supplier_file(tmp_path / "huamei.xlsx")],
                          mapping={"FABRIC_IN": "大货面料到厂日期"}, as_of=D(2027, 1, 20))
    assert result.files[0].milestone_dates == 2
    assert _actuals(master)["FABRIC_IN"] == D(2027, 1, 15)
    rows = [r for r in rows_of(master, schema.MILESTONES) if r["po_no"] == "PO-1"]
    assert len(rows) == 7 and {r["line"] for r in rows} == {"1.0"}
    assert next(r for r in rows if r["milestone"] == "FABRIC_IN")["state"] == "DONE 按时完成"


def test_the_next_milestone_of_line_1_is_found_on_rows_saying_1_0():
    """What the chase file asks next (``ta.views.next_milestones``) keys lines the same way."""
    templates = seed_templates()
    rows = pd.DataFrame({"po_no": "PO-1", "line": "1.0", "milestone": templates["milestone"],
                         "plan_date": pd.date_range("2027-01-04", periods=len(templates)), "actual_date": pd.NaT})
    lines = pd.DataFrame({"po_no": ["PO-1", "PO-1"], "line": ["1", "10"]})
    found = next_milestones(lines, rows, templates)
    assert found["next_code"].tolist()[0] == "FABRIC_IN" and pd.isna(found["next_code"].tolist()[1])


def test_two_files_disagreeing_about_a_milestone_date_apply_neither_whatever_their_order(tmp_path):
    """Files of one sync giving one line's supplier milestone two dates: a conflict, neither applied, in
    whichever order the files are named (before: the last file on the command line won)."""
    template = ta_master(tmp_path)
    actions.plan(template, as_of=AS_OF)
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("订单号,行号,面料到厂,裁剪\nPO-1,1,2027-01-15,2027-01-25\n", encoding="utf-8")
    b.write_text("订单号,行号,面料到厂,裁剪\nPO-1,1,2027-01-16,2027-01-25\n", encoding="utf-8")
    seen = []
    for files in ((a, b), (b, a)):
        master = tmp_path / f"{files[0].stem}{files[1].stem}.xlsx"
        master.write_bytes(template.read_bytes())
        summary = actions.sync(master, list(files), as_of=AS_OF)
        assert summary.issues == {"conflict": 2}
        actual = _actuals(master)
        assert actual["FABRIC_IN"] is None and actual["CUTTING_START"] == D(2027, 1, 25)   # the agreeing date applies
        conflicts = sorted((r["file"], r["column"], r["value"], r["message"]) for r in rows_of(master, schema.IMPORT_ISSUES)
                           if reason_code(r["reason"]) == "conflict")
        assert [c[:3] for c in conflicts] == [("a.csv", "面料到厂", "2027-01-15"), ("b.csv", "面料到厂", "2027-01-16")]
        assert all("a.csv [a] row 2: 2027-01-15; b.csv [b] row 2: 2027-01-16" in c[3] for c in conflicts)
        seen.append(actual)
    assert seen[0] == seen[1]
