"""gendan new: an empty master workbook (.xlsx, or .xlsm with VBA, ribbon and xlwings.conf)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.rules.calendar import seed_rows
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.settings import Settings
from gendan_xl.actions.common import writes_master
from gendan_xl.actions.results import NewResult

SEED_YEARS = range(2004, dt.date.today().year + 3)


@writes_master("new")
def new_master(path, *, force: bool = False, suppliers: pd.DataFrame | None = None,
               orders: pd.DataFrame | None = None) -> NewResult:
    """Create an empty master workbook (optionally seeded with suppliers and orders).

    ``.xlsx`` is the plain master; ``.xlsm`` adds the VBA project, the 跟单 Gendan ribbon and the
    xlwings.conf sheet for Excel.
    """
    # openpyxl and xlwings are needed only here: imported late to keep every other command quick to start.
    from gendan_xl.xlsm.master_xlsm import write_macro_master
    from gendan_xl.outputs.new_master import write_new_master

    path = Path(path)
    kind = path.suffix.lower()
    if kind not in (".xlsx", ".xlsm"):
        raise GendanError("主工作簿必须是 .xlsx 或 .xlsm the master workbook must be .xlsx or .xlsm", file=path,
                          code=ErrorCode.WRONG_FILE_TYPE)
    if path.is_dir():
        raise GendanError("是文件夹，不是文件 the path is a folder, not a file", file=path, code=ErrorCode.WRONG_PATH)
    if path.exists() and not force:
        raise GendanError("文件已存在 file exists (use --force to overwrite)", file=path, code=ErrorCode.OUTPUT_EXISTS)
    if not path.parent.is_dir():
        raise GendanError("目录不存在 folder does not exist", file=path.parent, code=ErrorCode.FILE_NOT_FOUND)
    calendar = seed_rows(schema.COUNTRIES, SEED_YEARS)
    if kind == ".xlsx":
        write_new_master(path, calendar, Settings.rows(), suppliers, orders)
    else:
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=f".{path.stem}.") as folder:
            staged = Path(folder) / "master.xlsx"
            write_new_master(staged, calendar, Settings.rows(), suppliers, orders)
            write_macro_master(staged, path)
    return NewResult(path=str(path), calendar_rows=len(calendar), orders=0 if orders is None else len(orders),
                     macros=kind == ".xlsm")
