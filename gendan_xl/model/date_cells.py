"""Dates as a cell holds them and as users and files give them, decided once for every module: the
Excel serial number of a date (both date systems) and the one reader of a date cell (supplier files,
the master's tables, the Settings sheet; the worksheet functions read serials).

Excel serials (documented here once):

* The 1900 date system counts 1900-01-01 as serial 1 and, as Lotus 1-2-3 did, a 1900-02-29 that
  never was: serial 60. So serial n is 1899-12-31 + n below 60 and 1899-12-30 + n from 61
  (1900-03-01) on. **Serial 60 is no date**: reading it is an error (a bad date; ``#NUM!`` in a
  worksheet function), never the day before or after it; writing never gives it (1900-02-28 is 59,
  1900-03-01 is 61). Serial 0 (what an empty cell formatted as a date shows) and below name no date
  either; the last is 2958465, 9999-12-31. A date before 1900-01-01, which the 1900 system cannot
  show, is written on the same count below 1 (1899-12-31 is 0). (python-calamine and openpyxl, which
  turn date-formatted cells into dates before gendan sees them, show serial 60 as 1900-02-28.)
* The 1904 date system (``<workbookPr date1904="1"/>``, old Mac Excel) counts 1904-01-01 as serial 0,
  with no phantom day: a serial is the 1900 one less ``DAYS_1900_TO_1904``.
* A time of day is the fraction of a serial; reading a date drops it.

Date cells:

* Dates ``a/b/yyyy`` and ``a-b-yyyy`` are read in the order given: month-first (``dayfirst=False``,
  the default: the SCMS data is US style, ``8/27/14``) or day-first (``dayfirst=True``); a value
  impossible in that order is an error, never silently swapped: its message says in words what each
  order would give (``'31/13/2026'``: read day-first the month would be 13; read month-first it would
  be 31) or that the other order would be a date. With ``dayfirst=None`` (the order is not known) a
  value the two orders read differently (``05/12/2026``; ``26/12/05``, which may also be yy/mm/dd) is
  an :class:`AmbiguousDate` saying what each reading gives, never a guess. ISO (``2026-12-05``),
  Chinese dates, month names and serials are never ambiguous. :func:`day_month_readings` gives both
  readings of a value (what a file's own dates say about its order is ``importers.columns.order_evidence``).
  ``dd.mm.yyyy`` (dots) is always day-first. Two-digit years follow Excel: 00-29 -> 20xx, 30-99 -> 19xx.
  ``12月5日`` takes the year that puts it nearest to ``reference`` (default today).
  A number is a serial; text is read as a serial only when it has five digits, and eight digits
  (text or number) are ``yyyymmdd``. Dates before 1900-01-01 are errors: 1899-12-30 is Excel's day
  0, never a real date.
* Markers (``TBD``, ``N/A``, ``Date Not Captured`` ...) are not errors: they read as no value, in a
  date cell and in a number cell, and :func:`date_marker` names their kind: ``pending``,
  ``not_applicable`` or ``not_captured``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd

from gendan_xl.model.schema import SUPPLIERS
from gendan_xl.model.values import fold, is_blank

DAYS_1900_TO_1904 = 1462   # serial 0 of the 1904 date system is 1904-01-01, serial 1462 of the 1900 one
_EXCEL_DAY_ZERO = date(1899, 12, 30)   # serial n from 61 on (1900 system) is this day + n
_DAY_ZERO_ORDINAL, _DAY_ZERO_MOMENT = _EXCEL_DAY_ZERO.toordinal(), datetime(1899, 12, 30)
_PHANTOM = 60              # 1900-02-29 of the 1900 date system, a day that never was
_LAST_SERIAL = 2958465     # 9999-12-31 in the 1900 date system
_FIRST_DATE = date(1900, 1, 1)

_MONTHS = {name: i for i, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")), start=1) for name in names}

_MARKERS = (
    ("pending", re.compile(r"tbd|tba|tbc|to be (?:confirmed|advised|determined)|pending|待定|待确认|未定|未确定|\?+")),
    ("not_applicable", re.compile(r"n/?a(?:\W.*)?|not applicable|-+|—+|–+|/|无|不适用")),
    ("not_captured", re.compile(r"(?:date )?not (?:captured|recorded|available|known)|unknown|未记录|未知|不详")),
)

_CJK_SPACES = re.compile(r"\s*([年月日号])\s*")
_TIME_SUFFIX = re.compile(r"[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?[ap]\.?m\.?)?(?:z|[+-]\d{2}:?\d{2})?$")
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_CN_YMD = re.compile(r"(\d{2}|\d{4})年(\d{1,2})月(\d{1,2})[日号]?")
_CN_MD = re.compile(r"(\d{1,2})月(\d{1,2})[日号]?")
_D_MON_Y = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[- /]([a-z]{3,9})\.?[- /,]+(\d{2}|\d{4})")
_MON_D_Y = re.compile(r"([a-z]{3,9})\.?[- /]+(\d{1,2})(?:st|nd|rd|th)?,?[- /]+(\d{2}|\d{4})")
_A_B_Y = re.compile(r"(\d{1,2})([/-])(\d{1,2})\2(\d{2}|\d{4})")
_D_M_Y_DOTS = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})")
_COMPACT = re.compile(r"\d{8}")
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.\d+)?")


def date_to_excel_serial(value, *, date1904: bool = False) -> float:
    """A date, datetime (also ``pd.Timestamp``) or ``np.datetime64`` as the serial number a cell holds:
    the 1900 date system, or the 1904 one when ``date1904``; a time of day is its fraction."""
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, datetime):
        days = (value - _DAY_ZERO_MOMENT).total_seconds() / 86400
    else:
        days = float(value.toordinal() - _DAY_ZERO_ORDINAL)
    if date1904:
        return days - DAYS_1900_TO_1904
    return days - 1 if days < _PHANTOM + 1 else days   # before 1900-03-01 Excel counts one day less


def excel_serial_days(serials, *, date1904: bool = False) -> np.ndarray:
    """Excel serial numbers (anything ``np.asarray`` makes floats of; the time of day dropped) as
    ``datetime64[D]``: the 1900 date system, or the 1904 one when ``date1904``. NaT where a serial
    names no date: NaN, below the system's first serial or past 9999-12-31, and serial 60 (1900)."""
    whole = np.floor(np.asarray(serials, dtype=float))
    first, last = _serial_range(date1904)
    named = (whole >= first) & (whole <= last)
    if not date1904:
        named &= whole != _PHANTOM
    days = np.where(named, whole, 0).astype(np.int64)
    days += DAYS_1900_TO_1904 if date1904 else days < _PHANTOM   # below 60 Excel counts one day more
    out = np.datetime64(_EXCEL_DAY_ZERO, "D") + days
    out[~named] = np.datetime64("NaT", "D")
    return out


def excel_serial_to_date(serial: float, *, date1904: bool = False) -> date:
    """An Excel serial (time of day dropped) as a date; ValueError saying why when it names none
    (see ``excel_serial_days``)."""
    day = excel_serial_days([serial], date1904=date1904)[0]
    if not np.isnat(day):
        return day.item()
    if not date1904 and _PHANTOM <= serial < _PHANTOM + 1:
        raise ValueError("Excel serial 60 is 1900-02-29, a date that does not exist (Excel counts it; "
                         "1900 was no leap year)")
    first, last = _serial_range(date1904)
    system = " (1904 date system)" if date1904 else ""
    raise ValueError(f"Excel serial {serial:g} is outside {first}..{last}{system}")


def _serial_range(date1904: bool) -> tuple[int, int]:
    """The first and last serial that name a date (1904-01-01 is serial 0 of the 1904 system)."""
    return (0, _LAST_SERIAL - DAYS_1900_TO_1904) if date1904 else (1, _LAST_SERIAL)


def date_marker(value) -> str | None:
    """The kind of marker text a cell holds instead of a value (``pending``, ``not_applicable``,
    ``not_captured``), or None when it is not a marker."""
    if not isinstance(value, str):
        return None
    text = fold(value)
    for kind, pattern in _MARKERS:
        if pattern.fullmatch(text):
            return kind
    return None


class AmbiguousDate(ValueError):
    """A day/month date (``05/12/2026``) read with no order known: its message says what each reading
    gives."""


def parse_date(value, *, dayfirst: bool | None = False, reference: date | None = None,
               date1904: bool = False) -> date | None:
    """A cell as a date; None for blanks and markers; ValueError(reason) when it is not a date
    (``AmbiguousDate`` when ``dayfirst`` is None and the two orders read it differently). A number is
    a serial of the 1900 date system, or of the 1904 one when ``date1904`` (the cell's workbook counts
    from 1904)."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return _checked_date(value.date(), value)
    if isinstance(value, date):
        return _checked_date(value, value)
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else _checked_date(value.astype("datetime64[D]").item(), value)
    if isinstance(value, time):
        raise ValueError(f"{value.isoformat()} is a time of day, not a date (a date cell holding 0 shows it)")
    if isinstance(value, (bool, np.bool_, timedelta)):
        raise ValueError(f"{value!r} is not a date")
    if isinstance(value, (int, float, np.integer, np.floating)):
        return _number_to_date(value, date1904)
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date")
    if date_marker(value):
        return None
    return _text_to_date(value, dayfirst, reference, date1904)


def _checked_date(parsed: date, value) -> date:
    if parsed < _FIRST_DATE:
        zero = " (Excel's day 0: an empty cell formatted as a date)" if parsed == _EXCEL_DAY_ZERO else ""
        shown = f"{value!r}: " if isinstance(value, str) else ""
        raise ValueError(f"{shown}{parsed} is before 1900-01-01, Excel's first date{zero}")
    return parsed


def _number_to_date(value, date1904: bool) -> date:
    if 19000101 <= value <= 99991231 and float(value).is_integer():
        return _compact_date(str(int(value)))
    return excel_serial_to_date(float(value), date1904=date1904)


def _compact_date(digits: str) -> date:
    return _make_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]), digits)


def _text_to_date(value: str, dayfirst: bool | None, reference: date | None, date1904: bool) -> date:
    text = _bare(value)
    if m := _YMD.fullmatch(text) or _CN_YMD.fullmatch(text):
        return _make_date(_year(m[1]), int(m[2]), int(m[3]), value)
    if m := _CN_MD.fullmatch(text):
        return _nearest(int(m[1]), int(m[2]), reference or date.today(), value)
    if m := _D_MON_Y.fullmatch(text):
        return _make_date(_year(m[3]), _month(m[2], value), int(m[1]), value)
    if m := _MON_D_Y.fullmatch(text):
        return _make_date(_year(m[3]), _month(m[1], value), int(m[2]), value)
    if m := _A_B_Y.fullmatch(text):
        return _day_month_date(int(m[1]), int(m[3]), _year(m[4]), dayfirst, value)
    if m := _D_M_Y_DOTS.fullmatch(text):
        return _make_date(_year(m[3]), int(m[2]), int(m[1]), value)
    if _COMPACT.fullmatch(text):
        return _compact_date(text)
    if _SERIAL_TEXT.fullmatch(text):
        return excel_serial_to_date(float(text), date1904=date1904)
    raise ValueError(f"{value!r} is not a date")


# How a/b/yyyy is read, in words (Chinese, English): day-first, month-first.
_ORDERS = {True: ("按日/月读", "read day-first"), False: ("按月/日读", "read month-first")}


def _bare(value: str) -> str:
    """A date text as it is matched: folded, spaces around 年月日 and a time of day dropped."""
    return _TIME_SUFFIX.sub("", _CJK_SPACES.sub(r"\1", fold(value))).strip()


def day_month_readings(value) -> tuple[date | None, date | None, date | None] | None:
    """For an ``a/b/y`` text date: its day-first, month-first and, for a two-digit year, year-first
    (yy/mm/dd) reading, each None where it is no date; None for any other value."""
    m = _A_B_Y.fullmatch(_bare(value)) if isinstance(value, str) else None
    if m is None:
        return None
    a, b, year = int(m[1]), int(m[3]), _year(m[4])
    readings = [_reading(year, b, a), _reading(year, a, b),
                _reading(_year(f"{a:02d}"), b, year % 100) if len(m[4]) == 2 else None]
    return tuple(r if isinstance(r, date) and r >= _FIRST_DATE else None for r in readings)


def _day_month_date(a: int, b: int, year: int, dayfirst: bool | None, value: str) -> date:
    """``a/b/year`` read in the file's order (day-first or month-first). When that reading is no date,
    the ValueError says, in words, what each reading would give and why neither fits (or that the
    other reading would be a date: never taken, the file's order decides). With no order known, a
    value the two orders read differently is an ``AmbiguousDate``."""
    readings = {first: _reading(year, *((b, a) if first else (a, b))) for first in (True, False)}
    if dayfirst is None:
        if a == b or not any(isinstance(r, date) for r in readings.values()):
            dayfirst = True     # one reading, or none: nothing to decide
        else:
            raise AmbiguousDate(_ambiguous(readings, value))
    chosen = readings[dayfirst]
    if isinstance(chosen, date):
        return _checked_date(chosen, value)
    (zh, en), (other_zh, other_en) = _ORDERS[dayfirst], _ORDERS[not dayfirst]
    other = readings[not dayfirst]
    if isinstance(other, date):
        raise ValueError(f"{value!r} 不是有效日期：本文件{zh}，{chosen[0]}（{other_zh}则为 {other}，请核对）"
                         f" is not a valid date: {en} as this file's dates are, {chosen[1]} ({other_en} it would "
                         f"be {other}: please check)")
    (day_zh, day_en), (month_zh, month_en) = readings[True], readings[False]
    raise ValueError(f"{value!r} 不是有效日期：{_ORDERS[True][0]}，{day_zh}；{_ORDERS[False][0]}，{month_zh} is not a "
                     f"valid date: {_ORDERS[True][1]} {day_en}; {_ORDERS[False][1]} {month_en}")


def _ambiguous(readings: dict, value: str) -> str:
    """Why ``value`` is not read: what each order gives (and yy/mm/dd, for a two-digit year)."""
    def said(first: bool) -> tuple[str, str]:
        r = readings[first]
        (zh, en) = _ORDERS[first]
        return (f"{zh}为 {r}", f"{en} it is {r}") if isinstance(r, date) else (f"{zh}，{r[0]}", f"{en} {r[1]}")
    (day_zh, day_en), (month_zh, month_en) = said(True), said(False)
    year_zh = year_en = ""
    first = day_month_readings(value)[2]
    if first is not None:
        year_zh, year_en = f"；年在前 (yy/mm/dd) 则为 {first}", f"; year first (yy/mm/dd) it would be {first}"
    return (f"{value!r} 日/月顺序未定：{day_zh}，{month_zh}{year_zh} the day/month order of the file's dates is not "
            f"known: {day_en}, {month_en}{year_en} — give --dayfirst or --monthfirst (sync remembers each "
            f"supplier's order in {SUPPLIERS.sheet}, {SUPPLIERS.field('date_order').header})")


def _reading(year: int, month: int, day: int) -> date | tuple[str, str]:
    """The date, else why it is none (Chinese, English)."""
    if not 1 <= month <= 12:
        return f"月份 {month} 不存在", f"the month would be {month}"
    try:
        return date(year, month, day)
    except ValueError:
        shown = f"{year}-{month:02d}-{day:02d}"
        return f"{shown} 不存在", f"it would be {shown}, which does not exist"


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 30 else 1900
    return year


def _month(name: str, value: str) -> int:
    try:
        return _MONTHS[name]
    except KeyError:
        raise ValueError(f"{value!r}: {name!r} is not a month name") from None


def _make_date(year: int, month: int, day: int, value) -> date:
    try:
        made = date(year, month, day)
    except ValueError:
        raise ValueError(f"{value!r}: {year}-{month:02d}-{day:02d} is not a calendar date") from None
    return _checked_date(made, value)


def _nearest(month: int, day: int, reference: date, value: str) -> date:
    candidates = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise ValueError(f"{value!r}: month {month} day {day} is not a calendar date")
    return min(candidates, key=lambda d: (abs((d - reference).days), d))
