"""gendan history: the reports recorded in the master's history, and removing one recorded by mistake."""

from __future__ import annotations

import datetime as dt

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.store.history_sheets import REPORTS_SHEET, drop_report, read_history
from gendan_xl.actions.common import append_log, open_workbook, path_text, writes_master
from gendan_xl.actions.results import HistoryResult

DROPPED_NOTE = "历史报告已删除 report removed from the history (gendan history --drop)"


@writes_master("history", unless=lambda kwargs: kwargs.get("drop") is None)
def history(target, *, drop: dt.date | None = None) -> HistoryResult:
    """The recorded report dates; with ``drop``, that report is removed from both history sheets
    (the lines it recorded keep their states at the next report), logged in the Change Log, saved."""
    wb = open_workbook(target)
    past = read_history(wb)
    dates = [d.date() for d in past.reports["report_date"]]
    if drop is None:
        return HistoryResult(workbook=str(wb.path), reports=[d.isoformat() for d in dates], dropped=None)
    if drop not in dates:
        raise GendanError("历史中没有此日期的报告 no report of that date in the history", file=wb.path.name,
                          sheet=REPORTS_SHEET, value=drop.isoformat(),
                          expected="a recorded report date: " + (", ".join(d.isoformat() for d in dates) or "none"),
                          code=ErrorCode.REPORT_NOT_FOUND)
    drop_report(wb, past, drop)
    append_log(wb, [{"sheet": REPORTS_SHEET, "field": "report_date", "old": drop.isoformat(), "new": None,
                     "note": DROPPED_NOTE}], [], as_of=drop)
    backup = wb.save()
    return HistoryResult(workbook=str(wb.path), reports=[d.isoformat() for d in dates if d != drop],
                         dropped=drop.isoformat(), backup=path_text(backup))
