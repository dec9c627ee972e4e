"""An independent check of VBA source: the ANTLR 4 VBA grammar of the ``antlr4-vba`` package.

The grammar has no conditional compilation, so :func:`resolve` first keeps one branch of every
``#If … #ElseIf … #Else … #End If`` for given compiler constants (``#Const`` lines add to them; an
undefined constant is Empty, as in VBA) and blanks the directive lines, keeping line numbers.
:func:`variants` gives the distinct resolved texts over the constants that matter to Office
(``VBA7``, ``Win64``, ``Mac``; ``MAC_OFFICE_VERSION`` 16 on a Mac), and :func:`syntax_errors`
parses one text with full LL prediction (SLL reports false errors on xlwings.bas).
"""

from __future__ import annotations

import itertools
import re

from antlr4 import CommonTokenStream, InputStream
from antlr4.error.ErrorListener import ErrorListener
from antlr4_vba.vbaLexer import vbaLexer
from antlr4_vba.vbaParser import vbaParser

_DIRECTIVE = re.compile(r"\s*#(If|ElseIf|Else|End\s*If|Const)\b(.*)", re.IGNORECASE)
_COMPARISON = re.compile(r'(\w+)\s*(=|<>|>=|<=|>|<)\s*("[^"]*"|-?\d+)')
_OPERATORS = {"=": lambda a, b: a == b, "<>": lambda a, b: a != b, ">=": lambda a, b: a >= b,
              "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, "<": lambda a, b: a < b}


def _without_comment(text: str) -> str:
    """``text`` up to a ``'`` comment outside a string literal, stripped."""
    quoted = False
    for at, char in enumerate(text):
        quoted ^= char == '"'
        if char == "'" and not quoted:
            return text[:at].strip()
    return text.strip()


def _literal(text: str):
    return text[1:-1] if text.startswith('"') else int(text)


def evaluate(expression: str, constants: dict) -> bool:
    """The conditions xlwings.bas uses: ``Name``, ``Not …``, ``Name <op> "text"`` or a number."""
    expression = expression.strip()
    if expression.lower().startswith("not "):
        return not evaluate(expression[4:], constants)
    if comparison := _COMPARISON.fullmatch(expression):
        name, operator, literal = comparison.groups()
        right = _literal(literal)
        left = constants.get(name.lower(), "" if isinstance(right, str) else 0)
        return _OPERATORS[operator](left, right)
    if re.fullmatch(r"\w+", expression):
        return bool(constants.get(expression.lower(), False))
    raise ValueError(f"condition not understood: {expression!r}")


def resolve(source: str, constants: dict) -> str:
    """``source`` with one branch of each conditional kept for ``constants`` (names case-insensitive)."""
    known = {name.lower(): value for name, value in constants.items() if value is not None}
    blocks: list[list[bool]] = []   # per open #If: [enclosing branch active, a branch already taken]
    active, out = True, []
    for number, line in enumerate(source.splitlines(), start=1):
        directive = _DIRECTIVE.fullmatch(line)
        if not directive:
            out.append(line if active else "")
            continue
        word, rest = directive.group(1).lower().replace(" ", ""), _without_comment(directive.group(2))
        condition = re.sub(r"\s+Then$", "", rest, flags=re.IGNORECASE)
        if word == "const":
            if active:
                name, value = (part.strip() for part in rest.split("=", 1))
                known[name.lower()] = _literal(value)
        elif word == "if":
            enclosing, holds = active, evaluate(condition, known)
            active = enclosing and holds
            blocks.append([enclosing, active])
        elif not blocks:
            raise ValueError(f"line {number}: #{directive.group(1)} without #If")
        elif word == "elseif":
            (enclosing, taken), holds = blocks[-1], evaluate(condition, known)
            active = enclosing and not taken and holds
            blocks[-1][1] = taken or active
        elif word == "else":
            enclosing, taken = blocks[-1]
            active = enclosing and not taken
            blocks[-1][1] = True
        else:
            active = blocks.pop()[0]
        out.append("")
    if blocks:
        raise ValueError("#If without #End If")
    return "\n".join(out) + "\n"


def variants(source: str) -> dict[str, dict]:
    """Each distinct resolved text of ``source`` and the first constants that give it."""
    found: dict[str, dict] = {}
    for vba7, win64, mac in itertools.product((False, True), repeat=3):
        constants = {"VBA7": vba7, "Win64": win64, "Mac": mac, "MAC_OFFICE_VERSION": 16 if mac else None}
        found.setdefault(resolve(source, constants), constants)
    return found


class _Errors(ErrorListener):
    def __init__(self):
        self.found: list[str] = []

    def syntaxError(self, recognizer, offendingSymbol, line, column, msg, e):  # noqa: N802 (ANTLR's name)
        self.found.append(f"line {line}:{column} {msg}")


def syntax_errors(source: str) -> list[str]:
    """What the VBA grammar finds wrong in ``source`` (one module, no ``#If`` left), as text."""
    errors = _Errors()
    lexer = vbaLexer(InputStream(source))
    parser = vbaParser(CommonTokenStream(lexer))
    for recognizer in (lexer, parser):
        recognizer.removeErrorListeners()
        recognizer.addErrorListener(errors)
    parser.startRule()
    return errors.found


CLASS_HEADER = "VERSION 1.0 CLASS\r\nBEGIN\r\n  MultiUse = -1  'True\r\nEND\r\n"
_HOST_ATTRIBUTES = re.compile(r"Attribute VB_(?:Base|TemplateDerived) = [^\r\n]*\r?\n")


def as_class_file(source: str) -> str:
    """A document module's stored source as the VBA editor exports it (``.cls``), the form the
    grammar parses: the class header first, without the host attributes (``VB_Base``,
    ``VB_TemplateDerived``) that are Office's, not the VBA language's (ovba.py checks those)."""
    return CLASS_HEADER + _HOST_ATTRIBUTES.sub("", source)
