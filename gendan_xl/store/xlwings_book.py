"""The master workbook open in Excel, through xlwings: the Workbook protocol on a live book.

Each table (ListObject) is read with one bulk ``.value`` call, its cells typed as the file reader
(python-calamine) types them, and built by the same ``build_table_frame`` as the file, so both
implementations give the same TableFrame; ``sheet_rows`` reads a sheet's used range the same way. Writes go column by
column in contiguous blocks. Every string is written behind Excel's quote prefix (``'``), which
Excel drops and which makes it keep the rest as text, even in a Text-formatted cell: text from a
supplier is never parsed as a formula, number or date. Appended rows grow the ListObject; fields
missing from a master made by an older gendan are added at the table's right end, as in the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import xlwings as xw

from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.sheets.cells import col_letter, fit_cell
from gendan_xl.sheets.layout import DEFAULT_HEIGHT
from gendan_xl.sheets.sheet_render import MARGINS, PAGE_OF, Formula, SheetSpec, page_header
from gendan_xl.model.values import same_values
from gendan_xl.sheets.styles import STYLES
from gendan_xl.store.master import CONFIG_SHEET
from gendan_xl.store.table_frame import TableFrame, field_style, build_table_frame, cell_values, remember
from gendan_xl.sheets.table_layout import legacy_widths
from gendan_xl.store.xlwings_charts import bgr, place_charts

QUOTE_PREFIX = "'"
XL_PORTRAIT, XL_LANDSCAPE, XL_PAPER_A4 = 1, 2, 9   # Excel's XlPageOrientation and XlPaperSize values


class XlwingsWorkbook:
    """A live Excel book (``xw.Book``) seen through the Workbook protocol."""

    def __init__(self, book: xw.Book, progress: Callable[[str], None] | None = None):
        self.book = book
        self.path = Path(book.fullname)
        self.progress = progress or self._status_bar
        self._frames: dict[str, TableFrame] = {}
        self._tables: dict[str, xw.main.Table] = {}

    def _status_bar(self, text: str) -> None:
        self.book.app.status_bar = text

    # -- reading ---------------------------------------------------------------------------
    def has_table(self, spec: schema.Table) -> bool:
        """True when the workbook has the table (a master from an older gendan may lack newer ones)."""
        return any(t.name.lower() == spec.name.lower() for sheet in self.book.sheets for t in sheet.tables)

    def read(self, spec: schema.Table) -> TableFrame:
        """A table's gendan fields, indexed by sheet row (read your writes, like the file)."""
        if spec.key in self._frames:
            return self._frames[spec.key]
        self.progress(f"读取 Reading {spec.sheet} …")
        table = self._table(spec)
        sheet = table.parent
        head = table.header_row_range

        def body() -> list[list]:
            rows = table.data_body_range
            return _cells(rows) if rows is not None else []

        tf = build_table_frame(spec, sheet=sheet.name, header_row=head.row, first_column=head.column,
                               headers=list(head.options(ndim=1).value),
                               add_columns=lambda missing: self._add_columns(table, missing),
                               read_body=body, file=self.path.name)
        self._frames[spec.key] = tf
        self._tables[spec.key] = table
        return tf

    def _add_columns(self, table: xw.main.Table, fields: list[schema.Field]) -> dict[str, int]:
        """A master from an older gendan lacks newer fields: add them at the table's right end,
        provided the sheet cells there are empty (a user's data is never overwritten)."""
        whole = table.range
        sheet, last_col = whole.sheet, whole.last_cell.column
        right = sheet.range((whole.row, last_col + 1), (whole.last_cell.row, last_col + len(fields)))
        if any(v is not None for row in right.options(ndim=2).value for v in row):
            raise GendanError("表格缺少新列，但右侧不是空列 the table lacks newer columns and the sheet "
                              "columns right of it are not empty", file=self.path, sheet=sheet.name,
                              value=", ".join(f.header for f in fields),
                              expected="empty columns right of the table (insert them, then run again)",
                              code=ErrorCode.TABLE_BLOCKED)
        right[0, :].value = [[_excel(f.header) for f in fields]]
        table.resize(sheet.range((whole.row, whole.column), right.last_cell))
        return {f.name: last_col + 1 + k for k, f in enumerate(fields)}

    def add_table(self, spec: schema.Table) -> None:
        """Add a table the book lacks (newer than the master) on a new sheet, the last one (in front of
        a config sheet): the header row and one blank row, as the file gets it."""
        sheets = self.book.sheets
        sheet = _new_sheet(sheets, spec.sheet)
        width = len(spec.fields)
        sheet.range((1, 1)).value = [[_excel(f.header) for f in spec.fields]]
        _apply_style(sheet.range((1, 1), (1, width)), "header")
        for col, f in enumerate(spec.fields, start=1):
            sheet.range((1, col)).column_width = f.width + 2
        sheet.tables.add(source=sheet.range((1, 1), (2, width)), name=spec.name)

    def sheet_names(self) -> list[str]:
        """The names of all worksheets, in order."""
        return [s.name for s in self.book.sheets]

    def sheet_columns(self, name: str, headers: list[str]) -> None:
        """No typed fast path in live Excel: ``sheet_rows`` is one bulk read already."""
        return None

    def sheet_rows(self, name: str) -> list[list]:
        """All values of a sheet, as the file reader gives them (rows from A1, '' for blanks,
        trailing blank rows and columns left out); [] when there is no such sheet. One bulk read."""
        sheet = next((s for s in self.book.sheets if s.name.lower() == name.lower()), None)
        if sheet is None:
            return []
        used = sheet.used_range
        rows = [["" if v is None else v for v in row] for row in _cells(used)]  # None: an error value
        width = max((i + 1 for row in rows for i, v in enumerate(row) if v != ""), default=0)
        while rows and all(v == "" for v in rows[-1]):
            rows.pop()
        if not rows:
            return []
        lead = [""] * (used.column - 1)
        blank = [""] * (used.column - 1 + width)
        return [list(blank) for _ in range(used.row - 1)] + [lead + row[:width] for row in rows]

    def _table(self, spec: schema.Table) -> xw.main.Table:
        for sheet in self.book.sheets:
            for table in sheet.tables:
                if table.name.lower() == spec.name.lower():
                    return table
        raise GendanError("不是 gendan 主工作簿：缺少表格 not a gendan master workbook: table missing",
                          file=self.path, sheet=spec.sheet, value=spec.name,
                          expected="an Excel Table named " + spec.name + " (create one with `gendan new`)",
                          code=ErrorCode.TABLE_MISSING)

    # -- writing ---------------------------------------------------------------------------
    def write(self, tf: TableFrame, frame: pd.DataFrame, fields: list[str],
              appended: pd.DataFrame | None = None) -> list[int]:
        """Write the changed cells of ``fields`` and append ``appended``; returns the new rows."""
        table = self._tables[tf.spec.key]
        sheet = table.parent
        self.progress(f"写入 Writing {sheet.name} …")
        new_rows: list[int] = []
        if appended is not None and len(appended):   # room first: a refusal leaves every cell as it was
            new_rows = list(range(tf.next_row, tf.next_row + len(appended)))
            _grow(table, new_rows[-1], self.path)
        for name in fields:
            new = frame[name]
            changed = ~same_values(tf.frame[name].reindex(new.index), new)
            _write_column(sheet, tf.columns[name], list(new.index[changed.to_numpy()]),
                          cell_values(new[changed]))
        if new_rows:
            for name in (n for n in tf.spec.names if n in appended.columns):
                col = tf.columns[name]
                number_format = STYLES[field_style(tf.spec.field(name))].number_format
                if number_format:
                    sheet.range((new_rows[0], col), (new_rows[-1], col)).number_format = number_format
                _write_column(sheet, col, new_rows, cell_values(appended[name]))
            tf.next_row += len(appended)
        remember(tf, frame, fields, appended, new_rows)
        return new_rows

    def replace_sheet(self, spec: SheetSpec) -> None:
        """Clear (or add) the generated sheet, then write its cells in one call and their formatting
        (fonts, fills, borders, number formats, alignment, widths, row heights, merges), its tab
        colour, print setup, frozen rows, filter buttons and charts (native Excel charts), as the file
        gets them.
        The sheet is cleared, not deleted: it keeps its code name.
        """
        self.progress(f"写入 Writing {spec.name} …")
        sheets = self.book.sheets
        old_rows = 0
        if spec.name.lower() in (s.name.lower() for s in sheets):
            sheet = sheets[spec.name]
            old_rows = sheet.used_range.last_cell.row
            sheet.clear()
        else:
            sheet = _new_sheet(sheets, spec.name)
        _row_heights(sheet, spec, max(old_rows, spec.last_row))
        _sheet_setup(sheet, spec)
        _freeze(sheet, spec.freeze_row)
        if spec.cells:
            last_col = max(c for _, c in spec.cells)
            grid = [[None] * last_col for _ in range(spec.last_row)]
            for (r, c), (value, _) in spec.cells.items():
                grid[r - 1][c - 1] = "=" + value.text.lstrip("=") if isinstance(value, Formula) else _excel(value)
            sheet.range((1, 1)).value = grid
            for (r1, c1, r2, c2), style in _style_blocks(spec):
                _apply_style(sheet.range((r1, c1), (r2, c2)), style)
        for col, width in spec.widths.items():
            sheet.range((1, col)).column_width = width
        for merged in spec.merges:
            sheet.range(merged).merge()
        _filter_buttons(sheet, spec.auto_filter)
        place_charts(sheet, spec.charts)

    def lay_out_table(self, tf: TableFrame, widths: dict[str, float]) -> None:
        """As the file (``table_layout``), with what Excel's object model tells: a gendan column still at
        Excel's standard width or a width an older gendan gave it is widened to ``widths`` (never
        narrowed: Excel does not say whether gendan or the user set a width); a sheet whose print
        setup is Excel's default gets landscape, one page wide, the header row on every page."""
        sheet = self._tables[tf.spec.key].parent
        standard = sheet.api.StandardWidth
        for name, width in widths.items():
            column = sheet.range((1, tf.columns[name]))
            if column.column_width in {standard, *legacy_widths(tf.spec, name)} and width > column.column_width:
                column.column_width = width
        setup = sheet.page_setup.api
        if (setup.LeftHeader, setup.RightHeader) == (page_header(sheet.name)[0], "&D"):   # an older gendan's
            setup.RightHeader = ""
        if (setup.Orientation, setup.Zoom, setup.PrintTitleRows, setup.LeftHeader, setup.CenterFooter) != (
                XL_PORTRAIT, 100, "", "", ""):
            return
        _page_setup(sheet, landscape=True, title=sheet.name, title_rows=(tf.header_row, tf.header_row))

    def put_rows(self, name: str, header: list, start: int, rows: list[list], styles: list[str]) -> None:
        """Write a hidden data sheet (the refresh history): see ``Workbook.put_rows``. The rows from
        ``start`` on are cleared, then written in one call per block, with their number formats."""
        sheets = self.book.sheets
        sheet = next((s for s in sheets if s.name.lower() == name.lower()), None)
        if sheet is None:
            sheet = _new_sheet(sheets, name)
            sheet.visible = False
        used = sheet.used_range.last_cell
        if used.row >= start:
            sheet.range((start, 1), (used.row, max(used.column, len(styles)))).clear_contents()
        sheet.range((1, 1)).value = [[_excel(v) for v in header]]
        _apply_style(sheet.range((1, 1), (1, len(header))), "header")
        if not rows:
            return
        last = start + len(rows) - 1
        for col, style in enumerate(styles, start=1):
            number_format = STYLES[style].number_format if style else None
            if number_format:
                sheet.range((start, col), (last, col)).number_format = number_format
        sheet.range((start, 1)).value = [[_excel(v) for v in row] for row in rows]

    def save(self, path=None) -> None:
        """Save the book in Excel (``Book.save``); Excel keeps no backup, so None is returned."""
        self.progress("保存 Saving …")
        self.book.save(path)


def _new_sheet(sheets: xw.main.Sheets, name: str) -> xw.Sheet:
    """A new sheet, the last one, or in front of the config sheet when the book has one (as the file)."""
    config = next((s for s in sheets if s.name.lower() == CONFIG_SHEET), None)
    return sheets.add(name, before=config) if config is not None else sheets.add(name, after=sheets[len(sheets) - 1])


def _row_heights(sheet: xw.Sheet, spec: SheetSpec, last_row: int) -> None:
    """Every row up to ``last_row`` as tall as the file makes it (Excel's Clear keeps old heights),
    one call per run of rows of one height."""
    start = 1
    for row in range(1, last_row + 1):
        height = spec.heights.get(row, DEFAULT_HEIGHT)
        if row == last_row or spec.heights.get(row + 1, DEFAULT_HEIGHT) != height:
            sheet.range((start, 1), (row, 1)).row_height = height
            start = row + 1


def _sheet_setup(sheet: xw.Sheet, spec: SheetSpec) -> None:
    """Tab colour and print setup as in the file, through Excel's object model (xlwings' own API
    covers only the print area): landscape, fit to the page width, title rows, header and footer,
    margins, page breaks."""
    api = sheet.api
    if spec.tab_color:
        api.Tab.Color = bgr(spec.tab_color)
    _page_setup(sheet, landscape=spec.landscape, title=spec.header, dated=spec.header_right,
                title_rows=spec.print_title_rows, fit_width=spec.fit_width, paper=XL_PAPER_A4)
    api.ResetAllPageBreaks()
    for row in spec.row_breaks:
        api.HPageBreaks.Add(sheet.range((row + 1, 1)).api)


def _page_setup(sheet: xw.Sheet, *, landscape: bool, title: str, title_rows: tuple[int, int] | None,
                dated: str = "", fit_width: bool = True, paper: int | None = None) -> None:
    """Orientation, paper, one page wide, title rows, the title and the as-of date (``dated``,
    yyyy-mm-dd, when there is one) atop, page X of N below, margins."""
    setup = sheet.page_setup.api
    setup.Orientation = XL_LANDSCAPE if landscape else XL_PORTRAIT
    if paper:
        setup.PaperSize = paper
    if fit_width:
        setup.Zoom = False
        setup.FitToPagesWide = 1
        setup.FitToPagesTall = False
    setup.PrintTitleRows = f"${title_rows[0]}:${title_rows[1]}" if title_rows else ""
    setup.LeftHeader, setup.RightHeader = page_header(title, dated)
    setup.CenterFooter = PAGE_OF
    for side, inches in MARGINS.items():
        setattr(setup, side, inches * 72)


def _filter_buttons(sheet: xw.Sheet, ref: str | None) -> None:
    """Filter buttons on ``ref`` (none: off), as the file's autoFilter. The sheet's old buttons go
    first: Excel's Clear keeps them, and Range.AutoFilter without arguments switches them off when on."""
    if sheet.api.AutoFilterMode:
        sheet.api.AutoFilterMode = False
    if ref:
        sheet.range(ref).api.AutoFilter()


def _freeze(sheet: xw.Sheet, rows: int | None) -> None:
    """Freeze the top ``rows`` rows (none: unfreeze). Panes belong to the workbook's window, so the
    sheet is shown for a moment (scrolled to the top, where the split is counted from), then the
    sheet the user was on is shown again (Excel's Activate: no focus taken from other programs)."""
    book = sheet.book
    shown = book.sheets.active
    sheet.api.Activate()
    window = book.api.Windows(1)
    window.FreezePanes = False
    window.ScrollRow = window.ScrollColumn = 1
    window.SplitColumn = 0
    window.SplitRow = rows or 0
    window.FreezePanes = bool(rows)
    shown.api.Activate()


def _cells(rng: xw.Range) -> list[list]:
    """A block's values in one read, typed as the file reader (python-calamine) gives them:
    '' for blanks, a date for a whole day, a datetime otherwise (error values come as None)."""
    return rng.options(ndim=2, dates=_calamine_date, empty="").value


def _calamine_date(year, month, day, hour=0, minute=0, second=0, microsecond=0, **_):
    """xlwings' date builder: a whole day as ``date`` (as calamine reads it), else a ``datetime``."""
    if hour == minute == second == microsecond == 0:
        return dt.date(year, month, day)
    return dt.datetime(year, month, day, hour, minute, second, microsecond)


def _excel(value):
    """A Python value as written to a cell: text behind the quote prefix (cut to what a cell holds),
    dates as datetime."""
    if isinstance(value, str):
        return QUOTE_PREFIX + fit_cell(value) if value else None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def _write_column(sheet: xw.Sheet, col: int, rows: list[int], values: list) -> None:
    """Write values to (row, col) cells, one bulk write per run of consecutive rows."""
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i] != rows[i - 1] + 1:
            block = sheet.range((int(rows[start]), col), (int(rows[i - 1]), col))
            block.value = [[_excel(v)] for v in values[start:i]]
            start = i


def _grow(table: xw.main.Table, last_row: int, path) -> None:
    """Resize the ListObject down to ``last_row`` (it never shrinks); GendanError, nothing written, when
    the rows it must take below it are not empty (a user's note, rows cut off the table)."""
    whole = table.range
    if last_row <= whole.last_cell.row:
        return
    below = whole.sheet.range((whole.last_cell.row + 1, whole.column), (last_row, whole.last_cell.column))
    for r, row in enumerate(below.options(ndim=2).value, start=whole.last_cell.row + 1):
        for c, value in enumerate(row, start=whole.column):
            if value is not None and value != "":
                raise GendanError(
                    f"表格下方不是空行 the rows below the table {table.name} are not empty: it must grow for the "
                    "new lines and would write over this cell; nothing was written", file=path,
                    sheet=whole.sheet.name, row=r, column=col_letter(c), value=value,
                    expected="empty rows below the table (move what is there elsewhere), then run again",
                    code=ErrorCode.TABLE_BLOCKED)
    table.resize(whole.sheet.range((whole.row, whole.column), (last_row, whole.last_cell.column)))


def _style_blocks(spec: SheetSpec) -> list[tuple[tuple[int, int, int, int], str]]:
    """Rectangles of one style covering the cells: runs along each row, stacked while rows repeat."""
    runs: dict[int, list[tuple[int, int, str]]] = {}
    for (row, col), (_, style) in sorted(spec.cells.items()):
        row_runs = runs.setdefault(row, [])
        if row_runs and row_runs[-1][1] == col - 1 and row_runs[-1][2] == style:
            row_runs[-1] = (row_runs[-1][0], col, style)
        else:
            row_runs.append((col, col, style))
    blocks, started = [], {}
    for row in range(1, spec.last_row + 2):
        current = set(runs.get(row, ()))
        for run in [run for run in started if run not in current]:
            blocks.append(((started.pop(run), run[0], row - 1, run[1]), run[2]))
        for run in current:
            started.setdefault(run, row)
    return blocks


def _apply_style(rng: xw.Range, name: str) -> None:
    """Set a named style's font, fill, border, number format and alignment on a range."""
    style = STYLES[name]
    rng.font.bold = style.bold
    rng.font.size = style.size
    rng.font.color = _hex(style.color)
    if style.fill:
        rng.color = _hex(style.fill)
    if style.border:
        rng.borders.set("all", line_style="continuous", weight="thin", color=_hex(style.border))
    if style.number_format:
        rng.number_format = style.number_format
    if style.wrap:
        rng.wrap_text = True
    if style.horizontal:
        rng.horizontal_alignment = style.horizontal
    if style.vertical:
        rng.vertical_alignment = style.vertical


def _hex(argb: str) -> str:
    """An ARGB colour (``FF305496``) as xlwings takes it (``#305496``)."""
    return "#" + argb[2:]
