"""The list of the ``GD_*`` worksheet functions and their arguments, for docs/excel.md and Help.

Generated from the functions declared in ``gendan_xl.excel.udfs`` (their docstrings and argument
docs, the same text Excel's dialogs show), so the documentation cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from gendan_xl.excel import udfs
from gendan_xl.excel.udf_vba import description, functions, parameters

BEGIN, END = "<!-- functions:begin -->", "<!-- functions:end -->"


def formula(function: Callable) -> str:
    """How the function is typed in a cell, optional arguments in brackets as Excel writes them:
    ``=GD_SLACK(due, done, [country])``."""
    names = [f"[{p.name}]" if p.default is not p.empty else p.name for p in parameters(function)]
    return f"={function.__name__}({', '.join(names)})"


def functions_list(module: ModuleType = udfs) -> str:
    """Markdown: one item per function (its formula and description), its arguments below it."""
    lines = []
    for function in functions(module):
        lines.append(f"- `{formula(function)}` — {description(function)}")
        lines += [f"  - `{name}`: {doc}" for name, doc in function.argument_docs.items()]
    return "\n".join(lines) + "\n"


def with_functions_list(text: str, module: ModuleType = udfs) -> str:
    """``text`` with what stands between the markers replaced by :func:`functions_list`."""
    if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
        raise ValueError(f"the text needs one {BEGIN} line, then one {END} line")
    head, rest = text.split(BEGIN)
    return f"{head}{BEGIN}\n{functions_list(module)}{END}{rest.split(END)[1]}"
