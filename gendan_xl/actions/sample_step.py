"""The samples step of refresh, before the milestones are judged: a rejected round gets its next round,
approvals close their milestones (the T&A templates' Sample kind column says which), and every
round's wait, state and why are written; a row the register cannot apply is an Import Issues row
(once) and changes nothing. A master without the 样品 Samples table is left as it is. The rounds to
chase (``samples.todo``) go to the 周报 and ``refresh --json``; ``gendan chase`` reads them
(``read_todo``) without writing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.samples import SampleState
from gendan_xl.model.values import map_distinct
from gendan_xl.rules.parties import supplier_countries
from gendan_xl.samples.approvals import close_milestones
from gendan_xl.samples.mapping import kind_milestones
from gendan_xl.samples.register import Register, read_register, sample_suppliers
from gendan_xl.samples.rounds import added_rounds_log, next_rounds
from gendan_xl.samples.states import sample_states
from gendan_xl.samples.todo import SampleTodo, sample_todo
from gendan_xl.actions.common import append_log, now
from gendan_xl.actions.milestone_step import line_templates, read_milestones, templates_of

if TYPE_CHECKING:
    from gendan_xl.actions.context import RunContext

COMPUTED = ["wait_wd", "state", "why"]


@dataclass
class SampleSummary:
    """What the samples step did: rounds added after rejections, milestone actual dates set (or moved),
    users' dates kept against an approval, marked dates cleared, the rows not applied, and the rounds to
    chase (``SampleTodo.summary``): ``overdue`` at the supplier, ``waiting`` for the customer."""

    added: int = 0
    set: int = 0
    kept: int = 0
    cleared: int = 0
    invalid: int = 0
    overdue: list[dict] = field(default_factory=list)
    waiting: list[dict] = field(default_factory=list)


def sample_step(run: RunContext) -> tuple[SampleSummary, SampleTodo | None] | None:
    """Apply the register of ``run``'s master as of its as-of date, and the rounds to chase then (None:
    an empty register, the 周报 shows no sample to-do); None: the master has no Samples table."""
    wb, settings = run.wb, run.settings
    if not wb.has_table(schema.SAMPLES):
        return None
    orders = run.orders.frame
    table = wb.read(schema.SAMPLES)
    register = read_register(table.frame, orders, file=wb.path.name)
    stamp = now()
    countries = _countries(run, register)
    new = next_rounds(register, countries, run.book, settings.sample_resubmit_wd)
    changes = added_rounds_log(new, file=wb.path.name, timestamp=stamp)
    if len(new):   # appended after the rows: a new round in the calendar of the round it follows
        wb.write(table, table.frame, [], appended=new.drop(columns="after"))
        register = read_register(table.frame, orders, file=wb.path.name)
        countries = np.concatenate([countries.to_numpy(), countries.loc[new["after"]].to_numpy()])
    summary = SampleSummary(added=len(new), invalid=int(register.bad.sum()))
    if wb.has_table(schema.MILESTONES) and wb.has_table(schema.TA_TEMPLATES):
        templates = templates_of(wb)
        mapping = kind_milestones(wb.read(schema.TA_TEMPLATES).frame, file=wb.path.name)
        milestones = wb.read(schema.MILESTONES)
        closed = close_milestones(register, orders, line_templates(wb, orders, settings, templates), mapping,
                                  read_milestones(wb), file=wb.path.name, timestamp=stamp)
        wb.write(milestones, closed.milestones, ["actual_date", "source"])
        changes += closed.changes
        summary.set, summary.kept, summary.cleared = closed.set, closed.kept, closed.cleared
    states = sample_states(register, countries, run.book, run.as_of, settings.sample_reply_wd)
    labels = map_distinct(states["state"], lambda code: SampleState(code).label, None)
    wb.write(table, table.frame.assign(wait_wd=states["wait_wd"], state=labels, why=states["why"]), COMPUTED)
    append_log(wb, changes, register.issues, run.as_of)
    todo = _todo(run, register, countries, states)
    lists = todo.summary()
    summary.overdue, summary.waiting = lists["overdue"], lists["waiting"]
    return summary, todo if len(register.rows) else None


def read_todo(run: RunContext) -> SampleTodo | None:
    """The rounds to chase of the register as the master holds it (nothing added, nothing written;
    None: the master has no Samples table)."""
    if not run.wb.has_table(schema.SAMPLES):
        return None
    register = read_register(run.wb.read(schema.SAMPLES).frame, run.orders.frame, file=run.wb.path.name)
    countries = _countries(run, register)
    states = sample_states(register, countries, run.book, run.as_of, run.settings.sample_reply_wd)
    return _todo(run, register, countries, states)


def _todo(run: RunContext, register: Register, countries, states: pd.DataFrame) -> SampleTodo:
    customers = run.wb.read(schema.CUSTOMERS).frame if run.wb.has_table(schema.CUSTOMERS) else None
    return sample_todo(register, states, run.orders.frame, countries, run.book, run.as_of, customers)


def _countries(run: RunContext, register: Register) -> pd.Series:
    """Each round's calendar country: its supplier's (``sample_suppliers``), else the default country."""
    return supplier_countries(sample_suppliers(register, run.orders.frame), run.wb.read(schema.SUPPLIERS).frame,
                              run.settings.default_country)
