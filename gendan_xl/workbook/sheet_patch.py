"""Patch cells inside an existing worksheet XML, leaving every other byte of the sheet alone.

Only the cells named in the update are rewritten; an existing cell keeps its style (``s``), so a
user's formats survive; rows and cells are kept in the order SpreadsheetML requires. Works on the
UTF-8 bytes of the part (no decoding of large sheets).
"""

from __future__ import annotations

import bisect
import re

from .cells import cell_xml, col_index, col_letter, make_range, parse_range

_ROW_RE = re.compile(rb"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_ROW_FAST_RE = re.compile(rb'<row r="(\d+)"')
_ROW_START_RE = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
_CELL_RE = re.compile(rb"<c\b([^>]*?)(?:/>|>.*?</c>)", re.S)
_R_ATTR = re.compile(rb'\br="([A-Z]*)(\d*)"')
_S_ATTR = re.compile(rb'\bs="(\d+)"')
_SPANS = re.compile(rb'\s+spans="[^"]*"')
_DIMENSION_RE = re.compile(rb'<dimension ref="([^"]*)"\s*/>')

# updates: {excel row: {column index: (value, default style)}}
Updates = dict[int, dict[int, tuple]]


def patch_cells(sheet_xml: bytes, updates: Updates) -> bytes:
    """Return the sheet XML with the given cells written (created where missing).

    Rows are located by their start tags only; untouched rows are copied as whole slices.
    """
    if not updates:
        return sheet_xml
    open_at = sheet_xml.find(b"<sheetData")
    if open_at < 0:
        raise ValueError("worksheet has no sheetData")
    head_end = sheet_xml.index(b">", open_at) + 1
    if sheet_xml[head_end - 2:head_end - 1] == b"/":
        body_start = body_stop = tail_start = head_end
    else:
        body_start = head_end
        body_stop = sheet_xml.index(b"</sheetData>", head_end)
        tail_start = body_stop + len(b"</sheetData>")
    starts, numbers = _row_starts(sheet_xml, body_start, body_stop)
    starts.append(body_stop)
    position = dict(zip(numbers, range(len(numbers))))
    out: list[bytes] = [_grow_dimension(sheet_xml[:open_at], updates), b"<sheetData>"]
    cursor = body_start
    for r in sorted(updates):
        i = position.get(r)
        if i is None:  # a new row goes before the first row numbered after it
            at = starts[bisect.bisect_right(numbers, r)]
            out.append(sheet_xml[cursor:at])
            out.append(_new_row(r, updates[r]))
            cursor = at
        else:
            out.append(sheet_xml[cursor:starts[i]])
            out.append(_patched_row(sheet_xml[starts[i]:starts[i + 1]], r, updates[r]))
            cursor = starts[i + 1]
    out.append(sheet_xml[cursor:body_stop])
    out.append(b"</sheetData>")
    out.append(sheet_xml[tail_start:])
    return b"".join(out)


def _row_starts(xml: bytes, start: int, stop: int) -> tuple[list[int], list[int]]:
    """Offsets and numbers of the rows in the sheetData body (fast path: ``<row r="n"`` first)."""
    fast = xml.count(b"<row ", start, stop) == xml.count(b'<row r="', start, stop)
    pattern = _ROW_FAST_RE if fast else _ROW_START_RE
    starts, numbers = [], []
    for row in pattern.finditer(xml, start, stop):
        starts.append(row.start())
        numbers.append(int(row.group(1)))
    return starts, numbers


def _cell(ref: str, value, style) -> bytes:
    return cell_xml(ref, value, style).encode("utf-8")


def _new_row(r: int, cells: dict[int, tuple]) -> bytes:
    body = b"".join(_cell(f"{col_letter(c)}{r}", v, s) for c, (v, s) in sorted(cells.items()))
    return b'<row r="%d">%s</row>' % (r, body)


def _patched_row(row_xml: bytes, r: int, cells: dict[int, tuple]) -> bytes:
    """Rewrite the given cells of one ``<row>`` element; a fast path when they all exist."""
    fast = _replace_existing(row_xml, r, cells)
    if fast is not None:
        return fast
    m = _ROW_RE.match(row_xml)
    attrs = _SPANS.sub(b"", m.group(1))
    merged: dict[int, bytes] = {}
    col = 0
    for c in _CELL_RE.finditer(m.group(2) or b""):
        ref = _R_ATTR.search(c.group(1))
        col = col_index(ref.group(1).decode()) if ref and ref.group(1) else col + 1
        merged[col] = c.group(0)
    for c, (value, style) in cells.items():
        merged[c] = _cell(f"{col_letter(c)}{r}", value, _kept_style(merged.get(c), style))
    body = b"".join(merged[c] for c in sorted(merged))
    return b"<row" + attrs + b">" + body + b"</row>" + row_xml[m.end():]


def _replace_existing(row_xml: bytes, r: int, cells: dict[int, tuple]) -> bytes | None:
    """Replace cells that are already present in place; None when one is missing."""
    spans = []
    for c, (value, style) in cells.items():
        ref = f"{col_letter(c)}{r}"
        start = row_xml.find(b'<c r="%s"' % ref.encode())
        if start < 0:
            return None
        head_end = row_xml.index(b">", start)
        end = head_end + 1 if row_xml[head_end - 1] == 0x2F else row_xml.index(b"</c>", head_end) + 4
        spans.append((start, end, _cell(ref, value, _kept_style(row_xml[start:end], style))))
    out, cursor = [], 0
    for start, end, new in sorted(spans):
        out.append(row_xml[cursor:start])
        out.append(new)
        cursor = end
    out.append(row_xml[cursor:])
    return b"".join(out)


def _kept_style(old_cell: bytes | None, default: int | None) -> int | None:
    """An existing cell keeps its style (the user's format); a new cell gets ``default``."""
    if old_cell is None:
        return default
    s = _S_ATTR.search(old_cell, 0, old_cell.find(b">"))
    return int(s.group(1)) if s else default


def _grow_dimension(head: bytes, updates: Updates) -> bytes:
    """Widen the sheet's ``<dimension>`` (in the part before sheetData) to cover the updates."""
    m = _DIMENSION_RE.search(head)
    if m is None:
        return head
    max_row = max(updates)
    max_col = max(max(cells) for cells in updates.values())
    try:
        c1, r1, c2, r2 = parse_range(m.group(1).decode())
    except ValueError:
        return head
    ref = make_range(1, 1, max(c2, max_col), max(r2, max_row))
    return head[:m.start()] + b'<dimension ref="%s"/>' % ref.encode() + head[m.end():]
