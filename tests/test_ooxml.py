"""The OOXML package layer on its own (gendan_xl.ooxml): packages built here part by part, no demo.

The one atomic write (synced before the rename, the target's mode kept, a symbolic link written
through, the backup), relationships and content types, the workbook's sheets, and a package from
outside refused when it declares a DOCTYPE or unpacks like a zip bomb.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import pytest

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.ooxml.files import backup_path_for, write_atomically
from gendan_xl.ooxml.package import (CONTENT_TYPES, REL_WORKSHEET, Package, content_type_of, main_part,
                                     relationships_of, set_content_type)
from gendan_xl.ooxml.untrusted import open_package, worksheet_parts
from gendan_xl.ooxml.xml_guard import check_no_doctype
from gendan_xl.ooxml.xml_part import parse

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CHARTSHEET = R + "/chartsheet"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
DOCTYPE = b'<!DOCTYPE worksheet [<!ENTITY x "y">]>'


def sheet_xml(value: str) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
            + value.encode() + b"</t></is></c></row></sheetData></worksheet>")


def package_parts(workbook: str = "xl/workbook.xml") -> dict[str, bytes]:
    """A small workbook: two worksheets (the second's part named by an absolute target) and a
    chartsheet between them, in that workbook order; an external link the sheets never use."""
    folder = workbook.rsplit("/", 1)[0]
    return {
        CONTENT_TYPES: (
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/' + workbook.encode() + b'" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.sheet.main+xml"/></Types>'),
        "_rels/.rels": (
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="' + R.encode() + b'/officeDocument" Target="' + workbook.encode()
            + b'"/></Relationships>'),
        workbook: (
            b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="' + R.encode()
            + b'"><sheets><sheet name="Orders" sheetId="1" r:id="rId1"/><sheet name="Chart" sheetId="2" '
            b'r:id="rId3"/><sheet name="Notes" sheetId="3" r:id="rId2"/></sheets></workbook>'),
        f"{folder}/_rels/{workbook.rsplit('/', 1)[1]}.rels": (
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="' + R.encode() + b'/worksheet" Target="worksheets/sheet1.xml"/>'
            b'<Relationship Id="rId2" Type="' + R.encode() + b'/worksheet" Target="/' + folder.encode()
            + b'/worksheets/sheet2.xml"/>'
            b'<Relationship Id="rId3" Type="' + CHARTSHEET.encode() + b'" Target="chartsheets/sheet1.xml"/>'
            b'<Relationship Id="rId4" Type="' + R.encode() + b'/hyperlink" Target="https://example.com" '
            b'TargetMode="External"/></Relationships>'),
        f"{folder}/worksheets/sheet1.xml": sheet_xml("PO-1"),
        f"{folder}/worksheets/sheet2.xml": sheet_xml("note"),
        f"{folder}/chartsheets/sheet1.xml": b'<chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                                            b'2006/main"/>',
    }


def zipped(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def read_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


# --- the atomic write -----------------------------------------------------------------------------

@pytest.fixture
def syncs(monkeypatch) -> list[tuple]:
    """What the write did, in order: ("fsync", the file synced) and ("replace", from, to)."""
    events: list[tuple] = []
    fsync, replace = os.fsync, os.replace

    def record_fsync(fd):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        return fsync(fd)

    def record_replace(src, dst):
        events.append(("replace", str(src), str(dst)))
        return replace(src, dst)

    monkeypatch.setattr(os, "fsync", record_fsync)
    monkeypatch.setattr(os, "replace", record_replace)
    return events


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc to name a synced descriptor")
def test_the_new_file_and_the_backup_are_synced_before_they_are_renamed_into_place(tmp_path, syncs):
    target = tmp_path / "master.xlsx"
    target.write_bytes(b"previous")
    backup = write_atomically(target, lambda tmp: Path(tmp).write_bytes(b"new"), backup=True)
    assert target.read_bytes() == b"new" and backup == backup_path_for(target) == tmp_path / "master.bak.xlsx"
    assert backup.read_bytes() == b"previous"
    renames = [event for event in syncs if event[0] == "replace"]
    assert [Path(dst).name for _, _, dst in renames] == ["master.bak.xlsx", "master.xlsx"]   # the backup first
    for _, src, _ in renames:
        assert syncs.index(("fsync", src)) < syncs.index(next(e for e in renames if e[1] == src))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["master.bak.xlsx", "master.xlsx"]


def test_the_backup_is_the_previous_file_itself_where_hard_links_are_made(tmp_path):
    target = tmp_path / "master.xlsx"
    target.write_bytes(b"previous")
    inode = target.stat().st_ino
    backup = write_atomically(target, lambda tmp: Path(tmp).write_bytes(b"new"), backup=True)
    assert backup.read_bytes() == b"previous" and backup.stat().st_ino == inode   # linked, not copied
    assert target.read_bytes() == b"new" and target.stat().st_ino != inode


def test_the_backup_is_a_copy_without_hard_links_or_of_a_file_linked_elsewhere(tmp_path, monkeypatch):
    linked_elsewhere = tmp_path / "master.xlsx"
    linked_elsewhere.write_bytes(b"previous")
    other = tmp_path / "other name.xlsx"
    os.link(linked_elsewhere, other)   # a change through the other name must not change the backup
    backup = write_atomically(linked_elsewhere, lambda tmp: Path(tmp).write_bytes(b"new"), backup=True)
    assert backup.read_bytes() == b"previous" and backup.stat().st_ino != other.stat().st_ino
    no_links = tmp_path / "on a FAT stick.xlsx"
    no_links.write_bytes(b"previous")

    def refused(*_):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", refused)
    backup = write_atomically(no_links, lambda tmp: Path(tmp).write_bytes(b"new"), backup=True)
    assert backup.read_bytes() == b"previous" and no_links.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["master.bak.xlsx", "master.xlsx", "on a FAT stick.bak.xlsx",
                                                          "on a FAT stick.xlsx", "other name.xlsx"]


def test_a_failed_sync_leaves_the_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"previous")

    def full(_fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(GendanError, match="磁盘已满 disk full") as caught:
        write_atomically(target, lambda tmp: Path(tmp).write_bytes(b"new"))
    assert caught.value.code is ErrorCode.FILE_ERROR and caught.value.file == str(target)
    assert target.read_bytes() == b"previous" and [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def test_an_existing_file_keeps_its_mode_and_a_new_one_gets_the_users_normal_mode(tmp_path):
    kept = tmp_path / "kept.xlsx"
    kept.write_bytes(b"previous")
    kept.chmod(0o640)
    write_atomically(kept, lambda tmp: Path(tmp).write_bytes(b"new"))
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_bytes() == b"new"
    umask = os.umask(0o027)
    try:
        write_atomically(tmp_path / "new.xlsx", lambda tmp: Path(tmp).write_bytes(b"new"))
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.xlsx").stat().st_mode) == 0o640   # 0666 less the umask, not mkstemp's 0600


def test_a_symbolic_link_is_written_through_and_the_backup_sits_beside_its_target(tmp_path):
    real = tmp_path / "shared" / "master.xlsx"
    real.parent.mkdir()
    real.write_bytes(b"previous")
    link = tmp_path / "master.xlsx"
    link.symlink_to(real)
    backup = write_atomically(link, lambda tmp: Path(tmp).write_bytes(b"new"), backup=True)
    assert link.is_symlink() and link.resolve() == real and real.read_bytes() == b"new"
    assert backup == real.with_name("master.bak.xlsx") and backup.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["master.xlsx", "shared"]


def test_every_atomic_write_clears_old_temporaries_of_killed_writes(tmp_path):
    """Before, only the master's save did; a chase file or PDF written again left them for ever."""
    old, fresh = tmp_path / ".催单_A.abc123.tmp", tmp_path / ".催单_A.def456.tmp"
    for leftover in (old, fresh):
        leftover.write_bytes(b"partial")
    os.utime(old, (0, 0))
    write_atomically(tmp_path / "催单_A.xlsx", lambda tmp: Path(tmp).write_bytes(b"new"))
    assert not old.exists() and fresh.exists()   # a write under way now is not disturbed


# --- relationships, content types, sheets ---------------------------------------------------------

def test_relationships_resolve_relative_and_absolute_targets_and_leave_external_ones_alone():
    rels = relationships_of(parse(package_parts()["xl/_rels/workbook.xml.rels"]), "xl/workbook.xml")
    assert [r.get("part") for r in rels] == ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
                                             "xl/chartsheets/sheet1.xml", None]
    assert main_part(parse(package_parts("xl/book.xml")["_rels/.rels"])) == "xl/book.xml"


def test_content_types_change_an_override_add_one_beside_a_default_or_add_a_default():
    types = parse(package_parts()[CONTENT_TYPES])
    assert not set_content_type(types, "xl/worksheets/sheet1.xml", "application/xml")   # the xml Default already
    assert set_content_type(types, "xl/worksheets/sheet1.xml", SHEET_TYPE)              # another type: an Override
    assert set_content_type(types, "xl/workbook.xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    assert set_content_type(types, "xl/vbaProject.bin", "application/vnd.ms-office.vbaProject")   # a new Default
    again = parse(types.tobytes())
    assert content_type_of(again, "xl/worksheets/sheet1.xml") == SHEET_TYPE
    assert content_type_of(again, "xl/worksheets/sheet2.xml") == "application/xml"
    assert content_type_of(again, "xl/workbook.xml") == "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    assert content_type_of(again, "xl/other.bin") == "application/vnd.ms-office.vbaProject"
    assert [(el.tag.rsplit("}", 1)[1], el.get("Extension") or el.get("PartName")) for el in again.root] == [
        ("Default", "rels"), ("Default", "xml"), ("Override", "/xl/workbook.xml"),
        ("Override", "/xl/worksheets/sheet1.xml"), ("Default", "bin")]   # the one Override changed in place


def test_a_package_lists_its_worksheets_adds_parts_and_saves_the_rest_unchanged(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(zipped(package_parts()))
    package = Package(path)
    assert [(s.name, s.part, s.rid) for s in package.sheets] == [
        ("Orders", "xl/worksheets/sheet1.xml", "rId1"), ("Notes", "xl/worksheets/sheet2.xml", "rId2")]
    added = package.add_sheet("New", sheet_xml("x"))
    assert (added.part, added.rid, added.sheet_id) == ("xl/worksheets/sheet3.xml", "rId5", 4)
    assert package.add_relationship("xl/worksheets/sheet3.xml", R + "/table", "../tables/table1.xml") == "rId1"
    assert package.save(backup=False) is None
    saved = read_parts(path)
    for name, data in package_parts().items():
        if name not in (CONTENT_TYPES, "xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
            assert saved[name] == data, name
    again = Package(path)
    assert [s.name for s in again.sheets] == ["Orders", "Notes", "New"]
    assert content_type_of(again.xml(CONTENT_TYPES), "xl/worksheets/sheet3.xml") == SHEET_TYPE
    assert [r["part"] for r in again.relationships("xl/worksheets/sheet3.xml")] == ["xl/tables/table1.xml"]
    assert [r["Type"] for r in again.relationships("xl/workbook.xml")][-1] == REL_WORKSHEET


def test_a_doctype_in_a_package_part_is_refused(tmp_path):
    parts = package_parts()
    parts["xl/worksheets/sheet2.xml"] = parts["xl/worksheets/sheet2.xml"].replace(b"<worksheet", DOCTYPE + b"<worksheet")
    path = tmp_path / "book.xlsx"
    path.write_bytes(zipped(parts))
    with pytest.raises(GendanError) as caught:
        check_no_doctype(Package(path), path.name)
    assert caught.value.code is ErrorCode.UNSAFE_FILE and caught.value.sheet == "Notes"
    parts = package_parts()
    parts["xl/_rels/workbook.xml.rels"] = DOCTYPE.replace(b"worksheet", b"Relationships") + parts["xl/_rels/workbook.xml.rels"]
    path.write_bytes(zipped(parts))
    with pytest.raises(GendanError) as caught:
        Package(path)
    assert caught.value.code is ErrorCode.UNSAFE_FILE and caught.value.value == "xl/_rels/workbook.xml.rels"


# --- a package from outside -----------------------------------------------------------------------

LIMITS = {"max_unpacked": 8 << 20, "max_ratio": 100, "ratio_from": 1 << 20}


def test_a_package_from_outside_names_every_sheet_part_it_holds_wherever_its_workbook_is():
    package = open_package(zipped(package_parts("xl/book.xml")), "supplier.xlsx", **LIMITS)
    assert worksheet_parts(package, "supplier.xlsx") == {
        "Orders": "xl/worksheets/sheet1.xml", "Chart": "xl/chartsheets/sheet1.xml", "Notes": "xl/worksheets/sheet2.xml"}
    binary = package_parts()
    binary["_rels/.rels"] = binary["_rels/.rels"].replace(b"xl/workbook.xml", b"xl/workbook.bin")   # an .xlsb
    assert worksheet_parts(open_package(zipped(binary), "s.xlsb", **LIMITS), "s.xlsb") == {}


@pytest.mark.parametrize("part", ["_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"])
def test_a_package_from_outside_with_a_doctype_is_refused(part):
    parts = package_parts()
    parts[part] = b'<?xml version="1.0"?>' + DOCTYPE + parts[part]
    with pytest.raises(GendanError, match=f"its part {part} ") as caught:
        worksheet_parts(open_package(zipped(parts), "supplier.xlsx", **LIMITS), "supplier.xlsx")
    assert caught.value.code is ErrorCode.UNSAFE_FILE and caught.value.file == "supplier.xlsx"


def test_a_part_of_a_package_from_outside_that_is_not_xml_is_a_corrupt_file_naming_it():
    parts = package_parts()
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b"</workbook>", b"</wrkbook>")
    with pytest.raises(GendanError, match=r"its part xl/workbook.xml .*\(mismatched tag") as caught:
        worksheet_parts(open_package(zipped(parts), "supplier.xlsx", **LIMITS), "supplier.xlsx")
    assert caught.value.code is ErrorCode.BAD_WORKBOOK


def test_a_zip_bomb_is_refused_from_its_declared_sizes_before_anything_is_unpacked():
    parts = package_parts()
    parts["xl/worksheets/sheet1.xml"] = b"<worksheet>" + b" " * (2 << 20) + b"</worksheet>"   # 2 MB, ~1000:1
    with pytest.raises(GendanError, match="its part xl/worksheets/sheet1.xml") as caught:
        open_package(zipped(parts), "bomb.xlsx", **LIMITS)
    assert caught.value.code is ErrorCode.UNSAFE_FILE and caught.value.file == "bomb.xlsx"
    stored = zipped(parts, zipfile.ZIP_STORED)   # the same 2 MB stored: no ratio, only its size counts
    assert open_package(stored, "big.xlsx", **LIMITS).namelist() == list(parts)
    with pytest.raises(GendanError, match="2 MB, more than the 1 MB limit") as caught:
        open_package(stored, "big.xlsx", **{**LIMITS, "max_unpacked": 1 << 20})
    assert caught.value.code is ErrorCode.TOO_LARGE


def test_bytes_that_are_no_zip_are_a_corrupt_file():
    with pytest.raises(GendanError) as caught:
        open_package(b"PK\x03\x04 not really", "broken.xlsx", **LIMITS)
    assert caught.value.code is ErrorCode.BAD_WORKBOOK and caught.value.file == "broken.xlsx"
