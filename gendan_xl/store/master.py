"""The master workbook file: read tables as DataFrames, write back only what changed.

This is the one module every write goes through. Tables are read as typed columns (fastexcel), or
cell by cell with python-calamine when a column mixes types; writes patch the cells of the columns
gendan owns, resize tables, replace generated sheets, and copy every other part of the file
unchanged (VBA, ribbon, user sheets, user columns, formulas, formats).
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from itertools import repeat
from pathlib import Path

import pandas as pd
import python_calamine

from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.sheets.cells import col_letter, make_range, serials_1904
from gendan_xl.ooxml.package import REL_VBA_PROJECT, WORKBOOK_ORDER, Package
from gendan_xl.ooxml.zip_writer import deflate
from gendan_xl.store.sheet_head import code_name, extend_sqrefs, with_code_name
from gendan_xl.store.sheet_patch import first_filled, last_row, move_rows_down, patch_cells, patch_columns, replace_rows
from gendan_xl.sheets.sheet_render import PRINT_TITLES, SheetSpec, print_titles_ref, render_sheet
from gendan_xl.sheets.styles import STYLES
from gendan_xl.store.chart_parts import place_charts
from gendan_xl.model.values import is_blank, same_values
from gendan_xl.store.fast_read import open_reader, typed_columns, typed_sheet
from gendan_xl.ooxml.formula_cells import unvalued_formulas
from gendan_xl.ooxml.styles_part import StyleBook
from gendan_xl.store.table_frame import TableFrame, build_table_frame, cell_values, field_style, remember
from gendan_xl.store.tables import TablePart, add_table_columns, find_tables, new_table_part, resize_table, table_sheet_xml
from gendan_xl.ooxml.xml_guard import check_no_doctype
from gendan_xl.sheets.table_layout import legacy_widths
from gendan_xl.store.table_sheet_layout import drop_printed_date, fit_columns, has_print_setup, set_print_setup
from gendan_xl.ooxml.xml_part import NS_MAIN, XmlError, child, q, split_sheet

__all__ = ["CONFIG_SHEET", "MasterWorkbook", "TableFrame"]

# xlwings' settings sheet of a macro-enabled master (xlsm/master_xlsm.py writes it): sheets gendan
# adds go in front of it, so it stays the last sheet.
CONFIG_SHEET = "xlwings.conf"

_EMPTY_SHEET = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<dimension ref="A1"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
                b'<sheetFormatPr defaultRowHeight="15"/><sheetData/></worksheet>')


STRICT_NAMESPACE = b"http://purl.oclc.org/ooxml/"   # ISO/IEC 29500 Strict: every part's namespaces differ


def _refuse_strict(package: Package, path: Path) -> None:
    """A workbook saved as Excel's "Strict Open XML Spreadsheet" is refused with how to save it normally."""
    if STRICT_NAMESPACE in package.head("_rels/.rels"):
        raise GendanError("工作簿是 Strict Open XML 格式 the workbook is saved as Strict Open XML, which gendan "
                          "does not edit; 请在 Excel 中另存为 in Excel use File → Save As → \"Excel Workbook "
                          "(*.xlsx)\" (or \"Excel Macro-Enabled Workbook (*.xlsm)\"), then run gendan on that file",
                          file=path, code=ErrorCode.WRONG_FILE_TYPE)


def _uses_1904(package: Package) -> bool:
    """Whether the workbook counts dates from 1904 (``<workbookPr date1904="1"/>``, old Mac Excel)."""
    pr = package.xml("xl/workbook.xml").root.find(q(NS_MAIN, "workbookPr"))
    return pr is not None and pr.get("date1904", "").strip().lower() in ("1", "true")


class MasterWorkbook:
    """An opened master workbook (xlsx or xlsm)."""

    def __init__(self, path, *, prefetch: tuple[schema.Table, ...] = ()):
        """``prefetch``: tables to start reading (typed, with fastexcel) in the background thread at once,
        one after the other in the order given, while the caller reads and computes others: a large
        Milestones table reads at no cost on a second core. Their formulas without a value are found
        after every parse, by the thread or, when it has not begun, by ``read`` itself: a table read
        early does not hold up the parse of the next."""
        self.path = Path(path)
        if self.path.suffix.lower() not in (".xlsx", ".xlsm"):
            raise GendanError("主工作簿必须是 .xlsx 或 .xlsm the master workbook must be .xlsx or .xlsm",
                              file=self.path, code=ErrorCode.WRONG_FILE_TYPE)
        self.package = Package(self.path)
        check_no_doctype(self.package, self.path)
        _refuse_strict(self.package, self.path)
        self.date1904 = _uses_1904(self.package)   # dates written as this workbook counts them
        self._tables = find_tables(self.package)   # lower-cased table name -> its table part
        self._sheets: dict[str, bytes] = {}
        self._styles: StyleBook | None = None
        self._reader = None
        self._fast = None
        self._values: dict[str, list[list]] = {}
        self._frames: dict[str, TableFrame] = {}
        self._deflating: dict[str, tuple[bytes, Future]] = {}   # sheet -> (its XML, that XML deflated)
        # one thread does the background work (reading ahead, deflating written sheets) in the order asked:
        # several at once would take the caller's core from its own reading and writing
        self._background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gendan-background")
        ahead = [spec for spec in prefetch if self.has_table(spec)]
        self._prefetched: dict[str, Future] = {spec.key: self._background.submit(self._read_ahead, spec)
                                               for spec in ahead}
        self._formulas_ahead: dict[str, Future] = {spec.key: self._background.submit(self._find_formulas, spec)
                                                   for spec in ahead}

    # -- reading ---------------------------------------------------------------------------
    def table_part(self, spec: schema.Table) -> TablePart:
        """The table's part in this file (the file's own: a TableFrame carries no OOXML)."""
        part = self._tables.get(spec.name.lower())
        if part is None:
            raise GendanError("不是 gendan 主工作簿：缺少表格 not a gendan master workbook: table missing",
                              file=self.path, sheet=spec.sheet, value=spec.name,
                              expected="an Excel Table named " + spec.name + " (create one with `gendan new`)",
                              code=ErrorCode.TABLE_MISSING)
        return part

    def has_table(self, spec: schema.Table) -> bool:
        """True when the workbook has the table (a master from an older gendan may lack newer ones)."""
        return spec.name.lower() in self._tables

    def read(self, spec: schema.Table) -> TableFrame:
        """Read a table's gendan fields; user columns are left out (and left alone on write).

        A table written earlier through this object is returned as written (read your writes).
        """
        if spec.key in self._frames:
            return self._frames[spec.key]
        part = self.table_part(spec)
        c1, r1, r2 = part.bounds[0], part.bounds[1], part.data_last   # the total row is not a line

        def body() -> list[list]:
            rows = self._sheet_values(part.sheet.name, r1 + 1, r2)
            return rows if c1 == 1 else [row[c1 - 1:] for row in rows]

        ahead = self._prefetched.pop(spec.key, None)
        if ahead is not None and ahead.cancel():   # not begun: read here, not after the reads queued before it
            ahead = None
        columns = ahead.result() if ahead is not None else None
        found = self._formulas_ahead.pop(spec.key, None)   # not begun: found here, below
        formulas = found.result() if found is not None and not found.cancel() else None
        tf = build_table_frame(spec, sheet=part.sheet.name, header_row=r1, first_column=c1, headers=part.columns,
                               add_columns=lambda missing: self._add_columns(part, missing), read_body=body,
                               read_columns=lambda: columns if ahead is not None else typed_columns(
                                   self._typed_reader(), part, spec),
                               file=self.path.name, date1904=self.date1904)
        fields = {column: name for name, column in tf.columns.items()}
        saved = self._sheets.get(part.sheet.name)   # read, not cached: a sheet only read is not saved again
        if saved is not None or formulas is None:
            formulas = unvalued_formulas(saved if saved is not None else self.package.get(part.sheet.part))
        tf.unknown = [(r, fields[c], formula) for r, c, formula in formulas if r1 < r <= r2 and c in fields]
        self._frames[spec.key] = tf
        return tf

    def _add_columns(self, part: TablePart, fields: list[schema.Field]) -> dict[str, int]:
        """A master from an older gendan lacks newer fields: add them at the table's right end,
        provided the sheet cells there are empty (a user's data is never overwritten)."""
        c1, r1, c2, r2 = part.bounds
        values = self._sheet_values(part.sheet.name, r1, r2)
        taken = [row[c2 + k] for row in values for k in range(len(fields)) if c2 + k < len(row)]
        if not all(map(is_blank, taken)):
            raise GendanError("表格缺少新列，但右侧不是空列 the table lacks newer columns and the sheet "
                              "columns right of it are not empty", file=self.path, sheet=part.sheet.name,
                              value=", ".join(f.header for f in fields),
                              expected="empty columns right of the table (insert them, then run again)",
                              code=ErrorCode.TABLE_BLOCKED)
        added = add_table_columns(self.package, part, [f.header for f in fields])
        header = self._style_id("header")
        with self._parsing(part.sheet.name):
            xml = patch_cells(self._sheet_xml(part.sheet.name), {r1: {c: (f.header, header)
                                                                     for c, f in zip(added, fields)}})
        self._sheets[part.sheet.name] = xml
        return {f.name: c for c, f in zip(added, fields)}

    def sheet_names(self) -> list[str]:
        """The names of all worksheets, in order."""
        return [s.name for s in self.package.sheets]

    def add_table(self, spec: schema.Table) -> None:
        """Add a newer table a master from an older gendan lacks: a sheet of its own (the last one)
        holding the header row and one blank row, frozen below the header, printed landscape."""
        with self._parsing(spec.sheet):
            code = self._new_code_name()
            sheet = self.package.add_sheet(spec.sheet, b"", before=CONFIG_SHEET)
            part, n = new_table_part(self.package, sheet, spec)
            header = self._style_id("header")
            xml = table_sheet_xml(spec, header, self.package.relationships(sheet.part)[-1]["Id"])
            self._sheets[spec.sheet] = with_code_name(xml, code) if code else xml
        ref = make_range(1, 1, len(spec.fields), 2)
        self._tables[spec.name.lower()] = TablePart(spec.name, sheet, part, ref, [f.header for f in spec.fields])
        self._values[spec.sheet] = [[f.header for f in spec.fields]]
        self.package.set_sheet_name(PRINT_TITLES, spec.sheet, f"'{spec.sheet}'!$1:$1")

    def sheet_rows(self, name: str) -> list[list]:
        """All cell values of a sheet as saved (e.g. an earlier generated sheet); [] if none."""
        if not self.package.has_sheet(name):
            return []
        return self._all_values(name)

    def sheet_columns(self, name: str, headers: list[str]) -> pd.DataFrame | None:
        """A plain data sheet's columns under ``headers`` as typed columns, indexed by sheet row:
        see ``Workbook.sheet_columns``. Read with fastexcel from the file as saved."""
        if not self.package.has_sheet(name):
            return None
        columns = typed_sheet(self._typed_reader(), name, headers)
        last = last_row(self.package.get(self.package.sheet(name).part))
        if columns is None or len(columns[0]) != last - 1:   # the header is not in row 1: read the cells
            return None
        return pd.DataFrame(dict(zip(headers, columns)), index=pd.RangeIndex(2, last + 1))

    def _read_ahead(self, spec: schema.Table) -> list | None:
        """In the background thread: the table's typed columns (``fast_read.typed_columns``, with a
        reader of its own)."""
        return typed_columns(open_reader(self.path), self.table_part(spec), spec)

    def _find_formulas(self, spec: schema.Table) -> list | None:
        """In the background thread: the formulas without a value of the table's sheet (None: the part
        did not inflate; ``read`` meets it again in its turn and names it)."""
        try:
            return unvalued_formulas(self.package.get(self.table_part(spec).sheet.part))
        except (GendanError, KeyError):
            return None

    def _typed_reader(self):
        if self._fast is None:
            self._fast = open_reader(self.path) or False   # False: tried, use the cell-by-cell reader
        return self._fast or None

    def _open_reader(self) -> None:
        if self._reader is None:
            try:
                self._reader = python_calamine.CalamineWorkbook.from_path(str(self.path))
            except Exception as exc:  # calamine raises its own error types for bad files
                raise GendanError(f"工作簿无法读取 workbook cannot be read ({exc})", file=self.path,
                                  code=ErrorCode.BAD_WORKBOOK) from exc

    def _sheet_values(self, sheet: str, first_row: int, last_row: int) -> list[list]:
        values = self._all_values(sheet)
        return [values[r - 1] if r - 1 < len(values) else [] for r in range(first_row, last_row + 1)]

    def _all_values(self, sheet: str) -> list[list]:
        """Every cell value of a sheet as saved, read once."""
        if sheet not in self._values:
            self._open_reader()
            try:
                self._values[sheet] = self._reader.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            except Exception as exc:   # calamine's own error types: a damaged part is named by the package
                self.package.get(self.package.sheet(sheet).part)
                raise GendanError(f"工作表无法读取 sheet cannot be read ({exc})", file=self.path, sheet=sheet,
                                  code=ErrorCode.BAD_WORKBOOK) from exc
        return self._values[sheet]

    # -- writing ---------------------------------------------------------------------------
    def write(self, tf: TableFrame, frame: pd.DataFrame, fields: list[str],
              appended: pd.DataFrame | None = None) -> list[int]:
        """Write ``fields`` of ``frame`` (indexed by Excel row) and append ``appended`` rows.

        Only cells whose value differs from what was read are rewritten. Returns the Excel rows
        given to the appended lines, in order.
        """
        columns: dict[int, dict[int, tuple]] = {}
        for name in fields:
            style = self._style_id(field_style(tf.spec.field(name)))
            new = frame[name]
            changed = ~same_values(tf.frame[name].reindex(new.index), new).to_numpy()
            if changed.any():
                columns[tf.columns[name]] = dict(zip(new.index[changed].tolist(),
                                                     zip(self._cell_values(new[changed]), repeat(style))))
        new_rows: list[int] = []
        if appended is not None and len(appended):   # computed columns get a cell: a refresh finds it in place
            new_rows = list(range(tf.next_row, tf.next_row + len(appended)))
            for name in tf.spec.names:
                if name not in appended.columns and tf.spec.field(name).owner != schema.COMPUTED:
                    continue
                style = self._style_id(field_style(tf.spec.field(name)))
                values = self._cell_values(appended[name]) if name in appended.columns else repeat(None)
                columns.setdefault(tf.columns[name], {}).update(zip(new_rows, zip(values, repeat(style))))
            tf.next_row += len(appended)
        remember(tf, frame, fields, appended, new_rows)
        if not columns:
            return new_rows
        part = self.table_part(tf.spec)
        sheet = part.sheet
        grow = new_rows[-1] - part.data_last if new_rows else 0
        if grow > 0:
            self._refuse_occupied(part, grow)
        with self._parsing(sheet.name):
            xml = self._sheet_xml(sheet.name)
            c1, r1, c2, r2 = part.bounds
            if grow > 0 and part.totals:   # the total row stays the last row: new lines go above it
                xml = move_rows_down(xml, part.data_last + 1, r2, grow)
            xml = patch_columns(xml, columns)
            if grow > 0:
                data_last = part.data_last
                resize_table(self.package, part, new_rows[-1])
                xml = extend_sqrefs(xml, make_range(c1, r1 + 1, c2, data_last),
                                    make_range(c1, r1 + 1, c2, new_rows[-1]))
        self._sheets[sheet.name] = xml
        if len(xml) > _DEFLATE_EARLY:   # a large table sheet is deflated on another core while the action goes on
            self._deflating[sheet.name] = (xml, self._background.submit(deflate, sheet.part, xml))
        return new_rows

    def _refuse_occupied(self, part: TablePart, grow: int) -> None:
        """GendanError when the ``grow`` rows the table must take below it hold anything (a user's
        note, a formula, rows cut off the table): nothing outside a table gendan owns is written."""
        c1, _, c2, r2 = part.bounds
        with self._parsing(part.sheet.name):
            found = first_filled(self._sheet_xml(part.sheet.name), r2 + 1, r2 + grow, c1, c2)
        if found:
            r, c = found
            row = self._sheet_values(part.sheet.name, r, r)[0]
            raise GendanError(
                f"表格下方不是空行 the rows below the table {part.name} are not empty: it must grow by "
                f"{grow} row(s) for the new lines and would write over this cell; nothing was written",
                file=self.path, sheet=part.sheet.name, row=r, column=col_letter(c),
                value=row[c - 1] if c - 1 < len(row) else None,
                expected=f"empty rows below the table (move what is in row {r} elsewhere, or insert "
                         f"{grow} empty row(s) under the table), then run again", code=ErrorCode.TABLE_BLOCKED)

    def _cell_values(self, series: pd.Series) -> list:
        """``cell_values`` of a column, dates as this workbook's serials when it counts from 1904."""
        values = cell_values(series)
        return serials_1904(values) if self.date1904 else values

    def replace_sheet(self, spec: SheetSpec) -> None:
        """Write a generated sheet (weekly report, reconciliation): replaced whole, or added.

        The sheet keeps its code name (the link to its VBA document module); a sheet added to a
        workbook with VBA gets a new one, as Excel would give it."""
        with self._parsing(spec.name):
            if self.package.has_sheet(spec.name):
                name = code_name(self._sheet_xml(spec.name))
            else:
                name = self._new_code_name()
                self.package.add_sheet(spec.name, b"", before=CONFIG_SHEET)
        part = self.package.sheet(spec.name).part
        rid = place_charts(self.package, part, spec.name, spec.charts) if spec.charts else None
        if self.date1904:
            cells = list(spec.cells.items())
            shown = serials_1904([value for _, (value, _) in cells])
            spec = replace(spec, cells={at: (value, style) for (at, (_, style)), value in zip(cells, shown)})
        xml = render_sheet(spec, self.styles.index, drawing_rid=rid).encode("utf-8")
        self._sheets[spec.name] = with_code_name(xml, name) if name else xml
        self.package.set_sheet_name(PRINT_TITLES, spec.name, print_titles_ref(spec))

    def put_rows(self, name: str, header: list, start: int, rows: list[list], styles: list[str]) -> None:
        """Write a hidden data sheet (the refresh history): see ``Workbook.put_rows``."""
        with self._parsing(name):
            if not self.package.has_sheet(name):   # a new sheet of a VBA workbook gets a code name
                code = self._new_code_name()
                self.package.add_sheet(name, with_code_name(_EMPTY_SHEET, code) if code else _EMPTY_SHEET,
                                       before=CONFIG_SHEET)
                self.package.hide_sheet(name)
            ids = [self._style_id(s) if s else None for s in styles]
            if self.date1904:
                rows = [serials_1904(row) for row in rows]
            self._sheets[name] = replace_rows(self._sheet_xml(name), start, rows, ids, header,
                                              self._style_id("header"))

    @contextmanager
    def _parsing(self, sheet: str):
        """A sheet whose XML cannot be edited is a clear error naming the file and the sheet."""
        try:
            yield
        except XmlError as exc:
            raise GendanError(f"工作表无法编辑 the sheet cannot be edited ({exc})", file=self.path,
                              sheet=sheet, code=exc.code) from exc

    def _new_code_name(self) -> str | None:
        """``SheetN`` not used by any sheet, when the workbook has a VBA project (else None)."""
        if not any(r.get("Type") == REL_VBA_PROJECT for r in self.package.relationships("xl/workbook.xml")):
            return None
        taken = {(code_name(self._sheet_xml(s.name)) or "").lower() for s in self.package.sheets}
        n = 1
        while f"sheet{n}" in taken:
            n += 1
        return f"Sheet{n}"

    @property
    def styles(self) -> StyleBook:
        if self._styles is None:
            self._styles = StyleBook(self.package.get("xl/styles.xml"))
        return self._styles

    def _style_id(self, name: str) -> int:
        """The cellXfs index of a named style (``styles.STYLES``) in this workbook."""
        return self.styles.index(STYLES[name])

    def _sheet_xml(self, name: str) -> bytes:
        if name not in self._sheets:
            self._sheets[name] = self.package.get(self.package.sheet(name).part)
        return self._sheets[name]

    def lay_out_table(self, tf: TableFrame, widths: dict[str, float]) -> None:
        """Widths of gendan's columns and the print setup of the table's sheet, where they are
        gendan's to set (the rule in ``table_layout``); the header row repeated on printed pages."""
        sheet = tf.sheet
        with self._parsing(sheet):
            xml = split_sheet(self._sheet_xml(sheet))
            root = xml.part.root
            wanted = {tf.columns[n]: (w, legacy_widths(tf.spec, n)) for n, w in widths.items() if n in tf.columns}
            changed = fit_columns(root, wanted)
            changed = drop_printed_date(root, sheet) or changed
            if not has_print_setup(root) and self.package.sheet_name_value(PRINT_TITLES, sheet) is None:
                set_print_setup(root, sheet)
                self.package.set_sheet_name(PRINT_TITLES, sheet, "'" + sheet.replace("'", "''")
                                            + f"'!${tf.header_row}:${tf.header_row}")
                changed = True
            if changed:
                self._sheets[sheet] = xml.tobytes()

    def save(self, path=None) -> Path | None:
        """Save atomically (backup of the previous version beside it); returns the backup path."""
        for name, xml in self._sheets.items():
            early = self._deflating.get(name)
            self.package.put(self.package.sheet(name).part, xml, early[1] if early and early[0] is xml else None)
        if self._styles is not None and self._styles.changed:
            self.package.put("xl/styles.xml", self._styles.xml())
        _full_calc_on_load(self.package)
        return self.package.save(path)


_DEFLATE_EARLY = 8 << 20   # bytes of sheet XML worth deflating in the background as soon as written


def _full_calc_on_load(package: Package) -> None:
    """Ask Excel to recalculate user formulas that read the values we wrote."""
    workbook = package.xml("xl/workbook.xml")
    calc = child(workbook.root, "calcPr", WORKBOOK_ORDER)
    if calc.get("fullCalcOnLoad") in ("1", "true"):
        return
    calc.attrib.setdefault("calcId", "191029")
    calc.set("fullCalcOnLoad", "1")
    package.put_xml("xl/workbook.xml", workbook)
