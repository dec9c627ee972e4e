"""An in-memory xlwings engine: Excel's object model kept in dicts, for tests without Excel.

It is registered with ``xw.engines.add`` like xlwings' own engines, so the books it opens are real
``xw.Book`` objects and every read and write goes through xlwings' Range, converters and pipeline
stages. Only the engine layer (what xlwings' ``_xlwindows`` does over COM) lives here, and it
behaves like Excel at that boundary:

- reads come back as COM hands them over: numbers as float, date cells as datetime, blanks as None,
  a single cell as a scalar and a block as a tuple of row tuples;
- a string written to a cell is parsed like typed input: ``=...`` (and ``+``/``-``/``@`` followed by
  a non-number) becomes a formula, ``00123`` or ``1,200`` a number, ``TRUE`` a boolean,
  ``2026-01-05`` a date, unless it starts with Excel's quote prefix ``'`` (which is dropped and
  keeps the rest as text, even in a cell formatted as Text) or the cell is formatted as Text.
  Formulas are stored, not calculated: their value reads as None.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import xlwings as xw
from openpyxl.utils.cell import get_column_letter, range_boundaries
from xlwings import base_classes

ENGINE_NAME = "gendan-memory"
STANDARD_WIDTH = 8.43          # Excel's standard column width (Calibri 11), characters
_NUMBER = re.compile(r"[+-]?(\d[\d,]*\.?\d*|\.\d+)([eE][+-]?\d+)?%?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_FORMULA_START = ("=", "+", "-", "@")
_pids = itertools.count(90001)
_FILES: dict[bytes, list[tuple]] = {}  # file content digest -> what _read_file found


@dataclass(frozen=True)
class Formula:
    """A formula as stored in a cell (not calculated)."""

    text: str


def typed_entry(text: str, number_format: str):
    """What Excel stores when ``text`` is assigned to a cell's Value (typed-input parsing)."""
    if text.startswith("'"):
        return text[1:]
    if text == "" or number_format == "@":
        return text or None
    stripped = text.strip()
    if _NUMBER.fullmatch(stripped) and any(ch.isdigit() for ch in stripped):
        number = float(stripped.rstrip("%").replace(",", ""))
        return number / 100 if stripped.endswith("%") else number
    if stripped.startswith(_FORMULA_START) and len(stripped) > 1:
        return Formula(stripped if stripped.startswith("=") else "=" + stripped)
    if stripped.upper() in ("TRUE", "FALSE"):
        return stripped.upper() == "TRUE"
    if _ISO_DATE.fullmatch(stripped):
        return dt.datetime.fromisoformat(stripped)
    return text


class Engine:
    """The engine impl: value cleaning as in ``_xlwindows.Engine`` (minus pywin32 types)."""

    name = ENGINE_NAME
    type = "desktop"

    def __init__(self):
        self.apps = Apps(self)

    @staticmethod
    def prepare_xl_data_element(x, options):
        if isinstance(x, pd.Timestamp):
            return None if pd.isna(x) else x.to_pydatetime()
        if isinstance(x, dt.datetime):
            return x
        if isinstance(x, dt.date):
            return dt.datetime(x.year, x.month, x.day)
        if x is None or (isinstance(x, (float, np.floating)) and math.isnan(x)) or x is pd.NA:
            return ""
        if isinstance(x, np.number):
            return float(x)
        return x

    @staticmethod
    def clean_value_data(data, datetime_builder, empty_as, number_builder, err_to_str):
        def clean(value):
            if value in ("", None):
                return empty_as
            if isinstance(value, dt.datetime):
                return datetime_builder(year=value.year, month=value.month, day=value.day, hour=value.hour,
                                        minute=value.minute, second=value.second,
                                        microsecond=value.microsecond)
            if number_builder is not None and isinstance(value, float):
                return number_builder(value)
            return value

        return [[clean(c) for c in row] for row in data]


class Apps(base_classes.Apps):
    def __init__(self, engine: Engine):
        self.engine = engine

    def add(self, spec=None, add_book=None, xl=None, visible=None):
        return App(self.engine)


class App(base_classes.App):
    """An Excel instance: its status bar and message boxes (both recorded; a Yes/No box answered from
    ``answers``, given in advance), and the selected range
    (``Application.Selection``: a Range of this engine, None when nothing or no cell is selected)."""

    # Plain attributes shadow base_classes' abstract properties.
    engine = pid = display_alerts = selection = None

    def __init__(self, engine: Engine):
        self.engine = engine
        self.pid = next(_pids)
        self.display_alerts = True
        self.status_history: list = []
        self.alerts: list[dict] = []
        self.answers: list[str] = []   # what the user clicks in a message box with buttons other than OK

    @property
    def status_bar(self):
        return self.status_history[-1] if self.status_history else False

    @status_bar.setter
    def status_bar(self, value):
        self.status_history.append(value)

    def alert(self, prompt, title, buttons, mode, callback):
        self.alerts.append({"prompt": prompt, "title": title, "buttons": buttons, "mode": mode})
        return "ok" if buttons == "ok" else self.answers.pop(0)



class WindowApi:
    """Window: its split and frozen panes, kept per sheet (each sheet remembers its own view).
    Freezing without a split would freeze at the active cell: not modelled (gendan always splits)."""

    def __init__(self, sheet):
        object.__setattr__(self, "_view", sheet.view)

    def __getattr__(self, name):
        try:
            return self._view[name]
        except KeyError:
            raise AttributeError(f"Window has no property {name}") from None

    def __setattr__(self, name, value):
        if name not in self._view:
            raise AttributeError(f"Window has no property {name}")
        if name in ("SplitRow", "SplitColumn", "ScrollRow", "ScrollColumn") and (
                not isinstance(value, int) or value < (1 if name.startswith("Scroll") else 0)):
            raise ValueError(f"{name} must be a row or column number")
        scrolled = (self._view["ScrollRow"], self._view["ScrollColumn"]) != (1, 1)
        if name in ("SplitRow", "SplitColumn") and value and scrolled:
            raise NotImplementedError("a split counted from a scrolled window is not modelled")
        if name == "FreezePanes" and value and not (self._view["SplitRow"] or self._view["SplitColumn"]):
            raise NotImplementedError("freezing at the active cell is not modelled")
        self._view[name] = value


class Book(base_classes.Book):
    """A workbook: sheets in order. ``io`` records every value read and write (kind, sheet,
    bounds) and ``saves`` every save (there is no file to write to)."""

    app = name = fullname = None

    def __init__(self, app: App, fullname: str):
        self.app = app
        self.fullname = fullname
        self.name = Path(fullname).name
        self.sheet_list: list[Sheet] = []
        self.active: Sheet | None = None
        self.saves: list = []
        self.io: list[tuple[str, str, tuple[int, int, int, int]]] = []

    @property
    def api(self):
        return self

    @property
    def sheets(self):
        return Sheets(self)

    def save(self, path=None, password=None):
        self.saves.append(path)

    def Windows(self, index):  # noqa: N802 (Workbook.Windows: the book's windows, 1-based)
        if index != 1 or self.active is None:
            raise IndexError(f"Windows({index})")
        return WindowApi(self.active)


class Sheets(base_classes.Sheets):
    def __init__(self, book: Book):
        self.book = book

    def __call__(self, name_or_index):
        if isinstance(name_or_index, int):
            return self.book.sheet_list[name_or_index - 1]
        for sheet in self.book.sheet_list:
            if sheet.name.lower() == str(name_or_index).lower():
                return sheet
        raise KeyError(name_or_index)

    def __len__(self):
        return len(self.book.sheet_list)

    def __iter__(self):
        return iter(list(self.book.sheet_list))

    @property
    def active(self):
        return self.book.active

    def add(self, before=None, after=None, name=None):
        sheets = self.book.sheet_list
        at = sheets.index(before) if before else sheets.index(after) + 1 if after else 0
        sheet = Sheet(self.book, name or f"Sheet{len(sheets) + 1}")
        sheets.insert(at, sheet)
        self.book.active = sheet   # Excel activates a sheet it adds
        return sheet


class Sheet(base_classes.Sheet):
    """A worksheet: values and formats by (row, column), column widths, merges, tables."""

    book = name = None

    def __init__(self, book: Book, name: str):
        self.book = book
        self.name = name
        self.values: dict[tuple[int, int], object] = {}
        self.formats: dict[tuple[int, int], dict] = {}
        self.widths: dict[int, float] = {}
        self.heights: dict[int, float] = {}
        self.merges: list[tuple[int, int, int, int]] = []
        self.table_list: list[Table] = []
        self._visible = True
        self.sheet_api = WorksheetApi(self)
        self.page_setup_api = PageSetupApi()
        self.chart_list: list[Chart] = []
        self.charts_made = 0
        self.view = {"FreezePanes": False, "SplitRow": 0, "SplitColumn": 0, "ScrollRow": 1, "ScrollColumn": 1}
        self.auto_filter: str | None = None   # the range with filter buttons (Excel's sheet-level AutoFilter)

    def activate(self):
        if not self._visible:
            raise RuntimeError("Activate method of Worksheet class failed (the sheet is hidden)")
        self.book.active = self

    @property
    def charts(self):
        return Charts(self)

    def column_points(self, col: int) -> float:
        """A column's width in points (Calibri 11: a digit 7 px, 5 px padding; 8.43 by default)."""
        return math.trunc(self.widths.get(col, STANDARD_WIDTH) * 7 + 5) * 0.75

    @property
    def api(self):
        return self.sheet_api

    @property
    def page_setup(self):
        return PageSetup(self)

    @property
    def index(self):
        return self.book.sheet_list.index(self) + 1

    def range(self, arg1, arg2=None):
        first = self._bounds(arg1)
        if arg2 is None:
            return Range(self, *first)
        second = self._bounds(arg2)
        return Range(self, min(first[0], second[0]), min(first[1], second[1]),
                     max(first[2], second[2]), max(first[3], second[3]))

    def _bounds(self, arg) -> tuple[int, int, int, int]:
        if isinstance(arg, Range):
            return arg.bounds
        if isinstance(arg, tuple) and len(arg) == 4:
            row, col, nrows, ncols = arg
            return row, col, row + nrows - 1, col + ncols - 1
        if isinstance(arg, tuple):
            if 0 in arg:
                raise IndexError("Attempted to access 0-based Range. xlwings/Excel Ranges are 1-based.")
            return arg[0], arg[1], arg[0], arg[1]
        c1, r1, c2, r2 = range_boundaries(arg.replace("$", ""))
        return r1, c1, r2, c2

    @property
    def tables(self):
        return Tables(self)

    @property
    def used_range(self):
        """As Excel's UsedRange: the block from the first to the last cell holding a value or a
        format (A1 on an empty sheet)."""
        cells = [*self.values, *self.formats]
        if not cells:
            return Range(self, 1, 1, 1, 1)
        rows, cols = [r for r, _ in cells], [c for _, c in cells]
        return Range(self, min(rows), min(cols), max(rows), max(cols))

    @property
    def visible(self):
        return self._visible

    @visible.setter
    def visible(self, value):
        self._visible = bool(value)

    def clear(self):
        """As Worksheet.Clear: values, formats and merges go; row heights, page setup, page breaks
        and the tab colour stay."""
        self.values.clear()
        self.formats.clear()
        self.merges.clear()


class _ComObject:
    """A COM object of Excel's model: only the properties it has can be set (a typo raises, as
    over COM), each starting at Excel's default."""

    DEFAULTS: dict = {}

    def __init__(self):
        object.__setattr__(self, "_props", dict(self.DEFAULTS))

    def __getattr__(self, name):
        try:
            return self._props[name]
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no property {name}") from None

    def __setattr__(self, name, value):
        if name not in self.DEFAULTS:
            raise AttributeError(f"{type(self).__name__} has no property {name}")
        self._props[name] = value


class TabApi(_ComObject):
    DEFAULTS = {"Color": False}   # False: no colour (xlColorIndexNone reads back as False over COM)


class PageSetupApi(_ComObject):
    """PageSetup: margins in points; Zoom False when fitted to pages."""

    DEFAULTS = {"Orientation": 1, "PaperSize": 1, "Zoom": 100, "FitToPagesWide": 1, "FitToPagesTall": 1,
                "PrintTitleRows": "", "PrintArea": "", "LeftHeader": "", "CenterHeader": "", "RightHeader": "",
                "LeftFooter": "", "CenterFooter": "", "RightFooter": "", "LeftMargin": 50.4, "RightMargin": 50.4,
                "TopMargin": 54.0, "BottomMargin": 54.0, "HeaderMargin": 21.6, "FooterMargin": 21.6}


class HPageBreaksApi:
    """Worksheet.HPageBreaks: ``Add(Before)`` a manual break above the row of the Range ``Before``."""

    def __init__(self):
        self.rows: list[int] = []

    def Add(self, Before):  # noqa: N802 (Excel's name)
        self.rows.append(Before.row)

    @property
    def Count(self):  # noqa: N802
        return len(self.rows)


class WorksheetApi:
    """The parts of Excel's Worksheet object gendan uses beyond xlwings: Tab, HPageBreaks, Activate."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.Tab = TabApi()
        self.HPageBreaks = HPageBreaksApi()

    def Activate(self):  # noqa: N802
        self.sheet.activate()

    @property
    def StandardWidth(self):  # noqa: N802
        return STANDARD_WIDTH

    def ResetAllPageBreaks(self):  # noqa: N802
        self.HPageBreaks.rows.clear()

    @property
    def AutoFilterMode(self):  # noqa: N802
        return self.sheet.auto_filter is not None

    @AutoFilterMode.setter
    def AutoFilterMode(self, value):  # noqa: N802
        if value:   # Excel: only False may be set (buttons come from Range.AutoFilter)
            raise RuntimeError("Unable to set the AutoFilterMode property of the Worksheet class")
        self.sheet.auto_filter = None


class PageSetup(base_classes.PageSetup):
    """xlwings' PageSetup impl (as ``_xlwindows.PageSetup``): the print area, and ``api``."""

    def __init__(self, sheet: Sheet):
        self.sheet = sheet

    @property
    def api(self):
        return self.sheet.page_setup_api

    @property
    def print_area(self):
        return self.api.PrintArea or None

    @print_area.setter
    def print_area(self, value):
        self.api.PrintArea = value or ""


def _format_property(key: str, default=None, owner: str | None = None) -> property:
    """A per-cell format read as the range's common value (None when the cells differ)."""
    def target(self):
        return getattr(self, owner) if owner else self

    return property(lambda self: target(self)._get_format(key, default),
                    lambda self, value: target(self)._set_format(key, value))


class Range(base_classes.Range):
    """A block of cells (r1, c1)-(r2, c2) on a sheet."""

    def __init__(self, sheet: Sheet, r1: int, c1: int, r2: int, c2: int):
        self.sheet = sheet
        self.bounds = (r1, c1, r2, c2)

    @property
    def api(self):
        return self

    @property
    def row(self):
        return self.bounds[0]

    @property
    def column(self):
        return self.bounds[1]

    @property
    def shape(self):
        r1, c1, r2, c2 = self.bounds
        return r2 - r1 + 1, c2 - c1 + 1

    def __len__(self):
        rows, cols = self.shape
        return rows * cols

    def _cells(self):
        r1, c1, r2, c2 = self.bounds
        return [[(r, c) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]

    @property
    def raw_value(self):
        self.sheet.book.io.append(("read", self.sheet.name, self.bounds))
        rows = tuple(tuple(self._read(cell) for cell in row) for row in self._cells())
        return rows[0][0] if len(self) == 1 else rows

    def _read(self, cell):
        value = self.sheet.values.get(cell)
        return None if isinstance(value, Formula) else value

    @raw_value.setter
    def raw_value(self, data):
        self.sheet.book.io.append(("write", self.sheet.name, self.bounds))
        cells = self._cells()
        if not isinstance(data, (list, tuple)):
            data = [[data] * len(cells[0]) for _ in cells]
        for row_cells, row_values in zip(cells, data):
            for cell, value in zip(row_cells, row_values):
                self._write(cell, value)

    def _write(self, cell, value):
        if isinstance(value, str):
            value = typed_entry(value, self.sheet.formats.get(cell, {}).get("number_format", "General"))
        elif isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if value is None:
            self.sheet.values.pop(cell, None)
        else:
            self.sheet.values[cell] = value

    @property
    def formula(self):
        value = self.sheet.values.get((self.row, self.column))
        return value.text if isinstance(value, Formula) else ("" if value is None else str(value))

    @property
    def has_array(self):
        return False

    def AutoFilter(self):  # noqa: N802
        """As Range.AutoFilter without arguments: filter buttons on this range's header row, or,
        when the sheet has them already, off."""
        r1, c1, r2, c2 = self.bounds
        self.sheet.auto_filter = None if self.sheet.auto_filter else f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"

    def clear_contents(self):
        """Values go, formats stay (as Excel's ClearContents)."""
        for cell in [c for row in self._cells() for c in row]:
            self.sheet.values.pop(cell, None)

    def __call__(self, arg1, arg2=None):
        if arg2 is None:
            arg1, arg2 = divmod(arg1 - 1, self.shape[1])
            arg1, arg2 = arg1 + 1, arg2 + 1
        row, col = self.row + arg1 - 1, self.column + arg2 - 1
        return Range(self.sheet, row, col, row, col)

    def end(self, direction):
        step = {"d": (1, 0), "u": (-1, 0), "r": (0, 1), "l": (0, -1)}[direction[0].lower()]
        row, col = self.row, self.column
        filled = (row + step[0], col + step[1]) in self.sheet.values
        while 1 <= row + step[0] <= 1048576 and 1 <= col + step[1] <= 16384:
            nxt = (row + step[0], col + step[1])
            if filled != (nxt in self.sheet.values):
                if not filled:
                    row, col = nxt
                break
            row, col = nxt
        return Range(self.sheet, row, col, row, col)

    def get_address(self, row_absolute=True, col_absolute=True, external=False):
        from xlwings.utils import col_name

        def ref(r, c):
            return f"{'$' if col_absolute else ''}{col_name(c)}{'$' if row_absolute else ''}{r}"

        r1, c1, r2, c2 = self.bounds
        address = ref(r1, c1) if (r1, c1) == (r2, c2) else f"{ref(r1, c1)}:{ref(r2, c2)}"
        return f"[{self.sheet.book.name}]{self.sheet.name}!{address}" if external else address

    @property
    def address(self):
        return self.get_address()

    def _set_format(self, key, value):
        for row in self._cells():
            for cell in row:
                self.sheet.formats.setdefault(cell, {})[key] = value

    def _get_format(self, key, default=None):
        found = {self.sheet.formats.get(cell, {}).get(key, default) for row in self._cells() for cell in row}
        return found.pop() if len(found) == 1 else None

    number_format = _format_property("number_format", "General")
    color = _format_property("fill")
    wrap_text = _format_property("wrap_text", False)
    horizontal_alignment = _format_property("horizontal_alignment", "general")
    vertical_alignment = _format_property("vertical_alignment", "bottom")

    @property
    def font(self):
        return Font(self)

    @property
    def borders(self):
        return Borders(self)

    @property
    def column_width(self):
        """Characters; a column never set has the sheet's standard width (8.43)."""
        widths = {self.sheet.widths.get(c, STANDARD_WIDTH) for c in range(self.bounds[1], self.bounds[3] + 1)}
        return widths.pop() if len(widths) == 1 else None

    @column_width.setter
    def column_width(self, value):
        for c in range(self.bounds[1], self.bounds[3] + 1):
            self.sheet.widths[c] = value

    @property
    def row_height(self):
        """Points; a row never set has Excel's standard height (15)."""
        heights = {self.sheet.heights.get(r, 15.0) for r in range(self.bounds[0], self.bounds[2] + 1)}
        return heights.pop() if len(heights) == 1 else None

    @row_height.setter
    def row_height(self, value):
        if not 0 <= value <= 409.5:
            raise ValueError("row height must be between 0 and 409.5 points")
        for r in range(self.bounds[0], self.bounds[2] + 1):
            self.sheet.heights[r] = value

    def merge(self, across):
        self.sheet.merges.append(self.bounds)

    @property
    def left(self):
        return sum(self.sheet.column_points(c) for c in range(1, self.bounds[1]))

    @property
    def top(self):
        return sum(self.sheet.heights.get(r, 15.0) for r in range(1, self.bounds[0]))

    @property
    def width(self):
        return sum(self.sheet.column_points(c) for c in range(self.bounds[1], self.bounds[3] + 1))

    @property
    def height(self):
        return sum(self.sheet.heights.get(r, 15.0) for r in range(self.bounds[0], self.bounds[2] + 1))

    def a1(self, external: bool = True) -> str:
        """The block as a formula names it (``'Sheet 1'!$A$1:$A$5``)."""
        name = self.sheet.name
        quoted = name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", name) else "'" + name.replace("'", "''") + "'"
        return (quoted + "!" if external else "") + self.get_address()

class Font(base_classes.Font):
    """The font of a range, stored per cell as ``font_<property>``."""

    def __init__(self, rng: Range):
        self.rng = rng

    bold = _format_property("font_bold", owner="rng")
    size = _format_property("font_size", owner="rng")
    color = _format_property("font_color", owner="rng")


class Borders(base_classes.Borders):
    """Borders of a range: the attributes set, per cell, as ``borders``."""

    def __init__(self, rng: Range):
        self.rng = rng

    def set(self, which="all", *, line_style=base_classes._UNSET, weight=base_classes._UNSET,
            color=base_classes._UNSET):
        given = {"sides": tuple(which), "line_style": line_style, "weight": weight, "color": color}
        self.rng._set_format("borders", {k: v for k, v in given.items() if v is not base_classes._UNSET})


class Table(base_classes.Table):
    """A ListObject: a name and a block whose first row is the header row."""

    name = None

    def __init__(self, sheet: Sheet, name: str, bounds: tuple[int, int, int, int]):
        self.sheet = sheet
        self.name = name
        self.bounds = bounds

    @property
    def parent(self):
        return self.sheet

    @property
    def range(self):
        return Range(self.sheet, *self.bounds)

    @property
    def header_row_range(self):
        r1, c1, _, c2 = self.bounds
        return Range(self.sheet, r1, c1, r1, c2)

    @property
    def data_body_range(self):
        r1, c1, r2, c2 = self.bounds
        return Range(self.sheet, r1 + 1, c1, r2, c2) if r2 > r1 else None

    def resize(self, range):
        r1, c1, r2, c2 = range.impl.bounds
        if (r1, c1) != self.bounds[:2] or range.impl.sheet is not self.sheet:
            raise ValueError("a table keeps its header row and first column when resized")
        self.bounds = (r1, c1, r2, c2)


class Tables(base_classes.Collection, base_classes.Tables):
    def __init__(self, sheet: Sheet):
        self.sheet = sheet

    def __call__(self, key):
        if isinstance(key, int):
            return self.sheet.table_list[key - 1]
        for table in self.sheet.table_list:
            if table.name.lower() == key.lower():
                return table
        raise KeyError(key)

    def __len__(self):
        return len(self.sheet.table_list)

    def add(self, source_type=None, source=None, link_source=None, has_headers=True, destination=None,
            table_style_name=None, name=None):
        """As ListObjects.Add over a range with headers: the block becomes a table named ``name``."""
        table = Table(self.sheet, name, source.impl.bounds)
        self.sheet.table_list.append(table)
        return table

    def __iter__(self):
        return iter(self.sheet.table_list)


class Charts(base_classes.Charts):
    """ChartObjects of a sheet, by name or 1-based index."""

    def __init__(self, sheet: Sheet):
        self.sheet = sheet

    @property
    def parent(self):
        return self.sheet

    def __call__(self, key):
        charts = self.sheet.chart_list
        if isinstance(key, int):
            if not 1 <= key <= len(charts):
                raise KeyError(key)
            return charts[key - 1]
        for chart in charts:
            if chart.name.lower() == str(key).lower():
                return chart
        raise KeyError(key)

    def __len__(self):
        return len(self.sheet.chart_list)

    def __iter__(self):
        return iter(list(self.sheet.chart_list))

    def __contains__(self, key):
        return any(chart.name.lower() == str(key).lower() for chart in self.sheet.chart_list)

    def add(self, left, top, width, height, chart_type=None, source=None, plot_by=None, name=None, anchor=None,
            style=227):
        if anchor:
            top, left = anchor.top, anchor.left
        self.sheet.charts_made += 1
        chart = Chart(self.sheet, f"Chart {self.sheet.charts_made}", (left, top, width, height))
        self.sheet.chart_list.append(chart)
        if source is not None:
            chart.set_source_data(source, plot_by)
        if chart_type is not None:
            chart.chart_type = chart_type
        if style is not None:
            chart.style = style
        if name is not None:
            chart.name = name
        return chart


class Chart(base_classes.Chart):
    """An embedded chart: its place in points, type, title, legend, series and axes."""

    def __init__(self, sheet: Sheet, name: str, place: tuple):
        self.sheet = sheet
        self._name = name
        self.place = dict(zip(("left", "top", "width", "height"), place))
        self.series_list: list[ChartSeries] = []
        self.type = "column_clustered"     # Excel's default chart type
        self.title_text = None
        self.chart_style = None
        self.rows_or_columns = None
        self.legend_state = {"visible": True, "position": "right"}
        self.axes = {("category", "primary"): dict(_AXIS), ("value", "primary"): dict(_AXIS),
                     ("category", "secondary"): dict(_AXIS, visible=False), ("value", "secondary"): dict(_AXIS)}

    @property
    def api(self):
        return self, self

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, value):
        self._name = value

    @property
    def parent(self):
        return self.sheet

    def set_source_data(self, rng, plot_by=None):
        """One series per column (``plot_by='columns'``) or row; Excel decides as it does when not
        told (rows when the block is wider than tall)."""
        r1, c1, r2, c2 = rng.bounds
        if any(isinstance(rng.sheet.values.get((r, c)), str) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)):
            raise NotImplementedError("a source block holding text (series names, categories) is not modelled")
        by = plot_by or ("rows" if c2 - c1 > r2 - r1 else "columns")
        blocks = ([Range(rng.sheet, r1, c, r2, c) for c in range(c1, c2 + 1)] if by == "columns"
                  else [Range(rng.sheet, r, c1, r, c2) for r in range(r1, r2 + 1)])
        self.rows_or_columns = by
        self.series_list = [ChartSeries(self, block, k) for k, block in enumerate(blocks, start=1)]

    def set_x_axis_values(self, rng):
        for series in self.series_list:
            series.xvalues = rng

    @property
    def plot_by(self):
        return self.rows_or_columns

    @plot_by.setter
    def plot_by(self, value):
        self.rows_or_columns = value

    @property
    def style(self):
        return self.chart_style

    @style.setter
    def style(self, value):
        self.chart_style = value

    @property
    def chart_type(self):
        types = {series.type for series in self.series_list} or {self.type}
        return types.pop() if len(types) == 1 else "combination"

    @chart_type.setter
    def chart_type(self, value):
        self.type = value
        for series in self.series_list:
            series.type = value

    @property
    def title(self):
        return self.title_text

    @title.setter
    def title(self, value):
        self.title_text = value

    @property
    def legend(self):
        return ChartLegend(self)

    @property
    def category_axis(self):
        return ChartAxis(self, "category", "primary")

    @property
    def value_axis(self):
        return ChartAxis(self, "value", "primary")

    @property
    def secondary_category_axis(self):
        return ChartAxis(self, "category", "secondary")

    @property
    def secondary_value_axis(self):
        return ChartAxis(self, "value", "secondary")

    @property
    def series(self):
        return ChartSeriesCollection(self)

    def delete(self):
        self.sheet.chart_list.remove(self)


def _place_property(key: str) -> property:
    def set_place(self, value):
        self.place[key] = value
    return property(lambda self: self.place[key], set_place)


for _key in ("left", "top", "width", "height"):
    setattr(Chart, _key, _place_property(_key))


_AXIS = {"visible": True, "title": None, "minimum_scale": None, "maximum_scale": None, "major_unit": None,
         "number_format": "General", "reverse_order": False, "crosses": "automatic"}


class ChartSeriesCollection(base_classes.ChartSeriesCollection):
    def __init__(self, chart: Chart):
        self.chart = chart

    def __call__(self, key):
        if not isinstance(key, int) or isinstance(key, bool) or not 1 <= key <= len(self.chart.series_list):
            raise KeyError(key)
        return self.chart.series_list[key - 1]

    def __len__(self):
        return len(self.chart.series_list)

    def __iter__(self):
        return iter(list(self.chart.series_list))


class ChartSeries(base_classes.ChartSeries):
    """A series: its values and category (x) blocks, name, type, axis group and look."""

    def __init__(self, chart: Chart, values: Range, order: int):
        self.chart = chart
        self.values = values
        self.xvalues: Range | None = None
        self.order = order
        self._name = None
        self.type = chart.type
        self.group = "primary"
        self.look: dict = {}
        self.has_data_labels = False
        self.point_colors: dict[int, int] = {}

    @property
    def api(self):
        return SeriesApi(self)

    @property
    def name(self):
        return self._name or f"Series{self.order}"

    @name.setter
    def name(self, value):
        self._name = value

    @property
    def chart_type(self):
        return self.type

    @chart_type.setter
    def chart_type(self, value):
        others = {s.type for s in self.chart.series_list if s is not self}
        if any(t.startswith("bar") != value.startswith("bar") for t in others):
            raise RuntimeError("Some chart types cannot be combined with other chart types (a bar chart)")
        self.type = value

    @property
    def axis_group(self):
        return self.group

    @axis_group.setter
    def axis_group(self, value):
        self.group = value

    def set(self, **given):
        for key in ("chart_type", "axis_group"):   # Excel reformats a series on these: applied first
            if given.get(key, base_classes._UNSET) is not base_classes._UNSET:
                setattr(self, key, given.pop(key))
        for key, value in given.items():
            if value is base_classes._UNSET:
                continue
            if key == "name":
                self.name = value
            else:
                self.look[key] = value

    @property
    def formula(self) -> str:
        """As Excel's Series.Formula: =SERIES(name, x values, values, order)."""
        name = '"' + self._name.replace('"', '""') + '"' if self._name else ""
        xvalues = self.xvalues.a1() if self.xvalues is not None else ""
        return f"=SERIES({name},{xvalues},{self.values.a1()},{self.order})"


def _look_property(key: str) -> property:
    def set_look(self, value):
        self.set(**{key: value})
    return property(lambda self: self.look.get(key), set_look)


for _key in ("marker_style", "marker_size", "marker_foreground_color", "marker_background_color", "line_color",
             "fill_color"):
    setattr(ChartSeries, _key, _look_property(_key))


class SeriesApi:
    """Series over COM: Formula, HasDataLabels and Points(i).Format.Fill.ForeColor.RGB (BGR)."""

    def __init__(self, series: ChartSeries):
        object.__setattr__(self, "series", series)

    @property
    def Formula(self):  # noqa: N802
        return self.series.formula

    @property
    def HasDataLabels(self):  # noqa: N802
        return self.series.has_data_labels

    def __setattr__(self, name, value):
        if name != "HasDataLabels":
            raise AttributeError(f"Series has no settable property {name}")
        self.series.has_data_labels = bool(value)

    def Points(self, index):  # noqa: N802
        count = self.series.values.shape[0] * self.series.values.shape[1]
        if not 1 <= index <= count:
            raise IndexError(f"Points({index}): the series has {count} points")
        return _Point(self.series, index)


class _Point:
    def __init__(self, series: ChartSeries, index: int):
        self.Format = _Holder(Fill=_Holder(ForeColor=_Color(series.point_colors, index)))


class _Holder:
    def __init__(self, **parts):
        self.__dict__.update(parts)


class _Color:
    def __init__(self, store: dict, key):
        object.__setattr__(self, "_store", store)
        object.__setattr__(self, "_key", key)

    @property
    def RGB(self):  # noqa: N802
        return self._store.get(self._key, 0)

    def __setattr__(self, name, value):
        if name != "RGB":
            raise AttributeError(name)
        if not 0 <= value <= 0xFFFFFF:
            raise ValueError("RGB must be 0..16777215")
        self._store[self._key] = value


class ChartAxis(base_classes.ChartAxis):
    """One of a chart's four axes; a secondary one exists only while a series is plotted on it."""

    def __init__(self, chart: Chart, kind: str, group: str):
        self.chart, self.kind, self.group = chart, kind, group

    def _state(self) -> dict:
        if self.group == "secondary" and not any(s.group == "secondary" for s in self.chart.series_list):
            raise xw.XlwingsError("The chart has no secondary axis group. Move a series to it first with "
                                  "series.axis_group = 'secondary'.")
        return self.chart.axes[(self.kind, self.group)]

    @property
    def visible(self):
        return self._state()["visible"]

    @visible.setter
    def visible(self, value):
        self._state()["visible"] = bool(value)

    def set(self, **given):
        state = self._state()
        visible = given.pop("visible", base_classes._UNSET)
        changes = {k: v for k, v in given.items() if v is not base_classes._UNSET}
        if visible is True or (visible is False and changes):
            state["visible"] = True
        if changes and not state["visible"]:
            raise xw.XlwingsError(f"The chart has no visible {self.group} {self.kind} axis.")
        state.update(changes)
        if visible is False:
            state["visible"] = False



def _axis_property(key: str) -> property:
    def set_axis(self, value):
        self.set(**{key: value})
    def get_axis(self):
        state = self._state()
        if not state["visible"]:
            if key == "title":
                return None
            raise xw.XlwingsError(f"The chart has no visible {self.group} {self.kind} axis.")
        return state[key]
    return property(get_axis, set_axis)


for _key in _AXIS:
    if _key != "visible":
        setattr(ChartAxis, _key, _axis_property(_key))


class ChartLegend(base_classes.ChartLegend):
    def __init__(self, chart: Chart):
        self.chart = chart

    @property
    def visible(self):
        return self.chart.legend_state["visible"]

    @visible.setter
    def visible(self, value):
        self.chart.legend_state["visible"] = bool(value)

    @property
    def position(self):
        state = self.chart.legend_state
        return state["position"] if state["visible"] else None

    @position.setter
    def position(self, value):
        self.chart.legend_state.update(visible=True, position=value)


def engine() -> xw.main.Engine:
    """The registered memory engine (registered on first use)."""
    if ENGINE_NAME not in xw.engines.engines_by_name:
        xw.engines.add(xw.main.Engine(impl=Engine()))
    return xw.engines[ENGINE_NAME]


def open_book(path) -> xw.Book:
    """Open a workbook file as Excel would show it: values, number formats, tables and filter buttons."""
    app = engine().apps.add()
    book = Book(app.impl, str(Path(path).resolve()))
    digest = hashlib.sha1(Path(path).read_bytes()).digest()
    if digest not in _FILES:
        _FILES[digest] = _read_file(path)
    for name, values, formats, tables, widths, auto_filter in _FILES[digest]:
        sheet = Sheet(book, name)
        sheet.auto_filter = auto_filter
        sheet.widths = dict(widths)
        sheet.values = dict(values)
        sheet.formats = {cell: dict(fmt) for cell, fmt in formats.items()}
        sheet.table_list = [Table(sheet, table, bounds) for table, bounds in tables]
        book.sheet_list.append(sheet)
    book.active = book.sheet_list[0] if book.sheet_list else None
    return xw.Book(impl=book)


def _read_file(path) -> list[tuple]:
    """Each sheet's name, values, formats, tables, column widths and filter range."""
    sheets = []
    for ws in openpyxl.load_workbook(path).worksheets:
        values, formats = {}, {}
        for row in ws.iter_rows():
            for cell in row:
                if cell.number_format != "General":
                    formats[(cell.row, cell.column)] = {"number_format": cell.number_format}
                if cell.value is not None:
                    values[(cell.row, cell.column)] = _excel_value(cell)
        tables = []
        for name, ref in ws.tables.items():
            c1, r1, c2, r2 = range_boundaries(ref)
            tables.append((name, (r1, c1, r2, c2)))
        widths = {}
        for dim in ws.column_dimensions.values():
            if dim.customWidth and dim.width:
                widths.update({c: dim.width for c in range(dim.min, dim.max + 1)})
        sheets.append((ws.title, values, formats, tables, widths, ws.auto_filter.ref or None))
    return sheets


def _excel_value(cell):
    """A stored cell value as COM hands it over (numbers as float, dates as datetime)."""
    value = cell.value
    if cell.data_type == "f":
        return Formula(str(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value
