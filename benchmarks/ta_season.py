"""A generator of T&A seasons with ground truth, and the measure of how much earlier the first late
milestone warns than the supplier's ETA (issue 11 §3).

The model, in working days of the CN calendar (Spring Festival included), per order line:

- a due date 50-120 WD after the season start; plans = due - the APPAREL lead times;
- milestones in order: milestone k starts no earlier than its plan and no earlier than milestone
  k-1 + the planned gap between them, minus what the factory catches up (overtime: up to a third of
  the gap, only once behind), plus its own delay (common small slips, rarer big ones). Delays
  therefore propagate, and some are absorbed;
- truth: the line is late when its EX_FACTORY actual is after the due date;
- the supplier reports every milestone on the day it happens, but keeps reporting the promised due
  date as ETA until 0-8 WD before the real ex-factory date (the "ETA reported late" habit); a line
  whose ETA slips is then given its true date.

``measure`` replays the season day by day through the product's own rules (``slack.evaluate`` for
the ETA-based flag, ``milestones.evaluate`` + ``combine`` for the milestone warning) and reports,
for the lines that end late, the WD between the first milestone-based warning and the first
ETA-based warning (WILL_BE_LATE or LATE), and the share of lines warned by milestones that end on time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.rules.calendar import CalendarBook
from gendan_xl.ta.milestones import combine, evaluate, read_templates, seed_templates
from gendan_xl.model.settings import Settings
from gendan_xl.rules.slack import evaluate as evaluate_eta

CODES = [code for code, *_ in schema.APPAREL]
LEADS = np.array([lead for *_, lead in schema.APPAREL])
WARN = ("WILL_BE_LATE", "LATE")
SMALL_SLIP, BIG_SLIP = 0.06, 0.015   # per milestone: a slip of ~3 WD (geometric), a slip of 8-24 WD


@dataclass
class Season:
    """Order lines (po_no, line, supplier, qty, due_date), planned and true milestone dates
    (rank of working day per line and milestone), the day each supplier reveals its true ETA, and
    the calendar that maps ranks to dates."""

    orders: pd.DataFrame
    plan: np.ndarray        # (lines, milestones) WD ranks
    actual: np.ndarray      # (lines, milestones) WD ranks
    reveal: np.ndarray      # WD rank from which the ETA is the true ex-factory date
    due: np.ndarray         # WD rank
    start: int
    book: CalendarBook

    @property
    def late(self) -> np.ndarray:
        return self.actual[:, -1] > self.due

    def date(self, ranks) -> np.ndarray:
        cal = self.book.calendars["CN"]
        return cal.add(np.datetime64("2000-01-03"), np.asarray(ranks, dtype=float))


def generate(lines: int, seed: int, start: dt.date = dt.date(2026, 9, 1)) -> Season:
    """A season of ``lines`` order lines (one CN supplier calendar), reproducible from ``seed``."""
    rng = np.random.default_rng(seed)
    book = CalendarBook.from_rows(None, range(start.year, start.year + 2))
    cal = book.calendars["CN"]
    origin = np.datetime64("2000-01-03")
    s = int(cal.count(origin, np.datetime64(start)))
    due = s + rng.integers(50, 121, lines)
    plan = due[:, None] - LEADS[None, :]
    actual = np.empty_like(plan)
    small = rng.random((lines, len(LEADS))) < SMALL_SLIP
    big = rng.random((lines, len(LEADS))) < BIG_SLIP
    delay = small * rng.geometric(0.35, (lines, len(LEADS))) + big * rng.integers(8, 25, (lines, len(LEADS)))
    delay[:, -1] = small[:, -1] * rng.integers(0, 3, lines)     # the last step (loading) rarely slips
    actual[:, 0] = plan[:, 0] + delay[:, 0]
    gaps = LEADS[:-1] - LEADS[1:]
    for k in range(1, len(LEADS)):
        behind = actual[:, k - 1] > plan[:, k - 1]
        catch = behind * rng.integers(0, gaps[k - 1] // 3 + 1, lines)
        actual[:, k] = np.maximum(plan[:, k], actual[:, k - 1] + gaps[k - 1] - catch) + delay[:, k]
    reveal = actual[:, -1] - rng.integers(0, 9, lines)
    orders = pd.DataFrame({"po_no": [f"PO-{i:05d}" for i in range(lines)], "line": 1, "supplier": "Huamei",
                           "qty": 1000, "due_date": pd.to_datetime(cal.add(origin, due.astype(float)))})
    return Season(orders, plan, actual, reveal, due, s, book)


def state(season: Season, day: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What the master knows at WD rank ``day``: order lines (ETA, shipment) and milestone rows."""
    o = season.orders.copy()
    shipped = season.actual[:, -1] <= day
    eta = np.where(day >= season.reveal, season.actual[:, -1], season.due)
    o["eta"] = pd.to_datetime(season.date(eta))
    o["ship_date"] = pd.to_datetime(np.where(shipped, season.date(season.actual[:, -1]), np.datetime64("NaT")))
    o["shipped_qty"] = np.where(shipped, 1000, np.nan)
    n, m = season.plan.shape
    done = season.actual <= day
    ms = pd.DataFrame({"po_no": np.repeat(o["po_no"].to_numpy(), m), "line": 1, "milestone": np.tile(CODES, n),
                       "plan_date": pd.to_datetime(season.date(season.plan.ravel())),
                       "actual_date": pd.to_datetime(np.where(done.ravel(), season.date(season.actual.ravel()),
                                                              np.datetime64("NaT")))})
    return o, ms


def flags_at(season: Season, day: int, templates: pd.DataFrame, settings: Settings) -> tuple[np.ndarray, np.ndarray]:
    """The ETA-based flag and the flag with milestones of every line at WD rank ``day``."""
    o, ms = state(season, day)
    as_of = season.date(day)
    countries = np.full(len(o), "CN", dtype=object)
    eta = evaluate_eta(o, countries, season.book, as_of, settings)
    names = pd.Series("APPAREL", index=o.index)
    lines = o[["po_no", "line", "due_date"]].assign(flag=eta["flag"])
    result = evaluate(ms, lines, countries, names, templates, season.book, as_of, settings.milestone_soon_wd)
    both = combine(eta, result.lines, settings.at_risk_wd, settings.milestone_grace_wd)
    return eta["flag"].to_numpy(dtype=object), both["flag"].to_numpy(dtype=object)


def measure(season: Season, settings: Settings | None = None) -> dict:
    """Replay the season day by day; the first warning days and the figures of issue 11 §3."""
    settings = settings or Settings()
    templates = read_templates(seed_templates())
    n = len(season.orders)
    first_eta = np.full(n, np.iinfo(np.int64).max)
    first_ms = first_eta.copy()
    for day in range(season.start, int(season.actual[:, -1].max()) + 2):
        eta, both = flags_at(season, day, templates, settings)
        first_eta = np.where(np.isin(eta, WARN) & (first_eta > day), day, first_eta)
        first_ms = np.where(np.isin(both, WARN) & (first_ms > day), day, first_ms)
    late = season.late
    warned = first_ms < np.iinfo(np.int64).max
    ahead = (first_eta - first_ms)[late]
    return {"lines": n, "late": int(late.sum()), "median_wd_earlier": float(np.median(ahead)) if late.any() else None,
            "share_10wd_earlier": float((ahead >= 10).mean()) if late.any() else None,
            "milestone_warned": int(warned.sum()),
            "false_alarm_share": float((warned & ~late).sum() / warned.sum()) if warned.any() else None,
            "first_eta": first_eta, "first_milestone": first_ms}
