"""The core time of pricing quotes: 10,000 Quotations rows given their FX rates (``quote_rates``: the
quote date's once sent), priced (``price_quotes``), stored to 4 decimals, given their customer prices,
their price trail (``price_trail``), watched for the rate moving (``rate_moved``) and compared with
5,000 open order lines (``margin_erosion``): what ``gendan quote`` and a refresh compute.

usage: python benchmarks/bench_quote.py [--quotes 10000] [--runs 5]

The rows are made here (seeded): prices and costs as floats with two decimals, rates typed as
``13%``, ``0.13`` or ``13`` and some left blank, a third of the fx rates blank (today's rate from an
FX Rates table), every incoterm. Best of ``--runs``; the issue asks for at most 1 s.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from gendan_xl.model.trade_terms import Incoterm, QuoteStatus
from gendan_xl.quotes.erosion import margin_erosion
from gendan_xl.quotes.fx import quote_rates, todays_rates
from gendan_xl.quotes.pricing import price_quotes
from gendan_xl.quotes.rate_moved import rate_moved
from gendan_xl.quotes.trail import price_trail
from gendan_xl.rules.customers import customer_keys

AS_OF = pd.Timestamp("2026-11-26")


def quote_rows(n: int, seed: int = 21) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    pick = lambda options: rng.choice(np.array(options, dtype=object), n)   # noqa: E731
    return pd.DataFrame({
        "quote_no": [f"Q{i // 3:05d}" for i in range(n)], "revision": np.arange(n) % 3 + 1,
        "customer": pick(["Acme", "Bergmann", "Cortez"]), "style": [f"ST-{i}" for i in range(n)],
        "currency": pick(["USD", "EUR", "GBP", "usd"]), "incoterm": pick([t.value for t in Incoterm]),
        "purchase_price": np.round(rng.uniform(5, 500, n), 2), "vat_rate": pick(["13%", 0.13, 13, None]),
        "refund_rate": pick(["9%", 0.13, 13, None]), "domestic_cost": np.round(rng.uniform(0, 10, n), 2),
        "freight": np.round(rng.uniform(0, 2, n), 2), "insurance_rate": pick(["0.3%", 0.003, 0.5]),
        "commission_rate": pick([None, "3%", 5]), "bank_fee_rate": pick([None, "0.3%", 0.001]),
        "profit_rate": pick(["8%", 0.1, 12, "15%"]), "fx_rate": pick([None, 7.05, 7.1]),
        "target_price": np.where(rng.random(n) < 0.5, np.round(rng.uniform(1, 80, n), 2), np.nan),
        "status": pick([s.label for s in QuoteStatus]), "valid_until": AS_OF + pd.to_timedelta(rng.integers(-30, 90, n), "D"),
        "quote_date": AS_OF - pd.to_timedelta(rng.integers(0, 120, n), "D"),
    })


def order_lines(quotes: pd.DataFrame, n: int, seed: int = 22) -> pd.DataFrame:
    """Open lines of the quoted customers and styles, at prices around the quotes'."""
    rng = np.random.default_rng(seed)
    picked = quotes.sample(n, replace=True, random_state=seed).reset_index(drop=True)
    return pd.DataFrame({"po_no": [f"PO-{i:05d}" for i in range(n)], "line": 1, "customer": picked["customer"],
                         "style": picked["style"], "currency": picked["currency"],
                         "unit_price": np.round(rng.uniform(1, 80, n), 2),
                         "cost_price": np.round(picked["purchase_price"] * rng.uniform(0.9, 1.1, n), 2),
                         "flag": "ON_TRACK"})


FX = pd.DataFrame({"currency": ["USD", "EUR", "GBP", "USD"], "rate": [7.05, 7.80, 9.00, 6.90],
                   "date": pd.to_datetime(["2026-10-01", "2026-11-01", "2026-11-01", "2026-11-20"])})


def core(quotes: pd.DataFrame, lines: pd.DataFrame) -> tuple[int, int]:
    today = todays_rates(FX, AS_OF).rates
    priced = price_quotes(quotes, quote_rates(FX, quotes, AS_OF))
    priced.stored()
    price_trail(quotes, priced, 2)
    eroded = margin_erosion(quotes, priced, customer_keys(None, quotes["customer"]), lines,
                            customer_keys(None, lines["customer"]), 2)
    return len(rate_moved(quotes, priced, today, AS_OF)), len(eroded)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quotes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    quotes = quote_rows(args.quotes)
    lines = order_lines(quotes, args.quotes // 2)
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        moved, eroded = core(quotes, lines)
        times.append(time.perf_counter() - start)
    print(f"{args.quotes:,} quotes priced, stored, trailed, watched and compared with {len(lines):,} order lines: "
          f"best {min(times):.3f} s (median {sorted(times)[len(times) // 2]:.3f} s; {moved:,} listed as the rate "
          f"moved, {eroded:,} erosion rows; target ≤ 1 s)")


if __name__ == "__main__":
    main()
