"""出运 Shipments on real masters re-read by openpyxl and python-calamine: the tables `gendan new`
writes (drop-downs, booking / B/L numbers and HS codes as text, the seeded container types, the
cut-off setting), `gendan load --table shipments|shipment_lines|containers` (an older master gets the
table), refresh closing the lines of departed shipments and writing each shipment's state, the 周报
section and `refresh --json` "shipments", and a supplier's later file held against a shipment."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import python_calamine
import pytest

from conftest import AS_OF
from gendan_xl import actions
from gendan_xl.cli import main
from gendan_xl.model import schema
from gendan_xl.model.flags import Flag
from gendan_xl.sheets.report_sheet import REPORT_SHEET
from ooxml import assert_valid
from table_rows import table_rows

NEW_TABLES = (schema.SHIPMENTS, schema.SHIPMENT_LINES, schema.CONTAINERS)


def _older(path) -> None:
    """The master as an older gendan wrote it: without the shipments' tables."""
    wb = openpyxl.load_workbook(path)
    for spec in NEW_TABLES:
        del wb[spec.sheet]
    wb.save(path)


def _open_lines(path, n: int, after: dt.date = AS_OF) -> list[dict]:
    """The first ``n`` order lines not shipped, with a qty and a due date after ``after``, of a master."""
    return [r for r in table_rows(path, schema.ORDERS) if r["qty"] and r["due_date"] and r["due_date"].date() > after
            and not r["ship_date"] and not r["shipped_qty"]][:n]


@pytest.fixture
def new_master(tmp_path):
    path = tmp_path / "master.xlsx"
    actions.new_master(path)
    return path


def test_gendan_new_has_the_shipment_tables_drop_downs_text_numbers_and_the_container_types(new_master):
    wb = openpyxl.load_workbook(new_master)
    for spec in NEW_TABLES:
        ws = wb[spec.sheet]
        assert [c.value for c in ws[1]] == [f.header for f in spec.fields] and spec.name in ws.tables
    ws = wb[schema.SHIPMENTS.sheet]
    lists = {dv.promptTitle: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists[schema.SHIPMENTS.header("status")] == ('"PLANNED 计划,BOOKED 已订舱,STUFFED 已装柜,SAILED 已开船,'
                                                        'ARRIVED 已到港,CANCELLED 作废"')
    assert lists[schema.SHIPMENTS.header("mode")] == '"SEA 海运,AIR 空运"'
    for spec, name in ((schema.SHIPMENTS, "booking_no"), (schema.SHIPMENTS, "bl_no"), (schema.SHIPMENT_LINES, "hs_code")):
        assert wb[spec.sheet].cell(row=2, column=spec.names.index(name) + 1).number_format == "@"
    book = python_calamine.CalamineWorkbook.from_path(str(new_master))
    assert book.get_sheet_by_name(schema.CONTAINERS.sheet).to_python() == [
        [f.header for f in schema.CONTAINERS.fields], ["20GP", 28.0], ["40GP", 58.0], ["40HQ", 68.0]]
    settings = {r["key"]: r["value"] for r in table_rows(new_master, schema.SETTINGS)}
    assert settings["cutoff_warn_wd"] == 3
    assert_valid(new_master)


def test_an_older_master_gets_each_table_from_load_table_keeping_leading_zeros(demo_master, tmp_path, capsys):
    _older(demo_master)
    line, = _open_lines(demo_master, 1)
    files = {
        "shipments": "出运编号,运输方式,状态,订舱号,提单号,集装箱\nSH-1,SEA,BOOKED,007788,0012345,1x40HQ\n",
        "shipment_lines": f"Shipment No.,PO,Line,Qty,HS code,CBM\nSH-1,{line['po_no']},{line['line']},{line['qty']},"
                          "0611300000,12.5\n",
        "containers": "箱型,容量\n45HQ,86\n40hq,67.5\n",
    }
    for key, text in files.items():
        csv = tmp_path / f"{key}.csv"
        csv.write_text(text, encoding="utf-8")
        assert main(["load", str(demo_master), str(csv), "--table", key, "--as-of", AS_OF.isoformat(), "--json"]) == 0
        answer = json.loads(capsys.readouterr().out)
        assert (answer["table"], answer["table_added"], answer["issues"]) == (key, True, 0)
    ship, = table_rows(demo_master, schema.SHIPMENTS)
    assert (ship["booking_no"], ship["bl_no"], ship["containers"]) == ("007788", "0012345", "1x40HQ")
    row, = table_rows(demo_master, schema.SHIPMENT_LINES)
    assert (row["hs_code"], row["qty"], row["cbm"]) == ("0611300000", line["qty"], 12.5)
    assert [(r["type"], r["capacity_cbm"]) for r in table_rows(demo_master, schema.CONTAINERS)] == [
        ("20GP", 28), ("40GP", 58), ("40HQ", 67.5), ("45HQ", 86)]
    assert_valid(demo_master)


def test_refresh_closes_the_lines_of_departed_shipments_and_follows_up_the_others(demo_master, tmp_path, capsys):
    _older(demo_master)   # without the demo's shipments: only this test's
    logged = len(table_rows(demo_master, schema.CHANGE_LOG))   # the demo's own, its sailed shipment's among them
    first, = _open_lines(demo_master, 1)
    late_etd = (first["due_date"] + dt.timedelta(days=3)).date()
    second, = _open_lines(demo_master, 1, after=late_etd)
    (tmp_path / "ships.csv").write_text(
        "shipment_no,status,etd,atd,containers,cargo_ready,cy_cutoff\n"
        "SH-1,SAILED,2026-11-20,,1x20GP,,\n"
        "SH-2,BOOKED,2026-11-24,2026-11-25,,,\n"
        f"SH-3,BOOKED,{late_etd},,1x20GP,2026-12-04,2026-12-03\n"
        "SH-4,PLANNED,,,3x45FT,,\n", encoding="utf-8")
    half = int(first["qty"]) // 2
    (tmp_path / "lines.csv").write_text(
        "shipment_no,po_no,line,qty,cbm\n"
        f"SH-1,{first['po_no']},{first['line']},{half},10\n"
        f"SH-2,{first['po_no']},{first['line']},{int(first['qty']) - half},10\n"
        f"SH-3,{second['po_no']},{second['line']},{int(second['qty'])},30\n"
        f"SH-3,{first['po_no']},{first['line']},1,0\n"
        f"SH-4,{second['po_no']},{second['line']},1,0\n", encoding="utf-8")
    for key, name in (("shipments", "ships.csv"), ("shipment_lines", "lines.csv")):
        assert actions.load_table(demo_master, tmp_path / name, schema.LOADABLE_TABLES[key], as_of=AS_OF).issues == 0
    assert main(["refresh", str(demo_master), "--as-of", AS_OF.isoformat(), "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)["shipments"]
    assert answer["counts"] == {"INVALID": 1, "FLAGGED": 1, "OK": 0, "CLOSED": 2} and answer["lines_set"] == 1
    assert [(s["shipment_no"], s["state"]) for s in answer["flagged"]] == [("SH-3", "FLAGGED 需处理"),
                                                                          ("SH-4", "INVALID 数据有误")]
    ships = {r["shipment_no"]: r for r in table_rows(demo_master, schema.SHIPMENTS)}
    assert ships["SH-1"]["state"] == ships["SH-2"]["state"] == "CLOSED 已结束"
    why = ships["SH-3"]["why"]
    assert why.startswith("货好 2026-12-04 晚于截关 2026-12-03")
    assert f"is after the due date of 1 line(s): {first['po_no']} / {first['line']} ({first['due_date'].date()})" in why
    assert f"{first['po_no']} / {first['line']} 已生产 produced" in why   # one more than it has shipped in full
    assert "CBM 30.00 over what the containers hold (1x20GP: 28 m³)" in why
    assert ships["SH-4"]["why"].startswith("数据有误 bad input: 集装箱无法识别 containers not understood")
    line = next(r for r in table_rows(demo_master, schema.ORDERS)
                if (r["po_no"], r["line"]) == (first["po_no"], first["line"]))
    assert (line["ship_date"], line["shipped_qty"]) == (dt.datetime(2026, 11, 25), first["qty"])
    log = [r for r in table_rows(demo_master, schema.CHANGE_LOG)[logged:] if r["sheet"] == schema.SHIPMENTS.sheet]
    assert [(r["table"], r["source_row"], r["field"], r["new"], r["note"]) for r in log] == [
        ("订单 Orders", 3, "出货日期 Ship date", "2026-11-25", "已出运 shipped: 出运 shipment SH-1 + SH-2"),
        ("订单 Orders", 3, "出货数量 Shipped qty", str(first["qty"]), "已出运 shipped: 出运 shipment SH-1 + SH-2")]
    report = python_calamine.CalamineWorkbook.from_path(str(demo_master)).get_sheet_by_name(REPORT_SHEET).to_python()
    title = next(i for i, r in enumerate(report) if str(r[0]).startswith(schema.SHIPMENTS.sheet))
    assert report[title][0] == f"{schema.SHIPMENTS.sheet} (INVALID 数据有误 1, FLAGGED 需处理 1, OK 正常 0, CLOSED 已结束 2)"
    assert [report[title + k][0] for k in (2, 3)] == ["SH-3", "SH-4"]
    issues = [i for i in table_rows(demo_master, schema.IMPORT_ISSUES) if i["sheet"] == schema.SHIPMENTS.sheet]
    assert [(i["row"], i["column"], i["value"]) for i in issues] == [(5, "集装箱 Containers", "3x45FT")]
    assert main(["refresh", str(demo_master), "--as-of", AS_OF.isoformat()]) == 0   # again: nothing new logged
    assert len([r for r in table_rows(demo_master, schema.CHANGE_LOG)[logged:]
                if r["sheet"] == schema.SHIPMENTS.sheet]) == 2
    assert len([i for i in table_rows(demo_master, schema.IMPORT_ISSUES) if i["sheet"] == schema.SHIPMENTS.sheet]) == 1
    assert_valid(demo_master)


def test_a_suppliers_later_file_cannot_move_a_shipped_lines_date_or_qty(demo_master, tmp_path):
    line, = _open_lines(demo_master, 1)
    (tmp_path / "ships.csv").write_text("shipment_no,status,atd\nSH-1,SAILED,2026-11-20\n", encoding="utf-8")
    (tmp_path / "lines.csv").write_text(f"shipment_no,po_no,line,qty\nSH-1,{line['po_no']},{line['line']},100\n",
                                        encoding="utf-8")
    actions.load_table(demo_master, tmp_path / "ships.csv", schema.SHIPMENTS, as_of=AS_OF)
    actions.load_table(demo_master, tmp_path / "lines.csv", schema.SHIPMENT_LINES, as_of=AS_OF)
    supplier = tmp_path / "factory.csv"
    supplier.write_text(f"PO,Line,Ship date,Shipped qty\n{line['po_no']},{line['line']},2026-11-24,{line['qty']}\n",
                        encoding="utf-8")
    result = actions.sync(demo_master, [supplier], as_of=AS_OF)
    assert result.issues == {"conflict": 2}
    after = next(r for r in table_rows(demo_master, schema.ORDERS)
                 if (r["po_no"], r["line"]) == (line["po_no"], line["line"]))
    assert (after["ship_date"], after["shipped_qty"]) == (dt.datetime(2026, 11, 20), 100)
    issues = table_rows(demo_master, schema.IMPORT_ISSUES)[-2:]
    assert [(i["file"], i["row"], i["column"], i["reason"]) for i in issues] == [
        ("factory.csv", 2, "Ship date", "与我方字段冲突 conflict with our field"),
        ("factory.csv", 2, "Shipped qty", "与我方字段冲突 conflict with our field")]
    assert "is set by 出运 shipment SH-1 and was not changed (2026-11-20 there, 2026-11-24 in the file)" in \
        issues[0]["message"]
    assert_valid(demo_master)


def test_a_shipment_cancelled_after_it_sailed_gives_its_line_back_open(demo_master, tmp_path):
    line, = _open_lines(demo_master, 1)
    ships = tmp_path / "ships.csv"
    (tmp_path / "lines.csv").write_text(f"shipment_no,po_no,line,qty\nSH-9,{line['po_no']},{line['line']},"
                                        f"{int(line['qty'])}\n", encoding="utf-8")
    for status in ("SAILED", "CANCELLED"):   # sailed, refreshed; then found never to have left
        ships.write_text(f"shipment_no,status,atd\nSH-9,{status},2026-11-20\n", encoding="utf-8")
        actions.load_table(demo_master, ships, schema.SHIPMENTS, as_of=AS_OF)
        if status == "SAILED":
            actions.load_table(demo_master, tmp_path / "lines.csv", schema.SHIPMENT_LINES, as_of=AS_OF)
        actions.refresh(demo_master, as_of=AS_OF)
        row = next(r for r in table_rows(demo_master, schema.ORDERS)
                   if (r["po_no"], r["line"]) == (line["po_no"], line["line"]))
        if status == "SAILED":
            assert (row["ship_date"], row["shipped_qty"]) == (dt.datetime(2026, 11, 20), line["qty"])
            assert row["flag"] == Flag.SHIPPED.label
    assert (row["ship_date"], row["shipped_qty"]) == (None, None) and row["flag"] != Flag.SHIPPED.label
    log = [(r["field"], r["old"], r["new"], r["note"]) for r in table_rows(demo_master, schema.CHANGE_LOG)
           if r["order_key"] == f"{line['po_no']} / {line['line']}" and r["sheet"] == schema.SHIPMENTS.sheet]
    assert log[-2:] == [("出货日期 Ship date", "2026-11-20", None, "出运已撤销 no longer shipped: 出运 shipment SH-9"),
                        ("出货数量 Shipped qty", str(line["qty"]), None, "出运已撤销 no longer shipped: 出运 shipment SH-9")]
    assert_valid(demo_master)
