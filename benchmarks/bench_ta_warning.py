"""How much earlier the first late milestone warns than the supplier's ETA (issue 11 §3).

usage: python benchmarks/bench_ta_warning.py [--lines 1000] [--seeds 1 2 3] [--grace 0 3 5]
Generates seasons (benchmarks/ta_season.py), replays them day by day through the product's rules and
prints, per seed and grace setting: late lines, median WD the milestone warning came before the ETA
warning (lines that end late), share of late lines warned >= 10 WD earlier, and the false-alarm share
of milestone warnings. The README quotes the figures.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

import numpy as np

from gendan_xl.model.settings import Settings
from ta_season import generate, measure


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--grace", type=int, nargs="+", default=[0, Settings().milestone_grace_wd])
    args = parser.parse_args()
    print("seed grace lines late median_wd_earlier share_>=10wd false_alarms")
    pooled: dict[int, list] = {g: [] for g in args.grace}
    for seed in args.seeds:
        season = generate(args.lines, seed)
        for grace in args.grace:
            r = measure(season, replace(Settings(), milestone_grace_wd=grace))
            late = season.late
            pooled[grace].append(((r["first_eta"] - r["first_milestone"])[late], r["false_alarm_share"] * r["milestone_warned"],
                                  r["milestone_warned"]))
            print(f"{seed} {grace} {r['lines']} {r['late']} {r['median_wd_earlier']:.0f} "
                  f"{r['share_10wd_earlier']:.0%} {r['false_alarm_share']:.1%}")
    for grace, parts in pooled.items():
        ahead = np.concatenate([p[0] for p in parts])
        false = sum(p[1] for p in parts) / sum(p[2] for p in parts)
        print(f"all seeds, grace {grace}: median {np.median(ahead):.0f} WD earlier, "
              f"{(ahead >= 10).mean():.0%} of late lines >= 10 WD earlier, false alarms {false:.1%}")


if __name__ == "__main__":
    main()
