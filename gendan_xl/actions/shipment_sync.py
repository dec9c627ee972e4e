"""gendan sync --table shipments|shipment_lines: a forwarder's booking confirmation into 出运 Shipments,
a packing list into 出运明细 Shipment Lines (``shipments/forwarder_sync.py``), logged, refreshed (a
shipment given its ATD closes its lines), one save."""

from __future__ import annotations

import datetime as dt
import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.profiles import profiles_mapping
from gendan_xl.model.values import map_distinct, party_key
from gendan_xl.importers.extract import Extracted
from gendan_xl.rules.table_sync import SyncFile
from gendan_xl.shipments.forwarder_sync import LINES_READ, references, shipment_rows, sync_forwarder
from gendan_xl.actions.added_tables import ensure_table
from gendan_xl.actions.common import writes_master
from gendan_xl.actions.context import run_context
from gendan_xl.actions.results import TableSyncResult
from gendan_xl.actions.shipment_step import read_shipments
from gendan_xl.actions.sync import SHIPMENT_KEYS
from gendan_xl.actions.table_sync import TableFiles

SHIP, LINES = schema.SHIPMENTS, schema.SHIPMENT_LINES


@writes_master("sync", unless=lambda kwargs: kwargs.get("dry_run", False))
def sync_shipments(target, files, spec: schema.Table, *, mapping: dict[str, str] | None = None, sheet=None,
                   profile: str | None = None, dry_run: bool = False, as_of: dt.date | None = None,
                   dayfirst: bool | None = None, far_date: bool = False) -> TableSyncResult:
    """Read forwarders' booking confirmations (``spec`` SHIPMENTS) or packing lists (SHIPMENT_LINES)
    into the shipments and lines we have: the forwarder's and packer's fields applied, conflicts and
    unusable rows listed, every change logged; then refresh, one save. Files are read as ``sync``
    reads them (saved profiles of such files, ``mapping`` saved as ``profile``, the day/month order
    given, shown, or remembered for the shipments' forwarder when it is a row of 供应商 Suppliers). An
    older master gets the tables first (then nothing matches). ``dry_run`` reports without writing."""
    run = run_context(target, as_of)
    wb, as_of = run.wb, run.as_of
    added = any([ensure_table(wb, SHIP), ensure_table(wb, spec)])
    table = wb.read(spec)
    book = read_shipments(run)
    shipments = book.shipments
    left = book.departed(as_of)
    sailed = set(map_distinct(shipments["shipment_no"][~np.isnat(left)], party_key, ""))
    forwarders = pd.DataFrame({"supplier": shipments["forwarder"]})
    reading = TableFiles(wb, mapping, dayfirst)
    read = reading.read(files, SHIP if spec is SHIP else LINES_READ, profile=profile, sheet=sheet, as_of=as_of,
                        saved=lambda frame: _layouts(frame, spec), check=lambda extracted: _check_keys(extracted, spec),
                        key="shipment_no" if spec is SHIP else "line",
                        suppliers=lambda extracted: (forwarders, shipment_rows(extracted.frame, shipments, spec)))
    done = sync_forwarder(spec, table.frame, shipments, [SyncFile(one.path.name, one.extracted.frame,
                                                                  one.extracted.mapping) for one in read],
                          sailed=sailed, as_of=as_of, timestamp=reading.stamp)
    return reading.result(read, done, table, added=added, dry_run=dry_run, as_of=as_of, far_date=far_date)


def _layouts(frame: pd.DataFrame, spec: schema.Table) -> pd.DataFrame:
    """The Profiles rows of the layouts taught for ``spec``'s files: they map a shipment or booking
    number; a packing list's its PO too, a booking confirmation's never."""
    mine = profiles_mapping(frame, SHIPMENT_KEYS)
    return profiles_mapping(mine, "po_no", maps=spec is LINES)


def _check_keys(extracted: Extracted, spec: schema.Table) -> None:
    """GendanError when the sheet read cannot name a row of ``spec``: no shipment nor booking number
    column, or (a packing list) no PO or line column."""
    found, keys = set(extracted.mapping) | set(extracted.stated), ("shipment_no", *references(spec))
    missing = [] if found & set(keys) else [" / ".join(SHIP.header(name) for name in keys)]
    missing += [spec.header(name) for name in spec.row_key[1:] if name not in found]
    if missing:
        kind = "订舱确认 a booking confirmation" if spec is SHIP else "装箱单 a packing list"
        raise GendanError(f"{kind} 须有能找到{spec.sheet}行的列 needs the columns that find its {spec.sheet} rows",
                          file=extracted.file, sheet=extracted.sheet, row=extracted.header_row,
                          value=", ".join(extracted.mapping.values()) or None,
                          expected="columns for " + " and ".join(missing) + " (or --map FIELD=HEADER)"
                          + (", or one of them stated above a packing list's table ('Booking No.: BKG-1')"
                             if spec is LINES and not found & set(keys) else ""),
                          code=ErrorCode.COLUMN_MISSING)
