"""ta/milestone_sync on literal frames: the milestone date columns a supplier file may carry, and
applying a file's dates to the Milestones table (the supplier's milestones set, ours never: a
differing date is a conflict, a date where ours is blank is not imported; a blank or unreadable cell
erases nothing; a milestone the line has no row for, or one the files of a sync disagree about, is an
issue)."""

from __future__ import annotations

import pandas as pd

from conftest import orders_frame
from gendan_xl.model import schema
from gendan_xl.model.issues import Reason
from gendan_xl.rules.sync import CONFLICT_NOTE, SYNC_NOTE, Disputes
from gendan_xl.ta.milestone_sync import milestone_fields, suppliers_milestones, sync_milestones, sync_table

T = pd.Timestamp
TEMPLATES = pd.DataFrame({"milestone": ["FABRIC_IN", "CUTTING", "FABRIC_IN", "LAB_DIP"],
                          "name": ["面料到厂 Fabric in-house", "Cutting start", "面料到厂 Fabric in-house", "色样"]})
OWNERS = {"FABRIC_IN": "SUPPLIER", "CUTTING": "SUPPLIER", "LAB_DIP": "CUSTOMER", "PP_SAMPLE": "US",
          "SEWING": "SUPPLIER"}
ORDERS = orders_frame([{"po_no": "PO-1", "line": "1"}, {"po_no": "PO-2", "line": "1"}])
ACTUAL = schema.MILESTONES.field("actual_date").header


def test_each_milestone_is_a_date_column_of_a_supplier_file_found_by_its_names():
    fields = milestone_fields(TEMPLATES)
    assert [(f.name, f.zh, f.en, f.kind, f.owner) for f in fields] == [
        ("FABRIC_IN", "面料到厂", "Fabric in-house", schema.DATE, schema.SUPPLIER),
        ("CUTTING", "Cutting start", "Cutting start", schema.DATE, schema.SUPPLIER),   # no Chinese half
        ("LAB_DIP", "色样", "色样", schema.DATE, schema.SUPPLIER)]
    table = sync_table(TEMPLATES)
    assert table.names == schema.ORDERS.names + ["FABRIC_IN", "CUTTING", "LAB_DIP"]
    for header, field in (("大货面料到厂", "FABRIC_IN"), ("Fabric in-house", "FABRIC_IN"), ("fabric_in", "FABRIC_IN"),
                          ("cutting", "CUTTING"), ("Cutting start", "CUTTING"), ("ETA", "eta")):
        assert schema.match_header(table, header) == field, header
    assert sync_table(None) is schema.ORDERS and sync_table(TEMPLATES.iloc[:0]) is schema.ORDERS
    assert suppliers_milestones(OWNERS) == ("FABRIC_IN", "CUTTING", "SEWING")


def _milestones() -> pd.DataFrame:
    rows = [("PO-1", "1.0", "FABRIC_IN", None), ("PO-1", "1", "cutting", "2027-01-20"),
            ("PO-1", "1", "LAB_DIP", "2026-12-01"), ("PO-1", "1", "PP_SAMPLE", None),
            ("PO-2", "1", "FABRIC_IN", None), ("PO-2", "1", "CUTTING", None)]
    frame = pd.DataFrame([dict(zip(["po_no", "line", "milestone", "actual_date"], r)) for r in rows],
                         columns=schema.MILESTONES.names, dtype=object)
    frame["actual_date"] = pd.to_datetime(frame["actual_date"]).astype("datetime64[us]")
    return frame.set_axis(pd.RangeIndex(2, 2 + len(frame)))


INCOMING = pd.DataFrame({   # a supplier file's rows as read: its sheet rows 5, 6 and 7
    "po_no": ["PO-1", "PO-2", "PO-3"],
    "FABRIC_IN": ["2027-01-15", "TBD", "2027-01-01"],
    "CUTTING": ["2027-01-20", "2027-01-21", None],
    "LAB_DIP": ["2026-12-03", None, None],
    "PP_SAMPLE": ["2026-12-05", None, None],
    "SEWING": ["2027-01-25", None, None],
    "_row": [5, 6, 7], "_sheet": "进度"})
MATCHED = pd.Series([2, 3], index=[0, 1])   # file rows 5 and 6 are PO-1 and PO-2; row 7 matched no line
HEADERS = {"FABRIC_IN": "面料到厂", "LAB_DIP": "色样确认", "PP_SAMPLE": "产前样", "SEWING": "车缝"}


def _sync(disputes=None, milestones=None):
    milestones = _milestones() if milestones is None else milestones
    return sync_milestones(milestones, INCOMING, MATCHED, ORDERS, OWNERS, file="f.xlsx", timestamp="T",
                           headers=HEADERS, disputes=disputes)


def test_the_suppliers_dates_are_set_and_ours_are_never_changed():
    given = _milestones()
    result = _sync(milestones=given)
    actual = result.milestones["actual_date"]
    assert actual.tolist()[:3] == [T("2027-01-15"), T("2027-01-20"), T("2026-12-01")] and pd.isna(actual[5])
    assert pd.isna(actual[6]) and actual[7] == T("2027-01-21")   # PO-2: TBD erases nothing, sets nothing
    assert result.changed == 2 and given.equals(_milestones())   # the given frame is not changed
    assert [(c["order_key"], c["field"], c["old"], c["new"], c["note"], c["source_row"]) for c in result.changes] == [
        ("PO-1 / 1", f"FABRIC_IN {ACTUAL}", None, "2027-01-15", SYNC_NOTE, 5),
        ("PO-2 / 1", f"CUTTING {ACTUAL}", None, "2027-01-21", SYNC_NOTE, 6),
        ("PO-1 / 1", f"LAB_DIP {ACTUAL}", "2026-12-01", "2026-12-03", CONFLICT_NOTE, 5)]
    issues = [(i.row, i.column, i.value, i.reason) for i in result.issues]
    assert issues == [(5, "色样确认", "2026-12-03", Reason.CONFLICT),      # the customer's date: ours differs
                      (5, "产前样", None, Reason.NOT_IMPORTED),           # ours to enter, blank: not imported
                      (5, "车缝", "2027-01-25", Reason.NOT_IMPORTED)]     # no SEWING row for the line
    lab, pp, sewing = (i.message for i in result.issues)
    assert "owned by customer" in lab and "master 2026-12-01, supplier 2026-12-03" in lab
    assert "the file gives 1 dates (first at row 5)" in pp and "gendan plan" in sewing
    assert all(i.file == "f.xlsx" and i.sheet == "进度" for i in result.issues)


def test_a_date_the_files_of_the_sync_disagree_about_is_a_conflict_applied_by_none():
    said = "a.xlsx [进度] row 6: 2027-01-21; b.xlsx [进度] row 4: 2027-01-22"
    result = _sync(Disputes(lines={"CUTTING": {3}}, said={("CUTTING", 3): said}))
    assert pd.isna(result.milestones.at[7, "actual_date"]) and result.changed == 1   # FABRIC_IN of PO-1 only
    conflict = [i for i in result.issues if i.row == 6]
    assert [(i.column, i.value, i.reason) for i in conflict] == [("CUTTING", "2027-01-21", Reason.CONFLICT)]
    assert said in conflict[0].message and "not applied" in conflict[0].message
    assert ("PO-2 / 1", f"CUTTING {ACTUAL}", None, "2027-01-21", CONFLICT_NOTE) in [
        (c["order_key"], c["field"], c["old"], c["new"], c["note"]) for c in result.changes]
    assert _sync().milestones.at[7, "actual_date"] == T("2027-01-21")   # undisputed, it is applied


def test_a_file_without_milestone_columns_or_matched_rows_changes_nothing():
    plain = INCOMING[["po_no", "_row", "_sheet"]]
    for incoming, matched in ((plain, MATCHED), (INCOMING, MATCHED.iloc[:0])):
        result = sync_milestones(_milestones(), incoming, matched, ORDERS, OWNERS, file="f.xlsx", timestamp="T",
                                 headers={})
        assert result.milestones.equals(_milestones()) and result.changes == [] and result.issues == []
