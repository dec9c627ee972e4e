"""Rejected samples put off their milestones (pure).

While a sample is rejected and not yet approved — its latest valid round open (PENDING, SENT,
RECEIVED), an earlier round REJECTED, no round APPROVED — the milestone its kind closes
(``mapping.covered_milestones``) on every line that round covers is expected when the customer
approves that round: its received date, else its sent date, else its due date (else the as-of date),
+ the customer's turnaround for the kind (``turnaround.Turnaround.wd``: the median rounded up, else
``sample_turnaround_wd``), in the round's calendar, and never before the as-of date. Several such
rounds on one milestone row: the latest date. ``ta.milestones.evaluate`` takes these dates (its
``expected``) and moves the line's projection as for any late critical milestone.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from gendan_xl.model.samples import OPEN_SAMPLES, SampleKind, SampleStatus
from gendan_xl.model.values import day_texts, display_text, map_distinct, whole_texts
from gendan_xl.rules.calendar import CalendarBook, as_days
from gendan_xl.samples.mapping import covered_milestones, milestone_rows
from gendan_xl.samples.register import Register
from gendan_xl.samples.turnaround import Turnaround

# what the expected approval is counted from, in the order tried
_BASIS = np.array(["签收 received", "寄出 sent", "应寄 due", "截至 as of"], dtype=object)


def expected_approvals(register: Register, countries, book: CalendarBook, as_of: dt.date, turnaround: Turnaround,
                       keys: np.ndarray, orders: pd.DataFrame, line_templates: pd.Series, mapping: pd.DataFrame,
                       milestones: pd.DataFrame, rows: pd.Series | None = None) -> pd.DataFrame:
    """Per Milestones row put off by a rejected sample (indexed like ``milestones``): the ``expected``
    date of its approval and the ``why`` naming the round. ``countries``: each register row's calendar
    country; ``keys``: each row's customer key (``turnaround.round_customers``); ``orders``,
    ``line_templates``, ``mapping``: as ``mapping.covered_milestones`` takes them; ``rows``:
    ``mapping.milestone_rows`` of ``milestones`` when already known."""
    out = pd.DataFrame({"expected": pd.Series(dtype="datetime64[s]"), "why": pd.Series(dtype=object)})
    if milestones.empty:   # no plan: nothing to put off
        return out
    pos, rejected = _reopened(register)
    if not len(pos):
        return out
    mask = np.zeros(len(register.rows), dtype=bool)
    mask[pos] = True
    found = covered_milestones(register, mask, orders, line_templates, mapping)
    where = milestone_rows(milestones) if rows is None else rows
    target = where.reindex(found["key"].to_numpy()).to_numpy()
    found = found[pd.notna(target)].assign(row=target[pd.notna(target)])
    if found.empty:
        return out
    expected, why = _approvals(register, pos, rejected, countries, book, as_of, turnaround, keys)
    at = pd.Series(np.arange(len(pos)), index=pos).reindex(found["pos"].to_numpy()).to_numpy()
    best = found.assign(expected=expected[at], why=why[at]).sort_values(
        ["row", "expected", "pos"], ascending=[True, False, True], kind="stable").drop_duplicates("row")
    return pd.DataFrame({"expected": best["expected"].to_numpy().astype("datetime64[s]"),
                         "why": best["why"].to_numpy(dtype=object)},
                        index=pd.Index(best["row"].to_numpy(), dtype=milestones.index.dtype))


def _reopened(register: Register) -> tuple[np.ndarray, np.ndarray]:
    """The register positions of the open rounds of samples rejected and not approved (each sample's
    latest valid round), and the position of each one's last rejected round."""
    at = np.flatnonzero(~register.bad & (register.key != "") & np.isfinite(register.round))
    sample = pd.factorize(register.key[at])[0]
    order = np.lexsort((register.round[at], sample))   # by sample, then round
    at, sample = at[order], sample[order]
    status = register.status[at]
    approved = np.zeros(len(at), dtype=bool)   # by sample number (its factorized code)
    approved[sample[status == SampleStatus.APPROVED.value]] = True
    last_rejected = np.full(len(at), -1, dtype=np.int64)
    rejected = np.flatnonzero(status == SampleStatus.REJECTED.value)
    rejected = rejected[_last_of_each(sample[rejected])]
    last_rejected[sample[rejected]] = at[rejected]
    latest = _last_of_each(sample)
    keep = (latest & np.isin(status, [s.value for s in OPEN_SAMPLES]) & ~approved[sample] &
            (last_rejected[sample] >= 0))
    by_position = np.argsort(at[keep], kind="stable")
    return at[keep][by_position], last_rejected[sample[keep]][by_position]


def _last_of_each(groups: np.ndarray) -> np.ndarray:
    """True at the last element of each run of equal values of ``groups``."""
    return np.append(groups[1:] != groups[:-1], True) if len(groups) else np.zeros(0, dtype=bool)


def _approvals(register: Register, pos: np.ndarray, rejected: np.ndarray, countries, book: CalendarBook,
               as_of: dt.date, turnaround: Turnaround, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The expected approval of each round at ``pos`` and its why."""
    today = np.datetime64(as_of, "D")
    dates = [register.received[pos], register.sent[pos], as_days(register.rows["due"])[pos]]
    basis = np.select([~np.isnat(d) for d in dates], [0, 1, 2], 3)
    base = np.choose(basis, [*dates, np.full(len(pos), today)])
    wd, known = turnaround.wd(keys[pos], register.kind[pos])
    approval = np.full(len(pos), np.datetime64("NaT", "D"))

    def one(calendar, rows):
        approval[rows] = calendar.add(base[rows], wd[rows])
    book.each_calendar(np.asarray(countries, dtype=object)[pos], one)
    expected = np.maximum(approval, today)
    kinds = map_distinct(pd.Series(register.kind[pos]), lambda code: SampleKind(code).label, "")
    numbers, before = whole_texts(register.round[pos]), whole_texts(register.round[rejected])
    nos = map_distinct(register.rows["sample_no"].iloc[pos], display_text, "")
    why = (kinds + " " + nos + " 第" + numbers + "轮 round " + numbers + " (round " + before + " rejected " +
           day_texts(register.answered[rejected]) + "): " + _BASIS[basis] + " " + day_texts(base) + " + " + whole_texts(wd) +
           " WD turnaround" + np.where(known, "", " (usual: no history)") + " → 批样 approval ≈ " + day_texts(expected) +
           np.where(approval < today, " (" + day_texts(approval) + " passed)", ""))
    return expected, why.astype(object)
