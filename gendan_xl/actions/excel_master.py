"""gendan excel enable / upgrade: give an existing master the ribbon, or renew its VBA for the
installed gendan and xlwings. Both work on the file's package (every other part copied byte for
byte), never by exporting and loading the data."""

from __future__ import annotations

import os
from pathlib import Path

from gendan_xl import __version__
from gendan_xl.actions.common import check_output_place, path_text, writes_master
from gendan_xl.actions.results import EnableResult, UpgradeResult
from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.ooxml.files import backup_path_for, os_cause, os_code
from gendan_xl.ooxml.package import REL_VBA_PROJECT, WORKBOOK
from gendan_xl.store.master import MasterWorkbook
from gendan_xl.xlsm.ribbon_vba import UPGRADE_COMMAND


@writes_master("enable")
def enable_macros(path, *, out=None, in_place: bool = False, force: bool = False) -> EnableResult:
    """Write the master ``path`` (.xlsx, or .xlsm without VBA) as a macro-enabled ``.xlsm`` with the
    VBA project, the 跟单 Gendan ribbon and the hidden ``xlwings.conf`` sheet: ``out``, by default
    the ``.xlsm`` beside it. ``in_place``: the ``.xlsm`` replaces ``path``, whose last version is kept
    as its backup (``master.bak.xlsx``)."""
    from gendan_xl.xlsm.master_xlsm import write_macro_master   # xlwings: imported late, as in `new`
    from gendan_xl.xlsm.xlsm import installed_xlwings_version

    path = Path(path)
    workbook = MasterWorkbook(path)
    if not workbook.has_table(schema.ORDERS):
        raise GendanError("不是 gendan 主工作簿：缺少订单表 not a gendan master workbook: no Orders table",
                          file=path, value=schema.ORDERS.name, code=ErrorCode.TABLE_MISSING,
                          expected=f"a master made by `gendan new` (the Excel Table {schema.ORDERS.name})")
    if any(r.get("Type") == REL_VBA_PROJECT for r in workbook.package.relationships(WORKBOOK)):
        raise GendanError("工作簿已有 VBA 工程 the workbook already has a VBA project", file=path,
                          code=ErrorCode.ALREADY_MACRO_ENABLED,
                          expected=f'a master without macros; renew this one\'s with {UPGRADE_COMMAND} "{path}"')
    if in_place and out is not None:
        raise GendanError("--in-place 与 --out 不能同时使用 --in-place and --out exclude each other", value=str(out),
                          code=ErrorCode.BAD_OPTION)
    target = path.with_suffix(".xlsm") if out is None else Path(out)
    same = target.exists() and os.path.samefile(target, path)   # an .xlsm without VBA: enabled in place
    if target.exists() and not same and not force:
        raise GendanError("文件已存在 file exists (use --force to overwrite; its last version is kept as the backup)",
                          file=target, code=ErrorCode.OUTPUT_EXISTS)
    if not same:
        check_output_place(target, path, "an .xlsm file", "输出就是主工作簿 the output is the master itself")
    backup = write_macro_master(path, target, backup=True)
    if in_place and not same:
        backup = backup_path_for(path)
        try:
            os.replace(path, backup)
        except OSError as exc:
            raise GendanError(f"已写入 .xlsm，但无法把原文件改为备份 the .xlsm is written, but the original could "
                              f"not be moved to its backup: {os_cause(exc)}", file=path, value=str(backup),
                              code=os_code(exc)) from exc
    return EnableResult(path=str(path), workbook=str(target), backup=path_text(backup),
                        xlwings=installed_xlwings_version(), gendan=__version__)


@writes_master("upgrade")
def upgrade_macros(path) -> UpgradeResult:
    """Rewrite the VBA project and the ribbon of the macro-enabled master ``path`` for the installed
    gendan and xlwings; the user's own modules are kept, the data untouched (backup kept)."""
    from gendan_xl.xlsm.vba_upgrade import upgrade_macro_master
    from gendan_xl.xlsm.xlsm import installed_xlwings_version

    done = upgrade_macro_master(path)
    return UpgradeResult(workbook=str(path), backup=path_text(done.backup), modules=done.modules,
                         kept_modules=done.kept_modules, xlwings_before=done.xlwings_before,
                         xlwings=installed_xlwings_version(), gendan=__version__,
                         config_keys_removed=done.config_keys_removed)
