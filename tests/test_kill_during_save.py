"""Killing gendan in the middle of its work never leaves a broken or half-written master."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import openpyxl

from conftest import AS_OF
from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.demo.build import demo_frames

LINES = 4000


def refresh_process(master, day: dt.date) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "gendan_xl.cli", "refresh", str(master), "--as-of",
                             day.isoformat()], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def whole_lines(master) -> int:
    wb = openpyxl.load_workbook(master, read_only=True)
    rows = sum(1 for r in wb[schema.ORDERS.sheet].iter_rows(min_row=2, values_only=True) if r[0])
    wb.close()
    return rows


def test_sigkill_late_in_a_refresh_leaves_a_whole_workbook(tmp_path):
    master = tmp_path / "master.xlsx"
    suppliers, lines = demo_frames(LINES, seed=5, as_of=AS_OF)
    actions.new_master(master, suppliers=suppliers, orders=lines)
    actions.refresh(master, as_of=AS_OF)
    start = time.perf_counter()
    assert refresh_process(master, AS_OF + dt.timedelta(days=1)).wait() == 0
    runtime = time.perf_counter() - start   # kill at points through a run, the last ones in the save
    killed = 0
    for k, fraction in enumerate((0.5, 0.8, 0.9, 0.95, 0.98, 1.0)):
        proc = refresh_process(master, AS_OF + dt.timedelta(days=2 + k))
        time.sleep(runtime * fraction)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait()
        assert whole_lines(master) == LINES
    assert killed >= 1
