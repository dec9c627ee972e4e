"""User-visible actions (new, load, refresh, export): workbook -> core -> workbook.

Shared by the command line and the ribbon. Each action returns a plain dict summary.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from . import schema
from .calendar import CalendarBook, seed_rows
from .errors import GendanError
from .importers.extract import extract_table
from .importers.values import normalise_key
from .parties import supplier_countries
from .report import build_report
from .settings import Settings
from .slack import evaluate
from .workbook.create import write_new_master
from .workbook.master import MasterWorkbook, TableFrame
from .workbook.protocol import Workbook
from .workbook.report_sheet import report_sheet

SEED_YEARS = range(2004, dt.date.today().year + 3)
LOADABLE = [f.name for f in schema.ORDERS.fields if f.owner in (schema.USER, schema.SUPPLIER)]


def new_master(path, *, force: bool = False, suppliers: pd.DataFrame | None = None,
               orders: pd.DataFrame | None = None) -> dict:
    """Create an empty master workbook (optionally seeded with suppliers and orders)."""
    path = Path(path)
    if path.suffix.lower() == ".xlsm":
        raise GendanError("暂不支持 .xlsm（宏与功能区将在后续版本提供）.xlsm with VBA and ribbon is not "
                          "available yet; create an .xlsx", file=path)
    if path.suffix.lower() != ".xlsx":
        raise GendanError("主工作簿必须是 .xlsx the master workbook must be an .xlsx file", file=path)
    if path.exists() and not force:
        raise GendanError("文件已存在 file exists (use --force to overwrite)", file=path)
    if not path.parent.exists():
        raise GendanError("目录不存在 folder does not exist", file=path.parent)
    calendar = seed_rows(schema.COUNTRIES, SEED_YEARS)
    write_new_master(path, calendar, Settings.rows(), suppliers, orders)
    return {"path": str(path), "calendar_rows": len(calendar), "orders": 0 if orders is None else len(orders)}


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
    extracted = extract_table(Path(file), schema.ORDERS, mapping=mapping, sheet=sheet)
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
            if _blank(new) or _equal(old, new):
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
            "issue_counts": pd.Series([i["reason"] for i in issues], dtype=object).value_counts().to_dict(),
            "backup": None if backup is None else str(backup), "refresh": refreshed}


def _order_keys(frame: pd.DataFrame) -> pd.Series:
    po = frame["po_no"].map(lambda v: "" if _blank(v) else normalise_key(v))
    line = frame["line"].map(lambda v: "" if _blank(v) else normalise_key(v))
    return (po + "|" + line).astype(object)


def _blank(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or value == ""


def _equal(old, new) -> bool:
    if _blank(old):
        return False
    return bool(old == new)


def _issue(file, sheet, row, column, value, reason, message) -> dict:
    return {"file": file, "sheet": sheet, "row": row, "column": column, "value": value, "reason": reason,
            "message": message}


def _change(ts, file, sheet, row, key, field, old, new, note) -> dict:
    return {"timestamp": ts, "file": file, "sheet": sheet, "source_row": row, "order_key": key,
            "field": field, "old": _show(old), "new": _show(new), "note": note}


def _show(value) -> str | None:
    if _blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _append_log(wb: Workbook, changes: list[dict], issues: list[dict]) -> None:
    """Append change-log and import-issue rows (both tables are append-only)."""
    now = dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")
    if changes:
        log = wb.read(schema.CHANGE_LOG)
        wb.write(log, log.frame, [], appended=pd.DataFrame(changes, columns=schema.CHANGE_LOG.names))
    if issues:
        table = wb.read(schema.IMPORT_ISSUES)
        frame = pd.DataFrame(issues).reindex(columns=schema.IMPORT_ISSUES.names)
        frame["timestamp"] = now
        frame["value"] = frame["value"].map(_show)
        wb.write(table, table.frame, [], appended=frame)


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
