"""Shared fixtures: a demo master workbook built once per session, copied per test."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import settings

from gendan_xl.model import schema

# Correctness, not speed, is what property tests check here: no per-example deadline on busy CI machines.
settings.register_profile("gendan", deadline=None)
settings.load_profile("gendan")

sys.path.insert(0, str(Path(__file__).parent))

AS_OF = dt.date(2026, 11, 26)
# The real, public USAID SCMS Delivery History (10,324 lines): a third-party file, not committed here;
# read from ../shared/data beside the repository (CI has it).
SCMS = Path(__file__).resolve().parents[2] / "shared" / "data" / "scms_delivery_history.csv"
SCMS_MISSING = "../shared/data not present (CI has it)"
SCMS_MAP = {"po_no": "PO / SO #", "line": "ID", "due_date": "Scheduled Delivery Date",
            "ship_date": "Delivered to Client Date", "supplier": "Vendor", "qty": "Line Item Quantity",
            "shipped_qty": "Line Item Quantity", "description": "Item Description"}


# The fast subset (`make test-fast`: pytest -m "not slow") is the tests that touch no file: literal
# frames and values through the core. Left out: whatever writes or reads files (tmp_path), builds the
# demo, reads the real SCMS file, runs LibreOffice or starts gendan processes; `make test` runs all.
SLOW_FIXTURES = {"tmp_path", "tmp_path_factory", "demo_dir", "demo_master", "scms_path", "new_xlsm", "synced"}
SLOW_MODULES = {"test_sheets_print", "test_write_lock", "test_kill_during_save", "test_cli_slips", "test_ooxml_valid",
                "test_scms", "test_written_workbooks", "test_master_xlsm", "test_xlsm_build", "test_excel_ribbon",
                "test_ta_ribbon", "test_ta_season"}


def pytest_collection_modifyitems(items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or item.module.__name__ in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


def orders_frame(rows=(), /, **defaults) -> pd.DataFrame:
    """Order lines as the master's reader gives them: every Orders field (``defaults`` fill the
    fields a row leaves out), dates datetime64 at midnight, numbers float, text as typed (None for a
    blank); keys that are not Orders fields follow, as given; indexed by Excel row from 2."""
    records = [{**defaults, **row} for row in rows]
    index = pd.RangeIndex(2, 2 + len(records))
    columns = {}
    for f in schema.ORDERS.fields:
        dtype = {schema.DATE: "datetime64[us]", schema.INT: float, schema.NUMBER: float}.get(f.kind, object)
        if not any(f.name in r for r in records):   # a blank column
            columns[f.name] = pd.Series([None if dtype is object else np.nan] * len(index), index=index, dtype=dtype)
            continue
        values = pd.Series([r.get(f.name) for r in records], index=index, dtype=object)
        if f.kind == schema.DATE:
            columns[f.name] = pd.to_datetime(values).astype(dtype).dt.normalize()
        elif dtype is float:
            columns[f.name] = pd.to_numeric(values).astype(float)
        else:
            columns[f.name] = values.where(values.notna(), None)
    for name in dict.fromkeys(k for r in records for k in r if k not in columns):
        columns[name] = pd.Series([r.get(name, np.nan) for r in records], index=index, dtype=object)
    return pd.DataFrame(columns, index=index)


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    from gendan_xl.demo.build import build_demo
    folder = tmp_path_factory.mktemp("demo")
    build_demo(folder, orders=240, seed=11, as_of=AS_OF)
    return folder


@pytest.fixture
def demo_master(demo_dir, tmp_path) -> Path:
    """A private copy of the refreshed demo master workbook."""
    target = tmp_path / "master.xlsx"
    shutil.copy(demo_dir / "master.xlsx", target)
    return target


@pytest.fixture(scope="session")
def scms_path() -> Path:
    if not SCMS.is_file():
        pytest.skip(SCMS_MISSING)
    return SCMS


@pytest.fixture(scope="session")
def new_xlsm(tmp_path_factory) -> Path:
    """What `gendan new master.xlsm` writes: a new master, then the macro-enabled package."""
    from gendan_xl import actions
    from gendan_xl.xlsm.master_xlsm import write_macro_master
    folder = tmp_path_factory.mktemp("new")
    actions.new_master(folder / "master.xlsx")
    write_macro_master(folder / "master.xlsx", folder / "master.xlsm")
    return folder / "master.xlsm"
