"""A supplier row never updates a line its own values contradict (sync, load, reconcile).

Real workbooks and files where the behaviour is the user's (a master written by ``gendan new``, factory
files written with openpyxl or as csv, results read back from the saved master); the pure matching
rules on small frames.
"""

from __future__ import annotations

import random

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import AS_OF, orders_frame
from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.rules import suggest
from gendan_xl.demo.build import demo_frames
from gendan_xl.rules.doc_match import normalised_keys, pair_lines
from gendan_xl.importers.extract import extract_table
from gendan_xl.importers.references import resolve_references
from gendan_xl.rules.reconcile import reconcile
from gendan_xl.rules.sync import sync_rows
from gendan_xl.store.master import MasterWorkbook

# Our lines of one Chinese factory: (PO, line, style, colour, qty). Same style in two colours, two
# colours of one style, and one style + colour twice with different quantities (PO-260104).
FACTORY_LINES = [
    ("PO-260101", 1, "GM1001", "Black 黑", 1200), ("PO-260101", 2, "GM1001", "White 白", 1200),
    ("PO-260101", 3, "GM1002", "Navy 藏青", 800),
    ("PO-260102", 1, "GM2001", "Red 红", 500), ("PO-260102", 2, "GM2001", "Grey 灰", 600),
    ("PO-260102", 3, "GM2003", "Beige 米", 300),
    ("PO-260103", 1, "GM3001", "Black 黑", 1000), ("PO-260103", 2, "GM3002", "Black 黑", 1000),
    ("PO-260104", 1, "GM4001", "Navy 藏青", 2000), ("PO-260104", 2, "GM4001", "Navy 藏青", 1500),
    ("PO-260104", 3, "GM4002", "White 白", 900), ("PO-260104", 4, "GM4002", "Black 黑", 900),
]
# The factory's 进度表, in its own order: (PO, style, colour as they type it, qty) -> our line.
FACTORY_ROWS = [
    ("PO-260101", "GM1002", "navy 藏青", 800, 3), ("PO-260101", "GM1001", "Black黑", 1200, 1),
    ("PO-260101", "GM1001", "WHITE 白", 1200, 2),
    ("PO-260102", "GM2003", "Beige 米", 300, 3), ("PO-260102", "GM2001", "Grey 灰", 600, 2),
    ("PO-260102", "GM2001", "Red 红", 500, 1),
    ("PO-260103", "GM3002", "Black 黑", 1000, 2), ("PO-260103", "GM3001", "Black 黑", 1000, 1),
    ("PO-260104", "GM4002", "Black 黑", 900, 4), ("PO-260104", "GM4001", "Navy 藏青", 1500, 2),
    ("PO-260104", "GM4002", "White 白", 900, 3), ("PO-260104", "GM4001", "Navy 藏青", 2000, 1),
]
CN_HEADERS = ["订单号", "款号", "颜色", "数量", "已完成数量", "预计完工"]
# A PO of twelve lines without style or colour (lines are told apart by number only), and a PO whose
# user typed line 1 twice, once as ``01``.
LONG_PO = [("PO-260500", n, None, None, 100 * n) for n in range(1, 13)]
TWIN_LINES = [("PO-260501", "1", None, None, 100), ("PO-260501", "01", None, None, 200)]


def factory_orders() -> pd.DataFrame:
    """Demo order lines plus the factory's twelve open lines (ETA 2026-12-01, nothing produced)."""
    _, demo = demo_frames(20, 3, AS_OF)
    template = demo.iloc[0]
    ours = pd.DataFrame([{**template.to_dict(), "po_no": po, "line": line, "style": style, "color": color,
                          "qty": qty, "eta": pd.Timestamp("2026-12-01"), "first_eta": pd.Timestamp("2026-12-01"),
                          "prev_eta": pd.NaT, "produced_qty": 0, "ship_date": pd.NaT, "shipped_qty": np.nan,
                          "status": "OPEN 进行中", "supplier": "宁波华美服饰有限公司 Ningbo Huamei Garments"}
                         for po, line, style, color, qty in FACTORY_LINES + LONG_PO + TWIN_LINES])
    return pd.concat([demo, ours], ignore_index=True)


@pytest.fixture(scope="module")
def factory_master(tmp_path_factory):
    folder = tmp_path_factory.mktemp("identity")
    suppliers, _ = demo_frames(1, 3, AS_OF)
    actions.new_master(folder / "master.xlsx", suppliers=suppliers, orders=factory_orders())
    return folder / "master.xlsx"


@pytest.fixture
def master(factory_master, tmp_path):
    copy = tmp_path / "master.xlsx"
    copy.write_bytes(factory_master.read_bytes())
    return copy


def factory_table(rows=FACTORY_ROWS) -> list[list]:
    """The factory's rows as cells (with their own ETA and output per row) under ``CN_HEADERS``."""
    return [[po, style, color, qty, 100 * (i + 1), f"2026年12月{i + 10}日"]
            for i, (po, style, color, qty, _) in enumerate(rows)]


def write_xlsx(path, headers, rows, *, title=True, merge_po=None):
    """A factory workbook: title block, header, rows, a 合计 row; the PO merged over its rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "进度表"
    if title:
        ws.append(["宁波华美服饰有限公司 生产进度表"])
        ws.append([f"日期：{AS_OF.year}年{AS_OF.month}月{AS_OF.day}日"])
    ws.append(headers)
    first = ws.max_row + 1
    for row in rows:
        ws.append(row)
    if merge_po is not None:
        col = merge_po + 1
        start = first
        for r in range(first + 1, ws.max_row + 2):
            if r > ws.max_row or ws.cell(r, col).value != ws.cell(start, col).value:
                if r - start > 1:
                    for k in range(start + 1, r):
                        ws.cell(k, col).value = None
                    ws.merge_cells(start_row=start, start_column=col, end_row=r - 1, end_column=col)
                start = r
    ws.append(["合计"])
    wb.save(path)
    return path


def orders_by_key(path) -> pd.DataFrame:
    frame = MasterWorkbook(path).read(schema.ORDERS).frame
    return frame.set_index(frame["po_no"] + "/" + frame["line"].astype(str))


def test_chinese_factory_file_every_row_on_its_own_line(master, tmp_path):
    """序号 first, PO merged over its lines, PO + 款号 + 颜色: all 12 rows land on exactly their line.
    (With 序号 read as the line, 3 of these rows were written onto wrong lines and 9 were unknown.)"""
    rows = [[i + 1, *cells] for i, cells in enumerate(factory_table())]
    file = write_xlsx(tmp_path / "华美_生产进度表.xlsx", ["序号", *CN_HEADERS], rows, merge_po=1)
    result = actions.sync(master, [file], as_of=AS_OF)
    assert result.files[0].matched == 12 and result.issues_total == 0
    after = orders_by_key(master)
    for i, (po, _, _, _, line) in enumerate(FACTORY_ROWS):
        got = after.loc[f"{po}/{line}"]
        assert got["produced_qty"] == 100 * (i + 1), (po, line)
        assert got["eta"] == pd.Timestamp(2026, 12, i + 10), (po, line)
    log = pd.read_excel(master, sheet_name=schema.CHANGE_LOG.sheet, dtype=str, engine="openpyxl")
    written = dict(zip(log[schema.CHANGE_LOG.field("source_row").header].astype(int),
                       log[schema.CHANGE_LOG.field("order_key").header]))
    assert written == {4 + i: f"{po} / {line}" for i, (po, _, _, _, line) in enumerate(FACTORY_ROWS)}


def test_po_and_line_contradicted_by_style_is_not_applied(master, tmp_path):
    """A real line number whose line has another style: key_mismatch naming both styles and the line
    PO + style + colour point to; nothing written to either line."""
    file = tmp_path / "progress.csv"
    file.write_text("PO No.,Line,Style,Colour,ETA,Produced qty\n"
                    "PO-260101,1,GM1002,Navy 藏青,2026-12-20,700\n"     # line 1 is GM1001 Black; GM1002 is line 3
                    "PO-260101,2,GM1001,White 白,2026-12-21,300\n", encoding="utf-8")
    before = orders_by_key(master)
    result = actions.sync(master, [file], as_of=AS_OF)
    (issue,) = result.issue_rows
    assert issue["reason"] == "key_mismatch" and issue["row"] == 2
    assert "GM1001" in issue["message"] and "GM1002" in issue["message"] and "Black 黑" in issue["message"]
    assert "point to line 3" in issue["message"] and "not applied" in issue["message"]
    after = orders_by_key(master)
    for key in ("PO-260101/1", "PO-260101/3"):
        assert after.at[key, "eta"] == before.at[key, "eta"] and after.at[key, "produced_qty"] == 0
    assert after.at["PO-260101/2", "produced_qty"] == 300


def test_known_po_without_that_line_says_so(master, tmp_path):
    file = tmp_path / "progress.csv"
    file.write_text("PO No.,Line,ETA\nPO-260101,9,2026-12-20\nPO-260102,7,2026-12-20\n", encoding="utf-8")
    result = actions.sync(master, [file], as_of=AS_OF)
    messages = {i["value"]: i["message"] for i in result.issue_rows}
    assert [i["reason"] for i in result.issue_rows] == ["unknown_order", "unknown_order"]
    assert "PO PO-260101" in messages["PO-260101 / 9"] and "has no line 9; its lines: 1, 2, 3" in messages["PO-260101 / 9"]
    assert "its lines: 1, 2, 3" in messages["PO-260102 / 7"]
    assert not any("did you mean" in m for m in messages.values())
    assert result.changed_values == 0


# --- line numbers are compared as line numbers ----------------------------------------------------------

# (the line as the supplier typed it, the produced qty it reports, the line of PO-260500 it is; None: a
# sub-line the PO does not have)
LINE_SPELLINGS = [("1.0", 11, 1), ("2.00", 22, 2), ("Line 3", 33, 3), ("#4", 44, 4), ("05", 55, 5), ("６", 66, 6),
                  ("1.1", 77, None), ("1-2", 88, None), ("1.5", 99, None)]
AS_NUMBERS = {"1.0": 1.0, "2.00": 2.0, "1.1": 1.1, "1.5": 1.5}   # what Excel keeps of them typed in a cell


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_line_is_read_as_a_line_number_never_as_its_digits(master, tmp_path, kind):
    """PO-260500 has twelve lines and no style or colour. ``1.0`` is line 1 (it was applied to line
    10), ``1.1`` and ``1-2`` are sub-lines the PO does not have (they were applied to lines 11 and 12),
    ``2.00`` is line 2 (it was "no line 2.00"); the master's Line cells keep their text."""
    headers = ["PO No.", "Line", "Produced qty"]
    rows = [["PO-260500", line, qty] for line, qty, _ in LINE_SPELLINGS]
    if kind == "csv":
        file = tmp_path / "progress.csv"
        file.write_text("\n".join(",".join(map(str, r)) for r in [headers, *rows]) + "\n", encoding="utf-8")
    else:
        rows = [[po, AS_NUMBERS.get(line, line), qty] for po, line, qty in rows]
        file = write_xlsx(tmp_path / "progress.xlsx", headers, rows, title=False)
    result = actions.sync(master, [file], as_of=AS_OF)
    problems = [i for i in result.issue_rows if i["reason"] != "skipped_total"]
    assert [(i["row"], i["reason"]) for i in problems] == [(8, "unknown_order"), (9, "unknown_order"),
                                                           (10, "unknown_order")]
    for issue, line in zip(problems, ("1.1", "1-2", "1.5")):
        assert f"has no line {line};" in issue["message"] and "did you mean" not in issue["message"]
    after = orders_by_key(master)
    produced = {line: qty for _, qty, line in LINE_SPELLINGS if line}
    lines = after[after["po_no"] == "PO-260500"]
    assert lines["line"].tolist() == [str(n) for n in range(1, 13)]
    assert lines["produced_qty"].tolist() == [produced.get(n, 0) for n in range(1, 13)]
    log = pd.read_excel(master, sheet_name=schema.CHANGE_LOG.sheet, dtype=str, engine="openpyxl")
    assert sorted(log[schema.CHANGE_LOG.field("order_key").header]) == [f"PO-260500 / {n}" for n in range(1, 7)]


def test_a_line_number_the_master_gives_two_lines_is_ambiguous(master, tmp_path):
    """PO-260501 has line ``1`` and line ``01``: a row for line ``1.0`` (or ``1``) could be either, so
    it is ``ambiguous_match`` naming both, never applied (``1.0`` was "no line 1.0"); sync and load."""
    file = tmp_path / "progress.csv"
    file.write_text("PO No.,Line,Produced qty\nPO-260501,1.0,50\n", encoding="utf-8")
    result = actions.sync(master, [file], as_of=AS_OF)
    (issue,) = result.issue_rows
    assert issue["reason"] == "ambiguous_match" and "(1, 01); give each of them its own line number" in issue["message"]
    erp = tmp_path / "erp.csv"
    erp.write_text("PO No.,Line,Qty\nPO-260501,1,999\n", encoding="utf-8")
    loaded = actions.load_orders(master, erp, as_of=AS_OF)
    assert loaded.added == 0 and loaded.updated_lines == 0
    (issue,) = loaded.issue_rows
    assert issue["reason"] == "ambiguous_match" and issue["value"] == "PO-260501 / 1" and "(1, 01)" in issue["message"]
    twins = orders_by_key(master).loc[["PO-260501/1", "PO-260501/01"]]
    assert twins["qty"].tolist() == [100, 200] and twins["produced_qty"].tolist() == [0, 0]


def test_load_finds_a_line_by_its_number_and_keeps_its_line_text(master, tmp_path):
    """An ERP export spelling line 1 of six POs six ways: each updates line 1 of its PO (``1.0``,
    ``1.00`` and ``Line 1`` were appended beside it, ``01``, ``#1`` and ``１`` rewrote its Line cell);
    ``1.0`` beside ``1`` of one PO in the file is the same line twice; ``1.1`` is a new sub-line."""
    spellings = {"PO-260101": "1.0", "PO-260102": "1.00", "PO-260103": "Line 1", "PO-260104": "01",
                 "PO-260500": "#1", "PO-260001": "１"}
    erp = tmp_path / "erp.csv"
    erp.write_text("PO No.,Line,Qty\n" + "".join(f"{po},{line},{7000 + i}\n" for i, (po, line) in
                                               enumerate(spellings.items()))
                   + "PO-260102,1,1\nPO-260103,1.1,5\n", encoding="utf-8")
    before = orders_by_key(master)
    result = actions.load_orders(master, erp, as_of=AS_OF)
    assert result.added == 1 and result.updated_lines == 6
    assert [(i["row"], i["reason"]) for i in result.issue_rows] == [(8, "duplicate")]
    after = orders_by_key(master)
    assert len(after) == len(before) + 1 and after.at["PO-260103/1.1", "qty"] == 5
    assert after.drop(index="PO-260103/1.1").index.equals(before.index)   # every Line cell as it was
    assert [after.at[f"{po}/1", "qty"] for po in spellings] == [7000, 7001, 7002, 7003, 7004, 7005]


# --- the matching rules on frames ------------------------------------------------------------------

def lines_frame(lines=FACTORY_LINES) -> pd.DataFrame:
    """Order lines (PO, line, style, colour, qty) as the master's Orders frame, indexed by sheet row."""
    frame = pd.DataFrame(lines, columns=["po_no", "line", "style", "color", "qty"]).astype({"line": str})
    return orders_frame(frame.to_dict("records"))


def incoming(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    if "eta" in frame:
        frame["eta"] = pd.to_datetime(frame["eta"])
    return frame.assign(_row=range(2, 2 + len(frame)), _sheet="s")


def synced(rows: list[dict]):
    orders = lines_frame()
    result = sync_rows(orders, incoming(rows), file="f.xlsx", timestamp="t")
    return orders, result


def applied(orders, result) -> dict[str, str]:
    """``PO/line`` -> new ETA of the lines whose ETA the sync changed."""
    changed = result.orders["eta"].ne(orders["eta"]) & result.orders["eta"].notna()
    frame = result.orders[changed]
    return dict(zip(frame["po_no"] + "/" + frame["line"], frame["eta"].dt.strftime("%m-%d")))


def test_colour_contradicting_the_only_line_of_a_style_is_not_applied():
    """PO + style alone used to match: GM1002 has one line, but it is Navy, not Black."""
    orders, result = synced([{"po_no": "PO-260101", "style": "GM1002", "color": "Black 黑", "eta": "2026-12-24"}])
    assert applied(orders, result) == {}
    (issue,) = result.issues
    assert issue.reason.value == "unknown_order"
    assert "has no line with" in issue.message and "3 (GM1002 Navy 藏青)" in issue.message


def test_style_alone_matches_when_the_po_has_one_line_of_it():
    orders, result = synced([{"po_no": "PO-260101", "style": "GM1002", "eta": "2026-12-24"}])
    assert applied(orders, result) == {"PO-260101/3": "12-24"} and result.issues == []


def test_quantity_breaks_a_tie_but_never_vetoes_a_single_line():
    orders, result = synced([
        {"po_no": "PO-260104", "style": "GM4001", "color": "Navy 藏青", "qty": 1500, "eta": "2026-12-20"},
        {"po_no": "PO-260104", "style": "GM4002", "color": "White 白", "qty": 950, "eta": "2026-12-21"},
    ])
    assert applied(orders, result) == {"PO-260104/2": "12-20", "PO-260104/3": "12-21"}
    (issue,) = result.issues
    assert issue.reason.value == "conflict" and "master 900, supplier 950" in issue.message


def test_lines_the_row_cannot_tell_apart_are_ambiguous():
    orders, result = synced([{"po_no": "PO-260104", "style": "GM4001", "color": "Navy 藏青", "eta": "2026-12-20"},
                             {"po_no": "PO-260102", "style": "GM2001", "eta": "2026-12-20"}])
    assert applied(orders, result) == {}
    assert [i.reason.value for i in result.issues] == ["ambiguous_match", "ambiguous_match"]
    assert "(1, 2)" in result.issues[0].message and "(1, 2)" in result.issues[1].message


def test_line_missing_but_style_and_colour_point_to_one_line_is_a_key_mismatch():
    orders, result = synced([{"po_no": "PO-260102", "line": "7", "style": "GM2003", "color": "Beige 米",
                              "eta": "2026-12-20"}])
    assert applied(orders, result) == {}
    (issue,) = result.issues
    assert issue.reason.value == "key_mismatch"
    assert "has no line 7" in issue.message and "point to line 3" in issue.message


def test_master_blanks_contradict_nothing():
    orders = lines_frame()
    orders.loc[orders["po_no"] == "PO-260103", "color"] = None
    result = sync_rows(orders, incoming([{"po_no": "PO-260103", "line": "2", "style": "GM3002", "color": "Red 红",
                                          "eta": "2026-12-20"}]), file="f", timestamp="t")
    assert applied(orders, result) == {"PO-260103/2": "12-20"}


def test_unknown_pos_get_one_bulk_suggestion_each_and_none_past_the_cap(monkeypatch):
    rows = [{"po_no": po, "line": "1", "eta": "2026-12-20"} for po in ("PO-26010", "PO-26010", "PO-77777")]
    _, result = synced(rows)
    messages = [i.message for i in result.issues]
    assert all(i.reason.value == "unknown_order" for i in result.issues)
    assert messages[0] == messages[1] and "did you mean PO-2601" in messages[0]
    assert "did you mean" not in messages[2]
    monkeypatch.setattr(suggest, "MAX_PAIRS", 4)   # 4 master POs: one unknown PO may be compared
    rows = [{"po_no": po, "line": "1", "eta": "2026-12-20"} for po in ("PO-77777", "PO-26010")]
    _, capped = synced(rows)
    assert not any("did you mean" in i.message for i in capped.issues)


# --- row counters ----------------------------------------------------------------------------------

@pytest.mark.parametrize("header", ["序号", "No.", "S/N", "#", "Item", "项次"])
def test_counter_headers_are_not_line_aliases(header):
    assert schema.match_header(schema.ORDERS, header) != "line"
    assert schema.match_header(schema.STATEMENT, header) != "line"


def test_line_column_counting_rows_across_pos_is_not_read(tmp_path):
    file = tmp_path / "progress.csv"
    body = "\n".join(f"{po},{i + 1},{style},{color}" for i, (po, style, color, _, _) in enumerate(FACTORY_ROWS))
    file.write_text("PO No.,行号,Style,Colour\n" + body + "\n", encoding="utf-8")
    got = extract_table(file, schema.ORDERS)
    assert "line" not in got.frame.columns and "行号" in got.extra_columns
    (issue,) = got.issues.to_dict("records")
    assert issue["reason"] == "row_counter" and issue["row"] == 1 and issue["column"] == "行号"
    mapped = extract_table(file, schema.ORDERS, mapping={"line": "行号"})   # the user's word is kept
    assert mapped.frame["line"].tolist() == [str(i) for i in range(1, 13)] and mapped.issues.empty


def test_line_numbers_of_one_po_or_restarting_per_po_are_lines(tmp_path):
    one_po = tmp_path / "one.csv"
    one_po.write_text("PO No.,Line,ETA\nPO-260104,1,2026-12-20\nPO-260104,2,2026-12-21\nPO-260104,3,2026-12-22\n",
                      encoding="utf-8")
    per_po = tmp_path / "per_po.csv"
    per_po.write_text("PO No.,Line,ETA\nPO-260101,1,2026-12-20\nPO-260101,2,2026-12-21\nPO-260102,1,2026-12-22\n",
                      encoding="utf-8")
    for file, lines in ((one_po, ["1", "2", "3"]), (per_po, ["1", "2", "1"])):
        got = extract_table(file, schema.ORDERS)
        assert got.frame["line"].tolist() == lines and got.issues.empty


# --- metamorphic: the same file in other clothes gives the same result -------------------------------

# The twelve rows, one with a qty that disagrees with ours, plus an unknown PO one digit off, a colour
# no line of its PO has, and a row sent twice.
BASE_ROWS = [*FACTORY_ROWS[:10], ("PO-260104", "GM4002", "White 白", 950, 3), FACTORY_ROWS[11],
             ("PO-26010", "GM1001", "Black 黑", 1200, 0), ("PO-260103", "GM3001", "Red 红", 1000, 0)]
RENAMED = {"po_no": "Auftrag", "style": "Modell", "color": "Farbe", "qty": "Menge", "produced_qty": "Fertig",
           "eta": "Termin"}


def outcome(master, path, mapping=None) -> tuple[list, list]:
    """What a dry-run sync would do: the changes, and each issue's reason and value (rows and
    columns are where the file put them, so they are left out)."""
    result = actions.sync(master, [path], mapping=mapping, dry_run=True, as_of=AS_OF)
    issues = sorted((i["reason"], i["value"]) for i in result.issue_rows if i["reason"] != "row_counter")
    return sorted(result.changes), issues


@pytest.fixture(scope="module")
def baseline(factory_master, tmp_path_factory):
    folder = tmp_path_factory.mktemp("baseline")
    rows = factory_table(BASE_ROWS)
    rows.append(list(rows[4]))
    changes, issues = outcome(factory_master, write_xlsx(folder / "base.xlsx", CN_HEADERS, rows))
    assert len(changes) == 2 * 12 + 1 and sorted(r for r, _ in issues) == [
        "conflict", "duplicate", "unknown_order", "unknown_order"]
    return rows, (changes, issues)


@pytest.mark.parametrize("header", ["序号", "No.", "S/N", "#", "Item", "项次", "行号", "Line"])
def test_adding_a_counter_column_changes_nothing(factory_master, baseline, tmp_path, header):
    rows, expected = baseline
    file = write_xlsx(tmp_path / "f.xlsx", [header, *CN_HEADERS], [[i + 1, *r] for i, r in enumerate(rows)])
    assert outcome(factory_master, file) == expected
    counted = actions.sync(factory_master, [file], dry_run=True, as_of=AS_OF).issues.get("row_counter", 0)
    assert counted == (schema.match_header(schema.ORDERS, header) == "line")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shuffling_rows_changes_nothing(factory_master, baseline, tmp_path, seed):
    rows, expected = baseline
    shuffled = random.Random(seed).sample(rows, len(rows))
    counter = [[i + 1, *r] for i, r in enumerate(shuffled)]
    assert outcome(factory_master, write_xlsx(tmp_path / "f.xlsx", CN_HEADERS, shuffled)) == expected
    assert outcome(factory_master, write_xlsx(tmp_path / "g.xlsx", ["序号", *CN_HEADERS], counter)) == expected


@pytest.mark.parametrize("seed", [1, 2])
def test_reordering_columns_changes_nothing(factory_master, baseline, tmp_path, seed):
    rows, expected = baseline
    order = random.Random(seed).sample(range(len(CN_HEADERS)), len(CN_HEADERS))
    file = write_xlsx(tmp_path / "f.xlsx", [CN_HEADERS[k] for k in order], [[r[k] for k in order] for r in rows])
    assert outcome(factory_master, file) == expected


def test_renamed_headers_with_a_mapping_change_nothing(factory_master, baseline, tmp_path):
    rows, expected = baseline
    fields = ["po_no", "style", "color", "qty", "produced_qty", "eta"]
    file = write_xlsx(tmp_path / "f.xlsx", [RENAMED[f] for f in fields], rows, title=False)
    assert outcome(factory_master, file, mapping=RENAMED) == expected
    csv = tmp_path / "f.csv"
    pd.DataFrame(rows, columns=[RENAMED[f] for f in fields]).to_csv(csv, index=False)
    assert outcome(factory_master, csv, mapping=RENAMED) == expected


# --- load and reconcile follow the same rule -----------------------------------------------------------

def test_load_never_overwrites_a_line_whose_style_contradicts(master, tmp_path):
    file = tmp_path / "erp.csv"
    file.write_text("PO No.,Line,Style,Colour,Qty\n"
                    "PO-260102,1,GM2003,Beige 米,999\n"       # line 1 is GM2001 Red; GM2003 Beige is line 3
                    "PO-260102,2,GM2001,Grey 灰,650\n"
                    "PO-260199,1,GM9001,Black 黑,100\n", encoding="utf-8")
    result = actions.load_orders(master, file, as_of=AS_OF)
    assert result.added == 1 and result.issue_counts == {"key_mismatch": 1}
    (issue,) = result.issue_rows
    assert issue["row"] == 2 and issue["reason"] == "key_mismatch" and "GM2003" in issue["value"]
    assert "GM2001" in issue["message"] and "point to line 3" in issue["message"]
    after = orders_by_key(master)
    assert after.at["PO-260102/1", "style"] == "GM2001" and after.at["PO-260102/1", "qty"] == 500
    assert after.at["PO-260102/2", "qty"] == 650 and after.at["PO-260199/1", "style"] == "GM9001"


def test_reconcile_never_pairs_lines_whose_style_contradicts():
    ours = lines_frame().reset_index(drop=True)[["po_no", "line", "style", "color", "qty"]]
    ours = ours.assign(price=2.0, amount=ours["qty"] * 2.0, ship_date=pd.Timestamp("2026-11-10"))
    theirs = ours.iloc[[0, 3]].reset_index(drop=True).assign(style=["GM1002", "GM2001"], _row=[5, 6])
    theirs = theirs.rename(columns={"ship_date": "date"})
    pairs = pair_lines(normalised_keys(ours).assign(qty=ours["qty"], amount=ours["amount"]),
                       normalised_keys(theirs).assign(qty=theirs["qty"], amount=theirs["amount"]))
    assert pairs[["ours", "theirs"]].values.tolist() == [[3, 1]]
    result = reconcile(ours, theirs)
    first = result.lines[result.lines["their_row"] == 5].iloc[0]
    assert first["status"].startswith("ONLY_THEIRS")


def test_a_back_reference_finds_its_row_by_line_number(tmp_path):
    """``See DN-1 (ID#:10)`` is not the row of line ``1.0`` (it took that row's weight); ``(ID#:1)`` is."""
    file = tmp_path / "shipments.csv"
    file.write_text("PO No.,Line,Gross weight (kg)\nPO-1,1.0,5\nPO-1,2,See DN-1 (ID#:10)\nPO-1,3,See DN-1 (ID#:1)\n",
                    encoding="utf-8")
    extracted, refs = resolve_references(extract_table(file, schema.ORDERS))
    weights = extracted.frame["weight_kg"]
    assert np.isnan(weights.iat[1]) and weights.iat[2] == 5 and (refs.resolved, refs.unresolved) == (1, 1)
    assert [(i.row, i.reason.value) for i in extracted.issue_list()] == [(3, "unresolved_reference")]


def test_reconcile_pairs_a_statement_line_by_its_line_number():
    """A statement's ``1.0`` is our line 1 and its ``1.1`` none of ours (they were paired with our lines
    10 and 11)."""
    ours = pd.DataFrame({"po_no": "PO-260500", "line": ["1", "10", "11"], "qty": [100.0, 1000.0, 1100.0]})
    theirs = pd.DataFrame({"po_no": "PO-260500", "line": ["1.0", "1.1"], "qty": [100.0, 50.0]})
    pairs = pair_lines(normalised_keys(ours).assign(qty=ours["qty"], amount=2 * ours["qty"]),
                       normalised_keys(theirs).assign(qty=theirs["qty"], amount=2 * theirs["qty"]))
    assert pairs[["ours", "theirs"]].values.tolist() == [[0, 0]]


# --- property: on any master and file, no applied row contradicts its line; row order does not matter ---

_KEYS = st.tuples(st.sampled_from(["PO-1", "PO-2", "PO-3"]), st.sampled_from(["1", "2", "3"]),
                  st.sampled_from(["A", "B", None]), st.sampled_from(["Red", "Navy", None]))


@given(master=st.lists(_KEYS, min_size=1, max_size=8, unique_by=lambda k: k[:2]),
       rows=st.lists(st.tuples(st.sampled_from(["PO-1", "PO-2", "PO-3", "PO-9"]),
                               st.sampled_from(["1", "2", "4", None]), st.sampled_from(["A", "B", "C", None]),
                               st.sampled_from(["Red", "Navy", None]), st.sampled_from([100.0, 200.0, np.nan])),
                     max_size=10),
       order=st.randoms(use_true_random=False))
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
def test_no_applied_row_contradicts_its_line_and_row_order_does_not_matter(master, rows, order):
    orders = lines_frame([(*key, 100.0 * (1 + i % 2)) for i, key in enumerate(master)])
    frame = pd.DataFrame(rows, columns=["po_no", "line", "style", "color", "qty"])
    frame = frame.assign(eta=pd.Timestamp("2026-12-20"), _row=range(2, 2 + len(frame)), _sheet="s")

    def run(file):
        result = sync_rows(orders, file, file="f", timestamp="t")
        changed = {c["order_key"]: c["source_row"] for c in result.changes if c["field"] == "eta"}
        # which of two rows for one line comes first decides whose qty is compared: conflicts left out
        return changed, sorted(i.reason.value for i in result.issues if i.reason.value != "conflict")

    changed, reasons = run(frame)
    for key, source in changed.items():
        line = orders[orders["po_no"] + " / " + orders["line"] == key].iloc[0]
        row = frame[frame["_row"] == source].iloc[0]
        for name in ("line", "style", "color"):
            assert pd.isna(row[name]) or pd.isna(line[name]) or row[name] == line[name], (key, name)
    shuffled = frame.sample(frac=1, random_state=order.randrange(2**32)).iloc[:, ::-1]
    again, again_reasons = run(shuffled)
    assert set(again) == set(changed) and again_reasons == reasons


def test_load_needs_a_line_number_and_never_takes_a_counter_for_one(master, tmp_path):
    """序号 is not a line number: rows without one are listed, not appended as blank-numbered lines."""
    file = tmp_path / "手工订单.csv"
    file.write_text("序号,订单号,款号,颜色,数量\n1,PO-260301,GM7001,Black 黑,100\n2,PO-260301,GM7002,White 白,200\n"
                    "3,PO-260302,GM7003,Navy 藏青,300\n", encoding="utf-8")
    before = orders_by_key(master)
    result = actions.load_orders(master, file, as_of=AS_OF)
    assert result.added == 0 and result.issue_counts == {"blank_key": 3}
    assert [(i["row"], i["column"], i["value"]) for i in result.issue_rows] == [
        (2, "行号 Line", "PO-260301"), (3, "行号 Line", "PO-260301"), (4, "行号 Line", "PO-260302")]
    assert len(orders_by_key(master)) == len(before)
    mapped = actions.load_orders(master, file, mapping={"line": "序号"}, as_of=AS_OF)   # the user's word
    assert mapped.added == 3 and mapped.issues == 0
