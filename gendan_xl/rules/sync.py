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

A second row for the same line in one table of a file is ``duplicate``. Row counters (序号) are not
line numbers: the importers do not read them as ``line`` (``importers.headers.row_counter``).

One truth per line: the files of one sync (and the tables of one sheet) are matched first
(``match_rows``), then compared (``disputes``): where two of them give different values for a
supplier field of one line, that field is not applied by any of them, and each row giving a value
is a ``conflict`` naming every file, row and value (the Change Log keeps the values that differ from
the master). Values that agree, and blanks, are no dispute; so the result does not depend on the
order of the files. Then each file is applied (``apply_rows``); ``sync_rows`` does all three for one file.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.changes import eta_history, log_rows, order_labels, typed_column
from gendan_xl.rules.doc_match import IDENTITY as _IDENTITY
from gendan_xl.model.issues import Issue, Reason
from gendan_xl.rules.suggest import capped_nearest
from gendan_xl.model.values import TOLERANCE, display_text, is_blank, keys_of, line_key, line_keys_of, normalise_key, same_values

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
class Matched:
    """One file's rows matched to order lines: ``targets`` maps the position in ``incoming`` of each
    usable row to the order's sheet row; ``issues`` are the rows that could not be used."""

    file: str
    incoming: pd.DataFrame
    targets: pd.Series
    issues: list[Issue]


@dataclass(frozen=True)
class Disputes:
    """The supplier fields of lines that two files (or two tables of one sheet) of a sync give
    different values: ``lines`` field -> the order rows disputed, ``said`` (field, order row) -> every
    file, sheet, row and value given, in the order of file, sheet and row (not of the arguments)."""

    lines: dict[str, set] = field(default_factory=dict)
    said: dict[tuple[str, int], str] = field(default_factory=dict)

    def conflicts(self, name: str, new: pd.Series, log: pd.DataFrame, master: pd.Series, *, logged: str,
                  header: str, column: str) -> tuple[list[dict], list[Issue]]:
        """The Change Log rows (field ``logged``) and issues of the rows of a file giving a value of the
        disputed field ``name`` (``new``, indexed by order row; ``log`` their Change Log places;
        ``master`` what the master holds; ``header`` its words, ``column`` the file's): a ``conflict``
        each, naming every value given; the log keeps the values that differ from the master (one
        agreeing with it is no news)."""
        news = ~same_values(master.reset_index(drop=True), new.reset_index(drop=True)).to_numpy()
        changes = log_rows(log[news], logged, master[news], new[news], CONFLICT_NOTE)
        issues = [Issue(entry["file"], entry["sheet"], int(entry["source_row"]), column, display_text(value),
                        Reason.CONFLICT, f"冲突：本次同步的文件对 {entry['order_key']} 的 {header} 说法不一 conflict: "
                        f"the files of this sync disagree about {header} of {entry['order_key']} — "
                        f"{self.said[(name, target)]}; 未应用 not applied (主表 master {display_text(held) or '-'}); "
                        "sync the file that is right")
                  for (target, value), entry, held in zip(new.items(), log.to_dict("records"), master)]
        return changes, issues


@dataclass(frozen=True)
class Held:
    """Supplier fields of order lines a record of ours decides (a departed shipment sets the ship date
    and shipped qty of the lines it carries: ``shipments/closing.py``): ``values`` indexed by order
    row, a column per field held and ``source`` naming the record of each line. A file's other value
    for such a field is a ``conflict``, never applied; the same value is no news."""

    values: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["source"]))

    def rows(self, name: str, targets: pd.Index) -> np.ndarray:
        """True for the ``targets`` (order rows) whose field ``name`` is held."""
        return targets.isin(self.values.index) if name in self.values.columns else np.zeros(len(targets), bool)

    def conflicts(self, name: str, new: pd.Series, log: pd.DataFrame, *, header: str,
                  column: str) -> tuple[list[dict], list[Issue]]:
        """The Change Log rows and issues of a file's values ``new`` (indexed by order row) of the held
        field ``name`` that differ from the held values (``header`` its words, ``column`` the file's)."""
        kept = self.values.loc[new.index, name]
        differs = ~same_values(kept.reset_index(drop=True), new.reset_index(drop=True)).to_numpy()
        changes = log_rows(log[differs], name, kept[differs], new[differs], CONFLICT_NOTE)
        sources = self.values.loc[new.index[differs], "source"].to_numpy(dtype=object)
        return changes, [Issue(e["file"], e["sheet"], int(e["source_row"]), column, e["new"], Reason.CONFLICT,
                               f"冲突：{header} 已由 {source} 确定，未更新 conflict: {header} is set by {source} and was not "
                               f"changed ({e['old']} there, {e['new']} in the file)")
                         for e, source in zip(changes, sources)]


def sync_rows(orders: pd.DataFrame, incoming: pd.DataFrame, *, file: str, timestamp: str,
              headers: dict[str, str] | None = None, tables: tuple[int, ...] = ()) -> SyncResult:
    """Apply one cleaned supplier file (``incoming``: ORDERS fields + ``_row``, ``_sheet``) to ``orders``:
    ``match_rows``, then ``apply_rows`` with the ``disputes`` between the file's own tables."""
    matched = match_rows(orders, incoming, file=file, tables=tables)
    return apply_rows(orders, matched, timestamp=timestamp, headers=headers, disputes=disputes([matched]))


def match_rows(orders: pd.DataFrame, incoming: pd.DataFrame, *, file: str, tables: tuple[int, ...] = ()) -> Matched:
    """Match every row of ``incoming`` to an order line by the identity rule. ``tables``: the rows of
    the headers of the file's tables (a sheet may hold several); a second row for one line in one
    table is a ``duplicate``, while the tables of one sheet may each speak for the line."""
    keys = MasterKeys(orders)
    issues: list[Issue] = []
    sheets, rows = incoming["_sheet"].tolist(), incoming["_row"].astype(int).tolist()
    table_of = np.searchsorted(np.asarray(tables, dtype=np.int64), rows).tolist() if tables else [0] * len(rows)
    records = incoming.reindex(columns=["po_no", *_IDENTITY]).astype(object).to_dict("records")
    qty = pd.to_numeric(incoming.get("qty", pd.Series(np.nan, index=incoming.index)), errors="coerce")
    targets, sources, unknown = [], [], []
    seen: dict[tuple[int, int], int] = {}
    for pos, (values, count) in enumerate(zip(records, qty.to_numpy(dtype=float))):
        target, problem = keys.match(values, count)
        first = seen.get((target, table_of[pos]))
        if problem is None and first is not None:
            problem = _problem("PO", values["po_no"], Reason.DUPLICATE, f"同一订单行已在第 {first} 行更新 "
                               f"the same order line was already updated by row {first}; this row is not used")
        if problem is not None:
            issues.append(replace(problem, file=file, sheet=sheets[pos], row=rows[pos]))
            po = normalise_key(values["po_no"])
            unknown += [(len(issues) - 1, po)] if po and po not in keys.by_po else []
            continue
        seen[(target, table_of[pos])] = rows[pos]
        targets.append(target)
        sources.append(pos)
    keys.suggest(issues, unknown)
    return Matched(file, incoming, pd.Series(targets, index=sources, dtype=np.int64), issues)


def disputes(files: list[Matched], dates: tuple[str, ...] = ()) -> Disputes:
    """Where the matched rows of ``files`` give one line's supplier field two different values
    (numbers within ``TOLERANCE`` agree; a blank says nothing). ``dates``: more date columns of the
    files compared alike (the supplier's milestone dates, by milestone code)."""
    given: dict[str, list[pd.DataFrame]] = {}
    for one in files:
        rows = one.incoming.iloc[one.targets.index.to_numpy()]
        for name in (*SUPPLIER_FIELDS, *dates):
            if name in rows.columns:
                value = (typed_column(name, rows[name]) if name in SUPPLIER_FIELDS else
                         pd.to_datetime(rows[name], errors="coerce").dt.normalize()).reset_index(drop=True)
                has = value.notna().to_numpy()
                given.setdefault(name, []).append(pd.DataFrame({
                    "target": one.targets.to_numpy()[has], "value": value[has].reset_index(drop=True),
                    "file": one.file, "sheet": rows["_sheet"].to_numpy()[has], "row": rows["_row"].to_numpy()[has]}))
    found = Disputes()
    for name, parts in given.items():
        said = pd.concat(parts, ignore_index=True)
        first = said.groupby("target")["value"].transform("first")
        lines = set(said.loc[~same_values(said["value"], first).to_numpy(), "target"])
        if not lines:
            continue
        found.lines[name] = lines
        said = said[said["target"].isin(lines)].sort_values(["file", "sheet", "row"], kind="stable")
        for target, rows in said.groupby("target", sort=False):
            found.said[(name, target)] = "; ".join(f"{f} [{s}] row {r}: {display_text(v)}" for f, s, r, v in
                                                  zip(rows["file"], rows["sheet"], rows["row"], rows["value"]))
    return found


def apply_rows(orders: pd.DataFrame, matched: Matched, *, timestamp: str, headers: dict[str, str] | None = None,
               disputes: Disputes | None = None, held: Held | None = None) -> SyncResult:
    """Apply one file's matched rows to ``orders`` (indexed by the master's sheet row; not modified,
    the result holds a copy): supplier fields not in ``disputes`` nor ``held``, conflicts on our
    fields and on the held ones.
    ``headers`` names the file's column for each field, for the issues."""
    headers = headers or {}
    result = SyncResult(orders.copy(), issues=list(matched.issues), matched=len(matched.targets),
                        targets=matched.targets)
    if matched.targets.empty:
        return result
    targets = pd.Index(matched.targets.to_numpy())
    rows = matched.incoming.iloc[matched.targets.index.to_numpy()].set_axis(targets)
    lines = orders.loc[targets]
    log = pd.DataFrame({"timestamp": timestamp, "file": matched.file, "sheet": rows["_sheet"].to_numpy(),
                        "source_row": rows["_row"].to_numpy(),
                        "order_key": order_labels(lines["po_no"], lines["line"])}, index=targets)
    _apply_supplier_fields(result, rows, log, disputes or Disputes(), held or Held(), headers)
    _report_user_fields(result, rows, log, headers)
    return result


def _apply_supplier_fields(result: SyncResult, matched: pd.DataFrame, log: pd.DataFrame, disputes: Disputes,
                           held: Held, headers: dict) -> None:
    """Supplier-owned fields take the file's value (a line's first row giving one, when tables of
    the file agree about it); a blank or TBD never erases what we know; a held field differing from
    its record, and a disputed field, are conflicts."""
    orders = result.orders
    for name in SUPPLIER_FIELDS:
        if name not in matched.columns:
            continue
        new = typed_column(name, matched[name])
        given = new.notna().to_numpy()
        kept = given & held.rows(name, matched.index)
        if kept.any():
            header = schema.ORDERS.field(name).header
            changes, issues = held.conflicts(name, new[kept], log[kept], header=header,
                                             column=headers.get(name, header))
            result.changes += changes
            result.issues += issues
        disputed = given & ~kept & matched.index.isin(list(disputes.lines.get(name, ())))
        if disputed.any():
            header = schema.ORDERS.field(name).header
            changes, issues = disputes.conflicts(name, new[disputed], log[disputed],
                                                 orders.loc[matched.index[disputed], name], logged=name,
                                                 header=header, column=headers.get(name, header))
            result.changes += changes
            result.issues += issues
        pos = np.flatnonzero(given & ~kept & ~disputed)
        pos = pos[~matched.index[pos].duplicated()]
        old, value = orders.loc[matched.index[pos], name], new.iloc[pos]
        changed = ~same_values(old, value)
        if not changed.any():
            continue
        rows = changed.index[changed.to_numpy()]
        if name == "eta":
            eta_history(orders, rows, old[changed], value[changed])
        orders.loc[rows, name] = value[changed]
        result.changed_lines.update(rows)
        result.changes += log_rows(log.iloc[pos][changed.to_numpy()], name, old[changed], value[changed], SYNC_NOTE)


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
