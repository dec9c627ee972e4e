"""Shipped closes the line (pure): a shipment that has left (``ShipmentBook.departed``: its ATD, else
SAILED or ARRIVED: its ETD; never a cancelled one, nor one leaving after the as-of date) sets the
Orders ship date and shipped qty of the lines it carries:

- ``ship_date``: the latest departure of the shipments that carried the line;
- ``shipped_qty``: the sum of the line's qty over those shipments (partial shipments add up).

Those two fields of such a line are the shipments', not the supplier's: a supplier's file giving
another value is a conflict, not applied (``held``, for ``rules.sync``). Every value set is a
Change Log row of the Orders table naming the shipment (the latest one; ``SH-1 + SH-2`` when several
add up to the qty) and its Shipments row.

A line no departed shipment carries keeps what it has, unless a shipment set it and none carries it
now (the shipment cancelled, its ATD taken back, the line taken off it): a value still the one the
line's latest Change Log row of the field (withdrawals aside) set as shipped is cleared, logged
``出运已撤销 no longer shipped`` with the shipments it came from; a value the user or a supplier's
file gave since is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.changes import log_rows, order_labels
from gendan_xl.model.values import display_text, same_values
from gendan_xl.shipments.book import ShipmentBook

FIELDS = ["ship_date", "shipped_qty"]
MARK = "出运 shipment "   # how the Change Log note and a conflict name the shipments a value comes from
CLOSED_NOTE = "已出运 shipped: "
WITHDRAWN_NOTE = "出运已撤销 no longer shipped: "


@dataclass
class Closed:
    """The Orders frame after the shipments (ship_date, shipped_qty), the Change Log rows, and how
    many order lines changed."""

    orders: pd.DataFrame
    changes: list[dict] = field(default_factory=list)
    lines: int = 0


def shipped(book: ShipmentBook, as_of) -> pd.DataFrame:
    """Per order line a departed shipment carries (indexed by its Orders row): ``ship_date``,
    ``shipped_qty``, the Shipments row of its latest shipment (``source_row``) and the shipments
    named (``source``: ``出运 shipment SH-1 + SH-2``)."""
    left = book.departed(as_of)
    at = book.shipments.index.get_indexer(book.lines["shipment"].to_numpy())
    lines = book.lines.assign(day=left[at], name=book.shipments["shipment_no"].map(display_text).to_numpy(dtype=object)[at])
    lines = lines[~np.isnat(lines["day"].to_numpy())].sort_values(["order", "day", "shipment"], kind="stable")
    if lines.empty:
        return pd.DataFrame(columns=[*FIELDS, "source_row", "source"]).rename_axis("order")
    grouped = lines.groupby("order", sort=True)
    last = grouped.tail(1).set_index("order")
    return pd.DataFrame({"ship_date": last["day"].astype("datetime64[us]"),
                         "shipped_qty": grouped["qty"].sum().astype(float),
                         "source_row": last["shipment"],
                         "source": MARK + grouped["name"].agg(lambda names: " + ".join(dict.fromkeys(names)))})


def close_lines(book: ShipmentBook, orders: pd.DataFrame, as_of, *, file: str | None, timestamp,
                read_log: Callable[[], pd.DataFrame] | None = None) -> Closed:
    """Set the ship date and shipped qty of the lines the departed shipments of ``book`` carry on
    ``orders`` (the Orders table; not modified), and clear those a shipment set that none carries
    now (see the module's rules; ``read_log()``: the Change Log, read only when a line may be one)."""
    found = shipped(book, as_of)
    result = Closed(orders.copy())
    touched: set = set()
    if not found.empty:
        _set(result, found, orders, file, timestamp, touched)
    carried = pd.Index(book.lines["order"].dropna().unique()).intersection(orders.index).difference(found.index)
    held = carried[orders.loc[carried, FIELDS].notna().any(axis=1).to_numpy()]
    if len(held) and read_log is not None:
        _withdraw(result, orders, held, read_log(), file, timestamp, touched)
    result.lines = len(touched)
    return result


def _set(result: Closed, found: pd.DataFrame, orders: pd.DataFrame, file, timestamp, touched: set) -> None:
    rows = found.index
    log = pd.DataFrame({"timestamp": timestamp, "file": file, "sheet": schema.SHIPMENTS.sheet,
                        "source_row": found["source_row"].to_numpy(), "table": schema.ORDERS.key,
                        "order_key": order_labels(orders.loc[rows, "po_no"], orders.loc[rows, "line"])}, index=rows)
    for name in FIELDS:
        old, new = orders.loc[rows, name], found[name]
        changed = ~same_values(old, new).to_numpy()
        if not changed.any():
            continue
        result.orders.loc[rows[changed], name] = new[changed]
        touched.update(rows[changed])
        result.changes += log_rows(log[changed], name, old[changed], new[changed],
                                   (CLOSED_NOTE + found["source"][changed]).to_numpy(dtype=object))


def _withdraw(result: Closed, orders: pd.DataFrame, rows: pd.Index, change_log: pd.DataFrame, file, timestamp,
              touched: set) -> None:
    """Clear the values of ``rows`` a shipment set (see the module's rules), logged."""
    logged = change_log[(change_log["table"].isna() | (change_log["table"] == schema.ORDERS.key))
                        & change_log["field"].isin(FIELDS)].assign(
        order_key=lambda f: f["order_key"].astype(str), note=lambda f: f["note"].fillna("").astype(str))
    logged = logged[~logged["note"].str.startswith(WITHDRAWN_NOTE)]
    latest = logged.groupby(["order_key", "field"], sort=False).tail(1)   # the log is in the order it was written
    latest = latest[latest["note"].str.startswith(CLOSED_NOTE)]
    labels = order_labels(orders.loc[rows, "po_no"], orders.loc[rows, "line"])
    log = pd.DataFrame({"timestamp": timestamp, "file": file, "sheet": schema.SHIPMENTS.sheet, "source_row": None,
                        "table": schema.ORDERS.key, "order_key": labels}, index=rows)
    for name in FIELDS:
        set_by = latest[latest["field"] == name].set_index("order_key").reindex(labels)
        old = orders.loc[rows, name]
        shown = old.map(display_text).to_numpy(dtype=object)
        clear = pd.notna(shown) & (shown == set_by["new"].map(display_text).to_numpy(dtype=object))
        if not clear.any():
            continue
        result.orders.loc[rows[clear], name] = None
        touched.update(rows[clear])
        came_from = set_by["note"].to_numpy(dtype=object)[clear]
        notes = [WITHDRAWN_NOTE + note.removeprefix(CLOSED_NOTE) for note in came_from]
        result.changes += log_rows(log[clear], name, old[clear], pd.Series(None, index=rows[clear], dtype=object),
                                   notes)
