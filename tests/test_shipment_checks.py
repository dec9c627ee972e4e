"""出运 Shipments, the documents' data and the cross-document checks (pure, literal frames): a clean
shipment passes every check with hand-computed totals and amount in words; each check fails on its
planted mismatch with a message naming the shipment, line and values; and the follow-up flags a
failing check only with the SI cut-off within ``cutoff_warn_wd`` working days."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import AS_OF, orders_frame
from gendan_xl.model import schema
from gendan_xl.model.shipments import DocumentCheck
from gendan_xl.shipments.amount_words import amount_words, number_words
from gendan_xl.shipments.book import read_book
from gendan_xl.shipments.checks import check_documents, failing
from gendan_xl.shipments.containers import capacities
from gendan_xl.shipments.documents import build_documents, line_sources, open_documents, totals_of
from gendan_xl.shipments.states import shipment_states

ORDERS = [
    dict(po_no="PO1", line=1, customer="ACME", style="ST-1", description="Wool coat 羊毛大衣", color="Navy", qty=1000,
         unit="PCS", unit_price=2.5, cost_price=1.1111, currency="USD", supplier="Huamei", produced_qty=1000,
         due_date="2026-12-20"),
    dict(po_no="PO1", line=2, customer="ACME", style="ST-2", description="Scarf", qty=500, unit="PCS", unit_price=3,
         currency="usd", supplier="Huamei", produced_qty=500, due_date="2026-12-20"),
    dict(po_no="PO2", line=1, customer="Acme GmbH", style="ST-3", description="Throw", qty=300, unit="PCS",
         unit_price=10.01, currency=None, supplier="Huamei", produced_qty=300, due_date="2026-12-20"),
    dict(po_no="PO3", line=1, customer="Nordic Home", style="ST-9", description="Rug", qty=50, unit="PCS",
         unit_price=20, currency="EUR", produced_qty=50, due_date="2026-12-20"),
]
CUSTOMERS = [dict(name="ACME", legal_name="ACME Trading GmbH", aliases="Acme GmbH", country="DE", currency="USD",
                  incoterm="CIF", port="Hamburg", consignee="ACME Logistics, Hamburg", notify_party=None,
                  shipping_marks="ACME / HAMBURG / C/NO. 1-UP")]
SHIP = dict(shipment_no="SH-1", customer="ACME", mode="SEA", vessel_voyage="MAERSK ESSEN 512W", pol="Ningbo",
            pod="Hamburg", incoterm="CIF", etd="2026-12-10", eta_pod="2027-01-15", bl_no="0012345",
            containers="1x20GP", freight=500, insurance=30, invoice_no="INV-2026-001", status="BOOKED",
            si_cutoff="2026-12-08", cy_cutoff="2026-12-09", cargo_ready="2026-12-01")
LINES = [
    dict(shipment_no="SH-1", po_no="PO1", line=1, qty=400, cartons=40, carton_from=1, carton_to=40, nw_kg=300,
         gw_kg=330, cbm=2.5, hs_code="6110200000", origin="CN"),
    dict(shipment_no="SH-1", po_no="PO1", line=2, qty=200, cartons=20, carton_from=41, carton_to=60, nw_kg=100.5,
         gw_kg=110.25, cbm=1.2, hs_code="6117.10.00.00", origin="CN", unit_price=4.125),
    dict(shipment_no="SH-1", po_no="PO2", line=1, qty=25, cartons=5, carton_from=61, carton_to=65, nw_kg=10,
         gw_kg=12, cbm=0.3, hs_code="6301200000", origin="CN"),
]
# 400 × 2.50 = 1,000.00; 200 × 4.125 = 825.00; 25 × 10.01 = 250.25 → 2,075.25
TOTAL, WORDS = 2075.25, "SAY US DOLLARS TWO THOUSAND AND SEVENTY-FIVE AND CENTS TWENTY-FIVE ONLY"


def table(spec: schema.Table, rows: list[dict]) -> pd.DataFrame:
    """Rows as the master's reader gives them: every field, dates datetime64, numbers float, by sheet row."""
    frame = pd.DataFrame(rows).reindex(columns=spec.names)
    for name in spec.of_kind(schema.DATE):
        frame[name] = pd.to_datetime(frame[name]).astype("datetime64[us]")
    for name in spec.of_kind(schema.INT) + spec.of_kind(schema.NUMBER):
        frame[name] = pd.to_numeric(frame[name]).astype(float)
    for name in spec.of_kind(schema.TEXT):
        frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
    return frame.set_axis(pd.RangeIndex(2, 2 + len(frame)))


def documents(ships=(SHIP,), lines=LINES, customers=CUSTOMERS, orders=ORDERS, shipment="SH-1"):
    orders_table = orders_frame(orders)
    rows = table(schema.SHIPMENT_LINES, list(lines))
    book = read_book(table(schema.SHIPMENTS, list(ships)), rows, orders_table, capacities(None), file="m.xlsx")
    assert not book.bad.any(), book.problem
    sources = line_sources(book, rows, orders_table)
    at = book.shipments.index[book.shipments["shipment_no"] == shipment][0]
    custs = table(schema.CUSTOMERS, list(customers)) if customers else None
    return build_documents(book.shipments.loc[at], sources[sources["shipment"] == at], custs, AS_OF), custs


def checks(docs, customers, tolerance=0.0) -> dict:
    return {c.code: c for c in check_documents(docs, customers, tolerance)}


def failed(docs, customers, tolerance=0.0) -> dict:
    return {c.code: c.message for c in failing(check_documents(docs, customers, tolerance))}


# --- words -------------------------------------------------------------------------------------

@pytest.mark.parametrize("n, words", [
    (0, "ZERO"), (7, "SEVEN"), (19, "NINETEEN"), (21, "TWENTY-ONE"), (100, "ONE HUNDRED"),
    (105, "ONE HUNDRED AND FIVE"), (1000, "ONE THOUSAND"), (1050, "ONE THOUSAND AND FIFTY"),
    (1250, "ONE THOUSAND TWO HUNDRED AND FIFTY"), (12345, "TWELVE THOUSAND THREE HUNDRED AND FORTY-FIVE"),
    (1000005, "ONE MILLION AND FIVE"), (2001000, "TWO MILLION ONE THOUSAND"),
    (3000000000, "THREE BILLION"),
])
def test_numbers_in_words_british_style(n, words):
    assert number_words(n) == words


@pytest.mark.parametrize("cents, currency, words", [
    (125050, "USD", "SAY US DOLLARS ONE THOUSAND TWO HUNDRED AND FIFTY AND CENTS FIFTY ONLY"),
    (100000, "usd", "SAY US DOLLARS ONE THOUSAND ONLY"),                       # zero cents not said
    (1, "EUR", "SAY EUROS ZERO AND CENTS ONE ONLY"),
    (1234567899, "GBP", "SAY POUNDS STERLING TWELVE MILLION THREE HUNDRED AND FORTY-FIVE THOUSAND SIX HUNDRED AND "
                        "SEVENTY-EIGHT AND PENCE NINETY-NINE ONLY"),
    (500, "VND", "SAY VND FIVE ONLY"),                                       # no words: the code
])
def test_an_amount_in_words_with_its_currency_and_cents(cents, currency, words):
    assert amount_words(cents, currency) == words


# --- the clean shipment ------------------------------------------------------------------------

def test_a_clean_shipment_passes_every_check_and_its_documents_carry_hand_computed_totals():
    docs, customers = documents()
    found = checks(docs, customers)
    assert list(found) == list(DocumentCheck) and all(c.ok for c in found.values())
    assert found[DocumentCheck.QTY_MATCH].message == ("SH-1: 数量一致 invoice, packing list and shipment lines agree "
                                                      "on each line's qty: 通过 passed (3 行 lines)")
    assert docs.invoice["amount"].tolist() == [1000.0, 825.0, 250.25]
    assert docs.invoice["unit_price"].tolist() == [2.5, 4.125, 10.01]      # blank: the order line's
    assert docs.invoice["hs_code"].tolist() == ["6110200000", "6117100000", "6301200000"]
    assert docs.totals == {"invoice": {"qty": 625.0, "amount": TOTAL},
                           "packing": {"cartons": 65.0, "qty": 625.0, "nw_kg": 410.5, "gw_kg": 452.25, "cbm": 4.0},
                           "advice": {"cartons": 65.0, "gw_kg": 452.25, "cbm": 4.0},
                           "customs": {"cartons": 65.0, "gw_kg": 452.25, "nw_kg": 410.5, "amount": TOTAL}}
    assert docs.amount_in_words == WORDS
    assert (docs.invoice_no, docs.term, docs.currency, docs.freight, docs.insurance) == (
        "INV-2026-001", "CIF Hamburg", "USD", 500.0, 30.0)
    p = docs.parties
    assert (p.customer, p.buyer, p.consignee, p.notify, p.country, p.marks) == (
        "ACME", "ACME Trading GmbH", "ACME Logistics, Hamburg", "SAME AS CONSIGNEE", "DE", "ACME / HAMBURG / C/NO. 1-UP")
    assert docs.invoice["description"].iat[0] == "Wool coat 羊毛大衣 · Navy"


def test_fob_takes_the_port_of_loading_and_a_blank_incoterm_the_customers():
    fob, _ = documents(ships=[{**SHIP, "incoterm": "fob", "freight": None, "insurance": None}])
    assert fob.term == "FOB Ningbo"
    blank, customers = documents(ships=[{**SHIP, "incoterm": None, "pod": None}])
    assert blank.term == "CIF Hamburg" and all(c.ok for c in check_documents(blank, customers, 0))


# --- each check on its planted mismatch ----------------------------------------------------------

def test_qty_match_names_the_line_and_the_three_quantities():
    docs, customers = documents()
    docs.packing.loc[3, "qty"] = 190
    docs.totals = totals_of(docs)
    found = failed(docs, customers)
    assert found[DocumentCheck.QTY_MATCH] == ("SH-1: 数量一致 invoice, packing list and shipment lines agree on each "
                                              "line's qty: PO1 / 2: 发票 invoice 200, 装箱单 packing list 190, "
                                              "出运明细 shipment lines 200")


def test_carton_ranges_count_and_overlap():
    lines = [LINES[0], {**LINES[1], "cartons": 21}, {**LINES[2], "carton_from": 55, "carton_to": 59}]
    docs, customers = documents(lines=lines)
    message = failed(docs, customers)[DocumentCheck.CARTON_RANGES]
    assert "PO1 / 2: 箱数 cartons 21 ≠ 箱号 carton numbers 41–60 (20)" in message
    assert "PO2 / 1 箱号 55–59 与 PO1 / 2 箱号 41–60 重叠 carton numbers overlap" in message
    missing, _ = documents(lines=[{**LINES[0], "carton_to": None}, *LINES[1:]])
    assert "PO1 / 1: 缺箱数或箱号 cartons or carton numbers missing (40, 1–空 blank)" in failed(
        missing, customers)[DocumentCheck.CARTON_RANGES]


def test_weights_gw_at_least_nw_and_nw_above_0():
    docs, customers = documents(lines=[{**LINES[0], "gw_kg": 299}, {**LINES[1], "nw_kg": 0}, LINES[2]])
    assert failed(docs, customers)[DocumentCheck.WEIGHTS] == (
        "SH-1: 重量 GW at least NW, NW above 0: PO1 / 1: 毛重 GW 299 小于净重 below NW 300; "
        "PO1 / 2: 净重须大于 0 NW must be above 0 (NW 0)")


def test_totals_of_every_document_against_its_lines():
    docs, customers = documents()
    docs.totals["advice"]["gw_kg"] = 452.0
    docs.totals["customs"]["amount"] = 2075.0
    assert set(failed(docs, customers)) == {DocumentCheck.TOTALS}
    message = failed(docs, customers)[DocumentCheck.TOTALS]
    assert "出运通知 shipping advice gw_kg 合计 total 452 ≠ 各行之和 sum of lines 452.25" in message
    assert "报关资料 customs data amount 合计 total 2,075 ≠ 各行之和 sum of lines 2,075.25" in message


def test_hs_code_of_10_digits_and_an_origin_on_every_line():
    docs, customers = documents(lines=[{**LINES[0], "hs_code": "61102000"}, {**LINES[1], "origin": None}, LINES[2]])
    message = failed(docs, customers)[DocumentCheck.HS_ORIGIN]
    assert "商业发票 invoice PO1 / 1: 海关编码 HS code 61102000 不是 10 位数字 not 10 digits" in message
    assert "报关资料 customs data PO1 / 2: 没有原产国 no origin" in message


def test_the_lines_qty_over_every_shipment_within_the_order_qty_and_tolerance():
    other = {**SHIP, "shipment_no": "SH-2", "invoice_no": "INV-2"}
    more = [*LINES, dict(shipment_no="SH-2", po_no="PO1", line=1, qty=640)]         # 400 + 640 = 1,040 of 1,000
    docs, customers = documents(ships=[SHIP, other], lines=more)
    assert failed(docs, customers)[DocumentCheck.WITHIN_ORDER] == (
        "SH-1: 不超订单数量 shipped qty within the order qty and ship_tolerance_pct: PO1 / 1: 各出运共 1,040 超过订单数量 "
        "1,000 加 0% shipped over all shipments 1,040 > qty 1,000 + 0 % (at most 1,000)")
    assert DocumentCheck.WITHIN_ORDER not in failed(docs, customers, tolerance=5)   # at most 1,050
    cancelled, _ = documents(ships=[SHIP, {**other, "status": "CANCELLED"}], lines=more)
    assert DocumentCheck.WITHIN_ORDER not in failed(cancelled, customers)


def test_one_customer_and_one_currency_per_invoice():
    lines = [*LINES, dict(shipment_no="SH-1", po_no="PO3", line=1, qty=10, cartons=1, carton_from=66, carton_to=66,
                          nw_kg=5, gw_kg=6, cbm=0.1, hs_code="5701100000", origin="CN")]
    docs, customers = documents(lines=lines)
    assert failed(docs, customers)[DocumentCheck.ONE_CUSTOMER_CURRENCY] == (
        "SH-1: 同一客户同一币种 one customer and one currency per invoice: PO3 / 1: 订单客户 the order's customer "
        "Nordic Home 不是 is not ACME; 多个币种 several currencies: EUR (PO3 / 1); USD (PO1 / 1, PO1 / 2, PO2 / 1)")
    assert docs.currency is None
    # without a Customers table no alias joins two names (as written, case and spacing aside), and a
    # blank currency is none
    bare, _ = documents(customers=())
    assert failed(bare, None)[DocumentCheck.ONE_CUSTOMER_CURRENCY] == (
        "SH-1: 同一客户同一币种 one customer and one currency per invoice: PO2 / 1: 订单客户 the order's customer "
        "Acme GmbH 不是 is not ACME; 没有币种 no currency: PO2 / 1")


@pytest.mark.parametrize("incoterm, freight, insurance, problem", [
    ("FOB", None, None, None), ("FCA", None, None, None), ("CFR", 500, None, None), ("CPT", 500, 0, None),
    ("CIF", 500, 30, None), ("CIP", 500, 30, None),
    ("FOB", 500, None, "FOB 发票不应有运费 freight the invoice must not carry freight (500)"),
    ("CFR", 500, 30, "CFR 发票不应有保险费 insurance the invoice must not carry insurance (30)"),
    ("CFR", None, None, "CFR 须有运费 freight needs freight: 出运没有 the shipment has none"),
    ("CIF", 500, None, "CIF 须有保险费 insurance needs insurance: 出运没有 the shipment has none"),
    ("EXW", 500, 30, "未知贸易术语 unknown incoterm EXW (one of FOB, CFR, CIF, FCA, CPT, CIP)"),
])
def test_the_incoterm_wants_its_charges(incoterm, freight, insurance, problem):
    docs, customers = documents(ships=[{**SHIP, "incoterm": incoterm, "freight": freight, "insurance": insurance}])
    found = failed(docs, customers)
    head = "SH-1: 贸易术语与运保费 freight and insurance as the incoterm wants them: "
    assert found.get(DocumentCheck.INCOTERM_CHARGES) == (head + problem if problem else None)


def test_no_incoterm_anywhere_fails():
    docs, _ = documents(ships=[{**SHIP, "incoterm": None}], customers=())
    assert failed(docs, None)[DocumentCheck.INCOTERM_CHARGES].endswith("没有贸易术语 no incoterm")


def test_invoice_amount_is_qty_times_unit_price_and_a_line_without_a_price_fails():
    docs, customers = documents()
    docs.invoice.loc[2, "amount"] = 999.99
    docs.totals = totals_of(docs)
    message = failed(docs, customers)[DocumentCheck.INVOICE_AMOUNT]
    assert message.startswith("SH-1: 发票金额 invoice amount = sum of qty x unit price: PO1 / 1: 金额 amount 999.99 ≠ "
                              "数量 × 单价 qty × unit price 400 × 2.5 = 1,000.00; 发票合计 invoice total 2,075.24")
    unpriced, _ = documents(orders=[{**ORDERS[0], "unit_price": None}, *ORDERS[1:]])
    assert "PO1 / 1: 没有单价 no unit price" in failed(unpriced, customers)[DocumentCheck.INVOICE_AMOUNT]
    assert np.isnan(unpriced.invoice["amount"].iat[0]) and unpriced.totals["invoice"]["amount"] == 1075.25


# --- the follow-up: the SI cut-off rule ---------------------------------------------------------

WARN_UNTIL = np.datetime64("2026-12-01")   # Thu 26 Nov + 3 working days


def _follow_up(si_cutoff, hs_code="61102000", warn_until=WARN_UNTIL) -> tuple[str, str]:
    """SH-1 (its first line's HS code ``hs_code``, SI cut-off ``si_cutoff``) followed up as of AS_OF."""
    orders = orders_frame(ORDERS)
    rows = table(schema.SHIPMENT_LINES, [{**LINES[0], "hs_code": hs_code}, *LINES[1:]])
    book = read_book(table(schema.SHIPMENTS, [{**SHIP, "si_cutoff": si_cutoff}]), rows, orders, capacities(None),
                     file="m.xlsx")
    customers = table(schema.CUSTOMERS, CUSTOMERS)
    found = {label: check_documents(docs, customers, 0)
             for label, docs in open_documents(book, rows, orders, customers, AS_OF).items()}
    states = shipment_states(book, orders, AS_OF, found, warn_until)
    return states["state"].iat[0], states["why"].iat[0]


FAILING = ("HS_ORIGIN: 商业发票 invoice PO1 / 1: 海关编码 HS code 61102000 不是 10 位数字 not 10 digits; 报关资料 customs "
           "data PO1 / 1: 海关编码 HS code 61102000 不是 10 位数字 not 10 digits")


@pytest.mark.parametrize("si_cutoff", ["2026-12-01", "2026-11-20"])     # within 3 WD of Thu 26 Nov, or passed
def test_a_failing_check_flags_the_shipment_with_the_si_cut_off_within_cutoff_warn_wd(si_cutoff):
    assert _follow_up(si_cutoff) == ("FLAGGED", f"截补料 {si_cutoff} 临近，单证检查未通过 document checks failing with "
                                                f"the SI cut-off {si_cutoff} near: {FAILING}")


@pytest.mark.parametrize("si_cutoff", ["2026-12-02", None])
def test_a_failing_check_with_the_si_cut_off_further_off_is_in_the_why_only(si_cutoff):
    state, why = _follow_up(si_cutoff)
    assert state == "OK" and why == ("已订舱 booked, ETD 2026-12-10, 截关 CY cut-off 2026-12-09; 单证检查未通过 document "
                                     f"checks failing: {FAILING}")


def test_passing_checks_say_nothing_and_no_warn_date_flags_nothing():
    assert _follow_up("2026-12-01", hs_code="6110200000") == (
        "OK", "已订舱 booked, ETD 2026-12-10, 截关 CY cut-off 2026-12-09")
    assert _follow_up("2026-12-01", warn_until=None)[0] == "OK"
