"""This PC's xlwings user config and the Python it names for Excel.

xlwings' VBA (``GetConfig``) reads a key from the workbook's ``xlwings.conf`` sheet, else from the
user config file (``GetConfigFilePath``: ``%USERPROFILE%\\.xlwings\\xlwings.conf`` on Windows,
``~/Library/Containers/com.microsoft.Excel/Data/xlwings.conf`` on macOS, where Excel's sandbox
lives). The file is read with VBA's ``Input #``: one ``"KEY","VALUE"`` line per key, the key
compared without case, in the PC's ANSI code page. The interpreter is the one key that differs
from PC to PC, so it lives here and never in a workbook.
"""

from __future__ import annotations

import locale
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.ooxml.files import write_atomically

_LINE = re.compile(r'^\s*"([^"]*)"\s*(?:,\s*"([^"]*)")?')
PROBE = "import gendan_xl, xlwings; print(gendan_xl.__version__, xlwings.__version__)"
PROBE_SECONDS = 120


def config_path(home: Path, platform: str = sys.platform) -> Path:
    """Where xlwings' VBA looks for the user config of the user whose home folder is ``home``."""
    if platform == "darwin":
        return home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / "xlwings.conf"
    return home / ".xlwings" / "xlwings.conf"


def interpreter_key(platform: str = sys.platform) -> str:
    """The key RunPython reads the interpreter from on this platform (elsewhere: xlwings' own
    platform-neutral fallback, ``INTERPRETER``, as no Excel runs there)."""
    if platform.startswith("win"):
        return "INTERPRETER_WIN"
    return "INTERPRETER_MAC" if platform == "darwin" else "INTERPRETER"


def this_interpreter(platform: str = sys.platform, executable: str = sys.executable) -> str:
    """The Python running gendan, as Excel should start it: ``pythonw.exe`` (no console window)
    beside it on Windows."""
    if platform.startswith("win"):
        windowless = Path(executable).with_name("pythonw.exe")
        return str(windowless if windowless.exists() else executable)
    return executable


def encoding(platform: str = sys.platform) -> str:
    """The file's encoding: the ANSI code page VBA reads text files in on Windows, else UTF-8."""
    return locale.getencoding() if platform.startswith("win") else "utf-8"


def read(path: Path, platform: str = sys.platform) -> dict[str, str]:
    """The keys of a user config file as written there, each with its value ({} when there is none)."""
    return {key: value for key, value, _ in _lines(path, platform) if key is not None}


def lookup(config: dict[str, str], key: str) -> str | None:
    """The value of ``key`` compared without case, as xlwings' VBA looks it up."""
    return next((value for k, value in config.items() if k.lower() == key.lower()), None)


def write(path: Path, settings: dict[str, str], platform: str = sys.platform) -> list[str]:
    """Set ``settings`` in the user config ``path``, every other line kept as it is; written
    atomically. Returns the keys that were already there and kept."""
    wanted = {key.lower() for key in settings}
    kept, lines = [], []
    for key, _, line in _lines(path, platform):
        if key is None or key.lower() not in wanted:
            lines.append(line)
            if key is not None:
                kept.append(key)
    for key, value in settings.items():
        if '"' in key + value or "\n" in key + value:
            raise GendanError("设置值不能含双引号或换行 a setting cannot hold a double quote or a line break",
                              file=path, value=value, code=ErrorCode.SETUP_FAILED)
        lines.append(f'"{key}","{value}"')
    text = "".join(line + "\n" for line in lines)
    try:
        data = text.encode(encoding(platform))
    except UnicodeEncodeError as exc:
        raise GendanError("路径含有此电脑的代码页无法表示的字符，Excel 的 VBA 读不到 the path holds a character this "
                          "PC's code page cannot write, so Excel's VBA could not read it", file=path,
                          value=exc.object[exc.start:exc.end], code=ErrorCode.SETUP_FAILED,
                          expected="gendan installed in a folder whose path has only such characters") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, lambda temporary: Path(temporary).write_bytes(data),
                     failure="无法写入 xlwings 用户配置 cannot write the xlwings user config")
    return kept


def _lines(path: Path, platform: str) -> list[tuple[str | None, str, str]]:
    """Each line of the file: its key (None for a line that holds none), value and text."""
    if not path.is_file():
        return []
    try:
        text = path.read_bytes().decode(encoding(platform))
    except UnicodeDecodeError as exc:
        raise GendanError("xlwings 用户配置无法读取 the xlwings user config cannot be read (not in this PC's code "
                          "page)", file=path, code=ErrorCode.SETUP_FAILED) from exc
    out = []
    for line in text.splitlines():
        found = _LINE.match(line)
        out.append((found.group(1), found.group(2) or "", line) if found else (None, "", line))
    return out


@dataclass(frozen=True)
class Probe:
    """What running an interpreter told: whether it imports gendan_xl, and the versions it has."""

    ok: bool
    gendan: str | None = None
    xlwings: str | None = None
    error: str | None = None


def probe(interpreter: str) -> Probe:
    """Run ``interpreter -c "import gendan_xl, xlwings"`` and read the versions it prints; in the
    interpreter's folder, so a gendan_xl in the current folder (a clone) does not count."""
    if not Path(interpreter).is_file():
        return Probe(False, error="不存在 not found")
    try:
        done = subprocess.run([interpreter, "-c", PROBE], capture_output=True, text=True, timeout=PROBE_SECONDS,
                              cwd=Path(interpreter).parent)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Probe(False, error=str(exc))
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        return Probe(False, error=last)
    words = done.stdout.split()
    return Probe(True, *(words + [None, None])[:2])


def xlwings_dll(interpreter: str, version: str) -> Path | None:
    """The xlwings DLL of ``version`` (64- or 32-bit Office's) where xlwings' VBA (``XLPyLoadDLL``)
    looks for it: beside the interpreter, then one folder up (a virtual environment's ``Scripts``);
    None when in neither."""
    folder = Path(interpreter).parent
    return next((f / f"xlwings{bits}-{version}.dll" for f in (folder, folder.parent) for bits in (64, 32)
                 if (f / f"xlwings{bits}-{version}.dll").is_file()), None)
