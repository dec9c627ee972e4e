"""User-visible actions (new, load, refresh, export): workbook -> core -> workbook.

Shared by the command line and the ribbon. Each action returns a plain dict summary.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd

from . import schema
from .build.master_xlsm import write_macro_master
from .calendar import CalendarBook, seed_rows
from .errors import GendanError
from .importers.extract import extract_table
from .importers.values import normalise_key
from .parties import party_names, supplier_countries
from .report import build_report
from .settings import Settings
from .slack import evaluate
from .sync import SUPPLIER_FIELDS, is_blank, shown, sync_rows
from .profiles import detect_profile, profile_updates, saved_profiles
from .importers.reading import read_sheets
from .importers.references import resolve_references
from .workbook.create import write_new_master
from .workbook.master import MasterWorkbook, TableFrame
from .workbook.protocol import Workbook
from .workbook.reconcile_sheet import previous_resolutions, reconcile_sheet, sheet_name
from .workbook.report_sheet import report_sheet
from . import reconcile as recon

SEED_YEARS = range(2004, dt.date.today().year + 3)
LOADABLE = [f.name for f in schema.ORDERS.fields if f.owner in (schema.USER, schema.SUPPLIER)]


def new_master(path, *, force: bool = False, suppliers: pd.DataFrame | None = None,
               orders: pd.DataFrame | None = None) -> dict:
    """Create an empty master workbook (optionally seeded with suppliers and orders).

    ``.xlsx`` is the plain master; ``.xlsm`` adds the VBA project, the 跟单 Gendan ribbon and the
    xlwings.conf sheet for Excel.
    """
    path = Path(path)
    kind = path.suffix.lower()
    if kind not in (".xlsx", ".xlsm"):
        raise GendanError("主工作簿必须是 .xlsx 或 .xlsm the master workbook must be .xlsx or .xlsm", file=path)
    if path.exists() and not force:
        raise GendanError("文件已存在 file exists (use --force to overwrite)", file=path)
    if not path.parent.exists():
        raise GendanError("目录不存在 folder does not exist", file=path.parent)
    calendar = seed_rows(schema.COUNTRIES, SEED_YEARS)
    if kind == ".xlsx":
        write_new_master(path, calendar, Settings.rows(), suppliers, orders)
    else:
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=f".{path.stem}.") as folder:
            staged = Path(folder) / "master.xlsx"
            write_new_master(staged, calendar, Settings.rows(), suppliers, orders)
            write_macro_master(staged, path)
    return {"path": str(path), "calendar_rows": len(calendar), "orders": 0 if orders is None else len(orders),
            "macros": kind == ".xlsm"}


def open_workbook(target) -> Workbook:
    """A path opens the file; a Workbook (e.g. live Excel through xlwings) is used as it is."""
    return MasterWorkbook(target) if isinstance(target, (str, Path)) else target


def refresh(target, *, as_of: dt.date | None = None, save: bool = True, report: bool = True) -> dict:
    """Compute slack, flag and why for every line, write them and (unless ``report=False``) the
    weekly report, then save."""
    wb = open_workbook(target)
    orders = wb.read(schema.ORDERS)
    settings = Settings.from_frame(wb.read(schema.SETTINGS).frame)
    as_of = as_of or settings.as_of or dt.date.today()
    evaluated = _evaluate(wb, orders, settings, as_of)
    written = evaluated.assign(flag=evaluated["flag"].map(schema.flag_label))
    wb.write(orders, written, ["slack_wd", "flag", "why"])
    weekly = build_report(pd.concat([orders.frame.drop(columns=["slack_wd", "flag", "why"]),
                                     evaluated], axis=1), as_of)
    if report:
        wb.replace_sheet(report_sheet(weekly))
    backup = wb.save() if save else None
    summary = weekly.summary()
    summary.update({"workbook": str(wb.path), "backup": None if backup is None else str(backup),
                    "warnings": [_problem_text(p) for p in orders.problems]})
    return summary


def _evaluate(wb: Workbook, orders: TableFrame, settings: Settings, as_of: dt.date) -> pd.DataFrame:
    suppliers = wb.read(schema.SUPPLIERS).frame
    calendar = wb.read(schema.CALENDAR).frame
    frame = orders.frame
    years = _years(frame, as_of)
    book = CalendarBook.from_rows(calendar, years)
    countries = supplier_countries(frame["supplier"], suppliers, settings.default_country)
    result = evaluate(frame, countries, book, as_of, settings)
    for p in orders.problems:
        if p["row"] in result.index:
            note = f"{p['column']} '{p['value']}' 无法识别 not understood"
            result.loc[p["row"], "why"] = f"{note}; {result.loc[p['row'], 'why']}"
    return result[["slack_wd", "flag", "why"]]


def _years(frame: pd.DataFrame, as_of: dt.date) -> range:
    dates = pd.concat([frame[c] for c in schema.ORDERS.of_kind(schema.DATE)]).dropna()
    first = min([as_of.year, *([dates.min().year] if len(dates) else [])])
    last = max([as_of.year, *([dates.max().year] if len(dates) else [])])
    return range(first, last + 2)


def _problem_text(p: dict) -> str:
    return (f"{p['file']}, sheet {p['sheet']}, row {p['row']}, column {p['column']}: "
            f"value {p['value']!r} — {p['message']}")


def load_orders(target, file, *, mapping: dict[str, str] | None = None, sheet=None,
                as_of: dt.date | None = None) -> dict:
    """Load order lines from an ERP or hand-made export into the Orders table, then refresh.

    New keys (PO + line) are appended; known keys get the file's non-blank values; every unusable
    row is written to Import Issues and counted; every changed value to the Change Log.
    """
    wb = open_workbook(target)
    extracted, _ = resolve_references(extract_table(Path(file), schema.ORDERS, mapping=mapping, sheet=sheet))
    incoming = extracted.frame
    fields = [f for f in LOADABLE if f in incoming.columns]
    issues = [dict(r) for r in extracted.issues.to_dict("records")]
    now = dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")
    src = Path(file).name

    keys = _order_keys(incoming)
    blank = keys.str.startswith("|")
    for row in incoming.loc[blank, "_row"]:
        issues.append(_issue(src, extracted.sheet, row, schema.ORDERS.field("po_no").header, None, "blank_key",
                             "没有 PO 号，未导入 no PO number: line not loaded"))
    dup = keys.duplicated(keep="first") & ~blank
    for row, key in zip(incoming.loc[dup, "_row"], keys[dup]):
        issues.append(_issue(src, extracted.sheet, row, "PO + line", key, "duplicate",
                             "文件中重复的订单行，只导入第一行 duplicate order line in the file: first one kept"))
    usable = incoming[~blank & ~dup]
    usable_keys = keys[~blank & ~dup]

    orders = wb.read(schema.ORDERS)
    existing = pd.Series(orders.frame.index, index=_order_keys(orders.frame).to_numpy())
    existing = existing[~existing.index.duplicated(keep="first")]
    known = usable_keys.isin(existing.index)
    updated = orders.frame.copy()
    changes = []
    for inc_row, key in zip(usable.index[known.to_numpy()], usable_keys[known]):
        target = existing[key]
        for f in fields:
            new = usable.at[inc_row, f]
            old = updated.at[target, f]
            if is_blank(new) or _equal(old, new):
                continue
            updated.at[target, f] = new
            changes.append(_change(now, src, extracted.sheet, usable.at[inc_row, "_row"], key, f, old, new,
                                   "导入更新 load update"))
    wb.write(orders, updated, fields)
    appended = usable.loc[~known.to_numpy(), fields]
    wb.write(orders, orders.frame, [], appended=appended)
    _append_log(wb, changes, issues)
    refreshed = refresh(wb, as_of=as_of, save=False)
    backup = wb.save()
    return {"workbook": str(wb.path), "file": str(file), "sheet": extracted.sheet, "rows_read": len(incoming),
            "added": int(len(appended)), "updated_lines": len({c["order_key"] for c in changes}),
            "changed_values": len(changes), "issues": len(issues),
            "issue_counts": _reason_counts(issues), "backup": _str(backup), "refresh": refreshed}


HISTORY_FIELDS = ["first_eta", "prev_eta", "eta_slips"]


def sync(target, files, *, mapping: dict[str, str] | None = None, sheet=None, profile: str | None = None,
         dry_run: bool = False, as_of: dt.date | None = None) -> dict:
    """Import supplier progress files into the master: supplier-owned fields updated, conflicts on
    our fields reported, every change logged, every unusable row listed; then refresh, one save.

    A file with a known layout uses its saved mapping profile; ``mapping`` teaches a new layout and is
    saved as ``profile`` (default: the file name). ``dry_run`` reports without writing anything.
    """
    wb = open_workbook(target)
    orders = wb.read(schema.ORDERS)
    profiles_tf = wb.read(schema.PROFILES)
    now = dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")
    current, changes, issues, files_done = orders.frame, [], [], []
    profile_frame, profile_new = profiles_tf.frame, []
    for file in files:
        path = Path(file)
        used, name, chosen_sheet = mapping, profile or path.stem, sheet
        if not mapping:
            found = detect_profile(read_sheets(path), saved_profiles(profile_frame))
            if found:
                name, entry = found
                used, chosen_sheet = entry["mapping"], sheet or entry["sheet"]
        extracted = extract_table(path, schema.ORDERS, mapping=used, sheet=chosen_sheet,
                                  reference_date=as_of or dt.date.today())
        extracted, refs = resolve_references(extracted)
        incoming = extracted.frame
        if "remarks" in incoming.columns and "supplier_remarks" not in incoming.columns:
            incoming = incoming.rename(columns={"remarks": "supplier_remarks"})  # a supplier's remarks are theirs
        result = sync_rows(current, incoming, file=path.name, timestamp=now, headers=extracted.mapping)
        current = result.orders
        changes += result.changes
        file_issues = extracted.issues.to_dict("records") + result.issues
        issues += file_issues
        if mapping:
            profile_frame, appended = profile_updates(profile_frame, name, extracted.mapping, extracted.sheet, now)
            profile_new.append(appended)
        files_done.append({"file": str(path), "sheet": extracted.sheet, "profile": name if (mapping or used) else None,
                           "rows": len(extracted.frame), "matched": result.matched,
                           "changed_lines": len(result.changed_lines),
                           "changed_values": sum(c["note"] == "同步 sync" for c in result.changes),
                           "issues": _reason_counts(file_issues),
                           "references": {"resolved": refs.resolved, "unresolved": refs.unresolved,
                                          "markers": refs.markers}})
    summary = {"workbook": str(wb.path), "dry_run": dry_run, "files": files_done,
               "changed_values": sum(f["changed_values"] for f in files_done),
               "issues": _reason_counts(issues)}
    if dry_run:
        summary["changes"] = [f"{c['order_key']}: {c['field']} {c['old']} → {c['new']} ({c['note']})"
                              for c in changes]
        return summary
    wb.write(orders, current, SUPPLIER_FIELDS + HISTORY_FIELDS)
    logged, listed = _append_log(wb, changes, issues)
    if mapping:
        wb.write(profiles_tf, profile_frame, ["header", "sheet", "updated"], appended=pd.concat(profile_new))
    summary["refresh"] = refresh(wb, as_of=as_of, save=False)
    summary.update({"change_log_rows": logged, "import_issue_rows": listed, "backup": _str(wb.save())})
    return summary


def reconcile(target, statement, *, party: str, period: str | None = None, side: str = "supplier",
              mapping: dict[str, str] | None = None, sheet=None, prepared: str | None = None) -> dict:
    """Reconcile a party's statement with our records and write the ``对账-<party>-<period>`` sheet.

    Re-running for the same party and period replaces that sheet only, keeping the user's notes in
    its resolution column. The statement's unusable rows go to Import Issues.
    """
    wb = open_workbook(target)
    orders = wb.read(schema.ORDERS).frame
    settings = Settings.from_frame(wb.read(schema.SETTINGS).frame)
    aliases = party_names(wb.read(schema.SUPPLIERS).frame, party) if side == "supplier" else []
    ours = recon.our_lines(orders, party, period, side, aliases=aliases)
    extracted = extract_table(Path(statement), schema.STATEMENT, mapping=mapping, sheet=sheet, key="po_no")
    result = recon.reconcile(ours, extracted.frame, amount_tolerance=settings.amount_tolerance,
                             qty_tolerance=settings.qty_tolerance)
    name = sheet_name(party, period)
    layout = reconcile_sheet(result, name=name, party=party, side=side, period=period,
                             statement=Path(statement).name, resolutions=previous_resolutions(wb.sheet_rows(name)),
                             prepared=prepared or "")
    wb.replace_sheet(layout)
    _, listed = _append_log(wb, [], extracted.issues.to_dict("records"))
    backup = wb.save()
    return {"sheet": name, **result.summary(), "our_lines": len(ours), "statement_lines": len(extracted.frame),
            "import_issue_rows": listed, "workbook": str(wb.path), "backup": _str(backup)}


def _reason_counts(issues: list[dict]) -> dict[str, int]:
    return pd.Series([i["reason"] for i in issues], dtype=object).value_counts().to_dict()


def _str(value) -> str | None:
    return None if value is None else str(value)


def _order_keys(frame: pd.DataFrame) -> pd.Series:
    po = frame["po_no"].map(lambda v: "" if is_blank(v) else normalise_key(v))
    line = frame["line"].map(lambda v: "" if is_blank(v) else normalise_key(v))
    return (po + "|" + line).astype(object)


def _equal(old, new) -> bool:
    if is_blank(old):
        return False
    return bool(old == new)


def _issue(file, sheet, row, column, value, reason, message) -> dict:
    return {"file": file, "sheet": sheet, "row": row, "column": column, "value": value, "reason": reason,
            "message": message}


def _change(ts, file, sheet, row, key, field, old, new, note) -> dict:
    return {"timestamp": ts, "file": file, "sheet": sheet, "source_row": row, "order_key": key,
            "field": field, "old": shown(old), "new": shown(new), "note": note}


def _append_log(wb: Workbook, changes: list[dict], issues: list[dict]) -> tuple[int, int]:
    """Append change-log and import-issue rows (append-only tables); a row already logged (same
    file, row, field and values) is not logged again, so re-importing a file adds nothing.
    Returns the numbers of rows appended."""
    now = dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")
    added = []
    for spec, rows in ((schema.CHANGE_LOG, changes), (schema.IMPORT_ISSUES, issues)):
        if not rows:
            added.append(0)
            continue
        table = wb.read(spec)
        frame = pd.DataFrame(rows).reindex(columns=spec.names)
        frame["timestamp"] = now
        for name in spec.names:
            if spec.field(name).kind == schema.TEXT:
                frame[name] = frame[name].map(shown).astype(object)
        identity = [n for n in spec.names if n != "timestamp"]
        logged = set(_identity_rows(table.frame, identity))
        fresh = [key not in logged for key in _identity_rows(frame, identity)]
        frame = frame[fresh].drop_duplicates(subset=identity)
        wb.write(table, table.frame, [], appended=frame)
        added.append(len(frame))
    return added[0], added[1]


def _identity_rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return list(zip(*(frame[c].map(shown) for c in columns))) if len(frame) else []


def export_table(target, table: str, out) -> dict:
    """Write a table as CSV with English field names (flag as its code, dates ISO)."""
    if table not in schema.TABLES:
        raise GendanError("未知表格 unknown table", value=table, expected="one of " + ", ".join(schema.TABLES))
    wb = open_workbook(target)
    frame = wb.read(schema.TABLES[table]).frame.copy()
    if "flag" in frame.columns:
        frame["flag"] = frame["flag"].map(schema.flag_code)
    for name in schema.TABLES[table].of_kind(schema.DATE):
        frame[name] = frame[name].dt.strftime("%Y-%m-%d")
    for name in schema.TABLES[table].of_kind(schema.INT):
        frame[name] = frame[name].astype("Int64")
    frame.index.name = "excel_row"
    frame.to_csv(out, encoding="utf-8")
    return {"table": table, "rows": len(frame), "out": str(out)}
