"""The cost of the risk model: `gendan refresh` of a 50,000-line master with risk vs without (the
``risk_model`` setting off), and the whole `gendan backtest` command on the SCMS history.

usage: python benchmarks/bench_risk.py [--orders 50000] [--runs 3] [--scms PATH]

A demo master of ``--orders`` lines is built and refreshed once; its twin is the same file with
``risk_model`` set to no. The whole `gendan refresh` command (interpreter start included) is timed
on copies of both, in this one run, best of ``--runs``; the issue asks for at most 1.3x. Then the
whole `gendan backtest` of the SCMS csv (half-yearly origins 2011-01 .. 2015-07: 10 origins) when
the file is there (default ../shared/data/scms_delivery_history.csv).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

from timing import timed_command

import openpyxl

from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.demo.build import demo_frames

AS_OF = dt.date(2026, 11, 26)
SCMS = Path(__file__).resolve().parents[2] / "shared" / "data" / "scms_delivery_history.csv"


def risk_off(path: Path) -> None:
    """Set the master's risk_model setting to no (the Settings sheet, as a user would)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[schema.SETTINGS.sheet]
    ws.cell(next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "risk_model"), 2).value = "no"
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scms", type=Path, default=SCMS)
    args = parser.parse_args()
    gendan = (shutil.which("gendan") or f"{sys.executable} -m gendan_xl.cli").split()
    with tempfile.TemporaryDirectory() as tmp:
        master, twin = Path(tmp) / "master.xlsx", Path(tmp) / "twin.xlsx"
        suppliers, lines = demo_frames(args.orders, seed=3, as_of=AS_OF)
        actions.new_master(master, force=True, suppliers=suppliers, orders=lines)
        shutil.copy(master, twin)
        risk_off(twin)
        for path in (master, twin):
            actions.refresh(path, as_of=AS_OF)   # the first refresh writes every computed cell
        day = (AS_OF + dt.timedelta(days=7)).isoformat()
        with_risk, without = [], []
        for run in range(args.runs):
            copies = [Path(tmp) / f"run{run}-{p.name}" for p in (master, twin)]
            for source, copy in zip((master, twin), copies):
                shutil.copy(source, copy)
            with_risk.append(timed_command([*gendan, "refresh", str(copies[0]), "--as-of", day]))
            without.append(timed_command([*gendan, "refresh", str(copies[1]), "--as-of", day]))
    print(f"orders: {args.orders:,}")
    print(f"refresh with risk:    {min(with_risk):.2f} s  (runs {', '.join(f'{t:.2f}' for t in with_risk)})")
    print(f"refresh without risk: {min(without):.2f} s  (runs {', '.join(f'{t:.2f}' for t in without)})")
    print(f"ratio: {min(with_risk) / min(without):.2f}x (asked: at most 1.3x)")
    if args.scms.is_file():
        with tempfile.TemporaryDirectory() as tmp:
            seconds = timed_command([*gendan, "backtest", str(args.scms), "--from", "2011-01", "--to", "2015-07",
                             "--out", str(Path(tmp) / "backtest.xlsx")])
        print(f"backtest of SCMS, 10 origins (whole command, sheet written): {seconds:.2f} s")
    else:
        print(f"SCMS history not found at {args.scms}: backtest not timed")


if __name__ == "__main__":
    main()
