"""Time `gendan chase` for 50 suppliers over a 50,000-line master (whole command: reading the
master, flags, the Change Log, one xlsx and one message per supplier).

The master is the demo's lines spread over 50 suppliers, refreshed, then synced with a supplier
file of 10,000 rows so the Change Log holds real updates (the rest of the lines have no news).

usage: python benchmarks/bench_chase.py [--orders 50000] [--suppliers 50] [--rows 10000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from bench_sync import AS_OF, supplier_file
from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.demo.build import demo_frames


def make_master(path: Path, orders: int, suppliers: int) -> pd.DataFrame:
    """A refreshed master of ``orders`` demo lines shared by ``suppliers`` suppliers; returns its lines."""
    demo_suppliers, lines = demo_frames(orders, seed=5, as_of=AS_OF)
    countries = demo_suppliers["country"].tolist()
    names = [f"供应商 Supplier {i:02d}" for i in range(suppliers)]
    table = pd.DataFrame({"code": [f"S{i:02d}" for i in range(suppliers)], "name": names,
                          "country": [countries[i % len(countries)] for i in range(suppliers)]})
    lines = lines.assign(supplier=[names[i % suppliers] for i in range(len(lines))])
    actions.new_master(path, suppliers=table.reindex(columns=schema.SUPPLIERS.names), orders=lines)
    actions.refresh(path, as_of=AS_OF)
    return lines


def time_chase(master: Path, out: Path) -> tuple[float, dict]:
    """Seconds of one whole `gendan chase --json` command (a new process) and its result."""
    gendan = shutil.which("gendan") or f"{sys.executable} -m gendan_xl.cli"
    start = time.perf_counter()
    proc = subprocess.run([*gendan.split(), "chase", str(master), "--out", str(out), "--as-of", AS_OF.isoformat(),
                           "--json"], check=True, capture_output=True, text=True)
    return time.perf_counter() - start, json.loads(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=50_000)
    parser.add_argument("--suppliers", type=int, default=50)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        master = Path(tmp) / "master.xlsx"
        lines = make_master(master, args.orders, args.suppliers)
        file = Path(tmp) / "supplier.csv"
        supplier_file(file, lines, args.rows)
        actions.sync(master, [file], as_of=AS_OF)
        seconds, result = time_chase(master, Path(tmp) / "chase")
    print(f"chase {result['suppliers']} suppliers over {args.orders:,} lines: {result['lines']:,} lines to chase "
          f"in {len(result['files'])} files (whole command): {seconds:.2f} s")


if __name__ == "__main__":
    main()
