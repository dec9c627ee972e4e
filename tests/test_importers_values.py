"""Supplier-file reading around the cell readers: a file's date order evidence, bad dates as
issues, document keys, total and note rows (the cells themselves: test_date_cells.py,
test_number_cells.py)."""


import pytest
from hypothesis import given
from hypothesis import strategies as st

from gendan_xl.importers.columns import order_evidence
from gendan_xl.importers.extract import extract_table
from gendan_xl.importers.row_kinds import is_note_row, is_total_row
from gendan_xl.model.schema import ORDERS
from gendan_xl.model.values import normalise_key


@pytest.mark.parametrize("values, order, dependent", [
    (["13/12/2026", "05/12/2026"], True, True),
    (["12/13/2026", "05/12/2026", None, 46361], False, True),
    (["11/13/06", "1/10/07"], False, True),              # m/d/yy: 2011-13-06 is no yy/mm/dd date either
    (["26/12/05", "05/12/2026"], None, True),             # may be yy/mm/dd: never decides
    (["13/12/26"], None, True),
    (["31/13/2026", "05/12/2026"], None, True),           # a typo no order reads says nothing
    (["13/12/2026", "12/13/2026"], None, True),           # the file's dates disagree
    (["2026/12/05", "5-Dec-26", "07/07/2026", "05.12.2026", "31/13/2026"], None, False),
])
def test_order_evidence_counts_only_dates_one_order_alone_reads(values, order, dependent):
    evidence = order_evidence(values)
    assert (evidence.order, evidence.dependent) == (order, dependent)


def test_a_date_no_reading_fits_is_still_a_bad_date_issue(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("PO,Due date\nA,31/13/2026\nB,12/25/2026\n", encoding="utf-8")
    got = extract_table(path, ORDERS)
    assert got.issues[["row", "reason"]].values.tolist() == [[2, "bad_date"]]
    assert "read day-first the month would be 13; read month-first the month would be 31" in got.issues["message"][0]


@pytest.mark.parametrize("value", ["PO-012345", "po12345 ", "12345", "ＰＯ１２３４５", 12345, 12345.0,
                                   "No.0012345", "P.O. #12345", "PO_012345", "PO/12345", " 12 345 "])
def test_normalise_key_same_order(value):
    assert normalise_key(value) == "12345"


@pytest.mark.parametrize("value, expected", [
    ("SCMS-4", "SCMS4"), ("scms-004", "SCMS4"), ("POLO-123", "POLO123"), ("NOVA-01", "NOVA1"),
    ("HM-101/A", "HM101A"), ("A007B0", "A7B0"), ("000", "0"), ("PO", "PO"), ("PO-0", "0"),
    (None, ""), ("", ""), (float("nan"), ""), ("DN\\304", "DN304"),
])
def test_normalise_key(value, expected):
    assert normalise_key(value) == expected


@given(st.text())
def test_normalise_key_is_idempotent(text):
    once = normalise_key(text)
    assert normalise_key(once) == once


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["PO-", "po", "No.", "", "PO #"]),
       st.integers(min_value=0, max_value=4))
def test_normalise_key_ignores_prefix_zeros_and_width(number, prefix, zeros):
    text = f"{prefix}{'0' * zeros}{number}"
    full_width = text.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    assert normalise_key(text) == normalise_key(full_width) == normalise_key(float(number)) == str(number)


@pytest.mark.parametrize("row, expected", [
    (["合计", "", 1200], True), (["", "Total:", 5], True), (["Grand Total (USD)", 1], True),
    (["Sub-total", 3], True), (["合  计", 1], True), (["本页合计"], True), (["TOTAL QTY", 5], True),
    (["合计 Total", 5], True), (["", "", 1200, "300.5"], True), (["Total Station", 1], False),
    (["HM-101", 1200], False), (["", "TBD"], False), (["", ""], False), (["Summer collection"], False),
])
def test_is_total_row(row, expected):
    assert is_total_row(row) is expected


@pytest.mark.parametrize("row, expected", [
    (["备注: rush order"], True), (["", "Prepared by: Li"], True), (["制表：张三", "", "审核：李四"], True),
    (["Note:"], True), (["备注"], True), (["注：交期待定"], True), (["Notebook case"], False),
    (["注意事项"], False), (["Note Industries Ltd", 5], False), (["PO-1", "备注: x"], False), ([""], False),
])
def test_is_note_row(row, expected):
    assert is_note_row(row) is expected
