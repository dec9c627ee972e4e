"""gendan sync: supplier progress files into the master, logged, refreshed, one save."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from .. import schema
from ..importers.extract import Extracted, extract_table
from ..importers.reading import read_source
from ..importers.references import resolve_references
from ..issues import reason_counts
from ..profiles import detect_profile, profile_updates, saved_profiles
from ..changes import HISTORY_FIELDS
from ..sync import SUPPLIER_FIELDS, SYNC_NOTE, sync_rows
from .common import append_log, issue_rows, now, open_workbook, path_text, writes_master
from .long_text import cut_long_text
from .refresh import refresh


@writes_master("sync", unless=lambda kwargs: kwargs.get("dry_run", False))
def sync(target, files, *, mapping: dict[str, str] | None = None, sheet=None, profile: str | None = None,
         dry_run: bool = False, as_of: dt.date | None = None) -> dict:
    """Import supplier progress files into the master: supplier-owned fields updated, conflicts on
    our fields reported, every change logged, every unusable row listed; then refresh, one save.

    A file with a known layout uses its saved mapping profile; ``mapping`` teaches a new layout and is
    saved as ``profile`` (default: the file name). ``dry_run`` reports without writing anything.
    """
    wb = open_workbook(target)
    orders = wb.read(schema.ORDERS)
    profiles = wb.read(schema.PROFILES)
    stamp = now()
    current, changes, issues, files_done = orders.frame, [], [], []
    profile_frame, profile_new = profiles.frame, []
    for file in files:
        path = Path(file)
        name, extracted = _extract(path, mapping, profile, sheet, profile_frame, as_of)
        extracted, refs = resolve_references(extracted)
        extracted, cut = cut_long_text(extracted)
        incoming = extracted.frame
        if "remarks" in incoming.columns and "supplier_remarks" not in incoming.columns:
            incoming = incoming.rename(columns={"remarks": "supplier_remarks"})  # a supplier's remarks are theirs
        result = sync_rows(current, incoming, file=path.name, timestamp=stamp, headers=extracted.mapping)
        current = result.orders
        changes += result.changes
        file_issues = extracted.issue_list() + cut + result.issues
        issues += file_issues
        if mapping:
            profile_frame, added = profile_updates(profile_frame, name, extracted.mapping, extracted.sheet, stamp)
            profile_new.append(added)
        files_done.append({"file": str(path), "sheet": extracted.sheet, "profile": name,
                           "rows": len(extracted.frame), "matched": result.matched,
                           "changed_lines": len(result.changed_lines),
                           "changed_values": sum(c["note"] == SYNC_NOTE for c in result.changes),
                           "issues": reason_counts(file_issues),
                           "references": {"resolved": refs.resolved, "unresolved": refs.unresolved,
                                          "markers": refs.markers}})
    summary = {"workbook": str(wb.path), "dry_run": dry_run, "files": files_done,
               "changed_values": sum(f["changed_values"] for f in files_done), "issues": reason_counts(issues),
               **issue_rows(issues)}
    if dry_run:
        summary["changes"] = [f"{c['order_key']}: {c['field']} {c['old']} → {c['new']} ({c['note']})"
                              for c in changes]
        return summary
    wb.write(orders, current, SUPPLIER_FIELDS + HISTORY_FIELDS)
    logged, listed = append_log(wb, changes, issues)
    if mapping:
        wb.write(profiles, profile_frame, ["header", "sheet", "updated"], appended=pd.concat(profile_new))
    summary["refresh"] = refresh(wb, as_of=as_of, save=False)
    summary.update({"change_log_rows": logged, "import_issue_rows": listed, "backup": path_text(wb.save())})
    return summary


def _extract(path: Path, mapping, profile, sheet, profiles: pd.DataFrame, as_of) -> tuple[str | None, Extracted]:
    """Read one supplier file with the given mapping, else a saved profile whose headers it has,
    else the schema's own spellings. Returns the profile name (None when none applies)."""
    name, used = (profile or path.stem, mapping) if mapping else (None, None)
    source = read_source(path)
    if not mapping:
        found = detect_profile(source.sheets, saved_profiles(profiles))
        if found:
            name, entry = found
            used, sheet = entry["mapping"], sheet or entry["sheet"]
    return name, extract_table(source, schema.ORDERS, mapping=used, sheet=sheet,
                               reference_date=as_of or dt.date.today())
