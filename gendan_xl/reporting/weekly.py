"""The weekly report model: headline counts, on-time rate, exception lists, per-party tables (pure)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import pandas as pd

from gendan_xl.rules import on_time as ot
from gendan_xl.model.flags import EXCEPTIONS, NOT_YET_LATE, OPEN, Flag
from gendan_xl.quotes.watch import QuoteWatch
from gendan_xl.samples.todo import SampleTodo
from gendan_xl.reporting.history import Changes, History, no_changes, report_row, trend
from gendan_xl.samples.turnaround import Turnaround
from gendan_xl.shipments.watch import ShipmentWatch
from gendan_xl.ta.views import Todo
from gendan_xl.model.values import is_blank, party_key

# The report lists the worst lines; the rest stay one filter away in the colour-coded Orders table.
EXCEPTION_LIMIT = 500
CHANGE_LIMIT = 25   # lines listed per change kind on the 周报; the count says how many there are
LIST_FIELDS = ("po_no", "line", "customer", "style", "supplier", "qty", "shipped_qty", "due_date", "eta",
               "slack_wd", "flag", "why")


RISK_LIMIT = 25   # riskiest open lines listed on the 周报
RISK_FIELDS = ("po_no", "line", "customer", "supplier", "qty", "due_date", "flag", "late_risk",
               "expected_delay_wd", "why")


@dataclass
class RiskTables:
    """The model's view of the open book: the riskiest open lines not yet late, and per supplier."""

    threshold: float
    scored: int                  # open lines with a risk
    riskiest: pd.DataFrame       # RISK_FIELDS, the highest late_risk first (at most RISK_LIMIT)
    by_supplier: pd.DataFrame    # supplier, open, mean_risk, at_or_over, expected_late, expected_delay_wd

    def summary(self) -> dict:
        over = int(self.by_supplier["at_or_over"].sum()) if len(self.by_supplier) else 0
        return {"threshold": self.threshold, "scored": self.scored, "at_or_over": over,
                "by_supplier": [{k: (None if pd.isna(v) else (round(v, 4) if isinstance(v, float) else v))
                                 for k, v in r.items()} for r in self.by_supplier.to_dict("records")]}


def risk_tables(orders: pd.DataFrame, threshold: float) -> RiskTables:
    """From evaluated orders (``flag`` as a code, ``late_risk``, ``expected_delay_wd``): the open lines
    not yet late with a risk, the riskiest first, and per supplier (spellings differing only in case,
    width or spacing are one, as in ``_by_party``) the open lines scored, their
    mean risk, how many reach ``threshold``, the expected number of late lines (the sum of the risks)
    and the mean expected delay; the riskiest supplier (most expected late lines) first."""
    scored = orders[orders["flag"].isin(NOT_YET_LATE) & orders["late_risk"].notna()]
    riskiest = (scored.sort_values(["late_risk", "due_date"], ascending=[False, True], kind="stable")
                .loc[:, list(RISK_FIELDS)].head(RISK_LIMIT).reset_index(drop=True))
    grouped = scored.assign(key=scored["supplier"].map(party_key), supplier=scored["supplier"].map(_party_name),
                            over=scored["late_risk"] >= threshold).groupby("key", sort=True)
    table = pd.DataFrame({"supplier": grouped["supplier"].first(), "open": grouped.size(),
                          "mean_risk": grouped["late_risk"].mean().round(4),
                          "at_or_over": grouped["over"].sum().astype(int),
                          "expected_late": grouped["late_risk"].sum().round(1),
                          "expected_delay_wd": grouped["expected_delay_wd"].mean().round(1)})
    table = table.reset_index(drop=True).sort_values(["expected_late", "supplier"], ascending=[False, True],
                                                     kind="stable")
    return RiskTables(threshold, len(scored), riskiest, table.reset_index(drop=True))


@dataclass(frozen=True)
class SinceLast:
    """The week-over-week part of a report, from the master's history: the reports recorded, the
    last one before this report (its as-of date and counts) and the lines changed since."""

    history: History = field(default_factory=History)
    previous: tuple[dt.date, dict[str, int]] | None = None
    changes: Changes = field(default_factory=no_changes)


@dataclass(frozen=True)
class WeeklyReport:
    """Everything the 周报 sheet shows, as data."""

    as_of: dt.date
    counts: dict[str, int]
    lines: int
    open_lines: int
    on_time_rate: float | None        # on_time.py: on-time lines / lines decided by the as-of date
    exceptions: pd.DataFrame          # the worst LATE, WILL_BE_LATE, AT_RISK lines, sorted by slack
    exception_total: int              # how many exception lines there are in all
    by_supplier: pd.DataFrame
    by_customer: pd.DataFrame
    previous: tuple[dt.date, dict[str, int]] | None = None   # the last report's as-of date and counts
    changes: Changes = field(default_factory=no_changes)      # lines changed since the last report
    trend: pd.DataFrame | None = None   # the last reports up to this one (history.REPORT_COLUMNS)
    scorecard: pd.DataFrame | None = None   # per supplier (scorecard.COLUMNS)
    milestone_todo: Todo | None = None      # overdue and due-soon milestones (ta.views.Todo)
    risk: RiskTables | None = None          # the riskiest open lines and the risk per supplier
    quotes: QuoteWatch | None = None        # rate moved and margin erosion (None: the master has no quotes)
    samples: SampleTodo | None = None       # overdue and waiting sample rounds (None: the master has no samples)
    sample_turnaround: Turnaround | None = None   # buyers' sample turnaround (None: the master has no samples)
    shipments: ShipmentWatch | None = None  # the shipments to act on (None: the master has no shipments table)

    def history_row(self) -> dict:
        """This report's row of the report history (``history.report_row``)."""
        return report_row(self.as_of, self.counts, self.lines, self.open_lines, self.on_time_rate, self.changes)


def build_report(orders: pd.DataFrame, as_of: dt.date, since_last: SinceLast | None = None, *,
                 scorecard: pd.DataFrame | None = None, milestone_todo: Todo | None = None,
                 risk: RiskTables | None = None, quotes: QuoteWatch | None = None,
                 samples: SampleTodo | None = None, sample_turnaround: Turnaround | None = None,
                 shipments: ShipmentWatch | None = None) -> WeeklyReport:
    """Build the report from evaluated orders (columns of ORDERS with ``flag`` as a code);
    ``since_last`` (from the master's history) gives the week-over-week changes and the trend (no
    trend without it); ``scorecard``, ``milestone_todo``, ``risk``, ``quotes``, ``samples``,
    ``sample_turnaround`` and ``shipments`` are shown as given."""
    flags = orders["flag"]
    counts = {flag.value: int((flags == flag).sum()) for flag in Flag}
    on_time = ot.rate(ot.on_time(orders, as_of).sum(), ot.decided(orders, as_of).sum())
    open_mask = flags.isin(OPEN)
    exceptions = orders[flags.isin(EXCEPTIONS)]
    order = pd.Categorical(exceptions["flag"], categories=[f.value for f in EXCEPTIONS], ordered=True)
    worst = (exceptions.assign(_rank=order)
             .sort_values(["slack_wd", "_rank", "due_date"], na_position="last", kind="stable")
             .loc[:, list(LIST_FIELDS)].head(EXCEPTION_LIMIT).reset_index(drop=True))
    last = since_last or SinceLast()
    report = WeeklyReport(as_of, counts, len(orders), int(open_mask.sum()), on_time, worst, len(exceptions),
                          _by_party(orders, "supplier", as_of), _by_party(orders, "customer", as_of),
                          last.previous, last.changes, None, scorecard, milestone_todo, risk, quotes, samples,
                          sample_turnaround, shipments)
    return replace(report, trend=trend(last.history, report.history_row())) if since_last else report


def _party_name(value) -> str:
    """A party as first written (stripped), or the blank party's name."""
    return "(空 blank)" if is_blank(value) else str(value).strip()


def _by_party(orders: pd.DataFrame, column: str, as_of: dt.date) -> pd.DataFrame:
    """Per supplier / customer (spellings differing only in case, width or spacing are one party,
    named as first written, as in the scorecard): lines, open, exception counts, on-time rate
    (on_time.py), average open slack."""
    party = orders[column].map(_party_name)
    flags = orders["flag"]
    frame = pd.DataFrame({
        "key": orders[column].map(party_key),
        "party": party,
        "lines": 1,
        "open": flags.isin(OPEN).astype(int),
        "late": (flags == Flag.LATE).astype(int),
        "will_be_late": (flags == Flag.WILL_BE_LATE).astype(int),
        "at_risk": (flags == Flag.AT_RISK).astype(int),
        "shipped": (flags == Flag.SHIPPED).astype(int),
        "shipped_late": (flags == Flag.SHIPPED_LATE).astype(int),
        "open_slack": orders["slack_wd"].where(flags.isin(OPEN)),
        "decided": ot.decided(orders, as_of).astype(int),
        "on_time": ot.on_time(orders, as_of).astype(int),
    })
    grouped = frame.groupby("key", sort=True)
    table = grouped[["lines", "open", "late", "will_be_late", "at_risk", "shipped", "shipped_late"]].sum()
    table.insert(0, "party", grouped["party"].first())
    table["avg_open_slack"] = grouped["open_slack"].mean().round(1)
    table["on_time_rate"] = [ot.rate(n, d) for n, d in zip(grouped["on_time"].sum(), grouped["decided"].sum())]
    table = table.reset_index(drop=True).sort_values(["late", "will_be_late", "at_risk", "party"],
                                                     ascending=[False, False, False, True], kind="stable")
    return table.reset_index(drop=True)
