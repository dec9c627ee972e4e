"""Which rows of a supplier sheet are no data: total rows and note (sign-off) rows. Cell values
themselves are read by ``gendan_xl.model.date_cells`` and ``gendan_xl.model.number_cells``."""

from __future__ import annotations

import re

from gendan_xl.model.number_cells import parse_number
from gendan_xl.model.values import fold, is_blank

_TOTAL_CORE = re.compile(r"grand ?total|sub-? ?total|totals?|sum|合计|总计|小计|共计")
_TOTAL_WORDS = re.compile(r"grand|sub-?|page|totals?|sum|合计|总计|小计|共计|本页|总|qty|quantity|"
                          r"amount|amt|value|数量|金额|\(.*?\)|（.*?）|[:：\s]")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_NOTE = re.compile(r"(?:备注|注|说明|notes?|remarks?|(?:制表|审核|批准|签字|签名)人?)\s*(?:[:：]|$)|"
                   r"(?:prepared|checked|approved|signed) by\b")


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
