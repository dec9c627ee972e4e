"""The samples step of refresh, before the milestones are judged: a rejected round gets its next round,
approvals close their milestones (the T&A templates' Sample kind column says which), and every
round's wait, state and why are written; a row the register cannot apply is an Import Issues row
(once) and changes nothing. A master without the 样品 Samples table is left as it is. What the
register says ahead (``SampleOutlook``: the buyers' turnaround, the milestones rejected samples put
off, the rounds to chase) is kept on the run for the T&A, the 周报 and ``refresh --json``; a command
that does not apply the register (``gendan chase``) reads it from the master as it is
(``read_outlook``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.samples import SampleState
from gendan_xl.model.values import map_distinct
from gendan_xl.rules.parties import supplier_countries
from gendan_xl.samples.approvals import close_milestones
from gendan_xl.samples.mapping import kind_milestones, milestone_rows
from gendan_xl.samples.register import Register, read_register, sample_customers, sample_suppliers
from gendan_xl.samples.rejected import expected_approvals
from gendan_xl.samples.rounds import added_rounds_log, next_rounds
from gendan_xl.samples.states import sample_states
from gendan_xl.samples.todo import SampleTodo, sample_todo
from gendan_xl.samples.turnaround import Turnaround, buyer_turnaround, round_customers
from gendan_xl.actions.common import append_log, now
from gendan_xl.actions.milestone_step import line_templates, read_milestones, templates_of

if TYPE_CHECKING:
    from gendan_xl.actions.context import RunContext

COMPUTED = ["wait_wd", "state", "why"]


@dataclass
class SampleSummary:
    """What the samples step did: rounds added after rejections, milestone actual dates set (or moved),
    users' dates kept against an approval, marked dates cleared, the rows not applied, and the rounds
    to chase (``SampleTodo.summary``)."""

    added: int = 0
    set: int = 0
    kept: int = 0
    cleared: int = 0
    invalid: int = 0
    overdue: list[dict] = field(default_factory=list)
    waiting: list[dict] = field(default_factory=list)


@dataclass
class SampleOutlook:
    """The buyers' turnaround (``turnaround.buyer_turnaround``) and the milestone rows rejected samples
    put off (``rejected.expected_approvals``: expected date and why by Milestones row; None: the master
    has no T&A), the rounds to chase (``todo.sample_todo``); ``rounds``: the register's rows (none: the
    周报 leaves the samples out)."""

    turnaround: Turnaround
    expected: pd.DataFrame | None
    todo: SampleTodo
    rounds: int


class _TA(NamedTuple):
    """The T&A a register speaks to: each order line's template and the kind → milestone mapping."""

    lines: pd.Series
    mapping: pd.DataFrame


def sample_step(run: RunContext) -> SampleSummary | None:
    """Apply the register of ``run``'s master as of its as-of date (None: the master has no Samples table)."""
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
    states = sample_states(register, countries, run.book, run.as_of, settings.sample_reply_wd)
    labels = pd.Series(map_distinct(states["state"], lambda code: SampleState(code).label, None), index=states.index,
                       dtype=object)   # Python texts, as the why: no Arrow strings made and unmade for the write
    wb.write(table, table.frame.assign(wait_wd=states["wait_wd"], state=labels, why=states["why"]), COMPUTED)
    ahead = _ahead(run, register, countries, states)
    ta, milestones, rows = _ta(run, register), None, None
    if ta:   # after all the register says alone: a large Milestones table is still being read ahead
        table_ms = wb.read(schema.MILESTONES)
        milestones = read_milestones(wb)
        rows = milestone_rows(milestones)
        closed = close_milestones(register, orders, ta.lines, ta.mapping, milestones, file=wb.path.name,
                                  timestamp=stamp, rows=rows)
        wb.write(table_ms, closed.milestones, ["actual_date", "source"])
        milestones = closed.milestones
        changes += closed.changes
        summary.set, summary.kept, summary.cleared = closed.set, closed.kept, closed.cleared
    append_log(wb, changes, register.issues, run.as_of)
    run.sample_outlook = outlook = _outlook(run, register, countries, ahead, ta, milestones, rows)
    lists = outlook.todo.summary()
    summary.overdue, summary.waiting = lists["overdue"], lists["waiting"]
    return summary


def read_outlook(run: RunContext) -> SampleOutlook | None:
    """The outlook of ``run``'s master as its register stands, nothing applied or written (None: no
    Samples table)."""
    wb = run.wb
    if not wb.has_table(schema.SAMPLES):
        return None
    register = read_register(wb.read(schema.SAMPLES).frame, run.orders.frame, file=wb.path.name)
    countries = _countries(run, register)
    states = sample_states(register, countries, run.book, run.as_of, run.settings.sample_reply_wd)
    ta = _ta(run, register)
    return _outlook(run, register, countries, _ahead(run, register, countries, states), ta,
                    read_milestones(wb) if ta else None)


def _ta(run: RunContext, register: Register) -> _TA | None:
    """The T&A of ``run``'s master the register speaks to (None: the master has no T&A tables, or the
    register has no rows: nothing to close, clear or put off, so a large plan is not looked through)."""
    wb = run.wb
    if not (len(register.rows) and wb.has_table(schema.MILESTONES) and wb.has_table(schema.TA_TEMPLATES)):
        return None
    templates = templates_of(wb)
    return _TA(line_templates(wb, run.orders.frame, run.settings, templates),
               kind_milestones(wb.read(schema.TA_TEMPLATES).frame, file=wb.path.name))


class _Ahead(NamedTuple):
    """What the register says without the T&A: the buyers' turnaround, each round's customer key
    (``turnaround.round_customers``) and the rounds to chase."""

    turnaround: Turnaround
    keys: np.ndarray
    todo: SampleTodo


def _ahead(run: RunContext, register: Register, countries, states: pd.DataFrame) -> _Ahead:
    wb, orders = run.wb, run.orders.frame
    customers = wb.read(schema.CUSTOMERS).frame if wb.has_table(schema.CUSTOMERS) else None
    keys, shown = round_customers(sample_customers(register, orders), customers)
    turnaround = buyer_turnaround(register, states["wait_wd"], keys, shown, run.as_of, run.settings.sample_turnaround_wd)
    return _Ahead(turnaround, keys, sample_todo(register, states, orders, countries, run.book, run.as_of, customers))


def _outlook(run: RunContext, register: Register, countries, ahead: _Ahead, ta: _TA | None,
             milestones: pd.DataFrame | None, rows: pd.Series | None = None) -> SampleOutlook:
    """``ahead`` with the milestones rejected samples put off (a master with a T&A; ``rows``:
    ``mapping.milestone_rows`` of ``milestones`` when known)."""
    expected = (expected_approvals(register, countries, run.book, run.as_of, ahead.turnaround, ahead.keys,
                                   run.orders.frame, ta.lines, ta.mapping, milestones, rows) if ta else None)
    return SampleOutlook(ahead.turnaround, expected, ahead.todo, len(register.rows))


def _countries(run: RunContext, register: Register) -> pd.Series:
    """Each round's calendar country: its supplier's (``sample_suppliers``), else the default country."""
    return supplier_countries(sample_suppliers(register, run.orders.frame), run.wb.read(schema.SUPPLIERS).frame,
                              run.settings.default_country)
