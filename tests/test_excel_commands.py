"""gendan excel enable / upgrade / check / setup, the ribbon VBA's own error handling, the config
sheet (hidden, last, no machine path) and docs/excel.md's parts generated from the ribbon."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import json
import os
import re
import shutil
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import olefile
import openpyxl
import pandas as pd
import pytest
import python_calamine
import xlwings
from libreoffice import convert
from oletools.olevba import VBA_Parser
from ooxml import assert_valid
from xlwings_memory_engine import open_book

from conftest import AS_OF
from gendan_xl import __version__, actions
from gendan_xl.cli import build_parser, main
from gendan_xl.actions.excel_check import check
from gendan_xl.actions.excel_setup import setup
from gendan_xl.actions.results import ConfigSheet
from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.statuses import ExcelProblem
from gendan_xl.ooxml.package import Package
from gendan_xl.store.master import MasterWorkbook
from gendan_xl.store.xlwings_book import XlwingsWorkbook
from gendan_xl.xlsm import user_config
from gendan_xl.xlsm.cfb import write_cfb
from gendan_xl.xlsm.master_xlsm import CONFIG_SHEET, UDF_MODULES, write_macro_master
from gendan_xl.xlsm.ovba import _encrypt, VbaModule, build_vba_project, document_module, WORKSHEET_CLSID
from gendan_xl.xlsm.ribbon_vba import (CHECK_COMMAND, MESSAGES, RIBBON_BAS, SETUP_COMMAND, UPGRADE_COMMAND,
                                        constants, ribbon_module, string_constant)
from gendan_xl.xlsm.ribbon_xml import BUTTONS
from gendan_xl.xlsm.vba_read import read_vba_project
from gendan_xl.xlsm.xlsm import FUNCTIONS_BAS, XLWINGS_BAS, standard_modules

ROOT = Path(__file__).resolve().parents[1]
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
QUICKSTART = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
XLWINGS_SOURCE = XLWINGS_BAS.read_text("cp1252")
LATER = AS_OF + dt.timedelta(days=7)


def parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def modules(path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    found = {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    parser.close()
    return found


def sheet_states(path) -> list[tuple[str, str]]:
    root = ET.fromstring(parts(path)["xl/workbook.xml"])
    return [(s.get("name"), s.get("state", "visible")) for s in root.iter(f"{MAIN}sheet")]


def unescape(text: str) -> str:
    """GendanRibbon.bas ``Unescape``, step by step: each \\uXXXX becomes that UTF-16 character."""
    at = text.find("\\u")
    while at >= 0:
        text = text[:at] + chr(int(text[at + 2:at + 6], 16)) + text[at + 6:]
        at = text.find("\\u", at + 1)
    return text


@pytest.fixture(scope="module")
def plain_master(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("plain") / "master.xlsx"
    actions.new_master(path)
    return path


@pytest.fixture
def xlsx(plain_master, tmp_path) -> Path:
    target = tmp_path / "master.xlsx"
    shutil.copy(plain_master, target)
    return target


@pytest.fixture
def xlsm(xlsx) -> Path:
    actions.enable_macros(xlsx)
    return xlsx.with_suffix(".xlsm")


# --- docs/excel.md generated from the ribbon --------------------------------------------------

def _ribbon_docs():
    spec = importlib.util.spec_from_file_location("ribbon_docs", ROOT / "docs" / "ribbon_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_excel_md_buttons_table_and_count_are_the_ribbons():
    docs = _ribbon_docs()
    text = docs.EXCEL_MD.read_text(encoding="utf-8")
    assert docs.render(text) == text, "docs/excel.md differs from the ribbon: run `make ribbon-docs`"
    for button in BUTTONS:
        assert f"| {button.label} | {button.does} |" in text
    assert f"<!-- ribbon-button-count -->{len(BUTTONS)}<!-- /ribbon-button-count --> buttons" in text
    stale = text.replace(f"| {BUTTONS[3].label} |", "| gone |").replace(
        f"count -->{len(BUTTONS)}<", "count -->seven<")
    assert stale != text and docs.render(stale) == text
    with pytest.raises(ValueError, match="ribbon-buttons"):
        docs.render(text.replace("<!-- /ribbon-buttons -->", ""))


# --- the ribbon module's own error handling ----------------------------------------------------

def test_the_vba_messages_and_commands_decode_to_the_bilingual_texts():
    source = ribbon_module().source
    source.encode("ascii")
    assert max(len(line) for line in source.splitlines()) < 1024   # VBA's line limit
    for name, text in constants().items():
        assert unescape(string_constant(source, name)) == text, name
    assert string_constant(source, "GENDAN_VERSION") == __version__
    for text in MESSAGES.values():
        assert re.search(r"[\u4e00-\u9fff]", text) and re.search(r"[A-Za-z]{4,} [A-Za-z]{3,}", text)
    template = RIBBON_BAS.read_text("ascii")
    assert all(string_constant(template, name) == "" for name in constants())   # only gendan fills them in


def test_the_commands_the_vba_names_are_gendan_commands():
    parser = build_parser()
    for command in (SETUP_COMMAND, f'{UPGRADE_COMMAND} "m.xlsm"', f'{CHECK_COMMAND} "m.xlsm"'):
        words = command.replace('"', "").split()
        assert words[0] == "gendan"
        parser.parse_args(words[1:])   # exits (fails the test) on an unknown command


def test_the_handler_checks_this_pc_before_python_runs_and_catches_what_runpython_raises():
    source = ribbon_module().source
    action = source[source.index("Public Sub GendanRibbonAction"):source.index("End Sub")]
    order = [action.index(s) for s in ("IsSafeName(cmdName)", "problem = SetupProblem()", "If problem <> \"\" Then",
                                       "On Error GoTo Failed", "RunPython ", "Exit Sub\r\nFailed:",
                                       "CommandFor(CHECK_COMMAND)")]
    assert order == sorted(order)
    problem = source[source.index("Private Function SetupProblem"):source.index("Private Function XlwingsDll")]
    for needed in ('GetConfig("INTERPRETER_WIN", "")', 'GetConfig("INTERPRETER_MAC", "")', "MSG_NO_SETUP",
                   "SETUP_COMMAND", "MSG_NO_INTERPRETER", "MSG_OTHER_XLWINGS", "CommandFor(UPGRADE_COMMAND)",
                   "FileExists(ParentFolder(interpreter)", "FileExists(ParentFolder(ParentFolder(interpreter))"):
        assert needed in problem, needed
    # what the module calls from xlwings' module is public there
    for name in ("GetConfig", "FileExists", "ParentFolder"):
        assert re.search(rf"^(?:Public )?Function {name}\(", XLWINGS_SOURCE, re.M), name
    assert re.search(r'^Public Const XLWINGS_VERSION As String = "', XLWINGS_SOURCE, re.M)


def test_the_dll_the_handler_looks_for_is_the_one_xlwings_declares():
    """XlwingsDll builds "xlwings64-" & XLWINGS_VERSION & ".dll" (32 without Win64); xlwings' Declare
    statements name the DLL of its version: the two must be the same file name."""
    source = ribbon_module().source
    built = dict(re.findall(r'XlwingsDll = "(xlwings(?:64|32)-)" & XLWINGS_VERSION & "(\.dll)"', source))
    version = string_constant(XLWINGS_SOURCE, "XLWINGS_VERSION")
    ours = {prefix + version + suffix for prefix, suffix in built.items()}
    declared = set(re.findall(r'Lib "(xlwings(?:64|32)-[^"]+\.dll)"', XLWINGS_SOURCE))
    assert ours == declared == {f"xlwings64-{version}.dll", f"xlwings32-{version}.dll"}
    assert re.search(r"#If Win64 Then\s+XlwingsDll = \"xlwings64-", source)


def test_olevba_reads_the_ribbon_module_back_with_its_handler(xlsm):
    found = modules(xlsm)
    assert found["GendanRibbon"] == ribbon_module().source
    assert "Private Function SetupProblem() As String" in found["GendanRibbon"]
    assert read_vba_project(parts(xlsm)["xl/vbaProject.bin"]).module("GendanRibbon").source == found["GendanRibbon"]


# --- the VBA reader ---------------------------------------------------------------------------

def test_the_reader_gives_back_what_excel_saved_as_olevba_does():
    """xlwings' quickstart_standalone.xlsm was saved by Excel: compiled code before each module's
    source, a class module, an MSForms control reference."""
    project = read_vba_project(parts(QUICKSTART)["xl/vbaProject.bin"])
    assert {m.name: m.source for m in project.modules} == modules(QUICKSTART)
    kinds = {m.name: ("document" if m.document else "class" if m.class_module else "standard") for m in project.modules}
    assert kinds == {"ThisWorkbook": "document", "Sheet1": "document", "Sheet2": "document", "Module1": "standard",
                     "xlwings": "standard", "Dictionary": "class"}
    assert [(r.name, r.kind) for r in project.references] == [("MSForms", "control"), ("Office", "registered")]
    assert project.name == "VBAProject" and project.codepage == 1252 and not project.locked and not project.designers


def test_a_rebuilt_project_carries_class_modules_and_references_byte_for_byte():
    project = read_vba_project(parts(QUICKSTART)["xl/vbaProject.bin"])
    rebuilt = read_vba_project(build_vba_project(project.modules, project.name, project.codepage,
                                                 tuple(r.records for r in project.references)))
    crlf = [m.source.replace("\r\n", "\n").replace("\n", "\r\n") for m in project.modules]   # xlwings' is LF
    assert [m.source for m in rebuilt.modules] == crlf and rebuilt.modules[-1].source == project.modules[-1].source
    assert [r.records for r in rebuilt.references][2:] == [r.records for r in project.references]
    stream = rebuilt.module("Dictionary")
    assert stream.class_module and not stream.document


# --- enable -----------------------------------------------------------------------------------

def test_enable_writes_the_same_workbook_as_xlsm_beside_it_with_the_ribbon(xlsx):
    before = parts(xlsx)
    summary = actions.enable_macros(xlsx)
    xlsm = xlsx.with_suffix(".xlsm")
    assert summary.workbook == str(xlsm) and summary.backup is None and xlsx.exists()
    after = parts(xlsm)
    assert {"xl/vbaProject.bin", "customUI/customUI14.xml"} <= set(after)
    assert set(modules(xlsm)) >= {"GendanRibbon", "xlwings", "ThisWorkbook"}
    names = [name for name, _ in sheet_states(xlsm)]
    assert names[:-1] == [name for name, _ in sheet_states(xlsx)] and sheet_states(xlsm)[-1] == (CONFIG_SHEET, "hidden")
    for name, data in before.items():   # parts untouched by macros: byte for byte
        if name.startswith(("xl/tables/", "xl/theme/", "docProps/")):
            assert after[name] == data, name


def test_enable_in_place_replaces_the_xlsx_and_keeps_it_as_the_backup(xlsx):
    original = xlsx.read_bytes()
    assert main(["excel", "enable", str(xlsx), "--in-place"]) == 0
    assert not xlsx.exists() and xlsx.with_name("master.bak.xlsx").read_bytes() == original
    assert xlsx.with_suffix(".xlsm").exists()


def test_enable_refuses_macros_a_non_master_and_an_existing_output(xlsx, tmp_path, capsys):
    actions.enable_macros(xlsx)
    with pytest.raises(GendanError) as err:
        actions.enable_macros(xlsx)
    assert err.value.code is ErrorCode.OUTPUT_EXISTS
    with pytest.raises(GendanError) as err:
        actions.enable_macros(xlsx.with_suffix(".xlsm"), out=tmp_path / "other.xlsm")
    assert err.value.code is ErrorCode.ALREADY_MACRO_ENABLED and "gendan excel upgrade" in str(err.value)
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    with pytest.raises(GendanError) as err:
        actions.enable_macros(plain)
    assert err.value.code is ErrorCode.TABLE_MISSING and not plain.with_suffix(".xlsm").exists()
    assert main(["excel", "enable", str(plain), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["code"] == "TABLE_MISSING"


def test_enable_force_overwrites_and_keeps_the_last_version_as_backup(xlsx):
    actions.enable_macros(xlsx)
    xlsm = xlsx.with_suffix(".xlsm")
    first = xlsm.read_bytes()
    summary = actions.enable_macros(xlsx, force=True)
    assert summary.backup == str(xlsx.with_name("master.bak.xlsm"))
    assert Path(summary.backup).read_bytes() == first


# --- the config sheet: hidden, the last sheet, no machine path --------------------------------

def test_sheets_added_later_go_in_front_of_the_config_sheet_with_their_print_titles(demo_master, demo_dir):
    actions.enable_macros(demo_master)
    xlsm = demo_master.with_suffix(".xlsm")
    actions.reconcile(xlsm, demo_dir / "statements" / "华美服饰_对账单_2026-10.xlsx", party="华美", period="2026-10")
    actions.refresh(xlsm, as_of=AS_OF)
    names = [name for name, _ in sheet_states(xlsm)]
    assert names[-1] == CONFIG_SHEET and any(n.startswith("对账-") for n in names)
    assert dict(sheet_states(xlsm))[CONFIG_SHEET] == "hidden"
    root = ET.fromstring(parts(xlsm)["xl/workbook.xml"])
    titles = [(int(d.get("localSheetId")), d.text) for d in root.iter(f"{MAIN}definedName")
              if d.get("name") == "_xlnm.Print_Titles"]
    assert len(titles) >= 3
    for position, text in titles:   # each sheet's print titles still name that sheet
        assert text.startswith(f"'{names[position]}'!"), (names[position], text)
    book = openpyxl.load_workbook(xlsm, keep_vba=True)
    assert book.sheetnames[-1] == CONFIG_SHEET and book[CONFIG_SHEET].sheet_state == "hidden"


def test_in_live_excel_too_a_new_sheet_goes_in_front_of_the_config_sheet(demo_master, demo_dir):
    actions.enable_macros(demo_master)
    book = open_book(demo_master.with_suffix(".xlsm"))
    assert book.sheets[len(book.sheets) - 1].name == CONFIG_SHEET
    actions.reconcile(XlwingsWorkbook(book), demo_dir / "statements" / "华美服饰_对账单_2026-10.xlsx", party="华美",
                      period="2026-10")
    names = [sheet.name for sheet in book.sheets]
    assert names[-1] == CONFIG_SHEET and names[-2] == "对账-华美-2026-10"


def _absolute_paths() -> set[str]:
    """This machine's paths a built file must never hold, in the spellings a file could hold them."""
    places = {sys.executable, sys.prefix, sys.base_prefix, str(Path.home()), str(ROOT), os.getcwd(),
              str(Path(sys.executable).resolve().parent)}
    return {p for place in places for p in (place, place.replace("/", "\\")) if len(p) > 4}


def _texts(path: Path) -> dict[str, str]:
    """Every part of the file as text (UTF-8 / UTF-16 decoded where it reads), and every VBA module."""
    found = {}
    for name, data in parts(path).items():
        found[name] = data.decode("utf-8", "replace") + data.decode("utf-16-le", "replace") + data.decode("latin-1")
    found.update({f"VBA {name}": code for name, code in modules(path).items()})
    return found


def test_no_file_gendan_builds_holds_a_path_of_the_machine_that_built_it(xlsx, tmp_path):
    new = tmp_path / "new.xlsm"
    actions.new_master(new)
    actions.enable_macros(xlsx)
    upgraded = tmp_path / "up.xlsm"
    shutil.copy(new, upgraded)
    actions.upgrade_macros(upgraded)
    paths = _absolute_paths() | {str(tmp_path)}
    for built in (new, xlsx.with_suffix(".xlsm"), upgraded):
        texts = _texts(built)
        assert any("GendanRibbonAction" in t for t in texts.values())   # the VBA was read as text
        hits = [(part, place) for part, text in texts.items() for place in paths if place in text]
        assert hits == [], built
        config = MasterWorkbook(built).sheet_rows(CONFIG_SHEET)
        assert config[0] == ["UDF Modules", UDF_MODULES] and config[1] == ["", ""]


# --- upgrade ----------------------------------------------------------------------------------

def _with_modules(xlsx: Path, target: Path, extra: list[VbaModule], *, xlwings_source: str = XLWINGS_SOURCE,
                  config: dict | None = None) -> Path:
    """A macro-enabled master like `enable` writes, with other modules (one named as one of gendan's, e.g.
    an older ``xlwings_udfs``, in its place) or another xlwings VBA."""
    staged = target.with_name("staged.xlsm")
    write_macro_master(xlsx, staged, config=config)
    others = {m.name: m for m in extra if not m.document}
    ours = [VbaModule("xlwings", xlwings_source) if m.name == "xlwings" else others.pop(m.name, m)
            for m in standard_modules()]
    package = Package(staged)
    names = [f"Sheet{n}" for n in range(1, len(package.sheets) + 1)]
    bodies = {m.name: m for m in extra if m.document}
    shutil.copy(staged, target)
    documents = [document_module("ThisWorkbook", "{00020819-0000-0000-C000-000000000046}")]
    documents += [bodies.get(name) or document_module(name, WORKSHEET_CLSID) for name in names]
    project = build_vba_project(documents + ours + list(others.values()))
    package.put("xl/vbaProject.bin", project)
    package.save(target, backup=False)
    staged.unlink()
    return target


def test_upgrade_rewrites_only_the_vba_project_and_the_ribbon(xlsm):
    before = parts(xlsm)
    old_ribbon = before["customUI/customUI14.xml"]
    package = Package(xlsm)   # an older ribbon part, to see it rewritten
    package.put("customUI/customUI14.xml", old_ribbon.replace(b"Refresh", b"Old"))
    package.save(backup=False)
    before = parts(xlsm)
    summary = actions.upgrade_macros(xlsm)
    after = parts(xlsm)
    assert set(after) == set(before)
    changed = {name for name in after if after[name] != before[name]}
    assert changed <= {"xl/vbaProject.bin", "customUI/customUI14.xml"} and "customUI/customUI14.xml" in changed
    assert after["customUI/customUI14.xml"] == old_ribbon
    assert summary.backup == str(xlsm.with_name("master.bak.xlsm")) and summary.kept_modules == []
    assert modules(xlsm)["GendanRibbon"] == ribbon_module().source


def test_upgrade_renews_another_xlwings_and_keeps_the_users_modules(xlsx, tmp_path):
    old_xlwings = XLWINGS_SOURCE.replace(string_constant(XLWINGS_SOURCE, "XLWINGS_VERSION"), "0.30.0")
    user = [VbaModule("Module1", 'Attribute VB_Name = "Module1"\r\nSub Hello()\r\n    MsgBox "hi"\r\nEnd Sub\r\n'),
            VbaModule("Counter", 'Attribute VB_Name = "Counter"\r\nAttribute VB_GlobalNameSpace = False\r\n'
                      'Attribute VB_Creatable = False\r\nAttribute VB_PredeclaredId = False\r\n'
                      'Attribute VB_Exposed = False\r\nPublic Count As Long\r\n', class_module=True),
            document_module("Sheet1", WORKSHEET_CLSID, "Private Sub Worksheet_Activate()\r\nEnd Sub\r\n"),
            VbaModule("xlwings_udfs", 'Attribute VB_Name = "xlwings_udfs"\r\nFunction GD_SLACK()\r\nEnd Function\r\n')]
    master = _with_modules(xlsx, tmp_path / "m.xlsm", user, xlwings_source=old_xlwings)
    assert check(master, home=tmp_path).vba.xlwings == "0.30.0"
    summary = actions.upgrade_macros(master)
    assert summary.xlwings_before == "0.30.0" and summary.xlwings == xlwings.__version__
    assert summary.kept_modules == ["Module1", "Counter"]   # an old xlwings_udfs is gendan's: written anew
    found = modules(master)
    assert found["xlwings"] == XLWINGS_SOURCE.replace("\r\n", "\n").replace("\n", "\r\n")
    for module in user[:3]:
        assert found[module.name] == module.source, module.name
    assert found["xlwings_udfs"] == FUNCTIONS_BAS.read_bytes().decode("ascii")
    project = read_vba_project(parts(master)["xl/vbaProject.bin"])
    assert project.module("Counter").class_module


def test_upgrade_keeps_the_modules_of_a_project_excel_saved(xlsm):
    quickstart = read_vba_project(parts(QUICKSTART)["xl/vbaProject.bin"])
    package = Package(xlsm)
    package.put("xl/vbaProject.bin", parts(QUICKSTART)["xl/vbaProject.bin"])
    package.save(backup=False)
    summary = actions.upgrade_macros(xlsm)
    assert summary.kept_modules == ["Module1", "Dictionary"]
    project = read_vba_project(parts(xlsm)["xl/vbaProject.bin"])
    assert project.module("Module1") == quickstart.module("Module1")
    assert project.module("Dictionary") == quickstart.module("Dictionary")
    assert [r.name for r in project.references] == ["stdole", "Office", "MSForms"] and project.name == "VBAProject"
    assert modules(xlsm)["Module1"] == modules(QUICKSTART)["Module1"]


def _patched_project(data: bytes, edit) -> bytes:
    """The project with its PROJECT stream edited (``edit(text) -> text``), other streams as they are."""
    ole = olefile.OleFileIO(data)
    vba = {path[1]: ole.openstream(path).read() for path in ole.listdir() if path[0] == "VBA"}
    tree = {"VBA": vba, "PROJECT": edit(ole.openstream("PROJECT").read().decode("cp1252")).encode("cp1252"),
            "PROJECTwm": ole.openstream("PROJECTwm").read()}
    ole.close()
    return write_cfb(tree)


@pytest.mark.parametrize("case, value", [("password", None), ("form", "Module1"), ("this_workbook", "Workbook_BeforeSave")])
def test_upgrade_refuses_what_it_would_lose_and_names_it(xlsx, tmp_path, case, value):
    user = [VbaModule("Module1", 'Attribute VB_Name = "Module1"\r\nSub Hello()\r\nEnd Sub\r\n')]
    if case == "this_workbook":
        user.append(document_module("ThisWorkbook", "{00020819-0000-0000-C000-000000000046}",
                                    "Private Sub Workbook_BeforeSave(ByVal SaveAsUI As Boolean, Cancel As Boolean)"
                                    "\r\nEnd Sub\r\n"))
    master = _with_modules(xlsx, tmp_path / "m.xlsm", [m for m in user if m.name != "ThisWorkbook"])
    package = Package(master)
    project = package.get("xl/vbaProject.bin")
    if case == "password":
        project = _patched_project(project, lambda t: re.sub(r'DPB="[0-9A-F]+"', 'DPB="'
                                   + _encrypt(bytes(29), "{00000000-0000-0000-0000-000000000000}") + '"', t))
    elif case == "form":
        project = _patched_project(project, lambda t: t.replace("Module=Module1", "BaseClass=Module1"))
    else:
        old = read_vba_project(project)
        swapped = [user[1] if m.name == "ThisWorkbook" else m for m in old.modules]
        project = build_vba_project(swapped)
    package.put("xl/vbaProject.bin", project)
    package.save(backup=False)
    before = master.read_bytes()
    with pytest.raises(GendanError) as err:
        actions.upgrade_macros(master)
    assert err.value.code is ErrorCode.VBA_NOT_KEPT
    assert value is None or value in str(err.value)
    assert master.read_bytes() == before


def test_upgrade_refuses_a_workbook_without_macros(xlsx):
    with pytest.raises(GendanError) as err:
        actions.upgrade_macros(xlsx)
    assert err.value.code is ErrorCode.NOT_MACRO_ENABLED and "gendan excel enable" in str(err.value)


def test_upgrade_removes_a_pcs_interpreter_from_an_older_masters_config_sheet(xlsx, tmp_path):
    old = {"UDF Modules": UDF_MODULES, "Interpreter_Win": r"C:\Users\li\gendan\Scripts\pythonw.exe",
           "Show Console": "True"}
    master = _with_modules(xlsx, tmp_path / "m.xlsm", [], config=old)
    package = Package(master)   # an older master: the config sheet visible
    workbook = package.xml("xl/workbook.xml")
    for sheet in workbook.root.iter(f"{MAIN}sheet"):
        sheet.attrib.pop("state", None)
    package.put_xml("xl/workbook.xml", workbook)
    package.save(backup=False)
    found = check(master, home=tmp_path)
    assert (ExcelProblem.MACHINE_PATH, f'gendan excel upgrade "{master}"') in {(p.code, p.fix) for p in found.problems}
    assert found.config_sheet == ConfigSheet(hidden=False, machine_keys=["Interpreter_Win"])
    summary = actions.upgrade_macros(master)
    assert summary.config_keys_removed == ["Interpreter_Win"]
    rows = MasterWorkbook(master).sheet_rows(CONFIG_SHEET)
    assert rows[:3] == [["UDF Modules", UDF_MODULES], ["Show Console", "True"], ["", ""]]
    assert sheet_states(master)[-1] == (CONFIG_SHEET, "hidden")
    assert check(master, home=tmp_path).config_sheet == ConfigSheet(hidden=True, machine_keys=[])


# --- setup and check --------------------------------------------------------------------------

def test_setup_writes_this_pcs_interpreter_and_keeps_the_users_other_keys(tmp_path, monkeypatch):
    config = tmp_path / ".xlwings" / "xlwings.conf"
    config.parent.mkdir()
    config.write_text('"LICENSE_KEY","abc"\n"interpreter","/old/python"\n"SHOW CONSOLE","True"\n', encoding="utf-8")
    summary = setup(home=tmp_path, platform="linux")
    assert summary.interpreter == sys.executable and summary.kept_keys == ["LICENSE_KEY", "SHOW CONSOLE"]
    assert summary.gendan == __version__ and summary.xlwings == xlwings.__version__
    assert config.read_text(encoding="utf-8") == (f'"LICENSE_KEY","abc"\n"SHOW CONSOLE","True"\n'
                                                  f'"INTERPRETER","{sys.executable}"\n')
    monkeypatch.setattr(xlwings, "USER_CONFIG_FILE", str(config))   # xlwings' own reader agrees
    assert xlwings.utils.read_user_config() == {"license_key": "abc", "show console": "True",
                                                "interpreter": sys.executable}


def test_setup_on_windows_and_macos_writes_where_their_excel_reads(tmp_path):
    scripts = tmp_path / "venv" / "Scripts"
    scripts.mkdir(parents=True)
    for name in ("python.exe", "pythonw.exe"):
        (scripts / name).touch()
    assert user_config.this_interpreter("win32", str(scripts / "python.exe")) == str(scripts / "pythonw.exe")
    assert user_config.config_path(tmp_path, "win32") == tmp_path / ".xlwings" / "xlwings.conf"
    assert user_config.config_path(tmp_path, "darwin") == (
        tmp_path / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / "xlwings.conf")
    assert [user_config.interpreter_key(p) for p in ("win32", "darwin", "linux")] == [
        "INTERPRETER_WIN", "INTERPRETER_MAC", "INTERPRETER"]
    with pytest.raises(GendanError) as err:   # written, but an empty pythonw.exe imports nothing
        setup(home=tmp_path, platform="win32", executable=str(scripts / "python.exe"))
    assert err.value.code is ErrorCode.SETUP_FAILED
    assert user_config.read(tmp_path / ".xlwings" / "xlwings.conf", "win32") == {
        "INTERPRETER_WIN": str(scripts / "pythonw.exe")}


def test_setup_fails_clearly_in_an_environment_without_gendan(tmp_path):
    python = tmp_path / "python"   # this Python without its site-packages: no gendan_xl
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" -S "$@"\n')
    python.chmod(0o755)
    with pytest.raises(GendanError) as err:
        setup(home=tmp_path, platform="linux", executable=str(python))
    assert err.value.code is ErrorCode.SETUP_FAILED and "gendan_xl" in str(err.value)


def test_check_names_the_command_that_fixes_each_problem(xlsx, tmp_path, capsys):
    home = tmp_path / "home"
    xlsm = xlsx.with_suffix(".xlsm")
    assert main(["excel", "check", str(xlsx), "--home", str(home), "--json"]) == 1
    found = json.loads(capsys.readouterr().out)
    assert found["ok"] is False and found["vba"] is None
    assert [(p["code"], p["fix"]) for p in found["problems"]] == [
        ("NO_MACROS", f'gendan excel enable "{xlsx}"'), ("NOT_SET_UP", "gendan excel setup")]
    actions.enable_macros(xlsx)
    assert main(["excel", "setup", "--home", str(home)]) == 0
    capsys.readouterr()
    assert main(["excel", "check", str(xlsm), "--home", str(home)]) == 0
    text = capsys.readouterr().out
    assert f"xlwings {xlwings.__version__} · gendan {__version__}" in text and "all well" in text
    config = user_config.config_path(home)
    config.write_text(f'"{user_config.interpreter_key()}","{tmp_path / "gone" / "python"}"\n', encoding="utf-8")
    found = check(xlsm, home=home)
    assert [p.code for p in found.problems] == [ExcelProblem.NO_INTERPRETER]
    assert found.problems[0].fix == "gendan excel setup" and "设置的 Python 不存在" in found.problems[0].problem


def test_check_says_when_the_workbooks_vba_is_for_another_xlwings_or_gendan(xlsx, tmp_path, capsys):
    setup(home=tmp_path)
    old_xlwings = XLWINGS_SOURCE.replace(string_constant(XLWINGS_SOURCE, "XLWINGS_VERSION"), "0.30.0")
    master = _with_modules(xlsx, tmp_path / "m.xlsm", [], xlwings_source=old_xlwings)
    package = Package(master)
    project = read_vba_project(package.get("xl/vbaProject.bin"))
    older = [ribbon_module("0.0.9") if m.name == "GendanRibbon" else m for m in project.modules]
    package.put("xl/vbaProject.bin", build_vba_project(older))
    package.save(backup=False)
    assert main(["excel", "check", str(master), "--home", str(tmp_path)]) == 1
    text = capsys.readouterr().out
    assert f"0.30.0 ≠ {xlwings.__version__}" in text and f"0.0.9 ≠ {__version__}" in text
    assert text.count(f'→ 运行 run: gendan excel upgrade "{master}"') == 2
    actions.upgrade_macros(master)
    assert check(master, home=tmp_path).problems == []


# --- done when: a season's master, enabled -----------------------------------------------------

def _exports(path: Path, folder: Path) -> dict[str, list[list[str]]]:
    """Every table of the master as `gendan export` writes it."""
    folder.mkdir()
    out = {}
    for key in schema.TABLES:
        if not MasterWorkbook(path).has_table(schema.TABLES[key]):
            continue
        target = folder / f"{key}.csv"
        actions.export_table(path, key, target)
        with target.open(encoding="utf-8-sig", newline="") as fh:
            out[key] = list(csv.reader(fh))
    return out


def _sheets(path: Path) -> dict[str, list[list]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_a_seasons_master_enabled_is_the_same_workbook_and_refreshes_the_same(demo_dir, tmp_path):
    """load, refresh history, plan (the demo), then sync and reconcile; `gendan excel enable`."""
    master = tmp_path / "master.xlsx"
    shutil.copy(demo_dir / "master.xlsx", master)
    actions.sync(master, sorted((demo_dir / "suppliers").iterdir()), as_of=AS_OF)
    actions.reconcile(master, demo_dir / "statements" / "华美服饰_对账单_2026-10.xlsx", party="华美", period="2026-10")
    tables = _exports(master, tmp_path / "before")
    assert len(tables["change_log"]) > 1 and len(tables["milestones"]) > 1 and len(tables["import_issues"]) > 1
    sheets = _sheets(master)
    assert main(["excel", "enable", str(master)]) == 0
    xlsm = master.with_suffix(".xlsm")
    assert _exports(xlsm, tmp_path / "after") == tables
    enabled = _sheets(xlsm)
    assert list(enabled) == [*sheets, CONFIG_SHEET] and all(enabled[name] == sheets[name] for name in sheets)
    assert sum(1 for _, state in sheet_states(xlsm) if state == "hidden") == 1 + sum(
        1 for _, state in sheet_states(master) if state == "hidden")
    assert_valid(xlsm)
    content = parts(convert(xlsm, "ods", tmp_path))["content.xml"].decode("utf-8")
    assert f'table:name="{schema.ORDERS.sheet}"' in content and 'table:name="xlwings.conf"' in content
    same = tmp_path / "same.xlsx"
    shutil.copy(master, same)
    assert actions.refresh(xlsm, as_of=LATER).counts == actions.refresh(same, as_of=LATER).counts
    for spec in schema.TABLES.values():
        if MasterWorkbook(same).has_table(spec):
            frames = [MasterWorkbook(p).read(spec).frame for p in (xlsm, same)]
            kept = [c for c in frames[0].columns if c != "timestamp"]
            pd.testing.assert_frame_equal(frames[0][kept], frames[1][kept])
    refreshed, plain = _sheets(xlsm), _sheets(same)
    assert list(refreshed) == [*plain, CONFIG_SHEET]
    logs = {schema.CHANGE_LOG.sheet, schema.IMPORT_ISSUES.sheet}   # their timestamps: compared as tables above
    assert all(refreshed[name] == plain[name] for name in plain if name not in logs)
