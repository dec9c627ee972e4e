"""gendan excel check: will the ribbon of this master run on this PC, and if not, which command
fixes it (the problems: ``statuses.ExcelProblem``).

It compares the workbook's VBA (the xlwings version of its ``xlwings`` module, the gendan version
stamped in ``GendanRibbon``) with what is installed here, looks for a PC's path on its
``xlwings.conf`` sheet, and runs the interpreter this PC's xlwings user config names.
"""

from __future__ import annotations

import sys
from pathlib import Path

from gendan_xl import __version__
from gendan_xl.actions.results import CheckProblem, CheckResult, ConfigSheet, ThisPc, Versions
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.statuses import ExcelProblem
from gendan_xl.ooxml.package import REL_VBA_PROJECT, WORKBOOK
from gendan_xl.store.master import CONFIG_SHEET, MasterWorkbook
from gendan_xl.xlsm.master_xlsm import machine_keys, read_config
from gendan_xl.xlsm.ribbon_vba import (ENABLE_COMMAND, MODULE_NAME, SETUP_COMMAND, UPGRADE_COMMAND,
                                        VERSION_CONSTANT, string_constant)
from gendan_xl.xlsm import user_config
from gendan_xl.xlsm.vba_read import read_vba_project
from gendan_xl.xlsm.xlsm import installed_xlwings_version, xlwings_version


def check(path, *, home=None, platform: str = sys.platform) -> CheckResult:
    """What ``gendan excel check`` reports: the workbook's VBA and config sheet, this PC's
    setup, and the problems found, each with the command that fixes it."""
    path = Path(path)
    workbook = MasterWorkbook(path)
    problems: list[tuple[ExcelProblem, str]] = []
    installed = Versions(xlwings=installed_xlwings_version(), gendan=__version__)
    vba = _vba_versions(workbook, path)
    if vba is None:
        problems.append((ExcelProblem.NO_MACROS, ""))
    else:
        if vba.xlwings != installed.xlwings:
            problems.append((ExcelProblem.OTHER_XLWINGS, f"{vba.xlwings or '—'} ≠ {installed.xlwings}"))
        if vba.gendan != installed.gendan:
            problems.append((ExcelProblem.OTHER_GENDAN, f"{vba.gendan or '—'} ≠ {installed.gendan}"))
    sheet = None
    if workbook.package.has_sheet(CONFIG_SHEET):
        keys = machine_keys(read_config(workbook.sheet_rows(CONFIG_SHEET)))
        sheet = ConfigSheet(hidden=workbook.package.sheet_state(CONFIG_SHEET) != "visible", machine_keys=keys)
        if keys:
            problems.append((ExcelProblem.MACHINE_PATH, ", ".join(keys)))
    pc, pc_problems = _this_pc(Path(home) if home is not None else Path.home(), platform)
    problems += pc_problems
    if pc.xlwings and pc.xlwings != installed.xlwings:
        problems.append((ExcelProblem.OTHER_ENVIRONMENT, f"{pc.xlwings} ≠ {installed.xlwings}"))
    return CheckResult(workbook=str(path), vba=vba, installed=installed, config_sheet=sheet, this_pc=pc,
                       problems=[CheckProblem(code=p, detail=detail, fix=fix(p, path)) for p, detail in problems])


def fix(problem: ExcelProblem, path: Path) -> str:
    """The command that mends ``problem`` of the workbook ``path``."""
    if problem is ExcelProblem.NO_MACROS:
        return f'{ENABLE_COMMAND} "{path}"'
    return f'{UPGRADE_COMMAND} "{path}"' if problem.of_the_workbook else SETUP_COMMAND


def _vba_versions(workbook: MasterWorkbook, path: Path) -> Versions | None:
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
    return Versions(xlwings=None if xlwings_module is None else xlwings_version(xlwings_module.source),
                    gendan=None if ribbon is None else string_constant(ribbon.source, VERSION_CONSTANT) or None)


def _this_pc(home: Path, platform: str) -> tuple[ThisPc, list[tuple[ExcelProblem, str]]]:
    """This PC's user config: the interpreter it names and what running it told; and its problems."""
    config_file = user_config.config_path(home, platform)
    key = user_config.interpreter_key(platform)
    interpreter = user_config.lookup(user_config.read(config_file, platform), key)
    if not interpreter:
        return (ThisPc(config=str(config_file), key=key, interpreter=interpreter, imports_gendan=False),
                [(ExcelProblem.NOT_SET_UP, f"{key} @ {config_file}")])
    probe = user_config.probe(interpreter)
    problems = []
    if not Path(interpreter).is_file():
        problems.append((ExcelProblem.NO_INTERPRETER, interpreter))
    elif not probe.ok:
        problems.append((ExcelProblem.NO_GENDAN, f"{interpreter}: {probe.error}"))
    return (ThisPc(config=str(config_file), key=key, interpreter=interpreter, imports_gendan=probe.ok,
                   gendan=probe.gendan, xlwings=probe.xlwings), problems)
