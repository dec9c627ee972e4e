"""T&A milestones: templates seeded by `gendan new`, `gendan plan` on new and older masters,
plans counted back in the supplier's calendar (CN 2027 Spring Festival), user plans kept, re-planning,
bad input, and the first late milestone warning in refresh. Workbooks are re-read with openpyxl."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from gendan_xl import actions
from gendan_xl.model import schema
from ooxml import assert_valid
from ta_book import DUE, day_of, edit, rows_of, ta_master

D = dt.date
AS_OF = D(2026, 11, 26)
# CN 2027 weekday holidays as seeded from `holidays` (New Year, Spring Festival), and one makeup
# Saturday the user types into the Calendar sheet (the official 2027 makeup days are not in the libraries).
CN_OFF = {D(2027, 1, 1), D(2027, 2, 5), D(2027, 2, 8), D(2027, 2, 9), D(2027, 2, 10)}
CN_MAKEUP = D(2027, 2, 20)
APPAREL = [("LAB_DIP_APPROVED", 45), ("FABRIC_IN", 30), ("PP_SAMPLE_APPROVED", 25), ("CUTTING_START", 20),
           ("SEWING_START", 15), ("FINAL_INSPECTION", 3), ("EX_FACTORY", 0)]


def _cn_workday(day: dt.date) -> bool:
    return day == CN_MAKEUP or (day.weekday() < 5 and day not in CN_OFF)


def _walk_back(due: dt.date, lead: int) -> dt.date:
    """The day ``lead`` CN working days before ``due`` (an independent day-by-day count)."""
    day, counted = due, 0
    while counted < lead:
        day -= dt.timedelta(days=1)
        counted += _cn_workday(day)
    return day


def _plans(path) -> dict[str, dt.date]:
    return {r["milestone"]: day_of(r["plan_date"]) for r in rows_of(path, schema.MILESTONES) if r["po_no"] == "PO-1"}


def test_new_master_seeds_apparel_template(tmp_path):
    path = tmp_path / "m.xlsx"
    actions.new_master(path)
    rows = rows_of(path, schema.TA_TEMPLATES)
    assert [(r["template"], r["milestone"], r["lead_wd"], r["critical"]) for r in rows] == [
        ("APPAREL", code, lead, "是 yes") for code, lead in APPAREL]
    assert rows[1]["name"] == "面料到厂 Fabric in-house" and rows[1]["owner"] == "SUPPLIER 供应商"
    wb = openpyxl.load_workbook(path)
    assert schema.MILESTONES.name in wb[schema.MILESTONES.sheet].tables
    assert_valid(path)


def test_plan_counts_back_in_the_cn_calendar_with_spring_festival(tmp_path):
    path = ta_master(tmp_path)
    summary = actions.plan(path, as_of=AS_OF)
    assert summary.milestones_added == 7 and summary.open_lines == 1   # PO-2 is shipped: no plan
    plans = _plans(path)
    assert plans == {code: _walk_back(DUE, lead) for code, lead in APPAREL}
    # counted by hand: 30 CN working days before Fri 2027-03-05, Spring Festival off, Sat 02-20 worked
    assert plans["FABRIC_IN"] == D(2027, 1, 19)
    assert plans["LAB_DIP_APPROVED"] == D(2026, 12, 28)
    assert plans["EX_FACTORY"] == DUE
    rows = [r for r in rows_of(path, schema.MILESTONES) if r["milestone"] == "FABRIC_IN"]
    assert rows[0]["owner"] == "SUPPLIER 供应商" and day_of(rows[0]["planned_from"]) == DUE
    assert rows[0]["state"] == "LATER 未到期"
    assert_valid(path)


def test_replan_moves_only_gendan_plans(tmp_path):
    path = ta_master(tmp_path)
    actions.plan(path, as_of=AS_OF)
    # The user types over FABRIC_IN's plan (planned_from left as it was) and owns CUTTING_START's plan
    edit(path, schema.MILESTONES.sheet, {"milestone": "FABRIC_IN"}, {"plan_date": dt.datetime(2027, 1, 12)})
    edit(path, schema.MILESTONES.sheet, {"milestone": "CUTTING_START"},
          {"plan_date": dt.datetime(2027, 2, 1), "planned_from": None})
    # and blanks SEWING_START's plan
    edit(path, schema.MILESTONES.sheet, {"milestone": "SEWING_START"}, {"plan_date": None})
    new_due = D(2027, 3, 12)
    edit(path, schema.ORDERS.sheet, {"po_no": "PO-1"}, {"due_date": dt.datetime(2027, 3, 12)})
    summary = actions.plan(path, as_of=AS_OF)
    assert (summary.milestones_added, summary.plans_moved, summary.plans_filled,
            summary.user_plans_kept) == (0, 4, 1, 2)
    plans = _plans(path)
    assert plans["FABRIC_IN"] == D(2027, 1, 12) and plans["CUTTING_START"] == D(2027, 2, 1)
    for code, lead in APPAREL:
        if code not in ("FABRIC_IN", "CUTTING_START"):
            assert plans[code] == _walk_back(new_due, lead), code
    assert len(rows_of(path, schema.MILESTONES)) == 7


def test_plan_adds_the_tables_to_an_older_master(tmp_path):
    path = ta_master(tmp_path)
    wb = openpyxl.load_workbook(path)   # a master from before T&A: no T&A sheets
    del wb[schema.TA_TEMPLATES.sheet], wb[schema.MILESTONES.sheet]
    wb.save(path)
    out = subprocess.run([sys.executable, "-m", "gendan_xl", "plan", str(path), "--as-of", "2026-11-26", "--json"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["tables_added"] == [schema.TA_TEMPLATES.sheet, schema.MILESTONES.sheet]
    assert result["milestones_added"] == 7
    assert [r["milestone"] for r in rows_of(path, schema.TA_TEMPLATES)] == [c for c, _ in APPAREL]
    assert _plans(path)["FABRIC_IN"] == D(2027, 1, 19)
    wb = openpyxl.load_workbook(path)
    assert wb[schema.MILESTONES.sheet].freeze_panes == "A2"
    assert wb[schema.MILESTONES.sheet].page_setup.orientation == "landscape"
    assert_valid(path)


def _gendan(*args):
    return subprocess.run([sys.executable, "-m", "gendan_xl", *map(str, args)], capture_output=True, text=True)


@pytest.mark.parametrize("case", ["bad_date", "unknown_code", "unknown_template", "bad_lead", "unknown_option"])
def test_bad_input_names_file_sheet_row_column_value(tmp_path, case):
    path = ta_master(tmp_path, supplier_template="KNIT" if case == "unknown_template" else None)
    if case != "unknown_template":
        actions.plan(path, as_of=AS_OF)
    expected = {
        "bad_date": (schema.MILESTONES.sheet, "row 3", "计划日期 Plan date", "'next week'", "工序日期无效"),
        "unknown_code": (schema.MILESTONES.sheet, "row 3", "工序代码 Milestone code", "'FABRIC_INN'", "未知工序代码"),
        "unknown_template": (schema.SUPPLIERS.sheet, "row 2", "工序模板 T&A template", "'KNIT'", "未知工序模板"),
        "bad_lead": (schema.TA_TEMPLATES.sheet, "row 3", "出厂前工作日 Lead WD before ex-factory", "'thirty'",
                     "数字无效"),
        "unknown_option": (None, None, "--template", "'WOVEN'", "未知工序模板"),
    }[case]
    if case == "bad_date":
        edit(path, schema.MILESTONES.sheet, {"milestone": "FABRIC_IN"}, {"plan_date": "next week"})
    if case == "unknown_code":
        edit(path, schema.MILESTONES.sheet, {"milestone": "FABRIC_IN"}, {"milestone": "FABRIC_INN"})
    if case == "bad_lead":
        edit(path, schema.TA_TEMPLATES.sheet, {"milestone": "FABRIC_IN"}, {"lead_wd": "thirty"})
    args = ["plan", path, "--as-of", "2026-11-26"] + (["--template", "WOVEN"] if case == "unknown_option" else [])
    out = _gendan(*args) if case in ("unknown_template", "unknown_option") else _gendan("refresh", path, "--as-of",
                                                                                         "2026-11-26")
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    for part in (p for p in expected if p):
        assert part in out.stderr, (part, out.stderr)
    assert "master.xlsx" in out.stderr


def _line(path) -> dict:
    return next(r for r in rows_of(path, schema.ORDERS) if r["po_no"] == "PO-1")


def _state(path, code) -> dict:
    return next(r for r in rows_of(path, schema.MILESTONES) if r["milestone"] == code)


def test_first_late_milestone_warns_while_the_eta_looks_fine(tmp_path):
    path = ta_master(tmp_path)
    actions.plan(path, as_of=AS_OF)
    assert _line(path)["flag"] == "ON_TRACK 正常"   # ETA 2027-02-26, 5 WD before due; no milestone late yet
    # 2027-01-04: the lab dip (plan 2026-12-28) is not approved; 45 WD to go -> 2027-03-11 > 2027-03-05
    actions.refresh(path, as_of=D(2027, 1, 4))
    line = _line(path)
    assert line["flag"] == "WILL_BE_LATE 将延误"
    assert line["why"].startswith("色样确认 LAB_DIP_APPROVED plan 2026-12-28, not done at 2027-01-04 (+4 WD) → "
                                  "ex-factory ≥ 2027-03-11 > 交期 2027-03-05: -4 WD (CN); ETA: ETA 2027-02-26")
    assert line["slack_wd"] == -4
    state = _state(path, "LAB_DIP_APPROVED")
    assert state["state"] == "OVERDUE 已逾期" and state["slack_wd"] == -4
    assert state["why"] == "计划 plan 2026-12-28, 未完成 not done (CN)"
    # approved on time: the ETA decides again
    edit(path, schema.MILESTONES.sheet, {"milestone": "LAB_DIP_APPROVED"}, {"actual_date": dt.datetime(2026, 12, 24)})
    actions.refresh(path, as_of=D(2027, 1, 4))
    assert _line(path)["flag"] == "ON_TRACK 正常"
    assert _state(path, "LAB_DIP_APPROVED")["state"] == "DONE 按时完成"
    # approved 4 WD late (2027-01-04): ex-factory no earlier than 2027-03-05 + 4 WD
    edit(path, schema.MILESTONES.sheet, {"milestone": "LAB_DIP_APPROVED"}, {"actual_date": dt.datetime(2027, 1, 4)})
    actions.refresh(path, as_of=D(2027, 1, 5))
    line = _line(path)
    assert line["flag"] == "WILL_BE_LATE 将延误" and line["slack_wd"] == -4
    assert "done 2027-01-04 (+4 WD) → ex-factory ≥ 2027-03-11" in line["why"]
    state = _state(path, "LAB_DIP_APPROVED")
    assert state["state"] == "DONE_LATE 延迟完成"
    assert state["why"] == "计划 plan 2026-12-28, 完成 done 2027-01-04: 晚 +4 WD late (CN) → 出厂 ex-factory ≥ 2027-03-11"
    # 3 WD late is within the default grace (milestone_grace_wd 3): at risk, not will-be-late
    edit(path, schema.MILESTONES.sheet, {"milestone": "LAB_DIP_APPROVED"}, {"actual_date": dt.datetime(2026, 12, 31)})
    actions.refresh(path, as_of=D(2027, 1, 5))
    line = _line(path)
    assert line["flag"] == "AT_RISK 有风险" and line["slack_wd"] == -3
    assert "done 2026-12-31 (+3 WD) → ex-factory ≥ 2027-03-10 > 交期 2027-03-05: -3 WD (CN) (≤ 3 WD" in line["why"]
    # a later milestone done on time clears the late one before it
    edit(path, schema.MILESTONES.sheet, {"milestone": "FABRIC_IN"}, {"actual_date": dt.datetime(2027, 1, 19)})
    actions.refresh(path, as_of=D(2027, 1, 20))
    assert _line(path)["flag"] == "ON_TRACK 正常"


def test_a_milestone_done_after_the_as_of_date_is_not_done_then(tmp_path):
    path = ta_master(tmp_path)
    actions.plan(path, as_of=AS_OF)
    edit(path, schema.MILESTONES.sheet, {"milestone": "LAB_DIP_APPROVED"}, {"actual_date": dt.datetime(2027, 1, 6)})
    actions.refresh(path, as_of=D(2027, 1, 4), history=False)   # a what-if of a day before it was approved
    state = _state(path, "LAB_DIP_APPROVED")
    assert state["state"] == "OVERDUE 已逾期" and state["why"] == "计划 plan 2026-12-28, 未完成 not done (CN)"
    assert _line(path)["flag"] == "WILL_BE_LATE 将延误"
    actions.refresh(path, as_of=D(2027, 1, 6), history=False)
    assert _state(path, "LAB_DIP_APPROVED")["state"] == "DONE_LATE 延迟完成"


def test_user_plan_with_buffer_gives_at_risk_and_non_critical_never_warns(tmp_path):
    path = ta_master(tmp_path)
    actions.plan(path, as_of=AS_OF)
    # the user planned the fabric 3 WD earlier than gendan (2027-01-14, planned_from cleared)
    edit(path, schema.MILESTONES.sheet, {"milestone": "FABRIC_IN"},
          {"plan_date": dt.datetime(2027, 1, 14), "planned_from": None})
    edit(path, schema.MILESTONES.sheet, {"milestone": "LAB_DIP_APPROVED"}, {"actual_date": dt.datetime(2026, 12, 24)})
    # 2027-01-18 (+2 WD past the user's plan): 30 WD to go -> 2027-03-04, 1 WD before due: at risk
    actions.refresh(path, as_of=D(2027, 1, 18))
    line = _line(path)
    assert line["flag"] == "AT_RISK 有风险" and line["slack_wd"] == 1
    assert line["why"].startswith("面料到厂 FABRIC_IN plan 2027-01-14, not done at 2027-01-18 (+2 WD)")
    edit(path, schema.TA_TEMPLATES.sheet, {"milestone": "FABRIC_IN"}, {"critical": "否 no"})
    actions.refresh(path, as_of=D(2027, 1, 18))
    assert _line(path)["flag"] == "ON_TRACK 正常"
    assert _state(path, "FABRIC_IN")["state"] == "OVERDUE 已逾期"


def test_ex_factory_done_without_a_ship_date_says_so_in_why(tmp_path):
    """The goods left the factory 2027-02-26 (EX_FACTORY done) and the line still has no ship date:
    4 WD later nothing is said (ex_factory_ship_wd 5), from 5 WD on why names it (not shipped lines only)."""
    path = ta_master(tmp_path)
    actions.plan(path, as_of=AS_OF)
    done = {code: dt.datetime(2027, 1, 4) for code, _ in APPAREL}
    done["EX_FACTORY"] = dt.datetime(2027, 2, 26)
    for code, day in done.items():
        edit(path, schema.MILESTONES.sheet, {"milestone": code}, {"actual_date": day})
    actions.refresh(path, as_of=D(2027, 3, 4))             # Fri 26 Feb → Thu 4 Mar: 4 WD
    assert "ex-factory done" not in _line(path)["why"]
    actions.refresh(path, as_of=D(2027, 3, 5))
    why = _line(path)["why"]
    assert why.endswith("; 出厂已完成 ex-factory done 2027-02-26, 5 WD 未填出货日期 no ship date yet"), why
    edit(path, schema.ORDERS.sheet, {"po_no": "PO-1"}, {"ship_date": dt.datetime(2027, 3, 1), "shipped_qty": 1000})
    actions.refresh(path, as_of=D(2027, 3, 5))
    line = _line(path)
    assert "ex-factory done" not in line["why"]


def test_the_milestones_export_gives_each_state_as_its_code(tmp_path):
    """`gendan export --table milestones` writes the ``state`` column as codes, as the Orders export
    writes flags (the column was ``flag`` and came out blank: its labels were read as flags)."""
    path = ta_master(tmp_path)
    actions.plan(path, as_of=AS_OF)
    actions.refresh(path, as_of=D(2027, 1, 4))
    out = tmp_path / "milestones.csv"
    assert subprocess.run([sys.executable, "-m", "gendan_xl.cli", "export", str(path), "--table", "milestones",
                           "--out", str(out)], capture_output=True, text=True).returncode == 0
    rows = pd.read_csv(out, dtype=str)
    assert "flag" not in rows.columns
    states = dict(zip(rows["milestone"], rows["state"]))
    assert states["LAB_DIP_APPROVED"] == "OVERDUE" and states["EX_FACTORY"] == "LATER"
    assert set(states.values()) <= {"OVERDUE", "DUE_SOON", "LATER"}
    assert len(states) == 7 == len(rows)
