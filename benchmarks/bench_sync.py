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

from gendan_xl import actions
from gendan_xl.demo import demo_frames

AS_OF = dt.date(2026, 11, 26)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=50_000)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        master = Path(tmp) / "master.xlsx"
        suppliers, lines = demo_frames(args.orders, seed=5, as_of=AS_OF)
        actions.new_master(master, suppliers=suppliers, orders=lines)
        actions.refresh(master, as_of=AS_OF)
        rng = np.random.default_rng(1)
        picked = lines.sample(args.rows, random_state=2)
        update = picked[["po_no", "line", "style", "qty", "produced_qty"]].copy()
        update["eta"] = (picked["eta"] + pd_days(rng.integers(-3, 8, len(picked)))).dt.strftime("%Y/%m/%d")
        update.columns = ["PO No.", "Line", "Style", "Qty", "Produced qty", "ETA"]
        file = Path(tmp) / "supplier.csv"
        update.to_csv(file, index=False)
        gendan = shutil.which("gendan") or f"{sys.executable} -m gendan_xl.cli"
        start = time.perf_counter()
        subprocess.run([*gendan.split(), "sync", str(master), str(file), "--as-of", AS_OF.isoformat()],
                       check=True, capture_output=True)
        seconds = time.perf_counter() - start
    print(f"sync {args.rows:,} supplier rows into {args.orders:,} lines (whole command, incl. refresh): "
          f"{seconds:.2f} s")


def pd_days(values):
    import pandas as pd
    return pd.to_timedelta(values, unit="D")


if __name__ == "__main__":
    main()
