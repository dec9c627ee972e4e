"""Supplier sync (pure): match cleaned supplier rows to order lines, update supplier-owned fields,
report conflicts on user-owned fields, keep the ETA history; every change and problem as data.

Identity rule: a row is applied only to a line that none of its identifying values contradicts.
Those are the PO, line, style and colour, compared after ``normalise_key`` (the line after
``line_key``: ``1.0``, ``01`` and ``Line 1`` are line 1, a sub-line ``1.1`` or ``1-2`` only itself, never
line 11 or 12); a value contradicts a line when both have one and they differ (a blank on either side
contradicts nothing). For each row:

1. Its PO must be in the master, else ``unknown_order``. A look-alike PO is suggested (never applied),
   computed once per distinct unknown PO, in bulk and capped (``suggest.capped_nearest``).
2. With a line number, the candidate is that line of the PO; without one, the PO's lines its style
   (else its colour) names. Candidates whose line, style or colour contradict the row are dropped;
   of the rest, those agreeing on most values win (PO + style + colour beats a line with no colour on
   record), and a qty equal to the row's breaks a tie. A line agreeing on none of the values (a row
   with only a PO, or a master line with blank style and colour) is taken only when it is the PO's
   only line. Qty never rules out a single candidate: a supplier may report another quantity, and
   that is a ``conflict`` on our field, logged and never applied.
3. One candidate left: matched. Several (also a line number the master gives two lines, e.g. ``1``
   and ``01``): ``ambiguous_match``, naming them. None: when the PO + line
   line exists but its style or colour disagrees, or the PO has no such line while PO + style +
   colour point to exactly one line, ``key_mismatch`` naming both values and that line (never
   applied); otherwise ``unknown_order`` saying the PO exists and listing its lines.

A second row for the same line in one file is ``duplicate``. Row counters (序号) are not line numbers:
the importers do not read them as ``line`` (``importers.headers.row_counter``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from . import schema
from .changes import eta_history, log_rows, order_labels, typed_column
from .doc_match import IDENTITY as _IDENTITY
from .issues import Issue, Reason
from .suggest import capped_nearest
from .values import TOLERANCE, display_text, is_blank, keys_of, line_key, line_keys_of, normalise_key, same_values

SUPPLIER_FIELDS = [f.name for f in schema.ORDERS.fields if f.owner == schema.SUPPLIER]
USER_FIELDS = [f.name for f in schema.ORDERS.fields if f.owner == schema.USER]
_KEY_FIELDS = {"po_no", "line", "style", "color"}
# The Change Log notes of sync's rows: a supplier value applied, a value on our field not applied.
SYNC_NOTE, CONFLICT_NOTE = "同步 sync", "冲突未应用 conflict, not applied"
_LABELS = {"line": "行号 line", "style": "款号 style", "color": "颜色 colour"}
# How each identifying value is compared: a line as a line number, the others as document keys.
_KEY = {"line": line_key, "style": normalise_key, "color": normalise_key}
_KEYS_OF = {"po_no": keys_of, "line": line_keys_of, "style": keys_of, "color": keys_of}


@dataclass
class SyncResult:
    """The master orders after one file, with what changed and what could not be used."""

    orders: pd.DataFrame
    changes: list[dict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    matched: int = 0
    changed_lines: set = field(default_factory=set)
    targets: pd.Series = field(default_factory=lambda: pd.Series(dtype=np.int64))  # file row position -> order row


@dataclass(frozen=True)
class Matching:
    """The order line each row of a file identifies: ``targets`` (file row position -> order sheet
    row), the problems of the rows that identify none, and the master's keys."""

    targets: pd.Series
    issues: list[Issue]
    keys: MasterKeys


def match_rows(orders: pd.DataFrame, incoming: pd.DataFrame, *, file: str) -> Matching:
    """Match one cleaned supplier file's rows (``incoming``: PO, line, style, colour, qty, ``_row``,
    ``_sheet``) to the lines of ``orders`` (indexed by the master's sheet row) by the identity rule."""
    keys = MasterKeys(orders)
    issues: list[Issue] = []
    sheets, rows = incoming["_sheet"].tolist(), incoming["_row"].astype(int).tolist()
    records = incoming.reindex(columns=["po_no", *_IDENTITY]).astype(object).to_dict("records")
    qty = pd.to_numeric(incoming.get("qty", pd.Series(np.nan, index=incoming.index)), errors="coerce")
    targets, sources, unknown = [], [], []
    seen: dict[int, int] = {}
    for pos, (values, count) in enumerate(zip(records, qty.to_numpy(dtype=float))):
        target, problem = keys.match(values, count)
        if problem is None and target in seen:
            problem = _problem("PO", values["po_no"], Reason.DUPLICATE, f"同一订单行已在第 {seen[target]} 行更新 "
                               f"the same order line was already updated by row {seen[target]}; this row is not used")
        if problem is not None:
            issues.append(replace(problem, file=file, sheet=sheets[pos], row=rows[pos]))
            po = normalise_key(values["po_no"])
            unknown += [(len(issues) - 1, po)] if po and po not in keys.by_po else []
            continue
        seen[target] = rows[pos]
        targets.append(target)
        sources.append(pos)
    keys.suggest(issues, unknown)
    return Matching(pd.Series(targets, index=sources, dtype=np.int64), issues, keys)


def sync_rows(orders: pd.DataFrame, incoming: pd.DataFrame, *, file: str, timestamp: str,
              headers: dict[str, str] | None = None, matching: Matching | None = None) -> SyncResult:
    """Apply one cleaned supplier file (``incoming``: ORDERS fields + ``_row``, ``_sheet``) to ``orders``.

    ``orders`` is indexed by the master's sheet row and is not modified; the result holds a copy.
    ``headers`` names the file's column for each field, for the issues; ``matching`` is
    ``match_rows`` of the same rows when already made.
    """
    headers = headers or {}
    result = SyncResult(orders.copy())
    matching = matching or match_rows(orders, incoming, file=file)
    result.issues = list(matching.issues)
    targets, sources = matching.targets.tolist(), matching.targets.index.tolist()
    result.matched = len(targets)
    result.targets = matching.targets
    if targets:
        matched = incoming.iloc[sources].set_axis(pd.Index(targets))
        log = pd.DataFrame({"timestamp": timestamp, "file": file, "sheet": matched["_sheet"].to_numpy(),
                            "source_row": matched["_row"].to_numpy(), "order_key": matching.keys.labels(targets)},
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
        changed = new.notna() & ~same_values(old, new)
        if not changed.any():
            continue
        rows = changed.index[changed.to_numpy()]
        if name == "eta":
            eta_history(orders, rows, old[changed], new[changed])
        orders.loc[rows, name] = new[changed]
        result.changed_lines.update(rows)
        result.changes += log_rows(log[changed.to_numpy()], name, old[changed], new[changed], SYNC_NOTE)


def _report_user_fields(result: SyncResult, matched: pd.DataFrame, log: pd.DataFrame, headers: dict) -> None:
    """A user-owned field that disagrees is a conflict (logged, never applied); where the master is
    blank the file's value is not imported and one summary issue says so."""
    orders = result.orders
    for name in USER_FIELDS:
        if name in _KEY_FIELDS or name not in matched.columns:
            continue
        old, new = orders.loc[matched.index, name], typed_column(name, matched[name])
        differs = new.notna() & ~same_values(old, new)
        header = schema.ORDERS.field(name).header
        column = headers.get(name, header)
        blank = differs & old.isna()
        if blank.any():
            first = int(log.loc[blank.to_numpy(), "source_row"].iloc[0])
            result.issues.append(Issue(log["file"].iloc[0], log["sheet"].iloc[0], first, column, None,
                                       Reason.NOT_IMPORTED,
                                       f"文件有 {int(blank.sum())} 行提供了我方字段 {header}，主表为空，未导入 — "
                                       f"the file gives our field {header} for {int(blank.sum())} lines where the "
                                       f"master is blank (first at row {first}); not imported, ours to enter"))
        conflict = differs & old.notna()
        if not conflict.any():
            continue
        entries = log_rows(log[conflict.to_numpy()], name, old[conflict], new[conflict], CONFLICT_NOTE)
        result.changes += entries
        result.issues += [Issue(e["file"], e["sheet"], int(e["source_row"]), column, e["new"], Reason.CONFLICT,
                                f"冲突：{header} 是我方字段，未更新 conflict: {header} is ours and was not changed "
                                f"(master {e['old']}, supplier {e['new']})") for e in entries]


class MasterKeys:
    """Normalised identifying values of the master's order lines, and the identity rule."""

    def __init__(self, orders: pd.DataFrame):
        self.rows = orders.index
        self.raw = orders[["po_no", "line", "style", "color"]]
        self.keys = {name: _KEYS_OF[name](orders[name]).tolist() for name in ("po_no", *_IDENTITY)}
        self.qty = pd.to_numeric(orders["qty"], errors="coerce").to_numpy(dtype=float)
        self.by_po: dict[str, list[int]] = {}
        self.by: dict[str, dict[tuple, list[int]]] = {name: {} for name in _IDENTITY}
        for pos, po in enumerate(self.keys["po_no"]):
            if po:
                self.by_po.setdefault(po, []).append(pos)
                for name in _IDENTITY:
                    self.by[name].setdefault((po, self.keys[name][pos]), []).append(pos)
        self.po_choices = sorted(self.by_po)

    def labels(self, targets: list[int]) -> list[str]:
        rows = self.raw.loc[targets]
        return order_labels(rows["po_no"], rows["line"])

    def match(self, values: dict, qty: float) -> tuple[int | None, Issue | None]:
        """The sheet row of the one line ``values`` (po_no, line, style, color as in the file) identify,
        or the problem (an issue whose place in the file is still to be filled in)."""
        text = " / ".join(display_text(v) for v in values.values() if not is_blank(v))
        po = normalise_key(values["po_no"])
        if not po:
            return None, _problem("PO", values["po_no"], Reason.BLANK_KEY, "没有 PO 号 no PO number")
        lines = self.by_po.get(po)
        if lines is None:
            return None, _problem("PO", text, Reason.UNKNOWN_ORDER, "找不到订单 no such order in the master")
        given = {name: key for name in _IDENTITY if (key := _KEY[name](values[name]))}
        found = self._candidates(po, lines, given, qty)
        if len(found) == 1:
            return self.rows[found[0]], None
        if found:
            fix = ("give each of them its own line number in the master" if "line" in given else
                   "add the line number, style or colour to the file")
            return None, _problem("PO", text, Reason.AMBIGUOUS_MATCH,
                                  f"匹配到 {len(found)} 个订单行 matches {len(found)} order lines "
                                  f"({self._listed(found)}); {fix}")
        return None, _problem("PO", text, *self._no_line(po, lines, given, values, qty))

    def _candidates(self, po: str, lines: list[int], given: dict, qty: float) -> list[int]:
        """The PO's lines no given value contradicts, those agreeing on most values first; qty breaks
        ties. A line agreeing on none of them is a candidate only when it is the PO's only line."""
        if "line" in given:
            pool = self.by["line"].get((po, given["line"]), [])
        elif given:
            name = "style" if "style" in given else "color"
            pool = self.by[name].get((po, given[name]), []) + self.by[name].get((po, ""), [])
        else:
            pool = lines
        scored = []
        for pos in pool:
            have = [self.keys[name][pos] for name in given]
            if all(not h or h == v for h, v in zip(have, given.values())):
                scored.append((sum(h == v for h, v in zip(have, given.values())), pos))
        top = max((agree for agree, _ in scored), default=0)
        best = [pos for agree, pos in scored if agree == top]
        if top == 0 and len(lines) > 1:
            return [] if given else best
        if len(best) > 1 and not np.isnan(qty):
            same_qty = [pos for pos in best if abs(self.qty[pos] - qty) <= TOLERANCE]
            best = same_qty if len(same_qty) == 1 else best
        return best

    def _no_line(self, po: str, lines: list[int], given: dict, values: dict, qty: float) -> tuple[Reason, str]:
        """Reason and message for a row whose PO is known but no line of it fits."""
        others = {k: v for k, v in given.items() if k != "line"}
        points = self._candidates(po, lines, others, qty) if others else None
        where = "" if points is None else "; PO + 款号/颜色 指向 PO + style/colour point to " + (
            f"line {self._listed(points)}" if len(points) == 1 else
            f"{len(points)} lines ({self._listed(points)})" if points else "no line")
        po_no = self.raw["po_no"].iat[lines[0]]
        if "line" not in given:
            wanted = ", ".join(f"{_LABELS[name]} {display_text(values[name])}" for name in others)
            return Reason.UNKNOWN_ORDER, (f"PO {po_no} 存在，但没有相符的行 exists, but has no line with {wanted}; "
                                     f"its lines: {self._listed(lines, detail=True)}")
        same = self.by["line"].get((po, given["line"]), [])
        if same:
            pos = same[0]
            differ = [f"{_LABELS[n]}: 主表 master {self.raw[n].iat[pos]}, 文件 file {display_text(values[n])}"
                      for n in others if self.keys[n][pos] not in ("", given[n])]
            return Reason.KEY_MISMATCH, (f"{po_no} / {display_text(self.raw['line'].iat[pos])} 与文件不符 contradicts the "
                                    f"file — {'; '.join(differ)}{where}; 未应用 not applied")
        line = display_text(values["line"])
        message = f"PO {po_no} 存在，但没有第 {line} 行 exists, but has no line {line}"
        if points is not None and len(points) == 1:
            return Reason.KEY_MISMATCH, f"{message}{where}; 未应用 not applied"
        return Reason.UNKNOWN_ORDER, f"{message}; its lines: {self._listed(lines)}{where}"

    def _listed(self, positions: list[int], *, detail: bool = False, most: int = 10) -> str:
        """Line numbers (with style and colour when ``detail``) of some lines, at most ``most``."""
        def one(pos: int) -> str:
            extra = " ".join(v for n in ("style", "color") if (v := display_text(self.raw[n].iat[pos])))
            return f"{display_text(self.raw['line'].iat[pos])}" + (f" ({extra})" if detail and extra else "")
        listed = ", ".join(one(pos) for pos in positions[:most])
        return listed + (f", … ({len(positions)} in all)" if len(positions) > most else "")

    def suggest(self, issues: list[Issue], unknown: list[tuple[int, str]]) -> None:
        """Add a fuzzy look-alike PO to the ``unknown_order`` issues at ``unknown`` (position in
        ``issues``, the PO's key), computed once per distinct unknown PO and in bulk (capped: see
        ``suggest.capped_nearest``); never applied."""
        distinct = list(dict.fromkeys(po for _, po in unknown))
        best, score = capped_nearest(distinct, self.po_choices)
        hints = {}
        for po, pos, points in zip(distinct, best.tolist(), score.tolist()):
            if pos >= 0:
                target = self.raw["po_no"].iat[self.by_po[self.po_choices[pos]][0]]
                hints[po] = f"; 可能是 did you mean {target} (score {points})? — not applied"
        for at, po in unknown:
            issues[at] = replace(issues[at], message=issues[at].message + hints.get(po, ""))


def _problem(column, value, reason: Reason, message: str) -> Issue:
    """An issue of a row, its place in the file still to be filled in."""
    return Issue(None, None, None, column, display_text(value), reason, message)
