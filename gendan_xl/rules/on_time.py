"""The on-time rate, defined once for every figure that shows it (pure).

- Decided lines: the lines decided by the as-of date — due before it, or already shipped in full
  (flag ``SHIPPED`` / ``SHIPPED_LATE``) —; cancelled lines (status ``CANCELLED 已取消``) and lines
  without a due date are left out.
- On time: a decided line shipped in full (open qty within ``ship_tolerance_pct`` % of qty, as
  slack.py's flags count it) on or before its due date: flag ``SHIPPED``. A partial shipment by the
  due date is not on time by line (the scorecard gives its by-quantity rate beside).
- Rate: on-time lines / decided lines, to 4 decimals; None when no line is decided (never 100 % of
  nothing).

The 周报 headline, by supplier, by customer, the scorecard, the trend and its history rows, the
``--json`` summary and the command line all count it here. History rows recorded before this
definition (``VERSION`` 2) carry none and were shipped on time / shipped lines (``VERSION`` 1):
the trend marks them.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from gendan_xl.rules.chase import is_cancelled
from gendan_xl.model.flags import SHIPPED, Flag

VERSION = 2          # the definition a History Reports row was recorded with (blank: 1)
LABEL = "准时率 On-time rate"
DEFINITION = ("准时率 On-time rate = 交期当日或之前全部出货(容差内)的行 ÷ 截至日已定的行(交期已过或已全部出货; 不含取消行及"
              "无交期行) — lines shipped in full (within the shipment tolerance) on or before the due date ÷ "
              "lines decided by the as-of date (due before it, or shipped in full; cancelled lines and lines "
              "without a due date left out)")
EARLIER_MARK = " *"
EARLIER = "* 旧口径 earlier definition: 准时出货行 ÷ 已出货行 lines shipped on time ÷ lines shipped"


def decided(lines: pd.DataFrame, as_of: dt.date) -> pd.Series:
    """True for the lines the rate counts. ``lines``: order columns with ``flag`` as a code."""
    due = pd.to_datetime(lines["due_date"])
    return (due.notna() & ((due < pd.Timestamp(as_of)) | lines["flag"].isin(SHIPPED))
            & ~is_cancelled(lines["status"]))


def on_time(lines: pd.DataFrame, as_of: dt.date) -> pd.Series:
    """True for the decided lines shipped in full on or before their due date."""
    return decided(lines, as_of) & (lines["flag"] == Flag.SHIPPED)


def rate(on_time_lines, decided_lines) -> float | None:
    """The rate of ``on_time_lines`` of ``decided_lines`` (counts), to 4 decimals; None of none."""
    return round(float(on_time_lines) / float(decided_lines), 4) if decided_lines else None


def trend_label(day: dt.date, version) -> str:
    """A report date of the trend, marked when its rate was recorded with an earlier definition."""
    earlier = pd.isna(version) or int(version) < VERSION
    return day.isoformat() + (EARLIER_MARK if earlier else "")
