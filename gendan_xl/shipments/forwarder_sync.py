"""A forwarder's booking confirmation (订舱确认) into 出运 Shipments, a packing list (装箱单) into
出运明细 Shipment Lines (pure): the values of the shipments and lines we have, every change and problem
as data (``rules/table_sync.py`` has what the syncs share).

- Which row: a file with a shipment-number column is matched by it (``table_loading.row_keys``:
  ``sh-1`` is ``SH-1``; a Shipment Lines row by shipment + PO + line); a file without one names the
  shipment by its booking number (the forwarder's reference, which it always quotes), a packing list
  with neither by our invoice number (the commercial invoice's, which the factory prints): the shipment
  whose 订舱号 Booking No. or 发票号 Invoice No. it is. A packing list may state any of these numbers
  once above its table (``LINES_READ.stated``). A booking number no shipment has, or two shipments have, a shipment
  or a line we do not have, a row given twice in a file, a key two rows of the table have: an issue,
  the row not applied. A file never adds a shipment (customer, incoterm, lines and prices are ours:
  a row we do not have is another shipper's or a typo), nor a line to a shipment (what a shipment
  carries is our allocation, agreed with the customer; a packing list with another line is news to
  settle first).
- Whose fields (the schema's owners): the forwarder's on a booking confirmation are the booking no.,
  vessel/voyage, CY and SI cut-offs, ETD, ETA POD, ATD and B/L no.; the packer's on a packing list
  the cartons, carton range, NW, GW and CBM. They fill what the row lacks. The schedule (vessel/voyage,
  cut-offs, ETD, ETA) is the forwarder's to move (a vessel rolled, a cut-off brought forward): a
  different value is applied, logged old → new, until the shipment has left (``ShipmentBook.departed``);
  from then, and always for the booking no., B/L no., ATD and the packing figures (facts, once on a
  document), a different value is a ``conflict``, not applied (clear the cell to take the file's).
  An ATD after the as-of date is ``implausible_date`` (not sailed yet).
- Ours: the customer, forwarder, mode, ports, incoterm, cargo ready, containers, freight, insurance and
  invoice no. of a shipment; the qty, HS code, origin and unit price of a line. A value other than
  ours is a ``conflict``, not applied; where ours is blank, one ``not_imported`` issue per field.
- Status, ours beyond what the dates say: a PLANNED shipment given its booking number becomes BOOKED;
  a shipment not yet sailed given its ATD becomes SAILED (and closes its lines on refresh). The
  file's status is kept when it says what the shipment now is, else a ``conflict``; a status that is
  none is ``unknown_code``.
- One truth per row: files of a sync giving one row's field different values apply none (``conflict``).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.issues import Issue, Reason
from gendan_xl.model.shipments import SAILED, ShipmentStatus
from gendan_xl.model.values import display_text, is_blank, map_distinct, party_key
from gendan_xl.rules.table_loading import key_labels, key_parts, row_keys
from gendan_xl.rules.table_sync import (FileCounts, Sides, SyncFile, TableSync, apply_value, conflict, disputed,
                                        given, ours, readable, said_frame, typed_values)
from gendan_xl.shipments.carton_ranges import with_carton_numbers

SHIP, LINES = schema.SHIPMENTS, schema.SHIPMENT_LINES
BOOKING, INVOICE = "booking_no", "invoice_no"
# A packing list may name its shipment by the booking number or by our invoice number (the factory
# prints the commercial invoice's), and write its carton numbers in one cell: Shipment Lines read with
# those columns; a shipment, booking or invoice number may be stated once above the table
# (``Invoice No.: HT2612001``) instead of in a column.
LINES_READ = schema.Table(LINES.key, LINES.sheet, "", (*LINES.fields, SHIP.field(BOOKING), SHIP.field(INVOICE),
                                                      schema.CARTON_RANGE),
                          row_key=LINES.row_key, stated=("shipment_no", BOOKING, INVOICE))
_REFERENCE_WORDS = {BOOKING: ("订舱号", "booking number"), INVOICE: ("发票号", "invoice number")}
SIDES = {SHIP.key: Sides(SHIP, "Shipments table", "出运表", "forwarder", "shipments"),
         LINES.key: Sides(LINES, "Shipment Lines table", "出运明细", "packing list", "lines")}
SCHEDULE = ("vessel_voyage", "cy_cutoff", "si_cutoff", "etd", "eta_pod")   # the forwarder's to move until it sails
_NOT_OURS = (*SHIP.row_key, *LINES.row_key, "status")


def theirs(spec: schema.Table) -> list[str]:
    """The fields a file may fill (the supplier's in the schema: the forwarder's, the packer's)."""
    return [f.name for f in spec.fields if f.owner == schema.SUPPLIER]


def our_fields(spec: schema.Table) -> list[str]:
    return [f.name for f in spec.fields if f.owner == schema.USER and f.name not in _NOT_OURS]


def references(spec: schema.Table) -> tuple[str, ...]:
    """The Shipments fields a file of ``spec`` without shipment numbers may name its shipment by: the
    booking number (the forwarder's reference), and on a packing list also our invoice number."""
    return (BOOKING, INVOICE) if spec in (LINES, LINES_READ) else (BOOKING,)


def reference_of(frame: pd.DataFrame, spec: schema.Table) -> str | None:
    """The reference field a file's rows name their shipment by (the first of ``references`` it has a
    column or a stated value for); None when it has shipment numbers or no reference."""
    if "shipment_no" in frame.columns:
        return None
    return next((name for name in references(spec) if name in frame.columns), None)


def numbered_by(shipments: pd.DataFrame, reference: str) -> pd.Series:
    """Each value of the ``reference`` field (as compared) → the shipment number of the shipment that
    has it ('' when several shipments have it)."""
    key = pd.Series(map_distinct(shipments[reference], party_key, ""), index=shipments.index)
    numbers = shipments["shipment_no"].map(lambda v: display_text(v) or "")
    found = pd.Series(numbers.to_numpy(), index=key.to_numpy())[key.to_numpy() != ""]
    twice = found.index[found.index.duplicated()]
    found = found[~found.index.duplicated()]
    found[found.index.isin(twice)] = ""
    return found


def shipment_rows(frame: pd.DataFrame, shipments: pd.DataFrame, spec: schema.Table) -> pd.Series:
    """The Shipments row each file row names (by shipment number, else by the reference the file has:
    ``reference_of``), for the rows that name one we have (indexed like ``frame``)."""
    reference = reference_of(frame, spec)
    if reference is None:
        number = frame.get("shipment_no", pd.Series(None, index=frame.index, dtype=object))
    else:
        known = numbered_by(shipments, reference)
        number = frame[reference].map(lambda v: "" if is_blank(v) else known.get(party_key(v), ""))
    held = pd.Series(shipments.index, index=map_distinct(shipments["shipment_no"], party_key, ""))
    held = held[~held.index.duplicated()]
    keys = pd.Series(map_distinct(number, party_key, ""), index=frame.index)
    keys = keys[keys.isin(held.index) & (keys != "")]
    return pd.Series(held[keys].to_numpy(), index=keys.index)


def sync_forwarder(spec: schema.Table, rows: pd.DataFrame, shipments: pd.DataFrame, files: list[SyncFile], *,
                   sailed: set[str], as_of: dt.date, timestamp) -> TableSync:
    """Apply ``files`` to ``rows`` (the ``spec`` table's rows — Shipments or Shipment Lines — indexed
    by sheet row; not modified) as the module says. ``shipments``: the Shipments rows; ``sailed``: the
    numbers (as compared) of the shipments that have left."""
    sides, mine = SIDES[spec.key], theirs(spec)
    text = [name for name in spec.names if spec.field(name).kind == schema.TEXT]
    result = TableSync(rows.astype({name: object for name in text}), [*mine] + (["status"] if spec is SHIP else []))
    held = pd.Series(rows.index, index=row_keys(spec, rows).to_numpy())
    found = []
    for one in files:
        result.counts[one.file] = FileCounts(rows=len(one.frame))
        one = with_carton_numbers(one, result.issues)
        found.append(_matched(result, spec, one, held, shipments, rows))
    said = pd.concat(found, ignore_index=True) if found else said_frame()
    said = said.sort_values(["file", "sheet", "row"], kind="stable", ignore_index=True)   # not the files' order
    labels = dict(zip(rows.index, key_labels(spec, rows)))
    typed = _typer(spec)
    said = readable(result.issues, said, ShipmentStatus, "atd", as_of,
                    "实际开船日期晚于截至日期 {as_of} the ATD is after the as-of date {as_of}: not sailed yet")
    said = disputed(result, sides, said, labels, typed, timestamp)
    first = said.drop_duplicates(["target", "name"])
    by = {name: part.set_index("target") for name, part in first.groupby("name")}
    left = {row for row, number in rows["shipment_no"].items() if party_key(number) in sailed}
    applied = _applied(result, sides, by, left, labels, timestamp)
    if spec is SHIP:
        _status(result, by, applied, labels, timestamp)
    for name in our_fields(spec):
        ours(result, sides, by.get(name), name, labels, typed, timestamp)
    return result


def _typer(spec: schema.Table):
    def typed(name: str, values: pd.Series) -> tuple[pd.Series, pd.Series]:
        if name == "status":
            read = [(None, None) if is_blank(v) else _status_of(v) for v in values.tolist()]
            return (pd.Series([shown for shown, _ in read], index=values.index, dtype=object),
                    pd.Series([code for _, code in read], index=values.index, dtype=object))
        return typed_values(spec, name, values)
    return typed


def _status_of(value) -> tuple[str, str | None]:
    """A status cell as written (its label) and its code; a cell that is no status as shown, None."""
    member = ShipmentStatus.read(value)
    return (display_text(value), None) if member is None else (member.label, member.value)


def _matched(result: TableSync, spec: schema.Table, one: SyncFile, held: pd.Series, shipments: pd.DataFrame,
             rows: pd.DataFrame) -> pd.DataFrame:
    """The values ``one`` gives for the rows it matches, its unusable rows as issues."""
    frame, file = _by_reference(result, spec, one, shipments), one.file
    parts, keys = key_parts(spec, frame), row_keys(spec, frame)
    labels = key_labels(spec, frame.reindex(columns=list(spec.row_key)))
    twice = set(held.index[held.index.duplicated()])
    first = held[~held.index.duplicated()]
    numbers = set(map_distinct(shipments["shipment_no"], party_key, ""))
    seen: dict[str, int] = {}
    targets = np.full(len(frame), -1, dtype=np.int64)
    reference = reference_of(one.frame, spec)
    headers = {"shipment_no": one.headers.get(reference), **one.headers}   # found by its reference
    key_header = " + ".join(headers.get(n) or spec.header(n) for n in spec.row_key)
    for pos, key in enumerate(keys):
        where = (file, frame["_sheet"].iat[pos], int(frame["_row"].iat[pos]))
        blank = [name for name in spec.row_key if parts[name].iat[pos] == ""]
        if "shipment_no" in blank:
            continue   # named already: by the reader (a blank shipment number) or by its booking number
        if blank:
            f = spec.field(blank[0])
            result.issues.append(Issue(*where, one.headers.get(f.name, f.header), None, Reason.BLANK_KEY,
                                       f"没有{f.zh}，未应用 no {f.en}: row not applied"))
        elif key in seen:
            result.issues.append(Issue(*where, key_header, labels[pos], Reason.DUPLICATE,
                                       f"同一行已在第 {seen[key]} 行 the same {spec.sheet} row was given by row "
                                       f"{seen[key]}; this row is not used"))
        elif key in twice:
            result.issues.append(Issue(*where, key_header, labels[pos], Reason.AMBIGUOUS_MATCH,
                                       f"{spec.sheet} 有多行是此键，未应用 {spec.sheet} has several rows with this "
                                       "key: not applied; give each its own key"))
        elif key not in first.index:
            result.issues.append(Issue(*where, key_header, labels[pos], Reason.UNKNOWN_SHIPMENT,
                                       _unknown(spec, parts["shipment_no"].iat[pos], labels[pos], numbers, held,
                                                rows)))
        else:
            targets[pos] = first[key]
            seen[key] = int(frame["_row"].iat[pos])
    result.counts[file].matched = int((targets >= 0).sum())
    names = [*theirs(spec), *(["status"] if spec is SHIP else []), *our_fields(spec)]
    return given(SyncFile(file, frame, one.headers), targets, names, _typer(spec), spec)


def _by_reference(result: TableSync, spec: schema.Table, one: SyncFile, shipments: pd.DataFrame) -> pd.DataFrame:
    """``one``'s rows with their shipment number: a file without that column names the shipment by its
    booking number, or (a packing list) our invoice number (``reference_of``; a blank, unknown or
    shared one: an issue, the row marked ``_unmatched``)."""
    frame = one.frame
    reference = reference_of(frame, spec)
    if reference is None:
        return frame
    known = numbered_by(shipments, reference)
    header = one.headers.get(reference, SHIP.header(reference))
    zh, en = _REFERENCE_WORDS[reference]
    numbers, unmatched = [], []
    for value, sheet, row in zip(frame[reference], frame["_sheet"], frame["_row"]):
        number = "" if is_blank(value) else known.get(party_key(value))
        where = (one.file, sheet, int(row), header, display_text(value))
        if is_blank(value):
            result.issues.append(Issue(*where, Reason.BLANK_KEY, f"没有{zh} no {en} "
                                       "(the file has no shipment number column): row not applied"))
        elif number is None:
            result.issues.append(Issue(*where, Reason.UNKNOWN_SHIPMENT, f"{SHIP.sheet} 中没有此{zh} no shipment "
                                       f"with this {en} in {SHIP.sheet}; 文件不新增出运 a file does not add "
                                       "shipments: not applied"))
        elif number == "":
            result.issues.append(Issue(*where, Reason.AMBIGUOUS_MATCH, f"{SHIP.sheet} 有多个出运是此{zh} several "
                                       f"shipments have this {en} in {SHIP.sheet}: not applied; give the "
                                       "shipment number"))
        numbers.append(number or None)
        unmatched.append(not number)
    return frame.assign(shipment_no=numbers, _unmatched=unmatched)


def _unknown(spec: schema.Table, number: str, label: str, numbers: set[str], held: pd.Series,
             rows: pd.DataFrame) -> str:
    """The message of a row the table does not have (``held``: the table's row of each key)."""
    if spec is SHIP or number not in numbers:
        return (f"找不到出运 {label.split(' / ')[0]} no such shipment in {SHIP.sheet}; 文件不新增出运 a file does not add "
                "shipments: not applied")
    mine = held[[key.split("|")[0] == number for key in held.index]].to_numpy()
    carried = [label.split(" / ", 1)[1] for label in key_labels(spec, rows.loc[mine])]
    have = ", ".join(carried[:5]) + (f", … ({len(carried)} in all)" if len(carried) > 5 else "") or "none"
    return (f"出运未包含 {label} the shipment does not carry this line (it carries: {have}); 装箱单不新增出运明细 "
            "a packing list does not add lines to a shipment: not applied")


def _applied(result: TableSync, sides: Sides, by: dict, left: set, labels: dict, timestamp) -> list[dict]:
    """Apply the file's fields (the first value given for each row's field) as the module says;
    returns the values applied."""
    applied = []
    for name in theirs(sides.spec):
        for target, rec in by.get(name, pd.DataFrame()).iterrows():
            old = result.rows.at[target, name]
            if _same(sides.spec, name, old, rec["value"]):
                result.counts[rec["file"]].kept += 1
            elif is_blank(old) or name in SCHEDULE and target not in left:
                applied.append(apply_value(result, sides.spec, rec, target, name, rec["value"], labels, timestamp))
            else:
                conflict(result, sides, rec, target, name, old, labels, timestamp,
                         "已开船，船期不再更改 the shipment has left: its schedule stays" if name in SCHEDULE else
                         f"{sides.spec.header(name)} 一经记录不由文件更改 once recorded, a file does not change it "
                         "(clear the cell to take the file's)")
    return applied


def _same(spec: schema.Table, name: str, old, new) -> bool:
    """True when the table's ``old`` is the file's ``new`` (text as names are compared, a date by its
    day, a number to the cent)."""
    if is_blank(old):
        return False
    kind = spec.field(name).kind
    if kind == schema.TEXT:
        return party_key(display_text(old)) == party_key(new)
    if kind == schema.DATE:
        return pd.Timestamp(old).normalize() == pd.Timestamp(new).normalize()
    return round(float(old), 4) == round(float(new), 4)


def _status(result: TableSync, by: dict, applied: list[dict], labels: dict, timestamp) -> None:
    """What the dates applied say of a shipment's status; the file's status kept or a conflict."""
    rows, spec = result.rows, SHIP
    moved = {}
    for rec in applied:
        target, status = rec["target"], _code(rows.at[rec["target"], "status"])
        if status is None:
            continue   # a status that is none: the book names it
        if rec["name"] == "atd" and status not in (*(s.value for s in SAILED), ShipmentStatus.CANCELLED.value):
            moved[target] = (ShipmentStatus.SAILED, rec)
        elif rec["name"] == BOOKING and status == ShipmentStatus.PLANNED.value and target not in moved:
            moved[target] = (ShipmentStatus.BOOKED, rec)
    for target in sorted(moved):
        status, rec = moved[target]
        apply_value(result, spec, pd.Series(rec), target, "status", status.label, labels, timestamp)
    for target, rec in by.get("status", pd.DataFrame()).iterrows():
        old = rows.at[target, "status"]
        if rec["key"] == _code(old):
            result.counts[rec["file"]].kept += 1
        else:
            conflict(result, SIDES[SHIP.key], rec, target, "status", old, labels, timestamp,
                     "状态是我方的，文件只通过订舱号和实际开船日期改变它 the status is ours: a file moves it only "
                     "by the booking number (BOOKED) and the ATD (SAILED)")


def _code(value) -> str | None:
    """A status cell's code (blank: PLANNED; None when it is no status)."""
    if is_blank(value):
        return ShipmentStatus.PLANNED.value
    member = ShipmentStatus.read(value)
    return member and member.value
