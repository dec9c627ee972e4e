"""Every kind of workbook gendan writes passes ../shared/tools/validate_ooxml.py with zero errors:
the ECMA-376 Transitional schemas, customUI14.xsd and the rules Excel repairs files for."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from conftest import AS_OF
from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.demo.build import build_demo
from gendan_xl.store.master import MasterWorkbook
from gendan_xl.xlsm.xlsm import ensure_ribbon_relationship
from libreoffice import convert
from ooxml import assert_valid, errors, validate

LATER = AS_OF + dt.timedelta(days=7)


def _reconcile_all(master: Path, statements: list[dict]) -> None:
    """Every demo statement (two sheets), then the first one again (its sheet is replaced)."""
    for s in statements + statements[:1]:
        actions.reconcile(master, s["statement"], party=s["party"], period=s["period"], side=s["side"])


def _rename_customer(master: Path, old: str, new: str) -> None:
    wb = MasterWorkbook(master)
    orders = wb.read(schema.ORDERS)
    wb.write(orders, orders.frame.assign(customer=orders.frame["customer"].replace(old, new)), ["customer"])
    wb.save()


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    """One workbook per way gendan writes one, built with the openpyxl writer of this run."""
    root = tmp_path_factory.mktemp("written")
    out = {"new.xlsx": root / "new.xlsx", "new.xlsm": root / "new.xlsm"}
    for path in out.values():
        actions.new_master(path)
    demo = build_demo(root / "demo", orders=120, seed=5, as_of=AS_OF)
    demo_xlsm = build_demo(root / "demo_xlsm", orders=120, seed=5, as_of=AS_OF, macros=True)
    out["demo"] = root / "demo" / "master.xlsx"
    out["demo --xlsm"] = root / "demo_xlsm" / "master.xlsm"
    for n, path in enumerate(sorted((root / "demo").glob("*/*.xlsx"))):
        out[f"demo input {n} {path.name}"] = path
    out["synced"] = root / "synced.xlsx"
    shutil.copy(out["demo"], out["synced"])
    actions.sync(out["synced"], sorted((root / "demo" / "suppliers").iterdir()), as_of=AS_OF)
    chased = actions.chase(out["synced"], out=root / "chase", as_of=AS_OF).files
    out["chase file"] = Path(max(chased, key=lambda f: f.lines).file)
    out["chase file, Chinese name"] = Path(next(f.file for f in chased if not f.supplier.isascii()))
    out["customer report"] = Path(actions.customer_report(out["synced"], customer="Maison Lumière SARL",
                                                          out=root / "customer.xlsx", as_of=AS_OF).file)
    out["customer report, Chinese name"] = root / "customer_cn.xlsx"
    cn = root / "cn.xlsx"
    shutil.copy(out["synced"], cn)
    _rename_customer(cn, "Sakura Trading KK", "樱花贸易株式会社 Sakura Trading & Co. <JP>")
    actions.customer_report(cn, customer="樱花贸易株式会社 Sakura Trading & Co. <JP>",
                            out=out["customer report, Chinese name"], as_of=AS_OF)
    out["reconciled"] = root / "reconciled.xlsx"
    shutil.copy(out["synced"], out["reconciled"])
    _reconcile_all(out["reconciled"], demo.statements)
    out["refreshed"] = root / "refreshed.xlsx"
    shutil.copy(out["reconciled"], out["refreshed"])
    actions.refresh(out["refreshed"], as_of=LATER)
    out["refreshed again, same day"] = root / "again.xlsx"   # that day's history rows replaced
    shutil.copy(out["refreshed"], out["refreshed again, same day"])
    actions.refresh(out["refreshed again, same day"], as_of=LATER)
    out["loaded"] = root / "loaded.xlsx"
    actions.new_master(out["loaded"])
    export = root / "erp.csv"
    export.write_text("PO号,行号,客户,款号,数量,交期\nPO-1,1,H&M <EU>,ST1,\"1,200\",2026年12月5日\n"
                      "PO-1,2,\"ACME \"\"Q\"\"\",ST2,300 pcs,not a date\n", encoding="utf-8")
    actions.load_orders(out["loaded"], export, as_of=AS_OF)
    out["xlsm synced, reconciled, refreshed"] = root / "worked.xlsm"
    shutil.copy(out["demo --xlsm"], out["xlsm synced, reconciled, refreshed"])
    actions.sync(out["xlsm synced, reconciled, refreshed"], sorted((root / "demo_xlsm" / "suppliers").iterdir()),
                 as_of=AS_OF)
    _reconcile_all(out["xlsm synced, reconciled, refreshed"], demo_xlsm.statements)
    actions.refresh(out["xlsm synced, reconciled, refreshed"], as_of=LATER)
    _planned(root, out)
    out["backtest in the master"] = root / "backtest.xlsx"
    shutil.copy(out["demo"], out["backtest in the master"])
    actions.backtest(out["backtest in the master"], start=dt.date(2026, 9, 1), end=dt.date(2026, 11, 1), step_months=1)
    out["backtest --out"] = root / "backtest_out.xlsx"
    history = root / "history.csv"
    shutil.copy(out["demo"].parent / "master.xlsx", root / "for_export.xlsx")
    actions.export_table(root / "for_export.xlsx", "orders", history)
    actions.backtest(history, start=dt.date(2026, 9, 1), end=dt.date(2026, 11, 1), step_months=1,
                     out=out["backtest --out"])
    return out


def _planned(root: Path, out: dict[str, Path]) -> None:
    """T&A: planned, synced with milestone dates, chased; and masters from before the T&A
    tables (xlsx and xlsm) that `gendan plan` adds them to."""
    out["planned, synced"] = root / "planned.xlsx"
    shutil.copy(out["demo"], out["planned, synced"])
    actions.plan(out["planned, synced"], as_of=AS_OF)
    actions.sync(out["planned, synced"], sorted((root / "demo" / "suppliers").iterdir()), as_of=AS_OF)
    chased = actions.chase(out["planned, synced"], out=root / "chase_ta", as_of=AS_OF).files
    out["chase file with milestones"] = Path(max(chased, key=lambda f: f.lines).file)
    for case, source, suffix in (("older master, planned", "demo", ".xlsx"),
                                 ("older xlsm, planned", "demo --xlsm", ".xlsm")):
        out[case] = root / f"older{suffix}"
        wb = openpyxl.load_workbook(out[source], keep_vba=suffix == ".xlsm")
        del wb[schema.TA_TEMPLATES.sheet], wb[schema.MILESTONES.sheet]
        wb.save(out[case])
        if suffix == ".xlsm":
            ensure_ribbon_relationship(out[case])   # openpyxl drops it (DESIGN.md §5)
        actions.plan(out[case], as_of=AS_OF)


@pytest.fixture(scope="module")
def reports(written) -> dict[Path, dict]:
    return validate(*written.values())


CASES = ["new.xlsx", "new.xlsm", "demo", "demo --xlsm", "synced", "chase file", "chase file, Chinese name",
         "customer report", "customer report, Chinese name",
         "reconciled", "refreshed", "refreshed again, same day", "loaded", "xlsm synced, reconciled, refreshed",
         "planned, synced", "chase file with milestones", "older master, planned", "older xlsm, planned",
         "backtest in the master", "backtest --out"]


@pytest.mark.parametrize("case", CASES)
def test_written_workbook_has_no_validator_errors(case, written, reports):
    assert errors(reports[written[case].resolve()]) == []


def test_demo_input_files_have_no_validator_errors(written, reports):
    inputs = [path for name, path in written.items() if name.startswith("demo input")]
    assert len(inputs) >= 3   # two supplier workbooks and the supplier statement
    assert {str(p): errors(reports[p.resolve()]) for p in inputs} == {str(p): [] for p in inputs}


def test_every_sheet_of_a_macro_master_has_its_own_code_name(written, reports):
    """Sheets added after the VBA project was built (reconciliation) get code names too."""
    for case in ("new.xlsm", "demo --xlsm", "xlsm synced, reconciled, refreshed", "older xlsm, planned"):
        names = reports[written[case].resolve()]["code_names"]
        assert names["workbook"] == "ThisWorkbook"
        sheets = names["sheets"]
        assert all(sheets.values()), sheets
        assert len({n.lower() for n in sheets.values()}) == len(sheets)
    assert sum(name.startswith("对账-") for name in reports[
        written["xlsm synced, reconciled, refreshed"].resolve()]["code_names"]["sheets"]) == 2


@pytest.mark.parametrize("lxml", ["True", "False"], ids=["openpyxl+lxml", "openpyxl-without-lxml"])
def test_cli_xlsm_round_trip_in_both_openpyxl_writers(lxml, tmp_path):
    """`gendan demo --xlsm` then two reconciliations and a refresh, with openpyxl writing namespaces
    its lxml way and its ElementTree way: no traceback, a valid file LibreOffice opens."""
    env = {**os.environ, "OPENPYXL_LXML": lxml}

    def gendan(*args: str) -> str:
        proc = subprocess.run([sys.executable, "-m", "gendan_xl", *args], capture_output=True, text=True,
                              env=env, timeout=300)
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
        return proc.stdout

    folder = tmp_path / "demo"
    demo = json.loads(gendan("demo", str(folder), "--xlsm", "--orders", "60", "--as-of", AS_OF.isoformat(),
                             "--json"))
    master = folder / "master.xlsm"
    gendan("new", str(tmp_path / "new.xlsm"))
    assert len(demo["statements"]) == 2
    for s in demo["statements"]:
        gendan("reconcile", str(master), s["statement"], "--party", s["party"], "--period", s["period"])
    gendan("refresh", str(master), "--as-of", LATER.isoformat())
    reports = assert_valid(master, tmp_path / "new.xlsm")
    assert sum(n.startswith("对账-") for n in reports[master.resolve()]["code_names"]["sheets"]) == 2
    assert convert(master, "csv", tmp_path).stat().st_size > 0
