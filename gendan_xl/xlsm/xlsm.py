"""Turn an ``.xlsx`` into a macro-enabled ``.xlsm`` at the zip level.

Adds the VBA project, the ribbon part, their relationships and content types, and the
code names that tie sheets to their document modules. Parts we do not touch are copied
byte for byte; XML we do touch is edited in place, never re-serialised.
"""

from __future__ import annotations

import os
import posixpath
import re
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, unescape

import xlwings

from gendan_xl.xlsm.ovba import (WORKBOOK_CLSID, WORKSHEET_CLSID, VbaModule, build_vba_project,
                                  document_module)
from gendan_xl.workbook.files import file_mode
from gendan_xl.xlsm.ribbon import ribbon_xml

OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
VBA_PROJECT = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
UI_EXTENSIBILITY = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
MACRO_MAIN_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
VBA_TYPE = "application/vnd.ms-office.vbaProject"
XML_TYPE = "application/xml"
CONTENT_TYPES = "[Content_Types].xml"
CUSTOMUI_PART = "customUI/customUI14.xml"
WORKBOOK_CODE_NAME = "ThisWorkbook"

_ATTRS = r"""(?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*"""
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
        parts[part] = _set_sheet_code_name(parts[part], code_name)
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
    types = parts[CONTENT_TYPES].decode("utf-8")
    types = _ensure_content_type(types, workbook, MACRO_MAIN_TYPE)
    types = _ensure_content_type(types, ribbon, XML_TYPE)
    vba = [target for _, kind, target in _relationships(parts, workbook) if kind == VBA_PROJECT]
    for part in vba:
        types = _ensure_content_type(types, part, VBA_TYPE)
    parts[CONTENT_TYPES] = types.encode("utf-8")


# --- zip ---------------------------------------------------------------------------------

def _read_zip(path) -> tuple[dict[str, bytes], dict[str, zipfile.ZipInfo]]:
    with zipfile.ZipFile(path) as archive:
        infos = {info.filename: info for info in archive.infolist() if not info.is_dir()}
        return {name: archive.read(name) for name in infos}, infos


def _write_zip(path, parts: dict[str, bytes], infos: dict[str, zipfile.ZipInfo]) -> None:
    """Write the parts (original order, new ones last) to a temp file, then rename it over ``path``."""
    path = Path(path)
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

def _rels_part(source: str) -> str:
    folder, name = posixpath.split(source)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _relationships(parts: dict[str, bytes], source: str) -> list[tuple[str, str, str]]:
    """(id, type, target part) of each internal relationship of ``source`` ("" for the package)."""
    root = ET.fromstring(parts[_rels_part(source)])
    found = []
    for rel in root:
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        if target.startswith("/"):
            target = target[1:]
        else:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
        found.append((rel.get("Id"), rel.get("Type"), target))
    return found


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
    rels = _rels_part(source)
    text = parts[rels].decode("utf-8")
    used = set(re.findall(r"""\sId\s*=\s*["']([^"']*)["']""", text))
    number = len(used) + 1
    while f"rId{number}" in used:
        number += 1
    relative = posixpath.relpath(target, posixpath.dirname(source) or ".")
    parts[rels] = _append_child(text, "Relationships", "Relationship",
                                {"Id": f"rId{number}", "Type": kind, "Target": relative}).encode("utf-8")
    return target


def _worksheet_parts(parts: dict[str, bytes], workbook: str) -> list[str]:
    """Worksheet parts in the order of the workbook's ``<sheets>``."""
    worksheets = {rid: target for rid, kind, target in _relationships(parts, workbook) if kind == WORKSHEET}
    order = []
    for element in ET.fromstring(parts[workbook]).iter():
        if element.tag.rsplit("}", 1)[-1] == "sheet":
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
            if rid in worksheets:
                order.append(worksheets[rid])
    return order


# --- content types ------------------------------------------------------------------------

def _ensure_content_type(types: str, part: str, content_type: str) -> str:
    """Make ``part``'s effective content type ``content_type`` (its Override, else its extension's Default)."""
    for tag in _tags(types, "Override"):
        if _attributes(tag).get("PartName", "").lower() == f"/{part}".lower():
            if _attributes(tag).get("ContentType") == content_type:
                return types
            edited = _with_attribute(tag.group(), "ContentType", content_type)
            return types[:tag.start()] + edited + types[tag.end():]
    extension = posixpath.splitext(part)[1][1:].lower()
    defaults = {_attributes(tag).get("Extension", "").lower(): _attributes(tag).get("ContentType")
                for tag in _tags(types, "Default")}
    if defaults.get(extension) == content_type:
        return types
    if extension in defaults:
        return _append_child(types, "Types", "Override", {"PartName": f"/{part}", "ContentType": content_type})
    return _append_child(types, "Types", "Default", {"Extension": extension, "ContentType": content_type})


# --- XML text editing ---------------------------------------------------------------------

def _tag_pattern(local_name: str) -> re.Pattern:
    """A start (or empty) tag of an element named ``local_name`` with any prefix."""
    return re.compile(rf"<((?:[\w.-]+:)?{local_name}){_ATTRS}\s*/?>")


def _tags(text: str, local_name: str):
    return _tag_pattern(local_name).finditer(text)


def _attributes(tag: re.Match) -> dict[str, str]:
    return {name: unescape(value[1:-1], {"&quot;": '"', "&apos;": "'"})
            for name, value in re.findall(r"""\s([\w:.-]+)\s*=\s*("[^"]*"|'[^']*')""", tag.group())}


def _quoted(value: str) -> str:
    return '"' + escape(value, {'"': "&quot;"}) + '"'


def _with_attribute(tag: str, name: str, value: str) -> str:
    """``tag`` (start-tag text) with attribute ``name`` set to ``value``."""
    pattern = rf"""(\s{name}\s*=\s*)("[^"]*"|'[^']*')"""
    if re.search(pattern, tag):
        return re.sub(pattern, lambda found: found.group(1) + _quoted(value), tag, count=1)
    head = re.match(r"<[\w.:-]+", tag).group()
    return f"{head} {name}={_quoted(value)}{tag[len(head):]}"


def _empty_element(prefix: str, name: str, attributes: dict[str, str]) -> str:
    return f"<{prefix}{name}" + "".join(f" {key}={_quoted(value)}" for key, value in attributes.items()) + "/>"


def _append_child(text: str, root_name: str, name: str, attributes: dict[str, str]) -> str:
    """Insert an empty element as the last child of the root element named ``root_name``."""
    closing = list(re.finditer(rf"</((?:[\w.-]+:)?{root_name})\s*>", text))
    if not closing:
        raise ValueError(f"no closing </{root_name}> to insert into")
    prefix = closing[-1].group(1)[:-len(root_name)]
    at = closing[-1].start()
    return text[:at] + _empty_element(prefix, name, attributes) + text[at:]


def _set_code_name(text: str, tag: re.Match | None, prefix: str, name: str, at: int, code_name: str) -> bytes:
    """Set ``codeName`` on the existing ``tag``, or insert an empty ``name`` element at ``at``."""
    if tag:
        text = text[:tag.start()] + _with_attribute(tag.group(), "codeName", code_name) + text[tag.end():]
    else:
        text = text[:at] + _empty_element(prefix, name, {"codeName": code_name}) + text[at:]
    return text.encode("utf-8")


def _set_workbook_code_name(data: bytes) -> bytes:
    """``<workbookPr codeName="ThisWorkbook">``; a new workbookPr goes after fileVersion/fileSharing."""
    text = data.decode("utf-8")
    root = next(_tags(text, "workbook"))
    at = root.end()
    for name in ("fileVersion", "fileSharing"):
        found = next(_tags(text, name), None)
        if found:
            at = _element_end(text, found)
    prefix = root.group(1)[:-len("workbook")]
    return _set_code_name(text, next(_tags(text, "workbookPr"), None), prefix, "workbookPr", at,
                          WORKBOOK_CODE_NAME)


def _set_sheet_code_name(data: bytes, code_name: str) -> bytes:
    """``<sheetPr codeName=...>`` as the worksheet's first child (adding sheetPr if missing)."""
    text = data.decode("utf-8")
    root = next(_tags(text, "worksheet"))
    first = re.compile(r"\s*").match(text, root.end()).end()
    prefix = root.group(1)[:-len("worksheet")]
    return _set_code_name(text, _tag_pattern("sheetPr").match(text, first), prefix, "sheetPr", root.end(),
                          code_name)


def _element_end(text: str, start_tag: re.Match) -> int:
    if start_tag.group().endswith("/>"):
        return start_tag.end()
    closing = re.compile(rf"</{re.escape(start_tag.group(1))}\s*>").search(text, start_tag.end())
    return closing.end()
