"""File-system facts the writers share: the mode a written file gets, the cause of an OS error in words."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

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


def os_cause(exc: OSError) -> str:
    """A bilingual cause for an OS error ("磁盘已满 disk full" for ENOSPC), else the system's own text."""
    return _CAUSES.get(exc.errno) or exc.strerror or str(exc) or type(exc).__name__


def file_mode(target: Path) -> int:
    """The permission bits a file written at ``target`` gets: an existing file keeps its own, a new
    one gets the user's normal mode (0666 less the umask), as any program creating a file would."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomically(path: Path, write: Callable[[str], None]) -> None:
    """``write(temporary path)`` beside ``path``, then rename it over ``path``: a reader never sees a
    half-written file (a symbolic link is written through: its target is replaced, the link stays).
    The file is synced before the rename; it gets ``file_mode(path)``; an OS error is a GendanError
    naming ``path``."""
    from ..errors import GendanError

    path = Path(os.path.realpath(path)) if Path(path).is_symlink() else Path(path)
    fd, tmp = tempfile.mkstemp(prefix="." + path.stem + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, file_mode(path))
        os.replace(tmp, path)
    except OSError as exc:
        raise GendanError(f"无法写入 cannot write the file: {os_cause(exc)}", file=path) from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
