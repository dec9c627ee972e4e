"""gendan sync --table samples: suppliers' sample files into the 样品 Samples register (sent date,
courier, tracking number), logged, refreshed, one save."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.issues import reason_counts
from gendan_xl.model.profiles import profile_updates, profiles_mapping
from gendan_xl.importers.extract import Extracted
from gendan_xl.importers.references import resolve_references
from gendan_xl.rules.table_loading import row_keys
from gendan_xl.samples.register import read_register, sample_suppliers
from gendan_xl.samples.supplier_sync import SampleFile, sync_samples as apply_files
from gendan_xl.actions.added_tables import ensure_table
from gendan_xl.actions.common import append_log, issue_rows, now, path_text, writes_master
from gendan_xl.actions.context import run_context
from gendan_xl.actions.date_orders import DateOrders
from gendan_xl.actions.long_text import cut_long_text
from gendan_xl.actions.refresh import refresh
from gendan_xl.actions.results import SampleSyncedFile, SampleSyncResult
from gendan_xl.actions.sync import SAMPLE_KEY, extract_file

SPEC = schema.SAMPLES


@writes_master("sync", unless=lambda kwargs: kwargs.get("dry_run", False))
def sync_samples(target, files, *, mapping: dict[str, str] | None = None, sheet=None, profile: str | None = None,
                 dry_run: bool = False, as_of: dt.date | None = None, dayfirst: bool | None = None,
                 far_date: bool = False) -> SampleSyncResult:
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
    profiles = wb.read(schema.PROFILES)
    date_orders = DateOrders(wb, dayfirst)
    suppliers = pd.DataFrame({"supplier": sample_suppliers(read_register(table.frame, orders, file=None), orders)})
    ours = pd.Series(table.frame.index, index=row_keys(SPEC, table.frame).to_numpy())
    ours = ours[~ours.index.duplicated()]
    stamp = now()
    profile_frame, profile_new, read = profiles.frame, [], []
    for file in files:
        path = Path(file)
        name, _, extracted = extract_file(path, mapping, profile, sheet, profiles_mapping(profile_frame, SAMPLE_KEY),
                                          as_of, SPEC, dayfirst)
        _check_keys(extracted)
        extracted, _ = resolve_references(extracted, key="round")
        extracted, cut = cut_long_text(extracted)
        keys = row_keys(SPEC, extracted.frame)
        matched = keys[keys.isin(ours.index)]
        extracted, date_order = date_orders.settle(extracted, suppliers, pd.Series(ours[matched].to_numpy(),
                                                                                   index=matched.index))
        read.append((path, name, extracted, cut, date_order))
        if mapping:
            profile_frame, more = profile_updates(profile_frame, name, extracted.mapping, extracted.sheet, stamp)
            profile_new.append(more)
    done = apply_files(table.frame, [SampleFile(path.name, extracted.frame, extracted.mapping)
                                     for path, _, extracted, _, _ in read], orders, as_of=as_of, timestamp=stamp)
    issues, files_done = [], []
    for path, name, extracted, cut, date_order in read:
        mine = extracted.issue_list() + cut + [i for i in done.issues if i.file == path.name]
        issues += mine
        counts = done.counts[path.name]
        files_done.append(SampleSyncedFile(file=str(path), sheet=extracted.sheet, profile=name, rows=counts.rows,
                                           matched=counts.matched, applied=counts.applied, kept=counts.kept,
                                           conflicts=counts.conflicts, date_order=date_order,
                                           issues=reason_counts(mine)))
    summary = SampleSyncResult(workbook=str(wb.path), table=SPEC.key, table_added=added, dry_run=dry_run,
                               files=files_done, applied=sum(f.applied for f in files_done),
                               kept=sum(f.kept for f in files_done), conflicts=sum(f.conflicts for f in files_done),
                               issues=reason_counts(issues), **issue_rows(issues))
    if dry_run:
        return replace(summary, changes=[f"{c['order_key']}: {c['field']} {c['old']} → {c['new']} ({c['note']})"
                                         for c in done.changes])
    wb.write(table, done.rows, done.fields)
    date_orders.write()
    logged, listed = append_log(wb, done.changes, issues, as_of)
    if mapping:
        wb.write(profiles, profile_frame, ["header", "sheet", "updated"], appended=pd.concat(profile_new))
    refreshed = refresh(wb, as_of=as_of, save=False, far_date=far_date)
    return replace(summary, refresh=refreshed, change_log_rows=logged, import_issue_rows=listed,
                   backup=path_text(wb.save()))


def _check_keys(extracted: Extracted) -> None:
    """GendanError when the sheet read has no sample number or no round column (no row could match)."""
    missing = [SPEC.header(name) for name in SPEC.row_key if name not in extracted.mapping]
    if missing:
        raise GendanError("样品文件须有样品编号和轮次列 a sample file needs its sample number and round columns",
                          file=extracted.file, sheet=extracted.sheet, row=extracted.header_row,
                          value=", ".join(extracted.mapping.values()) or None,
                          expected="columns for " + " and ".join(missing) + " (or --map sample_no=HEADER "
                          "--map round=HEADER)", code=ErrorCode.COLUMN_MISSING)
