"""Sheets people read print like hand-made ones: every generated sheet of the demo, and of a master
with very long Chinese and English supplier, customer and style names, is printed to PDF by
LibreOffice; no word may be drawn over another (../shared/tools/pdf_overlaps.py) and every header,
label and name shows whole."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from conftest import AS_OF
from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.demo.build import demo_frames
from gendan_xl.demo.sample_files import write_statements
from gendan_xl.outputs import chase_file, customer_file
from gendan_xl.sheets.report_sheet import REPORT_SHEET
from gendan_xl.sheets.sheet_render import PAGE_OF
from gendan_xl.sheets.ta_sheet import TA_SHEET
from gendan_xl.sheets.styles import STYLES
from libreoffice import sheet_pdf
from ooxml import assert_valid
from table_rows import table_rows
from printed import HEADER_FILL, OVERLAPS, REPO, check_sheet, pdf_words, shown_whole, sheet_texts

LONG_SUPPLIER = ("浙江宁波华美服饰制造进出口集团有限公司 Ningbo Huamei Garments Manufacturing Import and "
                 "Export Group Company Limited")
LONG_CUSTOMER = "Maison Lumière Société des Importations Textiles de Paris et de Lyon SARL 巴黎里昂纺织品进口有限公司"
STYLE_TAIL = "-AW2026-LONGLINE-WOOL-BLEND-OVERCOAT-女款羊毛混纺长款大衣"


def _reconciled(master: Path, statements: list[dict]) -> list[str]:
    """Reconcile every statement into ``master``; the generated sheets, report first."""
    sheets = [REPORT_SHEET]
    for s in statements:
        out = actions.reconcile(master, s["statement"], party=s["party"], period=s["period"], side=s["side"],
                                prepared="Lily")
        sheets.append(out.sheet)
    return sheets


@pytest.fixture(scope="module")
def demo_sheets(tmp_path_factory) -> tuple[Path, list[str]]:
    """The bundled demo (workbooks/demo), refreshed, with both its statements reconciled."""
    folder = tmp_path_factory.mktemp("demo_print")
    master = folder / "master.xlsx"
    shutil.copy(REPO / "workbooks" / "demo" / "master.xlsx", master)
    actions.refresh(master, as_of=AS_OF)
    statements = sorted((REPO / "workbooks" / "demo" / "statements").iterdir())
    customer = next(p for p in statements if p.suffix == ".csv")
    supplier = next(p for p in statements if p.suffix == ".xlsx")
    return master, _reconciled(master, [   # each statement's period is the month in its name
        {"statement": supplier, "party": "华美", "period": supplier.stem.rsplit("_", 1)[1], "side": "supplier"},
        {"statement": customer, "party": "Maison Lumière SARL", "period": customer.stem.rsplit("_", 1)[1],
         "side": "customer"}])


@pytest.fixture(scope="module")
def long_name_sheets(tmp_path_factory) -> tuple[Path, list[str]]:
    """A master whose busiest supplier and customer and every style have very long names."""
    folder = tmp_path_factory.mktemp("long_names")
    suppliers, lines = demo_frames(160, 5, AS_OF)
    old = suppliers.loc[suppliers["code"] == "NBHM", "name"].iloc[0]
    suppliers.loc[suppliers["code"] == "NBHM", "name"] = LONG_SUPPLIER
    lines["supplier"] = lines["supplier"].replace(old, LONG_SUPPLIER)
    busiest = lines[lines["ship_date"].notna()]["customer"].value_counts().idxmax()
    lines["customer"] = lines["customer"].replace(busiest, LONG_CUSTOMER)
    lines["style"] = lines["style"] + STYLE_TAIL
    master = folder / "master.xlsx"
    actions.new_master(master, suppliers=suppliers, orders=lines)
    statements = write_statements(folder / "statements", lines)
    actions.refresh(master, as_of=AS_OF)
    return master, _reconciled(master, statements)


@pytest.mark.parametrize("n", range(3), ids=["report", "supplier_statement", "customer_statement"])
def test_demo_sheet_prints_without_overlaps(demo_sheets, n, tmp_path):
    master, sheets = demo_sheets
    check_sheet(master, sheets[n], tmp_path)


@pytest.mark.parametrize("n", range(3), ids=["report", "supplier_statement", "customer_statement"])
def test_long_names_print_without_overlaps(long_name_sheets, n, tmp_path):
    master, sheets = long_name_sheets
    check_sheet(master, sheets[n], tmp_path)


def test_demo_orders_table_prints_to_the_page_width_without_overlaps(demo_sheets, tmp_path):
    master, _ = demo_sheets
    ws = openpyxl.load_workbook(master)[schema.ORDERS.sheet]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$1:$1" and "&P" in ws.oddFooter.center.text
    check_sheet(master, schema.ORDERS.sheet, tmp_path, [f.header for f in schema.ORDERS.fields])


@pytest.mark.parametrize("sheets", ["demo_sheets", "long_name_sheets"], ids=["demo", "long_names"])
def test_every_chase_file_prints_without_overlaps(sheets, request, tmp_path):
    master, _ = request.getfixturevalue(sheets)
    files = actions.chase(master, out=tmp_path / "chase", as_of=AS_OF).files
    assert files
    fills = {STYLES["header"].fill, STYLES["input_header"].fill}
    for entry in files:
        path = Path(entry.file)
        ws = openpyxl.load_workbook(path)[chase_file.SHEET]
        title = ws["A1"].value
        assert ws.oddHeader.left.text == title and ws.oddFooter.center.text == PAGE_OF   # as every generated sheet
        row = [c.value for c in ws[chase_file.HEADER_ROW]]
        headers = [header for _, header, *_ in chase_file.COLUMNS if header in row]   # one due date column or both
        asked = row[row.index(chase_file.NEXT_HEADER) + 1:] if chase_file.NEXT_HEADER in row else []
        answers = {h for _, h, _, answer in chase_file.COLUMNS if answer} | set(asked)   # + milestone dates
        for cell in ws[chase_file.HEADER_ROW]:   # the palette's header looks
            style = STYLES["input_header" if cell.value in answers else "header"]
            assert (cell.fill.fgColor.rgb, cell.font.color.rgb, cell.font.b) == (style.fill, style.color, True)
        assert {c.fill.fgColor.rgb for c in ws[chase_file.HEADER_ROW]} == fills
        pages = check_sheet(path, chase_file.SHEET, tmp_path, [*headers, *row[len(headers):], title])
        assert all(shown_whole(f"Page {n} of {len(pages)}", pages) for n in range(1, len(pages) + 1))


@pytest.mark.parametrize("sheets, customer", [("demo_sheets", "Maison Lumière SARL"),
                                              ("long_name_sheets", LONG_CUSTOMER)], ids=["demo", "long_names"])
def test_the_customer_report_prints_without_overlaps_and_its_pdf_too(sheets, customer, request, tmp_path):
    master, _ = request.getfixturevalue(sheets)
    report = actions.customer_report(master, customer=customer, out=tmp_path / "report.xlsx", as_of=AS_OF)
    assert report.open_lines and report.shipped_lines
    path = Path(report.file)
    ws = openpyxl.load_workbook(path)[customer_file.SHEET]
    texts = [header for _, header, _ in customer_file.COLUMNS] + [ws[f"A{r}"].value for r in (1, 2, 3)]
    check_sheet(path, customer_file.SHEET, tmp_path, texts)
    pdf = Path(actions.customer_report(master, customer=customer, out=tmp_path / "report.pdf", as_of=AS_OF).file)
    proc = subprocess.run([sys.executable, str(OVERLAPS), str(pdf)], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0 and proc.stdout.startswith("0 overlapping"), proc.stdout
    pages = pdf_words(pdf)
    assert all(shown_whole(text, pages) for text in texts)
    assert_valid(path)


def test_the_report_with_the_sample_turnaround_prints_without_overlaps(long_name_sheets, tmp_path):
    """The 周报 of a master with samples (every customer, the longest name among them, answered in 2
    to 9 working days, some rejected) has the 样品周转 section and prints as every other part."""
    master = tmp_path / "master.xlsx"
    shutil.copy(long_name_sheets[0], master)
    firsts = {r["customer"]: r for r in table_rows(master, schema.ORDERS) if r["customer"]}
    assert LONG_CUSTOMER in firsts
    rows = [f"S-{i}-{kind},1,{kind},{line['po_no']},{line['line']},2026-10-{12 + i % 5},"
            f"{'REJECTED' if i % 3 == 0 else 'APPROVED'},2026-10-{19 + i % 8}"
            for i, line in enumerate(firsts.values()) for kind in ("LAB_DIP", "PP")]
    csv = tmp_path / "samples.csv"
    csv.write_text("sample_no,round,kind,po_no,line,received_date,status,status_date\n" + "\n".join(rows) + "\n",
                   encoding="utf-8")
    actions.load_table(master, csv, schema.SAMPLES, as_of=AS_OF)
    result = actions.refresh(master, as_of=AS_OF)
    assert LONG_CUSTOMER in {r["customer"] for r in result.samples["turnaround"]} and result.samples["slower"]
    texts = [c.value for c in next(openpyxl.load_workbook(master)[REPORT_SHEET].iter_cols(max_col=1))]
    assert any(isinstance(t, str) and t.startswith("样品周转 Sample turnaround") for t in texts)
    check_sheet(master, REPORT_SHEET, tmp_path)


def test_the_long_names_master_passes_the_ooxml_validator(long_name_sheets):
    master, _ = long_name_sheets
    assert_valid(master)


def _lists(ws) -> tuple[dict[int, tuple], dict[int, int]]:
    """The lists of a sheet as written: (header row -> its header texts, list row -> its header row).
    A list's rows follow its header up to the next blank, title (bold, 12 points or more) or header row."""
    headers, owner, current = {}, {}, None
    for row in ws.iter_rows():
        r, first = row[0].row, row[0]
        texts = tuple(c.value for c in row if isinstance(c.value, str) and c.value.strip())
        if first.fill.fgColor.rgb == HEADER_FILL:
            headers[r], current = texts, r
        elif not texts or (first.font.b and (first.font.sz or 11) >= 12):
            current = None
        elif current is not None:
            owner[r] = current
    return headers, owner


def _page_text(pdf: Path, n: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_the_printed_report_reads_in_the_order_she_acts_each_list_under_its_own_header(demo_sheets, tmp_path):
    """Printed by LibreOffice, page by page: the lines to act on come right after the KPI page and
    before the milestone to-do, the sample to-do, the changes and the scorecard; every page of a list shows that list's
    header and no other list's; a why takes at most three lines."""
    master, _ = demo_sheets
    ws = openpyxl.load_workbook(master)[REPORT_SHEET]
    assert ws.print_title_rows is None            # one repeated range would print over the other lists
    breaks = [b.id for b in ws.row_breaks.brk]
    headers, owner = _lists(ws)
    kinds = sorted(set(headers.values()))
    words = {k: {w for t in k for w in t.split()} for k in kinds}
    elsewhere = {w for text in sheet_texts(master, REPORT_SHEET)[1] for w in text.split()}   # data, titles, notes
    own_words = {k: words[k] - elsewhere - set().union(*(words[o] for o in kinds if o != k)) for k in kinds}
    assert all(own_words.values())
    pdf = sheet_pdf(master, REPORT_SHEET, tmp_path)
    pages = pdf_words(pdf)
    assert len(pages) == len(breaks) + 1          # every page ends where the sheet says, none added

    def kind_of(title: str) -> tuple:
        return next(k for k in kinds if title in k)

    act_on, todo, change = kind_of("预计完成 ETA"), kind_of("负责方 Owner"), kind_of("之前 Before")
    bounds = [0, *breaks, ws.max_row]
    shown_on = []
    for n, (first, last) in enumerate(zip(bounds, bounds[1:]), start=1):
        rows = range(first + 1, last + 1)
        expected = {headers[r] for r in rows if r in headers}
        for r in rows:                            # each list row printed below its own header, same page
            assert r not in owner or first < owner[r] < r, f"page {n}: row {r} without its header"
        on_page = set(_page_text(pdf, n).split())
        shown = {k for k in kinds if len(own_words[k] & on_page) >= len(own_words[k]) / 2}
        assert shown == expected, f"page {n}: headers {shown} printed, the sheet has {expected}"
        if shown & {act_on, todo, change}:
            assert len(shown) == 1, f"page {n}: {shown}"
        shown_on.append(shown)
    first_page = {k: next(n for n, shown in enumerate(shown_on, start=1) if k in shown) for k in kinds}
    sample_todo = [k for k in kinds if schema.SAMPLES.header("sample_no") in k]   # its overdue and waiting lists
    assert first_page[act_on] == 2 < first_page[todo] < first_page[change]
    assert all(first_page[todo] < first_page[k] < first_page[change] for k in sample_todo)
    assert all(first_page[k] > first_page[change] for k in kinds if k not in (act_on, todo, change, *sample_todo)
               and first_page[k] > 1)
    for n, words_on in enumerate(pages, start=1):  # the why of each listed line: at most three lines
        if act_on not in shown_on[n - 1]:
            continue
        why_x = min(w[0] for w in words_on if w[4] == "原因")
        starts = sorted({w[1] for w in words_on if re.fullmatch(r"PO-\d+", w[4]) and w[0] < why_x / 4})
        bottom = max(w[1] for w in words_on if w[4] == "Page")
        for top, end in zip(starts, [*starts[1:], bottom]):
            lines = {round(w[1]) for w in words_on if w[0] >= why_x - 1 and top - 1 <= w[1] < end - 1}
            assert 1 <= len(lines) <= 3, f"page {n}: a why in {len(lines)} lines"


def test_page_headers_print_the_as_of_date_as_text_and_no_product_name(demo_sheets, tmp_path):
    """The header atop each printed page carries the date its figures are as of, written out as
    yyyy-mm-dd (Excel's &D would print the PC's date in its locale's format, 12/06/2026), or no
    date where there is none (a table, a reconciliation by period); never "— gendan_xl"."""
    master, sheets = demo_sheets
    wb = openpyxl.load_workbook(master)
    dated = {REPORT_SHEET: AS_OF.isoformat(), TA_SHEET: AS_OF.isoformat()}
    chase = Path(actions.chase(master, out=tmp_path / "chase", as_of=AS_OF).files[0].file)
    report = Path(actions.customer_report(master, customer="Maison Lumière SARL", out=tmp_path / "report.xlsx",
                                          as_of=AS_OF).file)
    new = tmp_path / "new.xlsx"   # every table of a new master, the generated sheets and files of the demo
    actions.new_master(new)
    headers = {f"new {ws.title}": (ws.oddHeader.left.text, ws.oddHeader.right.text, None)
               for ws in openpyxl.load_workbook(new) if ws.oddHeader.left.text}
    headers.update({name: (wb[name].oddHeader.left.text, wb[name].oddHeader.right.text, dated.get(name))
                    for name in [*dated, *sheets, schema.ORDERS.sheet]})
    headers.update({f"{p.name} {ws.title}": (ws.oddHeader.left.text, ws.oddHeader.right.text, AS_OF.isoformat())
                    for p in (chase, report) for ws in openpyxl.load_workbook(p)
                    if ws.sheet_state == "visible"})   # the chase file's hidden 发出时 As sent is never printed
    assert len(headers) > len(schema.TABLES) + len(sheets) + 2
    for name, (left, right, expected) in headers.items():
        assert "gendan_xl" not in left and "&D" not in left + (right or "") and right == expected, name
    top = _page_text(sheet_pdf(master, REPORT_SHEET, tmp_path), 1).splitlines()[0]
    assert top.split()[:2] == ["周报", "Weekly"] and top.split()[-1] == AS_OF.isoformat()


def test_the_report_with_its_sample_to_do_and_a_chase_file_of_samples_print_without_overlaps(tmp_path):
    """A master with sample rounds overdue at its suppliers and waiting for its customers (long names):
    the 周报's 样品待办 Sample to-do and a chase file's 寄样 Samples sheet print with no word over another."""
    suppliers, lines = demo_frames(40, 5, AS_OF)
    lines["customer"] = lines["customer"].replace(lines["customer"].iloc[0], LONG_CUSTOMER)
    master = tmp_path / "master.xlsx"
    actions.new_master(master, suppliers=suppliers, orders=lines)
    rows = ["sample_no,round,kind,customer,po_no,line,size,qty,due,sent_date,received_date,status"]
    for k, line in enumerate(lines.head(12).itertuples()):
        kind = ("PP", "LAB_DIP", "SIZE_SET", "TOP")[k % 4]
        if k % 2:   # received 2026-11-09: waiting for the customer
            rows.append(f"S-{k},{1 + k % 3},{kind},{LONG_CUSTOMER if k == 1 else ''},{line.po_no},{line.line},,,,"
                        "2026-11-02,2026-11-09,RECEIVED")
        else:       # due 2026-11-16, not sent: overdue at the supplier
            rows.append(f"S-{k},1,{kind},,{line.po_no},{line.line},XL,3,2026-11-16,,,")
    (tmp_path / "s.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    actions.load_table(master, tmp_path / "s.csv", schema.SAMPLES, as_of=AS_OF)
    refreshed = actions.refresh(master, as_of=AS_OF)
    assert len(refreshed.samples["overdue"]) == 6 and len(refreshed.samples["waiting"]) == 6
    check_sheet(master, REPORT_SHEET, tmp_path, ["样品待办 Sample to-do", "逾期(工作日) WD overdue",
                                                            "待办 To do", "催客户批样"])
    entry = next(f for f in actions.chase(master, out=tmp_path / "chase", as_of=AS_OF).files if f.samples)
    headers = [header for _, header, *_ in chase_file.SAMPLE_COLUMNS]
    (tmp_path / "printed").mkdir()
    check_sheet(Path(entry.file), chase_file.SAMPLE_SHEET, tmp_path / "printed", headers)
    assert_valid(master, Path(entry.file))
