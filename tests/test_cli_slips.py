"""A user's slips never cost a workbook or show a traceback: export guards, bad paths, closed pipes.

Every case runs the real ``gendan`` command in a subprocess and checks the exit status, the
bilingual message and that nothing was overwritten.
"""

from __future__ import annotations

import csv
import json
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode
from gendan_xl.actions.export import csv_safe
from libreoffice import convert

GENDAN = [sys.executable, "-m", "gendan_xl"]


def gendan(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([*GENDAN, *map(str, args)], capture_output=True, text=True, cwd=cwd)


def assert_clean_error(proc: subprocess.CompletedProcess, *named: str) -> None:
    """Exit 1, one bilingual message (Chinese and English) naming ``named``, no traceback."""
    err = proc.stderr
    assert proc.returncode == 1, (proc.returncode, err)
    assert "Traceback" not in err and err.startswith("错误 error: ") and err.count("\n") == 1, err
    words = re.sub(r"\[.*\]", "", err.removeprefix("错误 error: "))   # the message without its location
    assert re.search(r"[\u4e00-\u9fff]", words) and re.search(r"[A-Za-z]{4,}", words), err
    for part in named:
        assert part in err, (part, err)


def set_cells(path, sheet: str, cells: dict[tuple[int, str], object], text: bool = False) -> None:
    """Type values into a saved workbook (row, field) as a user would in Excel."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    spec = next(t for t in schema.TABLES.values() if t.sheet == sheet)
    headers = [c.value for c in ws[1]]
    for (row, name), value in cells.items():
        cell = ws.cell(row, headers.index(spec.field(name).header) + 1)
        cell.value = value
        if text:
            cell.data_type = "s"      # kept as text, never a formula (what a supplier file brings in)
    wb.save(path)


def read_csv(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# -- export ------------------------------------------------------------------------------------

def test_export_never_writes_over_a_workbook_or_the_master(demo_master, tmp_path):
    master_bytes = demo_master.read_bytes()
    copy = tmp_path / "copy.csv"                 # a workbook under a csv name
    shutil.copy(demo_master, copy)
    link = tmp_path / "link.csv"                 # another name for the master
    link.symlink_to(demo_master)
    outs = [demo_master, f"{tmp_path}/./{demo_master.name}", link, copy,
            *(tmp_path / f"orders{suffix}" for suffix in (".xlsx", ".XLSM", ".xls", ".xlsb", ".ods", ".xltx"))]
    for out in outs:
        proc = gendan("export", demo_master, "--table", "orders", "--out", out)
        assert_clean_error(proc, str(Path(out)))
    assert demo_master.read_bytes() == master_bytes
    assert copy.read_bytes() == master_bytes
    assert not list(tmp_path.glob("orders.*"))


def test_export_escapes_formula_text_unless_raw(demo_master, tmp_path):
    planted = {"customer": "=1+1", "style": "-2+3", "description": "+SUM(1,2)", "remarks": "@SUM(1,2)",
               "supplier_remarks": "\t=1+1", "color": "=HYPERLINK(\"http://example.com\",\"x\")"}
    set_cells(demo_master, schema.ORDERS.sheet, {(2, f): v for f, v in planted.items()}, text=True)
    safe, raw = tmp_path / "safe.csv", tmp_path / "raw.csv"
    proc = gendan("export", demo_master, "--out", safe)
    assert proc.returncode == 0, proc.stderr
    assert f"{len(planted)} 个文本单元格" in proc.stdout
    assert gendan("export", demo_master, "--out", raw, "--raw").returncode == 0

    escaped, unchanged = read_csv(safe), read_csv(raw)
    assert {f: escaped[0][f] for f in planted} == {f: "'" + v for f, v in planted.items()}
    assert {f: unchanged[0][f] for f in planted} == planted
    late = [r for r in escaped if r["slack_wd"].startswith("-")]    # numbers are not text: never escaped
    assert late and all(re.fullmatch(r"-\d+", r["slack_wd"]) for r in late)
    assert escaped[1:] == unchanged[1:]

    # What a spreadsheet makes of each file: LibreOffice runs the raw text as formulas, never the escaped.
    def formulas(path) -> list:
        book = openpyxl.load_workbook(convert(path, "xlsx", tmp_path))
        return [c.value for row in book.active.iter_rows() for c in row if c.data_type == "f"]
    assert formulas(safe) == []
    assert "=1+1" in formulas(raw)


@pytest.mark.parametrize("text", ["=1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_csv_safe_prefixes_every_formula_start(text):
    assert csv_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["PO-1", "1-2", " =1", "＝1", "", None, -3, 2.5])
def test_csv_safe_leaves_other_values(value):
    assert csv_safe(value) == value


def test_export_after_a_fractional_qty(demo_master, tmp_path):
    set_cells(demo_master, schema.ORDERS.sheet, {(2, "qty"): 12.5, (3, "shipped_qty"): 0.25})
    assert gendan("refresh", demo_master).returncode == 0
    out = tmp_path / "orders.csv"
    proc = gendan("export", demo_master, "--out", out)
    assert proc.returncode == 0, proc.stderr
    rows = read_csv(out)
    assert (rows[0]["excel_row"], rows[0]["qty"]) == ("2", "12.5")
    assert (rows[1]["excel_row"], rows[1]["shipped_qty"]) == ("3", "0.25")
    assert all(re.fullmatch(r"\d+", r["qty"]) for r in rows[1:])     # whole numbers without ".0"


# -- paths that are folders, missing or not workbooks ---------------------------------------------

@pytest.fixture
def slips(tmp_path, demo_master):
    """Named paths for the cases: the demo master, a folder, a folder named like a workbook, ..."""
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder.xlsx").mkdir()
    (tmp_path / "notes.txt").write_text("not a workbook\n")
    (tmp_path / "text.xlsx").write_text("not a workbook\n")
    with zipfile.ZipFile(tmp_path / "zip.xlsx", "w") as zf:
        zf.writestr("hello.txt", "a zip, not a workbook")
    supplier = tmp_path / "supplier.csv"
    supplier.write_text("PO,Line,ETA\nPO-260001,1,2026-12-01\n")
    return {"master": demo_master, "folder": tmp_path / "folder", "folder_xlsx": tmp_path / "folder.xlsx",
            "missing": tmp_path / "missing.xlsx", "missing_csv": tmp_path / "missing.csv",
            "notes": tmp_path / "notes.txt", "text_xlsx": tmp_path / "text.xlsx", "zip_xlsx": tmp_path / "zip.xlsx",
            "supplier": supplier, "nodir_csv": tmp_path / "nodir" / "x.csv",
            "nodir_xlsx": tmp_path / "nodir" / "m.xlsx", "out": tmp_path / "out.csv", "demo": tmp_path / "demo"}


CASES = [  # command, the text the message must name ({placeholders}: the paths of `slips`), the error code
    ("refresh {folder_xlsx}", "folder.xlsx", ErrorCode.WRONG_PATH),
    ("refresh {folder}", "folder", ErrorCode.WRONG_FILE_TYPE),
    ("refresh {missing}", "missing.xlsx", ErrorCode.FILE_NOT_FOUND),
    ("refresh {notes}", "notes.txt", ErrorCode.WRONG_FILE_TYPE),
    ("refresh {text_xlsx}", "text.xlsx", ErrorCode.BAD_WORKBOOK),
    ("refresh {zip_xlsx}", "zip.xlsx", ErrorCode.BAD_WORKBOOK),
    ("export {folder_xlsx} --out {out}", "folder.xlsx", ErrorCode.WRONG_PATH),
    ("export {master} --out {nodir_csv}", "nodir", ErrorCode.FILE_NOT_FOUND),
    ("export {master} --out {folder}", "folder", ErrorCode.WRONG_PATH),
    ("load {master} {folder}", "folder", ErrorCode.WRONG_PATH),
    ("load {master} {missing_csv}", "missing.csv", ErrorCode.FILE_NOT_FOUND),
    ("load {master} {zip_xlsx}", "zip.xlsx", ErrorCode.BAD_WORKBOOK),
    ("load {folder_xlsx} {supplier}", "folder.xlsx", ErrorCode.WRONG_PATH),
    ("sync {master} {folder}", "folder", ErrorCode.WRONG_PATH),
    ("sync {master} {missing_csv}", "missing.csv", ErrorCode.FILE_NOT_FOUND),
    ("sync {master} {text_xlsx}", "text.xlsx", ErrorCode.BAD_WORKBOOK),
    ("sync {zip_xlsx} {supplier}", "zip.xlsx", ErrorCode.BAD_WORKBOOK),
    ("reconcile {master} {folder} --party 华美", "folder", ErrorCode.WRONG_PATH),
    ("reconcile {master} {missing_csv} --party 华美", "missing.csv", ErrorCode.FILE_NOT_FOUND),
    ("reconcile {master} {zip_xlsx} --party 华美", "zip.xlsx", ErrorCode.BAD_WORKBOOK),
    ("new {folder_xlsx} --force", "[file {folder_xlsx}]", ErrorCode.WRONG_PATH),
    ("new {nodir_xlsx}", "nodir", ErrorCode.FILE_NOT_FOUND),
    ("new {notes}/m.xlsx", "[file {notes}]", ErrorCode.FILE_NOT_FOUND),
    ("new {notes}/m.xlsm", "[file {notes}]", ErrorCode.FILE_NOT_FOUND),
    ("export {master} --out {notes}/x.csv", "notes.txt", ErrorCode.FILE_NOT_FOUND),
    ("export {master} --out /dev/full", "磁盘已满 disk full [file /dev/full]", ErrorCode.FILE_ERROR),
    ("demo {notes}", "notes.txt", ErrorCode.WRONG_PATH),
    ("demo {demo} --orders 0", "value 0", ErrorCode.BAD_OPTION),
    ("demo {demo} --orders -5", "value -5", ErrorCode.BAD_OPTION),
    ("demo {demo} --orders 2000000", "1,048,575", ErrorCode.BAD_OPTION),
    ("demo {demo} --seed -1", "value -1", ErrorCode.BAD_OPTION),
]


@pytest.mark.parametrize("command, named, code", CASES, ids=[c for c, _, _ in CASES])
def test_a_slip_is_a_clear_message_and_changes_nothing(slips, command, named, code):
    before = {p: p.read_bytes() for p in slips.values() if p.is_file()}
    args = [a.format(**slips) for a in shlex.split(command)]
    proc = gendan(*args, "--json")
    assert_clean_error(proc, named.format(**slips))
    message = proc.stderr.removeprefix("错误 error: ").rstrip("\n")
    assert json.loads(proc.stdout) == {"ok": False, "error": message, "code": code}
    assert {p: p.read_bytes() for p in before} == before
    assert slips["folder"].is_dir() and slips["folder_xlsx"].is_dir()
    assert not slips["out"].exists() and not slips["nodir_csv"].parent.exists() and not slips["demo"].exists()


def test_a_slip_with_json_is_one_json_object(slips):
    proc = gendan("refresh", slips["folder_xlsx"], "--json")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    out = json.loads(proc.stdout)
    assert out["ok"] is False and "folder.xlsx" in out["error"]


# -- output into a pipe whose reader has gone --------------------------------------------------------

def shell(command: str) -> tuple[str, str]:
    """Run ``command`` in bash; returns its stdout and stderr (stdout ends with gendan's status)."""
    proc = subprocess.run(["bash", "-c", command + '; echo "status ${PIPESTATUS[0]}"'],
                          capture_output=True, text=True)
    return proc.stdout, proc.stderr


def test_output_piped_into_head_stops_quietly(demo_master):
    prog = shlex.join(GENDAN)
    out, err = shell(f"{prog} export {shlex.quote(str(demo_master))} --out /dev/stdout | head -1")
    assert out.splitlines()[0].startswith("excel_row,po_no,line,")
    assert out.splitlines()[-1] == "status 141" and err == "", err      # more than a pipe's 64 KB, cut
    for flags in ("", "--json"):                 # the reader is gone before gendan prints its summary
        out, err = shell(f"{prog} refresh {shlex.quote(str(demo_master))} {flags} | true")
        assert out == "status 141\n" and err == "", err
    out, err = shell(f"{prog} refresh {shlex.quote(str(demo_master))} | head -1")
    assert re.fullmatch(r"\d+ 行 lines[^\n]*\nstatus (0|141)\n", out) and err == "", (out, err)   # a race: both fine


@pytest.mark.parametrize("args", [
    ["refresh", "{m}", "--as-of", "9999-12-31"], ["refresh", "{m}", "--as-of", "2262-04-12"],
    ["plan", "{m}", "--as-of", "9999-12-31"], ["chase", "{m}", "--as-of", "9999-12-31"],
    ["report", "{m}", "--customer", "Nordic Home AB", "--as-of", "0001-01-01"],
    ["backtest", "{m}", "--from", "0001-01", "--to", "9999-12"],
    ["backtest", "{m}", "--from", "2026-01", "--to", "2026-06", "--step-months", "0"],
])
def test_dates_and_numbers_at_the_extremes_are_usage_errors_naming_the_range(demo_master, args):
    before = demo_master.read_bytes()
    proc = gendan(*[a.format(m=demo_master) for a in args])
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert "out of range" in proc.stderr and ("1990-01-01 to 2099-12-31" in proc.stderr or "from 1 to" in proc.stderr)
    assert demo_master.read_bytes() == before


@pytest.mark.parametrize("key, value, command, expected", [
    ("chase_reply_wd", 10_000_000, ["chase", "{m}"], "0 to 260 working days"),
    ("report_shipped_days", 100_000_000, ["report", "{m}", "--customer", "Nordic Home AB"], "0 to 3660 days"),
    ("as_of", "2262-04-12", ["refresh", "{m}"], "1990-01-01 to 2099-12-31"),
    ("stale_wd", -1, ["chase", "{m}"], "a number >= 0"),
])
def test_a_setting_out_of_its_range_is_a_clear_error_naming_the_row(demo_master, key, value, command, expected):
    ws = openpyxl.load_workbook(demo_master)[schema.SETTINGS.sheet]
    row = next(c.row for c in ws["A"] if c.value == key)
    set_cells(demo_master, schema.SETTINGS.sheet, {(row, "value"): value})
    before = demo_master.read_bytes()
    proc = gendan(*[a.format(m=demo_master) for a in command])
    assert_clean_error(proc, key, schema.SETTINGS.sheet, expected)
    assert demo_master.read_bytes() == before
