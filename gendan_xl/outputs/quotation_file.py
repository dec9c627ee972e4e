"""The 报价单 Quotation file: a new small xlsx with one sheet, never the master.

Atop, our company (name, address, phone and e-mail, from the Settings; blank ones left out), the
title, the customer's legal name, the date and its payment terms; then the header (repeated on every
printed page) and one row per quote: quote no., revision, quote date, valid until, style,
description, qty and the price as the customer reads it (``USD 7.47 CIFC3 Hamburg``); a note on what
a price is. Laid out by layout.py (widths from content, wrapped rows tall enough, landscape when
wide, fit to width, page X of Y), written by handout_file.py (neutral document properties).
"""

from __future__ import annotations

from pathlib import Path

from gendan_xl.model import schema
from gendan_xl.model.values import display_text, is_missing
from gendan_xl.outputs.handout_file import Handout, write_handout
from gendan_xl.reporting.quotation import SHOWN, Quotation
from gendan_xl.sheets.layout import fit, print_setup
from gendan_xl.sheets.sheet_render import SheetSpec

SHEET = "报价单 Quotation"
QUOTATION = Handout("报价单", "quotation", SHEET)
TO, DATE, PHONE = "致 To", "出具日期 Date issued", "电话 Tel"
_STYLES = {schema.INT: "int", schema.DATE: "date"}
# (line column, header, style): the Quotations fields shown, then the price as the customer reads it.
COLUMNS = (
    *((name, schema.QUOTATIONS.header(name), _STYLES.get(schema.QUOTATIONS.field(name).kind, "text"))
      for name in SHOWN),
    ("price_text", schema.QUOTATIONS.header("price"), "text"),
)
_CAPS = {5: 24, 6: 36, 8: 36}   # style, description and price wrap past these widths
PER_PIECE = "价格为每件单价，有效至所示日期。 Prices are per piece and hold until the valid-until date."
COMMISSION = "贸易术语后的 C3 表示价格含 3 % 佣金。 C3 after an incoterm: the price includes a 3 % commission."


def title(quotation: Quotation) -> str:
    return f"报价单 Quotation — {quotation.legal_name}"


def quotation_sheet(quotation: Quotation) -> SheetSpec:
    """The quotation sheet: letterhead, title block, header and one row per quote, laid out for print."""
    spec = SheetSpec(SHEET, header=title(quotation), header_right=quotation.as_of.isoformat())
    company = quotation.company
    contact = " · ".join(f"{label}: {value}" for label, value in
                         ((PHONE, company.phone), (schema.CUSTOMERS.header("email"), company.email)) if value)
    row = 1
    for text, style in ((company.name, "title"), (company.address, "note"), (contact, "note")):
        if text:
            spec.put(row, 1, text, style)
            row += 1
    if row > 1:   # a blank row under the letterhead
        row += 1
    spec.put(row, 1, "报价单 Quotation", "title")
    spec.put(row + 1, 1, f"{TO}: {quotation.legal_name}", "subtitle")
    facts = [f"{DATE}: {quotation.as_of.isoformat()}"]
    if quotation.payment_terms:
        facts.append(f"{schema.CUSTOMERS.header('payment_terms')}: {quotation.payment_terms}")
    spec.put(row + 2, 1, " · ".join(facts), "note")
    header = row + 4
    spec.row(header, [text for _, text, _ in COLUMNS], "header")
    for n, rec in enumerate(quotation.lines.itertuples(index=False), start=header + 1):
        _line(spec, n, rec)
    notes = [PER_PIECE, *([COMMISSION] if quotation.commission else [])]
    for n, note in enumerate(notes, start=header + len(quotation.lines) + 2):
        spec.put(n, 1, note, "note")
    spec.freeze_row = header
    fit(spec, caps=_CAPS)
    print_setup(spec, title_rows=(header, header))
    return spec


def _line(spec: SheetSpec, row: int, rec) -> None:
    for col, (name, _, style) in enumerate(COLUMNS, start=1):
        value = getattr(rec, name)
        if style == "date":
            spec.put(row, col, None if is_missing(value) else value.date(), style)
        elif style == "int":
            spec.put(row, col, None if is_missing(value) else int(value), style)
        else:
            spec.put(row, col, display_text(value), style)


def write_quotation_file(path: Path, quotation: Quotation) -> None:
    """Write the quotation at ``path`` (a new file replacing any earlier one atomically)."""
    write_handout(path, quotation_sheet(quotation), f"{title(quotation)} · {quotation.as_of.isoformat()}",
                  quotation.as_of)
