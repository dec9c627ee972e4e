"""Turn an ``.xlsx`` into a macro-enabled ``.xlsm`` at the zip level.

Adds the VBA project, the ribbon part, their relationships and content types, and the
code names that tie sheets to their document modules. The package is read, edited and written
atomically through ``ooxml.package``: parts we do not touch are copied byte for byte; XML we do
touch is edited through the parser, keeping its writer's namespace prefixes; the cells of a sheet
are never parsed.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

import xlwings

from gendan_xl.ooxml.package import REL_VBA_PROJECT, WORKBOOK, WORKBOOK_ORDER, Package
from gendan_xl.ooxml.xml_part import child
from gendan_xl.store.sheet_head import with_code_name
from gendan_xl.xlsm.ovba import (WORKBOOK_CLSID, WORKSHEET_CLSID, VbaModule, build_vba_project,
                                  document_module)
from gendan_xl.xlsm.ribbon_vba import ribbon_module, string_constant
from gendan_xl.xlsm.ribbon_xml import ribbon_xml

VBA_PROJECT = REL_VBA_PROJECT
UI_EXTENSIBILITY = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
MACRO_MAIN_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
VBA_TYPE = "application/vnd.ms-office.vbaProject"
XML_TYPE = "application/xml"
CUSTOMUI_PART = "customUI/customUI14.xml"
WORKBOOK_CODE_NAME = "ThisWorkbook"
XLWINGS_BAS = Path(xlwings.__file__).parent / "xlwings.bas"   # the installed xlwings' standalone VBA


def standard_modules() -> list[VbaModule]:
    """Our ribbon module and xlwings' own ``xlwings.bas`` (for RunPython), read as shipped."""
    return [ribbon_module(), VbaModule.from_bas(XLWINGS_BAS)]


def xlwings_version(source: str) -> str | None:
    """The xlwings version an ``xlwings`` VBA module was written for (its ``XLWINGS_VERSION``)."""
    return string_constant(source, "XLWINGS_VERSION")


def installed_xlwings_version() -> str | None:
    """The version of the installed xlwings' VBA: what gendan writes into a workbook now."""
    return xlwings_version(XLWINGS_BAS.read_text(encoding="cp1252"))


def document_modules(code_names: list[str]) -> list[VbaModule]:
    """The document modules gendan writes: ThisWorkbook's, then one per sheet code name (empty)."""
    documents = [document_module(WORKBOOK_CODE_NAME, WORKBOOK_CLSID)]
    return documents + [document_module(name, WORKSHEET_CLSID) for name in code_names]


def make_macro_enabled(xlsx_path, xlsm_path, modules=None, *, backup: bool = False) -> Path | None:
    """Write ``xlsm_path``: ``xlsx_path`` plus VBA (document modules and ``modules``) and ribbon.

    ``modules`` defaults to :func:`standard_modules`. Worksheets get code names Sheet1..N in
    workbook order and the workbook gets ThisWorkbook, each with its document module. With
    ``backup``, an ``xlsm_path`` that exists is kept as its backup (returned).
    """
    package = Package(xlsx_path)
    code_names = [f"Sheet{number}" for number in range(1, len(package.sheets) + 1)]
    workbook = package.xml(WORKBOOK)
    child(workbook.root, "workbookPr", WORKBOOK_ORDER).set("codeName", WORKBOOK_CODE_NAME)   # in its schema position
    package.put_xml(WORKBOOK, workbook)
    for sheet, code_name in zip(package.sheets, code_names):
        package.put(sheet.part, with_code_name(package.get(sheet.part), code_name))
    documents = document_modules(code_names)
    standard = standard_modules() if modules is None else list(modules)
    vba_part = ensure_relationship(package, WORKBOOK, VBA_PROJECT,
                                    posixpath.join(posixpath.dirname(WORKBOOK), "vbaProject.bin"))
    package.put(vba_part, build_vba_project(documents + standard))
    package.put(ensure_relationship(package, "", UI_EXTENSIBILITY, CUSTOMUI_PART), ribbon_xml())
    restore_package(package)
    return package.save(xlsm_path, backup=backup)


def ensure_ribbon_relationship(xlsm_path) -> bool:
    """Restore the customUI relationship and macro content types (e.g. after openpyxl saved).

    Idempotent: returns True if the file had to be rewritten, False if it was already whole.
    """
    package = Package(xlsm_path)
    if not package.has(CUSTOMUI_PART):
        raise ValueError(f"{xlsm_path}: no {CUSTOMUI_PART} part, so there is no ribbon to restore")
    if not restore_package(package):
        return False
    package.save(backup=False)
    return True


def restore_package(package: Package) -> bool:
    """Point the package at the ribbon and give the workbook, VBA and ribbon their types; True if
    anything had to change."""
    before = package.relationships("")
    ribbon = ensure_relationship(package, "", UI_EXTENSIBILITY, CUSTOMUI_PART)
    wanted = [(WORKBOOK, MACRO_MAIN_TYPE), (ribbon, XML_TYPE)]
    wanted += [(r["part"], VBA_TYPE) for r in package.relationships(WORKBOOK)
               if r.get("Type") == VBA_PROJECT and "part" in r]
    typed = [package.add_content_type(part, content_type) for part, content_type in wanted]
    return any(typed) or package.relationships("") != before


def ensure_relationship(package: Package, source: str, kind: str, target: str) -> str:
    """Return the part ``source`` relates to by ``kind``, adding a relationship to ``target`` if none."""
    for rel in package.relationships(source):
        if rel.get("Type") == kind and "part" in rel:
            return rel["part"]
    package.add_relationship(source, kind, posixpath.relpath(target, posixpath.dirname(source) or "."))
    return target

