"""Milestone dates from supplier files (pure): the columns a file may carry, and applying them.

Each milestone of the master's templates is a date column of the file, found by the template's name
(either half of ``面料到厂 Fabric in-house``), the code itself, ``schema.MILESTONE_ALIASES`` or
``--map CODE=Header``. A date on a row sync matched to an order line sets that line's milestone
``actual_date`` when the milestone is the supplier's (owner SUPPLIER); a milestone owned by us or the
customer is ours: a differing date is a conflict (logged, never applied), and where ours is blank it
is not imported (one issue says so). A blank or unreadable cell never erases a date. A date for a
milestone the line has no row for is an issue (run `gendan plan` first). Two files of one sync (or
two tables of one sheet) giving one line's milestone two dates: a conflict, neither applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.changes import log_rows, order_labels
from gendan_xl.model.flags import Owner
from gendan_xl.model.issues import Issue, Reason
from gendan_xl.ta.milestones import codes_of
from gendan_xl.rules.sync import CONFLICT_NOTE, SYNC_NOTE, Disputes
from gendan_xl.model.values import keys_of, line_keys_of, same_values



def milestone_fields(templates: pd.DataFrame) -> tuple[schema.Field, ...]:
    """One supplier-file date field per milestone code of ``templates`` (field name = the code)."""
    fields = []
    for code, name in templates.drop_duplicates("milestone")[["milestone", "name"]].itertuples(index=False):
        words = str(name).split()
        zh, en = (words[0], " ".join(words[1:])) if len(words) > 1 and not words[0].isascii() else (name, name)
        fields.append(schema.Field(code, zh, en, schema.DATE, schema.SUPPLIER,
                                   aliases=(code.lower(), *schema.MILESTONE_ALIASES.get(code, ()))))
    return tuple(fields)


def sync_table(templates: pd.DataFrame | None) -> schema.Table:
    """The Orders table widened by the milestone date fields (what a supplier file is read as)."""
    if templates is None or templates.empty:
        return schema.ORDERS
    return schema.Table(schema.ORDERS.key, schema.ORDERS.sheet, schema.ORDERS.name,
                        schema.ORDERS.fields + milestone_fields(templates), stated=schema.ORDERS.stated)


def suppliers_milestones(owners: dict[str, str]) -> tuple[str, ...]:
    """The milestone codes the supplier owns (``owners``: code -> owner code): their dates are applied."""
    return tuple(code for code, owner in owners.items() if owner == Owner.SUPPLIER)


@dataclass
class MilestoneSync:
    """The Milestones frame after one file, with the change-log rows and issues."""

    milestones: pd.DataFrame
    changes: list[dict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    changed: int = 0


def _keys(po, line, code) -> pd.Series:
    return (keys_of(pd.Series(po).reset_index(drop=True)) + "\x00"
            + line_keys_of(pd.Series(line).reset_index(drop=True)) + "\x00" + codes_of(code))


def sync_milestones(milestones: pd.DataFrame, incoming: pd.DataFrame, matched: pd.Series, orders: pd.DataFrame,
                    owners: dict[str, str], *, file: str, timestamp, headers: dict[str, str],
                    disputes: Disputes | None = None) -> MilestoneSync:
    """Apply the milestone columns of ``incoming`` (positions in ``matched``: the order sheet row each
    matched file row updates) to ``milestones`` (not modified; the result holds a copy).
    ``owners``: milestone code -> owner code (SUPPLIER, US, CUSTOMER); ``disputes``: the supplier's
    milestone dates the files of the sync disagree about (``sync.disputes``), conflicts applied by none."""
    disputes = disputes or Disputes()
    result = MilestoneSync(milestones.copy())
    codes = [c for c in owners if c in incoming.columns]
    if not codes or matched.empty:
        return result
    ms = result.milestones
    ms["actual_date"] = ms["actual_date"].astype("datetime64[us]")
    where = pd.Series(ms.index, index=_keys(ms["po_no"], ms["line"], ms["milestone"]).to_numpy())
    where = where[~where.index.duplicated()]
    rows = incoming.iloc[matched.index.to_numpy()]
    lines = orders.loc[matched.to_numpy()]
    for code in codes:
        new = pd.to_datetime(rows[code], errors="coerce").to_numpy()
        has = ~np.isnat(new)
        if not has.any():
            continue
        at = where.reindex(_keys(lines["po_no"], lines["line"], [code] * len(lines)).to_numpy()).to_numpy()
        missing = has & pd.isna(at)
        column = headers.get(code, code)
        result.issues += [Issue(file, s, int(r), column, str(pd.Timestamp(v).date()), Reason.NOT_IMPORTED,
                                f"订单行没有工序 {code}：请先运行 gendan plan — the order line has no milestone row "
                                f"{code}: run `gendan plan` first; not imported")
                          for s, r, v in zip(rows["_sheet"][missing], rows["_row"][missing], new[missing])]
        use = has & ~missing
        if not use.any():
            continue
        target = pd.Index(at[use].astype(int))
        old = ms.loc[target, "actual_date"]
        value = pd.Series(new[use].astype("datetime64[us]"), index=target)
        differs = ~same_values(old, value)
        log = pd.DataFrame({"timestamp": timestamp, "file": file, "sheet": rows["_sheet"].to_numpy()[use],
                            "source_row": rows["_row"].to_numpy()[use],
                            "order_key": order_labels(lines["po_no"].to_numpy()[use], lines["line"].to_numpy()[use])},
                           index=target)
        name = f"{code} {schema.MILESTONES.field('actual_date').header}"
        if owners[code] == Owner.SUPPLIER:
            line_rows = matched.to_numpy()[use]
            held = np.isin(line_rows, list(disputes.lines.get(code, ())))
            if held.any():
                changes, issues = disputes.conflicts(code, pd.Series(value.to_numpy()[held], index=line_rows[held]),
                                                     log[held], old[held], logged=name, header=name, column=column)
                result.changes += changes
                result.issues += issues
                differs &= ~held
            ms.loc[target[differs.to_numpy()], "actual_date"] = value[differs]
            result.changed += int(differs.sum())
            result.changes += log_rows(log[differs.to_numpy()], name, old[differs], value[differs], SYNC_NOTE)
            continue
        conflict = differs & old.notna()
        entries = log_rows(log[conflict.to_numpy()], name, old[conflict], value[conflict], CONFLICT_NOTE)
        result.changes += entries
        result.issues += [Issue(e["file"], e["sheet"], int(e["source_row"]), column, e["new"], Reason.CONFLICT,
                                f"冲突：{code} 由{Owner(owners[code]).zh}负责，未更新 conflict: {code} is owned by "
                                f"{owners[code].lower()}, not the supplier; not changed (master {e['old']}, "
                                f"supplier {e['new']})") for e in entries]
        blank = differs & old.isna()
        if blank.any():
            first = int(log.loc[blank.to_numpy(), "source_row"].iloc[0])
            result.issues.append(Issue(file, log["sheet"].iloc[0], first, column, None, Reason.NOT_IMPORTED,
                                       f"{code} 由{Owner(owners[code]).zh}负责：文件给出 {int(blank.sum())} 个日期，未导入 — "
                                       f"{code} is ours to enter ({owners[code].lower()}); the file gives "
                                       f"{int(blank.sum())} dates (first at row {first}); not imported"))
    return result
