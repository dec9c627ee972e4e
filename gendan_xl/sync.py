"""Supplier sync (pure): match cleaned supplier rows to order lines, update supplier-owned fields,
report conflicts on user-owned fields, keep the ETA history; every change and problem as data.

Matching cascade (keys normalised with ``normalise_key``), first that applies to a supplier row:
1. PO + line, when the row has a line number;
2. PO + style + colour, then PO + style, when the row has a style;
3. PO alone, when the master has exactly one line for that PO.
A row matching several lines is ``ambiguous_match``; one matching none is ``unknown_order`` (with a
fuzzy suggestion, never applied); a second row for the same line in one file is ``duplicate``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from rapidfuzz import process

from . import schema
from .changes import eta_history, is_blank, key_of, keys_of, log_rows, same_column, shown, typed_column

SUPPLIER_FIELDS = [f.name for f in schema.ORDERS.fields if f.owner == schema.SUPPLIER]
USER_FIELDS = [f.name for f in schema.ORDERS.fields if f.owner == schema.USER]
_KEY_FIELDS = {"po_no", "line", "style", "color"}


@dataclass
class SyncResult:
    """The master orders after one file, with what changed and what could not be used."""

    orders: pd.DataFrame
    changes: list[dict] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)
    matched: int = 0
    changed_lines: set = field(default_factory=set)


def sync_rows(orders: pd.DataFrame, incoming: pd.DataFrame, *, file: str, timestamp: str,
              headers: dict[str, str] | None = None) -> SyncResult:
    """Apply one cleaned supplier file (``incoming``: ORDERS fields + ``_row``, ``_sheet``) to ``orders``.

    ``orders`` is indexed by the master's sheet row and is not modified; the result holds a copy.
    ``headers`` names the file's column for each field, for the issues.
    """
    headers = headers or {}
    result = SyncResult(orders.copy())
    keys = _MasterKeys(orders)
    sheets, rows = incoming["_sheet"].tolist(), incoming["_row"].astype(int).tolist()
    records = incoming.reindex(columns=["po_no", "line", "style", "color"]).astype(object).to_numpy().tolist()
    targets, sources = [], []
    seen: dict[int, int] = {}
    for pos, (po, line, style, color) in enumerate(records):
        where = dict(file=file, sheet=sheets[pos], row=rows[pos])
        target, problem = keys.match(po, line, style, color)
        if problem is None and target in seen:
            problem = _problem("PO", po, "duplicate", f"同一订单行已在第 {seen[target]} 行更新 the same order line "
                               f"was already updated by row {seen[target]}; this row is not used")
        if problem is not None:
            result.issues.append({**where, **problem})
            continue
        seen[target] = rows[pos]
        targets.append(target)
        sources.append(pos)
    result.matched = len(targets)
    if targets:
        matched = incoming.iloc[sources].set_axis(pd.Index(targets))
        log = pd.DataFrame({"timestamp": timestamp, "file": file, "sheet": matched["_sheet"].to_numpy(),
                            "source_row": matched["_row"].to_numpy(), "order_key": keys.labels(targets)},
                           index=matched.index)
        _apply_supplier_fields(result, matched, log)
        _report_user_fields(result, matched, log, headers)
    return result


def _apply_supplier_fields(result: SyncResult, matched: pd.DataFrame, log: pd.DataFrame) -> None:
    """Supplier-owned fields take the file's value; a blank or TBD never erases what we know."""
    orders = result.orders
    for name in SUPPLIER_FIELDS:
        if name not in matched.columns:
            continue
        old, new = orders.loc[matched.index, name], typed_column(name, matched[name])
        changed = new.notna() & ~same_column(old, new)
        if not changed.any():
            continue
        rows = changed.index[changed.to_numpy()]
        if name == "eta":
            eta_history(orders, rows, old[changed], new[changed])
        orders.loc[rows, name] = new[changed]
        result.changed_lines.update(rows)
        result.changes += log_rows(log[changed.to_numpy()], name, old[changed], new[changed], "同步 sync")


def _report_user_fields(result: SyncResult, matched: pd.DataFrame, log: pd.DataFrame, headers: dict) -> None:
    """A user-owned field that disagrees is a conflict (logged, never applied); where the master is
    blank the file's value is not imported and one summary issue says so."""
    orders = result.orders
    for name in USER_FIELDS:
        if name in _KEY_FIELDS or name not in matched.columns:
            continue
        old, new = orders.loc[matched.index, name], typed_column(name, matched[name])
        differs = new.notna() & ~same_column(old, new)
        header = schema.ORDERS.field(name).header
        column = headers.get(name, header)
        blank = differs & old.isna()
        if blank.any():
            first = int(log.loc[blank.to_numpy(), "source_row"].iloc[0])
            result.issues.append({"file": log["file"].iloc[0], "sheet": log["sheet"].iloc[0], "row": first,
                                  "column": column, "value": None, "reason": "not_imported",
                                  "message": f"文件有 {int(blank.sum())} 行提供了我方字段 {header}，主表为空，未导入 — "
                                             f"the file gives our field {header} for {int(blank.sum())} lines "
                                             f"where the master is blank (first at row {first}); not imported, "
                                             "ours to enter"})
        conflict = differs & old.notna()
        if not conflict.any():
            continue
        entries = log_rows(log[conflict.to_numpy()], name, old[conflict], new[conflict],
                            "冲突未应用 conflict, not applied")
        result.changes += entries
        result.issues += [{"file": e["file"], "sheet": e["sheet"], "row": e["source_row"], "column": column,
                           "value": e["new"], "reason": "conflict",
                           "message": f"冲突：{header} 是我方字段，未更新 conflict: {header} is ours and was not "
                                      f"changed (master {e['old']}, supplier {e['new']})"} for e in entries]


class _MasterKeys:
    """Normalised keys of the master's order lines, for the matching cascade."""

    def __init__(self, orders: pd.DataFrame):
        frame = pd.DataFrame({"po": keys_of(orders["po_no"]), "line": keys_of(orders["line"]),
                              "style": keys_of(orders["style"]), "color": keys_of(orders["color"])},
                             index=orders.index)
        self.by_line = _groups(frame, ["po", "line"])
        self.by_style_color = _groups(frame, ["po", "style", "color"])
        self.by_style = _groups(frame, ["po", "style"])
        self.by_po = _groups(frame, ["po"])
        self.po_choices = sorted(k[0] for k in self.by_po if k[0])
        self.raw = orders[["po_no", "line"]]

    def labels(self, targets: list[int]) -> list[str]:
        rows = self.raw.loc[targets]
        return [f"{po} / {shown(line)}" for po, line in zip(rows["po_no"], rows["line"])]

    def match(self, po_no, line_no, style_no, color_name) -> tuple[int | None, dict | None]:
        po = key_of(po_no)
        if not po:
            return None, _problem("PO", po_no, "blank_key", "没有 PO 号 no PO number")
        line, style, color = key_of(line_no), key_of(style_no), key_of(color_name)
        if line:
            candidates = self.by_line.get((po, line), [])
        elif style and color and (po, style, color) in self.by_style_color:
            candidates = self.by_style_color[(po, style, color)]
        elif style:
            candidates = self.by_style.get((po, style), [])
        else:
            candidates = self.by_po.get((po,), [])
        if len(candidates) == 1:
            return candidates[0], None
        text = " / ".join(shown(v) for v in (po_no, line_no, style_no, color_name) if not is_blank(v))
        if candidates:
            return None, _problem("PO", text, "ambiguous_match",
                                  f"匹配到 {len(candidates)} 个订单行 matches {len(candidates)} order lines; "
                                  "add the line number or style to the file")
        return None, _problem("PO", text, "unknown_order", "找不到订单 no such order line in the master"
                              + self._suggestion(po))

    def _suggestion(self, po: str) -> str:
        if not self.po_choices:
            return ""
        best = process.extractOne(po, self.po_choices, score_cutoff=80)
        if best is None:
            return ""
        target = self.by_po[(best[0],)][0]
        return f"; 可能是 did you mean {self.raw.at[target, 'po_no']} (score {best[1]:.0f})? — not applied"


def _groups(frame: pd.DataFrame, columns: list[str]) -> dict[tuple, list[int]]:
    """Sheet rows by key tuple, for keys whose parts are all present."""
    groups: dict[tuple, list[int]] = {}
    for row, key in zip(frame.index, zip(*(frame[c] for c in columns))):
        if all(key):
            groups.setdefault(key, []).append(row)
    return groups


def _problem(column, value, reason, message) -> dict:
    return {"column": column, "value": shown(value), "reason": reason, "message": message}
