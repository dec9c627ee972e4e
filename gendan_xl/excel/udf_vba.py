"""The VBA that makes the ``GD_*`` worksheet functions work on a workbook's first open.

Two texts, both generated from the functions declared in ``gendan_xl.excel.udfs`` and shipped in
``gendan_xl/xlsm/vba/`` (the xlsm layer, which writes every VBA project, reads them from there):

- the standard module ``xlwings_udfs``: one wrapper per function, the module xlwings' Import
  Functions would write (same name, same ``XLPy.CallUDF`` calls), so nobody needs Excel's "Trust
  access to the VBA project object model" to get it, and an Import Functions by xlwings' add-in
  replaces it rather than doubling every name;
- the code of the ``ThisWorkbook`` document module: ``Workbook_Open`` registers each function's
  description and argument help (``Application.MacroOptions``) for Excel's Insert Function and
  Function Arguments dialogs, ignoring any failure.

VBA source is stored in code page 1252 and shown in the reader's ANSI code page, so it stays ASCII:
the Chinese of the help is written as ``ChrW(&H....)``. ``make functions`` rewrites both files.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from types import ModuleType

from gendan_xl.excel import udfs

MODULE_NAME = "xlwings_udfs"  # the module name xlwings' Import Functions writes and replaces
APP_CONST = '#Const App = "Microsoft Excel" \'Adjust when using outside of Excel'  # as in xlwings.bas
HELP_LIMIT = 255  # Excel's limit on a MacroOptions description and on each argument description
LINE_LIMIT = 1023  # VBA's limit on a physical source line


def functions(module: ModuleType = udfs) -> list[Callable]:
    """The worksheet functions of ``module`` (declared with ``udfs.udf``), in definition order."""
    return [value for value in vars(module).values() if callable(value) and hasattr(value, "argument_docs")]


def description(function: Callable) -> str:
    """What Excel shows for a function: its docstring's first paragraph on one line."""
    first = inspect.cleandoc(function.__doc__ or "").split("\n\n")[0]
    return " ".join(first.split())


def parameters(function: Callable) -> list[inspect.Parameter]:
    """The function's arguments, each documented; ValueError for ``*args`` or keyword-only ones,
    which these wrappers do not pass."""
    found = list(inspect.signature(function).parameters.values())
    if any(p.kind is not p.POSITIONAL_OR_KEYWORD for p in found):
        raise ValueError(f"{function.__name__}: a worksheet function takes plain positional arguments")
    if [p.name for p in found] != list(function.argument_docs):
        raise ValueError(f"{function.__name__}: document every argument, in order, in @udf(...)")
    return found


def wrappers_module(module: ModuleType = udfs) -> str:
    """The ``xlwings_udfs`` standard module (CRLF): header, then one wrapper per function by name,
    the order of xlwings' Import Functions (it walks ``dir(module)``)."""
    lines = [f'Attribute VB_Name = "{MODULE_NAME}"',
             f"'Written by gendan from {module.__name__}, as xlwings' Import Functions writes it;",
             "'gendan rewrites it with the rest of the VBA project: do not edit.",
             APP_CONST]
    for function in sorted(functions(module), key=lambda f: f.__name__):
        lines += _wrapper(module.__name__, function)
    return _module_text(lines)


def _wrapper(module_name: str, function: Callable) -> list[str]:
    """A VBA Function passing its arguments (optional where Python has a default) to xlwings."""
    name, found = function.__name__, parameters(function)
    signature = ", ".join(("Optional " if p.default is not p.empty else "") + p.name for p in found)
    call = f'XLPy.CallUDF("{module_name}", "{name}", Array({", ".join(p.name for p in found)})'
    return [f"Function {name}({signature})",
            '    #If App = "Microsoft Excel" Then',
            "        If TypeOf Application.Caller Is Range Then On Error GoTo failed",
            f"        {name} = {call}, ThisWorkbook, Application.Caller)",
            "        Exit Function",
            "    #Else",
            f"        {name} = {call})",
            "        Exit Function",
            "    #End If",
            "failed:",
            f"    {name} = Err.Description",
            "End Function",
            ""]


def workbook_code(module: ModuleType = udfs) -> str:
    """The code of the ThisWorkbook document module (below its attribute header), CRLF."""
    lines = [f"' Written by gendan from {module.__name__}: the help of its worksheet functions in Excel's",
             "' Insert Function and Function Arguments dialogs. gendan rewrites it: do not edit.",
             "Option Explicit",
             "",
             "Private Sub Workbook_Open()",
             "    RegisterGendanFunctions",
             "End Sub",
             "",
             "' Registering marks the workbook changed; it is put back as it was, so closing asks nothing new.",
             "Private Sub RegisterGendanFunctions()",
             "    Dim wasSaved As Boolean",
             "    On Error Resume Next",
             "    wasSaved = ThisWorkbook.Saved"]
    for function in functions(module):
        docs = [_help(function, name, doc) for name, doc in function.argument_docs.items()]
        lines += [f'    Describe "{function.__name__}", _',
                  f"        {vba_text(_help(function, 'description', description(function)))}, _",
                  "        Array(" + ", _\n              ".join(map(vba_text, docs)) + ")"]
    lines += ["    ThisWorkbook.Saved = wasSaved",
              "End Sub",
              "",
              "' Late bound, so an Excel without ArgumentDescriptions (before 2010) raises a run-time error",
              "' here instead of failing to compile; then the description goes alone. No failure (macros",
              "' disabled for the call, a protected workbook) ever reaches the user.",
              "Private Sub Describe(ByVal functionName As String, ByVal helpText As String, _",
              "                     ByVal argumentHelp As Variant)",
              "    Dim app As Object, qualified As String, group As String",
              "    On Error Resume Next",
              "    Set app = Application",
              """    qualified = "'" & Replace(ThisWorkbook.Name, "'", "''") & "'!" & functionName""",
              f"    group = {vba_text(udfs.CATEGORY)}",
              "    app.MacroOptions Macro:=qualified, Description:=helpText, Category:=group, _",
              "        ArgumentDescriptions:=argumentHelp",
              "    If Err.Number <> 0 Then",
              "        Err.Clear",
              "        app.MacroOptions Macro:=qualified, Description:=helpText, Category:=group",
              "    End If",
              "End Sub"]
    return _module_text(lines)


def _help(function: Callable, what: str, text: str) -> str:
    if len(text) > HELP_LIMIT:
        raise ValueError(f"{function.__name__} {what}: {len(text)} characters, Excel takes {HELP_LIMIT}")
    return text


def vba_text(text: str) -> str:
    """A VBA expression for ``text`` in ASCII: printable runs quoted, every other character as
    ``ChrW(&H....&)`` (a Long literal: ``&H8BEF`` alone would be a negative Integer)."""
    parts = []
    for run in re.findall(r"[ -~]+|[^ -~]", text):
        if " " <= run[0] <= "~":
            parts.append('"' + run.replace('"', '""') + '"')
        elif ord(run) > 0xFFFF:
            raise ValueError(f"{text!r}: {run!r} is beyond what VBA's ChrW writes")
        else:
            parts.append(f"ChrW(&H{ord(run):04X}&)")
    return " & ".join(parts) or '""'


def _module_text(lines: list[str]) -> str:
    text = "\r\n".join("\n".join(lines).split("\n")) + "\r\n"
    long = [line[:40] for line in text.split("\r\n") if len(line) > LINE_LIMIT]
    if long:
        raise ValueError(f"VBA lines longer than {LINE_LIMIT} characters: {long}")
    return text
