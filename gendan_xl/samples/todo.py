"""The samples to chase (pure), from the register and its states; the chase files and the 周报 read
these same lists.

- Supplier side (``to_send``): every valid round still open and not sent as of the as-of date (no sent
  or received day on or before it) that has a due date: ``OVERDUE`` ones (due before the as-of date),
  with the working days since their due date in the round's calendar, and the rest, not yet due. A
  round's supplier, style and colour are its own, else those of the first order line it covers
  (``sample_parties``).
- Customer side (``waiting``): every ``WAITING`` round (received, no answer for ``sample_reply_wd``
  working days), with its wait and what to do: 催客户批样 ask <customer> for comments on … . A round's
  customer is its own, else that of the first order line it covers, shown by the 客户 Customers row's
  name when the name or one of its aliases names it (``rules.customers``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gendan_xl.model.samples import OPEN_SAMPLES, SampleKind, SampleState
from gendan_xl.model.values import display_text, is_blank, map_distinct, whole_texts
from gendan_xl.rules.calendar import CalendarBook, as_days
from gendan_xl.rules.customers import customer_rows
from gendan_xl.samples.register import Register, sample_parties

SHOWN = ["sample_no", "round", "kind", "po_no", "line", "style", "color", "size", "qty"]
TO_SEND = ["supplier", *SHOWN, "due", "state", "overdue_wd"]
WAITING = ["customer", "sample_no", "round", "kind", "po_no", "line", "received", "wait_wd", "ask"]


@dataclass(frozen=True)
class SampleTodo:
    """The rounds to chase: ``to_send`` (``TO_SEND``; by supplier, then due date) and ``waiting``
    (``WAITING``; the longest wait first); ``kind`` is the kind's code, ``round`` a whole number."""

    to_send: pd.DataFrame
    waiting: pd.DataFrame

    @property
    def overdue(self) -> pd.DataFrame:
        """The rounds not sent by their due date (state OVERDUE)."""
        return self.to_send[self.to_send["state"] == SampleState.OVERDUE.value]

    def summary(self) -> dict[str, list[dict]]:
        """The ``refresh --json`` lists: ``overdue`` (sample, round, kind, supplier, PO, due, WD overdue)
        and ``waiting`` (sample, round, kind, customer, PO, received, WD waiting)."""
        over, wait = self.overdue, self.waiting
        overdue = _records({**_named(over, "supplier"), "due": map_distinct(over["due"], _iso, None),
                            "overdue_wd": over["overdue_wd"].astype(int).to_numpy()})
        waiting = _records({**_named(wait, "customer"), "received": map_distinct(wait["received"], _iso, None),
                            "wait_wd": wait["wait_wd"].astype(int).to_numpy()})
        return {"overdue": overdue, "waiting": waiting}


def sample_todo(register: Register, states: pd.DataFrame, orders: pd.DataFrame, countries, book: CalendarBook,
                as_of: dt.date, customers: pd.DataFrame | None = None) -> SampleTodo:
    """The to-do of ``register`` with its ``states`` (``states.sample_states``) as of ``as_of``;
    ``orders``: the order lines (po_no, line, supplier, customer by sheet row); ``countries``: each
    register row's calendar country; ``customers``: the 客户 Customers table (None: names as written)."""
    return SampleTodo(to_send(register, states, orders, countries, book, as_of),
                      waiting(register, states, orders, customers))


def to_send(register: Register, states: pd.DataFrame, orders: pd.DataFrame, countries, book: CalendarBook,
            as_of: dt.date) -> pd.DataFrame:
    """The supplier side (see the module's rules), by supplier (as written, case ignored), then due date."""
    today = np.datetime64(as_of, "D")
    due = as_days(register.rows["due"])
    sent = (register.sent <= today) | (register.received <= today)
    unsent = ~register.bad & np.isin(register.status, OPEN_SAMPLES) & ~sent & ~np.isnat(due)
    rows = register.rows[unsent]
    out = rows.reindex(columns=SHOWN).assign(
        supplier=sample_parties(register, orders, "supplier")[unsent],
        style=sample_parties(register, orders, "style")[unsent], color=sample_parties(register, orders, "color")[unsent],
        kind=register.kind[unsent],
        round=register.round[unsent].astype(np.int64), due=due[unsent].astype("datetime64[us]"),
        state=states["state"].to_numpy(dtype=object)[unsent])
    late = out["state"].to_numpy() == SampleState.OVERDUE.value
    days = np.full(len(out), np.nan)
    days[late] = book.count_each(np.asarray(countries, dtype=object)[unsent][late], out["due"][late],
                                 np.full(int(late.sum()), today))
    out["overdue_wd"] = days
    key = map_distinct(out["supplier"], lambda s: "" if is_blank(s) else str(s).strip().casefold(), "")
    return out.assign(_key=key).sort_values(["_key", "due", "sample_no", "round"], kind="stable")[TO_SEND]


def waiting(register: Register, states: pd.DataFrame, orders: pd.DataFrame,
            customers: pd.DataFrame | None) -> pd.DataFrame:
    """The customer side (see the module's rules), the longest wait first."""
    at = (states["state"] == SampleState.WAITING.value).to_numpy()
    rows = register.rows[at]
    named = sample_parties(register, orders, "customer")[at]
    if customers is not None and len(named):
        found = customer_rows(customers, named)
        shown = customers["name"].reindex(found.dropna().to_numpy()).to_numpy(dtype=object)
        named = named.copy()
        named[found.notna().to_numpy()] = shown
    out = rows.reindex(columns=["sample_no", "po_no", "line"]).assign(
        customer=named, kind=register.kind[at], round=register.round[at].astype(np.int64),
        received=register.received[at].astype("datetime64[us]"), wait_wd=states["wait_wd"].to_numpy()[at])
    out["ask"] = _asks(out["customer"], out["kind"], out["round"].to_numpy(), out["wait_wd"].to_numpy())
    return out.sort_values(["wait_wd", "sample_no", "round"], ascending=[False, True, True], kind="stable")[WAITING]


def _asks(customers: pd.Series, kinds: pd.Series, rounds: np.ndarray, waits: np.ndarray) -> np.ndarray:
    """What to ask the customer about each waiting round (``催客户批样 ask Nordic Home for comments on
    产前样 PP sample round 2, waiting 8 WD``), each customer's and kind's words made once."""
    who = map_distinct(customers, lambda c: display_text(c) or "the customer", "the customer")
    words = map_distinct(kinds, lambda k: SampleKind(k).words, "")
    return ("催客户批样 ask " + who + " for comments on " + words + " round " + whole_texts(rounds) + ", waiting " +
            whole_texts(waits) + " WD").astype(object)


def _named(rounds: pd.DataFrame, party: str) -> dict[str, np.ndarray]:
    """The columns every listed round shows: sample, round, kind, ``party`` (supplier or customer), PO."""
    return {"sample_no": map_distinct(rounds["sample_no"], display_text, ""),
            "round": rounds["round"].astype(int).to_numpy(), "kind": rounds["kind"].to_numpy(dtype=object),
            party: map_distinct(rounds[party], lambda v: display_text(v) or None, None),
            "po_no": map_distinct(rounds["po_no"], lambda v: display_text(v) or None, None)}


def _records(columns: dict[str, np.ndarray]) -> list[dict]:
    """One dict per row of ``columns`` (aligned arrays), values as Python values (for JSON)."""
    names = list(columns)
    return [dict(zip(names, row)) for row in zip(*(columns[n].tolist() for n in names))]


def _iso(value) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).date().isoformat()
