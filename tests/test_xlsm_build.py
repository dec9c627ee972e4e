"""Packaging the .xlsm: parts, relationships, code names, ribbon, openpyxl and LibreOffice."""

from __future__ import annotations

import errno
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine
import xlwings
from libreoffice import convert
from oletools.olevba import VBA_Parser

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.xlsm.ribbon_vba import ribbon_module
from gendan_xl.xlsm.ribbon_xml import BUTTONS, CUSTOMUI_NS, RIBBON_TAGS, TAB_LABEL, ribbon_xml
from gendan_xl.xlsm.xlsm import (CUSTOMUI_PART, MACRO_MAIN_TYPE, UI_EXTENSIBILITY, VBA_PROJECT,
                                  VBA_TYPE, ensure_ribbon_relationship, make_macro_enabled)

RIBBON_BAS = Path(__file__).parents[1] / "gendan_xl" / "xlsm" / "vba" / "GendanRibbon.bas"
FUNCTIONS_BAS = RIBBON_BAS.with_name("xlwings_udfs.bas")
WORKBOOK_CODE = RIBBON_BAS.with_name("ThisWorkbook.vba")
XLWINGS_BAS = Path(xlwings.__file__).parent / "xlwings.bas"
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MODULE_NAMES = {"ThisWorkbook", "Sheet1", "Sheet2", "GendanRibbon", "xlwings_udfs", "xlwings"}


@pytest.fixture(scope="module")
def xlsx(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("in") / "master.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "订单 Orders"
    workbook.active["A1"] = "PO-1"
    workbook.create_sheet("供应商 Suppliers")["B2"] = 42
    workbook.save(path)
    return path


@pytest.fixture(scope="module")
def xlsm(xlsx, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("out") / "master.xlsm"
    make_macro_enabled(xlsx, path)
    return path


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def relationships(data: bytes) -> dict[str, str]:
    return {rel.get("Type"): rel.get("Target") for rel in ET.fromstring(data)}


def content_types(data: bytes) -> tuple[dict[str, str], dict[str, str]]:
    root = ET.fromstring(data)
    defaults = {e.get("Extension"): e.get("ContentType") for e in root.iter(f"{CT_NS}Default")}
    overrides = {e.get("PartName"): e.get("ContentType") for e in root.iter(f"{CT_NS}Override")}
    return defaults, overrides


# --- ribbon ----------------------------------------------------------------------------------

def test_ribbon_xml_is_well_formed_with_unique_ids_and_the_eleven_tags():
    root = ET.fromstring(ribbon_xml())
    assert root.tag == f"{{{CUSTOMUI_NS}}}customUI"
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert RIBBON_TAGS == ("refresh", "sync", "reconcile", "plan", "chase", "customer_report", "quote", "ship",
                           "samples", "flag", "help")
    buttons = list(root.iter(f"{{{CUSTOMUI_NS}}}button"))
    assert [b.get("tag") for b in buttons] == list(RIBBON_TAGS)
    assert {b.get("label") for b in buttons} == {b.label for b in BUTTONS}
    assert "刷新周报 Refresh" in {b.get("label") for b in buttons}
    assert root.find(f".//{{{CUSTOMUI_NS}}}tab").get("label") == TAB_LABEL == "跟单 Gendan"
    assert ribbon_xml().startswith(b'<?xml version="1.0" encoding="UTF-8"')


def test_every_on_action_is_a_public_ribbon_sub_in_vba():
    source = RIBBON_BAS.read_bytes().decode("ascii")
    actions = {e.get("onAction") for e in ET.fromstring(ribbon_xml()).iter() if e.get("onAction")}
    assert actions
    for action in actions:
        assert re.search(rf"^Public Sub {action}\(control As IRibbonControl\)\r$", source, re.M)


def test_tags_pass_the_vba_guard():
    source = RIBBON_BAS.read_text("ascii")
    assert 'Like "*[!A-Za-z0-9_]*"' in source and "Len(cmdName) > 64" in source
    for tag in RIBBON_TAGS:
        assert re.fullmatch(r"[A-Za-z0-9_]{1,64}", tag)
    run = next(line for line in source.splitlines() if line.lstrip().startswith("RunPython "))
    assert "r.run('\" & cmdName & \"')" in run
    assert source.index("If Not IsSafeName(cmdName)") < source.index(run)


def test_ribbon_module_is_ascii_crlf():
    for data in (RIBBON_BAS.read_bytes(), ribbon_module().source.encode("ascii")):
        assert data.startswith(b'Attribute VB_Name = "GendanRibbon"\r\n')
        assert data.count(b"\n") == data.count(b"\r\n")


# --- packaging -------------------------------------------------------------------------------

def test_untouched_parts_are_copied_byte_for_byte(xlsx, xlsm):
    before, after = parts(xlsx), parts(xlsm)
    edited = {"[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/workbook.xml",
              "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"}
    assert set(after) == set(before) | {"xl/vbaProject.bin", CUSTOMUI_PART}
    for name in set(before) - edited:
        assert after[name] == before[name], name
    for name in edited:
        ET.fromstring(after[name])


def test_relationships_and_content_types(xlsm):
    found = parts(xlsm)
    assert relationships(found["_rels/.rels"])[UI_EXTENSIBILITY] == CUSTOMUI_PART
    assert relationships(found["xl/_rels/workbook.xml.rels"])[VBA_PROJECT] == "vbaProject.bin"
    defaults, overrides = content_types(found["[Content_Types].xml"])
    assert overrides["/xl/workbook.xml"] == MACRO_MAIN_TYPE
    assert defaults["bin"] == VBA_TYPE
    assert defaults["xml"] == "application/xml"
    assert found[CUSTOMUI_PART] == ribbon_xml()


def test_code_names_are_set_in_schema_position(xlsm):
    found = parts(xlsm)
    workbook = ET.fromstring(found["xl/workbook.xml"])
    assert workbook.find(f"{MAIN_NS}workbookPr").get("codeName") == "ThisWorkbook"
    for number in (1, 2):
        sheet = ET.fromstring(found[f"xl/worksheets/sheet{number}.xml"])
        first = sheet[0]
        assert first.tag == f"{MAIN_NS}sheetPr"
        assert first.get("codeName") == f"Sheet{number}"
        assert len(sheet.findall(f"{MAIN_NS}sheetPr")) == 1


def test_sheet_pr_is_inserted_when_missing(tmp_path, xlsx):
    bare = tmp_path / "bare.xlsx"
    with zipfile.ZipFile(xlsx) as source, zipfile.ZipFile(bare, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = re.sub(rb"<sheetPr>.*?</sheetPr>", b"", data)
            if info.filename == "xl/workbook.xml":
                data = re.sub(rb"<workbookPr\s*/>", b"", data)
            target.writestr(info, data)
    out = tmp_path / "bare.xlsm"
    make_macro_enabled(bare, out)
    found = parts(out)
    sheet = ET.fromstring(found["xl/worksheets/sheet2.xml"])
    assert sheet[0].tag == f"{MAIN_NS}sheetPr" and sheet[0].get("codeName") == "Sheet2"
    workbook = ET.fromstring(found["xl/workbook.xml"])
    assert workbook[0].tag == f"{MAIN_NS}workbookPr"
    assert workbook[0].get("codeName") == "ThisWorkbook"


def test_vba_project_holds_document_and_standard_modules(xlsm):
    parser = VBA_Parser(str(xlsm))
    code = {stream.split("/")[-1]: text for _, stream, _, text in parser.extract_macros()}
    assert set(code) == MODULE_NAMES
    assert code["xlwings"].encode("cp1252") == XLWINGS_BAS.read_bytes()
    assert code["GendanRibbon"].encode("ascii") == ribbon_module().source.encode("ascii")
    assert code["xlwings_udfs"].encode("ascii") == FUNCTIONS_BAS.read_bytes()
    assert 'Attribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"' in code["ThisWorkbook"]
    assert code["ThisWorkbook"].endswith("\r\n" + WORKBOOK_CODE.read_bytes().decode("ascii"))
    assert "Private Sub Workbook_Open()" in code["ThisWorkbook"]
    assert 'Attribute VB_Base = "0{00020820-0000-0000-C000-000000000046}"' in code["Sheet2"]


def test_build_is_deterministic_and_atomic(xlsx, xlsm, tmp_path):
    again = tmp_path / "again.xlsm"
    make_macro_enabled(xlsx, again)
    assert again.read_bytes() == xlsm.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["again.xlsm"]


def test_a_failed_write_leaves_the_target_alone(xlsx, tmp_path, monkeypatch):
    """Written like the master (``ooxml.files.write_atomically``): an OS error is a GendanError naming
    the file and its cause in words (before: the bare OSError)."""
    target = tmp_path / "target.xlsm"
    target.write_bytes(b"previous")

    def fail(*_):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(GendanError, match="磁盘已满 disk full") as caught:
        make_macro_enabled(xlsx, target)
    monkeypatch.undo()
    assert caught.value.code is ErrorCode.FILE_ERROR and caught.value.file == str(target)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["target.xlsm"]


def test_calamine_reads_the_macro_enabled_workbook(xlsm):
    workbook = python_calamine.CalamineWorkbook.from_path(str(xlsm))
    assert workbook.sheet_names == ["订单 Orders", "供应商 Suppliers"]
    assert workbook.get_sheet_by_index(0).to_python() == [["PO-1"]]


def test_openpyxl_keeps_vba_and_ensure_restores_the_ribbon(xlsm, tmp_path):
    original = parts(xlsm)
    saved = tmp_path / "saved.xlsm"
    workbook = openpyxl.load_workbook(xlsm, keep_vba=True)
    assert workbook.code_name == "ThisWorkbook"
    assert [ws.sheet_properties.codeName for ws in workbook.worksheets] == ["Sheet1", "Sheet2"]
    workbook.save(saved)
    after_openpyxl = parts(saved)
    assert after_openpyxl["xl/vbaProject.bin"] == original["xl/vbaProject.bin"]
    assert UI_EXTENSIBILITY not in relationships(after_openpyxl["_rels/.rels"])

    assert ensure_ribbon_relationship(saved) is True
    restored = parts(saved)
    assert relationships(restored["_rels/.rels"])[UI_EXTENSIBILITY] == CUSTOMUI_PART
    defaults, overrides = content_types(restored["[Content_Types].xml"])
    assert overrides["/xl/workbook.xml"] == MACRO_MAIN_TYPE and defaults["bin"] == VBA_TYPE
    assert restored[CUSTOMUI_PART] == original[CUSTOMUI_PART]
    for name in set(restored) - {"_rels/.rels", "[Content_Types].xml"}:
        assert restored[name] == after_openpyxl[name], name

    bytes_once = saved.read_bytes()
    assert ensure_ribbon_relationship(saved) is False
    assert saved.read_bytes() == bytes_once


def test_ensure_refuses_a_file_without_ribbon(xlsx):
    with pytest.raises(ValueError, match="customUI"):
        ensure_ribbon_relationship(xlsx)


# --- LibreOffice -----------------------------------------------------------------------------

def basic_body(module_xml: bytes) -> str:
    """The module text LibreOffice stored, minus the two lines it adds for VBA support."""
    text = ET.fromstring(module_xml).text
    lines = text.split("\n")
    assert lines[0].startswith("Rem Attribute VBA_ModuleType=") and lines[1] == "Option VBASupport 1"
    return "\n".join(lines[2:])


def test_libreoffice_imports_the_vba_project(xlsm, tmp_path):
    ods = convert(xlsm, "ods", tmp_path)  # fails (never skips) without soffice; fresh profile
    found = parts(ods)
    library = ET.fromstring(found["Basic/GendanXL/script-lb.xml"])
    names = {e.get("{http://openoffice.org/2000/library}name") for e in library}
    assert names == MODULE_NAMES
    for name, text in (("GendanRibbon", ribbon_module().source), ("xlwings_udfs", FUNCTIONS_BAS.read_text("cp1252")),
                       ("xlwings", XLWINGS_BAS.read_text("cp1252"))):
        source = text.replace("\r\n", "\n")
        expected = source.split("\n", 1)[1]  # LibreOffice drops the Attribute VB_Name line
        assert basic_body(found[f"Basic/GendanXL/{name}.xml"]).rstrip("\n") == expected.rstrip("\n")
    for document in ("ThisWorkbook", "Sheet1", "Sheet2"):
        assert b'script:moduleType="document"' in found[f"Basic/GendanXL/{document}.xml"]
