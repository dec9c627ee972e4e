"""The T&A tables of a master: added to an older master, each line's template, and the milestone
step of refresh (milestone states written, line flags merged with the milestone projection)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.rules.calendar import CalendarBook
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.flags import MilestoneState
from gendan_xl.ta.milestones import (Evaluated, check_template, combine, evaluate, note_unshipped, read_templates,
                          seed_templates)
from gendan_xl.rules.parties import supplier_rows, supplier_values
from gendan_xl.samples.mapping import seeded_kinds
from gendan_xl.model.settings import Settings
from gendan_xl.ta.views import LINE_FIELDS, Todo, board, codes_in_order, joined, names_of, todo
from gendan_xl.model.values import map_distinct
from gendan_xl.store.protocol import Workbook
from gendan_xl.sheets.sheet_render import SheetSpec
from gendan_xl.sheets.ta_sheet import ta_sheet

COMPUTED = ["name", "slack_wd", "state", "why"]


def ensure_tables(wb: Workbook) -> list[str]:
    """Add the T&A Templates (seeded with APPAREL) and Milestones tables a master lacks; returns
    the sheets added."""
    added = []
    if not wb.has_table(schema.TA_TEMPLATES):
        wb.add_table(schema.TA_TEMPLATES)
        table = wb.read(schema.TA_TEMPLATES)
        wb.write(table, table.frame, [], appended=seed_templates())
        added.append(schema.TA_TEMPLATES.sheet)
    if not wb.has_table(schema.MILESTONES):
        wb.add_table(schema.MILESTONES)
        added.append(schema.MILESTONES.sheet)
    return added


def templates_of(wb: Workbook) -> pd.DataFrame:
    """The validated T&A Templates rows (see ``milestones.read_templates``). An older master's table
    gets its Sample kind column here, filled in with the seeded mapping (``mapping.seeded_kinds``)."""
    table = wb.read(schema.TA_TEMPLATES)
    if "sample_kind" in table.added:
        wb.write(table, table.frame.assign(sample_kind=seeded_kinds(table.frame)), ["sample_kind"])
    return read_templates(_checked(wb, schema.TA_TEMPLATES), file=wb.path.name)


def line_templates(wb: Workbook, frame: pd.DataFrame, settings: Settings, templates: pd.DataFrame,
                   override: str | None = None) -> pd.Series:
    """The template of every order line: its supplier's (Suppliers table), else ``override``
    (``--template``), else the ``ta_template`` setting. An unknown template is a GendanError naming
    where it was given."""
    suppliers = wb.read(schema.SUPPLIERS).frame
    if override:
        default = check_template(templates, override, where={"column": "--template"})
    else:
        keys = wb.read(schema.SETTINGS).frame
        row = keys.index[keys["key"].astype(str).str.strip() == "ta_template"]
        default = check_template(templates, settings.ta_template, where={
            "file": wb.path.name, "sheet": schema.SETTINGS.sheet, "row": int(row[0]) if len(row) else None,
            "column": schema.SETTINGS.field("value").header})
    for _supplier, (row, value) in supplier_rows(suppliers, "ta_template").items():
        check_template(templates, value, where={"file": wb.path.name, "sheet": schema.SUPPLIERS.sheet, "row": row,
                                                "column": schema.SUPPLIERS.field("ta_template").header})
    at, names = pd.factorize(frame["supplier"])   # looked up once per supplier name
    found = supplier_values(pd.Series([*names.tolist(), None], dtype=object), suppliers, "ta_template", default)
    return pd.Series(found.to_numpy()[at], index=frame.index, dtype=object)


def read_milestones(wb: Workbook) -> pd.DataFrame:
    """The Milestones table; a date cell that is not a date is a GendanError naming it."""
    return _checked(wb, schema.MILESTONES)


def _checked(wb: Workbook, spec: schema.Table) -> pd.DataFrame:
    """A T&A table's frame; a cell that does not read as its kind (date, number) is a GendanError."""
    table = wb.read(spec)
    for p in table.problems:
        kind = spec.field(schema.match_header(spec, p.column) or "po_no").kind
        expected = "a date such as 2026-11-02" if kind == schema.DATE else "a whole number"
        reason = "工序日期无效 invalid date" if kind == schema.DATE else "数字无效 invalid number"
        raise GendanError(f"{reason} in {spec.sheet}", file=p.file or wb.path.name, sheet=p.sheet, row=p.row,
                          column=p.column, value=p.value, expected=expected,
                          code=ErrorCode.BAD_DATE if kind == schema.DATE else ErrorCode.BAD_NUMBER)
    return table.frame


@dataclass
class Views:
    """The T&A views of one refresh: the 进度表 board and the weekly report's to-do list."""

    board: pd.DataFrame
    todo: Todo
    codes: list[str]
    names: dict[str, str]

    def sheet(self, as_of: dt.date) -> SheetSpec:
        return ta_sheet(self.board, self.codes, self.names, as_of, self.todo.soon_wd)


def milestone_step(wb: Workbook, frame: pd.DataFrame, evaluated: pd.DataFrame, book: CalendarBook,
                   countries: pd.Series, settings: Settings, as_of: dt.date, *, write: bool,
                   expected: pd.DataFrame | None = None) -> tuple[pd.DataFrame, Views | None]:
    """``evaluated`` (slack_wd, flag code, why per line) merged with the milestone projection, the
    worse flag winning (``milestones.combine``), and the T&A views; with ``write``, every milestone
    row's name, slack, state and why are written; ``expected``: milestone rows expected from outside
    the T&A (``milestones.evaluate``). A master without the T&A tables is left as it is (no views)."""
    if not (wb.has_table(schema.MILESTONES) and wb.has_table(schema.TA_TEMPLATES)):
        return evaluated, None
    rows = read_milestones(wb)
    templates = templates_of(wb)
    result = states(wb, frame, evaluated, rows, book, countries, settings, as_of, templates, expected)
    if write and len(rows):
        labels = pd.Series(map_distinct(result.rows["state"], lambda code: MilestoneState(code).label, None),
                           index=result.rows.index, dtype=object)
        wb.write(wb.read(schema.MILESTONES), result.rows.assign(state=labels), COMPUTED)
    combined = note_unshipped(combine(evaluated, result.lines, settings.at_risk_wd, settings.milestone_grace_wd),
                              result.lines, frame["ship_date"], settings.ex_factory_ship_wd)
    lines = frame[[c for c in LINE_FIELDS if c != "flag"]].assign(flag=combined["flag"])
    codes = codes_in_order(templates)
    both = joined(lines, rows, result.rows, result.keys)
    views = Views(board(both, codes), Todo(todo(both), settings.milestone_soon_wd), codes, names_of(templates))
    return combined, views


def states(wb: Workbook, frame: pd.DataFrame, evaluated: pd.DataFrame, rows: pd.DataFrame, book: CalendarBook,
           countries: pd.Series, settings: Settings, as_of: dt.date, templates: pd.DataFrame,
           expected: pd.DataFrame | None = None) -> Evaluated:
    """``milestones.evaluate`` for the master's milestone rows and order lines."""
    names = line_templates(wb, frame, settings, templates)
    lines = frame[["po_no", "line", "due_date"]].assign(flag=evaluated["flag"])
    return evaluate(rows, lines, countries.to_numpy(), names, templates, book, as_of, settings.milestone_soon_wd,
                    file=wb.path.name, expected=expected)
