"""gendan sync --table samples: a supplier's sample file into the 样品 Samples rounds we have — sent
date, courier and tracking number applied, conflicts and unknown rounds as issues, a change the register
would refuse left out, every change in the Change Log. The core through literal frames; the command on
real masters re-read by openpyxl and python-calamine, in both of openpyxl's XML writers."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest
import python_calamine

from conftest import AS_OF, orders_frame
from gendan_xl import actions
from gendan_xl.cli import main
from gendan_xl.model import schema
from gendan_xl.model.issues import Reason
from gendan_xl.rules.sync import CONFLICT_NOTE, SYNC_NOTE
from gendan_xl.samples.supplier_sync import SampleFile, sync_samples
from ooxml import assert_valid
from sync_rows import file_rows, read_rows
from table_rows import table_rows

SPEC = schema.SAMPLES
STAMP = dt.datetime(2026, 11, 26, 9, 0)
ORDERS = orders_frame([{"po_no": "PO-1", "line": 1, "style": "ST-1", "color": "Navy", "supplier": "Huamei"}])


def _rows(records: list[dict]) -> pd.DataFrame:
    return read_rows(SPEC, records)


def _a_file(name: str, records: list[dict]):
    return file_rows(name, SPEC, records, "寄样")


def _sync(register: list[dict], *files: SampleFile):
    return sync_samples(_rows(register), list(files), ORDERS, as_of=AS_OF, timestamp=STAMP)


def _places(issues) -> list[tuple]:
    return [(i.file, i.sheet, i.row, i.column, i.value, i.reason.value) for i in issues]


# -- the core ---------------------------------------------------------------------------------------------

def test_a_round_gets_the_suppliers_sent_date_courier_and_awb_and_a_pending_round_becomes_sent():
    register = [{"sample_no": "S-12", "round": 1, "kind": "PP", "po_no": "PO-1", "line": 1},
                {"sample_no": "S-12", "round": 2, "kind": "PP", "status": "SENT 已寄", "sent_date": "2026-11-02",
                 "courier": "DHL Express", "awb": "0012"}]
    file = _a_file("hm.xlsx", [{"sample_no": "s-12", "round": 1.0, "sent_date": "2026-11-05", "courier": "顺丰",
                              "awb": "0012345678"},
                             {"sample_no": "S 12", "round": 2, "sent_date": "2026-11-02", "courier": "dhl express",
                              "awb": "0012", "status": "已寄"}])
    done = _sync(register, file)
    first = done.rows.loc[2]
    assert (first["sent_date"], first["courier"], first["awb"], first["status"]) == (
        pd.Timestamp("2026-11-05"), "顺丰", "0012345678", "SENT 已寄")
    assert done.rows.loc[3, ["courier", "awb"]].tolist() == ["DHL Express", "0012"]   # as written, kept
    assert [(c["table"], c["order_key"], c["field"], c["old"], c["new"], c["note"], c["source_row"])
            for c in done.changes] == [
        ("samples", "S-12 / 1", "sent_date", None, "2026-11-05", SYNC_NOTE, 2),
        ("samples", "S-12 / 1", "awb", None, "0012345678", SYNC_NOTE, 2),
        ("samples", "S-12 / 1", "courier", None, "顺丰", SYNC_NOTE, 2),
        ("samples", "S-12 / 1", "status", None, "SENT 已寄", SYNC_NOTE, 2)]
    counts = done.counts["hm.xlsx"]
    assert (counts.rows, counts.matched, counts.applied, counts.kept, counts.conflicts) == (2, 2, 4, 4, 0)
    assert done.issues == []


def test_a_different_sent_date_or_awb_is_a_conflict_logged_and_not_applied():
    register = [{"sample_no": "S-1", "round": 1, "kind": "FIT", "status": "SENT", "sent_date": "2026-11-02",
                 "courier": "DHL", "awb": "998877"},
                {"sample_no": "S-2", "round": 1, "kind": "FIT", "status": "SENT", "sent_date": "2026-11-02",
                 "courier": "SF", "awb": "4455"}]
    file = _a_file("hm.xlsx", [{"sample_no": "S-1", "round": 1, "sent_date": "2026-11-03", "courier": "FedEx",
                              "awb": "111"},
                             {"sample_no": "S-2", "round": 1, "sent_date": "2026-11-02", "courier": "顺丰速运",
                              "awb": "4455"}])
    done = _sync(register, file)
    assert done.rows.loc[2, ["sent_date", "courier", "awb"]].tolist() == [pd.Timestamp("2026-11-02"), "DHL", "998877"]
    assert done.rows.loc[3, "courier"] == "顺丰速运"   # another spelling of the courier is the supplier's
    assert _places(done.issues) == [("hm.xlsx", "寄样", 2, "[sent_date]", "2026-11-03", "conflict"),
                                    ("hm.xlsx", "寄样", 2, "[awb]", "111", "conflict")]
    assert "register 2026-11-02, supplier 2026-11-03" in done.issues[0].message
    assert "the courier given with it is not applied either" in done.issues[1].message
    assert [(c["order_key"], c["field"], c["old"], c["new"], c["note"]) for c in done.changes] == [
        ("S-1 / 1", "sent_date", "2026-11-02", "2026-11-03", CONFLICT_NOTE),
        ("S-1 / 1", "awb", "998877", "111", CONFLICT_NOTE),
        ("S-2 / 1", "courier", "SF", "顺丰速运", SYNC_NOTE)]
    counts = done.counts["hm.xlsx"]
    assert (counts.applied, counts.kept, counts.conflicts) == (1, 2, 2)


def test_a_round_we_do_not_have_is_an_issue_and_the_file_adds_no_round():
    register = [{"sample_no": "S-1", "round": 1, "kind": "LAB_DIP"}, {"sample_no": "S-1", "round": 2, "kind": "LAB_DIP"}]
    file = _a_file("hm.csv", [{"sample_no": "S-1", "round": 3, "sent_date": "2026-11-05", "awb": "1"},
                            {"sample_no": "S-9", "round": 1, "sent_date": "2026-11-05", "awb": "2"},
                            {"sample_no": "S-1", "round": 2, "sent_date": "2026-11-05", "awb": "3"},
                            {"sample_no": "S-1", "round": 2.0, "sent_date": "2026-11-06", "awb": "4"},
                            {"sample_no": "S-1", "round": None, "sent_date": "2026-11-06", "awb": "5"}])
    done = _sync(register, file)
    assert len(done.rows) == 2 and done.rows.loc[3, "awb"] == "3"
    assert _places(done.issues) == [
        ("hm.csv", "寄样", 2, "[sample_no] + [round]", "S-1 / 3", "unknown_round"),
        ("hm.csv", "寄样", 3, "[sample_no] + [round]", "S-9 / 1", "unknown_round"),
        ("hm.csv", "寄样", 5, "[sample_no] + [round]", "S-1 / 2", "duplicate"),
        ("hm.csv", "寄样", 6, "[round]", None, "blank_key")]
    assert "the register has round(s) 1, 2 of this sample" in done.issues[0].message
    assert "the register has no such sample" in done.issues[1].message
    assert done.counts["hm.csv"].matched == 1


def test_the_customers_fields_are_never_the_suppliers_to_set():
    register = [{"sample_no": "S-1", "round": 1, "kind": "PP", "status": "APPROVED", "sent_date": "2026-11-02",
                 "status_date": "2026-11-10", "qty": 2},
                {"sample_no": "S-2", "round": 1, "kind": "PP"},
                {"sample_no": "S-3", "round": 1, "kind": "PP"},
                {"sample_no": "S-4", "round": 1, "kind": "PP", "received_date": "2026-11-09", "status": "RECEIVED",
                 "sent_date": "2026-11-02"}]
    file = _a_file("hm.xlsx", [
        {"sample_no": "S-1", "round": 1, "status": "SENT", "qty": 3, "received_date": None},
        {"sample_no": "S-2", "round": 1, "status": "APPROVED", "qty": None, "received_date": "2026-11-08"},
        {"sample_no": "S-3", "round": 1, "status": "已寄", "qty": None, "received_date": None},
        {"sample_no": "S-4", "round": 1, "status": "SENT", "qty": None, "received_date": "2026-11-10"},
        {"sample_no": "S-2", "round": 9, "status": "PAID", "qty": None, "received_date": None}])
    done = _sync(register, file)
    assert done.rows["status"].tolist() == ["APPROVED", None, None, "RECEIVED"]
    assert done.rows.loc[5, "received_date"] == pd.Timestamp("2026-11-09") and done.rows.loc[2, "qty"] == 2
    assert sorted(_places(done.issues), key=lambda p: (p[2], p[3])) == [
        ("hm.xlsx", "寄样", 2, "[qty]", "3", "conflict"),                      # our qty
        ("hm.xlsx", "寄样", 3, "[received_date]", None, "not_imported"),      # the register has none: not imported
        ("hm.xlsx", "寄样", 3, "[status]", "APPROVED 批准", "conflict"),        # an answer is the customer's
        ("hm.xlsx", "寄样", 4, "[status]", "SENT 已寄", "missing_value"),       # sent, but when?
        ("hm.xlsx", "寄样", 5, "[received_date]", "2026-11-10", "conflict"),
        ("hm.xlsx", "寄样", 6, "[sample_no] + [round]", "S-2 / 9", "unknown_round")]
    assert done.counts["hm.xlsx"].kept == 2   # SENT of an approved and of a received round: no news
    assert done.changes and all(c["note"] == CONFLICT_NOTE for c in done.changes)


def test_an_unknown_status_and_a_sent_date_after_the_as_of_date_are_not_applied():
    register = [{"sample_no": "S-1", "round": 1, "kind": "PP"}, {"sample_no": "S-2", "round": 1, "kind": "PP"}]
    file = _a_file("hm.xlsx", [{"sample_no": "S-1", "round": 1, "status": "寄了", "sent_date": None},
                             {"sample_no": "S-2", "round": 1, "status": None,
                              "sent_date": AS_OF + dt.timedelta(days=1)}])
    done = _sync(register, file)
    assert done.rows["status"].isna().all() and done.rows["sent_date"].isna().all()
    assert _places(done.issues) == [("hm.xlsx", "寄样", 2, "[status]", "寄了", "unknown_code"),
                                    ("hm.xlsx", "寄样", 3, "[sent_date]", "2026-11-27", "implausible_date")]
    assert done.changes == []


@pytest.mark.parametrize("order", [0, 1])
def test_two_files_disagreeing_about_a_round_apply_neither_whatever_their_order(order):
    register = [{"sample_no": "S-1", "round": 1, "kind": "PP"}]
    files = [_a_file("a.xlsx", [{"sample_no": "S-1", "round": 1, "sent_date": "2026-11-05", "awb": "0012"}]),
             _a_file("b.csv", [{"sample_no": "s-1", "round": 1, "sent_date": "2026-11-06", "awb": "0012"}])]
    done = _sync(register, *(files if order == 0 else files[::-1]))
    assert pd.isna(done.rows.loc[2, "sent_date"]) and done.rows.loc[2, "awb"] == "0012"   # they agree on the AWB
    conflicts = sorted((i for i in done.issues if i.reason is Reason.CONFLICT), key=lambda i: i.file)
    assert [(i.file, i.value) for i in conflicts] == [("a.xlsx", "2026-11-05"), ("b.csv", "2026-11-06")]
    assert all("a.xlsx [寄样] row 2: 2026-11-05; b.csv [寄样] row 2: 2026-11-06" in i.message for i in conflicts)
    assert done.rows.loc[2, "status"] is None   # no sent date applied: still pending
    assert sorted((c["file"], c["field"], c["new"], c["note"]) for c in done.changes) == [
        ("a.xlsx", "awb", "0012", SYNC_NOTE),                  # the first file by name, whatever the order given
        ("a.xlsx", "sent_date", "2026-11-05", CONFLICT_NOTE), ("b.csv", "sent_date", "2026-11-06", CONFLICT_NOTE)]


def test_a_change_the_register_would_refuse_leaves_the_round_as_it_was():
    register = [{"sample_no": "S-1", "round": 1, "kind": "PP", "status": "RECEIVED", "received_date": "2026-11-04"},
                {"sample_no": "S-2", "round": 1, "kind": "PP", "status": "SENT", "sent_date": "2026-11-10"},
                {"sample_no": "S-2", "round": 2, "kind": "PP"},
                {"sample_no": "S-3", "round": 1, "kind": "PP"}]
    file = _a_file("hm.xlsx", [{"sample_no": "S-1", "round": 1, "sent_date": "2026-11-13", "awb": "777"},
                             {"sample_no": "S-2", "round": 2, "sent_date": "2026-11-03", "awb": "778"},
                             {"sample_no": "S-3", "round": 1, "sent_date": "2026-11-03", "awb": "779"}])
    done = _sync(register, file)
    assert done.rows["awb"].tolist() == [None, None, None, "779"]
    assert done.rows["status"].tolist() == ["RECEIVED", "SENT", None, "SENT 已寄"]
    assert _places(done.issues) == [("hm.xlsx", "寄样", 2, "[sent_date]", "2026-11-13", "dates_out_of_order"),
                                    ("hm.xlsx", "寄样", 3, "[sent_date]", "2026-11-03", "round_goes_back")]
    assert done.issues[0].message.startswith("签收早于寄出 received 2026-11-04, before it was sent 2026-11-13")
    assert all(i.message.endswith("未应用此行 row not applied") for i in done.issues)
    assert {c["order_key"] for c in done.changes} == {"S-3 / 1"}
    assert done.counts["hm.xlsx"].applied == 3


# -- the command on real masters --------------------------------------------------------------------------

def _first_line(path) -> dict:
    return next(r for r in table_rows(path, schema.ORDERS) if r["style"] and r["color"])


def _register_rounds(master, tmp_path) -> dict:
    """Rounds SX-12/1, SX-12/2 (pending), SX-13/1 (sent) and SX-14/1 (received) loaded into the master."""
    line = _first_line(master)
    csv = tmp_path / "register.csv"
    csv.write_text(
        "sample_no,round,kind,po_no,line,sent_date,courier,awb,received_date,status\n"
        f"SX-12,1,LAB_DIP,{line['po_no']},{line['line']},,,,,\n"
        f"SX-12,2,PP,{line['po_no']},{line['line']},,,,,PENDING\n"
        "SX-13,1,FIT,,,2026-11-02,DHL,998877,,SENT\n"
        "SX-14,1,PP,,,,,,2026-11-04,RECEIVED\n", encoding="utf-8")
    assert actions.load_table(master, csv, SPEC, as_of=AS_OF).issues == 0
    return line


def _supplier_file(path) -> None:
    """A messy sample file: a title block, Chinese headers, dd/mm/yyyy dates, a round 2.0, the tracking
    number as text and as a number cell, an unknown round, a conflicting sent date and a sent date
    after the round was received."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "寄样记录"
    ws.append(["华美服饰 样品寄送记录 2026年11月"])
    ws.append([])
    ws.append(["样品编号", "轮次", "寄样日期", "快递公司", "快递单号", "状态"])
    ws.append(["sx-12", 1, "05/11/2026", "顺丰", "0012345678", "已寄"])
    ws.append(["SX-12", 2.0, "06/11/2026", "DHL", 861234567890, None])
    ws.append(["SX-13", 1, "03/11/2026", "DHL", "998877", None])
    ws.append(["SX-14", 1, "13/11/2026", "SF", "777", None])
    ws.append(["SX-12", 3, "07/11/2026", "DHL", "555", None])
    wb.save(path)


def _mine(rows: list[dict]) -> list[dict]:
    return [r for r in rows if str(r["sample_no"]).startswith("SX-")]


@pytest.mark.parametrize("lxml", ["True", "False"], ids=["openpyxl+lxml", "openpyxl-without-lxml"])
def test_a_messy_supplier_sample_file_syncs_into_the_master(demo_master, tmp_path, lxml):
    _register_rounds(demo_master, tmp_path)
    file = tmp_path / "华美_样品.xlsx"
    _supplier_file(file)
    proc = subprocess.run([sys.executable, "-m", "gendan_xl", "sync", str(demo_master), str(file), "--table",
                           "samples", "--as-of", AS_OF.isoformat(), "--json"], capture_output=True, text=True,
                          env={**os.environ, "OPENPYXL_LXML": lxml}, timeout=300)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    answer = json.loads(proc.stdout)
    assert (answer["table"], answer["table_added"], answer["applied"], answer["kept"], answer["conflicts"]) == (
        "samples", False, 8, 2, 1)
    assert answer["issues"] == {"number_as_text": 1, "unknown_round": 1, "conflict": 1, "dates_out_of_order": 1}
    assert answer["files"][0]["date_order"]["order"] == "day_first"
    assert answer["refresh"]["lines"] > 0 and answer["change_log_rows"] == 9

    rounds = [(r["sample_no"], r["round"], r["sent_date"], r["courier"], r["awb"], r["status"])
              for r in _mine(table_rows(demo_master, SPEC))]
    assert rounds == [
        ("SX-12", 1, dt.datetime(2026, 11, 5), "顺丰", "0012345678", "SENT 已寄"),
        ("SX-12", 2, dt.datetime(2026, 11, 6), "DHL", "861234567890", "SENT 已寄"),
        ("SX-13", 1, dt.datetime(2026, 11, 2), "DHL", "998877", "SENT"),        # conflicting date not applied
        ("SX-14", 1, None, None, None, "RECEIVED")]                            # refused: received before sent
    sheet = python_calamine.CalamineWorkbook.from_path(str(demo_master)).get_sheet_by_name(SPEC.sheet).to_python()
    at = sheet[0].index(SPEC.header("awb"))
    assert [row[at] for row in sheet[1:] if str(row[0]).startswith("SX-")] == ["0012345678", "861234567890", "998877", ""]
    state = sheet[0].index(SPEC.header("state"))
    assert [row[state] for row in sheet[1:] if row[0] == "SX-12"] == ["OPEN 进行中", "OPEN 进行中"]   # refreshed

    issues = [(i["file"], i["sheet"], i["row"], i["column"], i["value"], i["reason"])
              for i in table_rows(demo_master, schema.IMPORT_ISSUES) if i["file"] == file.name]
    assert sorted(issues, key=lambda i: i[2]) == [
        (file.name, "寄样记录", 5, "快递单号", "861234567890", "编号是数字单元格 identifier in a number cell"),
        (file.name, "寄样记录", 6, "寄样日期", "2026-11-03", "与我方字段冲突 conflict with our field"),
        (file.name, "寄样记录", 7, "寄样日期", "2026-11-13", "日期先后颠倒 dates out of order"),
        (file.name, "寄样记录", 8, "样品编号 + 轮次", "SX-12 / 3", "找不到样品轮次 no such sample round")]
    log = [(r["table"], r["order_key"], r["field"], r["old"], r["new"], r["source_row"])
           for r in table_rows(demo_master, schema.CHANGE_LOG) if r["file"] == file.name]
    assert sorted(log, key=lambda r: (r[1], r[2])) == [
        ("样品 Samples", "SX-12 / 1", "寄出日期 Sent date", None, "2026-11-05", 4),
        ("样品 Samples", "SX-12 / 1", "快递公司 Courier", None, "顺丰", 4),
        ("样品 Samples", "SX-12 / 1", "状态 Status", None, "SENT 已寄", 4),
        ("样品 Samples", "SX-12 / 1", "运单号 AWB", None, "0012345678", 4),
        ("样品 Samples", "SX-12 / 2", "寄出日期 Sent date", None, "2026-11-06", 5),
        ("样品 Samples", "SX-12 / 2", "快递公司 Courier", None, "DHL", 5),
        ("样品 Samples", "SX-12 / 2", "状态 Status", "PENDING", "SENT 已寄", 5),
        ("样品 Samples", "SX-12 / 2", "运单号 AWB", None, "861234567890", 5),
        ("样品 Samples", "SX-13 / 1", "寄出日期 Sent date", "2026-11-02", "2026-11-03", 6)]
    assert_valid(demo_master)

    again = actions.sync_samples(demo_master, [file], as_of=AS_OF)   # the same file again: no news
    assert (again.applied, again.kept, again.change_log_rows, again.import_issue_rows) == (0, 9, 0, 0)


def test_an_older_master_gets_the_samples_table_and_a_suppliers_file_matches_nothing(demo_master, tmp_path, capsys):
    wb = openpyxl.load_workbook(demo_master)
    del wb[SPEC.sheet]
    wb.save(demo_master)
    csv = tmp_path / "samples.csv"
    csv.write_text("Sample No.,Round,Sent date,Courier,Tracking No.\nS-1,1,2026-11-05,DHL,0099\n", encoding="utf-8")
    assert main(["sync", str(demo_master), str(csv), "--table", "样品", "--as-of", AS_OF.isoformat()]) == 0
    assert "none matched" in capsys.readouterr().out
    assert table_rows(demo_master, SPEC) == []
    issue = table_rows(demo_master, schema.IMPORT_ISSUES)[-1]
    assert (issue["file"], issue["row"], issue["value"]) == ("samples.csv", 2, "S-1 / 1")
    assert "the register has no such sample" in issue["message"]
    assert_valid(demo_master)


def test_a_sample_file_without_a_round_column_or_another_table_stops_naming_what_is_wanted(demo_master, tmp_path,
                                                                                         capsys):
    csv = tmp_path / "samples.csv"
    csv.write_text("Sample No.,Sent date,Tracking No.\nS-1,2026-11-05,0099\n", encoding="utf-8")
    before = demo_master.read_bytes()
    assert main(["sync", str(demo_master), str(csv), "--table", "samples", "--json"]) != 0
    error = json.loads(capsys.readouterr().out)
    assert error["code"] == "COLUMN_MISSING"
    assert "[file samples.csv, sheet samples, row 1" in error["error"] and "expected columns for 轮次 Round" in error["error"]
    assert main(["sync", str(demo_master), str(csv), "--table", "customers", "--json"]) != 0
    assert json.loads(capsys.readouterr().out)["code"] == "BAD_OPTION"
    assert demo_master.read_bytes() == before


def test_a_sample_layout_taught_once_is_used_again_and_never_by_an_orders_sync(demo_master, tmp_path):
    _register_rounds(demo_master, tmp_path)
    taught = tmp_path / "werk_kw48.csv"
    taught.write_text("Muster,Runde,Versand,Kurier,Sendungsnr\nSX-12,1,2026-11-05,DHL,00777\n", encoding="utf-8")
    first = actions.sync_samples(demo_master, [taught], as_of=AS_OF, profile="Werk Muster",
                                 mapping={"sample_no": "Muster", "round": "Runde", "sent_date": "Versand",
                                          "courier": "Kurier", "awb": "Sendungsnr"})
    assert first.applied == 4
    later = tmp_path / "werk_kw49.csv"
    later.write_text("Muster,Runde,Versand,Kurier,Sendungsnr\nSX-12,2,2026-11-06,DHL,00778\n", encoding="utf-8")
    second = actions.sync_samples(demo_master, [later], as_of=AS_OF)
    assert (second.files[0].profile, second.applied) == ("Werk Muster", 4)
    assert [r["awb"] for r in _mine(table_rows(demo_master, SPEC))][:2] == ["00777", "00778"]
    # one supplier workbook with its progress and its samples: the Orders sync keeps to the progress sheet
    line = _first_line(demo_master)
    both = tmp_path / "werk_both.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Progress"
    wb.active.append(["PO", "Line", "ETA"])
    wb.active.append([line["po_no"], line["line"], "2026-12-20"])
    samples = wb.create_sheet("Muster")
    samples.append(["Muster", "Runde", "Versand", "Kurier", "Sendungsnr"])
    samples.append(["SX-13", 1, "2026-11-02", "DHL", "998877"])
    wb.save(both)
    orders = actions.sync(demo_master, [both], as_of=AS_OF)
    assert (orders.files[0].sheet, orders.files[0].profile, orders.files[0].matched) == ("Progress", None, 1)
    assert actions.sync_samples(demo_master, [both], as_of=AS_OF, dry_run=True).files[0].sheet == "Muster"

