"""gendan plan: milestone rows for every open line, planned back from its due date, then refresh."""

from __future__ import annotations

import datetime as dt

from gendan_xl.model import schema
from gendan_xl.model.flags import FOLLOWED
from gendan_xl.ta.milestones import plan as plan_milestones
from gendan_xl.model.settings import Settings
from gendan_xl.actions.common import open_workbook, path_text, writes_master
from gendan_xl.actions.milestone_step import ensure_tables, line_templates, read_milestones, templates_of
from gendan_xl.actions.refresh import calendars, evaluate_orders, refresh



@writes_master("plan")
def plan(target, *, template: str | None = None, as_of: dt.date | None = None, far_date: bool = False) -> dict:
    """Create the missing milestone rows of the open lines (plan = due date minus the milestone's lead
    time in the supplier's working-day calendar), fill blank plans, move gendan's plans to a changed
    due date (never a plan the user typed), then refresh and save. ``template`` is used for lines
    whose supplier names none (default: the ``ta_template`` setting). An older master gets the T&A
    tables first."""
    wb = open_workbook(target, prefetch=(schema.MILESTONES,))
    added_tables = ensure_tables(wb)
    orders = wb.read(schema.ORDERS)
    settings = Settings.from_frame(wb.read(schema.SETTINGS).frame)
    as_of = as_of or settings.as_of or dt.date.today()
    book, countries = calendars(wb, orders.frame, settings, as_of)
    flags = evaluate_orders(wb, orders, settings, as_of, (book, countries))["flag"]
    templates = templates_of(wb)
    names = line_templates(wb, orders.frame, settings, templates, template)
    open_lines = flags.isin(FOLLOWED).to_numpy()
    table = wb.read(schema.MILESTONES)
    planned = plan_milestones(orders.frame[open_lines], countries[open_lines], names[open_lines], templates,
                              read_milestones(wb), book)
    wb.write(table, planned.milestones, ["plan_date", "planned_from"], appended=planned.new)
    summary = refresh(wb, as_of=as_of, save=False, far_date=far_date)
    return {"workbook": str(wb.path), "tables_added": added_tables, "open_lines": int(open_lines.sum()),
            "milestones_added": planned.added, "plans_moved": planned.moved, "plans_filled": planned.filled,
            "user_plans_kept": planned.kept, "refresh": summary, "backup": path_text(wb.save())}
