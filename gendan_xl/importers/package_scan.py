"""Look inside a workbook package before the reader does: sheet extents, error cells.

python-calamine lays a sheet out densely from A1 to its last cell, so one cell at XFD1048576 in a 2 KB
file asks for 17 billion cells and aborts the process; a zip bomb unpacks hundreds of MB per KB. So
the zip directory is checked first (``ooxml.untrusted.open_package``: declared sizes and ratios), then
each worksheet's XML is scanned as a stream, in chunks, for the references of the cells that hold a
value (what calamine counts). The ``<dimension>`` element is not used: calamine ignores it, and it
may lie either way. The scan also collects Excel error cells (``t="e"``, e.g. ``#N/A``), which
calamine reads as empty.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

from gendan_xl.ooxml.formula_cells import column_number, unvalued_formulas
from gendan_xl.ooxml.untrusted import refuse_doctype
from gendan_xl.importers.limits import MAX_CELLS

_CHUNK = 4 * 1024 * 1024
_P = rb"<(?:[\w.-]+:)?"                                            # an element start, any prefix
_VALUED_CELL = re.compile(_P + rb"c(?:\s[^>]*)?(?<!/)>")           # <c ...> with content, not <c .../>
_PLAIN_LETTERS = re.compile(rb'<c r="([A-Z]{1,3})[0-9]{1,7}"[^>]*(?<!/)>')
_PLAIN_NUMBERS = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"[^>]*(?<!/)>')
_REF_CELL = re.compile(_P + rb'c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*(?<!/)>')
_ERROR_CELL = re.compile(_P + rb'c\s([^>]*\bt="e"[^>]*)>(.*?)</(?:[\w.-]+:)?c>', re.S)
_CELL_END = re.compile(rb"</(?:[\w.-]+:)?c>")
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_ROW_REF = re.compile(rb'\br="([0-9]{1,7})"')
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>([^<]*)<")
_TOKEN = re.compile(_P + rb"(row|c)(?=[\s>/])([^>]*)>")
_ODS_TOKEN = re.compile(rb"<table:(table|table-row|table-cell|covered-table-cell)(?=[\s>/])([^>]*)>")
_ODS_NAME = re.compile(rb'table:name="([^"]*)"')
_ODS_REPEAT = re.compile(rb'number-(?:rows|columns)-repeated="([0-9]+)"')


@dataclass(frozen=True)
class SheetScan:
    """A worksheet's extent from A1 (rows, columns; 0 when empty), its error cells and its formula
    cells without a saved value (0-based row, column, text), which the reader reads as blank."""

    rows: int
    columns: int
    errors: tuple[tuple[int, int, str], ...] = ()
    formulas: tuple[tuple[int, int, str], ...] = ()


def scan_sheet(package: zipfile.ZipFile, part: str, *, stop_rows: int, file=None) -> SheetScan:
    """The extent and error cells of one worksheet part, read as a stream; stops early once the
    extent passes ``stop_rows`` rows or the cell limit (the caller refuses the sheet then)."""
    rows = columns = cells = refs = 0
    errors: list[tuple[int, int, str]] = []
    formulas: list[tuple[int, int, str]] = []
    for n, chunk in enumerate(_chunks(package, part, _cut)):
        if n == 0:
            refuse_doctype(chunk, part, file)
        if _plain(chunk):   # the usual layout, read fast: no prefix, r first in every cell
            letters, numbers = set(_PLAIN_LETTERS.findall(chunk)), _PLAIN_NUMBERS.findall(chunk)
        else:
            cells += len(_VALUED_CELL.findall(chunk))
            found = _REF_CELL.findall(chunk)
            refs += len(found)
            letters, numbers = {c for c, _ in found}, [r for _, r in found]
        if numbers:
            columns = max(columns, *map(column_number, letters))
            rows = max(rows, int(max(numbers, key=int)))
        if b't="e"' in chunk:
            errors += _errors(chunk)
        formulas += [(r - 1, c - 1, text) for r, c, text in unvalued_formulas(chunk)]   # 0-based here
        if rows > stop_rows or rows * columns > MAX_CELLS:
            return SheetScan(rows, columns)
    if cells > refs:   # some cells have no reference: follow rows and cells in order, as the reader does
        rows, columns = _walk(package, part, stop_rows)
    return SheetScan(rows, columns, tuple(errors), tuple(formulas))


def ods_extents(package: zipfile.ZipFile, *, stop_rows: int) -> dict[str, tuple[int, int]]:
    """``{sheet: (rows, columns)}`` of an .ods package's tables as the reader lays them out: repeated
    rows and cells (``number-rows-repeated``) count as many times as they repeat when they hold a value."""
    extents: dict[str, tuple[int, int]] = {}
    if "content.xml" not in package.NameToInfo:
        return extents
    name, row, repeat, col, rows, columns = "", 0, 0, 0, 0, 0
    for chunk in _chunks(package, "content.xml", lambda buffer: buffer.rfind(b"<")):
        for match in _ODS_TOKEN.finditer(chunk):
            tag, attrs = match.groups()
            count = int(found[1]) if (found := _ODS_REPEAT.search(attrs)) else 1
            if tag == b"table":
                name_match = _ODS_NAME.search(attrs)
                name = name_match[1].decode("utf-8", "replace") if name_match else ""
                row = repeat = rows = columns = 0
            elif tag == b"table-row":
                row, repeat, col = row + repeat, count, 0
            else:
                col += count
                if b"value-type" in attrs or not attrs.endswith(b"/"):
                    rows, columns = max(rows, row + repeat), max(columns, col)
                    extents[name] = (rows, columns)
                    if rows > stop_rows or rows * columns > MAX_CELLS:
                        return extents
    return extents


def _plain(chunk: bytes) -> bool:
    """True when every cell tag of the chunk is ``<c r="...`` (no prefix, reference first)."""
    return (chunk.count(b"<c ") == chunk.count(b'<c r="') and b"<c>" not in chunk and b":c " not in chunk
            and b":c>" not in chunk)


def _cut(buffer: bytes) -> int:
    """Where to end a chunk: after its last cell end tag (so no cell is split), else at its last tag."""
    end = buffer.rfind(b"</c>")
    if end >= 0:
        return end + 4
    ends = list(_CELL_END.finditer(buffer))
    if ends:
        return ends[-1].end()
    start = buffer.rfind(b"<")
    return start if start > 0 else len(buffer)


def _walk(package: zipfile.ZipFile, part: str, stop_rows: int) -> tuple[int, int]:
    """Extent of a sheet whose cells or rows may lack references (each one then follows the last)."""
    row = col = rows = columns = 0
    for chunk in _chunks(package, part, lambda buffer: buffer.rfind(b"<")):
        for match in _TOKEN.finditer(chunk):
            tag, attrs = match.groups()
            if tag == b"row":
                ref = _ROW_REF.search(attrs)
                row, col = (int(ref[1]) if ref else row + 1), 0
                continue
            ref = _REF.search(attrs)
            if ref:
                col, row = column_number(ref[1]), int(ref[2])
            else:
                col += 1
            if not attrs.endswith(b"/"):
                rows, columns = max(rows, row), max(columns, col)
        if rows > stop_rows or rows * columns > MAX_CELLS:
            break
    return rows, columns


def _chunks(package: zipfile.ZipFile, part: str, cut):
    """The part's bytes in chunks of about ``_CHUNK``, each ending where ``cut(buffer)`` says."""
    with package.open(part) as stream:
        carry = b""
        while data := stream.read(_CHUNK):
            buffer = carry + data
            end = cut(buffer)
            end = end if end > 0 else len(buffer)
            yield buffer[:end]
            carry = buffer[end:]
        if carry:
            yield carry


def _errors(chunk: bytes) -> list[tuple[int, int, str]]:
    found = []
    for attrs, body in _ERROR_CELL.findall(chunk):
        ref = _REF.search(attrs)
        if ref:
            value = _VALUE.search(body)
            text = value[1].decode("utf-8", "replace") if value and value[1] else "#ERROR"
            found.append((int(ref[2]) - 1, column_number(ref[1]) - 1, text))
    return found
