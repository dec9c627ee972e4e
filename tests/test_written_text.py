"""What we write as text reads back as written: sheet names Excel accepts, page headers with a literal
``&``, control characters and ``_xHHHH_`` look-alikes in cells, over-long text, log timestamps.

Every workbook here is written by the real actions (or the CLI) and re-read by openpyxl,
python-calamine (gendan's own reader) and LibreOffice. openpyxl does not decode the ``_xHHHH_``
escapes of inline strings (Excel, calamine and LibreOffice do), so its values are compared after
openpyxl's own decoder, ``openpyxl.utils.escape.unescape``.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import fastexcel
import openpyxl
import pytest
import python_calamine
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils.escape import unescape

from conftest import AS_OF
from gendan_xl.model.words import reason_code
from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.sheets.cells import MAX_CELL_CHARS, fit_cell
from gendan_xl.store.master import MasterWorkbook
from gendan_xl.sheets.reconcile_sheet import RESOLUTION, sheet_name
from gendan_xl.model.values import sheet_key
from gendan_xl.sheets.sheet_render import SheetSpec
from gendan_xl.store.xlwings_book import XlwingsWorkbook
from libreoffice import convert, sheet_csv
from xlwings_memory_engine import open_book

PERIOD = "2026-10"
EAST = "Northwind Apparel Trading Co Eastern Division"   # the first 28 characters of both are the same
WEST = "Northwind Apparel Trading Co Western Division"
PARTIES = ["Maison Lumière SARL", EAST, WEST, "H&M", "X\x01Y"]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.fixture
def master(tmp_path) -> Path:
    """A new master loaded with one shipped line (PO-1 … PO-5) per party of PARTIES."""
    path = tmp_path / "master.xlsx"
    actions.new_master(path)
    lines = ["PO号,行号,款号,颜色,供应商,客户,数量,采购单价,单价,交期,出货日期,出货数量"]
    lines += [f'PO-{i},1,ST{i},Navy,"{party}",Shop,100,2.5,4,2026-10-20,2026-10-15,100'
              for i, party in enumerate(PARTIES, start=1)]
    orders = tmp_path / "orders.csv"
    orders.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert actions.load_orders(path, orders, as_of=AS_OF).added == len(PARTIES)
    return path


def statement(tmp_path: Path, po: int, description: str = "", day: str = "2026-10-15") -> Path:
    path = tmp_path / f"statement_{po}.csv"
    path.write_text("PO号,款号,品名,日期,数量,单价,金额\n"
                    f'PO-{po},ST{po},"{description}",{day},100,2.5,250\n', encoding="utf-8")
    return path


def calamine_rows(path: Path, sheet: str) -> list[list]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def reconcile_sheets(path: Path) -> list[str]:
    return [n for n in python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names if n.startswith("对账-")]


def assert_excel_sheet_names(path: Path) -> None:
    """Excel's rules: at most 31 characters, no forbidden character, unique ignoring case."""
    names = openpyxl.load_workbook(path).sheetnames
    assert names == python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") and n.strip("'") == n for n in names)
    assert len({sheet_key(n) for n in names}) == len({n.lower() for n in names}) == len(names)


def type_resolution(path: Path, sheet: str, note: str) -> None:
    """A user types a note into the first line's 处理 Resolution cell and saves (openpyxl)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    header_row = next(r for r in ws.iter_rows() if any(c.value == RESOLUTION for c in r))
    column = next(c.column for c in header_row if c.value == RESOLUTION)
    ws.cell(header_row[0].row + 1, column, note)
    wb.save(path)


def resolutions(path: Path, sheet: str) -> list[str]:
    rows = calamine_rows(path, sheet)
    header = next(r for r in rows if RESOLUTION in r)
    return [r[header.index(RESOLUTION)] for r in rows[rows.index(header) + 1:] if r[header.index(RESOLUTION)]]


def test_parties_alike_after_the_cut_get_their_own_sheets_and_reruns_replace_only_their_own(master, tmp_path):
    east = actions.reconcile(master, statement(tmp_path, 2), party=EAST, period=PERIOD).sheet
    west = actions.reconcile(master, statement(tmp_path, 3), party=WEST, period=PERIOD).sheet
    assert sheet_key(east) != sheet_key(west)          # today: the same name, west replaced east silently
    type_resolution(master, east, "east note")
    type_resolution(master, west, "west note")
    again = [actions.reconcile(master, statement(tmp_path, po), party=party, period=PERIOD).sheet
             for po, party in ((3, WEST), (2, EAST))]
    assert again == [west, east] and len(reconcile_sheets(master)) == 2
    assert resolutions(master, east) == ["east note"] and resolutions(master, west) == ["west note"]
    # Each sheet records whom and which period it is for.
    assert calamine_rows(master, east)[1][:6] == ["对方 Party", EAST, "", "", "期间 Period", PERIOD]
    assert calamine_rows(master, west)[1][1] == WEST
    assert_excel_sheet_names(master)


def test_the_same_party_in_other_case_replaces_its_sheet_and_a_user_sheet_is_never_taken(master, tmp_path):
    first = actions.reconcile(master, statement(tmp_path, 1), party="Maison Lumière SARL", period=PERIOD).sheet
    type_resolution(master, first, "vu")
    upper = actions.reconcile(master, statement(tmp_path, 1), party="MAISON LUMIÈRE SARL", period=PERIOD).sheet
    assert upper == first and reconcile_sheets(master) == [first]   # today: two sheets Excel rejects
    assert resolutions(master, first) == ["vu"]
    # A sheet of the user's own whose name differs only in case from ours is left alone.
    wb = openpyxl.load_workbook(master)
    wb.create_sheet("对账-h&m-2026-10")["A1"] = "my own notes"
    wb.save(master)
    ours = actions.reconcile(master, statement(tmp_path, 4), party="H&M", period=PERIOD).sheet
    assert ours == "对账-H&M-2026-10 (2)"
    assert calamine_rows(master, "对账-h&m-2026-10") == [["my own notes"]]
    assert actions.reconcile(master, statement(tmp_path, 4), party="h&m", period=PERIOD).sheet == ours
    assert_excel_sheet_names(master)
    out = tmp_path / "lo"
    out.mkdir()
    assert openpyxl.load_workbook(convert(master, "xlsx", out)).sheetnames == openpyxl.load_workbook(master).sheetnames


def test_a_sheet_from_an_older_gendan_is_still_found_by_its_title(master, tmp_path):
    name = actions.reconcile(master, statement(tmp_path, 1), party="Maison Lumière SARL", period=PERIOD).sheet
    wb = openpyxl.load_workbook(master)   # the layout older versions wrote: title, then "期间 Period: … · …"
    ws = wb[name]
    ws.unmerge_cells("B2:D2")
    for cell in ws[2]:
        cell.value = None
    ws["A2"] = f"期间 Period: {PERIOD} · 对方 Side: 供应商 supplier · 对账单 Statement: s.csv"
    wb.save(master)
    again = actions.reconcile(master, statement(tmp_path, 1), party="maison lumière sarl", period=PERIOD).sheet
    assert again == name and reconcile_sheets(master) == [name]
    assert actions.reconcile(master, statement(tmp_path, 1, day="2026-09-15"), party="Maison Lumière SARL",
                             period="2026-09").sheet == "对账-Maison Lumière SARL-2026-09"


def test_ampersand_in_a_party_prints_as_text_in_the_page_header(master, tmp_path):
    name = actions.reconcile(master, statement(tmp_path, 4), party="H&M", period=PERIOD).sheet
    with zipfile.ZipFile(master) as zf:
        part = next(p for p in zf.namelist() if p.startswith("xl/worksheets/") and b"H&amp;&amp;M" in zf.read(p))
        header = ET.fromstring(zf.read(part)).find(f"{{{MAIN}}}headerFooter/{{{MAIN}}}oddHeader").text
    assert header == f"&L对账 Reconciliation — H&&M {PERIOD}"   # no &D: the PC's date in its locale's format
    single = tmp_path / "only.xlsx"
    wb = openpyxl.load_workbook(master)
    for other in wb.sheetnames:
        if other != name:
            del wb[other]
    wb.save(single)
    pdf = convert(single, "pdf", tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert f"对账 Reconciliation — H&M {PERIOD}" in text     # today: "H" then the page number code "&M"


def test_page_header_text_is_escaped_and_within_excels_255_characters(tmp_path):
    path = tmp_path / "master.xlsx"
    actions.new_master(path)
    wb = MasterWorkbook(path)
    wb.replace_sheet(SheetSpec("long header", header="R&D _x0041_ \x07" + "&" * 300, header_right="2026-11-26"))
    wb.save()
    with zipfile.ZipFile(path) as zf:
        part = max((p for p in zf.namelist() if p.startswith("xl/worksheets/sheet")), key=lambda p: int(p[19:-4]))
        header = ET.fromstring(zf.read(part)).find(f"{{{MAIN}}}headerFooter/{{{MAIN}}}oddHeader").text
    assert len(header) <= 255 and header.startswith("&LR&&D _x005F_x0041_ &&&&") and header.endswith("&R2026-11-26")
    assert "\x07" not in header and header[2:-12].count("&") % 2 == 0   # each & of ours doubled, none cut in half
    openpyxl.load_workbook(path)


def test_control_characters_from_the_command_line_keep_the_file_valid(master, tmp_path):
    stmt = statement(tmp_path, 5)
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-m", "gendan_xl.cli", "reconcile", str(master), str(stmt),
                               "--party", "X\x01Y", "--period", PERIOD, "--prepared-by", "Li\x02ly"],
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(master) as zf:
        for part in zf.namelist():
            if part.endswith(".xml"):
                ET.fromstring(zf.read(part))            # today: workbook.xml is not XML (a \x01 in a sheet name)
    assert reconcile_sheets(master) == ["对账-XY-2026-10"]
    rows = calamine_rows(master, "对账-XY-2026-10")
    assert rows[0][0] == "对账单 Reconciliation: X\x01Y" and rows[1][1] == "X\x01Y"
    assert any(r[0] == "制表 Prepared by" and r[3] == "Li\x02ly" for r in rows)
    ws = openpyxl.load_workbook(master)["对账-XY-2026-10"]
    assert unescape(ws["B2"].value) == "X\x01Y"
    lo = sheet_csv(master, "对账-XY-2026-10", tmp_path)
    assert lo[1][1] == "X\x01Y" and any(r[0] == "制表 Prepared by" and r[3] == "Li\x02ly" for r in lo)


SUPPLIER_TEXTS = ["_x0041_", "_x005F_x0041_ & X\x01Y", "tab\there \x1f _x000D_"]


def test_escape_look_alikes_and_control_characters_round_trip_and_are_logged_once(master, tmp_path):
    progress = tmp_path / "progress.csv"
    progress.write_text("PO,Line,Remarks\n" + "".join(f'PO-{i},1,"{text}"\n' for i, text in enumerate(
        SUPPLIER_TEXTS, start=1)), encoding="utf-8")
    first = actions.sync(master, [progress], as_of=AS_OF)
    assert first.changed_values == len(SUPPLIER_TEXTS)
    again = actions.sync(master, [progress], as_of=AS_OF)     # today: "_x0041_" read back as "A" and logged again
    assert again.changed_values == 0 and again.change_log_rows == 0 and again.import_issue_rows == 0
    column = schema.ORDERS.names.index("supplier_remarks")
    orders = calamine_rows(master, schema.ORDERS.sheet)
    assert [r[column] for r in orders[1:4]] == SUPPLIER_TEXTS
    ws = openpyxl.load_workbook(master)[schema.ORDERS.sheet]
    assert [unescape(ws.cell(row, column + 1).value) for row in (2, 3, 4)] == SUPPLIER_TEXTS
    log = calamine_rows(master, schema.CHANGE_LOG.sheet)
    assert [r[schema.CHANGE_LOG.names.index("new")] for r in log[1:]] == SUPPLIER_TEXTS
    lo = sheet_csv(master, schema.ORDERS.sheet, tmp_path)
    assert [r[column] for r in lo[1:4]] == SUPPLIER_TEXTS


@settings(max_examples=15)
@given(st.lists(st.text(alphabet=st.one_of(st.sampled_from(["_", "x", "X", "0", "5", "F", "f", "A", "\r", "\n"]),
                                           st.characters(exclude_categories=("Cs",))), max_size=40),
                min_size=1, max_size=12))
def test_any_text_reads_back_as_written(tmp_path_factory, texts):
    path = tmp_path_factory.mktemp("any") / "master.xlsx"
    actions.new_master(path)
    wb = MasterWorkbook(path)
    spec = SheetSpec("texts")
    for row, text in enumerate(texts, start=1):
        spec.put(row, 1, text)
    wb.replace_sheet(spec)
    wb.save()
    read = [r[0] if r else "" for r in calamine_rows(path, "texts")]
    assert read + [""] * (len(texts) - len(read)) == texts
    ws = openpyxl.load_workbook(path)["texts"]
    assert [unescape(ws.cell(row, 1).value or "") for row in range(1, len(texts) + 1)] == texts


def test_text_longer_than_a_cell_is_cut_with_an_issue_row(master, tmp_path):
    long = "长" * 40_000
    progress = tmp_path / "progress.csv"
    progress.write_text(f'PO,Line,Remarks\nPO-1,1,"{long}"\n', encoding="utf-8")
    out = actions.sync(master, [progress], as_of=AS_OF)
    issue = next(i for i in out.issue_rows if i["reason"] == "too_long")
    assert (issue["file"], issue["row"], issue["column"]) == ("progress.csv", 2, "Remarks")
    column = schema.ORDERS.names.index("supplier_remarks")
    assert calamine_rows(master, schema.ORDERS.sheet)[1][column] == long[:MAX_CELL_CHARS]
    again = actions.sync(master, [progress], as_of=AS_OF)
    assert again.change_log_rows == 0 and again.import_issue_rows == 0
    issues = calamine_rows(master, schema.IMPORT_ISSUES.sheet)
    reason = schema.IMPORT_ISSUES.names.index("reason")
    assert [reason_code(r[reason]) for r in issues[1:]].count("too_long") == 1

    export = tmp_path / "erp.csv"
    export.write_text(f'PO号,行号,品名,数量\nPO-9,1,"{long}",5\n', encoding="utf-8")
    loaded = actions.load_orders(master, export, as_of=AS_OF)
    assert loaded.issue_counts.get("too_long") == 1
    description = schema.ORDERS.names.index("description")
    assert next(r for r in calamine_rows(master, schema.ORDERS.sheet) if r[0] == "PO-9")[description] == \
        long[:MAX_CELL_CHARS]

    reconciled = actions.reconcile(master, statement(tmp_path, 1, description=long), party=PARTIES[0],
                                   period=PERIOD, prepared="😀" * 20_000)
    assert [i["reason"] for i in reconciled.issue_rows] == ["too_long"]
    rows = calamine_rows(master, reconciled.sheet)
    signed = next(r[3] for r in rows if r[0] == "制表 Prepared by")
    assert signed == "😀" * (MAX_CELL_CHARS // 2)      # the safety net: 32,766 UTF-16 units, no half emoji
    out_dir = tmp_path / "lo"
    out_dir.mkdir()
    opened = openpyxl.load_workbook(convert(master, "xlsx", out_dir))
    assert len(opened[schema.ORDERS.sheet].cell(2, column + 1).value) == MAX_CELL_CHARS


def test_fit_cell_counts_as_excel_does():
    assert fit_cell("a" * 40_000) == "a" * MAX_CELL_CHARS
    assert fit_cell("a" + "😀" * 16_383) == "a" + "😀" * 16_383        # 32,767 units: fits
    assert fit_cell("😀" * 16_384) == "😀" * 16_383
    assert fit_cell("short") == "short"


def test_log_timestamps_are_date_times_and_old_text_stamps_still_read(master, tmp_path):
    progress = tmp_path / "progress.csv"
    progress.write_text("PO,Line,ETA,Remarks\nPO-1,1,2026-12-01,ok\nPO-2,1,not a date,\n", encoding="utf-8")
    before = dt.datetime.now().replace(microsecond=0)
    actions.sync(master, [progress], as_of=AS_OF)
    after = dt.datetime.now()
    for spec in (schema.CHANGE_LOG, schema.IMPORT_ISSUES):
        ws = openpyxl.load_workbook(master)[spec.sheet]
        cell = ws.cell(2, 1)
        assert isinstance(cell.value, dt.datetime) and before <= cell.value <= after
        assert cell.number_format == "yyyy-mm-dd hh:mm:ss"
        assert calamine_rows(master, spec.sheet)[1][0] == cell.value
        typed = fastexcel.read_excel(str(master)).load_sheet_by_name(spec.sheet).to_pandas()
        assert typed.iloc[0, 0].to_pydatetime() == cell.value
        frame = MasterWorkbook(master).read(spec).frame
        assert frame["timestamp"].dt.to_pydatetime().tolist() == [cell.value] * len(frame)
    stamp = openpyxl.load_workbook(master)[schema.CHANGE_LOG.sheet].cell(2, 1).value
    lo = sheet_csv(master, schema.CHANGE_LOG.sheet, tmp_path)
    assert lo[1][0] == stamp.isoformat(sep=" ")

    wb = openpyxl.load_workbook(master)   # an older gendan wrote the timestamps as ISO text
    for spec in (schema.CHANGE_LOG, schema.IMPORT_ISSUES):
        for (cell,) in wb[spec.sheet].iter_rows(min_row=2, max_col=1):
            if cell.value is not None:
                cell.value, cell.number_format = cell.value.isoformat(sep=" "), "General"
    wb.save(master)
    again = actions.sync(master, [progress], as_of=AS_OF)
    assert again.change_log_rows == 0 and again.import_issue_rows == 0
    frame = MasterWorkbook(master).read(schema.CHANGE_LOG).frame
    assert frame["timestamp"].dt.to_pydatetime().tolist() == [stamp] * len(frame)


def test_sheet_name_is_a_pure_choice_among_existing_names():
    taken = ["订单 Orders", "对账-ACME-2026-10", "对账-acme-2026-10 (2)"]
    mine = "对账-acme-2026-10 (2)"
    assert sheet_name("ACME", "2026-10", taken, owns=lambda n: n == mine) == mine
    assert sheet_name("ACME", "2026-10", taken) == "对账-ACME-2026-10 (3)"
    assert sheet_name("ACME", "2026-10") == "对账-ACME-2026-10"
    assert sheet_name("'A/B: [HK]*?\\'\x01", None) == "对账-'A_B_ _HK____'-全部"
    assert sheet_name("x" * 40, "2026-10", ["对账-" + "x" * 20 + "-2026-10"]) == "对账-" + "x" * 16 + "-2026-10 (2)"


def test_live_excel_names_finds_and_cuts_the_same_way(master, tmp_path):
    book = open_book(master)
    live = [actions.reconcile(XlwingsWorkbook(book), statement(tmp_path, po), party=party, period=PERIOD,
                              prepared="长" * 40_000).sheet for po, party in ((2, EAST), (3, WEST), (2, EAST))]
    on_file = [actions.reconcile(master, statement(tmp_path, po), party=party, period=PERIOD).sheet
               for po, party in ((2, EAST), (3, WEST), (2, EAST))]
    assert live == on_file and live[0] == live[2] != live[1]
    assert [s.name for s in book.sheets if s.name.startswith("对账-")] == live[:2]
    signed = [v for v in book.sheets[live[0]].impl.values.values() if isinstance(v, str) and v.startswith("长")]
    assert [len(v) for v in signed] == [MAX_CELL_CHARS]
