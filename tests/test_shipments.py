"""出运 Shipments, the pure core: the book read and checked (bad rows named and not applied), the
containers parsed, each follow-up check on a planted case, and departed shipments closing their
order lines (partial shipments add up), held against a supplier's later file."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from conftest import AS_OF, orders_frame
from gendan_xl.model import schema
from gendan_xl.model.issues import Reason
from gendan_xl.rules.sync import CONFLICT_NOTE, Held, sync_rows
from gendan_xl.shipments.book import read_book
from gendan_xl.shipments.closing import close_lines, shipped
from gendan_xl.shipments.containers import capacities, container_capacity
from gendan_xl.shipments.states import shipment_states
from gendan_xl.rules.sync import apply_rows, match_rows

KNOWN = capacities(None)


def _orders():
    return orders_frame([
        dict(po_no="PO1", line=1, qty=1000, produced_qty=800, due_date="2026-12-01"),
        dict(po_no="PO1", line=2, qty=500, produced_qty=500, due_date="2026-12-20"),
        dict(po_no="PO2", line=1, qty=300, produced_qty=300, due_date="2026-12-20", ship_date="2026-11-02",
             shipped_qty=300),
    ])


def _table(spec: schema.Table, rows: list[dict]) -> pd.DataFrame:
    """Rows as the master's reader gives them: every field, dates datetime64, indexed by sheet row."""
    frame = pd.DataFrame(rows).reindex(columns=spec.names)
    for name in spec.of_kind(schema.DATE):
        frame[name] = pd.to_datetime(frame[name]).astype("datetime64[us]")
    for name in spec.of_kind(schema.INT) + spec.of_kind(schema.NUMBER):
        frame[name] = pd.to_numeric(frame[name]).astype(float)
    return frame.set_axis(pd.RangeIndex(2, 2 + len(frame)))


def _book(ships: list[dict], lines: list[dict], orders=None):
    return read_book(_table(schema.SHIPMENTS, ships), _table(schema.SHIPMENT_LINES, lines),
                     _orders() if orders is None else orders, KNOWN, file="master.xlsx")


def _states(ships, lines, orders=None) -> dict:
    orders = _orders() if orders is None else orders
    book = _book(ships, lines, orders)
    found = shipment_states(book, orders, AS_OF)
    return {no: (state, why) for no, state, why in zip(book.shipments["shipment_no"], found["state"], found["why"])}


@pytest.mark.parametrize("text, cbm", [
    ("2x40HQ, 1x20GP", 164.0), ("2 X 40hq", 136.0), ("2×40HQ；1*40GP", 194.0), ("40HQ", 68.0), ("1x20GP + 1x20GP", 56.0),
    ("1x40HQ,", 68.0), (None, 0.0), ("  ", 0.0),
    ("2x45FT", None), ("0x40HQ", None), ("2.5x40HQ", None), ("two forties", None), ("2x40HQ 1x20GP", None),
])
def test_a_containers_cell_is_counts_of_known_types(text, cbm):
    assert container_capacity(text, KNOWN) == cbm


def test_the_containers_table_says_what_a_type_holds_and_an_unusable_row_counts_for_nothing():
    table = pd.DataFrame({"type": ["40HQ", "45 HQ", "20GP", "40hq", None], "capacity_cbm": [70, 86, "n/a", 1, 30]})
    assert capacities(table) == {"40hq": 70.0, "45hq": 86.0}
    assert container_capacity("1x45HQ, 1x40HQ", capacities(table)) == 156.0


def test_bad_rows_are_issues_naming_sheet_row_column_and_value_and_their_shipment_is_not_applied():
    book = _book(
        [dict(shipment_no="SH-1", status="SHIPPED?", containers="1x40HQ"),
         dict(shipment_no="SH-2", status="BOOKED", mode="RAIL", containers="3x45FT"),
         dict(shipment_no="sh-1", status="PLANNED"),
         dict(shipment_no="SH-4", status="已开船"),
         dict(shipment_no="SH-5", status="PLANNED", freight=-5),
         dict(shipment_no="SH-6", status="STUFFED")],
        [dict(shipment_no="SH-9", po_no="PO1", line=1, qty=5),
         dict(shipment_no="SH-6", po_no="PO3", line=1, qty=5),
         dict(shipment_no="SH-6", po_no="PO1", line=7, qty=5),
         dict(shipment_no="SH-6", po_no="PO1", line=1, qty=0),
         dict(shipment_no="SH-6", po_no="PO1", line=2, qty=2.5, cbm=-1),
         dict(shipment_no="SH-6", po_no="PO1", line=2, qty=5)])
    found = [(i.sheet, i.row, i.column, i.value, i.reason) for i in book.issues]
    ships, lines = schema.SHIPMENTS, schema.SHIPMENT_LINES
    assert found == [
        (ships.sheet, 2, ships.header("status"), "SHIPPED?", Reason.UNKNOWN_CODE),
        (ships.sheet, 3, ships.header("mode"), "RAIL", Reason.UNKNOWN_CODE),
        (ships.sheet, 3, ships.header("containers"), "3x45FT", Reason.UNKNOWN_CODE),
        (ships.sheet, 4, ships.header("shipment_no"), "sh-1", Reason.DUPLICATE),
        (ships.sheet, 5, ships.header("atd"), None, Reason.MISSING_VALUE),
        (ships.sheet, 6, ships.header("freight"), "-5", Reason.NEGATIVE_AMOUNT),
        (lines.sheet, 2, lines.header("shipment_no"), "SH-9", Reason.UNKNOWN_SHIPMENT),
        (lines.sheet, 3, lines.header("po_no"), "PO3", Reason.UNKNOWN_ORDER),
        (lines.sheet, 4, lines.header("line"), "7", Reason.UNKNOWN_ORDER),
        (lines.sheet, 5, lines.header("qty"), "0", Reason.NEGATIVE_AMOUNT),
        (lines.sheet, 6, lines.header("qty"), "2.5", Reason.BAD_NUMBER),
        (lines.sheet, 6, lines.header("cbm"), "-1", Reason.NEGATIVE_AMOUNT),
        (lines.sheet, 7, lines.header("line"), "2", Reason.DUPLICATE)]
    assert all(i.file == "master.xlsx" for i in book.issues)
    assert book.bad.tolist() == [True] * 6 and book.lines.empty
    assert book.problem[5].startswith("出运明细第 3 行有误 Shipment Lines row 3: 订单中没有此 PO")


def test_a_blank_status_is_planned_and_a_status_or_mode_is_read_from_its_code_label_or_words():
    states = _states([dict(shipment_no="SH-1"), dict(shipment_no="SH-2", status="已订舱 Booked", mode="海运"),
                      dict(shipment_no="SH-3", status="sailed", atd="2026-11-20", mode="AIR 空运")], [])
    assert states == {"SH-1": ("OK", "计划 planned"), "SH-2": ("OK", "已订舱 booked"),
                      "SH-3": ("CLOSED", "已开船 sailed 2026-11-20: 0 行已出运 lines shipped")}


def test_cargo_ready_after_the_cy_cut_off_is_flagged():
    states = _states([dict(shipment_no="SH-1", status="BOOKED", cargo_ready="2026-12-04", cy_cutoff="2026-12-03"),
                      dict(shipment_no="SH-2", status="BOOKED", cargo_ready="2026-12-03", cy_cutoff="2026-12-03",
                           etd="2026-12-05")], [])
    assert states["SH-1"] == ("FLAGGED", "货好 2026-12-04 晚于截关 2026-12-03 cargo ready 2026-12-04, after the CY "
                                         "cut-off 2026-12-03")
    assert states["SH-2"] == ("OK", "已订舱 booked, ETD 2026-12-05, 截关 CY cut-off 2026-12-03")


def test_an_etd_after_a_lines_due_date_is_flagged():
    states = _states([dict(shipment_no="SH-1", etd="2026-12-02"), dict(shipment_no="SH-2", etd="2026-12-01")],
                     [dict(shipment_no="SH-1", po_no="PO1", line=1, qty=100),
                      dict(shipment_no="SH-1", po_no="PO1", line=2, qty=100),
                      dict(shipment_no="SH-2", po_no="PO1", line=1, qty=100)])
    assert states["SH-1"] == ("FLAGGED", "预计开船 2026-12-02 晚于 1 行的交期 ETD 2026-12-02 is after the due date of 1 "
                                         "line(s): PO1 / 1 (2026-12-01)")
    assert states["SH-2"][0] == "OK"   # leaving on the due date is on time


def test_a_line_not_produced_in_full_is_flagged_counting_what_shipped_before_and_the_earlier_etds():
    """PO1 / 1: 800 produced; 300 sailed, then 400 (ETD 11-28) and 200 (ETD 11-30): 300 + 400 ≤ 800 <
    300 + 400 + 200."""
    states = _states(
        [dict(shipment_no="SH-0", status="SAILED", etd="2026-11-10"), dict(shipment_no="SH-2", etd="2026-11-30"),
         dict(shipment_no="SH-1", etd="2026-11-28"), dict(shipment_no="SH-3", status="CANCELLED")],
        [dict(shipment_no="SH-0", po_no="PO1", line=1, qty=300), dict(shipment_no="SH-2", po_no="PO1", line=1, qty=200),
         dict(shipment_no="SH-1", po_no="PO1", line=1, qty=400), dict(shipment_no="SH-3", po_no="PO1", line=1, qty=900),
         dict(shipment_no="SH-2", po_no="PO1", line=2, qty=500)])
    assert states["SH-1"] == ("OK", "计划 planned, ETD 2026-11-28")
    assert states["SH-2"] == ("FLAGGED", "1 行未完成生产 line(s) not produced in full: PO1 / 1 已生产 produced 800 < "
                                         "需要 needed 900 (300 已出运 shipped before)")
    assert states["SH-3"] == ("CLOSED", "作废 cancelled")


def test_cbm_over_what_the_containers_hold_is_flagged():
    states = _states([dict(shipment_no="SH-1", containers="1x20GP"), dict(shipment_no="SH-2", containers="1x40GP"),
                      dict(shipment_no="SH-3")],
                     [dict(shipment_no=no, po_no="PO1", line=2, qty=100, cbm=28.5) for no in ("SH-1", "SH-2", "SH-3")])
    assert states["SH-1"] == ("FLAGGED", "体积 28.50 m³ 超过集装箱容量 28 m³ CBM 28.50 over what the containers hold "
                                         "(1x20GP: 28 m³)")
    assert states["SH-2"][0] == states["SH-3"][0] == "OK"   # no containers given: not measured


def test_a_departed_or_cancelled_shipment_is_closed_and_not_followed_up():
    states = _states([dict(shipment_no="SH-1", status="STUFFED", atd="2026-11-20", cargo_ready="2026-12-04",
                           cy_cutoff="2026-12-03", containers="1x20GP"),
                      dict(shipment_no="SH-2", status="SAILED", etd="2026-11-30", cargo_ready="2026-12-04",
                           cy_cutoff="2026-12-03")],
                     [dict(shipment_no="SH-1", po_no="PO1", line=1, qty=900, cbm=40)])
    assert states["SH-1"] == ("CLOSED", "已开船 sailed 2026-11-20: 1 行已出运 lines shipped")
    assert states["SH-2"][0] == "FLAGGED"   # its ETD is after the as-of date: not gone yet


def test_departed_shipments_set_ship_date_and_shipped_qty_partial_shipments_adding_up():
    orders = _orders()
    book = _book(
        [dict(shipment_no="SH-1", status="SAILED", etd="2026-11-10", atd="2026-11-12"),
         dict(shipment_no="SH-2", status="ARRIVED", etd="2026-11-20"),
         dict(shipment_no="SH-3", status="BOOKED", etd="2026-11-21"),
         dict(shipment_no="SH-4", status="CANCELLED", atd="2026-11-22"),
         dict(shipment_no="SH-5", status="SAILED", atd="2026-11-30")],
        [dict(shipment_no="SH-1", po_no="PO1", line=1, qty=600), dict(shipment_no="SH-2", po_no="PO1", line=1, qty=400),
         dict(shipment_no="SH-3", po_no="PO1", line=2, qty=500), dict(shipment_no="SH-4", po_no="PO2", line=1, qty=300),
         dict(shipment_no="SH-5", po_no="PO1", line=2, qty=500)], orders)
    closed = close_lines(book, orders, AS_OF, file="master.xlsx", timestamp=dt.datetime(2026, 11, 26, 9))
    after = closed.orders
    assert after.loc[2, "ship_date"] == pd.Timestamp("2026-11-20") and after.loc[2, "shipped_qty"] == 1000
    assert pd.isna(after.loc[3, "ship_date"]) and pd.isna(after.loc[3, "shipped_qty"])   # booked; sails after as-of
    assert (after.loc[4, "ship_date"], after.loc[4, "shipped_qty"]) == (pd.Timestamp("2026-11-02"), 300)   # cancelled
    assert closed.lines == 1
    assert [(c["sheet"], c["source_row"], c["table"], c["order_key"], c["field"], c["old"], c["new"], c["note"])
            for c in closed.changes] == [
        (schema.SHIPMENTS.sheet, 3, "orders", "PO1 / 1", "ship_date", None, "2026-11-20", "已出运 shipped: 出运 shipment "
         "SH-1 + SH-2"),
        (schema.SHIPMENTS.sheet, 3, "orders", "PO1 / 1", "shipped_qty", None, "1000", "已出运 shipped: 出运 shipment "
         "SH-1 + SH-2")]
    again = close_lines(book, after, AS_OF, file="master.xlsx", timestamp=None)
    assert again.changes == [] and again.lines == 0


def test_a_suppliers_other_ship_date_or_qty_for_a_shipped_line_is_a_conflict_not_applied():
    orders = _orders()
    book = _book([dict(shipment_no="SH-1", status="SAILED", atd="2026-11-12")],
                 [dict(shipment_no="SH-1", po_no="PO1", line=1, qty=600)], orders)
    orders = close_lines(book, orders, AS_OF, file="master.xlsx", timestamp=None).orders
    incoming = pd.DataFrame({"po_no": ["PO1", "PO1", "PO1"], "line": [1, 2, 1], "ship_date": ["2026-11-15", "2026-11-16",
                                                                                          None],
                             "shipped_qty": [600, 500, None], "produced_qty": [None, None, 1000],
                             "_sheet": "s", "_row": [2, 3, 4]})
    matched = match_rows(orders, incoming.iloc[:2], file="supplier.csv")
    result = apply_rows(orders, matched, timestamp="t", held=Held(shipped(book, AS_OF)))
    assert [(i.row, i.column, i.value, i.reason) for i in result.issues] == [
        (2, "出货日期 Ship date", "2026-11-15", Reason.CONFLICT)]
    assert "is set by 出运 shipment SH-1 and was not changed (2026-11-12 there, 2026-11-15 in the file)" in \
        result.issues[0].message
    assert result.orders.loc[2, "ship_date"] == pd.Timestamp("2026-11-12") and result.orders.loc[2, "shipped_qty"] == 600
    assert (result.orders.loc[3, "ship_date"], result.orders.loc[3, "shipped_qty"]) == (pd.Timestamp("2026-11-16"), 500)
    assert [(c["order_key"], c["field"], c["note"]) for c in result.changes if c["note"] == CONFLICT_NOTE] == [
        ("PO1 / 1", "ship_date", CONFLICT_NOTE)]
    plain = sync_rows(orders, incoming.iloc[:1], file="supplier.csv", timestamp="t")   # without the shipments
    assert plain.orders.loc[2, "ship_date"] == pd.Timestamp("2026-11-15")


def test_a_shipment_cancelled_after_it_closed_its_lines_takes_back_the_values_it_set_and_only_those():
    orders = _orders()
    ships = [dict(shipment_no="SH-1", status="SAILED", atd="2026-11-12"),
             dict(shipment_no="SH-2", status="SAILED", atd="2026-11-13")]
    lines = [dict(shipment_no="SH-1", po_no="PO1", line=1, qty=600), dict(shipment_no="SH-2", po_no="PO1", line=2, qty=500)]
    closed = close_lines(_book(ships, lines, orders), orders, AS_OF, file="master.xlsx", timestamp=None)
    log = pd.DataFrame(closed.changes)
    after = closed.orders
    after.loc[3, "shipped_qty"] = 480   # the user corrects PO1/2's qty by hand: no longer the shipment's value
    cancelled = [dict(ships[0], status="CANCELLED"), dict(ships[1], atd=None, status="BOOKED")]
    undone = close_lines(_book(cancelled, lines, after), after, AS_OF, file="master.xlsx", timestamp=None,
                         read_log=lambda: log)
    now = undone.orders
    assert pd.isna(now.loc[2, "ship_date"]) and pd.isna(now.loc[2, "shipped_qty"])   # SH-1 cancelled: both taken back
    assert pd.isna(now.loc[3, "ship_date"]) and now.loc[3, "shipped_qty"] == 480     # SH-2 not sailed: the typed qty kept
    assert (now.loc[4, "ship_date"], now.loc[4, "shipped_qty"]) == (pd.Timestamp("2026-11-02"), 300)   # no shipment's
    assert undone.lines == 2
    assert [(c["order_key"], c["field"], c["old"], c["new"], c["note"]) for c in undone.changes] == [
        ("PO1 / 1", "ship_date", "2026-11-12", None, "出运已撤销 no longer shipped: 出运 shipment SH-1"),
        ("PO1 / 2", "ship_date", "2026-11-13", None, "出运已撤销 no longer shipped: 出运 shipment SH-2"),
        ("PO1 / 1", "shipped_qty", "600", None, "出运已撤销 no longer shipped: 出运 shipment SH-1")]
    # sailed again and cancelled again: the log holds no second shipped row (the same row is logged once)
    log = pd.concat([log, pd.DataFrame(undone.changes)], ignore_index=True)
    again = close_lines(_book(ships, lines, now), now, AS_OF, file="master.xlsx", timestamp=None).orders
    assert again.loc[2, "shipped_qty"] == 600
    undone = close_lines(_book(cancelled, lines, again), again, AS_OF, file="master.xlsx", timestamp=None,
                         read_log=lambda: log).orders
    assert pd.isna(undone.loc[2, "shipped_qty"])
    # a supplier's file set the date after the shipment did: the date is theirs and stays
    synced = pd.concat([log, pd.DataFrame([dict(table="orders", order_key="PO1 / 1", field="ship_date", old="2026-11-12",
                                                new="2026-11-12", note="同步 sync")])], ignore_index=True)
    kept = close_lines(_book(cancelled, lines, again), again, AS_OF, file="master.xlsx", timestamp=None,
                       read_log=lambda: synced).orders
    assert kept.loc[2, "ship_date"] == pd.Timestamp("2026-11-12") and pd.isna(kept.loc[2, "shipped_qty"])


def test_the_change_log_is_read_only_when_a_line_no_shipment_carries_holds_a_value():
    orders = _orders()
    lines = [dict(shipment_no="SH-1", po_no="PO1", line=2, qty=500)]

    def unread():
        raise AssertionError("the Change Log was read")
    for status in ("CANCELLED", "BOOKED"):
        closed = close_lines(_book([dict(shipment_no="SH-1", status=status)], lines, orders), orders, AS_OF,
                             file="master.xlsx", timestamp=None, read_log=unread)
        assert closed.changes == [] and closed.orders.equals(orders)
