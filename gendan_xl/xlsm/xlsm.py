"""Turn an ``.xlsx`` into a macro-enabled ``.xlsm`` at the zip level.

Adds the VBA project, the ribbon part, their relationships and content types, and the
code names that tie sheets to their document modules. Parts we do not touch are copied
byte for byte; XML we do touch is edited through the parser (``workbook.xml_part``), keeping
its writer's namespace prefixes; the cells of a sheet are never parsed.
"""

from __future__ import annotations

import os
import posixpath
import tempfile
import zipfile
from pathlib import Path

import xlwings

from gendan_xl.workbook.package import (CONTENT_TYPES, REL_VBA_PROJECT, REL_WORKSHEET, WORKBOOK_ORDER,
                                        add_relationship, rels_part, relationships_of, set_content_type)
from gendan_xl.workbook.sheet_head import with_code_name
from gendan_xl.workbook.xml_part import NS_MAIN, NS_REL, child, parse, q

from gendan_xl.xlsm.ovba import (WORKBOOK_CLSID, WORKSHEET_CLSID, VbaModule, build_vba_project,
                                  document_module)
from gendan_xl.workbook.files import file_mode
from gendan_xl.xlsm.ribbon import ribbon_xml

OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
VBA_PROJECT = REL_VBA_PROJECT
UI_EXTENSIBILITY = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
MACRO_MAIN_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
VBA_TYPE = "application/vnd.ms-office.vbaProject"
XML_TYPE = "application/xml"
CUSTOMUI_PART = "customUI/customUI14.xml"
WORKBOOK_CODE_NAME = "ThisWorkbook"

_NEW_PART_TIME = (1980, 1, 1, 0, 0, 0)


def standard_modules() -> list[VbaModule]:
    """Our ribbon module and xlwings' own ``xlwings.bas`` (for RunPython), read as shipped."""
    return [VbaModule.from_bas(Path(__file__).with_name("vba") / "GendanRibbon.bas"),
            VbaModule.from_bas(Path(xlwings.__file__).parent / "xlwings.bas")]


def make_macro_enabled(xlsx_path, xlsm_path, modules=None) -> None:
    """Write ``xlsm_path``: ``xlsx_path`` plus VBA (document modules and ``modules``) and ribbon.

    ``modules`` defaults to :func:`standard_modules`. Worksheets get code names Sheet1..N in
    workbook order and the workbook gets ThisWorkbook, each with its document module.
    """
    parts, infos = _read_zip(xlsx_path)
    workbook = _main_part(parts)
    sheets = _worksheet_parts(parts, workbook)
    code_names = [f"Sheet{number}" for number in range(1, len(sheets) + 1)]
    parts[workbook] = _set_workbook_code_name(parts[workbook])
    for part, code_name in zip(sheets, code_names):
        parts[part] = with_code_name(parts[part], code_name)
    documents = [document_module(WORKBOOK_CODE_NAME, WORKBOOK_CLSID)]
    documents += [document_module(name, WORKSHEET_CLSID) for name in code_names]
    standard = standard_modules() if modules is None else list(modules)
    vba_part = _ensure_relationship(parts, workbook, VBA_PROJECT,
                                    posixpath.join(posixpath.dirname(workbook), "vbaProject.bin"))
    parts[vba_part] = build_vba_project(documents + standard)
    parts[_ensure_relationship(parts, "", UI_EXTENSIBILITY, CUSTOMUI_PART)] = ribbon_xml()
    _restore_package(parts)
    _write_zip(xlsm_path, parts, infos)


def ensure_ribbon_relationship(xlsm_path) -> bool:
    """Restore the customUI relationship and macro content types (e.g. after openpyxl saved).

    Idempotent: returns True if the file had to be rewritten, False if it was already whole.
    """
    parts, infos = _read_zip(xlsm_path)
    if CUSTOMUI_PART not in parts:
        raise ValueError(f"{xlsm_path}: no {CUSTOMUI_PART} part, so there is no ribbon to restore")
    before = dict(parts)
    _restore_package(parts)
    if parts == before:
        return False
    _write_zip(xlsm_path, parts, infos)
    return True


def _restore_package(parts: dict[str, bytes]) -> None:
    """Point the package at the ribbon and give the workbook, VBA and ribbon their types."""
    workbook = _main_part(parts)
    ribbon = _ensure_relationship(parts, "", UI_EXTENSIBILITY, CUSTOMUI_PART)
    types = parse(parts[CONTENT_TYPES])
    wanted = [(workbook, MACRO_MAIN_TYPE), (ribbon, XML_TYPE)]
    wanted += [(target, VBA_TYPE) for _, kind, target in _relationships(parts, workbook) if kind == VBA_PROJECT]
    if any([set_content_type(types, part, content_type) for part, content_type in wanted]):
        parts[CONTENT_TYPES] = types.tobytes()


# --- zip ---------------------------------------------------------------------------------

def _read_zip(path) -> tuple[dict[str, bytes], dict[str, zipfile.ZipInfo]]:
    with zipfile.ZipFile(path) as archive:
        infos = {info.filename: info for info in archive.infolist() if not info.is_dir()}
        return {name: archive.read(name) for name in infos}, infos


def _write_zip(path, parts: dict[str, bytes], infos: dict[str, zipfile.ZipInfo]) -> None:
    """Write the parts (original order, new ones last) to a temp file, then rename it over ``path``
    (a symbolic link: over its target)."""
    path = Path(os.path.realpath(path)) if Path(path).is_symlink() else Path(path)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            with zipfile.ZipFile(stream, "w") as archive:
                for name, data in parts.items():
                    old = infos.get(name)
                    info = zipfile.ZipInfo(name, old.date_time if old else _NEW_PART_TIME)
                    info.compress_type = old.compress_type if old else zipfile.ZIP_DEFLATED
                    info.external_attr = old.external_attr if old else 0o644 << 16
                    archive.writestr(info, data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, file_mode(path))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# --- relationships -------------------------------------------------------------------------

def _relationships(parts: dict[str, bytes], source: str) -> list[tuple[str, str, str]]:
    """(id, type, target part) of each internal relationship of ``source`` ("" for the package)."""
    return [(r.get("Id"), r.get("Type"), r["part"])
            for r in relationships_of(parse(parts[rels_part(source)]), source) if "part" in r]


def _main_part(parts: dict[str, bytes]) -> str:
    for _, kind, target in _relationships(parts, ""):
        if kind == OFFICE_DOCUMENT:
            return target
    raise ValueError("not an Excel package: no officeDocument relationship in _rels/.rels")


def _ensure_relationship(parts: dict[str, bytes], source: str, kind: str, target: str) -> str:
    """Return the part ``source`` relates to by ``kind``, adding a relationship to ``target`` if none."""
    for _, existing_kind, existing in _relationships(parts, source):
        if existing_kind == kind:
            return existing
    rels = parse(parts[rels_part(source)])
    add_relationship(rels, kind, posixpath.relpath(target, posixpath.dirname(source) or "."))
    parts[rels_part(source)] = rels.tobytes()
    return target


def _worksheet_parts(parts: dict[str, bytes], workbook: str) -> list[str]:
    """Worksheet parts in the order of the workbook's ``<sheets>``."""
    worksheets = {rid: target for rid, kind, target in _relationships(parts, workbook) if kind == REL_WORKSHEET}
    sheets = parse(parts[workbook]).root.iter(q(NS_MAIN, "sheet"))
    return [worksheets[el.get(q(NS_REL, "id"))] for el in sheets if el.get(q(NS_REL, "id")) in worksheets]


def _set_workbook_code_name(data: bytes) -> bytes:
    """``<workbookPr codeName="ThisWorkbook">``, a new workbookPr in its schema position."""
    workbook = parse(data)
    child(workbook.root, "workbookPr", WORKBOOK_ORDER).set("codeName", WORKBOOK_CODE_NAME)
    return workbook.tobytes()
