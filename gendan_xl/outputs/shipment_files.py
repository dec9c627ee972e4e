"""A shipment's four documents as files (``gendan ship``), each a new small xlsx with one sheet written
by handout_file.py (neutral document properties dated by the as-of date), laid out by layout.py:

- 商业发票 Commercial Invoice: our company atop (Settings), invoice no. and date, buyer, consignee,
  notify party, incoterm and place, vessel and ports; per line PO, line, marks, style, description,
  HS code, origin, qty, unit, unit price, amount; the total in figures and in words, and the freight
  and insurance it includes (a C-term);
- 装箱单 Packing List: per line carton numbers, cartons, qty, NW, GW, CBM, and the totals;
- 出运通知 Shipping Advice: the draft to the customer — vessel / voyage, B/L, ETD / ETA, ports,
  containers, cartons, GW, CBM;
- 报关资料 Customs Data: for our customs broker (报关行), the 报关单 fields we hold and per line
  商品编号, 商品名称, 数量及单位, 单价 / 总价 / 币制, 原产国.

Every figure is the document model's (shipments/documents.py), never computed here. Nothing internal
is on any of them: no cost price, supplier, margin, remark or supplier remark (the model has none).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gendan_xl.model import schema
from gendan_xl.model.shipments import ShipMode
from gendan_xl.model.values import display_text
from gendan_xl.outputs.handout_file import write_handout
from gendan_xl.reporting.company import Company
from gendan_xl.shipments.documents import ShipmentDocuments
from gendan_xl.sheets.layout import fit, print_setup
from gendan_xl.sheets.sheet_render import SheetSpec

O, L, SH, C = schema.ORDERS, schema.SHIPMENT_LINES, schema.SHIPMENTS, schema.CUSTOMERS
DATE, PHONE, TOTAL = schema.CALENDAR.header("date"), "电话 Tel", "合计 Total"
INVOICE_NO, BUYER = SH.header("invoice_no"), "买方 Buyer"
AMOUNT = schema.STATEMENT.header("amount")
CARTON_NOS = "箱号 Carton No."
OF_WHICH = {"freight": "其中运费 of which freight", "insurance": "其中保险费 of which insurance"}
IN_WORDS = "大写金额 Amount in words"
ADVICE_OPENING = ("兹通知下列货物已安排出运。 We are pleased to advise the shipment of the goods below; the shipping "
                  "documents follow.")
BROKER = "供报关行申报使用 For our customs broker's declaration"
CARTONS_PACKAGE = "纸箱 Cartons"
_WORDS_ROWS = 2   # the amount in words wraps in a merged row this many lines tall at most


@dataclass(frozen=True)
class Document:
    """One of the shipment's documents: its name in Chinese (the file name's start) and English (its
    sheet is ``中文 English``)."""

    zh: str
    en: str

    @property
    def sheet(self) -> str:
        return f"{self.zh} {self.en}"

    def file_name(self, docs: ShipmentDocuments) -> str:
        return f"{self.zh}_{docs.invoice_no}"


INVOICE = Document("商业发票", "Commercial Invoice")
PACKING_LIST = Document("装箱单", "Packing List")
SHIPPING_ADVICE = Document("出运通知", "Shipping Advice")
CUSTOMS_DATA = Document("报关资料", "Customs Data")
DOCUMENTS = (INVOICE, PACKING_LIST, SHIPPING_ADVICE, CUSTOMS_DATA)


def _money(docs: ShipmentDocuments, value: float | None) -> str:
    return "" if value is None else " ".join(p for p in (docs.currency, f"{value:,.2f}") if p)


def _head(spec: SheetSpec, company: Company, document: Document, facts: list[tuple[str, str | None]],
          width: int) -> int:
    """Letterhead, the document's title and its facts (label: value, blank ones left out), each in a
    row merged over ``width`` columns; returns the next free row."""
    contact = " · ".join(f"{label}: {value}" for label, value in ((PHONE, company.phone),
                                                                   (C.header("email"), company.email)) if value)
    row = 1
    for text, style in ((company.name, "title"), (company.address, "note"), (contact, "note")):
        if text:
            spec.put(row, 1, text, style)
            row += 1
    row += 1 if row > 1 else 0
    spec.put(row, 1, document.sheet, "title")
    row += 1
    for label, value in facts:
        if value:
            _merged(spec, row, f"{label}: {value}", width)
            row += 1
    return row + 1


def _merged(spec: SheetSpec, row: int, text: str, width: int, style: str = "wrap") -> None:
    spec.put(row, 1, text, style)
    if width > 1:
        spec.merges.append(f"A{row}:{chr(64 + width)}{row}")


def _table(spec: SheetSpec, row: int, columns: list[tuple[str, str]], records: list[list]) -> int:
    """A header (``columns``: header, style) and ``records``; returns the header's row."""
    spec.row(row, [header for header, _ in columns], "header")
    for n, values in enumerate(records, start=row + 1):
        for col, (value, (_, style)) in enumerate(zip(values, columns), start=1):
            spec.put(n, col, None if _missing(value) else value, style)
    return row


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _price_style(prices) -> str:
    """Two decimals, or four when some price has more."""
    return "rate" if any(not _missing(p) and round(p, 2) != p for p in prices) else "number"


def _finish(spec: SheetSpec, header: int, caps: dict[int, float]) -> SheetSpec:
    spec.freeze_row = header
    fit(spec, caps=caps)
    print_setup(spec, title_rows=(header, header))
    return spec


def invoice_sheet(docs: ShipmentDocuments, company: Company) -> SheetSpec:
    t = docs.transport
    spec = SheetSpec(INVOICE.sheet, header=f"{INVOICE.sheet} {docs.invoice_no}", header_right=docs.date.isoformat())
    columns = [(O.header("po_no"), "text"), (O.header("line"), "text"), (C.header("shipping_marks"), "wrap"),
               (O.header("style"), "text"), (O.header("description"), "wrap"), (L.header("hs_code"), "as_text"),
               (L.header("origin"), "text"), (O.header("qty"), "int"), (O.header("unit"), "text"),
               (O.header("unit_price"), _price_style(docs.invoice["unit_price"])), (AMOUNT, "number")]
    p = docs.parties
    facts = [(INVOICE_NO, docs.invoice_no), (DATE, docs.date.isoformat()), (BUYER, p.buyer),
             (C.header("consignee"), p.consignee), (C.header("notify_party"), p.notify),
             (SH.header("incoterm"), docs.term), (O.header("currency"), docs.currency),
             (SH.header("vessel_voyage"), t["vessel_voyage"]), (SH.header("pol"), t["pol"]), (SH.header("pod"), t["pod"])]
    header = _table(spec, _head(spec, company, INVOICE, facts, len(columns)), columns,
                    docs.invoice[[n for n in ("po_no", "line", "marks", "style", "description", "hs_code", "origin",
                                              "qty", "unit", "unit_price", "amount")]].values.tolist())
    row = header + len(docs.invoice) + 1
    totals = docs.totals["invoice"]
    spec.put(row, 1, TOTAL, "total_text")
    spec.put(row, 8, totals["qty"], "total_int")
    spec.put(row, 11, totals["amount"], "total")
    for name in ("freight", "insurance"):
        value = getattr(docs, name)
        if value is not None:
            row += 1
            spec.put(row, 1, OF_WHICH[name], "note")
            spec.put(row, 11, value, "number")
    _merged(spec, row + 2, f"{IN_WORDS}: {docs.amount_in_words}", len(columns))
    return _finish(spec, header, {3: 22, 5: 30})


def packing_sheet(docs: ShipmentDocuments, company: Company) -> SheetSpec:
    spec = SheetSpec(PACKING_LIST.sheet, header=f"{PACKING_LIST.sheet} {docs.invoice_no}",
                     header_right=docs.date.isoformat())
    columns = [(O.header("po_no"), "text"), (O.header("line"), "text"), (O.header("style"), "text"),
               (O.header("description"), "wrap"), (CARTON_NOS, "text"), (L.header("cartons"), "int"),
               (O.header("qty"), "int"), (L.header("nw_kg"), "number"), (L.header("gw_kg"), "number"),
               (L.header("cbm"), "rate")]
    p = docs.parties
    facts = [(INVOICE_NO, docs.invoice_no), (DATE, docs.date.isoformat()), (BUYER, p.buyer),
             (C.header("shipping_marks"), p.marks), (SH.header("containers"), docs.transport["containers"])]
    packing = docs.packing
    ranges = [_range(f, t) for f, t in zip(packing["carton_from"], packing["carton_to"])]
    records = [[po, line, style, text, cartons, *rest] for po, line, style, text, cartons, rest in zip(
        packing["po_no"], packing["line"], packing["style"], packing["description"], ranges,
        packing[["cartons", "qty", "nw_kg", "gw_kg", "cbm"]].values.tolist())]
    header = _table(spec, _head(spec, company, PACKING_LIST, facts, len(columns)), columns, records)
    row = header + len(packing) + 1
    totals = docs.totals["packing"]
    spec.put(row, 1, TOTAL, "total_text")
    for col, name, style in ((6, "cartons", "total_int"), (7, "qty", "total_int"), (8, "nw_kg", "total"),
                             (9, "gw_kg", "total"), (10, "cbm", "total")):
        spec.put(row, col, totals[name], style)
    return _finish(spec, header, {4: 30})


def _range(first: float, last: float) -> str | None:
    if _missing(first) or _missing(last):
        return None
    return f"{first:.0f}–{last:.0f}" if first != last else f"{first:.0f}"


def advice_sheet(docs: ShipmentDocuments, company: Company) -> SheetSpec:
    spec = SheetSpec(SHIPPING_ADVICE.sheet, header=f"{SHIPPING_ADVICE.sheet} {docs.invoice_no}",
                     header_right=docs.date.isoformat())
    t, totals = docs.transport, docs.totals["advice"]
    facts = [("致 To", docs.parties.buyer), (DATE, docs.date.isoformat())]
    row = _head(spec, company, SHIPPING_ADVICE, facts, 2)
    _merged(spec, row, ADVICE_OPENING, 2)
    pos = sorted(dict.fromkeys(display_text(p) for p in docs.invoice["po_no"] if display_text(p)))
    items = [(INVOICE_NO, docs.invoice_no), (O.header("po_no"), ", ".join(pos)),
             (SH.header("vessel_voyage"), t["vessel_voyage"]), (SH.header("bl_no"), t["bl_no"]),
             (SH.header("etd"), t["etd"]), (SH.header("eta_pod"), t["eta_pod"]), (SH.header("pol"), t["pol"]),
             (SH.header("pod"), t["pod"]), (SH.header("containers"), t["containers"]),
             (L.header("cartons"), f"{totals['cartons']:,.0f}"), (L.header("gw_kg"), f"{totals['gw_kg']:,.2f}"),
             (L.header("cbm"), f"{totals['cbm']:,.3f}")]
    header = _table(spec, row + 2, [("项目 Item", "text"), ("内容 Details", "wrap")],
                    [[label, value or ""] for label, value in items])
    return _finish(spec, header, {2: 60})


CUSTOMS_FACTS = ("境外收货人 Overseas consignee", "运输方式 Mode of transport", "运输工具名称及航次号 Vessel and voyage",
                 "提运单号 B/L No.", "贸易国 Trading country", "运抵国 Country of destination",
                 "指运港 Port of destination", "包装种类 Package type", "件数 Packages", "毛重(千克) Gross weight (kg)",
                 "净重(千克) Net weight (kg)", "成交方式 Incoterm", SH.header("freight"), "保费 Insurance",
                 "标记唛码 Marks")
CUSTOMS_COLUMNS = ("项号 Item", "商品编号 HS code", "商品名称 Description", "数量及单位 Qty and unit",
                   O.header("unit_price"), "总价 Total price", "币制 Currency", L.header("origin"))


def customs_sheet(docs: ShipmentDocuments, company: Company) -> SheetSpec:
    spec = SheetSpec(CUSTOMS_DATA.sheet, header=f"{CUSTOMS_DATA.sheet} {docs.invoice_no}",
                     header_right=docs.date.isoformat())
    t, p, totals = docs.transport, docs.parties, docs.totals["customs"]
    mode = ShipMode.read(t["mode"])
    values = (p.consignee, mode.words if mode else t["mode"], t["vessel_voyage"], t["bl_no"], p.country, p.country,
              t["pod"], CARTONS_PACKAGE, f"{totals['cartons']:,.0f}", f"{totals['gw_kg']:,.2f}",
              f"{totals['nw_kg']:,.2f}", docs.incoterm, _money(docs, docs.freight), _money(docs, docs.insurance),
              p.marks)
    row = _head(spec, company, CUSTOMS_DATA, [(INVOICE_NO, docs.invoice_no), (DATE, docs.date.isoformat())],
                len(CUSTOMS_COLUMNS))
    _merged(spec, row, BROKER, len(CUSTOMS_COLUMNS), "note")
    row += 1
    for label, value in zip(CUSTOMS_FACTS, values):
        _merged(spec, row, f"{label}: {value or ''}", len(CUSTOMS_COLUMNS))
        row += 1
    customs = docs.customs
    records = [[n, hs, text, " ".join(v for v in (f"{qty:,.0f}", unit) if v), price, amount, currency, origin]
               for n, (hs, text, qty, unit, price, amount, currency, origin) in enumerate(
                   customs[["hs_code", "description", "qty", "unit", "unit_price", "amount", "currency",
                            "origin"]].values.tolist(), start=1)]
    styles = ("int", "as_text", "wrap", "text", _price_style(customs["unit_price"]), "number", "text", "text")
    header = _table(spec, row + 1, list(zip(CUSTOMS_COLUMNS, styles)), records)
    end = header + len(customs) + 1
    spec.put(end, 1, TOTAL, "total_text")
    spec.put(end, 6, totals["amount"], "total")
    return _finish(spec, header, {3: 30})


SHEETS = {INVOICE: invoice_sheet, PACKING_LIST: packing_sheet, SHIPPING_ADVICE: advice_sheet,
          CUSTOMS_DATA: customs_sheet}


def write_document(path: Path, document: Document, docs: ShipmentDocuments, company: Company) -> None:
    """Write ``document`` of ``docs`` at ``path`` (a new file replacing any earlier one atomically)."""
    write_handout(path, SHEETS[document](docs, company), f"{document.sheet} {docs.invoice_no}", docs.date)
