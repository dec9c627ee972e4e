"""The GendanRibbon VBA module: ``vba/GendanRibbon.bas`` with its String constants filled in.

The constants are the gendan version that wrote the project (``gendan excel check`` reads it back),
the commands its messages name, and the bilingual messages its error handling shows. VBA source
is stored in a single-byte code page, so each non-ASCII character is written ``\\uXXXX`` and the
module's ``Unescape`` turns it back into text.
"""

from __future__ import annotations

import re
from pathlib import Path

from gendan_xl import __version__
from gendan_xl.xlsm.ovba import VbaModule

RIBBON_BAS = Path(__file__).with_name("vba") / "GendanRibbon.bas"
MODULE_NAME = "GendanRibbon"
SETUP_COMMAND = "gendan excel setup"
UPGRADE_COMMAND = "gendan excel upgrade"
ENABLE_COMMAND = "gendan excel enable"
CHECK_COMMAND = "gendan excel check"
VERSION_CONSTANT = "GENDAN_VERSION"

MESSAGES = {
    "MSG_UNKNOWN_COMMAND": "未知的功能区命令 Unknown ribbon command:",
    "MSG_NO_SETUP": "本电脑还没有为跟单 Gendan 设置 Python。请在装有 gendan 的环境中（命令行）运行一次：\n"
                    "Python for Gendan is not set up on this PC. In a terminal, in the environment that has "
                    "gendan, run once:",
    "MSG_NO_INTERPRETER": "为跟单 Gendan 设置的 Python 已不存在。请在装有 gendan 的环境中（命令行）运行：\n"
                          "The Python set up for Gendan is not there any more. In a terminal, in the "
                          "environment that has gendan, run:",
    "MSG_OTHER_XLWINGS": "此工作簿的宏是为 xlwings {version} 写的，本电脑为 gendan 设置的 Python 装的是另一版本。"
                         "请关闭此工作簿，然后在命令行运行：\n"
                         "This workbook's macros were written for xlwings {version}; the Python set up for "
                         "gendan on this PC has another version. Close this workbook, then in a terminal run:",
    "MSG_RUN_FAILED": "无法运行 Python。请在命令行运行以下命令查看原因：\n"
                      "Python could not be run. To see why, in a terminal run the command below:",
}

_CONSTANT = re.compile(r'^((?:Public|Private) Const (\w+) As String = )"[^"\r\n]*"', re.MULTILINE)


def constants(version: str = __version__) -> dict[str, str]:
    """Every String constant of the module and its text."""
    return {VERSION_CONSTANT: version, "SETUP_COMMAND": SETUP_COMMAND, "UPGRADE_COMMAND": UPGRADE_COMMAND,
            "CHECK_COMMAND": CHECK_COMMAND, **MESSAGES}


def ribbon_module(version: str = __version__) -> VbaModule:
    """The module as gendan writes it into a workbook: the .bas with its constants filled in."""
    values = constants(version)
    template = VbaModule.from_bas(RIBBON_BAS)
    found = {match.group(2) for match in _CONSTANT.finditer(template.source)}
    if found != set(values):
        raise ValueError(f"{RIBBON_BAS.name}: String constants {sorted(found)} are not {sorted(values)}")
    source = _CONSTANT.sub(lambda m: m.group(1) + vba_literal(values[m.group(2)]), template.source)
    return VbaModule(template.name, source)


def vba_literal(text: str) -> str:
    """``text`` as a VBA string literal for ``Unescape``: quotes doubled, every character outside
    printable ASCII (a newline too) as ``\\uXXXX`` of its UTF-16 code units."""
    if "\\u" in text:
        raise ValueError(f"a VBA message must not contain \\u: {text!r}")
    out = []
    for char in text.replace('"', '""'):
        if " " <= char <= "~":
            out.append(char)
        else:
            units = char.encode("utf-16-be")
            out += [f"\\u{units[i:i + 2].hex().upper()}" for i in range(0, len(units), 2)]
    return '"' + "".join(out) + '"'


def string_constant(source: str, name: str) -> str | None:
    """The value of the VBA constant ``name`` (String) in a module's source, as written there."""
    found = re.search(rf'^\s*(?:Public |Private )?Const {re.escape(name)} As String = "((?:[^"\r\n]|"")*)"',
                      source, re.MULTILINE | re.IGNORECASE)
    return None if found is None else found.group(1).replace('""', '"')
