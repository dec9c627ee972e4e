"""Patch cells inside an existing worksheet XML, leaving every other byte of the sheet alone.

Only the cells named in the update are rewritten; an existing cell keeps its style (``s``), so a
user's formats survive; rows and cells are kept in the order SpreadsheetML requires. The cells are
patched as UTF-8 bytes (no decoding of large sheets); the sheet's head and tail (dimension, views,
formats) go through the parser (``xml_part.split_sheet``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re

import numpy as np

from gendan_xl.sheets.cells import cell_xml, col_index, col_letter, make_range, parse_range
from gendan_xl.ooxml.xml_part import NS_MAIN, XmlError, local_name, split_sheet

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
# the same by column: {column index: {excel row: (value, default style)}}
Columns = dict[int, dict[int, tuple]]

# A column updated in at least this share of the sheet's rows (and at least SWEEP_MIN cells) is
# swept: one regular-expression pass over the sheet replaces its cells (a refresh rewrites the
# slack of every line); other cells are found one after the other by their references (a third or
# half of a column, such as the waits and whys of the open sample rounds, is written in half the
# time a sweep takes).
SWEEP_SHARE, SWEEP_MIN = 0.75, 2000


def patch_cells(sheet_xml: bytes, updates: Updates) -> bytes:
    """Return the sheet XML with the given cells written (created where missing)."""
    columns: Columns = {}
    for r, cells in updates.items():
        for c, cell in cells.items():
            columns.setdefault(c, {})[r] = cell
    return patch_columns(sheet_xml, columns)


def patch_columns(sheet_xml: bytes, columns: Columns, *, sweep_min: int = SWEEP_MIN) -> bytes:
    """``patch_cells`` with the updates given by column. Dense columns are swept (see
    ``SWEEP_SHARE``; ``sweep_min``: the fewest cells worth a sweep); the other cells, and the cells
    a sweep did not find (missing, or in a row not yet there), are written in place
    (``_patch_in_place``), the bytes between them copied as slices. Rows after the last row
    (appended lines) are made column by column."""
    columns = {c: cells for c, cells in columns.items() if cells}
    if not columns:
        return sheet_xml
    sheet = _split(sheet_xml)
    xml, start, stop = sheet.source, sheet.start, sheet.stop
    made = _Cells()
    last = last_row(xml[max(xml.rfind(b"<row ", start, stop), start):stop])
    existing, appended = _after(columns, last)
    dense = max(sweep_min, int(SWEEP_SHARE * last))
    rest: Updates = {}
    for c, cells in sorted(existing.items()):
        if len(cells) >= dense:
            cells = dict(cells)
            xml, stop = _sweep_between(xml, start, stop, c, cells, made)
        for r, cell in cells.items():
            cells_of_row = rest.get(r)
            if cells_of_row is None:
                rest[r] = {c: cell}
            else:
                cells_of_row[c] = cell
    out = _patch_in_place(xml, start, stop, rest, made)
    if appended:
        out.append(_new_rows(appended, made))
    _grow_dimension(sheet.part.root, columns)
    return sheet.tobytes(out)


def _after(columns: Columns, last: int) -> tuple[Columns, Columns]:
    """``columns`` split into the cells of rows up to ``last`` and those of rows after it."""
    existing, appended = {}, {}
    for c, cells in columns.items():
        rows = np.fromiter(cells, dtype=np.int64, count=len(cells))
        after = rows > last
        if not after.any():
            existing[c] = cells
        elif after.all():
            appended[c] = cells
        else:
            existing[c] = {r: cells[r] for r in rows[~after].tolist()}
            appended[c] = {r: cells[r] for r in rows[after].tolist()}
    return existing, appended


def _new_rows(columns: Columns, made: "_Cells") -> bytes:
    """The XML of new rows holding ``columns``' cells, made column by column (each distinct value
    and style once per column)."""
    rows = sorted(set().union(*columns.values()))
    numbers = [b'%d"' % r for r in rows]
    made_columns = []
    for c, cells in sorted(columns.items()):
        head = b'<c r="' + made.letters(c)
        ends: dict = {}
        column = []
        for r, number in zip(rows, numbers):
            cell = cells.get(r)
            if cell is None:
                column.append(b"")
                continue
            key = (cell[0].__class__, *cell)
            end = ends.get(key)
            if end is None:
                end = ends[key] = made.style(cell[1]) + made.tail(cell[0])
            column.append(head + number + end)
        made_columns.append(column)
    return b"".join([b'<row r="%d">' % r + b"".join(row) + b"</row>" for r, row in zip(rows, zip(*made_columns))])


def _sweep_between(xml: bytes, start: int, stop: int, column: int, cells: dict[int, tuple],
                   made: "_Cells") -> tuple[bytes, int]:
    """``_sweep`` of the sheetData content ``xml[start:stop]``; returns the new XML and where its
    sheetData content now ends. The whole sheet is swept without copying when its head and tail
    hold no cell of the column (they never do in a sheet Excel or gendan wrote)."""
    head = b'<c r="' + made.letters(column)
    if xml.find(head, 0, start) < 0 and xml.find(head, stop) < 0:
        swept = _sweep(xml, column, cells, made)
        return swept, stop + len(swept) - len(xml)
    swept = xml[:start] + _sweep(xml[start:stop], column, cells, made)
    return swept + xml[stop:], len(swept)


def _sweep(xml: bytes, column: int, cells: dict[int, tuple], made: "_Cells") -> bytes:
    """``xml`` (sheetData content) with the cells of ``column`` whose rows are in ``cells``
    rewritten in one pass, each keeping its own style; the rows written are taken out of
    ``cells`` (what is left was not found). The sheet is split at those cells (C speed) and joined
    again; Python only looks at each cell once."""
    head = b'<c r="' + made.letters(column)
    parts = re.compile(re.escape(head) + rb'(\d+)"([^>]*?)(/>|>.*?</c>)', re.S).split(xml)
    rows, attrs, ends = parts[1::4], parts[2::4], parts[3::4]
    made_ends: dict[tuple, bytes] = {}   # (old attributes, value's type, value, default style) -> rest of the cell

    new = []
    for r, a, end, cell in zip(rows, attrs, ends, [cells.pop(k, None) for k in map(int, rows)]):
        if cell is None:
            new.append(head + r + b'"' + a + end)
            continue
        key = (a, cell[0].__class__, *cell)
        made_end = made_ends.get(key)
        if made_end is None:
            kept = _S_ATTR.search(a)
            made_end = made_ends[key] = made.rest(kept.group(1) if kept else None, cell)
        new.append(head + r + b'"' + made_end)
    out = [b""] * (2 * len(new) + 1)
    out[0::2], out[1::2] = parts[0::4], new
    return b"".join(out)


def _patch_in_place(xml: bytes, start: int, stop: int, updates: Updates, made: "_Cells") -> list:
    """The sheetData content ``xml[start:stop]`` with ``updates`` written, as byte chunks: each cell
    is found by its reference onwards from the cell before (one forward scan), replaced keeping its
    own style (else the default), the bytes between copied as slices. From the first row where that
    does not hold (a cell missing or written without its reference, its style after other
    attributes, rows or cells out of order) the rest is written row by row (``_patch_rows``)."""
    view = memoryview(xml)
    out: list = []
    cursor = start
    tails: dict[tuple, bytes] = {}   # (kept style, default style, value's type, value) -> rest of the cell
    rows = sorted(updates)
    for k, r in enumerate(rows):
        kept_out, row_cursor = len(out), cursor
        number = b'%d"' % r
        for c, cell in sorted(updates[r].items()):
            ref = b'<c r="' + made.letters(c) + number
            at = xml.find(ref, cursor, stop)
            head = _HEAD_AT.match(xml, at, stop) if at >= 0 else None
            if head is None or head.group(2) is not None:
                del out[kept_out:]
                return out + _patch_rows(xml, row_cursor, stop, {q: updates[q] for q in rows[k:]}, made)
            key = (head.group(1), cell[1], cell[0].__class__, cell[0])
            try:
                tail = tails[key]
            except (KeyError, TypeError):   # TypeError: a value that cannot be a key
                tail = made.rest(head.group(1), cell)
                if isinstance(cell[0], (str, int, float, dt.date)) or cell[0] is None:
                    tails[key] = tail
            out.append(view[cursor:at])
            out.append(ref)
            out.append(tail)
            cursor = head.end() if head.group(3) else xml.index(b"</c>", head.end(), stop) + 4
    out.append(view[cursor:stop])
    return out


def _patch_rows(xml: bytes, start: int, stop: int, updates: Updates, made: "_Cells") -> list:
    """The sheetData content ``xml[start:stop]`` with ``updates`` written row by row, as byte chunks."""
    view = memoryview(xml)
    if not updates:
        return [view[start:stop]]
    rows = sorted(updates)
    located, inserts = _locate_rows(xml, start, stop, rows)
    out: list = []
    cursor = start
    for r in rows:
        if r in inserts:  # a new row goes before the first row numbered after it
            at = inserts[r]
            out.append(view[cursor:at])
            out.append(_new_row(r, updates[r], made))
            cursor = at
            continue
        row_start, row_end = located[r]
        spans = _existing(xml, row_start, row_end, r, updates[r], made)
        if spans is None:   # a cell to add: the row is rebuilt
            out.append(view[cursor:row_start])
            out.append(_patched_row(xml[row_start:row_end], r, updates[r]))
            cursor = row_end
            continue
        for span_start, end, cell in spans:   # cells replaced in place, the bytes between copied as slices
            out.append(view[cursor:span_start])
            out.append(cell)
            cursor = end
    out.append(view[cursor:stop])
    return out


def _locate_rows(xml: bytes, start: int, stop: int, rows: list[int]) -> tuple[dict, dict]:
    """(start, end) of each of the sorted ``rows`` in the sheetData, and the offset before which
    each missing row goes. Fast path: each ``<row r="n"`` searched onwards from the row before (one
    scan of the sheet); else every row start is listed."""
    located: dict[int, tuple[int, int]] = {}
    cursor = start
    for r in rows:
        at = xml.find(b'<row r="%d"' % r, cursor, stop)
        if at < 0:
            break
        end = xml.find(b"<row ", at + 5, stop)
        cursor = stop if end < 0 else end
        located[r] = (at, cursor)
    else:
        return located, {}
    starts, numbers = _row_starts(xml, start, stop)
    starts.append(stop)
    position = dict(zip(numbers, range(len(numbers))))
    located = {r: (starts[position[r]], starts[position[r] + 1]) for r in rows if r in position}
    return located, {r: starts[bisect.bisect_right(numbers, r)] for r in rows if r not in position}


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
        self._styles: dict = {}

    def tail(self, value) -> bytes:
        """``<c r=".." s=".."`` + this: the rest of ``cell_xml`` for ``value``."""
        key = (type(value), value)
        try:
            return self._tails[key]
        except (KeyError, TypeError):   # TypeError: a value that cannot be a key
            tail = cell_xml("", value, None).encode("utf-8")[2:]
            if isinstance(value, (str, int, float, dt.date)) or value is None:
                self._tails[key] = tail
            return tail

    def style(self, style: int | None) -> bytes:
        """`` s="n"`` (nothing for no style)."""
        made = self._styles.get(style)
        if made is None:
            made = self._styles[style] = b' s="%d"' % style if style else b""
        return made

    def rest(self, kept: bytes | None, cell: tuple) -> bytes:
        """A cell after its reference: `` s="n"`` (its own style ``kept``, else the cell's default) and
        the XML of its value; ``cell``: (value, default style)."""
        return (b' s="' + kept + b'"' if kept else self.style(cell[1])) + self.tail(cell[0])

    def letters(self, column: int) -> bytes:
        if column not in self._letters:
            self._letters[column] = col_letter(column).encode()
        return self._letters[column]


def _new_row(r: int, cells: dict[int, tuple], made: _Cells) -> bytes:
    number = b'%d"' % r
    body = [b'<c r="' + made.letters(c) + number + made.style(s) + made.tail(v) for c, (v, s) in sorted(cells.items())]
    return b'<row r="%d">' % r + b"".join(body) + b"</row>"


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


def _grow_dimension(worksheet, columns: Columns) -> None:
    """Widen the sheet's ``<dimension>`` to cover the updates."""
    dimension = next((el for el in worksheet if local_name(el.tag) == "dimension"), None)
    if dimension is None:
        return
    try:
        c1, r1, c2, r2 = parse_range(dimension.get("ref", ""))
    except ValueError:
        return
    max_row = max(max(cells) for cells in columns.values())
    max_col = max(columns)
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
    head = _new_row(1, {c: (v, header_style) for c, v in enumerate(header, start=1)}, _Cells())
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


_CELL_REF_RE = re.compile(rb'(<c\b[^>]*?\br=")([A-Z]{1,3})(\d+)(")')


def move_rows_down(sheet_xml: bytes, first: int, last: int, by: int) -> bytes:
    """Rows ``first`` .. ``last`` (e.g. a table's total row) moved ``by`` rows down, their cells'
    references renumbered; any row elements already at the destination (empty: the caller checked)
    are dropped. Rows after the destination stay where they are."""
    sheet = _split(sheet_xml)
    xml, start, stop = sheet.source, sheet.start, sheet.stop
    starts, numbers = _row_starts(xml, start, stop)
    ends = starts[1:] + [stop]
    moved, before, after = [], [], []
    for at, end, number in zip(starts, ends, numbers):
        chunk = xml[at:end]
        if first <= number <= last:
            moved.append(_renumbered(chunk, number, number + by))
        elif number < first:
            before.append(chunk)
        elif number > last + by:
            after.append(chunk)
    if not starts:
        return sheet_xml
    head = xml[start:starts[0]]
    return sheet.tobytes([head, *before, *moved, *after])


def _renumbered(row_xml: bytes, old: int, new: int) -> bytes:
    """A row element (and its cells' references) numbered ``new`` instead of ``old``."""
    row_xml = _ROW_START_RE.sub(lambda m: m.group(0).replace(b'r="%d"' % old, b'r="%d"' % new), row_xml, count=1)
    return _CELL_REF_RE.sub(lambda m: m.group(1) + m.group(2) + b"%d" % new + m.group(4)
                            if int(m.group(3)) == old else m.group(0), row_xml)


_FILLED_RE = re.compile(rb"<(?:v|f|is)\b")


def first_filled(sheet_xml: bytes, first: int, last: int, c1: int, c2: int) -> tuple[int, int] | None:
    """(row, column) of the first cell with a value or formula in rows ``first`` .. ``last``, columns
    ``c1`` .. ``c2`` (a styled empty cell is empty); None when there is none. Only those rows are read."""
    sheet = _split(sheet_xml)
    xml, stop = sheet.source, sheet.stop
    at = _row_offset(sheet, first)
    for row in _ROW_START_RE.finditer(xml, at, stop):
        number = int(row.group(1))
        if number > last:
            break
        end = xml.find(b"</row>", row.start(), stop)
        chunk = xml[row.start():stop if end < 0 else end]
        for cell in re.finditer(rb"<c\b([^>]*?)(/>|>(.*?)</c>)", chunk, re.S):
            ref = re.search(rb'\br="([A-Z]{1,3})\d+"', cell.group(1))
            if ref and c1 <= col_index(ref.group(1).decode()) <= c2 and cell.group(3) and \
                    _FILLED_RE.search(cell.group(3)):
                return number, col_index(ref.group(1).decode())
    return None
