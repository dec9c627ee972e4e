"""Loading rows into any keyed gendan table (pure): upsert by the table's ``row_key``.

A key is compared part by part: a text as ``values.party_key`` compares names (case, width, spacing
and punctuation ignored: ``Q-2026-001`` is ``q 2026 001``), a number as a line number (revision ``2.0``
is revision 2), a date as its day. A new key is appended; a known key takes the file's non-blank
values (each change logged with the table and the row's key), never rewriting its key cells; a row
with a blank key part, repeating a key already in the file, or whose key is two rows of the table,
is reported and not loaded. Orders load through ``loading.py`` (their line and style rules).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.changes import log_rows, typed_column
from gendan_xl.model.issues import Issue, Reason
from gendan_xl.model.values import display_text, line_keys_of, map_distinct, party_key, same_values
from gendan_xl.rules.loading import NOTE   # the Change Log note of every load



@dataclass
class TableLoad:
    """The table's rows after the load, the rows to append, and what was logged or reported."""

    rows: pd.DataFrame
    appended: pd.DataFrame
    fields: list[str]                      # the fields written on existing rows
    changes: list[dict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def loadable(spec: schema.Table) -> list[str]:
    """The fields a file may give: the user's and the supplier's (never a computed or history field)."""
    return [f.name for f in spec.fields if f.owner in (schema.USER, schema.SUPPLIER)]


def key_parts(spec: schema.Table, frame: pd.DataFrame) -> pd.DataFrame:
    """Each row's key, one normalised text column per ``row_key`` field ('' where blank)."""
    parts = {}
    for name in spec.row_key:
        values = frame[name] if name in frame.columns else pd.Series(None, index=frame.index, dtype=object)
        kind = spec.field(name).kind
        if kind in (schema.INT, schema.NUMBER):
            parts[name] = line_keys_of(values)
        elif kind == schema.DATE:
            days = pd.to_datetime(values, errors="coerce")
            parts[name] = days.dt.strftime("%Y-%m-%d").astype(object).where(days.notna(), "")
        else:
            parts[name] = pd.Series(map_distinct(values, party_key, ""), index=frame.index, dtype=object)
    return pd.DataFrame(parts, index=frame.index)


def row_keys(spec: schema.Table, frame: pd.DataFrame, parts: pd.DataFrame | None = None) -> pd.Series:
    """Each row's whole key (its parts joined by ``|``; ``parts``: ``key_parts`` when known)."""
    parts = key_parts(spec, frame) if parts is None else parts
    keys = pd.Series("", index=frame.index, dtype=object)
    for k, name in enumerate(spec.row_key):
        keys = keys + ("|" if k else "") + parts[name]
    return keys.astype(object)


def key_labels(spec: schema.Table, frame: pd.DataFrame) -> list[str]:
    """The key as the Change Log's Order column shows it: its parts as written, `` / `` between."""
    columns = [frame[name].map(lambda v: display_text(v) or "") for name in spec.row_key]
    return [" / ".join(parts) for parts in zip(*columns)]


def upsert_rows(spec: schema.Table, rows: pd.DataFrame, incoming: pd.DataFrame, *, file: str,
                timestamp) -> TableLoad:
    """Upsert ``incoming`` (``spec`` fields + ``_row``, ``_sheet``) into ``rows`` (indexed by sheet row)."""
    fields = [f for f in loadable(spec) if f in incoming.columns]
    parts = key_parts(spec, incoming)
    keys = row_keys(spec, incoming)
    blank = (parts == "").any(axis=1).to_numpy()
    dup = (keys.duplicated(keep="first") & ~blank).to_numpy()
    updated = [f for f in fields if f not in spec.row_key]
    result = TableLoad(rows.copy(), incoming.iloc[:0][fields], updated)
    where = incoming[["_sheet", "_row"]]
    key_text = " + ".join(spec.header(n) for n in spec.row_key)
    labels = pd.Series(key_labels(spec, incoming.reindex(columns=list(spec.row_key))), index=incoming.index,
                       dtype=object)
    for pos in blank.nonzero()[0]:
        missing = next(n for n in spec.row_key if parts.iat[pos, spec.row_key.index(n)] == "")
        f = spec.field(missing)
        result.issues.append(Issue(file, where.iat[pos, 0], int(where.iat[pos, 1]), f.header, labels.iat[pos] or None,
                                   Reason.BLANK_KEY, f"没有{f.zh}，未导入 no {f.en}: row not loaded ({key_text} "
                                   f"is the key of {spec.sheet})"))
    for pos in dup.nonzero()[0]:
        result.issues.append(Issue(file, where.iat[pos, 0], int(where.iat[pos, 1]), key_text, labels.iat[pos],
                                   Reason.DUPLICATE, f"文件中重复的{spec.sheet}行，只导入第一行 the file repeats this "
                                   f"{key_text}: the first row is loaded"))
    ours = pd.Series(rows.index, index=row_keys(spec, rows).to_numpy())
    twice = (keys.isin(set(ours.index[ours.index.duplicated()])) & ~blank & ~dup).to_numpy()
    for pos in twice.nonzero()[0]:
        result.issues.append(Issue(file, where.iat[pos, 0], int(where.iat[pos, 1]), key_text, labels.iat[pos],
                                   Reason.AMBIGUOUS_MATCH, f"{spec.sheet} 有多行是此键，未导入 {spec.sheet} has "
                                   f"several rows with this {key_text}: not loaded; give each its own key"))
    usable = incoming[~blank & ~dup & ~twice]
    usable_keys = keys[~blank & ~dup & ~twice]
    existing = ours[~ours.index.duplicated(keep="first")]
    known = usable_keys.isin(existing.index).to_numpy()
    result.appended = usable.loc[~known, fields]
    matched = usable[known].set_axis(pd.Index(existing[usable_keys[known]].to_numpy()))
    log = pd.DataFrame({"timestamp": timestamp, "file": file, "sheet": matched["_sheet"].to_numpy(),
                        "source_row": matched["_row"].to_numpy(), "table": spec.key,
                        "order_key": key_labels(spec, rows.loc[matched.index])}, index=matched.index)
    for name in updated:
        old, new = result.rows.loc[matched.index, name], typed_column(name, matched[name], spec)
        changed = (new.notna() & ~same_values(old, new)).to_numpy()
        if changed.any():
            result.rows.loc[matched.index[changed], name] = new[changed]
            result.changes += log_rows(log[changed], name, old[changed], new[changed], NOTE)
    return result
