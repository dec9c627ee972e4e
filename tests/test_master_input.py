"""Bad input on the master's side stops cleanly: a renamed owned header, a DOCTYPE in a part, a
reconcile party we do not have, a statement missing a column. The master is never changed."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import openpyxl
import pytest

from conftest import AS_OF
from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.importers import extract_table
from gendan_xl.store.master import MasterWorkbook

ETA = schema.ORDERS.field("eta").header


def rename_header(master, old: str, new: str) -> None:
    """Rename a column of the Orders table in Excel's way: the header cell and the table column."""
    wb = openpyxl.load_workbook(master)
    ws = wb[schema.ORDERS.sheet]
    table = ws.tables[schema.ORDERS.name]
    for offset, column in enumerate(table.tableColumns):
        if column.name == old:
            column.name = new
            ws.cell(row=1, column=offset + 1).value = new
    wb.save(master)


def insert_doctype(path, part: str, before: bytes = b"") -> None:
    """A DOCTYPE before the worksheet element of ``part`` (after ``before``, e.g. a comment)."""
    with zipfile.ZipFile(path) as src:
        parts = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in parts:
            if info.filename == part:
                data = data.replace(b"<worksheet", before + b'<!DOCTYPE worksheet [<!ENTITY x "y">]><worksheet', 1)
            out.writestr(info.filename, data)


@pytest.mark.parametrize("renamed", ["预计完成日期", "ETA 日期", "Factory ETA"])
def test_renamed_owned_header_stops_instead_of_adding_a_blank_column(demo_master, renamed):
    rename_header(demo_master, ETA, renamed)
    before = demo_master.read_bytes()
    with pytest.raises(GendanError) as err:
        actions.refresh(demo_master, as_of=AS_OF)
    assert err.value.code is ErrorCode.COLUMN_MISSING and "renamed" in str(err.value)
    assert err.value.column == renamed and err.value.sheet == schema.ORDERS.sheet and ETA in str(err.value)
    assert demo_master.read_bytes() == before


@pytest.mark.parametrize("renamed", ["ETA", "预计完成", "ETA date"])
def test_header_renamed_to_an_accepted_spelling_is_recognised(demo_master, renamed):
    etas = MasterWorkbook(demo_master).read(schema.ORDERS).frame["eta"]
    rename_header(demo_master, ETA, renamed)
    actions.refresh(demo_master, as_of=AS_OF)
    frame = MasterWorkbook(demo_master).read(schema.ORDERS).frame
    assert frame["eta"].equals(etas)
    header = [c.value for c in openpyxl.load_workbook(demo_master)[schema.ORDERS.sheet][1]]
    assert header.count(ETA) == 0 and header.count(renamed) == 1   # no second ETA column


def test_doctype_in_the_master_is_a_clear_error(demo_master, demo_dir):
    insert_doctype(demo_master, "xl/worksheets/sheet1.xml")
    before = demo_master.read_bytes()
    for command in (["refresh", demo_master], ["sync", demo_master, *sorted((demo_dir / "suppliers").iterdir())]):
        proc = subprocess.run([sys.executable, "-m", "gendan_xl.cli", *map(str, command)], capture_output=True,
                              text=True, timeout=300)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
        assert "DOCTYPE" in proc.stderr and schema.ORDERS.sheet in proc.stderr and "master.xlsx" in proc.stderr
    assert demo_master.read_bytes() == before


def test_doctype_after_comments_and_instructions_in_the_prolog_is_found(demo_master):
    insert_doctype(demo_master, "xl/worksheets/sheet1.xml", b"<!-- <worksheet> --><?pi x?>\n")
    with pytest.raises(GendanError) as err:
        MasterWorkbook(demo_master)
    assert err.value.code is ErrorCode.UNSAFE_FILE and err.value.sheet == schema.ORDERS.sheet


def test_a_damaged_part_of_the_master_is_a_clear_error_and_nothing_is_written(demo_master):
    with zipfile.ZipFile(demo_master) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data = bytearray(demo_master.read_bytes())
    data[start + info.compress_size // 2:start + info.compress_size // 2 + 8] = b"\xff" * 8   # bytes of the Orders sheet
    demo_master.write_bytes(bytes(data))
    with pytest.raises(GendanError) as err:
        actions.refresh(demo_master, as_of=AS_OF)
    assert err.value.code is ErrorCode.BAD_WORKBOOK
    assert err.value.file == demo_master.name or str(demo_master) in str(err.value)
    assert demo_master.read_bytes() == bytes(data)


def test_doctype_in_a_supplier_sheet_is_a_clear_error(tmp_path):
    path = tmp_path / "dtd.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["PO No.", "Line", "ETA"])
    wb.save(path)
    insert_doctype(path, "xl/worksheets/sheet1.xml")
    with pytest.raises(GendanError) as err:
        extract_table(path, schema.ORDERS)
    assert err.value.code is ErrorCode.UNSAFE_FILE and err.value.file == "dtd.xlsx"


def test_reconcile_with_an_unknown_party_lists_the_closest_names(demo_master, demo_dir):
    statement = next((demo_dir / "statements").glob("*.csv"))
    orders = MasterWorkbook(demo_master).read(schema.ORDERS).frame
    customer = orders["customer"].dropna().iloc[0]
    before = demo_master.read_bytes()
    with pytest.raises(GendanError) as err:
        actions.reconcile(demo_master, statement, party=customer[:-2] + "xx")   # a typo
    assert err.value.code is ErrorCode.UNKNOWN_PARTY and err.value.value == customer[:-2] + "xx" and customer in err.value.expected
    with pytest.raises(GendanError) as err:
        actions.reconcile(demo_master, statement, party=orders["supplier"].dropna().iloc[0], side="customer")
    assert err.value.code is ErrorCode.UNKNOWN_PARTY and "no customer of ours" in str(err.value)
    assert demo_master.read_bytes() == before


def test_statement_missing_a_column_names_the_statement(demo_master, tmp_path):
    orders = MasterWorkbook(demo_master).read(schema.ORDERS).frame
    statement = tmp_path / "their_statement.csv"
    statement.write_text("PO No.,Style,Qty\nPO-1,S,5\n", encoding="utf-8")
    before = demo_master.read_bytes()
    with pytest.raises(GendanError) as err:
        actions.reconcile(demo_master, statement, party=orders["customer"].dropna().iloc[0])
    assert err.value.code is ErrorCode.COLUMN_MISSING
    assert err.value.file == "their_statement.csv" and err.value.sheet == "their_statement"
    assert "Amount" in str(err.value) and err.value.value == ["PO No.", "Style", "Qty"]
    assert demo_master.read_bytes() == before


def test_a_damaged_large_part_nothing_reads_still_stops_the_save(demo_master):
    """Large parts are inflated in the background; one that is damaged (here an extra 600 kB part
    no action reads) stops the save with a clear error, the master and its backup untouched."""
    with zipfile.ZipFile(demo_master, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("customXml/big.xml", b"<big>" + b"".join(b"<i>%d</i>" % i for i in range(60_000)) + b"</big>")
        info = zf.getinfo("customXml/big.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data = bytearray(demo_master.read_bytes())
    data[start + info.compress_size // 2:start + info.compress_size // 2 + 8] = b"\xff" * 8
    demo_master.write_bytes(bytes(data))
    with pytest.raises(GendanError) as err:
        actions.refresh(demo_master, as_of=AS_OF)
    assert err.value.code is ErrorCode.BAD_WORKBOOK and err.value.value == "customXml/big.xml"
    assert demo_master.read_bytes() == bytes(data) and not demo_master.with_suffix(".bak.xlsx").exists()


def test_a_strict_open_xml_master_is_told_how_to_save_it_normally(demo_master, tmp_path):
    """Excel's "Strict Open XML Spreadsheet" uses other namespaces in every part (as rewritten here)."""
    strict = tmp_path / "strict.xlsx"
    transitional_to_strict = {b"http://schemas.openxmlformats.org/spreadsheetml/2006/main":
                              b"http://purl.oclc.org/ooxml/spreadsheetml/main",
                              b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
                              b"http://purl.oclc.org/ooxml/officeDocument/relationships"}
    with zipfile.ZipFile(demo_master) as zin, zipfile.ZipFile(strict, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            for old, new in transitional_to_strict.items():
                data = data.replace(old, new)
            zout.writestr(info, data)
    before = strict.read_bytes()
    with pytest.raises(GendanError) as caught:
        actions.refresh(strict, as_of=AS_OF)
    text = str(caught.value)
    assert "Strict Open XML" in text and "Save As" in text and "Excel Workbook (*.xlsx)" in text
    assert caught.value.code is ErrorCode.WRONG_FILE_TYPE and strict.read_bytes() == before


def test_a_formula_without_a_saved_value_in_the_master_is_named_not_read_as_blank(demo_master):
    """`=DATE(2026,12,20)` typed into Due date by a tool that does not calculate (openpyxl here): the line
    is not flagged NO_DATE for it — it keeps its flag, its why says the value is unknown — and the cell
    is an Import Issues row naming sheet, row, column and formula."""
    from gendan_xl.model.issues import Reason
    from gendan_xl.model.words import reason_code
    wb = openpyxl.load_workbook(demo_master)
    ws = wb[schema.ORDERS.sheet]
    header = [c.value for c in ws[1]]
    col = {name: header.index(schema.ORDERS.field(name).header) + 1 for name in ("due_date", "ship_date", "flag", "why")}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col["ship_date"]).value is None
               and ws.cell(r, col["due_date"]).value is not None)
    flag = ws.cell(row, col["flag"]).value
    ws.cell(row, col["due_date"]).value = "=DATE(2026,12,20)"
    wb.save(demo_master)
    summary = actions.refresh(demo_master, as_of=AS_OF)
    assert any("=DATE(2026,12,20)" in w and f"row {row}" in w for w in summary.warnings)
    ws = openpyxl.load_workbook(demo_master)[schema.ORDERS.sheet]
    assert ws.cell(row, col["flag"]).value == flag != "NO_DATE 缺交期"
    why = ws.cell(row, col["why"]).value
    assert why.startswith("值未知 value unknown: 交期 Due date") and "=DATE(2026,12,20)" in why
    issues = MasterWorkbook(demo_master).read(schema.IMPORT_ISSUES).frame
    found = issues[issues["reason"].map(reason_code) == Reason.FORMULA_WITHOUT_VALUE.value]
    assert found[["sheet", "row", "column", "value"]].values.tolist() == [
        [schema.ORDERS.sheet, row, schema.ORDERS.field("due_date").header, "=DATE(2026,12,20)"]]
    actions.refresh(demo_master, as_of=AS_OF)   # a second refresh lists it once
    issues = MasterWorkbook(demo_master).read(schema.IMPORT_ISSUES).frame
    assert (issues["reason"].map(reason_code) == Reason.FORMULA_WITHOUT_VALUE.value).sum() == 1
