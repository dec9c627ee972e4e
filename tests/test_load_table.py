"""gendan load --table: rows of any keyed table (customers, quotations, FX rates) upserted by the
table's own key, with the Import Issues and Change Log orders have; the customer resolver. The core
through literal frames; the command on real masters re-read by openpyxl."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pandas as pd
import pytest

from conftest import AS_OF
from gendan_xl import actions
from gendan_xl.cli import main
from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.issues import Reason
from gendan_xl.model.words import as_codes, as_words
from gendan_xl.rules.customers import customer_row, customer_rows, customers_of_orders
from gendan_xl.rules.table_loading import upsert_rows
from ooxml import assert_valid
from table_rows import table_rows

STAMP = dt.datetime(2026, 11, 26, 9, 0)


def _rows(spec: schema.Table, records: list[dict], first_row: int = 2) -> pd.DataFrame:
    """A table as the master's reader gives it: every field, indexed by sheet row."""
    frame = pd.DataFrame(records, columns=spec.names, index=pd.RangeIndex(first_row, first_row + len(records)))
    for name in spec.of_kind(schema.DATE):
        frame[name] = pd.to_datetime(frame[name])
    for name in spec.of_kind(schema.INT) + spec.of_kind(schema.NUMBER):
        frame[name] = pd.to_numeric(frame[name]).astype(float)
    return frame.astype({n: object for n in spec.of_kind(schema.TEXT)})


def _incoming(spec: schema.Table, records: list[dict]) -> pd.DataFrame:
    """Rows as a file gives them: only the fields it has, with their file row and sheet."""
    frame = pd.DataFrame(records)
    for name in spec.of_kind(schema.DATE):
        if name in frame:
            frame[name] = pd.to_datetime(frame[name])
    return frame.assign(_row=range(2, 2 + len(frame)), _sheet="s")


# -- the core upsert ------------------------------------------------------------------------------------

def test_customers_upsert_by_name_appends_new_rows_and_logs_only_changed_values_with_their_table():
    ours = _rows(schema.CUSTOMERS, [{"name": "ACME Trading", "tier": "A", "currency": "EUR"},
                                    {"name": "Nordic", "tier": "B"}])
    file = _incoming(schema.CUSTOMERS, [{"name": "acme  trading", "tier": "B", "currency": "EUR"},
                                        {"name": "Zed", "tier": "C", "currency": None}])
    result = upsert_rows(schema.CUSTOMERS, ours, file, file="c.csv", timestamp=STAMP)
    assert result.rows.loc[2, "tier"] == "B" and result.rows.loc[2, "name"] == "ACME Trading"   # key never rewritten
    assert result.rows.loc[3, "tier"] == "B"
    assert result.appended["name"].tolist() == ["Zed"]
    assert [(c["table"], c["order_key"], c["field"], c["old"], c["new"]) for c in result.changes] == [
        ("customers", "ACME Trading", "tier", "A", "B")]   # the unchanged currency is not logged
    assert result.issues == []


def test_quotations_are_keyed_by_quote_no_and_revision_and_revision_2_0_is_2():
    ours = _rows(schema.QUOTATIONS, [{"quote_no": "Q-1", "revision": 1, "purchase_price": 45.2}])
    file = _incoming(schema.QUOTATIONS, [{"quote_no": "Q-1", "revision": 2.0, "purchase_price": 44.0},
                                         {"quote_no": "Q-1", "revision": "1", "purchase_price": 45.0},
                                         {"quote_no": "q 1", "revision": "2", "purchase_price": 43.0}])
    result = upsert_rows(schema.QUOTATIONS, ours, file, file="q.csv", timestamp=STAMP)
    assert result.appended[["quote_no", "revision"]].values.tolist() == [["Q-1", 2.0]]   # rev 1 and rev 2: two rows
    assert result.rows.loc[2, "purchase_price"] == 45.0
    assert [(c["order_key"], c["field"], c["old"], c["new"]) for c in result.changes] == [
        ("Q-1 / 1", "purchase_price", "45.2", "45")]
    assert [(i.row, i.reason, i.value) for i in result.issues] == [(4, Reason.DUPLICATE, "q 1 / 2")]


def test_a_blank_or_repeated_key_is_an_issue_row_and_not_loaded():
    file = _incoming(schema.QUOTATIONS, [{"quote_no": "Q-2", "revision": None, "qty": 10},
                                         {"quote_no": None, "revision": 1, "qty": 20},
                                         {"quote_no": "Q-3", "revision": 1, "qty": 30},
                                         {"quote_no": "Q-3", "revision": 1.0, "qty": 40}])
    result = upsert_rows(schema.QUOTATIONS, _rows(schema.QUOTATIONS, []), file, file="q.csv", timestamp=STAMP)
    assert result.appended["qty"].tolist() == [30]
    assert [(i.row, i.reason, i.column) for i in result.issues] == [
        (2, Reason.BLANK_KEY, "版本 Revision"), (3, Reason.BLANK_KEY, "报价单号 Quote No."),
        (5, Reason.DUPLICATE, "报价单号 Quote No. + 版本 Revision")]
    assert result.changes == []


def test_a_key_two_rows_of_the_table_have_is_not_loaded():
    ours = _rows(schema.CUSTOMERS, [{"name": "ACME"}, {"name": "acme"}])
    result = upsert_rows(schema.CUSTOMERS, ours, _incoming(schema.CUSTOMERS, [{"name": "Acme", "tier": "A"}]),
                         file="c.csv", timestamp=STAMP)
    assert [i.reason for i in result.issues] == [Reason.AMBIGUOUS_MATCH]
    assert result.changes == [] and result.appended.empty and result.rows["tier"].isna().all()


def test_fx_rates_are_keyed_by_currency_and_date():
    ours = _rows(schema.FX_RATES, [{"currency": "USD", "rate": 7.05, "date": "2026-11-20"}])
    file = _incoming(schema.FX_RATES, [{"currency": "usd", "rate": 7.10, "date": "2026-11-20"},
                                       {"currency": "USD", "rate": 6.90, "date": "2026-11-26"}])
    result = upsert_rows(schema.FX_RATES, ours, file, file="fx.csv", timestamp=STAMP)
    assert result.rows.loc[2, "rate"] == 7.10
    assert result.appended["rate"].tolist() == [6.90]
    assert [c["order_key"] for c in result.changes] == ["USD / 2026-11-20"]


def test_change_log_rows_show_their_table_and_their_tables_header_and_read_back_as_codes():
    log = pd.DataFrame({"table": ["customers", None, "orders"], "field": ["tier", "eta", "remarks"]})
    shown = as_words(schema.CHANGE_LOG, log)
    assert shown["table"].fillna("").tolist() == ["客户 Customers", "", "订单 Orders"]
    assert shown["field"].tolist() == ["等级 Tier", "预计完成 ETA", "备注 Remarks"]   # a blank table: Orders
    assert as_codes(schema.CHANGE_LOG, shown).fillna("").to_dict("list") == log.fillna("").to_dict("list")


def test_the_table_named_by_its_key_or_either_half_of_its_sheet_name():
    assert [actions.loadable_table(n) for n in ("customers", "客户", "Quotations", "汇率 FX Rates", "orders")] == [
        schema.CUSTOMERS, schema.CUSTOMERS, schema.QUOTATIONS, schema.FX_RATES, schema.ORDERS]
    with pytest.raises(GendanError) as err:
        actions.loadable_table("suppliers")   # no key to load rows by
    assert err.value.code is ErrorCode.BAD_OPTION and "customers (客户 Customers)" in str(err.value)


# -- the customer resolver ----------------------------------------------------------------------------

CUSTOMERS = _rows(schema.CUSTOMERS, [{"name": "Maison Lumière SARL", "aliases": "Lumiere; ML Paris, 光明"},
                                     {"name": "ACME Trading GmbH", "aliases": None}])


@pytest.mark.parametrize("typed, row", [
    ("Maison Lumière SARL", 2), ("maison lumiere, s.a.r.l.", 2), ("ＭＡＩＳＯＮ ＬＵＭＩＥＲＥ ＳＡＲＬ", 2),
    ("LUMIERE", 2), ("ml-paris", 2), ("光明", 2), ("acme trading gmbh", 3),
    ("Maison", None), ("ACME", None), ("", None), (None, None)])
def test_a_customer_name_resolves_through_names_and_aliases_never_a_part_of_one(typed, row):
    assert customer_row(CUSTOMERS, typed) == row


def test_every_order_lines_customer_resolves_at_once():
    assert customer_rows(CUSTOMERS, pd.Series(["Acme Trading GmbH", "Lumiere", "Other"])).tolist() == [3, 2, None]


def test_an_older_masters_customers_are_its_order_lines_customers_once_each():
    names = pd.Series(["ACME Ltd", "acme ltd.", "ACME Ltd", "Nordic", None, "  "])
    assert customers_of_orders(names)["name"].tolist() == ["ACME Ltd", "Nordic"]


# -- the command on real masters ----------------------------------------------------------------------


@pytest.fixture
def new_master(tmp_path):
    path = tmp_path / "master.xlsx"
    actions.new_master(path)
    return path


def test_gendan_new_has_the_customers_quotations_and_fx_rates_tables(new_master):
    wb = openpyxl.load_workbook(new_master)
    for spec in (schema.CUSTOMERS, schema.QUOTATIONS, schema.FX_RATES):
        assert [c.value for c in wb[spec.sheet][1]] == [f.header for f in spec.fields]
        assert spec.name in wb[spec.sheet].tables


def test_customers_load_from_a_csv_then_an_xlsx_with_chinese_headers(new_master, tmp_path):
    csv = tmp_path / "customers.csv"
    csv.write_text("name,legal_name,aliases,country,tier,currency\nACME,ACME Trading GmbH,ACME DE,DE,A,EUR\n"
                   "Nordic,Nordic Wear AB,,SE,B,USD\n,Nobody Ltd,,,,\n", encoding="utf-8")
    first = actions.load_table(new_master, csv, schema.CUSTOMERS, as_of=AS_OF)
    assert (first.added, first.changed_values, first.issue_counts) == (2, 0, {"blank_key": 1})
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["客户名称", "等级", "币种", "付款方式", "唛头"])
    ws.append(["acme", "B", "EUR", "T/T 30 days", "ACME / HAMBURG"])
    ws.append(["Zed", "C", "USD", None, None])
    xlsx = tmp_path / "客户档案.xlsx"
    book.save(xlsx)
    second = actions.load_table(new_master, xlsx, schema.CUSTOMERS, as_of=AS_OF)
    assert (second.added, second.updated_rows, second.changed_values) == (1, 1, 3)
    rows = {r["name"]: r for r in table_rows(new_master, schema.CUSTOMERS)}
    assert set(rows) == {"ACME", "Nordic", "Zed"}
    assert (rows["ACME"]["tier"], rows["ACME"]["currency"], rows["ACME"]["payment_terms"],
            rows["ACME"]["legal_name"]) == ("B", "EUR", "T/T 30 days", "ACME Trading GmbH")
    log = table_rows(new_master, schema.CHANGE_LOG)
    assert sorted((r["table"], r["order_key"], r["field"], r["old"], r["new"]) for r in log) == [
        ("客户 Customers", "ACME", "付款方式 Payment terms", None, "T/T 30 days"),
        ("客户 Customers", "ACME", "唛头 Shipping marks", None, "ACME / HAMBURG"),
        ("客户 Customers", "ACME", "等级 Tier", "A", "B")]
    issues = table_rows(new_master, schema.IMPORT_ISSUES)
    assert [(i["file"], i["row"], i["column"]) for i in issues] == [("customers.csv", 4, "客户 Customer")]
    again = actions.load_table(new_master, xlsx, schema.CUSTOMERS, as_of=AS_OF)
    assert (again.added, again.changed_values) == (0, 0) and len(table_rows(new_master, schema.CHANGE_LOG)) == 3
    assert_valid(new_master)


def test_an_order_of_one_po_stating_it_above_its_table_loads_its_lines_under_that_po(new_master, tmp_path, capsys):
    csv = tmp_path / "采购订单 PO-880001.csv"
    csv.write_text("采购订单 Purchase order\n订单号：PO-880001\n客户 Customer:,Hanse Handel GmbH\n\n"
                   "Line,Style,Qty,Due date,Supplier\n1,ST-1,1200,2027-01-20,Ningbo Knit\n"
                   "2,ST-2,800,2027-01-25,Ningbo Knit\n", encoding="utf-8")
    assert main(["load", str(new_master), str(csv), "--as-of", AS_OF.isoformat()]) == 0
    assert "read beside its label: A2 订单号: PO-880001" in capsys.readouterr().out
    rows = table_rows(new_master, schema.ORDERS)
    assert [(r["po_no"], r["line"], r["qty"]) for r in rows if r["po_no"]] == [("PO-880001", "1", 1200),
                                                                             ("PO-880001", "2", 800)]
    assert all(r["customer"] is None for r in rows)   # only a key is taken from the title block
    assert main(["load", str(new_master), str(csv), "--as-of", AS_OF.isoformat(), "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert (answer["added"], answer["stated"]) == (0, {"po_no": "A2 订单号: PO-880001"})
    assert_valid(new_master)


def test_map_to_a_field_the_table_lacks_names_the_field_and_the_tables_fields(new_master, tmp_path, capsys):
    csv = tmp_path / "fx.csv"
    csv.write_text("币,rate,date\nUSD,7.05,2026-11-20\n", encoding="utf-8")
    assert main(["load", str(new_master), str(csv), "--table", "fx_rates", "--map", "ccy=币", "--json"]) == 1
    answer = json.loads(capsys.readouterr().out)
    assert answer["code"] == ErrorCode.UNKNOWN_FIELD.value
    assert "'ccy'" in answer["error"] and "汇率 FX Rates" in answer["error"] and "currency, rate, date" in answer["error"]
    assert main(["load", str(new_master), str(csv), "--table", "fx_rates", "--map", "currency=币", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == 1
    assert table_rows(new_master, schema.FX_RATES) == [{"currency": "USD", "rate": 7.05, "date": dt.datetime(2026, 11, 20)}]


def test_quotation_revisions_load_as_rows_of_their_own(new_master, tmp_path):
    csv = tmp_path / "quotes.csv"
    csv.write_text("报价单号,版本,客户,款号,含税采购单价,利润率,状态\nQ-2026-001,1,ACME,ST-1,45.20,8%,DRAFT\n"
                   "Q-2026-001,2.0,ACME,ST-1,44.00,8%,DRAFT\nQ-2026-001,2,ACME,ST-1,43.00,8%,DRAFT\n", encoding="utf-8")
    result = actions.load_table(new_master, csv, schema.QUOTATIONS, as_of=AS_OF)
    assert (result.added, result.issue_counts) == (2, {"duplicate": 1})
    rows = table_rows(new_master, schema.QUOTATIONS)
    assert [(r["quote_no"], r["revision"], r["purchase_price"]) for r in rows] == [
        ("Q-2026-001", 1, 45.2), ("Q-2026-001", 2, 44)]
    assert all(r["fob"] is None and r["price"] is None for r in rows)   # computed: gendan quote's, not the file's
    assert_valid(new_master)


def test_an_older_master_gets_a_customers_table_filled_from_its_orders(demo_master, tmp_path):
    wb = openpyxl.load_workbook(demo_master)
    for spec in (schema.CUSTOMERS, schema.QUOTATIONS, schema.FX_RATES):   # as an older gendan wrote it
        if spec.sheet in wb.sheetnames:
            del wb[spec.sheet]
    wb.save(demo_master)
    orders = pd.read_excel(demo_master, sheet_name=schema.ORDERS.sheet, engine="openpyxl")[schema.ORDERS.header("customer")]
    csv = tmp_path / "c.csv"
    csv.write_text("客户,等级\nZed,C\n", encoding="utf-8")
    result = actions.load_table(demo_master, csv, schema.CUSTOMERS, as_of=AS_OF)
    assert result.table_added and result.added == 1
    names = [r["name"] for r in table_rows(demo_master, schema.CUSTOMERS)]
    assert names == sorted(orders.dropna().unique()) + ["Zed"]
    assert schema.QUOTATIONS.sheet not in openpyxl.load_workbook(demo_master, read_only=True).sheetnames
    assert_valid(demo_master)


def test_orders_change_log_rows_say_orders_and_an_older_log_gets_the_table_column(demo_master, tmp_path):
    """An older master's Change Log (no 表 Table column) gets it at its right end; an Orders load
    logs its rows there as 订单 Orders, keyed by PO / line as before."""
    wb = openpyxl.load_workbook(demo_master)
    ws = wb[schema.CHANGE_LOG.sheet]
    column = [c.value for c in ws[1]].index(schema.CHANGE_LOG.header("table")) + 1
    ws.delete_cols(column)
    table = ws.tables[schema.CHANGE_LOG.name]
    last = openpyxl.utils.get_column_letter(len(schema.CHANGE_LOG.fields) - 1)
    table.ref = f"A1:{last}{table.ref.split(':')[1].lstrip('ABCDEFGHIJKLMNOPQRSTUVWXYZ')}"
    table.tableColumns = [c for c in table.tableColumns if c.name != schema.CHANGE_LOG.header("table")]
    for i, c in enumerate(table.tableColumns, start=1):
        c.id = i
    wb.save(demo_master)
    first = pd.read_excel(demo_master, sheet_name=schema.ORDERS.sheet, engine="openpyxl").iloc[0]
    po, line = first[schema.ORDERS.header("po_no")], first[schema.ORDERS.header("line")]
    csv = tmp_path / "erp.csv"
    csv.write_text(f"PO号,行号,备注\n{po},{line},moved to next week\n", encoding="utf-8")
    actions.load_orders(demo_master, csv, as_of=AS_OF)
    headers = [c.value for c in openpyxl.load_workbook(demo_master, read_only=True)[schema.CHANGE_LOG.sheet][1]]
    assert headers[-1] == schema.CHANGE_LOG.header("table")
    logged = [r for r in table_rows(demo_master, schema.CHANGE_LOG) if r["file"] == "erp.csv"]
    assert [(r["table"], r["order_key"], r["new"]) for r in logged] == [
        ("订单 Orders", f"{po} / {int(line)}", "moved to next week")]
    assert_valid(demo_master)
