"""The shipments step of refresh, before the lines are judged: the departed shipments set their order
lines' ship date and shipped qty (logged with the shipment as source), the open shipments' documents
are checked (``shipments.checks``; the SI cut-off warning counts ``cutoff_warn_wd`` working days in the
default country's calendar), and every shipment's state and why are written; a row the book cannot apply is an Import Issues row (once) and changes nothing. A
master without shipments (no 出运 Shipments table, or no rows in it) is left as it is, and its report
says nothing of shipments (no Shipment Lines table: no lines; no Containers: the seeded types)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.shipments import ShipmentState
from gendan_xl.model.values import map_distinct
from gendan_xl.shipments.book import ShipmentBook, read_book
from gendan_xl.shipments.checks import Checked, check_documents
from gendan_xl.shipments.closing import FIELDS, close_lines
from gendan_xl.shipments.containers import capacities
from gendan_xl.shipments.documents import open_documents
from gendan_xl.shipments.states import shipment_states
from gendan_xl.shipments.watch import ShipmentWatch, shipment_watch
from gendan_xl.actions.common import append_log, now

if TYPE_CHECKING:
    from gendan_xl.actions.context import RunContext


def read_shipments(run: RunContext) -> ShipmentBook | None:
    """The shipment book of ``run``'s master (None: the master has no Shipments table)."""
    wb = run.wb
    if not wb.has_table(schema.SHIPMENTS):
        return None
    lines = (wb.read(schema.SHIPMENT_LINES).frame if wb.has_table(schema.SHIPMENT_LINES)
             else pd.DataFrame(columns=schema.SHIPMENT_LINES.names))
    containers = wb.read(schema.CONTAINERS).frame if wb.has_table(schema.CONTAINERS) else None
    return read_book(wb.read(schema.SHIPMENTS).frame, lines, run.orders.frame, capacities(containers),
                     file=wb.path.name)


def shipment_step(run: RunContext) -> ShipmentWatch | None:
    """Apply the shipments of ``run``'s master as of its as-of date (None: it has no shipments)."""
    book = read_shipments(run)
    if book is None or book.shipments.empty:
        return None
    wb, orders = run.wb, run.orders
    closed = close_lines(book, orders.frame, run.as_of, file=wb.path.name, timestamp=now(),
                         read_log=lambda: wb.read(schema.CHANGE_LOG).frame)
    wb.write(orders, closed.orders, FIELDS)
    checks = document_checks(run, book)
    warn_until = run.book.get(run.settings.default_country).add(np.datetime64(run.as_of, "D"),
                                                                 run.settings.cutoff_warn_wd)
    states = shipment_states(book, orders.frame, run.as_of, checks, warn_until)
    table = wb.read(schema.SHIPMENTS)
    labels = map_distinct(states["state"], lambda code: ShipmentState(code).label, None)
    wb.write(table, table.frame.assign(state=labels, why=states["why"]), ["state", "why"])
    append_log(wb, closed.changes, book.issues, run.as_of)
    return shipment_watch(book, states, closed.lines, checks)


def document_checks(run: RunContext, book: ShipmentBook) -> dict[object, list[Checked]]:
    """The document checks of every open shipment of ``book`` (by its Shipments row label)."""
    wb = run.wb
    customers = wb.read(schema.CUSTOMERS).frame if wb.has_table(schema.CUSTOMERS) else None
    rows = (wb.read(schema.SHIPMENT_LINES).frame if wb.has_table(schema.SHIPMENT_LINES)
            else pd.DataFrame(columns=schema.SHIPMENT_LINES.names))
    documents = open_documents(book, rows, run.orders.frame, customers, run.as_of)
    return {label: check_documents(docs, customers, run.settings.ship_tolerance_pct)
            for label, docs in documents.items()}
