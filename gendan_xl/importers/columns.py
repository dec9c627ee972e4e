"""Convert a whole raw column to one field kind, parsing each distinct value once.

A column of n cells with k distinct values costs k parses plus O(n) array work, so long files stay
linear. Cells that cannot be converted become blank (NaN / NaT / None) and are returned as problems.
A file's conventions (the day/month order of its dates, decimal commas) are inferred from the distinct
values of all its columns of that kind, so every column of one file is read the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from gendan_xl.model.issues import Reason
from gendan_xl.model.schema import DATE, INT, NUMBER
from gendan_xl.model.date_cells import AmbiguousDate, date_marker, day_month_readings, parse_date
from gendan_xl.model.number_cells import decimal_evidence, parse_number
from gendan_xl.model.values import display_text, is_blank, normalise_key

_FIRST_DAY, _LAST_DAY = date(1677, 9, 22), date(2262, 4, 11)  # whole days of datetime64[ns]


@dataclass(frozen=True)
class Converted:
    """Typed values of a column and its problems: ``pos`` (0-based), ``value``, ``reason`` (a ``Reason``),
    ``message``."""

    values: pd.Series
    problems: pd.DataFrame


def factorize(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes (-1 for None/NaN) and distinct values of an object array."""
    return pd.factorize(cells, use_na_sentinel=True)


def convert(cells: np.ndarray, kind: str, *, dayfirst: bool | None = False, decimal_comma: bool | None = None,
            reference: date | None = None) -> Converted:
    """Cells (object array) as a Series of the field kind, with the cells that did not convert
    (``dayfirst=None``: the day/month order is not known, see ``date_cells.parse_date``)."""
    codes, uniques = factorize(cells)
    if kind == DATE:
        outcomes = [_date(u, dayfirst, reference) for u in uniques]
        blank, dtype = np.datetime64("NaT", "D"), "datetime64[D]"
    elif kind in (INT, NUMBER):
        outcomes = [_number(u, decimal_comma) for u in uniques]
        blank, dtype = np.nan, "float64"
    else:
        outcomes = [(display_text(u), None, None) for u in uniques]
        blank, dtype = None, object
    values = np.array([o[0] for o in outcomes] + [blank], dtype=dtype)[codes]
    if kind == DATE:
        values = values.astype("datetime64[ns]")
    return Converted(pd.Series(values, dtype=values.dtype), _problems(cells, codes, outcomes))


def is_row_counter(cells: np.ndarray, groups: np.ndarray) -> bool:
    """True when a column only counts rows: its cells are the numbers 1, 2, ..., n in row order and the
    count runs on across ``groups`` (the PO of each row). A line number starts again for every PO; a
    counter does not. With a single PO the two cannot be told apart, so that is not a counter."""
    done = convert(cells, NUMBER)
    numbers = done.values.to_numpy()
    if len(done.problems) or len(numbers) < 2 or not np.array_equal(numbers, np.arange(1, len(numbers) + 1)):
        return False
    _, uniques = factorize(groups)
    return len({normalise_key(u) for u in uniques if not is_blank(u)}) > 1


@dataclass(frozen=True)
class OrderEvidence:
    """What a file's ``a/b/y`` dates say about their day/month order: the first value only the day-first
    reading makes a date (``day``, ``13/12/2026``), the first only the month-first one does (``month``,
    ``12/13/2026``, ``11/13/06``), and whether any value reads differently in the two orders
    (``dependent``). A value that may be yy/mm/dd (``26/12/05``) says nothing, nor does one no order
    reads (``31/13/2026``)."""

    day: str | None = None
    month: str | None = None
    dependent: bool = False

    @property
    def order(self) -> bool | None:
        """True (day-first) or False (month-first) when the dates show that order and not the other."""
        return None if (self.day is None) == (self.month is None) else self.day is not None


def order_evidence(values) -> OrderEvidence:
    """The day/month evidence of some distinct cell values (see ``OrderEvidence``)."""
    day = month = None
    dependent = False
    for value in values:
        readings = day_month_readings(value)
        if readings is None:
            continue
        by_day, by_month, by_year = readings
        dependent |= by_day != by_month
        if by_year is None and (by_day is None) != (by_month is None):
            if by_day is not None:
                day = day or value
            else:
                month = month or value
    return OrderEvidence(day, month, dependent)


def infer_decimal_comma(values) -> bool | None:
    """True (False) when text numbers show only decimal commas (points), None when they do not tell."""
    seen = {decimal_evidence(v) for v in values}
    if ("comma" in seen) != ("point" in seen):
        return "comma" in seen
    return None


def _problems(cells, codes, outcomes) -> pd.DataFrame:
    reasons = np.array([o[1] for o in outcomes] + [None], dtype=object)[codes]
    positions = np.flatnonzero(reasons != None)  # noqa: E711 (elementwise on an object array)
    messages = np.array([o[2] for o in outcomes] + [None], dtype=object)[codes]
    return pd.DataFrame({"pos": positions, "value": cells[positions],
                         "reason": reasons[positions], "message": messages[positions]})


def _date(value, dayfirst: bool, reference):
    try:
        parsed = parse_date(value, dayfirst=dayfirst, reference=reference)
    except AmbiguousDate as exc:
        return None, Reason.AMBIGUOUS_DATE, str(exc)
    except ValueError as exc:
        return None, Reason.BAD_DATE, str(exc)
    if parsed is None:
        kind = date_marker(value)
        if kind:
            return None, Reason.DATE_MARKER, f"{value!r} marks the date as {kind.replace('_', ' ')}"
        return None, None, None
    if not _FIRST_DAY <= parsed <= _LAST_DAY:
        return None, Reason.BAD_DATE, f"{parsed} is outside {_FIRST_DAY}..{_LAST_DAY}"
    return parsed, None, None


def _number(value, decimal_comma):
    try:
        parsed = parse_number(value, decimal_comma=decimal_comma)
    except ValueError as exc:
        return np.nan, Reason.BAD_NUMBER, str(exc)
    if parsed is None:
        kind = date_marker(value)
        if kind:
            return np.nan, Reason.NUMBER_MARKER, f"{value!r} marks the number as {kind.replace('_', ' ')}"
        return np.nan, None, None
    return parsed, None, None
