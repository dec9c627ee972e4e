"""gendan sync --table shipments|shipment_lines: a forwarder's booking confirmation into the 出运
Shipments we have, a packing list into their lines — the forwarder's and packer's fields applied, the
schedule moved until the shipment leaves, facts and our fields held as conflicts, rows we do not have
as issues, the status the dates imply, every change in the Change Log. The core through literal
frames; the command on real masters re-read by openpyxl and python-calamine, in both of openpyxl's
XML writers."""

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

from conftest import AS_OF
from gendan_xl import actions
from gendan_xl.cli import main
from gendan_xl.importers.headers import HeaderMatcher
from gendan_xl.importers.title_block import stated_values
from gendan_xl.model import schema
from gendan_xl.model.errors import GendanError
from gendan_xl.model.values import party_key
from gendan_xl.result_text import render
from gendan_xl.rules.sync import CONFLICT_NOTE, SYNC_NOTE
from gendan_xl.rules.table_sync import SyncFile
from gendan_xl.shipments.carton_ranges import carton_range
from gendan_xl.shipments.forwarder_sync import LINES_READ, sync_forwarder
from ooxml import assert_valid
from sync_rows import file_rows, read_rows
from table_rows import table_rows

SHIP, LINES = schema.SHIPMENTS, schema.SHIPMENT_LINES
STAMP = dt.datetime(2026, 11, 26, 9, 0)


def _file(name: str, spec: schema.Table, records: list[dict]) -> SyncFile:
    """A forwarder's file's rows as read (sheet 订舱)."""
    return file_rows(name, spec, records, "订舱")


SHIPMENTS = [
    {"shipment_no": "SH-1", "customer": "Acme", "incoterm": "FOB", "etd": "2026-12-05", "booking_no": None},
    {"shipment_no": "SH-2", "customer": "Acme", "incoterm": "CIF", "status": "BOOKED 已订舱", "booking_no": "BK-22",
     "bl_no": "COSU001", "etd": "2026-12-10", "vessel_voyage": "MSC ANNA 612W"},
    {"shipment_no": "SH-3", "customer": "Bolt", "status": "SAILED 已开船", "booking_no": "BK-33",
     "etd": "2026-11-20", "atd": "2026-11-20"},
]


def _ship(*files: SyncFile, shipments=SHIPMENTS):
    """The files synced into ``shipments``, of which SH-3 has sailed."""
    rows = read_rows(SHIP, shipments)
    return sync_forwarder(SHIP, rows, rows, list(files), sailed={party_key("SH-3")}, as_of=AS_OF, timestamp=STAMP)


def _places(issues) -> list[tuple]:
    return [(i.file, i.sheet, i.row, i.column, i.value, i.reason.value) for i in issues]


def test_a_booking_confirmation_fills_the_forwarders_fields_and_moves_the_schedule_but_not_the_facts():
    file = _file("bc.xlsx", SHIP, [
        {"shipment_no": "sh-1", "booking_no": "BK-11", "vessel_voyage": "COSCO PRIDE 021E", "cy_cutoff": "2026-12-01",
         "etd": "2026-12-04", "bl_no": None},
        {"shipment_no": "SH-2", "booking_no": "BK-22", "vessel_voyage": "MSC LENA 614W", "cy_cutoff": "2026-12-07",
         "etd": "2026-12-12", "bl_no": "COSU999"}])
    done = _ship(file)
    one, two = done.rows.loc[2], done.rows.loc[3]
    assert (one["booking_no"], one["vessel_voyage"], one["etd"], one["status"]) == (
        "BK-11", "COSCO PRIDE 021E", pd.Timestamp("2026-12-04"), "BOOKED 已订舱")   # a booking number: booked
    assert (two["vessel_voyage"], two["etd"], two["bl_no"]) == ("MSC LENA 614W", pd.Timestamp("2026-12-12"), "COSU001")
    assert [(c["order_key"], c["field"], c["old"], c["new"], c["note"]) for c in done.changes] == [
        ("SH-1", "booking_no", None, "BK-11", SYNC_NOTE),
        ("SH-1", "vessel_voyage", None, "COSCO PRIDE 021E", SYNC_NOTE),
        ("SH-2", "vessel_voyage", "MSC ANNA 612W", "MSC LENA 614W", SYNC_NOTE),   # rolled: the forwarder's
        ("SH-1", "cy_cutoff", None, "2026-12-01", SYNC_NOTE),
        ("SH-2", "cy_cutoff", None, "2026-12-07", SYNC_NOTE),
        ("SH-1", "etd", "2026-12-05", "2026-12-04", SYNC_NOTE),
        ("SH-2", "etd", "2026-12-10", "2026-12-12", SYNC_NOTE),
        ("SH-2", "bl_no", "COSU001", "COSU999", CONFLICT_NOTE),          # a B/L number once recorded stays
        ("SH-1", "status", None, "BOOKED 已订舱", SYNC_NOTE)]
    assert _places(done.issues) == [("bc.xlsx", "订舱", 3, "[bl_no]", "COSU999", "conflict")]
    assert "(Shipments table COSU001, forwarder COSU999)" in done.issues[0].message
    counts = done.counts["bc.xlsx"]
    assert (counts.rows, counts.matched, counts.applied, counts.kept, counts.conflicts) == (2, 2, 8, 1, 1)


def test_our_fields_are_conflicts_or_not_imported_and_the_status_moves_only_by_the_dates():
    file = _file("bc.csv", SHIP, [
        {"shipment_no": "SH-1", "incoterm": "CIF", "containers": "1x40HQ", "atd": "2026-11-24", "status": "SAILED"},
        {"shipment_no": "SH-2", "incoterm": "CIF", "containers": "2x40HQ", "atd": None, "status": "ARRIVED"},
        {"shipment_no": "SH-3", "incoterm": None, "containers": None, "atd": "2026-11-27", "status": "SAILED"}])
    done = _ship(file)
    assert done.rows["status"].tolist() == ["SAILED 已开船", "BOOKED 已订舱", "SAILED 已开船"]
    assert done.rows["incoterm"].tolist() == ["FOB", "CIF", None] and done.rows["containers"].isna().all()
    assert sorted(_places(done.issues), key=lambda p: (p[2], p[3])) == [
        ("bc.csv", "订舱", 2, "[containers]", None, "not_imported"),   # ours to enter
        ("bc.csv", "订舱", 2, "[incoterm]", "CIF", "conflict"),        # ours: FOB
        ("bc.csv", "订舱", 3, "[status]", "ARRIVED 已到港", "conflict"),  # no date says it arrived
        ("bc.csv", "订舱", 4, "[atd]", "2026-11-27", "implausible_date")]   # after the as-of date: not sailed
    assert "for 2 shipments where the Shipments table is blank" in next(
        i.message for i in done.issues if i.reason.value == "not_imported")
    assert [(c["order_key"], c["field"], c["new"], c["note"]) for c in done.changes if c["note"] == SYNC_NOTE] == [
        ("SH-1", "atd", "2026-11-24", SYNC_NOTE), ("SH-1", "status", "SAILED 已开船", SYNC_NOTE)]
    assert done.counts["bc.csv"].kept == 2   # SH-1 SAILED (once its ATD moved it), SH-3 SAILED


def test_a_shipment_that_has_left_keeps_its_schedule():
    file = _file("bc.xlsx", SHIP, [{"shipment_no": "SH-3", "etd": "2026-11-22", "eta_pod": "2026-12-20",
                                    "atd": "2026-11-21"}])
    done = _ship(file)
    assert done.rows.loc[4, "etd"] == pd.Timestamp("2026-11-20") and done.rows.loc[4, "eta_pod"] == pd.Timestamp(
        "2026-12-20")                                                    # a blank is still filled
    assert _places(done.issues) == [("bc.xlsx", "订舱", 2, "[etd]", "2026-11-22", "conflict"),
                                    ("bc.xlsx", "订舱", 2, "[atd]", "2026-11-21", "conflict")]
    assert "the shipment has left: its schedule stays" in done.issues[0].message


def test_a_file_without_shipment_numbers_finds_the_shipment_by_its_booking_number_and_adds_none():
    shipments = [*SHIPMENTS, {"shipment_no": "SH-4", "booking_no": "BK-44"}, {"shipment_no": "SH-5", "booking_no": "bk 44"}]
    file = _file("bc.xlsx", SHIP, [{"booking_no": "bk-22", "si_cutoff": "2026-12-08"},
                                   {"booking_no": "BK-99", "si_cutoff": "2026-12-08"},
                                   {"booking_no": "BK-44", "si_cutoff": "2026-12-08"},
                                   {"booking_no": None, "si_cutoff": "2026-12-08"},
                                   {"booking_no": "BK-22", "si_cutoff": "2026-12-09"}])
    done = _ship(file, shipments=shipments)
    assert done.rows["si_cutoff"].tolist()[1] == pd.Timestamp("2026-12-08")
    assert done.rows["si_cutoff"].isna().sum() == 4
    assert _places(done.issues) == [
        ("bc.xlsx", "订舱", 3, "[booking_no]", "BK-99", "unknown_shipment"),
        ("bc.xlsx", "订舱", 4, "[booking_no]", "BK-44", "ambiguous_match"),
        ("bc.xlsx", "订舱", 5, "[booking_no]", None, "blank_key"),
        ("bc.xlsx", "订舱", 6, "[booking_no]", "SH-2", "duplicate")]
    assert "a file does not add shipments" in done.issues[0].message
    unknown = _ship(_file("bc.xlsx", SHIP, [{"shipment_no": "SH-9", "etd": "2026-12-08"}]))
    assert _places(unknown.issues) == [("bc.xlsx", "订舱", 2, "[shipment_no]", "SH-9", "unknown_shipment")]
    assert unknown.changes == [] and unknown.counts["bc.xlsx"].matched == 0


@pytest.mark.parametrize("order", [0, 1])
def test_two_confirmations_disagreeing_about_an_etd_apply_neither(order):
    files = [_file("a.xlsx", SHIP, [{"shipment_no": "SH-1", "etd": "2026-12-06"}]),
             _file("b.xlsx", SHIP, [{"shipment_no": "SH-1", "etd": "2026-12-07"}])]
    done = _ship(*(files if order == 0 else files[::-1]))
    assert done.rows.loc[2, "etd"] == pd.Timestamp("2026-12-05")
    assert sorted((i.file, i.reason.value) for i in done.issues) == [("a.xlsx", "conflict"), ("b.xlsx", "conflict")]
    assert all("a.xlsx [订舱] row 2: 2026-12-06; b.xlsx [订舱] row 2: 2026-12-07" in i.message for i in done.issues)


LINES_HELD = [
    {"shipment_no": "SH-1", "po_no": "PO-1", "line": 1, "qty": 600, "hs_code": "6110200099"},
    {"shipment_no": "SH-1", "po_no": "PO-1", "line": 2, "qty": 400, "cartons": 20, "carton_from": 31, "carton_to": 50,
     "nw_kg": 180, "gw_kg": 200, "cbm": 2.2},
    {"shipment_no": "SH-2", "po_no": "PO-2", "line": 1, "qty": 100},
]


def test_a_packing_list_fills_the_packing_figures_and_holds_what_is_recorded_and_ours():
    rows = read_rows(LINES, LINES_HELD)
    file = _file("pl.xlsx", LINES, [
        {"shipment_no": "SH-1", "po_no": "po-1", "line": "1", "qty": 600, "cartons": 30, "carton_from": 1,
         "carton_to": 30, "nw_kg": 270.5, "gw_kg": 300, "cbm": 3.3, "hs_code": "6110200099"},
        {"shipment_no": "SH-1", "po_no": "PO-1", "line": "2", "qty": 420, "cartons": 21, "carton_from": 31,
         "carton_to": 51, "nw_kg": 180, "gw_kg": 200, "cbm": 2.2, "hs_code": "6110200099"},
        {"shipment_no": "SH-1", "po_no": "PO-7", "line": "1", "qty": 5, "cartons": 1, "carton_from": 52, "carton_to": 52,
         "nw_kg": 1, "gw_kg": 2, "cbm": 0.1, "hs_code": None},
        {"shipment_no": "SH-8", "po_no": "PO-1", "line": "1", "qty": 5, "cartons": 1, "carton_from": 1, "carton_to": 1,
         "nw_kg": 1, "gw_kg": 2, "cbm": 0.1, "hs_code": None},
        {"shipment_no": "SH-2", "po_no": "PO-2", "line": None, "qty": 100, "cartons": 5, "carton_from": 1,
         "carton_to": 5, "nw_kg": 1, "gw_kg": 2, "cbm": 0.1, "hs_code": None}])
    ships = read_rows(SHIP, SHIPMENTS)
    done = sync_forwarder(LINES, rows, ships, [file], sailed=set(), as_of=AS_OF, timestamp=STAMP)
    assert done.rows.loc[2, ["cartons", "carton_from", "carton_to", "nw_kg", "gw_kg", "cbm"]].tolist() == [
        30, 1, 30, 270.5, 300, 3.3]
    assert done.rows.loc[3, ["qty", "cartons", "carton_to"]].tolist() == [400, 20, 50]
    assert len(done.rows) == 3 and done.fields == ["cartons", "carton_from", "carton_to", "nw_kg", "gw_kg", "cbm"]
    assert sorted(_places(done.issues), key=lambda p: (p[2], p[3])) == [
        ("pl.xlsx", "订舱", 3, "[carton_to]", "51", "conflict"),
        ("pl.xlsx", "订舱", 3, "[cartons]", "21", "conflict"),
        ("pl.xlsx", "订舱", 3, "[hs_code]", None, "not_imported"),   # ours to enter
        ("pl.xlsx", "订舱", 3, "[qty]", "420", "conflict"),
        ("pl.xlsx", "订舱", 4, "[shipment_no] + [po_no] + [line]", "SH-1 / PO-7 / 1", "unknown_shipment"),
        ("pl.xlsx", "订舱", 5, "[shipment_no] + [po_no] + [line]", "SH-8 / PO-1 / 1", "unknown_shipment"),
        ("pl.xlsx", "订舱", 6, "[line]", None, "blank_key")]
    by_row = {i.row: i.message for i in done.issues}
    assert "it carries: PO-1 / 1, PO-1 / 2" in by_row[4] and "does not add lines" in by_row[4]
    assert "no such shipment" in by_row[5]
    assert "(Shipment Lines table 400, packing list 420); 数量 Qty 是我方字段 is ours" in next(
        i.message for i in done.issues if i.column == "[qty]")
    assert [c["order_key"] for c in done.changes if c["note"] == SYNC_NOTE] == ["SH-1 / PO-1 / 1"] * 6
    assert (done.counts["pl.xlsx"].applied, done.counts["pl.xlsx"].kept) == (6, 4)


# -- the command on real masters --------------------------------------------------------------------------

def _open_lines(path, n: int) -> list[dict]:
    """The first ``n`` order lines not shipped and produced in full, due after the as-of date."""
    return [r for r in table_rows(path, schema.ORDERS) if r["qty"] and r["due_date"] and r["due_date"].date() > AS_OF
            and not r["ship_date"] and not r["shipped_qty"]][:n]


@pytest.mark.parametrize("cell, cartons", [
    ("1-20", (1, 20)), ("21 ~ 35", (21, 35)), ("36至40", (36, 40)), ("41 to 45", (41, 45)), ("４６－５０", (46, 50)),
    ("7", (7, 7)), (7.0, (7, 7)), ("20-1", None), ("1-", None), ("A1-20", None), ("0-3", None), ("1-2-3", None),
])
def test_carton_numbers_in_one_cell(cell, cartons):
    assert carton_range(cell) == cartons


def test_a_packing_list_with_its_carton_numbers_in_one_cell_fills_from_and_to_and_names_a_cell_that_is_no_range():
    rows = read_rows(LINES, LINES_HELD)
    file = _file("pl.xlsx", LINES, [
        {"shipment_no": "SH-1", "po_no": "PO-1", "line": "1", "carton_range": "1 - 30"},
        {"shipment_no": "SH-1", "po_no": "PO-1", "line": "2", "carton_range": "31~50"},   # as held: no news
        {"shipment_no": "SH-2", "po_no": "PO-2", "line": "1", "carton_range": "60-51"}])
    done = sync_forwarder(LINES, rows, read_rows(SHIP, SHIPMENTS), [file], sailed=set(), as_of=AS_OF, timestamp=STAMP)
    assert done.rows.loc[2, ["carton_from", "carton_to"]].tolist() == [1, 30]
    assert done.rows.loc[3, ["carton_from", "carton_to"]].tolist() == [31, 50]
    assert done.rows.loc[4, ["carton_from", "carton_to"]].isna().all()
    assert _places(done.issues) == [("pl.xlsx", "订舱", 4, "[carton_range]", "60-51", "bad_number")]
    assert [(c["order_key"], c["field"], c["new"]) for c in done.changes] == [
        ("SH-1 / PO-1 / 1", "carton_from", "1"), ("SH-1 / PO-1 / 1", "carton_to", "30")]


def _book(master, tmp_path) -> list[dict]:
    """Shipments ST-1 (planned, FOB) and ST-2 (booked, B/L known), one open line each, loaded."""
    lines = _open_lines(master, 2)
    (tmp_path / "ships.csv").write_text(
        "shipment_no,customer,incoterm,status,booking_no,bl_no,etd\n"
        f"ST-1,{lines[0]['customer']},FOB,,,,2026-12-10\n"
        f"ST-2,{lines[1]['customer']},FOB,BOOKED,BK-2,0012345,2026-11-20\n", encoding="utf-8")
    (tmp_path / "lines.csv").write_text(
        "shipment_no,po_no,line,qty\n" + "".join(f"ST-{k},{r['po_no']},{r['line']},{int(r['qty'])}\n"
                                                  for k, r in enumerate(lines, 1)), encoding="utf-8")
    assert actions.load_table(master, tmp_path / "ships.csv", SHIP, as_of=AS_OF).issues == 0
    assert actions.load_table(master, tmp_path / "lines.csv", LINES, as_of=AS_OF).issues == 0
    return lines


def _confirmation(path) -> None:
    """A forwarder's booking confirmation: a title block, its own headers (Chinese and English), dd/mm
    dates, a rolled ETD, a B/L number other than ours, an incoterm other than ours, an ATD, a
    shipment we do not have."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "订舱确认"
    ws.append(["宁波远航国际货运代理有限公司 BOOKING CONFIRMATION"])
    ws.append([])
    ws.append(["Shipper's Ref", "S/O No.", "船名/航次", "截关时间", "SI cut-off", "ETD", "ETA", "B/L No.", "ATD",
               "Incoterm"])
    ws.append(["st-1", "BK-1", "COSCO PRIDE 021E", "01/12/2026", "30/11/2026", "04/12/2026", "28/12/2026", None, None,
               "CIF"])
    ws.append(["ST-2", "BK-2", "MSC LENA 614W", "18/11/2026", "17/11/2026", "20/11/2026", "15/12/2026", "0099999",
               "21/11/2026", "FOB"])
    ws.append(["ST-9", "BK-9", "EVER GIVEN 1", "01/12/2026", None, "05/12/2026", None, None, None, None])
    wb.save(path)


def _form_confirmation(path, rows: list[list]) -> None:
    """A forwarder's booking confirmation laid out as a form: a title, then label and value pairs."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S.O"
    ws.append(["宁波远航国际货运代理有限公司 订舱确认书 BOOKING CONFIRMATION"])
    ws.append([])
    for row in rows:
        ws.append(row)
    wb.save(path)


def test_a_booking_confirmation_laid_out_as_a_form_fills_its_shipment_naming_each_cell(demo_master, tmp_path):
    _book(demo_master, tmp_path)
    file = tmp_path / "S.O BK-1.xlsx"
    _form_confirmation(file, [
        ["Booking No.", "BK-1", None, "Shipper's Ref", "st-1"],   # two pairs: no header row of a table
        ["Vessel / Voyage:", "COSCO PRIDE 021E", None, "ETD:", "04/12/2026"],
        ["CY cut-off: 01/12/2026", None, None, "ETA", "28/12/2026"],
        ["SI cut-off", "32/11/2026"],
        ["Remarks: please send the SI before the cut-off"]])
    done = actions.sync_shipments(demo_master, [file], SHIP, as_of=AS_OF)
    assert (done.files[0].matched, done.issues) == (1, {"bad_date": 1})
    assert done.files[0].stated == {"shipment_no": "E3 Shipper's Ref: st-1", "booking_no": "B3 Booking No.: BK-1",
                                    "vessel_voyage": "B4 Vessel / Voyage: COSCO PRIDE 021E",
                                    "cy_cutoff": "A5 CY cut-off: 01/12/2026", "si_cutoff": "B6 SI cut-off: 32/11/2026",
                                    "etd": "E4 ETD: 04/12/2026", "eta_pod": "E5 ETA: 28/12/2026"}
    assert "read beside its label: B3 Booking No.: BK-1" in render("sync", done)
    one = next(r for r in table_rows(demo_master, SHIP) if r["shipment_no"] == "ST-1")
    assert (one["booking_no"], one["vessel_voyage"], one["cy_cutoff"], one["etd"], one["eta_pod"], one["si_cutoff"],
            one["status"]) == ("BK-1", "COSCO PRIDE 021E", dt.datetime(2026, 12, 1), dt.datetime(2026, 12, 4),
                               dt.datetime(2026, 12, 28), None, "BOOKED 已订舱")
    issues = [(i["row"], i["column"], i["value"], i["reason"]) for i in table_rows(demo_master, schema.IMPORT_ISSUES)
              if i["file"] == file.name]
    assert issues == [(6, "SI cut-off", "32/11/2026", "日期无法识别 date not recognised")]   # the value's own row
    log = {(r["field"], r["new"], r["source_row"]) for r in table_rows(demo_master, schema.CHANGE_LOG)
           if r["file"] == file.name}
    assert ("预计开船 ETD", "2026-12-04", 3) in log   # the row of the shipment's reference
    assert_valid(demo_master)


def test_a_form_is_read_only_where_the_labels_are_followed_by_values():
    from gendan_xl.importers.extract import extract_table
    from gendan_xl.importers.reading import RawSheet, SourceFile
    from pathlib import Path

    def read(rows):
        return extract_table(SourceFile(Path("so.xlsx"), [RawSheet("S.O", rows)]), SHIP, key="shipment_no")

    table = read([["Booking No.", "Remarks", "Vessel", "Notes"], ["BK-1", "x", "EVER 1", "y"]])
    assert (table.frame["booking_no"].tolist(), table.stated) == (["BK-1"], {})   # headers, not a form
    form = read([["Booking No.", "BK-1", "Vessel", "EVER GIVEN 001E"], ["ETD", dt.datetime(2026, 12, 4)]])
    assert form.frame[["booking_no", "vessel_voyage", "etd"]].to_dict("records") == [
        {"booking_no": "BK-1", "vessel_voyage": "EVER GIVEN 001E", "etd": pd.Timestamp(2026, 12, 4)}]
    with pytest.raises(GendanError, match="no header row"):   # one field stated: no form, no table
        read([["BOOKING CONFIRMATION"], ["Booking No.: BK-1"]])
    with pytest.raises(GendanError, match="states two values") as error:   # which booking is it?
        read([["Booking No.", "BK-1", "ETD", "2026-12-04"], ["S/O No.: BK-2"]])
    assert (error.value.row, error.value.column, error.value.value) == (2, "A", "BK-2")
    assert "'BK-1' (B1) and 'BK-2' (A2)" in str(error.value)


def _packing_list(path, lines: list[dict]) -> None:
    """A packing list: English abbreviations, the PO line by PO and line, one line we do not ship."""
    one = lines[0]
    path.write_text("Shipment No.,PO No.,Line,PCS,CTNS,C/NO FROM,C/NO TO,N.W.(KGS),G.W.(KGS),MEAS (CBM)\n"
                    f"ST-1,{one['po_no']},{one['line']},{int(one['qty'])},40,1,40,380.5,420,3.52\n"
                    f"ST-1,{one['po_no']},999,10,1,41,41,5,6,0.1\n", encoding="utf-8")


@pytest.mark.parametrize("lxml", ["True", "False"], ids=["openpyxl+lxml", "openpyxl-without-lxml"])
def test_a_booking_confirmation_and_a_packing_list_sync_into_a_real_master(demo_master, tmp_path, lxml):
    lines = _book(demo_master, tmp_path)
    file = tmp_path / "远航_订舱确认.xlsx"
    _confirmation(file)
    proc = subprocess.run([sys.executable, "-m", "gendan_xl", "sync", str(demo_master), str(file), "--table",
                           "shipments", "--as-of", AS_OF.isoformat(), "--json"], capture_output=True, text=True,
                          env={**os.environ, "OPENPYXL_LXML": lxml}, timeout=300)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    answer = json.loads(proc.stdout)
    assert (answer["table"], answer["table_added"], answer["applied"], answer["conflicts"]) == ("shipments", False,
                                                                                                 13, 2)
    assert answer["issues"] == {"conflict": 2, "unknown_shipment": 1} and answer["kept"] == 2
    assert answer["files"][0]["date_order"]["order"] == "day_first" and answer["files"][0]["matched"] == 2

    mine = {r["shipment_no"]: r for r in table_rows(demo_master, SHIP) if str(r["shipment_no"]).startswith("ST-")}
    one, two = mine["ST-1"], mine["ST-2"]
    assert (one["booking_no"], one["vessel_voyage"], one["cy_cutoff"], one["etd"], one["incoterm"], one["status"]) == (
        "BK-1", "COSCO PRIDE 021E", dt.datetime(2026, 12, 1), dt.datetime(2026, 12, 4), "FOB", "BOOKED 已订舱")
    assert (two["atd"], two["bl_no"], two["status"]) == (dt.datetime(2026, 11, 21), "0012345", "SAILED 已开船")
    assert two["state"].startswith("CLOSED") and "已开船 sailed 2026-11-21" in two["why"]   # refreshed
    sheet = python_calamine.CalamineWorkbook.from_path(str(demo_master)).get_sheet_by_name(SHIP.sheet).to_python()
    at = sheet[0].index(SHIP.header("bl_no"))
    assert [row[at] for row in sheet[1:] if row[0] == "ST-2"] == ["0012345"]   # the B/L number as text
    closed = next(r for r in table_rows(demo_master, schema.ORDERS)
                  if (r["po_no"], r["line"]) == (lines[1]["po_no"], lines[1]["line"]))
    assert (closed["ship_date"], closed["shipped_qty"]) == (dt.datetime(2026, 11, 21), lines[1]["qty"])

    issues = sorted((i["row"], i["column"], i["value"], i["reason"]) for i in table_rows(demo_master, schema.IMPORT_ISSUES)
                    if i["file"] == file.name)
    assert issues == [(4, "Incoterm", "CIF", "与我方字段冲突 conflict with our field"),          # ours: FOB
                      (5, "B/L No.", "0099999", "与我方字段冲突 conflict with our field"),     # recorded: 0012345
                      (6, "Shipper's Ref", "ST-9", "找不到出运 unknown shipment")]
    log = [(r["table"], r["order_key"], r["field"], r["old"], r["new"], r["source_row"])
           for r in table_rows(demo_master, schema.CHANGE_LOG) if r["file"] == file.name]
    assert ("出运 Shipments", "ST-1", "预计开船 ETD", "2026-12-10", "2026-12-04", 4) in log
    assert ("出运 Shipments", "ST-2", "状态 Status", "BOOKED", "SAILED 已开船", 5) in log
    assert_valid(demo_master)

    packing = tmp_path / "packing.csv"
    _packing_list(packing, lines)
    done = actions.sync_shipments(demo_master, [packing], LINES, as_of=AS_OF)
    assert (done.applied, done.issues) == (6, {"unknown_shipment": 1})
    row = next(r for r in table_rows(demo_master, LINES) if r["shipment_no"] == "ST-1")
    assert [row[n] for n in ("cartons", "carton_from", "carton_to", "nw_kg", "gw_kg", "cbm")] == [40, 1, 40, 380.5,
                                                                                                   420, 3.52]
    assert_valid(demo_master)
    again = actions.sync_shipments(demo_master, [file], SHIP, as_of=AS_OF)   # the same file again: no news
    assert (again.applied, again.conflicts, again.change_log_rows, again.import_issue_rows) == (0, 2, 0, 0)


def test_a_packing_list_writing_c_no_1_40_in_one_column_fills_a_real_masters_carton_range(demo_master, tmp_path):
    lines = _book(demo_master, tmp_path)
    packing = tmp_path / "装箱单.csv"
    packing.write_text("Shipment No.,PO No.,Line,PCS,CTNS,C/NO.,G.W.(KGS)\n"
                       f"ST-1,{lines[0]['po_no']},{lines[0]['line']},{int(lines[0]['qty'])},40,1-40,420\n"
                       f"ST-2,{lines[1]['po_no']},{lines[1]['line']},{int(lines[1]['qty'])},5,46 - 41,50\n",
                       encoding="utf-8")
    done = actions.sync_shipments(demo_master, [packing], LINES, as_of=AS_OF)
    assert done.issues == {"bad_number": 1}
    held = {r["shipment_no"]: r for r in table_rows(demo_master, LINES) if str(r["shipment_no"]).startswith("ST-")}
    assert [held["ST-1"][n] for n in ("cartons", "carton_from", "carton_to", "gw_kg")] == [40, 1, 40, 420]
    assert (held["ST-2"]["carton_from"], held["ST-2"]["carton_to"], held["ST-2"]["cartons"]) == (None, None, 5)
    issue, = [i for i in table_rows(demo_master, schema.IMPORT_ISSUES) if i["file"] == packing.name]
    assert (issue["row"], issue["column"], issue["value"]) == (3, "C/NO.", "46 - 41")
    header = python_calamine.CalamineWorkbook.from_path(str(demo_master)).get_sheet_by_name(LINES.sheet).to_python()[0]
    assert schema.CARTON_RANGE.header not in header and LINES.header("carton_from") in header   # never a column
    assert_valid(demo_master)


def _stated(rows: list[list]) -> dict[str, tuple]:
    match = HeaderMatcher(LINES_READ, None, {})
    found = stated_values(rows, len(rows), list(LINES_READ.stated), match, where={"file": "pl.xlsx", "sheet": "PL"},
                          row_number=lambda r: r + 1)
    return {name: (one.value, one.cell) for name, one in found.items()}


def test_a_title_block_states_a_packing_lists_booking_or_shipment_number_in_one_cell_or_beside_its_label():
    assert _stated([["PACKING LIST 装箱单"], [None, "Booking No.: BK-7"], ["Invoice No.: INV-1"],
                    ["Consignee: ACME GmbH", "PO No.: PO-1"]]) == {"booking_no": ("BK-7", "B2"),
                                                                  "invoice_no": ("INV-1", "A3")}
    assert _stated([["订舱号", None, " BK-7 "], ["出运编号：", "SH-3"]]) == {"booking_no": ("BK-7", "C1"),
                                                                         "shipment_no": ("SH-3", "B2")}
    assert _stated([["S/O No.", 123456.0], ["S/O No.: 123456"]]) == {"booking_no": ("123456", "B1")}   # the same
    assert _stated([["S/O No.:", "Date:", "2026-12-01"], ["Booking No."], ["PO No.: PO-1"]]) == {}   # no value
    with pytest.raises(GendanError, match="two values") as error:
        _stated([["Booking No.: BK-7"], [None, "S/O No.", "BK-8"]])
    assert (error.value.row, error.value.column, error.value.value) == (2, "C", "BK-8")
    assert "'BK-7' (A1)" in str(error.value) and "'BK-8' (C2)" in str(error.value)


def _titled_packing_list(path, title: list[list], lines: list[dict]) -> None:
    """A packing list naming its shipment only in its title block, its table below."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "PL"
    for row in title:
        ws.append(row)
    ws.append(["PO No.", "Line", "CTNS", "G.W.(KGS)", "MEAS (CBM)"])
    for one in lines:
        ws.append([one["po_no"], one["line"], 12, 130.5, 1.25])
    wb.save(path)


def test_a_packing_list_stating_its_booking_number_above_the_table_fills_that_shipments_lines(demo_master, tmp_path):
    lines = _book(demo_master, tmp_path)
    packing = tmp_path / "装箱单 BK-2.xlsx"
    _titled_packing_list(packing, [["宁波远航 PACKING LIST 装箱单"], ["Booking No.:", None, "BK-2", "Date:", "2026-11-18"],
                                   []], lines[1:])
    done = actions.sync_shipments(demo_master, [packing], LINES, as_of=AS_OF)
    assert (done.files[0].matched, done.applied, done.issues) == (1, 3, {})
    assert done.files[0].stated == {"booking_no": "C2 Booking No.: BK-2"}
    assert "read beside its label: C2 Booking No.: BK-2" in render("sync", done)
    held = {r["shipment_no"]: r for r in table_rows(demo_master, LINES) if str(r["shipment_no"]).startswith("ST-")}
    assert [held["ST-2"][n] for n in ("cartons", "gw_kg", "cbm")] == [12, 130.5, 1.25]
    assert (held["ST-1"]["cartons"], held["ST-1"]["gw_kg"]) == (None, None)
    log = {(r["order_key"], r["field"], r["new"]) for r in table_rows(demo_master, schema.CHANGE_LOG)
           if r["file"] == packing.name}
    assert (f"ST-2 / {lines[1]['po_no']} / {lines[1]['line']}", "箱数 Cartons", "12") in log
    header = python_calamine.CalamineWorkbook.from_path(str(demo_master)).get_sheet_by_name(LINES.sheet).to_python()[0]
    assert SHIP.header("booking_no") not in header   # read from the file, never a column of the lines
    assert_valid(demo_master)

    before = demo_master.read_bytes()
    other = tmp_path / "pl_two.xlsx"
    _titled_packing_list(other, [["Booking No.: BK-2"], ["S/O No.: BK-1"]], lines[1:])
    with pytest.raises(GendanError, match="two values") as error:
        actions.sync_shipments(demo_master, [other], LINES, as_of=AS_OF)
    assert (error.value.file, error.value.sheet, error.value.row, error.value.value) == (other.name, "PL", 2, "BK-1")
    none = tmp_path / "pl_none.xlsx"
    _titled_packing_list(none, [["PACKING LIST"], ["Date: 2026-11-18"]], lines[1:])
    with pytest.raises(GendanError, match="Booking No.: BKG-1") as error:
        actions.sync_shipments(demo_master, [none], LINES, as_of=AS_OF)
    assert error.value.code.value == "COLUMN_MISSING"
    assert demo_master.read_bytes() == before


def test_a_packing_list_naming_its_shipment_by_our_invoice_number_fills_that_shipments_lines(demo_master, tmp_path):
    lines = _book(demo_master, tmp_path)
    (tmp_path / "invoices.csv").write_text("shipment_no,invoice_no\nST-1,HT2612001\nST-2,HT2612002\n", encoding="utf-8")
    assert actions.load_table(demo_master, tmp_path / "invoices.csv", SHIP, as_of=AS_OF).updated_rows == 2
    titled = tmp_path / "PL HT2612002.xlsx"
    _titled_packing_list(titled, [["PACKING LIST"], ["INVOICE NO.:", "ht2612002"]], lines[1:])
    by_column = tmp_path / "pl.csv"
    by_column.write_text(f"Invoice No.,PO No.,Line,CTNS\nHT2612001,{lines[0]['po_no']},{lines[0]['line']},7\n"
                         f"HT-9,{lines[0]['po_no']},{lines[0]['line']},8\n", encoding="utf-8")
    done = actions.sync_shipments(demo_master, [titled, by_column], LINES, as_of=AS_OF)
    assert [(f.matched, f.stated) for f in done.files] == [(1, {"invoice_no": "B2 INVOICE NO.: ht2612002"}), (1, {})]
    held = {r["shipment_no"]: r for r in table_rows(demo_master, LINES) if str(r["shipment_no"]).startswith("ST-")}
    assert (held["ST-1"]["cartons"], held["ST-2"]["cartons"], held["ST-2"]["gw_kg"]) == (7, 12, 130.5)
    issue, = [i for i in table_rows(demo_master, schema.IMPORT_ISSUES) if i["file"] == by_column.name]
    assert (issue["row"], issue["column"], issue["value"]) == (3, "Invoice No.", "HT-9")
    assert "no shipment with this invoice number" in issue["reason"] + issue["message"]
    header = python_calamine.CalamineWorkbook.from_path(str(demo_master)).get_sheet_by_name(LINES.sheet).to_python()[0]
    assert SHIP.header("invoice_no") not in header
    assert_valid(demo_master)


def test_a_file_that_cannot_name_its_rows_stops_naming_what_is_wanted_and_a_layout_is_kept_to_its_table(
        demo_master, tmp_path, capsys):
    csv = tmp_path / "pl.csv"
    csv.write_text("S/O No.,CTNS,G.W.(KGS)\nBK-1,40,420\n", encoding="utf-8")
    before = demo_master.read_bytes()
    assert main(["sync", str(demo_master), str(csv), "--table", "shipment_lines", "--json"]) != 0
    error = json.loads(capsys.readouterr().out)
    assert error["code"] == "COLUMN_MISSING" and "PO号 PO No. and 行号 Line" in error["error"]
    assert demo_master.read_bytes() == before
    _book(demo_master, tmp_path)
    taught = tmp_path / "yh_kw48.csv"
    taught.write_text("Ref,Schiff,Abfahrt\nST-1,COSCO PRIDE 021E,04/12/2026\n", encoding="utf-8")
    first = actions.sync_shipments(demo_master, [taught], SHIP, as_of=AS_OF, profile="Yuanhang", dayfirst=True,
                                   mapping={"shipment_no": "Ref", "vessel_voyage": "Schiff", "etd": "Abfahrt"})
    assert first.applied == 2
    later = tmp_path / "yh_kw49.csv"
    later.write_text("Ref,Schiff,Abfahrt\nST-1,COSCO PRIDE 021E,05/12/2026\n", encoding="utf-8")
    second = actions.sync_shipments(demo_master, [later], SHIP, as_of=AS_OF, dayfirst=True)
    assert (second.files[0].profile, second.applied) == ("Yuanhang", 1)
    # the layout of a booking confirmation is neither a progress file's nor a packing list's
    with pytest.raises(GendanError, match="no header row"):
        actions.sync(demo_master, [later], as_of=AS_OF, dry_run=True)
    with pytest.raises(GendanError, match="no header row"):
        actions.sync_shipments(demo_master, [later], LINES, as_of=AS_OF, dry_run=True)
    assert [r["etd"] for r in table_rows(demo_master, SHIP) if r["shipment_no"] == "ST-1"] == [dt.datetime(2026, 12, 5)]


def test_the_demo_has_a_clean_shipment_a_planted_mismatch_and_a_sailed_one_closing_its_line(demo_master):
    ships = {r["shipment_no"]: r for r in table_rows(demo_master, SHIP)}
    lines = table_rows(demo_master, LINES)
    assert [r["status"] for r in ships.values()] == ["BOOKED 已订舱", "BOOKED 已订舱", "SAILED 已开船"]
    clean, planted, sailed = ships
    hs = {number: [r["hs_code"] for r in lines if r["shipment_no"] == number] for number in ships}
    assert all(len(code) == 10 for code in hs[clean]) and sorted(map(len, hs[planted])) == [8, 10]
    for number in (clean, planted):
        mine = [r for r in lines if r["shipment_no"] == number]
        assert [(r["carton_from"], r["carton_to"] - r["carton_from"] + 1) for r in mine] == [
            (1, mine[0]["cartons"]), (mine[0]["carton_to"] + 1, mine[1]["cartons"])]
        assert all(0 < r["nw_kg"] < r["gw_kg"] and r["origin"] == "CN" for r in mine)
        assert sum(r["cbm"] for r in mine) <= 68 and ships[number]["containers"] == "1x40HQ"
    assert ships[sailed]["state"].startswith("CLOSED")
    line, = [r for r in lines if r["shipment_no"] == sailed]
    order = next(r for r in table_rows(demo_master, schema.ORDERS) if (r["po_no"], r["line"]) == (line["po_no"],
                                                                                                   line["line"]))
    assert (order["ship_date"], order["shipped_qty"]) == (ships[sailed]["atd"], line["qty"])
    customers = table_rows(demo_master, schema.CUSTOMERS)
    assert all(c["consignee"] and c["notify_party"] and c["shipping_marks"] for c in customers)
