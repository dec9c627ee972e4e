"""Supplier scorecard (pure): how each supplier delivers, from the evaluated order lines.

Rules (per supplier; spellings differing only in case, width or spacing are one supplier, named as
first written; lines without a supplier are left out):

- Lines due: the lines decided by the as-of date, and on time by line, as on_time.py defines them
  for every on-time rate (due before the as-of date or fully shipped; cancelled lines and lines
  without a due date left out; on time = flag ``SHIPPED``: fully shipped on or before the due date,
  so a partial shipment by the due date is not on time by line). Rate = on-time lines / lines due.
- On time by quantity: shipped qty of due lines whose ship date is on or before the due date (a ship
  date with a blank shipped qty counts as the full qty; at most qty per line) / qty of the lines due
  (lines with a blank qty left out of both sides). So a partial shipment in time counts for its part.
  A ship date after the as-of date is not known then (the line is open, as slack.py flags it).
- Late lines: due lines not on time — shipped late (days late: due date → ship date) or still open
  (due date → as-of date). ``median_wd_late`` is the median of those working days in the supplier's
  calendar.
- First ETA held: lines completed (fully shipped with a ship date) that have a ``first_eta``; held
  when the ship date is on or before it. ``avg_slip_wd``: mean working days from first ETA to ship
  date over those lines, an early or on-time completion counting 0.
- ``days_since_update``: calendar days from the supplier's last update (the latest Change Log row
  sync wrote for any of its lines as of the as-of date, see chase.last_updates) to the as-of date;
  None when never.
- ``open_late``: open lines flagged ``LATE`` (past due, not fully shipped).

Every rate and average is None when there is nothing to measure (never 100 % on no data).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from gendan_xl.rules import on_time as ot
from gendan_xl.rules.calendar import CalendarBook
from gendan_xl.rules.chase import is_cancelled
from gendan_xl.model.flags import SHIPPED, Flag
from gendan_xl.model.values import is_blank, party_key

COLUMNS = ("supplier", "lines_due", "on_time_lines", "on_time_rate_lines", "qty_due", "on_time_qty",
           "on_time_rate_qty", "late_lines", "median_wd_late", "first_eta_lines", "first_eta_held",
           "first_eta_held_rate", "avg_slip_wd", "last_update", "days_since_update", "open_late")


def scorecard(lines: pd.DataFrame, updates: pd.Series, countries: pd.Series, book: CalendarBook,
              as_of: dt.date) -> pd.DataFrame:
    """One row per supplier (``COLUMNS``), sorted by supplier. ``lines``: order columns with ``flag``
    as a code; ``updates``: chase.last_updates of the lines; ``countries``: each line's supplier
    country; all aligned on the index of ``lines``."""
    keep = ~lines["supplier"].map(is_blank).astype(bool) & ~is_cancelled(lines["status"])
    lines, updates, countries = lines[keep], updates[keep], countries[keep].to_numpy(dtype=object)
    today = pd.Timestamp(as_of)
    due, ship = pd.to_datetime(lines["due_date"]), pd.to_datetime(lines["ship_date"])
    ship = ship.where(ship <= today)   # shipped after the as-of date: not yet then
    flag = lines["flag"]
    shipped = flag.isin(SHIPPED)
    is_due = ot.decided(lines, as_of)
    qty = pd.to_numeric(lines["qty"], errors="coerce")
    sent = pd.to_numeric(lines["shipped_qty"], errors="coerce").fillna(qty.where(ship.notna()))
    in_time = is_due & qty.notna() & ship.notna() & (ship <= due)
    on_time = ot.on_time(lines, as_of)
    late = is_due & ~on_time
    end = ship.where(shipped & ship.notna(), today)
    wd_late = pd.Series(book.count_each(countries, due, end), index=lines.index).where(late)
    first = pd.to_datetime(lines["first_eta"])
    measured = shipped & ship.notna() & first.notna()
    slip = pd.Series(book.count_each(countries, first, ship), index=lines.index).clip(lower=0).where(measured)
    frame = pd.DataFrame({
        "key": lines["supplier"].map(party_key), "name": lines["supplier"].map(lambda v: str(v).strip()),
        "due": is_due, "on_time": on_time, "qty_due": qty.where(is_due & qty.notna(), 0.0),
        "qty_on_time": np.minimum(sent.fillna(0), qty).where(in_time, 0.0), "qty_known": is_due & qty.notna(),
        "late": late, "wd_late": wd_late, "measured": measured, "held": measured & (ship <= first),
        "slip": slip, "update": updates, "open_late": flag == Flag.LATE})
    rows = [_row(group, today) for _, group in frame.groupby("key", sort=True)]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _row(g: pd.DataFrame, today: pd.Timestamp) -> dict:
    due, measured = int(g["due"].sum()), int(g["measured"].sum())
    qty_due = float(g["qty_due"].sum()) if g["qty_known"].any() else None
    last = g["update"].max()
    return {
        "supplier": g["name"].iloc[0], "lines_due": due, "on_time_lines": int(g["on_time"].sum()),
        "on_time_rate_lines": ot.rate(g["on_time"].sum(), due),
        "qty_due": qty_due, "on_time_qty": float(g["qty_on_time"].sum()),
        "on_time_rate_qty": _ratio(g["qty_on_time"].sum(), qty_due),
        "late_lines": int(g["late"].sum()), "median_wd_late": _number(g["wd_late"].median()),
        "first_eta_lines": measured, "first_eta_held": int(g["held"].sum()),
        "first_eta_held_rate": _ratio(g["held"].sum(), measured), "avg_slip_wd": _number(g["slip"].mean()),
        "last_update": None if pd.isna(last) else last.date(),
        "days_since_update": None if pd.isna(last) else int((today - last.normalize()).days),
        "open_late": int(g["open_late"].sum()),
    }


def _ratio(part, whole) -> float | None:
    return round(float(part) / float(whole), 4) if whole else None


def _number(value) -> float | None:
    return None if pd.isna(value) else round(float(value), 1)


def as_json(table: pd.DataFrame) -> list[dict]:
    """The scorecard as JSON-ready rows (dates as ISO text, None for no data)."""
    rows = table.astype(object).where(table.notna(), None).to_dict("records")
    return [{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()} for row in rows]
