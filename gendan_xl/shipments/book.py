"""The 出运 Shipments book as the rules read it (pure): each shipment's status as a code, what its
containers hold, the order lines it carries, and the shipments that cannot be applied.

- A shipment is found by its shipment number, a shipment line by shipment number + PO + line,
  compared as ``gendan load`` compares them (``table_loading.row_keys``: ``sh-1`` is ``SH-1``).
- Status and mode are read from their code, label or words (``Coded.read``); a blank status is
  PLANNED, a blank mode says nothing.
- A shipment is not applied (``bad``), and is an issue naming its sheet, row, column and value,
  when: its number is blank or repeats an earlier shipment's; its status or mode is unknown; its
  containers do not parse (``containers.container_capacity``); it is SAILED or ARRIVED with neither
  an ATD nor an ETD; its freight or insurance is negative; or one of its lines is not applied.
- A shipment line is not applied when: its shipment number, PO or line is blank, or the three repeat
  an earlier line; it names a shipment we do not have, a PO we do not have or a line the PO does
  not have; its qty is blank, not a whole number or not above 0; a carton number or count, a
  weight or its CBM is negative. Its shipment's why names it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.issues import Issue, Reason
from gendan_xl.model.shipments import SAILED, ShipMode, ShipmentStatus
from gendan_xl.model.values import blank_mask, display_text, is_blank, keys_of, line_keys_of, map_distinct, party_key
from gendan_xl.rules.calendar import as_days
from gendan_xl.rules.table_loading import row_keys
from gendan_xl.shipments.containers import container_capacity

SHIP, LINES = schema.SHIPMENTS, schema.SHIPMENT_LINES
NOT_APPLIED = "此出运未应用 shipment not applied"   # the end of a Shipments row's issue
LINE_NOT_APPLIED = "此行及其出运未应用 the row and its shipment not applied"   # of a Shipment Lines row's
_NAT = np.datetime64("NaT", "D")


@dataclass
class ShipmentBook:
    """The Shipments rows (``shipments``, indexed like the table) as the rules read them, aligned with
    them: ``status`` as codes (None: unknown), what the containers hold (``capacity``, m³; NaN when
    they do not parse), the shipments not applied (``bad``) with the first problem of each
    (``problem``); ``lines``: the Shipment Lines rows applied (``row`` its sheet row, ``shipment`` and
    ``order`` the row labels of its shipment and order line, ``qty``, ``cbm``); and the issues of both
    tables."""

    shipments: pd.DataFrame
    status: np.ndarray
    capacity: np.ndarray
    bad: np.ndarray
    problem: np.ndarray
    lines: pd.DataFrame
    issues: list[Issue]

    def departed(self, as_of) -> np.ndarray:
        """The day each shipment left (``datetime64[D]``): its ATD, else (SAILED or ARRIVED) its ETD;
        NaT for a shipment not applied, cancelled, not sailed, or leaving after ``as_of`` (not yet)."""
        atd, etd = as_days(self.shipments["atd"]), as_days(self.shipments["etd"])
        day = np.where(np.isnat(atd) & np.isin(self.status, SAILED), etd, atd)
        gone = ~self.bad & (self.status != ShipmentStatus.CANCELLED.value) & (day <= np.datetime64(as_of, "D"))
        return np.where(gone, day, _NAT)


class _Problems:
    """The problems found in one table so far: every one an issue, the first of a row its ``first``."""

    def __init__(self, spec: schema.Table, frame: pd.DataFrame, file: str | None, ending: str):
        self.spec, self.frame, self.file, self.ending = spec, frame, file, ending
        self.bad = np.zeros(len(frame), dtype=bool)
        self.first = np.full(len(frame), None, dtype=object)
        self.found: list[tuple[int, int, str, Reason, str]] = []

    def add(self, mask, name: str, reason: Reason, message) -> None:
        """Rows ``mask`` have a problem in field ``name``; ``message``: one text or one per row."""
        mask = np.asarray(mask, dtype=bool)
        at = np.flatnonzero(mask)
        texts = (np.asarray(message, dtype=object)[at] if np.ndim(message)
                 else np.full(len(at), message, dtype=object))
        self.found += [(int(pos), len(self.found) + k, name, reason, text) for k, (pos, text) in enumerate(zip(at, texts))]
        fresh = ~self.bad[at]
        self.first[at[fresh]] = texts[fresh]
        self.bad |= mask

    def mark(self, at: np.ndarray, texts: pd.Series) -> None:
        """Rows at positions ``at`` are not applied for a problem told elsewhere (``texts``: no issue)."""
        fresh = ~self.bad[at]
        self.first[at[fresh]] = texts.to_numpy(dtype=object)[fresh]
        self.bad[at] = True

    def issues(self) -> list[Issue]:
        rows, spec = self.frame.index.to_numpy(), self.spec
        return [Issue(self.file, spec.sheet, int(rows[pos]), spec.header(name),
                      display_text(self.frame[name].iat[pos]), reason, f"{message}; {self.ending}")
                for pos, _, name, reason, message in sorted(self.found)]


def read_book(shipments: pd.DataFrame, lines: pd.DataFrame, orders: pd.DataFrame, known: dict[str, float], *,
              file: str | None) -> ShipmentBook:
    """The book of ``shipments`` and ``lines`` (their tables' fields, indexed by sheet row) against
    ``orders`` (po_no and line, indexed by sheet row); ``known``: what each container type holds
    (``containers.capacities``)."""
    ships = shipments.reindex(columns=SHIP.names)
    found = _Problems(SHIP, ships, file, NOT_APPLIED)
    status = map_distinct(ships["status"], lambda v: ShipmentStatus.PLANNED.value if is_blank(v)
                          else _code(ShipmentStatus, v), ShipmentStatus.PLANNED.value)
    _check_shipments(found, ships, status)
    capacity = map_distinct(ships["containers"], lambda v: container_capacity(v, known), 0.0)
    capacity = np.array([np.nan if c is None else c for c in capacity], dtype=float)
    found.add(np.isnan(capacity), "containers", Reason.UNKNOWN_CODE,
              "集装箱无法识别 containers not understood: write them as 2x40HQ, 1x20GP (types: "
              + (", ".join(sorted(k.upper() for k in known)) or "none in 集装箱 Containers") + ")")
    rows = lines.reindex(columns=LINES.names)
    listed = _Problems(LINES, rows, file, LINE_NOT_APPLIED)
    number = pd.Series(np.arange(len(ships)), index=map_distinct(ships["shipment_no"], party_key, ""))
    applied = _check_lines(listed, rows, number[(number.index != "") & ~number.index.duplicated()], orders)
    failing = applied[listed.bad & (applied["shipment"] >= 0).to_numpy()].drop_duplicates("shipment")
    found.mark(failing["shipment"].to_numpy(), "出运明细第 " + failing["row"].astype(str) + " 行有误 Shipment Lines row "
               + failing["row"].astype(str) + ": " + listed.first[failing.index.to_numpy()])
    used = applied[~listed.bad & (applied["shipment"] >= 0).to_numpy()]
    used = used[~found.bad[used["shipment"].to_numpy()]]
    return ShipmentBook(shipments, status, capacity, found.bad, found.first,
                        used.assign(shipment=ships.index.to_numpy()[used["shipment"].to_numpy()]).reset_index(drop=True),
                        found.issues() + listed.issues())


def _code(vocabulary, value) -> str | None:
    member = vocabulary.read(value)
    return member.value if member else None


def _check_shipments(found: _Problems, ships: pd.DataFrame, status: np.ndarray) -> None:
    key = map_distinct(ships["shipment_no"], party_key, "")
    found.add(key == "", "shipment_no", Reason.BLANK_KEY, f"没有{SHIP.field('shipment_no').zh} no shipment number")
    repeated = (row_keys(SHIP, ships).duplicated(keep="first") & (key != "")).to_numpy()
    found.add(repeated, "shipment_no", Reason.DUPLICATE, "出运编号重复 the shipment number repeats an earlier row: "
              "the first is applied")
    found.add(pd.isna(status), "status", Reason.UNKNOWN_CODE,
              "未知状态 unknown status: one of " + ", ".join(s.label for s in ShipmentStatus))
    mode = blank_mask(ships["mode"])
    found.add(~mode & pd.isna(map_distinct(ships["mode"], lambda v: _code(ShipMode, v), None)), "mode",
              Reason.UNKNOWN_CODE, "未知运输方式 unknown mode: one of " + ", ".join(m.label for m in ShipMode))
    undated = np.isin(status, SAILED) & np.isnat(as_days(ships["atd"])) & np.isnat(as_days(ships["etd"]))
    found.add(undated, "atd", Reason.MISSING_VALUE, "已开船须有实际开船日期 a sailed shipment needs its ATD (or ETD)")
    for name in ("freight", "insurance"):
        found.add(pd.to_numeric(ships[name], errors="coerce").to_numpy(dtype=float) < 0, name,
                  Reason.NEGATIVE_AMOUNT, f"{SHIP.field(name).zh}为负 negative {SHIP.field(name).en.lower()}")


def _check_lines(found: _Problems, rows: pd.DataFrame, shipments: pd.Series, orders: pd.DataFrame) -> pd.DataFrame:
    """The line checks; returns every line row (``row``, the position of its ``shipment`` in
    ``shipments``' table and the row label of its ``order`` line, -1 where unknown; ``qty``, ``cbm``),
    by position. ``shipments``: each shipment number's position."""
    key = map_distinct(rows["shipment_no"], party_key, "")
    po, line = keys_of(rows["po_no"]).to_numpy(), line_keys_of(rows["line"]).to_numpy()
    for name, blank in (("shipment_no", key == ""), ("po_no", po == ""), ("line", line == "")):
        f = LINES.field(name)
        found.add(blank, name, Reason.BLANK_KEY, f"没有{f.zh} no {f.en}")
    whole = (key != "") & (po != "") & (line != "")
    found.add(whole & row_keys(LINES, rows).duplicated(keep="first").to_numpy(), "line", Reason.DUPLICATE,
              "出运编号、PO号和行号重复 the shipment, PO and line repeat an earlier row: the first is applied")
    shipment = shipments.reindex(key).fillna(-1).to_numpy(dtype=np.int64)
    found.add((key != "") & (shipment < 0), "shipment_no", Reason.UNKNOWN_SHIPMENT,
              f"{SHIP.sheet} 中没有此出运编号 no shipment with this number in {SHIP.sheet}")
    ours = pd.Series(orders.index, index=(keys_of(orders["po_no"]) + "\x00" + line_keys_of(orders["line"])).to_numpy())
    ours = ours[~ours.index.duplicated()]
    order = ours.reindex(po + "\x00" + line).fillna(-1).to_numpy(dtype=np.int64)
    known_po = np.isin(po, keys_of(orders["po_no"]).to_numpy())
    found.add((po != "") & ~known_po, "po_no", Reason.UNKNOWN_ORDER, "订单中没有此 PO we have no order with this PO No.")
    found.add(known_po & (line != "") & (order < 0), "line", Reason.UNKNOWN_ORDER,
              "此 PO 没有这一行 the PO has no such line")
    qty = pd.to_numeric(rows["qty"], errors="coerce").to_numpy(dtype=float)
    blank_qty = blank_mask(rows["qty"])
    found.add(blank_qty, "qty", Reason.MISSING_VALUE, f"没有{LINES.field('qty').zh} no qty")
    found.add(~blank_qty & (np.isnan(qty) | (qty != np.floor(qty))), "qty", Reason.BAD_NUMBER,
              "数量须为整数 the qty is a whole number")
    found.add(qty <= 0, "qty", Reason.NEGATIVE_AMOUNT, "数量须大于 0 the qty must be above 0")
    for name in ("cartons", "carton_from", "carton_to", "nw_kg", "gw_kg", "cbm"):
        f = LINES.field(name)
        found.add(pd.to_numeric(rows[name], errors="coerce").to_numpy(dtype=float) < 0, name,
                  Reason.NEGATIVE_AMOUNT, f"{f.zh}为负 negative {f.en}")
    return pd.DataFrame({"row": rows.index.to_numpy(), "shipment": shipment, "order": order, "qty": qty,
                         "cbm": pd.to_numeric(rows["cbm"], errors="coerce").to_numpy(dtype=float)})
