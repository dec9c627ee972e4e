"""Cell references and SpreadsheetML cell XML for values.

Strings are always written as inline strings (``t="inlineStr"``): text from a supplier file such
as ``=HYPERLINK(...)`` stays text and can never become a formula. Cell text is ST_Xstring, as Excel
writes it: a character XML cannot hold (or CR, which XML turns into LF) is written ``_xHHHH_`` and
the ``_`` of a literal ``_xHHHH_`` as ``_x005F_``, so Excel and python-calamine read back exactly
the text written; it is cut to Excel's 32,767 characters a cell.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re

import numpy as np
import pandas as pd

from gendan_xl.model.date_cells import date_to_excel_serial
from gendan_xl.model.values import is_missing

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XSTRING = re.compile("[\x00-\x08\x0b\x0c\r\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
MAX_CELL_CHARS = 32767   # Excel's limit, in UTF-16 units
_REF_RE = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


@functools.lru_cache(maxsize=None)
def col_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_index(letters: str) -> int:
    """A -> 1, AA -> 27."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def split_ref(ref: str) -> tuple[int, int]:
    """``B12`` -> (column 2, row 12)."""
    m = _REF_RE.match(ref)
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    return col_index(m.group(1)), int(m.group(2))


def parse_range(ref: str) -> tuple[int, int, int, int]:
    """``A1:C10`` -> (first col, first row, last col, last row)."""
    first, _, last = ref.partition(":")
    c1, r1 = split_ref(first)
    c2, r2 = split_ref(last or first)
    return c1, r1, c2, r2


def make_range(c1: int, r1: int, c2: int, r2: int) -> str:
    return f"{col_letter(c1)}{r1}:{col_letter(c2)}{r2}"


def text_xml(text: str) -> str:
    """Escape text for element content, dropping characters XML cannot hold."""
    return _markup(_ILLEGAL_XML.sub("", text))


def xstring(text: str) -> str:
    """Text as ST_Xstring (before XML escaping): characters XML cannot hold, and CR, as ``_xHHHH_``;
    a literal ``_xHHHH_`` keeps its form by writing its ``_`` as ``_x005F_``."""
    if text.isprintable() and "_x" not in text:   # the common case, without a regex pass
        return text
    return _XSTRING.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def cell_text_xml(text: str) -> str:
    """Cell text as element content: cut to Excel's limit, ST_Xstring-escaped, XML-escaped."""
    return _markup(xstring(fit_cell(text)))


def legal_text(text: str) -> str:
    """Text a cell can hold: characters XML cannot hold dropped, cut to Excel's limit."""
    return fit_cell(_ILLEGAL_XML.sub("", text))


def fit_cell(text: str) -> str:
    """``text`` cut to Excel's 32,767 characters a cell."""
    return text if len(text) <= MAX_CELL_CHARS // 2 else text[:fitting(text, MAX_CELL_CHARS)]


def too_long(text: str) -> bool:
    """True when Excel cannot hold ``text`` in one cell."""
    return len(text) > MAX_CELL_CHARS // 2 and fitting(text, MAX_CELL_CHARS) < len(text)


def fitting(text: str, units: int) -> int:
    """How many leading characters of ``text`` fit in ``units`` UTF-16 units (Excel counts those)."""
    used = 0
    for i, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > units:
            return i
    return len(text)


def _markup(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def serials_1904(values: list) -> list:
    """``values`` with every date and datetime as its serial number in the 1904 date system (a workbook
    with ``<workbookPr date1904="1"/>``); other values as they are."""
    return [date_to_excel_serial(v, date1904=True) if isinstance(v, (dt.date, np.datetime64)) else v
            for v in values]


def plain_column(values: pd.Series) -> list:
    """``plain_value`` of every value of a column, done column-wise (dates by numpy: no Timestamp made)."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_localize(None)   # the local day
    if pd.api.types.is_datetime64_dtype(values):
        return values.to_numpy().astype("datetime64[D]").tolist()   # NaT -> None
    return [plain_value(v) for v in values.astype(object).where(values.notna(), None).tolist()]


def plain_value(value):
    """A frame value as a plain Python cell value: None for blanks, dates as date, numpy scalars unboxed."""
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value.item() if hasattr(value, "item") else value


def cell_xml(ref: str, value, style: int | None = None) -> str:
    """The ``<c>`` element for one value: number, date (as serial), bool, text or blank; without
    ``r`` when ``ref`` is '' (the cell then follows the one before it in its row)."""
    s = (f' r="{ref}"' if ref else "") + (f' s="{style}"' if style else "")
    kind = type(value)
    if kind is str and value and value == value.strip() and "\n" not in value:   # the common cases first
        return f'<c{s} t="inlineStr"><is><t>{cell_text_xml(value)}</t></is></c>'
    if kind is float and math.isfinite(value):
        return f'<c{s}><v>{number_text(value)}</v></c>'
    if is_missing(value):
        return f'<c{s}/>'
    if isinstance(value, bool) or isinstance(value, np.bool_):
        return f'<c{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float, np.integer, np.floating)):
        if isinstance(value, (float, np.floating)) and not math.isfinite(value):
            return f'<c{s}/>'
        return f'<c{s}><v>{number_text(value)}</v></c>'
    if isinstance(value, (dt.date, np.datetime64)):
        return f'<c{s}><v>{number_text(date_to_excel_serial(value))}</v></c>'
    text = str(value)
    if text == "":
        return f'<c{s}/>'
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f'<c{s} t="inlineStr"><is><t{space}>{cell_text_xml(text)}</t></is></c>'


def formula_xml(ref: str, formula: str, style: int | None = None) -> str:
    """A formula cell (our own formulas only, never text from a file)."""
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s}><f>{text_xml(formula.lstrip("="))}</f></c>'


def number_text(value) -> str:
    """A number as a cell (and a chart cache) holds it: integral without a point, else repr."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)
