"""Early warning from history: the risk model, its backtest and its place in the refresh."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings as hsettings, strategies as st

from conftest import AS_OF
from gendan_xl import actions
from gendan_xl.actions.results import as_json
from gendan_xl.model import schema
from gendan_xl.risk import backtest
from gendan_xl.risk.backtest import Origin, auc, due_window, metrics, run_origin
from gendan_xl.rules.calendar import WorkCalendar
from gendan_xl.risk.model import MIN_LINES, fit, score
from gendan_xl.sheets.backtest_sheet import BACKTEST_SHEET, MEASURES
from printed import check_sheet

CAL = WorkCalendar("XX")
DAY = np.timedelta64(1, "D")


# ---- metrics against hand computations --------------------------------------------------------

def test_auc_counts_the_pairs_ranked_right_with_ties_as_half():
    late = np.array([True, False, True, False, False])
    risk = np.array([0.9, 0.8, 0.3, 0.3, 0.1])
    # late/on-time pairs: (0.9 vs 0.8, 0.3, 0.1) 3 right; (0.3 vs 0.8) wrong, (0.3 vs 0.3) tie, (0.3 vs 0.1) right
    assert auc(late, risk) == pytest.approx((3 + 0 + 0.5 + 1) / 6)
    assert auc(np.array([True, True]), np.array([0.1, 0.2])) is None


def test_brier_precision_recall_and_riskiest_tenth_by_hand():
    late = np.array([True] * 2 + [False] * 8)
    risk = np.array([0.9, 0.2, 0.6, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])
    got = metrics(late, risk, threshold=0.5, base=0.3)
    assert got["brier"] == pytest.approx(((0.1 ** 2) + 0.8 ** 2 + 0.6 ** 2 + 7 * 0.1 ** 2) / 10)
    assert got["base_brier"] == pytest.approx((2 * 0.7 ** 2 + 8 * 0.3 ** 2) / 10)
    assert got["precision"] == pytest.approx(1 / 2) and got["recall"] == pytest.approx(1 / 2)
    assert got["top10_late_share"] == 1.0 and got["late_share"] == pytest.approx(0.2)


def _origin(month: int, lines: int, late: int, note: str | None = None) -> Origin:
    """An origin of ``lines`` scored lines, the first ``late`` late and riskier than the others."""
    y = np.arange(lines) < late
    risk = np.full(lines, np.nan) if note else np.where(y, 0.6, 0.2) - np.arange(lines) / 1000
    return Origin(dt.date(2026, month, 1), y, risk, 0.25, np.where(y, 0.5, 0.3), note)


def test_an_origin_too_small_to_judge_says_so_and_the_mean_leaves_it_out():
    results = [_origin(1, 29, 10), _origin(2, 60, 4), _origin(3, 40, 8), _origin(4, 50, 10, "历史不足 too little history"),
               _origin(5, 30, 5)]
    rows = backtest.table(results, threshold=0.5)
    assert list(rows["insufficient"]) == [True, True, False, False, False]
    assert rows.loc[0, "note"] == (f"{backtest.TOO_FEW}: 29 行 lines, 10 迟 late (需要 needs "
                                   f"{backtest.JUDGE_MIN_LINES} / {backtest.JUDGE_MIN_LATE})")
    assert rows.loc[3, "note"].startswith("历史不足") and pd.isna(rows.loc[2, "note"])
    for k in (0, 1, 3):             # lines and late share, no figures
        assert rows.loc[k, "lines"] > 0 and rows.loc[k, list(backtest.FIGURES)].isna().all()
    assert list(rows.loc[[2, 4], "auc"]) == [1.0, 1.0] and rows.loc[2, "recall"] == 1.0
    mean = backtest.means(rows)
    assert mean["judged"] == 2 and mean["lines"] == 35 and mean["late"] == 6.5 and mean["auc"] == 1.0
    assert mean["brier_better_everywhere"] is True
    nothing = backtest.means(backtest.table([_origin(1, 29, 10)], threshold=0.5))
    assert nothing["judged"] == 0 and nothing["auc"] is None and nothing["brier_better_everywhere"] is None


def test_backtest_of_the_demo_says_which_origins_it_cannot_judge(tmp_path):
    master = tmp_path / "master.xlsx"
    master.write_bytes((Path(__file__).resolve().parents[1] / "workbooks" / "demo" / "master.xlsx").read_bytes())
    args = ("backtest", str(master), "--from", "2026-01", "--to", "2026-11", "--step-months", "2")
    proc = _gendan(*args, "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    judged = [r for r in out["origins"] if not r["note"]]
    assert out["origins"][0]["insufficient"] and out["origins"][0]["lines"] < backtest.JUDGE_MIN_LINES
    for r in out["origins"]:
        small = r["lines"] < backtest.JUDGE_MIN_LINES or r["late"] < backtest.JUDGE_MIN_LATE
        assert r["insufficient"] == small and (r["auc"] is None) >= bool(r["note"])
        assert all(r[f] is None for f in backtest.FIGURES) or not r["note"]
    assert out["judged_origins"] == len(judged)
    assert out["mean_auc"] == (round(np.mean([r["auc"] for r in judged]), 4) if judged else None)
    assert out["brier_better_everywhere"] == (all(r["brier"] < r["base_brier"] for r in judged) if judged else None)
    text = _gendan("backtest", str(master), "--from", "2026-01", "--to", "2026-07", "--step-months", "6").stdout
    first = next(line for line in text.splitlines() if line.startswith("2026-01-01"))
    assert first.endswith(backtest.too_few_text(0, 0))      # words, not blank figures
    assert f"平均 mean: {backtest.NONE_JUDGED}" in text and "否 no" not in text
    ws = openpyxl.load_workbook(master)[BACKTEST_SHEET]
    cells = [[c.value for c in r] for r in ws.iter_rows()]
    origin = next(r for r in cells if r[0] == "2026-01-01")
    assert origin[4] == backtest.too_few_text(0, 0) and origin[5:] == [None] * (len(origin) - 5)
    assert next(r for r in cells if r[0] == "平均 Mean (0 个起点 origins)")[4] == backtest.NONE_JUDGED
    notes = [r[0] for r in cells if r[0] in MEASURES]
    assert [n.split(":")[0] for n in notes] == ["AUC", "Brier", "精确率 Precision", "召回率 Recall", backtest.TOO_FEW]
    header = ws.oddHeader
    assert header.left.text == "回测 Backtest" and header.right.text == "2026-01-01 – 2026-07-01"


# ---- the model on small made-up books -----------------------------------------------------------

def _book(n: int, seed: int, start="2024-01-01") -> pd.DataFrame:
    """An evidence frame: supplier S0 late on most lines, the others rarely; due dates over a year."""
    rng = np.random.default_rng(seed)
    supplier = rng.choice(["s0", "s1", "s2", "s3"], n)
    due = np.datetime64(start, "D") + rng.integers(0, 500, n) * DAY
    late = rng.random(n) < np.where(supplier == "s0", 0.7, 0.08)
    ship = due + np.where(late, rng.integers(1, 20, n), -rng.integers(0, 10, n)) * DAY
    return pd.DataFrame({"supplier": supplier, "country": "cn", "customer": rng.choice(["c1", "c2"], n),
                         "family": "f", "kind": "f", "qty": rng.integers(100, 5000, n).astype(float),
                         "lead_wd": np.nan, "slips": 0.0, "ordered": np.datetime64("NaT", "D"), "due": due,
                         "ship": ship, "delay_wd": CAL.count(due, ship)})


def test_the_late_supplier_is_riskier_and_its_delay_is_expected():
    book = _book(600, 1)
    t = dt.date(2025, 1, 1)
    model = fit(book, t, 365)
    open_lines = book[due_window(book, t, 65, CAL)]
    got = score(model, open_lines)
    mine = got["late_risk"][open_lines["supplier"] == "s0"]
    others = got["late_risk"][open_lines["supplier"] != "s0"]
    assert mine.min() > others.max()
    assert (got["expected_delay_wd"][open_lines["supplier"] == "s0"] > 1).all()


def test_too_little_history_claims_nothing_and_says_why():
    book = _book(MIN_LINES - 1, 2)
    model = fit(book, dt.date(2030, 1, 1), 365)
    assert model.reason and "too little history" in model.reason
    assert score(model, book)["late_risk"].isna().all()


@hsettings(max_examples=30)
@given(seed=st.integers(0, 10_000), origin=st.integers(120, 420), shift=st.integers(0, 300),
       drop=st.floats(0, 1))
def test_no_look_ahead_future_ship_dates_never_change_a_score(seed, origin, shift, drop):
    """Moving any ship date on or after T (to another day on or after T, or to none), or deleting
    lines shipped on or after T, changes no score at T."""
    book = _book(400, seed)
    t = (np.datetime64("2024-01-01", "D") + origin * DAY).astype(dt.date)
    before = run_origin(book, t, 65, 365, CAL)
    scored = book[due_window(book, t, 65, CAL)].index
    rng = np.random.default_rng(seed)
    future = (book["ship"].to_numpy() >= np.datetime64(t)) & ~book.index.isin(scored)
    moved = book.copy()
    moved.loc[future, "ship"] = np.datetime64(t) + rng.integers(0, shift + 1, future.sum()) * DAY
    moved.loc[future & (rng.random(len(book)) < 0.2), "ship"] = np.datetime64("NaT")
    moved["delay_wd"] = CAL.count(moved["due"].to_numpy(), moved["ship"].to_numpy())
    gone = moved[~(future & (rng.random(len(book)) < drop))]
    for other in (moved, gone):
        model = fit(other, t, 365)
        assert np.allclose(score(model, other.loc[scored])["late_risk"], before.risk, equal_nan=True)


# ---- in the master ----------------------------------------------------------------------------

@pytest.fixture
def late_supplier_master(tmp_path) -> Path:
    """A master whose supplier 迟到工厂 Late Works shipped 18 of 24 lines late, 好工厂 Good Works 1 of 24;
    each has one open line due in three weeks with no ETA (ON_TRACK by slack)."""
    rows = []
    for n, (supplier, late_count) in enumerate((("迟到工厂 Late Works", 18), ("好工厂 Good Works", 1))):
        for k in range(24):
            due = AS_OF - dt.timedelta(days=20 + 9 * k)
            ship = due + dt.timedelta(days=8 if k < late_count else -2)
            rows.append((f"PO-{n}{k:02d}", 1, "ACME", supplier, 500, due, ship, 500))
        rows.append((f"PO-{n}99", 1, "ACME", supplier, 500, AS_OF + dt.timedelta(days=21), None, None))
    frame = pd.DataFrame(rows, columns=["po_no", "line", "customer", "supplier", "qty", "due_date", "ship_date",
                                        "shipped_qty"])
    csv = tmp_path / "erp.csv"
    frame.to_csv(csv, index=False)
    master = tmp_path / "master.xlsx"
    actions.new_master(master)
    actions.load_orders(master, csv, as_of=AS_OF)
    return master


def _orders(master: Path) -> pd.DataFrame:
    ws = openpyxl.load_workbook(master)[schema.ORDERS.sheet]
    rows = list(ws.iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def test_an_open_line_of_a_late_supplier_is_at_risk_with_the_evidence_in_words(late_supplier_master):
    summary = actions.refresh(late_supplier_master, as_of=AS_OF)
    orders = _orders(late_supplier_master)
    risk, why, flag = "延误风险 Late risk", "原因 Why", "预警 Flag"
    late_line = orders[orders["PO号 PO No."] == "PO-099"].iloc[0]
    good_line = orders[orders["PO号 PO No."] == "PO-199"].iloc[0]
    assert late_line[flag].startswith("AT_RISK") and good_line[flag].startswith("ON_TRACK")
    assert late_line[risk] > 0.3 > good_line[risk]
    assert "供应商历史 supplier history: 18 of 24 lines late in 12 months, median 6 WD" in late_line[why]
    assert late_line["预计延误(工作日) Expected delay (WD)"] > 0
    assert orders[orders["出货日期 Ship date"].notna()][risk].isna().all()   # shipped lines: no risk
    ws = openpyxl.load_workbook(late_supplier_master)[schema.ORDERS.sheet]
    col = [c.value for c in ws[1]].index(risk) + 1
    assert "%" in ws.cell(len(orders) + 1, col).number_format
    assert summary.counts["AT_RISK"] == 1


def _set(master: Path, key: str, value) -> None:
    wb = openpyxl.load_workbook(master)
    ws = wb[schema.SETTINGS.sheet]
    ws.cell(next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == key), 2).value = value
    wb.save(master)


def test_the_risk_threshold_setting_decides(late_supplier_master):
    _set(late_supplier_master, "risk_threshold", "99%")
    assert actions.refresh(late_supplier_master, as_of=AS_OF).counts["AT_RISK"] == 0


def test_the_risk_model_can_be_turned_off(late_supplier_master):
    actions.refresh(late_supplier_master, as_of=AS_OF)
    _set(late_supplier_master, "risk_model", "否")
    summary = actions.refresh(late_supplier_master, as_of=AS_OF)
    assert summary.counts["AT_RISK"] == 0 and summary.risk is None and "risk" not in as_json(summary)
    assert _orders(late_supplier_master)["延误风险 Late risk"].isna().all()


def test_a_new_master_claims_no_risk_and_why_says_so(tmp_path):
    csv = tmp_path / "erp.csv"
    csv.write_text(f"PO号,行号,供应商,数量,交期\nPO-1,1,A,10,{AS_OF + dt.timedelta(days=30)}\n", encoding="utf-8")
    master = tmp_path / "m.xlsx"
    actions.new_master(master)
    actions.load_orders(master, csv, as_of=AS_OF)
    line = _orders(master).iloc[0]
    assert line["延误风险 Late risk"] is None
    assert "too little history" in line["原因 Why"]


def test_export_carries_the_risk_columns(late_supplier_master, tmp_path):
    actions.refresh(late_supplier_master, as_of=AS_OF)
    actions.export_table(late_supplier_master, "orders", tmp_path / "o.csv")
    out = pd.read_csv(tmp_path / "o.csv")
    assert {"late_risk", "expected_delay_wd"} <= set(out.columns)
    assert out["late_risk"].notna().sum() == 2


def test_risk_is_stored_and_exported_rounded_so_no_machine_s_last_bits_show(late_supplier_master, tmp_path):
    """late_risk a fraction to 4 decimals, expected_delay_wd working days to 1 — in the sheet and the csv
    (the unrounded float's last digits differ between BLAS builds)."""
    actions.refresh(late_supplier_master, as_of=AS_OF)
    actions.export_table(late_supplier_master, "orders", tmp_path / "o.csv")
    raw = pd.read_csv(tmp_path / "o.csv", dtype=str)
    stored = _orders(late_supplier_master)
    for column, sheet_column, decimals in (("late_risk", "延误风险 Late risk", 4),
                                           ("expected_delay_wd", "预计延误(工作日) Expected delay (WD)", 1)):
        written = raw[column].dropna()
        assert len(written) == 2
        assert all(len(v.partition(".")[2]) <= decimals for v in written), written.tolist()
        cells = stored[sheet_column].dropna().astype(float)
        assert (cells == cells.round(decimals)).all()
    risky = stored["延误风险 Late risk"].dropna().max()
    assert 0.3 < risky < 1 and risky != round(risky, 2)   # a real fraction, not clipped to a percent


def test_backtest_of_a_master_writes_its_sheet(late_supplier_master, tmp_path):
    out = actions.backtest(late_supplier_master, start=dt.date(2026, 7, 1), end=dt.date(2026, 11, 1), step_months=2)
    assert [r["origin"] for r in out.origins] == ["2026-07-01", "2026-09-01", "2026-11-01"]
    ws = openpyxl.load_workbook(late_supplier_master)[BACKTEST_SHEET]
    assert ws.cell(4, 4).value == "延误占比 Late share" and ws.cell(5, 1).value == "2026-07-01"
    check_sheet(late_supplier_master, BACKTEST_SHEET, tmp_path)


# ---- proven on real data ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def scms_backtest(scms_path, tmp_path_factory) -> tuple[dict, Path]:
    out = tmp_path_factory.mktemp("scms") / "backtest.xlsx"
    proc = subprocess.run([sys.executable, "-m", "gendan_xl", "backtest", str(scms_path), "--from", "2011-01",
                           "--to", "2015-12", "--out", str(out), "--json"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "回测 backtest 10/10 2015-07-01" in proc.stderr   # progress on the terminal
    return json.loads(proc.stdout), out


def test_scms_backtest_meets_the_targets(scms_backtest):
    result, _ = scms_backtest
    rows = result["origins"]
    assert len(rows) == 10 and all(r["lines"] > 100 for r in rows)
    assert result["mean_auc"] == pytest.approx(np.mean([r["auc"] for r in rows]), abs=1e-4)
    assert result["mean_auc"] >= 0.75 and result["mean_auc"] > result["mean_baseline_auc"]
    assert all(r["brier"] < r["base_brier"] for r in rows)


def test_scms_backtest_sheet_prints_without_overlaps(scms_backtest, tmp_path):
    result, out = scms_backtest
    ws = openpyxl.load_workbook(out)[BACKTEST_SHEET]
    shown = [ws.cell(r, 5).value for r in range(5, 15)]
    assert shown == pytest.approx([round(r["auc"], 4) for r in result["origins"]])
    check_sheet(out, BACKTEST_SHEET, tmp_path)


def test_weekly_report_lists_the_riskiest_open_lines_and_risk_per_supplier(late_supplier_master, tmp_path):
    summary = actions.refresh(late_supplier_master, as_of=AS_OF)
    assert summary.risk["scored"] == 2 and summary.risk["at_or_over"] == 1
    assert [s["supplier"] for s in summary.risk["by_supplier"]] == ["迟到工厂 Late Works", "好工厂 Good Works"]
    ws = openpyxl.load_workbook(late_supplier_master)["周报 Weekly Report"]
    rows = [[c for c in r] for r in ws.iter_rows(values_only=True)]
    title = next(i for i, r in enumerate(rows) if str(r[0]).startswith("最高延误风险的未完成订单 Riskiest open lines"))
    assert rows[title + 1][7] == "延误风险 Late risk"
    assert [rows[title + 2][0], rows[title + 3][0]] == ["PO-099", "PO-199"]
    assert rows[title + 2][7] == pytest.approx(summary.risk["by_supplier"][0]["mean_risk"], abs=1e-4)
    by_supplier = next(i for i, r in enumerate(rows) if r[0] == "按供应商的延误风险 Late risk by supplier")
    assert rows[by_supplier + 2][:4] == ["迟到工厂 Late Works", 1, pytest.approx(rows[title + 2][7], abs=1e-4), 1]
    check_sheet(late_supplier_master, "周报 Weekly Report", tmp_path)


def test_chase_includes_the_high_risk_line_and_asks_the_supplier_to_confirm_without_the_evidence(
        late_supplier_master, tmp_path):
    actions.refresh(late_supplier_master, as_of=AS_OF)
    files = actions.chase(late_supplier_master, out=tmp_path / "chase", as_of=AS_OF).files
    late = next(f for f in files if f.supplier == "迟到工厂 Late Works")
    good = next(f for f in files if f.supplier == "好工厂 Good Works")
    assert late.reasons == {"AT_RISK+NO_NEWS": 1} and good.reasons == {"NO_NEWS": 1}   # ours (--json)
    ws = openpyxl.load_workbook(late.file).active
    cells = [str(c) for r in ws.iter_rows(values_only=True) for c in r if c is not None]
    assert any(c.startswith("请确认能按期出货 please confirm the due date") for c in cells)
    assert not any("risk" in c or "风险" in c or "18 of 24" in c or "AT_RISK" in c for c in cells + [late.message])


def test_a_late_line_is_certain_and_expected_at_least_as_late_as_it_is(late_supplier_master):
    wb = openpyxl.load_workbook(late_supplier_master)
    ws = wb[schema.ORDERS.sheet]
    due = [c.value for c in ws[1]].index("交期 Due date") + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "PO-099")
    ws.cell(row, due).value = dt.datetime(2026, 10, 1)
    wb.save(late_supplier_master)
    actions.refresh(late_supplier_master, as_of=AS_OF)
    line = _orders(late_supplier_master).set_index("PO号 PO No.").loc["PO-099"]
    assert line["预警 Flag"].startswith("LATE") and line["延误风险 Late risk"] == 1
    assert line["预计延误(工作日) Expected delay (WD)"] == -line["余量(工作日) Slack (WD)"] > 30


def _gendan(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gendan_xl", *args], capture_output=True, text=True)


def test_backtest_slips_are_clear_messages(tmp_path):
    missing = _gendan("backtest", str(tmp_path / "none.csv"), "--from", "2011-01", "--to", "2012-01")
    assert missing.returncode == 1 and "none.csv" in missing.stderr and "Traceback" not in missing.stderr
    history = tmp_path / "h.csv"
    history.write_text("PO号,行号,供应商,交期\nPO-1,1,A,2026-01-05\n", encoding="utf-8")
    no_ship = _gendan("backtest", str(history), "--from", "2026-01", "--to", "2026-02")
    assert no_ship.returncode == 1 and "no due or ship dates" in no_ship.stderr and "h.csv" in no_ship.stderr
    backwards = _gendan("backtest", str(history), "--from", "2026-02", "--to", "2026-01")
    assert backwards.returncode == 1 and "invalid backtest range" in backwards.stderr
    assert _gendan("backtest", str(history), "--from", "2026-13", "--to", "2027-01").returncode == 2
    out = _gendan("backtest", str(history), "--from", "2026-01", "--to", "2026-02", "--out", str(tmp_path / "o.csv"))
    assert out.returncode == 1 and not (tmp_path / "o.csv").exists()


def test_an_older_master_gains_the_risk_columns_at_its_right_end(late_supplier_master):
    """A master from before the risk model: tblOrders without late_risk and expected_delay_wd."""
    from openpyxl.worksheet.table import TableColumn
    wb = openpyxl.load_workbook(late_supplier_master)
    ws = wb[schema.ORDERS.sheet]
    table = ws.tables[schema.ORDERS.name]
    headers = [c.value for c in ws[1]]
    for name in ("预计延误(工作日) Expected delay (WD)", "延误风险 Late risk"):
        ws.delete_cols(headers.index(name) + 1)
        headers.remove(name)
    last = openpyxl.utils.get_column_letter(len(headers))
    table.ref = table.autoFilter.ref = f"A1:{last}{ws.max_row}"
    table.tableColumns = [TableColumn(id=n, name=h) for n, h in enumerate(headers, start=1)]
    wb.save(late_supplier_master)
    actions.refresh(late_supplier_master, as_of=AS_OF)
    orders = _orders(late_supplier_master)
    assert list(orders.columns[-3:]) == ["原因 Why", "延误风险 Late risk", "预计延误(工作日) Expected delay (WD)"]
    assert orders.set_index("PO号 PO No.").loc["PO-099", "预警 Flag"].startswith("AT_RISK")


def test_the_risk_core_imports_neither_openpyxl_nor_xlwings():
    code = ("import sys, gendan_xl.risk.assess, gendan_xl.risk.why, gendan_xl.risk.backtest, gendan_xl.reporting.weekly; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'openpyxl', 'xlwings'}))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "[]"


def test_eta_slips_are_counted_from_the_change_log_up_to_the_as_of_date():
    from gendan_xl.risk.evidence import slips_before
    from gendan_xl.rules.sync import CONFLICT_NOTE, SYNC_NOTE
    orders = pd.DataFrame({"po_no": ["PO-1", "PO-2"], "line": [1, 1]})
    log = pd.DataFrame([
        (dt.datetime(2026, 11, 2, 9), "PO-1 / 1", "eta", "2026-12-01", "2026-12-05", SYNC_NOTE),   # a slip
        (dt.datetime(2026, 11, 20, 17), "PO-1 / 1", "eta", "2026-12-05", "2026-12-09", SYNC_NOTE),  # a slip
        (dt.datetime(2026, 11, 27, 8), "PO-1 / 1", "eta", "2026-12-09", "2026-12-20", SYNC_NOTE),   # after as-of
        (dt.datetime(2026, 11, 3, 9), "PO-2 / 1", "eta", "2026-12-09", "2026-12-01", SYNC_NOTE),    # earlier
        (dt.datetime(2026, 11, 3, 9), "PO-2 / 1", "eta", None, "2026-12-01", SYNC_NOTE),            # first ETA
        (dt.datetime(2026, 11, 4, 9), "PO-2 / 1", "eta", "2026-12-01", "2026-12-09", CONFLICT_NOTE),
        (dt.datetime(2026, 11, 4, 9), "PO-2 / 1", "qty", "100", "200", SYNC_NOTE),
    ], columns=["timestamp", "order_key", "field", "old", "new", "note"])
    assert slips_before(orders, log, dt.date(2026, 11, 26)).tolist() == [2, 0]
    assert slips_before(orders, log, dt.date(2026, 11, 27)).tolist() == [3, 0]
