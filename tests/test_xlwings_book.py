"""The live-Excel workbook (XlwingsWorkbook) against the file (MasterWorkbook): same actions, same cells.

The live side runs on tests/xlwings_memory_engine.py, an xlwings engine registered like xlwings'
own, so every read and write goes through xlwings' real Range and conversion pipeline.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
import python_calamine
import xlwings as xw
from openpyxl.worksheet.table import TableColumn

from conftest import AS_OF
from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.rules import reconcile as recon
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.store.master import MasterWorkbook
from gendan_xl.sheets.reconcile_sheet import RESOLUTION, sheet_name
from gendan_xl.sheets.report_sheet import REPORT_SHEET
from gendan_xl.sheets.sheet_render import Formula, SheetSpec
from gendan_xl.sheets.ta_sheet import TA_SHEET
from gendan_xl.store.xlwings_book import XlwingsWorkbook
from gendan_xl.model.flags import Flag
from gendan_xl.model.statuses import ReconStatus
from xlwings_memory_engine import open_book

LATER = AS_OF + dt.timedelta(days=7)  # a new as-of date, so refresh has values to change
TRICKY = ['=HYPERLINK("http://evil.example","click")', "00123", "- rush", "+86 21 5555", "@mention",
          "TRUE", "2026-01-05", "1,200", "'quoted", "50%"]
ORDERS_CSV = (
    "PO No.,Line,Customer,Style,Description,Supplier,Qty,Due date,ETA,Remarks,Supplier remarks\n"
    "PO-260001,1,,,,,,,,"
    "客户催货 customer chasing,\n"
    'PO-NEW-1,1,Acme,00123,- rush,Saigon Garment JSC,100,2026-12-20,2026-12-18,"=HYPERLINK(""http://x"",""y"")",TRUE\n'
    "PO-NEW-1,2,Acme,ST-2,@mention,Saigon Garment JSC,200,2026-12-22,,+86 21 5555,2026-01-05\n"
)


def open_as(kind: str, path):
    return MasterWorkbook(path) if kind == "file" else XlwingsWorkbook(open_book(path))


def reopened(kind: str, wb, path):
    """A new reader of what ``wb`` holds now (nothing cached)."""
    return MasterWorkbook(path) if kind == "file" else XlwingsWorkbook(wb.book)


def file_cells(path, sheet: str) -> dict:
    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    return {(r, c): _plain(v) for r, row in enumerate(rows, 1) for c, v in enumerate(row, 1) if v != ""}


def live_cells(book, sheet: str) -> dict:
    return {cell: _plain(v) for cell, v in book.sheets[sheet].impl.values.items()}


def _plain(value):
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


@pytest.fixture(params=["file", "xlwings"])
def kind(request) -> str:
    return request.param


# --- the same actions on both implementations -----------------------------------------------

def test_refresh_writes_flags_and_report(kind, demo_master):
    wb = open_as(kind, demo_master)
    summary = actions.refresh(wb, as_of=LATER)
    orders = reopened(kind, wb, demo_master).read(schema.ORDERS).frame
    counts = orders["flag"].map(Flag.read).value_counts().to_dict()
    assert counts == {code: n for code, n in summary.counts.items() if n}
    assert orders["why"].notna().all() and orders["slack_wd"].notna().sum() > 200
    assert summary.as_of == LATER.isoformat()


def test_load_orders_appends_and_logs(kind, demo_master, tmp_path):
    source = tmp_path / "orders.csv"
    source.write_text(ORDERS_CSV, encoding="utf-8")
    wb = open_as(kind, demo_master)
    before = wb.read(schema.ORDERS)
    first_new = before.next_row
    summary = actions.load_orders(wb, source, as_of=LATER)
    assert (summary.added, summary.updated_lines, summary.issues) == (2, 1, 0)
    fresh = reopened(kind, wb, demo_master)
    orders = fresh.read(schema.ORDERS)
    assert list(orders.frame.index[-2:]) == [first_new, first_new + 1]
    new = orders.frame.loc[first_new]
    assert (new["style"], new["description"], new["remarks"], new["supplier_remarks"]) == (
        "00123", "- rush", '=HYPERLINK("http://x","y")', "TRUE")
    assert orders.frame.loc[first_new + 1, "supplier_remarks"] == "2026-01-05"
    assert orders.frame.loc[first_new, "due_date"] == pd.Timestamp("2026-12-20")
    assert orders.frame.loc[2, "remarks"] == "客户催货 customer chasing"
    log = fresh.read(schema.CHANGE_LOG).frame
    assert log["new"].tolist() == ["客户催货 customer chasing"]


def test_text_is_written_as_text_never_as_a_formula(kind, demo_master):
    wb = open_as(kind, demo_master)
    orders = wb.read(schema.ORDERS)
    rows = orders.frame.index[: len(TRICKY)]
    frame = orders.frame.copy()
    frame.loc[rows, "remarks"] = TRICKY
    wb.write(orders, frame, ["remarks"])
    appended = pd.DataFrame({"po_no": TRICKY, "line": "1", "due_date": [pd.Timestamp("2026-12-31")] * len(TRICKY)})
    new_rows = wb.write(orders, orders.frame, [], appended=appended)
    wb.save()
    fresh = reopened(kind, wb, demo_master).read(schema.ORDERS).frame
    assert fresh.loc[rows, "remarks"].tolist() == TRICKY
    assert fresh.loc[new_rows, "po_no"].tolist() == TRICKY
    assert (fresh.loc[new_rows, "due_date"] == pd.Timestamp("2026-12-31")).all()


def older_master(path, right_of_table=None) -> None:
    """Make ``path`` a master from an older gendan: tblOrders without its last column (Why)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[schema.ORDERS.sheet]
    table = ws.tables[schema.ORDERS.name]
    last = len(schema.ORDERS.fields)
    ws.delete_cols(last)
    table.ref = table.autoFilter.ref = f"A1:{openpyxl.utils.get_column_letter(last - 1)}{ws.max_row}"
    table.tableColumns = [TableColumn(id=c.id, name=c.name) for c in table.tableColumns[:-1]]
    if right_of_table:
        ws.cell(row=5, column=last, value=right_of_table)
    wb.save(path)


def test_an_older_master_gains_the_new_columns(kind, demo_master):
    older_master(demo_master)
    wb = open_as(kind, demo_master)
    actions.refresh(wb, as_of=LATER)
    orders = reopened(kind, wb, demo_master).read(schema.ORDERS)
    assert orders.columns["why"] == len(schema.ORDERS.fields)
    assert orders.frame["why"].notna().all()


def test_new_lines_never_overwrite_a_note_under_the_table(kind, demo_master, tmp_path):
    """A note typed right under 订单 Orders: the load that must grow the table stops, naming the cell."""
    wb = openpyxl.load_workbook(demo_master)
    ws = wb[schema.ORDERS.sheet]
    under = int(ws.tables[schema.ORDERS.name].ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) + 1
    ws.cell(under, 3, "备注 note")
    wb.save(demo_master)
    source = tmp_path / "orders.csv"
    source.write_text(ORDERS_CSV, encoding="utf-8")
    book = open_as(kind, demo_master)
    with pytest.raises(GendanError) as caught:
        actions.load_orders(book, source, as_of=LATER)
    assert (caught.value.sheet, caught.value.row, caught.value.column, caught.value.value) == (
        schema.ORDERS.sheet, under, "C", "备注 note")
    assert caught.value.code is ErrorCode.TABLE_BLOCKED
    assert reopened(kind, book, demo_master).read(schema.ORDERS).frame.loc[2, "remarks"] != "客户催货 customer chasing"


def test_new_columns_never_overwrite_cells_right_of_the_table(kind, demo_master):
    older_master(demo_master, right_of_table="my note")
    with pytest.raises(GendanError, match="原因 Why") as err:
        open_as(kind, demo_master).read(schema.ORDERS)
    assert err.value.code is ErrorCode.TABLE_BLOCKED


# --- the two implementations agree ---------------------------------------------------------

def test_refresh_gives_the_same_cells_in_excel_and_in_the_file(demo_master, tmp_path):
    file_copy = tmp_path / "file.xlsx"
    shutil.copy(demo_master, file_copy)
    actions.refresh(file_copy, as_of=LATER)
    book = open_book(demo_master)
    actions.refresh(XlwingsWorkbook(book), as_of=LATER)
    for sheet in (schema.ORDERS.sheet, REPORT_SHEET):
        assert live_cells(book, sheet) == file_cells(file_copy, sheet), sheet


def test_load_orders_gives_the_same_tables_in_excel_and_in_the_file(demo_master, tmp_path):
    source = tmp_path / "orders.csv"
    source.write_text(ORDERS_CSV, encoding="utf-8")
    file_copy = tmp_path / "file.xlsx"
    shutil.copy(demo_master, file_copy)
    actions.load_orders(file_copy, source, as_of=LATER)
    book = open_book(demo_master)
    actions.load_orders(XlwingsWorkbook(book), source, as_of=LATER)
    file_wb, live_wb = MasterWorkbook(file_copy), XlwingsWorkbook(book)
    for spec in (schema.ORDERS, schema.CHANGE_LOG):
        ignore = ["timestamp"] if spec is schema.CHANGE_LOG else []
        pd.testing.assert_frame_equal(live_wb.read(spec).frame.drop(columns=ignore),
                                      file_wb.read(spec).frame.drop(columns=ignore))
    assert live_cells(book, REPORT_SHEET) == file_cells(file_copy, REPORT_SHEET)


def test_sync_gives_the_same_tables_in_excel_and_in_the_file(demo_dir, demo_master, tmp_path):
    files = sorted((demo_dir / "suppliers").iterdir())
    file_copy = tmp_path / "file.xlsx"
    shutil.copy(demo_master, file_copy)
    on_file = actions.sync(file_copy, files, as_of=AS_OF)
    book = open_book(demo_master)
    live = actions.sync(XlwingsWorkbook(book), files, as_of=AS_OF)
    assert on_file.changed_values > 50 and on_file.import_issue_rows > 5
    for key in ("files", "changed_values", "issues", "change_log_rows", "import_issue_rows"):
        assert getattr(live, key) == getattr(on_file, key), key
    assert live.refresh.counts == on_file.refresh.counts
    assert live_cells(book, schema.ORDERS.sheet) == file_cells(file_copy, schema.ORDERS.sheet)
    file_wb, live_wb = MasterWorkbook(file_copy), XlwingsWorkbook(book)
    for spec in (schema.ORDERS, schema.CHANGE_LOG, schema.IMPORT_ISSUES):
        ignore = ["timestamp"] if "timestamp" in spec.names else []
        pd.testing.assert_frame_equal(live_wb.read(spec).frame.drop(columns=ignore),
                                      file_wb.read(spec).frame.drop(columns=ignore))


PARTY, PERIOD = "Saigon Garment JSC", "2026-10"


def supplier_statement(master, path) -> None:
    """A csv statement of the party's shipped lines in the period, one line with a higher price."""
    ours = recon.our_lines(MasterWorkbook(master).read(schema.ORDERS).frame, PARTY, PERIOD)
    assert len(ours) >= 5
    price = ours["price"].to_numpy().copy()
    price[2] += 0.5
    pd.DataFrame({"PO No.": ours["po_no"], "Line": ours["line"], "Style": ours["style"],
                  "Color": ours["color"], "Qty": ours["qty"], "Unit price": price,
                  "Amount": (ours["qty"] * price).round(2)}).to_csv(path, index=False)

def statement_copy_and_book(master, folder):
    """A supplier statement of ``master``, a file copy of it, and the master opened as a live book."""
    statement = folder / "statement.csv"
    supplier_statement(master, statement)
    file_copy = folder / "file.xlsx"
    shutil.copy(master, file_copy)
    return statement, file_copy, open_book(master)



def line_of(rows: list[list], status: str) -> tuple[int, int]:
    """(row, column) in sheet coordinates of the Resolution cell on the first line of ``status``."""
    header_at = next(i for i, row in enumerate(rows) if RESOLUTION in row)
    at = next(i for i, row in enumerate(rows) if i > header_at and ReconStatus.read(row[0]) == status)
    return at + 1, rows[header_at].index(RESOLUTION) + 1


def test_reconcile_gives_the_same_sheet_and_keeps_resolutions_in_excel_and_in_the_file(demo_master, tmp_path):
    statement, file_copy, book = statement_copy_and_book(demo_master, tmp_path)
    name = sheet_name(PARTY, PERIOD)

    def run_both() -> tuple[list[list], list[list]]:
        on_file = actions.reconcile(file_copy, statement, party=PARTY, period=PERIOD, side="supplier")
        live = actions.reconcile(XlwingsWorkbook(book), statement, party=PARTY, period=PERIOD, side="supplier")
        assert live.counts == on_file.counts and on_file.counts["PRICE_DIFF"] == 1
        assert on_file.counts["MATCHED"] == on_file.our_lines - 1
        rows = MasterWorkbook(file_copy).sheet_rows(name), XlwingsWorkbook(book).sheet_rows(name)
        assert rows[0] == rows[1]
        return rows

    file_rows, live_rows = run_both()
    row, col = line_of(file_rows, "PRICE_DIFF")
    assert file_rows[row - 1][col - 1] == ""
    typed = openpyxl.load_workbook(file_copy)
    typed[name].cell(row, col, "供应商同意改价 supplier agreed")
    typed.save(file_copy)
    book.sheets[name].range((row, col)).value = "供应商同意改价 supplier agreed"

    file_rows, live_rows = run_both()
    assert line_of(file_rows, "PRICE_DIFF") == (row, col)
    for rows in (file_rows, live_rows):
        notes = [(r, row_values[col - 1]) for r, row_values in enumerate(rows, 1)
                 if len(row_values) >= col and row_values[col - 1] not in ("", RESOLUTION)]
        assert notes == [(row, "供应商同意改价 supplier agreed")]


# --- the live side: bulk calls, ListObjects, generated sheets, status bar -------------------

def test_each_table_is_read_in_one_bulk_call_and_a_changed_column_in_one_write(demo_master):
    book = open_book(demo_master)
    wb = XlwingsWorkbook(book)
    orders = wb.read(schema.ORDERS)
    reads = [io for io in book.impl.io if io[:2] == ("read", schema.ORDERS.sheet)]
    assert len(reads) == 2  # the header row, then the whole data body
    width = book.sheets[schema.ORDERS.sheet].tables[schema.ORDERS.name].range.shape[1]   # every column, user's too
    assert reads[1][2] == (2, 1, orders.next_row - 1, width)
    book.impl.io.clear()
    frame = orders.frame.assign(remarks=[f"r{i}" for i in range(len(orders.frame))])
    wb.write(orders, frame, ["remarks"])
    col = orders.columns["remarks"]
    assert book.impl.io == [("write", schema.ORDERS.sheet, (2, col, orders.next_row - 1, col))]


def test_appended_rows_grow_the_list_object_with_number_formats(demo_master):
    book = open_book(demo_master)
    wb = XlwingsWorkbook(book)
    log = wb.read(schema.CHANGE_LOG)
    assert log.frame.empty and log.next_row == 2  # the new table's one blank row is reused
    rows = wb.write(log, log.frame, [], appended=pd.DataFrame({"order_key": ["A|1", "B|2", "C|3"],
                                                               "source_row": [7, 8, 9]}))
    assert rows == [2, 3, 4]
    table = book.sheets[schema.CHANGE_LOG.sheet].tables[schema.CHANGE_LOG.name]
    last = openpyxl.utils.get_column_letter(len(schema.CHANGE_LOG.fields))   # the table's own columns
    assert table.range.address == f"$A$1:${last}$4"
    source_row = table.data_body_range.columns[log.columns["source_row"] - 1]
    assert source_row.number_format == "#,##0" and source_row.value == [7, 8, 9]
    assert XlwingsWorkbook(book).read(schema.CHANGE_LOG).frame["order_key"].tolist() == ["A|1", "B|2", "C|3"]


def test_replace_sheet_clears_in_place_and_formats(demo_master):
    book = open_book(demo_master)
    report = book.sheets[REPORT_SHEET].impl
    report.values[(500, 20)] = "old"
    spec = SheetSpec(REPORT_SHEET, widths={1: 26}, merges=["A1:C1"])
    spec.put(1, 1, "标题 Title", "title")
    spec.row(3, ["A", "B"], "header")
    spec.row(4, [dt.date(2026, 12, 1), 0.25], "date")
    spec.put(5, 1, Formula("SUM(B4:B4)"), "total")
    spec.put(6, 1, "=not a formula", "text")
    XlwingsWorkbook(book).replace_sheet(spec)
    assert book.sheets[REPORT_SHEET].impl is report  # cleared, not deleted: the code name stays
    assert report.values == {(1, 1): "标题 Title", (3, 1): "A", (3, 2): "B", (4, 1): dt.datetime(2026, 12, 1),
                             (4, 2): 0.25, (5, 1): report.values[(5, 1)], (6, 1): "=not a formula"}
    sheet = book.sheets[REPORT_SHEET]
    assert sheet["A5"].formula == "=SUM(B4:B4)"
    assert sheet["A1"].font.bold and sheet["A1"].font.size == 16 and sheet["A1"].font.color == "#1F3864"
    assert sheet["A3:B3"].color == "#305496" and sheet["A3:B3"].wrap_text
    assert sheet["A4:B4"].number_format == "yyyy-mm-dd"
    assert sheet["A1"].column_width == 26 and report.merges == [(1, 1, 1, 3)]


def test_replace_sheet_adds_a_missing_sheet_at_the_end(demo_master):
    book = open_book(demo_master)
    spec = SheetSpec("对账-ACME-2026-11")
    spec.put(2, 2, "x")
    XlwingsWorkbook(book).replace_sheet(spec)
    assert book.sheets[-1].name == "对账-ACME-2026-11" and book.sheets[-1]["B2"].value == "x"


def test_progress_goes_to_the_status_bar_and_save_to_excel(demo_master):
    book = open_book(demo_master)
    assert actions.refresh(XlwingsWorkbook(book), as_of=LATER).backup is None
    statuses = book.app.impl.status_history
    assert f"读取 Reading {schema.ORDERS.sheet} …" in statuses and statuses[-1] == "保存 Saving …"
    assert book.impl.saves == [None]


def test_a_book_without_the_table_gives_a_clear_error(demo_master):
    book = open_book(demo_master)
    book.sheets[schema.ORDERS.sheet].impl.table_list.clear()
    with pytest.raises(GendanError, match="tblOrders") as err:
        actions.refresh(XlwingsWorkbook(book), as_of=LATER)
    assert err.value.code is ErrorCode.TABLE_MISSING


def test_sheet_rows_reads_the_used_range_once_typed_as_in_the_file(demo_master):
    book = open_book(demo_master)
    wb = XlwingsWorkbook(book)
    assert wb.sheet_rows("no such sheet") == []
    sheet = book.sheets.add("Notes", after=book.sheets[len(book.sheets) - 1])
    sheet.range("B2").value = [["'00123", 5], [dt.datetime(2026, 1, 2), dt.datetime(2026, 1, 2, 9, 30)]]
    sheet.range("E6").number_format = "0.00"  # formatted but empty: inside the used range, not in the rows
    book.impl.io.clear()
    assert wb.sheet_rows("notes") == [["", "", ""], ["", "00123", 5.0],
                                      ["", dt.date(2026, 1, 2), dt.datetime(2026, 1, 2, 9, 30)]]
    assert book.impl.io == [("read", "Notes", (2, 2, 6, 5))]
    assert wb.sheet_rows(REPORT_SHEET) == MasterWorkbook(demo_master).sheet_rows(REPORT_SHEET)


def test_date_cells_and_datetime_cells_give_one_dtype():
    from gendan_xl.store.table_frame import DATE_DTYPE, convert_column
    due = schema.ORDERS.field("due_date")
    columns = ([dt.date(2026, 1, 2), None], [dt.datetime(2026, 1, 2, 9, 30), ""], ["2026-01-02", None], [None, ""])
    got = [convert_column(np.array(cells, dtype=object), pd.RangeIndex(2, 4), due, [], "f", "s") for cells in columns]
    assert {str(s.dtype) for s in got} == {DATE_DTYPE}
    assert [s[2] for s in got[:3]] == [pd.Timestamp("2026-01-02")] * 3


def test_generated_sheets_get_the_files_widths_heights_tab_and_print_setup_in_excel(demo_master, tmp_path):
    statement, file_copy, book = statement_copy_and_book(demo_master, tmp_path)
    old = book.sheets[REPORT_SHEET].impl
    old.values[(900, 1)], old.heights[900] = "an earlier, longer report", 60.0
    for target in (file_copy, XlwingsWorkbook(book)):
        actions.refresh(target, as_of=LATER)
        actions.reconcile(target, statement, party=PARTY, period=PERIOD, side="supplier")
    typed = openpyxl.load_workbook(file_copy)
    for name in (REPORT_SHEET, sheet_name(PARTY, PERIOD)):
        ws, live = typed[name], book.sheets[name]
        widths = {openpyxl.utils.column_index_from_string(k): v.width for k, v in ws.column_dimensions.items()}
        assert live.impl.widths == widths, name
        tall = {r: d.height for r, d in ws.row_dimensions.items() if d.height}
        assert tall and {r: h for r, h in live.impl.heights.items() if h != 15.0} == tall, name
        assert live.impl.heights.get(900, 15.0) == 15.0
        rgb = int(ws.sheet_properties.tabColor.rgb[2:], 16)
        assert live.api.Tab.Color == (rgb & 0xFF) << 16 | (rgb & 0xFF00) | rgb >> 16
        setup = live.page_setup.api
        assert setup.Orientation == (2 if ws.page_setup.orientation == "landscape" else 1)
        assert (setup.Zoom, setup.FitToPagesWide, setup.FitToPagesTall) == (False, 1, False)
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert setup.PrintTitleRows == (ws.print_title_rows or "")   # the 周报 repeats each list's header itself
        assert (name == REPORT_SHEET) == (ws.print_title_rows is None)
        assert setup.CenterFooter == ws.oddFooter.center.text and "&P" in setup.CenterFooter
        assert (setup.LeftHeader, setup.RightHeader) == (ws.oddHeader.left.text, ws.oddHeader.right.text or "")
        assert setup.RightHeader == (LATER.isoformat() if name == REPORT_SHEET else "")
        assert setup.LeftMargin == ws.page_margins.left * 72
        assert live.api.HPageBreaks.rows == [b.id + 1 for b in ws.row_breaks.brk]


# --- frozen panes and native charts: the live side as the file --------------------------------

_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
_SERIES = re.compile(r'=SERIES\(("(?:[^"]|"")*")?,([^,]*),([^,]*),(\d+)\)')


def file_charts(path) -> list[dict]:
    """The charts of the file's one drawing (the 周报's), in frame order: name, cells covered
    (first row, first column, last row, last column; 1-based), type and series."""
    with zipfile.ZipFile(path) as zf:
        drawings = [n for n in zf.namelist() if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n)]
        assert len(drawings) == 1
        rels = ET.fromstring(zf.read(drawings[0].replace("drawings/", "drawings/_rels/") + ".rels"))
        target = {r.get("Id"): "xl/" + r.get("Target").replace("../", "") for r in rels}
        charts = []
        for anchor in ET.fromstring(zf.read(drawings[0])):
            start, end = (anchor.find(f"{_XDR}{k}") for k in ("from", "to"))
            c1, r1, c2, r2 = (int(el.find(f"{_XDR}{k}").text) for el, k in
                              ((start, "col"), (start, "row"), (end, "col"), (end, "row")))
            frame = anchor.find(f"{_XDR}graphicFrame")
            rid = frame.find(f".//{_C}chart").get("{http://schemas.openxmlformats.org/officeDocument/2006/"
                                                  "relationships}id")
            space = ET.fromstring(zf.read(target[rid]))
            series = []
            for group, plot in enumerate(el for el in space.find(f".//{_C}plotArea") if el.tag.endswith("Chart")):
                kind = ("bar_clustered" if plot.tag == f"{_C}barChart" else "line_markers")
                for ser in plot.findall(f"{_C}ser"):
                    series.append({"name": ser.find(f"{_C}tx/{_C}v").text, "type": kind,
                                   "categories": ser.find(f"{_C}cat//{_C}f").text,
                                   "values": ser.find(f"{_C}val//{_C}f").text,
                                   "axis": "secondary" if group else "primary",
                                   "colors": [p.find(f".//{_A}srgbClr").get("val") for p in ser.findall(f"{_C}dPt")]})
            charts.append({"name": frame.find(f"{_XDR}nvGraphicFramePr/{_XDR}cNvPr").get("name"),
                           "cells": (r1 + 1, c1 + 1, r2, c2), "title": "".join(space.find(f"{_C}chart/{_C}title").itertext()),
                           "series": series})
        return charts


def live_charts(sheet) -> list[dict]:
    """The same description of a live sheet's charts, read through xlwings and Excel's Series."""
    charts = []
    for chart in sheet.charts:
        series = []
        for s in chart.series:
            name, categories, values, _ = _SERIES.fullmatch(s.api.Formula).groups()
            points = s.impl.point_colors
            series.append({"name": name[1:-1].replace('""', '"'), "type": s.chart_type, "categories": categories,
                           "values": values, "axis": s.axis_group,
                           "colors": [f"{c & 0xFF:02X}{c >> 8 & 0xFF:02X}{c >> 16:02X}" for _, c in sorted(points.items())]})
        place = chart.impl.place
        cells = next((r1, c1, r2, c2) for r1 in range(1, 60) for c1 in range(1, 30) for r2 in range(r1, 60)
                     for c2 in range(c1, 30) if _covers(sheet.range((r1, c1), (r2, c2)), place))
        charts.append({"name": chart.name, "cells": cells, "title": chart.title, "series": series})
    return charts


def _covers(cells, place: dict) -> bool:
    return all(abs(getattr(cells, k) - place[k]) < 0.01 for k in ("left", "top", "width", "height"))


def test_the_weekly_report_gets_native_charts_and_frozen_rows_as_in_the_file(demo_master, tmp_path):
    statement, file_copy, book = statement_copy_and_book(demo_master, tmp_path)
    user_sheet = book.sheets[schema.SUPPLIERS.sheet]
    user_sheet.api.Activate()
    for _ in range(2):   # a second refresh replaces the charts (Excel's Clear keeps them)
        actions.refresh(file_copy, as_of=LATER)
        actions.refresh(XlwingsWorkbook(book), as_of=LATER)
    assert book.sheets.active.name == user_sheet.name   # the user's sheet is shown again
    actions.reconcile(file_copy, statement, party=PARTY, period=PERIOD, side="supplier")
    actions.reconcile(XlwingsWorkbook(book), statement, party=PARTY, period=PERIOD, side="supplier")
    on_file, live = file_charts(file_copy), live_charts(book.sheets[REPORT_SHEET])
    assert [c["name"] for c in on_file] == ["gendan chart 1", "gendan chart 2"]
    assert live == on_file
    assert [s["type"] for s in on_file[0]["series"]] == ["bar_clustered"]
    assert [s["axis"] for s in on_file[1]["series"]] == ["primary"] * 3 + ["secondary"]
    bars, lines = book.sheets[REPORT_SHEET].charts
    assert bars.series[0].api.HasDataLabels and not bars.legend.visible
    assert (bars.category_axis.reverse_order, bars.category_axis.crosses) == (True, "maximum")
    rate_axis = lines.secondary_value_axis
    assert (rate_axis.minimum_scale, rate_axis.maximum_scale, rate_axis.number_format) == (0, 1, "0%")
    assert lines.legend.position == "bottom"
    typed = openpyxl.load_workbook(file_copy)
    for name in (REPORT_SHEET, sheet_name(PARTY, PERIOD)):
        frozen = typed[name].freeze_panes
        assert frozen and frozen.startswith("A"), name
        view = book.sheets[name].impl.view
        assert (view["FreezePanes"], view["SplitRow"], view["SplitColumn"]) == (True, int(frozen[1:]) - 1, 0), name
    assert book.sheets.active.name == sheet_name(PARTY, PERIOD)   # a new sheet is shown, as Excel adds it


def test_the_ta_sheet_gets_filter_buttons_in_excel_as_in_the_file_and_keeps_them_on_refresh(demo_master, tmp_path):
    file_copy = tmp_path / "file.xlsx"
    shutil.copy(demo_master, file_copy)
    book = open_book(demo_master)
    for _ in range(2):   # Range.AutoFilter switches the buttons off when the sheet has them already
        actions.refresh(file_copy, as_of=LATER)
        actions.refresh(XlwingsWorkbook(book), as_of=LATER)
        ref = openpyxl.load_workbook(file_copy)[TA_SHEET].auto_filter.ref
        assert ref and ref.startswith("A") and book.sheets[TA_SHEET].impl.auto_filter == ref
    assert book.sheets[REPORT_SHEET].impl.auto_filter is None


def test_the_memory_engine_refuses_what_excel_refuses(demo_master):
    book = open_book(demo_master)
    sheet = book.sheets[REPORT_SHEET]
    sheet.range("B2").value = [[1], [2], [3]]
    chart = sheet.charts.add()
    chart.set_source_data(sheet.range("B2:B4"), plot_by="columns")
    chart.chart_type = "bar_clustered"
    with pytest.raises(xw.XlwingsError, match="no secondary axis"):
        chart.secondary_value_axis.set(maximum_scale=1)
    with pytest.raises(IndexError):
        chart.series[0].api.Points(4)
    sheet.range("C2").value = "text"
    with pytest.raises(NotImplementedError):
        chart.set_source_data(sheet.range("B2:C4"))
    hidden = book.sheets[schema.ORDERS.sheet]
    hidden.visible = False
    with pytest.raises(RuntimeError, match="hidden"):
        hidden.api.Activate()


def test_the_calibration_chart_is_one_group_labelled_by_risk_band_in_excel_as_in_the_file(tmp_path):
    """The 回测 sheet's chart has only rates: they own the chart's axes, so its category axis shows
    the risk bands (no empty group holding the visible axis)."""
    from gendan_xl.risk.backtest import Origin, calibration, table
    from gendan_xl.sheets.backtest_sheet import BACKTEST_SHEET, backtest_sheet
    late = np.arange(60) % 4 == 0
    results = [Origin(dt.date(2026, m, 1), late, np.where(late, 0.45, 0.15) + np.arange(60) / 1000, 0.25,
                      np.full(60, 0.3)) for m in (3, 9)]
    about = {"source": "history.csv", "horizon_wd": 65, "threshold": 0.3, "half_life_days": 365}
    path = tmp_path / "master.xlsx"
    actions.new_master(path)
    file_copy = tmp_path / "file.xlsx"
    shutil.copy(path, file_copy)
    book = open_book(path)
    for target in (MasterWorkbook(file_copy), XlwingsWorkbook(book)):
        target.replace_sheet(backtest_sheet(table(results, 0.3), calibration(results), about))
        target.save()
    on_file, live = file_charts(file_copy), live_charts(book.sheets[BACKTEST_SHEET])
    assert live == on_file and [s["axis"] for s in on_file[0]["series"]] == ["primary", "primary"]
    chart = book.sheets[BACKTEST_SHEET].charts[0]
    axis = chart.value_axis
    assert (axis.minimum_scale, axis.maximum_scale, axis.number_format) == (0, 1, "0%")
    with zipfile.ZipFile(file_copy) as zf:
        space = ET.fromstring(zf.read(next(n for n in zf.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))))
    plot = space.find(f".//{_C}plotArea")
    assert len(plot.findall(f"{_C}lineChart")) == 1 and len(plot.findall(f"{_C}catAx")) == 1
    assert plot.find(f"{_C}catAx/{_C}delete").get("val") == "0"
    bands = [v.text for v in plot.find(f"{_C}lineChart/{_C}ser/{_C}cat").iter(f"{_C}v")]
    bands_made = calibration(results)
    assert len(bands) > 1 and bands == [f"{a:.0%}–{b:.0%}" for a, b in zip(bands_made["low"], bands_made["high"])]
