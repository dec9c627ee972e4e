"""Document-key matching for reconciliation: normalised keys, repeated statement lines, the cascade.

Keys are compared after :func:`normalise_key` (case, spaces, full-width characters, separators, a
``PO`` prefix, leading zeros), the line after :func:`line_key` (as a line number: ``1.0`` is line 1,
a sub-line ``1.1`` only itself, never line 11). The cascade pairs our lines with statement lines one
step at a time. A step runs only when both sides have all of its key columns, and only among lines
that are still unpaired and whose keys for that step are all non-blank:

1. ``delivery_no + po_no + line``
2. ``delivery_no + po_no + style``
3. ``po_no + style + color``
4. ``po_no + line``
5. ``po_no + style``
6. ``po_no + qty + amount`` (qty to 0.001, amount to the cent): same PO and the same values
7. ``po_no`` alone, when that PO is on exactly one unpaired line on each side

Within a step, lines sharing a key are paired in order of (qty, amount, position) on each side, so
repeated keys pair like with like; lines left over wait for the next step. A pair is never made
between lines whose identifying values contradict (:func:`contradicts`: e.g. the same PO + line with
another style); such lines wait for a later step or stay unmatched.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gendan_xl.model.values import keys_of, line_keys_of, map_distinct

KEY_FIELDS = ("delivery_no", "po_no", "line", "style", "color")
IDENTITY = ("line", "style", "color")  # beside the PO, the values that say which line a row is
_VALUES = {"qty": 3, "amount": 2}  # value columns and the decimals they are compared to
STEPS = (
    ("delivery_no", "po_no", "line"),
    ("delivery_no", "po_no", "style"),
    ("po_no", "style", "color"),
    ("po_no", "line"),
    ("po_no", "style"),
    ("po_no", "qty", "amount"),
    ("po_no",),
)


def normalised_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """The key fields present in ``frame``, normalised ('' when blank), with a positional index."""
    return pd.DataFrame({name: (line_keys_of if name == "line" else keys_of)(frame[name]).to_numpy()
                         for name in KEY_FIELDS if name in frame.columns},
                        index=pd.RangeIndex(len(frame)))


def contradicts(left: pd.DataFrame, right: pd.DataFrame) -> np.ndarray:
    """Row by row, True where an identifying value (:data:`IDENTITY`) both frames hold is non-blank on
    both sides and differs. Both hold normalised keys ('' when blank) and are aligned by position."""
    clash = np.zeros(len(left), dtype=bool)
    for name in IDENTITY:
        if name in left.columns and name in right.columns:
            a, b = left[name].to_numpy(dtype=object), right[name].to_numpy(dtype=object)
            clash |= (a != "") & (b != "") & (a != b)
    return clash


def repeated_lines(theirs: pd.DataFrame, ours: pd.DataFrame) -> np.ndarray:
    """For each statement line, the position of the earlier line it repeats, else -1.

    Both frames hold normalised keys plus ``qty`` and ``amount``. A repeat has the same keys, qty and
    amount (to the cent) as an earlier statement line; as many copies as our side has lines with those
    keys, qty and amount are not repeats.
    """
    t = _value_keys(theirs).assign(_pos=np.arange(len(theirs)))
    cols = [c for c in theirs.columns if c in KEY_FIELDS or c in _VALUES]
    groups = t.groupby(cols, sort=False)
    seen = groups.cumcount().to_numpy()
    first = groups["_pos"].transform("first").to_numpy()
    common = [c for c in cols if c in ours.columns]
    copies = _value_keys(ours).groupby(common, sort=False).size().rename("_copies").reset_index()
    allowed = t[common].merge(copies, on=common, how="left")["_copies"].fillna(0).clip(lower=1).to_numpy()
    return np.where(seen >= allowed, first, -1)


def _value_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with qty and amount as text keys, rounded to their precision ('' when blank)."""
    def key(name: str, digits: int) -> np.ndarray:
        rounded = np.round(frame[name].to_numpy(dtype=float), digits) + 0.0  # + 0.0: -0.0 -> 0.0
        return map_distinct(pd.Series(rounded), lambda v: f"{v:.{digits}f}", "")

    return frame.assign(**{name: key(name, digits) for name, digits in _VALUES.items()})


def pair_lines(ours: pd.DataFrame, theirs: pd.DataFrame) -> pd.DataFrame:
    """Pairs found by the cascade: columns ``ours``, ``theirs`` (positions) and ``matched_on``.

    Both frames hold normalised keys (at least ``po_no``) plus ``qty`` and ``amount``, indexed by
    position; statement lines that must not be matched (repeats) are left out of ``theirs``.
    """
    left_o, left_t = _ordered(ours, "ours"), _ordered(theirs, "theirs")
    found = []
    for step in STEPS:
        if not set(step) <= set(ours.columns) & set(theirs.columns):
            continue
        o, t = (side[(side[list(step)] != "").all(axis=1)] for side in (left_o, left_t))
        if step == ("po_no",):
            o, t = (side[~side["po_no"].duplicated(keep=False)] for side in (o, t))
            on = ["po_no"]
        else:
            o, t = (side.assign(_n=side.groupby(list(step), sort=False).cumcount()) for side in (o, t))
            on = [*step, "_n"]
        pairs = o[[*on, "ours"]].merge(t[[*on, "theirs"]], on=on)[["ours", "theirs"]]
        pairs = pairs[~contradicts(ours.loc[pairs["ours"]], theirs.loc[pairs["theirs"]])]
        found.append(pairs.assign(matched_on="+".join(step)))
        left_o = left_o[~left_o["ours"].isin(pairs["ours"])]
        left_t = left_t[~left_t["theirs"].isin(pairs["theirs"])]
    return pd.concat(found, ignore_index=True)


def _ordered(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Keys, value keys and position (column ``name``, from the index), sorted by qty, amount, position."""
    out = frame.assign(**{name: frame.index.to_numpy()})
    return _value_keys(out.sort_values(["qty", "amount", name], kind="stable", na_position="last"))
