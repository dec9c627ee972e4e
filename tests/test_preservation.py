"""What the user owns survives every save: columns, sheets, formulas, formats; saves are atomic."""

from __future__ import annotations

import os

import openpyxl
import pandas as pd
import pytest
import python_calamine
from openpyxl.styles import PatternFill
from openpyxl.worksheet.table import TableColumn

from conftest import AS_OF
from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.sheets.cells import col_letter
from gendan_xl.store.master import MasterWorkbook
from gendan_xl.model.flags import Flag
from libreoffice import convert

SLACK_COL = col_letter(schema.ORDERS.names.index("slack_wd") + 1)
FLAG_COL = col_letter(schema.ORDERS.names.index("flag") + 1)


def add_user_parts(path):
    """As a user would in Excel: a column inside the table with a formula, a fill, a new sheet."""
    wb = openpyxl.load_workbook(path)
    ws = wb[schema.ORDERS.sheet]
    table = ws.tables[schema.ORDERS.name]
    ncols = len(schema.ORDERS.fields)
    user_col = col_letter(ncols + 1)
    last_row = ws.max_row
    ws[f"{user_col}1"] = "跟进人 Owner"
    for r in range(2, last_row + 1):
        ws[f"{user_col}{r}"] = f"={SLACK_COL}{r}*2"
    table.ref = f"A1:{user_col}{last_row}"
    table.tableColumns.append(TableColumn(id=ncols + 1, name="跟进人 Owner"))
    table.autoFilter.ref = table.ref
    ws["B3"].fill = PatternFill("solid", start_color="FF00FF00", end_color="FF00FF00")
    notes = wb.create_sheet("我的笔记 Notes")
    notes["A1"] = "keep me"
    notes["B1"] = f"=COUNTA('{schema.ORDERS.sheet}'!A:A)"
    wb.save(path)
    return user_col, last_row


def test_refresh_keeps_user_column_sheet_formula_and_format(demo_master, tmp_path):
    user_col, last_row = add_user_parts(demo_master)
    # Clear the computed columns so refresh must write them again.
    wb = openpyxl.load_workbook(demo_master)
    ws = wb[schema.ORDERS.sheet]
    for r in range(2, last_row + 1):
        ws[f"{FLAG_COL}{r}"] = None
    wb.save(demo_master)

    actions.refresh(demo_master, as_of=AS_OF)

    wb = openpyxl.load_workbook(demo_master)
    ws = wb[schema.ORDERS.sheet]
    assert ws[f"{user_col}1"].value == "跟进人 Owner"
    assert ws[f"{user_col}5"].value == f"={SLACK_COL}5*2"
    assert ws["B3"].fill.start_color.rgb == "FF00FF00"
    assert wb["我的笔记 Notes"]["A1"].value == "keep me"
    assert all(Flag.read(ws[f"{FLAG_COL}{r}"].value) for r in range(2, last_row + 1))
    assert ws.tables[schema.ORDERS.name].ref == f"A1:{user_col}{last_row}"

    # LibreOffice recalculates the user's formula over the slack we wrote.
    ods = convert(demo_master, "csv:Text - txt - csv (StarCalc):44,34,76,1",
                  tmp_path)
    import csv
    with open(ods, encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    slack_idx = schema.ORDERS.names.index("slack_wd")
    user_idx = len(schema.ORDERS.fields)
    checked = 0
    for row in rows[1:]:
        if row[slack_idx] not in ("", None):
            assert float(row[user_idx]) == 2 * float(row[slack_idx])
            checked += 1
    assert checked > 100


def test_failed_save_leaves_previous_master_intact(demo_master, monkeypatch):
    before = demo_master.read_bytes()

    def boom(src, dst):
        raise OSError("disk full (injected)")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(GendanError, match=r"disk full \(injected\)") as err:
        actions.refresh(demo_master, as_of=AS_OF.replace(day=1))
    assert err.value.code is ErrorCode.FILE_ERROR
    assert demo_master.read_bytes() == before
    assert not [p for p in demo_master.parent.iterdir() if p.suffix == ".tmp"]


def test_save_keeps_a_backup_of_the_previous_version(demo_master):
    before = demo_master.read_bytes()
    result = actions.refresh(demo_master, as_of=AS_OF.replace(day=2))
    assert result.backup
    assert open(result.backup, "rb").read() == before
    assert demo_master.read_bytes() != before


def test_master_without_orders_table_is_a_clear_error(tmp_path):
    path = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "hello"
    wb.save(path)
    with pytest.raises(GendanError) as err:
        actions.refresh(path)
    assert err.value.code is ErrorCode.TABLE_MISSING
    assert "tblOrders" in str(err.value) and "plain.xlsx" in str(err.value)


def test_a_save_removes_old_leftovers_of_killed_saves(demo_master):
    old = demo_master.parent / ".master.abc123.tmp"
    new = demo_master.parent / ".master.def456.tmp"
    for leftover in (old, new):
        leftover.write_bytes(b"partial zip")
    os.utime(old, (0, 0))
    actions.refresh(demo_master, as_of=AS_OF)
    assert not old.exists() and new.exists()


def _in_date_system(source, target, epoch) -> None:
    """``source`` re-saved by openpyxl counting dates from ``epoch`` (the same values, other serials)."""
    wb = openpyxl.load_workbook(source)
    wb.epoch = epoch
    wb.save(target)


def test_a_1904_master_is_written_in_its_own_date_system(demo_dir, tmp_path):
    """An old Mac master (``date1904``): after a sync and refresh every date reads the same as in the
    same master counting from 1900 (before: every date gendan wrote was 4 years and 1 day late)."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900
    import python_calamine
    masters = {}
    for name, epoch in (("m1900", CALENDAR_WINDOWS_1900), ("m1904", CALENDAR_MAC_1904)):
        folder = tmp_path / name
        folder.mkdir()
        masters[name] = folder / "master.xlsx"
        _in_date_system(demo_dir / "master.xlsx", masters[name], epoch)
        actions.sync(masters[name], sorted((demo_dir / "suppliers").iterdir()), as_of=AS_OF)
    assert b'date1904="1"' in __import__("zipfile").ZipFile(masters["m1904"]).read("xl/workbook.xml")
    stamp = schema.CHANGE_LOG.field("timestamp").header
    for sheet in (schema.ORDERS.sheet, schema.CHANGE_LOG.sheet, "历史汇总 History Reports", "周报 Weekly Report"):
        seen = {}
        for name, path in masters.items():
            rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
            if sheet == schema.CHANGE_LOG.sheet:   # the wall-clock stamp: the same day, not the same second
                at = rows[0].index(stamp)
                rows = [r[:at] + (r[at].date() if hasattr(r[at], "date") else r[at],) + r[at + 1:] for r in rows]
            seen[name] = rows
        assert seen["m1900"] == seen["m1904"], sheet
        days = [v for row in seen["m1904"] for v in row if hasattr(v, "year")]
        assert days and all(2025 <= v.year <= 2027 for v in days), sheet
    calamine = python_calamine.CalamineWorkbook.from_path(str(masters["m1904"]))
    orders = calamine.get_sheet_by_name(schema.ORDERS.sheet).to_python()
    eta = orders[0].index(schema.ORDERS.field("eta").header)
    assert {v.year for v in (r[eta] for r in orders[1:]) if hasattr(v, "year")} <= {2026, 2027}


def test_a_number_typed_into_a_date_column_of_a_1904_master_is_a_1904_serial(demo_master, tmp_path):
    """A serial in a General-format date cell counts from 1904-01-01 in a 1904 master, as Excel shows
    it (before: read as a 1900 serial, 2022-02-12 for 2026-02-13)."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904
    master = tmp_path / "m1904.xlsx"
    _in_date_system(demo_master, master, CALENDAR_MAC_1904)
    wb = openpyxl.load_workbook(master)
    ws = wb[schema.ORDERS.sheet]
    cell = ws.cell(2, schema.ORDERS.names.index("eta") + 1)
    cell.value, cell.number_format = 44604, "General"
    text = ws.cell(3, schema.ORDERS.names.index("eta") + 1)
    text.value, text.number_format = "44604", "@"
    wb.save(master)
    eta = MasterWorkbook(master).read(schema.ORDERS).frame["eta"]
    assert eta[2] == eta[3] == pd.Timestamp("2026-02-13")


def test_dates_before_1900_03_01_are_written_as_excel_counts_them(demo_master):
    """Excel's 1900 system counts a 1900-02-29 that never was (serial 60): 1900-01-01 is serial 1 and
    1900-02-28 serial 59 (before: 2 and 60, so 1900-01-01 read back as 1900-01-02)."""
    days = pd.to_datetime(["1900-01-01", "1900-02-28", "1900-03-01"])
    wb = MasterWorkbook(demo_master)
    orders = wb.read(schema.ORDERS)
    rows = orders.frame.index[:3]
    frame = orders.frame.copy()
    frame.loc[rows, "due_date"] = days
    wb.write(orders, frame, ["due_date"])
    wb.save()
    assert MasterWorkbook(demo_master).read(schema.ORDERS).frame.loc[rows, "due_date"].tolist() == days.tolist()
    sheet = python_calamine.CalamineWorkbook.from_path(str(demo_master)).get_sheet_by_name(schema.ORDERS.sheet)
    due = schema.ORDERS.names.index("due_date")
    assert [sheet.to_python()[r - 1][due] for r in rows] == [d.date() for d in days]

