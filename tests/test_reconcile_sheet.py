"""gendan reconcile on the demo statements: statuses, totals, the sheet, resolutions kept, printing."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from conftest import AS_OF
from gendan_xl import actions, reconcile
from gendan_xl.demo import demo_frames
from gendan_xl.workbook.reconcile_sheet import RESOLUTION, sheet_name
from libreoffice import convert

SEED = 11


@pytest.fixture
def demo(demo_dir, tmp_path):
    master = tmp_path / "master.xlsx"
    shutil.copy(demo_dir / "master.xlsx", master)
    statements = {p.suffix: p for p in (demo_dir / "statements").iterdir()}
    return master, statements


def demo_customer() -> str:
    """The customer the demo wrote a statement for (the one with most shipped lines)."""
    _, orders = demo_frames(240, SEED, AS_OF)
    return orders[orders["ship_date"].notna()]["customer"].value_counts().idxmax()


def rounded(ws) -> list[list]:
    """Cell values with floats to 6 decimals (openpyxl's own save may respell a float)."""
    return [[round(v, 6) if isinstance(v, float) else v for v in r] for r in ws.iter_rows(values_only=True)]


def period_of(path) -> str:
    return path.stem.rsplit("_", 1)[-1]


def our_total(party_field: str, party_filter, price: str, period: str) -> float:
    """Our side computed straight from the demo's generating data."""
    _, orders = demo_frames(240, SEED, AS_OF)
    lines = orders[party_filter(orders[party_field]) & (orders["ship_date"].dt.strftime("%Y-%m") == period)]
    qty = lines["shipped_qty"].fillna(lines["qty"])
    return float((qty * lines[price]).sum())


def test_supplier_statement_finds_every_planted_difference(demo):
    master, statements = demo
    stmt = statements[".xlsx"]
    period = period_of(stmt)
    out = actions.reconcile(master, stmt, party="华美", period=period, prepared="Lily")
    counts = out["counts"]
    assert set(counts) == set(reconcile.STATUSES)
    assert counts["PRICE_DIFF"] == 1 and counts["QTY_DIFF"] == 1
    assert counts["ONLY_OURS"] == 1 and counts["ONLY_THEIRS"] == 1 and counts["DUPLICATE"] == 1
    assert counts["AMOUNT_DIFF"] == 0           # 0.004 off is within the 0.01 tolerance
    assert counts["MATCHED"] == out["our_lines"] - 3
    ours = our_total("supplier", lambda s: s.str.contains("Huamei"), "cost_price", period)
    assert out["totals"]["ours"] == pytest.approx(ours, abs=0.01)
    book = openpyxl.load_workbook(stmt, data_only=True).active
    amounts = [r[7] for r in book.iter_rows(min_row=5, values_only=True)
               if r[0] and str(r[0]).startswith("DN")]
    assert out["totals"]["theirs"] == pytest.approx(sum(amounts), abs=0.01)
    assert out["totals"]["difference"] == pytest.approx(sum(amounts) - ours, abs=0.01)
    assert sum(out["difference_by_status"].values()) == pytest.approx(out["totals"]["difference"], abs=0.01)


def test_sheet_layout_and_resolutions_survive_a_rerun(demo):
    master, statements = demo
    stmt = statements[".xlsx"]
    period = period_of(stmt)
    actions.reconcile(master, stmt, party="华美", period=period, prepared="Lily")
    actions.reconcile(master, statements[".csv"], party=demo_customer(), period=period_of(statements[".csv"]),
                      side="customer")
    name = sheet_name("华美", period)
    wb = openpyxl.load_workbook(master)
    ws = wb[name]
    rows = list(ws.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if RESOLUTION in r)
    header = rows[header_at]
    status_col, note_col = 0, header.index(RESOLUTION)
    lines = [i for i, r in enumerate(rows) if reconcile.status_code(r[status_col]) and i > header_at]
    qty_line = next(i for i in lines if reconcile.status_code(rows[i][status_col]) == "QTY_DIFF")
    assert rows[qty_line][status_col] == "数量不符 Qty differs"
    ws.cell(qty_line + 1, note_col + 1, "已接受 accepted: short shipment confirmed")
    assert any("Prepared by" in str(r[0]) for r in rows) and any("Counterparty" in str(r[0]) for r in rows)
    assert any(r[0] == "合计 Total" for r in rows)
    other = wb[sheet_name(demo_customer(), period_of(statements[".csv"]))]
    other_values = rounded(other)
    wb.save(master)

    actions.reconcile(master, stmt, party="华美", period=period, prepared="Lily")
    wb = openpyxl.load_workbook(master)
    rows = list(wb[name].iter_rows(values_only=True))
    kept = [r for r in rows if r[note_col] == "已接受 accepted: short shipment confirmed"]
    assert len(kept) == 1 and reconcile.status_code(kept[0][status_col]) == "QTY_DIFF"
    assert rounded(wb[sheet_name(demo_customer(), period_of(statements[".csv"]))]) == other_values
    assert wb.sheetnames.count(name) == 1


def test_customer_statement_json(demo):
    master, statements = demo
    stmt = statements[".csv"]
    proc = subprocess.run([sys.executable, "-m", "gendan_xl.cli", "reconcile", str(master), str(stmt),
                           "--party", demo_customer(), "--period", period_of(stmt), "--side", "customer",
                           "--json"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["sheet"] == sheet_name(demo_customer(), period_of(stmt))
    assert set(out["counts"]) == set(reconcile.STATUSES)
    assert set(out["totals"]) == {"ours", "theirs", "difference"}
    ours = our_total("customer", lambda s: s == demo_customer(), "unit_price", period_of(stmt))
    assert out["totals"]["ours"] == pytest.approx(ours, abs=0.01)
    assert out["counts"]["ONLY_THEIRS"] == 0 and out["counts"]["PRICE_DIFF"] == 1


def test_statement_in_another_currency_is_reported_not_converted(demo, tmp_path):
    master, statements = demo
    frame = pd.read_csv(statements[".csv"], dtype=str)
    frame["Currency"] = frame["Currency"].where(frame["Currency"].isna(), "EUR")
    euro = tmp_path / "statement_eur.csv"
    frame.to_csv(euro, index=False)
    out = actions.reconcile(master, euro, party=demo_customer(), period=period_of(statements[".csv"]),
                            side="customer")
    assert out["currency_mismatch"] is True and out["currency"] == "EUR"
    rows = list(openpyxl.load_workbook(master)[out["sheet"]].iter_rows(values_only=True))
    assert any("nothing was converted" in str(r[0]) for r in rows)


def test_sheet_prints_to_page_width_with_header_and_page_numbers(demo, tmp_path):
    master, statements = demo
    stmt = statements[".xlsx"]
    out = actions.reconcile(master, stmt, party="华美", period=period_of(stmt))
    single = tmp_path / "only.xlsx"
    wb = openpyxl.load_workbook(master)
    for other in wb.sheetnames:
        if other != out["sheet"]:
            del wb[other]
    ws = wb[out["sheet"]]
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.orientation == "landscape"
    wb.save(single)
    pdf = convert(single, "pdf", tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Reconciliation" in text and "Page 1 of 1" in text
    # Every column fits: the last header (the resolution column) is on the first page.
    assert "Resolution" in text.split("\f")[0]


def test_sheet_names_are_valid_for_excel():
    name = sheet_name("A/B: Very Long Company Name Limited [HK]", "2026-11")
    assert len(name) <= 31 and not set(name) & set("[]:*?/\\")
    assert name.startswith("对账-") and name.endswith("-2026-11")


def test_the_sheet_shows_words_and_the_json_keeps_codes(demo):
    master, statements = demo
    stmt = statements[".xlsx"]
    proc = subprocess.run([sys.executable, "-m", "gendan_xl.cli", "reconcile", str(master), str(stmt), "--party",
                           "华美", "--period", period_of(stmt), "--json"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out["counts"]) == set(reconcile.STATUSES) and out["counts"]["QTY_DIFF"] == 1
    rows = list(openpyxl.load_workbook(master)[out["sheet"]].iter_rows(values_only=True))
    texts = [v for r in rows for v in r if isinstance(v, str)]
    assert "PO + 款号 Style + 颜色 Colour" in texts and "数量不符 Qty differs" in texts
    codes = [*reconcile.STATUSES, "po_no", "_DIFF", "ONLY_"]
    assert not [t for t in texts if any(code in t for code in codes)]
