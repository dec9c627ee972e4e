"""Lay out the price trail of every quote (quotes/trail.py) as the 报价历史 Quote history sheet: one
block of rows per quote number, its revisions in order with the price the customer saw, the move
from the revision before and the status; printable like the other sheets."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.trade_terms import QuoteStatus
from gendan_xl.sheets.cells import plain_value
from gendan_xl.sheets.layout import fit, print_setup
from gendan_xl.sheets.sheet_render import SheetSpec

QUOTE_HISTORY_SHEET = "报价历史 Quote history"
HEADER_ROW = 3
_Q = schema.QUOTATIONS
# (trail column, header, style)
COLUMNS = (
    *((name, _Q.header(name), style) for name, style in (("quote_no", "text"), ("revision", "int"),
                                                         ("quote_date", "date"), ("customer", "text"),
                                                         ("style", "text"), ("currency", "text"))),
    ("terms", _Q.header("incoterm"), "text"), ("price", _Q.header("price"), "rate"),
    ("change", "变动 Change", "rate"), ("status", _Q.header("status"), "text"),
    ("valid_until", _Q.header("valid_until"), "date"),
)
_CAPS = {4: 24, 5: 16}


def quote_history_sheet(trail: pd.DataFrame, as_of: dt.date) -> SheetSpec:
    """The sheet: title, a note on what the price is, the header (repeated on every printed page),
    then each quote's revisions; a quote's later revisions leave its number blank so the blocks read
    apart."""
    spec = SheetSpec(QUOTE_HISTORY_SHEET, header=QUOTE_HISTORY_SHEET, header_right=as_of.isoformat(),
                     freeze_row=HEADER_ROW, tab_color="FF548235")
    spec.put(1, 1, "报价历史 Quote history — 每个报价的各版本价格 the price of each revision of each quote", "title")
    spec.put(2, 1, f"截至 As of {as_of.isoformat()} · 价格为客户看到的价格 (含佣) the price the customer saw "
                   "(with commission) · 变动 = 与上一版本之差 change from the revision before", "note")
    spec.row(HEADER_ROW, [header for _, header, _ in COLUMNS], "header")
    row, previous = HEADER_ROW, None
    for record in trail.to_dict("records"):
        row += 1
        for col, (name, _, style) in enumerate(COLUMNS, start=1):
            value = record[name]
            if name == "quote_no" and value == previous:
                value = None
            elif name == "status" and value:
                value = QuoteStatus(value).label
            spec.put(row, col, plain_value(value), style)
        previous = record["quote_no"]
    if trail.empty:
        spec.put(HEADER_ROW + 1, 1, "无报价 No quotes", "note")
    fit(spec, caps=_CAPS)
    print_setup(spec, title_rows=(HEADER_ROW, HEADER_ROW))
    return spec
