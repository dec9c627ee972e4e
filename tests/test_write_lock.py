"""Two writers never lose each other's work: real `gendan` processes on one master at once, a holder
killed with SIGKILL, a live holder, and masters Excel or LibreOffice has open.

Every run here is a real process; the master is read back with openpyxl.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from conftest import AS_OF
from gendan_xl.model.words import field_code
from gendan_xl.model import schema
from gendan_xl.excel import ribbon
from gendan_xl.store.lock import lock_path
from gendan_xl.store.master import MasterWorkbook
from xlwings_memory_engine import open_book

A_ETA, B_ETA = dt.datetime(2027, 1, 15), dt.datetime(2027, 2, 20)
TRIALS = int(os.environ.get("GENDAN_LOCK_TRIALS", "5"))   # more: GENDAN_LOCK_TRIALS=20 pytest ...


def gendan(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "gendan_xl.cli", *args, "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen) -> tuple[int, dict, str]:
    out, err = proc.communicate(timeout=300)
    return proc.returncode, json.loads(out), err


def sheet_rows(master: Path, spec: schema.Table) -> list[dict]:
    """A table's rows by its headers, read by openpyxl (not by gendan)."""
    wb = openpyxl.load_workbook(master, read_only=True)
    rows = wb[spec.sheet].iter_rows(values_only=True)
    headers = next(rows)
    names = {f.header: f.name for f in spec.fields}
    table = [{names.get(h, h): v for h, v in zip(headers, row)} for row in rows if any(v is not None for v in row)]
    wb.close()
    return table


def set_setting(master: Path, key: str, value) -> None:
    wb = MasterWorkbook(master)
    settings = wb.read(schema.SETTINGS)
    frame = settings.frame.copy().astype({"value": object})
    frame.loc[frame["key"] == key, "value"] = value
    wb.write(settings, frame, ["value"])
    wb.save()


@pytest.fixture
def supplier_files(demo_master, tmp_path) -> tuple[Path, Path, list, list]:
    """Two supplier files, each moving the ETA of ten different open lines."""
    open_lines = [(r["po_no"], r["line"]) for r in sheet_rows(demo_master, schema.ORDERS) if r["ship_date"] is None]
    a_lines, b_lines = open_lines[:10], open_lines[10:20]
    files = []
    for name, lines, eta, produced in (("a.csv", a_lines, A_ETA, 111), ("b.csv", b_lines, B_ETA, 222)):
        path = tmp_path / name
        path.write_text("PO,Line,ETA,Produced qty\n" + "".join(
            f"{po},{line},{eta:%Y-%m-%d},{produced}\n" for po, line in lines), encoding="utf-8")
        files.append(path)
    return files[0], files[1], a_lines, b_lines


def applied(master: Path, lines: list, eta: dt.datetime, file: str) -> tuple[bool, bool]:
    """Whether every line has the file's ETA, and whether the Change Log has the file's ETA rows."""
    orders = {(r["po_no"], r["line"]): r for r in sheet_rows(master, schema.ORDERS)}
    values = all(orders[key]["eta"] == eta for key in lines)
    logged = {r["order_key"] for r in sheet_rows(master, schema.CHANGE_LOG) if r["file"] == file and field_code(r["field"]) == "eta"}
    return values, len(logged) == len(lines)


def refused_naming_the_holder(code: int, result: dict, err: str) -> bool:
    return (code == 1 and not result["ok"] and "being written by another gendan" in err
            and f"@{socket.gethostname()}, pid " in err and "Traceback" not in err)


@pytest.mark.parametrize("wait", [None, 0], ids=["default-wait", "no-wait"])
def test_two_syncs_at_once_never_lose_an_update(demo_master, supplier_files, tmp_path, wait):
    a_file, b_file, a_lines, b_lines = supplier_files
    if wait is not None:
        set_setting(demo_master, "lock_wait_seconds", wait)
    outcomes = []
    for trial in range(TRIALS):
        master = tmp_path / f"trial{trial}.xlsx"
        shutil.copy(demo_master, master)
        procs = [gendan("sync", str(master), str(f), "--as-of", AS_OF.isoformat()) for f in (a_file, b_file)]
        results = [finish(p) for p in procs]
        for (code, result, err), lines, eta, file in zip(results, (a_lines, b_lines), (A_ETA, B_ETA),
                                                         ("a.csv", "b.csv")):
            if code == 0:
                assert applied(master, lines, eta, file) == (True, True), (trial, file, err)
            else:
                assert refused_naming_the_holder(code, result, err), err
                assert applied(master, lines, eta, file) == (False, False)
        assert any(code == 0 for code, _, _ in results)
        outcomes.append(tuple(code for code, _, _ in results))
        assert not lock_path(master).exists()
    print(f"wait={wait}: exit codes per trial {outcomes}: {TRIALS} of {TRIALS} with no lost update")
    if wait is None:   # the default wait outlasts a small sync: the second one runs after the first
        assert outcomes == [(0, 0)] * TRIALS


def test_a_sync_and_a_refresh_at_once_keep_the_sync(demo_master, supplier_files, tmp_path):
    a_file, _, a_lines, _ = supplier_files
    for trial in range(TRIALS):
        master = tmp_path / f"trial{trial}.xlsx"
        shutil.copy(demo_master, master)
        procs = [gendan("sync", str(master), str(a_file), "--as-of", AS_OF.isoformat()),
                 gendan("refresh", str(master), "--as-of", (AS_OF + dt.timedelta(days=1)).isoformat())]
        (sync_code, _, err), (refresh_code, _, _) = [finish(p) for p in procs]
        assert (sync_code, refresh_code) == (0, 0), err
        assert applied(master, a_lines, A_ETA, "a.csv") == (True, True), trial


def test_a_sigkilled_holder_leaves_a_lock_the_next_run_breaks_with_a_note(demo_master):
    lock = lock_path(demo_master)
    proc = gendan("refresh", str(demo_master), "--as-of", AS_OF.isoformat())
    while proc.poll() is None and not lock.exists():
        time.sleep(0.005)
    assert lock.exists(), "the refresh finished before its lock was seen"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert json.loads(lock.read_text(encoding="utf-8"))["pid"] == proc.pid   # left behind
    code, result, err = finish(gendan("refresh", str(demo_master), "--as-of", AS_OF.isoformat()))
    assert code == 0, err
    (note,) = result["notes"]
    assert f"broke a stale lock on {demo_master.name}" in note and f"its process {proc.pid} has ended" in note
    assert note in err and "Traceback" not in err
    assert not lock.exists()


HOLDER = """
import sys
from gendan_xl.store import lock
lock.TOUCH_SECONDS = float(sys.argv[2])
with lock.MasterLock(sys.argv[1], command="sync", limits=lambda: (0, 60)):
    print("held", flush=True)
    sys.stdin.read()
"""


def hold(master: Path, touch_seconds: float = 3600) -> subprocess.Popen:
    """A real process holding the master's lock (touching it every ``touch_seconds``) until its stdin closes."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(master), str(touch_seconds)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "held\n"
    return proc


@pytest.fixture
def live_holder(demo_master):
    """A real process holding the master's lock until the test ends (and not touching it meanwhile)."""
    set_setting(demo_master, "lock_wait_seconds", 1)
    proc = hold(demo_master)
    yield proc
    proc.stdin.close()
    assert proc.wait(timeout=30) == 0


def test_the_holder_keeps_its_lock_fresh_while_it_works(demo_master):
    proc = hold(demo_master, touch_seconds=0.1)
    lock = lock_path(demo_master)
    os.utime(lock, (time.time() - 3600, time.time() - 3600))
    deadline = time.time() + 30
    while time.time() - lock.stat().st_mtime > 60 and time.time() < deadline:
        time.sleep(0.05)
    assert time.time() - lock.stat().st_mtime < 60
    proc.stdin.close()
    assert proc.wait(timeout=30) == 0
    assert not lock.exists()


@pytest.mark.parametrize("command", ["load", "reconcile", "new"])
def test_every_writing_command_takes_the_lock(demo_master, live_holder, supplier_files, command):
    before = demo_master.read_bytes()
    args = {"load": ["load", str(demo_master), str(supplier_files[0])],
            "reconcile": ["reconcile", str(demo_master), str(supplier_files[0]), "--party", "华美"],
            "new": ["new", str(demo_master), "--force"]}[command]
    code, result, err = finish(gendan(*args))
    assert refused_naming_the_holder(code, result, err), err
    assert demo_master.read_bytes() == before


def test_a_live_holder_makes_a_writer_wait_then_stop_naming_it(demo_master, live_holder):
    before = demo_master.read_bytes()
    code, result, err = finish(gendan("refresh", str(demo_master), "--as-of", AS_OF.isoformat()))
    assert refused_naming_the_holder(code, result, err), err
    assert f"{getpass.getuser()}@{socket.gethostname()}, pid {live_holder.pid}, sync, since " in err
    assert "lock file .~gendan.master.xlsx.lock" in err
    assert demo_master.read_bytes() == before
    live_holder.stdin.close()
    live_holder.wait(timeout=30)
    assert not lock_path(demo_master).exists()
    code, _, err = finish(gendan("refresh", str(demo_master), "--as-of", AS_OF.isoformat()))
    assert code == 0, err


def test_a_dry_run_reads_while_a_writer_holds_the_lock(demo_master, live_holder, supplier_files):
    code, result, err = finish(gendan("sync", str(demo_master), str(supplier_files[0]), "--dry-run"))
    assert code == 0 and result["changed_values"] == 20, err


def test_the_ribbon_takes_the_same_lock(demo_master, live_holder):
    book = open_book(demo_master)
    ribbon.run("refresh", book)
    (alert,) = book.app.impl.alerts
    assert alert["mode"] == "critical" and "being written by another gendan" in alert["prompt"]
    assert f"pid {live_holder.pid}, sync" in alert["prompt"]
    assert book.impl.saves == []


def test_the_ribbon_runs_when_the_lock_is_free_and_releases_it(demo_master):
    book = open_book(demo_master)
    ribbon.run("flag", book)
    (alert,) = book.app.impl.alerts
    assert alert["mode"] != "critical" and "Flags updated" in alert["prompt"], alert
    assert not lock_path(demo_master).exists()


def excel_owner_file(user: str) -> bytes:
    """Excel's ~$ owner file: length byte + ANSI name padded to 54 bytes, then length + UTF-16 name."""
    ansi = user.encode("cp1252", "replace")
    head = bytes([len(ansi)]) + ansi
    wide = len(user).to_bytes(2, "little") + user.encode("utf-16-le")
    return (head + b" " * (54 - len(head)) + wide).ljust(165, b" ")


@pytest.mark.parametrize("owner, content, who", [
    ("~$master.xlsx", excel_owner_file("王丽 Wang Li"), "open in Excel by 王丽 Wang Li"),
    ("~$master.xlsx", b"", "open in Excel;"),
    (".~lock.master.xlsx#", b",lily,office-pc,30.11.2026 09:12,file:///home/lily/.config/libreoffice/4;",
     "open in LibreOffice by lily@office-pc, since 30.11.2026 09:12"),
])
@pytest.mark.parametrize("command", ["sync", "refresh", "new"])
def test_a_master_open_in_excel_or_libreoffice_is_refused(demo_master, supplier_files, owner, content, who,
                                                          command):
    (demo_master.parent / owner).write_bytes(content)
    before = demo_master.read_bytes()
    args = {"sync": ["sync", str(demo_master), str(supplier_files[0])], "refresh": ["refresh", str(demo_master)],
            "new": ["new", str(demo_master), "--force"]}[command]
    code, result, err = finish(gendan(*args))
    assert code == 1 and not result["ok"] and who in err, err
    assert f"delete the owner file {owner}" in err and "Traceback" not in err
    assert demo_master.read_bytes() == before
    assert not lock_path(demo_master).exists()


def test_a_lock_nobody_touched_for_lock_stale_minutes_is_broken(demo_master, live_holder):
    set_setting(demo_master, "lock_stale_minutes", 2)   # the holder hung: its lock is 3 minutes old
    lock = lock_path(demo_master)
    os.utime(lock, (time.time() - 180, time.time() - 180))
    code, result, err = finish(gendan("refresh", str(demo_master), "--as-of", AS_OF.isoformat()))
    assert code == 0, err
    (note,) = result["notes"]
    assert f"pid {live_holder.pid}" in note and "not touched for over 2 minutes (lock_stale_minutes)" in note


def test_a_lock_from_another_host_is_judged_by_its_age_alone(demo_master):
    set_setting(demo_master, "lock_wait_seconds", 0.5)
    lock = lock_path(demo_master)
    lock.write_text(json.dumps({"user": "lily", "host": "office-pc", "pid": 999999, "since": "2026-11-30 09:00:00",
                                "command": "sync", "token": "x"}), encoding="utf-8")
    code, result, err = finish(gendan("refresh", str(demo_master)))
    assert code == 1 and "(lily@office-pc, pid 999999, sync, since 2026-11-30 09:00:00)" in err, err
    os.utime(lock, (time.time() - 3 * 3600, time.time() - 3 * 3600))   # default lock_stale_minutes: 60
    code, result, err = finish(gendan("refresh", str(demo_master)))
    assert code == 0 and "lily@office-pc" in result["notes"][0] and "over 60 minutes" in result["notes"][0], err


def test_the_lock_file_appears_whole_never_empty(demo_master):
    """The lock is linked into place already written: a watcher never sees it empty or half-written."""
    lock = lock_path(demo_master)
    proc = gendan("refresh", str(demo_master), "--as-of", AS_OF.isoformat())
    seen = []
    while proc.poll() is None:
        try:
            seen.append(lock.read_bytes())
        except FileNotFoundError:
            pass
    assert finish(proc)[0] == 0
    assert seen, "the refresh finished before its lock was seen"
    assert all(json.loads(content)["pid"] == proc.pid for content in seen)
    assert not list(demo_master.parent.glob(f"{lock.name}.*")), "a private lock file was left behind"


def test_an_empty_lock_left_by_a_killed_writer_is_broken_after_seconds(demo_master):
    set_setting(demo_master, "lock_wait_seconds", 30)
    lock = lock_path(demo_master)
    lock.write_bytes(b"")      # what a writer killed between creating and writing its lock leaves
    os.utime(lock, (time.time() - 20, time.time() - 20))
    code, result, err = finish(gendan("refresh", str(demo_master), "--as-of", AS_OF.isoformat()))
    assert code == 0, err
    (note,) = result["notes"]
    assert "empty or half-written" in note and "unknown holder" in note
    assert not lock.exists()


@pytest.mark.parametrize("kind", ["folder", "broken link"])
def test_a_lock_that_cannot_be_read_stops_after_the_wait_naming_it(demo_master, kind):
    """A folder (or a dangling link) where the lock file goes: judged unreadable, not waited on forever."""
    set_setting(demo_master, "lock_wait_seconds", 0.5)
    lock = lock_path(demo_master)
    if kind == "folder":
        lock.mkdir()
    else:
        lock.symlink_to(demo_master.parent / "gone")
    before = demo_master.read_bytes()
    proc = gendan("refresh", str(demo_master), "--as-of", AS_OF.isoformat())
    code, result, err = finish(proc)
    assert code == 1 and "the lock file cannot be read" in err and lock.name in err and "Traceback" not in err
    assert demo_master.read_bytes() == before


def test_a_symlinked_master_is_written_through_its_link(demo_master, tmp_path):
    """A shared folder's trick: the master is a link. The target gets the save and its backup; the link
    stays a link; Excel's owner file beside the link (where Excel opened it) is looked for."""
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "master.xlsx"
    shutil.move(demo_master, target)
    desk = tmp_path / "desk"
    desk.mkdir()
    link = desk / "主表 master.xlsx"
    link.symlink_to(target)
    before = target.read_bytes()
    code, result, err = finish(gendan("refresh", str(link), "--as-of", (AS_OF + dt.timedelta(days=7)).isoformat()))
    assert code == 0, err
    assert link.is_symlink() and link.resolve() == target
    assert target.read_bytes() != before and (shared / "master.bak.xlsx").read_bytes() == before
    assert not (desk / "主表 master.bak.xlsx").exists()
    (desk / ("~$" + link.name)).write_bytes(excel_owner_file("王丽 Wang Li"))
    code, result, err = finish(gendan("refresh", str(link)))
    assert code == 1 and "open in Excel by 王丽 Wang Li" in err
