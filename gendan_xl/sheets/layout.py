"""Layout of the sheets people read (weekly report, reconciliation, and every generated sheet after
them): column widths from the content, wrapped text in rows tall enough for it, header rows sized to
fit, and the print setup (landscape when wide, fit to the page width, header rows repeated, page X of
Y, a block such as the sign-off kept on one page). A sheet of several lists (the 周报) is paginated
here instead: each list's header written again atop every page it goes on to (print titles repeat one
row range for a whole sheet, which would print one list's header over the others).

Widths are in Excel's unit (characters of the digit ``0`` in the default font): a CJK or full-width
character counts two, a capital 1.2, bold text a tenth more. Excel does not grow a row for wrapped
text in a file it opens, so every row that wraps gets its height here.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from gendan_xl.sheets.cells import col_letter, parse_range
from gendan_xl.sheets.chart import BarChart
from gendan_xl.sheets.sheet_render import Formula, SheetSpec
from gendan_xl.sheets.styles import STYLES, wrapped

MIN_WIDTH, MAX_WIDTH = 6.0, 40.0
PAD = 2.0                   # room beside the text in a cell, in characters
FLOW_STYLES = frozenset({"title", "subtitle", "note"})   # may run over the empty cells on their right
DEFAULT_HEIGHT = 15.0       # Excel's row height for Calibri 11, points
SHORT_HEADER = 14.0         # a header up to this wide stays on one line
MAX_HEIGHT = 409.5          # Excel's tallest row, points
WIDE = 100.0                # total width (characters) above which a sheet prints landscape
# A4 printable area in points (0.5" left and right margins, 0.75" top and bottom).
_PAGE = {"portrait": (595 - 72, 842 - 108), "landscape": (842 - 72, 595 - 108)}
_TOKENS = re.compile(r"\s+|[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[^\s\u2e80-\u9fff"
                     r"\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+")
_WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f"
                   "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]")
_UPPER = re.compile("[A-Z]")
_SHOWN = {"#,##0": "{:,.0f}", "#,##0.00": "{:,.2f}", "0.0%": "{:.1%}"}


def text_units(text: str) -> float:
    """The width of the longest line of ``text``, in digit widths."""
    if "\n" not in text:
        return _line_units(text)
    return max(_line_units(line) for line in text.split("\n"))


def _line_units(line: str) -> float:
    if line.isascii():
        return len(line) + 0.2 * len(_UPPER.findall(line))
    return len(line) + len(_WIDE.findall(line)) + 0.2 * len(_UPPER.findall(line))


def wrap_lines(text: str, room: float) -> int:
    """How many lines ``text`` takes in a cell ``room`` digit widths wide, wrapped at spaces and
    between CJK characters (a word longer than the cell breaks anywhere)."""
    room = max(room, 1.0)
    total = 0
    for line in text.split("\n"):
        lines, used, space = 1, 0.0, 0.0
        for token in _TOKENS.findall(line):
            if token.isspace():
                space = float(len(token))
                continue
            units = _line_units(token)
            if used and used + space + units > room:
                lines += 1
                used = 0.0
            elif used:
                used += space
            if units > room:
                lines += math.ceil(units / room) - 1
                units = units % room or room
            used += units
            space = 0.0
        total += lines
    return total


def shown_text(value, style: str) -> str:
    """The text a cell shows for ``value`` in ``style`` (numbers as their number format shows them)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Formula):
        return "0" * 12
    if isinstance(value, dt.datetime):
        return "0000-00-00 00:00:00" if value.time() != dt.time() else "0000-00-00"
    if isinstance(value, dt.date):
        return "0000-00-00"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        pattern = _SHOWN.get(STYLES[style].number_format or "")
        return pattern.format(value) if pattern else f"{value:g}"
    return str(value)


def header_units(header: str, scale: float = 1.1, lines: int = 2, short: float = SHORT_HEADER) -> float:
    """Digit widths a header needs (bold: ``scale``): one up to ``short`` wide on one line, a longer
    one in up to ``lines`` lines."""
    full = text_units(header)
    if full <= short:
        return full * scale
    longest = max((_line_units(t) for t in _TOKENS.findall(header) if not t.isspace()), default=0.0)
    return max(longest, full / lines + 1) * scale


def width_for(texts, header: str = "", floor: float = MIN_WIDTH, cap: float = MAX_WIDTH) -> float:
    """A column width showing ``texts`` (and ``header`` in up to two lines), between ``floor`` and ``cap``."""
    units = max((text_units(t) for t in texts), default=0.0)
    return round(min(max(units + PAD, header_units(header) + PAD, floor), cap), 1)


def _scale(style: str) -> float:
    """Digit widths of this style's font per digit width of the default font (Calibri 11)."""
    bold, size = STYLES[style].bold, STYLES[style].size
    return size / 11 * (1.1 if bold else 1.0)


def line_height(style: str) -> float:
    """Points one line of text in ``style`` needs (CJK fonts are taller than Calibri)."""
    return round(STYLES[style].size * 1.35, 1)


def fit(spec: SheetSpec, caps: dict[int, float] | None = None, minimum: float = MIN_WIDTH,
        lines: dict[int, int] | None = None, header_lines: int = 2, short_header: float = SHORT_HEADER) -> None:
    """Set ``spec``'s column widths from its cells (up to ``caps[col]``, default :data:`MAX_WIDTH`),
    wrap what is wider than its column (or merged span), and give every row the height its lines
    need. A header longer than ``short_header`` may wrap to ``header_lines`` lines rather than widen
    its column. Numbers never wrap: a number column is as wide as its widest number. ``lines[col]``:
    the column is as narrow as lets each of its texts wrap to at most that many lines (within its
    cap), e.g. a why in three."""
    caps = caps or {}
    spans = _merged_spans(spec)
    last_col = max((c for _, c in spec.cells), default=1)
    rightmost: dict[int, int] = {}          # row -> its last column holding something
    texts: dict[tuple[int, int], str] = {}
    numbers: dict[tuple[int, str], list] = {}   # (column, style) -> [smallest, largest]
    tall: dict[int, float] = {}             # row -> height a one-line cell in a big font needs
    one_line = {style: line_height(style) + 1 for style in {st for _, st in spec.cells.values()}}
    for (r, c), (value, style) in spec.cells.items():
        kind = type(value)
        if kind is float or kind is int:
            if value != value:
                continue
            span = numbers.get((c, style))
            if span is None:
                numbers[(c, style)] = [value, value]
            elif value < span[0]:
                span[0] = value
            elif value > span[1]:
                span[1] = value
        else:
            text = value if kind is str else shown_text(value, style)
            if not text:
                continue
            texts[(r, c)] = text
        if c > rightmost.get(r, 0):
            rightmost[r] = c
        if one_line[style] > DEFAULT_HEIGHT + 2 and one_line[style] > tall.get(r, 0):
            tall[r] = one_line[style]
    need: dict[int, float] = {}
    for (c, style), extremes in numbers.items():
        units = max(text_units(shown_text(v, style)) for v in extremes) * _scale(style)
        need[c] = max(need.get(c, 0.0), units + PAD)
    measured: dict[tuple[int, int], float] = {}
    scale = {style: _scale(style) for style in one_line}
    units_of: dict[str, float] = {}   # dates, states and names repeat: each text measured once
    for (r, c), text in texts.items():
        style = spec.cells[(r, c)][1]
        units = units_of.get(text)
        if units is None:
            units = units_of[text] = text_units(text)
        units = measured[(r, c)] = units * scale[style]
        if (r, c) in spans or (style in FLOW_STYLES and rightmost[r] == c):
            continue
        if style == "header":
            units = header_units(text, _scale(style), header_lines, short_header)
        if units + PAD > need.get(c, 0.0):
            need[c] = units + PAD
    for c, most in (lines or {}).items():
        own = [(texts[k], spec.cells[k][1]) for k in texts if k[1] == c and k not in spans
               and spec.cells[k][1] not in FLOW_STYLES and spec.cells[k][1] != "header"]
        headed = max((header_units(texts[k], _scale("header"), header_lines, short_header) + PAD for k in texts
                      if k[1] == c and spec.cells[k][1] == "header"), default=minimum)
        if c in need:
            need[c] = min(need[c], max(_width_in_lines(own, most, caps.get(c, MAX_WIDTH)), headed))
    widths = {c: round(min(max(need.get(c, minimum), minimum), caps.get(c, MAX_WIDTH)), 1)
              for c in range(1, last_col + 1)}
    widths.update({c: w for c, w in spec.widths.items() if c not in need})
    spec.widths = widths
    for r, h in tall.items():
        spec.heights[r] = max(spec.heights.get(r, 0), round(h, 1))
    _wrap_and_size_rows(spec, spans, last_col, texts, measured, rightmost)


def _width_in_lines(texts: list[tuple[str, str]], most: int, cap: float) -> float:
    """The narrowest whole width (up to ``cap``) in which each (text, style) wraps to ``most`` lines."""
    low, high = int(MIN_WIDTH), max(int(math.ceil(cap)), int(MIN_WIDTH))
    while low < high:
        mid = (low + high) // 2
        if all(wrap_lines(text, (mid - 1) / _scale(style)) <= most for text, style in texts):
            high = mid
        else:
            low = mid + 1
    return float(low)


def _merged_spans(spec: SheetSpec) -> dict[tuple[int, int], tuple[int, int]]:
    """Top-left cell (row, col) of each merge -> (first col, last col)."""
    spans = {}
    for ref in spec.merges:
        c1, r1, c2, _ = parse_range(ref)
        spans[(r1, c1)] = (c1, c2)
    return spans


def _wrap_and_size_rows(spec: SheetSpec, spans: dict, last_col: int, texts: dict, measured: dict,
                        rightmost: dict) -> None:
    """Wrap each text wider than its room (a long flowing title or note is merged to the last column
    first) and make its row tall enough for the lines."""
    heights: dict[int, float] = {}
    rooms = {c: w - 1 for c, w in spec.widths.items()}
    for (r, c), units in measured.items():
        room = rooms.get(c, 7.43)
        if units <= room and (r, c) not in spans:
            continue
        value, style = spec.cells[(r, c)]
        first, last = spans.get((r, c), (c, c))
        flowing = style in FLOW_STYLES and (r, c) not in spans and rightmost[r] == c
        if flowing:
            last = last_col
        room = sum(spec.widths.get(k, 8.43) for k in range(first, last + 1)) - 1
        lines = 1 if units <= room else wrap_lines(texts[(r, c)], room / _scale(style))
        if lines > 1:
            if flowing and last > first:
                spec.merges.append(f"{_ref(c, r)}:{_ref(last, r)}")
            spec.cells[(r, c)] = (value, wrapped(style))
            heights[r] = max(heights.get(r, DEFAULT_HEIGHT), lines * line_height(style) + 3)
    for r, h in heights.items():
        spec.heights[r] = max(spec.heights.get(r, 0), round(min(h, MAX_HEIGHT), 1))
        for c in range(1, last_col + 1):   # a row of wrapped lines reads from the top: every cell aligned up
            value, style = spec.cells.get((r, c), (None, None))
            if style is not None and style not in FLOW_STYLES:
                spec.cells[(r, c)] = (value, wrapped(style))


def _ref(col: int, row: int) -> str:
    return f"{col_letter(col)}{row}"


def print_setup(spec: SheetSpec, title_rows: tuple[int, int] | None = None,
                keep_together: list[tuple[int, int]] = ()) -> None:
    """Landscape when the sheet is wide, fitted to the page width, ``title_rows`` (first, last)
    repeated on every page, and each (first, last) block of ``keep_together`` moved to a new page
    when it would be split (estimated from the widths and heights, with a margin)."""
    total = sum(spec.widths.values())
    spec.landscape = total > WIDE
    spec.fit_width = True
    spec.print_title_rows = title_rows
    for first, last in keep_together:
        if _split(spec, first, last, total):
            spec.row_breaks.append(first - 1)


def printed_scale(spec: SheetSpec, total_width: float | None = None) -> float:
    """The scale a sheet fitted to the page width prints at (1 when it fits), from its widths."""
    width = _PAGE["landscape" if spec.landscape else "portrait"][0]
    total = sum(spec.widths.values()) if total_width is None else total_width
    return min(1.0, width / (total * 5.25 + 5))


def _split(spec: SheetSpec, first: int, last: int, total_width: float) -> bool:
    """True when rows ``first``..``last`` would straddle a page break (pages filled to 95 %, as a
    margin for the estimate)."""
    height = _PAGE["landscape" if spec.landscape else "portrait"][1]
    scale = printed_scale(spec, total_width)
    titles = spec.print_title_rows
    title_height = sum(spec.heights.get(r, DEFAULT_HEIGHT) for r in range(titles[0], titles[1] + 1)) if titles else 0
    page = start = used = 0
    room = height
    for r in range(1, last + 1):
        h = spec.heights.get(r, DEFAULT_HEIGHT) * scale
        if used + h > room * 0.95 or r - 1 in spec.row_breaks:
            page, used = page + 1, 0.0
            room = height - (title_height * scale if titles and titles[1] < r else 0)
        used += h
        if r == first:
            start = page
    return page != start


CONTINUED = "（续 continued）"   # after a list's name atop a page it goes on to
KEEP_ROWS = 3        # a list starts on the next page unless its title, header and this many rows fit
SMALL_BLOCK = 0.5    # a list no taller than this share of a page is kept on one page
FILL = 0.92          # pages are filled to this share of their height: a margin for the estimate


@dataclass(frozen=True)
class Block:
    """One list on a sheet of several: its title row, header row, last row, and its name (written
    with :data:`CONTINUED` atop each further page it goes on to)."""

    title: int
    header: int
    last: int
    name: str


def paginate(spec: SheetSpec, starts: list[int], blocks: list[Block]) -> None:
    """Page breaks for a sheet of several lists (after :func:`fit` and :func:`print_setup`, no print
    titles), estimated from the widths and heights as printed fitted to the page width: a page
    starts at each row of ``starts``; a list moves to the next page when its title, header and first
    :data:`KEEP_ROWS` rows (all of it when small) would not fit; and where a list goes on over a
    page break, its name (continued) and its header are written again atop the next page: rows are
    inserted (the charts' anchors and ranges follow their rows), so each printed page of a list
    shows that list's header and no other. A chart beside a list belongs in that list's rows (its
    ``last`` row at or below the chart's), so that the list keeps it on its page."""
    scale = printed_scale(spec)
    room = _PAGE["landscape" if spec.landscape else "portrait"][1] * FILL / scale

    def height(r: int) -> float:
        return spec.heights.get(r, DEFAULT_HEIGHT)

    def lead(block: Block) -> float:
        whole = sum(height(r) for r in range(block.title, block.last + 1))
        if whole <= room * SMALL_BLOCK:
            return whole
        return sum(height(r) for r in range(block.title, min(block.last, block.header + KEEP_ROWS) + 1))

    continued_height = max(DEFAULT_HEIGHT, line_height("subtitle") + 1)
    inside = {r: b for b in blocks for r in range(b.header + 1, b.last + 1)}
    first_of = {b.title: b for b in blocks}
    order: list[tuple[int, Block | None]] = []   # (source row, the list when it is that list's name again)
    breaks, used = [], 0.0
    for r in range(1, spec.last_row + 1):
        block = first_of.get(r)
        if used and (r in starts or (block and used + lead(block) > room) or used + height(r) > room):
            breaks.append(len(order))
            used = 0.0
            going_on = inside.get(r)
            if going_on:
                order += [(going_on.header, going_on), (going_on.header, None)]
                used += continued_height + height(going_on.header)
        order.append((r, None))
        used += height(r)
    _renumber(spec, order, continued_height)
    spec.row_breaks = breaks


def _renumber(spec: SheetSpec, order: list[tuple[int, Block | None]], continued_height: float) -> None:
    """The sheet's rows in ``order`` (source rows, some twice): cells, heights and merges follow their
    row; a (row, block) entry is the block's name with :data:`CONTINUED`, as a subtitle."""
    by_row: dict[int, list[tuple[int, object, str]]] = {}
    for (r, c), (value, style) in spec.cells.items():
        by_row.setdefault(r, []).append((c, value, style))
    merged: dict[int, list[tuple[int, int, int]]] = {}
    for ref in spec.merges:
        c1, r1, c2, r2 = parse_range(ref)
        merged.setdefault(r1, []).append((c1, c2, r2 - r1))
    cells, heights, merges, moved = {}, {}, [], {}
    for new, (source, block) in enumerate(order, start=1):
        if block is not None:
            cells[(new, 1)] = (f"{block.name} {CONTINUED}", "subtitle")
            if continued_height > DEFAULT_HEIGHT:
                heights[new] = round(continued_height, 1)
            continue
        moved.setdefault(source, new)
        for c, value, style in by_row.get(source, ()):
            cells[(new, c)] = (value, style)
        if source in spec.heights:
            heights[new] = spec.heights[source]
        merges += [f"{_ref(c1, new)}:{_ref(c2, new + down)}" for c1, c2, down in merged.get(source, ())]
    spec.cells, spec.heights, spec.merges = cells, heights, merges
    below = len(order) - max(moved, default=0)

    def new_row(r: int) -> int:
        return moved.get(r, r + below)

    def ref(text: str) -> str:
        return _ROW_REF.sub(lambda m: f"{m[1]}{new_row(int(m[2]))}", text)

    for chart in spec.charts:
        c1, r1, c2, r2 = chart.anchor
        chart.anchor = (c1, new_row(r1 + 1) - 1, c2, new_row(r2 + 1) - 1)
        chart.categories = ref(chart.categories)
        if isinstance(chart, BarChart):
            chart.values = ref(chart.values)
        else:
            for series in (*chart.series, *chart.rates):
                series.values = ref(series.values)


_ROW_REF = re.compile(r"(\$[A-Z]+\$)(\d+)")   # the row of an absolute A1 reference
