"""The risk of every open line of a master at its as-of date, and the AT_RISK flags it raises (pure).

Scored: open lines (not SHIPPED / SHIPPED_LATE, with a due date); others get no risk (blank). A
LATE line is late already: its risk is 1 and its expected delay at least the working days it is late.
An open, not yet late line (``ON_TRACK``) whose ``late_risk`` reaches ``risk_threshold`` becomes
``AT_RISK`` with the evidence first in its ``why``; a line already AT_RISK gets the evidence added.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from gendan_xl.rules.calendar import CalendarBook
from gendan_xl.model.flags import FOLLOWED, Flag
from gendan_xl.model.settings import Settings
from gendan_xl.risk.evidence import evidence, slips_before
from gendan_xl.risk.model import fit, score
from gendan_xl.risk.why import risk_texts

COLUMNS = ["late_risk", "expected_delay_wd"]
# What is stored and shown: a fraction to 4 decimals and working days to 1, so nothing written depends
# on the last bits of a float (those differ with the machine's BLAS).
DECIMALS = {"late_risk": 4, "expected_delay_wd": 1}


def assess(orders: pd.DataFrame, flags: pd.Series, countries, book: CalendarBook,
           change_log: pd.DataFrame | None, as_of: dt.date, settings: Settings) -> pd.DataFrame:
    """``late_risk``, ``expected_delay_wd`` and ``risk_why`` per line (NaN / None where not scored)."""
    frame = evidence(orders, countries, book, slips_before(orders, change_log, as_of))
    model = fit(frame, as_of, settings.risk_half_life_days)
    scored = flags.isin(FOLLOWED).to_numpy()
    out = pd.DataFrame({"late_risk": np.nan, "expected_delay_wd": np.nan, "risk_why": None}, index=orders.index)
    if scored.any():
        got = score(model, frame[scored]).round(DECIMALS)
        out.loc[scored, COLUMNS] = got[COLUMNS].to_numpy()
        out.loc[scored, "risk_why"] = risk_texts(model, frame[scored], got["late_risk"].to_numpy(),
                                                 got["expected_delay_wd"].to_numpy())
    return out


def raise_flags(evaluated: pd.DataFrame, risk: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """``evaluated`` (slack_wd, flag code, why) with the risk columns, ON_TRACK lines at or over the
    threshold made AT_RISK (the evidence first in ``why``), the evidence added to AT_RISK ones, and
    the reason the model claims nothing added to every open line when it does not."""
    out = evaluated.copy()
    high = (risk["late_risk"] >= threshold).to_numpy()
    flag = out["flag"].to_numpy()
    raised = high & (flag == Flag.ON_TRACK)
    told = high & (flag == Flag.AT_RISK) | np.isnan(risk["late_risk"].to_numpy()) & risk["risk_why"].notna().to_numpy()
    mark = risk["risk_why"].to_numpy(dtype=object)
    why = out["why"].to_numpy(dtype=object).copy()
    limit = f" ≥ {threshold:.0%}"
    why[raised] = [f"{m.replace(':', limit + ':', 1)}; {w}" for m, w in zip(mark[raised], why[raised])]
    why[told] = [f"{w}; {m}" for m, w in zip(mark[told], why[told])]
    out["flag"] = np.where(raised, Flag.AT_RISK.value, flag)
    out["why"] = why
    out[COLUMNS] = risk[COLUMNS].to_numpy()
    late = (flag == Flag.LATE) & ~np.isnan(risk["late_risk"].to_numpy())
    out.loc[late, "late_risk"] = 1.0
    out.loc[late, "expected_delay_wd"] = np.fmax(out.loc[late, "expected_delay_wd"], -out.loc[late, "slack_wd"])
    return out
