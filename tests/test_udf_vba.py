"""The GD_* worksheet functions' VBA: the wrappers xlwings' Import Functions would write, the help
``Workbook_Open`` registers, both shipped as generated, and their list in docs/excel.md.

xlwings' generator (``xlwings.udfs.generate_vba_wrapper``) and its decorators only load on Windows
(the module imports pywin32 at the top). Here it is loaded with empty stand-ins for those pywin32
modules, which the generator never calls, and our udfs module is loaded again under xlwings'
Windows decorators, as the COM server loads it; the generator reads the workbook only for its name.
"""

from __future__ import annotations

import importlib.util
import inspect
import io
import re
import sys
import types
from pathlib import Path

import pytest
import xlwings
from hypothesis import given
from hypothesis import strategies as st

from gendan_xl.excel import udf_docs, udf_vba, udfs
from gendan_xl.xlsm.master_xlsm import UDF_MODULES
from gendan_xl.xlsm.xlsm import FUNCTIONS_BAS, WORKBOOK_CODE

EXCEL_MD = Path(__file__).parents[1] / "docs" / "excel.md"
XLWINGS_BAS = Path(xlwings.__file__).parent / "xlwings.bas"
_TEXT = re.compile(r'"((?:[^"]|"")*)"|ChrW\(&H([0-9A-F]{4})&\)')


@pytest.fixture(scope="module")
def on_windows():
    """(xlwings.udfs, gendan_xl.excel.udfs as loaded under xlwings' Windows decorators)."""
    pywin32 = {name: types.ModuleType(name) for name in ("pythoncom", "pywintypes", "win32com", "win32com.client")}
    pywin32["pythoncom"].CoInitialize = None
    pywin32["pywintypes"].com_error = type("com_error", (Exception,), {})
    pywin32["win32com.client"].Dispatch = None
    with pytest.MonkeyPatch.context() as patch:
        for name, module in pywin32.items():
            patch.setitem(sys.modules, name, module)
        spec = importlib.util.spec_from_file_location("xlwings.udfs", Path(xlwings.__file__).with_name("udfs.py"))
        generator = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(generator)
        patch.setattr(xlwings, "func", generator.xlfunc)
        patch.setattr(xlwings, "arg", generator.xlarg)
        patch.setattr(xlwings, "ret", generator.xlret)
        spec = importlib.util.spec_from_file_location("udfs_on_windows", udfs.__file__)
        ours = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(ours)
    return generator, ours


def xlwings_wrappers(generator, module) -> str:
    out = io.StringIO()
    generator.generate_vba_wrapper(udfs.__name__, module, out, types.SimpleNamespace(Name="master.xlsm"))
    return out.getvalue().replace("\n", "\r\n")


def strings(expression: str) -> str:
    """The text of a VBA string expression as vba_text writes it: quoted runs and ChrW(&H....&)."""
    pieces = [m.group(1).replace('""', '"') if m.group(1) is not None else chr(int(m.group(2), 16))
              for m in _TEXT.finditer(expression)]
    assert re.sub(r"\s*&\s*", "", _TEXT.sub("", expression)) == "", expression
    return "".join(pieces)


def registered(code: str) -> dict[str, tuple[str, list[str]]]:
    """What each ``Describe`` call of the ThisWorkbook code registers: name -> (description, args)."""
    statements = re.findall(r'^    Describe "(\w+)", _\r\n(.*?)\)\r\n', code, re.M | re.S)
    out = {}
    for name, rest in statements:
        description, arguments = rest.split(", _\r\n", 1)
        items = arguments.strip().removeprefix("Array(").split(", _\r\n")
        out[name] = (strings(description.strip()), [strings(item.strip()) for item in items])
    return out


def test_the_wrappers_are_what_xlwings_import_functions_writes(on_windows):
    generator, module = on_windows
    text = udf_vba.wrappers_module()
    header, body = text.split(udf_vba.APP_CONST + "\r\n")
    assert header.startswith('Attribute VB_Name = "xlwings_udfs"\r\n')   # the module Import Functions replaces
    assert XLWINGS_BAS.read_text("cp1252").splitlines()[1] == udf_vba.APP_CONST
    assert body == xlwings_wrappers(generator, module)
    assert body.count("\r\nFunction GD_") + body.startswith("Function GD_") == len(udf_vba.functions()) == 10


def test_the_wrappers_call_the_configured_udf_module():
    calls = set(re.findall(r'XLPy\.CallUDF\("([^"]+)"', udf_vba.wrappers_module()))
    assert calls == {UDF_MODULES} == {udfs.__name__}


def test_the_help_on_open_is_what_xlwings_records_for_each_function(on_windows):
    _, module = on_windows
    found = registered(udf_vba.workbook_code())
    assert list(found) == [f.__name__ for f in udf_vba.functions()]
    for name, (description, arguments) in found.items():
        recorded = getattr(module, name).__xlfunc__
        first_paragraph = inspect.cleandoc(recorded["ret"]["doc"]).split("\n\n")[0]
        assert description == " ".join(first_paragraph.split())
        assert arguments == [arg["doc"] for arg in recorded["args"]]
        assert recorded["category"] == udfs.CATEGORY == "跟单 Gendan"
        assert len(description) <= 255 and all(len(a) <= 255 for a in arguments)
    assert found["GD_WORKDAYS"][1] == ["开始日 start date", "结束日 end date", "国家 calendar country (blank: CN)"]


def test_a_failure_to_register_never_reaches_the_user():
    code = udf_vba.workbook_code()
    procedures = re.findall(r"^Private Sub (\w+)\(.*?^End Sub", code, re.M | re.S)
    assert procedures == ["Workbook_Open", "RegisterGendanFunctions", "Describe"]
    for body in re.findall(r"^Private Sub (?:RegisterGendanFunctions|Describe)\(.*?^End Sub", code, re.M | re.S):
        assert "    On Error Resume Next" in body
    describe = code[code.index("Private Sub Describe("):]
    assert "Dim app As Object" in describe and "Set app = Application" in describe   # late bound
    assert "ArgumentDescriptions:=" in describe.split("If Err.Number <> 0 Then")[0]
    assert "ArgumentDescriptions" not in describe.split("If Err.Number <> 0 Then")[1]
    assert code.index("wasSaved = ThisWorkbook.Saved") < code.index("Describe \"") < code.index(
        "ThisWorkbook.Saved = wasSaved")


def test_the_shipped_vba_is_generated_from_the_functions():
    """``make functions`` rewrites these; this fails while a function changed without it."""
    assert FUNCTIONS_BAS.read_bytes() == udf_vba.wrappers_module().encode("ascii")
    assert WORKBOOK_CODE.read_bytes() == udf_vba.workbook_code().encode("ascii")


def test_the_docs_list_the_functions_as_generated():
    """``make functions`` rewrites the list between the markers; this fails while it differs."""
    text = EXCEL_MD.read_text(encoding="utf-8")
    assert udf_docs.with_functions_list(text) == text
    listed = text.split(udf_docs.BEGIN)[1].split(udf_docs.END)[0]
    assert "- `=GD_ADD_WORKDAYS(start_date, days, [country])` — 加工作日" in listed
    assert "  - `days`: 工作日数 working days (negative: before)" in listed


def test_the_docs_list_is_replaced_between_its_markers_only():
    text = f"before\n{udf_docs.BEGIN}\nstale\n{udf_docs.END}\nafter\n"
    assert udf_docs.with_functions_list(text) == f"before\n{udf_docs.BEGIN}\n{udf_docs.functions_list()}{udf_docs.END}\nafter\n"
    for broken in ("no markers", f"{udf_docs.END}\n{udf_docs.BEGIN}\n", f"{udf_docs.BEGIN}\n{udf_docs.BEGIN}\n{udf_docs.END}"):
        with pytest.raises(ValueError, match="functions:begin"):
            udf_docs.with_functions_list(broken)


@pytest.mark.parametrize("text", [udf_vba.wrappers_module(), udf_vba.workbook_code()])
def test_the_vba_is_ascii_crlf_within_vba_line_limits(text):
    data = text.encode("ascii")
    assert data.count(b"\n") == data.count(b"\r\n") and data.endswith(b"\r\n")
    lines = text.split("\r\n")
    assert max(map(len, lines)) <= 1023
    continued = 0
    for line in lines:
        continued = continued + 1 if line.endswith(" _") else 0
        assert continued <= 24   # VBA allows 24 line continuations per statement


@given(st.text(st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",)), max_size=40))
def test_vba_text_gives_back_the_text_in_ascii(text):
    expression = udf_vba.vba_text(text)
    expression.encode("ascii")
    assert strings(expression) == text


def test_a_function_xlwings_cannot_wrap_or_excel_cannot_describe_is_refused():
    module = types.ModuleType("made_up")

    @udfs.udf(a="a", rest="more")
    def GD_VARARGS(a, *rest):
        """Takes more."""

    @udfs.udf(b="b")
    def GD_UNDOCUMENTED(a, b):
        """Documents b only."""

    @udfs.udf(a="a")
    def GD_WORDY(a):
        pass

    for function in (GD_VARARGS, GD_UNDOCUMENTED):
        with pytest.raises(ValueError, match=function.__name__):
            udf_vba.parameters(function)
    GD_WORDY.__doc__ = "Too long for Excel's dialog. " + "x" * 250
    module.GD_WORDY = GD_WORDY
    with pytest.raises(ValueError, match="GD_WORDY description: 2.. characters, Excel takes 255"):
        udf_vba.workbook_code(module)
