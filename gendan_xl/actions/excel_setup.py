"""gendan excel setup: once per PC, point xlwings' user config at the Python that runs gendan,
then check it (read back; that Python imports gendan_xl).

Only the interpreter is written: the UDF module is the workbook's own setting (its ``xlwings.conf``
sheet), and in the user config it would change every other xlwings workbook of the user.
"""

from __future__ import annotations

import sys
from pathlib import Path

from gendan_xl.actions.results import SetupResult
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.xlsm import user_config

CONDA_KEYS = ("CONDA PATH", "CONDA ENV")
MAC_SCRIPTS = Path("Library") / "Application Scripts" / "com.microsoft.Excel"


def setup(*, home=None, platform: str = sys.platform, executable: str = sys.executable) -> SetupResult:
    """Write this PC's xlwings user config (under ``home``, default the user's home folder) with
    this environment's interpreter, keeping every other key; then check what was written."""
    home = Path(home) if home is not None else Path.home()
    path = user_config.config_path(home, platform)
    key = user_config.interpreter_key(platform)
    interpreter = user_config.this_interpreter(platform, executable)
    kept = user_config.write(path, {key: interpreter}, platform)
    config = user_config.read(path, platform)
    if user_config.lookup(config, key) != interpreter:
        raise GendanError("写入后读回的设置不同 the setting read back differs from the one written", file=path,
                          value=user_config.lookup(config, key), expected=interpreter, code=ErrorCode.SETUP_FAILED)
    found = user_config.probe(interpreter)
    if not found.ok:
        raise GendanError("已写入设置，但该 Python 无法导入 gendan_xl the setting is written, but that Python "
                          f"cannot import gendan_xl ({found.error})", file=path, value=interpreter,
                          expected="gendan excel setup run in the environment where gendan is installed",
                          code=ErrorCode.SETUP_FAILED)
    return SetupResult(config=str(path), key=key, interpreter=interpreter, kept_keys=kept, gendan=found.gendan,
                       xlwings=found.xlwings, notes=_notes(config, home, platform, interpreter, found.xlwings))


def _notes(config: dict[str, str], home: Path, platform: str, interpreter: str, xlwings: str | None) -> list[str]:
    """What else this PC needs for Excel to run gendan's Python."""
    notes = []
    conda = [k for k in config if k.upper() in CONDA_KEYS and config[k]]
    if conda:
        notes.append(f"xlwings 会先激活 conda 环境 ({', '.join(conda)})，再启动上面的 Python xlwings activates the conda "
                     f"environment ({', '.join(conda)}) before it starts the Python above: remove those keys from "
                     "the user config if gendan is not installed there")
    if platform.startswith("win") and xlwings and user_config.xlwings_dll(interpreter, xlwings) is None:
        notes.append(f"找不到 xlwings {xlwings} 的 DLL no DLL of xlwings {xlwings} beside {interpreter}: "
                     f"reinstall it in this environment (pip install --force-reinstall xlwings=={xlwings})")
    if platform == "darwin" and xlwings and not (home / MAC_SCRIPTS / f"xlwings-{xlwings}.applescript").is_file():
        notes.append("请运行一次 run once: xlwings runpython install (lets Excel's VBA start Python)")
    return notes
