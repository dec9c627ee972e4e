"""Writing a file safely, the one way every writer does: the mode a written file gets, the cause of an OS
error in words, and the atomic write (a temporary beside the target, synced, renamed over it)."""

from __future__ import annotations

import errno
import glob
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from gendan_xl.model.errors import ErrorCode, GendanError

_CAUSES = {
    errno.ENOSPC: "磁盘已满 disk full",
    errno.EDQUOT: "超出磁盘配额 disk quota exceeded",
    errno.EROFS: "只读文件系统 read-only file system",
    errno.EACCES: "无权限：文件被占用或只读 permission denied: the file is open in Excel, locked or read-only",
    errno.EPERM: "无权限：文件被占用或只读 permission denied: the file is open in Excel, locked or read-only",
    errno.ENOENT: "文件或文件夹不存在 no such file or folder",
    errno.EISDIR: "是文件夹，不是文件 is a folder, not a file",
    errno.ENOTDIR: "路径中有一项不是文件夹 a part of the path is not a folder",
    errno.EEXIST: "已存在 already exists",
    errno.ENAMETOOLONG: "文件名太长 file name too long",
}
_CODES = {
    errno.EACCES: ErrorCode.FILE_LOCKED,
    errno.EPERM: ErrorCode.FILE_LOCKED,
    errno.ENOENT: ErrorCode.FILE_NOT_FOUND,
    errno.EISDIR: ErrorCode.WRONG_PATH,
    errno.ENOTDIR: ErrorCode.WRONG_PATH,
}
STALE_SECONDS = 600


def os_cause(exc: OSError) -> str:
    """A bilingual cause for an OS error ("磁盘已满 disk full" for ENOSPC), else the system's own text."""
    return _CAUSES.get(exc.errno) or exc.strerror or str(exc) or type(exc).__name__


def os_code(exc: OSError) -> ErrorCode:
    """The code of an OS error: no permission, a missing path, a folder for a file; else FILE_ERROR."""
    return _CODES.get(exc.errno, ErrorCode.FILE_ERROR)


def file_mode(target: Path) -> int:
    """The permission bits a file written at ``target`` gets: an existing file keeps its own, a new
    one gets the user's normal mode (0666 less the umask), as any program creating a file would."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def backup_path_for(target: Path) -> Path:
    """``master.xlsx`` -> ``master.bak.xlsx`` (one rolling backup of the previous version)."""
    return target.with_name(target.stem + ".bak" + target.suffix)


def write_atomically(path, write: Callable[[str], None], *, backup: bool = False,
                     failure: str = "无法写入 cannot write the file") -> Path | None:
    """``write(temporary path)`` beside ``path``, then rename it over ``path``: a reader never sees a
    half-written file. A symbolic link is written through: its target is replaced, the link stays.

    The new file is written in full and synced first and gets ``file_mode`` of the target. With
    ``backup``, an existing target is then kept as ``backup_path_for(target)`` (``_previous``, then
    a rename) before the new file is moved into place, so a crash or a full disk at any point leaves
    the previous file and the previous backup whole. Returns the backup path (None
    without one). An OS error removes the temporaries and is a GendanError ``failure: cause`` naming
    the target. Temporaries an interrupted write left beside the target over ten minutes ago are
    removed afterwards.
    """
    target = Path(os.path.realpath(path)) if Path(path).is_symlink() else Path(path)
    temporaries: list[str] = []
    backup_path = None
    try:
        fresh = _temporary(target, temporaries)
        write(fresh)
        _sync(fresh)
        os.chmod(fresh, file_mode(target))
        if backup and target.exists():
            backup_path = backup_path_for(target)
            os.replace(_previous(target, temporaries), backup_path)
        os.replace(fresh, target)
    except OSError as exc:
        raise GendanError(f"{failure}: {os_cause(exc)}", file=target, code=os_code(exc)) from exc
    finally:
        for leftover in temporaries:
            try:
                os.unlink(leftover)
            except OSError:
                pass   # moved into place, or not removable: the stale cleanup retries later
    _remove_stale_temporaries(target)
    return backup_path


def _temporary(target: Path, made: list[str]) -> str:
    """A new empty temporary file beside ``target`` (recorded in ``made`` to be removed if left)."""
    fd, name = tempfile.mkstemp(prefix="." + target.stem + ".", suffix=".tmp", dir=target.parent)
    os.close(fd)
    made.append(name)
    return name


def _previous(target: Path, made: list[str]) -> str:
    """The file at ``target`` under a temporary name beside it, synced: a second hard link to it
    (nothing copied, no room needed: a large master saves faster), else — a file system without
    hard links, or a file linked elsewhere too, whose other names could change it — a copy with its
    mode and times."""
    kept = _temporary(target, made)
    linked = False
    if os.stat(target).st_nlink == 1:
        try:
            os.unlink(kept)
            os.link(target, kept)
            linked = True
        except OSError:
            pass   # no hard links here (FAT, some network shares): copy
    if not linked:
        shutil.copyfile(target, kept)
        shutil.copystat(target, kept)
    _sync(kept)
    return kept


def _sync(name: str) -> None:
    """Flush a written file's data to the disk."""
    with open(name, "rb+") as fh:
        os.fsync(fh.fileno())


def _remove_stale_temporaries(target: Path) -> None:
    """Delete temporary files an interrupted write (a killed process) left beside ``target``; only
    those older than ten minutes, so another gendan writing right now is not disturbed."""
    cutoff = time.time() - STALE_SECONDS
    for leftover in target.parent.glob("." + glob.escape(target.stem) + ".*.tmp"):
        try:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
        except OSError:
            pass   # gone already, or not ours to remove: nothing is lost either way
