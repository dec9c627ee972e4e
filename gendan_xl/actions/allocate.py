"""gendan allocate: propose how a short supply of a style (and colour) is shared among its order lines
still to ship (rules/allocation.py), written as the 分配 Allocation sheet; the order lines are not changed."""

from __future__ import annotations

import datetime as dt

from gendan_xl.model import schema
from gendan_xl.model.values import display_text
from gendan_xl.rules.allocation import Proposal, allocate as share, lines_to_ship, read_qty, ready_qty
from gendan_xl.sheets.allocation_sheet import ALLOCATION_SHEET, allocation_sheet
from gendan_xl.actions.common import path_text, writes_master
from gendan_xl.actions.context import run_context
from gendan_xl.actions.results import AllocateResult, AllocatedLine


@writes_master("allocate")
def allocate(target, *, style: str, color: str | None = None, qty=None, fair: bool = False,
             as_of: dt.date | None = None) -> AllocateResult:
    """Share ``qty`` units (a whole number ≥ 0, as given on the command line; None: the units produced
    and not yet shipped) of ``style`` (and ``color``) among its lines still to ship as of ``as_of``
    (None: the Settings' as-of date, else today), by tier, due date, PO and line, ``fair``: in
    proportion within a tier. Writes the 分配 Allocation sheet (replacing the last one) and saves."""
    given = None if qty is None else read_qty(qty)
    run = run_context(target, as_of)
    wb = run.wb
    customers = wb.read(schema.CUSTOMERS).frame if wb.has_table(schema.CUSTOMERS) else None
    lines = lines_to_ship(run.orders.frame, customers, style=style, color=color, as_of=run.as_of,
                          tolerance_pct=run.settings.ship_tolerance_pct)
    n = ready_qty(lines) if given is None else given
    first = run.orders.frame.loc[lines.index[0]]   # the style and colour as the order lines write them
    proposal = Proposal(style=display_text(first["style"]), color=display_text(first["color"]) if color else None,
                        qty=n, qty_given=given is not None, fair=fair, lines=share(lines, n, fair=fair))
    wb.replace_sheet(allocation_sheet(proposal, run.as_of))
    backup = wb.save()
    return AllocateResult(workbook=str(wb.path), sheet=ALLOCATION_SHEET, as_of=run.as_of.isoformat(),
                          style=proposal.style, color=proposal.color, qty=n,
                          qty_from="given" if proposal.qty_given else "produced",
                          rule="fair" if fair else "in_order", lines=_listed(proposal), totals=proposal.totals,
                          backup=path_text(backup))


def _listed(proposal: Proposal) -> list[AllocatedLine]:
    return [AllocatedLine(po_no=display_text(r["po_no"]), line=display_text(r["line"]),
                          customer=display_text(r["customer"]), open_qty=int(r["open_qty"]),
                          allocated=int(r["allocated"]), short=int(r["short"]))
            for r in proposal.lines.to_dict("records")]
