"""The ribbon entry point: tags -> allowlisted commands, message boxes, status bar, errors.

Books are real xlwings books on the in-memory engine (tests/xlwings_memory_engine.py); message
boxes and the status bar go through xlwings' App.alert / App.status_bar to that engine. Only the
file and text prompts (Excel dialogs) come from a recording stand-in of our own UI interface.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlwings as xw
from oletools.olevba import VBA_Parser

from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.xlsm.ribbon_xml import CUSTOMUI_NS, RIBBON_TAGS
from gendan_xl.xlsm.xlsm import CUSTOMUI_PART
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.excel import ribbon
from gendan_xl.excel.ui import ExcelUI
from gendan_xl.outputs.customer_file import SHEET
from gendan_xl.outputs.shipment_files import DOCUMENTS
from gendan_xl.sheets.report_sheet import REPORT_SHEET
from gendan_xl.store.xlwings_book import XlwingsWorkbook
from ooxml import assert_valid
from xlwings_memory_engine import open_book


class PromptingUI(ExcelUI):
    """Excel's message boxes and status bar, with the Open dialog and input box answered in advance."""

    ACCEPT = object()   # an answer that keeps what the input box proposed

    def __init__(self, book, files=(), text=None, folder=None):
        super().__init__(book)
        self.files, self.asked, self.folder = [Path(f) for f in files], [], folder
        self.texts = list(text) if isinstance(text, (list, tuple)) else [text]
        self.defaults = []

    def ask_files(self, title, multiple):
        self.asked.append((title, multiple))
        return self.files if multiple else self.files[:1]

    def ask_text(self, prompt, default=""):
        self.asked.append((prompt,))
        self.defaults.append(default)
        answer = self.texts.pop(0) if len(self.texts) > 1 else self.texts[0]
        return default if answer is self.ACCEPT else answer

    def ask_folder(self, title):
        self.asked.append((title,))
        return self.folder


@pytest.fixture
def book(demo_master) -> xw.Book:
    return open_book(demo_master)


def alerts(book) -> list[dict]:
    return book.app.impl.alerts


# --- allowlist ----------------------------------------------------------------------------------

def test_every_ribbon_tag_has_an_allowlisted_command():
    assert set(ribbon.COMMANDS) == set(RIBBON_TAGS)
    for tag in RIBBON_TAGS:
        assert ribbon.command(tag) is ribbon.COMMANDS[tag]


@pytest.mark.parametrize("tag", ["bogus", "__import__('os').system('calc')", "refresh; 1", "REFRESH", ""])
def test_an_unknown_tag_is_a_clear_error_and_never_code(tag, book):
    with pytest.raises(GendanError, match="expected one of refresh") as err:
        ribbon.command(tag)
    assert err.value.code is ErrorCode.BAD_OPTION
    ribbon.run(tag, book)
    (alert,) = alerts(book)
    assert alert["mode"] == "critical" and "unknown ribbon command" in alert["prompt"]
    assert alert["prompt"].endswith("错误代码 Error code: BAD_OPTION")
    assert book.impl.io == [] and book.impl.saves == []


def test_every_on_action_is_a_ribbon_sub_in_the_packaged_vba(new_xlsm):
    with zipfile.ZipFile(new_xlsm) as archive:
        ui = ET.fromstring(archive.read(CUSTOMUI_PART))
    parser = VBA_Parser(str(new_xlsm))
    code = "\n".join(text for _, _, _, text in parser.extract_macros())
    parser.close()
    buttons = list(ui.iter(f"{{{CUSTOMUI_NS}}}button"))
    assert [b.get("tag") for b in buttons] == list(RIBBON_TAGS)
    for action in {b.get("onAction") for b in buttons}:
        assert re.search(rf"^Public Sub {action}\(control As IRibbonControl\)\r?$", code, re.M), action
    call = re.search(r"""RunPython "import ([\w.]+) as r; r\.(\w+)\('" & cmdName & "'\)\"""", code)
    assert getattr(importlib.import_module(call.group(1)), call.group(2)) is ribbon.run


# --- commands -----------------------------------------------------------------------------------

def test_refresh_writes_the_book_and_ends_with_a_summary(book):
    ribbon.run("refresh", book)
    (alert,) = alerts(book)
    assert alert["mode"] == "info" and alert["title"] == "跟单 Gendan"
    assert alert["prompt"].startswith("刷新完成 Refreshed · 截至 as of ")
    assert "已延误 LATE" in alert["prompt"] and "准时率 On-time rate" in alert["prompt"]
    statuses = book.app.impl.status_history
    assert f"读取 Reading {schema.ORDERS.sheet} …" in statuses and statuses[-1] is False
    assert book.impl.saves == [None]


def test_flag_updates_the_orders_but_not_the_report(book):
    report_before = dict(book.sheets[REPORT_SHEET].impl.values)
    orders = XlwingsWorkbook(book).read(schema.ORDERS)
    book.sheets[schema.ORDERS.sheet].range((2, orders.columns["flag"])).value = None
    ribbon.run("flag", book)
    assert alerts(book)[0]["prompt"].startswith("预警已更新 Flags updated")
    assert XlwingsWorkbook(book).read(schema.ORDERS).frame["flag"].notna().all()
    assert book.sheets[REPORT_SHEET].impl.values == report_before


def test_an_action_error_is_a_message_box_not_a_traceback(book):
    book.sheets[schema.ORDERS.sheet].impl.table_list.clear()
    ribbon.run("refresh", book)
    (alert,) = alerts(book)
    assert alert["mode"] == "critical" and "table missing" in alert["prompt"] and "Traceback" not in alert["prompt"]
    assert book.app.impl.status_history[-1] is False and book.impl.saves == []


def test_an_unexpected_failure_is_a_message_box_and_a_log_file(book, monkeypatch, tmp_path, capsys):
    def broken(*_, **__):
        raise KeyError("boom")

    monkeypatch.setattr(actions, "refresh", broken)
    monkeypatch.setenv("HOME", str(tmp_path))
    ribbon.run("refresh", book)
    (alert,) = alerts(book)
    log = tmp_path / ".gendan_xl" / "ribbon.log"
    assert alert["mode"] == "critical"
    assert alert["prompt"] == f"意外错误 Unexpected error: KeyError: 'boom'\n详情 Details: {log}"
    assert "Traceback" in log.read_text(encoding="utf-8") and "ribbon command 'refresh'" in log.read_text("utf-8")
    assert capsys.readouterr().err == ""


def test_sync_asks_for_files_and_syncs_the_open_book(book, demo_dir):
    before = XlwingsWorkbook(book).read(schema.ORDERS).frame
    files = sorted((demo_dir / "suppliers").iterdir())
    ui = PromptingUI(book, files=files)
    ribbon.run("sync", book, ui)
    assert ui.asked == [("选择供应商文件 Choose supplier files", True)]
    (alert,) = alerts(book)
    assert alert["mode"] == "info" and alert["prompt"].startswith("同步完成 Synced")
    assert "匹配 matched" in alert["prompt"] and "conflict" in alert["prompt"]
    after = XlwingsWorkbook(book).read(schema.ORDERS).frame
    assert (after["eta"] != before["eta"]).sum() > 3 and after["qty"].equals(before["qty"])


def test_reconcile_asks_for_statement_party_and_period(book, demo_dir):
    statement = next((demo_dir / "statements").glob("*.xlsx"))
    period = statement.stem.rsplit("_", 1)[-1]
    ui = PromptingUI(book, files=[statement], text=["华美", period])
    ribbon.run("reconcile", book, ui)
    assert len(ui.asked) == 3
    (alert,) = alerts(book)
    assert alert["prompt"].startswith("对账完成 Reconciled") and f"对账-华美-{period}" in alert["prompt"]
    assert f"对账-华美-{period}" in [sheet.name for sheet in book.sheets]


def test_chase_asks_for_a_folder_and_writes_one_file_per_supplier_without_saving_the_book(book, tmp_path):
    before = XlwingsWorkbook(book).read(schema.ORDERS).frame
    ui = PromptingUI(book, folder=tmp_path / "chase")
    ribbon.run("chase", book, ui)
    assert ui.asked == [("选择催单文件的文件夹 Choose a folder for the chase files",)]
    (alert,) = alerts(book)
    assert alert["mode"] == "info" and alert["prompt"].startswith("催单完成 Chase files written")
    files = sorted((tmp_path / "chase").iterdir())
    assert len(files) >= 6 and all(f"→ {f}" in alert["prompt"] for f in files)
    assert {f.with_suffix(".txt") for f in files} == {f for f in files if f.suffix == ".txt"}   # a draft a file
    assert book.impl.saves == []
    pd.testing.assert_frame_equal(XlwingsWorkbook(book).read(schema.ORDERS).frame, before)


def _select(book, row: int) -> None:
    """Click a cell of the Orders sheet (Excel's Application.Selection)."""
    book.app.impl.selection = book.sheets[schema.ORDERS.sheet].range((row, 1)).impl


def test_customer_report_proposes_the_customer_of_the_selected_orders_row_and_writes_beside_the_book(book):
    orders = XlwingsWorkbook(book).read(schema.ORDERS).frame
    row = int(orders.index[orders["customer"] == "Nordic Home AB"][3])
    _select(book, row)
    ui = PromptingUI(book, text=PromptingUI.ACCEPT)
    ribbon.run("customer_report", book, ui)
    assert ui.asked == [("客户名称 Customer",)] and ui.defaults == ["Nordic Home AB"]
    (alert,) = alerts(book)
    assert alert["mode"] == "info" and alert["prompt"].startswith("客户报告已生成 Customer report written")
    folder = Path(book.fullname).parent
    (path,) = folder.glob("客户报告_Nordic Home AB_*.xlsx")
    assert f"→ {path.name}" in alert["prompt"] or f"→ {path}" in alert["prompt"]
    sheet = openpyxl.load_workbook(path)[SHEET]
    assert sheet["A1"].value.endswith("— Nordic Home Aktiebolag")   # its legal name in 客户 Customers
    assert book.impl.saves == [] and not [io for io in book.impl.io if io[0] != "read"]


def test_customer_report_asks_with_nothing_proposed_off_the_orders_table(book):
    book.app.impl.selection = book.sheets[REPORT_SHEET].range((8, 2)).impl
    ui = PromptingUI(book, text="sakura trading kk")
    ribbon.run("customer_report", book, ui)
    assert ui.defaults == [""]
    assert alerts(book)[0]["prompt"].startswith("客户报告已生成") and "Sakura Trading KK" in alerts(book)[0]["prompt"]
    _select(book, 1)   # the header row: no order line
    ribbon.run("customer_report", book, PromptingUI(book, text=None))
    assert len(alerts(book)) == 1


def test_customer_report_of_an_unknown_customer_is_a_message_box(book):
    ribbon.run("customer_report", book, PromptingUI(book, text="Nobody Ltd"))
    (alert,) = alerts(book)
    assert alert["mode"] == "critical" and "找不到客户 no customer of ours is called this" in alert["prompt"]
    assert not list(Path(book.fullname).parent.glob("客户报告_*"))


def test_customer_report_of_a_book_never_saved_asks_to_save_it_first(book):
    book.impl.fullname = "Book1"   # what Excel calls a new book that has no file yet
    ribbon.run("customer_report", book, PromptingUI(book, text="Nordic Home AB"))
    (alert,) = alerts(book)
    assert alert["mode"] == "critical" and "save it to a folder first" in alert["prompt"]


# the issue's worked example (SENT, typed fx 7.05), a draft taking the FX Rates' USD rate, and CIF without
# an insurance rate; the one USD rate is dated long ago, so "today" (the button's as-of date) has it
QUOTES_CSV = (
    "quote_no,revision,customer,style,currency,incoterm,purchase_price,vat_rate,refund_rate,domestic_cost,freight,"
    "insurance_rate,commission_rate,bank_fee_rate,profit_rate,fx_rate,target_price,status\n"
    "Q-2026-001,1,ACME,ST-1,USD,CIF,45.20,13%,9%,2.50,0.40,0.3%,3%,0.3%,8%,7.05,6.50,SENT\n"
    "Q-2026-002,1,Zed GmbH,ST-2,USD,FOB,45.20,,,2.50,,,,,8%,,,DRAFT\n"
    "Q-2026-003,1,ACME,ST-3,USD,CIF,30,,,1,0.2,,,,10%,7.05,,DRAFT\n")


@pytest.fixture
def quote_book(tmp_path) -> xw.Book:
    path = tmp_path / "master.xlsx"
    actions.new_master(path)
    (tmp_path / "q.csv").write_text(QUOTES_CSV, encoding="utf-8")
    (tmp_path / "fx.csv").write_text("currency,rate,date\nUSD,6.40,2020-01-02\n", encoding="utf-8")
    actions.load_table(path, tmp_path / "q.csv", schema.QUOTATIONS)
    actions.load_table(path, tmp_path / "fx.csv", schema.FX_RATES)
    return open_book(path)


def test_quote_prices_the_open_book_saves_it_and_sums_up(quote_book):
    ribbon.run("quote", quote_book)
    (alert,) = alerts(quote_book)
    lines = alert["prompt"].splitlines()
    assert alert["mode"] == "info" and lines[0].startswith("报价完成 Quotes priced · 截至 as of ")
    assert lines[1:3] == ["已报价 Priced 2 · 未报价 Not priced 1", "汇率变动 Rate moved 1 · 亏损 Loses money 1"]
    assert lines[3].startswith("Q-2026-003 / 1: 未报价 not priced: insurance_rate")
    assert lines[4].startswith("Q-2026-001 / 1: 汇率变动 rate moved: USD 7.0500 → 6.4000")   # fx cost 6.49 > 6.40
    assert quote_book.impl.saves == [None]
    quotes = XlwingsWorkbook(quote_book).read(schema.QUOTATIONS).frame.set_index("quote_no")
    assert quotes.at["Q-2026-001", "price"] == 7.4695 and quotes.at["Q-2026-001", "max_purchase_price"] == 38.616
    assert quotes.at["Q-2026-002", "fob"] == round((45.2 - 5.2 + 2.5) / 0.92 / 6.40, 4)   # the FX Rates' 6.40
    assert pd.isna(quotes.at["Q-2026-003", "price"])


def test_the_customer_of_the_selected_quotations_row_is_found_for_the_quotation(quote_book):
    """What the button offers the customer document for: the customer of the selected 报价 Quotations
    row, nothing elsewhere (the header, another sheet)."""
    wb = XlwingsWorkbook(quote_book)
    quotations = quote_book.sheets[schema.QUOTATIONS.sheet]
    found = []
    for sheet, row in ((quotations, 3), (quotations, 2), (quotations, 1), (quotations, 9),
                       (quote_book.sheets[schema.ORDERS.sheet], 3)):
        quote_book.app.impl.selection = sheet.range((row, 5)).impl
        found.append(ribbon._selected_customer(wb, schema.QUOTATIONS))
    assert found == ["Zed GmbH", "ACME", "", "", ""]


def test_text_on_row_reads_the_row_a_table_frame_is_indexed_by():
    frame = pd.DataFrame({"customer": ["ACME", None, "  ", 7]}, index=[2, 3, 4, 5])
    assert [ribbon.text_on_row(frame, row, "customer") for row in (1, 2, 3, 4, 5, 6)] == ["", "ACME", "", "", "7", ""]


def test_a_cancelled_dialog_does_nothing(book, monkeypatch):
    monkeypatch.setattr(actions, "sync", lambda *a: pytest.fail("sync ran"), raising=False)
    monkeypatch.setattr(actions, "reconcile", lambda *a, **k: pytest.fail("reconcile ran"), raising=False)
    monkeypatch.setattr(actions, "chase", lambda *a, **k: pytest.fail("chase ran"), raising=False)
    monkeypatch.setattr(actions, "customer_report", lambda *a, **k: pytest.fail("report ran"), raising=False)
    monkeypatch.setattr(actions, "ship", lambda *a, **k: pytest.fail("ship ran"), raising=False)
    ribbon.run("chase", book, PromptingUI(book, folder=None))
    ribbon.run("ship", book, PromptingUI(book, text=None))
    ribbon.run("ship", book, PromptingUI(book, text="  "))
    ribbon.run("customer_report", book, PromptingUI(book, text=None))
    ribbon.run("customer_report", book, PromptingUI(book, text="  "))
    ribbon.run("sync", book, PromptingUI(book))
    ribbon.run("reconcile", book, PromptingUI(book, files=["s.xlsx"], text=None))
    assert alerts(book) == []


def test_help_is_a_bilingual_message(book):
    ribbon.run("help", book)
    prompt = alerts(book)[0]["prompt"]
    assert "帮助 Help" in prompt and "刷新周报 Refresh" in prompt and "gendan --help" in prompt
    assert book.impl.io == []


def test_help_lists_the_worksheet_functions_with_their_arguments(book):
    ribbon.run("help", book)
    prompt = alerts(book)[0]["prompt"]
    assert "=GD_WORKDAYS(start_date, end_date, [country])" in prompt and "=GD_RISK(supplier" in prompt
    assert "fx" in prompt and "导入函数" not in prompt


def test_there_is_no_import_functions_button_any_more(book):
    """The GD_* wrappers are in every VBA project gendan writes, so the button (which needed Excel's
    "Trust access to the VBA project object model") went; before, its tag ran xlwings.import_udfs."""
    assert "import_functions" not in RIBBON_TAGS
    ribbon.run("import_functions", book)
    (alert,) = alerts(book)
    assert "unknown ribbon command" in alert["prompt"] and alert["prompt"].endswith("BAD_OPTION")


def test_quote_on_a_quotations_row_offers_that_customers_quotation_and_writes_it_beside_the_book(quote_book):
    quote_book.app.impl.selection = quote_book.sheets[schema.QUOTATIONS.sheet].range((2, 5)).impl   # ACME's row
    ui = PromptingUI(quote_book, text=PromptingUI.ACCEPT)
    ribbon.run("quote", quote_book, ui)
    assert ui.defaults == ["ACME"]
    (alert,) = alerts(quote_book)
    assert alert["mode"] == "info" and "报价完成 Quotes priced" in alert["prompt"]
    (path,) = Path(quote_book.fullname).parent.glob("报价单_ACME_*.xlsx")
    assert path.name in alert["prompt"]
    texts = [str(v) for row in openpyxl.load_workbook(path).active.iter_rows(values_only=True) for v in row if v]
    assert any("USD 7.47 CIFC3" in t for t in texts)


def test_quote_with_a_blank_answer_or_no_quote_to_show_writes_no_quotation_but_keeps_the_pricing(quote_book):
    sheet = quote_book.sheets[schema.QUOTATIONS.sheet]
    quote_book.app.impl.selection = sheet.range((2, 5)).impl
    ribbon.run("quote", quote_book, PromptingUI(quote_book, text="  "))
    quote_book.app.impl.selection = sheet.range((3, 5)).impl          # Zed GmbH: only a DRAFT
    ribbon.run("quote", quote_book, PromptingUI(quote_book, text=PromptingUI.ACCEPT))
    first, second = alerts(quote_book)
    assert "报价单" not in first["prompt"].splitlines()[0] and "报价完成 Quotes priced" in first["prompt"]
    assert second["prompt"].startswith("报价单未生成 quotation not written") and "报价完成" in second["prompt"]
    assert not list(Path(quote_book.fullname).parent.glob("报价单_*.xlsx"))
    assert quote_book.impl.saves == [None, None]


# --- 出运 Ship ------------------------------------------------------------------------------------

def _select_shipment(book, table: schema.Table, shipment_no: str) -> None:
    """Click a cell of the first row of ``table`` (出运 Shipments, 出运明细 Shipment Lines) of the shipment."""
    frame = XlwingsWorkbook(book).read(table).frame
    row = int(frame.index[frame["shipment_no"] == shipment_no][0])
    book.app.impl.selection = book.sheets[table.sheet].range((row, 3)).impl


def _shipped(book, shipment_no: str) -> list[Path]:
    """The folders of ``shipment_no``'s documents beside the book (the as-of date is the day's)."""
    return list(Path(book.fullname).parent.glob(f"出运单证 documents {shipment_no} *"))


def test_the_shipment_of_the_selected_shipments_or_shipment_lines_row_is_found(book):
    wb = XlwingsWorkbook(book)
    ships, lines = (book.sheets[t.sheet] for t in (schema.SHIPMENTS, schema.SHIPMENT_LINES))
    found = []
    for sheet, row in ((ships, 2), (ships, 4), (ships, 1), (ships, 40), (lines, 4), (lines, 2),
                       (book.sheets[schema.ORDERS.sheet], 2)):
        book.app.impl.selection = sheet.range((row, 2)).impl
        found.append(ribbon._selected_shipment(wb))
    assert found == ["SH-2611-01", "SH-2611-03", "", "", "SH-2611-02", "SH-2611-01", ""]


def test_ship_on_a_shipments_row_writes_its_four_documents_beside_the_book_as_gendan_ship(book, demo_master, tmp_path):
    _select_shipment(book, schema.SHIPMENTS, "SH-2611-01")
    ui = PromptingUI(book)
    ribbon.run("ship", book, ui)
    assert ui.asked == []   # the selection names the shipment: nothing asked
    (alert,) = alerts(book)
    assert alert["mode"] == "info" and alert["buttons"] == "ok"
    lines = alert["prompt"].splitlines()
    assert lines[0] == "出运单证已写出 Shipping documents written" and lines[1].startswith("出运 shipment SH-2611-01 · ")
    assert lines[2] == "单证检查 document checks: 9/9 通过 passed" and "✗" not in alert["prompt"]
    (folder,) = _shipped(book, "SH-2611-01")
    files = sorted(folder.iterdir())
    assert len(files) == 4 and lines[-5:] == [f"文件夹 Folder: {folder}", *(f"  → {f.name}" for f in _in_order(files))]
    cli = actions.ship(demo_master, "SH-2611-01", out=tmp_path / "cli", as_of=dt.date.fromisoformat(
        folder.name.rsplit(" ", 1)[1]))   # the command line on the saved file, as of the same day
    assert [Path(f).name for f in cli.files] == [f.name for f in _in_order(files)]
    for written, expected in zip(_in_order(files), cli.files):
        assert openpyxl.load_workbook(written).sheetnames == openpyxl.load_workbook(expected).sheetnames
        with zipfile.ZipFile(written) as a, zipfile.ZipFile(expected) as b:
            assert {n: a.read(n) for n in a.namelist()} == {n: b.read(n) for n in b.namelist()}
        assert_valid(written)
    assert book.impl.saves == [] and not [io for io in book.impl.io if io[0] != "read"]


def _in_order(files: list[Path]) -> list[Path]:
    """The documents in the order gendan ship writes them (invoice, packing list, advice, customs data)."""
    return [next(f for f in files if f.name.startswith(f"{d.zh}_")) for d in DOCUMENTS]


def test_ship_with_a_failing_check_lists_it_writes_nothing_and_asks_whether_to_write_despite_it(book):
    _select_shipment(book, schema.SHIPMENT_LINES, "SH-2611-02")   # its second line's HS code has 8 digits
    book.app.impl.answers = ["no"]
    ribbon.run("ship", book, PromptingUI(book))
    (question,) = alerts(book)
    assert question["buttons"] == "yes_no" and question["mode"] == "info"
    prompt = question["prompt"].splitlines()
    assert prompt[0].startswith("出运 shipment SH-2611-02 · ") and prompt[1] == "单证检查 document checks: 8/9 通过 passed"
    assert prompt[2].startswith("  ✗ HS_ORIGIN: SH-2611-02: ")
    assert re.search(r"HS code \d{8} 不是 10 位数字 not 10 digits", prompt[2])
    assert prompt[-2:] == ["未写出单证 No document written.", "仍然写出单证吗？（单证上无标记）Write the documents despite "
                                                            "the failing checks? (They carry no mark of it.)"]
    assert _shipped(book, "SH-2611-02") == []   # No: nothing written, nothing more said
    book.app.impl.answers = ["yes"]
    ribbon.run("ship", book, PromptingUI(book))
    again, written = alerts(book)[1:]
    assert again["prompt"] == question["prompt"] and written["mode"] == "info"
    assert written["prompt"].splitlines()[:2] == [
        "出运单证已写出 Shipping documents written",
        "单证检查未通过，仍按 --despite-checks 写出（单证上无标记）documents written despite failing checks (they carry no "
        "mark of it): HS_ORIGIN"]
    (folder,) = _shipped(book, "SH-2611-02")
    assert sorted(f.name.split("_")[0] for f in folder.iterdir()) == sorted(d.zh for d in DOCUMENTS)
    assert book.impl.saves == []


def test_ship_off_the_shipment_tables_asks_for_the_number(book):
    book.app.impl.selection = book.sheets[REPORT_SHEET].range((8, 2)).impl
    ui = PromptingUI(book, text=" sh-2611-03 ")   # as keys compare: case and spaces aside
    ribbon.run("ship", book, ui)
    assert ui.asked == [("出运编号 Shipment number",)] and ui.defaults == [""]   # no number proposed
    (alert,) = alerts(book)
    assert alert["prompt"].startswith("出运单证已写出 Shipping documents written")
    assert "出运 shipment SH-2611-03 · " in alert["prompt"] and len(_shipped(book, "SH-2611-03")) == 1


def test_ship_of_an_unknown_shipment_or_of_a_book_never_saved_is_an_error_box(book):
    ribbon.run("ship", book, PromptingUI(book, text="SH-9999"))
    book.impl.fullname = "Book1"
    _select_shipment(book, schema.SHIPMENTS, "SH-2611-01")
    ribbon.run("ship", book, PromptingUI(book))
    unknown, unsaved = alerts(book)
    assert unknown["mode"] == "critical" and "找不到出运编号 no shipment has this number" in unknown["prompt"]
    assert "SH-2611-01, SH-2611-02, SH-2611-03" in unknown["prompt"]
    assert unknown["prompt"].endswith("错误代码 Error code: UNKNOWN_SHIPMENT")
    assert unsaved["mode"] == "critical" and "save it to a folder first" in unsaved["prompt"]
    assert unsaved["prompt"].endswith("错误代码 Error code: FILE_NOT_FOUND")
    assert not list(Path(book.fullname).parent.glob("出运单证*")) and not list(Path.cwd().glob("出运单证*"))
