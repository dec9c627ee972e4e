"""The cross-document checks of a shipment (pure): its documents as written (documents.py) compared
with each other and with the Shipment Lines, one result per check (``DocumentCheck``, in its order):

- QTY_MATCH: each line's qty on the invoice = on the packing list = in the Shipment Lines;
- CARTON_RANGES: each line's cartons = carton to − carton from + 1 (all three given), and no two
  lines' carton ranges overlap;
- WEIGHTS: each line's GW ≥ NW > 0;
- TOTALS: every document's totals = the sum of its lines (the shipping advice's and the customs
  data's = the packing list's; the customs amount = the invoice's);
- HS_ORIGIN: each line has a 10-digit HS code and an origin;
- WITHIN_ORDER: each line's qty over every shipment not cancelled ≤ its order qty × (1 +
  ``ship_tolerance_pct`` / 100);
- ONE_CUSTOMER_CURRENCY: every line's order is the shipment's customer (names and aliases as the
  客户 Customers table has them) and the lines have one currency;
- INCOTERM_CHARGES: FOB / FCA: no freight or insurance on the invoice; CFR / CPT: freight and no
  insurance; CIF / CIP: freight and insurance; a blank or unknown incoterm fails;
- INVOICE_AMOUNT: each line's amount = qty × unit price to the cent (a line without a unit price
  fails), the invoice total = the sum of them.

A message names the shipment, the check and, when it fails, each line (``PO1 / 1``) and value at
fault (the first ``LISTED``, then how many in all).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gendan_xl.model.shipments import DocumentCheck
from gendan_xl.model.trade_terms import Incoterm
from gendan_xl.model.values import display_text
from gendan_xl.rules.customers import customer_keys
from gendan_xl.shipments.documents import ADVICE_TOTALS, CUSTOMS_TOTALS, PACKING_TOTALS, ShipmentDocuments, cents

LISTED = 5
_HS_DIGITS = 10
_EPS = 1e-6


@dataclass(frozen=True)
class Checked:
    """One check of one shipment: passed (``ok``) or not, and what it found (bilingual)."""

    code: DocumentCheck
    ok: bool
    message: str
    found: tuple[str, ...] = ()      # what failed, each naming its line and values (none: passed)

    def as_dict(self) -> dict:
        return {"code": self.code.value, "ok": self.ok, "message": self.message}


def check_documents(docs: ShipmentDocuments, customers: pd.DataFrame | None, tolerance_pct: float) -> list[Checked]:
    """Every check of ``docs``; ``customers``: the 客户 Customers table (None: none)."""
    found = {
        DocumentCheck.QTY_MATCH: _qty_match(docs),
        DocumentCheck.CARTON_RANGES: _carton_ranges(docs.packing),
        DocumentCheck.WEIGHTS: _weights(docs.packing),
        DocumentCheck.TOTALS: _totals(docs),
        DocumentCheck.HS_ORIGIN: _hs_origin(docs),
        DocumentCheck.WITHIN_ORDER: _within_order(docs.source, tolerance_pct),
        DocumentCheck.ONE_CUSTOMER_CURRENCY: _one_customer_currency(docs, customers),
        DocumentCheck.INCOTERM_CHARGES: _incoterm_charges(docs),
        DocumentCheck.INVOICE_AMOUNT: _invoice_amount(docs),
    }
    lines = len(docs.source)
    return [Checked(code, not problems, _message(docs.shipment_no, code, problems, lines), tuple(problems))
            for code, problems in found.items()]


def failing(checks: list[Checked]) -> list[Checked]:
    return [c for c in checks if not c.ok]


def _message(shipment: str, code: DocumentCheck, problems: list[str], lines: int) -> str:
    head = f"{shipment}: {code.zh} {code.en}"
    if not problems:
        return f"{head}: 通过 passed ({lines} 行 lines)"
    more = f" … (共 {len(problems)} 处 {len(problems)} in all)" if len(problems) > LISTED else ""
    return f"{head}: " + "; ".join(problems[:LISTED]) + more


def _num(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "空 blank"
    return f"{value:,.3f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


def _qty_match(docs: ShipmentDocuments) -> list[str]:
    source = docs.source
    invoice = docs.invoice["qty"].reindex(source.index)
    packing = docs.packing["qty"].reindex(source.index)
    return [f"{label}: 发票 invoice {_num(i)}, 装箱单 packing list {_num(p)}, 出运明细 shipment lines {_num(q)}"
            for label, i, p, q in zip(source["label"], invoice, packing, source["qty"])
            if not (abs(i - q) < _EPS and abs(p - q) < _EPS)]


def _carton_ranges(packing: pd.DataFrame) -> list[str]:
    problems = []
    first, last, count = (packing[n].to_numpy(dtype=float) for n in ("carton_from", "carton_to", "cartons"))
    for label, f, t, n in zip(packing["label"], first, last, count):
        if np.isnan(f) or np.isnan(t) or np.isnan(n):
            problems.append(f"{label}: 缺箱数或箱号 cartons or carton numbers missing "
                            f"({_num(n)}, {_num(f)}–{_num(t)})")
        elif t < f or abs(n - (t - f + 1)) > _EPS:
            problems.append(f"{label}: 箱数 cartons {_num(n)} ≠ 箱号 carton numbers {_num(f)}–{_num(t)} "
                            f"({_num(max(t - f + 1, 0))})")
    given = packing[~(np.isnan(first) | np.isnan(last))].sort_values(["carton_from", "carton_to"], kind="stable")
    reach, reached_by = -np.inf, None
    for label, f, t in zip(given["label"], given["carton_from"], given["carton_to"]):
        if f <= reach:
            problems.append(f"{label} 箱号 {_num(f)}–{_num(t)} 与 {reached_by[0]} 箱号 {_num(reached_by[1])}–"
                            f"{_num(reach)} 重叠 carton numbers overlap")
        if t > reach:
            reach, reached_by = t, (label, f)
    return problems


def _weights(packing: pd.DataFrame) -> list[str]:
    problems = []
    for label, nw, gw in zip(packing["label"], packing["nw_kg"], packing["gw_kg"]):
        if np.isnan(nw) or nw <= 0:
            problems.append(f"{label}: 净重须大于 0 NW must be above 0 (NW {_num(nw)})")
        if np.isnan(gw) or (not np.isnan(nw) and gw < nw - _EPS):
            problems.append(f"{label}: 毛重 GW {_num(gw)} 小于净重 below NW {_num(nw)}")
    return problems


_DOCUMENTS = {"invoice": "商业发票 invoice", "packing": "装箱单 packing list", "advice": "出运通知 shipping advice",
              "customs": "报关资料 customs data"}


def _totals(docs: ShipmentDocuments) -> list[str]:
    """Each document's totals against the sum of its lines (the advice's and customs' against the
    packing list's lines; the customs amount against the invoice's lines)."""
    packing = {name: round(float(np.nansum(docs.packing[name])), 3) for name in PACKING_TOTALS}
    invoice_amount = sum(cents(a) for a in docs.invoice["amount"] if not np.isnan(a)) / 100
    expected = {"invoice": {"qty": round(float(np.nansum(docs.invoice["qty"])), 3), "amount": invoice_amount},
                "packing": packing, "advice": {n: packing[n] for n in ADVICE_TOTALS},
                "customs": {n: invoice_amount if n == "amount" else packing[n] for n in CUSTOMS_TOTALS}}
    problems = []
    for document, wanted in expected.items():
        written = docs.totals.get(document, {})
        for name, value in wanted.items():
            total = written.get(name)
            if total is None or abs(total - value) > 0.0005:
                problems.append(f"{_DOCUMENTS[document]} {name} 合计 total {_num(total)} ≠ 各行之和 sum of lines "
                                f"{_num(value)}")
    return problems


def _hs_origin(docs: ShipmentDocuments) -> list[str]:
    problems = []
    for document, frame in (("invoice", docs.invoice), ("customs", docs.customs)):
        for label, hs, origin in zip(frame["label"], frame["hs_code"], frame["origin"]):
            where = f"{_DOCUMENTS[document]} {label}"
            if not (isinstance(hs, str) and hs.isdigit() and len(hs) == _HS_DIGITS):
                problems.append(f"{where}: 海关编码 HS code {hs or '空 blank'} 不是 10 位数字 not 10 digits")
            if not display_text(origin):
                problems.append(f"{where}: 没有原产国 no origin")
    return problems


def _within_order(source: pd.DataFrame, tolerance_pct: float) -> list[str]:
    most = source["order_qty"] * (1 + tolerance_pct / 100)
    over = source[source["order_qty"].isna() | (source["shipped_all"] > most + _EPS)]
    return [f"{label}: 订单没有数量 the order line has no qty" if np.isnan(qty) else
            f"{label}: 各出运共 {_num(shipped)} 超过订单数量 {_num(qty)} 加 {tolerance_pct:g}% shipped over all "
            f"shipments {_num(shipped)} > qty {_num(qty)} + {tolerance_pct:g} % (at most {_num(np.floor(limit))})"
            for label, qty, shipped, limit in zip(over["label"], over["order_qty"], over["shipped_all"],
                                                  most[over.index])]


def _one_customer_currency(docs: ShipmentDocuments, customers: pd.DataFrame | None) -> list[str]:
    source = docs.source
    names = source["order_customer"]
    keys = customer_keys(customers, pd.concat([pd.Series([docs.parties.customer]), names], ignore_index=True))
    ours = keys.iat[0]
    problems = [f"{label}: 订单客户 the order's customer {display_text(name) or '空 blank'} 不是 is not "
                f"{docs.parties.customer}" for label, name, key in zip(source["label"], names, keys.iloc[1:])
                if key != ours or not ours]
    by_currency: dict[str, list[str]] = {}
    for label, currency in zip(source["label"], source["currency"]):
        by_currency.setdefault(display_text(currency) or "", []).append(label)
    if "" in by_currency:
        problems.append("没有币种 no currency: " + ", ".join(by_currency.pop("")[:LISTED]))
    if len(by_currency) > 1:
        problems.append("多个币种 several currencies: " + "; ".join(
            f"{c} ({', '.join(labels[:LISTED])}{' …' if len(labels) > LISTED else ''})"
            for c, labels in sorted(by_currency.items())))
    return problems


def _incoterm_charges(docs: ShipmentDocuments) -> list[str]:
    term = Incoterm.read(docs.incoterm) if docs.incoterm else None
    if term is None:
        return ["没有贸易术语 no incoterm" if not docs.incoterm else
                f"未知贸易术语 unknown incoterm {docs.incoterm} (one of {', '.join(t.value for t in Incoterm)})"]
    wanted = {"freight": term.carries_freight, "insurance": term.carries_insurance}
    given = {"freight": docs.freight, "insurance": docs.insurance}
    words = {"freight": "运费 freight", "insurance": "保险费 insurance"}
    problems = []
    for name, needed in wanted.items():
        if needed and given[name] is None:
            problems.append(f"{term.value} 须有{words[name]} needs {name}: 出运没有 the shipment has none")
        elif not needed and given[name] is not None:
            problems.append(f"{term.value} 发票不应有{words[name]} the invoice must not carry {name} "
                            f"({_num(given[name])})")
    return problems


def _invoice_amount(docs: ShipmentDocuments) -> list[str]:
    invoice = docs.invoice
    problems = []
    for label, qty, price, amount in zip(invoice["label"], invoice["qty"], invoice["unit_price"], invoice["amount"]):
        if np.isnan(price):
            problems.append(f"{label}: 没有单价 no unit price")
        elif np.isnan(amount) or cents(amount) != cents(qty * price):
            problems.append(f"{label}: 金额 amount {_num(amount)} ≠ 数量 × 单价 qty × unit price {_num(qty)} × "
                            f"{price:g} = {cents(qty * price) / 100:,.2f}")
    lines = sum(cents(qty * price) for qty, price in zip(invoice["qty"], invoice["unit_price"]) if not np.isnan(price))
    total = docs.totals.get("invoice", {}).get("amount")
    if total is None or cents(total) != lines:
        problems.append(f"发票合计 invoice total {_num(total)} ≠ Σ 数量 × 单价 qty × unit price {lines / 100:,.2f}")
    return problems
