"""Dates as a cell holds them (Excel serials, both date systems) and the one reader of a date cell:
literal values, no files."""

import ast
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gendan_xl
from gendan_xl.model.date_cells import (DAYS_1900_TO_1904, AmbiguousDate, date_marker, date_to_excel_serial,
                                  excel_serial_days, excel_serial_to_date, parse_date)

REF = date(2026, 11, 20)


@pytest.mark.parametrize("serial, day", [
    (1, date(1900, 1, 1)), (1.99, date(1900, 1, 1)), (59, date(1900, 2, 28)), (59.5, date(1900, 2, 28)),
    (61, date(1900, 3, 1)), (45659, date(2025, 1, 2)), (46066.75, date(2026, 2, 13)),
    (46352, date(2026, 11, 26)), (2958465, date(9999, 12, 31)), (2958465.999, date(9999, 12, 31)),
])
def test_a_1900_serial_is_its_day_the_time_of_day_dropped(serial, day):
    assert excel_serial_to_date(serial) == day
    assert excel_serial_days([serial]).tolist() == [day]
    assert parse_date(serial) == day


def test_serial_60_the_phantom_1900_02_29_is_no_date_and_is_never_written():
    """Decided once: Excel's 1900 system counts a 1900-02-29 that never was (serial 60). Before, the
    importers refused it, the worksheet functions read it as 1900-03-01 and the writer gave
    1900-02-28 serial 60 (and every day before it one too many)."""
    for serial in (60, 60.0, 60.5):
        with pytest.raises(ValueError, match="Excel serial 60 is 1900-02-29, a date that does not exist"):
            excel_serial_to_date(serial)
    with pytest.raises(ValueError, match="does not exist"):
        parse_date(60)
    assert np.isnat(excel_serial_days([60.0, 60.25])).all()
    assert [date_to_excel_serial(d) for d in (date(1900, 2, 28), date(1900, 3, 1))] == [59.0, 61.0]


@pytest.mark.parametrize("serial", [0, 0.5, -3, 2958466, float("nan"), float("inf"), float("-inf")])
def test_a_1900_serial_outside_1_to_2958465_is_no_date(serial):
    with pytest.raises(ValueError, match="outside 1..2958465"):
        excel_serial_to_date(serial)
    assert np.isnat(excel_serial_days([serial])).all()


@pytest.mark.parametrize("value, serial", [
    (date(1900, 1, 1), 1.0), (date(1900, 2, 28), 59.0), (datetime(1900, 2, 28, 12), 59.5), (date(1900, 3, 1), 61.0),
    (date(1899, 12, 31), 0.0), (date(2026, 11, 26), 46352.0), (datetime(2026, 2, 13, 18), 46066.75),
    (pd.Timestamp("2026-02-13 18:00"), 46066.75), (np.datetime64("2026-02-13"), 46066.0),
    (np.datetime64("2026-02-13T06:00"), 46066.25), (date(9999, 12, 31), 2958465.0),
])
def test_a_date_is_written_as_the_1900_serial_excel_shows_it_by(value, serial):
    assert date_to_excel_serial(value) == serial


@pytest.mark.parametrize("value, serial", [
    (date(1904, 1, 1), 0.0), (date(1904, 3, 1), 60.0), (date(2026, 2, 13), 44604.0),
    (datetime(2026, 2, 13, 18), 44604.75), (date(9999, 12, 31), 2957003.0),
])
def test_the_1904_system_counts_from_1904_01_01_without_a_phantom_day(value, serial):
    assert date_to_excel_serial(value, date1904=True) == serial
    assert date_to_excel_serial(value) - DAYS_1900_TO_1904 == serial
    assert excel_serial_to_date(serial, date1904=True) == (value.date() if isinstance(value, datetime) else value)
    assert parse_date(serial, date1904=True) == excel_serial_days([serial], date1904=True)[0]


def test_a_1904_serial_outside_0_to_2957003_is_no_date_and_text_serials_follow_the_system():
    for serial in (-1, 2957004):
        with pytest.raises(ValueError, match=r"outside 0..2957003 \(1904 date system\)"):
            excel_serial_to_date(serial, date1904=True)
    assert parse_date("44604", date1904=True) == date(2026, 2, 13) == parse_date("46066")
    assert parse_date(20260213, date1904=True) == date(2026, 2, 13)   # eight digits are yyyymmdd in both


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31)), st.booleans())
def test_every_date_round_trips_through_its_serial(day, date1904):
    if date1904 and day < date(1904, 1, 1):
        return
    serial = date_to_excel_serial(day, date1904=date1904)
    assert serial != 60 or date1904
    assert excel_serial_to_date(serial, date1904=date1904) == day


@given(st.integers(min_value=1, max_value=2958465).filter(lambda n: n != 60))
def test_every_serial_but_60_round_trips_through_its_date(serial):
    assert date_to_excel_serial(excel_serial_to_date(serial)) == serial


def test_the_excel_serial_is_decided_once():
    """No module but date_cells.py spells Excel's day zero, the 1904 offset or the last serial (before:
    the workbook cells, the worksheet functions and the importers each had their own)."""
    package = Path(gendan_xl.__file__).parent
    spelled = {1899, 1462, 2958465, 2957003, "1899-12-30", "1900-01-01"}
    found = {}
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and not isinstance(node.value, bool) and node.value in spelled:
                found.setdefault(str(path.relative_to(package)), set()).add(node.value)
    assert set(found) == {"model/date_cells.py"}, found


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


@pytest.mark.parametrize("value, kind", [
    ("TBD", "pending"), ("tba", "pending"), ("待定", "pending"), ("待确认", "pending"), ("？", "pending"),
    ("N/A", "not_applicable"), ("n/a", "not_applicable"), ("-", "not_applicable"), ("—", "not_applicable"),
    ("－", "not_applicable"), ("N/A - From RDC", "not_applicable"),
    ("Date Not Captured", "not_captured"), ("date not captured", "not_captured"), ("未知", "not_captured"),
    ("2026-12-05", None), ("", None), (None, None), (5, None), ("nan", None), ("Nathan", None),
])
def test_date_marker(value, kind):
    assert date_marker(value) == kind


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
