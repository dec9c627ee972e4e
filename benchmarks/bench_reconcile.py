"""Time the reconciliation core: a 20,000-line statement against a 50,000-line master's lines.

usage: python benchmarks/bench_reconcile.py [--master 50000] [--statement 20000] [--runs 3]
Worst case for matching: every master line is the party's and shipped in the period, so our side has
all of them and most stay ONLY_OURS. The statement is a sample of our lines with planted edits (qty,
price, amount, PO spelling, near-miss keys, new lines, duplicates). Pure core only: no workbook I/O.
Prints the seconds of our_lines and reconcile (best of the runs) and the status counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from gendan_xl import actions
from gendan_xl.demo.build import demo_frames
from gendan_xl.rules.reconcile import our_lines, reconcile

AS_OF = dt.date(2026, 11, 26)
PARTY = "宁波华美服饰有限公司 Ningbo Huamei Garments"


def master(n: int) -> pd.DataFrame:
    _, orders = demo_frames(n, seed=3, as_of=AS_OF)
    days = pd.to_timedelta(np.arange(n) % 30, unit="D")
    return orders.assign(supplier=PARTY, ship_date=pd.Timestamp("2026-11-01") + days, shipped_qty=orders["qty"])


def statement(ours: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    picked = ours.iloc[np.sort(rng.choice(len(ours), n, replace=False))]
    out = picked[["po_no", "line", "style", "color", "ship_date", "qty", "price", "currency"]]
    out = out.rename(columns={"ship_date": "date"}).reset_index(drop=True)
    out["amount"] = (out["qty"] * out["price"]).round(2)
    edit = rng.choice(8, n, p=[0.88, 0.02, 0.02, 0.01, 0.01, 0.03, 0.01, 0.02])
    out.loc[edit == 1, "qty"] -= 50
    out.loc[edit == 2, "price"] += 0.1
    out.loc[np.isin(edit, [1, 2]), "amount"] = (out["qty"] * out["price"]).round(2)
    out.loc[edit == 3, "amount"] += 0.02
    out.loc[edit == 4, "amount"] += 0.004
    out.loc[edit == 5, "po_no"] = out["po_no"].str.replace("PO-", "po ")
    out.loc[edit == 6, "po_no"] = out["po_no"].str.replace("PO-2", "PO-9")  # near miss
    added = out[edit == 7].assign(po_no=lambda f: "PO-X" + f.index.astype(str), style="NEW")
    duplicated = out.sample(n // 100, random_state=1)
    return pd.concat([out, added, duplicated], ignore_index=True).assign(_row=lambda f: f.index + 2)


def best_of(runs: int, fn):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--master", type=int, default=50_000)
    parser.add_argument("--statement", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--command", action="store_true",
                        help="also time the whole `gendan reconcile` command on a master workbook")
    args = parser.parse_args()
    orders = master(args.master)
    t_ours, ours = best_of(args.runs, lambda: our_lines(orders, PARTY, "2026-11"))
    theirs = statement(ours, args.statement, np.random.default_rng(5))
    t_rec, result = best_of(args.runs, lambda: reconcile(ours, theirs))
    print(f"master lines: {len(orders):,}  our lines: {len(ours):,}  statement lines: {len(theirs):,}")
    print(f"our_lines: {t_ours:.2f} s")
    print(f"reconcile: {t_rec:.2f} s")
    print("counts:", result.counts)
    if args.command:
        print(f"gendan reconcile (whole command, sheet written and saved): {whole_command(orders, theirs):.2f} s")


def whole_command(orders: pd.DataFrame, theirs: pd.DataFrame) -> float:
    """The same reconciliation through the CLI: read the master, the statement csv, write the sheet."""
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "master.xlsx"
        actions.new_master(book, orders=orders)
        file = Path(tmp) / "statement.csv"
        theirs.drop(columns="_row").rename(columns={"po_no": "PO No.", "date": "Date", "price": "Unit price"}
                                           ).to_csv(file, index=False)
        gendan = shutil.which("gendan") or f"{sys.executable} -m gendan_xl.cli"
        start = time.perf_counter()
        done = subprocess.run([*gendan.split(), "reconcile", str(book), str(file), "--party", PARTY,
                               "--period", "2026-11"], capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if done.returncode:
            raise SystemExit(f"gendan reconcile failed: {done.stderr}")
        return seconds


if __name__ == "__main__":
    main()
