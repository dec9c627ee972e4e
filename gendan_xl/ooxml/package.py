"""The xlsx/xlsm zip package: parts by name, relationships, content types, the workbook's sheets,
atomic save (with a backup for the master).

Every part gendan does not change is written back byte for byte; only parts handed to
``put`` are replaced. This keeps VBA, the ribbon, charts, user sheets and styles intact. The
workbook, relationships and content types are read and edited through the parser (``xml_part``).
The relationship and sheet helpers work on parsed parts, so a package read another way (a supplier's
file, ``untrusted``) finds its workbook and sheets the same way.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
import zipfile
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.ooxml.files import write_atomically
from gendan_xl.ooxml.xml_part import NS_MAIN, NS_PKG_REL, NS_REL, NS_TYPES, XmlError, XmlPart, child, local_name, parse, q
from gendan_xl.ooxml.zip_writer import Deflated, read_members, write_zip

REL_OFFICE_DOCUMENT = NS_REL + "/officeDocument"
REL_WORKSHEET = NS_REL + "/worksheet"
REL_TABLE = NS_REL + "/table"
REL_VBA_PROJECT = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CONTENT_TYPES = "[Content_Types].xml"
WORKBOOK = "xl/workbook.xml"   # where Excel, LibreOffice and openpyxl put the workbook part
# CT_Workbook's children in schema order (ECMA-376 Part 1, 18.2.27).
WORKBOOK_ORDER = ["fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets",
                  "functionGroups", "externalReferences", "definedNames", "calcPr", "oleSize",
                  "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing",
                  "fileRecoveryPr", "webPublishObjects", "extLst"]
_EMPTY_RELS = f'<Relationships xmlns="{NS_PKG_REL}"/>'.encode()


@dataclass
class SheetRef:
    """A sheet of the workbook: its display name, part path, relationship id and type."""

    name: str
    part: str
    rid: str
    sheet_id: int
    kind: str = REL_WORKSHEET


def rels_part(part: str) -> str:
    """``xl/workbook.xml`` -> ``xl/_rels/workbook.xml.rels`` ("" for the package's own)."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def relationships_of(rels: XmlPart, source: str) -> list[dict[str, str]]:
    """The relationships of a parsed rels part, each with the target ``part`` resolved (internal ones)."""
    folder = posixpath.dirname(source)
    out = []
    for el in rels.root:
        if local_name(el.tag) != "Relationship":
            continue
        a = dict(el.attrib)
        if a.get("TargetMode") != "External":
            target = a.get("Target", "")
            a["part"] = (target.lstrip("/") if target.startswith("/")
                         else posixpath.normpath(posixpath.join(folder, target)))
        out.append(a)
    return out


def main_part(package_rels: XmlPart) -> str | None:
    """The package's main part (the workbook): the target of the officeDocument relationship in the
    parsed ``_rels/.rels`` (None when there is none)."""
    return next((r["part"] for r in relationships_of(package_rels, "")
                 if r.get("Type") == REL_OFFICE_DOCUMENT and "part" in r), None)


def sheets_of(workbook: XmlPart, relationships: list[dict[str, str]]) -> list[SheetRef]:
    """Every ``<sheet>`` of a parsed workbook part whose relationship (from ``relationships_of``) points
    into the package, in workbook order, with that relationship's type (a worksheet, chartsheet …)."""
    by_id = {r.get("Id"): r for r in relationships if "part" in r}
    sheets = []
    for el in workbook.root.iter():
        if local_name(el.tag) != "sheet":
            continue
        rel = by_id.get(next((v for k, v in el.attrib.items() if local_name(k) == "id"), None))
        if rel is not None:
            sheets.append(SheetRef(el.get("name", ""), rel["part"], rel["Id"], _number(el.get("sheetId", "")),
                                   rel.get("Type", "")))
    return sheets


def _number(text: str) -> int:
    return int(text) if text.isdigit() else 0


def add_relationship(rels: XmlPart, rel_type: str, target: str) -> str:
    """Append a relationship to a parsed rels part; returns its new, unused ``rIdN``."""
    used = {el.get("Id") for el in rels.root}
    n = len(used) + 1
    while f"rId{n}" in used:
        n += 1
    ET.SubElement(rels.root, q(NS_PKG_REL, "Relationship"), Id=f"rId{n}", Type=rel_type, Target=target)
    return f"rId{n}"


def content_type_of(types: XmlPart, part: str) -> str | None:
    """A part's effective content type: its Override, else its extension's Default."""
    for el in types.root:
        if local_name(el.tag) == "Override" and el.get("PartName", "").lower() == "/" + part.lower():
            return el.get("ContentType")
    extension = posixpath.splitext(part)[1][1:].lower()
    return next((el.get("ContentType") for el in types.root if local_name(el.tag) == "Default"
                 and el.get("Extension", "").lower() == extension), None)


def set_content_type(types: XmlPart, part: str, content_type: str) -> bool:
    """Make ``part``'s effective content type ``content_type``: its Override changed, a new Override
    when its extension has another Default, else a Default for the extension. True if it changed."""
    if content_type_of(types, part) == content_type:
        return False
    for el in types.root:
        if local_name(el.tag) == "Override" and el.get("PartName", "").lower() == "/" + part.lower():
            el.set("ContentType", content_type)
            return True
    extension = posixpath.splitext(part)[1][1:].lower()
    if any(local_name(el.tag) == "Default" and el.get("Extension", "").lower() == extension for el in types.root):
        ET.SubElement(types.root, q(NS_TYPES, "Override"), PartName="/" + part, ContentType=content_type)
    else:
        ET.SubElement(types.root, q(NS_TYPES, "Default"), Extension=extension, ContentType=content_type)
    return True


def _move_sheet_positions(root: ET.Element, at: int) -> None:
    """A sheet was inserted at position ``at``: what counts sheets by position from there on (a
    defined name's ``localSheetId``, the window's ``activeTab`` and ``firstSheet``) moves one on."""
    for el in root.iter():
        name = local_name(el.tag)
        keys = ("localSheetId",) if name == "definedName" else ("activeTab", "firstSheet") \
            if name == "workbookView" else ()
        for key in keys:
            value = el.get(key)
            if value is not None and value.isdigit() and int(value) >= at:
                el.set(key, str(int(value) + 1))


_INFLATE_AT_OPEN = 1 << 18   # parts up to 256 kB are inflated at open, larger ones when first needed


class Package:
    """An opened xlsx/xlsm file: read parts, replace some, save atomically."""

    def __init__(self, path):
        self.path = Path(path)
        if not self.path.exists():
            raise GendanError("工作簿不存在 workbook not found", file=self.path, code=ErrorCode.FILE_NOT_FOUND)
        try:
            with zipfile.ZipFile(self.path) as zf:
                self._infos = zf.infolist()
                members = read_members(zf, self._infos)
            later = {name for name, m in members.items() if isinstance(m, Deflated) and m.size > _INFLATE_AT_OPEN}
            self._raw: dict[str, bytes] = {name: m.inflate() if isinstance(m, Deflated) else m
                                           for name, m in members.items() if name not in later}
        except zipfile.BadZipFile as exc:
            raise GendanError("工作簿已损坏或被加密 workbook is corrupt, encrypted or not an xlsx/xlsm file",
                              file=self.path, code=ErrorCode.BAD_WORKBOOK) from exc
        except PermissionError as exc:
            raise GendanError("工作簿无法读取 workbook cannot be read (locked or no permission)",
                              file=self.path, code=ErrorCode.FILE_LOCKED) from exc
        self._stored = {name: members[name] for name in later}   # inflated (and checked) when first needed, at the latest on save
        self._changed: dict[str, bytes] = {}
        self._deflating: dict[str, Future] = {}
        if not self.has(WORKBOOK):
            raise GendanError(f"不是 Excel 工作簿 not an Excel workbook ({WORKBOOK} missing)", file=self.path,
                              code=ErrorCode.BAD_WORKBOOK)
        self.sheets = self._read_sheets()

    # -- parts -------------------------------------------------------------------------------
    def get(self, part: str) -> bytes:
        if part in self._changed:
            return self._changed[part]
        data = self._raw.get(part)
        if data is None and part in self._stored:
            try:
                data = self._raw[part] = self._stored[part].inflate()
            except zipfile.BadZipFile as exc:
                raise self._damaged(part) from exc
        if data is None:
            raise KeyError(part)
        return data

    def head(self, part: str, size: int = 1 << 16) -> bytes:
        """The first ``size`` bytes of a part (a large part not yet inflated: only those bytes)."""
        if part in self._changed or part in self._raw:
            return self.get(part)[:size]
        try:
            return self._stored[part].head(size)
        except zipfile.BadZipFile as exc:
            raise self._damaged(part) from exc

    def _damaged(self, part: str) -> GendanError:
        return GendanError("工作簿已损坏 workbook is corrupt (a part cannot be read)", file=self.path, value=part,
                           code=ErrorCode.BAD_WORKBOOK)

    def parts(self) -> list[str]:
        """The names of every part, saved or added."""
        return list(dict.fromkeys([*(i.filename for i in self._infos), *self._changed]))

    def has(self, part: str) -> bool:
        return part in self._changed or part in self._raw or part in self._stored

    def put(self, part: str, data: bytes, deflated: Future | None = None) -> None:
        """Replace or add a part; ``deflated``: its ``Deflated`` form being made (used on save)."""
        self._changed[part] = data
        self._deflating.pop(part, None)
        if deflated is not None:
            self._deflating[part] = deflated

    def xml(self, part: str) -> XmlPart:
        """A small part parsed (edit it, then ``put_xml``); a broken part is a clear error."""
        try:
            return parse(self.get(part))
        except XmlError as exc:
            raise GendanError(f"工作簿部件无法解析 a part of the workbook is not valid XML ({exc})",
                              file=self.path, value=part, code=exc.code) from exc

    def put_xml(self, part: str, xml: XmlPart) -> None:
        self.put(part, xml.tobytes())

    def relationships(self, part: str) -> list[dict[str, str]]:
        rels = rels_part(part)
        return relationships_of(self.xml(rels), part) if self.has(rels) else []

    def _read_sheets(self) -> list[SheetRef]:
        """The worksheets of ``xl/workbook.xml`` in workbook order (chartsheets and others left out)."""
        return [s for s in sheets_of(self.xml(WORKBOOK), self.relationships(WORKBOOK))
                if s.kind == REL_WORKSHEET]

    def sheet(self, name: str) -> SheetRef:
        for s in self.sheets:
            if s.name == name:
                return s
        raise GendanError("找不到工作表 sheet not found", file=self.path, sheet=name,
                          expected="one of " + ", ".join(s.name for s in self.sheets), code=ErrorCode.SHEET_MISSING)

    def has_sheet(self, name: str) -> bool:
        return any(s.name == name for s in self.sheets)

    # -- adding parts ------------------------------------------------------------------------
    def add_sheet(self, name: str, xml: bytes, before: str | None = None) -> SheetRef:
        """Add a new worksheet part: at the end of the workbook, or in front of the sheet ``before``
        when there is one (the sheet positions that defined names and the window count are moved)."""
        n = 1
        existing = {s.part for s in self.sheets} | set(self.parts())
        while f"xl/worksheets/sheet{n}.xml" in existing:
            n += 1
        part = f"xl/worksheets/sheet{n}.xml"
        rid = self.add_relationship(WORKBOOK, REL_WORKSHEET, f"worksheets/sheet{n}.xml")
        sheet_id = max((s.sheet_id for s in self.sheets), default=0) + 1
        workbook = self.xml(WORKBOOK)
        sheets = child(workbook.root, "sheets", WORKBOOK_ORDER)
        element = ET.Element(q(NS_MAIN, "sheet"), {"name": name, "sheetId": str(sheet_id), q(NS_REL, "id"): rid})
        names = [el.get("name") for el in sheets]
        if before in names:
            sheets.insert(names.index(before), element)
            _move_sheet_positions(workbook.root, names.index(before))
        else:
            sheets.append(element)
        self.put_xml(WORKBOOK, workbook)
        self.add_content_type("/" + part, CT_WORKSHEET)
        self.put(part, xml)
        ref = SheetRef(name, part, rid, sheet_id)
        worksheets = [s.name for s in self.sheets]
        self.sheets.insert(worksheets.index(before) if before in worksheets else len(self.sheets), ref)
        return ref

    def hide_sheet(self, name: str) -> None:
        """Hide a worksheet (``state="hidden"``: Unhide in Excel shows it again)."""
        workbook = self.xml(WORKBOOK)
        for el in workbook.root.iter(q(NS_MAIN, "sheet")):
            if el.get("name") == name:
                el.set("state", "hidden")
        self.put_xml(WORKBOOK, workbook)

    def sheet_state(self, name: str) -> str | None:
        """A sheet's ``state`` (visible, hidden or veryHidden); None when there is no such sheet."""
        return next((el.get("state", "visible") for el in self.xml(WORKBOOK).root.iter(q(NS_MAIN, "sheet"))
                     if el.get("name") == name), None)

    def sheet_name_value(self, name: str, sheet: str) -> str | None:
        """The value of the defined name ``name`` local to worksheet ``sheet`` (None when undefined)."""
        workbook = self.xml(WORKBOOK)
        local = str([el.get("name") for el in workbook.root.iter(q(NS_MAIN, "sheet"))].index(sheet))
        return next((el.text for el in workbook.root.iter(q(NS_MAIN, "definedName"))
                     if el.get("name", "").lower() == name.lower() and el.get("localSheetId") == local), None)

    def set_sheet_name(self, name: str, sheet: str, value: str | None) -> None:
        """Set (or with ``value`` None remove) the defined name ``name`` local to worksheet ``sheet``,
        e.g. ``_xlnm.Print_Titles``; ``localSheetId`` is the sheet's position in the workbook."""
        workbook = self.xml(WORKBOOK)
        names = [el.get("name") for el in workbook.root.iter(q(NS_MAIN, "sheet"))]
        local = str(names.index(sheet))
        defined = child(workbook.root, "definedNames", WORKBOOK_ORDER)
        found = [el for el in defined if local_name(el.tag) == "definedName"
                 and el.get("name", "").lower() == name.lower() and el.get("localSheetId") == local]
        if value is None and not found:
            return   # nothing to remove (the parsed copy, perhaps with a new empty definedNames, is dropped)
        for el in found:
            defined.remove(el)
        if value is not None:
            ET.SubElement(defined, q(NS_MAIN, "definedName"), name=name, localSheetId=local).text = value
        if not len(defined):
            workbook.root.remove(defined)
        self.put_xml(WORKBOOK, workbook)

    def add_relationship(self, source_part: str, rel_type: str, target: str) -> str:
        rels = rels_part(source_part)
        xml = self.xml(rels) if self.has(rels) else parse(_EMPTY_RELS)
        rid = add_relationship(xml, rel_type, target)
        self.put_xml(rels, xml)
        return rid

    def add_content_type(self, part_name: str, content_type: str) -> bool:
        """Give a part its content type (``set_content_type``); True if the content types changed."""
        types = self.xml(CONTENT_TYPES)
        if not set_content_type(types, part_name.lstrip("/"), content_type):
            return False
        self.put_xml(CONTENT_TYPES, types)
        return True

    # -- saving ------------------------------------------------------------------------------
    def save(self, path=None, *, backup: bool = True) -> Path | None:
        """Write the package atomically (``files.write_atomically``); keep the previous file as
        ``<name>.bak<suffix>``. A path that is a symbolic link is written through: the target file is
        replaced (its backup beside it), the link stays.

        Returns the backup path (or None). A crash or a full disk at any point leaves the previous
        file and the previous backup whole; an OS error raises GendanError naming the file and cause.
        """
        given = Path(path) if path else self.path
        names = self.parts()

        def write(temporary: str) -> None:
            with open(temporary, "wb") as fh:
                write_zip(fh, [(name, self._deflating[name].result() if name in self._deflating else self.get(name))
                               for name in names])

        backup_path = write_atomically(given, write, backup=backup,
                                       failure="无法保存，主工作簿未改动 cannot save, the workbook was not changed")
        self.path = given
        self._raw.update(self._changed)
        self._infos = [zipfile.ZipInfo(n) for n in names]
        self._changed = {}
        self._deflating = {}
        return backup_path
