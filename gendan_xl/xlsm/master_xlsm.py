"""The macro-enabled master: the ``.xlsx`` master plus an ``xlwings.conf`` sheet, VBA and the ribbon.

xlwings' VBA (``GetConfigFromSheet`` in xlwings.bas) reads the ``xlwings.conf`` sheet from A1
down to the first blank cell in column A: the key in column A (case-insensitive), its value in
column B, no header. A key present there overrides the user's ``~/.xlwings/xlwings.conf``, so only
keys with a value are written; the notes sit below a blank row, where xlwings stops reading.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.store.master import MasterWorkbook
from gendan_xl.sheets.sheet_render import SheetSpec
from gendan_xl.xlsm.xlsm import make_macro_enabled

CONFIG_SHEET = "xlwings.conf"
UDF_MODULES = "gendan_xl.excel.udfs"
_NOTES = (
    "xlwings 设置：A 列为键，B 列为值，从第 1 行起连续填写，空行以下不读。"
    " xlwings settings: key in column A, value in column B, from row 1 down to the first blank row.",
    "Interpreter_Win / Interpreter_Mac：装有 gendan-xl 的 Python；没有此行时使用 xlwings 用户配置或 PATH 上的 python。"
    " The Python that has gendan-xl installed; without this key, the xlwings user config or python on PATH.",
    "UDF Modules：“导入函数”按钮从这个模块导入 GD_* 函数。"
    " The Import functions button imports the GD_* functions from this module.",
)


def xlwings_config(platform: str = sys.platform, executable: str = sys.executable) -> dict[str, str]:
    """UDF Modules, plus this machine's interpreter when it is Windows or macOS (where Excel runs)."""
    config = {"UDF Modules": UDF_MODULES}
    if platform.startswith("win"):
        pythonw = Path(executable).with_name("pythonw.exe")
        config["Interpreter_Win"] = str(pythonw if pythonw.exists() else executable)
    elif platform == "darwin":
        config["Interpreter_Mac"] = executable
    return config


def config_sheet(config: dict[str, str]) -> SheetSpec:
    """The ``xlwings.conf`` sheet: key/value rows from A1, a blank row, then the notes."""
    spec = SheetSpec(CONFIG_SHEET, widths={1: 20, 2: 60}, fit_width=False)
    for row, (key, value) in enumerate(config.items(), start=1):
        spec.row(row, [key, value])
    for row, note in enumerate(_NOTES, start=len(config) + 2):
        spec.put(row, 1, note, "note")
    return spec


def write_macro_master(xlsx_path, xlsm_path, *, config: dict[str, str] | None = None) -> None:
    """Write ``xlsm_path`` (atomically) from the master ``xlsx_path``: add the ``xlwings.conf``
    sheet (``config`` defaults to :func:`xlwings_config`), the VBA project and the ribbon."""
    xlsm_path = Path(xlsm_path)
    if xlsm_path.suffix.lower() != ".xlsm":
        raise GendanError("启用宏的主工作簿必须是 .xlsm the macro-enabled master must be an .xlsm file",
                          file=xlsm_path, code=ErrorCode.WRONG_FILE_TYPE)
    with tempfile.TemporaryDirectory(dir=xlsm_path.parent, prefix=f".{xlsm_path.stem}.") as folder:
        staged = Path(folder) / "master.xlsx"
        workbook = MasterWorkbook(xlsx_path)
        workbook.replace_sheet(config_sheet(xlwings_config() if config is None else config))
        workbook.save(staged)
        make_macro_enabled(staged, xlsm_path)
