"""The macro-enabled master: xlwings.conf, VBA and ribbon, and what survives a headless refresh."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import python_calamine
import xlwings
from libreoffice import convert
from oletools.olevba import VBA_Parser

from conftest import AS_OF
from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.xlsm.master_xlsm import CONFIG_SHEET, UDF_MODULES, write_macro_master
from gendan_xl.xlsm.ribbon_vba import ribbon_module
from gendan_xl.xlsm.xlsm import CUSTOMUI_PART, MACRO_MAIN_TYPE, UI_EXTENSIBILITY, VBA_PROJECT, VBA_TYPE
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.store.master import MasterWorkbook
from gendan_xl.sheets.report_sheet import REPORT_SHEET
from xlwings_memory_engine import open_book

SOURCES = {"GendanRibbon": ribbon_module().source.encode("ascii"),
           "xlwings_udfs": (Path(__file__).parents[1] / "gendan_xl" / "xlsm" / "vba" / "xlwings_udfs.bas").read_bytes(),
           "xlwings": (Path(xlwings.__file__).parent / "xlwings.bas").read_bytes()}
WORKBOOK_CODE = Path(__file__).parents[1] / "gendan_xl" / "xlsm" / "vba" / "ThisWorkbook.vba"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
LATER = AS_OF + dt.timedelta(days=7)


@pytest.fixture
def demo_xlsm(demo_dir, tmp_path) -> Path:
    write_macro_master(demo_dir / "master.xlsx", tmp_path / "master.xlsm")
    return tmp_path / "master.xlsm"


def parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def modules(path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    found = {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    parser.close()
    return found


def sheet_parts(found: dict[str, bytes]) -> dict[str, str]:
    """Sheet name -> its worksheet part."""
    targets = {rel.get("Id"): rel.get("Target") for rel in ET.fromstring(found["xl/_rels/workbook.xml.rels"])}
    out = {}
    for sheet in ET.fromstring(found["xl/workbook.xml"]).iter(f"{MAIN}sheet"):
        target = targets[sheet.get(f"{REL}id")]
        out[sheet.get("name")] = target[1:] if target.startswith("/") else "xl/" + target
    return out


def code_names(found: dict[str, bytes]) -> dict[str, str | None]:
    """Sheet name -> the codeName in its worksheet part; plus the workbook's own."""
    names = {"(workbook)": ET.fromstring(found["xl/workbook.xml"]).find(f"{MAIN}workbookPr").get("codeName")}
    for name, part in sheet_parts(found).items():
        names[name] = ET.fromstring(found[part]).find(f"{MAIN}sheetPr").get("codeName")
    return names


def test_vba_modules_are_the_sources_byte_for_byte(new_xlsm):
    found = modules(new_xlsm)
    sheets = python_calamine.CalamineWorkbook.from_path(str(new_xlsm)).sheet_names
    assert set(found) == {"ThisWorkbook", "GendanRibbon", "xlwings_udfs", "xlwings"} | {
        f"Sheet{i}" for i in range(1, len(sheets) + 1)}
    for name, source in SOURCES.items():
        assert found[name].encode("cp1252") == source, name
    workbook_code = WORKBOOK_CODE.read_bytes().decode("ascii")
    assert found["ThisWorkbook"].endswith("\r\n" + workbook_code) and "Sub Workbook_Open()" in workbook_code


def test_libreoffice_opens_the_master_and_lists_the_basic_modules(new_xlsm, tmp_path):
    found = parts(convert(new_xlsm, "ods", tmp_path))
    library = ET.fromstring(found["Basic/GendanXL/script-lb.xml"])
    assert {"GendanRibbon", "xlwings", "ThisWorkbook"} <= {e.get("{http://openoffice.org/2000/library}name")
                                                             for e in library}
    ribbon = ET.fromstring(found["Basic/GendanXL/GendanRibbon.xml"]).text
    assert "Public Sub GendanRibbonAction(control As IRibbonControl)" in ribbon
    assert 'RunPython "import gendan_xl.excel.ribbon as r; r.run(' in ribbon
    content = found["content.xml"].decode("utf-8")
    assert 'table:name="xlwings.conf"' in content and 'table:name="订单 Orders"' in content


def test_the_config_sheet_is_what_xlwings_reads(new_xlsm):
    sheets = python_calamine.CalamineWorkbook.from_path(str(new_xlsm))
    assert sheets.sheet_names[-1] == CONFIG_SHEET
    states = {s.get("name"): s.get("state") for s in ET.fromstring(parts(new_xlsm)["xl/workbook.xml"]).iter(f"{MAIN}sheet")}
    assert states[CONFIG_SHEET] == "hidden"
    rows = sheets.get_sheet_by_name(CONFIG_SHEET).to_python()
    assert rows[0] == ["UDF Modules", UDF_MODULES] and rows[1] == ["", ""]
    book = open_book(new_xlsm)
    assert xlwings.utils.read_config_sheet(book) == {"UDF Modules": UDF_MODULES}
    # xlwings.bas GetConfigFromSheet: A1 down to End(xlDown), keys upper-cased
    sheet = book.sheets[CONFIG_SHEET]
    last = sheet["A1"].end("down") if sheet["A2"].value else sheet["A1"]
    assert {k.upper(): v for k, v in sheet.range("A1", last).resize(None, 2).options(ndim=2).value} == {
        "UDF MODULES": UDF_MODULES}


def test_write_is_atomic_and_refuses_other_suffixes(demo_dir, tmp_path):
    target = tmp_path / "master.xlsm"
    write_macro_master(demo_dir / "master.xlsx", target, config={"UDF Modules": UDF_MODULES, "Use UDF Server": "True"})
    assert [p.name for p in tmp_path.iterdir()] == ["master.xlsm"]
    with pytest.raises(GendanError) as err:
        write_macro_master(demo_dir / "master.xlsx", tmp_path / "master.xlsx")
    assert err.value.code is ErrorCode.WRONG_FILE_TYPE


def test_headless_refresh_keeps_vba_ribbon_code_names_and_content_types(demo_xlsm):
    before = parts(demo_xlsm)
    modules_before = modules(demo_xlsm)
    actions.refresh(demo_xlsm, as_of=LATER)
    after = parts(demo_xlsm)
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    assert after[CUSTOMUI_PART] == before[CUSTOMUI_PART]
    rels = {r.get("Type"): r.get("Target") for r in ET.fromstring(after["_rels/.rels"])}
    assert rels[UI_EXTENSIBILITY] == CUSTOMUI_PART
    assert VBA_PROJECT in {r.get("Type") for r in ET.fromstring(after["xl/_rels/workbook.xml.rels"])}
    types = ET.fromstring(after["[Content_Types].xml"])
    assert {e.get("PartName"): e.get("ContentType") for e in types.iter(f"{CT}Override")}[
        "/xl/workbook.xml"] == MACRO_MAIN_TYPE
    assert {e.get("Extension"): e.get("ContentType") for e in types.iter(f"{CT}Default")}["bin"] == VBA_TYPE
    report = sheet_parts(after)[REPORT_SHEET]
    assert after[report] != before[report]  # the report was rebuilt
    names = code_names(after)
    assert names == code_names(before) and names[REPORT_SHEET] and names["(workbook)"] == "ThisWorkbook"
    assert modules(demo_xlsm) == modules_before


def test_the_same_refresh_on_xlsm_and_xlsx_gives_the_same_values(demo_dir, demo_xlsm, tmp_path):
    xlsx = tmp_path / "same.xlsx"
    shutil.copy(demo_dir / "master.xlsx", xlsx)
    assert actions.refresh(xlsx, as_of=LATER).counts == actions.refresh(demo_xlsm, as_of=LATER).counts
    for spec in schema.TABLES.values():
        pd.testing.assert_frame_equal(MasterWorkbook(demo_xlsm).read(spec).frame, MasterWorkbook(xlsx).read(spec).frame)
    report = [python_calamine.CalamineWorkbook.from_path(str(p)).get_sheet_by_name(REPORT_SHEET).to_python()
              for p in (demo_xlsm, xlsx)]
    assert report[0] == report[1]
    assert re.search(r"截至 As of " + LATER.isoformat(), str(report[0][1]))


def test_libreoffice_renders_the_refreshed_xlsm(demo_xlsm, tmp_path):
    import subprocess
    actions.refresh(demo_xlsm, as_of=LATER)
    pdf = convert(demo_xlsm, "pdf", tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Weekly Order Status Report" in text and "PO号 PO No." in text
    assert f"As of {LATER.isoformat()}" in text


def test_demo_can_be_macro_enabled(tmp_path):
    from gendan_xl.demo.build import build_demo
    out = build_demo(tmp_path / "d", orders=30, as_of=AS_OF, macros=True)
    assert out.refresh.workbook.endswith("master.xlsm") and out.refresh.lines == 30
    assert set(modules(tmp_path / "d" / "master.xlsm")) >= {"GendanRibbon", "xlwings"}
