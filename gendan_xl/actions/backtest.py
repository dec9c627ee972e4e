"""gendan backtest: the late-risk model scored at past dates of a master or an order-history file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.risk.backtest import JUDGE_MIN_LATE, JUDGE_MIN_LINES, calibration, means, origins, run_origin, table
from gendan_xl.rules.calendar import CalendarBook, WorkCalendar
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.importers.extract import extract_table
from gendan_xl.importers.reading import read_source
from gendan_xl.risk.evidence import evidence, slips_before
from gendan_xl.model.settings import Settings
from gendan_xl.model.values import header_key
from gendan_xl.outputs.empty_book import new_book
from gendan_xl.sheets.backtest_sheet import BACKTEST_SHEET, backtest_sheet
from gendan_xl.actions.common import open_workbook, path_text, writes_master
from gendan_xl.actions.context import run_context
from gendan_xl.actions.results import BacktestResult, FileBacktestResult, MasterBacktestResult, Noted

# The USAID SCMS delivery history: its columns for ours (it has no supplier country; the order
# date is when the PO went to the vendor, known for about 45 % of its lines).
SCMS_MAP = {"supplier": "Vendor", "customer": "Country", "description": "Item Description",
            "qty": "Line Item Quantity", "due_date": "Scheduled Delivery Date",
            "ship_date": "Delivered to Client Date", "order_date": "PO Sent to Vendor Date",
            "po_no": "PO / SO #", "line": "ID"}
MASTER_SUFFIXES = (".xlsx", ".xlsm")


def backtest(path, *, start: dt.date, end: dt.date, step_months: int = 6, horizon_wd: int = 65,
             out=None, mapping: dict[str, str] | None = None,
             progress: Callable[[str], None] = lambda text: None) -> BacktestResult:
    """Backtest a master (the 回测 sheet written into it) or an order-history file (csv/xlsx/xls:
    the sheet written to ``out`` when given)."""
    if end < start or step_months < 1 or horizon_wd < 1:
        raise GendanError("回测区间无效 invalid backtest range", value=f"{start:%Y-%m}..{end:%Y-%m}",
                          expected="--from <= --to, --step-months >= 1, --horizon-wd >= 1", code=ErrorCode.BAD_OPTION)
    kwargs = dict(start=start, end=end, step_months=step_months, horizon_wd=horizon_wd, progress=progress)
    if Path(path).suffix.lower() in MASTER_SUFFIXES and out is None and not mapping:
        return _master(path, **kwargs)
    return _history_file(path, out=out, mapping=mapping, **kwargs)


@writes_master("backtest")
def _master(path, **kwargs) -> MasterBacktestResult:
    run = run_context(path, kwargs["end"])   # the calendars cover the lines' years up to the last origin
    wb, orders, settings, book = run.wb, run.orders.frame, run.settings, run.book
    log = wb.read(schema.CHANGE_LOG).frame
    frame = evidence(orders, run.countries, book)
    slips = lambda t: frame.assign(slips=slips_before(orders, log, t - dt.timedelta(days=1)))  # noqa: E731
    result, spec = _run(slips, book.get(None), settings, source=wb.path.name, **kwargs)
    wb.replace_sheet(spec)
    backup = wb.save()
    return MasterBacktestResult(**result, workbook=str(wb.path), backup=path_text(backup))


def _history_file(path, *, out, mapping, **kwargs) -> FileBacktestResult:
    source = read_source(Path(path))
    mapping = mapping or _scms_map(source)
    extracted = extract_table(source, schema.ORDERS, mapping=mapping)
    frame = extracted.frame
    if any(name not in frame.columns or frame[name].isna().all() for name in ("due_date", "ship_date")):
        raise GendanError("订单历史缺少交期或出货日期 the order history has no due or ship dates", file=path,
                          sheet=extracted.sheet, expected="columns for due_date and ship_date (--map FIELD=HEADER)",
                          code=ErrorCode.COLUMN_MISSING)
    calendar = WorkCalendar("XX")   # no supplier countries: Monday–Friday working days
    frame = evidence(frame, "", CalendarBook({"XX": calendar}, default="XX"))
    result, spec = _run(lambda t: frame, calendar, Settings(), source=Path(path).name, **kwargs)
    if out is not None:
        if Path(out).suffix.lower() != ".xlsx":
            raise GendanError("--out 必须是 .xlsx --out must be an .xlsx file", file=out, code=ErrorCode.WRONG_FILE_TYPE)
        _write_file(Path(out), spec)
    return FileBacktestResult(**result, out=None if out is None else str(out), file=str(path),
                              rows_read=len(extracted.frame), unknown_country="供应商国家未知 supplier country unknown "
                              "(not in the file): shrunk to the whole book")


def _scms_map(source) -> dict[str, str] | None:
    """The SCMS mapping when the file's first rows hold all its headers."""
    wanted = {header_key(h) for h in SCMS_MAP.values()}
    for sheet in source.sheets:
        for row in sheet.rows[:30]:
            if wanted <= {header_key(c) for c in row if isinstance(c, str)}:
                return dict(SCMS_MAP)
    return None


def _run(frame_at, calendar: WorkCalendar, settings: Settings, *, source: str, start, end, step_months,
         horizon_wd, progress) -> tuple[dict, object]:
    """The fields of a ``BacktestResult`` and the 回测 sheet."""
    dates = origins(start, end, step_months)
    results = []
    for k, t in enumerate(dates, start=1):
        results.append(run_origin(frame_at(t), t, horizon_wd, settings.risk_half_life_days, calendar))
        progress(f"回测 backtest {k}/{len(dates)} {t.isoformat()}: {len(results[-1].late)} 行 lines")
    rows = table(results, settings.risk_threshold)
    calib = calibration(results)
    about = {"source": source, "horizon_wd": horizon_wd, "threshold": settings.risk_threshold,
             "half_life_days": settings.risk_half_life_days}
    mean = means(rows)
    summary = {**about, "origins": _records(rows), "calibration": _records(calib),
               "judge_min_lines": JUDGE_MIN_LINES, "judge_min_late": JUDGE_MIN_LATE, "judged_origins": mean["judged"],
               "mean_auc": _rounded(mean["auc"]), "mean_baseline_auc": _rounded(mean["baseline_auc"]),
               "brier_better_everywhere": mean["brier_better_everywhere"],
               "warnings": [f"{r.origin}: {r.note}" for r in results if r.note]}
    return summary, backtest_sheet(rows, calib, about)


@writes_master("backtest")
def _write_file(out: Path, spec) -> Noted:
    """The sheet into ``out``: a new workbook, or replacing the sheet of an existing one (its other
    sheets kept), under the write lock like any master."""
    if not out.exists():
        new_book(out, BACKTEST_SHEET)
    wb = open_workbook(out)
    wb.replace_sheet(spec)
    wb.save()
    return Noted()


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: (v.isoformat() if isinstance(v, dt.date) else (None if pd.isna(v) else v)) for k, v in r.items()}
            for r in frame.to_dict("records")]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
