"""A table's cells as a typed DataFrame, shared by both Workbook implementations.

The file (``MasterWorkbook``) and live Excel (``XlwingsWorkbook``) differ only in how they get a
table's header and body cells and how they add missing columns; ``build_table_frame`` does the rest
(header matching, conversion, blank rows, next free row), so both give the same ``TableFrame``.
Cells come in as python-calamine gives them: str, float, int, bool, ``datetime.date`` (a whole day)
or ``datetime.datetime``, and None or '' for a blank.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from gendan_xl.model import schema
from gendan_xl.model.date_cells import parse_date
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.issues import Issue, Reason
from gendan_xl.model.number_cells import parse_number
from gendan_xl.model.values import display_text, fold
from gendan_xl.model.words import as_codes

# The cell style gendan writes for each field kind (names of styles.STYLES).
KIND_STYLE = {schema.DATE: "date", schema.DATETIME: "datetime", schema.INT: "int", schema.NUMBER: "number",
              schema.TEXT: "text"}
_MOMENTS = (schema.DATE, schema.DATETIME)


def field_style(f: schema.Field) -> str:
    """The named cell style of a field's cells: its own, else its kind's."""
    return f.style or KIND_STYLE[f.kind]
# One dtype for date fields, whatever the cells held (date, datetime or text): pandas gives
# datetime64[s] for date objects and datetime64[us] for datetimes; microseconds cover every Excel date.
DATE_DTYPE = "datetime64[us]"
_RENAMED = 80   # similarity (0-100) from which an unknown header is taken for a renamed one of ours


@dataclass
class TableFrame:
    """A table read from the workbook. ``frame`` is indexed by Excel row number."""

    spec: schema.Table
    sheet: str                                 # the name of the table's sheet
    header_row: int                            # the sheet row of the table's header
    frame: pd.DataFrame
    columns: dict[str, int]                    # field -> sheet column index
    next_row: int                              # first row free for appended lines
    problems: list[Issue] = field(default_factory=list)   # cells that did not fit their kind
    unknown: list[tuple[int, str, str]] = field(default_factory=list)   # (row, field, formula): no saved value
    added: list[str] = field(default_factory=list)   # fields the table lacked, added at its right end by this read


def build_table_frame(spec: schema.Table, *, sheet: str, header_row: int, first_column: int, headers: list,
                      add_columns: Callable[[list[schema.Field]], dict[str, int]],
                      read_body: Callable[[], list[list]], file: str,
                      read_columns: Callable[[], list[np.ndarray] | None] | None = None,
                      date1904: bool = False) -> TableFrame:
    """The TableFrame of the table on ``sheet`` whose header cells (``headers``, left to right) are in
    ``header_row`` from ``first_column`` on.

    Each field takes the first header that matches it; fields with no column are given to
    ``add_columns``, which adds them at the table's right end and returns their sheet columns,
    unless a column of the table looks like one of them renamed (then GendanError). ``read_columns()`` (when given) may return the table's data cells column by
    column as typed arrays (from the table's first data row, possibly fewer rows than the table
    has); when it returns None, ``read_body()`` gives the data rows, each starting at the table's
    first column (rows may be short). Blank rows are dropped; ``next_row`` follows the last filled row.
    A number in a date column is a serial of the workbook's date system (1904 when ``date1904``).
    """
    c1, r1 = first_column, header_row
    columns: dict[str, int] = {}
    for offset, header in enumerate(headers):
        name = schema.match_header(spec, header)
        if name and name not in columns:
            columns[name] = c1 + offset
    missing = [f for f in spec.fields if f.name not in columns]
    if missing:
        unmatched = [h for h in headers if not schema.match_header(spec, h)]
        refuse_renamed(missing, unmatched, file=file, sheet=sheet)
        columns.update(add_columns(missing))
    by_column = read_columns() if read_columns else None
    if by_column is None:
        rows = read_body()
        by_column = [np.array(c, dtype=object) for c in itertools.zip_longest(*rows)] if rows else []
        height = len(rows)
    else:
        height = len(by_column[0]) if by_column else 0
    index = pd.RangeIndex(r1 + 1, r1 + 1 + height)
    problems: list[Issue] = []
    converted = {}
    for f in spec.fields:
        col = columns[f.name] - c1
        raw = by_column[col] if col < len(by_column) else np.full(height, None, dtype=object)
        converted[f.name] = convert_column(raw, index, f, problems, file, sheet, date1904)
    frame = pd.DataFrame(converted, index=index)
    frame = as_codes(spec, frame[frame.notna().any(axis=1)])   # words on the sheet, codes in the frame
    problems = [p for p in problems if p.row in frame.index]
    last_used = int(frame.index.max()) if len(frame) else r1
    return TableFrame(spec, sheet, r1, frame, columns, last_used + 1, problems, added=[f.name for f in missing])


def refuse_renamed(missing: list[schema.Field], headers: list, *, file: str, sheet: str) -> None:
    """GendanError when a header no field matches looks like a missing field's header renamed
    (``预计完成日期`` for ``预计完成 ETA``): adding the field again would leave its values unread."""
    for f in missing:
        spellings = [fold(s) for s in (f.zh, f.en, f.header, *f.aliases)]
        for header in headers:
            text = fold(str(header or ""))
            if text and any(_resembles(s, text) for s in spellings):
                raise GendanError(f"表头被改名 the column {header!r} looks like our column {f.header} renamed; gendan "
                                  f"would add a second {f.header} column and leave these values unread",
                                  file=file, sheet=sheet, column=header,
                                  expected=f"the header {f.header!r} (or {f.zh!r} / {f.en!r}): rename it back",
                                  code=ErrorCode.COLUMN_MISSING)


def _resembles(spelling: str, text: str) -> bool:
    """``text`` holds ``spelling`` (as whole words when it is latin) or is a near spelling of it."""
    if len(spelling) < 2:
        return False
    if spelling.isascii():
        held = re.search(rf"(?<![a-z0-9]){re.escape(spelling)}(?![a-z0-9])", text) is not None
    else:
        held = spelling in text
    return held or fuzz.ratio(spelling, text) >= _RENAMED


def convert_column(raw: np.ndarray, index: pd.Index, f: schema.Field, problems: list, file: str, sheet: str,
                   date1904: bool = False) -> pd.Series:
    """Convert one column of raw cell values to the field's kind, noting cells that do not fit.

    Dates come out as ``DATE_DTYPE`` at midnight, date-times to the second, numbers as float, text
    as str or None. A typed array (datetime64 or float, from a typed reader) of the field's own kind
    is taken as it is. A number in a date column is a serial (of the 1904 date system when ``date1904``).
    """
    if raw.dtype != object:
        typed = pd.Series(raw, index=index)
        if f.kind in _MOMENTS and raw.dtype.kind == "M":
            return _moment(typed.astype(DATE_DTYPE), f.kind)
        if f.kind in (schema.INT, schema.NUMBER) and raw.dtype.kind in "fiu":
            return typed.astype(float)
        raw = typed.astype(object).where(typed.notna(), None).to_numpy()
    types = np.fromiter(map(type, raw), dtype=object, count=len(raw))
    blank = (raw == "") | (types == type(None))
    values = pd.Series(raw, index=index, dtype=object)
    if f.kind == schema.TEXT:
        other = (types != str) & ~blank
        out = values.where(~blank, None)
        if other.any():
            out[other] = values[other].map(display_text)
        return out.astype(object)
    if f.kind in _MOMENTS:
        native = (types == dt.datetime) | (types == dt.date)
        out = pd.to_datetime(values.where(native), errors="coerce").astype(DATE_DTYPE)
        parse = partial(parse_date if f.kind == schema.DATE else _parse_datetime, date1904=date1904)
    else:
        native = (types == float) | (types == int)
        out = pd.to_numeric(values.where(native), errors="coerce").astype(float)
        parse = parse_number
    for row, v in values[~native & ~blank].items():   # text typed into a date/number column
        try:
            parsed = parse(v)
        except (ValueError, TypeError) as exc:
            problems.append(Issue(file, sheet, int(row), f.header, display_text(v),
                                  Reason.BAD_DATE if f.kind in _MOMENTS else Reason.BAD_NUMBER, str(exc)))
            continue
        if parsed is not None:
            out.loc[row] = pd.Timestamp(parsed) if f.kind in _MOMENTS else float(parsed)
    return _moment(out, f.kind) if f.kind in _MOMENTS else out


def _moment(values: pd.Series, kind: str) -> pd.Series:
    """Dates at midnight; date-times to the second (a serial number read back may be a microsecond off)."""
    return values.dt.normalize() if kind == schema.DATE else values.dt.round("s")


def _parse_datetime(text, *, date1904: bool) -> dt.datetime | dt.date | None:
    """A date-time typed as text: ISO (how older gendan versions wrote log timestamps), else a date."""
    try:
        return dt.datetime.fromisoformat(str(text).strip())
    except ValueError:
        return parse_date(text, date1904=date1904)


def cell_values(series: pd.Series) -> list:
    """Python values for cells: None for blanks, dates as date (datetime when there is a time of day),
    integral floats as int. Done column-wise (a plan appends hundreds of thousands of rows)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        moments = series.to_numpy().astype("datetime64[us]")
        days = moments.astype("datetime64[D]")
        out = days.astype(object)   # datetime.date
        timed = moments != days
        out[timed] = moments[timed].astype(object)   # datetime.datetime
        out[np.isnat(moments)] = None
        return out.tolist()
    if pd.api.types.is_float_dtype(series) and series.dtype.kind == "f":   # slack days
        numbers = series.to_numpy()
        out = numbers.astype(object)
        whole = np.isfinite(numbers) & (numbers == np.trunc(numbers))
        small = whole & (np.abs(numbers) < 2 ** 53)
        out[small] = numbers[small].astype(np.int64).astype(object)
        out[whole & ~small] = [int(v) for v in numbers[whole & ~small]]
        out[np.isnan(numbers)] = None
        return out.tolist()
    values = series.to_numpy(dtype=object)
    missing = pd.isna(values)
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):   # text: only the blanks change
        out = values.copy()
        out[missing] = None
        return out.tolist()
    return [None if blank else int(v) if isinstance(v, float) and v.is_integer()
            else v.item() if isinstance(v, np.generic) else v for v, blank in zip(values.tolist(), missing.tolist())]


def remember(tf: TableFrame, frame: pd.DataFrame, fields: list[str], appended, new_rows: list[int]) -> None:
    """Keep ``tf.frame`` equal to what the sheet now holds."""
    current = tf.frame.copy()
    for name in fields:
        current.loc[frame.index, name] = frame[name]
    if new_rows:
        extra = as_codes(tf.spec, appended.reindex(columns=tf.spec.names)).set_axis(pd.Index(new_rows))
        for name in tf.spec.of_kind(schema.DATE) + tf.spec.of_kind(schema.DATETIME):
            extra[name] = pd.to_datetime(extra[name])
        current = pd.concat([current, extra.astype(current.dtypes.to_dict())])
    tf.frame = current
