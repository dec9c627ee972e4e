"""model/profiles: column mappings saved in the Profiles table, found again on a file's sheets, and
the rows that save a new mapping."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from gendan_xl.model.profiles import MAX_SCAN, detect_profile, profile_updates, saved_profiles

COLUMNS = ["profile", "field", "header", "sheet", "updated"]


def _table(rows) -> pd.DataFrame:
    """The Profiles table as the master gives it: text or None, indexed by Excel row."""
    return pd.DataFrame(rows, columns=COLUMNS, index=range(2, 2 + len(rows)), dtype=object)


SAVED = _table([
    ("dhaka", "po_no", "PO Number", "Progress", "2026-11-01 09:00"),
    ("dhaka", "eta", "Estimated Date", "Progress", "2026-11-01 09:00"),
    ("dhaka", "line", "", "Progress", "2026-11-02 09:00"),           # unmapped since: a blank header
    ("huamei", "po_no", "订单号", None, "2026-10-01 09:00"),
    ("huamei", "eta", "预计完成", None, "2026-10-01 09:00"),
    ("huamei", "line", "行号", None, "2026-10-01 09:00"),
    ("", "po_no", "PO", None, None),                                   # a half-typed row
])


def _sheet(name, rows):
    return SimpleNamespace(name=name, rows=rows)


def test_saved_profiles_map_fields_to_headers_and_skip_blank_rows():
    assert saved_profiles(SAVED) == {
        "dhaka": {"mapping": {"po_no": "PO Number", "eta": "Estimated Date"}, "sheet": "Progress"},
        "huamei": {"mapping": {"po_no": "订单号", "eta": "预计完成", "line": "行号"}, "sheet": None}}
    assert saved_profiles(_table([])) == {}


def test_the_profile_whose_headers_all_appear_is_found_with_the_sheet_they_are_on():
    profiles = saved_profiles(SAVED)
    cover = _sheet("Cover", [["Dhaka Knitwear weekly report"], [None, "PO Number"]])
    progress = _sheet("Progress", [["Dhaka Knitwear"], [], ["po number ", "Style", "ESTIMATED  DATE:"], ["PO-1"]])
    assert detect_profile([cover, progress], profiles) == (
        "dhaka", {"mapping": {"po_no": "PO Number", "eta": "Estimated Date"}, "sheet": "Progress"})
    assert detect_profile([cover], profiles) is None   # one of the two headers only: not this profile


def test_the_profile_with_most_headers_wins_and_headers_below_the_scanned_rows_are_not_seen():
    both = {"short": {"mapping": {"po_no": "订单号", "eta": "预计完成"}, "sheet": None},
            "long": {"mapping": {"po_no": "订单号", "eta": "预计完成", "line": "行号"}, "sheet": None}}
    sheet = _sheet("进度", [["订单号", "行号", "预计完成"]])
    assert detect_profile([sheet], both)[0] == "long"
    assert detect_profile([sheet], dict(reversed(both.items())))[0] == "long"   # not by the order saved
    low = _sheet("进度", [[]] * MAX_SCAN + [["订单号", "行号", "预计完成"]])
    assert detect_profile([low], both) is None


def test_on_a_tie_the_profile_found_on_the_first_sheet_wins():
    two = {"a": {"mapping": {"po_no": "PO", "eta": "ETA"}, "sheet": None},
           "b": {"mapping": {"po_no": "Order", "eta": "Ready"}, "sheet": None}}
    first, second = _sheet("One", [["Order", "Ready"]]), _sheet("Two", [["PO", "ETA"]])
    assert detect_profile([first, second], two) == ("b", {"mapping": {"po_no": "Order", "eta": "Ready"},
                                                          "sheet": "One"})


def test_saving_a_mapping_rewrites_the_profiles_rows_blanks_dropped_fields_and_appends_new_ones():
    updated, appended = profile_updates(SAVED, "dhaka", {"po_no": "PO No.", "line": "Line"}, "Sheet1", "T")
    assert updated.loc[[2, 3, 4], ["header", "sheet", "updated"]].values.tolist() == [
        ["PO No.", "Sheet1", "T"], [None, "Sheet1", "T"], ["Line", "Sheet1", "T"]]
    assert updated.loc[5:].equals(SAVED.loc[5:])                         # other profiles untouched
    assert appended.empty and list(appended.columns) == COLUMNS
    _, appended = profile_updates(SAVED, "saigon", {"po_no": "Order", "eta": "ETD"}, None, "T")
    assert appended.values.tolist() == [["saigon", "po_no", "Order", None, "T"], ["saigon", "eta", "ETD", None, "T"]]
    assert saved_profiles(updated)["dhaka"]["mapping"] == {"po_no": "PO No.", "line": "Line"}
