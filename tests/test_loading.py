"""rules/loading: order lines from an export upserted by PO + line on literal frames: a line found by
its number however it is spelled, new lines appended with their first ETA, the ETA history kept, and
every row that cannot be loaded reported (no PO, no line, repeated, two lines of the master, another
line's style)."""

from __future__ import annotations

import pandas as pd

from conftest import orders_frame
from gendan_xl.model.issues import Reason
from gendan_xl.rules.loading import NOTE, load_rows, order_keys

T = pd.Timestamp
ORDERS = orders_frame([
    {"po_no": "PO-1", "line": "1", "style": "ST-1", "color": "Navy", "qty": 100, "eta": "2026-12-01",
     "first_eta": "2026-11-20"},
    {"po_no": "PO-1", "line": "2", "style": "ST-2", "qty": 50, "remarks": "keep"},
    {"po_no": "PO-2", "line": "1", "qty": 10},
    {"po_no": "PO-2", "line": "01", "qty": 20},     # line 1 again, spelled 01: two lines for PO-2 / 1
])


def _file(*rows: dict) -> pd.DataFrame:
    """Cleaned rows of an export, from sheet row 5 (as an importer gives them)."""
    frame = pd.DataFrame(list(rows), dtype=object)
    for name in ("eta", "due_date"):
        if name in frame:
            frame[name] = pd.to_datetime(frame[name])
    if "qty" in frame:
        frame["qty"] = frame["qty"].astype(float)
    return frame.assign(_row=range(5, 5 + len(frame)), _sheet="Orders")


def _load(*rows: dict):
    return load_rows(ORDERS, _file(*rows), file="erp.xlsx", timestamp="T")


def test_a_line_spelled_another_way_updates_that_line_and_keeps_its_line_cell():
    result = _load({"po_no": "po 1", "line": "Line 1", "qty": 120, "eta": "2026-12-05"})
    line = result.orders.loc[2]
    assert (line["po_no"], line["line"], line["qty"], line["eta"]) == ("PO-1", "1", 120.0, T("2026-12-05"))
    # the ETA moved 4 days later: one slip, the ETA before it kept, the first ETA unchanged
    assert (line["first_eta"], line["prev_eta"], line["eta_slips"]) == (T("2026-11-20"), T("2026-12-01"), 1.0)
    assert result.appended.empty and result.issues == []
    assert result.fields == ["qty", "eta", "first_eta", "prev_eta", "eta_slips"]
    assert [(c["source_row"], c["field"], c["old"], c["new"], c["note"]) for c in result.changes] == [
        (5, "qty", "100", "120", NOTE), (5, "eta", "2026-12-01", "2026-12-05", NOTE)]
    # the Change Log names the line as the master spells it, as sync does (before: the key "1|1")
    assert {c["order_key"] for c in result.changes} == {"PO-1 / 1"}
    assert result.orders.drop(index=2).equals(ORDERS.drop(index=2))    # no other line touched
    assert ORDERS.at[2, "qty"] == 100.0                                # the master's frame itself is not changed


def test_blank_and_unchanged_values_change_nothing_and_log_nothing():
    result = _load({"po_no": "PO-1", "line": 2, "qty": 50, "remarks": None, "style": "ST-2"})
    assert result.changes == [] and result.orders.equals(ORDERS)


def test_a_new_key_is_appended_with_its_eta_as_first_eta():
    result = _load({"po_no": "PO-4", "line": "1", "style": "ST-4", "qty": 10, "eta": "2026-12-20"},
                   {"po_no": "PO-1", "line": "1.1", "qty": 5})       # a sub-line is a line of its own
    appended = result.appended.reset_index(drop=True)
    assert appended[["po_no", "line", "qty"]].values.tolist() == [["PO-4", "1", 10.0], ["PO-1", "1.1", 5.0]]
    assert appended["first_eta"].iloc[0] == T("2026-12-20") and appended["prev_eta"].isna().all()
    assert pd.isna(appended["first_eta"].iloc[1])
    assert result.changes == [] and result.orders.equals(ORDERS)


def test_rows_that_cannot_be_loaded_are_reported_where_they_are_and_not_loaded():
    result = _load(
        {"po_no": "PO-1", "line": "1", "qty": 111},      # row 5: loaded
        {"po_no": "PO-1", "line": "1.0", "qty": 999},    # row 6: the same line again: the first one kept
        {"po_no": None, "line": "1", "qty": 1},          # row 7: no PO
        {"po_no": "PO-3", "line": "  ", "qty": 1},       # row 8: no line number
        {"po_no": "PO-2", "line": "1", "qty": 11},       # row 9: the master has 1 and 01
        {"po_no": "PO-1", "line": "2", "style": "ST-9", "qty": 50},   # row 10: line 2 is style ST-2
    )
    got = {i.row: i for i in result.issues}
    assert {row: i.reason for row, i in got.items()} == {
        6: Reason.DUPLICATE, 7: Reason.BLANK_KEY, 8: Reason.BLANK_KEY, 9: Reason.AMBIGUOUS_MATCH,
        10: Reason.KEY_MISMATCH}
    assert all(i.file == "erp.xlsx" and i.sheet == "Orders" for i in result.issues)
    assert got[7].column == "PO号 PO No." and "no PO number" in got[7].message
    assert (got[8].column, got[8].value) == ("行号 Line", "PO-3") and "no line number" in got[8].message
    assert got[9].value == "PO-2 / 1" and "(1, 01)" in got[9].message
    assert got[6].value == "PO-1 / 1.0"     # as the file wrote it (before: the key "1|1")
    assert "ST-2" in got[10].message and "ST-9" in got[10].message and "not applied" in got[10].message
    assert result.orders.at[2, "qty"] == 111.0 and result.orders.at[3, "style"] == "ST-2"
    assert result.orders.loc[[3, 4, 5]].equals(ORDERS.loc[[3, 4, 5]]) and result.appended.empty
    assert [c["source_row"] for c in result.changes] == [5]


def test_order_keys_compare_the_po_as_a_key_and_the_line_as_a_number():
    frame = pd.DataFrame({"po_no": ["PO-0012", "po 12", None, "PO-12"], "line": ["01", "Line 1", "1", None]},
                         dtype=object)
    assert order_keys(frame).tolist() == ["12|1", "12|1", "|1", "12|"]
    assert order_keys(frame[["po_no"]]).tolist() == ["12|", "12|", "|", "12|"]   # no line column
