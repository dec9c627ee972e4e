"""Every output of a fixed scenario, cell by cell, to compare two versions of gendan.

usage: python benchmarks/snapshot.py OUT.pkl [--orders 50000]      (record this version's outputs)
       python benchmarks/snapshot.py --compare BEFORE.pkl AFTER.pkl (list what differs)

The scenario runs the `gendan` command of the environment: the demo (its master, supplier files,
statements, chase files and a customer report), then a master of ``--orders`` lines that is
synced, planned, refreshed, chased, reported and reconciled. Every sheet of every workbook is read
back with python-calamine (values as saved), every part of every package hashed, and each command's
`--json` kept. `--compare` names each differing sheet column (how many cells, the first of them), package part and
JSON key; wall-clock
cells (a datetime within the hour the scenario ran) and the master's backup are left out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import pickle
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from python_calamine import CalamineWorkbook

AS_OF = dt.date(2026, 11, 26)
TIMING_KEYS = {"seconds", "elapsed", "timings"}


def gendan(*args: str) -> dict:
    """Run one command with --json; its output without timing keys."""
    exe = shutil.which("gendan") or f"{sys.executable} -m gendan_xl.cli"
    done = subprocess.run([*exe.split(), *args, "--json"], capture_output=True, text=True)
    if done.returncode not in (0, 2):
        raise SystemExit(f"gendan {' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    out = json.loads(done.stdout) if done.stdout.strip() else {}
    return {k: v for k, v in out.items() if k not in TIMING_KEYS} | {"exit": done.returncode}


def read_outputs(folder: Path) -> dict:
    """{relative path: {"parts": {name: sha256}, "sheets": {name: rows}} | {"text": ...}} of a folder."""
    found = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if ".bak" in path.name or "~$" in path.name:
            continue
        if path.suffix in (".xlsx", ".xlsm"):
            with zipfile.ZipFile(path) as z:
                parts = {i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist()}
            book = CalamineWorkbook.from_path(str(path))
            sheets = {s: book.get_sheet_by_name(s).to_python(skip_empty_area=False) for s in book.sheet_names}
            found[name] = {"parts": parts, "sheets": sheets}
        elif path.suffix in (".csv", ".txt", ".json", ".md"):
            found[name] = {"text": path.read_text(encoding="utf-8", errors="replace")}
        else:
            found[name] = {"sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    return found


def big_scenario(folder: Path, orders: int) -> dict:
    """A master of ``orders`` lines through every command; the JSON of each."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_sync import make_master, supplier_file  # the benchmarks' own builders

    from gendan_xl.demo.sample_files import write_statements

    master = folder / "master.xlsx"
    lines = make_master(master, orders)
    supplier_file(folder / "supplier.csv", lines, min(orders, 10_000))
    statements = write_statements(folder / "statements", lines)
    day = AS_OF.isoformat()
    runs = {
        "sync": gendan("sync", str(master), str(folder / "supplier.csv"), "--as-of", day),
        "plan": gendan("plan", str(master), "--as-of", day),
        "refresh": gendan("refresh", str(master), "--as-of", day),
        "chase": gendan("chase", str(master), "--out", str(folder / "chase"), "--as-of", day),
        "history": gendan("history", str(master)),
    }
    customer = str(lines["customer"].iloc[0])
    runs["report"] = gendan("report", str(master), "--customer", customer, "--out", str(folder / "customer.xlsx"),
                            "--as-of", day)
    for made in statements:
        runs[f"reconcile {Path(made['statement']).name}"] = gendan(
            "reconcile", str(master), made["statement"], "--party", made["party"], "--period", made["period"],
            "--side", made["side"])
    return runs


def record(out: Path, orders: int) -> None:
    started = dt.datetime.now()
    with tempfile.TemporaryDirectory() as tmp:
        demo, big = Path(tmp) / "demo", Path(tmp) / "big"
        runs = {"demo": gendan("demo", str(demo), "--as-of", AS_OF.isoformat())}
        runs["demo chase"] = gendan("chase", str(demo / "master.xlsx"), "--out", str(demo / "chase"),
                                    "--as-of", AS_OF.isoformat())
        big.mkdir()
        runs |= {f"big {k}": v for k, v in big_scenario(big, orders).items()}
        snap = {"started": started, "ended": dt.datetime.now(), "runs": json.loads(json.dumps(runs).replace(tmp, "TMP")),
                "demo": read_outputs(demo), "big": read_outputs(big)}
    with open(out, "wb") as f:
        pickle.dump(snap, f)
    print(f"{out}: {sum(len(v) for k, v in snap.items() if k in ('demo', 'big'))} files")


def wall_clock(value, snap: dict) -> bool:
    return isinstance(value, dt.datetime) and snap["started"] - dt.timedelta(hours=1) <= value <= snap["ended"]


def compare(before_path: Path, after_path: Path) -> int:
    before, after = (pickle.loads(Path(p).read_bytes()) for p in (before_path, after_path))
    differences = 0
    groups: dict[str, list] = {}   # a differing sheet column: [count, first example]

    def say(text: str, group: str | None = None) -> None:
        nonlocal differences
        differences += 1
        found = groups.setdefault(group or text, [0, text])
        found[0] += 1

    for key in sorted(set(before["runs"]) | set(after["runs"])):
        if before["runs"].get(key) != after["runs"].get(key):
            say(f"json {key}: {json.dumps(before['runs'].get(key))[:300]} != {json.dumps(after['runs'].get(key))[:300]}")
    for scenario in ("demo", "big"):
        b, a = before[scenario], after[scenario]
        for name in sorted(set(b) | set(a)):
            if name not in b or name not in a:
                say(f"{scenario}/{name}: only {'after' if name in a else 'before'}")
                continue
            if "sheets" not in b[name]:
                if b[name] != a[name]:
                    say(f"{scenario}/{name}: content differs")
                continue
            same_cells = True
            for sheet in sorted(set(b[name]["sheets"]) | set(a[name]["sheets"])):
                rb, ra = b[name]["sheets"].get(sheet), a[name]["sheets"].get(sheet)
                if rb is None or ra is None:
                    say(f"{scenario}/{name} [{sheet}]: sheet only {'after' if ra is not None else 'before'}")
                    same_cells = False
                    continue
                for r in range(max(len(rb), len(ra))):
                    row_b = rb[r] if r < len(rb) else []
                    row_a = ra[r] if r < len(ra) else []
                    for c in range(max(len(row_b), len(row_a))):
                        vb = row_b[c] if c < len(row_b) else ""
                        va = row_a[c] if c < len(row_a) else ""
                        if vb != va and not (wall_clock(vb, before) and wall_clock(va, after)):
                            same_cells = False
                            say(f"{scenario}/{name} [{sheet}] row {r + 1} col {c + 1}: {vb!r} != {va!r}",
                                f"{scenario}/{name} [{sheet}] col {c + 1}")
            parts = [p for p in set(b[name]["parts"]) | set(a[name]["parts"])
                     if b[name]["parts"].get(p) != a[name]["parts"].get(p) and p != "docProps/core.xml"]
            if parts:
                print(f"{scenario}/{name}: parts differ {sorted(parts)}"
                      f"{' (cells identical)' if same_cells else ''}")
    for count, example in groups.values():
        print(f"{count:6} × {example}")
    print(f"{differences} differences")
    return 1 if differences else 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--orders", type=int, default=50_000)
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        raise SystemExit(compare(*args.compare))
    if not args.out:
        parser.error("give OUT.pkl or --compare BEFORE AFTER")
    record(args.out, args.orders)


if __name__ == "__main__":
    main()
