"""Time slack/flag evaluation on 200,000 random order lines (pure core, no workbook I/O)."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_slack_rules import BOOK, _random_orders  # noqa: E402  (the same generator the tests use)

from gendan_xl.model.settings import Settings  # noqa: E402
from gendan_xl.rules.slack import evaluate  # noqa: E402


def main(n: int = 200_000) -> None:
    frame, country = _random_orders(n)
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        evaluate(frame, country, BOOK, dt.date(2026, 3, 5), Settings())
        timings.append(time.perf_counter() - start)
    print(f"evaluate {n:,} lines: best {min(timings):.2f} s of {len(timings)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
