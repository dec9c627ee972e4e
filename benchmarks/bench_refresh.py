"""Time `gendan refresh` on a large demo master beside an openpyxl load+save of the same file.

usage: python benchmarks/bench_refresh.py [--orders 50000] [--runs 3]
Prints the seconds of each and the ratio; the README quotes the figures.
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

import openpyxl

from gendan_xl import actions
from gendan_xl.demo.build import demo_frames

AS_OF = dt.date(2026, 11, 26)


def build_master(path: Path, orders: int) -> None:
    suppliers, lines = demo_frames(orders, seed=3, as_of=AS_OF)
    actions.new_master(path, force=True, suppliers=suppliers, orders=lines)
    actions.refresh(path, as_of=AS_OF)  # first refresh writes every computed cell


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        master = Path(tmp) / "master.xlsx"
        build_master(master, args.orders)
        size = master.stat().st_size / 1e6
        gendan = shutil.which("gendan") or f"{sys.executable} -m gendan_xl.cli"
        dates = iter(AS_OF + dt.timedelta(days=i) for i in range(1, 100))

        def cli_refresh():  # a new as-of date each run, so the computed columns really change
            done = subprocess.run([*gendan.split(), "refresh", str(master), "--as-of", next(dates).isoformat()],
                                  capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"gendan refresh failed: {done.stderr}")

        def openpyxl_roundtrip():
            wb = openpyxl.load_workbook(master)
            wb.save(Path(tmp) / "copy.xlsx")

        t_refresh = best_of(args.runs, cli_refresh)
        t_openpyxl = best_of(max(1, args.runs - 2), openpyxl_roundtrip)
    print(f"orders: {args.orders:,}  workbook: {size:.1f} MB")
    print(f"gendan refresh (whole command): {t_refresh:.2f} s")
    print(f"openpyxl load+save:             {t_openpyxl:.2f} s")
    print(f"ratio openpyxl / refresh:       {t_openpyxl / t_refresh:.1f}x")


if __name__ == "__main__":
    main()
