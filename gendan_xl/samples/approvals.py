"""Approvals close milestones (pure): an APPROVED round of a kind the line's T&A template maps to a
milestone (``mapping.kind_milestones``) sets that milestone's actual date to the round's status date
on every order line the round covers, and marks the milestone row's Source with the round
(``样品 sample S-12 / 2``).

- Several approved rounds for one line's milestone: the latest approval sets it (on one day: the
  round first in the register).
- A milestone's actual is the register's while its Source carries a sample mark: gendan sets it,
  moves it when the approval moves, and clears it (date and mark) when the round the mark names is a
  valid row no longer approving it; a mark naming no row, or a row not applied, is left as it is.
- An actual without a mark is the user's (or the supplier's) and wins: a different approval date is a
  Change Log note (logged once: the Change Log keeps no row twice).
- A line without the milestone row (not planned yet) gets nothing: ``gendan plan`` adds the row, and
  the next refresh closes it.

Every change is a Change Log row of the 工序 Milestones table: the line's PO / line, the field
``CODE 实际日期 Actual date``, old and new, and the sample row it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.changes import order_labels
from gendan_xl.model.samples import SampleStatus
from gendan_xl.model.values import display_text, map_distinct, whole_texts
from gendan_xl.samples.mapping import covered_milestones, milestone_rows
from gendan_xl.samples.register import Register

MARK = "样品 sample "   # how a Source cell names the sample round that set the actual date
SET_NOTE = "样品批准 set by the sample's approval: "
KEPT_NOTE = "保留用户日期 the user's date kept, not the sample's approval: "
CLEARED_NOTE = "样品不再批准 cleared, the sample no longer approves it: "


def sample_mark(sample_no, round_no) -> str:
    """``样品 sample S-12 / 2``: the Source of a milestone closed by round 2 of sample S-12."""
    return sample_marks(np.array([sample_no], dtype=object), np.array([round_no], dtype=float))[0]


def sample_marks(sample_nos: np.ndarray, rounds: np.ndarray) -> np.ndarray:
    """``sample_mark`` of each sample number and round, column-wise (an object array)."""
    return MARK + map_distinct(sample_nos, display_text, "") + " / " + whole_texts(rounds)


@dataclass
class Closed:
    """The Milestones frame after the approvals (actual_date, source), the Change Log rows, and how many
    actual dates were set or moved, kept as the user's, and cleared."""

    milestones: pd.DataFrame
    changes: list[dict] = field(default_factory=list)
    set: int = 0
    kept: int = 0
    cleared: int = 0


def close_milestones(register: Register, orders: pd.DataFrame, line_templates: pd.Series, mapping: pd.DataFrame,
                     milestones: pd.DataFrame, *, file: str | None, timestamp, rows: pd.Series | None = None) -> Closed:
    """Apply the approvals of ``register`` to ``milestones`` (the Milestones table; not modified).
    ``orders``: po_no and line by sheet row; ``line_templates``: each order line's T&A template;
    ``mapping``: ``kind_milestones``; ``rows``: ``mapping.milestone_rows`` of ``milestones`` when
    already known."""
    ms = milestones.copy()
    ms["actual_date"] = ms["actual_date"].astype("datetime64[us]")
    ms["source"] = ms["source"].astype(object)
    result = Closed(ms)
    if ms.empty:   # nothing to close, nothing to clear (a master without a T&A plan yet)
        return result
    marks = _marks(register)
    best = _best_approvals(register, orders, line_templates, mapping, marks)
    where = milestone_rows(ms) if rows is None else rows
    at = where.reindex(best["key"].to_numpy()).to_numpy()
    best = best[pd.notna(at)].assign(target=at[pd.notna(at)])
    target = pd.Index(best["target"].to_numpy())
    old, source = ms.loc[target, "actual_date"].to_numpy(), ms.loc[target, "source"].to_numpy(dtype=object)
    new = best["date"].to_numpy().astype("datetime64[us]")
    ours = _marked(source)
    blank = np.isnat(old)
    moved = blank | (ours & ((old != new) | (source != best["mark"].to_numpy(dtype=object))))
    differs = ~blank & ~ours & (old != new)
    sample_rows = register.rows.index.to_numpy()
    changes = [(target[moved], best["pos"].to_numpy()[moved], old[moved], new[moved],
                SET_NOTE + best["mark"].to_numpy(dtype=object)[moved])]
    result.milestones.loc[target[moved], "actual_date"] = new[moved]
    result.milestones.loc[target[moved], "source"] = best["mark"].to_numpy(dtype=object)[moved]

    gone = _cleared(ms, target, marks, register)
    result.milestones.loc[gone.index, "actual_date"] = np.datetime64("NaT", "us")
    result.milestones.loc[gone.index, "source"] = None
    changes.append((gone.index, gone.to_numpy(), milestones.loc[gone.index, "actual_date"].to_numpy(),
                    np.full(len(gone), np.datetime64("NaT", "us")), CLEARED_NOTE + marks[gone.to_numpy()]))
    notes = _records(ms, target[differs], sample_rows[best["pos"].to_numpy()[differs]], old[differs], new[differs],
                     KEPT_NOTE + best["mark"].to_numpy(dtype=object)[differs], file, timestamp)
    for rows, pos, before, after, note in changes:
        result.changes += _records(ms, rows, sample_rows[pos], before, after, note, file, timestamp)
    result.changes += notes
    result.set, result.kept, result.cleared = int(moved.sum()), len(notes), len(gone)
    return result


def _marks(register: Register) -> np.ndarray:
    """Each register row's mark (``sample_mark``; None when it has no sample number or round)."""
    usable = (register.key != "") & np.isfinite(register.round)
    out = np.full(len(usable), None, dtype=object)
    out[usable] = sample_marks(register.rows["sample_no"].to_numpy()[usable], register.round[usable])
    return out


def _marked(source: np.ndarray) -> np.ndarray:
    return map_distinct(pd.Series(source, dtype=object), lambda s: isinstance(s, str) and s.startswith(MARK),
                        False).astype(bool)


def _best_approvals(register: Register, orders: pd.DataFrame, line_templates: pd.Series, mapping: pd.DataFrame,
                    marks: np.ndarray) -> pd.DataFrame:
    """Per order line and mapped milestone, the latest approval: the milestone row's key, the date, the
    register position of its round and the round's mark."""
    approved = register.has(SampleStatus.APPROVED) & ~np.isnat(register.answered)
    found = covered_milestones(register, approved, orders, line_templates, mapping)
    best = found.assign(date=register.answered[found["pos"].to_numpy()])[["key", "date", "pos"]]
    best = best.sort_values(["key", "date", "pos"], ascending=[True, False, True], kind="stable")
    best = best.drop_duplicates("key").sort_values("pos", kind="stable")   # in register order
    return best.assign(mark=marks[best["pos"].to_numpy()]).reset_index(drop=True)


def _cleared(ms: pd.DataFrame, target: pd.Index, marks: np.ndarray, register: Register) -> pd.Series:
    """The marked milestone rows no approval set this time whose mark names a valid register row: the
    register position of that row, by milestone row."""
    valid = pd.Series(np.flatnonzero(~register.bad), index=marks[~register.bad])
    valid = valid[valid.index.notna() & ~valid.index.duplicated()]
    source = ms["source"].to_numpy(dtype=object)
    loose = _marked(source) & ~ms.index.isin(target)
    named = valid.reindex(source[loose]).to_numpy()
    rows = ms.index[loose][pd.notna(named)]
    return pd.Series(named[pd.notna(named)].astype(np.int64), index=rows)


def _records(ms: pd.DataFrame, rows, sample_rows, old, new, notes, file, timestamp) -> list[dict]:
    """Change Log rows of the Milestones table: one per milestone row changed (or noted)."""
    rows = pd.Index(rows)
    if not len(rows):
        return []
    header = schema.MILESTONES.header("actual_date")
    codes = ms.loc[rows, "milestone"].map(lambda v: str(v).strip().upper()).to_numpy(dtype=object)
    keys = order_labels(ms.loc[rows, "po_no"].to_numpy(), ms.loc[rows, "line"].to_numpy())
    show = [pd.Series(v).astype("datetime64[us]").map(display_text).to_list() for v in (old, new)]
    return [{"timestamp": timestamp, "file": file, "sheet": schema.SAMPLES.sheet, "source_row": int(r),
             "table": schema.MILESTONES.key, "order_key": k, "field": f"{c} {header}", "old": o, "new": n,
             "note": note} for r, k, c, o, n, note in zip(sample_rows, keys, codes, *show, np.broadcast_to(
                 np.asarray(notes, dtype=object), len(rows)))]
