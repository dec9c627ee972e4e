"""The price trail of each quote (quotes/trail.py) and its 报价历史 Quote history sheet."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.trade_terms import QuoteStatus
from gendan_xl.quotes.pricing import price_quotes
from gendan_xl.quotes.trail import COLUMNS, price_trail
from gendan_xl.sheets.quote_history_sheet import QUOTE_HISTORY_SHEET, quote_history_sheet

QUOTES = pd.DataFrame({
    "quote_no": ["Q-2", "Q-1", "q-1 ", "Q-1", ""], "revision": [1, 2, "1", 3, 1],
    "quote_date": pd.to_datetime(["2026-10-03", "2026-10-10", "2026-10-01", "2026-10-20", None]),
    "customer": "Acme", "style": ["S2", "S1", "S1", "S1", "S9"], "currency": "USD",
    "incoterm": ["FOB", "CIF", "CIF", "CIF", "FOB"], "purchase_price": [30, 45.2, 45.2, 44.0, 30],
    "vat_rate": 0.13, "refund_rate": 0.09, "domestic_cost": 2.5, "freight": 0.4, "insurance_rate": 0.003,
    "commission_rate": [None, 0.03, 0.03, 0.03, None], "bank_fee_rate": 0.003,
    "profit_rate": [0.1, 0.08, 0.10, 0.08, 0.1], "fx_rate": [7.05, 7.05, 7.05, None, 7.05],
    "status": ["SENT", "SENT", "LOST", "DRAFT", None], "valid_until": pd.NaT})


def test_revisions_in_order_per_quote_with_the_customers_price_and_the_move():
    trail = price_trail(QUOTES, price_quotes(QUOTES), 2)
    assert list(trail.columns) == list(COLUMNS)
    assert list(zip(trail["quote_no"], trail["revision"])) == [("Q-2", 1), ("Q-1", 1), ("Q-1", 2), ("Q-1", 3)]
    assert trail["terms"].tolist() == ["FOB", "CIFC3", "CIFC3", "CIFC3"]
    assert trail["price"].tolist()[1:3] == [7.63, 7.47]                # 10 % then 8 % profit
    assert trail["change"].iloc[2] == -0.16 and np.isnan(trail["change"].iloc[1])
    assert np.isnan(trail["price"].iloc[3]) and trail["status"].tolist() == ["SENT", "LOST", "SENT", "DRAFT"]
    assert trail["quote_date"].iloc[1] == dt.date(2026, 10, 1)


def test_the_quote_history_sheet_shows_each_quote_once_and_statuses_in_words():
    spec = quote_history_sheet(price_trail(QUOTES, price_quotes(QUOTES), 2), dt.date(2026, 11, 26))
    assert spec.name == QUOTE_HISTORY_SHEET and spec.print_title_rows == (3, 3)
    header = [spec.cells[(3, c)][0] for c in range(1, len(COLUMNS) + 1)]
    assert header[:2] == [schema.QUOTATIONS.header("quote_no"), schema.QUOTATIONS.header("revision")]
    numbers = [spec.cells.get((r, 1), (None,))[0] for r in range(4, 8)]
    assert numbers == ["Q-2", "Q-1", None, None]          # q-1 is Q-1, spelt as first written
    assert spec.cells[(5, 10)][0] == QuoteStatus.LOST.label
