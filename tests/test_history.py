"""The history the master keeps: change kinds on hand-built lines, idempotent same-day refreshes,
the hidden sheets surviving every action and an .xlsm round trip, the trend chart's caches."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile

import numpy as np
import pandas as pd
import pytest
import python_calamine

from conftest import AS_OF, orders_frame
from gendan_xl import actions
from gendan_xl.rules.calendar import CalendarBook
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.flags import Flag
from gendan_xl.model.statuses import ChangeKind
from gendan_xl.reporting.history import History, compare, records, snapshot
from gendan_xl.store.history_sheets import LINES_SHEET, REPORTS_SHEET
from gendan_xl.store.master import MasterWorkbook
from gendan_xl.store.xlwings_book import XlwingsWorkbook
from libreoffice import convert
from ooxml import assert_valid
from xlwings_memory_engine import open_book

LAST = dt.date(2026, 11, 19)      # a Thursday; the report before AS_OF (Thursday 2026-11-26)
T = pd.Timestamp


def _state(rows: list[tuple]) -> pd.DataFrame:
    """A recorded state: (po, line, flag, eta) per line, as ``History.state_at`` gives it."""
    lines = pd.DataFrame([(T(LAST), po, line, flag, T(eta) if eta else pd.NaT) for po, line, flag, eta in rows],
                         columns=["report_date", "po_no", "line", "flag", "eta"])
    return History(lines=lines).state_at(LAST)


def _orders(rows: list[tuple]) -> pd.DataFrame:
    """Evaluated order lines: (po, line, supplier, flag, eta, slack)."""
    fields = ["po_no", "line", "supplier", "flag", "eta", "slack_wd"]
    return orders_frame([dict(zip(fields, row)) for row in rows], why="w", due_date="2026-12-31")


BEFORE = _state([
    ("PO-1", "1", "ON_TRACK", "2026-12-01"),      # becomes LATE: newly late
    ("PO-1", "2", "AT_RISK", "2026-12-01"),       # becomes WILL_BE_LATE (ETA later): newly late, repromised
    ("PO-2", "1", "LATE", "2026-11-20"),          # ships late: recovered and shipped
    ("PO-2", "2", "WILL_BE_LATE", "2026-12-10"),  # ETA earlier, now ON_TRACK: recovered, repromised
    ("PO-3", "1", "LATE", None),                  # still LATE: nothing
    ("PO-3", "2", "ON_TRACK", None),              # gets its first ETA: not a re-promise
    ("PO-4", "1", "ON_TRACK", "2026-12-05"),      # ships on time: shipped
    ("PO-9", "1", "ON_TRACK", "2026-12-05"),      # leaves the master
])
NOW = _orders([
    ("PO-1", 1, "华美", "LATE", "2026-12-01", -3.0),
    ("PO-1", 2, "华美", "WILL_BE_LATE", "2026-12-08", -2.0),
    ("PO-2", 1, "Saigon", "SHIPPED_LATE", "2026-11-20", -4.0),
    ("PO-2", 2, "Saigon", "ON_TRACK", "2026-12-03", 6.0),
    ("PO-3", 1, "Dhaka", "LATE", None, -9.0),
    ("PO-3", 2, "Dhaka", "ON_TRACK", "2026-12-20", 12.0),
    ("PO-4", 1, "Dhaka", "SHIPPED", "2026-12-09", 1.0),      # its ETA edited after shipping: no re-promise
    ("PO-5", 1, "Dhaka", "AT_RISK", "2026-12-02", 1.0),   # new (and not counted as newly late)
])
COUNTRIES = pd.Series(["CN", "CN", "VN", "VN", "BD", "BD", "BD", "BD"])
BOOK = CalendarBook.from_rows(None, range(2026, 2028))


def _table(changes, kind) -> list[tuple]:
    """(po, line, before, after, ETA move in WD: shown for any listed line whose ETA moved)."""
    frame = changes.lines[kind]
    return [(r.po_no, r.line, r.before, r.after, None if pd.isna(r.move_wd) else int(r.move_wd))
            for r in frame.itertuples()]


def test_five_change_kinds_on_hand_built_lines():
    changes = compare(BEFORE, LAST, NOW, COUNTRIES, BOOK)
    assert changes.since == LAST
    assert _table(changes, "newly_late") == [("PO-1", "1", "ON_TRACK", "LATE", None),
                                             ("PO-1", "2", "AT_RISK", "WILL_BE_LATE", 5)]
    assert _table(changes, "recovered") == [("PO-2", "1", "LATE", "SHIPPED_LATE", None),
                                            ("PO-2", "2", "WILL_BE_LATE", "ON_TRACK", -5)]
    # 2026-12-01 (Tue) -> 12-08 (Tue): 5 CN working days later; 12-10 (Wed) -> 12-03 (Wed): 5 VN days earlier
    assert _table(changes, "repromised") == [("PO-1", "2", "2026-12-01", "2026-12-08", 5),
                                             ("PO-2", "2", "2026-12-10", "2026-12-03", -5)]
    assert _table(changes, "new") == [("PO-5", "1", None, "AT_RISK", None)]
    assert _table(changes, "shipped") == [("PO-2", "1", "LATE", "SHIPPED_LATE", None),
                                          ("PO-4", "1", "ON_TRACK", "SHIPPED", None)]
    assert changes.counts() == {"newly_late": 2, "recovered": 2, "repromised": 2, "new": 1, "shipped": 2}
    assert list(changes.lines["newly_late"]["supplier"]) == ["华美", "华美"]


def test_repromise_moves_count_the_supplier_calendar():
    """The same ETA move over China's National Day week is 2 CN working days but 5 VN ones."""
    before = _state([("PO-1", "1", "ON_TRACK", "2026-09-30"), ("PO-1", "2", "ON_TRACK", "2026-09-30")])
    now = _orders([("PO-1", 1, "a", "ON_TRACK", "2026-10-09", 5.0), ("PO-1", 2, "b", "ON_TRACK", "2026-10-07", 5.0)])
    moves = compare(before, LAST, now, pd.Series(["CN", "VN"]), BOOK).lines["repromised"]
    cn = BOOK.get("CN").count(np.datetime64("2026-09-30"), np.datetime64("2026-10-09"))
    assert dict(zip(moves["line"], moves["move_wd"])) == {"1": cn, "2": 5.0}
    assert cn < 5


def test_records_hold_only_changed_new_and_removed_lines():
    """Shipped lines are recorded without their ETA (it is not tracked once shipped)."""
    rows = records(BEFORE, snapshot(NOW), AS_OF)
    got = [(r.po_no, r.line, r.flag, None if pd.isna(r.eta) else r.eta.date().isoformat())
           for r in rows.itertuples()]
    assert got == [("PO-1", "1", "LATE", "2026-12-01"), ("PO-1", "2", "WILL_BE_LATE", "2026-12-08"),
                   ("PO-2", "1", "SHIPPED_LATE", None), ("PO-2", "2", "ON_TRACK", "2026-12-03"),
                   ("PO-3", "2", "ON_TRACK", "2026-12-20"), ("PO-4", "1", "SHIPPED", None),
                   ("PO-5", "1", "AT_RISK", "2026-12-02"), ("PO-9", "1", "", None)]
    assert set(rows["report_date"]) == {T(AS_OF)}
    assert records(snapshot(NOW), snapshot(NOW), AS_OF).empty


def _sheet(path, name) -> list[list]:
    return python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def _hidden(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/workbook.xml").decode()
    return {m.group(1): (m.group(2) or "visible") for m in
            re.finditer(r'<sheet [^>]*?name="([^"]+)"(?:[^>]*?state="(\w+)")?', xml)}


def test_demo_history_is_hidden_and_small(demo_master):
    states = _hidden(demo_master)
    assert states[LINES_SHEET] == states[REPORTS_SHEET] == "hidden"
    reports = _sheet(demo_master, REPORTS_SHEET)
    assert [r[0] for r in reports[1:]] == [AS_OF - dt.timedelta(weeks=k) for k in (4, 3, 2, 1, 0)]
    lines = _sheet(demo_master, LINES_SHEET)
    first = sum(1 for r in lines[1:] if r[0] == AS_OF - dt.timedelta(weeks=4))
    assert len(lines) - 1 - first < first      # four later weeks add fewer rows than the first


def test_same_day_refresh_replaces_that_days_records(demo_master):
    first = actions.refresh(demo_master, as_of=AS_OF + dt.timedelta(days=7))
    lines, reports = _sheet(demo_master, LINES_SHEET), _sheet(demo_master, REPORTS_SHEET)
    again = actions.refresh(demo_master, as_of=AS_OF + dt.timedelta(days=7))
    assert _sheet(demo_master, LINES_SHEET) == lines and _sheet(demo_master, REPORTS_SHEET) == reports
    assert again.changes == first.changes and again.changes_since == AS_OF.isoformat()
    assert again.previous == first.previous
    assert reports[-1][0] == AS_OF + dt.timedelta(days=7) and reports[-2][0] == AS_OF
    assert [reports[-1][11 + k] for k in range(5)] == [first.changes[k] for k in ChangeKind]


def test_an_earlier_refresh_compares_with_the_report_before_it_and_records_nothing(demo_master):
    lines, reports = _sheet(demo_master, LINES_SHEET), _sheet(demo_master, REPORTS_SHEET)
    out = actions.refresh(demo_master, as_of=AS_OF - dt.timedelta(days=3))
    assert out.changes_since == (AS_OF - dt.timedelta(weeks=1)).isoformat()
    assert any("not recorded in the history" in w for w in out.warnings)
    assert _sheet(demo_master, LINES_SHEET) == lines and _sheet(demo_master, REPORTS_SHEET) == reports


def test_week_over_week_counts_come_from_the_history(demo_master):
    """The 周报's previous counts are the history's, even when the rendered sheet says otherwise."""
    reports = _sheet(demo_master, REPORTS_SHEET)
    out = actions.refresh(demo_master, as_of=AS_OF + dt.timedelta(days=7))
    header = reports[0]
    assert out.previous.counts == {h: int(v) for h, v in zip(header[3:10], reports[-1][3:10])}
    report = _sheet(demo_master, "周报 Weekly Report")
    late = next(r for r in report if str(r[0]).startswith("LATE "))
    assert late[3] == reports[-1][header.index("LATE")]


def test_history_survives_sync_reconcile_and_an_xlsm_round_trip(tmp_path):
    from gendan_xl.demo.build import build_demo
    folder = tmp_path / "demo"
    summary = build_demo(folder, orders=120, seed=5, as_of=AS_OF, macros=True)
    master = folder / "master.xlsm"
    lines = _sheet(master, LINES_SHEET)
    actions.sync(master, sorted((folder / "suppliers").iterdir()), as_of=AS_OF)
    synced_lines, synced_reports = _sheet(master, LINES_SHEET), _sheet(master, REPORTS_SHEET)
    s = summary.statements[0]
    actions.reconcile(master, s["statement"], party=s["party"], period=s["period"], side=s["side"])
    assert _sheet(master, LINES_SHEET) == synced_lines and _sheet(master, REPORTS_SHEET) == synced_reports
    # the sync re-ran the report of AS_OF: that day's rows replaced, the earlier ones kept
    earlier = [r for r in lines if r[0] != AS_OF]
    assert [r for r in synced_lines if r[0] != AS_OF] == earlier
    assert [r[0] for r in synced_reports[1:]].count(AS_OF) == 1
    assert _hidden(master)[LINES_SHEET] == "hidden"
    with zipfile.ZipFile(master) as zf:
        assert "xl/vbaProject.bin" in zf.namelist()
    assert_valid(master)
    pdf = convert(master, "pdf", tmp_path / "pdf")
    assert pdf.stat().st_size > 0
    round_trip = convert(master, "xlsx", tmp_path / "lo")    # LibreOffice opens it and keeps the history
    assert _sheet(round_trip, REPORTS_SHEET) == synced_reports
    later = actions.refresh(round_trip, as_of=AS_OF + dt.timedelta(days=7))
    assert later.changes_since == AS_OF.isoformat() and len(_sheet(round_trip, REPORTS_SHEET)) == len(synced_reports) + 1


def test_trend_chart_caches_equal_the_history(demo_master):
    out = actions.refresh(demo_master, as_of=AS_OF + dt.timedelta(days=7))
    reports = _sheet(demo_master, REPORTS_SHEET)
    header = reports[0]
    with zipfile.ZipFile(demo_master) as zf:
        charts = sorted(n for n in zf.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        xml = zf.read(charts[1]).decode()
    assert len(charts) == 2 and "<c:lineChart>" in xml
    series = re.findall(r"<c:ser>.*?</c:ser>", xml, re.S)
    names = [re.search(r"<c:tx><c:v>(.*?)</c:v>", s).group(1) for s in series]
    cached = [[float(v) for v in re.findall(r'<c:pt idx="\d+"><c:v>([^<]+)</c:v>',
                                            re.search(r"<c:numCache>.*?</c:numCache>", s, re.S).group(0))]
              for s in series]
    dates = re.findall(r'<c:pt idx="\d+"><c:v>(\d{4}-\d\d-\d\d)</c:v>', series[0])
    assert names == ["已延误 Late", "将延误 Will be late", "有风险 At risk", "准时率 On-time rate"]
    assert dates == [r[0].isoformat() for r in reports[1:]]
    for name, values in zip(("LATE", "WILL_BE_LATE", "AT_RISK"), cached):
        assert values == [r[header.index(name)] for r in reports[1:]]
    assert cached[3] == [r[header.index("准时率 On-time rate")] for r in reports[1:]]
    assert cached[0][-1] == out.counts["LATE"]
    assert_valid(demo_master)


def test_the_trend_shows_the_last_twelve_reports(demo_master):
    for week in range(1, 10):
        actions.refresh(demo_master, as_of=AS_OF + dt.timedelta(weeks=week))
    assert len(_sheet(demo_master, REPORTS_SHEET)) - 1 == 14
    report = _sheet(demo_master, "周报 Weekly Report")
    start = next(i for i, r in enumerate(report) if str(r[0]).startswith("趋势 Trend"))
    dates = [r[0] for r in report[start + 2:start + 14]]
    assert dates == [(AS_OF + dt.timedelta(weeks=w)).isoformat() for w in range(-2, 10)]


def test_a_changed_history_sheet_is_a_clear_error(demo_master, tmp_path):
    import openpyxl
    wb = openpyxl.load_workbook(demo_master)
    wb[LINES_SHEET]["A5"] = "last week"
    wb.save(demo_master)
    with pytest.raises(GendanError) as err:
        actions.refresh(demo_master, as_of=AS_OF)
    text = str(err.value)
    assert err.value.code is ErrorCode.HISTORY_CHANGED
    assert LINES_SHEET in text and "row 5" in text and "last week" in text and "Report date" in text


def test_an_older_history_keeps_its_rates_and_the_trend_marks_their_definition(demo_master):
    """History Reports written before the on-time rate's one definition lack its column: they still
    read, keep the rates they recorded, and the trend marks those rates."""
    import openpyxl
    wb = openpyxl.load_workbook(demo_master)
    sheet = wb[REPORTS_SHEET]
    assert sheet.cell(1, sheet.max_column).value == "准时率口径 On-time definition"
    sheet.delete_cols(sheet.max_column)
    for row in range(2, sheet.max_row + 1):    # the rates the earlier definition recorded
        sheet.cell(row, 11).value = 0.85
    wb.save(demo_master)
    older = _sheet(demo_master, REPORTS_SHEET)
    later = AS_OF + dt.timedelta(days=7)
    out = actions.refresh(demo_master, as_of=later)
    reports = _sheet(demo_master, REPORTS_SHEET)
    assert reports[0] == [*older[0], "准时率口径 On-time definition"]
    assert [r[:len(older[0])] for r in reports[1:len(older)]] == older[1:]     # kept as recorded
    assert [r[-1] for r in reports[1:]] == [""] * (len(older) - 1) + [2]
    assert reports[-1][10] == out.on_time_rate != 0.85
    report = _sheet(demo_master, "周报 Weekly Report")
    start = next(i for i, r in enumerate(report) if str(r[0]).startswith("趋势 Trend"))
    assert "旧口径 earlier definition" in report[start][0]
    dates = [r[0] for r in report[start + 2:start + 1 + len(reports)]]
    assert dates == [f"{r[0].isoformat()} *" for r in older[1:]] + [later.isoformat()]


def test_a_cleared_history_row_is_skipped_and_nothing_recorded_is_overwritten(demo_master):
    import openpyxl
    wb = openpyxl.load_workbook(demo_master)
    sheet = wb[LINES_SHEET]
    for cell in sheet[5]:
        cell.value = None
    wb.save(demo_master)
    before = _sheet(demo_master, LINES_SHEET)
    actions.refresh(demo_master, as_of=AS_OF + dt.timedelta(days=7))
    after = _sheet(demo_master, LINES_SHEET)
    assert after[:len(before)] == before and len(after) > len(before)
    assert {r[0] for r in after[len(before):]} == {AS_OF + dt.timedelta(days=7)}


def test_the_ribbon_refresh_records_history_in_live_excel(demo_master, tmp_path):
    """The same refresh on the open book (xlwings) writes the same history as the file."""
    twin = tmp_path / "twin.xlsx"
    shutil.copy(demo_master, twin)
    later = AS_OF + dt.timedelta(days=7)
    book = open_book(demo_master)
    live = actions.refresh(XlwingsWorkbook(book), as_of=later)
    filed = actions.refresh(twin, as_of=later)
    assert live.changes == filed.changes and live.previous == filed.previous
    for name in (LINES_SHEET, REPORTS_SHEET):
        assert XlwingsWorkbook(book).sheet_rows(name) == MasterWorkbook(twin).sheet_rows(name)
    again = actions.refresh(XlwingsWorkbook(book), as_of=later)
    assert again.changes == live.changes
    assert XlwingsWorkbook(book).sheet_rows(LINES_SHEET) == MasterWorkbook(twin).sheet_rows(LINES_SHEET)


def test_live_history_sheets_are_added_hidden(new_xlsm):
    book = open_book(new_xlsm)
    wb = XlwingsWorkbook(book)
    wb.put_rows("h", ["日期 Date", "n"], 2, [[dt.date(2026, 11, 26), 3], [dt.date(2026, 12, 3), 4]], ["date", "int"])
    wb.put_rows("h", ["日期 Date", "n"], 3, [[dt.date(2026, 12, 4), 5]], ["date", "int"])
    assert book.sheets["h"].visible is False
    assert wb.sheet_rows("h") == [["日期 Date", "n"], [dt.date(2026, 11, 26), 3.0], [dt.date(2026, 12, 4), 5.0]]


def test_the_file_reads_its_history_as_typed_columns_and_gets_what_live_excel_reads(demo_master):
    """The file's fast path (fastexcel columns) and live Excel's cell values give one history."""
    from gendan_xl.store.history_sheets import LINE_HEADERS, read_history
    actions.refresh(demo_master, as_of=AS_OF + dt.timedelta(days=7))
    filed = MasterWorkbook(demo_master)
    assert filed.sheet_columns(LINES_SHEET, LINE_HEADERS) is not None      # the fast path applies
    typed, cells = read_history(filed), read_history(XlwingsWorkbook(open_book(demo_master)))
    assert typed.lines["eta"].isna().any() and typed.lines["line"].map(type).eq(str).all()
    for mine, theirs in ((typed.lines, cells.lines), (typed.reports, cells.reports)):
        pd.testing.assert_frame_equal(mine, theirs)


def test_a_history_header_moved_off_row_one_is_a_clear_error_not_a_misread(demo_master):
    """A row inserted above the header: the typed reader would take row 2 for the header; the
    history is read cell by cell instead and the refresh stops naming row 1 (nothing overwritten)."""
    import openpyxl
    wb = openpyxl.load_workbook(demo_master)
    wb[LINES_SHEET].insert_rows(1)
    wb.save(demo_master)
    before = demo_master.read_bytes()
    with pytest.raises(GendanError) as err:
        actions.refresh(demo_master, as_of=AS_OF + dt.timedelta(days=7))
    assert err.value.code is ErrorCode.HISTORY_CHANGED
    assert LINES_SHEET in str(err.value) and "row 1" in str(err.value)
    assert demo_master.read_bytes() == before


def test_shown_text_strips_text_in_one_pass_as_display_text_does():
    from gendan_xl.reporting.history import shown_text
    from gendan_xl.model.values import display_text
    values = pd.Series([" PO-1 ", None, "  ", "x\u3000", np.nan, "PO-1"], index=[5, 6, 7, 8, 9, 10])
    expected = [display_text(v) or "" for v in values]
    assert list(shown_text(values)) == expected == ["PO-1", "", "", "x", "", "PO-1"]
    assert list(shown_text(values).index) == [5, 6, 7, 8, 9, 10]
    assert list(shown_text(pd.Series([1.0, "2", None]))) == ["1", "2", ""]


def test_refresh_json_counts_the_five_kinds_and_the_weekly_report_lists_their_lines(demo_master):
    import json
    import subprocess
    import sys
    from gendan_xl.model import schema
    from gendan_xl.sheets.layout import CONTINUED
    from gendan_xl.sheets.report_sheet import REPORT_SHEET
    proc = subprocess.run([sys.executable, "-m", "gendan_xl.cli", "refresh", str(demo_master), "--as-of",
                           AS_OF.isoformat(), "--json"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert list(out["changes"]) == list(ChangeKind) and out["changes_since"] == LAST.isoformat()
    assert all(out["changes"][k] > 0 for k in ChangeKind)           # the demo's weeks give every kind
    orders = MasterWorkbook(demo_master).read(schema.ORDERS).frame
    now = {(po, str(line)): (flag, eta) for po, line, flag, eta in
           zip(orders["po_no"], orders["line"].map(lambda v: str(int(v))), orders["flag"], orders["eta"])}
    sheet = _sheet(demo_master, REPORT_SHEET)
    again = {i for i, r in enumerate(sheet) if CONTINUED in str(r[0])}   # name and header atop a printed page
    sheet = [r for i, r in enumerate(sheet) if i not in again and i - 1 not in again]
    titles = [r[0] for r in sheet]
    for kind in ChangeKind:
        n = out["changes"][kind]
        start = titles.index(f"{kind.heading} ({n})")
        assert sheet[start + 1][:7] == ["PO号 PO No.", "行号 Line", "供应商 Supplier", "之前 Before", "之后 After",
                                        "移动(工作日) Move (WD)", "原因 Why"]
        listed = sheet[start + 2:start + 2 + min(n, 25)]
        assert all(r[0] and r[2] and r[3] and r[4] and r[6] for r in listed)
        for po, line, _, before, after, move, _ in (r[:7] for r in listed):
            flag, eta = now[(po, str(int(line)) if isinstance(line, float) else str(line))]
            if kind is ChangeKind.REPROMISED:      # before → after are ETAs, the move in working days
                assert after == eta.date().isoformat() and before != after and isinstance(move, float)
            else:                         # before → after are flags, after the line's flag now
                assert Flag.read(after) == Flag.read(flag)
        more = sheet[start + 2 + min(n, 25)][0] if start + 2 + min(n, 25) < len(sheet) else ""
        assert (f"and {n - 25} more" in str(more)) == (n > 25)


def _reports(path) -> list[dt.date]:
    from gendan_xl.store.history_sheets import read_history
    return [d.date() for d in read_history(MasterWorkbook(path)).reports["report_date"]]


def test_a_far_as_of_date_is_refused_unless_meant_and_a_report_recorded_by_mistake_can_be_dropped(demo_master):
    """`refresh --as-of 2062-11-26` (a typo for 2026) would put every later report before it."""
    typo = dt.date(2062, 11, 26)
    before = demo_master.read_bytes()
    with pytest.raises(GendanError, match="more than 366 days after today") as caught:
        actions.refresh(demo_master, as_of=typo)
    assert caught.value.code is ErrorCode.AS_OF_TOO_FAR
    assert "--far-date" in str(caught.value) and "--drop" in str(caught.value)
    assert demo_master.read_bytes() == before
    assert actions.refresh(demo_master, as_of=typo, history=False).as_of == typo.isoformat()   # a what-if
    actions.refresh(demo_master, as_of=typo, far_date=True)
    assert _reports(demo_master)[-1] == typo
    later = AS_OF + dt.timedelta(days=7)
    assert actions.refresh(demo_master, as_of=later).warnings[0].startswith("历史未记录 not recorded")
    result = actions.history(demo_master, drop=typo)
    assert result.dropped == typo.isoformat() and typo not in _reports(demo_master)
    log = MasterWorkbook(demo_master).read(__import__("gendan_xl.model.schema").model.schema.CHANGE_LOG).frame
    assert (log["note"] == "历史报告已删除 report removed from the history (gendan history --drop)").sum() == 1
    assert log["old"].iloc[-1] == typo.isoformat()
    assert not actions.refresh(demo_master, as_of=later).warnings
    assert _reports(demo_master)[-1] == later
    with pytest.raises(GendanError) as caught:
        actions.history(demo_master, drop=typo)
    assert caught.value.code is ErrorCode.REPORT_NOT_FOUND
    assert later.isoformat() in str(caught.value)


def test_dropping_a_report_in_the_middle_keeps_every_later_report_as_recorded(demo_master):
    """A line recorded at the dropped date keeps that state at the next report (its row moves there)."""
    from gendan_xl.store.history_sheets import read_history
    past = read_history(MasterWorkbook(demo_master))
    dates = [d.date() for d in past.reports["report_date"]]
    middle, later = dates[-3], dates[-2:]
    states = {d: past.state_at(d) for d in later}
    counts = {d: past.counts_at(d) for d in later}
    actions.history(demo_master, drop=middle)
    after = read_history(MasterWorkbook(demo_master))
    assert [d.date() for d in after.reports["report_date"]] == [d for d in dates if d != middle]
    for d in later:
        pd.testing.assert_frame_equal(after.state_at(d).reset_index(drop=True), states[d].reset_index(drop=True))
        assert after.counts_at(d) == counts[d]
    assert_valid(demo_master)
