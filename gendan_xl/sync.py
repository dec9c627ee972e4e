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

import numpy as np
import pandas as pd
from rapidfuzz import process

from . import schema
from .importers.values import normalise_key

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
    blank_ours: dict = field(default_factory=dict)   # user field -> source rows where the master is blank


def sync_rows(orders: pd.DataFrame, incoming: pd.DataFrame, *, file: str, timestamp: str,
              headers: dict[str, str] | None = None) -> SyncResult:
    """Apply one cleaned supplier file (``incoming``: ORDERS fields + ``_row``, ``_sheet``) to ``orders``.

    ``orders`` is indexed by the master's sheet row and is not modified; the result holds a copy.
    ``headers`` names the file's column for each field, for the issues.
    """
    headers = headers or {}
    result = SyncResult(orders.copy())
    keys = _MasterKeys(orders)
    seen: dict[int, int] = {}
    for pos in range(len(incoming)):
        row = incoming.iloc[pos]
        where = dict(file=file, sheet=row.get("_sheet"), row=int(row["_row"]))
        target, problem = keys.match(row)
        if problem is not None:
            result.issues.append({**where, **problem})
            continue
        if target in seen:
            result.issues.append({**where, "column": "PO", "value": row.get("po_no"), "reason": "duplicate",
                                  "message": f"同一订单行已在第 {seen[target]} 行更新 the same order line was "
                                             f"already updated by row {seen[target]}; this row is not used"})
            continue
        seen[target] = where["row"]
        result.matched += 1
        _apply(result, target, row, keys.label(target), where, timestamp, headers)
    for name, rows in result.blank_ours.items():
        header = schema.ORDERS.field(name).header
        result.issues.append({"file": file, "sheet": incoming["_sheet"].iloc[0], "row": rows[0],
                              "column": headers.get(name, header), "value": None, "reason": "not_imported",
                              "message": f"文件有 {len(rows)} 行提供了我方字段 {header}，主表为空，未导入 — the file gives "
                                         f"our field {header} for {len(rows)} lines where the master is blank "
                                         f"(first at row {rows[0]}); not imported, ours to enter"})
    return result


def _apply(result: SyncResult, target: int, row: pd.Series, label: str, where: dict, timestamp: str,
           headers: dict[str, str]) -> None:
    orders = result.orders
    log = dict(timestamp=timestamp, file=where["file"], sheet=where["sheet"], source_row=where["row"],
               order_key=label)
    for name in SUPPLIER_FIELDS:
        if name not in row.index or is_blank(row[name]):
            continue   # a blank or TBD never erases what we know
        old, new = orders.at[target, name], _typed(name, row[name])
        if _same(old, new):
            continue
        if name == "eta":
            _eta_history(orders, target, old, new)
        orders.at[target, name] = new
        result.changed_lines.add(target)
        result.changes.append({**log, "field": name, "old": shown(old), "new": shown(new), "note": "同步 sync"})
    for name in USER_FIELDS:
        if name in _KEY_FIELDS or name not in row.index or is_blank(row[name]):
            continue
        old, new = orders.at[target, name], _typed(name, row[name])
        if _same(old, new):
            continue
        if is_blank(old):
            result.blank_ours.setdefault(name, []).append(where["row"])
            continue
        header = schema.ORDERS.field(name).header
        message = (f"冲突：{header} 是我方字段，未更新 conflict: {header} is ours and was not changed "
                   f"(master {shown(old) or '(blank)'}, supplier {shown(new)})")
        result.issues.append({**where, "column": headers.get(name, header), "value": shown(new), "reason": "conflict",
                              "message": message})
        result.changes.append({**log, "field": name, "old": shown(old), "new": shown(new),
                               "note": "冲突未应用 conflict, not applied"})


def _eta_history(orders: pd.DataFrame, target: int, old, new) -> None:
    """First ETA, the ETA before the latest change, and how often the ETA moved later."""
    if is_blank(orders.at[target, "first_eta"]):
        orders.at[target, "first_eta"] = old if not is_blank(old) else new
    if is_blank(old):
        return
    orders.at[target, "prev_eta"] = old
    if new > old:
        slips = orders.at[target, "eta_slips"]
        orders.at[target, "eta_slips"] = (0 if is_blank(slips) else slips) + 1


class _MasterKeys:
    """Normalised keys of the master's order lines, for the matching cascade."""

    def __init__(self, orders: pd.DataFrame):
        self.po = orders["po_no"].map(_key)
        frame = pd.DataFrame({"po": self.po, "line": orders["line"].map(_key),
                              "style": orders["style"].map(_key), "color": orders["color"].map(_key)},
                             index=orders.index)
        self.by_line = _groups(frame, ["po", "line"])
        self.by_style_color = _groups(frame, ["po", "style", "color"])
        self.by_style = _groups(frame, ["po", "style"])
        self.by_po = _groups(frame, ["po"])
        self.po_choices = sorted(k[0] for k in self.by_po if k[0])
        self.raw = orders[["po_no", "line"]]

    def label(self, target: int) -> str:
        po, line = self.raw.loc[target]
        return f"{po} / {shown(line)}"

    def match(self, row: pd.Series) -> tuple[int | None, dict | None]:
        po = _key(row.get("po_no"))
        if not po:
            return None, _problem("PO", row.get("po_no"), "blank_key", "没有 PO 号 no PO number")
        line, style, color = _key(row.get("line")), _key(row.get("style")), _key(row.get("color"))
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
        text = " / ".join(shown(v) for v in (row.get("po_no"), row.get("line"), row.get("style"),
                                               row.get("color")) if not is_blank(v))
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
    usable = frame[(frame[columns] != "").all(axis=1)]
    by = columns if len(columns) > 1 else columns[0]
    return {(k if isinstance(k, tuple) else (k,)): list(v) for k, v in usable.groupby(by).groups.items()}


def _problem(column, value, reason, message) -> dict:
    return {"column": column, "value": shown(value), "reason": reason, "message": message}


def _key(value) -> str:
    return "" if is_blank(value) else normalise_key(value)


def is_blank(value) -> bool:
    return value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)) or value == ""


def _typed(name: str, value):
    kind = schema.ORDERS.field(name).kind
    if kind == schema.DATE:
        return pd.Timestamp(value).normalize()
    if kind in (schema.INT, schema.NUMBER):
        return float(value)
    return str(value)


def _same(old, new) -> bool:
    if is_blank(old):
        return False
    if isinstance(new, float) and not isinstance(old, str):
        return bool(np.isclose(float(old), new, rtol=0, atol=1e-9))
    return bool(old == new)


def shown(value) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
