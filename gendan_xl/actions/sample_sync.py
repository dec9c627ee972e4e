"""gendan sync --table samples: suppliers' sample files into the 样品 Samples register (sent date,
courier, tracking number), logged, refreshed, one save."""

from __future__ import annotations

import datetime as dt
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.profiles import profiles_mapping
from gendan_xl.importers.extract import Extracted
from gendan_xl.rules.table_loading import row_keys
from gendan_xl.samples.register import read_register, sample_suppliers
from gendan_xl.samples.supplier_sync import SampleFile, sync_samples as apply_files
from gendan_xl.actions.added_tables import ensure_table
from gendan_xl.actions.common import writes_master
from gendan_xl.actions.context import run_context
from gendan_xl.actions.results import TableSyncResult
from gendan_xl.actions.sync import SAMPLE_KEY
from gendan_xl.actions.table_sync import TableFiles

SPEC = schema.SAMPLES


@writes_master("sync", unless=lambda kwargs: kwargs.get("dry_run", False))
def sync_samples(target, files, *, mapping: dict[str, str] | None = None, sheet=None, profile: str | None = None,
                 dry_run: bool = False, as_of: dt.date | None = None, dayfirst: bool | None = None,
                 far_date: bool = False) -> TableSyncResult:
    """Read suppliers' sample files into the rounds of 样品 Samples (``samples/supplier_sync.py``):
    their sent dates, couriers and tracking numbers applied, conflicts and unusable rows listed,
    every change logged; then refresh, one save. Files are read as ``sync`` reads them (saved
    profiles of sample files, ``mapping`` saved as ``profile``, the day/month order given, shown or
    remembered for the rounds' supplier). An older master gets the table first (then no round matches).
    ``dry_run`` reports without writing anything."""
    run = run_context(target, as_of)
    wb, as_of, orders = run.wb, run.as_of, run.orders.frame
    added = ensure_table(wb, SPEC)
    table = wb.read(SPEC)
    suppliers = pd.DataFrame({"supplier": sample_suppliers(read_register(table.frame, orders, file=None), orders)})
    ours = pd.Series(table.frame.index, index=row_keys(SPEC, table.frame).to_numpy())
    ours = ours[~ours.index.duplicated()]

    def rounds(extracted):
        keys = row_keys(SPEC, extracted.frame)
        matched = keys[keys.isin(ours.index)]
        return suppliers, pd.Series(ours[matched].to_numpy(), index=matched.index)

    reading = TableFiles(wb, mapping, dayfirst)
    read = reading.read(files, SPEC, profile=profile, sheet=sheet, as_of=as_of,
                        saved=lambda frame: profiles_mapping(frame, SAMPLE_KEY), check=_check_keys, key="round",
                        suppliers=rounds)
    done = apply_files(table.frame, [SampleFile(one.path.name, one.extracted.frame, one.extracted.mapping)
                                     for one in read], orders, as_of=as_of, timestamp=reading.stamp)
    return reading.result(read, done, table, added=added, dry_run=dry_run, as_of=as_of, far_date=far_date)


def _check_keys(extracted: Extracted) -> None:
    """GendanError when the sheet read has no sample number or no round column (no row could match)."""
    missing = [SPEC.header(name) for name in SPEC.row_key if name not in extracted.mapping]
    if missing:
        raise GendanError("样品文件须有样品编号和轮次列 a sample file needs its sample number and round columns",
                          file=extracted.file, sheet=extracted.sheet, row=extracted.header_row,
                          value=", ".join(extracted.mapping.values()) or None,
                          expected="columns for " + " and ".join(missing) + " (or --map sample_no=HEADER "
                          "--map round=HEADER)", code=ErrorCode.COLUMN_MISSING)
