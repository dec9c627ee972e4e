"""gendan excel check: will the ribbon of this master run on this PC, and if not, which command
fixes it.

It compares the workbook's VBA (the xlwings version of its ``xlwings`` module, the gendan version
stamped in ``GendanRibbon``) with what is installed here, looks for a PC's path on its
``xlwings.conf`` sheet, and runs the interpreter this PC's xlwings user config names.
"""

from __future__ import annotations

import sys
from pathlib import Path

from gendan_xl import __version__
from gendan_xl.xlsm import user_config
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.flags import Coded
from gendan_xl.ooxml.package import REL_VBA_PROJECT, WORKBOOK
from gendan_xl.store.master import CONFIG_SHEET, MasterWorkbook
from gendan_xl.xlsm.master_xlsm import machine_keys, read_config
from gendan_xl.xlsm.ribbon_vba import (ENABLE_COMMAND, MODULE_NAME, SETUP_COMMAND, UPGRADE_COMMAND,
                                        VERSION_CONSTANT, string_constant)
from gendan_xl.xlsm.vba_read import read_vba_project
from gendan_xl.xlsm.xlsm import installed_xlwings_version, xlwings_version


class Problem(Coded):
    """What keeps the ribbon from running on this PC; ``fix`` is the command that mends it."""

    NO_MACROS = "NO_MACROS", "工作簿没有宏和功能区", "the workbook has no macros and no ribbon"
    OTHER_XLWINGS = "OTHER_XLWINGS", "工作簿的 VBA 是为另一版本的 xlwings 写的", \
        "the workbook's VBA was written for another xlwings version than the one installed"
    OTHER_GENDAN = "OTHER_GENDAN", "工作簿的 VBA 由另一版本的 gendan 写入", \
        "the workbook's VBA was written by another gendan version than the one installed"
    MACHINE_PATH = "MACHINE_PATH", "xlwings.conf 表中有某台电脑的路径", \
        "the xlwings.conf sheet names a path of one PC"
    NOT_SET_UP = "NOT_SET_UP", "本电脑没有为 gendan 设置 Python", "this PC has no Python set up for gendan"
    NO_INTERPRETER = "NO_INTERPRETER", "设置的 Python 不存在", "the Python set up for gendan is not there"
    NO_GENDAN = "NO_GENDAN", "设置的 Python 无法导入 gendan_xl", "the Python set up cannot import gendan_xl"
    OTHER_ENVIRONMENT = "OTHER_ENVIRONMENT", "设置的 Python 与本环境的 xlwings 版本不同", \
        "the Python set up has another xlwings version than this environment"

    @property
    def fix(self) -> str:
        """The command that mends it (``{path}``: the workbook's path)."""
        if self is Problem.NO_MACROS:
            return f'{ENABLE_COMMAND} "{{path}}"'
        if self in (Problem.OTHER_XLWINGS, Problem.OTHER_GENDAN, Problem.MACHINE_PATH):
            return f'{UPGRADE_COMMAND} "{{path}}"'
        return SETUP_COMMAND


def check(path, *, home=None, platform: str = sys.platform) -> dict:
    """What ``gendan excel check`` reports: the workbook's VBA and config sheet, this PC's
    setup, and the problems found, each with the command that fixes it."""
    path = Path(path)
    workbook = MasterWorkbook(path)
    problems: list[tuple[Problem, str]] = []
    installed = {"xlwings": installed_xlwings_version(), "gendan": __version__}
    vba = _vba_versions(workbook, path)
    if vba is None:
        problems.append((Problem.NO_MACROS, ""))
    else:
        if vba["xlwings"] != installed["xlwings"]:
            problems.append((Problem.OTHER_XLWINGS, f"{vba['xlwings'] or '—'} ≠ {installed['xlwings']}"))
        if vba["gendan"] != installed["gendan"]:
            problems.append((Problem.OTHER_GENDAN, f"{vba['gendan'] or '—'} ≠ {installed['gendan']}"))
    sheet = None
    if workbook.package.has_sheet(CONFIG_SHEET):
        keys = machine_keys(read_config(workbook.sheet_rows(CONFIG_SHEET)))
        sheet = {"hidden": workbook.package.sheet_state(CONFIG_SHEET) != "visible", "machine_keys": keys}
        if keys:
            problems.append((Problem.MACHINE_PATH, ", ".join(keys)))
    pc = _this_pc(Path(home) if home is not None else Path.home(), platform)
    problems += pc.pop("problems")
    if pc.get("xlwings") and pc["xlwings"] != installed["xlwings"]:
        problems.append((Problem.OTHER_ENVIRONMENT, f"{pc['xlwings']} ≠ {installed['xlwings']}"))
    return {"workbook": str(path), "vba": vba, "installed": installed, "config_sheet": sheet, "this_pc": pc,
            "problems": [{"code": p.value, "problem": p.words, "detail": detail, "fix": p.fix.format(path=path)}
                         for p, detail in problems]}


def _vba_versions(workbook: MasterWorkbook, path: Path) -> dict | None:
    """The xlwings and gendan versions the workbook's VBA was written for (None: it has no VBA)."""
    package = workbook.package
    part = next((r["part"] for r in package.relationships(WORKBOOK)
                 if r.get("Type") == REL_VBA_PROJECT and "part" in r), None)
    if part is None or not package.has(part):
        return None
    try:
        project = read_vba_project(package.get(part))
    except ValueError as exc:
        raise GendanError(f"VBA 工程无法读取 the VBA project cannot be read ({exc})", file=path, value=part,
                          code=ErrorCode.BAD_WORKBOOK) from exc
    xlwings_module, ribbon = project.module("xlwings"), project.module(MODULE_NAME)
    return {"xlwings": None if xlwings_module is None else xlwings_version(xlwings_module.source),
            "gendan": None if ribbon is None else string_constant(ribbon.source, VERSION_CONSTANT) or None}


def _this_pc(home: Path, platform: str) -> dict:
    """This PC's user config: the interpreter it names and what running it told."""
    config_file = user_config.config_path(home, platform)
    key = user_config.interpreter_key(platform)
    interpreter = user_config.lookup(user_config.read(config_file, platform), key)
    found = {"config": str(config_file), "key": key, "interpreter": interpreter, "imports_gendan": False,
             "gendan": None, "xlwings": None, "problems": []}
    if not interpreter:
        found["problems"].append((Problem.NOT_SET_UP, f"{key} @ {config_file}"))
        return found
    probe = user_config.probe(interpreter)
    if not Path(interpreter).is_file():
        found["problems"].append((Problem.NO_INTERPRETER, interpreter))
    elif not probe.ok:
        found["problems"].append((Problem.NO_GENDAN, f"{interpreter}: {probe.error}"))
    return {**found, "imports_gendan": probe.ok, "gendan": probe.gendan, "xlwings": probe.xlwings}
