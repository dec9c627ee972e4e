"""Every kind of workbook gendan writes opens in LibreOffice and re-reads in openpyxl and calamine."""

from __future__ import annotations

import shutil
import zipfile

import openpyxl
import pytest
import python_calamine

from conftest import AS_OF
from gendan_xl.model.words import reason_code
from gendan_xl import actions
from gendan_xl.model import schema
from libreoffice import convert


def _new(tmp_path, demo_dir):
    path = tmp_path / "empty.xlsx"
    actions.new_master(path)
    return path


def _refreshed(tmp_path, demo_dir):
    path = tmp_path / "refreshed.xlsx"
    shutil.copy(demo_dir / "master.xlsx", path)
    return path


def _synced(tmp_path, demo_dir):
    path = tmp_path / "synced.xlsx"
    shutil.copy(demo_dir / "master.xlsx", path)
    actions.sync(path, sorted((demo_dir / "suppliers").iterdir()), as_of=AS_OF)
    return path


def _loaded(tmp_path, demo_dir):
    path = tmp_path / "loaded.xlsx"
    actions.new_master(path)
    export = tmp_path / "erp.csv"
    export.write_text("PO号,行号,客户,款号,数量,交期,预计完成\n"
                      "PO-1,1,ACME,ST1,\"1,200\",2026年12月5日,2026/12/01\n"
                      "PO-1,2,ACME,ST2,300 pcs,2026-12-20,TBD\n"
                      "PO-2,1,=HYPERLINK(\"x\"),ST3,50,not a date,\n"
                      "合计,,,,\"1,550\",,\n", encoding="utf-8")
    actions.load_orders(path, export, as_of=AS_OF)
    return path


@pytest.mark.parametrize("make", [_new, _refreshed, _synced, _loaded], ids=lambda f: f.__name__.strip("_"))
def test_workbook_reads_everywhere(make, tmp_path, demo_dir):
    path = make(tmp_path, demo_dir)
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
    wb = openpyxl.load_workbook(path)
    assert set(spec.sheet for spec in schema.TABLES.values()) <= set(wb.sheetnames)
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    for spec in schema.TABLES.values():
        rows = book.get_sheet_by_name(spec.sheet).to_python()
        assert rows[0][: len(spec.fields)] == [f.header for f in spec.fields]
    out = tmp_path / "lo"
    out.mkdir()
    roundtrip = convert(path, "xlsx", out)
    again = openpyxl.load_workbook(roundtrip)
    assert again[schema.ORDERS.sheet]["A1"].value == schema.ORDERS.fields[0].header


def test_loaded_rows_and_issues(tmp_path, demo_dir):
    path = _loaded(tmp_path, demo_dir)
    wb = openpyxl.load_workbook(path)
    orders = [r for r in wb[schema.ORDERS.sheet].iter_rows(min_row=2, values_only=True) if r[0]]
    assert [r[0] for r in orders] == ["PO-1", "PO-1", "PO-2"]
    qty = schema.ORDERS.names.index("qty")
    assert [r[qty] for r in orders] == [1200, 300, 50]
    assert orders[2][schema.ORDERS.names.index("customer")] == '=HYPERLINK("x")'
    flag = schema.ORDERS.names.index("flag")
    assert orders[2][flag].startswith("NO_DATE")
    issues = [r for r in wb[schema.IMPORT_ISSUES.sheet].iter_rows(min_row=2, values_only=True) if r[1]]
    reasons = {reason_code(r[6]) for r in issues}
    assert {"bad_date", "skipped_total", "date_marker"} <= reasons
    bad = next(r for r in issues if reason_code(r[6]) == "bad_date")
    assert bad[1] == "erp.csv" and bad[3] == 4 and bad[5] == "not a date"


def test_reloading_an_export_keeps_eta_history(tmp_path, demo_dir):
    path = _loaded(tmp_path, demo_dir)
    again = tmp_path / "erp_week2.csv"
    again.write_text("PO号,行号,预计完成\nPO-1,1,2026/12/09\n", encoding="utf-8")
    result = actions.load_orders(path, again, as_of=AS_OF)
    assert result.changed_values == 1
    from gendan_xl.store.master import MasterWorkbook
    line = MasterWorkbook(path).read(schema.ORDERS).frame.iloc[0]
    assert str(line["first_eta"].date()) == "2026-12-01" and str(line["prev_eta"].date()) == "2026-12-01"
    assert str(line["eta"].date()) == "2026-12-09" and line["eta_slips"] == 1
    assert "slipped" in line["why"] or line["flag"].startswith(("LATE", "WILL_BE_LATE"))
