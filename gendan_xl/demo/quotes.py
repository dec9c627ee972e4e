"""The demo's customer files and quotations: the 客户 Customers rows of the demo's customers, a few
months of USD and EUR rates, and a season of quotes for styles on order — revisions confirmed at a
lower price, sent quotes the rate has since moved, a draft and a lost one — so that the 周报 and the
报价历史 Quote history have something to show."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from gendan_xl.model.statuses import Allocation
from gendan_xl.model.trade_terms import Incoterm, QuoteStatus
from gendan_xl.quotes.fx import quote_rates
from gendan_xl.quotes.pricing import price_quotes

# name, legal name, aliases, country, tier, payment terms, incoterm, port, allocation
CUSTOMER_FILES = (
    ("Nordic Home AB", "Nordic Home Aktiebolag", "Nordic Home; NHAB", "SE", "A", "T/T 30 days after B/L", Incoterm.CIF,
     "Gothenburg", Allocation.PARTIAL),
    ("Brightline Apparel Inc.", "Brightline Apparel Incorporated", "Brightline", "US", "A", "L/C at sight", Incoterm.FOB,
     "Los Angeles", Allocation.ALL_OR_NOTHING),
    ("Maison Lumière SARL", "Maison Lumière S.A.R.L.", "Maison Lumiere", "FR", "B", "T/T 30 % deposit, 70 % before "
     "shipment", Incoterm.CIF, "Le Havre", Allocation.PARTIAL),
    ("Sakura Trading KK", "Sakura Trading Kabushiki Kaisha", "Sakura", "JP", "B", "T/T 60 days", Incoterm.CFR, "Tokyo",
     Allocation.PARTIAL),
    ("Pacific Outdoor LLC", "Pacific Outdoor Limited Liability Company", "Pacific Outdoor", "US", "C", "D/P at sight",
     Incoterm.FOB, "Seattle", Allocation.ALL_OR_NOTHING),
    ("Hanse Handel GmbH", "Hanse Handelsgesellschaft mbH", "Hanse Handel", "DE", "C", "T/T 45 days", Incoterm.CIF,
     "Hamburg", Allocation.PARTIAL),
)
# The demo exporter's company block (Settings), on every quotation it sends
COMPANY = {
    "company_name": "宁波海曙恒通进出口有限公司 Ningbo Haishu Hengtong Import & Export Co., Ltd.",
    "company_address": "浙江省宁波市海曙区中山西路 88 号 88 Zhongshan West Road, Haishu, Ningbo 315000, China",
    "company_phone": "+86 574 8765 4321",
    "company_email": "sales@hengtong-trading.example",
}
QUOTED_STYLES = 8
PROFIT, CONFIRMED_PROFIT = 0.10, 0.08
FREIGHT, INSURANCE = 0.35, 0.003


def customer_files() -> pd.DataFrame:
    """The Customers rows of the demo's customers."""
    columns = ["name", "legal_name", "aliases", "country", "tier", "payment_terms", "incoterm", "port", "allocation"]
    frame = pd.DataFrame(CUSTOMER_FILES, columns=columns)
    return frame.assign(currency="USD", allocation=[Allocation(a).label for a in frame["allocation"]],
                        email=[f"buyer@{n.split()[0].lower()}.example" for n in frame["name"]])


def fx_rates(as_of: dt.date) -> pd.DataFrame:
    """Weekly USD and EUR buying rates over the 16 weeks to ``as_of``: the dollar slides from 7.12 to
    6.92, the euro from 7.80 to 7.72 (rounded to 4 decimals, as a bank quotes them)."""
    weeks = np.arange(16, -1, -1)
    dates = pd.to_datetime([as_of - dt.timedelta(weeks=int(w)) for w in weeks])
    usd = np.round(6.92 + 0.20 * weeks / 16, 4)
    eur = np.round(7.72 + 0.08 * weeks / 16, 4)
    return pd.DataFrame({"currency": ["USD"] * len(dates) + ["EUR"] * len(dates),
                         "rate": [*usd, *eur], "date": [*dates, *dates]})


def quotations(lines: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Quotes for the first ``QUOTED_STYLES`` open styles on order (by PO), priced so the customer's
    order price is about what was quoted: three sent and then confirmed at a lower margin (one below
    the order's price, so the 周报 shows margin erosion), two sent at an older rate (rate moved), a
    draft, a lost one and one cancelled."""
    open_lines = lines[lines["ship_date"].isna() & lines["due_date"].notna()].sort_values(["po_no", "line"])
    picked = open_lines.drop_duplicates(["customer", "style"]).head(QUOTED_STYLES).reset_index(drop=True)
    ports = {row[0]: row[7] for row in CUSTOMER_FILES}
    terms = (Incoterm.CIF, Incoterm.FOB, Incoterm.CFR, Incoterm.CIF, Incoterm.FOB, Incoterm.FCA, Incoterm.FOB,
             Incoterm.CIP)
    rows = []
    for i, line in picked.iterrows():
        base = {"quote_no": f"Q-{as_of.year % 100:02d}{i + 1:03d}", "customer": line["customer"], "style": line["style"],
                "description": line["description"], "supplier": line["supplier"], "qty": line["qty"],
                "currency": "USD", "incoterm": terms[i].value, "port": ports[line["customer"]],
                "vat_rate": 0.13, "refund_rate": 0.09, "domestic_cost": 1.2, "bank_fee_rate": 0.003,
                "commission_rate": 0.03 if i % 3 == 0 else None, "profit_rate": PROFIT,
                "freight": FREIGHT if terms[i].priced_as is not Incoterm.FOB else None,
                "insurance_rate": INSURANCE if terms[i].priced_as is Incoterm.CIF else None,
                "target_price": line["unit_price"]}
        first = as_of - dt.timedelta(days=90 - 3 * i)
        if i < 3:     # sent, then confirmed at a lower margin
            rows += [{**base, "revision": 1, "quote_date": first, "status": QuoteStatus.SENT.label,
                      "valid_until": first + dt.timedelta(days=30)},
                     {**base, "revision": 2, "quote_date": first + dt.timedelta(days=14),
                      "profit_rate": CONFIRMED_PROFIT, "status": QuoteStatus.CONFIRMED.label,
                      "valid_until": as_of + dt.timedelta(days=45)}]
        elif i < 5:   # sent at an older rate, still valid: the rate has moved since
            rows.append({**base, "revision": 1, "quote_date": as_of - dt.timedelta(days=100 + i),
                         "status": QuoteStatus.SENT.label, "valid_until": as_of + dt.timedelta(days=30)})
        else:
            status = (QuoteStatus.DRAFT, QuoteStatus.LOST, QuoteStatus.CANCELLED)[i - 5]
            rows.append({**base, "revision": 1, "quote_date": first + dt.timedelta(days=40), "status": status.label,
                         "valid_until": as_of + dt.timedelta(days=20)})
    quotes = pd.DataFrame(rows)
    for name in ("quote_date", "valid_until"):
        quotes[name] = pd.to_datetime(quotes[name])
    quotes["purchase_price"] = _purchase_prices(quotes, picked, fx_rates(as_of), as_of)
    return quotes


def _purchase_prices(quotes: pd.DataFrame, picked: pd.DataFrame, fx: pd.DataFrame, as_of: dt.date) -> np.ndarray:
    """The factory's price (CNY incl. VAT) of each style: the highest purchase price that earns
    ``PROFIT`` at the order's price (the 倒推 of the pricing core, at the first revision's rate),
    rounded down to a jiao — and one yuan over it for the first style, whose order then sells below
    the confirmed quote."""
    probe = quotes.assign(purchase_price=100.0, profit_rate=PROFIT)
    top = price_quotes(probe, quote_rates(fx, probe, as_of)).values["max_purchase_price"]
    prices = (np.floor(top * 10) / 10).groupby(quotes["quote_no"]).transform("first")
    first_style = (quotes["style"] == picked.at[0, "style"]).to_numpy()
    return np.round(np.where(first_style, prices + 1.0, prices), 2)
