"""Slack in working days, flag and why of every order line (DESIGN.md §3), vectorised.

Decisions on edge cases:

- Fully shipped: when ``qty`` and ``shipped_qty`` are both known, open qty ``qty - shipped_qty`` is at
  most ``ship_tolerance_pct`` % of qty (over-shipment counts as fully shipped). When either is blank,
  a line is fully shipped when it has a ``ship_date`` and ``shipped_qty`` is not 0 (a ship date
  with a blank shipped qty is taken as a full shipment; ``why`` says so).
- A fully shipped line without a ship date is SHIPPED (nothing shows it late) with blank slack.
- SHIPPED / SHIPPED_LATE / LATE / WILL_BE_LATE compare calendar dates; slack counts working days.
- Projected completion of an open line: ``eta``, else progress (cumulative ``produced_qty`` per
  working day since ``order_date``: ``as_of`` + ceil(remaining / rate) working days), else ``as_of``;
  never before ``as_of``.
- AT_RISK: slack below ``at_risk_wd`` (slack equal to it is on track), or ``eta > prev_eta``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .calendar import CalendarBook, as_days, years_of
from .settings import Settings

# How the projected completion of a line was found.
_SHIP, _ETA, _ETA_PAST, _PROGRESS, _AS_OF = range(5)
RULES = ("NO_DATE", "SHIPPED", "SHIPPED_LATE", "LATE", "WILL_BE_LATE", "AT_RISK")


def evaluate(orders: pd.DataFrame, country, book: CalendarBook, as_of, settings: Settings) -> pd.DataFrame:
    """``slack_wd``, ``flag`` (code) and ``why`` for every order line, indexed like ``orders``.

    ``country``: the supplier country per line, in the order of ``orders`` (Series, array or one
    code); unknown or blank codes use the book's default calendar. Missing order columns count as
    blank.
    """
    n = len(orders)
    col = {name: orders[name] if name in orders else pd.Series(np.nan, index=orders.index)
           for name in ("due_date", "eta", "ship_date", "order_date", "prev_eta",
                        "qty", "shipped_qty", "produced_qty")}
    due, eta, ship, ordered, prev = (as_days(col[c]) for c in
                                     ("due_date", "eta", "ship_date", "order_date", "prev_eta"))
    qty, shipped, produced = (pd.to_numeric(col[c], errors="coerce").to_numpy(dtype=float)
                              for c in ("qty", "shipped_qty", "produced_qty"))
    today = as_days(as_of)
    given = np.broadcast_to(np.asarray(country, dtype=object), (n,))
    used = np.asarray(book.resolve(given), dtype=object).reshape(n)

    known = ~np.isnan(qty) & ~np.isnan(shipped)
    open_qty = qty - np.nan_to_num(shipped)
    by_date = ~known & ~np.isnat(ship) & (np.isnan(shipped) | (shipped > 0))
    full = np.where(known, open_qty <= qty * settings.ship_tolerance_pct / 100 + 1e-9, by_date)

    completion = np.full(n, np.datetime64("NaT", "D"))
    basis = np.full(n, _AS_OF)
    slack = np.full(n, np.nan)
    provisional = [np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)]
    for code in pd.unique(used):
        rows = used == code
        cal = book.calendars[code]
        projected, how = _projection(cal, eta[rows], ordered[rows], qty[rows], produced[rows], today)
        completion[rows] = np.where(full[rows], ship[rows], projected)
        basis[rows] = np.where(full[rows], _SHIP, how)
        slack[rows] = cal.count(completion[rows], due[rows])
        provisional[0][rows] = cal.is_provisional(completion[rows])
        provisional[1][rows] = cal.is_provisional(due[rows])

    no_date = np.isnat(due)
    is_open = ~no_date & ~full
    late = is_open & (due < today)
    will = is_open & (completion > due)
    slipped = eta > prev  # False where either is NaT
    risky = is_open & ((slack < settings.at_risk_wd) | slipped)
    shipped_late = ~no_date & full & (ship > due)
    flag = np.select([no_date, full & ~shipped_late, shipped_late, late, will, risky],
                     list(RULES), default="ON_TRACK")

    why = _why(flag, due=due, eta=eta, prev=prev, completion=completion, today=today, basis=basis,
               slack=slack, qty=qty, open_qty=open_qty, produced=produced, by_date=by_date,
               slipped=slipped, threshold=settings.at_risk_wd, given=given, used=used,
               provisional=provisional)
    return pd.DataFrame({"slack_wd": slack, "flag": flag.astype(object), "why": why},
                        index=orders.index)


def _projection(cal, eta, ordered, qty, produced, today):
    """Projected completion of open lines (never before ``today``) and how it was found."""
    elapsed = cal.count(ordered, today)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = produced / elapsed
        days = np.ceil(np.maximum(qty - produced, 0) / rate)
    progress = np.isnat(eta) & (produced > 0) & (qty > 0) & (elapsed > 0)
    by_progress = cal.add(np.broadcast_to(today, eta.shape), np.where(progress, days, 0))
    projected = np.where(~np.isnat(eta), eta, np.where(progress, by_progress, today))
    how = np.select([eta < today, ~np.isnat(eta), progress], [_ETA_PAST, _ETA, _PROGRESS], _AS_OF)
    return np.maximum(projected, today), how


def _text(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(days, unit="D").astype(object)


def _num(values: np.ndarray) -> np.ndarray:
    return np.char.mod("%.10g", np.nan_to_num(values)).astype(object)


def _why(flag, *, due, eta, prev, completion, today, basis, slack, qty, open_qty, produced,
         by_date, slipped, threshold, given, used, provisional) -> np.ndarray:
    """The reason text of every line: rule, dates used, working days and calendar."""
    why = np.full(len(flag), "缺交期 no due date", dtype=object)
    has = flag != "NO_DATE"
    f, how, done, slack = flag[has], basis[has], completion[has], slack[has]
    due_txt, done_txt = _text(due[has]), _text(done)
    source = np.select(
        [how == _SHIP, how == _ETA, how == _ETA_PAST, how == _PROGRESS],
        ["出货 ship " + done_txt,
         "ETA " + done_txt,
         "ETA " + _text(eta[has]) + " 已过未完成 passed, not done → " + done_txt,
         "进度预计 projected " + done_txt + " (已完成 produced " + _num(produced[has]) + "/"
         + _num(qty[has]) + ")"],
        "无预计 no ETA → 截至 as of " + done_txt)
    text = (source.astype(object) + np.where(done > due[has], " > 交期 ", " ≤ 交期 ") + due_txt
            + ": " + _num(slack) + " WD "
            + np.where((f == "AT_RISK") & (slack < threshold), f"< {threshold} ", "")
            + _calendar_note(given[has], used[has]))
    open_txt = np.where(np.isnan(qty[has]), "未出货 not shipped", "未出 open " + _num(open_qty[has]))
    text = np.where(f == "LATE", "交期 " + due_txt + " < 截至 as of " + _text(today) + ", "
                    + open_txt.astype(object) + "; " + text, text)
    text = np.where((f == "AT_RISK") & slipped[has],
                    text + "; ETA 延后 slipped (上次 previous " + _text(prev[has]) + ")", text)
    text = np.where(by_date[has] & (how == _SHIP),
                    text + "; 出货数量空白, 按出货日期视为全部出货 shipped qty blank: taken as fully shipped",
                    text)
    text = np.where(np.isnat(done) & (how == _SHIP), "已全部出货, 无出货日期 fully shipped, no ship date", text)
    why[has] = text + _provisional_note(done, due[has], provisional[0][has], provisional[1][has])
    return why


def _calendar_note(given, used) -> np.ndarray:
    """``(CN)``; ``(CN 默认 default)`` for a blank country; ``(CN, XX 无日历 no calendar)`` for an unknown one."""
    asked = pd.Series(given, dtype=object).fillna("").astype(str).str.strip().str.upper()
    asked = asked.to_numpy(dtype=object)
    return np.where(asked == used, "(" + used + ")",
                    np.where(asked == "", "(" + used + " 默认 default)",
                             "(" + used + ", " + asked + " 无日历 no calendar)"))


def _provisional_note(completion, due, prov_completion, prov_due) -> np.ndarray:
    """``; 2027 日历为暂定 provisional calendar`` where a date used is in a provisional year."""
    y1 = np.where(prov_completion, years_of(completion), 0)
    y2 = np.where(prov_due, years_of(due), 0)
    lo, hi = np.where(y1 == 0, y2, np.minimum(y1, np.where(y2 == 0, y1, y2))), np.maximum(y1, y2)
    years = np.where(lo == hi, lo.astype(str), np.char.add(np.char.add(lo.astype(str), ", "), hi.astype(str)))
    return np.where(hi > 0, "; " + years.astype(object) + " 日历为暂定 provisional calendar", "").astype(object)
