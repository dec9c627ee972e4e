"""Each shipment's follow-up (pure): its state and why as of the as-of date.

State, the first that applies (``ShipmentState``): INVALID, a shipment not applied (its why says
why); CLOSED, cancelled, or departed (``ShipmentBook.departed``: its lines are shipped); FLAGGED, an
open shipment with one of these problems, each named in its why:

- cargo ready after the CY cut-off (the goods miss the vessel);
- ETD after the due date of a line it carries;
- a line not produced in full: the line's produced qty is below what the shipments need of it —
  its qty in the shipments that departed, plus its qty in the open shipments up to this one, taken
  in ETD order (no ETD last; on one day, the shipment first in the table);
- its lines' CBM over what its containers hold (a shipment without containers is not measured);
- a document check failing (checks.py) with its SI cut-off on or before ``warn_until`` (the as-of
  date plus ``cutoff_warn_wd`` working days; a cut-off passed counts too);

OK, anything else (its why: its status and dates). A failing document check of an open shipment is in
its why whatever its SI cut-off: the flag waits for the cut-off to come near.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from gendan_xl.model.changes import order_labels
from gendan_xl.model.shipments import ShipmentState, ShipmentStatus
from gendan_xl.model.values import TOLERANCE, display_text
from gendan_xl.rules.calendar import as_days
from gendan_xl.shipments.book import ShipmentBook
from gendan_xl.shipments.checks import Checked, failing

LISTED = 3   # lines a why names per problem; the count says how many there are


def shipment_states(book: ShipmentBook, orders: pd.DataFrame, as_of: dt.date,
                    checks: dict[object, list[Checked]] | None = None, warn_until=None) -> pd.DataFrame:
    """``state`` (its code) and ``why`` of every shipment (indexed like ``book.shipments``);
    ``orders``: the Orders table (po_no, line, due_date, produced_qty) indexed by sheet row;
    ``checks``: the document checks of open shipments (by Shipments row label); ``warn_until``: the
    last SI cut-off day a failing check flags (None: none does)."""
    ships = book.shipments
    n = len(ships)
    left = book.departed(as_of)
    cancelled = ~book.bad & (book.status == ShipmentStatus.CANCELLED.value)
    closed = cancelled | ~np.isnat(left)
    is_open = ~book.bad & ~closed
    problems: list[list[str]] = [[] for _ in range(n)]
    ready, cy, etd = (as_days(ships[name]) for name in ("cargo_ready", "cy_cutoff", "etd"))
    for pos in np.flatnonzero(is_open & (ready > cy)):
        problems[pos].append(f"货好 {_day(ready[pos])} 晚于截关 {_day(cy[pos])} cargo ready {_day(ready[pos])}, after "
                             f"the CY cut-off {_day(cy[pos])}")
    lines = _open_lines(book, orders, left, is_open, etd)
    _late_lines(problems, lines)
    _short_lines(problems, lines)
    _over_capacity(problems, book, is_open)
    notes = _failing_checks(problems, book, is_open, checks or {}, warn_until)
    flagged = np.array([bool(p) for p in problems], dtype=bool)
    state = np.select([book.bad, closed, flagged], [ShipmentState.INVALID.value, ShipmentState.CLOSED.value,
                                                    ShipmentState.FLAGGED.value], ShipmentState.OK.value)
    why = np.full(n, "", dtype=object)
    for pos in range(n):
        if book.bad[pos]:
            why[pos] = "数据有误 bad input: " + book.problem[pos]
        elif cancelled[pos]:
            why[pos] = ShipmentStatus.CANCELLED.words.lower()
        elif closed[pos]:
            count = int((book.lines["shipment"] == ships.index[pos]).sum())
            why[pos] = f"已开船 sailed {_day(left[pos])}: {count} 行已出运 lines shipped"
        else:
            why[pos] = "; ".join((problems[pos] or [_plan(book.status[pos], etd[pos], cy[pos])]) + notes[pos])
    return pd.DataFrame({"state": state.astype(object), "why": why}, index=ships.index)


def _open_lines(book: ShipmentBook, orders: pd.DataFrame, left: np.ndarray, is_open: np.ndarray,
                etd: np.ndarray) -> pd.DataFrame:
    """The lines of the open shipments (``pos`` their shipment's position), each with its order
    line's label, due date and produced qty, and the qty the shipments need produced up to it."""
    at = book.shipments.index.get_indexer(book.lines["shipment"].to_numpy())
    lines = book.lines.assign(pos=at, etd=etd[at])
    before = lines[~np.isnat(left[at])].groupby("order")["qty"].sum()
    lines = lines[is_open[at]]
    lines = lines.assign(never=np.isnat(lines["etd"].to_numpy())).sort_values(
        ["order", "never", "etd", "pos"], kind="stable")
    lines["needed"] = lines.groupby("order")["qty"].cumsum() + before.reindex(lines["order"]).fillna(0).to_numpy()
    rows = lines["order"].to_numpy()
    return lines.assign(label=order_labels(orders.loc[rows, "po_no"], orders.loc[rows, "line"]),
                        due=as_days(orders.loc[rows, "due_date"]),
                        produced=pd.to_numeric(orders.loc[rows, "produced_qty"], errors="coerce").fillna(0).to_numpy(),
                        shipped_before=before.reindex(rows).fillna(0).to_numpy()).sort_values(["pos", "row"])


def _late_lines(problems: list[list[str]], lines: pd.DataFrame) -> None:
    late = lines[lines["etd"].to_numpy() > lines["due"].to_numpy()]
    for pos, rows in late.groupby("pos", sort=True):
        named = [f"{label} ({_day(due)})" for label, due in zip(rows["label"], rows["due"])]
        problems[pos].append(f"预计开船 {_day(rows['etd'].iat[0])} 晚于 {len(rows)} 行的交期 ETD {_day(rows['etd'].iat[0])} "
                             f"is after the due date of {len(rows)} line(s): {_first(named, rows)}")


def _short_lines(problems: list[list[str]], lines: pd.DataFrame) -> None:
    short = lines[lines["produced"].to_numpy() < lines["needed"].to_numpy() - TOLERANCE]
    for pos, rows in short.groupby("pos", sort=True):
        named = [f"{label} 已生产 produced {_num(p)} < 需要 needed {_num(need)}" + (
            f" ({_num(before)} 已出运 shipped before)" if before else "")
            for label, p, need, before in zip(rows["label"], rows["produced"], rows["needed"], rows["shipped_before"])]
        problems[pos].append(f"{len(rows)} 行未完成生产 line(s) not produced in full: {_first(named, rows)}")


def _over_capacity(problems: list[list[str]], book: ShipmentBook, is_open: np.ndarray) -> None:
    at = book.shipments.index.get_indexer(book.lines["shipment"].to_numpy())
    cbm = np.bincount(at, weights=np.nan_to_num(book.lines["cbm"].to_numpy(dtype=float)), minlength=len(is_open))
    over = is_open & (book.capacity > 0) & (cbm > book.capacity + TOLERANCE)
    for pos in np.flatnonzero(over):
        containers = display_text(book.shipments["containers"].iat[pos])
        problems[pos].append(f"体积 {cbm[pos]:.2f} m³ 超过集装箱容量 {book.capacity[pos]:g} m³ CBM {cbm[pos]:.2f} over "
                             f"what the containers hold ({containers}: {book.capacity[pos]:g} m³)")


def _failing_checks(problems: list[list[str]], book: ShipmentBook, is_open: np.ndarray,
                    checks: dict[object, list[Checked]], warn_until) -> list[list[str]]:
    """The failing document checks of each open shipment: a problem when its SI cut-off is on or
    before ``warn_until``, else a note for its why (returned, per shipment)."""
    notes: list[list[str]] = [[] for _ in problems]
    si = as_days(book.shipments["si_cutoff"])
    near = ~np.isnat(si) & (si <= np.datetime64(warn_until, "D")) if warn_until is not None else np.zeros(len(si), bool)
    for pos in np.flatnonzero(is_open):
        bad = failing(checks.get(book.shipments.index[pos], []))
        if not bad:
            continue
        found = " | ".join(f"{c.code.value}: " + "; ".join(c.found[:LISTED])
                           + (f" … ({len(c.found)} in all)" if len(c.found) > LISTED else "") for c in bad)
        if near[pos]:
            problems[pos].append(f"截补料 {_day(si[pos])} 临近，单证检查未通过 document checks failing with the SI "
                                 f"cut-off {_day(si[pos])} near: {found}")
        else:
            notes[pos].append(f"单证检查未通过 document checks failing: {found}")
    return notes


def _plan(status: str, etd, cy) -> str:
    """The why of an open shipment without problems: its status and dates."""
    dates = [f"ETD {_day(etd)}"] if not np.isnat(etd) else []
    dates += [f"截关 CY cut-off {_day(cy)}"] if not np.isnat(cy) else []
    return ", ".join([ShipmentStatus(status).words.lower(), *dates])


def _first(named: list[str], rows: pd.DataFrame) -> str:
    """The first ``LISTED`` of the texts ``named``, and how many there are."""
    return ", ".join(named[:LISTED]) + (f", … ({len(rows)} in all)" if len(rows) > LISTED else "")


def _day(value) -> str:
    return str(np.datetime64(value, "D"))


def _num(value: float) -> str:
    return f"{value:,.0f}"
