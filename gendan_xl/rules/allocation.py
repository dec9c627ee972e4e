"""分配 Allocation: how the order lines of one style (and colour) still to ship share a short supply of
N units — a proposal, nothing on the order lines changes.

Lines to ship: the style's lines (the colour's, when one is given; both compared as typed, case, width
and spacing aside) that are not cancelled and not fully shipped as of the as-of date (the shipment rule
of ``slack.shipped_as_of``, its tolerance included) and have a qty. A line's open qty is qty − shipped
qty in whole units; a line with none left is not to ship. N defaults to the units produced and not yet
shipped over these lines: Σ max(produced qty − shipped qty, 0).

Order: the customer's tier (its 客户 Customers row, found by name or alias: A first, then B, C …; a
customer without a tier or without a row last), then due date (blank last), then PO, then line.

In order (the default): each line takes its open qty while units are left, the last one what is left.
With no tiers this is plain due-date order.

Fair (``fair``): each tier in turn takes its whole open qty while units are left; the first tier that
cannot shares what is left in proportion to its lines' open qty by largest remainder (Hamilton: each
line its whole quota, the units over one each to the largest remainders, ties to the earlier line in
the order above): 50 over 10/20/50 → 6/13/31.

All or nothing: a line of a customer whose ``allocation`` is ALL_OR_NOTHING takes its whole open qty
or none. In order, a line that does not fit whole gets none and its units pass on to the lines after
it (a smaller one may still fit). Sharing, such a line whose share falls short of its open qty gets
none and its tier's part is shared again among the others; what the tier then has left (the others
all full) goes, in order, to its lines dropped that fit whole, then on to the next tier.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.schema import ALLOCATION, ORDERS
from gendan_xl.model.statuses import Allocation
from gendan_xl.model.values import TOLERANCE, display_text, fold, is_blank, line_key, map_distinct
from gendan_xl.rules.calendar import as_days
from gendan_xl.rules.chase import is_cancelled
from gendan_xl.rules.customers import customer_rows
from gendan_xl.rules.slack import shipped_as_of

_SHOWN_COLOURS = 12   # colours of a style an error lists
FILL_DECIMALS = 4     # a fill share as written: 0.6667, whatever a float's last bits


@dataclass(frozen=True)
class Proposal:
    """How ``qty`` units are shared: ``lines`` (``ALLOCATION``'s fields, in the order served, indexed by
    Excel row), the rule (``fair``) and whether ``qty`` was given or is the produced qty not yet shipped."""

    style: str
    color: str | None
    qty: int
    qty_given: bool
    fair: bool
    lines: pd.DataFrame

    @property
    def totals(self) -> dict[str, int | float | None]:
        """Units: open over the lines, allocated, short, left over (N beyond the open qty); fill share."""
        open_qty, allocated = int(self.lines["open_qty"].sum()), int(self.lines["allocated"].sum())
        return {"open_qty": open_qty, "allocated": allocated, "short": open_qty - allocated,
                "unallocated": self.qty - allocated,
                "fill": round(allocated / open_qty, FILL_DECIMALS) if open_qty else None}


def read_qty(value) -> int:
    """N as given (a whole number ≥ 0, as text or a number); GendanError (``BAD_OPTION``) otherwise."""
    text = display_text(value)
    try:
        number = float(text.replace(",", "")) if text is not None else math.nan
    except ValueError:
        number = math.nan
    if not (number >= 0 and math.isfinite(number) and number.is_integer()):
        raise GendanError("--qty 须为不小于 0 的整数 --qty must be a whole number of units, 0 or more", value=value,
                          expected="a whole number ≥ 0, e.g. 500", code=ErrorCode.BAD_OPTION)
    return int(number)


def lines_to_ship(orders: pd.DataFrame, customers: pd.DataFrame | None, *, style: str, color: str | None,
                  as_of: dt.date, tolerance_pct: float) -> pd.DataFrame:
    """The style's (and colour's) lines to ship in the order they are served: ``ALLOCATION``'s fields
    up to ``open_qty``, and ``ready`` (produced, not yet shipped). GendanError when no line has the
    style (``UNKNOWN_STYLE``; the colour: the style's colours named) or none is left to ship
    (``NOTHING_TO_SHIP``)."""
    if is_blank(style):
        raise GendanError("--style 不能为空 --style must name a style", value=style, expected="a style, e.g. BK5005",
                          code=ErrorCode.BAD_OPTION)
    mine = _matching(orders["style"], style)
    if not mine.any():
        raise GendanError("找不到款号 no order line has this style", column=ORDERS.header("style"), value=style,
                          expected="a style of the order lines", code=ErrorCode.UNKNOWN_STYLE)
    if not is_blank(color):
        colours = sorted({display_text(c) for c in orders.loc[mine, "color"] if not is_blank(c)})
        mine &= _matching(orders["color"], color)
        if not mine.any():
            raise GendanError(f"款号 {style} 没有此颜色 no order line of style {style} has this colour",
                              column=ORDERS.header("color"), value=color, code=ErrorCode.UNKNOWN_STYLE,
                              expected="one of " + (", ".join(colours[:_SHOWN_COLOURS]) or "no colour (leave --color out)"))
    lines = orders[mine]
    qty, shipped, produced = (pd.to_numeric(lines[c], errors="coerce").to_numpy(dtype=float)
                              for c in ("qty", "shipped_qty", "produced_qty"))
    _, shipped, open_qty, _, full = shipped_as_of(qty, shipped, as_days(lines["ship_date"]), as_days(as_of)[()],
                                                  tolerance_pct)
    units = np.floor(np.nan_to_num(open_qty, nan=0.0) + TOLERANCE)
    due = ~full & ~is_cancelled(lines["status"]).to_numpy() & (units >= 1)
    if not due.any():
        raise GendanError("没有待出货的订单行 no order line of it is left to ship (all shipped, cancelled or "
                          "without a qty)", column=ORDERS.header("style"), value=_named(style, color),
                          code=ErrorCode.NOTHING_TO_SHIP)
    ready = np.floor(np.maximum(np.nan_to_num(produced) - np.nan_to_num(shipped), 0.0) + TOLERANCE)
    out = lines.loc[due, ["po_no", "line", "customer", "color", "due_date"]].copy()
    out["open_qty"], out["ready"] = units[due].astype(int), ready[due].astype(int)
    for name, values in zip(("tier", "allocation"), _customer_terms(customers, out["customer"])):
        out[name] = pd.Series(values, index=out.index, dtype=object)
    ranks = [_rank(*values) for values in zip(out["tier"], out["due_date"], out["po_no"], out["line"])]
    order = sorted(range(len(out)), key=ranks.__getitem__)
    return out.iloc[order][[*ALLOCATION.names[:ALLOCATION.names.index("open_qty") + 1], "ready"]]


def ready_qty(lines: pd.DataFrame) -> int:
    """The default N: the units produced and not yet shipped over ``lines``."""
    return int(lines["ready"].sum())


def allocate(lines: pd.DataFrame, qty: int, *, fair: bool) -> pd.DataFrame:
    """``lines`` (``lines_to_ship``) with ``allocated``, ``short`` and ``fill`` (allocated ÷ open qty)
    when ``qty`` units are shared by the rule (the module's docstring)."""
    opens = lines["open_qty"].astype(int).tolist()
    whole = (lines["allocation"] == Allocation.ALL_OR_NOTHING).tolist()
    if fair:
        given, left = [0] * len(opens), qty
        tiers = lines["tier"].fillna("").tolist()
        start = 0
        while start < len(opens):
            end = start
            while end < len(opens) and tiers[end] == tiers[start]:
                end += 1
            shares, left = _shared(opens[start:end], whole[start:end], left)
            given[start:end] = shares
            start = end
    else:
        given, _ = _in_order(opens, whole, qty)
    out = lines.drop(columns="ready").assign(allocated=given)
    out["short"] = out["open_qty"] - out["allocated"]
    out["fill"] = (out["allocated"] / out["open_qty"]).round(FILL_DECIMALS)
    return out


def hamilton(amount: int, weights: list[int]) -> list[int]:
    """``amount`` shared in proportion to ``weights`` by largest remainder: each its whole quota, the
    units over one each to the largest remainders, a tie to the earlier weight. Exact (whole numbers)."""
    total = sum(weights)
    if total <= 0:
        return [0] * len(weights)
    shares = [amount * w // total for w in weights]
    remainders = [amount * w % total for w in weights]
    for i in sorted(range(len(weights)), key=lambda i: -remainders[i])[:amount - sum(shares)]:
        shares[i] += 1
    return shares


def _in_order(opens: list[int], whole: list[bool], left: int) -> tuple[list[int], int]:
    """Each line in turn its open qty while units are left; a whole-or-nothing line none when it does not
    fit (the units pass on). The shares and the units left."""
    given = []
    for open_qty, all_or_none in zip(opens, whole):
        share = (open_qty if open_qty <= left else 0) if all_or_none else min(open_qty, left)
        given.append(share)
        left -= share
    return given, left


def _shared(opens: list[int], whole: list[bool], amount: int) -> tuple[list[int], int]:
    """One tier's lines sharing ``amount`` (``hamilton`` when short; a whole-or-nothing line short of its
    open qty dropped and the rest shared again); the shares and the units the tier leaves."""
    taking = list(range(len(opens)))
    while True:
        demand = sum(opens[i] for i in taking)
        if demand <= amount:
            given, left = [opens[i] if i in taking else 0 for i in range(len(opens))], amount - demand
            for i in range(len(opens)):   # the dropped whole-or-nothing lines that now fit, in order
                if i not in taking and opens[i] <= left:
                    given[i], left = opens[i], left - opens[i]
            return given, left
        shares = dict(zip(taking, hamilton(amount, [opens[i] for i in taking])))
        short = {i for i in taking if whole[i] and shares[i] < opens[i]}
        if not short:
            return [shares.get(i, 0) for i in range(len(opens))], 0
        taking = [i for i in taking if i not in short]


def _matching(values: pd.Series, wanted) -> pd.Series:
    """True where a cell holds ``wanted`` (case, width and spacing aside)."""
    key = fold(str(wanted))
    return pd.Series(map_distinct(values, lambda v: fold(display_text(v) or ""), "") == key, index=values.index)


def _customer_terms(customers: pd.DataFrame | None, names: pd.Series) -> tuple[list, list]:
    """Each line's customer's tier (upper case; None when untiered or not in Customers) and allocation
    (an ``Allocation`` code; None when blank)."""
    if customers is None or customers.empty:
        return [None] * len(names), [None] * len(names)
    rows = customer_rows(customers, names)
    tiers = [None if row is None or is_blank(customers.at[row, "tier"]) else fold(str(customers.at[row, "tier"])).upper()
             for row in rows]
    terms = [None if row is None else Allocation.read(customers.at[row, "allocation"]) for row in rows]
    return tiers, [None if t is None else t.value for t in terms]


def _rank(tier, due, po_no, line) -> tuple:
    """The order a line is served in: tier (untiered last), due date (blank last), PO, line (numbers by
    value, before text)."""
    number = line_key(line)
    untiered, undated = is_blank(tier), is_blank(due)
    return (untiered, "" if untiered else tier, undated, pd.Timestamp.min if undated else due,
            display_text(po_no) or "", not number.isdigit(), int(number) if number.isdigit() else 0, number)


def _named(style: str, color: str | None) -> str:
    return style if is_blank(color) else f"{style} / {color}"
