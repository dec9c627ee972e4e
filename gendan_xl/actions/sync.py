"""gendan sync: supplier progress files into the master, logged, refreshed, one save."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.importers.extract import Extracted, extract_table
from gendan_xl.importers.reading import SourceFile, read_source
from gendan_xl.importers.references import resolve_references
from gendan_xl.model.issues import reason_counts
from gendan_xl.model.profiles import detect_profile, profile_updates, profiles_mapping, saved_profiles
from gendan_xl.model.changes import HISTORY_FIELDS
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.ta.milestone_sync import MilestoneSync, suppliers_milestones, sync_milestones, sync_table
from gendan_xl.actions.milestone_step import read_milestones, templates_of
from gendan_xl.rules.plausible_dates import implausible_dates, line_anchors
from gendan_xl.rules.sync import SUPPLIER_FIELDS, SYNC_NOTE, Held, Matched, apply_rows, disputes, match_rows
from gendan_xl.shipments.closing import shipped
from gendan_xl.actions.shipment_step import read_shipments
from gendan_xl.actions.chase_return import typed_over
from gendan_xl.actions.date_orders import DateOrders
from gendan_xl.actions.common import append_log, issue_rows, now, path_text, writes_master
from gendan_xl.actions.context import run_context
from gendan_xl.actions.long_text import cut_long_text
from gendan_xl.actions.refresh import refresh
from gendan_xl.actions.results import SyncedFile, SyncResult

SAMPLE_KEY = schema.SAMPLES.row_key[0]   # a layout mapping it is a sample file's (``sample_sync.py``)
# a layout mapping one of them is a booking confirmation's or a packing list's (``shipment_sync.py``)
SHIPMENT_KEYS = (schema.SHIPMENTS.row_key[0], "booking_no", "invoice_no")


class MilestoneFiles:
    """The milestone side of a sync: the file columns to read (from the master's T&A templates) and
    the Milestones table as it changes file by file. A master without the T&A tables reads none."""

    def __init__(self, wb, mapping: dict[str, str] | None):
        self.wb = wb
        ready = wb.has_table(schema.TA_TEMPLATES) and wb.has_table(schema.MILESTONES)
        templates = templates_of(wb) if ready else None
        self.table = sync_table(templates)
        self.owners = {} if templates is None else dict(zip(templates["milestone"], templates["owner"].str.split().str[0]))
        for code in mapping or {}:
            if code not in schema.ORDERS.names and code not in self.owners:
                raise GendanError("--map 未知字段或工序代码 unknown field or milestone code in --map", value=code,
                                  expected="an order field (" + ", ".join(schema.ORDERS.names) + ") or a milestone "
                                  "code of the T&A Templates (" + (", ".join(self.owners) or "none") + ")",
                                  code=ErrorCode.UNKNOWN_FIELD)
        self.frame = read_milestones(wb) if ready else None

    def apply(self, incoming, targets, orders, **where):
        if self.frame is None:
            return MilestoneSync(None)
        done = sync_milestones(self.frame, incoming, targets, orders, self.owners, **where)
        self.frame = done.milestones
        return done

    def write(self) -> None:
        if self.frame is not None:
            self.wb.write(self.wb.read(schema.MILESTONES), self.frame, ["actual_date"])


@writes_master("sync", unless=lambda kwargs: kwargs.get("dry_run", False))
def sync(target, files, *, mapping: dict[str, str] | None = None, sheet=None, profile: str | None = None,
         dry_run: bool = False, as_of: dt.date | None = None, dayfirst: bool | None = None,
         far_date: bool = False) -> SyncResult:
    """Import supplier progress files into the master: supplier-owned fields updated, conflicts on
    our fields reported (the ship date and shipped qty of a line a departed shipment carries are
    the shipment's: ``shipments/closing.py``), every change logged, every unusable row listed; then
    refresh, one save.

    A file with a known layout uses its saved mapping profile; ``mapping`` teaches a new layout and is
    saved as ``profile`` (default: the file name). ``dry_run`` reports without writing anything.
    ``dayfirst`` gives the day/month order of the files' dates (else each file's own dates, else its
    supplier's remembered order decide: ``date_order.py``); dates implausible for their line are
    not applied (``plausible_dates.py``).
    """
    run = run_context(target, as_of)
    wb, as_of, orders = run.wb, run.as_of, run.orders
    profiles = wb.read(schema.PROFILES)
    milestones = MilestoneFiles(wb, mapping)
    date_orders = DateOrders(wb, dayfirst)
    stamp = now()
    current, changes, issues, files_done = orders.frame, [], [], []
    profile_frame, profile_new = profiles.frame, []
    read = []   # every file matched first: the files' disputes decide what none of them applies
    for file in files:
        path = Path(file)
        name, source, extracted = extract_file(path, mapping, profile, sheet,
                                               profiles_mapping(profile_frame, (SAMPLE_KEY, *SHIPMENT_KEYS), maps=False), as_of,
                                               milestones.table, dayfirst)
        extracted, refs = resolve_references(extracted)
        extracted, cut = cut_long_text(extracted)
        found = match_rows(current, extracted.frame, file=path.name, tables=extracted.table_rows)
        extracted, date_order = date_orders.settle(extracted, current, found.targets)   # its supplier's order
        incoming = extracted.frame
        if "remarks" in incoming.columns and "supplier_remarks" not in incoming.columns:
            incoming = incoming.rename(columns={"remarks": "supplier_remarks"})  # a supplier's remarks are theirs
        incoming, implausible = implausible_dates(incoming, line_anchors(current, found.targets), file=path.name,
                                                  headers=extracted.mapping)
        matched = Matched(path.name, incoming, found.targets, found.issues)   # the same rows, dates read in order
        read.append((path, name, extracted, refs, cut + typed_over(source, extracted) + implausible, matched,
                     date_order))
    disputed = disputes([matched for *_, matched, _ in read], suppliers_milestones(milestones.owners))
    book = read_shipments(run)
    held = Held(shipped(book, as_of)) if book is not None else None   # the departed shipments' lines
    for path, name, extracted, refs, cut, matched, date_order in read:
        incoming = matched.incoming
        result = apply_rows(current, matched, timestamp=stamp, headers=extracted.mapping, disputes=disputed,
                            held=held)
        dated = milestones.apply(incoming, result.targets, current, file=path.name, timestamp=stamp,
                                 headers=extracted.mapping, disputes=disputed)
        current = result.orders
        changes += result.changes + dated.changes
        file_issues = extracted.issue_list() + cut + result.issues + dated.issues
        issues += file_issues
        if mapping:
            profile_frame, added = profile_updates(profile_frame, name, extracted.mapping, extracted.sheet, stamp)
            profile_new.append(added)
        files_done.append(SyncedFile(file=str(path), sheet=extracted.sheet, profile=name, rows=len(extracted.frame),
                                     matched=result.matched, changed_lines=len(result.changed_lines),
                                     changed_values=sum(c["note"] == SYNC_NOTE for c in result.changes),
                                     milestone_dates=dated.changed, date_order=date_order,
                                     issues=reason_counts(file_issues), references=refs, stated=extracted.stated))
    summary = SyncResult(workbook=str(wb.path), dry_run=dry_run, files=files_done,
                         changed_values=sum(f.changed_values for f in files_done), issues=reason_counts(issues),
                         **issue_rows(issues))
    if dry_run:
        return replace(summary, changes=[f"{c['order_key']}: {c['field']} {c['old']} → {c['new']} ({c['note']})"
                                         for c in changes])
    wb.write(orders, current, SUPPLIER_FIELDS + HISTORY_FIELDS)
    milestones.write()
    date_orders.write()
    logged, listed = append_log(wb, changes, issues, as_of)
    if mapping:
        wb.write(profiles, profile_frame, ["header", "sheet", "updated"], appended=pd.concat(profile_new))
    refreshed = refresh(wb, as_of=as_of, save=False, far_date=far_date)
    return replace(summary, refresh=refreshed, change_log_rows=logged, import_issue_rows=listed,
                   backup=path_text(wb.save()))


def extract_file(path: Path, mapping, profile, sheet, profiles: pd.DataFrame, as_of,
             table: schema.Table, dayfirst: bool | None) -> tuple[str | None, SourceFile, Extracted]:
    """Read one supplier file with the given mapping, else a saved profile whose headers it has,
    else the schema's own spellings. Returns the profile name (None when none applies) and the file read."""
    name, used = (profile or path.stem, mapping) if mapping else (None, None)
    source = read_source(path)
    if not mapping:
        found = detect_profile(source.sheets, saved_profiles(profiles))
        if found:
            name, entry = found
            used, sheet = entry["mapping"], sheet or entry["sheet"]
    return name, source, extract_table(source, table, mapping=used, sheet=sheet, reference_date=as_of,
                                       dayfirst=dayfirst)
