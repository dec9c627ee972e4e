"""What the command benchmarks share: the wall time of one whole command run as its own process."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time


def timed_command(command: list[str]) -> float:
    """Seconds ``command`` takes, interpreter start included; stops the benchmark if it fails."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(command[-4:])} failed: {done.stderr}")
    return time.perf_counter() - start


def timed_gendan(args: list[str]) -> float:
    """Seconds ``gendan ARGS`` takes as its own process (the installed command, else the module)."""
    gendan = shutil.which("gendan") or f"{sys.executable} -m gendan_xl.cli"
    return timed_command([*gendan.split(), *args])
