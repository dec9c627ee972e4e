"""A packing list's carton numbers written in one cell (pure): ``1-20``, ``21 ~ 35``, ``36至40``,
``41 to 45``, or one number for one carton, give the line's Carton from and Carton to, where the file
has neither (its own from and to columns win). A cell that is no range (``20-1``, ``1-``, ``A1-20``)
is a ``bad_number`` issue naming its file, sheet, row, column and value, and its line gets no carton
numbers from it."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.issues import Issue, Reason
from gendan_xl.model.values import display_text
from gendan_xl.rules.table_sync import SyncFile

RANGE = schema.CARTON_RANGE.name
_RANGE = re.compile(r"(\d+)(?:\s*(?:[-~–—―]|至|到|TO)\s*(\d+))?")
NOT_A_RANGE = ("箱号无法识别 carton numbers not understood: write them as 1-20 (or one number for one carton); "
               "not applied")


def carton_range(value) -> tuple[int, int] | None:
    """(first, last) carton of a cell; None when it is no range of cartons from 1."""
    text = unicodedata.normalize("NFKC", display_text(value) or "").strip().upper()
    found = _RANGE.fullmatch(text)
    if not found:
        return None
    first, last = int(found[1]), int(found[2] or found[1])
    return (first, last) if 1 <= first <= last else None


def with_carton_numbers(one: SyncFile, issues: list[Issue]) -> SyncFile:
    """``one`` with Carton from / to from its carton-number cells where it gives neither; the cells
    that are no range added to ``issues``."""
    frame = one.frame
    if RANGE not in frame.columns:
        return one
    given = pd.Series(False, index=frame.index)
    for name in ("carton_from", "carton_to"):
        if name in frame.columns:
            given |= frame[name].notna()
    cells = frame[RANGE].where(~given)
    read = [carton_range(v) if display_text(v) else None for v in cells]
    bad = np.array([r is None and display_text(v) is not None for r, v in zip(read, cells)])
    header = one.headers.get(RANGE, schema.CARTON_RANGE.header)
    issues += [Issue(one.file, sheet, int(row), header, display_text(value), Reason.BAD_NUMBER, NOT_A_RANGE)
               for sheet, row, value in zip(frame["_sheet"][bad], frame["_row"][bad], cells[bad])]
    first = pd.Series([r[0] if r else np.nan for r in read], index=frame.index, dtype=float)
    last = pd.Series([r[1] if r else np.nan for r in read], index=frame.index, dtype=float)
    frame = frame.assign(carton_from=frame["carton_from"].where(given, first) if "carton_from" in frame else first,
                         carton_to=frame["carton_to"].where(given, last) if "carton_to" in frame else last)
    headers = {**one.headers, **{n: one.headers.get(n, header) for n in ("carton_from", "carton_to")}}
    return SyncFile(one.file, frame.drop(columns=RANGE), headers)
