"""客户报告 Customer report: which lines a customer sees and in which words, the file (read back by
openpyxl and LibreOffice), that nothing internal is in any part of it or of its PDF, the refusals of
a bad --out, and the command line."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.table import TableColumn

from conftest import AS_OF, orders_frame
from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.rules.calendar import CalendarBook
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.statuses import CustomerStatus
from gendan_xl.reporting.customer_report import SHOWN, build
from gendan_xl.model.file_names import safe_stem
from gendan_xl.model.settings import Settings
from gendan_xl.rules.slack import evaluate
from gendan_xl.sheets.cells import col_letter
from gendan_xl.outputs.customer_file import COLUMNS, HEADER_ROW, SHEET, TO_CONFIRM
from gendan_xl.outputs.handout_file import CREATOR
from ooxml import assert_valid
from package_text import part_texts

BOOK = CalendarBook.from_rows(None, range(2019, 2028))
CUSTOMER = "Maison Lumière SARL"
LEGAL_NAME = "Maison Lumière S.A.R.L."   # its legal name in the demo's 客户 Customers


def _line(po, customer=CUSTOMER, **extra) -> dict:
    return {"po_no": po, "line": 1, "customer": customer, "style": "ST-" + po, "color": "Navy 藏青", "qty": 1000,
            "supplier": "Acme", "order_date": "2026-09-01", "due_date": "2026-12-18", **extra}


def _report(rows: list[dict], as_of=AS_OF, days=30, customer=CUSTOMER):
    orders = orders_frame(rows)
    evaluated = evaluate(orders, "CN", BOOK, as_of, Settings(), detail=True)
    return build(orders, evaluated, customer, as_of, days)


def _by_po(report) -> dict[str, dict]:
    """The report's lines as its JSON gives them (codes, ISO dates, None for blanks), by PO."""
    return {rec["po_no"]: rec for rec in report.summary()["lines"]}


# --- which lines -------------------------------------------------------------------------------

def test_shipped_window_is_the_last_n_calendar_days_up_to_the_as_of_date():
    # as of 2026-11-26, 30 days: 2026-10-28 .. 2026-11-26
    rows = [_line(po, ship_date=day, shipped_qty=1000, due_date="2026-12-31") for po, day in
            (("P-27", "2026-10-27"), ("P-28", "2026-10-28"), ("P-26", "2026-11-26"), ("P-AFTER", "2026-11-27"))]
    report = _report(rows)
    assert list(report.shipped["po_no"]) == ["P-28", "P-26"] and report.shipped_from == dt.date(2026, 10, 28)
    assert list(_report(rows, days=1).shipped["po_no"]) == ["P-26"]
    assert list(_report(rows, as_of=dt.date(2026, 11, 27), days=31).shipped["po_no"]) == ["P-28", "P-26", "P-AFTER"]
    earlier = _report(rows, as_of=dt.date(2026, 11, 25))
    assert list(earlier.shipped["po_no"]) == ["P-27", "P-28"]
    # shipped after the as-of date: open then, on schedule (the due date) and nothing shipped yet
    assert [(r["po_no"], r["status"], r["date"], r["shipped_qty"]) for r in _by_po(earlier).values()
            if r["status"] != "SHIPPED"] == [("P-26", "ON_SCHEDULE", "2026-12-31", None),
                                             ("P-AFTER", "ON_SCHEDULE", "2026-12-31", None)]


def test_a_line_shipped_after_an_earlier_as_of_date_was_open_then():
    rows = [_line("P-LATE-SHIP", due_date="2026-11-20", ship_date="2026-11-24", shipped_qty=1000),
            _line("P-OVERDUE", due_date="2026-11-10", ship_date="2026-11-24", shipped_qty=1000),
            _line("P-PART", due_date="2026-12-20", ship_date="2026-11-24", shipped_qty=300)]
    seen = {po: (r["status"], r["date"], r["shipped_qty"]) for po, r in _by_po(_report(rows, dt.date(2026, 11, 16))).items()}
    # as the flags saw it then: no ETA, the ship date not known yet (so not the expected date)
    assert seen == {"P-LATE-SHIP": ("ON_SCHEDULE", "2026-11-20", None), "P-OVERDUE": ("OVERDUE", None, None),
                    "P-PART": ("ON_SCHEDULE", "2026-12-20", None)}
    seen = {po: (r["status"], r["shipped_qty"]) for po, r in _by_po(_report(rows)).items()}
    assert seen == {"P-LATE-SHIP": ("SHIPPED", 1000), "P-OVERDUE": ("SHIPPED", 1000), "P-PART": ("ON_SCHEDULE", 300)}


def test_only_this_customers_open_and_recently_shipped_lines_ignoring_case_and_width():
    rows = [_line("P-OPEN"), _line("P-OTHER", customer="Nordic Home AB"),
            _line("P-CASE", customer=" ＭＡＩＳＯＮ  LUMIÈRE sarl "),
            _line("P-ACCENT", customer="Maison Lumiere, S.A.R.L."),
            _line("P-CANCEL", status="CANCELLED 已取消"),
            _line("P-PREFIX", customer="Maison"),
            _line("P-OLD", ship_date="2026-09-01", shipped_qty=1000)]
    report = _report(rows)
    assert set(_by_po(report)) == {"P-OPEN", "P-CASE", "P-ACCENT"}
    assert report.customer == CUSTOMER
    for spelling in ("maison lumière SARL", "MAISON LUMIERE SARL", "maison-lumiere  sarl"):
        assert set(_by_po(_report(rows, customer=spelling))) == {"P-OPEN", "P-CASE", "P-ACCENT"}


@pytest.mark.parametrize("spelling", ["Maison Lumiere SARL", "maison lumière  sarl", "MAISON LUMIÈRE S.A.R.L."])
def test_the_customer_is_found_by_any_spelling_of_its_name_and_shown_as_our_lines_spell_it(
        demo_master, tmp_path, spelling):
    out = actions.customer_report(demo_master, customer=spelling, out=tmp_path / "r.xlsx", as_of=AS_OF)
    assert out.customer == CUSTOMER and out.open_lines + out.shipped_lines > 0   # today: not found
    # addressed to its legal name in the demo's 客户 Customers
    assert openpyxl.load_workbook(tmp_path / "r.xlsx")[SHEET]["A1"].value.endswith(LEGAL_NAME)


def test_status_words_and_the_date_the_customer_sees():
    rows = [
        _line("P-ON", eta="2026-12-01"),                                   # ON_TRACK
        _line("P-RISK", eta="2026-12-16"),                                 # AT_RISK: 2 WD < 3
        _line("P-SLIP", eta="2026-12-01", prev_eta="2026-11-20"),          # AT_RISK: the ETA slipped
        _line("P-WBL", eta="2026-12-24"),                                  # WILL_BE_LATE
        _line("P-LATE-ETA", due_date="2026-11-20", eta="2026-12-02"),      # LATE, a new ETA ahead
        _line("P-LATE-ETA-TODAY", due_date="2026-11-20", eta="2026-11-26"),
        _line("P-LATE", due_date="2026-11-20", eta="2026-11-18"),          # LATE, the ETA passed
        _line("P-NODATE", due_date=None),                                  # NO_DATE
        _line("P-NODATE-ETA", due_date=None, eta="2026-12-09"),
        _line("P-PART", shipped_qty=400, ship_date="2026-11-20", eta="2026-12-01"),   # partly shipped
        _line("P-SHIP", ship_date="2026-11-02", shipped_qty=1000, due_date="2026-11-10"),
        _line("P-SHIP-LATE", ship_date="2026-11-12", due_date="2026-11-10"),    # no shipped qty: all of it
    ]
    seen = {po: (rec["status"], rec["date"], rec["shipped_qty"]) for po, rec in _by_po(_report(rows)).items()}
    assert seen == {
        "P-ON": ("ON_SCHEDULE", "2026-12-18", None), "P-RISK": ("ON_SCHEDULE", "2026-12-18", None),
        "P-SLIP": ("ON_SCHEDULE", "2026-12-18", None), "P-WBL": ("EXPECTED_LATE", "2026-12-24", None),
        "P-LATE-ETA": ("OVERDUE", "2026-12-02", None), "P-LATE-ETA-TODAY": ("OVERDUE", "2026-11-26", None),
        "P-LATE": ("OVERDUE", None, None), "P-NODATE": ("TO_CONFIRM", None, None),
        "P-NODATE-ETA": ("TO_CONFIRM", "2026-12-09", None), "P-PART": ("ON_SCHEDULE", "2026-12-18", 400),
        "P-SHIP": ("SHIPPED", "2026-11-02", 1000), "P-SHIP-LATE": ("SHIPPED", "2026-11-12", 1000)}
    assert {code for code, _, _ in seen.values()} == set(CustomerStatus)


def test_open_lines_by_due_date_then_po_and_line_by_number_undated_last():
    rows = [_line("P-B", line=10), _line("P-B", line=2), _line("P-A", due_date="2026-12-30"),
            _line("P-0", due_date=None), _line("P-C", due_date="2026-12-01")]
    report = _report(rows)
    assert list(zip(report.open["po_no"], report.open["line"])) == [
        ("P-C", 1), ("P-B", 2), ("P-B", 10), ("P-A", 1), ("P-0", 1)]


# --- the file and the command ------------------------------------------------------------------

def _sheet_texts(path: Path) -> list[list]:
    return [list(row) for row in openpyxl.load_workbook(path)[SHEET].iter_rows(values_only=True)]


def test_report_of_a_demo_customer_reads_back_and_prints_to_the_page_width(demo_master, tmp_path):
    before = demo_master.read_bytes()
    out = actions.customer_report(demo_master, customer="maison lumière sarl", as_of=AS_OF,
                                  out=tmp_path / "r.xlsx")
    assert demo_master.read_bytes() == before
    assert not list(tmp_path.glob(".~gendan*")) and not list(tmp_path.glob("*.bak.xlsx"))
    wb = openpyxl.load_workbook(out.file)
    assert wb.sheetnames == [SHEET]
    ws = wb[SHEET]
    assert ws["A1"].value == f"订单状态报告 Order status report — {LEGAL_NAME}"
    assert [c.value for c in ws[HEADER_ROW]] == [header for _, header, _ in COLUMNS]
    # the Orders fields shown are headed as the Orders table heads them (出货数量 Shipped qty, not 已出货数量)
    assert [c.value for c in ws[HEADER_ROW]][:len(SHOWN)] == [schema.ORDERS.header(name) for name in SHOWN]
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}" and ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    rows = _sheet_texts(Path(out.file))
    lines = [r for r in rows[HEADER_ROW:] if r[-1] in {s.words for s in CustomerStatus}]
    assert len(lines) == out.open_lines + out.shipped_lines == len(out.lines) > 10
    shown = {(r[0], r[1]): r for r in lines}
    for line in out.lines:
        row = shown[(line["po_no"], line["line"])]
        assert row[5] == line["qty"] and row[-1] == CustomerStatus(line["status"]).words
        assert row[8] == (TO_CONFIRM if line["date"] is None else dt.datetime.fromisoformat(line["date"]))
    others = {(r[0], str(r[1])) for r in openpyxl.load_workbook(demo_master)[schema.ORDERS.sheet].iter_rows(
        min_row=2, values_only=True) if r[2] != CUSTOMER}
    assert len(others) > 100 and others.isdisjoint(shown)


def test_an_unknown_customer_lists_the_closest_names(demo_master, tmp_path):
    with pytest.raises(GendanError, match="找不到客户 no customer of ours") as err:
        actions.customer_report(demo_master, customer="Maison", out=tmp_path / "r.xlsx")
    assert err.value.code is ErrorCode.UNKNOWN_PARTY and err.value.value == "Maison" and err.value.expected.startswith(f"one of our customer names; the closest: {CUSTOMER}")
    with pytest.raises(GendanError) as err:   # a supplier is not a customer
        actions.customer_report(demo_master, customer="华美", out=tmp_path / "r.xlsx")
    assert err.value.code is ErrorCode.UNKNOWN_PARTY
    assert not (tmp_path / "r.xlsx").exists()


def test_a_bad_output_is_refused_and_an_earlier_report_is_replaced(demo_master, tmp_path):
    before = demo_master.read_bytes()
    (tmp_path / "link.xlsx").symlink_to(demo_master)
    other = tmp_path / "mine.xlsx"
    shutil.copy(demo_master, other)
    cases = {demo_master: ErrorCode.OUTPUT_EXISTS, tmp_path / "link.xlsx": ErrorCode.OUTPUT_EXISTS,
             tmp_path / "r.csv": ErrorCode.WRONG_FILE_TYPE, tmp_path / "r.xlsm": ErrorCode.WRONG_FILE_TYPE,
             tmp_path / "missing" / "r.xlsx": ErrorCode.FILE_NOT_FOUND, other: ErrorCode.OUTPUT_EXISTS}
    (tmp_path / "dir.xlsx").mkdir()
    cases[tmp_path / "dir.xlsx"] = ErrorCode.WRONG_PATH
    for out, code in cases.items():
        with pytest.raises(GendanError) as err:
            actions.customer_report(demo_master, customer=CUSTOMER, out=out)
        assert err.value.code is code, (out, err.value)
    assert demo_master.read_bytes() == before and other.read_bytes() == before
    first = actions.customer_report(demo_master, customer=CUSTOMER, out=tmp_path / "r.xlsx", as_of=AS_OF)
    again = actions.customer_report(demo_master, customer=CUSTOMER, out=tmp_path / "r.xlsx",
                                    as_of=AS_OF + dt.timedelta(days=7))
    assert first.file == again.file
    assert _sheet_texts(tmp_path / "r.xlsx")[1][0].startswith(f"截至 As of {(AS_OF + dt.timedelta(days=7))}")


def test_the_default_file_is_beside_the_master_with_a_name_safe_on_windows(tmp_path):
    customer = 'ACME: "Q" <EU>/Ltd?* 上海'
    master = tmp_path / "master.xlsx"
    actions.new_master(master, orders=orders_frame([_line("P-1", customer=customer)]).reset_index(drop=True))
    out = actions.customer_report(master, customer=customer.lower(), as_of=AS_OF)
    path = Path(out.file)
    assert path.parent == tmp_path and path.name == f"客户报告_{safe_stem(customer)}_{AS_OF}.xlsx"
    assert not set('<>:"/\\|?*') & set(path.name) and "上海" in path.name
    assert openpyxl.load_workbook(path)[SHEET]["A1"].value.endswith(customer)


def test_spellings_taken_as_one_customer_are_named_in_a_note(tmp_path):
    master = tmp_path / "master.xlsx"
    rows = [_line("P-1", customer="A-B Trading Co."), _line("P-2", customer="AB Trading Co"),
            _line("P-3", customer="AB Trading Co"), _line("P-4", customer="ABC Trading Co")]
    actions.new_master(master, orders=orders_frame(rows).reset_index(drop=True))
    out = actions.customer_report(master, customer="ab trading co", as_of=AS_OF)
    assert sorted(line["po_no"] for line in out.lines) == ["P-1", "P-2", "P-3"]
    assert out.notes == ["这些写法视为同一客户 these spellings were taken as one customer: "
                            "A-B Trading Co. | AB Trading Co"]
    for name, note in (("A-B trading co", True), ("ABC Trading Co", False)):
        proc = subprocess.run([sys.executable, "-m", "gendan_xl", "report", str(master), "--customer", name,
                               "--as-of", AS_OF.isoformat()], capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0 and ("注意 note: 这些写法视为同一客户" in proc.stderr) == note


def test_the_command_line_writes_the_report_and_says_what_it_holds(demo_master, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "gendan_xl", "report", str(demo_master), "--customer", CUSTOMER,
                           "--as-of", AS_OF.isoformat(), "--out", str(tmp_path / "r.xlsx"), "--json"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["ok"] and result["file"] == str(tmp_path / "r.xlsx") and result["shipped_days"] == 30
    assert set(result["lines"][0]) == {"po_no", "line", "style", "description", "color", "qty", "shipped_qty",
                                       "due_date", "date", "status"}
    assert sum(result["counts"].values()) == len(result["lines"])
    proc = subprocess.run([sys.executable, "-m", "gendan_xl", "report", str(demo_master), "--customer", "Nobody",
                           "--out", str(tmp_path / "n.xlsx")], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "找不到客户 no customer of ours is called this" in proc.stderr
    assert "Traceback" not in proc.stderr and "the closest: " in proc.stderr


def test_report_shipped_days_comes_from_the_settings_sheet(demo_master, tmp_path):
    wb = openpyxl.load_workbook(demo_master)
    ws = wb[schema.SETTINGS.sheet]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "report_shipped_days")
    ws.cell(row, 2).value = 7
    wb.save(demo_master)
    out = actions.customer_report(demo_master, customer=CUSTOMER, out=tmp_path / "r.xlsx", as_of=AS_OF)
    assert out.shipped_days == 7 and out.shipped_from == "2026-11-20"
    assert all(line["date"] >= "2026-11-20" for line in out.lines if line["status"] == "SHIPPED")


# --- nothing internal --------------------------------------------------------------------------

MARKERS = ["SUPPLIER-MARKER", "供应商标记", "SUPCODE-MARKER", "ALIAS-MARKER", "CONTACT-MARKER", "marker@supplier",
           "CURMARK", "STATUS-MARKER", "REMARK-MARKER", "内部备注标记", "SUPREMARK-MARKER", "工厂说明标记",
           "USERCOL-MARKER", "OTHERCUST-MARKER", "PO-OTHERMARK", "PO-CANCELMARK", "PO-OLDMARK",
           "8765.4", "8,765.4", "6543.2", "6,543.2", "4242.1", "4,242.1", "3131.7", "3,131.7", "31337", "31,337",
           "9137", "9,137", "2019-01-23", "2019-02-14", "2019-04-18", "43488", "43510", "43573"]
FLAG_CODES = ["ON_TRACK", "AT_RISK", "WILL_BE_LATE", "SHIPPED_LATE", "NO_DATE", "LATE", "SHIPPED", "NO_NEWS"]


def _marked_master(folder: Path) -> Path:
    """A master where every internal value is a marker: supplier (code, name, aliases, contact,
    e-mail), prices, currency, weight, freight, status, remarks, produced qty, ETA history, a user
    column, another customer, a cancelled line and one shipped long ago."""
    internal = {"supplier": "SUPPLIER-MARKER 供应商标记", "unit_price": 8765.4321, "cost_price": 6543.2109,
                "currency": "CURMARK", "weight_kg": 4242.17, "freight": 3131.77, "remarks": "REMARK-MARKER 内部备注标记",
                "supplier_remarks": "SUPREMARK-MARKER 工厂说明标记", "produced_qty": 31337, "qty": 40000,
                "first_eta": "2019-01-23", "prev_eta": "2019-02-14", "supplier_due": "2019-04-18", "eta_slips": 9137}
    rows = [_line("PO-A", eta="2026-12-01", **internal),
            _line("PO-B", eta="2026-12-24", status="STATUS-MARKER", **internal),
            _line("PO-C", due_date="2026-11-20", eta="2026-12-02", **internal),
            _line("PO-D", ship_date="2026-11-12", due_date="2026-11-10", shipped_qty=40000, **internal),
            _line("PO-E", due_date="2026-11-02", **internal),
            _line("PO-OTHERMARK", customer="OTHERCUST-MARKER", **internal),
            _line("PO-CANCELMARK", status="CANCELLED 已取消", **internal),
            _line("PO-OLDMARK", ship_date="2026-08-01", shipped_qty=40000, **internal)]
    suppliers = pd.DataFrame([{"code": "SUPCODE-MARKER", "name": internal["supplier"], "aliases": "ALIAS-MARKER",
                               "country": "CN", "contact": "CONTACT-MARKER", "email": "marker@supplier.example"}])
    master = folder / "master.xlsx"
    actions.new_master(master, suppliers=suppliers, orders=orders_frame(rows).reset_index(drop=True))
    wb = openpyxl.load_workbook(master)   # a user column inside the Orders table, as a user adds one
    ws = wb[schema.ORDERS.sheet]
    table = ws.tables[schema.ORDERS.name]
    col = len(schema.ORDERS.fields) + 1
    ws.cell(1, col).value = "内部 Internal"
    for r in range(2, ws.max_row + 1):
        ws.cell(r, col).value = "USERCOL-MARKER"
    table.ref = f"A1:{col_letter(col)}{ws.max_row}"
    table.tableColumns.append(TableColumn(id=col, name="内部 Internal"))
    table.autoFilter.ref = table.ref
    wb.save(master)
    actions.refresh(master, as_of=AS_OF)
    return master


def test_nothing_internal_in_any_part_of_the_file_or_its_pdf(tmp_path):
    master = _marked_master(tmp_path)
    orders = openpyxl.load_workbook(master)[schema.ORDERS.sheet]
    why = [r[-2] for r in orders.iter_rows(min_row=2, values_only=True) if r[2] == CUSTOMER]
    assert len(why) == 7 and all("WD" in w or "交期" in w for w in why)   # the master holds them
    xlsx = Path(actions.customer_report(master, customer=CUSTOMER, out=tmp_path / "r.xlsx", as_of=AS_OF).file)
    pdf = Path(actions.customer_report(master, customer=CUSTOMER, out=tmp_path / "r.pdf", as_of=AS_OF).file)
    parts = part_texts(xlsx)
    assert {"docProps/core.xml", "docProps/app.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"} <= set(parts)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    for po in ("PO-A", "PO-B", "PO-C", "PO-D", "PO-E"):   # the customer's lines are there
        assert po in parts["xl/worksheets/sheet1.xml"] and po in text
    for name, body in {**parts, "pdf": text, "pdfinfo": info}.items():
        for marker in MARKERS + [w for w in why]:
            assert marker not in body, f"{marker!r} in {name}"
    for body in (parts["xl/worksheets/sheet1.xml"], text):
        assert "WD (" not in body and "原因" not in body and "供应商" not in body
        for code in FLAG_CODES:
            assert code not in body
    core = ET.fromstring(zipfile.ZipFile(xlsx).read("docProps/core.xml"))
    props = {el.tag.split("}")[1]: el.text for el in core}
    assert props["creator"] == CREATOR and "lastModifiedBy" not in props
    assert f"Author:          {CREATOR}" in info
    login = getpass.getuser()
    if len(login) > 3:
        assert all(login not in body for name, body in parts.items() if name.startswith("docProps"))
    assert not any(name.startswith(("customXml", "docProps/custom")) for name in parts)
    assert "definedName" not in parts["xl/workbook.xml"] or "Print_Titles" in parts["xl/workbook.xml"]
    assert_valid(xlsx)


# --- PDF ---------------------------------------------------------------------------------------

def test_pdf_through_libreoffice_and_a_clear_message_without_it(demo_master, tmp_path, monkeypatch):
    out = actions.customer_report(demo_master, customer=CUSTOMER, out=tmp_path / "r.pdf", as_of=AS_OF)
    text = subprocess.run(["pdftotext", "-layout", out.file, "-"], capture_output=True, text=True,
                          check=True).stdout
    assert f"Order status report — {LEGAL_NAME}" in text and "第 1 /" in text
    assert all(line["po_no"] in text for line in out.lines)
    info = subprocess.run(["pdfinfo", "-isodates", out.file], capture_output=True, text=True, check=True).stdout
    assert re.search(rf"CreationDate:\s+{AS_OF.isoformat()}T00:00:00", info), info   # the report's date, not the clock's
    first = Path(out.file).read_bytes()
    monkeypatch.setenv("TZ", "America/New_York")   # another zone, another moment: the same bytes
    again = actions.customer_report(demo_master, customer=CUSTOMER, out=tmp_path / "again.pdf", as_of=AS_OF)
    assert Path(again.file).read_bytes() == first
    bare = tmp_path / "bin"   # a PATH without LibreOffice
    bare.mkdir()
    proc = subprocess.run([sys.executable, "-m", "gendan_xl", "report", str(demo_master), "--customer", CUSTOMER,
                           "--out", str(tmp_path / "none.pdf")], capture_output=True, text=True, timeout=300,
                          env={"PATH": str(bare), "HOME": str(tmp_path)})
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "未安装 LibreOffice" in proc.stderr and "install LibreOffice or write an .xlsx" in proc.stderr
    assert not (tmp_path / "none.pdf").exists() and not list(tmp_path.glob(".none.*"))


def test_a_customer_named_by_an_alias_gets_its_lines_and_the_report_shows_its_legal_name(demo_master, tmp_path):
    # the demo's 客户 Customers: Nordic Home AB, legal name Nordic Home Aktiebolag, aliases "Nordic Home; NHAB"
    by_alias = actions.customer_report(demo_master, customer="nhab", as_of=AS_OF, out=tmp_path / "a.xlsx")
    by_name = actions.customer_report(demo_master, customer="Nordic Home AB", as_of=AS_OF, out=tmp_path / "b.xlsx")
    assert (by_alias.customer, by_alias.legal_name) == ("Nordic Home AB", "Nordic Home Aktiebolag")
    assert by_alias.lines == by_name.lines and by_alias.open_lines > 0
    title = openpyxl.load_workbook(tmp_path / "a.xlsx")[SHEET]["A1"].value
    assert title == "订单状态报告 Order status report — Nordic Home Aktiebolag"
