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
from openpyxl.utils.cell import range_boundaries
from xlwings import base_classes

ENGINE_NAME = "gendan-memory"
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
    """An Excel instance: its status bar and message boxes (both recorded)."""

    # Plain attributes shadow base_classes' abstract properties.
    engine = pid = display_alerts = None

    def __init__(self, engine: Engine):
        self.engine = engine
        self.pid = next(_pids)
        self.display_alerts = True
        self.status_history: list = []
        self.alerts: list[dict] = []

    @property
    def status_bar(self):
        return self.status_history[-1] if self.status_history else False

    @status_bar.setter
    def status_bar(self, value):
        self.status_history.append(value)

    def alert(self, prompt, title, buttons, mode, callback):
        self.alerts.append({"prompt": prompt, "title": title, "buttons": buttons, "mode": mode})
        return "ok"


class Book(base_classes.Book):
    """A workbook: sheets in order. ``io`` records every value read and write (kind, sheet,
    bounds) and ``saves`` every save (there is no file to write to)."""

    app = name = fullname = None

    def __init__(self, app: App, fullname: str):
        self.app = app
        self.fullname = fullname
        self.name = Path(fullname).name
        self.sheet_list: list[Sheet] = []
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

    def add(self, before=None, after=None, name=None):
        sheets = self.book.sheet_list
        at = sheets.index(before) if before else sheets.index(after) + 1 if after else 0
        sheet = Sheet(self.book, name or f"Sheet{len(sheets) + 1}")
        sheets.insert(at, sheet)
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
        self.sheet_api = WorksheetApi()
        self.page_setup_api = PageSetupApi()

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
    """The parts of Excel's Worksheet object gendan uses beyond xlwings: Tab, HPageBreaks."""

    def __init__(self):
        self.Tab = TabApi()
        self.HPageBreaks = HPageBreaksApi()

    def ResetAllPageBreaks(self):  # noqa: N802
        self.HPageBreaks.rows.clear()


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
        widths = {self.sheet.widths.get(c) for c in range(self.bounds[1], self.bounds[3] + 1)}
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

    def __iter__(self):
        return iter(self.sheet.table_list)


def engine() -> xw.main.Engine:
    """The registered memory engine (registered on first use)."""
    if ENGINE_NAME not in xw.engines.engines_by_name:
        xw.engines.add(xw.main.Engine(impl=Engine()))
    return xw.engines[ENGINE_NAME]


def open_book(path) -> xw.Book:
    """Open a workbook file as Excel would show it: values, number formats and tables."""
    app = engine().apps.add()
    book = Book(app.impl, str(Path(path).resolve()))
    digest = hashlib.sha1(Path(path).read_bytes()).digest()
    if digest not in _FILES:
        _FILES[digest] = _read_file(path)
    for name, values, formats, tables in _FILES[digest]:
        sheet = Sheet(book, name)
        sheet.values = dict(values)
        sheet.formats = {cell: dict(fmt) for cell, fmt in formats.items()}
        sheet.table_list = [Table(sheet, table, bounds) for table, bounds in tables]
        book.sheet_list.append(sheet)
    return xw.Book(impl=book)


def _read_file(path) -> list[tuple]:
    """Each sheet's name, values, formats and tables."""
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
        sheets.append((ws.title, values, formats, tables))
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
