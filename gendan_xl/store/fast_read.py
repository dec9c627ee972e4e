"""Read a table's data cells column by column, typed, with fastexcel (Arrow): the fast path.

Half the cost of a refresh on a large master was building one Python object per cell; fastexcel
parses with calamine into typed Arrow columns instead. It is used only when every column holds one
type (``dtype_coercion="strict"``) that fits its field; otherwise the caller falls back to reading
cell by cell, which reports each odd cell (a text in a date column) with its row.
"""

from __future__ import annotations

import logging
from pathlib import Path

import fastexcel
import numpy as np
import pyarrow as pa

from gendan_xl.model import schema
from gendan_xl.store.tables import TablePart

logging.getLogger("fastexcel").setLevel(logging.ERROR)   # "falling back to string" for empty columns

_FITS = {schema.DATE: (pa.types.is_timestamp, pa.types.is_date), schema.DATETIME: (pa.types.is_timestamp,
         pa.types.is_date), schema.INT: (pa.types.is_floating,
         pa.types.is_integer), schema.NUMBER: (pa.types.is_floating, pa.types.is_integer)}


def open_reader(path: Path):
    """A fastexcel reader of the workbook (None when fastexcel cannot open it: use the slow path)."""
    try:
        return fastexcel.read_excel(str(path))
    except Exception:   # fastexcel raises its own error types; the cell-by-cell reader reports the problem
        return None


def typed_columns(reader, part: TablePart, spec: schema.Table) -> list[np.ndarray] | None:
    """The table's data columns (left to right, typed numpy arrays), or None when the fast path
    does not apply (no reader, mixed types in a column, a header not where the table says)."""
    c1, r1, c2, _ = part.bounds
    r2 = part.data_last   # a total row is not data
    if reader is None or r2 <= r1:
        return None
    try:
        sheet = reader.load_sheet_by_name(
            part.sheet.name, header_row=r1 - 1, n_rows=r2 - r1, use_columns=list(range(c1 - 1, c2)),
            schema_sample_rows=None, dtype_coercion="strict")
        table = sheet.to_arrow()
    except Exception:   # fastexcel raises its own errors for any cell it cannot type: use the slow path
        return None
    if table.column_names != list(part.columns):
        return None
    if not _kinds_fit(table, spec):
        return None
    return [_numpy(column) for column in table.columns]


def typed_sheet(reader, name: str, headers: list[str]) -> list[np.ndarray] | None:
    """The columns under ``headers`` (row 1, from column A) of a plain data sheet such as the
    history, typed, one per header; None when the fast path does not apply (no reader, no such
    sheet, other headers, a column mixing types): then read the sheet cell by cell."""
    if reader is None:
        return None
    try:
        sheet = reader.load_sheet_by_name(name, header_row=0, use_columns=list(range(len(headers))),
                                          schema_sample_rows=None, dtype_coercion="strict")
        table = sheet.to_arrow()
    except Exception:   # no such sheet, or a cell it cannot type: use the slow path
        return None
    placed = [(c.name, c.absolute_index) for c in sheet.selected_columns]
    if placed != list(zip(headers, range(len(headers)))):   # the headers, from column A
        return None
    return [_numpy(column) for column in table.columns]


def _kinds_fit(table: pa.Table, spec: schema.Table) -> bool:
    for name, column in zip(table.column_names, table.columns):
        field = schema.match_header(spec, name)
        checks = _FITS.get(spec.field(field).kind) if field else None
        if checks and not (column.null_count == len(column) or any(check(column.type) for check in checks)):
            return False
    return True


def _numpy(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    if pa.types.is_timestamp(column.type) or pa.types.is_date(column.type):
        return column.to_numpy(zero_copy_only=False).astype("datetime64[us]")
    if pa.types.is_floating(column.type) or pa.types.is_integer(column.type):
        return column.to_numpy(zero_copy_only=False).astype(float)
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return _texts(column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column)
    return np.array(column.to_pylist(), dtype=object)


def _texts(column: pa.Array) -> np.ndarray:
    """A text column as str objects (None for blanks), one object per distinct text: a column of
    350,000 milestone rows holds a few hundred states and reasons, made into Python strings once."""
    encoded = column.dictionary_encode()
    distinct = np.append(encoded.dictionary.to_numpy(zero_copy_only=False), None)   # None: index -1
    return distinct[encoded.indices.fill_null(-1).to_numpy()]
