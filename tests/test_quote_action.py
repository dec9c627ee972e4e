"""gendan quote (every quote revision priced, its computed columns written, unpriced rows in Import
Issues, --json per quote), the quoting Settings, and frozen revisions on ``gendan load --table
quotations``. The rules through literal frames; the commands on real masters re-read by openpyxl."""

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
from gendan_xl.model.errors import GendanError
from gendan_xl.model.issues import Reason
from gendan_xl.model.settings import Settings
from gendan_xl.quotes.rates import QuoteDefaults
from gendan_xl.quotes.revisions import frozen_changes
from ooxml import assert_valid
from table_rows import table_rows


def _settings(**values) -> Settings:
    return Settings.from_frame(pd.DataFrame({"key": list(values), "value": list(values.values()),
                                             "description": ""}, index=range(2, 2 + len(values))))


# -- the quoting Settings -------------------------------------------------------------------------------

def test_the_quoting_settings_default_to_the_issues_figures_and_read_rates_as_quotes_do():
    assert QuoteDefaults.from_settings(Settings()) == QuoteDefaults(0.13, 0.13, 0.0, 0.0, 2, 2.0)
    for typed in ("9%", "9", 0.09, "0.09"):
        assert _settings(refund_rate=typed).refund_rate == pytest.approx(0.09)
    read = QuoteDefaults.from_settings(_settings(vat_rate="6%", bank_fee_rate=0.003, commission_rate="3",
                                                 quote_decimals=3, fx_alert_points=1.5))
    assert read == QuoteDefaults(0.06, 0.13, 0.003, pytest.approx(0.03), 3, 1.5)


@pytest.mark.parametrize("key, value", [("vat_rate", "100%"), ("refund_rate", "abc"), ("commission_rate", 1),
                                        ("quote_decimals", 2.5), ("quote_decimals", 7), ("fx_alert_points", -1)])
def test_a_bad_quoting_setting_names_the_row_and_value(key, value):
    with pytest.raises(GendanError) as caught:
        _settings(**{key: value})
    assert caught.value.row == 2 and key in str(caught.value) and str(value) in str(caught.value)


def test_the_settings_sheet_of_a_new_master_has_a_bilingual_row_per_quoting_setting():
    rows = Settings.rows().set_index("key")
    for key in ("vat_rate", "refund_rate", "bank_fee_rate", "commission_rate", "quote_decimals", "fx_alert_points"):
        assert "报价" in rows.at[key, "description"] and "Quotations" in rows.at[key, "description"]


# -- frozen revisions (the rule) ------------------------------------------------------------------------

def _ours(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=schema.QUOTATIONS.names, index=range(2, 2 + len(records)))
    for name in schema.QUOTATIONS.of_kind(schema.INT) + schema.QUOTATIONS.of_kind(schema.NUMBER):
        frame[name] = pd.to_numeric(frame[name]).astype(float)
    return frame.astype({n: object for n in schema.QUOTATIONS.of_kind(schema.TEXT)})


def _file(records: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(records).assign(_row=range(2, 2 + len(records)), _sheet="s")


OURS = _ours([{"quote_no": "Q-1", "revision": 1, "purchase_price": 45.2, "status": "SENT 已报"},
              {"quote_no": "Q-2", "revision": 1, "purchase_price": 30.0, "status": "DRAFT"},
              {"quote_no": "Q-3", "revision": 2, "purchase_price": 20.0, "status": "确认"},
              {"quote_no": "Q-4", "revision": 1, "purchase_price": 10.0, "status": None}])


def test_a_file_row_changing_a_sent_revision_is_an_issue_asking_for_the_next_revision_and_is_dropped():
    incoming = _file([{"quote_no": "q-1", "revision": 1, "purchase_price": 44.0, "status": "SENT"},
                      {"quote_no": "Q-2", "revision": 1, "purchase_price": 29.0, "status": "DRAFT"},
                      {"quote_no": "Q-3", "revision": 2, "purchase_price": 20.0, "status": "CONFIRMED"},
                      {"quote_no": "Q-4", "revision": 1, "purchase_price": 11.0, "status": None}])
    kept, issues = frozen_changes(OURS, incoming, file="q.csv")
    assert kept["quote_no"].tolist() == ["Q-2", "Q-3", "Q-4"]     # a draft, an unchanged confirmed, a blank status
    [issue] = issues
    assert (issue.file, issue.sheet, issue.row, issue.column, issue.value, issue.reason) == (
        "q.csv", "s", 2, schema.QUOTATIONS.header("purchase_price"), "44", Reason.FROZEN_REVISION)
    assert "请新建版本 2" in issue.message and "revision 1 is SENT: make revision 2" in issue.message


@pytest.mark.parametrize("status, refused", [("CONFIRMED", False), ("未成 Lost", False), ("作废", False),
                                             ("DRAFT", True), ("草稿", True), ("maybe", True)])
def test_a_frozen_revisions_status_may_move_on_but_never_back_to_draft(status, refused):
    incoming = _file([{"quote_no": "Q-1", "revision": 1, "status": status, "remarks": "customer called"}])
    kept, issues = frozen_changes(OURS, incoming, file="q.csv")
    assert (len(kept), len(issues)) == ((0, 1) if refused else (1, 0))
    if refused:
        assert issues[0].column == schema.QUOTATIONS.header("status")


def test_a_new_revision_of_a_sent_quote_is_not_frozen():
    kept, issues = frozen_changes(OURS, _file([{"quote_no": "Q-1", "revision": 2, "purchase_price": 44.0}]),
                                  file="q.csv")
    assert len(kept) == 1 and issues == []


# -- gendan quote on real masters -----------------------------------------------------------------------


QUOTES_CSV = (
    "quote_no,revision,customer,style,currency,incoterm,purchase_price,vat_rate,refund_rate,domestic_cost,freight,"
    "insurance_rate,commission_rate,bank_fee_rate,profit_rate,fx_rate,target_price,status\n"
    "Q-2026-001,1,ACME,ST-1,USD,CIF,45.20,13%,9%,2.50,0.40,0.3%,3%,0.3%,8%,7.05,6.50,SENT\n"     # the issue's example
    "Q-2026-002,1,ACME,ST-2,USD,FOB,45.20,,,2.50,,,,,8%,,,DRAFT\n"          # Settings' rates, today's USD rate
    "Q-2026-003,1,Zed,ST-3,USD,CIF,30,,,1,0.2,,,,10%,7.05,,DRAFT\n")        # CIF without an insurance rate
FX_CSV = "currency,rate,date\nUSD,7.20,2026-10-01\nUSD,7.00,2026-11-20\nUSD,6.40,2026-12-01\n"


@pytest.fixture
def quoted_master(tmp_path):
    path = tmp_path / "master.xlsx"
    actions.new_master(path)
    (tmp_path / "q.csv").write_text(QUOTES_CSV, encoding="utf-8")
    (tmp_path / "fx.csv").write_text(FX_CSV, encoding="utf-8")
    actions.load_table(path, tmp_path / "q.csv", schema.QUOTATIONS, as_of=AS_OF)
    actions.load_table(path, tmp_path / "fx.csv", schema.FX_RATES, as_of=AS_OF)
    return path


def test_gendan_quote_writes_the_worked_example_and_lists_an_unpriced_row_once(quoted_master):
    result = actions.quote(quoted_master, as_of=AS_OF)
    assert (result.priced, result.not_priced) == (2, 1)
    rows = {r["quote_no"]: r for r in table_rows(quoted_master, schema.QUOTATIONS)}
    example = rows["Q-2026-001"]
    assert {k: example[k] for k in ("refund", "net_cost", "fob", "cfr", "cif", "price", "total_cost", "fx_cost",
                                    "profit_loss_rate", "max_purchase_price")} == {
        "refund": 3.6, "net_cost": 41.6, "fob": 6.8215, "cfr": 7.2215, "cif": 7.2454, "price": 7.4695,
        "total_cost": 44.2443, "fx_cost": 6.486, "profit_loss_rate": 0.087, "max_purchase_price": 38.616}
    assert example["why"].startswith("CIFC3 USD 7.4695")
    bad = rows["Q-2026-003"]
    assert bad["price"] is None and bad["fob"] is None and "insurance_rate" in bad["why"] and "CIF" in bad["why"]
    [issue] = table_rows(quoted_master, schema.IMPORT_ISSUES)
    assert (issue["file"], issue["sheet"], issue["row"], issue["column"], issue["reason"]) == (
        "master.xlsx", schema.QUOTATIONS.sheet, 4, schema.QUOTATIONS.header("insurance_rate"),
        Reason.MISSING_VALUE.words)
    again = actions.quote(quoted_master, as_of=AS_OF)
    assert again.issues == 1 and len(table_rows(quoted_master, schema.IMPORT_ISSUES)) == 1   # not logged twice
    assert_valid(quoted_master)


def test_blank_rates_take_the_masters_settings_and_a_blank_fx_rate_the_as_of_dates_rate(quoted_master):
    actions.quote(quoted_master, as_of=AS_OF)
    row = {r["quote_no"]: r for r in table_rows(quoted_master, schema.QUOTATIONS)}["Q-2026-002"]
    assert row["refund"] == pytest.approx(5.2, abs=1e-9)            # 45.20 ÷ 1.13 × 13 %: the default refund rate
    assert row["fob"] == pytest.approx(round((45.2 - 5.2 + 2.5) / 0.92 / 7.00, 4), abs=1e-12)   # 7.00 of 2026-11-20
    wb = openpyxl.load_workbook(quoted_master)
    ws = wb[schema.SETTINGS.sheet]
    [cell] = [r[1] for r in ws.iter_rows(min_row=2) if r[0].value == "refund_rate"]
    cell.value = "9%"
    wb.save(quoted_master)
    actions.quote(quoted_master, as_of=dt.date(2026, 12, 2))
    row = {r["quote_no"]: r for r in table_rows(quoted_master, schema.QUOTATIONS)}["Q-2026-002"]
    assert row["refund"] == 3.6
    assert row["fob"] == pytest.approx(round((41.6 + 2.5) / 0.92 / 6.40, 4), abs=1e-12)   # 6.40 of 2026-12-01


def test_quote_json_gives_each_quote_the_counts_and_the_quotes_the_rate_moved(quoted_master, capsys):
    assert main(["quote", str(quoted_master), "--as-of", "2026-12-02", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert (answer["priced"], answer["not_priced"], answer["as_of"]) == (2, 1, "2026-12-02")
    first = answer["quotes"][0]
    assert {k: first[k] for k in ("quote_no", "revision", "status", "currency", "incoterm", "price",
                                  "customer_price", "profit_loss_rate")} == {
        "quote_no": "Q-2026-001", "revision": 1, "status": "SENT", "currency": "USD", "incoterm": "CIF",
        "price": 7.4695, "customer_price": 7.47, "profit_loss_rate": 0.087}
    assert answer["quotes"][2]["price"] is None and "insurance_rate" in answer["quotes"][2]["why"]
    [moved] = answer["rate_moved"]   # typed 7.05, today 6.40: fx cost 6.49 > 6.40 (the draft took 6.40)
    assert (moved["quote_no"], moved["today_rate"], moved["loses_money"]) == ("Q-2026-001", 6.4, True)
    assert main(["quote", str(quoted_master), "--as-of", "2026-12-02"]) == 0
    text = capsys.readouterr().out
    assert "已报价 priced 2" in text and "未报价 not priced 1" in text and "汇率变动" in text and "Q-2026-003 / 1" in text


def test_an_older_master_gets_the_quotations_and_fx_rates_tables(tmp_path):
    path = tmp_path / "master.xlsx"
    actions.new_master(path)
    wb = openpyxl.load_workbook(path)
    for spec in (schema.QUOTATIONS, schema.FX_RATES):   # as an older gendan wrote it
        del wb[spec.sheet]
    wb.save(path)
    result = actions.quote(path, as_of=AS_OF)
    assert result.tables_added == ["quotations", "fx_rates"] and (result.priced, result.not_priced) == (0, 0)
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    assert schema.QUOTATIONS.sheet in names and schema.FX_RATES.sheet in names
    assert_valid(path)


# -- frozen revisions through gendan load --------------------------------------------------------------

def test_loading_changed_values_for_a_sent_revision_is_an_issue_row_and_a_draft_is_updated(quoted_master, tmp_path):
    csv = tmp_path / "q2.csv"
    csv.write_text("报价单号,版本,含税采购单价,利润率,状态\n"
                   "Q-2026-001,1,44.00,8%,SENT\n"          # SENT: frozen
                   "Q-2026-002,1,40.00,8%,DRAFT\n"         # DRAFT: updated in place
                   "Q-2026-001,2,44.00,8%,DRAFT\n", encoding="utf-8")   # the next revision: a row of its own
    result = actions.load_table(quoted_master, csv, schema.QUOTATIONS, as_of=AS_OF)
    assert (result.added, result.changed_values, result.issue_counts) == (1, 1, {"frozen_revision": 1})
    rows = {(r["quote_no"], r["revision"]): r for r in table_rows(quoted_master, schema.QUOTATIONS)}
    assert rows[("Q-2026-001", 1)]["purchase_price"] == 45.2 and rows[("Q-2026-002", 1)]["purchase_price"] == 40
    assert rows[("Q-2026-001", 2)]["purchase_price"] == 44
    [issue] = table_rows(quoted_master, schema.IMPORT_ISSUES)
    assert (issue["file"], issue["row"], issue["column"], issue["value"]) == (
        "q2.csv", 2, schema.QUOTATIONS.header("purchase_price"), "44")
    assert issue["message"].startswith("已报出的报价不可修改，请新建版本 2 revision 1 is SENT: make revision 2")
    assert [r["order_key"] for r in table_rows(quoted_master, schema.CHANGE_LOG)] == ["Q-2026-002 / 1"]
    assert_valid(quoted_master)


def test_a_confirmed_revision_loaded_unchanged_logs_nothing(quoted_master, tmp_path):
    confirm = tmp_path / "confirm.csv"
    confirm.write_text("quote_no,revision,status\nQ-2026-001,1,CONFIRMED 确认\n", encoding="utf-8")
    moved = actions.load_table(quoted_master, confirm, schema.QUOTATIONS, as_of=AS_OF)
    assert (moved.changed_values, moved.issues) == (1, 0)              # SENT → CONFIRMED: the customer said yes
    same = tmp_path / "same.csv"
    same.write_text(QUOTES_CSV.replace(",SENT\n", ",CONFIRMED\n"), encoding="utf-8")
    result = actions.load_table(quoted_master, same, schema.QUOTATIONS, as_of=AS_OF)
    assert (result.changed_values, result.issues) == (0, 0)
    assert table_rows(quoted_master, schema.IMPORT_ISSUES) == [] and len(table_rows(quoted_master, schema.CHANGE_LOG)) == 1


# -- quotes on refresh: rate moved, margin erosion, the price trail --------------------------------------

SEASON_CSV = (
    "quote_no,revision,quote_date,customer,style,currency,incoterm,purchase_price,vat_rate,refund_rate,domestic_cost,"
    "freight,insurance_rate,commission_rate,bank_fee_rate,profit_rate,fx_rate,status,valid_until\n"
    "Q-1,1,2026-10-05,ACME,ST-1,USD,CIF,45.20,13%,9%,2.50,0.40,0.3%,3%,0.3%,10%,,SENT,2026-11-05\n"
    "Q-1,2,2026-10-20,ACME,ST-1,USD,CIF,45.20,13%,9%,2.50,0.40,0.3%,3%,0.3%,8%,,CONFIRMED,2026-12-31\n"
    "Q-2,1,2026-10-05,Zed,ST-2,USD,FOB,45.20,13%,9%,2.50,,,,0.3%,8%,,SENT,2026-12-31\n")
ORDERS_CSV = ("po_no,line,customer,style,supplier,qty,unit_price,cost_price,currency,due_date\n"
              "PO-1,1,acme,ST-1,Huamei,100,7.30,46.00,USD,2026-12-20\n"    # below the quote, costlier
              "PO-2,1,ACME,ST-1,Huamei,100,7.50,40.00,USD,2026-12-20\n"    # as quoted
              "PO-3,1,ACME,ST-1,Huamei,100,6.50,40.00,EUR,2026-12-20\n")   # another currency


@pytest.fixture
def season(tmp_path):
    path = tmp_path / "master.xlsx"
    actions.new_master(path)
    for name, text, spec in (("q.csv", SEASON_CSV, schema.QUOTATIONS), ("fx.csv", FX_CSV, schema.FX_RATES)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        actions.load_table(path, tmp_path / name, spec, as_of=AS_OF)
    (tmp_path / "orders.csv").write_text(ORDERS_CSV, encoding="utf-8")
    actions.load_orders(path, tmp_path / "orders.csv", as_of=AS_OF)
    return path


def test_refresh_prices_the_quotes_and_lists_the_rate_moved_and_the_margin_erosion(season, capsys):
    assert main(["refresh", str(season), "--as-of", "2026-12-02", "--json"]) == 0
    quotes = json.loads(capsys.readouterr().out)["quotes"]
    assert (quotes["priced"], quotes["not_priced"], quotes["today_rates"]) == (3, 0, {"USD": 6.4})
    # Q-2 was sent on 2026-10-05 at that day's 7.20 (no rate typed): at 6.40 it loses money
    [moved] = quotes["rate_moved"]
    assert (moved["quote_no"], moved["fx_rate"], moved["today_rate"], moved["loses_money"]) == ("Q-2", 7.2, 6.4, True)
    checks = [(e["po_no"], e["check"]) for e in quotes["margin_erosion"]]
    assert checks == [("PO-1", "COST_ABOVE"), ("PO-1", "PRICE_BELOW"), ("PO-3", "NOT_COMPARABLE")]
    rows = {(r["quote_no"], r["revision"]): r for r in table_rows(season, schema.QUOTATIONS)}
    assert rows[("Q-1", 2)]["why"].startswith("CIFC3 USD") and "7.2000 报价日汇率表" in rows[("Q-1", 2)]["why"]
    sheet = openpyxl.load_workbook(season, read_only=True)["周报 Weekly Report"]
    texts = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert any(t.startswith("汇率变动 Rate moved") for t in texts) and "Q-2 / 1" in texts
    assert any(t.startswith("毛利侵蚀 Margin erosion (2 行 lines)") for t in texts)
    assert_valid(season)


def test_the_price_a_customer_was_sent_stays_when_the_rate_moves(season):
    def prices(as_of):
        actions.quote(season, as_of=as_of)
        return {(r["quote_no"], r["revision"]): r["price"] for r in table_rows(season, schema.QUOTATIONS)}

    in_october, in_december = prices(dt.date(2026, 10, 25)), prices(dt.date(2026, 12, 2))   # USD 7.20, then 6.40
    assert in_october == in_december
    fob = (45.2 - 45.2 / 1.13 * 0.09 + 2.5) / (1 - 0.08 - 0.003) / 7.20      # Q-1/2 at 2026-10-20's 7.20
    assert in_december[("Q-1", 2)] == pytest.approx((fob + 0.40) / (1 - 1.1 * 0.003) / 0.97, abs=5e-5)


def test_quote_json_gives_the_price_trail_and_the_quote_history_sheet_shows_it(season, capsys):
    assert main(["quote", str(season), "--as-of", "2026-12-02", "--json"]) == 0
    trail = json.loads(capsys.readouterr().out)["trail"]
    assert [t["quote_no"] for t in trail] == ["Q-1", "Q-2"]
    first, second = trail[0]["revisions"]
    assert (first["status"], second["status"], first["terms"]) == ("SENT", "CONFIRMED", "CIFC3")
    assert second["change"] == pytest.approx(second["price"] - first["price"], abs=1e-9) and second["change"] < 0
    rows = list(openpyxl.load_workbook(season, read_only=True)["报价历史 Quote history"].iter_rows(values_only=True))
    shown = [r for r in rows if r[1] in (1, 2)]
    assert [(r[0], r[1], r[9]) for r in shown] == [("Q-1", 1, "SENT 已报"), (None, 2, "CONFIRMED 确认"),
                                                  ("Q-2", 1, "SENT 已报")]


def test_refresh_of_a_master_without_quotations_adds_none(tmp_path, capsys):
    path = tmp_path / "master.xlsx"
    actions.new_master(path)
    wb = openpyxl.load_workbook(path)
    del wb[schema.QUOTATIONS.sheet]
    wb.save(path)
    assert main(["refresh", str(path), "--as-of", "2026-12-02", "--json"]) == 0
    assert "quotes" not in json.loads(capsys.readouterr().out)
    assert schema.QUOTATIONS.sheet not in openpyxl.load_workbook(path, read_only=True).sheetnames
