"""A shipment's documents as they are written (pure): the 商业发票 commercial invoice, the 装箱单 packing
list, the 出运通知 shipping advice and the 报关资料 customs data, built once from the book, so that the
checks (checks.py) compare the documents themselves and the writers (outputs/) write nothing else.

- The lines are the shipment's Shipment Lines rows in table order, each with its order line (style,
  description, colour, unit, currency, price, customer, qty).
- A line's unit price is its Shipment Lines price, blank: the order line's; its amount is qty × unit
  price rounded half up to the cent (in decimals, so float noise never decides a cent); the invoice
  total is the sum of the amounts. Its currency is the order line's, blank: the customer's.
- The customer is the shipment's (its 客户 Customers row by name or alias; a blank customer: the first
  line's); consignee and notify party are the row's, else the legal name and ``SAME AS CONSIGNEE``;
  shipping marks the row's, else ``N/M``.
- The incoterm is the shipment's, else the customer's; its place is the port of loading for FOB and
  FCA, the port of discharge (else the customer's port) for the others. Freight and insurance are on
  the invoice when the shipment gives them above 0.
- An HS code is written as digits when it is digits with dots or spaces (``6110.20.00.00``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from gendan_xl.model.changes import order_labels
from gendan_xl.model.shipments import ShipmentStatus
from gendan_xl.model.trade_terms import Incoterm
from gendan_xl.model.values import display_text, is_missing
from gendan_xl.rules.customers import customer_row
from gendan_xl.shipments.amount_words import amount_words
from gendan_xl.shipments.book import ShipmentBook

NO_MARKS, SAME_AS_CONSIGNEE = "N/M", "SAME AS CONSIGNEE"
ORDER_FIELDS = ("customer", "style", "description", "color", "unit", "currency")
# Per document, its lines' columns (the names of the Shipment Lines and Orders fields they show)
INVOICE = ("po_no", "line", "marks", "style", "description", "hs_code", "origin", "qty", "unit", "unit_price",
           "amount")
PACKING = ("po_no", "line", "style", "description", "carton_from", "carton_to", "cartons", "qty", "nw_kg", "gw_kg",
           "cbm")
CUSTOMS = ("hs_code", "description", "qty", "unit", "unit_price", "amount", "currency", "origin")
PACKING_TOTALS = ("cartons", "qty", "nw_kg", "gw_kg", "cbm")
ADVICE_TOTALS = ("cartons", "gw_kg", "cbm")
CUSTOMS_TOTALS = ("cartons", "gw_kg", "nw_kg", "amount")
TRANSPORT = ("mode", "vessel_voyage", "bl_no", "etd", "eta_pod", "pol", "pod", "containers")
_HS = re.compile(r"^[\d.\s]+$")


@dataclass(frozen=True)
class Parties:
    """Who the documents name: the customer (its name), the buyer (its legal name), consignee, notify
    party, its country and the shipping marks."""

    customer: str
    buyer: str
    consignee: str
    notify: str
    country: str | None
    marks: str


@dataclass
class ShipmentDocuments:
    """The four documents of one shipment as written. ``source``: its Shipment Lines rows as the book
    has them (indexed by sheet row; ``label`` ``PO1 / 1``, the line's and order's fields,
    ``shipped_all``: the line's qty over every shipment not cancelled, ``order_qty``), for the checks;
    ``invoice``, ``packing`` and ``customs``: each document's lines (same index); ``totals``: each
    document's totals as written (``invoice``, ``packing``, ``advice``, ``customs``)."""

    shipment_no: str
    invoice_no: str
    date: dt.date
    parties: Parties
    ship_customer: str | None        # the shipment's customer as written
    incoterm: str | None             # the code (a known incoterm) or the text as written
    place: str | None
    currency: str | None             # the lines' one currency (None: none, or several)
    freight: float | None
    insurance: float | None
    transport: dict[str, str | None]
    source: pd.DataFrame
    invoice: pd.DataFrame
    packing: pd.DataFrame
    customs: pd.DataFrame
    totals: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def term(self) -> str:
        """``CIF Hamburg``: the incoterm and its place as the invoice heads them."""
        return " ".join(part for part in (self.incoterm, self.place) if part)

    @property
    def amount_in_words(self) -> str:
        return amount_words(cents(self.totals["invoice"]["amount"]), self.currency)


def cents(value: float) -> int:
    """``value`` in hundredths, rounded half up (its shortest decimal first cut to 9 places)."""
    return int(Decimal(repr(float(value))).quantize(Decimal("1e-9"), ROUND_HALF_UP).scaleb(2)
               .quantize(Decimal(1), ROUND_HALF_UP))


def line_sources(book: ShipmentBook, rows: pd.DataFrame, orders: pd.DataFrame) -> pd.DataFrame:
    """Every applied Shipment Lines row (``rows``: the table, by sheet row) with its shipment (the
    Shipments row label), order line fields and ``shipped_all``."""
    lines = book.lines
    fields = rows.loc[lines["row"].to_numpy()].drop(columns=["qty", "shipment_no"])
    order = orders.loc[lines["order"].to_numpy()]
    status = pd.Series(book.status, index=book.shipments.index)
    live = (status.reindex(lines["shipment"]) != ShipmentStatus.CANCELLED.value).to_numpy()
    shipped = lines[live].groupby("order")["qty"].sum()
    out = fields.assign(
        shipment=lines["shipment"].to_numpy(), order=lines["order"].to_numpy(), qty=lines["qty"].to_numpy(),
        label=order_labels(order["po_no"], order["line"]),
        po_no=order["po_no"].map(display_text).to_numpy(), line=order["line"].map(display_text).to_numpy(),
        order_qty=pd.to_numeric(order["qty"], errors="coerce").to_numpy(dtype=float),
        order_price=pd.to_numeric(order["unit_price"], errors="coerce").to_numpy(dtype=float),
        shipped_all=shipped.reindex(lines["order"]).fillna(0).to_numpy(dtype=float),
        **{f"order_{name}": order[name].to_numpy(dtype=object) for name in ORDER_FIELDS})
    return out


def open_documents(book: ShipmentBook, rows: pd.DataFrame, orders: pd.DataFrame, customers: pd.DataFrame | None,
                   as_of: dt.date) -> dict[object, ShipmentDocuments]:
    """The documents of every open shipment of ``book`` (applied, not cancelled, not departed as of
    ``as_of``), by its Shipments row label; ``rows``: the Shipment Lines table."""
    ships = book.shipments
    is_open = ~book.bad & (book.status != ShipmentStatus.CANCELLED.value) & np.isnat(book.departed(as_of))
    sources = line_sources(book, rows, orders)
    by_shipment = dict(iter(sources.groupby("shipment", sort=False)))
    return {label: build_documents(ships.loc[label], by_shipment.get(label, sources.iloc[:0]), customers, as_of)
            for label in ships.index[is_open]}


def build_documents(ship: pd.Series, source: pd.DataFrame, customers: pd.DataFrame | None,
                    as_of: dt.date) -> ShipmentDocuments:
    """The documents of the shipment ``ship`` (its Shipments row) whose lines are ``source``
    (``line_sources`` of its shipment), dated ``as_of``."""
    row = None
    name = display_text(ship["customer"]) or next((display_text(c) for c in source["order_customer"]
                                                  if display_text(c)), None) or ""
    if customers is not None and len(customers):
        found = customer_row(customers, name)
        row = None if found is None else customers.loc[found]
    parties = _parties(name, row)
    incoterm = display_text(ship["incoterm"]) or (display_text(row["incoterm"]) if row is not None else None)
    term = Incoterm.read(incoterm) if incoterm else None
    place = display_text(ship["pol"]) if term is not None and not term.carries_freight else (
        display_text(ship["pod"]) or (display_text(row["port"]) if row is not None else None))
    fallback = display_text(row["currency"]) if row is not None else None
    currency = np.array([(display_text(c) or fallback or "").upper() or None for c in source["order_currency"]],
                        dtype=object)
    price = pd.to_numeric(source["unit_price"], errors="coerce").astype(float).fillna(source["order_price"])
    source = source.assign(unit_price=price, currency=currency)
    amount = [np.nan if np.isnan(p) else cents(q * p) / 100 for q, p in zip(source["qty"], price)]
    hs = source["hs_code"].map(_hs_code)
    described = [" · ".join(t for t in (display_text(d), display_text(c)) if t) or None
                 for d, c in zip(source["order_description"], source["order_color"])]
    common = pd.DataFrame({"po_no": source["po_no"], "line": source["line"], "label": source["label"],
                           "style": source["order_style"].map(display_text), "description": described,
                           "hs_code": hs, "origin": source["origin"].map(display_text), "qty": source["qty"],
                           "unit": source["order_unit"].map(display_text), "unit_price": price, "amount": amount,
                           "currency": source["currency"]}, index=source.index)
    invoice = common.assign(marks=parties.marks)[["label", *INVOICE]]
    packing = common.assign(**{n: pd.to_numeric(source[n], errors="coerce").astype(float)
                               for n in ("carton_from", "carton_to", "cartons", "nw_kg", "gw_kg", "cbm")})
    packing = packing[["label", *PACKING]]
    customs = common[["label", *CUSTOMS]]
    currencies = sorted({c for c in currency if isinstance(c, str)})
    docs = ShipmentDocuments(
        shipment_no=display_text(ship["shipment_no"]) or "", date=as_of, parties=parties,
        invoice_no=display_text(ship["invoice_no"]) or display_text(ship["shipment_no"]) or "",
        ship_customer=display_text(ship["customer"]), incoterm=term.value if term else incoterm, place=place,
        currency=currencies[0] if len(currencies) == 1 else None,
        freight=_charge(ship["freight"]), insurance=_charge(ship["insurance"]),
        transport={name: display_text(ship[name]) for name in TRANSPORT}, source=source, invoice=invoice,
        packing=packing, customs=customs)
    docs.totals = totals_of(docs)
    return docs


def totals_of(docs: ShipmentDocuments) -> dict[str, dict[str, float]]:
    """Each document's totals, summed over its lines (weights and CBM to 3 decimals, amounts to the cent)."""
    packing = {name: _sum(docs.packing[name], 3) for name in PACKING_TOTALS}
    amount = sum(cents(a) for a in docs.invoice["amount"] if not np.isnan(a)) / 100
    return {"invoice": {"qty": _sum(docs.invoice["qty"], 0), "amount": amount},
            "packing": packing,
            "advice": {name: packing[name] for name in ADVICE_TOTALS},
            "customs": {"cartons": packing["cartons"], "gw_kg": packing["gw_kg"], "nw_kg": packing["nw_kg"],
                        "amount": sum(cents(a) for a in docs.customs["amount"] if not np.isnan(a)) / 100}}


def _sum(values: pd.Series, decimals: int) -> float:
    return round(float(np.nansum(values.to_numpy(dtype=float))), decimals)


def _parties(name: str, row: pd.Series | None) -> Parties:
    if row is None:
        return Parties(name, name, name, SAME_AS_CONSIGNEE, None, NO_MARKS)
    legal = display_text(row["legal_name"]) or display_text(row["name"]) or name
    return Parties(display_text(row["name"]) or name, legal, display_text(row["consignee"]) or legal,
                   display_text(row["notify_party"]) or SAME_AS_CONSIGNEE, display_text(row["country"]),
                   display_text(row["shipping_marks"]) or NO_MARKS)


def _charge(value) -> float | None:
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iat[0]
    return None if is_missing(number) or number <= 0 else float(number)


def _hs_code(value) -> str | None:
    text = display_text(value)
    return re.sub(r"[.\s]", "", text) if text and _HS.match(text) else text
