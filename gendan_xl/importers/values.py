"""Parsing messy supplier cells: dates, numbers, markers, total and note rows (what a blank is, and
keys, are ``gendan_xl.values``).

Decisions (documented here once):

* Dates ``a/b/yyyy`` and ``a-b-yyyy`` are read in the order given: month-first (``dayfirst=False``,
  the default: the SCMS data is US style, ``8/27/14``) or day-first (``dayfirst=True``); a value
  impossible in that order is an error, never silently swapped: its message says in words what each
  order would give (``'31/13/2026'``: read day-first the month would be 13; read month-first it would
  be 31) or that the other order would be a date. With ``dayfirst=None`` (the order is not known) a
  value the two orders read differently (``05/12/2026``; ``26/12/05``, which may also be yy/mm/dd) is
  an :class:`AmbiguousDate` saying what each reading gives, never a guess. ISO (``2026-12-05``),
  Chinese dates, month names and serials are never ambiguous. :func:`day_month_readings` gives both
  readings of a value (what a file's own dates say about its order is ``columns.order_evidence``).
  ``dd.mm.yyyy`` (dots) is always day-first. Two-digit years follow Excel: 00-29 -> 20xx, 30-99 -> 19xx.
  ``12月5日`` takes the year that puts it nearest to ``reference`` (default today).
  Excel serials use the 1900 system (serial 60, the phantom 1900-02-29, is an error); text is read as a
  serial only when it has five digits, and eight digits are ``yyyymmdd``. Dates before 1900-01-01 are
  errors: 1899-12-30 is serial 0, what an empty cell formatted as a date shows, never a real date.
* Markers (``TBD``, ``N/A``, ``Date Not Captured`` ...) are not errors: they read as no value and
  :func:`date_marker` names their kind: ``pending``, ``not_applicable`` or ``not_captured``.
* Numbers, read value by value: with both ``.`` and ``,`` the last one is the decimal mark
  (``1.200,50`` -> 1200.5); a lone comma followed by exactly three digits groups thousands
  (``1,200`` -> 1200), otherwise it is a decimal comma (``3,5`` -> 3.5); ``1.200`` is 1.2.
  ``decimal_comma`` overrides this for a whole file (importers infer it from values such as
  ``99,90``). ``12%`` is 0.12 as in Excel, ``(1,200)`` and ``1,200-`` are negative; currency
  prefixes (``$``, ``USD``, ``¥``) and unit suffixes (``pcs``, ``件``) are dropped. A magnitude over
  ``MAX_NUMBER`` (1e15, past the 15 digits Excel keeps) is an error, like inf and NaN text.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta

import numpy as np

from ..schema import SUPPLIERS
from ..values import fold, is_blank

_EXCEL_EPOCH = date(1899, 12, 30)
_FIRST_DATE = date(1900, 1, 1)
MAX_NUMBER = 1e15
_MAX_SERIAL = 2958465  # 9999-12-31

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

_PLAIN_NUMBER = re.compile(r"\s*-?[0-9]+(?:\.[0-9]+)?\s*")
_NUMBER = re.compile(r"(?P<s1>[-+]?)\s*(?P<pre>[^\d\-+.]*?)\s*(?P<s2>[-+]?)\s*"
                     r"(?P<num>\d[\d.,' ]*\d|\d|\.\d+)(?P<exp>e[-+]?\d+)?\s*(?P<post>\D*)")
_CURRENCY_PREFIX = re.compile(r"(?:(?:usd|cny|rmb|eur|gbp|hkd|jpy|vnd|bdt|inr|twd|krw|aud|cad|chf|sgd|"
                              r"myr|thb|idr|php|try|aed|nzd|rs)\s*)?[$¥€£₹]?|(?:us|hk|nt|nz|a|c|s)\$")
_UNIT_SUFFIX = re.compile(r"-|%|‰|[^\W\d_][^\W\d_./]{0,11}(?:/[^\W\d_]{1,6})?\.?")
_GROUPED = re.compile(r"\d{1,3}(?:([,. '])\d{3})(?:\1\d{3})*")

_COMMA_DECIMAL = re.compile(r"\d\.\d{3},\d|(?<![\d.,])\d+,(?:\d{1,2}|\d{4,})(?![\d.,])")
_POINT_DECIMAL = re.compile(r"\d,\d{3}\.\d|(?<![\d.,])\d+\.(?:\d{1,2}|\d{4,})(?![\d.,])")

_TOTAL_CORE = re.compile(r"grand ?total|sub-? ?total|totals?|sum|合计|总计|小计|共计")
_TOTAL_WORDS = re.compile(r"grand|sub-?|page|totals?|sum|合计|总计|小计|共计|本页|总|qty|quantity|"
                          r"amount|amt|value|数量|金额|\(.*?\)|（.*?）|[:：\s]")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_NOTE = re.compile(r"(?:备注|注|说明|notes?|remarks?|(?:制表|审核|批准|签字|签名)人?)\s*(?:[:：]|$)|"
                   r"(?:prepared|checked|approved|signed) by\b")


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


def excel_serial_to_date(serial: float) -> date:
    """An Excel serial (1900 system, time of day dropped) as a date."""
    if not 1 <= serial < _MAX_SERIAL + 1:
        raise ValueError(f"Excel serial {serial:g} is outside 1..{_MAX_SERIAL}")
    days = int(serial)
    if days == 60:
        raise ValueError("Excel serial 60 is 1900-02-29, a date that does not exist")
    return _EXCEL_EPOCH + timedelta(days=days + (1 if days < 60 else 0))


class AmbiguousDate(ValueError):
    """A day/month date (``05/12/2026``) read with no order known: its message says what each reading
    gives."""


def parse_date(value, *, dayfirst: bool | None = False, reference: date | None = None) -> date | None:
    """A cell as a date; None for blanks and markers; ValueError(reason) when it is not a date
    (``AmbiguousDate`` when ``dayfirst`` is None and the two orders read it differently)."""
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
        return _number_to_date(value)
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date")
    if date_marker(value):
        return None
    return _text_to_date(value, dayfirst, reference)


def _checked_date(parsed: date, value) -> date:
    if parsed < _FIRST_DATE:
        zero = " (Excel's day 0: an empty cell formatted as a date)" if parsed == _EXCEL_EPOCH else ""
        shown = f"{value!r}: " if isinstance(value, str) else ""
        raise ValueError(f"{shown}{parsed} is before 1900-01-01, Excel's first date{zero}")
    return parsed


def _number_to_date(value) -> date:
    if 19000101 <= value <= 99991231 and float(value).is_integer():
        return _compact_date(str(int(value)))
    return excel_serial_to_date(float(value))


def _compact_date(digits: str) -> date:
    return _make_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]), digits)


def _text_to_date(value: str, dayfirst: bool | None, reference: date | None) -> date:
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
        return excel_serial_to_date(float(text))
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


def parse_number(value, *, decimal_comma: bool | None = None) -> float | None:
    """A cell as a float; None for blanks and markers; ValueError(reason) for text that is no number.

    ``decimal_comma``: None reads each value by the rules above; True reads ``,`` as the decimal mark
    and ``.`` as grouping (``1.200`` -> 1200); False reads ``.`` as the decimal mark and ``,`` as grouping.
    """
    if is_blank(value):
        return None
    if isinstance(value, (bool, np.bool_, date, time, timedelta)):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
    elif isinstance(value, str):
        if date_marker(value):
            return None
        number = _text_to_number(value, decimal_comma)
    else:
        raise ValueError(f"{value!r} is not a number")
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number")
    if abs(number) > MAX_NUMBER:
        raise ValueError(f"{value!r} is too large to be a quantity or amount (limit {MAX_NUMBER:.0e})")
    return number


def _text_to_number(value: str, decimal_comma: bool | None) -> float:
    if not decimal_comma and _PLAIN_NUMBER.fullmatch(value):
        return float(value)
    text = fold(value).replace("−", "-")
    negative = False
    if len(text) > 2 and text[0] in "(（" and text[-1] in ")）":
        negative, text = True, text[1:-1].strip()
    m = _NUMBER.fullmatch(text)
    if not m or (m["s1"] and m["s2"]) or not _CURRENCY_PREFIX.fullmatch(m["pre"]) \
            or (m["post"] and not _UNIT_SUFFIX.fullmatch(m["post"].strip())):
        raise ValueError(f"{value!r} is not a number")
    number = float(_plain_digits(m["num"], value, decimal_comma) + (m["exp"] or ""))
    if m["post"].strip() == "%":
        number /= 100
    elif m["post"].strip() == "‰":
        number /= 1000
    if negative ^ ("-" in (m["s1"], m["s2"], m["post"].strip())):
        number = -number
    return number


def _plain_digits(num: str, value: str, decimal_comma: bool | None) -> str:
    """Digits with grouping removed and a ``.`` decimal point."""
    if decimal_comma is None:
        grouped = _GROUPED.fullmatch(num)
        last = max(num.rfind("."), num.rfind(","))
        split = last >= 0 and (not grouped or grouped[1] == "." and num.count(".") == 1)
    else:
        last = num.rfind("," if decimal_comma else ".")
        split = last >= 0
    whole, frac = (num[:last], num[last + 1:]) if split else (num, "")
    if whole and not (whole.isdigit() or _GROUPED.fullmatch(whole)) or split and not frac.isdigit():
        raise ValueError(f"{value!r}: unclear digit grouping in {num!r}")
    return re.sub(r"\D", "", whole) + ("." + frac if split else "")


def decimal_evidence(value) -> str | None:
    """``comma`` or ``point`` when a text number shows which decimal mark it uses, else None."""
    if not isinstance(value, str):
        return None
    text = fold(value)
    if _COMMA_DECIMAL.search(text):
        return "comma"
    if _POINT_DECIMAL.search(text):
        return "point"
    return None


def is_total_label(value) -> bool:
    """True for a cell that labels a total: 合计, 小计, Total:, Grand Total (USD), Sum ..."""
    if not isinstance(value, str):
        return False
    text = _CJK_GAP.sub("", fold(value))
    return bool(_TOTAL_CORE.search(text)) and not _TOTAL_WORDS.sub("", text)


def is_total_row(row_values) -> bool:
    """True for a total row: a cell labelled 合计/总计/小计/Total/Sum/Grand total, or only numbers.

    Callers ask only about rows whose key is blank (or is itself the label), e.g. rows after the data.
    """
    cells = [v for v in row_values if not is_blank(v)]
    if any(is_total_label(v) for v in cells):
        return True
    return bool(cells) and all(isinstance(v, (int, float)) and not isinstance(v, bool) or
                               isinstance(v, str) and _is_number_text(v) for v in cells)


def _is_number_text(text: str) -> bool:
    try:
        return parse_number(text) is not None
    except ValueError:
        return False


def is_note_row(row_values) -> bool:
    """True when the first filled cell starts a note or sign-off: 备注:, Note:, Prepared by, 制表 ..."""
    first = next((v for v in row_values if not is_blank(v)), None)
    return isinstance(first, str) and bool(_NOTE.match(fold(first)))
