"""Patch cells inside an existing worksheet XML, leaving every other byte of the sheet alone.

Only the cells named in the update are rewritten; an existing cell keeps its style (``s``), so a
user's formats survive; rows and cells are kept in the order SpreadsheetML requires.
"""

from __future__ import annotations

import bisect
import re

from .cells import cell_xml, col_index, col_letter, parse_range, make_range

_SHEETDATA_RE = re.compile(r"<sheetData\s*/>|<sheetData>(.*?)</sheetData>", re.S)
_ROW_RE = re.compile(r"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_ROW_START_RE = re.compile(r'<row\b[^>]*?\br="(\d+)"')
_CELL_RE = re.compile(r"<c\b([^>]*?)(?:/>|>.*?</c>)", re.S)
_R_ATTR = re.compile(r'\br="([A-Z]*)(\d*)"')
_S_ATTR = re.compile(r'\bs="(\d+)"')
_SPANS = re.compile(r'\s+spans="[^"]*"')
_DIMENSION_RE = re.compile(r'<dimension ref="([^"]*)"\s*/>')

# updates: {excel row: {column index: (value, default style)}}
Updates = dict[int, dict[int, tuple]]


def patch_cells(sheet_xml: str, updates: Updates) -> str:
    """Return the sheet XML with the given cells written (created where missing).

    Rows are located by their start tags only; untouched rows are copied as whole slices.
    """
    if not updates:
        return sheet_xml
    m = _SHEETDATA_RE.search(sheet_xml)
    if m is None:
        raise ValueError("worksheet has no sheetData")
    body = m.group(1) or ""
    starts, numbers = [], []
    for row in _ROW_START_RE.finditer(body):
        starts.append(row.start())
        numbers.append(int(row.group(1)))
    starts.append(len(body))
    position = dict(zip(numbers, range(len(numbers))))
    out: list[str] = []
    cursor = 0
    for r in sorted(updates):
        i = position.get(r)
        if i is None:  # a new row goes before the first row numbered after it
            at = starts[bisect.bisect_right(numbers, r)]
            out.append(body[cursor:at])
            out.append(_new_row(r, updates[r]))
            cursor = at
        else:
            out.append(body[cursor:starts[i]])
            out.append(_patched_row(body[starts[i]:starts[i + 1]], r, updates[r]))
            cursor = starts[i + 1]
    out.append(body[cursor:])
    new_body = "<sheetData>" + "".join(out) + "</sheetData>"
    patched = sheet_xml[:m.start()] + new_body + sheet_xml[m.end():]
    return _grow_dimension(patched, updates)


def _new_row(r: int, cells: dict[int, tuple]) -> str:
    body = "".join(cell_xml(f"{col_letter(c)}{r}", v, s) for c, (v, s) in sorted(cells.items()))
    return f'<row r="{r}">{body}</row>'


def _patched_row(row_xml: str, r: int, cells: dict[int, tuple]) -> str:
    """Rewrite the given cells of one ``<row>`` element; a fast path when they all exist."""
    fast = _replace_existing(row_xml, r, cells)
    if fast is not None:
        return fast
    m = _ROW_RE.match(row_xml)
    attrs = _SPANS.sub("", m.group(1))
    merged: dict[int, str] = {}
    col = 0
    for c in _CELL_RE.finditer(m.group(2) or ""):
        ref = _R_ATTR.search(c.group(1))
        col = col_index(ref.group(1)) if ref and ref.group(1) else col + 1
        merged[col] = c.group(0)
    for c, (value, style) in cells.items():
        merged[c] = cell_xml(f"{col_letter(c)}{r}", value, _kept_style(merged.get(c), style))
    body = "".join(merged[c] for c in sorted(merged))
    return f"<row{attrs}>{body}</row>" + row_xml[m.end():]


def _replace_existing(row_xml: str, r: int, cells: dict[int, tuple]) -> str | None:
    """Replace cells that are already present in place; None when one is missing."""
    spans = []
    for c, (value, style) in cells.items():
        ref = f"{col_letter(c)}{r}"
        start = row_xml.find(f'<c r="{ref}"')
        if start < 0:
            return None
        head_end = row_xml.index(">", start)
        end = head_end + 1 if row_xml[head_end - 1] == "/" else row_xml.index("</c>", head_end) + 4
        old = row_xml[start:end]
        spans.append((start, end, cell_xml(ref, value, _kept_style(old, style))))
    out, cursor = [], 0
    for start, end, new in sorted(spans):
        out.append(row_xml[cursor:start])
        out.append(new)
        cursor = end
    out.append(row_xml[cursor:])
    return "".join(out)


def _kept_style(old_cell: str | None, default: int | None) -> int | None:
    """An existing cell keeps its style (the user's format); a new cell gets ``default``."""
    if old_cell is None:
        return default
    s = _S_ATTR.search(old_cell[: old_cell.find(">")])
    return int(s.group(1)) if s else default


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
