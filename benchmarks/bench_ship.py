"""Time `gendan ship` of a 2,000-line shipment in a 50,000-line master (whole command: reading the
master, the shipment book, the documents' data and their checks, the four laid-out .xlsx files).

The master is the demo's lines over 50 suppliers, refreshed (bench_chase.make_master); the shipment
carries 2,000 lines of the biggest customer in its most used currency, each with cartons, weights,
CBM, a 10-digit HS code and an origin, so every check runs over every line. ``--despite-checks`` is
given so the files are written whatever a check says (the run prints which failed, if any).

usage: python benchmarks/bench_ship.py [--orders 50000] [--lines 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from bench_chase import make_master
from bench_sync import AS_OF
from gendan_xl import actions
from gendan_xl.model import schema


def shipment_files(folder: Path, lines: pd.DataFrame, n: int) -> tuple[Path, Path]:
    """The Shipments and Shipment Lines CSVs of one shipment of ``n`` lines of one customer and currency."""
    lines = lines[lines["qty"].notna() & (lines["qty"] > 0)]
    customer = lines["customer"].value_counts().index[0]
    mine = lines[lines["customer"] == customer]
    mine = mine[mine["currency"] == mine["currency"].value_counts().index[0]].head(n)
    ships = folder / "shipments.csv"
    ships.write_text("shipment_no,customer,mode,vessel_voyage,pol,pod,incoterm,etd,bl_no,containers,invoice_no,status\n"
                     f"SH-BENCH,{customer},SEA,MAERSK ESSEN 512W,Ningbo,Hamburg,FOB,2026-12-20,0012345,"
                     "30x40HQ,INV-BENCH,BOOKED\n", encoding="utf-8")
    rows = pd.DataFrame({"shipment_no": "SH-BENCH", "po_no": mine["po_no"].to_numpy(), "line": mine["line"].to_numpy(),
                         "qty": mine["qty"].astype(int).to_numpy(), "cartons": 10})
    rows["carton_from"] = range(1, 10 * len(rows), 10)
    rows["carton_to"] = rows["carton_from"] + 9
    rows = rows.assign(nw_kg=50.5, gw_kg=55.25, cbm=0.35, hs_code="6110200000", origin="CN")
    lines_csv = folder / "shipment_lines.csv"
    rows.to_csv(lines_csv, index=False)
    return ships, lines_csv


def time_ship(master: Path, out: Path) -> tuple[float, dict]:
    """Seconds of one whole `gendan ship --json` command (a new process) and its result."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "gendan_xl", "ship", str(master), "SH-BENCH", "--out", str(out),
                           "--despite-checks", "--as-of", AS_OF.isoformat(), "--json"], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"gendan ship failed: {proc.stderr}")
    return seconds, json.loads(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=50_000)
    parser.add_argument("--lines", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        master = folder / "master.xlsx"
        lines = make_master(master, args.orders, 50)
        ships, rows = shipment_files(folder, lines, args.lines)
        actions.load_table(master, ships, schema.SHIPMENTS, as_of=AS_OF)
        actions.load_table(master, rows, schema.SHIPMENT_LINES, as_of=AS_OF)
        times, result = [], {}
        for run in range(args.runs):
            seconds, result = time_ship(master, folder / f"docs{run}")
            times.append(seconds)
    failed = [c["code"] for c in result["checks"] if not c["ok"]]
    print(f"gendan ship of {result['lines']:,} lines from a {args.orders:,}-line master (whole command, xlsx): "
          f"best {min(times):.2f} s, median {statistics.median(times):.2f} s over {args.runs} runs "
          f"({', '.join(f'{t:.2f}' for t in times)}); checks failed: {', '.join(failed) or 'none'}")


if __name__ == "__main__":
    main()
