"""What the command benchmarks share: the wall time (and CPU time) of one whole command run as its
own process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time


def timed_command(command: list[str]) -> float:
    """Seconds ``command`` takes, interpreter start included; stops the benchmark if it fails."""
    return timed_command_cpu(command)[0]


def timed_command_cpu(command: list[str]) -> tuple[float, float]:
    """``timed_command``'s seconds and the CPU seconds (user + system, every thread) the command used."""
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = os.times()
    if done.returncode:
        raise SystemExit(f"{' '.join(command[-4:])} failed: {done.stderr}")
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def timed_gendan(args: list[str]) -> float:
    """Seconds ``gendan ARGS`` takes as its own process (the installed command, else the module)."""
    return timed_gendan_cpu(args)[0]


def timed_gendan_cpu(args: list[str]) -> tuple[float, float]:
    """``timed_gendan``'s seconds and CPU seconds (``timed_command_cpu``)."""
    gendan = shutil.which("gendan") or f"{sys.executable} -m gendan_xl.cli"
    return timed_command_cpu([*gendan.split(), *args])
