"""Time `gendan refresh` with a 样品 Samples register (issue 22) on a large master, beside its twin
without one.

usage: python benchmarks/bench_samples.py [--orders 50000] [--samples 100000] [--runs 5] [--no-plan]

The master is the demo's lines made open (a due date, no shipment), planned (7 milestones a line,
unless ``--no-plan``), and loaded with ``--samples`` sample rounds (`gendan load --table samples`,
seeded): every kind, two rounds a sample, half by PO + line and half by PO + style, sent, received,
approved, rejected, pending and cancelled ones, so refresh adds rounds, closes milestones and states
every row. The twin is the same master before the load. Each run refreshes both at the next working
day (the twin first in odd runs), whole commands; prints best and median and their ratios (the
issue asks for at most 1.3x), and the CPU time each used (user + system, both threads): on a machine
of two cores the register's extra CPU seconds cost at least half as many seconds of wall time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from bench_ta import AS_OF, build_master
from timing import timed_gendan_cpu as timed

from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.model.samples import SampleKind, SampleStatus


def sample_file(path: Path, lines: pd.DataFrame, n: int, seed: int = 22) -> None:
    """``n`` sample rounds of the lines (two rounds a sample) as a supplier's csv."""
    rng = np.random.default_rng(seed)
    at = rng.integers(0, len(lines), n // 2).repeat(2)[:n]
    line = lines.iloc[at]
    by_line = rng.random(n) < 0.5
    rounds = np.arange(n) % 2 + 1
    sent = pd.Timestamp(AS_OF) - pd.to_timedelta(rng.integers(30, 90, n // 2 + 1).repeat(2)[:n] - 20 * (rounds - 1),
                                                 "D")   # a second round sent 20 days after the first
    statuses = rng.choice(np.array([s.label for s in SampleStatus], dtype=object), n)
    answered = sent + pd.to_timedelta(rng.integers(1, 9, n), "D")
    pd.DataFrame({
        "sample_no": [f"S-{i // 2:06d}" for i in range(n)], "round": rounds,
        "kind": rng.choice(np.array([k.label for k in SampleKind], dtype=object), n),
        "supplier": line["supplier"].to_numpy(), "po_no": line["po_no"].to_numpy(),
        "line": np.where(by_line, line["line"].to_numpy(), None), "style": line["style"].to_numpy(),
        "due": (sent - pd.Timedelta(days=3)).strftime("%Y-%m-%d"),
        "sent_date": np.where(statuses == SampleStatus.PENDING.label, None, sent.strftime("%Y-%m-%d")),
        "courier": "DHL", "awb": [f"00{i:08d}" for i in range(n)], "status": statuses,
        "status_date": np.where(np.isin(statuses, [SampleStatus.PENDING.label, SampleStatus.SENT.label]), None,
                                answered.strftime("%Y-%m-%d")),
    }).to_csv(path, index=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=50_000)
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-plan", dest="plan", action="store_false", help="no milestone rows")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        master, twin, csv = Path(tmp) / "master.xlsx", Path(tmp) / "twin.xlsx", Path(tmp) / "samples.csv"
        lines = build_master(master, args.orders, plan=args.plan)
        shutil.copy(master, twin)
        sample_file(csv, lines, args.samples)
        loaded = actions.load_table(master, csv, schema.SAMPLES, as_of=AS_OF)
        actions.refresh(master, as_of=AS_OF)   # the rounds rejections add, the milestones approvals close
        size = master.stat().st_size / 1e6, twin.stat().st_size / 1e6
        without, with_samples, cpu = [], [], ([], [])
        days = [AS_OF + dt.timedelta(days=d) for d in range(1, 3 * args.runs)]
        for k, day in enumerate([d for d in days if d.weekday() < 5][:args.runs]):   # every wait moves
            pair = [(without, cpu[0], twin), (with_samples, cpu[1], master)]
            for times, used, path in pair if k % 2 else pair[::-1]:
                wall, seconds = timed(["refresh", str(path), "--as-of", day.isoformat()])
                times.append(wall)
                used.append(seconds)
    best, median = (min(without), min(with_samples)), (statistics.median(without), statistics.median(with_samples))
    ratios = sorted(w / o for w, o in zip(with_samples, without))
    print(f"orders: {args.orders:,}  sample rows loaded: {loaded.added:,} ({loaded.issues:,} issue rows)  "
          f"milestones: {'yes' if args.plan else 'no'}  workbook: {size[0]:.1f} MB (twin {size[1]:.1f} MB)  "
          f"runs: {args.runs}")
    print(f"gendan refresh, no Samples (whole command):   best {best[0]:.2f} s, median {median[0]:.2f} s")
    print(f"gendan refresh with the Samples register:    best {best[1]:.2f} s, median {median[1]:.2f} s")
    print(f"ratio with / without: median of the pairs {statistics.median(ratios):.2f}x "
          f"({ratios[0]:.2f}–{ratios[-1]:.2f}), best/best {best[1] / best[0]:.2f}x (target ≤ 1.3x)")
    extra = statistics.median(cpu[1]) - statistics.median(cpu[0])
    print(f"CPU (user + system), median: {statistics.median(cpu[0]):.2f} s without, {statistics.median(cpu[1]):.2f} s "
          f"with: {extra:.2f} s more, at least {extra / (os.cpu_count() or 1):.2f} s of wall time on "
          f"{os.cpu_count()} core(s)")


if __name__ == "__main__":
    main()
