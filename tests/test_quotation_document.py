"""报价单 The quotation a customer receives (gendan quote --customer): which revision of each quote is
shown, its price as the customer reads it (``USD 7.47 CIFC3 Hamburg``), the customer named through
its names and aliases with its legal name, the file (re-read by openpyxl and python-calamine), that
nothing internal is in any part of it or of its PDF, how it prints, and the command line. The rules
through literal frames; the files from real masters."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import python_calamine

from conftest import AS_OF
from gendan_xl import actions
from gendan_xl.cli import main
from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.settings import Settings
from gendan_xl.model.trade_terms import Incoterm
from gendan_xl.outputs.handout_file import CREATOR
from gendan_xl.outputs.quotation_file import COLUMNS, SHEET
from gendan_xl.quotes.rates import QuoteDefaults
from gendan_xl.quotes.sent import priced_as_sent, sent_revisions
from gendan_xl.reporting.quotation import build
from ooxml import assert_valid
from package_text import part_texts
from printed import OVERLAPS, REPO, check_sheet, pdf_words, shown_whole
from table_rows import set_settings

# The worked example: purchase ¥45.20, VAT 13 %, refund 9 %, domestic ¥2.50, profit 8 %, bank fee
# 0.3 %, USD at 7.05, freight $0.40, insurance 0.3 %, commission 3 %, CIF → CIFC3 7.4695.
EXAMPLE = {"quote_no": "Q-2026-001", "revision": 1, "quote_date": "2026-11-02", "customer": "ACME",
           "style": "ST-1", "description": "Wool coat 羊毛大衣", "supplier": "Huamei", "qty": 1200,
           "currency": "USD", "incoterm": "CIF", "port": "Hamburg", "purchase_price": 45.2, "vat_rate": 0.13,
           "refund_rate": 0.09, "domestic_cost": 2.5, "freight": 0.4, "insurance_rate": 0.003,
           "commission_rate": 0.03, "bank_fee_rate": 0.003, "profit_rate": 0.08, "fx_rate": 7.05,
           "target_price": 6.5, "valid_until": "2026-12-31", "status": "SENT 已报"}
SHOWN_EXAMPLE = "USD 7.47 CIFC3 Hamburg"


def _frame(spec: schema.Table, records: list[dict]) -> pd.DataFrame:
    """Rows as the master's reader gives them: every field, numbers float, dates datetime64, text
    None when blank; indexed by sheet row from 2."""
    frame = pd.DataFrame(records, columns=spec.names, index=range(2, 2 + len(records)))
    for f in spec.fields:
        if f.kind in (schema.INT, schema.NUMBER):
            frame[f.name] = pd.to_numeric(frame[f.name]).astype(float)
        elif f.kind == schema.DATE:
            frame[f.name] = pd.to_datetime(frame[f.name]).astype("datetime64[us]")
        else:
            frame[f.name] = frame[f.name].astype(object).where(frame[f.name].notna(), None)
    return frame


def _quotes(*rows: dict) -> pd.DataFrame:
    return _frame(schema.QUOTATIONS, [{**EXAMPLE, **row} for row in rows])


CUSTOMERS = _frame(schema.CUSTOMERS, [
    {"name": "ACME", "legal_name": "ACME Trading GmbH", "aliases": "Acme GmbH; 阿克米", "payment_terms": "T/T 30 days"},
    {"name": "Nordic Home AB", "legal_name": None, "aliases": None, "payment_terms": None}])
FX = _frame(schema.FX_RATES, [{"currency": "USD", "rate": 7.20, "date": "2026-10-01"},
                              {"currency": "USD", "rate": 7.00, "date": "2026-11-20"},
                              {"currency": "USD", "rate": 6.40, "date": "2026-12-01"}])


def _sent(quotes: pd.DataFrame, **kwargs) -> list[tuple[str, int]]:
    chosen = sent_revisions(quotes, "ACME", AS_OF, **kwargs)
    return [(quotes.at[r, "quote_no"], int(quotes.at[r, "revision"])) for r in chosen.rows]


# --- which revisions ---------------------------------------------------------------------------

def test_each_quote_shows_its_latest_sent_or_confirmed_revision_and_never_a_draft():
    quotes = _quotes({"quote_no": "Q-1", "revision": 1, "status": "SENT"},
                     {"quote_no": "Q-1", "revision": 2, "status": "确认"},           # CONFIRMED, read from 中文
                     {"quote_no": "Q-1", "revision": 3, "status": "DRAFT 草稿"},     # ours alone: rev 2 stays
                     {"quote_no": "Q-2", "revision": 1, "status": "SENT"},
                     {"quote_no": "Q-2", "revision": 2, "status": None},             # blank: a draft
                     {"quote_no": "Q-3", "revision": 1, "status": "DRAFT"},
                     {"quote_no": "Q-3", "revision": 2, "status": None})
    chosen = sent_revisions(quotes, "ACME", AS_OF)
    assert _sent(quotes) == [("Q-1", 2), ("Q-2", 1)]
    [(name, why)] = [(n.quote_no, n.why) for n in chosen.not_shown]
    assert name == "Q-3" and why == "无已报版本 no SENT or CONFIRMED revision (1 DRAFT, 2 DRAFT)"


def test_a_lost_or_cancelled_quote_and_an_expired_one_are_left_off_unless_named():
    quotes = _quotes({"quote_no": "Q-LOST", "revision": 1, "status": "SENT"},
                     {"quote_no": "Q-LOST", "revision": 2, "status": "LOST"},
                     {"quote_no": "Q-VOID", "revision": 1, "status": "作废"},
                     {"quote_no": "Q-OLD", "revision": 1, "status": "SENT", "valid_until": "2026-11-25"},
                     {"quote_no": "Q-TODAY", "revision": 1, "status": "SENT", "valid_until": "2026-11-26"},
                     {"quote_no": "Q-OPEN", "revision": 1, "status": "CONFIRMED", "valid_until": None})
    chosen = sent_revisions(quotes, "ACME", AS_OF)
    assert _sent(quotes) == [("Q-OPEN", 1), ("Q-TODAY", 1)]
    assert {n.quote_no: n.why for n in chosen.not_shown} == {
        "Q-LOST": "最新版本 latest revision 2: 未成 Lost", "Q-VOID": "最新版本 latest revision 1: 作废 Cancelled",
        "Q-OLD": "已过期 expired: 有效期至 valid until 2026-11-25"}
    named = sent_revisions(quotes, "ACME", AS_OF, quote="q old")      # a quote number as keys compare
    assert [quotes.at[r, "quote_no"] for r in named.rows] == ["Q-OLD"] and named.expired == named.rows
    assert _sent(quotes, quote="Q-LOST", revision=1) == [("Q-LOST", 1)]   # the revision the customer had
    doc = build(quotes, CUSTOMERS, FX, Settings(company_name="Sunrise"), "ACME", AS_OF, quote="Q-OLD")
    assert doc.lines["quote_no"].tolist() == ["Q-OLD"] and doc.warnings == [
        "Q-OLD / 1 已过期仍列入 shown although expired (named): 有效期至 valid until 2026-11-25"]


@pytest.mark.parametrize("quote, revision, message", [
    ("Q-9", None, "ACME has no such quote"),
    ("Q-1", 5, "quote Q-1 has no revision 5"),
    ("Q-1", 2, "revision 2 of quote Q-1 is not the customer's: 草稿 Draft"),
    ("Q-2", None, "no quote to show ACME"),
])
def test_a_named_quote_or_revision_the_customer_does_not_have_is_a_clear_error(quote, revision, message):
    quotes = _quotes({"quote_no": "Q-1", "revision": 1, "status": "SENT"},
                     {"quote_no": "Q-1", "revision": 2, "status": "DRAFT"},
                     {"quote_no": "Q-2", "revision": 1, "status": "DRAFT"})
    with pytest.raises(GendanError, match=message) as caught:
        sent_revisions(quotes, "ACME", AS_OF, quote=quote, revision=revision)
    assert caught.value.code is ErrorCode.NO_QUOTE
    if quote == "Q-9":
        assert caught.value.expected == "one of its quotes: Q-1, Q-2"
    if quote == "Q-2":
        assert "Q-2: 无已报版本 no SENT or CONFIRMED revision (1 DRAFT)" in caught.value.expected


def test_nothing_to_show_names_the_customer_and_what_exists():
    quotes = _quotes({"quote_no": "Q-1", "revision": 1, "status": "DRAFT"},
                     {"quote_no": "Q-2", "revision": 1, "status": "SENT", "valid_until": "2026-01-31"})
    with pytest.raises(GendanError) as caught:
        sent_revisions(quotes, "ACME", AS_OF)
    assert str(caught.value).startswith("客户 ACME 没有可发送的报价 no quote to show ACME")
    assert caught.value.expected == ("a SENT or CONFIRMED revision, still valid (Q-1: 无已报版本 no SENT or CONFIRMED "
                                     "revision (1 DRAFT); Q-2: 已过期 expired: 有效期至 valid until 2026-01-31)")


# --- the price the customer reads --------------------------------------------------------------

def test_a_blank_fx_rate_takes_the_rate_of_the_quote_date_not_of_the_as_of_date():
    quotes = _quotes({"quote_no": "Q-1", "fx_rate": None, "quote_date": "2026-11-02"},   # 7.20 of 10-01
                     {"quote_no": "Q-2", "fx_rate": None, "quote_date": None},           # the as-of date's: 7.00
                     {"quote_no": "Q-3", "fx_rate": None, "quote_date": "2026-12-05"},   # after as-of: 7.00
                     {"quote_no": "Q-4", "fx_rate": 7.05, "quote_date": "2026-12-05"})   # its own
    priced = priced_as_sent(quotes, FX, AS_OF, QuoteDefaults())
    assert priced.inputs["fx_rate"].tolist() == [7.20, 7.00, 7.00, 7.05]
    assert priced.values.at[5, "price"] == pytest.approx(7.4695, abs=5e-5)


def test_the_worked_example_reads_usd_7_47_cifc3_hamburg():
    doc = build(_quotes({}), CUSTOMERS, FX, Settings(), "ACME", AS_OF)
    assert doc.lines["price_text"].tolist() == [SHOWN_EXAMPLE] and doc.lines["price"].tolist() == [7.47]
    assert doc.commission


@pytest.mark.parametrize("row, shown", [
    ({"incoterm": "FOB", "commission_rate": None, "port": "Ningbo"}, "USD 6.82 FOB Ningbo"),
    ({"incoterm": "FOB", "commission_rate": 0, "port": None}, "USD 6.82 FOB"),
    ({"incoterm": "fca", "commission_rate": 0.025, "port": "Shanghai"}, "USD 7.00 FCAC2.5 Shanghai"),
    ({"incoterm": "CFR", "commission_rate": 0.03, "port": "Felixstowe", "currency": "usd "},
     "USD 7.44 CFRC3 Felixstowe"),
])
def test_price_text_names_currency_price_incoterm_with_commission_and_port(row, shown):
    doc = build(_quotes(row), CUSTOMERS, FX, Settings(), "ACME", AS_OF)
    assert doc.lines["price_text"].tolist() == [shown]


def test_the_price_is_rounded_half_up_to_the_settings_decimals():
    # CNY at 1, no refund, cost or margin: the price is the purchase price, 7.465 (a float just below it)
    tie = {"currency": "CNY", "fx_rate": None, "incoterm": "FOB", "purchase_price": 7.465, "refund_rate": 0,
           "domestic_cost": 0, "profit_rate": 0, "bank_fee_rate": 0, "commission_rate": 0, "port": None}
    assert build(_quotes(tie), CUSTOMERS, FX, Settings(), "ACME", AS_OF).lines["price_text"].tolist() == ["CNY 7.47 FOB"]
    doc = build(_quotes({}), CUSTOMERS, FX, Settings(quote_decimals=3), "ACME", AS_OF)
    assert doc.lines["price_text"].tolist() == ["USD 7.469 CIFC3 Hamburg"]   # 7.46947…
    assert Incoterm.CIF.quoted(0) == "CIF" and Incoterm.CIP.quoted(0.125) == "CIPC12.5"


def test_a_row_that_cannot_be_priced_is_left_off_with_a_warning_naming_it():
    quotes = _quotes({"quote_no": "Q-1"}, {"quote_no": "Q-2", "insurance_rate": None})
    doc = build(quotes, CUSTOMERS, FX, Settings(company_name="Sunrise"), "ACME", AS_OF)
    assert doc.lines["quote_no"].tolist() == ["Q-1"]
    [warning] = doc.warnings
    assert warning.startswith("Q-2 / 1 未列入报价单 left off the quotation: 未报价 not priced: insurance_rate")
    with pytest.raises(GendanError, match="no quote of ACME to show can be priced") as caught:
        build(quotes, CUSTOMERS, FX, Settings(), "ACME", AS_OF, quote="Q-2")
    assert caught.value.code is ErrorCode.NO_QUOTE


# --- the customer ------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["ACME", "acme gmbh", "阿克米", " Ａｃｍｅ  GmbH "])
def test_the_customer_is_named_by_its_name_or_an_alias_and_shown_by_its_legal_name(typed):
    quotes = _quotes({"quote_no": "Q-1", "customer": "ACME"}, {"quote_no": "Q-2", "customer": "Acme GmbH"},
                     {"quote_no": "Q-3", "customer": "Nordic Home AB"}, {"quote_no": "Q-4", "customer": "ACME Co"})
    doc = build(quotes, CUSTOMERS, FX, Settings(), typed, AS_OF)
    assert (doc.customer, doc.legal_name, doc.payment_terms) == ("ACME", "ACME Trading GmbH", "T/T 30 days")
    assert doc.lines["quote_no"].tolist() == ["Q-1", "Q-2"]      # an alias on a quote is the same customer


def test_a_blank_legal_name_and_a_customer_only_quotes_name_fall_back_to_the_name_as_written():
    quotes = _quotes({"quote_no": "Q-1", "customer": "nordic home ab"}, {"quote_no": "Q-2", "customer": "Zed Ltd"},
                     {"quote_no": "Q-3", "customer": "Zed Ltd."})
    nordic = build(quotes, CUSTOMERS, FX, Settings(), "Nordic Home AB", AS_OF)
    assert (nordic.customer, nordic.legal_name, nordic.payment_terms) == ("Nordic Home AB", "Nordic Home AB", None)
    zed = build(quotes, CUSTOMERS, FX, Settings(), "zed ltd", AS_OF)
    assert (zed.legal_name, zed.lines["quote_no"].tolist()) == ("Zed Ltd", ["Q-2", "Q-3"])


def test_an_unknown_customer_lists_the_customers_we_know():
    quotes = _quotes({"quote_no": "Q-1", "customer": "Zed Ltd"}, {"quote_no": "Q-2", "customer": "Acme GmbH"})
    for typed in ("Acm", "Nobody"):        # a part of a name names no one
        with pytest.raises(GendanError, match="找不到客户 no customer of ours is called this") as caught:
            build(quotes, CUSTOMERS, FX, Settings(), typed, AS_OF)
        assert caught.value.code is ErrorCode.UNKNOWN_PARTY and caught.value.value == typed
        assert caught.value.expected == ("one of the customers of 客户 Customers or 报价 Quotations: ACME, "
                                         "Nordic Home AB, Zed Ltd")


def test_a_master_without_quotes_says_so_for_a_customer_of_ours_or_a_name_only_orders_know():
    for typed, message in (("ACME", r"no quote to show ACME: .*\(no quote at all\)"),
                           ("Sakura Trading KK", "the master has no quotes in 报价 Quotations")):
        with pytest.raises(GendanError, match=message) as caught:
            build(_quotes(), CUSTOMERS, FX, Settings(), typed, AS_OF)
        assert caught.value.code is ErrorCode.NO_QUOTE


def test_no_company_name_in_the_settings_is_a_warning_and_the_company_settings_read_as_text():
    assert build(_quotes({}), CUSTOMERS, FX, Settings(), "ACME", AS_OF).warnings == [
        "设置中没有我司名称 (company_name)，报价单抬头无公司名 the Settings have no company_name: the quotation "
        "names no company atop"]
    rows = Settings.rows().set_index("key")
    for key in ("company_name", "company_address", "company_phone", "company_email"):
        assert rows.at[key, "value"] == "" and "我司" in rows.at[key, "description"]
    sheet = pd.DataFrame({"key": ["company_phone", "company_name"], "value": [8657487654321.0, " Sunrise Ltd "],
                          "description": ""}, index=[2, 3])
    read = Settings.from_frame(sheet)
    assert (read.company_phone, read.company_name, read.company_email) == ("8657487654321", "Sunrise Ltd", "")


# --- the file, from a real master ---------------------------------------------------------------

COMPANY = {"company_name": "Ningbo Sunrise Textiles Import & Export Co., Ltd. 宁波旭日纺织品进出口有限公司",
           "company_address": "No. 88 Zhongshan Road, Ningbo 315000, China 中国宁波市中山路88号",
           "company_phone": "+86 574 8765 4321", "company_email": "sales@sunrise.example"}
QUOTES_CSV = (
    "quote_no,revision,quote_date,customer,style,description,supplier,qty,currency,incoterm,port,purchase_price,"
    "vat_rate,refund_rate,domestic_cost,freight,insurance_rate,commission_rate,bank_fee_rate,profit_rate,fx_rate,"
    "target_price,valid_until,status,remarks\n"
    "Q-2026-001,1,2026-11-02,ACME,ST-1,Wool coat 羊毛大衣,Huamei,1200,USD,CIF,Hamburg,45.20,13%,9%,2.50,0.40,0.3%,3%,"
    "0.3%,8%,7.05,6.50,2026-12-31,SENT,\n"
    "Q-2026-002,1,2026-11-02,Acme GmbH,ST-2,Scarf 围巾,Huamei,500,USD,FOB,Shanghai,30,,,1,,,,,10%,,,2026-12-31,SENT,\n"
    "Q-2026-002,2,2026-11-10,ACME,ST-2,Scarf 围巾,Huamei,500,USD,FOB,Shanghai,29,,,1,,,,,10%,,,2026-12-31,DRAFT,\n"
    "Q-2026-003,1,2026-11-03,Nordic Home AB,ST-3,Throw,Huamei,100,USD,FOB,,20,,,1,,,,,10%,7,,2026-12-31,SENT,\n")
CUSTOMERS_CSV = ("name,legal_name,aliases,payment_terms\nACME,ACME Trading GmbH,Acme GmbH; 阿克米,T/T 30 days\n"
                 "Nordic Home AB,,,\n")
FX_CSV = "currency,rate,date\nUSD,7.20,2026-10-01\nUSD,7.00,2026-11-20\n"


def _master(folder: Path, quotes: str = QUOTES_CSV, customers: str = CUSTOMERS_CSV, company: dict = COMPANY) -> Path:
    """A new master with these quotations, customers and FX rates loaded, and the company settings."""
    master = folder / "master.xlsx"
    actions.new_master(master)
    for name, text, spec in (("q.csv", quotes, schema.QUOTATIONS), ("c.csv", customers, schema.CUSTOMERS),
                             ("fx.csv", FX_CSV, schema.FX_RATES)):
        (folder / name).write_text(text, encoding="utf-8")
        actions.load_table(master, folder / name, spec, as_of=AS_OF)
    set_settings(master, company)
    return master


def _rows(path: Path) -> list[list]:
    return [list(row) for row in openpyxl.load_workbook(path)[SHEET].iter_rows(values_only=True)]


def test_the_quotation_file_of_the_worked_example_reads_back_and_the_master_is_only_read(tmp_path):
    master = _master(tmp_path)
    before, files = master.read_bytes(), set(tmp_path.iterdir())
    out = actions.quotation(master, customer="阿克米", out=tmp_path / "q.xlsx", as_of=AS_OF)
    assert master.read_bytes() == before and set(tmp_path.iterdir()) == files | {tmp_path / "q.xlsx"}
    assert (out.customer, out.legal_name, out.file, out.warnings) == ("ACME", "ACME Trading GmbH",
                                                                       str(tmp_path / "q.xlsx"), [])
    assert [(line.quote_no, line.revision, line.price_text) for line in out.lines] == [
        ("Q-2026-001", 1, SHOWN_EXAMPLE), ("Q-2026-002", 1, "USD 4.25 FOB Shanghai")]   # rev 2 is a draft
    wb = openpyxl.load_workbook(out.file)
    assert wb.sheetnames == [SHEET]
    ws = wb[SHEET]
    rows = _rows(Path(out.file))
    texts = [r[0] for r in rows if r[0]]
    assert texts[:6] == [COMPANY["company_name"], COMPANY["company_address"],
                         "电话 Tel: +86 574 8765 4321 · 邮箱 Email: sales@sunrise.example", "报价单 Quotation",
                         "致 To: ACME Trading GmbH", "出具日期 Date issued: 2026-11-26 · 付款方式 Payment terms: T/T 30 days"]
    header = next(n for n, r in enumerate(rows, start=1) if r[0] == schema.QUOTATIONS.header("quote_no"))
    assert rows[header - 1] == [text for _, text, _ in COLUMNS]
    assert rows[header][:8] == ["Q-2026-001", 1, dt.datetime(2026, 11, 2), dt.datetime(2026, 12, 31), "ST-1",
                                "Wool coat 羊毛大衣", 1200, SHOWN_EXAMPLE]
    assert rows[header + 1][7] == "USD 4.25 FOB Shanghai" and not any(rows[header + 2])
    assert ws.print_title_rows == f"${header}:${header}" and ws.page_setup.fitToWidth == 1
    assert "&P" in ws.oddFooter.center.text and ws.oddHeader.right.text == AS_OF.isoformat()
    cal = python_calamine.CalamineWorkbook.from_path(out.file).get_sheet_by_name(SHEET).to_python()
    assert [r for r in cal if r[0] == "Q-2026-001"][0][7] == SHOWN_EXAMPLE
    assert any(SHOWN_EXAMPLE in str(v) for r in cal for v in r)
    assert_valid(Path(out.file))
    again = actions.quotation(master, customer="ACME", out=tmp_path / "again.xlsx", as_of=AS_OF)
    assert _parts(Path(again.file)) == _parts(Path(out.file))     # the same master and as-of date: the same file


def _parts(xlsx: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(xlsx) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_the_default_file_is_beside_the_master_and_only_an_earlier_quotation_is_replaced(tmp_path):
    master = _master(tmp_path)
    out = actions.quotation(master, customer="Nordic Home AB", as_of=AS_OF)
    assert Path(out.file) == tmp_path / f"报价单_Nordic Home AB_{AS_OF}.xlsx"
    assert out.legal_name == "Nordic Home AB" and [line.price_text for line in out.lines] == ["USD 2.97 FOB"]
    again = actions.quotation(master, customer="Nordic Home AB", as_of=AS_OF)   # an earlier quotation: replaced
    assert again.file == out.file
    (tmp_path / "d.xlsx").mkdir()
    for other, code in ((master, ErrorCode.OUTPUT_EXISTS), (tmp_path / "q.csv", ErrorCode.WRONG_FILE_TYPE),
                        (tmp_path / "d.xlsx", ErrorCode.WRONG_PATH)):   # as the customer report refuses them
        with pytest.raises(GendanError) as caught:
            actions.quotation(master, customer="ACME", out=other, as_of=AS_OF)
        assert caught.value.code is code
    (tmp_path / "mine.xlsx").write_bytes(master.read_bytes())
    with pytest.raises(GendanError, match="the file exists and is not a quotation") as caught:
        actions.quotation(master, customer="ACME", out=tmp_path / "mine.xlsx", as_of=AS_OF)
    assert caught.value.code is ErrorCode.OUTPUT_EXISTS


def test_an_older_master_without_customers_or_company_settings_still_writes_with_a_warning(tmp_path):
    master = _master(tmp_path, company={})
    wb = openpyxl.load_workbook(master)
    del wb[schema.CUSTOMERS.sheet]          # as an older gendan wrote it
    settings = wb[schema.SETTINGS.sheet]
    for row in range(settings.max_row, 1, -1):
        if str(settings.cell(row, 1).value).startswith("company_"):
            settings.delete_rows(row)
    wb.save(master)
    out = actions.quotation(master, customer="acme gmbh", out=tmp_path / "q.xlsx", as_of=AS_OF)
    assert (out.customer, out.legal_name) == ("Acme GmbH", "Acme GmbH")   # no alias: the name the quote writes
    assert [line.quote_no for line in out.lines] == ["Q-2026-002"]
    assert [w.split(" the Settings")[0] for w in out.warnings] == ["设置中没有我司名称 (company_name)，报价单抬头无公司名"]
    assert _rows(Path(out.file))[0][0] == "报价单 Quotation"
    assert schema.CUSTOMERS.sheet not in openpyxl.load_workbook(master).sheetnames   # a reader adds nothing


# --- nothing internal --------------------------------------------------------------------------

# A marker in every internal field of the customer's rows (inputs, computed columns after gendan quote,
# why), in the Customers row's internal fields, and on the rows never shown (a draft, a lost quote, another
# customer's). Numbers are chosen so that no shown figure contains one.
INTERNAL = {"supplier": "SUPPLIER-MARKER 供应商标记", "purchase_price": 87.6543, "vat_rate": "12.34%",
            "refund_rate": "8.76%", "domestic_cost": 3.1337, "freight": 0.4242, "insurance_rate": "0.3131%",
            "bank_fee_rate": "0.2929%", "profit_rate": "9.1919%", "target_price": 61.7777,
            "remarks": "REMARK-MARKER 内部备注标记"}
MARKERS = ["SUPPLIER-MARKER", "供应商标记", "87.6543", "12.34", "8.76", "3.1337", "0.4242", "0.3131", "0.2929",
           "9.1919", "61.7777", "REMARK-MARKER", "内部备注标记", "7.0531", "7.1234", "DRAFT-MARKER", "LOST-MARKER",
           "OTHERCUST-MARKER", "ALIAS-MARKER", "CUSTREMARK-MARKER", "CONTACT-MARKER", "marker@customer",
           "FORWARDER-MARKER", "CONSIGNEE-MARKER"]


def _marked_master(folder: Path) -> Path:
    def row(quote_no, revision, status, incoterm="CIF", fx="7.0531", style="ST-M", customer="ACME"):
        values = {**INTERNAL, "quote_no": quote_no, "revision": revision, "quote_date": "2026-11-02",
                  "customer": customer, "style": style, "description": "Parka 派克大衣", "qty": 3000,
                  "currency": "USD", "incoterm": incoterm, "port": "Hamburg", "commission_rate": "3%",
                  "fx_rate": fx, "valid_until": "2026-12-31", "status": status}
        return ",".join(str(values.get(name, "")) for name in schema.QUOTATIONS.names[:25])
    rows = [row("Q-M1", 1, "SENT"), row("Q-M2", 1, "CONFIRMED", "FOB", fx=""),        # fx from FX Rates: 7.1234
            row("Q-M2", 2, "DRAFT", style="DRAFT-MARKER"), row("Q-M3", 1, "SENT", style="LOST-MARKER"),
            row("Q-M3", 2, "LOST", style="LOST-MARKER"), row("Q-M4", 1, "SENT", style="OTHERCUST-MARKER",
                                                              customer="OTHERCUST-MARKER")]
    quotes = ",".join(schema.QUOTATIONS.names[:25]) + "\n" + "\n".join(rows) + "\n"
    customers = ("name,legal_name,aliases,contact,email,forwarder,consignee,remarks\n"
                 "ACME,ACME Trading GmbH,ALIAS-MARKER,CONTACT-MARKER,marker@customer.example,FORWARDER-MARKER,"
                 "CONSIGNEE-MARKER,CUSTREMARK-MARKER\n")
    master = _master(folder, quotes, customers)
    (folder / "fx2.csv").write_text("currency,rate,date\nUSD,7.1234,2026-11-01\n", encoding="utf-8")
    actions.load_table(master, folder / "fx2.csv", schema.FX_RATES, as_of=AS_OF)
    actions.quote(master, as_of=AS_OF)      # the computed columns and why written into the master
    return master


def test_nothing_internal_in_any_part_of_the_file_or_its_pdf(tmp_path):
    master = _marked_master(tmp_path)
    stored = [r for r in openpyxl.load_workbook(master)[schema.QUOTATIONS.sheet].iter_rows(min_row=2, values_only=True)
              if r[0] in ("Q-M1", "Q-M2")]
    names = schema.QUOTATIONS.names
    computed = [f"{r[names.index(n)]:.4f}" for r in stored for n in ("refund", "net_cost", "fob", "cfr", "cif", "price",
                "total_cost", "fx_cost", "max_purchase_price") if isinstance(r[names.index(n)], float)]
    whys = [r[names.index("why")] for r in stored]
    assert len(computed) >= 14 and all(w and "盈亏率" in w for w in whys)   # the master holds them
    xlsx = Path(actions.quotation(master, customer="ACME", out=tmp_path / "q.xlsx", as_of=AS_OF).file)
    pdf = Path(actions.quotation(master, customer="ACME", out=tmp_path / "q.pdf", as_of=AS_OF).file)
    parts = part_texts(xlsx)
    assert {"docProps/core.xml", "docProps/app.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"} <= set(parts)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    for body in (parts["xl/worksheets/sheet1.xml"], text):      # the customer's quotes are there
        assert "Q-M1" in body and "Q-M2" in body and "CIFC3 Hamburg" in body and "FOBC3 Hamburg" in body
    for name, body in {**parts, "pdf": text, "pdfinfo": info}.items():
        for marker in MARKERS + computed + whys:
            assert marker not in body, f"{marker!r} in {name}"
    for body in (parts["xl/worksheets/sheet1.xml"], text):
        for word in ("供应商", "Supplier", "采购", "Purchase", "退税", "Refund", "利润", "Profit", "盈亏", "margin",
                     "汇率", "FX", "成本", "cost", "目标", "Target", "原因", "Why", "备注", "Remarks", "DRAFT", "LOST"):
            assert word not in body, word
    core = ET.fromstring(zipfile.ZipFile(xlsx).read("docProps/core.xml"))
    props = {el.tag.split("}")[1]: el.text for el in core}
    assert props["creator"] == CREATOR and "lastModifiedBy" not in props
    assert props["title"] == f"报价单 Quotation — ACME Trading GmbH · {AS_OF}"
    assert props["created"] == props["modified"] == f"{AS_OF}T00:00:00Z"     # the as-of date, not the clock
    assert f"Author:          {CREATOR}" in info
    login = getpass.getuser()
    if len(login) > 3:
        assert all(login not in body for name, body in parts.items() if name.startswith("docProps"))
    assert not any(name.startswith(("customXml", "docProps/custom")) for name in parts)
    assert_valid(xlsx)


# --- printed -----------------------------------------------------------------------------------

LONG_LEGAL = "Maison Lumière Société des Importations Textiles de Paris et de Lyon SARL 巴黎里昂纺织品进口有限公司"


def test_the_quotation_prints_without_overlaps_and_its_pdf_too(tmp_path):
    rows = [f"Q-2026-{n:03},1,2026-11-0{1 + n % 9},ACME,ST-{n}-AW2026-LONGLINE-WOOL-BLEND-OVERCOAT,"
            f"Longline wool-blend overcoat with detachable hood 女款羊毛混纺长款连帽大衣 {n},Huamei,{1000 + n},USD,"
            f"{('CIF', 'FOB', 'CFR')[n % 3]},Port of Rotterdam Maasvlakte,{40 + n},,,2.5,0.4,0.3%,{n % 2 * 3}%,,8%,7.05,,"
            "2026-12-31,SENT,\n" for n in range(1, 41)]
    quotes = QUOTES_CSV.split("\n", 1)[0] + "\n" + "".join(rows)
    master = _master(tmp_path, quotes, f'name,legal_name,payment_terms\nACME,{LONG_LEGAL},'
                                       '"T/T 30 % deposit, 70 % against copy of B/L"\n')
    out = actions.quotation(master, customer="ACME", out=tmp_path / "q.xlsx", as_of=AS_OF)
    assert len(out.lines) == 40
    path = Path(out.file)
    ws = openpyxl.load_workbook(path)[SHEET]
    top = [ws[f"A{r}"].value for r in range(1, 8) if ws[f"A{r}"].value]
    texts = [header for _, header, _ in COLUMNS] + top + [line.price_text for line in out.lines]
    pages = check_sheet(path, SHEET, tmp_path, texts)
    assert len(pages) >= 2 and all(shown_whole(f"Page {n} of {len(pages)}", pages) for n in range(1, len(pages) + 1))
    pdf = Path(actions.quotation(master, customer="ACME", out=tmp_path / "q.pdf", as_of=AS_OF).file)
    proc = subprocess.run([sys.executable, str(OVERLAPS), str(pdf)], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0 and proc.stdout.startswith("0 overlapping"), proc.stdout
    printed = pdf_words(pdf)
    assert all(shown_whole(text, printed) for text in texts)
    assert_valid(path)


# --- the command line ---------------------------------------------------------------------------

def test_the_command_line_writes_the_quotation_and_its_json(tmp_path, capsys):
    master = _master(tmp_path)
    assert main(["quote", str(master), "--customer", "acm", "--as-of", "2026-11-26", "--json"]) == 1
    error = json.loads(capsys.readouterr().out)
    assert error["code"] == "UNKNOWN_PARTY" and "ACME, Nordic Home AB" in error["error"]
    assert main(["quote", str(master), "--customer", "Acme GmbH", "--out", str(tmp_path / "q.xlsx"),
                 "--as-of", "2026-11-26", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert {k: answer[k] for k in ("ok", "file", "customer", "legal_name", "as_of", "warnings")} == {
        "ok": True, "file": str(tmp_path / "q.xlsx"), "customer": "ACME", "legal_name": "ACME Trading GmbH",
        "as_of": "2026-11-26", "warnings": []}
    assert answer["lines"][0] == {"quote_no": "Q-2026-001", "revision": 1, "style": "ST-1", "price": 7.47,
                                  "currency": "USD", "price_text": SHOWN_EXAMPLE}
    assert main(["quote", str(master), "--customer", "ACME", "--quote", "q-2026-002", "--revision", "1",
                 "--out", str(tmp_path / "q2.xlsx"), "--as-of", "2026-11-26"]) == 0
    text = capsys.readouterr().out
    assert "报价单 quotation · ACME (ACME Trading GmbH)" in text and "Q-2026-002 / 1 · ST-2 · USD 4.25 FOB Shanghai" in text
    assert "Q-2026-001" not in text and f"→ {tmp_path / 'q2.xlsx'}" in text
    assert main(["quote", str(master), "--customer", "ACME", "--quote", "Q-2026-002", "--revision", "2",
                 "--out", str(tmp_path / "q3.xlsx")]) == 1
    assert "revision 2 of quote Q-2026-002 is not the customer's: 草稿 Draft" in capsys.readouterr().err
    for args in (["--out", "x.xlsx"], ["--quote", "Q-2026-001"], ["--customer", "ACME", "--revision", "1"]):
        with pytest.raises(SystemExit) as caught:
            main(["quote", str(master), *args])
        assert caught.value.code == 2
        err = capsys.readouterr().err
        assert "--customer" in err or "--quote" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_the_quotation_pdf_prints_the_price_as_the_customer_reads_it(tmp_path):
    master = _master(tmp_path)
    out = actions.quotation(master, customer="ACME", out=tmp_path / "q.pdf", as_of=AS_OF)
    text = subprocess.run(["pdftotext", "-layout", out.file, "-"], capture_output=True, text=True, check=True).stdout
    assert SHOWN_EXAMPLE in text and "ACME Trading GmbH" in text and "第 1 /" in text
    assert out.lines[0].price == 7.47
