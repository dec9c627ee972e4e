"""A rejected critical sample moves the line's projection, on a real master (gendan new, plan, load,
refresh, read back by openpyxl): the PP sample's milestone is expected at the next round's approval
(its due date + the customer's median turnaround, else ``sample_turnaround_wd``), the line's flag and
why name the round, the 周报 and ``refresh --json`` show the buyers' turnaround, and an approval puts
the line back as it was. CN calendar 2026: Sun 20 Sep worked, Mid-Autumn Fri 25 Sep, National Day
1–7 Oct, Sat 10 Oct worked."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pandas as pd
import pytest

from gendan_xl import actions
from gendan_xl.actions.context import run_context
from gendan_xl.cli import main
from gendan_xl.model import schema
from gendan_xl.sheets.report_sheet import REPORT_SHEET
from ooxml import assert_valid
from table_rows import table_rows

AS_OF = dt.date(2026, 9, 17)   # a Thursday
DUE = pd.Timestamp("2026-11-06")   # PP_SAMPLE_APPROVED (25 WD) planned Mon 28 Sep


def _load(path, spec: schema.Table, text: str, name: str) -> None:
    file = path.parent / name
    file.write_text(text, encoding="utf-8")
    actions.load_table(path, file, spec, as_of=AS_OF)


def _lines(path) -> dict:
    return {(r["po_no"], str(r["line"])): r for r in table_rows(path, schema.ORDERS)}


@pytest.fixture
def master(tmp_path):
    """Two open lines of a CN supplier due 2026-11-06, planned, their lab dips approved on time."""
    path = tmp_path / "master.xlsx"
    orders = pd.DataFrame({"po_no": ["P100", "P200"], "line": [1, 1], "customer": ["Nordic Home AB", "ACME"],
                           "supplier": "Ningbo Knit", "style": ["ST-1", "ST-9"], "qty": 100,
                           "order_date": pd.Timestamp("2026-07-01"), "due_date": DUE})
    actions.new_master(path, suppliers=pd.DataFrame({"name": ["Ningbo Knit"], "country": ["CN"]}), orders=orders)
    actions.plan(path, as_of=AS_OF)
    _load(path, schema.CUSTOMERS, "name,aliases\nNordic Home AB,NHAB\n", "customers.csv")
    _load(path, schema.SAMPLES, "sample_no,round,kind,po_no,sent_date,status,status_date\n"
          "L-1,1,LAB_DIP,P100,2026-08-10,APPROVED,2026-08-14\nL-2,1,LAB_DIP,P200,2026-08-10,APPROVED,2026-08-14\n",
          "lab_dips.csv")
    actions.refresh(path, as_of=AS_OF)
    return path


def test_a_rejected_pp_sample_moves_the_projection_naming_the_round_until_it_is_approved(master, capsys):
    before = _lines(master)
    assert [before[k]["flag"] for k in (("P100", "1"), ("P200", "1"))] == ["ON_TRACK 正常"] * 2
    pp = {m["po_no"]: m for m in table_rows(master, schema.MILESTONES) if m["milestone"] == "PP_SAMPLE_APPROVED"}
    assert {m["plan_date"] for m in pp.values()} == {dt.datetime(2026, 9, 28)}
    _load(master, schema.SAMPLES, "sample_no,round,kind,customer,po_no,line,sent_date,received_date,status,status_date\n"
          "S-5,1,PP,NHAB,,,,2026-08-27,REJECTED,2026-09-10\n"           # 10 WD, no PO: history only
          "S-12,1,PP,NHAB,P100,1,2026-09-07,2026-09-09,REJECTED,2026-09-16\n"   # 5 WD: median 7.5
          "S-20,1,PP,,P200,1,,,REJECTED,2026-09-16\n", "rejected.csv")   # never timed: ACME has no history
    assert main(["refresh", str(master), "--as-of", AS_OF.isoformat(), "--json"]) == 0
    samples = json.loads(capsys.readouterr().out)["samples"]
    assert samples["added"] == 3   # round 2 of S-12 and S-20 due Tue 22 Sep (17, 18, 20, 21, 22)
    assert samples["turnaround"] == [   # the lab dips: sent Mon 10 Aug, approved Fri 14 Aug
        {"customer": "ACME", "kind": "LAB_DIP", "answered": 1, "median_wd": 4.0, "rounds_to_approval": 1.0,
         "slower": False},
        {"customer": "ACME", "kind": "PP", "answered": 1, "median_wd": None, "rounds_to_approval": None,
         "slower": False},
        {"customer": "Nordic Home AB", "kind": "LAB_DIP", "answered": 1, "median_wd": 4.0, "rounds_to_approval": 1.0,
         "slower": False},
        {"customer": "Nordic Home AB", "kind": "PP", "answered": 2, "median_wd": 7.5, "rounds_to_approval": None,
         "slower": True}]
    assert samples["slower"] == ["Nordic Home AB"]
    lines = _lines(master)
    # Nordic Home: due 22 Sep + 8 WD (7.5 rounded up: 23, 24, 28, 29, 30 Sep, 8, 9, 10 Oct) → approval ≈
    # Sat 10 Oct, 5 WD after the plan; + 25 WD → ex-factory ≥ Fri 13 Nov, 5 WD after the due date: will be
    # late (more than the 3 WD of grace)
    nordic = lines["P100", "1"]
    assert (nordic["flag"], nordic["slack_wd"]) == ("WILL_BE_LATE 将延误", -5)
    assert nordic["why"].startswith(
        "产前样确认 PP_SAMPLE_APPROVED plan 2026-09-28, PP 产前样 S-12 第2轮 round 2 (round 1 rejected 2026-09-16): "
        "应寄 due 2026-09-22 + 8 WD turnaround → 批样 approval ≈ 2026-10-10 (+5 WD) → ex-factory ≥ 2026-11-13 > "
        "交期 2026-11-06: -5 WD (CN); ETA: ")
    # ACME: no timed answer, the usual 5 WD: approval ≈ Wed 30 Sep (+2 WD) → ex-factory ≥ Tue 10 Nov: at risk
    acme = lines["P200", "1"]
    assert (acme["flag"], acme["slack_wd"]) == ("AT_RISK 有风险", -2)
    assert acme["why"].startswith(
        "产前样确认 PP_SAMPLE_APPROVED plan 2026-09-28, PP 产前样 S-20 第2轮 round 2 (round 1 rejected 2026-09-16): "
        "应寄 due 2026-09-22 + 5 WD turnaround (usual: no history) → 批样 approval ≈ 2026-09-30 (+2 WD) → "
        "ex-factory ≥ 2026-11-10 > 交期 2026-11-06: -2 WD (CN) (≤ 3 WD 可追回 may be caught up); ETA: ")
    pp = {m["po_no"]: m for m in table_rows(master, schema.MILESTONES) if m["milestone"] == "PP_SAMPLE_APPROVED"}
    assert pp["P100"]["why"].endswith("→ 批样 approval ≈ 2026-10-10 → 出厂 ex-factory ≥ 2026-11-13")
    report = [c for row in openpyxl.load_workbook(master, read_only=True)[REPORT_SHEET].iter_rows(values_only=True)
              for c in row if c is not None]
    at = report.index("样品周转 Sample turnaround (常规 usual ≤ 5 WD, sample_turnaround_wd)")
    assert report[at + 1] == "慢于常规 Slower than usual: Nordic Home AB"
    assert report[report.index("PP 产前样", at) - 1:report.index("PP 产前样", at) + 5][-6:] == [
        "ACME", "PP 产前样", 1, "Nordic Home AB", "LAB_DIP 色样", 1]
    assert_valid(master)

    # a command that does not apply the register (the chase) projects the same
    run = run_context(master, AS_OF)
    evaluated, _ = run.with_milestones(run.evaluated(), write=False)
    assert evaluated.loc[2, "why"] == nordic["why"] and evaluated.loc[2, "flag"] == "WILL_BE_LATE"

    # round 2 approved on the as-of date: the milestone is done on time and the line is as it was
    _load(master, schema.SAMPLES, "sample_no,round,sent_date,received_date,status,status_date\n"
          "S-12,2,2026-09-16,2026-09-16,APPROVED,2026-09-17\n", "approved.csv")
    actions.refresh(master, as_of=AS_OF)
    after = _lines(master)
    assert (after["P100", "1"]["flag"], after["P100", "1"]["why"]) == (before["P100", "1"]["flag"],
                                                                     before["P100", "1"]["why"])
    assert after["P200", "1"]["flag"] == "AT_RISK 有风险"
    pp = {m["po_no"]: m for m in table_rows(master, schema.MILESTONES) if m["milestone"] == "PP_SAMPLE_APPROVED"}
    assert (pp["P100"]["actual_date"], pp["P100"]["source"]) == (dt.datetime(2026, 9, 17), "样品 sample S-12 / 2")
    assert "S-12" not in pp["P100"]["why"]
