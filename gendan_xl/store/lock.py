"""One writer at a time: the master's lock file for a whole read-modify-write, like Excel's owner file.

The lock is ``.~gendan.<master name>.lock`` beside the master (e.g. ``.~gendan.master.xlsx.lock``):
hidden on macOS and Linux, skipped by cloud-sync tools (they ignore names starting with ``.~``),
and never mistaken for Excel's ``~$master.xlsx`` or LibreOffice's ``.~lock.master.xlsx#``. It is
written whole to a private file first and then hard-linked to its name, which fails when the name
exists: atomic, and a killed writer never leaves an empty lock. Where the folder cannot hold hard
links (FAT, some shares) it is created with O_CREAT|O_EXCL instead. It holds one JSON line: user,
host, pid, since, command. Its holder touches it every 30 seconds while it works.

A second writer polls for ``wait`` seconds, then stops with a message naming the holder. A lock
whose process has ended on this host, or that nobody touched for ``stale_minutes``, is broken, and
the break is noted. Before any of that, a master that Excel or LibreOffice has open (its owner file
beside the master) is refused, naming the user when the owner file says.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.ooxml.files import os_cause, os_code

POLL_SECONDS = 0.2
TOUCH_SECONDS = 30
WRITING_SECONDS = 1        # a lock file younger than this may still be getting its holder written in
HALF_WRITTEN_SECONDS = 10  # writing a lock's one line takes microseconds: an older empty one was abandoned
GUARD_STALE_SECONDS = 10   # breaking a lock takes milliseconds: an older guard was left by a killed run
_EXCLUSIVE = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0)   # no newline translation
_HELD: dict[Path, int] = {}  # locks this process holds (re-entrant: a nested action does not wait on itself)


def lock_path(master: Path) -> Path:
    """``master.xlsx`` -> ``.~gendan.master.xlsx.lock`` beside it."""
    return master.with_name(f".~gendan.{master.name}.lock")


@dataclass(frozen=True)
class Holder:
    """Who holds a lock, as its file says."""

    user: str
    host: str
    pid: int
    since: str
    command: str

    def describe(self) -> str:
        return f"{self.user}@{self.host}, pid {self.pid}, {self.command}, since {self.since}"


class MasterLock:
    """``with MasterLock(master, command="sync", limits=...) as lock:`` — the write lock of ``master``.

    ``limits()`` gives (wait seconds, stale minutes); it is called only when another writer holds the
    lock. ``office=False`` skips the Excel/LibreOffice check (the ribbon runs inside Excel itself).
    ``notes`` lists what the caller should tell the user (a stale lock broken).
    """

    def __init__(self, master, *, command: str, limits: Callable[[], tuple[float, float]],
                 office: bool = True):
        self.given = Path(master).absolute()     # where the user (and Excel) opened it: maybe a link
        self.master = Path(master).resolve()   # one lock however the master is reached
        self.path = lock_path(self.master)
        self.command = command
        self.limits = limits
        self.office = office
        self.notes: list[str] = []
        self._content = b""
        self._stop = threading.Event()

    def __enter__(self) -> MasterLock:
        if self.master in _HELD:
            _HELD[self.master] += 1
            return self
        if self.office:
            for place in dict.fromkeys((self.given, self.master)):   # beside the link and its target
                refuse_if_open_in_office(place)
        self._acquire()
        _HELD[self.master] = 1
        threading.Thread(target=self._touch, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        _HELD[self.master] -= 1
        if _HELD[self.master]:
            return
        del _HELD[self.master]
        self._stop.set()
        if _read(self.path)[0] == self._content:  # never remove a lock that is no longer ours
            _unlink(self.path)

    # -- taking the lock -------------------------------------------------------------------------
    def _acquire(self) -> None:
        self._content = (json.dumps({
            "user": _user(), "host": socket.gethostname(), "pid": os.getpid(),
            "since": dt.datetime.now().replace(microsecond=0).isoformat(sep=" "),
            "command": self.command, "token": uuid.uuid4().hex}, ensure_ascii=False) + "\n").encode("utf-8")
        deadline, stale_minutes = None, None
        while not self._create():
            seen, age = _read(self.path)
            if deadline is None:
                wait, stale_minutes = self.limits()
                deadline = time.monotonic() + wait
            holder = None if seen is None else _holder(seen)
            reason = None if seen is None else _stale_reason(holder, age, stale_minutes, self.master)
            if seen is None and os.path.lexists(self.path) and time.monotonic() >= deadline:
                raise GendanError(
                    "锁文件无法读取 the lock file cannot be read (a folder, a broken link or no permission), so "
                    "gendan cannot tell whether another writer holds it; 若没有 gendan 在运行请删除它 if no "
                    "gendan is running, delete it", file=self.path, code=ErrorCode.MASTER_BUSY)
            if reason:
                self._break(seen, holder, reason)
            elif time.monotonic() >= deadline and (holder or age > WRITING_SECONDS):
                raise GendanError(
                    "主工作簿正被另一个 gendan 写入 the master workbook is being written by another gendan "
                    f"({holder.describe() if holder else '未知 unknown holder'}); 请稍后再试 try again when it "
                    f"has finished (锁文件 lock file {self.path.name})", file=self.master, code=ErrorCode.MASTER_BUSY)
            else:
                time.sleep(POLL_SECONDS)

    def _create(self) -> bool:
        """Create the lock file with our content; False when it exists already."""
        private = self.path.with_name(f"{self.path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}")
        try:
            private.write_bytes(self._content)
        except OSError:
            return self._create_exclusive()   # its error names the folder or the lock file
        try:
            os.link(private, self.path)
        except FileExistsError:
            return False
        except OSError:
            return self._create_exclusive()   # no hard links in this folder: O_EXCL
        else:
            return True
        finally:
            _unlink(private)

    def _create_exclusive(self) -> bool:
        """Create the lock file with O_CREAT|O_EXCL and write our content into it."""
        try:
            fd = os.open(self.path, _EXCLUSIVE, 0o666)
        except FileExistsError:
            return False
        except (FileNotFoundError, NotADirectoryError):   # no folder there, or a file in its place
            raise GendanError("目录不存在 folder does not exist", file=self.master.parent,
                              code=ErrorCode.FILE_NOT_FOUND) from None
        except OSError as exc:
            raise GendanError(f"无法创建锁文件 cannot create the lock file: {os_cause(exc)}",
                              file=self.path, code=os_code(exc)) from exc
        try:
            os.write(fd, self._content)
        except OSError as exc:
            os.close(fd)
            _unlink(self.path)
            raise GendanError(f"无法写入锁文件 cannot write the lock file: {os_cause(exc)}", file=self.path,
                              code=os_code(exc)) from exc
        os.close(fd)
        return True

    def _break(self, seen: bytes, holder: Holder | None, reason: str) -> None:
        """Remove a stale lock, unless it changed meanwhile. A guard file makes two writers that both
        found it stale take turns, so neither removes the fresh lock the other has just taken."""
        guard = self.path.with_name(self.path.name + ".break")
        try:
            os.close(os.open(guard, _EXCLUSIVE))
        except FileExistsError:
            if _read(guard)[1] > GUARD_STALE_SECONDS:
                _unlink(guard)
            time.sleep(POLL_SECONDS)
            return
        try:
            if _read(self.path)[0] == seen and _unlink(self.path):
                self.notes.append(f"已解除过期的锁 broke a stale lock on {self.master.name} held by "
                                  f"{holder.describe() if holder else '未知 unknown holder'}: {reason}")
        finally:
            _unlink(guard)

    def _touch(self) -> None:
        """Keep the lock's time fresh while the work runs, so only a lock nobody touches goes stale."""
        while not self._stop.wait(TOUCH_SECONDS):
            try:
                os.utime(self.path)
            except OSError:
                pass   # gone or broken: release will notice it is no longer ours


def _stale_reason(holder: Holder | None, age: float, stale_minutes: float, master: Path) -> str | None:
    """Why a lock is stale (None while its holder may still be working)."""
    if holder and holder.host == socket.gethostname():
        if holder.pid == os.getpid() and master not in _HELD:
            return "由本进程之前留下 left by this process earlier"
        if not _pid_alive(holder.pid):
            return f"进程 {holder.pid} 已结束 its process {holder.pid} has ended"
    if holder is None and age > HALF_WRITTEN_SECONDS:
        return f"锁文件为空或不完整 the lock file is empty or half-written, untouched for {age:.0f} s"
    if age > stale_minutes * 60:
        return f"超过 {stale_minutes:g} 分钟未更新 not touched for over {stale_minutes:g} minutes (lock_stale_minutes)"
    return None


def _holder(content: bytes) -> Holder | None:
    try:
        data = json.loads(content.decode("utf-8"))
        return Holder(str(data["user"]), str(data["host"]), int(data["pid"]), str(data["since"]),
                      str(data.get("command", "?")))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None    # half-written or not ours: judged by its age alone


def _read(path: Path) -> tuple[bytes | None, float]:
    """A file's bytes and age in seconds; (None, 0) when it is gone (or cannot be read right now)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(), time.time() - os.fstat(fh.fileno()).st_mtime
    except OSError:
        return None, 0.0


def _unlink(path: Path) -> bool:
    """Remove a file; whether this call removed it (on Windows a file another process is reading
    cannot be removed for a moment: retried briefly)."""
    for _ in range(20):
        try:
            os.unlink(path)
        except FileNotFoundError:
            return False
        except PermissionError:
            time.sleep(POLL_SECONDS / 4)
        else:
            return True
    return False


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:   # no login name in the environment (getpass raises various errors)
        return "?"


def _pid_alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine (when unsure: yes)."""
    if pid <= 0:
        return True
    if sys.platform.startswith("win"):
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True     # exists, owned by another user
    return True


def _windows_pid_alive(pid: int) -> bool:
    import ctypes
    from ctypes import wintypes
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    handle = kernel32.OpenProcess(0x1000, False, pid)   # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() == 5             # access denied: it exists
    try:
        code = wintypes.DWORD()
        return not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)) or code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


# -- Excel and LibreOffice ------------------------------------------------------------------------

def refuse_if_open_in_office(master: Path) -> None:
    """Stop when Excel (``~$<name>``) or LibreOffice (``.~lock.<name>#``) has the master open: what
    gendan saved would be overwritten by their next save, or lost when they keep their copy."""
    for app, owner, reader in (("Excel", master.with_name("~$" + master.name), _excel_user),
                               ("LibreOffice", master.with_name(f".~lock.{master.name}#"), _libreoffice_user)):
        if owner.exists():
            who = reader(owner)
            raise GendanError(
                f"工作簿已在 {app} 中打开 the workbook is open in {app}" + (f" by {who}" if who else "")
                + f"; 请先关闭 close it there first (if {app} is not running, delete the owner file "
                f"{owner.name})", file=master, code=ErrorCode.FILE_LOCKED)


def _excel_user(owner: Path) -> str | None:
    """The user name in Excel's owner file: a length byte and the name (ANSI) at the start, and at
    byte 54 a 2-byte length and the name in UTF-16. Best effort: None when it does not read."""
    data = _read(owner)[0] or b""
    if len(data) > 56:
        size = int.from_bytes(data[54:56], "little")
        name = data[56:56 + 2 * size].decode("utf-16-le", "replace").strip()
        if 0 < size <= 54 and name.isprintable() and "\ufffd" not in name:
            return name
    if data and 0 < data[0] < len(data):
        name = data[1:1 + data[0]].decode("cp1252", "replace").strip()
        if name.isprintable() and name:
            return name
    return None


def _libreoffice_user(owner: Path) -> str | None:
    """LibreOffice's lock file is one CSV line: full name, user, host, time, profile URL."""
    text = (_read(owner)[0] or b"").decode("utf-8", "replace")
    fields = [f.strip() for f in text.split(";")[0].split(",")]
    if len(fields) < 4:
        return None
    name = fields[0] or fields[1]
    return f"{name}@{fields[2]}, since {fields[3]}" if name else None
