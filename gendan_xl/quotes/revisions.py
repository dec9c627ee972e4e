"""Frozen quote revisions (pure): a revision the customer has — SENT or CONFIRMED in the master
(``QuoteStatus.is_frozen``) — is never edited by a load. A file row changing any of its values is an
Import Issues row asking for revision n+1, and nothing of that row is applied; a DRAFT (or a blank
status) is updated in place. gendan never writes a new revision itself.

What may still change on a frozen revision: its status moving on (SENT → CONFIRMED, LOST, CANCELLED;
never back to DRAFT, which would unfreeze it) and its remarks (our own notes).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.changes import typed_column
from gendan_xl.model.issues import Issue, Reason
from gendan_xl.model.trade_terms import QuoteStatus
from gendan_xl.model.values import display_text, map_distinct, same_values
from gendan_xl.rules.table_loading import loadable, row_keys

SPEC = schema.QUOTATIONS
FREE = ("remarks",)    # besides a status moving on, the one field a frozen revision may change


def frozen_changes(quotes: pd.DataFrame, incoming: pd.DataFrame, *, file: str) -> tuple[pd.DataFrame, list[Issue]]:
    """``incoming`` (a file's Quotations rows, with ``_sheet`` and ``_row``) without the rows that
    change a frozen revision of ``quotes`` (the master's rows, indexed by sheet row), and an issue per
    such row naming the first changed column, its new value and every changed column. A status written
    otherwise than the master's but reading as the same (``CONFIRMED`` for ``CONFIRMED 确认``) is kept
    as the master has it: no change to log."""
    incoming = _same_status_as_ours(quotes, incoming)
    keys = row_keys(SPEC, quotes)
    status = dict(zip(quotes.index, _statuses(quotes["status"]), strict=True))
    first = ~keys.duplicated(keep="first").to_numpy()      # a key twice in the table: the upsert refuses it
    frozen = quotes.index[first & np.array([s is not None and s.is_frozen for s in status.values()], dtype=bool)]
    by_key = pd.Series(frozen, index=keys[frozen].to_numpy())
    file_keys = row_keys(SPEC, incoming)
    hit = file_keys.isin(by_key.index) & file_keys.ne("")
    if not hit.any():
        return incoming, []
    rows = incoming[hit]
    ours = by_key[file_keys[hit]].to_numpy()
    changed = pd.DataFrame(False, index=rows.index, columns=[])
    for name in [f for f in loadable(SPEC) if f in rows.columns and f not in SPEC.row_key + FREE]:
        if name == "status":
            may = [s is not None and s.may_follow_frozen for s in _statuses(rows[name])]
            changed[name] = rows[name].map(display_text).notna() & ~pd.Series(may, index=rows.index, dtype=bool)
            continue
        new = typed_column(name, rows[name], SPEC)
        old = quotes.loc[ours, name].set_axis(rows.index)
        changed[name] = new.notna() & ~same_values(old, new)
    refused = changed.any(axis=1)
    issues = [_issue(file, rows.loc[label], changed.columns[changed.loc[label]].tolist(),
                     quotes.loc[master_row], status[master_row])
              for label, master_row in zip(rows.index, ours, strict=True) if refused[label]]
    return incoming.drop(index=refused.index[refused]), issues


def _same_status_as_ours(quotes: pd.DataFrame, incoming: pd.DataFrame) -> pd.DataFrame:
    if "status" not in incoming.columns or incoming.empty:
        return incoming
    keys = row_keys(SPEC, quotes)
    ours = quotes["status"][~keys.duplicated(keep="first")].set_axis(keys[~keys.duplicated(keep="first")].to_numpy())
    theirs = ours.reindex(row_keys(SPEC, incoming).to_numpy()).set_axis(incoming.index)
    same = [a is not None and a == b for a, b in zip(_statuses(incoming["status"]), _statuses(theirs), strict=True)]
    return incoming.assign(status=incoming["status"].astype(object).mask(np.array(same, dtype=bool), theirs))


def _statuses(values: pd.Series) -> list[QuoteStatus | None]:
    """Each cell's status, read from its code or its words (None: blank or unknown)."""
    return [QuoteStatus.read(v) for v in map_distinct(values, lambda v: display_text(QuoteStatus.read(v)), None)]


def _issue(file: str, row: pd.Series, changed: list[str], ours: pd.Series, status: QuoteStatus) -> Issue:
    revision = int(ours["revision"])
    headers = ", ".join(SPEC.header(name) for name in changed)
    return Issue(file, row["_sheet"], int(row["_row"]), SPEC.header(changed[0]), display_text(row[changed[0]]),
                 Reason.FROZEN_REVISION,
                 f"已报出的报价不可修改，请新建版本 {revision + 1} revision {revision} is {status.value}: make revision "
                 f"{revision + 1} (changed 改动: {headers}); 未导入此行 row not loaded")
