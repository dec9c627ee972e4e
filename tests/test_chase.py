"""催单 Chase: which lines are chased and why, the per-supplier file (read back by openpyxl, by
gendan's own importer, by LibreOffice), the sync round trip of a filled-in file, message drafts
from the workbook's template table, and the command line."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import python_calamine

from conftest import AS_OF, orders_frame
from gendan_xl.sheets.styles import STYLES
from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.rules.calendar import CalendarBook
from gendan_xl.rules.chase import DEFAULT_TEMPLATES, last_updates, render_template, select
from gendan_xl.model.file_names import safe_stem, unique_names
from gendan_xl.importers.extract import extract_table
from gendan_xl.model.settings import Settings
from gendan_xl.rules.sync import CONFLICT_NOTE, SYNC_NOTE
from gendan_xl.outputs.chase_file import AS_SENT, HEADER_ROW, SAMPLE_SHEET, SHEET
from gendan_xl.store.master import MasterWorkbook
from gendan_xl.model.flags import Flag
from libreoffice import sheet_csv
from ooxml import assert_valid
from package_text import part_texts
from table_rows import table_rows

MONDAY = dt.date(2026, 11, 23)
BOOK = CalendarBook.from_rows(None, range(2026, 2028))   # the library calendars (CN, BD ...)
ANSWERS = ["eta", "produced_qty", "shipped_qty", "supplier_remarks"]


# --- the pure selection --------------------------------------------------------------------------

def _line(po, flag, supplier="Acme", ordered="2026-11-20", **extra) -> tuple[dict, dict]:
    return ({"po_no": po, "line": 1, "supplier": supplier, "order_date": ordered, "due_date": "2026-12-20",
             **extra}, {"flag": flag, "slack_wd": 3.0, "why": f"why {po}"})


def _select(lines, log_rows=(), stale_wd=5, countries=None):
    orders = orders_frame([o for o, _ in lines])
    evaluated = pd.DataFrame([e for _, e in lines], index=orders.index)
    log = pd.DataFrame(list(log_rows), columns=schema.CHANGE_LOG.names)
    log["timestamp"] = pd.to_datetime(log["timestamp"])
    updates = last_updates(orders, log, MONDAY)
    countries = pd.Series(countries or ["CN"] * len(orders), index=orders.index, dtype=object)
    return select(orders, evaluated, updates, countries, BOOK, MONDAY,
                  Settings(stale_wd=stale_wd)).set_index("po_no")


def _log(po, when, note=SYNC_NOTE, line=1, as_of=None):
    return {"timestamp": when, "as_of": pd.Timestamp(as_of) if as_of else pd.NaT, "file": "f.xlsx", "sheet": "s",
            "source_row": 5, "order_key": f"{po} / {line}", "field": "eta", "old": None, "new": "2026-12-01",
            "note": note}


def test_late_will_be_late_and_at_risk_are_chased_and_on_track_lines_with_news_are_not():
    lines = [_line(po, flag) for po, flag in (("P-LATE", "LATE"), ("P-WBL", "WILL_BE_LATE"),
                                              ("P-RISK", "AT_RISK"), ("P-OK", "ON_TRACK"))]
    chased = _select(lines, [_log(po, "2026-11-20 10:00") for po in ("P-LATE", "P-WBL", "P-RISK", "P-OK")])
    assert chased["reason"].to_dict() == {"P-LATE": "LATE", "P-WBL": "WILL_BE_LATE", "P-RISK": "AT_RISK"}
    assert chased["flagged"].all() and not chased["stale"].any()
    assert chased["idle_wd"].tolist() == [1.0, 1.0, 1.0]   # Friday 20th to Monday 23rd: one working day
    assert chased["last_update"].tolist() == [pd.Timestamp("2026-11-20")] * 3


def test_no_news_counts_working_days_since_the_last_update_in_the_suppliers_calendar():
    # Monday 16th to Monday 23rd is 5 working days (stale at stale_wd=5), Tuesday 17th only 4.
    lines = [_line("P-5", "ON_TRACK"), _line("P-4", "ON_TRACK"), _line("P-LATE", "LATE")]
    chased = _select(lines, [_log("P-5", "2026-11-16 17:59"), _log("P-4", "2026-11-17 08:00"),
                             _log("P-LATE", "2026-11-02 09:00")])
    assert chased["reason"].to_dict() == {"P-5": "NO_NEWS", "P-LATE": "LATE+NO_NEWS"}
    assert chased["idle_wd"].to_dict() == {"P-5": 5.0, "P-LATE": 15.0}
    assert chased["stale"].all() and chased["flagged"].to_dict() == {"P-5": False, "P-LATE": True}
    assert chased["last_update"].to_dict() == {"P-5": pd.Timestamp("2026-11-16"), "P-LATE": pd.Timestamp("2026-11-02")}
    assert _select(lines[:2], [_log("P-5", "2026-11-16"), _log("P-4", "2026-11-17")], stale_wd=4).index.tolist() \
        == ["P-5", "P-4"]


def test_a_log_row_is_dated_by_its_runs_as_of_date_and_rows_dated_after_the_as_of_date_are_not_news():
    lines = [_line(po, "ON_TRACK", ordered="2026-10-01") for po in ("P-ASOF", "P-LATER", "P-OLD", "P-STAMP")]
    chased = _select(lines, [
        _log("P-ASOF", "2026-12-06 09:00", as_of="2026-11-20"),   # synced on 6 Dec as of 20 Nov: news of 20 Nov
        _log("P-LATER", "2026-11-20 09:00", as_of="2026-11-25"),  # as of after Monday 23rd: not known then
        _log("P-OLD", "2026-11-25 09:00"),                        # an older gendan's row: its timestamp
        _log("P-STAMP", "2026-11-20 09:00"),
    ])
    assert chased.index.tolist() == ["P-LATER", "P-OLD"]   # never updated as of Monday: since the order date
    assert chased["idle_wd"].tolist() == [33.0, 33.0]
    assert chased["last_update"].isna().all()   # no update known as of Monday (idle counts from the order)
    updates = last_updates(orders_frame([o for o, _ in lines]), pd.DataFrame([
        _log("P-ASOF", "2026-12-06 09:00", as_of="2026-11-20"), _log("P-STAMP", "2026-11-20 17:30")]), MONDAY)
    assert updates.tolist()[::3] == [pd.Timestamp("2026-11-20")] * 2   # the day, as of which the line was news


def test_only_sync_rows_count_as_news_and_the_latest_one_wins():
    lines = [_line(po, "ON_TRACK", ordered="2026-10-01") for po in ("P-A", "P-B", "P-C", "P-D")]
    chased = _select(lines, [
        _log("P-A", "2026-11-02"), _log("P-A", "2026-11-20"),            # latest of two: news
        _log("P-B", "2026-11-19", note=CONFLICT_NOTE),                   # the supplier's file named it
        _log("P-C", "2026-11-20", note="导入更新 load update"),          # our own ERP load: not news
        _log("P-D", "2026-11-20", line=2),                               # another line of the PO
    ])
    assert chased.index.tolist() == ["P-C", "P-D"]
    # 1 Oct to 23 Nov: 37 weekdays, less the 5 weekdays of the 国庆 National Day holiday, plus the
    # makeup Saturday 10 Oct (CN 2026)
    assert chased.loc["P-C", "idle_wd"] == 33 and pd.isna(chased.loc["P-C", "last_update"])


def test_shipped_cancelled_no_date_and_supplierless_lines_are_never_chased_and_no_order_date_is_no_news():
    lines = [_line("P-SHIP", "SHIPPED", ordered=None), _line("P-SL", "SHIPPED_LATE", ordered=None),
             _line("P-ND", "NO_DATE", ordered=None), _line("P-NOSUP", "LATE", supplier=None),
             _line("P-NEVER", "ON_TRACK", ordered=None),
             _line("P-CANC", "LATE", status="CANCELLED 已取消"), _line("P-CANC2", "LATE", status="已取消")]
    chased = _select(lines)
    assert chased.index.tolist() == ["P-NEVER"]
    assert np.isnan(chased.loc["P-NEVER", "idle_wd"]) and chased.loc["P-NEVER", "stale"]


def test_bangladesh_works_sunday_to_thursday():
    # From Saturday 21st to Monday 23rd: CN has no working day in between, BD works on Sunday.
    lines = [_line("P-CN", "LATE"), _line("P-BD", "LATE")]
    chased = _select(lines, [_log("P-CN", "2026-11-21"), _log("P-BD", "2026-11-21")], countries=["CN", "BD"])
    assert chased["idle_wd"].to_dict() == {"P-BD": 1.0, "P-CN": 0.0}


def test_templates_fill_known_placeholders_and_leave_other_braces():
    text = render_template("{supplier}: {count} {lines} {unknown} {{x}} {", {"supplier": "华美", "count": "2",
                                                                            "lines": "a\nb"})
    assert text == "华美: 2 a\nb {unknown} {{x}} {"


@pytest.mark.parametrize("name, stem", [
    ("华美 服饰/Ningbo: <A>", "华美 服饰_Ningbo_ _A_"), ("CON", "_CON"), ("nul.txt", "_nul.txt"),
    ("Acme Co.. ", "Acme Co"), ("a\tb\x00c", "a_b_c"), ("???", "_"), ("", "_"), ("COM10", "COM10"),
])
def test_file_names_are_safe_on_windows(name, stem):
    assert safe_stem(name) == stem


def test_file_names_are_unique_ignoring_case():
    assert unique_names(["A_B", "a_b", "A_B", "c"], ".xlsx") == ["A_B.xlsx", "a_b (2).xlsx", "A_B (3).xlsx",
                                                                  "c.xlsx"]


# --- the files and the round trip ----------------------------------------------------------------

def _table(path: Path) -> pd.DataFrame:
    return MasterWorkbook(path).read(schema.ORDERS).frame


def _rows(path: Path, sheet: str = SHEET) -> list[dict]:
    ws = openpyxl.load_workbook(path)[sheet]
    header = [c.value for c in ws[HEADER_ROW]]
    return [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=HEADER_ROW + 1)]


def _blank_supplier_due(master: Path, every: int) -> None:
    """Clear 工厂交期 Supplier due on every ``every``-th order line (as a master where only some lines have one)."""
    wb = openpyxl.load_workbook(master)
    ws = wb[schema.ORDERS.sheet]
    col = [c.value for c in ws[1]].index(schema.ORDERS.field("supplier_due").header) + 1
    for r in range(2, ws.max_row + 1, every):
        ws.cell(r, col).value = None
    wb.save(master)


def test_the_filled_in_chase_file_syncs_back_every_answer_and_nothing_else(demo_master, tmp_path):
    _blank_supplier_due(demo_master, every=3)
    summary = actions.chase(demo_master, out=tmp_path / "out", as_of=AS_OF)
    entry = max(summary.files, key=lambda f: f.lines)
    file = Path(entry.file)
    before = _table(demo_master)
    log_before = MasterWorkbook(demo_master).read(schema.CHANGE_LOG).frame

    wb = openpyxl.load_workbook(file)
    ws = wb[SHEET]
    header = [c.value for c in ws[HEADER_ROW]]
    col = {h: header.index(h) + 1 for h in header}
    answered: dict[tuple, dict] = {}
    for r in range(HEADER_ROW + 1, ws.max_row + 1, 2):   # every other line answered, the rest left blank
        po, line = ws.cell(r, col["PO号 PO No."]).value, ws.cell(r, col["行号 Line"]).value
        ours, theirs = ws.cell(r, col["交期 Due date"]).value, ws.cell(r, col["工厂交期 Supplier due"]).value
        assert (ours is None) != (theirs is None)   # one due date a line: the supplier's
        due = ours or theirs
        qty = ws.cell(r, col["数量 Qty"]).value
        values = {"eta": pd.Timestamp(due + dt.timedelta(days=9 + r % 5)), "produced_qty": float(qty - 7),
                  "shipped_qty": float(r % 3), "supplier_remarks": f"=cmd 第{r}行 row {r}", "due": pd.Timestamp(due)}
        ws.cell(r, col["新预计完成 New ETA"]).value = values["eta"].to_pydatetime()
        ws.cell(r, col["已完成数量 Produced qty"]).value = values["produced_qty"]
        ws.cell(r, col["出货数量 Shipped qty"]).value = str(int(values["shipped_qty"]))
        cell = ws.cell(r, col["供应商备注 Supplier remarks"])
        cell.value, cell.data_type = values["supplier_remarks"], "s"
        answered[(po, line)] = values
    wb.save(file)

    result = actions.sync(demo_master, [file], as_of=AS_OF)
    assert result.issues == {} and result.files[0].matched == entry.lines
    after = _table(demo_master)
    keys = list(zip(before["po_no"], before["line"]))
    rows = [i for i, k in zip(before.index, keys) if k in answered]
    assert len(rows) == len(answered) > 3
    # the due date shown is the supplier's (工厂交期 where set, else 交期); the file had lines of both
    given = before["supplier_due"].fillna(before["due_date"])
    assert all(answered[(before.at[row, "po_no"], before.at[row, "line"])]["due"] == given[row] for row in rows)
    assert before.loc[rows, "supplier_due"].isna().any() and before.loc[rows, "supplier_due"].notna().any()
    # the risk model learns from the answers' ETA slips (logged as of AS_OF): its figures move on every line
    learned = ["late_risk", "expected_delay_wd"]
    moving = ANSWERS + ["first_eta", "prev_eta", "eta_slips", "slack_wd", "flag", "why", *learned]
    learned_why = ["why", *learned]   # why carries the model's figures: compared without them

    def without_risk(frame):
        return frame["why"].str.replace(r"延误风险 late risk.*?(?=; (?:ETA|交期)|$)", "", regex=True)
    pd.testing.assert_frame_equal(after.drop(index=rows, columns=learned_why),
                                  before.drop(index=rows, columns=learned_why))
    pd.testing.assert_series_equal(without_risk(after.drop(index=rows)), without_risk(before.drop(index=rows)))
    pd.testing.assert_frame_equal(after.loc[rows].drop(columns=moving), before.loc[rows].drop(columns=moving))
    for row in rows:
        values = answered[(before.at[row, "po_no"], before.at[row, "line"])]
        for name in ANSWERS:
            assert after.at[row, name] == values[name], (row, name)

    log = MasterWorkbook(demo_master).read(schema.CHANGE_LOG).frame.iloc[len(log_before):]
    expected = set()
    for row in rows:
        values = answered[(before.at[row, "po_no"], before.at[row, "line"])]
        for name in ANSWERS:
            if before.at[row, name] != values[name]:
                new = values[name]
                shown = new.date().isoformat() if name == "eta" else str(int(new)) if isinstance(new, float) else new
                expected.add((f"{before.at[row, 'po_no']} / {before.at[row, 'line']}", name, shown))
    assert set(zip(log["order_key"], log["field"], log["new"])) == expected
    assert len(log) == len(expected) and set(log["note"]) == {SYNC_NOTE}


def test_the_last_eta_column_is_not_read_as_the_eta_and_answers_are_yellow(demo_master, tmp_path):
    entry = actions.chase(demo_master, out=tmp_path, as_of=AS_OF).files[0]
    extracted = extract_table(entry.file, schema.ORDERS)
    assert extracted.mapping == {"po_no": "PO号 PO No.", "line": "行号 Line", "style": "款号 Style",
                                 "color": "颜色 Color", "qty": "数量 Qty", "supplier_due": "工厂交期 Supplier due",
                                 "eta": "新预计完成 New ETA", "produced_qty": "已完成数量 Produced qty",
                                 "shipped_qty": "出货数量 Shipped qty", "supplier_remarks": "供应商备注 Supplier remarks"}
    assert len(extracted.frame) == entry.lines   # the supplier's last answers are not read as answers
    assert extracted.frame[["eta", "produced_qty", "shipped_qty"]].isna().all().all()
    ws = openpyxl.load_workbook(entry.file)[SHEET]
    assert ws.freeze_panes == f"C{HEADER_ROW + 1}" and ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    fills = {c.value: c.fill.start_color.rgb for c in ws[HEADER_ROW]}
    assert fills["新预计完成 New ETA"] == fills["供应商备注 Supplier remarks"] == STYLES["input_header"].fill
    assert fills["PO号 PO No."] == STYLES["header"].fill   # the palette of every generated sheet


def test_an_answer_typed_over_a_last_answer_is_an_issue_row_saying_where_to_type_it(demo_master, tmp_path):
    """The new ETA typed over 上次回复 Your last ETA instead of the yellow column (before: silently
    ignored, exit 0). Only the yellow columns are read; a last answer the supplier changed is a
    ``wrong_column`` row; one the master has moved on from since the file was sent is not."""
    entry = max(actions.chase(demo_master, out=tmp_path / "out", as_of=AS_OF).files, key=lambda f: f.lines)
    file = Path(entry.file)
    wb = openpyxl.load_workbook(file)
    ws = wb[SHEET]
    col = {c.value: c.column for c in ws[HEADER_ROW]}
    first, second, third = HEADER_ROW + 1, HEADER_ROW + 2, HEADER_ROW + 3
    key = {r: f"{ws.cell(r, col['PO号 PO No.']).value} / {ws.cell(r, col['行号 Line']).value}" for r in (first, second, third)}
    # since the file was sent, the master moved on for the second line (another file of the supplier)
    po, line = key[second].split(" / ")
    moved = tmp_path / "progress.csv"
    pd.DataFrame({"PO号": [po], "行号": [line], "预计完成": ["2027-01-08"]}).to_csv(moved, index=False)
    assert actions.sync(demo_master, [moved], as_of=AS_OF).changed_values == 1
    ws.cell(first, col["上次回复 Your last ETA"]).value = dt.datetime(2027, 1, 15)   # typed over the last ETA
    ws.cell(first, col["上次已完成 Your last produced qty"]).value = "1,234"
    ws.cell(third, col["新预计完成 New ETA"]).value = dt.datetime(2027, 1, 20)       # the yellow column: read
    wb.save(file)
    before = _table(demo_master).assign(key=lambda f: f["po_no"] + " / " + f["line"]).set_index("key")

    result = actions.sync(demo_master, [file], as_of=AS_OF)
    assert result.issues == {"wrong_column": 2} and result.changed_values == 1
    rows = sorted((i["row"], i["column"], i["value"], i["message"]) for i in result.issue_rows)
    assert [r[:3] for r in rows] == [(first, "上次回复 Your last ETA", "2027-01-15"),
                                     (first, "上次已完成 Your last produced qty", "1,234")]
    assert "type the new ETA in the yellow column 新预计完成 New ETA" in rows[0][3]
    assert "type the new Produced qty in the yellow column 已完成数量 Produced qty" in rows[1][3]
    after = _table(demo_master).assign(key=lambda f: f["po_no"] + " / " + f["line"]).set_index("key")
    assert after.loc[key[first], "eta"] == before.loc[key[first], "eta"] != pd.Timestamp("2027-01-15")
    assert after.loc[key[second], "eta"] == pd.Timestamp("2027-01-08")   # its stale last ETA changed nothing
    assert after.loc[key[third], "eta"] == pd.Timestamp("2027-01-20")
    issues = MasterWorkbook(demo_master).read(schema.IMPORT_ISSUES).frame
    assert (issues["reason"] == "wrong_column").sum() == 2   # listed in 导入问题 Import Issues
    # what the file was sent with: a hidden sheet of the last answers as shown (nothing else; see the marker test)
    assert openpyxl.load_workbook(file)[AS_SENT].sheet_state == "hidden"


def _master_with(tmp_path: Path, orders: list[dict]) -> Path:
    """A new master with ``orders`` loaded from an ERP csv (the way text from outside gets in)."""
    path, export = tmp_path / "m.xlsx", tmp_path / "erp.csv"
    actions.new_master(path)
    pd.DataFrame(orders).to_csv(export, index=False)
    actions.load_orders(path, export, as_of=AS_OF)
    return path


HOSTILE = [
    {"po_no": "=HYPERLINK(\"http://x\")", "line": 1, "style": "=1+1", "color": "@SUM(A1)",
     "supplier": "=cmd|' /C calc'!A0", "qty": 10, "order_date": "2026-10-01", "due_date": "2026-11-02"},
    {"po_no": "P-2", "line": 1, "style": "S\x07T", "supplier": "A/B", "qty": 5, "due_date": "2026-11-02"},
    {"po_no": "P-3", "line": 1, "supplier": "a<b", "qty": 5, "due_date": "2026-11-03"},
    {"po_no": "P-4", "line": 1, "supplier": "CON", "qty": 5, "due_date": "2027-03-03", "order_date": "2026-11-25"},
]


def test_text_stays_text_names_are_safe_and_the_files_are_valid(tmp_path):
    master = _master_with(tmp_path, HOSTILE)
    summary = actions.chase(master, out=tmp_path / "out", as_of=AS_OF)
    names = sorted(Path(f.file).name for f in summary.files)
    # a<b comes first (suppliers sorted by name; a:b would be A/B), A/B's name is then taken ignoring case; CON's
    # only line was ordered yesterday and has time in hand: nothing to chase
    assert names == sorted(["催单_=cmd_' _C calc'!A0_2026-11-26.xlsx", "催单_a_b_2026-11-26.xlsx",
                            "催单_A_B_2026-11-26 (2).xlsx"])
    files = [Path(f.file) for f in summary.files]
    hostile = next(p for p in files if "cmd" in p.name)
    (row,) = _rows(hostile)
    assert (row["PO号 PO No."], row["款号 Style"], row["颜色 Color"]) == ('=HYPERLINK("http://x")', "=1+1", "@SUM(A1)")
    with zipfile.ZipFile(hostile) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet
    assert _rows(next(p for p in files if "A_B" in p.name))[0]["款号 Style"] == "ST"
    assert_valid(*files)
    csv = sheet_csv(hostile, SHEET, tmp_path / "lo")   # LibreOffice opens it and shows the text
    assert ['=HYPERLINK("http://x")', "1", "=1+1", "@SUM(A1)"] == csv[HEADER_ROW][:4]


def test_chase_reads_the_master_and_never_writes_it(demo_master, tmp_path):
    before = demo_master.read_bytes()
    actions.chase(demo_master, out=tmp_path / "out", as_of=AS_OF)
    assert demo_master.read_bytes() == before
    assert sorted(p.name for p in demo_master.parent.iterdir()) == ["master.xlsx", "out"]


def test_the_message_comes_from_the_template_table_the_user_edited(tmp_path):
    master = _master_with(tmp_path, HOSTILE[1:2])
    rows = MasterWorkbook(master).read(schema.CHASE_TEMPLATES).frame
    assert list(zip(rows["language"], rows["template"])) == list(DEFAULT_TEMPLATES)
    wb = openpyxl.load_workbook(master)
    ws = wb[schema.CHASE_TEMPLATES.sheet]
    ws["B2"] = "{supplier} 请于 {deadline} 前回复 {count} 行:\n{lines}\n{file} {as_of} {nope}"
    ws["B3"] = None
    wb.save(master)
    (entry,) = actions.chase(master, out=tmp_path / "out", as_of=AS_OF).files
    assert entry.deadline == "2026-11-30"   # Thursday 26th + 2 working days
    assert entry.message == ("A/B 请于 2026-11-30 前回复 1 行:\n- P-2 / 1 · ST · 5 · 交期 due 2026-11-02 · "
                                "交期 2026-11-02 已过，尚未全部出货，请告知出货日期 the due date 2026-11-02 has passed "
                                "and the order is not fully shipped — please advise the ship date; 尚无更新 no update yet"
                                "\n催单_A_B_2026-11-26.xlsx 2026-11-26 {nope}")


def test_an_older_master_without_the_template_table_gets_the_built_in_messages(demo_master, tmp_path):
    wb = openpyxl.load_workbook(demo_master)
    del wb[schema.CHASE_TEMPLATES.sheet]   # as a master written before the table existed
    wb.save(demo_master)
    assert not MasterWorkbook(demo_master).has_table(schema.CHASE_TEMPLATES)
    entry = actions.chase(demo_master, out=tmp_path, as_of=AS_OF).files[0]
    zh, en = entry.message.split("\n\n")
    suppliers = MasterWorkbook(demo_master).read(schema.SUPPLIERS).frame.set_index("name")
    contact = suppliers.at[entry.supplier, "contact"]   # the contact person, not the company
    assert zh.startswith(f"{contact} 您好：\n截至 2026-11-26，以下 {entry.lines} 个订单行")
    assert en.startswith(f"Dear {contact},") and Path(entry.file).name in en


def test_drafts_greet_the_contact_and_an_unedited_earlier_template_greets_the_contact_too(demo_master, tmp_path):
    earlier = [text.replace("{contact}", "{supplier}") for _, text in DEFAULT_TEMPLATES]   # gendan's texts before
    wb = openpyxl.load_workbook(demo_master)
    templates, suppliers = wb[schema.CHASE_TEMPLATES.sheet], wb[schema.SUPPLIERS.sheet]
    templates["B2"], templates["B3"] = earlier
    header = [c.value for c in suppliers[1]]
    name_col, contact_col = (header.index(schema.SUPPLIERS.field(f).header) for f in ("name", "contact"))
    rows = list(suppliers.iter_rows(min_row=2))
    rows[0][contact_col].value = None   # a supplier without a contact person: greeted by its name
    no_contact, contact = rows[0][name_col].value, {r[name_col].value: r[contact_col].value for r in rows[1:]}
    wb.save(demo_master)
    files = actions.chase(demo_master, out=tmp_path / "out", as_of=AS_OF).files
    assert {f.supplier for f in files} >= {no_contact, *list(contact)[:2]}
    for entry in files:
        zh, en = entry.message.split("\n\n")[:2]   # then the samples to send, if any
        greeted = contact.get(entry.supplier, entry.supplier)
        assert zh.startswith(f"{greeted} 您好：\n") and en.startswith(f"Dear {greeted},\n"), entry.supplier


# --- the command line ----------------------------------------------------------------------------

def _gendan(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gendan_xl", *map(str, args)], capture_output=True, text=True,
                          timeout=300)


def test_cli_json_and_the_supplier_filter_by_alias(demo_master, tmp_path):
    suppliers = MasterWorkbook(demo_master).read(schema.SUPPLIERS).frame
    code = suppliers["code"].iloc[0]
    proc = _gendan("chase", demo_master, "--supplier", code.lower(), "--out", tmp_path / "o", "--as-of", AS_OF,
                   "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    (entry,) = result["files"]
    assert set(entry) >= {"supplier", "file", "lines", "message"} and entry["supplier"] == suppliers["name"].iloc[0]
    assert result["ok"] and result["lines"] == entry["lines"] == len(_rows(Path(entry["file"])))
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == [Path(entry["file"]).name]


def test_cli_without_json_writes_each_draft_beside_its_file_and_says_where(demo_master, tmp_path):
    proc = _gendan("chase", demo_master, "--supplier", "华美", "--out", tmp_path / "o", "--as-of", AS_OF)
    assert proc.returncode == 0, proc.stderr
    (xlsx,) = (tmp_path / "o").glob("*.xlsx")
    draft = xlsx.with_suffix(".txt")
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == sorted([xlsx.name, draft.name])
    assert f"消息草稿 message draft → {draft}" in proc.stdout
    raw = draft.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw   # Notepad on any Windows reads it as UTF-8
    text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    assert text.startswith("王丽 Wang Li 您好：\n") and "Dear 王丽 Wang Li,\n" in text and xlsx.name in text
    assert len([line for line in text.splitlines() if line.startswith("- PO-")]) == 2 * len(_rows(xlsx))


def test_cli_errors_are_clear_and_bilingual(demo_master, tmp_path):
    proc = _gendan("chase", demo_master, "--supplier", "Nobody Ltd", "--out", tmp_path / "o")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "no supplier of ours is called this" in proc.stderr and "Nobody Ltd" in proc.stderr
    (tmp_path / "file").write_text("x")
    proc = _gendan("chase", demo_master, "--out", tmp_path / "file")
    assert proc.returncode == 1 and "--out is a file, not a folder" in proc.stderr


# --- nothing internal ----------------------------------------------------------------------------

SUPPLIER, OTHER = "Huamei Knit", "OTHERSUP-MARKER Ltd"
INTERNAL = {"customer": "CUSTOMER-MARKER 客户标记", "unit_price": 8765.4321, "cost_price": 6543.2109,
            "currency": "CURMARK", "remarks": "REMARK-MARKER 内部备注标记", "description": "DESC-MARKER 品名标记",
            "status": "STATUS-MARKER", "weight_kg": 4242.17, "freight": 3131.77}
# what the master knows that no supplier may read: our customer, prices, remarks, the other supplier,
# and the words of our reasoning (risk figures, statistics, thresholds, calendar notes, codes)
CHASE_MARKERS = ["CUSTOMER-MARKER", "客户标记", "8765.4", "8,765.4", "6543.2", "6,543.2", "CURMARK", "REMARK-MARKER",
                 "内部备注标记", "DESC-MARKER", "品名标记", "STATUS-MARKER", "4242.1", "3131.7",
                 "延误风险", "late risk", "供应商历史", "supplier history", "同客户", "same customer", "WD", "%", "≥",
                 "可追回", "caught up", "暂定", "provisional", "余量", "slack", "NO_NEWS",
                 *Flag, *(code for code, *_ in schema.APPAREL)]
OTHER_MARKERS = ["OTHERSUP-MARKER", "OTHERCODE-MARKER", "OTHERCONTACT-MARKER", "other@marker.example", "PO-B1"]


def _serial(day: str) -> str:
    """A date as the sheet XML stores it (days since 1899-12-30)."""
    return str((dt.date.fromisoformat(day) - dt.date(1899, 12, 30)).days)


def _internal_master(folder: Path) -> Path:
    """Huamei Knit shipped 18 of its last 24 lines late, the other 1 (the risk model's evidence); its open lines
    are raised by the model, late, late against the customer's date in a provisional year, short of
    slack, and behind on milestones; customer dates differ from the supplier's. Every internal value
    is a marker; OTHERSUP-MARKER Ltd has a late line of its own."""
    rows = []
    for k in range(24):
        due = AS_OF - dt.timedelta(days=20 + 9 * k)
        for n, (supplier, late) in enumerate(((SUPPLIER, 18), (OTHER, 1))):
            rows.append({"po_no": f"PO-{n}{k:02d}", "supplier": supplier, "due_date": due, "shipped_qty": 500,
                         "ship_date": due + dt.timedelta(days=8 if k < late else -2)})
    day = dt.date.fromisoformat
    rows += [{"po_no": "PO-RISK", "supplier": SUPPLIER, "due_date": AS_OF + dt.timedelta(days=100)},   # no milestone due
             {"po_no": "PO-PAST", "supplier": SUPPLIER, "due_date": day("2026-11-19"), "supplier_due": day("2026-11-13"),
              "eta": day("2026-11-12")},
             {"po_no": "PO-2027", "supplier": SUPPLIER, "due_date": day("2027-03-16"), "supplier_due": day("2027-03-05"),
              "eta": day("2027-03-22")},
             {"po_no": "PO-SLACK", "supplier": SUPPLIER, "due_date": day("2026-12-04"), "eta": day("2026-12-02")},
             {"po_no": "PO-TA", "supplier": SUPPLIER, "due_date": day("2026-12-23"), "supplier_due": day("2026-12-16"),
              "eta": day("2026-12-15")},
             {"po_no": "PO-B1", "supplier": OTHER, "due_date": day("2026-11-18"), "eta": day("2026-11-10")}]
    orders = orders_frame(rows, line=1, style="ST-1", color="Navy 藏青", qty=500, order_date=day("2026-09-01"),
                          **INTERNAL).reset_index(drop=True)
    suppliers = pd.DataFrame([{"code": "HK", "name": SUPPLIER, "country": "CN", "contact": "Wang Li"},
                              {"code": "OTHERCODE-MARKER", "name": OTHER, "country": "CN",
                               "contact": "OTHERCONTACT-MARKER", "email": "other@marker.example"}])
    master = folder / "master.xlsx"
    actions.new_master(master, suppliers=suppliers, orders=orders)
    actions.plan(master, as_of=AS_OF)
    return master


# Sample rounds: Huamei Knit's overdue PP sample of PO-RISK and a lab dip due within the reply window,
# OTHERSUP-MARKER's own; every internal value of a round (customer, charge, terms, comments) a marker.
SAMPLE_ROWS = ("sample_no,round,kind,customer,supplier,po_no,line,due,charge,charge_currency,charge_terms,comments\n"
               "S-HM1,1,PP,CUSTOMER-MARKER 客户标记,,PO-RISK,1,2026-11-20,5151.37,CURMARK,TERMS-MARKER,"
               "SAMPLE-COMMENT-MARKER 样品意见标记\n"
               "S-HM2,1,LAB_DIP,CUSTOMER-MARKER 客户标记,Huamei Knit,,,2026-11-27,5151.37,CURMARK,TERMS-MARKER,"
               "SAMPLE-COMMENT-MARKER 样品意见标记\n"
               "S-HM3,1,FIT,,Huamei Knit,,,2026-12-20,,,,\n"   # not due by the deadline: not asked
               "S-OTHERSAMPLE,1,PP,,,PO-B1,1,2026-11-24,,,,\n")
SAMPLE_MARKERS = ["5151.3", "5,151.3", "TERMS-MARKER", "SAMPLE-COMMENT-MARKER", "样品意见标记"]


def test_nothing_internal_in_any_part_of_any_chase_file_or_draft(tmp_path):
    master = _internal_master(tmp_path)
    (tmp_path / "samples.csv").write_text(SAMPLE_ROWS, encoding="utf-8")
    assert actions.load_table(master, tmp_path / "samples.csv", schema.SAMPLES, as_of=AS_OF).added == 4
    refreshed = actions.refresh(master, as_of=AS_OF)
    assert refreshed.risk["at_or_over"] >= 1
    orders = _table(master).set_index("po_no")
    why = orders["why"].to_dict()   # the master holds our reasoning ...
    assert "supplier history: 18 of 24" in why["PO-RISK"] and "AT_RISK" in orders.at["PO-RISK", "flag"]
    assert "provisional calendar" in why["PO-2027"] and "WD < 3" in why["PO-SLACK"]
    assert "LAB_DIP_APPROVED" in why["PO-TA"]
    sample_whys = [r["why"] for r in table_rows(master, schema.SAMPLES)]   # the register's reasoning
    assert any("WD overdue" in w for w in sample_whys)
    summary = actions.chase(master, out=tmp_path / "out", as_of=AS_OF)
    files = {f.supplier: f for f in summary.files}
    assert set(files) == {SUPPLIER, OTHER} and files[SUPPLIER].lines == 5
    assert (files[SUPPLIER].samples, files[OTHER].samples) == (2, 1)
    ours = {"PO-PAST": "2026-11-19", "PO-2027": "2027-03-16", "PO-TA": "2026-12-23"}   # the customer's dates
    for name, entry in files.items():
        parts = part_texts(Path(entry.file))
        draft = Path(entry.draft).read_text(encoding="utf-8-sig")
        assert draft.strip() == entry.message.strip().replace("\r\n", "\n")
        bodies = {**parts, "draft": draft, "message": entry.message}
        markers = CHASE_MARKERS + SAMPLE_MARKERS + list(why.values()) + sample_whys
        if name == SUPPLIER:
            markers += OTHER_MARKERS + ["S-OTHERSAMPLE", "S-HM3", *ours.values(), *map(_serial, ours.values())]
            for sample in ("S-HM1", "S-HM2"):   # its samples are there
                assert sample in parts["xl/worksheets/sheet2.xml"] and sample in draft
            for po in ("PO-RISK", "PO-PAST", "PO-2027", "PO-SLACK", "PO-TA"):   # its lines are there
                assert po in parts["xl/worksheets/sheet1.xml"] and po in draft
            assert draft.startswith("Wang Li 您好")
        else:
            markers += [SUPPLIER, "Huamei", "Wang Li", "PO-RISK", "S-HM"]
        for part, body in bodies.items():
            for marker in markers:
                assert marker not in body, f"{marker!r} in {part} of {name}'s chase"
    # the model-raised line is asked to confirm, told nothing of why
    sheet = {r["PO号 PO No."]: r for r in _rows(Path(files[SUPPLIER].file))}
    assert sheet["PO-RISK"]["请回复 What we ask"].startswith("请确认能按期出货 please confirm the due date")
    assert sheet["PO-PAST"]["工厂交期 Supplier due"] == dt.datetime(2026, 11, 13)
    # the overdue PP sample asked by the file's reply deadline, the lab dip by its due date
    rounds = {r["样品编号 Sample No."]: r for r in _rows(Path(files[SUPPLIER].file), SAMPLE_SHEET)}
    assert sorted(rounds) == ["S-HM1", "S-HM2"] and files[SUPPLIER].deadline == "2026-11-30"
    assert rounds["S-HM1"]["请回复 What we ask"] == "产前样请于 2026-11-30 前寄出 please send the PP sample by 2026-11-30"
    assert rounds["S-HM2"]["请回复 What we ask"] == "色样请于 2026-11-27 前寄出 please send the lab dip by 2026-11-27"
    assert (rounds["S-HM1"]["款号 Style"], rounds["S-HM1"]["颜色 Color"]) == ("ST-1", "Navy 藏青")


def test_a_supplier_with_samples_only_gets_a_file_of_its_samples_and_a_draft_naming_them(tmp_path):
    """Solo Sampler's one line is on track with fresh news (nothing to chase, before: no file at all);
    its overdue PP sample round 2 and its lab dip due on the deadline are asked for, in a file whose only
    sheet lists them, read back by openpyxl and python-calamine."""
    master = tmp_path / "m.xlsx"
    orders = orders_frame([{"po_no": "P-9", "line": 1, "style": "ST-9", "color": "RED", "supplier": "Solo Sampler",
                            "customer": "Nordic Home", "due_date": dt.date(2027, 3, 1)}],
                          qty=500, order_date=dt.date(2026, 11, 20))
    suppliers = pd.DataFrame([{"code": "SS", "name": "Solo Sampler", "country": "CN", "contact": "Chen Bo"}])
    actions.new_master(master, suppliers=suppliers, orders=orders)
    assert actions.chase(master, out=tmp_path / "before", as_of=AS_OF).files == []
    (tmp_path / "s.csv").write_text("sample_no,round,kind,po_no,line,size,qty,due,awb\n"
                                    "S-7,2,PP,P-9,1,M,2,2026-11-20,\n"
                                    "S-8,1,LAB_DIP,P-9,1,,,2026-11-30,\n"
                                    "S-9,1,FIT,P-9,1,,,2026-12-01,\n", encoding="utf-8")   # after the deadline
    actions.load_table(master, tmp_path / "s.csv", schema.SAMPLES, as_of=AS_OF)
    result = actions.chase(master, out=tmp_path / "out", as_of=AS_OF)
    (entry,) = result.files
    assert (entry.supplier, entry.lines, entry.samples, entry.deadline) == ("Solo Sampler", 0, 2, "2026-11-30")
    assert result.samples == 2 and entry.reasons == {}
    path = Path(entry.file)
    assert openpyxl.load_workbook(path).sheetnames == [SAMPLE_SHEET]
    expected = [["S-7", 2, "产前样 PP sample", "P-9", "1", "ST-9", "RED", "M", 2, dt.datetime(2026, 11, 20),
                 "产前样请于 2026-11-30 前寄出 please send the PP sample by 2026-11-30"],
                ["S-8", 1, "色样 Lab dip", "P-9", "1", "ST-9", "RED", None, None, dt.datetime(2026, 11, 30),
                 "色样请于 2026-11-30 前寄出 please send the lab dip by 2026-11-30"]]
    rows = _rows(path, SAMPLE_SHEET)
    assert [list(r.values())[:11] for r in rows] == expected
    assert list(rows[0])[11:] == ["寄出日期 Sent date", "快递公司 Courier", "运单号 AWB"]   # the yellow answers
    ws = openpyxl.load_workbook(path)[SAMPLE_SHEET]
    assert {c.fill.start_color.rgb for c in ws[HEADER_ROW][11:]} == {STYLES["input_header"].fill}
    assert ws.cell(HEADER_ROW + 1, 14).number_format == "@"   # a tracking number stays text
    read = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SAMPLE_SHEET).to_python()
    assert read[HEADER_ROW - 1][:3] == ["样品编号 Sample No.", "轮次 Round", "样品类型 Kind"]
    assert [r[0] for r in read[HEADER_ROW:]] == ["S-7", "S-8"]
    assert read[HEADER_ROW][9] in (dt.date(2026, 11, 20), dt.datetime(2026, 11, 20))
    draft = Path(entry.draft).read_text(encoding="utf-8-sig")
    assert draft.startswith("Chen Bo 您好 Dear Chen Bo,") and "S-7 第 2 轮 round 2" in draft and "S-9" not in draft
    assert "订单行" not in draft
    assert_valid(path)
