"""What every sync of a file into a table other than Orders shares (pure): the rows a file gives, the
values it gives for the rows it matched (``given``), the files disagreeing (``disputed``), a value
applied, a conflict and our fields (``ours``) as Change Log rows and issues. ``samples/supplier_sync.py``
(a supplier's sample file) and ``shipments/forwarder_sync.py`` (a booking confirmation, a packing
list) say which field is whose and what a file may change.

``Sides`` words the messages: our table (``ours``: "register"), the file's sender (``theirs``:
"supplier") and what a row of the table is (``rows``: "rounds")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import datetime as dt

import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.changes import typed_column
from gendan_xl.model.flags import Coded
from gendan_xl.model.issues import Issue, Reason
from gendan_xl.model.values import display_text, is_blank, party_key, same_values
from gendan_xl.rules.sync import CONFLICT_NOTE, SYNC_NOTE

Typed = Callable[[str, pd.Series], tuple[pd.Series, pd.Series]]


@dataclass(frozen=True)
class SyncFile:
    """One file's rows as read: the table's fields (dates in the file's order), ``_sheet`` and
    ``_row``; ``headers`` the file's header of each field."""

    file: str
    frame: pd.DataFrame
    headers: dict[str, str]


@dataclass(frozen=True)
class Sides:
    """The table a sync writes and the words of its messages (see the module)."""

    spec: schema.Table
    ours: str          # our table, in English ("register")
    ours_zh: str       # and in Chinese ("样品登记表")
    theirs: str        # who sends the file ("supplier")
    rows: str          # what a row of the table is, plural ("rounds")


@dataclass
class FileCounts:
    """One file's rows, the rows of the table they matched, and its values applied, already held,
    and in conflict."""

    rows: int = 0
    matched: int = 0
    applied: int = 0
    kept: int = 0
    conflicts: int = 0


@dataclass
class TableSync:
    """The table's rows after the files (indexed like the table), the fields written, the Change
    Log rows, the issues, and the counts of each file (by name)."""

    rows: pd.DataFrame
    fields: list[str]
    changes: list[dict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    counts: dict[str, FileCounts] = field(default_factory=dict)


def typed_values(spec: schema.Table, name: str, values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """A field's values as written (dates at midnight, numbers, text as shown) and as compared (text
    as names are compared)."""
    if spec.field(name).kind == schema.TEXT:
        shown = values.map(display_text).astype(object)
        return shown, shown.map(lambda v: None if v is None else party_key(v)).astype(object)
    typed = typed_column(name, values, spec)
    return typed, typed


def said_frame() -> pd.DataFrame:
    """The values the files give, one row each: the table row, the field, the value (typed), the
    value as compared, and where it was given."""
    return pd.DataFrame(columns=["target", "name", "value", "key", "file", "sheet", "row", "column"])


def given(one: SyncFile, targets: np.ndarray, names: list[str], typed: Typed, spec: schema.Table) -> pd.DataFrame:
    """The values of ``names`` that ``one`` gives for the rows it matched (``targets``: the table's
    row of each file row, -1 where none), as ``said_frame`` rows."""
    found = targets >= 0
    kept = one.frame[found]
    out = []
    for name in names:
        if name not in kept.columns:
            continue
        value, key = typed(name, kept[name])
        has = value.notna().to_numpy()
        out.append(pd.DataFrame({"target": targets[found][has], "name": name, "value": value[has].to_numpy(),
                                 "key": key[has].to_numpy(), "file": one.file, "sheet": kept["_sheet"].to_numpy()[has],
                                 "row": kept["_row"].to_numpy()[has],
                                 "column": one.headers.get(name, spec.header(name))}))
    return pd.concat(out, ignore_index=True) if out else said_frame()


def disputed(result: TableSync, sides: Sides, said: pd.DataFrame, labels: dict, typed: Typed,
             timestamp) -> pd.DataFrame:
    """``said`` without the values of the rows' fields the files disagree about: each such row a
    ``conflict`` naming every file, row and value (logged where it differs from the table)."""
    if said.empty:
        return said
    spec = sides.spec
    split = (said.groupby(["target", "name"])["key"].transform("nunique") > 1).to_numpy()
    for (target, name), rows in said[split].groupby(["target", "name"], sort=False):
        listed = "; ".join(f"{r.file} [{r.sheet}] row {r.row}: {display_text(r.value)}" for r in rows.itertuples())
        old = result.rows.at[target, name]
        ours = typed(name, pd.Series([old], dtype=object))[1].iat[0]
        for _, rec in rows.iterrows():
            if is_blank(ours) or ours != rec["key"]:
                result.changes.append(log_row(spec, rec, target, name, old, rec["value"], CONFLICT_NOTE, labels,
                                              timestamp))
            result.issues.append(Issue(rec["file"], rec["sheet"], int(rec["row"]), rec["column"],
                                       display_text(rec["value"]), Reason.CONFLICT,
                                       f"冲突：文件之间不一致，未应用 conflict: the files disagree about "
                                       f"{spec.header(name)} of {labels[target]} ({listed}); not applied"))
            result.counts[rec["file"]].conflicts += 1
    return said[~split].reset_index(drop=True)


def apply_value(result: TableSync, spec: schema.Table, rec: pd.Series, target, name: str, value, labels: dict,
                timestamp) -> dict:
    """Write ``value`` into the row's field, logged; returns the applied value with its place."""
    old = result.rows.at[target, name]
    result.rows.at[target, name] = value
    result.changes.append({**log_row(spec, rec, target, name, old, value, SYNC_NOTE, labels, timestamp),
                           "_target": target})
    result.counts[rec["file"]].applied += 1
    return {**rec.to_dict(), "target": target, "name": name, "value": value, "old": old}


def log_row(spec: schema.Table, rec: pd.Series, target, name: str, old, new, note: str, labels: dict,
            timestamp) -> dict:
    """The Change Log row of a value the file at ``rec`` gives for the table's row ``target``."""
    return {"timestamp": timestamp, "file": rec["file"], "sheet": rec["sheet"], "source_row": int(rec["row"]),
            "table": spec.key, "order_key": labels[target], "field": name, "old": display_text(old),
            "new": display_text(new), "note": note}


def conflict(result: TableSync, sides: Sides, rec: pd.Series, target, name: str, old, labels: dict, timestamp,
             why: str) -> None:
    """A value of the file other than the table's, not applied: a Change Log row and an issue."""
    result.changes.append(log_row(sides.spec, rec, target, name, old, rec["value"], CONFLICT_NOTE, labels, timestamp))
    header = sides.spec.header(name)
    result.issues.append(Issue(rec["file"], rec["sheet"], int(rec["row"]), rec["column"], display_text(rec["value"]),
                               Reason.CONFLICT, f"冲突：{header} 未更新 conflict: {header} of {labels[target]} not "
                               f"changed ({sides.ours} {display_text(old)}, {sides.theirs} "
                               f"{display_text(rec['value'])}); {why}"))
    result.counts[rec["file"]].conflicts += 1


def ours(result: TableSync, sides: Sides, values: pd.DataFrame | None, name: str, labels: dict, typed: Typed,
         timestamp) -> None:
    """Our field ``name`` (``values``: the first value given per row, indexed by target): a value other
    than the table's is a conflict; where the table is blank, one ``not_imported`` issue per file."""
    if values is None:
        return
    held = typed(name, result.rows.loc[values.index, name])[0]
    differs = ~same_values(held, typed(name, values["value"])[0])
    header = sides.spec.header(name)
    for file, rows in values[differs.to_numpy() & held.isna().to_numpy()].groupby("file", sort=False):
        first = rows.sort_values("row").iloc[0]
        result.issues.append(Issue(file, first["sheet"], int(first["row"]), first["column"], None, Reason.NOT_IMPORTED,
                                   f"文件有 {len(rows)} 行提供了我方字段 {header}，{sides.ours_zh}为空，未导入 — the file "
                                   f"gives our field {header} for {len(rows)} {sides.rows} where the {sides.ours} "
                                   f"is blank (first at row {int(first['row'])}); not imported, ours to enter"))
    for target, rec in values[differs.to_numpy() & held.notna().to_numpy()].iterrows():
        conflict(result, sides, rec, target, name, result.rows.at[target, name], labels, timestamp,
                 f"{header} 是我方字段 is ours")


def readable(issues: list[Issue], said: pd.DataFrame, statuses: type[Coded], date_field: str, as_of: dt.date,
             too_late: str) -> pd.DataFrame:
    """``said`` (the values a file gives, ``key`` the status's code where ``name`` is status) without a
    status that is none of ``statuses``, nor a ``date_field`` after the as-of date: each an issue
    (``too_late``: what such a date means, both languages) added to ``issues``."""
    status = (said["name"] == "status").to_numpy()
    unknown = status & said["key"].isna().to_numpy()
    for rec in said[unknown].itertuples():
        issues.append(Issue(rec.file, rec.sheet, int(rec.row), rec.column, rec.value, Reason.UNKNOWN_CODE,
                            "未知状态 unknown status: one of " + ", ".join(s.label for s in statuses)
                            + "; 未应用 not applied"))
    dated = (said["name"] == date_field).to_numpy()
    late = dated & (pd.to_datetime(said["value"].where(dated)) > pd.Timestamp(as_of)).to_numpy()
    for rec in said[late].itertuples():
        issues.append(Issue(rec.file, rec.sheet, int(rec.row), rec.column, display_text(rec.value),
                            Reason.IMPLAUSIBLE_DATE, too_late.format(as_of=as_of) + "; not applied"))
    return said[~unknown & ~late].reset_index(drop=True)
