"""样品 Samples on real masters re-read by openpyxl: the table `gendan new` writes (drop-downs, the
tracking number as text, the T&A templates' Sample kind column, the Milestones' actual date source,
the sample settings), `gendan load --table samples` (supplier and courier headers, leading zeros
kept, rows the register cannot apply refused with issue rows), and an older master getting the table
and the columns when it needs them."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pandas as pd
import pytest

from conftest import AS_OF, orders_frame
from gendan_xl import actions
from gendan_xl.cli import main
from gendan_xl.model import schema
from gendan_xl.sheets.report_sheet import REPORT_SHEET
from ooxml import assert_valid
from table_rows import table_rows


def _first_line(path) -> dict:
    """The first order line of a master (po_no, line, style, color), as its cells hold them."""
    return next(r for r in table_rows(path, schema.ORDERS) if r["style"] and r["color"])


def _drop_column(path, spec: schema.Table, name: str) -> None:
    """Delete a field's column from its table, as a master an older gendan wrote has it."""
    wb = openpyxl.load_workbook(path)
    ws = wb[spec.sheet]
    header = spec.header(name)
    column = [c.value for c in ws[1]].index(header) + 1
    ws.delete_cols(column)
    table = ws.tables[spec.name]
    start, end = table.ref.split(":")
    last_row = end.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    table.ref = f"{start}:{openpyxl.utils.get_column_letter(ws.max_column)}{last_row}"
    table.tableColumns = [c for c in table.tableColumns if c.name != header]
    for i, c in enumerate(table.tableColumns, start=1):
        c.id = i
    wb.save(path)


@pytest.fixture
def demo_master(demo_master):
    """The demo master without its season of samples (the tests here type their own rounds): its
    Samples rows, and the marks its approvals left on the milestones, taken out."""
    wb = openpyxl.load_workbook(demo_master)
    ws = wb[schema.SAMPLES.sheet]
    ws.delete_rows(2, ws.max_row)
    table = ws.tables[schema.SAMPLES.name]
    table.ref = table.autoFilter.ref = f"A1:{openpyxl.utils.get_column_letter(len(schema.SAMPLES.fields))}2"
    milestones = wb[schema.MILESTONES.sheet]
    source = [c.value for c in milestones[1]].index(schema.MILESTONES.header("source")) + 1
    for (cell,) in milestones.iter_rows(min_row=2, min_col=source, max_col=source):
        cell.value = None
    wb.save(demo_master)
    return demo_master


@pytest.fixture
def new_master(tmp_path):
    path = tmp_path / "master.xlsx"
    actions.new_master(path)
    return path


def test_gendan_new_has_the_samples_table_with_drop_downs_and_the_tracking_number_as_text(new_master):
    wb = openpyxl.load_workbook(new_master)
    ws = wb[schema.SAMPLES.sheet]
    assert [c.value for c in ws[1]] == [f.header for f in schema.SAMPLES.fields]
    assert schema.SAMPLES.name in ws.tables
    lists = {dv.promptTitle: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists[schema.SAMPLES.header("kind")] == ('"LAB_DIP 色样,PROTO 初样,FIT 试身样,SIZE_SET 齐码样,PP 产前样,'
                                                    'TOP 船头样,SHIPMENT 船样,SMS 销售样,PHOTO 拍照样"')
    assert lists[schema.SAMPLES.header("status")] == '"PENDING 待寄,SENT 已寄,RECEIVED 已收,APPROVED 批准,REJECTED 拒绝,CANCELLED 作废"'
    awb = schema.SAMPLES.names.index("awb") + 1
    assert ws.cell(row=2, column=awb).number_format == "@"
    templates = table_rows(new_master, schema.TA_TEMPLATES)
    assert {r["milestone"]: r["sample_kind"] for r in templates if r["sample_kind"]} == {
        "LAB_DIP_APPROVED": "LAB_DIP 色样", "PP_SAMPLE_APPROVED": "PP 产前样"}
    assert schema.MILESTONES.header("source") in [c.value for c in wb[schema.MILESTONES.sheet][1]]
    settings = {r["key"]: r["value"] for r in table_rows(new_master, schema.SETTINGS)}
    assert (settings["sample_resubmit_wd"], settings["sample_reply_wd"], settings["sample_turnaround_wd"]) == (5, 5, 5)
    assert_valid(new_master)


def test_samples_load_from_a_suppliers_file_keeping_the_awbs_leading_zeros(demo_master, tmp_path):
    line = _first_line(demo_master)
    csv = tmp_path / "samples.csv"
    csv.write_text(
        "样品编号,轮次,样品类型,PO号,款号,颜色,寄样日期,快递,Tracking No.,状态,状态日期\n"
        f"S-1,1,LAB_DIP,{line['po_no']},{line['style']},{line['color']},2026-11-02,DHL,0012345678,SENT,\n"
        f"S-2,1,PP 产前样,{line['po_no']},{line['style']},,2026-11-03,SF,00998877,SENT,\n"
        f"S-3,1,FIT,PO-NOT-OURS,,,2026-11-03,SF,0123,SENT,\n"
        f"S-4,1,LAB DIPS,{line['po_no']},,,2026-11-03,SF,0456,SENT,\n"
        "S-5,1,SMS,,ST-NEW,,2026-11-04,EMS,0789,SENT,\n", encoding="utf-8")
    result = actions.load_table(demo_master, csv, schema.SAMPLES, as_of=AS_OF)
    assert (result.added, result.issue_counts) == (3, {"unknown_order": 1, "unknown_code": 1})
    rows = table_rows(demo_master, schema.SAMPLES)
    assert [(r["sample_no"], r["round"], r["awb"], r["courier"]) for r in rows] == [
        ("S-1", 1, "0012345678", "DHL"), ("S-2", 1, "00998877", "SF"), ("S-5", 1, "0789", "EMS")]
    ws = openpyxl.load_workbook(demo_master)[schema.SAMPLES.sheet]
    awb = schema.SAMPLES.names.index("awb") + 1
    assert {ws.cell(row=r, column=awb).number_format for r in (2, 3, 4)} == {"@"}
    issues = table_rows(demo_master, schema.IMPORT_ISSUES)
    assert [(i["file"], i["row"], i["column"], i["value"], i["reason"]) for i in issues[-2:]] == [
        ("samples.csv", 4, "PO号 PO No.", "PO-NOT-OURS", "找不到订单 unknown order"),
        ("samples.csv", 5, "样品类型 Kind", "LAB DIPS", "未知代码 unknown code")]
    assert all(i["message"].endswith("未应用此行 row not applied") for i in issues[-2:])
    assert_valid(demo_master)


def test_a_loaded_change_the_register_cannot_apply_leaves_the_row_as_it_was(demo_master, tmp_path):
    line = _first_line(demo_master)
    first = tmp_path / "first.csv"
    first.write_text(f"sample_no,round,kind,po_no,line,sent_date,status\nS-1,1,PP,{line['po_no']},{line['line']},"
                     "2026-11-02,SENT\n", encoding="utf-8")
    assert actions.load_table(demo_master, first, schema.SAMPLES, as_of=AS_OF).added == 1
    later = tmp_path / "later.csv"
    later.write_text("sample_no,round,kind,status,status_date\nS-1,1,,APPROVED,2026-10-30\nS-1,2,PP,PENDING,\n"
                     "S-1,3,,PENDING,\n", encoding="utf-8")
    result = actions.load_table(demo_master, later, schema.SAMPLES, as_of=AS_OF)
    assert (result.added, result.changed_values) == (1, 0)
    assert result.issue_counts == {"dates_out_of_order": 1, "missing_value": 1}   # round 3 has no kind
    rows = table_rows(demo_master, schema.SAMPLES)
    assert [(r["round"], r["status"], r["status_date"]) for r in rows] == [(1, "SENT", None), (2, "PENDING", None)]
    issue = table_rows(demo_master, schema.IMPORT_ISSUES)[-2]
    assert (issue["file"], issue["row"], issue["column"]) == ("later.csv", 2, "状态日期 Status date")
    assert "approved 2026-10-30, before it was sent 2026-11-02" in issue["message"]


def test_an_older_master_gets_the_samples_table_from_load_table(demo_master, tmp_path, capsys):
    wb = openpyxl.load_workbook(demo_master)
    del wb[schema.SAMPLES.sheet]
    wb.save(demo_master)
    csv = tmp_path / "s.csv"
    csv.write_text("Sample No.,Round,Kind\nDEV-1,1,PROTO 初样\n", encoding="utf-8")
    assert main(["load", str(demo_master), str(csv), "--table", "样品", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert (answer["table"], answer["table_added"], answer["added"]) == ("samples", True, 1)
    assert [(r["sample_no"], r["kind"]) for r in table_rows(demo_master, schema.SAMPLES)] == [("DEV-1", "PROTO 初样")]
    assert_valid(demo_master)


def test_an_older_masters_templates_get_the_sample_kind_column_seeded_and_its_milestones_the_source(demo_master):
    _drop_column(demo_master, schema.TA_TEMPLATES, "sample_kind")
    _drop_column(demo_master, schema.MILESTONES, "source")
    actions.refresh(demo_master, as_of=AS_OF)
    kinds = {r["milestone"]: r["sample_kind"] for r in table_rows(demo_master, schema.TA_TEMPLATES)}
    assert kinds["LAB_DIP_APPROVED"] == "LAB_DIP 色样" and kinds["PP_SAMPLE_APPROVED"] == "PP 产前样"
    assert {k: v for k, v in kinds.items() if k not in schema.SAMPLE_MILESTONES} == dict.fromkeys(
        [code for code, *_ in schema.APPAREL if code not in schema.SAMPLE_MILESTONES])
    headers = [c.value for c in openpyxl.load_workbook(demo_master, read_only=True)[schema.MILESTONES.sheet][1]]
    assert headers[-1] == schema.MILESTONES.header("source")
    assert pd.isna(pd.DataFrame(table_rows(demo_master, schema.MILESTONES))["source"]).all()
    assert_valid(demo_master)


# -- refresh applies the register -------------------------------------------------------------------

def test_refresh_applies_the_register_once(demo_master, tmp_path, capsys):
    milestones = table_rows(demo_master, schema.MILESTONES)
    at = [i for i, m in enumerate(milestones) if m["milestone"] == "LAB_DIP_APPROVED" and m["actual_date"]]
    blank, typed = milestones[at[0]], milestones[at[1]]
    wb = openpyxl.load_workbook(demo_master)   # the first lab dip not approved yet
    wb[schema.MILESTONES.sheet].cell(row=at[0] + 2, column=schema.MILESTONES.names.index("actual_date") + 1).value = None
    wb.save(demo_master)
    csv = tmp_path / "samples.csv"
    csv.write_text(
        "sample_no,round,kind,supplier,po_no,line,sent_date,received_date,status,status_date\n"
        f"S-1,1,LAB_DIP,,{blank['po_no']},{blank['line']},2026-11-02,,APPROVED,2026-11-10\n"
        f"S-2,1,LAB_DIP,,{typed['po_no']},{typed['line']},,,APPROVED,"
        f"{(typed['actual_date'] + pd.Timedelta(days=1)).date()}\n"
        "S-3,1,PP,NBHM,,,2026-09-21,,REJECTED,2026-09-30\n"
        "S-4,1,FIT,NBHM,,,2026-11-09,2026-11-16,RECEIVED,\n", encoding="utf-8")
    assert actions.load_table(demo_master, csv, schema.SAMPLES, as_of=AS_OF).added == 4
    assert main(["refresh", str(demo_master), "--as-of", AS_OF.isoformat(), "--json"]) == 0
    samples = json.loads(capsys.readouterr().out)["samples"]
    customer = {(r["po_no"], str(r["line"])): r["customer"] for r in table_rows(demo_master, schema.ORDERS)}
    approved, untimed = (customer[m["po_no"], str(m["line"])] for m in (blank, typed))
    assert samples == {
        "added": 1, "set": 1, "kept": 1, "cleared": 0, "invalid": 0,
        "overdue": [{"sample_no": "S-3", "round": 2, "kind": "PP", "supplier": "NBHM", "po_no": None,
                     "due": "2026-10-13", "overdue_wd": 32}],
        "waiting": [{"sample_no": "S-4", "round": 1, "kind": "FIT", "customer": None, "po_no": None,
                     "received": "2026-11-16", "wait_wd": 8}],
        "turnaround": [
            {"customer": approved, "kind": "LAB_DIP", "answered": 1, "median_wd": 6.0, "rounds_to_approval": 1.0,
             "slower": True},                                        # sent Mon 2 Nov, approved Tue 10 Nov
            {"customer": untimed, "kind": "LAB_DIP", "answered": 1, "median_wd": None, "rounds_to_approval": 1.0,
             "slower": False}], "slower": [approved]}                # never sent: counted, not timed
    rows = table_rows(demo_master, schema.SAMPLES)
    assert [(r["sample_no"], r["round"], r["kind"], r["status"], r["due"], r["state"], r["wait_wd"]) for r in rows] == [
        ("S-1", 1, "LAB_DIP", "APPROVED", None, "CLOSED 已结束", 6),
        ("S-2", 1, "LAB_DIP", "APPROVED", None, "CLOSED 已结束", None),
        ("S-3", 1, "PP", "REJECTED", None, "CLOSED 已结束", 6),           # round 1 as it was
        ("S-4", 1, "FIT", "RECEIVED", None, "WAITING 待客户批复", 8),
        ("S-3", 2, "PP 产前样", "PENDING 待寄", dt.datetime(2026, 10, 13), "OVERDUE 逾期未寄", None)]
    assert rows[3]["why"] == "客户 2026-11-16 已签收, 8 WD 未批复 received 2026-11-16, no answer for 8 WD (CN)"
    assert rows[4]["why"] == "应于 2026-10-13 前寄出 due 2026-10-13, not sent: 32 WD overdue (CN)"
    after = {(m["po_no"], m["line"]): m for m in table_rows(demo_master, schema.MILESTONES)
             if m["milestone"] == "LAB_DIP_APPROVED"}
    closed = after[blank["po_no"], blank["line"]]
    assert (closed["actual_date"], closed["source"]) == (dt.datetime(2026, 11, 10), "样品 sample S-1 / 1")
    assert closed["state"].startswith("DONE")
    kept = after[typed["po_no"], typed["line"]]
    assert (kept["actual_date"], kept["source"]) == (typed["actual_date"], None)
    log = [r for r in table_rows(demo_master, schema.CHANGE_LOG) if r["sheet"] == schema.SAMPLES.sheet]
    assert sorted((r["table"], r["order_key"], r["note"].split(" ")[0]) for r in log) == sorted([
        ("工序 Milestones", f"{blank['po_no']} / {blank['line']}", "样品批准"),
        ("工序 Milestones", f"{typed['po_no']} / {typed['line']}", "保留用户日期"),
        ("样品 Samples", "S-3 / 2", "拒绝后新增一轮"), ("样品 Samples", "S-3 / 2", "拒绝后新增一轮")])
    assert main(["refresh", str(demo_master), "--as-of", AS_OF.isoformat(), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["samples"]["added"] == 0
    assert len(table_rows(demo_master, schema.SAMPLES)) == 5
    assert len([r for r in table_rows(demo_master, schema.CHANGE_LOG) if r["sheet"] == schema.SAMPLES.sheet]) == 4
    assert_valid(demo_master)


def test_refresh_names_a_bad_row_in_its_why_and_import_issues_once(demo_master, tmp_path):
    wb = openpyxl.load_workbook(demo_master)
    ws = wb[schema.SAMPLES.sheet]
    for name, value in (("sample_no", "S-9"), ("round", 1), ("kind", "LAB DIPS"), ("po_no", "PO-NOT-OURS")):
        ws.cell(row=2, column=schema.SAMPLES.names.index(name) + 1, value=value)
    wb.save(demo_master)
    for _ in range(2):
        actions.refresh(demo_master, as_of=AS_OF)
    row, = table_rows(demo_master, schema.SAMPLES)
    assert row["state"] == "INVALID 数据有误" and row["why"].startswith("数据有误 bad input: 未知样品类型 unknown sample kind")
    issues = [i for i in table_rows(demo_master, schema.IMPORT_ISSUES) if i["sheet"] == schema.SAMPLES.sheet]
    assert [(i["file"], i["row"], i["column"], i["value"]) for i in issues] == [
        ("master.xlsx", 2, "样品类型 Kind", "LAB DIPS"), ("master.xlsx", 2, "PO号 PO No.", "PO-NOT-OURS")]


def _report_rows(path) -> list[tuple]:
    ws = openpyxl.load_workbook(path)[REPORT_SHEET]
    return [tuple(v for v in row if v is not None) for row in ws.iter_rows(values_only=True)]


def test_the_weekly_report_and_json_list_the_overdue_and_waiting_samples(tmp_path, capsys):
    """A real master: the 周报's 样品待办 Sample to-do lists the round not sent by its due date (its
    supplier from the line it covers) and the one the customer has not answered (its customer named by
    the Customers table through an alias), as refresh --json does; a master without samples has none."""
    master = tmp_path / "m.xlsx"
    orders = orders_frame([{"po_no": "P-1", "line": 1, "style": "ST-1", "color": "NAVY", "supplier": "Huamei Knit",
                            "customer": "NH", "due_date": dt.date(2027, 2, 1)}], qty=500,
                          order_date=dt.date(2026, 11, 2))
    actions.new_master(master, orders=orders)
    assert main(["refresh", str(master), "--as-of", AS_OF.isoformat(), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["samples"]["overdue"] == []
    assert not any("样品待办" in str(r[0]) for r in _report_rows(master) if r)
    wb = openpyxl.load_workbook(master)   # the customer's alias, typed in 客户 Customers
    ws = wb[schema.CUSTOMERS.sheet]
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index(schema.CUSTOMERS.header("name")) + 1).value = "Nordic Home"
    ws.cell(2, header.index(schema.CUSTOMERS.header("aliases")) + 1).value = "NH"
    wb.save(master)
    (tmp_path / "s.csv").write_text("sample_no,round,kind,po_no,line,due,sent_date,received_date,status\n"
                                    "S-1,1,PP,P-1,1,2026-11-20,,,\n"
                                    "S-2,2,LAB_DIP,P-1,1,,2026-11-09,2026-11-16,RECEIVED\n", encoding="utf-8")
    actions.load_table(master, tmp_path / "s.csv", schema.SAMPLES, as_of=AS_OF)
    assert main(["refresh", str(master), "--as-of", AS_OF.isoformat(), "--json"]) == 0
    samples = json.loads(capsys.readouterr().out)["samples"]
    assert samples["overdue"] == [{"sample_no": "S-1", "round": 1, "kind": "PP", "supplier": "Huamei Knit",
                                   "po_no": "P-1", "due": "2026-11-20", "overdue_wd": 4}]
    assert samples["waiting"] == [{"sample_no": "S-2", "round": 2, "kind": "LAB_DIP", "customer": "Nordic Home",
                                   "po_no": "P-1", "received": "2026-11-16", "wait_wd": 8}]
    rows = _report_rows(master)
    at = next(i for i, r in enumerate(rows) if r and str(r[0]).startswith("样品待办 Sample to-do"))
    assert rows[at] == ("样品待办 Sample to-do — 逾期未寄 not sent by its due date 1 · 待客户批复 waiting for the "
                        "customer's answer 1",)
    assert rows[at + 2:at + 5] == [
        ("逾期未寄 not sent by its due date — 催供应商 chase the supplier (1)",),
        ("供应商 Supplier", "样品编号 Sample No.", "轮次 Round", "样品类型 Kind", "PO号 PO No.", "需寄日期 Due",
         "逾期(工作日) WD overdue"),
        ("Huamei Knit", "S-1", 1, "PP 产前样", "P-1", dt.datetime(2026, 11, 20), 4)]
    assert rows[at + 6:at + 9] == [
        ("待客户批复 waiting for the customer's answer — 催客户 ask the customer (1)",),
        ("客户 Customer", "样品编号 Sample No.", "轮次 Round", "样品类型 Kind", "PO号 PO No.", "客户签收日期 Received date",
         "等待(工作日) Wait (WD)", "待办 To do"),
        ("Nordic Home", "S-2", 2, "LAB_DIP 色样", "P-1", dt.datetime(2026, 11, 16), 8,
         "催客户批样 ask Nordic Home for comments on 色样 Lab dip round 2, waiting 8 WD")]
    assert_valid(master)
