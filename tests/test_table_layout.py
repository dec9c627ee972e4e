"""The 订单 Orders table of an existing master (an older gendan's, or hand-made) gets widths that
show its values and a print setup that fits the page width on refresh, without undoing a width or
print setup the user chose, and keeping user columns, formats and formulas (table_layout's rule)."""

from __future__ import annotations

import openpyxl
import pytest
import python_calamine
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import TableColumn

from conftest import AS_OF
from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.sheets.layout import PAD, text_units
from gendan_xl.store.master import MasterWorkbook
from gendan_xl.sheets.table_layout import NUMBER_FORMATS, TABLE_CAP, column_texts
from gendan_xl.store.xlwings_book import XlwingsWorkbook
from ooxml import assert_valid
from printed import check_sheet
from xlwings_memory_engine import open_book

ORDERS = schema.ORDERS
USER_COLUMN = "我的备注 My note"
# The user's own choices: a widened column, a narrowed one, a hidden one.
WIDENED, NARROWED, HIDDEN = ("remarks", 50.0), ("description", 9.0), "unit"
FITTED = "color"          # fitted by gendan earlier (bestFit), now too narrow


def col(name: str) -> str:
    return get_column_letter(ORDERS.names.index(name) + 1)


def older_master(path, *, own_print_setup: bool = False) -> None:
    """``path`` as an older gendan left it (every column at its field's fixed width, no print setup),
    with a column the user widened, a hidden one and a user column inside the table holding a
    formula and a fill; ``own_print_setup``: the user also narrowed a column (its text is then cut
    in print: their choice) and chose portrait at 80 %."""
    wb = openpyxl.load_workbook(path)
    ws = wb[ORDERS.sheet]
    for f in ORDERS.fields:
        dim = ws.column_dimensions[col(f.name)]
        dim.width, dim.bestFit = f.width, False
    ws.column_dimensions[col(WIDENED[0])].width = WIDENED[1]
    ws.column_dimensions[col(HIDDEN)].hidden = True
    ws.column_dimensions[col(FITTED)].width, ws.column_dimensions[col(FITTED)].bestFit = 5, True
    ws.page_setup.orientation = ws.page_setup.fitToWidth = ws.page_setup.fitToHeight = None
    ws.sheet_properties.pageSetUpPr.fitToPage = None
    ws._print_rows = None   # openpyxl has no public way to drop print titles
    ws.oddHeader.left.text = ws.oddHeader.right.text = ws.oddFooter.center.text = None
    if own_print_setup:
        ws.page_setup.orientation, ws.page_setup.scale = "portrait", 80
        ws.column_dimensions[col(NARROWED[0])].width = NARROWED[1]
    user = len(ORDERS.fields) + 1
    table = ws.tables[ORDERS.name]
    ws.cell(1, user, USER_COLUMN)
    ws.cell(2, user, "=LEN(A2)").fill = PatternFill("solid", start_color="FFCCFF", end_color="FFCCFF")
    ws.column_dimensions[get_column_letter(user)].width = 33
    table.ref = table.autoFilter.ref = f"A1:{get_column_letter(user)}{ws.max_row}"
    table.tableColumns = [*table.tableColumns, TableColumn(id=user, name=USER_COLUMN)]
    wb.save(path)


def test_an_older_master_gets_widths_that_show_its_values_and_a_print_setup(demo_master, tmp_path):
    older_master(demo_master)
    actions.refresh(demo_master, as_of=AS_OF)
    frame = MasterWorkbook(demo_master).read(ORDERS).frame
    ws = openpyxl.load_workbook(demo_master)[ORDERS.sheet]
    for f in ORDERS.fields:
        dim = ws.column_dimensions[col(f.name)]
        if f.name == WIDENED[0]:
            assert dim.width == WIDENED[1] and not dim.bestFit
        elif f.name == HIDDEN:
            assert dim.hidden and dim.width == f.width
        else:   # shows its values: the widest of them and the header fit (up to the cap)
            widest = max((text_units(t) for t in column_texts(frame[f.name], NUMBER_FORMATS.get(f.kind))),
                         default=0)
            assert dim.bestFit and dim.width >= min(widest + PAD, TABLE_CAP), (f.name, dim.width, widest)
    assert ws.column_dimensions[col("flag")].width >= text_units("WILL_BE_LATE 将延误") + PAD
    assert ws.column_dimensions[col(FITTED)].width > 5
    user = get_column_letter(len(ORDERS.fields) + 1)
    assert ws.column_dimensions[user].width == 33
    assert ws[f"{user}2"].value == "=LEN(A2)" and ws[f"{user}2"].fill.fgColor.rgb.endswith("FFCCFF")
    setup = ws.page_setup
    assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$1"
    assert "&P" in ws.oddFooter.center.text and ORDERS.sheet in ws.oddHeader.left.text
    rows = python_calamine.CalamineWorkbook.from_path(str(demo_master)).get_sheet_by_name(ORDERS.sheet).to_python()
    assert rows[0][-1] == USER_COLUMN and len(rows) - 1 == len(frame)
    assert_valid(demo_master)
    check_sheet(demo_master, ORDERS.sheet, tmp_path, [f.header for f in ORDERS.fields if f.name != HIDDEN])


def test_a_print_setup_of_the_users_own_is_kept_and_a_second_refresh_changes_nothing(demo_master):
    older_master(demo_master, own_print_setup=True)
    actions.refresh(demo_master, as_of=AS_OF)
    ws = openpyxl.load_workbook(demo_master)[ORDERS.sheet]
    assert (ws.page_setup.orientation, ws.page_setup.scale) == ("portrait", 80)
    assert not ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows is None
    assert ws.column_dimensions[col(NARROWED[0])].width == NARROWED[1]
    assert ws.column_dimensions[col(WIDENED[0])].width == WIDENED[1]
    part = MasterWorkbook(demo_master).package.sheet(ORDERS.sheet).part
    before = MasterWorkbook(demo_master).package.get(part)
    actions.refresh(demo_master, as_of=AS_OF)
    assert MasterWorkbook(demo_master).package.get(part) == before


@pytest.mark.parametrize("own_print_setup", [False, True], ids=["older_gendan", "own_print_setup"])
def test_live_excel_widens_gendans_columns_and_sets_a_print_setup_only_where_it_is_gendans(demo_master,
                                                                                           own_print_setup):
    older_master(demo_master, own_print_setup=own_print_setup)
    book = open_book(demo_master)
    sheet = book.sheets[ORDERS.sheet]
    if own_print_setup:
        sheet.page_setup.api.Zoom = 80
    actions.refresh(XlwingsWorkbook(book), as_of=AS_OF)
    widths = sheet.impl.widths
    number = {name: ORDERS.names.index(name) + 1 for name in ORDERS.names}
    assert widths[number["flag"]] >= text_units("WILL_BE_LATE 将延误") + PAD
    assert widths[number[WIDENED[0]]] == WIDENED[1]
    if own_print_setup:
        assert widths[number[NARROWED[0]]] == NARROWED[1]
    assert widths[len(ORDERS.fields) + 1] == 33
    setup = sheet.page_setup.api
    if own_print_setup:
        assert (setup.Orientation, setup.Zoom, setup.PrintTitleRows) == (1, 80, "")
    else:
        assert (setup.Orientation, setup.Zoom, setup.FitToPagesWide, setup.PrintTitleRows) == (2, False, 1, "$1:$1")
        assert "&P" in setup.CenterFooter


@pytest.mark.parametrize("owner", ["older_gendan", "user"])
def test_an_older_gendans_printed_date_is_dropped_and_a_users_own_header_kept(demo_master, owner):
    """An older gendan put Excel's &D atop the Orders table (the printing PC's date in its locale's
    format, 12/06/2026): a table is as of no date, so it goes, in the file and in Excel; a header the
    user wrote stays as it is."""
    left = ORDERS.sheet if owner == "older_gendan" else "我的订单 My orders"
    wb = openpyxl.load_workbook(demo_master)
    wb[ORDERS.sheet].oddHeader.left.text, wb[ORDERS.sheet].oddHeader.right.text = left, "&D"
    wb.save(demo_master)
    book = open_book(demo_master)
    setup = book.sheets[ORDERS.sheet].page_setup.api
    setup.Orientation, setup.LeftHeader, setup.RightHeader = 2, left, "&D"
    actions.refresh(demo_master, as_of=AS_OF)
    actions.refresh(XlwingsWorkbook(book), as_of=AS_OF)
    kept = None if owner == "older_gendan" else "&D"
    ws = openpyxl.load_workbook(demo_master)[ORDERS.sheet]
    assert (ws.oddHeader.left.text, ws.oddHeader.right.text) == (left, kept)
    assert (setup.LeftHeader, setup.RightHeader) == (left, kept or "")
