"""Find the header row of a supplier sheet and which column holds which field.

The header is the row among the first ``max_scan`` with the most cells naming a field of the table
(any spelling ``schema`` accepts; a user mapping ``{field: header text}`` wins over them and may give
one header to several fields). Title blocks above the header are skipped. A two-row header (a group
row such as ``数量`` merged over ``订单 | 出货``) is read by joining each cell with the group above it;
merged header cells are filled across and down first, and where a file keeps no merge information
(csv, .ods: calamine gives none) a group runs right until the next filled cell above.
Row counters (序号) are not line numbers: a ``line`` column whose values only count the rows is not
read (:func:`row_counter`), unless the user's mapping (or a saved profile) names it.
A sheet may hold more tables below the first, each under its own header row (:func:`further_headers`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.schema import SUPPLIER, USER, Table, header_lookup
from gendan_xl.model.values import header_key, is_blank, map_distinct
from gendan_xl.importers.columns import is_row_counter

MIN_MATCHES = 2


@dataclass(frozen=True)
class HeaderRow:
    """A header row found: its 0-based row index and the columns it gives each field."""

    index: int
    fields: dict[str, int]
    headers: dict[int, str]
    duplicates: tuple[tuple[int, str], ...] = ()
    mapped: frozenset[str] = frozenset()   # the fields the user's mapping named

    @property
    def score(self) -> int:
        return len(self.fields)

    @property
    def mapping(self) -> dict[str, str]:
        """``{field: header text}`` of the columns used."""
        return {name: self.headers[col] for name, col in self.fields.items()}

    @property
    def extra(self) -> list[str]:
        """Header texts of the columns that no field uses (user columns, reported not read)."""
        used = set(self.fields.values()) | {col for col, _ in self.duplicates}
        return [text for col, text in sorted(self.headers.items()) if col not in used and text]

    def without(self, name: str) -> HeaderRow:
        """The same header with field ``name`` left unread (its column becomes an extra column)."""
        return replace(self, fields={k: v for k, v in self.fields.items() if k != name})


def row_counter(header: HeaderRow, columns: dict[int, np.ndarray], keep: np.ndarray) -> int | None:
    """The column read as ``line`` when it only counts the rows ``keep`` (1..n across POs, see
    ``columns.is_row_counter``), else None. A line column the user's mapping names is always used."""
    col, po = header.fields.get("line"), header.fields.get("po_no")
    if col is None or po is None or "line" in header.mapped:
        return None
    return col if is_row_counter(columns[col][keep], columns[po][keep]) else None


class HeaderMatcher:
    """Header text -> fields, with the user mapping first."""

    def __init__(self, table: Table, mapping: dict[str, str] | None, where: dict):
        mapping = mapping or {}
        unknown = [name for name in mapping if name not in table.names]
        if unknown:
            raise GendanError(f"列映射中有未知字段 unknown field(s) in the column mapping: {', '.join(unknown)}", **where,
                              expected=f"fields of {table.sheet}: {', '.join(table.names)}",
                              code=ErrorCode.UNKNOWN_FIELD)
        self.user: dict[str, tuple[str, ...]] = {}
        for name, header in mapping.items():
            key = header_key(header)
            self.user[key] = self.user.get(key, ()) + (name,)
        self.lookup = header_lookup(table)
        self.taken = set(mapping)

    def by_user(self, text: str) -> bool:
        return header_key(text) in self.user

    def __call__(self, text: str) -> tuple[str, ...]:
        key = header_key(text)
        if key in self.user:
            return self.user[key]
        name = self.lookup.get(key)
        return (name,) if name and name not in self.taken else ()


def scan_header(rows, table: Table, mapping=None, max_scan: int = 30, *, merged=(),
                where=None) -> HeaderRow | None:
    """The best-scoring header candidate among the first ``max_scan`` rows, or None for no rows."""
    match = HeaderMatcher(table, mapping, where or {})
    top = _filled_top(rows, max_scan, merged)
    best = None
    for index in range(len(top)):
        candidate = _read_row(top, index, match)
        if best is None or candidate.score > best.score:
            best = candidate
    return best


def further_headers(rows, first: HeaderRow, columns: dict[int, np.ndarray], table: Table, mapping=None, *,
                    where=None) -> list[HeaderRow]:
    """The header rows of more tables below ``first`` (a sheet holding the progress, then the
    shipments, each under its own header), top to bottom. ``columns``: the cells under ``first`` in
    the columns it reads; a later header names a field in one of them (and is a header row on its
    own, :func:`_own_header`)."""
    match = HeaderMatcher(table, mapping, where or {})
    names = [map_distinct(cells, lambda v: isinstance(v, str) and bool(match(v)), False).astype(bool)
             for cells in columns.values()]
    found = []
    for pos in np.flatnonzero(np.logical_or.reduce(names)) if names else ():
        index = first.index + 1 + int(pos)
        header = _own_header(rows, index, match)
        if header is not None:
            found.append(header)
    return found


def table_above(rows, best: HeaderRow, table: Table, mapping=None, *, where=None) -> HeaderRow | None:
    """The header of a table above ``best`` (the header matching the most fields, which may be a
    second table's), or None: the topmost header row on its own with a data row between it and
    ``best``. A title block, or a group row right above a header, is no table."""
    match = HeaderMatcher(table, mapping, where or {})
    for index in range(best.index - 1):
        if _own_header(rows, index, match) is not None and any(
                not all(map(is_blank, rows[r])) and _own_header(rows, r, match) is None
                for r in range(index + 1, best.index)):
            return _own_header(rows, index, match)
    return None


def _own_header(rows, index: int, match: HeaderMatcher) -> HeaderRow | None:
    """Row ``index`` read as a header on its own (no group row above), when, like a first header, it
    names at least ``MIN_MATCHES`` fields and all its cells are text (a data row holds a number or
    a date)."""
    row = rows[index]
    if not all(isinstance(v, str) or is_blank(v) for v in row):
        return None
    header = _read_row([list(row)], 0, match)
    return replace(header, index=index) if header.score >= MIN_MATCHES else None


def find_header_row(rows, table: Table, mapping=None, max_scan: int = 30, *, merged=(),
                    file=None, sheet=None) -> HeaderRow:
    """The header row of a sheet; GendanError naming what was seen and expected when there is none."""
    where = {"file": file, "sheet": sheet}
    best = scan_header(rows, table, mapping, max_scan, merged=merged, where=where)
    check_header(best, table, mapping, max_scan, where)
    return best


def check_header(best: HeaderRow | None, table: Table, mapping, max_scan: int, where: dict) -> None:
    """Raise GendanError unless ``best`` has enough fields and every user-mapped header."""
    seen = seen_headers(best)
    if best is None or best.score < MIN_MATCHES:
        raise GendanError(f"找不到表头行 no header row found in the first {max_scan} rows", **where,
                          value=seen or None, expected=wanted_headers(table), code=ErrorCode.HEADER_NOT_FOUND)
    missing = [f"{header!r} ({name})" for name, header in (mapping or {}).items() if name not in best.fields]
    if missing:
        raise GendanError(f"找不到映射的列 mapped column(s) not found: {', '.join(missing)}", **where,
                          row=best.index + 1, value=seen, expected="the header texts of the mapping",
                          code=ErrorCode.COLUMN_MISSING)


def wanted_headers(table: Table) -> str:
    """What a header row must show, for error messages."""
    names = ", ".join(f.header for f in table.fields if f.owner in (USER, SUPPLIER))
    return f"at least {MIN_MATCHES} of these headers: {names}"


def seen_headers(header: HeaderRow | None) -> list[str]:
    """The non-blank header texts of a candidate row, left to right."""
    return [text for _, text in sorted(header.headers.items()) if text] if header else []


def _filled_top(rows, max_scan: int, merged) -> list[list]:
    top = [list(row) for row in rows[:max_scan]]
    width = max((len(row) for row in top), default=0)
    for row in top:
        row.extend([""] * (width - len(row)))
    for r0, c0, r1, c1 in merged:
        if r0 >= len(top) or c0 >= width:
            continue
        value = top[r0][c0]
        for r in range(r0, min(r1, len(top) - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                top[r][c] = value
    return top


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _read_row(top: list[list], index: int, match: HeaderMatcher) -> HeaderRow:
    fields: dict[str, int] = {}
    headers: dict[int, str] = {}
    duplicates: list[tuple[int, str]] = []
    mapped: set[str] = set()
    groups = _groups(top[index - 1]) if index else [""] * len(top[index])
    for col, value in enumerate(top[index]):
        text, group = _text(value), groups[col]
        headers[col] = text
        for candidate in _candidates(text, group):
            names = match(candidate)
            if names:
                headers[col] = candidate
                mapped.update(names if match.by_user(candidate) else ())
                break
        else:
            names = ()
        for name in names:
            if name in fields:
                duplicates.append((col, name))
            else:
                fields[name] = col
    return HeaderRow(index, fields, headers, tuple(duplicates), frozenset(mapped))


def _groups(above: list) -> list[str]:
    """The group text over each column: the cell above, or the nearest filled one to its left
    (a group header merged across, where the file does not say so: csv, ods)."""
    groups, last = [], ""
    for value in above:
        last = _text(value) or last
        groups.append(last)
    return groups


def _candidates(text: str, group: str) -> list[str]:
    if not group or group == text:
        return [text] if text else []
    if not text:
        return [group]
    return [text, f"{text}{group}", f"{group}{text}", f"{group} {text}", f"{text} {group}"]
