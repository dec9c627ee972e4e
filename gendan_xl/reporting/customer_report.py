"""客户报告 Customer report (pure): what we tell one customer about its orders.

Lines: the customer's open lines (not fully shipped, not ``CANCELLED 已取消``) and its lines fully
shipped in the last ``report_shipped_days`` calendar days, the as-of date included (days = 30 as of
2026-11-26: shipped 2026-10-28 .. 2026-11-26; a line shipped after the as-of date was still open
then: it is shown open as its flag saw it then, the ship date not yet known and nothing shipped,
as slack.py rules). The customer is matched on its name ignoring case, accents, width, punctuation
and spacing (``values.party_key``), never on a part of it.

Status words for the customer (``statuses.CustomerStatus``), never the internal flags (an AT_RISK
line is our early warning, not news for the customer, so it is on schedule until it is expected late):

=============  ============================  ==========================  ============================
code           words                         flags                       the date shown
=============  ============================  ==========================  ============================
SHIPPED        已出货 Shipped                 SHIPPED, SHIPPED_LATE       the ship date
ON_SCHEDULE    按期 On schedule               ON_TRACK, AT_RISK           the due date
EXPECTED_LATE  预计延迟 Expected late         WILL_BE_LATE                the expected date
OVERDUE        已逾期 Overdue                 LATE                        the expected date, if known
TO_CONFIRM     交期待确认 Date to be confirmed NO_DATE                     the expected date, if known
=============  ============================  ==========================  ============================

The expected date is the projected completion slack counts from (the supplier's ETA, else a
projection from production progress). For an overdue or undated line it is known only when it lies
ahead: an ETA on or after the as-of date, or a projection after it; otherwise 待确认 to be confirmed.
Nothing internal is in the result: no supplier, price, cost, remark, ETA history, flag or why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from gendan_xl.rules.chase import is_cancelled
from gendan_xl.model.flags import Flag
from gendan_xl.model.statuses import CustomerStatus
from gendan_xl.model.values import display_text, is_missing, party_key

# What the customer is told of a line with each flag (the table above).
_BY_FLAG = {Flag.ON_TRACK: CustomerStatus.ON_SCHEDULE, Flag.AT_RISK: CustomerStatus.ON_SCHEDULE,
            Flag.WILL_BE_LATE: CustomerStatus.EXPECTED_LATE, Flag.LATE: CustomerStatus.OVERDUE,
            Flag.NO_DATE: CustomerStatus.TO_CONFIRM, Flag.SHIPPED: CustomerStatus.SHIPPED,
            Flag.SHIPPED_LATE: CustomerStatus.SHIPPED}
SHOWN = ("po_no", "line", "style", "description", "color", "qty", "shipped_qty", "due_date")
LINE_COLUMNS = (*SHOWN, "date", "status")


@dataclass
class CustomerReport:
    """One customer's report: its open and recently shipped lines (``LINE_COLUMNS``, dates as dates)."""

    customer: str
    as_of: dt.date
    shipped_days: int
    open: pd.DataFrame
    shipped: pd.DataFrame
    counts: dict[str, int] = field(default_factory=dict)
    legal_name: str | None = None     # from 客户 Customers: the name the report is addressed to

    @property
    def addressed_to(self) -> str:
        """The customer's legal name, else its name."""
        return self.legal_name or self.customer

    @property
    def shipped_from(self) -> dt.date:
        """The first day of the shipped window (the window ends on the as-of date)."""
        return shipped_from(self.as_of, self.shipped_days)

    def summary(self) -> dict:
        """The JSON-ready summary: codes, ISO dates, every line."""
        return {"customer": self.customer, "legal_name": self.legal_name, "as_of": self.as_of.isoformat(), "shipped_days": self.shipped_days,
                "shipped_from": self.shipped_from.isoformat(), "open_lines": len(self.open),
                "shipped_lines": len(self.shipped), "counts": self.counts,
                "lines": [_json(rec) for frame in (self.open, self.shipped) for rec in frame.to_dict("records")]}


def shipped_from(as_of: dt.date, days: int) -> dt.date:
    """The first day of ``days`` calendar days ending on ``as_of`` (the day after as-of when 0)."""
    return as_of - dt.timedelta(days=days - 1)


def customer_lines(orders: pd.DataFrame, customer: str) -> pd.Series:
    """True for the lines of ``customer`` (the same name as ``values.party_key`` compares names)."""
    return (orders["customer"].map(party_key) == party_key(customer)).astype(bool)


def build(orders: pd.DataFrame, evaluated: pd.DataFrame, customer: str, as_of: dt.date,
          shipped_days: int, *, lines_of: pd.Series | None = None, legal_name: str | None = None) -> CustomerReport:
    """The report of ``customer``; ``evaluated`` is ``slack.evaluate(..., detail=True)`` of ``orders``;
    ``lines_of``: which lines are the customer's (default: those naming it, ``customer_lines``)."""
    mine = (customer_lines(orders, customer) if lines_of is None else lines_of) & ~is_cancelled(orders["status"])
    lines, ev = orders[mine], evaluated[mine]
    name = customer.strip() if lines_of is not None or not len(lines) else str(lines["customer"].iloc[0]).strip()
    today = pd.Timestamp(as_of)
    ship, due = lines["ship_date"], lines["due_date"]
    status = ev["flag"].map({f.value: s.value for f, s in _BY_FLAG.items()}).where(
        ~ev["fully_shipped"], CustomerStatus.SHIPPED.value)
    later = ship > today   # shipped after the as-of date: open then (slack.py), nothing shipped yet
    window = pd.Timestamp(shipped_from(as_of, shipped_days))
    shipped = (status == CustomerStatus.SHIPPED) & ship.between(window, today)
    ahead = (lines["eta"] >= today) | (ev["projected"] > today)
    date = ev["projected"].where(ahead)
    date = date.mask(status == CustomerStatus.ON_SCHEDULE, due).mask(status == CustomerStatus.SHIPPED, ship)
    table = lines.reindex(columns=list(SHOWN)).assign(date=date, status=status)
    qty = table["shipped_qty"].mask(later)
    table["shipped_qty"] = qty.mask(shipped & qty.isna(), table["qty"])
    open_ = table[status != CustomerStatus.SHIPPED].sort_values(["due_date", "po_no", "line"], key=_order,
                                                                na_position="last", kind="stable")
    done = table[shipped].sort_values(["date", "po_no", "line"], key=_order, kind="stable")
    found = pd.concat([open_["status"], done["status"]]).value_counts()
    counts = {status.value: int(found[status]) for status in CustomerStatus if status in found}
    return CustomerReport(name, as_of, shipped_days, open_.reset_index(drop=True), done.reset_index(drop=True),
                          counts, legal_name)


def _order(column: pd.Series) -> pd.Series:
    """Sort keys: dates as they are, lines by number (text lines after), POs as the text they show."""
    if column.name == "line":
        return pd.to_numeric(column, errors="coerce")
    return column if column.name in ("due_date", "date") else column.map(lambda v: display_text(v) or "")


def _json(rec: dict) -> dict:
    out = {}
    for key, value in rec.items():
        if isinstance(value, pd.Timestamp):
            out[key] = value.date().isoformat()
        elif is_missing(value):
            out[key] = None
        elif key in ("po_no", "line"):
            out[key] = display_text(value)
        else:
            out[key] = int(value) if isinstance(value, float) and value.is_integer() else value
    return out
