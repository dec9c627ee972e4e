"""Validate workbooks we wrote with ../shared/tools/validate_ooxml.py: the ECMA-376 Transitional
schemas, customUI14.xsd and the rules Excel enforces that schemas miss (run as a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
VALIDATOR = SHARED / "tools" / "validate_ooxml.py"


def validate(*paths: Path) -> dict[str, dict]:
    """The validator's JSON report per file (items with check, severity, part, message, count)."""
    if not SHARED.is_dir():
        pytest.skip("../shared/ not present (CI has it)")
    assert VALIDATOR.exists(), f"validator missing: {VALIDATOR}"
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        proc = subprocess.run([sys.executable, str(VALIDATOR), "--json", str(report), *map(str, paths)],
                              capture_output=True, text=True, timeout=600)
        assert report.exists(), f"validator did not run: {proc.stdout}\n{proc.stderr}"
        found = json.loads(report.read_text(encoding="utf-8"))
    return {Path(name).resolve(): result for name, result in found.items()}


def errors(result: dict) -> list[str]:
    """The ERROR items of one file's report, readable."""
    return [f"{i['check']} {i['part']}: {i['message']}" for i in result["items"] if i["severity"] == "ERROR"]


def assert_valid(*paths: Path) -> dict[str, dict]:
    """Every file passes the validator with zero errors; returns the reports."""
    reports = validate(*paths)
    bad = {str(p): errors(reports[Path(p).resolve()]) for p in paths if errors(reports[Path(p).resolve()])}
    assert not bad, f"validator errors: {bad}"
    return reports
