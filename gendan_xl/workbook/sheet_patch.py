"""Patch cells inside an existing worksheet XML, leaving every other byte of the sheet alone.

Only the cells named in the update are rewritten; an existing cell keeps its style (``s``), so a
user's formats survive; rows and cells are kept in the order SpreadsheetML requires. The cells are
patched as UTF-8 bytes (no decoding of large sheets); the sheet's head and tail (dimension, views,
formats) go through the parser (``xml_part.split_sheet``).
"""

from __future__ import annotations

import bisect
import re

from .cells import cell_xml, col_index, col_letter, make_range, parse_range
from .xml_part import NS_MAIN, XmlError, local_name, split_sheet

_ROW_RE = re.compile(rb"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_ROW_FAST_RE = re.compile(rb'<row r="(\d+)"')
_ROW_START_RE = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
_CELL_RE = re.compile(rb"<c\b([^>]*?)(?:/>|>.*?</c>)", re.S)
_R_ATTR = re.compile(rb'\br="([A-Z]*)(\d*)"')
_S_ATTR = re.compile(rb'\bs="(\d+)"')
_SPANS = re.compile(rb'\s+spans="[^"]*"')
# a cell's start tag: its s (when it follows r), an s elsewhere (then the slow path), self-closing
_HEAD_AT = re.compile(rb'<c r="[A-Z]+\d+"(?:\s+s="(\d+)")?(?:\s+(?!s=)[\w:]+="[^"]*")*(\s+s="[^"]*")?[^>]*?(/)?>')

# updates: {excel row: {column index: (value, default style)}}
Updates = dict[int, dict[int, tuple]]


def patch_cells(sheet_xml: bytes, updates: Updates) -> bytes:
    """Return the sheet XML with the given cells written (created where missing).

    Rows are located by their start tags only; untouched rows are copied as whole slices.
    """
    if not updates:
        return sheet_xml
    sheet = _split(sheet_xml)
    xml, view = sheet.source, memoryview(sheet.source)
    starts, numbers = _row_starts(xml, sheet.start, sheet.stop)
    starts.append(sheet.stop)
    position = dict(zip(numbers, range(len(numbers))))
    made = _Cells()
    out: list = []
    cursor = sheet.start
    for r in sorted(updates):
        i = position.get(r)
        if i is None:  # a new row goes before the first row numbered after it
            at = starts[bisect.bisect_right(numbers, r)]
            out.append(view[cursor:at])
            out.append(_new_row(r, updates[r]))
            cursor = at
            continue
        spans = _existing(xml, starts[i], starts[i + 1], r, updates[r], made)
        if spans is None:   # a cell to add: the row is rebuilt
            out.append(view[cursor:starts[i]])
            out.append(_patched_row(xml[starts[i]:starts[i + 1]], r, updates[r]))
            cursor = starts[i + 1]
            continue
        for start, end, cell in spans:   # cells replaced in place, the bytes between copied as slices
            out.append(view[cursor:start])
            out.append(cell)
            cursor = end
    out.append(view[cursor:sheet.stop])
    _grow_dimension(sheet.part.root, updates)
    return sheet.tobytes(out)


def _row_starts(xml: bytes, start: int, stop: int) -> tuple[list[int], list[int]]:
    """Offsets and numbers of the rows in the sheetData body (fast path: ``<row r="n"`` first)."""
    rows = xml.count(b"<row ", start, stop)
    for pattern in (_ROW_FAST_RE, _ROW_START_RE):
        starts, numbers = [], []
        for row in pattern.finditer(xml, start, stop):
            starts.append(row.start())
            numbers.append(int(row.group(1)))
        if len(starts) == rows:
            break
    return starts, numbers


def _cell(ref: str, value, style) -> bytes:
    return cell_xml(ref, value, style).encode("utf-8")


class _Cells:
    """Cell XML made once per distinct value and column: a refresh rewrites hundreds of thousands
    of cells that hold a few distinct values (slack days, states)."""

    def __init__(self):
        self._tails: dict = {}
        self._letters: dict[int, bytes] = {}

    def tail(self, value) -> bytes:
        """``<c r=".." s=".."`` + this: the rest of ``cell_xml`` for ``value``."""
        key = (type(value), value)
        try:
            return self._tails[key]
        except (KeyError, TypeError):   # TypeError: a value that cannot be a key
            tail = cell_xml("", value, None).encode("utf-8")[2:]
            if isinstance(value, (str, int, float)) or value is None:
                self._tails[key] = tail
            return tail

    def letters(self, column: int) -> bytes:
        if column not in self._letters:
            self._letters[column] = col_letter(column).encode()
        return self._letters[column]


def _new_row(r: int, cells: dict[int, tuple]) -> bytes:
    body = b"".join(_cell(f"{col_letter(c)}{r}", v, s) for c, (v, s) in sorted(cells.items()))
    return b'<row r="%d">%s</row>' % (r, body)


def _patched_row(row_xml: bytes, r: int, cells: dict[int, tuple]) -> bytes:
    """One ``<row>`` element rebuilt with the given cells (added where missing, in column order)."""
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


def _existing(xml: bytes, row_start: int, row_stop: int, r: int, cells: dict[int, tuple],
              made: _Cells) -> list[tuple[int, int, bytes]] | None:
    """(start, end, new cell) of each given cell of the row between the offsets, in order; None
    when one is missing. The new cell is ``cell_xml`` of its value with the old cell's style (else
    the default)."""
    spans = []
    number = b'%d"' % r
    for c, (value, style) in cells.items():
        ref = b'<c r="' + made.letters(c) + number
        start = xml.find(ref, row_start, row_stop)
        if start < 0:
            return None
        head = _HEAD_AT.match(xml, start, row_stop)   # r, then s as Excel writes them
        if head is None or head.group(2) is not None:
            return None
        end = head.end() if head.group(3) else xml.index(b"</c>", head.end(), row_stop) + 4
        kept = int(head.group(1)) if head.group(1) else style
        spans.append((start, end, ref + (b' s="%d"' % kept if kept else b"") + made.tail(value)))
    return sorted(spans) if len(spans) > 1 else spans


def _kept_style(old_cell: bytes | None, default: int | None) -> int | None:
    """An existing cell keeps its style (the user's format); a new cell gets ``default``."""
    if old_cell is None:
        return default
    s = _S_ATTR.search(old_cell, 0, old_cell.find(b">"))
    return int(s.group(1)) if s else default


def _grow_dimension(worksheet, updates: Updates) -> None:
    """Widen the sheet's ``<dimension>`` to cover the updates."""
    dimension = next((el for el in worksheet if local_name(el.tag) == "dimension"), None)
    if dimension is None:
        return
    try:
        c1, r1, c2, r2 = parse_range(dimension.get("ref", ""))
    except ValueError:
        return
    max_row = max(updates)
    max_col = max(max(cells) for cells in updates.values())
    dimension.set("ref", make_range(1, 1, max(c2, max_col), max(r2, max_row)))


def _split(sheet_xml: bytes):
    sheet = split_sheet(sheet_xml)
    if sheet.part.prefixes.get(NS_MAIN) != "":
        raise XmlError("the sheet writes SpreadsheetML with a namespace prefix; cells can only be "
                       "written into sheets in the default namespace (save it once in Excel)")
    return sheet


def replace_rows(sheet_xml: bytes, start: int, rows: list[list], styles: list[int | None],
                 header: list, header_style: int | None) -> bytes:
    """Row 1 becomes ``header``; rows 2 .. ``start`` - 1 are kept as they are; every row from
    ``start`` on is replaced by ``rows`` (cells from column A, one style id per column or None)."""
    sheet = _split(sheet_xml)
    view = memoryview(sheet.source)
    keep_from, keep_to = _row_offset(sheet, 2), _row_offset(sheet, start)
    head = _new_row(1, {c: (v, header_style) for c, v in enumerate(header, start=1)})
    body = []
    known: list[dict] = [{} for _ in styles]   # per column: the XML of each value seen (dates, flags repeat)
    for r, values in enumerate(rows, start=start):   # compact: cells without r, blanks as <c/>
        cells = "".join([_known_cell(seen, v, s) for v, s, seen in zip(values, styles, known)])
        body.append(f'<row r="{r}">{cells}</row>')
    last_row = start + len(rows) - 1 if rows else start - 1
    _set_dimension(sheet.part.root, make_range(1, 1, max(len(header), 1), max(last_row, 1)))
    return sheet.tobytes([head, view[keep_from:keep_to], "".join(body).encode("utf-8")])


def _known_cell(seen: dict, value, style: int | None) -> str:
    key = (type(value), value)
    xml = seen.get(key)
    if xml is None:
        xml = seen[key] = cell_xml("", value, style)
    return xml


def last_row(sheet_xml: bytes) -> int:
    """The number of the last row element of a sheet (0 when it has none)."""
    at = sheet_xml.rfind(b"<row ")
    found = _ROW_START_RE.match(sheet_xml, at) if at >= 0 else None
    return int(found.group(1)) if found else 0


def _row_offset(sheet, number: int) -> int:
    """Where the first row numbered ``number`` or more starts in the sheetData (its end if none):
    found directly when the row exists or all rows are before it, else by scanning the rows."""
    xml, start, stop = sheet.source, sheet.start, sheet.stop
    at = xml.find(b'<row r="%d"' % number, start, stop)
    if at >= 0:
        return at
    last = _ROW_START_RE.search(xml, max(xml.rfind(b"<row ", start, stop), start), stop)
    if last is None or int(last.group(1)) < number:
        return stop
    starts, numbers = _row_starts(xml, start, stop)
    return (starts + [stop])[bisect.bisect_left(numbers, number)]


def _set_dimension(worksheet, ref: str) -> None:
    dimension = next((el for el in worksheet if local_name(el.tag) == "dimension"), None)
    if dimension is not None:
        dimension.set("ref", ref)
