"""Loading order lines from an ERP or hand-made export (pure): upsert by PO + line.

A new key is appended; a known key takes the file's non-blank values (each change logged); a row
without a PO, or repeating a key already in the file, is reported and not loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import schema
from .changes import HISTORY_FIELDS, eta_history, keys_of, log_rows, same_column, typed_column

LOADABLE = [f.name for f in schema.ORDERS.fields if f.owner in (schema.USER, schema.SUPPLIER)]
NOTE = "导入更新 load update"


@dataclass
class LoadResult:
    """The master's lines after the load, the lines to append, and what was logged or reported."""

    orders: pd.DataFrame
    appended: pd.DataFrame
    fields: list[str]                      # the fields written on existing lines
    changes: list[dict] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)


def order_keys(frame: pd.DataFrame) -> pd.Series:
    """``PO|line`` with both parts normalised; ``|...`` when the PO is blank."""
    return (keys_of(frame["po_no"]) + "|" + keys_of(frame["line"])).astype(object)


def load_rows(orders: pd.DataFrame, incoming: pd.DataFrame, *, file: str, timestamp: str) -> LoadResult:
    """Upsert ``incoming`` (ORDERS fields + ``_row``, ``_sheet``) into ``orders`` (indexed by sheet row)."""
    fields = [f for f in LOADABLE if f in incoming.columns]
    keys = order_keys(incoming)
    blank = keys.str.startswith("|").to_numpy()
    dup = (keys.duplicated(keep="first") & ~blank).to_numpy()
    written = fields + (HISTORY_FIELDS if "eta" in fields else [])
    result = LoadResult(orders.copy(), incoming.iloc[:0][fields], written)
    where = incoming[["_sheet", "_row"]]
    for sheet, row in where[blank].itertuples(index=False):
        result.issues.append({"file": file, "sheet": sheet, "row": int(row), "column": schema.ORDERS.field("po_no").header,
                              "value": None, "reason": "blank_key",
                              "message": "没有 PO 号，未导入 no PO number: line not loaded"})
    for (sheet, row), key in zip(where[dup].itertuples(index=False), keys[dup]):
        result.issues.append({"file": file, "sheet": sheet, "row": int(row), "column": "PO + line", "value": key,
                              "reason": "duplicate",
                              "message": "文件中重复的订单行，只导入第一行 duplicate order line in the file: first one kept"})
    usable = incoming[~blank & ~dup]
    usable_keys = keys[~blank & ~dup]
    existing = pd.Series(orders.index, index=order_keys(orders).to_numpy())
    existing = existing[~existing.index.duplicated(keep="first")]
    known = usable_keys.isin(existing.index).to_numpy()
    result.appended = usable.loc[~known, fields]
    if "eta" in fields:   # a new line's ETA history starts with its first ETA
        result.appended = result.appended.assign(first_eta=result.appended["eta"], prev_eta=pd.NaT)
    matched = usable[known].set_axis(pd.Index(existing[usable_keys[known]].to_numpy()))
    log = pd.DataFrame({"timestamp": timestamp, "file": file, "sheet": matched["_sheet"].to_numpy(),
                        "source_row": matched["_row"].to_numpy(),
                        "order_key": usable_keys[known].to_numpy()}, index=matched.index)
    for name in fields:
        old, new = result.orders.loc[matched.index, name], typed_column(name, matched[name])
        changed = (new.notna() & ~same_column(old, new)).to_numpy()
        if changed.any():
            if name == "eta":
                eta_history(result.orders, matched.index[changed], old[changed], new[changed])
            result.orders.loc[matched.index[changed], name] = new[changed]
            result.changes += log_rows(log[changed], name, old[changed], new[changed], NOTE)
    return result
