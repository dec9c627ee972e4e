"""Nothing lost when the disk slips: a full disk, a refused rename or a quota during a save leave the
master and its backup as they were, with a clear message; new files get the user's normal mode."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from conftest import AS_OF
from gendan_xl import actions
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.store.lock import lock_path
from gendan_xl.ooxml.files import backup_path_for


def gendan(*args: str, umask: int | None = None) -> tuple[int, dict, str]:
    done = subprocess.run([sys.executable, "-m", "gendan_xl.cli", *args, "--json"], capture_output=True,
                          text=True, preexec_fn=None if umask is None else lambda: os.umask(umask))
    return done.returncode, json.loads(done.stdout), done.stderr


def leftovers(folder: Path) -> list[str]:
    """Everything in the folder but the master, its backup and the filler."""
    return sorted(p.name for p in folder.iterdir() if p.name not in ("master.xlsx", "master.bak.xlsx", "filler"))


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB tmpfs that a test can fill (mounting needs root, as in the CI container)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if not shutil.which("mount"):
        pytest.skip("no mount command: cannot make a small disk to fill")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"cannot mount a small tmpfs to fill (needs root): {done.stderr.strip()}")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


def fill(folder: Path, leave: int) -> None:
    """Fill the disk, then free ``leave`` bytes."""
    with open(folder / "filler", "wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
        size = fh.tell()
    os.truncate(folder / "filler", max(0, size - leave))


@pytest.mark.parametrize("room", ["none", "for half the new file"])
def test_a_full_disk_during_a_save_keeps_master_and_backup(demo_master, small_disk, room):
    master = small_disk / "master.xlsx"
    shutil.copy(demo_master, master)
    code, _, err = gendan("refresh", str(master), "--as-of", AS_OF.isoformat())
    assert code == 0, err
    master_bytes, backup_bytes = master.read_bytes(), backup_path_for(master).read_bytes()
    fill(small_disk, 16_384 if room == "none" else len(master_bytes) // 2)
    code, result, err = gendan("refresh", str(master), "--as-of", (AS_OF + dt.timedelta(days=1)).isoformat())
    assert code == 1 and "磁盘已满 disk full" in result["error"] and str(master) in result["error"], err
    assert result["code"] == "FILE_ERROR"
    assert "cannot save, the workbook was not changed" in err and "Traceback" not in err
    assert master.read_bytes() == master_bytes and backup_path_for(master).read_bytes() == backup_bytes
    assert leftovers(small_disk) == []          # no temporaries, no lock file
    (small_disk / "filler").unlink()
    code, _, err = gendan("refresh", str(master), "--as-of", (AS_OF + dt.timedelta(days=1)).isoformat())
    assert code == 0, err
    assert backup_path_for(master).read_bytes() == master_bytes   # the backup rotates after a good save
    openpyxl.load_workbook(master, read_only=True).close()


def test_room_for_the_new_file_is_enough_the_backup_is_the_previous_file_linked(demo_master, small_disk):
    master = small_disk / "master.xlsx"
    shutil.copy(demo_master, master)
    code, _, err = gendan("refresh", str(master), "--as-of", AS_OF.isoformat())
    assert code == 0, err
    master_bytes, inode = master.read_bytes(), master.stat().st_ino
    fill(small_disk, len(master_bytes) * 3 // 2)   # no room for a copy of the previous master too
    code, _, err = gendan("refresh", str(master), "--as-of", (AS_OF + dt.timedelta(days=1)).isoformat())
    assert code == 0, err
    backup = backup_path_for(master)
    assert backup.read_bytes() == master_bytes and backup.stat().st_ino == inode and backup.stat().st_nlink == 1
    assert master.read_bytes() != master_bytes and leftovers(small_disk) == []
    openpyxl.load_workbook(master, read_only=True).close()


@pytest.mark.parametrize("name", ["master.xlsx", "master.xlsm"])
def test_a_full_disk_during_new_is_a_clear_error(small_disk, name):
    fill(small_disk, 16_384)
    code, result, err = gendan("new", str(small_disk / name))
    assert code == 1 and "磁盘已满 disk full" in result["error"] and "Traceback" not in err, err
    assert result["code"] == "FILE_ERROR"
    assert leftovers(small_disk) == []


def failing(real, fails, exc: OSError):
    def call(*args):
        if fails(*args):
            raise exc
        return real(*args)
    return call


@pytest.mark.parametrize("patched, fails, exc, cause, code", [
    ("fsync", lambda fd: True, OSError(errno.EDQUOT, "Disk quota exceeded"), "超出磁盘配额 disk quota exceeded",
     ErrorCode.FILE_ERROR),
    ("replace", lambda src, dst: Path(dst).name == "master.xlsx",
     PermissionError(errno.EACCES, "Permission denied"), "permission denied: the file is open in Excel",
     ErrorCode.FILE_LOCKED),
    ("replace", lambda src, dst: Path(dst).name == "master.bak.xlsx",
     OSError(errno.EIO, "Input/output error"), "Input/output error", ErrorCode.FILE_ERROR),
])
def test_an_os_error_in_a_save_leaves_no_partial_file(demo_master, monkeypatch, patched, fails, exc, cause, code):
    actions.refresh(demo_master, as_of=AS_OF)
    master_bytes, backup_bytes = demo_master.read_bytes(), backup_path_for(demo_master).read_bytes()
    monkeypatch.setattr(os, patched, failing(getattr(os, patched), fails, exc))
    with pytest.raises(GendanError, match=cause) as caught:
        actions.refresh(demo_master, as_of=AS_OF + dt.timedelta(days=1))
    monkeypatch.undo()
    assert caught.value.code is code and caught.value.file == str(demo_master)
    assert demo_master.read_bytes() == master_bytes
    # the backup is the previous one, or (once it rotated) the master as it still is: never partial
    assert backup_path_for(demo_master).read_bytes() in (backup_bytes, master_bytes)
    assert leftovers(demo_master.parent) == []
    assert not lock_path(demo_master).exists()


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
@pytest.mark.parametrize("name", ["master.xlsx", "master.xlsm"])
def test_new_files_get_the_users_normal_mode(tmp_path, umask, name):
    master = tmp_path / name
    code, _, err = gendan("new", str(master), umask=umask)
    assert code == 0, err
    assert stat.S_IMODE(master.stat().st_mode) == 0o666 & ~umask


def test_an_existing_master_keeps_its_mode(tmp_path):
    master = tmp_path / "master.xlsx"
    assert gendan("new", str(master))[0] == 0
    master.chmod(0o640)
    assert gendan("new", str(master), "--force", umask=0o077)[0] == 0
    assert stat.S_IMODE(master.stat().st_mode) == 0o640
    code, _, err = gendan("refresh", str(master), umask=0o022)
    assert code == 0, err
    assert stat.S_IMODE(master.stat().st_mode) == 0o640
    assert stat.S_IMODE(backup_path_for(master).stat().st_mode) == 0o640
