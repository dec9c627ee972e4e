"""Working-day calendars: count/add properties, makeup days, real CN/BD dates, provisional years."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gendan_xl.rules.calendar import PROVISIONAL, WEEKMASKS, CalendarBook, WorkCalendar, seed_rows
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.schema import CALENDAR, HOLIDAY, MAKEUP_WORKDAY

BOOK = CalendarBook.from_rows(None, range(2024, 2029))
CN, BD = BOOK.get("CN"), BOOK.get("BD")
# A synthetic calendar with makeup days next to holidays and weekends, over a short span.
SYNTH = WorkCalendar("XX", holidays=["2026-02-16", "2026-02-17", "2026-02-18", "2026-05-01"],
                     makeup_days=["2026-02-14", "2026-02-15", "2026-02-28", "2026-05-09"])
CALENDARS = st.sampled_from([CN, BD, SYNTH])
DATES = st.dates(dt.date(2023, 6, 1), dt.date(2029, 6, 30))


def brute_count(cal: WorkCalendar, a: dt.date, b: dt.date) -> int:
    """The definition, day by day: working days in [a, b), or minus those in [b, a)."""
    lo, hi = min(a, b), max(a, b)
    days = np.arange(np.datetime64(lo), np.datetime64(hi))
    n = int(np.sum(cal.is_workday(days))) if len(days) else 0
    return n if a <= b else -n


@settings(max_examples=300, deadline=None)
@given(CALENDARS, DATES, DATES)
def test_count_is_antisymmetric_and_matches_definition(cal, a, b):
    assert cal.count(a, b) == -cal.count(b, a)
    assert abs(a - b).days > 400 or cal.count(a, b) == brute_count(cal, a, b)


@settings(max_examples=300, deadline=None)
@given(CALENDARS, DATES, DATES, DATES)
def test_count_is_additive(cal, a, b, c):
    assert cal.count(a, b) + cal.count(b, c) == cal.count(a, c)


@settings(max_examples=300, deadline=None)
@given(CALENDARS, DATES, st.integers(-300, 300))
def test_add_is_consistent_with_count(cal, d, n):
    result = cal.add(d, n)
    assert cal.count(d, result) == n
    assert cal.is_workday(result)
    assert (result > np.datetime64(d)) if n > 0 else (result < np.datetime64(d)) if n < 0 else True


@settings(max_examples=200, deadline=None)
@given(CALENDARS, DATES)
def test_add_zero_is_the_first_working_day_on_or_after(cal, d):
    first = cal.add(d, 0)
    assert first >= np.datetime64(d) and cal.is_workday(first)
    assert brute_count(cal, d, first.astype(dt.date)) == 0
    assert (first == np.datetime64(d)) == cal.is_workday(d)


@settings(max_examples=50, deadline=None)
@given(CALENDARS, st.lists(st.tuples(DATES, DATES, st.integers(-40, 40)), min_size=1, max_size=30))
def test_vectorised_equals_scalar(cal, rows):
    a = np.array([r[0] for r in rows], dtype="datetime64[D]")
    b = np.array([r[1] for r in rows], dtype="datetime64[D]")
    n = np.array([r[2] for r in rows])
    assert list(cal.count(a, b)) == [cal.count(x, y) for x, y in zip(a, b)]
    assert list(cal.add(a, n)) == [cal.add(x, k) for x, k in zip(a, n)]
    assert list(cal.is_workday(a)) == [cal.is_workday(x) for x in a]


def test_missing_dates_give_nan_and_nat():
    a = np.array(["2026-03-02", "NaT"], dtype="datetime64[D]")
    assert np.isnan(CN.count(a, "2026-03-09")).tolist() == [False, True]
    assert CN.count(a, "2026-03-09")[0] == 5
    assert np.isnat(CN.add(a, [1, 1])).tolist() == [False, True]
    assert np.isnat(CN.add("2026-03-02", np.nan))
    assert CN.is_workday(a).tolist() == [True, False]
    assert np.isnan(CN.count(None, pd.NaT))


def test_numpy_reverse_quirk_is_not_copied():
    # numpy counts (end, start] when end < start; our count is exactly -count(end, start)
    assert np.busday_count("2024-01-13", "2024-01-12") == 0
    assert CN.count("2024-01-13", "2024-01-12") == -1


def test_cn_2026_spring_festival():
    off = pd.date_range("2026-02-15", "2026-02-23")
    assert not CN.is_workday(off.values).any()
    assert CN.is_workday(["2026-02-14", "2026-02-28"]).all()  # Saturdays worked (调休上班)
    assert CN.count("2026-02-13", "2026-03-02") == 7  # 13, 14(Sat), 24, 25, 26, 27, 28(Sat)
    assert CN.add("2026-02-13", 1) == np.datetime64("2026-02-14")
    assert CN.add("2026-02-14", 1) == np.datetime64("2026-02-24")
    assert CN.add("2026-02-24", -1) == np.datetime64("2026-02-14")


def test_cn_2026_national_day():
    assert not CN.is_workday(pd.date_range("2026-10-01", "2026-10-07").values).any()
    assert CN.is_workday(["2026-09-20", "2026-10-10"]).all()  # Sunday and Saturday worked
    assert CN.count("2026-09-30", "2026-10-09") == 2  # Sep 30 and Oct 8
    assert CN.count("2026-09-19", "2026-09-21") == 1  # Saturday off, Sunday worked


def test_makeup_days_counted_and_weekday_makeup_ignored():
    cal = WorkCalendar("CN", makeup_days=["2026-03-07", "2026-03-09"])  # a Saturday and a Monday
    plain = WorkCalendar("CN")
    assert cal.count("2026-03-02", "2026-03-16") == plain.count("2026-03-02", "2026-03-16") + 1
    assert cal.makeup_days.tolist() == [dt.date(2026, 3, 7)]
    assert cal.add("2026-03-06", 1) == np.datetime64("2026-03-07")


def test_bd_weekend_is_friday_saturday():
    assert WEEKMASKS["BD"] == "1111001"
    week = pd.date_range("2026-03-01", "2026-03-07").values  # Sunday .. Saturday, no holidays
    assert BD.is_workday(week).tolist() == [True, True, True, True, True, False, False]
    assert BD.add("2026-03-05", 1) == np.datetime64("2026-03-08")  # Thursday + 1 = Sunday
    assert BD.count("2026-12-15", "2026-12-18") == 2  # Victory Day 16 December off


def test_add_zero_rolls_forward():
    assert CN.add("2026-03-07", 0) == np.datetime64("2026-03-09")  # Saturday -> Monday
    assert CN.add("2026-03-09", 0) == np.datetime64("2026-03-09")
    assert CN.add("2026-03-07", 1) == np.datetime64("2026-03-10")  # not Excel WORKDAY's Monday


def test_cn_2027_is_provisional():
    assert BOOK.provisional("CN", ["2026-06-01", "2027-06-01", "2028-01-03"]).tolist() == [False, True, True]
    assert not BOOK.provisional("VN", "2027-06-01")
    assert 2027 in CN.provisional_years and 2026 not in CN.provisional_years
    # holidays for 2027 still come from the library, without makeup days
    assert not CN.is_workday("2027-10-01")
    assert not (CN.makeup_days.astype("datetime64[Y]") == np.datetime64("2027", "Y")).any()


def test_seed_rows():
    rows = seed_rows(["CN", "VN", "BD"], [2026, 2027])
    assert list(rows.columns) == CALENDAR.names
    assert set(rows["kind"]) == {HOLIDAY, MAKEUP_WORKDAY}
    cn = rows[rows["country"] == "CN"]
    assert cn[cn["date"].dt.year == 2026]["source"].str.startswith("chinese_calendar").all()
    assert cn[cn["date"].dt.year == 2027]["source"].str.contains(PROVISIONAL, regex=False).all()
    assert not cn[(cn["date"].dt.year == 2027) & (cn["kind"] == MAKEUP_WORKDAY)].shape[0]
    makeup = cn[cn["kind"] == MAKEUP_WORKDAY]["date"]
    assert (makeup.dt.day_of_week >= 5).all()
    assert pd.Timestamp("2026-02-14") in set(makeup)
    holidays = rows[(rows["kind"] == HOLIDAY) & (rows["country"] != "BD")]["date"]
    assert (holidays.dt.day_of_week < 5).all()  # weekend holidays are not listed
    bd = rows[rows["country"] == "BD"]["date"].dt.day_of_week
    assert not bd.isin([4, 5]).any()  # BD weekend is Friday + Saturday


def test_sheet_rows_win_for_their_years():
    sheet = pd.DataFrame({
        "country": ["cn", "CN"],
        "date": [pd.Timestamp("2027-02-20"), pd.Timestamp("2027-03-03")],
        "kind": ["WORKDAY", "假日"],
        "name": ["调休", "company day off"],
        "source": ["user", "user"],
    })
    book = CalendarBook.from_rows(sheet, range(2026, 2029))
    cn = book.get("CN")
    assert cn.is_workday("2027-02-20")  # a Saturday worked, from the sheet
    assert not cn.is_workday("2027-03-03")
    assert cn.is_workday("2027-02-09")  # library's provisional holiday not used: the sheet covers 2027
    assert not cn.is_workday("2026-02-16")  # 2026 still from the library
    assert book.provisional("CN", ["2027-06-01", "2028-06-01"]).tolist() == [False, True]


def test_seeded_sheet_round_trips_provisional():
    book = CalendarBook.from_rows(seed_rows(["CN"], [2027]), [2026])
    assert book.provisional("CN", "2027-05-01")
    assert not book.get("CN").is_workday("2027-10-01")


def test_unknown_country_falls_back_to_cn():
    assert BOOK.resolve(["bd ", None, "", "ZZ", 5]).tolist() == ["BD", "CN", "CN", "CN", "CN"]
    assert BOOK.get("ZZ") is BOOK.get("CN")
    assert BOOK.get(None).country == "CN"
    assert BOOK.resolve("vn") == "VN"


@pytest.mark.parametrize("column, value", [("date", "not a date"), ("kind", "HALF DAY"), ("country", None)])
def test_bad_calendar_row_names_sheet_row_and_value(column, value):
    sheet = pd.DataFrame({"country": ["CN", "CN"], "date": [pd.Timestamp("2026-01-05")] * 2,
                          "kind": [HOLIDAY, HOLIDAY], "name": ["", ""], "source": ["", ""]}, dtype=object,
                         index=[2, 3])   # indexed by Excel row, as Workbook.read gives it
    sheet.loc[3, column] = value
    with pytest.raises(GendanError) as err:
        CalendarBook.from_rows(sheet, [2026])
    assert err.value.sheet == CALENDAR.sheet and err.value.row == 3
    assert CALENDAR.field(column).header in str(err.value)
    assert err.value.code is (ErrorCode.BAD_DATE if column == "date" else ErrorCode.BAD_VALUE)


def test_blank_sheet_rows_are_skipped():
    sheet = pd.DataFrame({"country": [None, "CN"], "date": [None, pd.Timestamp("2026-01-05")],
                          "kind": [None, HOLIDAY], "name": [None, "x"], "source": [None, "user"]})
    assert not CalendarBook.from_rows(sheet, [2026]).get("CN").is_workday("2026-01-05")
