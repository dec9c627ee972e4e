"""Time `gendan report --customer` on a 50,000-line master (whole command: reading the master, flags of
the customer's lines, the laid-out file; then the same as PDF through LibreOffice).

The master is the demo's lines (six customers, so the biggest has a sixth of them) over 50
suppliers, refreshed.

usage: python benchmarks/bench_customer_report.py [--orders 50000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_chase import make_master
from bench_sync import AS_OF

CUSTOMER = "Maison Lumière SARL"


def time_report(master: Path, out: Path) -> tuple[float, dict]:
    """Seconds of one whole `gendan report --json` command (a new process) and its result."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "gendan_xl", "report", str(master), "--customer", CUSTOMER,
                           "--out", str(out), "--as-of", AS_OF.isoformat(), "--json"], check=True,
                          capture_output=True, text=True)
    return time.perf_counter() - start, json.loads(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        master = Path(tmp) / "master.xlsx"
        make_master(master, args.orders, 50)
        xlsx, result = time_report(master, Path(tmp) / "report.xlsx")
        pdf, _ = time_report(master, Path(tmp) / "report.pdf")
    print(f"customer report of {result['open_lines'] + result['shipped_lines']:,} lines from a {args.orders:,}-line "
          f"master (whole command): xlsx {xlsx:.2f} s, pdf {pdf:.2f} s")


if __name__ == "__main__":
    main()
