"""Slack in working days, flag and why of every order line, vectorised.

Decisions on edge cases:

- Fully shipped: when ``qty`` and ``shipped_qty`` are both known, the open qty ``qty - shipped_qty``
  is at most ``ship_tolerance_pct`` % of qty (over-shipment counts as fully shipped). When either is
  blank, a line is fully shipped when it has a ``ship_date`` and ``shipped_qty`` is not 0 (a ship date
  with a blank shipped qty is taken as a full shipment, and ``why`` says so).
- A fully shipped line without a ship date is SHIPPED (nothing shows it late), with blank slack;
  so is a fully shipped line without a due date (NO_DATE is for open lines only).
- As of a date: a ship date after the as-of date is not known then: the line is open, nothing of it
  shipped (a what-if refresh of a past date sees the book as it was).
- SHIPPED / SHIPPED_LATE / LATE / WILL_BE_LATE compare calendar dates; slack counts working days.
- Projected completion of an open line: ``eta``, else progress (cumulative ``produced_qty`` per
  working day since ``order_date``: ``as_of`` + ceil(remaining / rate) working days), else ``as_of``;
  never before ``as_of``.
- AT_RISK: slack below ``at_risk_wd`` (slack equal to it is on track), or ``eta > prev_eta``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gendan_xl.rules.calendar import CalendarBook, as_days, years_of
from gendan_xl.model.flags import Flag
from gendan_xl.model.settings import Settings
from gendan_xl.model.values import TOLERANCE

# How the completion date of a line was found.
_SHIP, _ETA, _ETA_PAST, _PROGRESS, _AS_OF = range(5)
FLAGS = tuple(f.value for f in Flag)  # rule order; the last, ON_TRACK, applies when no other does
NO_DATE, SHIPPED, SHIPPED_LATE, LATE, WILL_BE_LATE, AT_RISK, ON_TRACK = range(len(FLAGS))
_DATES = ("due_date", "eta", "ship_date", "order_date", "prev_eta")
_NUMBERS = ("qty", "shipped_qty", "produced_qty")


def evaluate(orders: pd.DataFrame, country, book: CalendarBook, as_of, settings: Settings, *,
             detail: bool = False) -> pd.DataFrame:
    """``slack_wd``, ``flag`` (code) and ``why`` for every order line, indexed like ``orders``;
    with ``detail``, also ``projected`` (the completion date the slack counts from: the ship date,
    else the projection) and ``fully_shipped`` (the shipment rule above, whatever the flag).

    ``country``: the supplier country of each line, in the order of ``orders`` (Series, array or
    one code); unknown or blank codes use the book's default calendar. Missing order columns
    count as blank.
    """
    n = len(orders)
    blank = pd.Series(np.nan, index=orders.index)
    due, eta, ship, ordered, prev = (as_days(orders.get(c, blank)) for c in _DATES)
    qty, shipped, produced = (pd.to_numeric(orders.get(c, blank), errors="coerce").to_numpy(dtype=float)
                              for c in _NUMBERS)
    today = as_days(as_of)[()]
    ship, shipped, open_qty, by_date, full = shipped_as_of(qty, shipped, ship, today, settings.ship_tolerance_pct)

    done = ship.copy()
    basis = np.full(n, _SHIP)
    slack = np.empty(n)
    years = np.zeros((2, n), dtype=np.int64)  # provisional year of done / due, 0 when official

    def one(cal, rows):
        work = rows & ~full
        done[work], basis[work] = _projection(cal, eta[work], ordered[work], qty[work], produced[work], today)
        slack[rows] = cal.count(done[rows], due[rows])
        for i, days in enumerate((done, due)):
            prov = rows & cal.is_provisional(days)
            years[i, prov] = years_of(days[prov])
    place, asked, used = book.each_calendar(np.broadcast_to(np.asarray(country, dtype=object), (n,)), one)

    no_date = np.isnat(due)
    is_open = ~no_date & ~full
    shipped_late = ~no_date & full & (ship > due)
    slipped = eta > prev  # False where either is NaT
    below = slack < settings.at_risk_wd
    rule = np.select([no_date & ~full, full & ~shipped_late, shipped_late, is_open & (due < today),
                      is_open & (done > due), is_open & (below | slipped)],
                     np.arange(ON_TRACK), default=ON_TRACK)
    why = _why(rule, due=due, eta=eta, prev=prev, done=done, today=today, basis=basis, slack=slack,
               qty=qty, open_qty=open_qty, produced=produced, by_date=by_date, slipped=slipped,
               below=below, threshold=settings.at_risk_wd, notes=_calendar_notes(asked, used),
               place=place, years=years)
    result = pd.DataFrame({"slack_wd": slack, "flag": np.array(FLAGS, dtype=object)[rule], "why": why},
                          index=orders.index)
    if detail:
        result["projected"], result["fully_shipped"] = pd.to_datetime(done), full.astype(bool)
    return result


def shipped_as_of(qty: np.ndarray, shipped: np.ndarray, ship: np.ndarray, today, tolerance_pct: float):
    """The shipment rule above for each line as of ``today`` (a ``datetime64[D]``): its ship date and
    shipped qty as known then (a ship date after it: none, nothing shipped), its open qty
    ``qty - shipped_qty`` (NaN when qty is blank), whether a blank qty or shipped qty left the ship
    date to decide (``by_date``), and whether it is fully shipped. ``qty``, ``shipped`` float arrays,
    ``ship`` a ``datetime64[D]`` array."""
    later = ship > today   # shipped after the as-of date: open then, nothing shipped yet
    ship = np.where(later, np.datetime64("NaT"), ship)
    shipped = np.where(later & ~np.isnan(shipped), 0.0, shipped)
    known = ~np.isnan(qty) & ~np.isnan(shipped)
    open_qty = qty - np.nan_to_num(shipped)
    by_date = ~known & ~np.isnat(ship) & (np.isnan(shipped) | (shipped > 0))
    full = np.where(known, open_qty <= qty * tolerance_pct / 100 + TOLERANCE, by_date)
    return ship, shipped, open_qty, by_date, full


def _projection(cal, eta, ordered, qty, produced, today):
    """Completion of open lines (never before ``today``) and how it was found."""
    elapsed = cal.count(ordered, today)
    progress = np.isnat(eta) & (produced > 0) & (qty > 0) & (elapsed > 0)
    rate = produced[progress] / elapsed[progress]
    projected = np.where(np.isnat(eta), today, eta)
    projected[progress] = cal.add(today, np.ceil(np.maximum(qty - produced, 0)[progress] / rate))
    how = np.select([eta < today, ~np.isnat(eta), progress], [_ETA_PAST, _ETA, _PROGRESS], _AS_OF)
    return np.maximum(projected, today), how


def _calendar_notes(asked, used) -> np.ndarray:
    """Per distinct country cell: ``(CN)``, ``(CN 默认 default)`` when blank, or
    ``(CN, XX 无日历 no calendar)`` when unknown."""
    names = np.array([str(c).strip().upper() if isinstance(c, str) else "" for c in asked], dtype=object)
    return np.where(names == used, "(" + used + ")",
                    np.where(names == "", "(" + used + " 默认 default)",
                             "(" + used + ", " + names + " 无日历 no calendar)")).astype(object)


def _lookup(keys: np.ndarray, make) -> np.ndarray:
    """``make(distinct keys)`` spread back over ``keys``: formats each distinct value once."""
    codes, uniques = pd.factorize(keys, use_na_sentinel=False)
    return make(np.asarray(uniques))[codes]


def _day_text(days: np.ndarray, before: str = "", after: str = "") -> np.ndarray:
    return _lookup(days, lambda u: before + np.datetime_as_string(u, unit="D").astype(object) + after)


def _num_text(values: np.ndarray, before: str = "", after: str = "") -> np.ndarray:
    return _lookup(np.nan_to_num(values), lambda u: before + np.char.mod("%.10g", u).astype(object) + after)


def _why(rule, *, due, eta, prev, done, today, basis, slack, qty, open_qty, produced, by_date,
         slipped, below, threshold, notes, place, years) -> np.ndarray:
    """The reason of every line: rule, dates used, working days and calendar."""
    has = np.flatnonzero(rule != NO_DATE)
    r, how, d, due = rule[has], basis[has], done[has], due[has]

    head = np.empty(len(has), dtype=object)
    for code, text in ((_SHIP, "出货 ship "), (_ETA, "ETA "), (_AS_OF, "无预计 no ETA → 截至 as of ")):
        m = how == code
        head[m] = _day_text(d[m], text)
    m = how == _ETA_PAST
    head[m] = _day_text(eta[has][m], "ETA ", f" 已过未完成 passed, not done → {today}")
    m = how == _PROGRESS
    head[m] = (_day_text(d[m], "进度预计 projected ") + _num_text(produced[has][m], " (已完成 produced ", "/")
               + _num_text(qty[has][m], after=")"))
    dated = ~np.isnat(due)
    versus = _lookup(np.where(dated, due, today).view(np.int64) * 2 + (d > due), lambda u: np.where(
        u % 2 == 1, " > 交期 ", " ≤ 交期 ") + np.datetime_as_string(
        (u // 2).astype("datetime64[D]"), unit="D").astype(object) + ": ")
    tail = _lookup(place[has] * 2 + ((r == AT_RISK) & below[has]), lambda u: np.where(
        u % 2 == 1, f" WD < {threshold} ", " WD ") + notes[u // 2])
    text = head + versus + _num_text(slack[has]) + tail
    text[~dated] = head[~dated] + ", 无交期 no due date " + notes[place[has][~dated]]

    m = r == LATE
    open_txt = np.where(np.isnan(qty[has][m]), "未出货 not shipped; ",
                        _num_text(open_qty[has][m], "未出 open ", "; "))
    text[m] = _day_text(due[m], "交期 ", f" < 截至 as of {today}, ") + open_txt + text[m]
    m = (r == AT_RISK) & slipped[has]
    text[m] += _day_text(prev[has][m], "; ETA 延后 slipped (上次 previous ", ")")
    m = by_date[has] & (how == _SHIP)
    text[m] += "; 出货数量空白, 按出货日期视为全部出货 shipped qty blank: taken as fully shipped"
    text[np.isnat(d) & (how == _SHIP)] = "已全部出货, 无出货日期 fully shipped, no ship date"
    m = years[:, has].any(axis=0)
    y = years[:, has][:, m]
    text[m] += _lookup(np.where(y.min(axis=0) > 0, y.min(axis=0), y.max(axis=0)) * 10000 + y.max(axis=0),
                       _provisional_note)
    why = np.array(["缺交期 no due date"], dtype=object)[np.zeros(len(rule), dtype=np.int64)]
    why[has] = text
    return why


def _provisional_note(keys: np.ndarray) -> np.ndarray:
    """``; 2027 日历为暂定 provisional calendar`` from keys first * 10000 + last provisional year used."""
    first, last = keys // 10000, keys % 10000
    years = np.where(first == last, first.astype(str).astype(object),
                     first.astype(str).astype(object) + ", " + last.astype(str).astype(object))
    return "; " + years + " 日历为暂定 provisional calendar"
