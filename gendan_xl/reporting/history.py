"""The history a master keeps of its refreshes, and what changed since the last report (pure).

Stored as changes, not copies: per report date, one row per line whose tracked state (flag, ETA)
differs from its last recorded state (a line that left the master gets a row with a blank flag),
and one row per report with its counts for the trend. A line's state at a report date is its last
row on or before that date. The five change kinds, relative to the previous report:

* ``newly_late``: a line of the last report, open and LATE or WILL_BE_LATE now, neither then;
* ``recovered``: LATE, WILL_BE_LATE or AT_RISK then, ON_TRACK, SHIPPED or SHIPPED_LATE now;
* ``repromised``: an open line with a dated ETA then and another now (the move in the supplier's
  working days; a shipped line's ETA is not tracked);
* ``new``: a line not in the last report;
* ``shipped``: a line of the last report, not shipped then, SHIPPED or SHIPPED_LATE now.

A line can be in two kinds (a repromised line that became late). A refresh dated on the last
report date replaces that date's records (idempotent); one dated before it is compared with the
report before its date and not recorded. A report row keeps the on-time rate as recorded, with the
version of its definition (``on_time_def``, on_time.VERSION; blank in rows recorded before it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gendan_xl.rules.calendar import CalendarBook
from gendan_xl.model.flags import EXCEPTIONS, LATE_FLAGS, SHIPPED, Flag
from gendan_xl.model.statuses import ChangeKind
from gendan_xl.rules.on_time import VERSION
from gendan_xl.model.values import display_text, map_distinct

KEY = ["po_no", "line"]
TRACKED = ["flag", "eta"]
LINE_COLUMNS = ["report_date", *KEY, *TRACKED]
# A report's counts: lines per flag (rule order) and per change kind.
REPORT_COLUMNS = ["report_date", "lines", "open", *(f.value for f in Flag), "on_time_rate",
                  *(k.value for k in ChangeKind), "on_time_def"]
TREND_REPORTS = 12          # the trend chart shows the last 12 reports
REMOVED = ""                # the flag of a line that left the master
CHANGE_COLUMNS = ["po_no", "line", "supplier", "before", "after", "move_wd", "why"]


def empty_lines() -> pd.DataFrame:
    return pd.DataFrame({"report_date": pd.Series(dtype="datetime64[ns]"), "po_no": pd.Series(dtype=object),
                         "line": pd.Series(dtype=object), "flag": pd.Series(dtype=object),
                         "eta": pd.Series(dtype="datetime64[ns]")})


def empty_reports() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=float) for c in REPORT_COLUMNS})
    return frame.assign(report_date=pd.Series(dtype="datetime64[ns]"))


@dataclass
class History:
    """Recorded line states (``LINE_COLUMNS``; PO and line as ``shown_text``, as history_sheets
    reads them) and report rows (``REPORT_COLUMNS``), oldest first."""

    lines: pd.DataFrame = field(default_factory=empty_lines)
    reports: pd.DataFrame = field(default_factory=empty_reports)

    @property
    def last_date(self) -> dt.date | None:
        dates = self.reports["report_date"]
        return dates.max().date() if len(dates) else None

    def previous_date(self, as_of: dt.date) -> dt.date | None:
        """The latest report date before ``as_of``."""
        before = self.reports.loc[self.reports["report_date"] < pd.Timestamp(as_of), "report_date"]
        return before.max().date() if len(before) else None

    def state_at(self, date: dt.date) -> pd.DataFrame:
        """Every line in the report of ``date``: po_no, line, flag, eta, indexed by line key."""
        rows = self.lines[self.lines["report_date"] <= pd.Timestamp(date)]
        last = rows.drop_duplicates(KEY, keep="last")
        last = last[last["flag"] != REMOVED]
        return last.set_axis(pd.Index(last["po_no"] + "\x1f" + last["line"], dtype=object)).loc[:, [*KEY, *TRACKED]]

    def counts_at(self, date: dt.date) -> dict[str, int]:
        row = self.reports[self.reports["report_date"] == pd.Timestamp(date)].iloc[-1]
        return {flag.value: int(row[flag]) for flag in Flag}

    def after_dropping(self, day: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The line and report records dated after ``day`` once the report of ``day`` is removed.
        A line recorded at ``day`` keeps that state at the next report (its row moves there unless the
        line has its own row then), so every later report still reads the states it recorded."""
        when = pd.Timestamp(day)
        later = self.reports.loc[self.reports["report_date"] > when]
        after = self.lines[self.lines["report_date"] > when]
        if len(later):
            following = later["report_date"].min()
            own = set(zip(after.loc[after["report_date"] == following, "po_no"],
                          after.loc[after["report_date"] == following, "line"]))
            dropped = self.lines[self.lines["report_date"] == when]
            moved = dropped[[key not in own for key in zip(dropped["po_no"], dropped["line"])]]
            after = pd.concat([moved.assign(report_date=following), after])
            after = after.sort_values("report_date", kind="stable")
        return after, later

    def recordable(self, as_of: dt.date) -> bool:
        """A refresh is recorded unless it is dated before the last report."""
        return self.last_date is None or as_of >= self.last_date


def shown_text(values: pd.Series) -> pd.Series:
    """``values.display_text`` of every value ('' for blanks): text stripped in one pass, other
    values computed once per distinct value."""
    if pd.api.types.infer_dtype(values, skipna=True) == "string":   # PO numbers, flags, history texts
        return values.str.strip().fillna("").astype(object)
    return pd.Series(map_distinct(values, lambda v: display_text(v) or "", ""), index=values.index, dtype=object)


def line_keys(frame: pd.DataFrame) -> pd.Index:
    """A line's identity: its PO and line number as shown (``1.0`` and ``1`` are one line)."""
    return pd.Index(shown_text(frame["po_no"]) + "\x1f" + shown_text(frame["line"]), dtype=object)


def snapshot(orders: pd.DataFrame) -> pd.DataFrame:
    """The tracked state of evaluated orders (``flag`` a code), indexed by line key, one per key;
    a shipped line's ETA is not tracked (an edit to it is no re-promise). ``_at``: the line's
    position in ``orders`` (not recorded)."""
    eta = pd.to_datetime(orders["eta"]).dt.normalize()
    state = pd.DataFrame({"po_no": shown_text(orders["po_no"]), "line": shown_text(orders["line"]),
                          "flag": orders["flag"], "eta": eta.where(~orders["flag"].isin(SHIPPED)),
                          "_at": np.arange(len(orders))})
    state.index = pd.Index(state["po_no"] + "\x1f" + state["line"], dtype=object)
    return state[~state.index.duplicated()]


def records(before: pd.DataFrame | None, now: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The line rows to record for ``as_of``: lines new or changed since ``before``, and removed ones."""
    if before is None or before.empty:
        changed = now
        gone = now.iloc[:0]
    else:
        old = before.reindex(now.index)
        same_flag = old["flag"].eq(now["flag"])
        same_eta = old["eta"].eq(now["eta"]) | (old["eta"].isna() & now["eta"].isna())
        changed = now[~(same_flag & same_eta & old["flag"].notna())]
        gone = before.loc[before.index.difference(now.index, sort=False)].assign(flag=REMOVED, eta=pd.NaT)
    rows = pd.concat([changed, gone]) if len(gone) else changed
    return rows.assign(report_date=pd.Timestamp(as_of)).loc[:, LINE_COLUMNS].reset_index(drop=True)


@dataclass
class Changes:
    """What changed since ``since``: per kind (its code), the lines (``CHANGE_COLUMNS``) in display order."""

    since: dt.date | None
    lines: dict[str, pd.DataFrame]

    def counts(self) -> dict[str, int]:
        return {kind.value: len(self.lines[kind]) for kind in ChangeKind}


def no_changes() -> Changes:
    return Changes(None, {kind.value: pd.DataFrame(columns=CHANGE_COLUMNS) for kind in ChangeKind})


def compare(before: pd.DataFrame, since: dt.date, orders: pd.DataFrame, countries: pd.Series,
            book: CalendarBook, now: pd.DataFrame | None = None) -> Changes:
    """The five change kinds between the state of the last report (``before``, from ``state_at``)
    and the evaluated ``orders`` (flag codes, slack, why; ``now``: their ``snapshot`` if made
    already); ``countries`` per order line gives the calendar of an ETA move."""
    now = snapshot(orders) if now is None else now
    at = now["_at"].to_numpy()
    info = orders.loc[:, ["supplier", "why", "slack_wd", "due_date"]].iloc[at].assign(
        _country=np.asarray(countries, dtype=object)[at]).set_axis(now.index)
    old = before.reindex(now.index)
    was, flag = old["flag"], now["flag"]
    known = was.notna()
    kinds = {
        ChangeKind.NEWLY_LATE: known & flag.isin(LATE_FLAGS) & ~was.isin(LATE_FLAGS),
        ChangeKind.RECOVERED: was.isin(EXCEPTIONS) & flag.isin((Flag.ON_TRACK, *SHIPPED)),
        ChangeKind.REPROMISED: old["eta"].notna() & now["eta"].notna() & old["eta"].ne(now["eta"]),
        ChangeKind.NEW: ~known,
        ChangeKind.SHIPPED: known & flag.isin(SHIPPED) & ~was.isin(SHIPPED),
    }
    move = np.full(len(now), np.nan)
    moved = np.flatnonzero(kinds[ChangeKind.REPROMISED].to_numpy())
    move[moved] = book.count_each(info["_country"].to_numpy()[moved], old["eta"].to_numpy()[moved],
                                  now["eta"].to_numpy()[moved])
    lines = {kind.value: _listed(kind, np.flatnonzero(mask.to_numpy()), old, now, info, move)
             for kind, mask in kinds.items()}
    return Changes(since, lines)


def _listed(kind: ChangeKind, at: np.ndarray, old: pd.DataFrame, now: pd.DataFrame, info: pd.DataFrame,
            move: np.ndarray) -> pd.DataFrame:
    """The lines at positions ``at`` (of ``now``, ``old`` and ``info``, aligned) in display order."""
    state = "eta" if kind.moves_the_eta else "flag"
    before, after = (frame[state].iloc[at] for frame in (old, now))
    if state == "eta":
        before, after = before.map(_day), after.map(_day)
    before, after = (s.astype(object).where(s.notna(), None) for s in (before, after))
    table = pd.DataFrame({"po_no": now["po_no"].iloc[at], "line": now["line"].iloc[at],
                          "supplier": info["supplier"].iloc[at], "before": before, "after": after,
                          "move_wd": move[at], "why": info["why"].iloc[at],
                          "_slack": info["slack_wd"].iloc[at], "_due": info["due_date"].iloc[at]})
    order = {ChangeKind.REPROMISED: (["move_wd", "_slack"], [False, True]),
             ChangeKind.RECOVERED: (["_slack"], [True])}.get(kind, (["_slack", "_due"], [True, True]))
    table = table.sort_values(order[0], ascending=order[1], na_position="last", kind="stable")
    return table.loc[:, CHANGE_COLUMNS].reset_index(drop=True)


def _day(value) -> str | None:
    return None if pd.isna(value) else value.date().isoformat()


def report_row(as_of: dt.date, counts: dict[str, int], lines: int, open_lines: int,
               on_time_rate: float | None, changes: Changes) -> dict:
    """One row of the report history (the on-time rate as on_time.rate gives it, with its definition)."""
    return {"report_date": pd.Timestamp(as_of), "lines": lines, "open": open_lines, **counts,
            "on_time_rate": on_time_rate, **changes.counts(), "on_time_def": VERSION}


def trend(history: History, row: dict) -> pd.DataFrame:
    """The last ``TREND_REPORTS`` reports up to this one (``row``), oldest first."""
    earlier = history.reports[history.reports["report_date"] < row["report_date"]]
    frame = pd.concat([earlier, pd.DataFrame([row])], ignore_index=True) if len(earlier) else pd.DataFrame([row])
    return frame.tail(TREND_REPORTS).reset_index(drop=True)

