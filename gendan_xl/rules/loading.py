"""Loading order lines from an ERP or hand-made export (pure): upsert by PO + line.

The line is compared as a line number (``values.line_key``: ``1.0``, ``01``, ``Line 1`` are line 1; a
sub-line ``1.1`` only itself). A new key is appended; a known key takes the file's non-blank values
(each change logged), but never rewrites the line's own PO or Line text; a row without a PO or a line
number, or repeating a key already in the file, is reported and not loaded, and so is a row whose key
is two lines of the master (``ambiguous_match``, e.g. lines ``1`` and ``01``).
A row whose PO + line is known but whose style or colour contradicts that line (both non-blank and
different, ``doc_match.contradicts``) is ``key_mismatch``: not loaded, with the message ``sync``
gives (both values, and the line PO + style + colour point to, if one).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.changes import HISTORY_FIELDS, eta_history, log_rows, order_labels, typed_column
from gendan_xl.rules.doc_match import IDENTITY, contradicts
from gendan_xl.model.issues import Issue, Reason
from gendan_xl.rules.sync import MasterKeys
from gendan_xl.model.values import display_text, keys_of, line_keys_of, same_values

LOADABLE = [f.name for f in schema.ORDERS.fields if f.owner in (schema.USER, schema.SUPPLIER)]
_KEY_FIELDS = schema.ORDERS.row_key   # what a known line is found by: never rewritten
NOTE = "导入更新 load update"


@dataclass
class LoadResult:
    """The master's lines after the load, the lines to append, and what was logged or reported."""

    orders: pd.DataFrame
    appended: pd.DataFrame
    fields: list[str]                      # the fields written on existing lines
    changes: list[dict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def order_keys(frame: pd.DataFrame) -> pd.Series:
    """``PO|line`` with both parts normalised (the line as a line number); ``|...`` when the PO is
    blank, ``...|`` when the line is (or the frame has no line column)."""
    line = frame["line"] if "line" in frame.columns else pd.Series(None, index=frame.index, dtype=object)
    return (keys_of(frame["po_no"]) + "|" + line_keys_of(line)).astype(object)


def load_rows(orders: pd.DataFrame, incoming: pd.DataFrame, *, file: str, timestamp: str) -> LoadResult:
    """Upsert ``incoming`` (ORDERS fields + ``_row``, ``_sheet``) into ``orders`` (indexed by sheet row)."""
    fields = [f for f in LOADABLE if f in incoming.columns]
    keys = order_keys(incoming)
    no_po = keys.str.startswith("|").to_numpy()
    no_line = keys.str.endswith("|").to_numpy() & ~no_po
    blank = no_po | no_line
    dup = (keys.duplicated(keep="first") & ~blank).to_numpy()
    updated = [f for f in fields if f not in _KEY_FIELDS]
    written = updated + (HISTORY_FIELDS if "eta" in fields else [])
    result = LoadResult(orders.copy(), incoming.iloc[:0][fields], written)
    where = incoming[["_sheet", "_row"]]
    for sheet, row in where[no_po].itertuples(index=False):
        result.issues.append(Issue(file, sheet, int(row), schema.ORDERS.field("po_no").header, None, Reason.BLANK_KEY,
                                   "没有 PO 号，未导入 no PO number: line not loaded"))
    for sheet, row, po in zip(*where[no_line].T.to_numpy(), incoming.loc[no_line, "po_no"]):
        result.issues.append(Issue(file, sheet, int(row), schema.ORDERS.field("line").header, display_text(po),
                                   Reason.BLANK_KEY,
                                   "没有行号，未导入 no line number: line not loaded (PO + line is the key; a row counter "
                                   "such as 序号 is not a line number, --map line=HEADER names the column that holds "
                                   "them)"))
    repeated = incoming.reindex(columns=["po_no", "line"])[dup]
    for (sheet, row), label in zip(where[dup].itertuples(index=False),
                                   order_labels(repeated["po_no"].map(display_text), repeated["line"])):
        result.issues.append(Issue(file, sheet, int(row), "PO + line", label, Reason.DUPLICATE,
                                   "文件中重复的订单行，只导入第一行 duplicate order line in the file: first one kept"))
    ours = pd.Series(orders.index, index=order_keys(orders).to_numpy())
    twice = (keys.isin(set(ours.index[ours.index.duplicated()])) & ~blank & ~dup).to_numpy()
    named = incoming.reindex(columns=["po_no", "line"])[twice]
    for sheet, row, po, line, key in zip(*where[twice].T.to_numpy(), named["po_no"], named["line"], keys[twice]):
        lines = orders.loc[ours.loc[[key]].to_numpy(), "line"].map(display_text)
        result.issues.append(Issue(file, sheet, int(row), "PO + line", f"{display_text(po)} / {display_text(line)}",
                                   Reason.AMBIGUOUS_MATCH,
                                   f"主表有 {len(lines)} 个订单行是此 PO + 行号，未导入 the master has {len(lines)} lines "
                                   f"with this PO + line ({', '.join(lines)}): not loaded; give each line its own "
                                   f"number"))
    usable = incoming[~blank & ~dup & ~twice]
    usable_keys = keys[~blank & ~dup & ~twice]
    existing = ours[~ours.index.duplicated(keep="first")]
    known = usable_keys.isin(existing.index).to_numpy()
    result.appended = usable.loc[~known, fields]
    if "eta" in fields:   # a new line's ETA history starts with its first ETA
        result.appended = result.appended.assign(first_eta=result.appended["eta"], prev_eta=pd.NaT)
    matched = usable[known].set_axis(pd.Index(existing[usable_keys[known]].to_numpy()))
    clash = _key_mismatches(result, orders, matched, file)
    matched = matched[~clash]
    log = pd.DataFrame({"timestamp": timestamp, "file": file, "sheet": matched["_sheet"].to_numpy(),
                        "source_row": matched["_row"].to_numpy(),
                        "order_key": order_labels(orders.loc[matched.index, "po_no"],
                                                  orders.loc[matched.index, "line"])}, index=matched.index)
    for name in updated:
        old, new = result.orders.loc[matched.index, name], typed_column(name, matched[name])
        changed = (new.notna() & ~same_values(old, new)).to_numpy()
        if changed.any():
            if name == "eta":
                eta_history(result.orders, matched.index[changed], old[changed], new[changed])
            result.orders.loc[matched.index[changed], name] = new[changed]
            result.changes += log_rows(log[changed], name, old[changed], new[changed], NOTE)
    return result


def _key_mismatches(result: LoadResult, orders: pd.DataFrame, matched: pd.DataFrame, file: str) -> np.ndarray:
    """Report the rows whose known PO + line has another style or colour; True for those rows."""
    names = [n for n in ("style", "color") if n in matched.columns]
    at = pd.RangeIndex(len(matched))
    clash = contradicts(pd.DataFrame({n: keys_of(matched[n]).to_numpy() for n in names}, index=at),
                        pd.DataFrame({n: keys_of(orders.loc[matched.index, n]).to_numpy() for n in names}, index=at))
    if clash.any():
        keys = MasterKeys(orders)
        rows = matched[clash].reindex(columns=["po_no", *IDENTITY, "qty", "_sheet", "_row"])
        for values in rows.to_dict("records"):
            sheet, row = values.pop("_sheet"), int(values.pop("_row"))
            _, problem = keys.match(values, float(values.pop("qty")))   # one line of the master: contradicted
            result.issues.append(replace(problem, file=file, sheet=sheet, row=row))
    return clash
