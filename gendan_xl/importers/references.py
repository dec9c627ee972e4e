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

from gendan_xl.importers.extract import Extracted
from gendan_xl.model.issues import Reason
from gendan_xl.model.values import fold, is_missing, line_key

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
    frame = extracted.frame.copy()
    fields_of = _fields_by_header(extracted.mapping)
    position = {row: pos for pos, row in enumerate(frame["_row"].tolist())}
    by_key = {}
    if key in frame.columns:
        by_key = {k: pos for pos, k in enumerate(frame[key].map(line_key).tolist()) if k}
    kept, fills = [], {}
    resolved = unresolved = 0
    markers: dict[str, int] = {}
    for issue in extracted.issue_list():
        value = issue.value
        if not isinstance(value, str) or issue.reason not in (Reason.BAD_NUMBER, Reason.BAD_DATE):
            kept.append(issue)
            continue
        text = fold(value)
        ref = _BACK_REFERENCE.fullmatch(text)
        fields = fields_of.get(issue.column, [])
        if _MARKERS.fullmatch(text):
            markers[value] = markers.get(value, 0) + 1
            kept.append(replace(issue, reason=Reason.MARKER, message=f"{value}: 无数值 no value on purpose; left blank"))
        elif ref is None or not fields or issue.row not in position:
            kept.append(issue)
        else:
            source = by_key.get(line_key(ref.group("id")))
            values = [None if source is None else frame[f].iat[source] for f in fields]
            if any(map(is_missing, values)):
                unresolved += 1
                kept.append(replace(issue, reason=Reason.UNRESOLVED_REFERENCE,
                                    message=f"引用的行没有数值 the referenced row (ID {ref.group('id')}) has no "
                                            "usable value; left blank"))
            else:
                resolved += 1
                for f, v in zip(fields, values):
                    fills.setdefault(f, {})[position[issue.row]] = v
    for f, cells in fills.items():
        column = frame[f].copy()
        column.iloc[list(cells)] = list(cells.values())
        frame[f] = column
    issues = pd.DataFrame([i.table_row() for i in kept], columns=extracted.issues.columns).astype(
        extracted.issues.dtypes.to_dict())
    return replace(extracted, frame=frame, issues=issues), ReferenceCounts(resolved, unresolved, markers)


def _fields_by_header(mapping: dict[str, str]) -> dict[str, list[str]]:
    by_header: dict[str, list[str]] = {}
    for name, header in mapping.items():
        by_header.setdefault(header, []).append(name)
    return by_header
