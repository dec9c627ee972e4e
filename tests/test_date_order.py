"""The day/month order of a file's dates (date_order.py) and dates implausible for their line
(plausible_dates.py): the rules on literal values and frames."""

from __future__ import annotations

import pandas as pd
import pytest

from gendan_xl.model.date_order import DateOrder, decide
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.rules.plausible_dates import implausible_dates

DAY, MONTH = DateOrder.DAY_FIRST, DateOrder.MONTH_FIRST


@pytest.mark.parametrize("cell, order", [
    ("日/月/年 day/month/year", DAY), ("日/月/年", DAY), ("Day/Month/Year", DAY), ("day_first", DAY),
    ("dd/mm/yyyy", DAY), ("DD.MM.YY", DAY), ("DMY", DAY), ("day-first", DAY), (" 日 / 月 ", DAY),
    ("月/日/年 month/day/year", MONTH), ("mm/dd/yyyy", MONTH), ("MDY", MONTH), ("month first", MONTH),
    (None, None), ("", None), ("  ", None),
])
def test_a_date_order_cell_reads_in_any_of_its_spellings(cell, order):
    assert DateOrder.read(cell) is order


@pytest.mark.parametrize("cell", ["sometimes", "yyyy/mm/dd", "ISO", 3])
def test_a_cell_naming_no_order_is_an_error(cell):
    with pytest.raises(ValueError, match="names no date order"):
        DateOrder.read(cell)


@pytest.mark.parametrize("own, dependent, given, remembered, expected", [
    (None, True, True, None, (DAY, "given", True)),          # given, remembered
    (None, True, False, DAY, (MONTH, "given", True)),        # given over what is remembered, which it replaces
    (None, True, True, DAY, (DAY, "given", False)),
    (None, False, True, None, (DAY, "given", False)),        # no date the order decides: nothing to remember
    (True, True, None, None, (DAY, "file", True)),           # the file's own dates, remembered
    (True, True, None, DAY, (DAY, "file", False)),
    (None, True, None, MONTH, (MONTH, "supplier", False)),   # undecided: the supplier's
    (None, False, None, MONTH, (None, None, False)),         # nothing to decide
    (None, True, None, None, (None, None, False)),           # nothing known: issue rows
])
def test_the_order_given_then_the_files_own_then_the_suppliers(own, dependent, given, remembered, expected):
    decision = decide(own, dependent, given, remembered, supplier="Dhaka Knitwear Ltd")
    assert (decision.order, decision.by, decision.remember) == expected


@pytest.mark.parametrize("given, remembered, words", [
    (False, None, "the file's dates are day/month/year, but --monthfirst was given"),
    (False, DAY, "the file's dates are day/month/year, but --monthfirst was given"),
    (None, MONTH, "the file's dates are day/month/year, but 供应商 Suppliers remembers month/day/year for Dhaka "
                  "Knitwear Ltd; nothing was written [file w.csv, sheet w, row 7, column ETA, value '13/12/2026']: "
                  "expected month/day/year dates from Dhaka Knitwear Ltd; if its files changed, run again with "
                  "--dayfirst (then remembered) or set 日期顺序 Date order in 供应商 Suppliers row 8 to 日/月/年 "
                  "day/month/year"),
])
def test_own_dates_contradicting_the_order_given_or_remembered_stop(given, remembered, words):
    where = {"file": "w.csv", "sheet": "w", "row": 7, "column": "ETA", "value": "13/12/2026"}
    with pytest.raises(GendanError) as err:
        decide(True, True, given, remembered, supplier="Dhaka Knitwear Ltd", where=where, supplier_row=8)
    assert err.value.code is ErrorCode.DATE_ORDER_CONFLICT and words in str(err.value) and err.value.row == 7


def test_dates_more_than_two_years_from_the_line_are_issue_rows_and_blank():
    frame = pd.DataFrame({"po_no": ["A", "B", "C", "D"],
                          "eta": pd.to_datetime(["2005-12-26", "2028-12-09", "2028-12-08", "2062-01-01"]),
                          "ship_date": pd.to_datetime(["2026-12-01", None, "2024-09-01", None]),
                          "_row": [2, 3, 4, 5], "_sheet": "s"})
    anchors = pd.DataFrame({"order_date": pd.to_datetime(["2026-09-16", "2026-09-16", None, None]),
                            "due_date": pd.to_datetime(["2026-12-08", "2026-12-08", "2026-12-08", None])})
    out, issues = implausible_dates(frame, anchors, file="f.csv", headers={"eta": "Estimated Date"})
    assert out["eta"].isna().tolist() == [True, True, False, False]     # D: a line without dates is not checked
    assert out["ship_date"].isna().tolist() == [False, True, True, True]  # C: due date stands in for the order date
    assert [(i.row, i.column, i.value, i.reason.value) for i in issues] == [
        (2, "Estimated Date", "2005-12-26", "implausible_date"), (3, "Estimated Date", "2028-12-09", "implausible_date"),
        (4, "ship_date", "2024-09-01", "implausible_date")]
    assert "more than 2 years before the line's order date 2026-09-16" in issues[0].message
    assert "more than 2 years after the line's due date 2026-12-08" in issues[1].message
    assert "more than 2 years before the line's due date 2026-12-08" in issues[2].message
    assert frame["eta"].notna().all()       # the input is not modified
