"""The late-risk model (pure): shrunken late rates of each line's groups, joined by a small logistic model.

Evidence at an as-of date T is every line of the evidence frame shipped *before* T (``ship < T``);
nothing else is read: a line open at T, or shipped on or after T, is no evidence whatever its due
date (its delay is not known at T; the slips logged before T are, and are its own feature). This
leaves the late lines of the last weeks under-counted (the late ones have not shipped yet): the
model is fitted on the same kind of evidence it scores with, so the bias is shared, and the
backtest measures the result as it would have been at T.

Each evidence line weighs ``0.5 ** (age / half_life)``, its age the days from its ship date to T.
Rates of lateness (shipped after due) per group, each shrunk towards a broader group by ``PRIOR``
lines' worth of its rate: supplier → supplier country → whole book; customer → book; product family
→ its first word → book; supplier × customer → supplier. Features (``FEATURES``): the log-odds of
these rates, log order size, log lead time (and whether it is known), log ETA slips. A logistic
regression (Newton steps in numpy) on the evidence lines, each with its own line left out of its
groups' rates, gives ``late_risk``; its coefficients are pulled (ridge, ``RIDGE`` lines' worth)
towards "the risk is the supplier's shrunken rate", so a small book is read as a merchandiser reads
it and a large one learns what else matters; ``expected_delay_wd`` is the shrunken recency-weighted mean
delay of the supplier's late lines (→ country → book). Fewer than ``MIN_LINES`` evidence lines or
``MIN_LATE`` late ones: no claim (NaN) and ``why`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

PRIOR = 8.0          # lines' worth of the broader group's rate added to a group's own
MIN_LINES, MIN_LATE = 30, 3
RIDGE = 100.0      # evidence lines' worth of the prior "risk = the supplier's rate" (60–200: same backtest)
FEATURES = ("supplier", "customer", "family", "pair", "size", "lead", "lead_unknown", "slips")
# group levels: name -> (evidence columns, parent level); the book is the root
LEVELS = {
    "country": (("country",), None),
    "supplier": (("supplier",), "country"),
    "customer": (("customer",), None),
    "kind": (("kind",), None),
    "family": (("family",), "kind"),
    "pair": (("supplier", "customer"), "supplier"),
}
DAY = np.timedelta64(1, "D")


@dataclass
class Model:
    """A fitted model at ``as_of``: group sums, coefficients, or the reason it claims nothing."""

    as_of: np.datetime64
    lines: int                       # evidence lines (shipped before as_of)
    late: int
    reason: str | None = None        # set when there is too little history
    sums: dict | None = None         # level -> DataFrame(n, late, delay_n, delay) indexed by key
    book: tuple | None = None        # (n, late, delay_n, delay) of the whole book
    coef: np.ndarray | None = None
    center: np.ndarray | None = None
    scale: np.ndarray | None = None
    recent: pd.DataFrame | None = None   # the evidence of the last 365 days, for the why texts


def fit(frame: pd.DataFrame, as_of, half_life_days: float) -> Model:
    """Fit on the lines of ``frame`` (an evidence frame) shipped before ``as_of``."""
    t = np.datetime64(pd.Timestamp(as_of).date(), "D")
    ev = frame[(frame["ship"].to_numpy() < t) & ~np.isnat(frame["due"].to_numpy())]
    y = (ev["ship"].to_numpy() > ev["due"].to_numpy()).astype(float)
    model = Model(t, len(ev), int(y.sum()))
    if model.lines < MIN_LINES or model.late < MIN_LATE:
        model.reason = (f"历史不足 too little history: {model.lines} 行已出货 lines shipped before {t}, "
                        f"{model.late} 迟 late (需要 needs {MIN_LINES} / {MIN_LATE})")
        return model
    age = (t - ev["ship"].to_numpy()) / DAY
    w = 0.5 ** (age / max(float(half_life_days), 1.0))
    delay = np.where(y > 0, np.nan_to_num(ev["delay_wd"].to_numpy(dtype=float)), 0.0)
    own = pd.DataFrame({"n": w, "late": w * y, "delay_n": w * y, "delay": w * y * delay}, index=ev.index)
    model.book = tuple(own.sum().to_numpy())
    model.sums = {name: own.groupby(_keys(ev, cols)).sum() for name, (cols, _) in LEVELS.items()}
    x = _features(model, ev, minus=own)
    model.center, model.scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    prior = np.zeros(x.shape[1] + 1)
    prior[1] = model.scale[0]   # before the evidence says otherwise: the supplier's shrunken rate itself
    model.coef = _logistic(np.column_stack([np.ones(len(x)), (x - model.center) / model.scale]), y, w, prior)
    model.recent = ev[age < 365].assign(late=y[age < 365] > 0)
    return model


def score(model: Model, lines: pd.DataFrame) -> pd.DataFrame:
    """``late_risk`` (0–1) and ``expected_delay_wd`` of each line of an evidence frame; NaN when the
    model claims nothing."""
    if model.reason:
        return pd.DataFrame({"late_risk": np.nan, "expected_delay_wd": np.nan}, index=lines.index)
    x = (_features(model, lines) - model.center) / model.scale
    risk = 1 / (1 + np.exp(-(model.coef[0] + x @ model.coef[1:])))
    return pd.DataFrame({"late_risk": risk, "expected_delay_wd": np.round(_delay(model, lines), 1)},
                        index=lines.index)


def base_rate(model: Model) -> float:
    """The recency-weighted late share of the whole evidence (NaN when the model claims nothing)."""
    return np.nan if model.reason else model.book[1] / model.book[0]


def supplier_rate(model: Model, lines: pd.DataFrame) -> np.ndarray:
    """The baseline: each line's recency-weighted supplier late rate (shrunk to country and book)."""
    if model.reason:
        return np.full(len(lines), np.nan)
    return _rate(model, lines, "supplier", None)


def _keys(frame: pd.DataFrame, cols: tuple[str, ...]) -> pd.Series:
    key = frame[cols[0]].astype(str)
    for c in cols[1:]:
        key = key + "\x1f" + frame[c].astype(str)
    return key


def _level(model: Model, frame: pd.DataFrame, name: str, minus: pd.DataFrame | None) -> pd.DataFrame:
    """The sums of each line's group at ``name`` (less the line's own, when ``minus``)."""
    cols, _ = LEVELS[name]
    got = model.sums[name].reindex(_keys(frame, cols)).fillna(0.0).set_axis(frame.index)
    return got if minus is None else got - minus


def _rate(model: Model, frame: pd.DataFrame, name: str | None, minus, column="late", total="n") -> np.ndarray:
    """The shrunken rate (late / n, or mean delay with ``column="delay", total="delay_n"``) of each
    line's group at level ``name``, towards its parent level and the book."""
    i = ("n", "late", "delay_n", "delay").index
    if name is None:
        own = np.array(model.book)
        if minus is not None:
            own = own - minus[["n", "late", "delay_n", "delay"]].to_numpy()
            return own[:, i(column)] / np.maximum(own[:, i(total)], 1e-9)
        return np.full(len(frame), own[i(column)] / max(own[i(total)], 1e-9))
    parent = _rate(model, frame, LEVELS[name][1], minus, column, total)
    got = _level(model, frame, name, minus)
    return (got[column].to_numpy() + PRIOR * parent) / (np.maximum(got[total].to_numpy(), 0) + PRIOR)


def _features(model: Model, frame: pd.DataFrame, minus: pd.DataFrame | None = None) -> np.ndarray:
    logit = lambda p: np.log(np.clip(p, 1e-3, 1 - 1e-3) / (1 - np.clip(p, 1e-3, 1 - 1e-3)))  # noqa: E731
    supplier = logit(_rate(model, frame, "supplier", minus))
    lead = frame["lead_wd"].to_numpy(dtype=float)
    qty = frame["qty"].to_numpy(dtype=float)
    return np.column_stack([
        supplier,
        logit(_rate(model, frame, "customer", minus)),
        logit(_rate(model, frame, "family", minus)),
        logit(_rate(model, frame, "pair", minus)) - supplier,
        np.log1p(np.where(qty > 0, qty, 0)),
        np.log1p(np.where(lead > 0, lead, 0)),
        np.isnan(lead).astype(float),
        np.log1p(np.nan_to_num(frame["slips"].to_numpy(dtype=float))),
    ])


def _delay(model: Model, frame: pd.DataFrame) -> np.ndarray:
    return _rate(model, frame, "supplier", None, column="delay", total="delay_n")


def _logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, prior: np.ndarray, iterations: int = 25) -> np.ndarray:
    """Weighted logistic regression by Newton steps, its coefficients pulled towards ``prior`` (ridge;
    the intercept is free)."""
    beta = prior.copy()
    penalty = np.full(x.shape[1], RIDGE)
    penalty[0] = 0.0
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-(x @ beta)))
        grad = x.T @ (w * (p - y)) + penalty * (beta - prior)
        hess = (x * (w * p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta
