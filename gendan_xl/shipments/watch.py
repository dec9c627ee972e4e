"""What the weekly report says of the shipments (pure): how many are in each state, the shipments to
act on (FLAGGED and INVALID, with their why and document checks), and how many order lines the
departed ones closed."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from gendan_xl.model.shipments import ShipmentState, ShipmentStatus
from gendan_xl.model.values import display_text
from gendan_xl.shipments.book import ShipmentBook
from gendan_xl.shipments.checks import Checked

LISTED = ("shipment_no", "customer", "status", "etd", "cy_cutoff", "state", "why")   # the to-do list's fields


@dataclass(frozen=True)
class ShipmentWatch:
    """The shipments' part of a report: shipments per state (by code, every state), the shipments to
    act on (``LISTED`` fields, state and a known status as labels, in table order) and the order lines whose
    ship date or shipped qty the departed shipments set in this run."""

    counts: dict[str, int]
    to_do: pd.DataFrame
    lines_set: int
    checks: tuple[list[Checked], ...] = ()   # per shipment to act on, its document checks (none: not checked)

    def summary(self) -> dict:
        """The JSON form: the counts, the shipments to act on (dates ISO) with their document checks,
        the lines set."""
        checks = self.checks or ([],) * len(self.to_do)
        return {"counts": self.counts, "lines_set": self.lines_set,
                "flagged": [{**{name: display_text(value) for name, value in record.items()},
                             "checks": [c.as_dict() for c in checked]}
                            for record, checked in zip(self.to_do.to_dict("records"), checks)]}


def shipment_watch(book: ShipmentBook, states: pd.DataFrame, lines_set: int,
                   checks: dict[object, list[Checked]] | None = None) -> ShipmentWatch:
    """The watch of ``book`` whose ``states`` (``states.shipment_states``) and document ``checks``
    (by Shipments row label) were given."""
    codes = states["state"]
    to_do = codes.map(lambda code: ShipmentState(code).is_to_do).to_numpy(dtype=bool)
    listed = book.shipments.reindex(columns=list(LISTED))[to_do].assign(
        state=codes[to_do].map(lambda code: ShipmentState(code).label), why=states["why"][to_do])
    listed["status"] = [ShipmentStatus(code).label if code else cell   # an unknown status as typed
                        for code, cell in zip(book.status[to_do], listed["status"])]
    checked = tuple((checks or {}).get(label, []) for label in listed.index)
    return ShipmentWatch({state.value: int((codes == state.value).sum()) for state in ShipmentState},
                         listed.reset_index(drop=True), lines_set, checked)
