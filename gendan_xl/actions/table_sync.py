"""What the syncs of files into a table other than Orders share (``sample_sync.py``,
``shipment_sync.py``): each file read as ``sync`` reads them (a saved profile of the table's files,
``--map`` saved as a profile), checked for its key columns, its back references and over-long texts
resolved, its dates in the file's order; then, once the rows are applied, the table, the remembered
date orders, the Change Log and the profiles written, a refresh, one save."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.issues import Issue, reason_counts
from gendan_xl.model.profiles import profile_updates
from gendan_xl.importers.extract import Extracted
from gendan_xl.importers.references import resolve_references
from gendan_xl.actions.common import append_log, issue_rows, now, path_text
from gendan_xl.actions.date_orders import DateOrders
from gendan_xl.actions.long_text import cut_long_text
from gendan_xl.actions.refresh import refresh
from gendan_xl.actions.results import FileDateOrder, TableSyncedFile, TableSyncResult
from gendan_xl.actions.sync import extract_file

# The rows of the table's suppliers (a ``supplier`` column) and the one each matched file row is,
# that decide which supplier's remembered day/month order a file follows (``DateOrders.settle``).
Suppliers = Callable[[Extracted], tuple[pd.DataFrame, pd.Series]]


@dataclass(frozen=True)
class ReadFile:
    """One file as read: its path, the profile used, the rows, the over-long texts cut, its dates' order."""

    path: Path
    profile: str | None
    extracted: Extracted
    cut: list[Issue]
    date_order: FileDateOrder | None


class TableFiles:
    """The files of one sync into a table: ``read`` each, then ``save`` the master."""

    def __init__(self, wb, mapping: dict[str, str] | None, dayfirst: bool | None):
        self.wb, self.mapping, self.dayfirst = wb, mapping, dayfirst
        self.date_orders = DateOrders(wb, dayfirst)
        self.profiles = wb.read(schema.PROFILES)
        self.profile_frame = self.profiles.frame
        self.profile_new: list[pd.DataFrame] = []
        self.stamp = now()

    def read(self, files, spec: schema.Table, *, profile: str | None, sheet, as_of,
             saved: Callable[[pd.DataFrame], pd.DataFrame], check: Callable[[Extracted], None], key: str,
             suppliers: Suppliers) -> list[ReadFile]:
        """Each of ``files`` read into ``spec``'s fields, with the saved profiles ``saved`` keeps of the
        Profiles rows (the layouts taught for this table); ``check`` raises for a file without its key
        columns; back references resolved by field ``key``."""
        read = []
        for file in files:
            path = Path(file)
            name, _, extracted = extract_file(path, self.mapping, profile, sheet, saved(self.profile_frame), as_of,
                                              spec, self.dayfirst)
            check(extracted)
            extracted, _ = resolve_references(extracted, key=key)
            extracted, cut = cut_long_text(extracted)
            extracted, date_order = self.date_orders.settle(extracted, *suppliers(extracted))
            read.append(ReadFile(path, name, extracted, cut, date_order))
            if self.mapping:
                self.profile_frame, more = profile_updates(self.profile_frame, name, extracted.mapping,
                                                           extracted.sheet, self.stamp)
                self.profile_new.append(more)
        return read

    def save(self, table, rows: pd.DataFrame, fields: list[str], changes: list[dict], issues: list[Issue], *,
             as_of, far_date: bool) -> dict:
        """Write ``rows``' ``fields`` into ``table``, the date orders learnt, the Change Log and Import
        Issues rows, the profile taught; refresh; save. Returns the result's fields it fills."""
        wb = self.wb
        wb.write(table, rows, fields)
        self.date_orders.write()
        logged, listed = append_log(wb, changes, issues, as_of)
        if self.mapping:
            wb.write(self.profiles, self.profile_frame, ["header", "sheet", "updated"],
                     appended=pd.concat(self.profile_new))
        refreshed = refresh(wb, as_of=as_of, save=False, far_date=far_date)
        return {"refresh": refreshed, "change_log_rows": logged, "import_issue_rows": listed,
                "backup": path_text(wb.save())}


    def result(self, read: list[ReadFile], done, table, *, added: bool, dry_run: bool, as_of,
               far_date: bool) -> TableSyncResult:
        """The sync's result once the rules applied the files (``done``: its rows, fields, changes,
        issues and counts per file name): each file's counts and issues (its reading's and the rules'),
        the totals; a dry run lists the changes, else the master is saved (``save``)."""
        issues, files_done = [], []
        for one in read:
            mine = one.extracted.issue_list() + one.cut + [i for i in done.issues if i.file == one.path.name]
            issues += mine
            counts = done.counts[one.path.name]
            files_done.append(TableSyncedFile(file=str(one.path), sheet=one.extracted.sheet, profile=one.profile,
                                              rows=counts.rows, matched=counts.matched, applied=counts.applied,
                                              kept=counts.kept, conflicts=counts.conflicts,
                                              date_order=one.date_order, issues=reason_counts(mine),
                                              stated=one.extracted.stated))
        summary = TableSyncResult(workbook=str(self.wb.path), table=table.spec.key, table_added=added,
                                  dry_run=dry_run, files=files_done, applied=sum(f.applied for f in files_done),
                                  kept=sum(f.kept for f in files_done),
                                  conflicts=sum(f.conflicts for f in files_done), issues=reason_counts(issues),
                                  **issue_rows(issues))
        if dry_run:
            return replace(summary, changes=[f"{c['order_key']}: {c['field']} {c['old']} → {c['new']} ({c['note']})"
                                             for c in done.changes])
        return replace(summary, **self.save(table, done.rows, done.fields, done.changes, issues, as_of=as_of,
                                            far_date=far_date))
