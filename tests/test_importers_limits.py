"""Bad input stops cleanly: oversized sheets, zip bombs, huge csv files, hidden sheets, error cells,
absurd quantities, Excel's day 0, and the issue flood of a bad file. Every nasty file is made here.

Files that would abort or exhaust the process if a check were missing are run through the real
command line in a subprocess, so a regression fails the test instead of killing the test run.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import python_calamine

from conftest import AS_OF
from gendan_xl.model.words import reason_code
from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.importers import extract_table
from gendan_xl.importers.limits import MAX_ISSUES_PER_FILE, MAX_ROWS

TIMEOUT = 180   # generous: a run that hangs or thrashes fails; a quick stop passes
HEADER = ["PO No.", "Line", "ETA", "Produced qty"]


def workbook(path: Path, sheets: dict[str, list[list]], hidden: dict[str, str] | None = None) -> Path:
    """An .xlsx with the given sheets (rows from A1); ``hidden``: {sheet: 'hidden' or 'veryHidden'}."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        ws.sheet_state = (hidden or {}).get(name, "visible")
    wb.save(path)
    return path


def rewrite_sheet(path: Path, index: int, edit) -> Path:
    """Rewrite the XML of worksheet ``index`` (1-based part number) in place with ``edit(bytes)``."""
    part = f"xl/worksheets/sheet{index}.xml"
    with zipfile.ZipFile(path) as src:
        parts = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in parts:
            out.writestr(info.filename, edit(data) if info.filename == part else data)
    return path


def append_rows(rows_xml: bytes):
    return lambda xml: xml.replace(b"</sheetData>", rows_xml + b"</sheetData>")


def supplier(path: Path) -> Path:
    return workbook(path, {"Progress": [HEADER, ["PO-260001", 1, "2026-12-01", 100]]})


def gendan(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gendan_xl.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=TIMEOUT)


def assert_clean_stop(proc: subprocess.CompletedProcess, *words: str) -> None:
    """Exit 1 (not killed by a signal, not a crash) with a bilingual message and no traceback."""
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr
    for word in words:
        assert word in proc.stderr, (word, proc.stderr)


# -- sizes -------------------------------------------------------------------------------------

def test_one_cell_at_xfd1048576_stops_sync_cleanly(demo_master, tmp_path):
    far = rewrite_sheet(supplier(tmp_path / "far.xlsx"), 1,
                        append_rows(b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'))
    assert far.stat().st_size < 10_000
    before = demo_master.read_bytes()
    proc = gendan("sync", demo_master, far, "--as-of", AS_OF.isoformat())
    assert_clean_stop(proc, "far.xlsx", "Progress", "XFD1048576", "too large", "工作表太大")
    assert demo_master.read_bytes() == before


def test_zip_bomb_stops_sync_before_unpacking(demo_master, tmp_path):
    bomb = supplier(tmp_path / "bomb.xlsx")
    with zipfile.ZipFile(bomb) as src:
        parts = [(info.filename, src.read(info)) for info in src.infolist()]
    row = b"<row><c><v>1</v></c><c><v>2</v></c></row>"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts:
            if name != "xl/worksheets/sheet1.xml":
                out.writestr(name, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with out.open(name, "w") as sheet:   # 60 MB of sheet XML, written in pieces
                sheet.write(head)
                for _ in range(60):
                    sheet.write(row * (1024 * 1024 // len(row)))
                sheet.write(b"</sheetData>" + tail)
    assert bomb.stat().st_size < 1024 * 1024
    before = demo_master.read_bytes()
    proc = gendan("sync", demo_master, bomb, "--as-of", AS_OF.isoformat())
    assert_clean_stop(proc, "bomb.xlsx", "zip bomb", "xl/worksheets/sheet1.xml")
    assert demo_master.read_bytes() == before


def test_unreferenced_cells_are_followed_to_their_real_extent(tmp_path):
    """Cells without a reference follow the previous one: a row of 16,384 such cells and a row at
    2,000 make 33 million cells, although no reference names a far column."""
    wide = b"<row>" + b"<c><v>1</v></c>" * 16384 + b"</row>"
    path = rewrite_sheet(supplier(tmp_path / "wide.xlsx"), 1,
                         append_rows(wide + b'<row r="2000"><c r="A2000"><v>1</v></c></row>'))
    proc = subprocess.run([sys.executable, "-c", "import sys; from gendan_xl.importers import read_sheets; "
                           "print(read_sheets(sys.argv[1])[0].refused)", str(path)],
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "XFD2000" in proc.stdout and "too large" in proc.stdout


def test_rows_past_the_cap_stop_with_the_limit_named(tmp_path):
    path = rewrite_sheet(supplier(tmp_path / "long.xlsx"), 1,
                         append_rows(f'<row r="{MAX_ROWS + 1}"><c r="A{MAX_ROWS + 1}" t="n"><v>1</v></c></row>'
                                     .encode()))
    with pytest.raises(GendanError, match=f"{MAX_ROWS:,} rows") as err:
        extract_table(path, schema.ORDERS)
    assert err.value.code is ErrorCode.TOO_LARGE
    assert err.value.file == "long.xlsx" and err.value.sheet == "Progress"
    assert f"D{MAX_ROWS + 1}" in str(err.value) and f"{MAX_ROWS + 1:,} rows" in str(err.value)


def test_a_lying_dimension_does_not_refuse_a_small_sheet(tmp_path):
    path = rewrite_sheet(supplier(tmp_path / "dim.xlsx"), 1,
                         lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml))
    assert extract_table(path, schema.ORDERS).frame["po_no"].tolist() == ["PO-260001"]


def test_csv_past_the_row_cap_stops(tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text("PO No.,Line\n" + "P,1\n" * MAX_ROWS, encoding="utf-8")
    with pytest.raises(GendanError, match=f"more than {MAX_ROWS:,} rows") as err:
        extract_table(path, schema.ORDERS)
    assert err.value.code is ErrorCode.TOO_LARGE and err.value.file == "huge.csv"


def test_ods_with_repeated_cells_stops_cleanly(tmp_path):
    source = Path(__file__).parent / "data" / "importers" / "factory_progress.ods"
    path = tmp_path / "repeated.ods"
    repeated = (b'<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
                b'table:number-columns-repeated="16000" office:value-type="float" office:value="1">'
                b"<text:p>1</text:p></table:table-cell></table:table-row></table:table>")
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            out.writestr(info, data.replace(b"</table:table>", repeated, 1) if info.filename == "content.xml"
                         else data)
    assert gendan("new", tmp_path / "m.xlsx").returncode == 0
    before = (tmp_path / "m.xlsx").read_bytes()
    proc = gendan("load", tmp_path / "m.xlsx", path)
    assert_clean_stop(proc, "repeated.ods", "too large")
    assert (tmp_path / "m.xlsx").read_bytes() == before


# -- sheets --------------------------------------------------------------------------------------

@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_hidden_sheet_is_never_chosen_over_a_visible_one(tmp_path, state):
    old = [HEADER + ["Style", "Color"], ["PO-1", 1, "2020-01-01", 5, "S", "C"]]   # matches more headers
    path = workbook(tmp_path / "two.xlsx", {"Old": old, "Now": [HEADER, ["PO-2", 1, "2026-12-01", 7]]},
                    hidden={"Old": state})
    got = extract_table(path, schema.ORDERS)
    assert got.sheet == "Now" and got.frame["po_no"].tolist() == ["PO-2"]
    assert extract_table(path, schema.ORDERS, sheet="Old").frame["po_no"].tolist() == ["PO-1"]


def test_header_only_in_a_hidden_sheet_is_an_error_naming_it(tmp_path):
    path = workbook(tmp_path / "h.xlsx", {"Readme": [["How to fill in"]], "Data": [HEADER, ["PO-1", 1]]},
                    hidden={"Data": "hidden"})
    with pytest.raises(GendanError) as err:
        extract_table(path, schema.ORDERS)
    assert err.value.code is ErrorCode.HEADER_NOT_FOUND and err.value.sheet == "Data" and "--sheet 'Data'" in str(err.value)


def test_stray_far_cell_in_another_sheet(tmp_path):
    """In a hidden sheet it is ignored; in a visible one it stops, unless the sheet to read is named."""
    far = append_rows(b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>')
    for state, stops in (("hidden", False), ("visible", True)):
        path = workbook(tmp_path / f"{state}.xlsx", {"Data": [HEADER, ["PO-1", 1]], "Scratch": [["x"]]},
                        hidden={"Scratch": state})
        rewrite_sheet(path, 2, far)
        if stops:
            with pytest.raises(GendanError, match="--sheet") as err:
                extract_table(path, schema.ORDERS)
            assert err.value.code is ErrorCode.TOO_LARGE and err.value.sheet == "Scratch"
        else:
            assert extract_table(path, schema.ORDERS).sheet == "Data"
        assert extract_table(path, schema.ORDERS, sheet="Data").frame["po_no"].tolist() == ["PO-1"]


# -- cells ---------------------------------------------------------------------------------------

def test_excel_error_cells_are_issue_rows(tmp_path):
    rows = [HEADER, ["PO-1", 1, "#N/A", 10], ["PO-2", 2, "2026-12-01", "#DIV/0!"], ["#REF!", 3, "2026-12-05", 5]]
    path = workbook(tmp_path / "errors.xlsx", {"Progress": rows})   # openpyxl writes these as t="e"
    # and one formula whose cached result is an error, as Excel saves a broken VLOOKUP
    rewrite_sheet(path, 1, append_rows(b'<row r="5"><c r="A5" t="inlineStr"><is><t>PO-4</t></is></c>'
                                       b'<c r="C5" t="e"><f>VLOOKUP(A5,X!A:C,3,0)</f><v>#N/A</v></c></row>'))
    got = extract_table(path, schema.ORDERS)
    errors = got.issues[got.issues["reason"] == "error_cell"]
    assert errors[["row", "column", "value"]].values.tolist() == [
        [2, "ETA", "#N/A"], [3, "Produced qty", "#DIV/0!"], [4, "PO No.", "#REF!"], [5, "ETA", "#N/A"]]
    assert all("错误值" in m and "left blank" in m for m in errors["message"])
    assert got.frame["eta"].isna().tolist() == [True, False, False, True]
    assert got.frame["po_no"].tolist() == ["PO-1", "PO-2", None, "PO-4"]


def test_negative_fractional_and_absurd_quantities_are_bad_numbers(tmp_path):
    path = tmp_path / "qty.csv"
    path.write_text("PO No.,Qty,Produced qty,Shipped qty\n"
                    "P1,100,-5,12.5\nP2,1e308,inf,1e10\nP3,2000,1500,0\n", encoding="utf-8")
    got = extract_table(path, schema.ORDERS)
    bad = got.issues[got.issues["reason"] == "bad_number"]
    assert bad[["row", "column"]].values.tolist() == [
        [2, "Produced qty"], [2, "Shipped qty"], [3, "Qty"], [3, "Produced qty"], [3, "Shipped qty"]]
    assert got.frame[["qty", "produced_qty", "shipped_qty"]].fillna(-1).values.tolist() == [
        [100, -1, -1], [-1, -1, -1], [2000, 1500, 0]]


def test_excel_day_zero_is_not_a_date(tmp_path):
    path = workbook(tmp_path / "zero.xlsx", {"Progress": [HEADER, ["PO-1", 1, datetime(1899, 12, 30), 1],
                                                           ["PO-2", 2, "1899-12-30", 1],
                                                           ["PO-3", 3, datetime(2026, 12, 1), 1]]})
    got = extract_table(path, schema.ORDERS)
    assert got.issues.loc[got.issues["reason"] == "bad_date", "row"].tolist() == [2, 3]
    assert got.frame["eta"].tolist()[2] == pd.Timestamp("2026-12-01") and got.frame["eta"].isna().sum() == 2


# -- issue flood -----------------------------------------------------------------------------------

def test_issues_past_the_cap_are_summarised_per_reason(demo_master, tmp_path):
    path = tmp_path / "flood.csv"
    lines = [f"PX-{n:06d},1,next week" for n in range(1500)]
    path.write_text("PO No.,Line,ETA\n" + "\n".join(lines) + "\n", encoding="utf-8")
    result = actions.sync(demo_master, [path], as_of=AS_OF)
    assert result.issues == {"bad_date": 1500, "unknown_order": 1500}   # every issue counted
    book = python_calamine.CalamineWorkbook.from_path(str(demo_master))
    rows = book.get_sheet_by_name(schema.IMPORT_ISSUES.sheet).to_python()
    header, body = rows[0], [r for r in rows[1:] if any(v not in ("", None) for v in r)]
    reason_col = next(i for i, h in enumerate(header) if "Reason" in str(h) or "原因" in str(h))
    message_col = next(i for i, h in enumerate(header) if "Message" in str(h) or "说明" in str(h))
    assert len(body) == MAX_ISSUES_PER_FILE + 2
    summaries = [r for r in body if str(r[message_col]).startswith("…")]
    assert sorted(reason_code(r[reason_col]) for r in summaries) == ["bad_date", "unknown_order"]
    counts = sorted(int(re.search(r"and ([\d,]+) more", r[message_col])[1].replace(",", "")) for r in summaries)
    assert sum(counts) == 3000 - MAX_ISSUES_PER_FILE
