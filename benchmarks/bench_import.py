"""Time supplier-file extraction: the real SCMS file, and 20,000 vs 200,000 synthetic rows (linearity)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from conftest import SCMS, SCMS_MAP, SCMS_MISSING  # noqa: E402
from test_importers_extract import synthetic_csv  # noqa: E402

from gendan_xl.importers.extract import extract_table  # noqa: E402
from gendan_xl.model.schema import ORDERS  # noqa: E402


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    if SCMS.is_file():
        print(f"SCMS extract (10,324 rows): {timed(lambda: extract_table(SCMS, ORDERS, mapping=SCMS_MAP)):.2f} s")
    else:
        print(f"SCMS extract skipped: {SCMS_MISSING}")
    with tempfile.TemporaryDirectory() as tmp:
        times = {}
        for rows in (20_000, 200_000):
            path = synthetic_csv(Path(tmp) / f"s{rows}.csv", rows)
            times[rows] = timed(lambda path=path: extract_table(path, ORDERS))
            print(f"synthetic csv {rows:,} rows: {times[rows]:.2f} s")
        print(f"ratio 200k/20k: {times[200_000] / times[20_000]:.1f} (10 = linear)")


if __name__ == "__main__":
    main()
