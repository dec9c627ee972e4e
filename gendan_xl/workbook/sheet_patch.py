"""Patch cells inside an existing worksheet XML, leaving every other byte of the sheet alone.

Only the cells named in the update are rewritten; an existing cell keeps its style (``s``), so a
user's formats survive; rows and cells are kept in the order SpreadsheetML requires.
"""

from __future__ import annotations

import re

from .cells import cell_xml, col_index, col_letter, parse_range, make_range

_SHEETDATA_RE = re.compile(r"<sheetData\s*/>|<sheetData>(.*?)</sheetData>", re.S)
_ROW_RE = re.compile(r"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_CELL_RE = re.compile(r"<c\b([^>]*?)(?:/>|>.*?</c>)", re.S)
_R_ATTR = re.compile(r'\br="([A-Z]*)(\d*)"')
_S_ATTR = re.compile(r'\bs="(\d+)"')
_SPANS = re.compile(r'\s+spans="[^"]*"')
_DIMENSION_RE = re.compile(r'<dimension ref="([^"]*)"\s*/>')

# updates: {excel row: {column index: (value, default style)}}
Updates = dict[int, dict[int, tuple]]


def patch_cells(sheet_xml: str, updates: Updates) -> str:
    """Return the sheet XML with the given cells written (created where missing)."""
    if not updates:
        return sheet_xml
    m = _SHEETDATA_RE.search(sheet_xml)
    if m is None:
        raise ValueError("worksheet has no sheetData")
    body = m.group(1) or ""
    pending = sorted(updates)
    out: list[str] = []
    i = 0
    for row in _ROW_RE.finditer(body):
        r = _row_number(row.group(1))
        while i < len(pending) and pending[i] < r:
            out.append(_new_row(pending[i], updates[pending[i]]))
            i += 1
        if i < len(pending) and pending[i] == r:
            out.append(_patched_row(row, r, updates[r]))
            i += 1
        else:
            out.append(row.group(0))
    out.extend(_new_row(r, updates[r]) for r in pending[i:])
    new_body = "<sheetData>" + "".join(out) + "</sheetData>"
    patched = sheet_xml[:m.start()] + new_body + sheet_xml[m.end():]
    return _grow_dimension(patched, updates)


def _row_number(row_attrs: str) -> int:
    m = re.search(r'\br="(\d+)"', row_attrs)
    if m is None:
        raise ValueError("row without a row number (r attribute) is not supported")
    return int(m.group(1))


def _new_row(r: int, cells: dict[int, tuple]) -> str:
    body = "".join(cell_xml(f"{col_letter(c)}{r}", v, s) for c, (v, s) in sorted(cells.items()))
    return f'<row r="{r}">{body}</row>'


def _patched_row(row: re.Match, r: int, cells: dict[int, tuple]) -> str:
    attrs = _SPANS.sub("", row.group(1))
    existing: list[tuple[int, str]] = []
    col = 0
    for c in _CELL_RE.finditer(row.group(2) or ""):
        ref = _R_ATTR.search(c.group(1))
        col = col_index(ref.group(1)) if ref and ref.group(1) else col + 1
        existing.append((col, c.group(0)))
    merged: dict[int, str] = dict(existing)
    for c, (value, style) in cells.items():
        old = merged.get(c)
        if old is not None:
            s = _S_ATTR.search(old[: old.find(">")])
            if s:
                style = int(s.group(1))
        merged[c] = cell_xml(f"{col_letter(c)}{r}", value, style)
    body = "".join(merged[c] for c in sorted(merged))
    return f"<row{attrs}>{body}</row>"


def _grow_dimension(sheet_xml: str, updates: Updates) -> str:
    m = _DIMENSION_RE.search(sheet_xml)
    if m is None:
        return sheet_xml
    max_row = max(updates)
    max_col = max(max(cells) for cells in updates.values())
    try:
        c1, r1, c2, r2 = parse_range(m.group(1))
    except ValueError:
        return sheet_xml
    ref = make_range(min(c1, 1), min(r1, 1), max(c2, max_col), max(r2, max_row))
    return sheet_xml[:m.start()] + f'<dimension ref="{ref}"/>' + sheet_xml[m.end():]
