"""Scalar cleaning: dates, markers, numbers, keys, total and note rows."""

from datetime import date, datetime

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gendan_xl.importers.columns import order_evidence
from gendan_xl.importers.extract import extract_table
from gendan_xl.importers.values import (MAX_NUMBER, AmbiguousDate, date_marker, excel_serial_to_date, is_note_row,
                                        is_total_row, parse_date, parse_number)
from gendan_xl.schema import ORDERS
from gendan_xl.values import normalise_key

REF = date(2026, 11, 20)


@pytest.mark.parametrize("value, expected", [
    (date(2026, 12, 5), date(2026, 12, 5)),
    (datetime(2026, 12, 5, 17, 30), date(2026, 12, 5)),
    (np.datetime64("2026-12-05T10:00"), date(2026, 12, 5)),
    (46361, date(2026, 12, 5)),
    (46361.75, date(2026, 12, 5)),
    (1, date(1900, 1, 1)),
    (59, date(1900, 2, 28)),
    (61, date(1900, 3, 1)),
    (2958465, date(9999, 12, 31)),
    (20261205, date(2026, 12, 5)),
    ("2026-12-05", date(2026, 12, 5)),
    ("2026-12-05T10:00:00", date(2026, 12, 5)),
    ("2026-12-05 10:00", date(2026, 12, 5)),
    ("2026/12/5", date(2026, 12, 5)),
    ("2026/12/5 10:30 PM", date(2026, 12, 5)),
    ("2026.12.5", date(2026, 12, 5)),
    ("5-Dec-26", date(2026, 12, 5)),
    ("2-Jun-06", date(2006, 6, 2)),
    ("05 December 2026", date(2026, 12, 5)),
    ("Dec 5, 2026", date(2026, 12, 5)),
    ("Sept. 5th 2026", date(2026, 9, 5)),
    ("05/12/2026", date(2026, 5, 12)),
    ("9/11/14", date(2014, 9, 11)),
    ("1/2/30", date(1930, 1, 2)),
    ("05.12.2026", date(2026, 12, 5)),
    ("2026年12月5日", date(2026, 12, 5)),
    ("2026 年 12 月 5 号", date(2026, 12, 5)),
    ("26年12月5日", date(2026, 12, 5)),
    ("２０２６年１２月５日", date(2026, 12, 5)),
    ("12月5日", date(2026, 12, 5)),
    ("1月3日", date(2027, 1, 3)),
    ("11月1日", date(2026, 11, 1)),
    ("20261205", date(2026, 12, 5)),
    ("46361", date(2026, 12, 5)),
    (None, None), ("", None), ("   ", None), (float("nan"), None),
    ("TBD", None), ("待定", None), ("N/A", None), ("-", None), ("—", None),
    ("Date Not Captured", None), ("N/A - From RDC", None),
])
def test_parse_date(value, expected):
    assert parse_date(value, reference=REF) == expected


def test_parse_date_dayfirst():
    assert parse_date("05/12/2026", dayfirst=True) == date(2026, 12, 5)
    assert parse_date("25/12/2026", dayfirst=True) == date(2026, 12, 25)


@pytest.mark.parametrize("value, words", [
    ("05/12/2026", "read day-first it is 2026-12-05, read month-first it is 2026-05-12"),
    ("5-12-26", "read day-first it is 2026-12-05, read month-first it is 2026-05-12; year first (yy/mm/dd) it would "
                "be 2005-12-26"),
    ("26/12/05", "read day-first it is 2005-12-26, read month-first the month would be 26; year first (yy/mm/dd) "
                 "it would be 2026-12-05"),
    ("12/13/2026 10:30", "read day-first the month would be 13, read month-first it is 2026-12-13"),
])
def test_with_no_order_known_a_date_the_orders_read_differently_is_ambiguous(value, words):
    with pytest.raises(AmbiguousDate) as err:
        parse_date(value, dayfirst=None)
    assert words in str(err.value) and "日/月顺序未定" in str(err.value)


@pytest.mark.parametrize("value, expected", [
    ("2026-12-05", date(2026, 12, 5)), ("2026/12/05", date(2026, 12, 5)), ("2026年12月5日", date(2026, 12, 5)),
    ("5-Dec-26", date(2026, 12, 5)), ("Dec 5, 2026", date(2026, 12, 5)), (46361, date(2026, 12, 5)),
    ("46361", date(2026, 12, 5)), ("05.12.2026", date(2026, 12, 5)), ("07/07/2026", date(2026, 7, 7)),
    (datetime(2026, 12, 5), date(2026, 12, 5)),
])
def test_iso_chinese_month_names_serials_and_equal_day_and_month_are_never_ambiguous(value, expected):
    assert parse_date(value, dayfirst=None, reference=REF) == expected


def test_with_no_order_known_a_date_no_order_reads_is_still_a_bad_date():
    with pytest.raises(ValueError) as err:
        parse_date("31/13/2026", dayfirst=None)
    assert not isinstance(err.value, AmbiguousDate) and "read month-first the month would be 31" in str(err.value)


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


@pytest.mark.parametrize("value, words", [
    ("13/05/2026", "the month would be 13"),
    ("2026-02-30", "not a calendar date"),
    ("2月30日", "not a calendar date"),
    ("5-Foo-26", "not a month name"),
    ("next week", "not a date"),
    ("下周", "not a date"),
    ("See DN-304 (ID#:10589)", "not a date"),
    (60, "does not exist"),
    (0, "outside"),
    (-5, "outside"),
    (3_000_000, "outside"),
    (True, "not a date"),
])
def test_parse_date_errors(value, words):
    with pytest.raises(ValueError, match=words):
        parse_date(value)


@pytest.mark.parametrize("value, dayfirst, words", [
    ("31/13/2026", False, "'31/13/2026' 不是有效日期：按日/月读，月份 13 不存在；按月/日读，月份 31 不存在 is not a valid "
                          "date: read day-first the month would be 13; read month-first the month would be 31"),
    ("31/13/2026", True, "read day-first the month would be 13; read month-first the month would be 31"),
    ("02/30/2026", False, "按月/日读，2026-02-30 不存在 is not a valid date: read day-first the month would be 30; "
                          "read month-first it would be 2026-02-30, which does not exist"),
    ("13/05/2026", False, "'13/05/2026' 不是有效日期：本文件按月/日读，月份 13 不存在（按日/月读则为 2026-05-13，请核对） is not "
                          "a valid date: read month-first as this file's dates are, the month would be 13 (read "
                          "day-first it would be 2026-05-13: please check)"),
])
def test_a_day_month_date_that_fits_no_reading_says_what_each_reading_gives(value, dayfirst, words):
    with pytest.raises(ValueError) as err:               # today: "'31/13/2026' has month 31 when read month-first"
        parse_date(value, dayfirst=dayfirst)
    assert words in str(err.value)


def test_a_date_no_reading_fits_is_still_a_bad_date_issue(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("PO,Due date\nA,31/13/2026\nB,12/25/2026\n", encoding="utf-8")
    got = extract_table(path, ORDERS)
    assert got.issues[["row", "reason"]].values.tolist() == [[2, "bad_date"]]
    assert "read day-first the month would be 13; read month-first the month would be 31" in got.issues["message"][0]


@pytest.mark.parametrize("value, kind", [
    ("TBD", "pending"), ("tba", "pending"), ("待定", "pending"), ("待确认", "pending"), ("？", "pending"),
    ("N/A", "not_applicable"), ("n/a", "not_applicable"), ("-", "not_applicable"), ("—", "not_applicable"),
    ("－", "not_applicable"), ("N/A - From RDC", "not_applicable"),
    ("Date Not Captured", "not_captured"), ("date not captured", "not_captured"), ("未知", "not_captured"),
    ("2026-12-05", None), ("", None), (None, None), (5, None), ("nan", None), ("Nathan", None),
])
def test_date_marker(value, kind):
    assert date_marker(value) == kind


@pytest.mark.parametrize("value, expected", [
    (1200, 1200.0), (12.5, 12.5), (np.int64(7), 7.0),
    ("1200", 1200.0), (" -12.5 ", -12.5), ("1,200 pcs", 1200.0), ("１２００", 1200.0), ("１，２００件", 1200.0),
    ("1.200,50", 1200.5), ("1,200.50", 1200.5), ("1.200.000", 1200000.0), ("1 200", 1200.0),
    ("1'200.5", 1200.5), ("3,5", 3.5), ("1.200", 1.2), ("12%", 0.12), ("5‰", 0.005),
    ("(1,200)", -1200.0), ("（1,200）", -1200.0), ("1,200-", -1200.0), ("$1,200.00", 1200.0),
    ("-$5", -5.0), ("$-5", -5.0), ("¥1,200", 1200.0), ("￥1,200", 1200.0), ("USD 3.5", 3.5),
    ("US$3.5", 3.5), ("RMB 1200元", 1200.0), ("3.5 USD", 3.5), ("5 pcs/ctn", 5.0), ("1e3", 1000.0),
    (".5", 0.5), (None, None), ("", None), ("  ", None), (float("nan"), None), ("-", None), ("N/A", None),
])
def test_parse_number(value, expected):
    assert parse_number(value) == expected


@pytest.mark.parametrize("value, decimal_comma, expected", [
    ("1.200", True, 1200.0), ("1,5", True, 1.5), ("1.200,50", True, 1200.5), ("1,200", True, 1.2),
    ("1,200", False, 1200.0), ("1.200", False, 1.2), ("1,200.50", False, 1200.5),
])
def test_parse_number_decimal_mark(value, decimal_comma, expected):
    assert parse_number(value, decimal_comma=decimal_comma) == expected


@pytest.mark.parametrize("value", [
    "Freight Included in Commodity Cost", "See DN-304 (ID#:10589)", "Weight Captured Separately",
    "约800", "1,2,3", "12,34,567", "1200 (approx)", "5 3", "inf", "nan", True, date(2026, 1, 1),
    float("inf"), "$-", "1,200.50,5",
])
def test_parse_number_errors(value):
    with pytest.raises(ValueError):
        parse_number(value)


def test_parse_number_decimal_mark_errors():
    with pytest.raises(ValueError):
        parse_number("3,5", decimal_comma=False)
    with pytest.raises(ValueError):
        parse_number("1,200.50", decimal_comma=True)


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


@given(st.floats(min_value=-MAX_NUMBER, max_value=MAX_NUMBER))
def test_number_repr_round_trip(number):
    assert parse_number(repr(number)) == number


@given(st.floats(allow_nan=False).filter(lambda x: abs(x) > MAX_NUMBER))
def test_absurd_numbers_are_errors(number):
    for value in (number, repr(number)):
        with pytest.raises(ValueError, match="too large|not a (finite )?number"):
            parse_number(value)


@given(st.integers(min_value=-10**15, max_value=10**15))
def test_number_grouped_round_trip(number):
    assert parse_number(f"{number:,}") == number
    assert parse_number(f"{number:,}".replace(",", "."), decimal_comma=True) == number
    assert parse_number(f"${abs(number):,} pcs") == abs(number)
    if number:
        assert parse_number(f"({abs(number):,})") == -abs(number)


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_number_two_places_round_trip(number):
    text = f"{number:,.2f}"
    assert parse_number(text) == float(number)
    european = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    assert parse_number(european, decimal_comma=True) == float(number)


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)))
def test_date_round_trips(day):
    serial = (day - date(1899, 12, 30)).days
    assert excel_serial_to_date(serial) == day
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.year}年{day.month}月{day.day}日") == day
    assert parse_date(f"{day.day}-{day:%b}-{day.year}") == day
    assert parse_date(f"{day.month}/{day.day}/{day.year}") == day
    assert parse_date(f"{day.day}/{day.month}/{day.year}", dayfirst=True) == day


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_month_day_is_nearest_occurrence(reference):
    for offset in (-150, -1, 0, 1, 150):
        day = date.fromordinal(reference.toordinal() + offset)
        if (day.month, day.day) != (2, 29):
            assert parse_date(f"{day.month}月{day.day}日", reference=reference) == day


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
