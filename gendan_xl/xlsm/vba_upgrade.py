"""Rewrite a macro-enabled master's VBA project and ribbon for the installed gendan and xlwings.

Ours, by module name, are the modules ``standard_modules()`` gives (the ribbon module, the worksheet
functions' ``xlwings_udfs``, which is also the name xlwings' Import Functions writes, and xlwings'
own): they are written anew. The user's own standard and class modules are read back and kept as
they are, and so is the code of every sheet's document module; ThisWorkbook is gendan's, and
refused when it holds a procedure gendan does not write. A project gendan cannot rewrite without
losing something (a password, a form) is refused with what to do. Every other part is copied byte
for byte; the ``xlwings.conf`` sheet is rewritten only when it names a path of some PC (and hidden
when it is not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.ooxml.package import REL_VBA_PROJECT, WORKBOOK, WORKBOOK_ORDER, Package
from gendan_xl.ooxml.xml_part import child
from gendan_xl.store.master import CONFIG_SHEET, MasterWorkbook
from gendan_xl.store.sheet_head import code_name, with_code_name
from gendan_xl.xlsm.master_xlsm import config_sheet, machine_keys, read_config, xlwings_config
from gendan_xl.xlsm.ovba import REFERENCES, VbaModule, build_vba_project
from gendan_xl.xlsm.ribbon_vba import ENABLE_COMMAND
from gendan_xl.xlsm.ribbon_xml import ribbon_xml
from gendan_xl.xlsm.vba_read import VbaProject, read_vba_project
from gendan_xl.xlsm.xlsm import (CUSTOMUI_PART, UI_EXTENSIBILITY, WORKBOOK_CODE_NAME, document_modules,
                                  ensure_relationship, restore_package, standard_modules, xlwings_version)

_PROCEDURE = re.compile(r"^[ \t]*(?:(?:Public|Private|Friend)[ \t]+)?(?:Static[ \t]+)?"
                        r"(?:Sub|Function|Property[ \t]+(?:Get|Let|Set))[ \t]+(\w+)", re.MULTILINE | re.IGNORECASE)


@dataclass(frozen=True)
class Upgrade:
    """What an upgrade did: the backup kept (None: none), the modules written (gendan's) and kept (the
    user's), the xlwings version the old VBA was written for, the keys taken off the config sheet."""

    backup: Path | None
    modules: list[str]
    kept_modules: list[str]
    xlwings_before: str | None
    config_keys_removed: list[str]


def upgrade_macro_master(path) -> Upgrade:
    """Rewrite the VBA project and ribbon of the macro-enabled master ``path`` (backup kept)."""
    path = Path(path)
    workbook = MasterWorkbook(path)
    package = workbook.package
    vba_part = next((r["part"] for r in package.relationships(WORKBOOK)
                     if r.get("Type") == REL_VBA_PROJECT and "part" in r), None)
    if vba_part is None or not package.has(vba_part):
        raise GendanError("工作簿没有 VBA 工程 the workbook has no VBA project", file=path,
                          expected=f'a macro-enabled master; give this one the ribbon with {ENABLE_COMMAND} "{path}"',
                          code=ErrorCode.NOT_MACRO_ENABLED)
    try:
        old = read_vba_project(package.get(vba_part))
    except ValueError as exc:
        raise GendanError(f"VBA 工程无法读取 the VBA project cannot be read ({exc})", file=path, value=vba_part,
                          code=ErrorCode.BAD_WORKBOOK) from exc
    ours = standard_modules()
    ours_by_name = {m.name.lower() for m in ours}
    kept = [m for m in old.modules if not m.document and m.name.lower() not in ours_by_name]
    documents = _document_modules(package, old)
    _refuse_losses(path, old, documents[0])
    our_references = {name.lower() for name, _ in REFERENCES}
    more = tuple(r.records for r in old.references if r.name.lower() not in our_references)
    try:
        project = build_vba_project(documents + ours + kept, project_name=old.name, codepage=old.codepage,
                                    more_references=more)
    except ValueError as exc:
        raise GendanError(f"无法重写 VBA 工程 the VBA project cannot be rewritten ({exc})", file=path,
                          code=ErrorCode.VBA_NOT_KEPT) from exc
    package.put(vba_part, project)
    package.put(ensure_relationship(package, "", UI_EXTENSIBILITY, CUSTOMUI_PART), ribbon_xml())
    restore_package(package)
    config = read_config(workbook.sheet_rows(CONFIG_SHEET)) if package.has_sheet(CONFIG_SHEET) else None
    removed = [] if config is None else machine_keys(config)
    if config is None or removed:
        kept_keys = {k: v for k, v in config.items() if k not in removed} if config else {}
        workbook.replace_sheet(config_sheet({**kept_keys, **xlwings_config()}))
    if package.sheet_state(CONFIG_SHEET) != "hidden":
        package.hide_sheet(CONFIG_SHEET)
    backup = workbook.save() if config is None or removed else package.save()
    was = old.module("xlwings")
    return Upgrade(backup=backup, modules=[m.name for m in ours], kept_modules=[m.name for m in kept],
                   xlwings_before=None if was is None else xlwings_version(was.source), config_keys_removed=removed)


def _document_modules(package: Package, old: VbaProject) -> list[VbaModule]:
    """ThisWorkbook as gendan writes it, then every sheet's document module: the code it had, or
    an empty one for a sheet that had none (added since by gendan); a sheet without a code name
    gets one. Document modules of other sheets (a chart sheet) are kept."""
    workbook = package.xml(WORKBOOK)
    properties = child(workbook.root, "workbookPr", WORKBOOK_ORDER)
    if properties.get("codeName") != WORKBOOK_CODE_NAME:
        properties.set("codeName", WORKBOOK_CODE_NAME)
        package.put_xml(WORKBOOK, workbook)
    names = []
    for sheet in package.sheets:
        xml = package.get(sheet.part)
        name = code_name(xml)
        if not name:
            taken = {n.lower() for n in names} | {m.name.lower() for m in old.modules}
            name = next(f"Sheet{n}" for n in range(1, len(taken) + 2) if f"sheet{n}" not in taken)
            package.put(sheet.part, with_code_name(xml, name))
        names.append(name)
    ours = document_modules(names)
    modules = [ours[0]] + [old.module(m.name) or m for m in ours[1:]]
    named = {m.name.lower() for m in modules}
    return modules + [m for m in old.modules if m.document and m.name.lower() not in named]


def _refuse_losses(path: Path, old: VbaProject, this_workbook: VbaModule) -> None:
    """Refuse what a rewrite would lose: a locked project, forms, ThisWorkbook code gendan does not write."""
    if old.locked:
        raise GendanError("VBA 工程有密码或已锁定，重写会去掉保护 the VBA project is locked (a password), which a "
                          "rewrite would remove", file=path, code=ErrorCode.VBA_NOT_KEPT,
                          expected="the project unlocked first: VBA editor → Tools → VBAProject Properties → "
                                   "Protection, untick and clear the password, save, close Excel")
    if old.designers:
        raise GendanError("工作簿中有用户窗体，gendan 无法保留 the workbook has forms gendan cannot keep",
                          file=path, value=", ".join(old.designers), code=ErrorCode.VBA_NOT_KEPT,
                          expected="the forms exported (VBA editor → File → Export File) and removed, then "
                                   "imported again after the upgrade")
    before = old.module(WORKBOOK_CODE_NAME)
    if before is not None:
        ours = {name.lower() for name in _PROCEDURE.findall(this_workbook.source)}   # VBA names ignore case
        foreign = sorted(name for name in set(_PROCEDURE.findall(before.source)) if name.lower() not in ours)
        if foreign:
            raise GendanError("ThisWorkbook 中有 gendan 不写的代码 ThisWorkbook holds code gendan does not "
                              "write", file=path, value=", ".join(foreign), code=ErrorCode.VBA_NOT_KEPT,
                              expected="that code moved into a module of your own (kept by the upgrade)")
