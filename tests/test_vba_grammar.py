"""Every VBA module in the project gendan writes parses with an independent VBA grammar.

olevba and our reader only prove that the text round-trips; LibreOffice loads broken VBA without a
word. The ANTLR 4 grammar of the ``antlr4-vba`` package (tests/vba_grammar.py) parses each module as
olevba reads it back from a built .xlsm: ours (GendanRibbon, the generated xlwings_udfs wrappers,
the ThisWorkbook code, the empty sheet modules) and xlwings' xlwings.bas, each ``#If`` branch
resolved for every combination of VBA7, Win64 and Mac. Parsing is slow in Python (about 7 s per
variant of xlwings.bas), so those tests are marked slow.
"""

from __future__ import annotations

import openpyxl
import pytest
from oletools.olevba import VBA_Parser

from gendan_xl.xlsm.xlsm import make_macro_enabled
from vba_grammar import as_class_file, resolve, syntax_errors, variants

OURS = ("ThisWorkbook", "Sheet1", "GendanRibbon", "xlwings_udfs")
CONDITIONAL = """\
#Const App = "Microsoft Excel" 'the host
Sub A()
#If VBA7 Then
    #If Win64 Then
    x = 64
    #Else
    x = 32
    #End If
#ElseIf Mac Then
    x = 6
#Else
    x = 5
#End If
#If App = "Microsoft Word" Then
    y = 1
#ElseIf Not Mac Then
    y = 2
#End If
#If MAC_OFFICE_VERSION >= 15 Then
    z = 1
#End If
End Sub
"""


def kept(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize(("constants", "lines"), [
    ({"VBA7": True, "Win64": True}, ["x = 64", "y = 2"]),
    ({"VBA7": True}, ["x = 32", "y = 2"]),
    ({"Mac": True, "MAC_OFFICE_VERSION": 16}, ["x = 6", "z = 1"]),
    ({}, ["x = 5", "y = 2"]),
])
def test_the_preprocessor_keeps_one_branch_per_conditional(constants, lines):
    resolved = resolve(CONDITIONAL, constants)
    assert kept(resolved) == ["Sub A()", *lines, "End Sub"]
    assert len(resolved.splitlines()) == len(CONDITIONAL.splitlines())   # line numbers kept


@pytest.mark.parametrize("source", ["#If A Or B Then\n#End If\n", "#If A Then\n", "#Else\n#End If\n"])
def test_the_preprocessor_refuses_what_it_does_not_understand(source):
    with pytest.raises(ValueError):
        resolve(source, {})


@pytest.mark.parametrize("body", [
    "Function F(end)\nEnd Function",            # VBA reserves End ...
    "Function F(date)\nEnd Function",           # ... and Date: xlwings' wrapper of such an argument fails
    "Sub S()\n    If x = 1 Or Then y = 2\nEnd Sub",
    'Sub S()\n    MsgBox "open\nEnd Sub',
    "Sub S()\n    x = (1 + 2\nEnd Sub",
])
def test_the_grammar_finds_broken_vba(body):
    assert syntax_errors(f'Attribute VB_Name = "M"\n{body}\n')
    assert not syntax_errors('Attribute VB_Name = "M"\nFunction F(start_date)\n    F = start_date\nEnd Function\n')


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, str]:
    """The modules of a freshly built .xlsm as olevba reads them back (what Excel compiles)."""
    folder = tmp_path_factory.mktemp("grammar")
    openpyxl.Workbook().save(folder / "book.xlsx")
    make_macro_enabled(folder / "book.xlsx", folder / "book.xlsm")
    parser = VBA_Parser(str(folder / "book.xlsm"))
    found = {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    parser.close()
    return found


@pytest.mark.slow
@pytest.mark.parametrize("name", OURS)
def test_our_modules_parse(written, name):
    source = written[name]
    texts = variants(as_class_file(source) if name in ("ThisWorkbook", "Sheet1") else source)
    assert {text: syntax_errors(text) for text in texts} == {text: [] for text in texts}


@pytest.mark.slow
def test_xlwings_bas_parses_in_every_branch(written):
    found = variants(written["xlwings"])
    assert len(found) >= 4   # VBA6/VBA7, 32/64-bit and Mac branches really differ
    assert any("xlwings64-" in text for text in found) and any("xlwings64-" not in text for text in found)
    errors = {str(constants): syntax_errors(text) for text, constants in found.items()}
    assert errors == {key: [] for key in errors}
