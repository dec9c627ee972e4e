"""Numbers as users and files give them, decided once: the one reader of a number cell (supplier
files, the master's tables).

* Numbers, read value by value: with both ``.`` and ``,`` the last one is the decimal mark
  (``1.200,50`` -> 1200.5); a lone comma followed by exactly three digits groups thousands
  (``1,200`` -> 1200), otherwise it is a decimal comma (``3,5`` -> 3.5); ``1.200`` is 1.2.
  ``decimal_comma`` overrides this for a whole file (importers infer it from values such as
  ``99,90``, see :func:`decimal_evidence`). ``12%`` is 0.12 as in Excel, ``(1,200)`` and ``1,200-``
  are negative; currency prefixes (``$``, ``USD``, ``¥``) and unit suffixes (``pcs``, ``件``) are
  dropped. A magnitude over ``MAX_NUMBER`` (1e15, past the 15 digits Excel keeps) is an error, like
  inf and NaN text.
* Rates (``read_rate``): ``13%``, ``0.13`` and ``13`` are all 13 %.
* Markers (``TBD``, ``N/A`` ...) read as no value, as in a date cell (``date_cells.date_marker``).
"""

from __future__ import annotations

import math
import re
from datetime import date, time, timedelta

import numpy as np

from gendan_xl.model.date_cells import date_marker
from gendan_xl.model.values import fold, is_blank

MAX_NUMBER = 1e15

_PLAIN_NUMBER = re.compile(r"\s*-?[0-9]+(?:\.[0-9]+)?\s*")
_NUMBER = re.compile(r"(?P<s1>[-+]?)\s*(?P<pre>[^\d\-+.]*?)\s*(?P<s2>[-+]?)\s*"
                     r"(?P<num>\d[\d.,' ]*\d|\d|\.\d+)(?P<exp>e[-+]?\d+)?\s*(?P<post>\D*)")
_CURRENCY_PREFIX = re.compile(r"(?:(?:usd|cny|rmb|eur|gbp|hkd|jpy|vnd|bdt|inr|twd|krw|aud|cad|chf|sgd|"
                              r"myr|thb|idr|php|try|aed|nzd|rs)\s*)?[$¥€£₹]?|(?:us|hk|nt|nz|a|c|s)\$")
_UNIT_SUFFIX = re.compile(r"-|%|‰|[^\W\d_][^\W\d_./]{0,11}(?:/[^\W\d_]{1,6})?\.?")
_GROUPED = re.compile(r"\d{1,3}(?:([,. '])\d{3})(?:\1\d{3})*")

_COMMA_DECIMAL = re.compile(r"\d\.\d{3},\d|(?<![\d.,])\d+,(?:\d{1,2}|\d{4,})(?![\d.,])")
_POINT_DECIMAL = re.compile(r"\d,\d{3}\.\d|(?<![\d.,])\d+\.(?:\d{1,2}|\d{4,})(?![\d.,])")


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


def number_or_nan(value) -> float:
    """``parse_number`` where anything not a number (a blank, a marker, bad text) is NaN."""
    try:
        number = parse_number(value)
    except ValueError:
        return math.nan
    return math.nan if number is None else number


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


def read_rate(value) -> float | None:
    """A rate cell (VAT, refund, commission, bank fee, profit …) as a fraction: ``13%``, ``0.13`` and
    ``13`` all mean 13 % (a value above 1 is a percent, one typed with ``%`` or ``‰`` is what it says);
    None when blank or a marker; ValueError(reason) for a cell that is no number."""
    if is_blank(value):
        return None
    number = parse_number(value)
    if number is None:          # a marker such as TBD or N/A
        return None
    typed_percent = isinstance(value, str) and fold(value).strip().endswith(("%", "‰"))
    return number / 100 if number > 1 and not typed_percent else number
