"""model/changes: the Order label of a Change Log row, the day a row speaks for, change-log records,
an Orders field's values in the field's kind, and the ETA history (first ETA, previous ETA, slips)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from conftest import orders_frame
from gendan_xl.model.changes import eta_history, log_days, log_rows, order_labels, typed_column

T = pd.Timestamp


def test_order_labels_spell_the_line_as_a_cell_shows_it():
    po = pd.Series(["PO-1", "PO-2", "PO-3", "PO-4"])
    line = pd.Series([1.0, "01", 2, " 3 "], dtype=object)   # a float read back, text kept, an int, spaces
    assert order_labels(po, line) == ["PO-1 / 1", "PO-2 / 01", "PO-3 / 2", "PO-4 / 3"]


def test_a_log_row_speaks_for_its_runs_as_of_date_else_for_the_day_of_its_timestamp():
    log = pd.DataFrame({"timestamp": ["2026-12-06 09:00", "2026-11-20 17:30", None],
                        "as_of": [T("2026-11-20"), pd.NaT, T("2026-11-23 00:00")]})
    assert log_days(log).tolist() == [T("2026-11-20"), T("2026-11-20"), T("2026-11-23")]
    older = pd.DataFrame({"timestamp": ["2026-11-25 23:59:59", "not a time"]})   # an older gendan's log
    days = log_days(older)
    assert days.iloc[0] == T("2026-11-25") and pd.isna(days.iloc[1])


def test_log_rows_carry_the_field_both_values_as_cells_show_them_and_the_note():
    where = pd.DataFrame({"timestamp": "t", "file": "f.xlsx", "sheet": "s", "source_row": [5, 9],
                          "order_key": ["PO-1 / 1", "PO-2 / 1"]}, index=[2, 3])
    old = pd.Series([T("2026-12-01"), pd.NaT], index=[2, 3])
    new = pd.Series([T("2026-12-08"), T("2026-12-03 14:30")], index=[2, 3])
    first, second = log_rows(where, "eta", old, new, "同步 sync")
    assert first == {"timestamp": "t", "file": "f.xlsx", "sheet": "s", "source_row": 5, "order_key": "PO-1 / 1",
                     "field": "eta", "old": "2026-12-01", "new": "2026-12-08", "note": "同步 sync"}
    assert (second["source_row"], second["order_key"], second["new"]) == (9, "PO-2 / 1", "2026-12-03 14:30:00")
    assert pd.isna(second["old"])   # a blank cell in the Change Log
    numbers = log_rows(where, "qty", pd.Series([1000.0, 2.5], index=[2, 3]), pd.Series([1200.0, np.nan], index=[2, 3]),
                       "n")
    assert [r["old"] for r in numbers] == ["1000", "2.5"] and numbers[0]["new"] == "1200"
    assert pd.isna(numbers[1]["new"])


def test_typed_column_gives_each_orders_field_its_kind():
    dates = typed_column("eta", pd.Series(["2026-12-01 15:30", None, T("2026-12-02")]))
    assert dates.tolist()[::2] == [T("2026-12-01"), T("2026-12-02")] and pd.isna(dates.iloc[1])
    numbers = typed_column("qty", pd.Series(["1200", 7, None], dtype=object))
    assert numbers.dtype == float and numbers.tolist()[:2] == [1200.0, 7.0] and np.isnan(numbers.iloc[2])
    text = typed_column("remarks", pd.Series(["  ", None, 7, "ok", ""], dtype=object))
    assert text.dtype == object and text.isna().tolist() == [True, True, False, False, True]
    assert text.tolist()[2:4] == ["7", "ok"]


def test_eta_history_keeps_the_first_eta_the_one_before_the_change_and_counts_moves_later():
    orders = orders_frame([
        {"po_no": "A"},                                                              # its first ETA arrives
        {"po_no": "B", "first_eta": "2026-11-20"},                                   # moved later: a slip
        {"po_no": "C"},                                                              # moved earlier: no slip
        {"po_no": "D", "first_eta": "2026-11-01", "prev_eta": "2026-11-15", "eta_slips": 2},   # a third slip
        {"po_no": "E", "first_eta": "2026-11-01", "eta_slips": 1},                   # not changed this time
    ])
    rows = pd.Index([2, 3, 4, 5])
    old = pd.Series([pd.NaT, T("2026-11-25"), T("2026-12-10"), T("2026-12-01")], index=rows)
    new = pd.Series([T("2026-12-01"), T("2026-12-02"), T("2026-12-05"), T("2026-12-03")], index=rows)
    eta_history(orders, rows, old, new)
    history = orders.set_index("po_no")[["first_eta", "prev_eta", "eta_slips"]]
    assert history.loc["A"].tolist()[0] == T("2026-12-01") and pd.isna(history.at["A", "prev_eta"])
    assert np.isnan(history.at["A", "eta_slips"])
    assert history.loc["B"].tolist() == [T("2026-11-20"), T("2026-11-25"), 1.0]
    assert history.loc["C"].tolist()[:2] == [T("2026-12-10"), T("2026-12-10")] and np.isnan(history.at["C", "eta_slips"])
    assert history.loc["D"].tolist() == [T("2026-11-01"), T("2026-12-01"), 3.0]
    assert history.at["E", "first_eta"] == T("2026-11-01") and pd.isna(history.at["E", "prev_eta"])
    assert history.at["E", "eta_slips"] == 1.0
