"""What a value is, decided once for every module: blank, its display text, sameness, and the keys
values are compared by (document keys, line numbers, headers, sheet and party names). A date or a
number as a cell holds it or a user gives it is read by ``date_cells`` and ``number_cells``."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time
from functools import lru_cache

import numpy as np
import pandas as pd

_KEY_SEPARATORS = re.compile(r"[\s\-_/.#\\—–·]+")
_KEY_PREFIX = re.compile(r"^(?:PO|NO)+(?=[0-9])")
_LEADING_ZEROS = re.compile(r"(?<![0-9])0+(?=[0-9])")
_HEADER_GAPS = re.compile(r"[\s_]+")
# Characters that show nothing: zero-width space, (non-)joiners, direction marks, word joiner, BOM,
# soft hyphen (the NBSP variants are spaces after NFKC).
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
_WHOLE_NUMBER_TEXT = re.compile(r"([0-9]+)\.0+")   # a whole float turned text: 260095.0, 1.00
# A line number as people write one: 1, 01, 1.0, Line 1, Line No. 1, #1, No.1, 第1行.
_LINE_NUMBER = re.compile(r"(?:LINE(?:NO)?|LN|NO|行号?|第)?[.:：#]*([0-9]+)(?:\.0+)?行?")
TOLERANCE = 1e-9   # numbers closer than this are the same value


def is_missing(value) -> bool:
    """True for no value at all: None, NaN, NA, NaT (pandas or numpy)."""
    if value is None or isinstance(value, (str, int)):
        return value is None
    if isinstance(value, float):
        return math.isnan(value)
    return value is pd.NA or value is pd.NaT or (np.ndim(value) == 0 and bool(pd.isna(value)))


def is_blank(value) -> bool:
    """A missing value, or empty or whitespace-only text."""
    return not value.strip() if isinstance(value, str) else is_missing(value)


def display_text(value) -> str | None:
    """A value as logs, issues and messages show it (as a cell shows it): text stripped, dates in
    ISO (a time of day only when there is one), whole numbers without ``.0``, at most 15 significant
    digits, TRUE/FALSE; None when blank."""
    if isinstance(value, str):
        return value.strip() or None
    if is_missing(value):
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def same_values(old: pd.Series, new: pd.Series) -> pd.Series:
    """True where ``new`` holds the value ``old`` holds: both blank, or equal (numbers within
    ``TOLERANCE``). Both are aligned by index."""
    old_blank, new_blank = old.isna(), new.isna()
    if all(pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s) for s in (old, new)):
        equal = (old - new).abs() <= TOLERANCE
    elif old.dtype == new.dtype:
        equal = old == new
    else:
        equal = old.astype(object) == new.astype(object)
    return (old_blank & new_blank) | (equal.fillna(False).astype(bool) & ~old_blank & ~new_blank)


def fold(text: str) -> str:
    """NFKC, lower case, single spaces, stripped: the form markers and labels are compared in."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def header_key(text) -> str:
    """A header as headers are matched: ``订单号 :``, ``PO_No.`` and ``po no`` are the same header."""
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return _HEADER_GAPS.sub(" ", text).strip(" :：.")


def normalise_key(value) -> str:
    """A document key as keys are matched: ``PO-012345``, ``po12345 ``, ``ＰＯ１２３４５``, ``12345.0``
    -> ``12345``; invisible characters (zero-width space, BOM, soft hyphen …) ignored; '' when blank."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _normalised(value if isinstance(value, str) else str(value))


@lru_cache(maxsize=1 << 17)
def _normalised(value: str) -> str:
    """``normalise_key`` of a text (the same keys come from the orders, the milestones, the samples …)."""
    text = _visible_upper(value)
    whole = _WHOLE_NUMBER_TEXT.fullmatch(text)
    text = whole.group(1) if whole else text
    text = unicodedata.normalize("NFKC", _KEY_SEPARATORS.sub("", text))
    text = _KEY_PREFIX.sub("", text)
    return _LEADING_ZEROS.sub("", text)


def line_key(value) -> str:
    """A line number as lines are matched: ``1``, ``1.0``, ``1.00``, ``01``, ``１``, ``Line 1``, ``#1``
    -> ``1``. Anything else (a sub-line ``1.1``, ``1-2``, ``1a``) is a text that equals only itself,
    compared without case, width, spaces or invisible characters: ``1.1`` is never line 11. '' when blank."""
    if is_blank(value):
        return ""
    text = "".join(_visible_upper(display_text(value)).split())
    number = _LINE_NUMBER.fullmatch(text)
    return str(int(number.group(1))) if number else text


def _visible_upper(value) -> str:
    """Text in NFKC, upper case, without invisible characters, stripped."""
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", str(value)).upper())
    return _INVISIBLE.sub("", text).strip()


def sheet_key(name: str) -> str:
    """A sheet name as Excel compares names: case ignored; width and composed accents are folded too,
    so a name is never taken for free when Excel might think it taken."""
    return unicodedata.normalize("NFKC", name).casefold()


def party_key(name) -> str:
    """A party name as names are matched: case, accents, width, punctuation and spacing ignored
    (``Maison Lumière, S.A.R.L.``, ``maison lumiere  sarl`` and ``ＭＡＩＳＯＮ ＬＵＭＩＥＲＥ ＳＡＲＬ`` are one
    name); never a part of a name. '' when blank."""
    return "" if is_missing(name) else _party_key(str(name))


@lru_cache(maxsize=65536)
def _party_key(text: str) -> str:
    if text.isascii():   # most names and sample numbers: the same key without the Unicode steps
        return text.lower().translate(_ASCII_DROPPED)
    return unicode_party_key(text)


def unicode_party_key(text: str) -> str:
    """``party_key`` of a text, by the Unicode steps (any script)."""
    # Accents are the combining diacritical marks of Latin, Greek and Cyrillic letters (U+0300–U+036F):
    # the kana voicing marks (ガ) and the vowel signs of other scripts are part of the name.
    kept = (c for c in unicodedata.normalize("NFKD", text.casefold())
            if not "\u0300" <= c <= "\u036f" and unicodedata.category(c)[0] not in "PZC")
    return unicodedata.normalize("NFKC", "".join(kept)).casefold()


# the ASCII characters a party key leaves out: punctuation, spaces and controls (categories P, Z, C)
_ASCII_DROPPED = {i: None for i in range(128) if unicodedata.category(chr(i))[0] in "PZC"}


def map_distinct(values, fn, blank) -> np.ndarray:
    """``fn`` of every value (a Series or an object array) as an object array, calling ``fn`` once per
    distinct value; NA -> ``blank``."""
    codes, uniques = pd.factorize(values)
    table = np.array([fn(v) for v in uniques.tolist()] + [blank], dtype=object)
    return table[codes]


def whole_texts(numbers) -> np.ndarray:
    """Each number as whole-number text (``8.0`` -> ``8``; NaN -> ``0``), an object array: the day
    counts and round numbers whys and asks are built from, a column at a time."""
    return np.char.mod("%d", np.nan_to_num(np.asarray(numbers, dtype=float)).astype(np.int64)).astype(object)


def day_texts(days) -> np.ndarray:
    """Each day (``datetime64``) as ``2026-12-07`` (NaT -> ``NaT``), an object array."""
    return np.datetime_as_string(np.asarray(days, dtype="datetime64[D]"), unit="D").astype(object)


def blank_mask(values) -> np.ndarray:
    """``is_blank`` of every value (a Series or an object array), once per distinct value."""
    return map_distinct(values, is_blank, True).astype(bool)


def keys_of(values: pd.Series) -> pd.Series:
    """``normalise_key`` of every value ('' for blanks), computed once per distinct value."""
    return pd.Series(map_distinct(values, normalise_key, ""), index=values.index, dtype=object)


def line_keys_of(values: pd.Series) -> pd.Series:
    """``line_key`` of every value ('' for blanks), computed once per distinct value."""
    return pd.Series(map_distinct(values, line_key, ""), index=values.index, dtype=object)


# Yes and no as people type them in a cell (a setting, a template's Critical column): one set for all.
YES_WORDS = frozenset({"yes", "y", "true", "on", "1", "x", "✓", "是", "开", "是 yes"})
NO_WORDS = frozenset({"no", "n", "false", "off", "0", "否", "关", "否 no"})


def yes_no(value) -> bool | None:
    """``是`` / ``yes`` / ``Y`` / ``✓`` … -> True, ``否`` / ``no`` / ``N`` … -> False, blank -> None;
    anything else is a ValueError saying what is expected."""
    if isinstance(value, bool):
        return value
    if is_blank(value):
        return None
    text = str(value).strip().casefold()
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    raise ValueError("yes or no (是 / 否)")
