"""Time `gendan plan` and `gendan refresh` with T&A milestones (issue 11 §4) on a large master.

usage: python benchmarks/bench_ta.py [--orders 50000] [--runs 5]
Every demo line is made open (no shipment, a due date), so plan creates orders x 7 milestone rows.
Prints whole-command seconds: plan, and refresh of a twin without milestone rows and of the planned
master, interleaved (each run refreshes both at the next working day, so load on a shared machine hits
both), best and median, and their ratios. The README quotes the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import tempfile
from pathlib import Path

from timing import timed_gendan as timed

import pandas as pd

from gendan_xl import actions
from gendan_xl.demo.build import demo_frames

AS_OF = dt.date(2026, 11, 26)


def build_master(path: Path, orders: int, *, plan: bool = False) -> pd.DataFrame:
    """A master of ``orders`` demo lines made open (a due date, no shipment), refreshed — or, with
    ``plan``, planned (7 milestones a line); returns the lines."""
    suppliers, lines = demo_frames(orders, seed=3, as_of=AS_OF)
    lines["ship_date"], lines["shipped_qty"] = pd.NaT, float("nan")
    lines["due_date"] = lines["due_date"].fillna(pd.Timestamp(AS_OF + dt.timedelta(days=40)))
    actions.new_master(path, force=True, suppliers=suppliers, orders=lines)
    if plan:
        actions.plan(path, as_of=AS_OF)
    else:
        actions.refresh(path, as_of=AS_OF)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        master, twin = Path(tmp) / "master.xlsx", Path(tmp) / "twin.xlsx"
        build_master(master, args.orders)
        shutil.copy(master, twin)
        t_plan = timed(["plan", str(master), "--as-of", AS_OF.isoformat()])
        rows = actions.plan(master, as_of=AS_OF).open_lines * 7
        size = master.stat().st_size / 1e6
        without, with_ms = [], []
        days = [AS_OF + dt.timedelta(days=d) for d in range(1, 3 * args.runs)]
        for day in [d for d in days if d.weekday() < 5][:args.runs]:   # working days: every slack moves
            as_of = day.isoformat()
            without.append(timed(["refresh", str(twin), "--as-of", as_of]))
            with_ms.append(timed(["refresh", str(master), "--as-of", as_of]))
    best, median = (min(without), min(with_ms)), (statistics.median(without), statistics.median(with_ms))
    print(f"orders: {args.orders:,}  milestone rows: {rows:,}  workbook: {size:.1f} MB  runs: {args.runs}")
    print(f"gendan plan (whole command, creates the rows):     {t_plan:.2f} s")
    print(f"gendan refresh, no milestone rows (whole command): best {best[0]:.2f} s, median {median[0]:.2f} s")
    print(f"gendan refresh with the milestone rows:            best {best[1]:.2f} s, median {median[1]:.2f} s")
    print(f"ratio refresh with / without milestones:           best {best[1] / best[0]:.2f}x, "
          f"median {median[1] / median[0]:.2f}x")


if __name__ == "__main__":
    main()
