"""The gendan command: new, refresh, export, demo, --json and exit codes (real files)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import openpyxl
import python_calamine

from conftest import AS_OF
from gendan_xl.model import schema
from gendan_xl.cli import main
from gendan_xl.model.flags import Flag


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gendan_xl.cli", *args], capture_output=True, text=True)


def test_new_creates_every_table_with_bilingual_headers(tmp_path):
    path = tmp_path / "master.xlsx"
    assert main(["new", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    for spec in schema.TABLES.values():
        ws = wb[spec.sheet]
        assert spec.name in ws.tables, spec.name
        assert [c.value for c in ws[1]][: len(spec.fields)] == [f.header for f in spec.fields]
        assert ws.freeze_panes is not None
    orders = wb[schema.ORDERS.sheet]
    assert orders.data_validations.dataValidation, "status/currency drop-downs"
    assert orders.conditional_formatting, "rows coloured by flag"
    cal = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(schema.CALENDAR.sheet)
    rows = cal.to_python()
    assert {r[0] for r in rows[1:]} >= set(schema.COUNTRIES)
    # 2026-01-04 (a Sunday) was a CN makeup working day; 2026-10-01 a CN holiday.
    cn = {(str(r[1])[:10], r[2]) for r in rows[1:] if r[0] == "CN"}
    assert ("2026-01-04", schema.MAKEUP_WORKDAY) in cn
    assert ("2026-10-01", schema.HOLIDAY) in cn


def test_new_refuses_to_overwrite_and_other_formats(tmp_path):
    path = tmp_path / "master.xlsx"
    assert main(["new", str(path)]) == 0
    proc = run("new", str(path))
    assert proc.returncode == 1 and "exists" in proc.stderr and "Traceback" not in proc.stderr
    proc = run("new", str(tmp_path / "m.xls"))
    assert proc.returncode == 1 and ".xlsm" in proc.stderr


def test_new_xlsm_has_macros_and_the_same_tables(tmp_path):
    path = tmp_path / "master.xlsm"
    proc = run("new", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["macros"] is True
    wb = openpyxl.load_workbook(path, keep_vba=True)
    assert wb.vba_archive is not None and "xlwings.conf" in wb.sheetnames
    for spec in schema.TABLES.values():
        assert spec.name in wb[spec.sheet].tables


def test_usage_error_exits_2():
    assert run("refresh").returncode == 2
    assert run("frobnicate").returncode == 2


def test_missing_and_corrupt_workbook_give_clear_errors(tmp_path):
    proc = run("refresh", str(tmp_path / "nope.xlsx"), "--json")
    assert proc.returncode == 1 and "nope.xlsx" in proc.stderr and "Traceback" not in proc.stderr
    assert json.loads(proc.stdout)["ok"] is False
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"this is not a zip file")
    proc = run("refresh", str(bad))
    assert proc.returncode == 1 and "corrupt" in proc.stderr and "bad.xlsx" in proc.stderr


def test_refresh_json_has_every_flag(demo_master):
    proc = run("refresh", str(demo_master), "--as-of", AS_OF.isoformat(), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out["counts"]) == set(Flag)
    assert sum(out["counts"].values()) == out["lines"] == 240
    assert out["counts"]["LATE"] > 0 and out["counts"]["SHIPPED"] > 0


def test_export_orders_matches_workbook(demo_master, tmp_path):
    out = tmp_path / "orders.csv"
    assert main(["export", str(demo_master), "--table", "orders", "--out", str(out)]) == 0
    with open(out, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 240
    assert set(schema.ORDERS.names) <= set(rows[0])
    assert {r["flag"] for r in rows} <= set(Flag)
    wb = openpyxl.load_workbook(demo_master, read_only=True)
    ws = wb[schema.ORDERS.sheet]
    first = [c.value for c in next(ws.iter_rows(min_row=2, max_row=2))]
    assert rows[0]["po_no"] == first[0]
    assert rows[0]["flag"] == Flag.read(first[schema.ORDERS.names.index("flag")])


def _order_cells(path) -> list[tuple]:
    """(PO, Line, Qty) of every Orders row as saved: the Line cell's own value and type."""
    ws = openpyxl.load_workbook(path, read_only=True)[schema.ORDERS.sheet]
    at = [schema.ORDERS.names.index(name) for name in ("po_no", "line", "qty")]
    return [tuple(row[i] for i in at) for row in ws.iter_rows(min_row=2, values_only=True) if row[0] is not None]


def test_load_reads_a_line_as_a_line_number_and_keeps_the_line_cell(demo_master, tmp_path):
    """`gendan load` of an ERP export spelling line 1 six ways updates line 1 of each PO
    (``1.0``, ``1.00`` and ``Line 1`` were appended beside it, its qty counted twice; ``01``, ``#1`` and
    ``１`` rewrote its Line cell); every Line cell of the master is left as it was."""
    spellings = dict(zip([f"PO-26000{n}" for n in range(1, 7)], ["1.0", "1.00", "Line 1", "01", "#1", "１"]))
    erp = tmp_path / "erp.csv"
    erp.write_text("PO No.,Line,Qty\n" + "".join(f"{po},{line},{9000 + i}\n" for i, (po, line) in
                                               enumerate(spellings.items())), encoding="utf-8")
    before = _order_cells(demo_master)
    proc = run("load", str(demo_master), str(erp), "--as-of", AS_OF.isoformat(), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert (out["added"], out["updated_lines"], out["issues"]) == (0, 6, 0)
    after = _order_cells(demo_master)
    assert [(po, line) for po, line, _ in after] == [(po, line) for po, line, _ in before]
    qty = {(po, line): q for po, line, q in after}
    assert [qty[(po, 1)] for po in spellings] == [9000 + i for i in range(6)]


def test_export_unknown_table(demo_master, tmp_path):
    proc = run("export", str(demo_master), "--table", "nope", "--out", str(tmp_path / "x.csv"))
    assert proc.returncode == 1 and "unknown table" in proc.stderr


def test_demo_command(tmp_path):
    n = 25
    proc = run("demo", str(tmp_path / "d"), "--orders", str(n), "--as-of", AS_OF.isoformat(), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["lines"] == n
    assert (tmp_path / "d" / "master.xlsx").exists()


def _as_seen(value):
    """A cell as a person sees it: numbers to the 4 decimals the sheets show at most."""
    return round(value, 4) if isinstance(value, float) else value


def test_bundled_demo_is_reproducible(tmp_path):
    """workbooks/demo is what `gendan demo --as-of 2026-11-26` builds (regenerate: make workbooks):
    every sheet of the master cell by cell, as a person sees it, and the same files."""
    from pathlib import Path

    from gendan_xl.demo.build import build_demo
    build_demo(tmp_path / "d", as_of=AS_OF)
    bundled = Path(__file__).resolve().parents[1] / "workbooks" / "demo"
    ours = python_calamine.CalamineWorkbook.from_path(str(bundled / "master.xlsx"))
    theirs = python_calamine.CalamineWorkbook.from_path(str(tmp_path / "d" / "master.xlsx"))
    assert ours.sheet_names == theirs.sheet_names
    for name in ours.sheet_names:
        seen = [[_as_seen(v) for v in row] for row in ours.get_sheet_by_name(name).to_python()]
        built = [[_as_seen(v) for v in row] for row in theirs.get_sheet_by_name(name).to_python()]
        assert seen == built, name
    files = sorted(p.relative_to(bundled) for p in bundled.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "d") for p in (tmp_path / "d").rglob("*")
                           if p.is_file() and p.name != "master.bak.xlsx")


def test_weekly_report_compares_with_the_last_report(demo_master):
    import datetime as dt
    later = AS_OF + dt.timedelta(days=7)
    first = json.loads(run("refresh", str(demo_master), "--as-of", AS_OF.isoformat(), "--json").stdout)
    second = json.loads(run("refresh", str(demo_master), "--as-of", later.isoformat(), "--json").stdout)
    assert second["previous"] == {"as_of": AS_OF.isoformat(), "counts": first["counts"]}
    again = json.loads(run("refresh", str(demo_master), "--as-of", later.isoformat(), "--json").stdout)
    assert again["previous"] == second["previous"]      # a re-run the same day keeps the comparison
    rows = python_calamine.CalamineWorkbook.from_path(str(demo_master)).get_sheet_by_name(
        "周报 Weekly Report").to_python()
    header = next(r for r in rows if r[0] == "预警 Flag")
    assert header[3] == f"上次 Previous {AS_OF.isoformat()}" and header[4] == "变化 Change"
    late = next(r for r in rows if str(r[0]).startswith("LATE "))
    assert late[4] == second["counts"]["LATE"] - first["counts"]["LATE"]


def test_weekly_report_charts_are_reused_across_refreshes(demo_master):
    import re
    import zipfile
    for day in (1, 2):
        assert main(["refresh", str(demo_master), "--as-of", AS_OF.replace(day=day).isoformat()]) == 0
    with zipfile.ZipFile(demo_master) as zf:
        names = zf.namelist()
        assert [n for n in names if n.startswith("xl/charts/chart")] == ["xl/charts/chart1.xml",
                                                                          "xl/charts/chart2.xml"]
        assert [n for n in names if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n)] == ["xl/drawings/drawing1.xml"]
        chart = zf.read("xl/charts/chart1.xml").decode()
        types = zf.read("[Content_Types].xml").decode()
    assert "drawingml.chart+xml" in types and "'周报 Weekly Report'!$A$" in chart
    out = json.loads(run("refresh", str(demo_master), "--as-of", AS_OF.replace(day=2).isoformat(), "--json").stdout)
    cache = re.search(r"<c:numCache>.*?</c:numCache>", chart, re.S).group(0)
    cached = [int(v) for v in re.findall(r"<c:v>(\d+)</c:v>", cache)]
    assert cached == list(out["counts"].values())
    wb = openpyxl.load_workbook(demo_master)
    assert len(wb["周报 Weekly Report"]._charts) == 2   # the flags, and the trend (tests/test_history.py)


def test_bad_setting_names_workbook_sheet_row_and_value(tmp_path):
    path = tmp_path / "master.xlsx"
    assert main(["new", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    wb[schema.SETTINGS.sheet]["B2"] = "three"
    wb.save(path)
    proc = run("refresh", str(path))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    for part in ("master.xlsx", schema.SETTINGS.sheet, "row 2", "'three'", "at_risk_wd"):
        assert part in proc.stderr, part


def test_bad_setting_after_a_blank_row_names_its_excel_row(tmp_path):
    path = tmp_path / "master.xlsx"
    assert main(["new", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    ws = wb[schema.SETTINGS.sheet]
    keys = [ws.cell(row, 1).value for row in range(1, ws.max_row + 1)]
    bad_row = keys.index("amount_tolerance") + 1
    assert bad_row > 3
    for column in (1, 2, 3):             # the row above it left blank
        ws.cell(bad_row - 1, column).value = None
    ws.cell(bad_row, 2).value = "lots"
    wb.save(path)
    proc = run("refresh", str(path))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"row {bad_row}," in proc.stderr and "'lots'" in proc.stderr, proc.stderr


def test_bad_calendar_row_after_a_blank_row_names_its_excel_row(tmp_path):
    path = tmp_path / "master.xlsx"
    assert main(["new", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    ws = wb[schema.CALENDAR.sheet]
    for column in range(1, 6):           # row 10 left blank
        ws.cell(10, column).value = None
    ws.cell(20, 3).value = "HALF DAY"
    wb.save(path)
    proc = run("refresh", str(path))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "row 20," in proc.stderr and "'HALF DAY'" in proc.stderr, proc.stderr


def test_json_keys_follow_each_result_with_left_out_parts_absent_and_the_notes_last(demo_master, tmp_path):
    """``as_json``: one object per result, its fields in order; a dry run has no refresh or backup, a
    history without --drop no backup, and the lock's notes close every written master's object."""
    def keys(*args: str) -> list[str]:
        proc = run(*args, "--json")
        assert proc.returncode == 0, proc.stderr
        return list(json.loads(proc.stdout))

    listed = keys("history", str(demo_master))
    assert listed == ["ok", "workbook", "reports", "dropped", "notes"]
    dropped = keys("history", str(demo_master), "--drop", AS_OF.isoformat())
    assert dropped == ["ok", "workbook", "reports", "dropped", "backup", "notes"]
    progress = tmp_path / "progress.csv"
    progress.write_text("PO号,行号,预计完成\nPO-000000,1,2027-01-08\n", encoding="utf-8")
    dry = keys("sync", str(demo_master), str(progress), "--dry-run", "--as-of", AS_OF.isoformat())
    assert dry == ["ok", "workbook", "dry_run", "files", "changed_values", "issues", "issue_rows", "issues_total",
                   "changes", "notes"]
    synced = keys("sync", str(demo_master), str(progress), "--as-of", AS_OF.isoformat())
    assert synced[-6:] == ["issues_total", "refresh", "change_log_rows", "import_issue_rows", "backup", "notes"]
    assert "changes" not in synced
