"""Cells that point elsewhere or say why they are empty, as real exports have them.

* ``See DN-304 (ID#:10589)``: the value is the one of the row whose key is 10589 — resolved from that
  row when it has a usable value, else reported as ``unresolved_reference``.
* ``Weight Captured Separately``, ``Freight Included in Commodity Cost``, ``Invoiced Separately``:
  no value on purpose — reported as ``marker`` (the cell stays blank), never as a bad number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pandas as pd

from .extract import Extracted
from .values import fold, normalise_key

_BACK_REFERENCE = re.compile(r"see\s+(?P<doc>[\w\-/#]+)\s*\(\s*id\s*#?\s*:?\s*(?P<id>\d+)\s*\)")
_MARKERS = re.compile(r"(?:weight|freight|cost|value|amount)?\s*(?:captured|invoiced|included|paid|billed)"
                      r"\s+(?:separately|in\s+.+)|free of charge|foc|no charge")


@dataclass(frozen=True)
class ReferenceCounts:
    """How many back-references were resolved or not, and how many marker cells were met."""

    resolved: int
    unresolved: int
    markers: dict[str, int]


def resolve_references(extracted: Extracted, key: str = "line") -> tuple[Extracted, ReferenceCounts]:
    """Fill back-referenced cells from their rows and re-label marker cells; returns the new extraction."""
    issues = extracted.issues.copy()
    frame = extracted.frame.copy()
    fields_of = _fields_by_header(extracted.mapping)
    positions = pd.Series(range(len(frame)), index=frame["_row"].to_numpy())
    by_key = {}
    if key in frame.columns:
        keys = frame[key].map(lambda v: normalise_key(v) if isinstance(v, str) or pd.notna(v) else "")
        by_key = {k: pos for pos, k in enumerate(keys) if k}
    resolved = unresolved = 0
    markers: dict[str, int] = {}
    for i, issue in issues.iterrows():
        value = issue["value"]
        if not isinstance(value, str) or issue["reason"] not in ("bad_number", "bad_date"):
            continue
        text = fold(value)
        if _MARKERS.fullmatch(text):
            markers[value] = markers.get(value, 0) + 1
            issues.loc[i, ["reason", "message"]] = ["marker", f"{value}: 无数值 no value on purpose; left blank"]
            continue
        ref = _BACK_REFERENCE.fullmatch(text)
        fields = fields_of.get(issue["column"], [])
        if ref is None or not fields or issue["row"] not in positions.index:
            continue
        source = by_key.get(normalise_key(ref.group("id")))
        values = [frame.iloc[source][f] if source is not None else None for f in fields]
        if source is None or any(pd.isna(v) for v in values):
            unresolved += 1
            issues.loc[i, ["reason", "message"]] = [
                "unresolved_reference", f"引用的行没有数值 the referenced row (ID {ref.group('id')}) has no "
                                        "usable value; left blank"]
            continue
        for f, v in zip(fields, values):
            frame.iloc[positions[issue["row"]], frame.columns.get_loc(f)] = v
        resolved += 1
        issues = issues.drop(index=i)
    out = replace(extracted, frame=frame, issues=issues.reset_index(drop=True))
    return out, ReferenceCounts(resolved, unresolved, markers)


def _fields_by_header(mapping: dict[str, str]) -> dict[str, list[str]]:
    by_header: dict[str, list[str]] = {}
    for name, header in mapping.items():
        by_header.setdefault(header, []).append(name)
    return by_header
