"""The macro-enabled master: the ``.xlsx`` master plus an ``xlwings.conf`` sheet, VBA and the ribbon.

xlwings' VBA (``GetConfigFromSheet`` in xlwings.bas) reads the ``xlwings.conf`` sheet, by its name,
hidden or not, from A1 down to the first blank cell in column A: the key in column A
(case-insensitive), its value in column B, no header. A key present there overrides the user's
``~/.xlwings/xlwings.conf``, so only keys with a value are written; the notes sit below a blank row,
where xlwings stops reading. The sheet holds no path of the PC that wrote it: the interpreter is
each PC's own, in its user config (``gendan excel setup``). The sheet is hidden and the last sheet.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.values import display_text, is_blank
from gendan_xl.store.master import CONFIG_SHEET, MasterWorkbook
from gendan_xl.sheets.sheet_render import SheetSpec
from gendan_xl.xlsm.xlsm import make_macro_enabled

__all__ = ["CONFIG_SHEET", "MACHINE_KEYS", "UDF_MODULES", "config_sheet", "machine_keys", "read_config",
           "write_macro_master", "xlwings_config"]

UDF_MODULES = "gendan_xl.excel.udfs"
# Keys of xlwings' settings that name a place on one PC (upper case, as xlwings compares them):
# they belong in that PC's user config, never in a workbook that travels.
MACHINE_KEYS = ("INTERPRETER_WIN", "INTERPRETER_MAC", "INTERPRETER", "CONDA PATH", "CONDA ENV", "PYTHONPATH")
_NOTES = (
    "xlwings 设置：A 列为键，B 列为值，从第 1 行起连续填写，空行以下不读。"
    " xlwings settings: key in column A, value in column B, from row 1 down to the first blank row.",
    "UDF Modules：单元格函数 GD_* 所在的 Python 模块。"
    " The Python module of the GD_* worksheet functions.",
    "Python 解释器不写在这里：每台电脑运行一次 gendan excel setup，写入该电脑的 xlwings 用户配置。"
    " The Python interpreter is not kept here: run gendan excel setup once per PC; it writes that PC's"
    " xlwings user config.",
)


def xlwings_config() -> dict[str, str]:
    """The settings every macro-enabled master carries: the UDF module (no path of any PC)."""
    return {"UDF Modules": UDF_MODULES}


def read_config(rows: list[list]) -> dict[str, str]:
    """The settings in an ``xlwings.conf`` sheet's cells, as xlwings reads them: from A1 down to the
    first blank key, the value beside each."""
    config = {}
    for row in rows:
        if not row or is_blank(row[0]):
            break
        config[display_text(row[0])] = "" if len(row) < 2 or is_blank(row[1]) else display_text(row[1])
    return config


def machine_keys(config: dict[str, str]) -> list[str]:
    """The keys of ``config`` that name a place on one PC (``MACHINE_KEYS``), as written."""
    return [key for key in config if key.upper() in MACHINE_KEYS]


def config_sheet(config: dict[str, str]) -> SheetSpec:
    """The ``xlwings.conf`` sheet: key/value rows from A1, a blank row, then the notes."""
    spec = SheetSpec(CONFIG_SHEET, widths={1: 20, 2: 60}, fit_width=False)
    for row, (key, value) in enumerate(config.items(), start=1):
        spec.row(row, [key, value])
    for row, note in enumerate(_NOTES, start=len(config) + 2):
        spec.put(row, 1, note, "note")
    return spec


def write_macro_master(xlsx_path, xlsm_path, *, config: dict[str, str] | None = None,
                       backup: bool = False) -> Path | None:
    """Write ``xlsm_path`` (atomically) from the master ``xlsx_path``: add the hidden ``xlwings.conf``
    sheet (``config`` defaults to :func:`xlwings_config`), the VBA project and the ribbon. With
    ``backup``, an ``xlsm_path`` that exists is kept as its backup (returned)."""
    xlsm_path = Path(xlsm_path)
    if xlsm_path.suffix.lower() != ".xlsm":
        raise GendanError("启用宏的主工作簿必须是 .xlsm the macro-enabled master must be an .xlsm file",
                          file=xlsm_path, code=ErrorCode.WRONG_FILE_TYPE)
    with tempfile.TemporaryDirectory(dir=xlsm_path.parent, prefix=f".{xlsm_path.stem}.") as folder:
        staged = Path(folder) / "master.xlsx"
        workbook = MasterWorkbook(xlsx_path)
        workbook.replace_sheet(config_sheet(xlwings_config() if config is None else config))
        workbook.package.hide_sheet(CONFIG_SHEET)
        workbook.save(staged)
        return make_macro_enabled(staged, xlsm_path, backup=backup)
