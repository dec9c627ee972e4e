"""gendan plan: milestone rows for every open line, planned back from its due date, then refresh."""

from __future__ import annotations

import datetime as dt

from gendan_xl.model import schema
from gendan_xl.model.flags import FOLLOWED
from gendan_xl.ta.milestones import plan as plan_milestones
from gendan_xl.actions.common import open_workbook, path_text, writes_master
from gendan_xl.actions.context import run_context
from gendan_xl.actions.milestone_step import ensure_tables, line_templates, read_milestones, templates_of
from gendan_xl.actions.refresh import refresh
from gendan_xl.actions.results import PlanResult


@writes_master("plan")
def plan(target, *, template: str | None = None, as_of: dt.date | None = None, far_date: bool = False) -> PlanResult:
    """Create the missing milestone rows of the open lines (plan = due date minus the milestone's lead
    time in the supplier's working-day calendar), fill blank plans, move gendan's plans to a changed
    due date (never a plan the user typed), then refresh and save. ``template`` is used for lines
    whose supplier names none (default: the ``ta_template`` setting). An older master gets the T&A
    tables first."""
    wb = open_workbook(target, prefetch=(schema.MILESTONES,))
    added_tables = ensure_tables(wb)
    run = run_context(wb, as_of)
    orders, settings, as_of, book, countries = run.orders, run.settings, run.as_of, run.book, run.countries
    flags = run.evaluated()["flag"]
    templates = templates_of(wb)
    names = line_templates(wb, orders.frame, settings, templates, template)
    open_lines = flags.isin(FOLLOWED).to_numpy()
    table = wb.read(schema.MILESTONES)
    planned = plan_milestones(orders.frame[open_lines], countries[open_lines], names[open_lines], templates,
                              read_milestones(wb), book)
    wb.write(table, planned.milestones, ["plan_date", "planned_from"], appended=planned.new)
    summary = refresh(wb, as_of=as_of, save=False, far_date=far_date)
    return PlanResult(workbook=str(wb.path), tables_added=added_tables, open_lines=int(open_lines.sum()),
                      milestones_added=planned.added, plans_moved=planned.moved, plans_filled=planned.filled,
                      user_plans_kept=planned.kept, refresh=summary, backup=path_text(wb.save()))
