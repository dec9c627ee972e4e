"""The xlsx/xlsm zip package: parts by name, sheets and tables located, atomic save with backup.

Every part gendan does not change is written back byte for byte; only parts handed to
``put`` are replaced. This keeps VBA, the ribbon, charts, user sheets and styles intact.
"""

from __future__ import annotations

import glob
import os
import posixpath
import re
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from ..errors import GendanError
from .files import file_mode, os_cause
from .zip_writer import write_zip

NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_WORKSHEET = NS_REL + "/worksheet"
REL_TABLE = NS_REL + "/table"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

_SHEET_RE = re.compile(rb'<(?:\w+:)?sheet\b([^>]*?)/?>')
_ATTR_RE = re.compile(rb'([\w:]+)="([^"]*)"')
_REL_RE = re.compile(rb'<(?:\w+:)?Relationship\b([^>]*?)/?>')


def attrs(tag_attrs: bytes) -> dict[str, str]:
    """The attributes of an XML start tag's attribute text, unescaped."""
    return {k.decode(): _unescape(v.decode("utf-8")) for k, v in _ATTR_RE.findall(tag_attrs)}


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def xml_attr(text) -> str:
    """Escape a value for an XML attribute."""
    return escape(str(text), {'"': "&quot;"})


@dataclass
class SheetRef:
    """A worksheet of the workbook: its display name, part path and relationship id."""

    name: str
    part: str
    rid: str
    sheet_id: int


class Package:
    """An opened xlsx/xlsm file: read parts, replace some, save atomically."""

    def __init__(self, path):
        self.path = Path(path)
        if not self.path.exists():
            raise GendanError("工作簿不存在 workbook not found", file=self.path)
        try:
            with zipfile.ZipFile(self.path) as zf:
                self._infos = zf.infolist()
                self._raw = {info.filename: zf.read(info) for info in self._infos}
        except zipfile.BadZipFile as exc:
            raise GendanError("工作簿已损坏或被加密 workbook is corrupt, encrypted or not an xlsx/xlsm file",
                              file=self.path) from exc
        except PermissionError as exc:
            raise GendanError("工作簿无法读取 workbook cannot be read (locked or no permission)",
                              file=self.path) from exc
        if "xl/workbook.xml" not in self._raw:
            raise GendanError("不是 Excel 工作簿 not an Excel workbook (xl/workbook.xml missing)", file=self.path)
        self._changed: dict[str, bytes] = {}
        self.sheets = self._read_sheets()

    # -- parts -------------------------------------------------------------------------------
    def get(self, part: str) -> bytes:
        if part in self._changed:
            return self._changed[part]
        return self._raw[part]

    def has(self, part: str) -> bool:
        return part in self._changed or part in self._raw

    def put(self, part: str, data: bytes) -> None:
        self._changed[part] = data

    def rels_of(self, part: str) -> str:
        folder, name = posixpath.split(part)
        return posixpath.join(folder, "_rels", name + ".rels")

    def relationships(self, part: str) -> list[dict[str, str]]:
        rels = self.rels_of(part)
        if not self.has(rels):
            return []
        folder = posixpath.dirname(part)
        out = []
        for m in _REL_RE.finditer(self.get(rels)):
            a = attrs(m.group(1))
            if a.get("TargetMode") != "External":
                target = a["Target"]
                a["part"] = (target.lstrip("/") if target.startswith("/")
                             else posixpath.normpath(posixpath.join(folder, target)))
            out.append(a)
        return out

    def _read_sheets(self) -> list[SheetRef]:
        rels = {r["Id"]: r for r in self.relationships("xl/workbook.xml")}
        sheets = []
        for m in _SHEET_RE.finditer(self.get("xl/workbook.xml")):
            a = attrs(m.group(1))
            rid = next((v for k, v in a.items() if k.endswith(":id")), None)
            rel = rels.get(rid)
            if rel is None or rel.get("Type") != REL_WORKSHEET:
                continue
            sheets.append(SheetRef(a["name"], rel["part"], rid, int(a.get("sheetId", 0))))
        return sheets

    def sheet(self, name: str) -> SheetRef:
        for s in self.sheets:
            if s.name == name:
                return s
        raise GendanError("找不到工作表 sheet not found", file=self.path, sheet=name,
                          expected="one of " + ", ".join(s.name for s in self.sheets))

    def has_sheet(self, name: str) -> bool:
        return any(s.name == name for s in self.sheets)

    # -- adding parts ------------------------------------------------------------------------
    def add_sheet(self, name: str, xml: bytes) -> SheetRef:
        """Add a new worksheet part at the end of the workbook."""
        n = 1
        existing = {s.part for s in self.sheets} | set(self._raw) | set(self._changed)
        while f"xl/worksheets/sheet{n}.xml" in existing:
            n += 1
        part = f"xl/worksheets/sheet{n}.xml"
        rid = self.add_relationship("xl/workbook.xml", REL_WORKSHEET, f"worksheets/sheet{n}.xml")
        sheet_id = max((s.sheet_id for s in self.sheets), default=0) + 1
        wb = self.get("xl/workbook.xml")
        entry = f'<sheet name="{xml_attr(name)}" sheetId="{sheet_id}" r:id="{rid}"/>'.encode()
        wb = re.sub(rb"</(\w+:)?sheets>", lambda m: entry + m.group(0), wb, count=1)
        if b'xmlns:r="' not in wb[:2000]:
            raise GendanError("不支持的工作簿格式 unsupported workbook.xml (no r namespace)", file=self.path)
        self.put("xl/workbook.xml", wb)
        self.add_content_type("/" + part, CT_WORKSHEET)
        self.put(part, xml)
        ref = SheetRef(name, part, rid, sheet_id)
        self.sheets.append(ref)
        return ref

    def add_relationship(self, source_part: str, rel_type: str, target: str) -> str:
        rels_part = self.rels_of(source_part)
        if self.has(rels_part):
            data = self.get(rels_part)
        else:
            data = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                    b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>')
        ids = {int(m) for m in re.findall(rb'Id="rId(\d+)"', data)}
        rid = f"rId{max(ids, default=0) + 1}"
        entry = f'<Relationship Id="{rid}" Type="{rel_type}" Target="{xml_attr(target)}"/>'.encode()
        self.put(rels_part, data.replace(b"</Relationships>", entry + b"</Relationships>"))
        return rid

    def add_content_type(self, part_name: str, content_type: str) -> None:
        data = self.get("[Content_Types].xml")
        if f'PartName="{part_name}"'.encode() in data:
            return
        entry = f'<Override PartName="{part_name}" ContentType="{content_type}"/>'.encode()
        self.put("[Content_Types].xml", data.replace(b"</Types>", entry + b"</Types>"))

    # -- saving ------------------------------------------------------------------------------
    def save(self, path=None, *, backup: bool = True) -> Path | None:
        """Write the package atomically; keep the previous file as ``<name>.bak<suffix>``.

        Returns the backup path (or None). The new file is written in full (and synced) beside the
        target first; only then is the previous file copied onto the backup (through a synced temp
        file and ``os.replace``), and the new file moved into place. A crash or a full disk at any
        point leaves the previous master and the previous backup whole; an OS error (disk full,
        no permission …) removes the temporaries and raises GendanError naming the file and cause.
        """
        target = Path(path) if path else self.path
        names = [i.filename for i in self._infos] + [p for p in self._changed if p not in self._raw]
        temporaries: list[str] = []
        backup_path = None
        try:
            fresh = _temporary(target, temporaries)
            with open(fresh, "wb") as fh:
                write_zip(fh, [(name, self.get(name)) for name in names])
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(fresh, file_mode(target))
            if backup and target.exists():
                backup_path = backup_path_for(target)
                kept = _temporary(target, temporaries)
                with open(target, "rb") as old, open(kept, "wb") as fh:
                    shutil.copyfileobj(old, fh, 1 << 20)
                    fh.flush()
                    os.fsync(fh.fileno())
                shutil.copystat(target, kept)
                os.replace(kept, backup_path)
            os.replace(fresh, target)
        except OSError as exc:
            raise GendanError(f"无法保存，主工作簿未改动 cannot save, the workbook was not changed: "
                              f"{os_cause(exc)}", file=target) from exc
        finally:
            for leftover in temporaries:
                try:
                    os.unlink(leftover)
                except OSError:
                    pass   # moved into place, or not removable: the stale cleanup retries later
        _remove_stale_temporaries(target)
        self.path = target
        self._raw.update(self._changed)
        self._infos = [zipfile.ZipInfo(n) for n in names]
        self._changed = {}
        return backup_path


def _temporary(target: Path, made: list[str]) -> str:
    """A new empty temporary file beside ``target`` (recorded in ``made`` to be removed if left)."""
    fd, name = tempfile.mkstemp(prefix="." + target.stem + ".", suffix=".tmp", dir=target.parent)
    os.close(fd)
    made.append(name)
    return name


STALE_SECONDS = 600


def _remove_stale_temporaries(target: Path) -> None:
    """Delete temporary files an interrupted save (a killed process) left beside the master; only
    those older than ten minutes, so another gendan writing right now is not disturbed."""
    cutoff = time.time() - STALE_SECONDS
    for leftover in target.parent.glob("." + glob.escape(target.stem) + ".*.tmp"):
        try:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
        except OSError:
            pass   # gone already, or not ours to remove: nothing is lost either way


def backup_path_for(target: Path) -> Path:
    """``master.xlsx`` -> ``master.bak.xlsx`` (one rolling backup of the previous version)."""
    return target.with_name(target.stem + ".bak" + target.suffix)

