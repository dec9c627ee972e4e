"""Time `gendan sync` of a 10,000-row supplier file into a 50,000-line master (whole command).

usage: python benchmarks/bench_sync.py [--orders 50000] [--rows 10000]
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

AS_OF = dt.date(2026, 11, 26)


def make_master(path: Path, orders: int) -> pd.DataFrame:
    """A refreshed demo master of ``orders`` lines at ``path``; returns its lines."""
    suppliers, lines = demo_frames(orders, seed=5, as_of=AS_OF)
    actions.new_master(path, suppliers=suppliers, orders=lines)
    actions.refresh(path, as_of=AS_OF)
    return lines


def supplier_file(path: Path, lines: pd.DataFrame, rows: int, *, seed: int = 2) -> pd.DataFrame:
    """A supplier csv of ``rows`` of the master's lines (sampled with replacement when more rows than
    lines) with moved ETAs; returns the rows written (PO No., Line, Style, Qty, Produced qty, ETA)."""
    rng = np.random.default_rng(seed)
    picked = lines.sample(rows, random_state=seed, replace=rows > len(lines))
    update = picked[["po_no", "line", "style", "qty", "produced_qty"]].copy()
    update["eta"] = (picked["eta"] + pd.to_timedelta(rng.integers(-3, 8, len(picked)), unit="D")).dt.strftime("%Y/%m/%d")
    update.columns = ["PO No.", "Line", "Style", "Qty", "Produced qty", "ETA"]
    update.to_csv(path, index=False)
    return update


def time_sync(master: Path, file: Path) -> float:
    """Seconds of one whole `gendan sync` command (a new process, refresh and save included)."""
    gendan = shutil.which("gendan") or f"{sys.executable} -m gendan_xl.cli"
    start = time.perf_counter()
    subprocess.run([*gendan.split(), "sync", str(master), str(file), "--as-of", AS_OF.isoformat()],
                   check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=50_000)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        master = Path(tmp) / "master.xlsx"
        lines = make_master(master, args.orders)
        file = Path(tmp) / "supplier.csv"
        supplier_file(file, lines, args.rows)
        seconds = time_sync(master, file)
    print(f"sync {args.rows:,} supplier rows into {args.orders:,} lines (whole command, incl. refresh): "
          f"{seconds:.2f} s")


if __name__ == "__main__":
    main()
