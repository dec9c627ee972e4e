"""What the actions share: opening a workbook, the append-only logs, small summaries."""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.importers.limits import MAX_ISSUES_PER_FILE
from gendan_xl.model.issues import Issue, problems, summarise
from gendan_xl.model.settings import Settings
from gendan_xl.model.values import display_text
from gendan_xl.sheets.cells import fit_cell
from gendan_xl.store.lock import MasterLock
from gendan_xl.store.master import MasterWorkbook
from gendan_xl.store.protocol import Workbook
from gendan_xl.model.words import as_words


def open_workbook(target, prefetch: tuple[schema.Table, ...] = ()) -> Workbook:
    """A path opens the file (``prefetch``: tables read at once in the background, see
    ``MasterWorkbook``); a Workbook (e.g. live Excel through xlwings) is used as it is."""
    return MasterWorkbook(target, prefetch=prefetch) if isinstance(target, (str, Path)) else target


def check_output_place(out: Path, master: Path, expected: str, over_master: str) -> None:
    """Refuse an output that is the master itself (``over_master`` says so), a folder, or in a
    missing folder."""
    if out.exists() and master.exists() and os.path.samefile(out, master):
        raise GendanError(over_master, file=out, expected=expected, code=ErrorCode.OUTPUT_EXISTS)
    if out.is_dir():
        raise GendanError("输出是文件夹 the output is a folder", file=out, expected=expected, code=ErrorCode.WRONG_PATH)
    if not out.parent.is_dir():
        raise GendanError("目录不存在 folder does not exist", file=out.parent, expected="an existing folder",
                          code=ErrorCode.FILE_NOT_FOUND)


def writes_master(command: str, *, unless: Callable[[dict], bool] = lambda kwargs: False):
    """Run the decorated action ``action(target, ...)`` inside the master's write lock
    (store/lock.py), so its read, its changes and its save are one step no other writer can
    split; the action opens the workbook inside. ``unless(kwargs)`` names calls that write nothing
    (a dry run, a refresh another action saves). The action returns a ``Noted`` result; the lock's
    notes are its notes."""
    def wrap(action):
        @functools.wraps(action)
        def run(target, *args, **kwargs):
            live = not isinstance(target, (str, Path))
            path = Path(target.path if live else target)
            if unless(kwargs) or live and not path.is_absolute():   # a new book Excel never saved
                return replace(action(target, *args, **kwargs), notes=[])
            with MasterLock(path, command=command, limits=lambda: _lock_limits(target), office=not live) as lock:
                summary = action(target, *args, **kwargs)
            return replace(summary, notes=lock.notes)
        return run
    return wrap


def _lock_limits(target) -> tuple[float, float]:
    """How long to wait for another writer, and when its lock is stale: the master's Settings,
    read as saved (the defaults when they cannot be read right now)."""
    try:
        settings = Settings.from_frame(open_workbook(target).read(schema.SETTINGS).frame)
    except (GendanError, OSError):
        settings = Settings()
    return settings.lock_wait_seconds, settings.lock_stale_minutes


def now() -> dt.datetime:
    """The timestamp written into the logs (a date-time cell, to the second)."""
    return dt.datetime.now().replace(microsecond=0)


def append_log(wb: Workbook, changes: list[dict], issues: list[Issue], as_of: dt.date | None = None) -> tuple[int, int]:
    """Append change-log and import-issue rows (append-only tables); a row already logged (same
    file, row, field and values) is not logged again, so re-importing a file adds nothing. Past the
    first issues of a file, one row per reason summarises the rest. Change-log rows carry the run's
    ``as_of`` date beside their timestamp, and their table (Orders when a row names none; an older
    master's rows without one are Orders' too). Returns the numbers of rows appended to each."""
    added = []
    listed = [i.table_row() for i in summarise(issues, MAX_ISSUES_PER_FILE)]
    for spec, rows in ((schema.CHANGE_LOG, changes), (schema.IMPORT_ISSUES, listed)):
        if not rows:
            added.append(0)
            continue
        table = wb.read(spec)
        frame = pd.DataFrame(rows).reindex(columns=spec.names)
        frame["timestamp"] = now()
        if "table" in spec.names:
            frame["table"] = _orders_when_blank(frame["table"])
        if "as_of" in spec.names:
            frame["as_of"] = pd.Timestamp(as_of)
        for name in spec.names:
            if spec.field(name).kind == schema.TEXT:
                frame[name] = frame[name].map(_logged_text).astype(object)
        identity = [n for n in spec.names if n not in ("timestamp", "as_of")]
        before = table.frame.assign(table=_orders_when_blank(table.frame["table"])) if "table" in spec.names \
            else table.frame
        logged = set(_identity_rows(before, identity))
        fresh = [key not in logged for key in _identity_rows(frame, identity)]
        frame = frame[fresh].drop_duplicates(subset=identity)
        wb.write(table, table.frame, [], appended=as_words(spec, frame))   # words on the sheet
        added.append(len(frame))
    return added[0], added[1]


def _orders_when_blank(tables: pd.Series) -> pd.Series:
    """A Change Log row's table: Orders when it names none."""
    return tables.astype(object).where(tables.notna(), schema.ORDERS.key)


def _logged_text(value) -> str | None:
    """A value as a log cell holds it (shown as text, cut to what a cell holds), so a row logged
    earlier compares equal to the same row read back."""
    text = display_text(value)
    return None if text is None else fit_cell(text)


def _identity_rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return list(zip(*(frame[c].map(display_text) for c in columns))) if len(frame) else []


ISSUE_ROWS = 100


def issue_rows(issues: list[Issue]) -> dict:
    """The first problem rows (JSON-ready, informational ones left out) and how many there are."""
    found = problems(issues)
    return {"issue_rows": [i.to_json() for i in found[:ISSUE_ROWS]], "issues_total": len(found)}


def path_text(value) -> str | None:
    return None if value is None else str(value)
