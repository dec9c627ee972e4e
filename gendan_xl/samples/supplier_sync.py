"""A supplier's sample file into the 样品 Samples register (pure): sent date, courier and tracking
number of the rounds we have; every change and problem as data.

- A file row is a round of the register when its sample number and round are one row's
  (``table_loading.row_keys``: ``s-12`` is ``S-12``, round ``2.0`` is 2). A round the register does not
  have is ``unknown_round`` (a supplier's file never adds rounds); a round given twice in a file is
  ``duplicate`` (the first row is used); a key two rows of the register have is ``ambiguous_match``.
- The supplier's fields (``sent_date``, ``courier``, ``awb``) fill what the round lacks. A sent date or
  tracking number other than the one recorded is a ``conflict``, not applied (the courier given with a
  conflicting tracking number neither); another courier spelling is the supplier's to correct. A sent
  date after the as-of date is ``implausible_date`` (not sent yet).
- Status: a PENDING round whose sent date the file brings (or that the file says is SENT, its sent date
  known) becomes SENT. The file saying what the round already is, or SENT of a round the customer has
  since received or answered, changes nothing; any other status (an answer, a receipt, a cancellation,
  PENDING of a sent round) is the customer's or ours: a ``conflict``, not applied. So are the file's
  values of our other fields (received date, status date, qty, comments …) that differ from the
  register's; where the register is blank, one ``not_imported`` issue per field says so.
- One truth per round: where the files of a sync give one round's field different values, none is
  applied and each row giving one is a ``conflict`` naming every file, row and value.
- A round the register cannot apply once changed (``register.read_register``: received or answered
  before it was sent, dated before an earlier round …) is left as it was: each new problem is an
  issue naming the file's row and the column that brought it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.issues import Issue, Reason
from gendan_xl.model.samples import SampleStatus
from gendan_xl.model.values import display_text, is_blank, party_key
from gendan_xl.rules.table_loading import key_labels, key_parts, row_keys
from gendan_xl.rules.table_sync import (FileCounts, Sides, SyncFile as SampleFile, TableSync as SampleSync,
                                        apply_value, conflict, disputed, given, ours, readable, said_frame,
                                        typed_values)
from gendan_xl.samples.register import read_register

SPEC = schema.SAMPLES
SIDES = Sides(SPEC, "register", "样品登记表", "supplier", "rounds")
SUPPLIERS = [f.name for f in SPEC.fields if f.owner == schema.SUPPLIER]        # sent_date, courier, awb
OURS = [f.name for f in SPEC.fields if f.owner == schema.USER and f.name not in (*SPEC.row_key, "status")]
_TEXT = ("courier", "awb")
_SENT, _PENDING = SampleStatus.SENT, SampleStatus.PENDING
_AFTER_SENT = {s.value for s in (SampleStatus.RECEIVED, SampleStatus.APPROVED, SampleStatus.REJECTED)}


def sync_samples(samples: pd.DataFrame, files: list[SampleFile], orders: pd.DataFrame, *, as_of: dt.date,
                 timestamp) -> SampleSync:
    """Apply ``files`` to ``samples`` (the register's rows, indexed by sheet row; not modified) as the
    module says; ``orders`` are the order lines the register checks rounds against."""
    result = SampleSync(samples.astype({name: object for name in ("status", *_TEXT)}), ["status", *SUPPLIERS])
    held = pd.Series(samples.index, index=row_keys(SPEC, samples).to_numpy())
    found = []
    for one in files:
        result.counts[one.file] = FileCounts(rows=len(one.frame))
        found.append(_matched(result, one, held, samples, as_of))
    said = pd.concat(found, ignore_index=True) if found else said_frame()
    said = said.sort_values(["file", "sheet", "row"], kind="stable", ignore_index=True)   # not the files' order
    labels = dict(zip(samples.index, key_labels(SPEC, samples)))
    said = disputed(result, SIDES, said, labels, _typed, timestamp)
    applied = _applied(result, said, labels, timestamp)
    _refuse(result, samples, orders, applied)
    return result


def _matched(result: SampleSync, one: SampleFile, held: pd.Series, samples: pd.DataFrame,
             as_of: dt.date) -> pd.DataFrame:
    """The values ``one`` gives for the rounds it matches (``said_frame``), its unusable rows as issues."""
    frame, file = one.frame, one.file
    parts, keys = key_parts(SPEC, frame), row_keys(SPEC, frame)
    sheets, rows = frame["_sheet"].to_numpy(), frame["_row"].to_numpy()
    labels = key_labels(SPEC, frame.reindex(columns=list(SPEC.row_key)))
    twice = set(held.index[held.index.duplicated()])
    first = held[~held.index.duplicated()]
    seen: dict[str, int] = {}
    targets = np.full(len(frame), -1, dtype=np.int64)
    round_header = one.headers.get("round", SPEC.header("round"))
    key_header = " + ".join(one.headers.get(n, SPEC.header(n)) for n in SPEC.row_key)
    for pos, key in enumerate(keys):
        where = (file, sheets[pos], int(rows[pos]))
        if parts["sample_no"].iat[pos] == "":
            continue   # the file's reader already names the row (blank_key)
        if parts["round"].iat[pos] == "":
            result.issues.append(Issue(*where, round_header, None, Reason.BLANK_KEY,
                                       f"没有{SPEC.field('round').zh}，未应用 no round (1, 2, …): row not applied"))
        elif key in seen:
            result.issues.append(Issue(*where, key_header, labels[pos], Reason.DUPLICATE,
                                       f"同一轮次已在第 {seen[key]} 行 the same round was given by row {seen[key]}; "
                                       "this row is not used"))
        elif key in twice:
            result.issues.append(Issue(*where, key_header, labels[pos], Reason.AMBIGUOUS_MATCH,
                                       f"{SPEC.sheet} 有多行是此键，未应用 {SPEC.sheet} has several rows with this "
                                       f"sample number and round: not applied; give each its own key"))
        elif key not in first.index:
            result.issues.append(Issue(*where, key_header, labels[pos], Reason.UNKNOWN_ROUND,
                                       _unknown(parts["sample_no"].iat[pos], labels[pos], held, samples)))
        else:
            targets[pos] = first[key]
            seen[key] = int(rows[pos])
    found = targets >= 0
    result.counts[file].matched = int(found.sum())
    said = given(one, targets, [*SUPPLIERS, "status", *OURS], _typed, SPEC)
    return readable(result.issues, said, SampleStatus, "sent_date", as_of,
                    "寄出日期晚于截至日期 {as_of} the sent date is after the as-of date {as_of}: not sent yet")


def _unknown(number: str, label: str, held: pd.Series, samples: pd.DataFrame) -> str:
    """The message of a round the register does not have, naming the rounds it has of the sample."""
    mine = held[[key.split("|")[0] == number for key in held.index]]
    rounds = ", ".join(sorted({display_text(samples.at[row, "round"]) or "" for row in mine}, key=_round_order))
    have = (f"样品登记表有第 {rounds} 轮 the register has round(s) {rounds} of this sample" if rounds else
            "样品登记表中没有此样品 the register has no such sample")
    return (f"找不到 {label} no such round in {SPEC.sheet}; {have}; 供应商文件不新增轮次 a supplier's file does not "
            "add rounds: not applied")


def _round_order(text: str) -> tuple:
    try:
        return (0, float(text))
    except ValueError:
        return (1, text)


def _typed(name: str, values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """A field's values as written (dates at midnight, numbers, text as shown, a status as its label)
    and as compared (text as names are compared, a status as its code: None when it is no status)."""
    if name == "status":
        read = [(None, None) if is_blank(v) else _status_of(v) for v in values.tolist()]
        return (pd.Series([shown for shown, _ in read], index=values.index, dtype=object),
                pd.Series([code for _, code in read], index=values.index, dtype=object))
    return typed_values(SPEC, name, values)


def _status_of(value) -> tuple[str, str | None]:
    """A status cell as written (its label) and its code; a cell that is no status as shown, None."""
    member = SampleStatus.read(value)
    return (display_text(value), None) if member is None else (member.label, member.value)


def _applied(result: SampleSync, said: pd.DataFrame, labels: dict, timestamp) -> pd.DataFrame:
    """Apply the first value given for each round's field as the module says; returns the applied
    values (``said`` rows)."""
    rows = result.rows
    first = said.drop_duplicates(["target", "name"])
    by = {name: part.set_index("target") for name, part in first.groupby("name")}
    applied, refused_awb = [], set()
    for name in ("sent_date", "awb", "courier"):
        for target, rec in by.get(name, pd.DataFrame()).iterrows():
            old = rows.at[target, name]
            if name == "courier" and target in refused_awb:
                continue   # the courier of another parcel than the one recorded
            if _same(name, old, rec["value"]):
                result.counts[rec["file"]].kept += 1
            elif is_blank(old) or name == "courier":
                applied.append(apply_value(result, SPEC, rec, target, name, rec["value"], labels, timestamp))
            else:
                if name == "awb":
                    refused_awb.add(target)
                conflict(result, SIDES, rec, target, name, old, labels, timestamp,
                          "供应商只填补空白，不改已记录的值 a supplier's file fills what the round lacks and does not "
                          "change what is recorded" + ("; the courier given with it is not applied either"
                                                       if name == "awb" else ""))
    _status(result, by, applied, labels, timestamp)
    for name in OURS:
        ours(result, SIDES, by.get(name), name, labels, _typed, timestamp)
    return pd.DataFrame(applied, columns=[*said.columns, "old"])


def _same(name: str, old, new) -> bool:
    """True when the register's ``old`` is the file's ``new`` (text as names are compared, a date by its day)."""
    if is_blank(old):
        return False
    if name in _TEXT:
        return party_key(display_text(old)) == party_key(new)
    return pd.Timestamp(old).normalize() == pd.Timestamp(new).normalize()


def _status(result: SampleSync, by: dict, applied: list[dict], labels: dict, timestamp) -> None:
    """A PENDING round sent becomes SENT; any other status of the file is kept or a conflict."""
    rows = result.rows
    dated = {a["target"]: a for a in applied if a["name"] == "sent_date"}
    said = by.get("status", pd.DataFrame(columns=["key", "file"]))
    for target in sorted(set(dated) | set(said.index)):
        old = rows.at[target, "status"]
        member = _PENDING if is_blank(old) else SampleStatus.read(old)
        current = member and member.value
        given = said.loc[target] if target in said.index else None
        says_sent = given is not None and given["key"] == _SENT.value
        if current == _PENDING.value and (target in dated or says_sent):
            if is_blank(rows.at[target, "sent_date"]):
                result.issues.append(Issue(given["file"], given["sheet"], int(given["row"]), given["column"],
                                           given["value"], Reason.MISSING_VALUE,
                                           "已寄须有寄出日期 a sent round needs its sent date: the status is not "
                                           "changed; give the sent date"))
                continue
            rec = pd.Series(dated[target]) if target in dated else given
            applied.append(apply_value(result, SPEC, rec, target, "status", _SENT.label, labels, timestamp))
            if given is None or says_sent:
                continue
        if given is None:
            continue
        if given["key"] == current or says_sent and current in _AFTER_SENT:
            result.counts[given["file"]].kept += 1
        else:
            conflict(result, SIDES, given, target, "status", old, labels, timestamp,
                      "供应商文件只把待寄改为已寄；签收和批复是客户的 a supplier's file only turns a pending round "
                      "into a sent one; receipt and answers are the customer's")


def _refuse(result: SampleSync, samples: pd.DataFrame, orders: pd.DataFrame, applied: pd.DataFrame) -> None:
    """Leave as it was each changed round the register would newly find bad; its problems as issues
    naming the file's row and the column that brought the change."""
    if applied.empty:
        return
    touched = pd.Index(applied["target"].unique())
    before = _problems(read_register(samples, orders, file=None), samples.index)
    after = _problems(read_register(result.rows, orders, file=None), samples.index)
    headers = {SPEC.header(f.name): f.name for f in SPEC.fields}
    for target in touched:
        new = [issue for issue in after.get(target, []) if (issue.column, issue.reason) not in
               {(i.column, i.reason) for i in before.get(target, [])}]
        if not new:
            continue
        mine = applied[applied["target"] == target]
        for name in mine["name"]:
            result.rows.at[target, name] = samples.at[target, name]
        result.changes = [c for c in result.changes if c.get("_target", None) != target]
        for file, count in mine["file"].value_counts().items():
            result.counts[file].applied -= int(count)
        for issue in new:
            name = headers.get(issue.column)
            place = mine[mine["name"] == name]
            place = place.iloc[0] if len(place) else mine.iloc[0]
            result.issues.append(Issue(place["file"], place["sheet"], int(place["row"]), place["column"],
                                       display_text(place["value"]), issue.reason, issue.message))


def _problems(register, index: pd.Index) -> dict:
    """The register's issues by the row label they are about."""
    found: dict = {}
    for issue, pos in zip(register.issues, register.issue_at):
        found.setdefault(index[pos], []).append(issue)
    return found
