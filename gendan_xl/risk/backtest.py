"""Backtest of the late-risk model (pure): score the open lines at past dates with only what was known
then, and compare with what happened.

At each origin T (the first day of a month, every ``step_months`` from ``start`` to ``end``): the
lines due in [T, T + ``horizon_wd`` working days) and not shipped before T (ship date T or later, or
none) are scored by ``risk.model`` fitted at T (evidence: lines shipped before T). A scored line is
late when it shipped after its due date; a line with no ship date has no outcome and is left out.
Per origin: lines, late share, AUC, Brier score and the base-rate Brier score (a constant forecast of
the late share of the evidence at T, recency-weighted like the model: what was known then), the AUC of
the simple baseline (the supplier's recency-weighted late rate), precision and recall at the risk
threshold, and the late share of the riskiest 10 % of lines. An origin with fewer than
``JUDGE_MIN_LINES`` scored lines or ``JUDGE_MIN_LATE`` late ones is too small to judge the model by:
it gets no figures (``insufficient``), and its ``note`` says why; so does an origin where the model
had too little history to claim anything. The means are over the origins judged, the others left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gendan_xl.rules.calendar import WorkCalendar
from gendan_xl.risk.model import base_rate, fit, score, supplier_rate

TOP_SHARE = 0.10
JUDGE_MIN_LINES = 30   # an origin with fewer scored lines is not judged
JUDGE_MIN_LATE = 5     # nor one with fewer late lines among them
TOO_FEW = "数据不足 too few lines to judge"
NONE_JUDGED = "没有可评估的起点 no origin could be judged (each origin says why)"
FIGURES = ("auc", "baseline_auc", "brier", "base_brier", "precision", "recall", "top10_late_share")
COLUMNS = ("origin", "lines", "late", "late_share", *FIGURES, "insufficient", "note")


@dataclass(frozen=True)
class Origin:
    """One origin's scores: its lines, outcomes and risks (NaN where the model claims nothing)."""

    origin: dt.date
    late: np.ndarray
    risk: np.ndarray
    base: float                 # the recency-weighted late share of the evidence at the origin
    baseline: np.ndarray        # each line's recency-weighted supplier late rate (the simple model)
    note: str | None = None


def origins(start: dt.date, end: dt.date, step_months: int) -> list[dt.date]:
    """First days of the months from ``start`` to ``end`` (both included), ``step_months`` apart."""
    out, month = [], start.year * 12 + start.month - 1
    while (date := dt.date(month // 12, month % 12 + 1, 1)) <= end:
        out.append(date)
        month += step_months
    return out


def due_window(frame: pd.DataFrame, t: dt.date, horizon_wd: int, calendar: WorkCalendar) -> np.ndarray:
    """The lines scored at ``t``: due in [t, t + horizon_wd WD), not shipped before ``t``, with an outcome."""
    day = np.datetime64(t, "D")
    due, ship = frame["due"].to_numpy(), frame["ship"].to_numpy()
    end = calendar.add(day, horizon_wd)
    return (due >= day) & (due < end) & (ship >= day)   # NaT compares False: no outcome, not scored


def known_at(frame: pd.DataFrame, t: dt.date) -> pd.DataFrame:
    """The lines as known at ``t``: an order date after ``t`` (and so the lead time) is not known yet."""
    later = frame["ordered"].to_numpy() > np.datetime64(t, "D")
    if not later.any():
        return frame
    return frame.assign(ordered=np.where(later, np.datetime64("NaT", "D"), frame["ordered"].to_numpy()),
                        lead_wd=np.where(later, np.nan, frame["lead_wd"].to_numpy()))


def run_origin(frame: pd.DataFrame, t: dt.date, horizon_wd: int, half_life_days: float,
               calendar: WorkCalendar) -> Origin:
    """Fit at ``t`` and score the lines due within the horizon."""
    scored = known_at(frame[due_window(frame, t, horizon_wd, calendar)], t)
    model = fit(frame, t, half_life_days)
    risk = score(model, scored)["late_risk"].to_numpy()
    late = scored["ship"].to_numpy() > scored["due"].to_numpy()
    return Origin(t, late, risk, base_rate(model), supplier_rate(model, scored), model.reason)


def metrics(late: np.ndarray, risk: np.ndarray, threshold: float, base: float) -> dict:
    """The scores of one origin (None where undefined, e.g. AUC with no late or no on-time line);
    ``base``: the constant forecast ``base_brier`` is the Brier score of."""
    y = np.asarray(late, dtype=bool)
    p = np.asarray(risk, dtype=float)
    n, k = len(y), int(y.sum())
    share = k / n if n else None
    out = {"lines": n, "late": k, "late_share": share, "auc": None, "baseline_auc": None, "brier": None,
           "base_brier": None,
           "precision": None, "recall": None, "top10_late_share": None}
    if not n or np.isnan(p).any():
        return out
    out["auc"] = auc(y, p)
    out["brier"] = float(np.mean((p - y) ** 2))
    out["base_brier"] = float(np.mean((base - y) ** 2))
    flagged = p >= threshold
    out["precision"] = float(y[flagged].mean()) if flagged.any() else None
    out["recall"] = float(flagged[y].mean()) if k else None
    top = np.argsort(-p, kind="stable")[:max(1, int(np.ceil(n * TOP_SHARE)))]
    out["top10_late_share"] = float(y[top].mean())
    return out


def auc(late: np.ndarray, risk: np.ndarray) -> float | None:
    """Area under the ROC curve: the chance a late line is ranked above an on-time one (ties half)."""
    y = np.asarray(late, dtype=bool)
    k, n = int(y.sum()), len(y)
    if k == 0 or k == n:
        return None
    ranks = pd.Series(np.asarray(risk, dtype=float)).rank(method="average").to_numpy()
    return float((ranks[y].sum() - k * (k + 1) / 2) / (k * (n - k)))


def calibration(results: list[Origin], bins: int = 10) -> pd.DataFrame:
    """Predicted vs observed late share in ``bins`` equal-width risk bins over all origins."""
    risk = np.concatenate([r.risk for r in results]) if results else np.array([])
    late = np.concatenate([r.late for r in results]) if results else np.array([], dtype=bool)
    keep = ~np.isnan(risk)
    risk, late = risk[keep], late[keep]
    which = np.minimum((risk * bins).astype(int), bins - 1)
    rows = []
    for b in range(bins):
        m = which == b
        if m.any():
            rows.append((b / bins, (b + 1) / bins, int(m.sum()), float(risk[m].mean()), float(late[m].mean())))
    return pd.DataFrame(rows, columns=["low", "high", "lines", "predicted", "observed"])


def too_few(lines: int, late: int) -> bool:
    """True when an origin's ``lines`` scored lines with ``late`` late ones are too few to judge by."""
    return lines < JUDGE_MIN_LINES or late < JUDGE_MIN_LATE


def too_few_text(lines: int, late: int) -> str:
    """Why an origin is not judged, in words."""
    return (f"{TOO_FEW}: {lines} 行 lines, {late} 迟 late (需要 needs {JUDGE_MIN_LINES} / {JUDGE_MIN_LATE})")


def table(results: list[Origin], threshold: float) -> pd.DataFrame:
    """One row per origin (``COLUMNS``); an origin not judged has its lines and late share, no
    figures, and a ``note`` saying why (too few lines, or the model's too little history)."""
    rows = []
    for r in results:
        row = {"origin": r.origin, **metrics(r.late, r.risk, threshold, r.base),
               "baseline_auc": auc(r.late, r.baseline) if len(r.late) and not r.note else None}
        row["insufficient"] = too_few(row["lines"], row["late"])
        row["note"] = too_few_text(row["lines"], row["late"]) if row["insufficient"] else r.note
        if row["note"]:
            row.update(dict.fromkeys(FIGURES))
        rows.append(row)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def means(rows: pd.DataFrame) -> dict:
    """The mean of every column over the origins judged (``judged``: how many; those without a
    note), None where none has the figure; ``brier_better_everywhere``: the Brier score beat the base
    rate's at every judged origin with one (None when none has)."""
    judged = rows[rows["note"].isna()]
    out = {"judged": len(judged)}
    for name in COLUMNS[1:-2]:
        values = pd.to_numeric(judged[name], errors="coerce")
        out[name] = None if values.isna().all() else float(values.mean())
    briers = judged[["brier", "base_brier"]].apply(pd.to_numeric, errors="coerce").dropna()
    out["brier_better_everywhere"] = bool((briers["brier"] < briers["base_brier"]).all()) if len(briers) else None
    return out
