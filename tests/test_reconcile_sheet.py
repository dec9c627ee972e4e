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
from gendan_xl import actions
from gendan_xl.rules import reconcile
from gendan_xl.model.statuses import REVIEW_ORDER, ReconStatus
from gendan_xl.model import schema
from gendan_xl.model.errors import GendanError
from gendan_xl.demo.build import demo_frames
from gendan_xl.demo.sample_files import write_statements
from gendan_xl.store.master import MasterWorkbook
from gendan_xl.ooxml.package import Package
from gendan_xl.sheets.reconcile_sheet import RESOLUTION, reconcile_sheet, sheet_name
from libreoffice import convert, sheet_pdf

SEED = 11
HUAMEI = "宁波华美服饰有限公司 Ningbo Huamei Garments"    # its name in 供应商 Suppliers; 华美 is an alias


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
    counts = out.counts
    assert set(counts) == set(ReconStatus)
    assert counts["PRICE_DIFF"] == 1 and counts["QTY_DIFF"] == 1
    assert counts["ONLY_OURS"] == 1 and counts["ONLY_THEIRS"] == 1 and counts["DUPLICATE"] == 1
    assert counts["AMOUNT_DIFF"] == 0           # 0.004 off is within the 0.01 tolerance
    assert counts["MATCHED"] == out.our_lines - 3
    ours = our_total("supplier", lambda s: s.str.contains("Huamei"), "cost_price", period)
    assert out.totals["ours"] == pytest.approx(ours, abs=0.01)
    book = openpyxl.load_workbook(stmt, data_only=True).active
    amounts = [r[7] for r in book.iter_rows(min_row=5, values_only=True)
               if r[0] and str(r[0]).startswith("DN")]
    assert out.totals["theirs"] == pytest.approx(sum(amounts), abs=0.01)
    assert out.totals["difference"] == pytest.approx(sum(amounts) - ours, abs=0.01)
    assert sum(out.difference_by_status.values()) == pytest.approx(out.totals["difference"], abs=0.01)


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
    lines = [i for i, r in enumerate(rows) if ReconStatus.read(r[status_col]) and i > header_at]
    qty_line = next(i for i in lines if ReconStatus.read(rows[i][status_col]) == "QTY_DIFF")
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
    assert len(kept) == 1 and ReconStatus.read(kept[0][status_col]) == "QTY_DIFF"
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
    assert set(out["counts"]) == set(ReconStatus)
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
    assert out.currency_mismatch is True and out.currency == "EUR"
    rows = list(openpyxl.load_workbook(master)[out.sheet].iter_rows(values_only=True))
    assert any("nothing was converted" in str(r[0]) for r in rows)


def test_sheet_prints_to_page_width_with_header_and_page_numbers(demo, tmp_path):
    master, statements = demo
    stmt = statements[".xlsx"]
    out = actions.reconcile(master, stmt, party="华美", period=period_of(stmt))
    single = tmp_path / "only.xlsx"
    wb = openpyxl.load_workbook(master)
    for other in wb.sheetnames:
        if other != out.sheet:
            del wb[other]
    ws = wb[out.sheet]
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
    assert set(out["counts"]) == set(ReconStatus) and out["counts"]["QTY_DIFF"] == 1
    rows = list(openpyxl.load_workbook(master)[out["sheet"]].iter_rows(values_only=True))
    texts = [v for r in rows for v in r if isinstance(v, str)]
    # the key fields matched on, as the statement heads them (was "PO + 款号 Style + 颜色 Colour")
    assert "PO号 PO No. + 款号 Style + 颜色 Color" in texts and "数量不符 Qty differs" in texts
    codes = [*ReconStatus, "po_no", "_DIFF", "ONLY_"]
    assert not [t for t in texts if any(code in t for code in codes)]


def gendan(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gendan_xl.cli", *map(str, args)], capture_output=True, text=True)


def test_a_slipped_period_stops_and_without_one_the_statements_month_is_taken(demo):
    master, statements = demo
    stmt = statements[".xlsx"]
    month = period_of(stmt)                                   # 2026-10: every line of it is dated in October
    after = (pd.Period(month, "M") + 1).strftime("%Y-%m")
    before = master.read_bytes()
    proc = gendan("reconcile", master, stmt, "--party", "华美", "--period", after)
    assert proc.returncode == 1, proc.stdout                  # today: a sheet of ONLY_OURS / ONLY_THEIRS
    assert f"the statement has no line in {after}: its dates are in {month}" in proc.stderr
    assert f"expected --period {month}" in proc.stderr and master.read_bytes() == before
    proc = gendan("reconcile", master, stmt, "--party", "华美", "--json")
    assert proc.returncode == 0, proc.stderr
    taken = json.loads(proc.stdout)                           # today: every month's lines of ours
    assert taken["period"] == month and taken["period_from_statement"] is True
    given = actions.reconcile(master, stmt, party="华美", period=month)
    assert {k: taken[k] for k in ("sheet", "counts", "totals", "our_lines")} == \
        {k: getattr(given, k) for k in ("sheet", "counts", "totals", "our_lines")}
    assert given.period_from_statement is False and taken["counts"]["MATCHED"] > 0
    text = gendan("reconcile", master, stmt, "--party", "华美").stdout
    assert f"期间 period: {month} (取自对账单日期 from the statement's dates)" in text


def test_the_signed_sheet_names_the_supplier_in_full_lists_differences_first_and_quantities_whole(demo, tmp_path):
    master, statements = demo
    out = actions.reconcile(master, statements[".xlsx"], party="华美")
    assert out.party == HUAMEI and out.sheet == f"对账-华美-{out.period}"
    ws = openpyxl.load_workbook(master)[out.sheet]
    assert ws["A1"].value == f"对账单 Reconciliation: {HUAMEI}" and ws["B2"].value == HUAMEI   # today: 华美
    assert ws.oddHeader.left.text == f"对账 Reconciliation — {HUAMEI} {out.period}"
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header_at = next(i for i, r in enumerate(rows) if RESOLUTION in r)
    header = rows[header_at]
    assert "订单表行 Orders row" not in header and "对账单行 Statement row" in header
    statuses = [ReconStatus.read(r[0]) for r in rows[header_at + 1:] if ReconStatus.read(r[0])]
    assert statuses == [code for code in REVIEW_ORDER for _ in range(out.counts[code])]
    assert statuses[0] == "QTY_DIFF" and statuses[-1] == "MATCHED" and "ONLY_OURS" in statuses
    quantities = [header.index(h) for h in ("我方数量 Our qty", "对方数量 Their qty", "数量差 Qty diff")]
    cells = [r[c] for r in ws.iter_rows(min_row=header_at + 2, max_row=header_at + 1 + len(statuses))
             for c in quantities]
    assert {c.number_format for c in cells} == {"#,##0"}
    pdf = sheet_pdf(master, out.sheet, tmp_path)
    printed = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                             check=True).stdout
    big = {r[c] for r in rows[header_at + 1:header_at + 1 + len(statuses)] for c in quantities
           if r[c] is not None and abs(r[c]) >= 1000}
    assert big and all(f"{q:,.0f}" in printed and f"{q:,.2f}" not in printed for q in big)   # 4,100, today 4,100.00
    assert f"{out.totals['ours']:,.2f}" in printed                                      # money keeps its cents


def test_whole_quantities_and_scores_show_no_decimals_and_a_fraction_keeps_them():
    ours = pd.DataFrame({"po_no": ["PO-260011", "PO-260012"], "style": ["GM4632", "GM8411"], "qty": [4100.0, 250.0],
                         "price": [2.0, 3.0], "ship_date": pd.to_datetime(["2026-10-20"] * 2)})
    theirs = pd.DataFrame({"po_no": ["PO-260011", "PO-260013"], "style": ["GM4632", "GM8411"],
                           "qty": [4100.0, 250.5], "price": [2.0, 3.0]})
    result = reconcile.reconcile(ours.assign(amount=ours["qty"] * ours["price"]), theirs)
    spec = reconcile_sheet(result, name="对账-x-2026-10", party="x", side="supplier", period="2026-10",
                           statement="s.csv", resolutions={}, prepared="")
    header_row = next(r for (r, c), (v, _) in spec.cells.items() if v == RESOLUTION)
    column = {v: c for (r, c), (v, _) in spec.cells.items() if r == header_row}
    lines = range(header_row + 1, header_row + 1 + len(result.lines))
    styles = {name: {style for (r, c), (v, style) in spec.cells.items() if r in lines and c == column[name]
                     and isinstance(v, float | int)} for name in column}
    assert styles["我方数量 Our qty"] == {"small_int"} and styles["相似度 Score"] == {"small_int"}   # 4,100 and 85
    assert styles["对方数量 Their qty"] == {"small_number"}                                         # 250.50
    assert styles["我方金额 Our amount"] == {"small_number"}


def test_a_sheet_written_under_another_spelling_is_looked_for_among_the_periods_sheets_only():
    asked = []

    def owns(name: str) -> bool:
        asked.append(name)
        return name == "对账-华美-2026-10"
    taken = ["订单 Orders", "对账-华美-2026-09", "对账-华美-2026-10", "对账-Nordic Home AB-2026-10"]
    assert sheet_name("Huamei", "2026-10", taken, owns) == "对账-华美-2026-10"
    assert asked == ["对账-华美-2026-10"]
    assert sheet_name("Huamei", "2026-11", taken, owns) == "对账-Huamei-2026-11" and len(asked) == 1


def test_another_spelling_of_the_party_replaces_its_sheet_and_keeps_the_resolutions(demo):
    master, statements = demo
    first = actions.reconcile(master, statements[".xlsx"], party="华美").sheet
    wb = openpyxl.load_workbook(master)
    sheets = wb.sheetnames
    ws = wb[first]
    header_row = next(r for r in ws.iter_rows() if any(c.value == RESOLUTION for c in r))
    note = next(c.column for c in header_row if c.value == RESOLUTION)
    ws.cell(header_row[0].row + 1, note, "已接受 accepted")
    wb.save(master)
    for spelling in ("Huamei", "NBHM", HUAMEI.upper()):       # today: a sheet of its own each
        assert actions.reconcile(master, statements[".xlsx"], party=spelling).sheet == first
    assert openpyxl.load_workbook(master).sheetnames == sheets
    rows = list(openpyxl.load_workbook(master)[first].iter_rows(values_only=True))
    assert [r[0] for r in rows if "已接受 accepted" in r] == ["数量不符 Qty differs"]


def test_a_customer_resolves_by_any_spelling_and_a_part_of_its_name_by_none(demo):
    master, statements = demo
    customer = demo_customer()                                   # Nordic Home AB
    before = master.read_bytes()
    part = customer.split()[0].lower()
    proc = gendan("reconcile", master, statements[".csv"], "--party", part)
    assert proc.returncode == 1 and "no supplier or customer of ours is called this" in proc.stderr
    assert f"the closest: {customer}" in proc.stderr and master.read_bytes() == before
    expected = actions.reconcile(master, statements[".csv"], party=customer)
    for spelling in (customer.upper().replace(" ", "  "), f"\"{customer.lower()}\""):
        out = actions.reconcile(master, statements[".csv"], party=spelling)
        assert (out.party, out.side, out.sheet) == (customer, "customer", expected.sheet)
        assert out.counts == expected.counts and out.totals == expected.totals


MARK = "ZQX"                 # every value the supplier may not see carries it
SELLING_PRICE = 9876.54      # our price to the customer


def test_the_signed_supplier_sheet_shows_nothing_internal(tmp_path):
    """DESIGN.md §9: the supplier signs its own lines: never the customer, our selling price, our
    remarks, our reasoning (why, risk) or another supplier."""
    suppliers, lines = demo_frames(160, 5, AS_OF)
    lines["customer"] = [f"{MARK}客户 Customer {n % 5}" for n in range(len(lines))]
    lines["unit_price"] = SELLING_PRICE
    lines["remarks"] = f"{MARK} 内部备注 our remark"
    master = tmp_path / "master.xlsx"
    actions.new_master(master, suppliers=suppliers, orders=lines)
    actions.refresh(master, as_of=AS_OF)
    supplier_statement = next(s for s in write_statements(tmp_path / "statements", lines) if s["side"] == "supplier")
    out = actions.reconcile(master, supplier_statement["statement"], party="华美", prepared="Lily")
    assert out.counts["MATCHED"] > 0 and out.party == HUAMEI
    book = MasterWorkbook(master)
    orders = book.read(schema.ORDERS).frame
    others = {n for n in suppliers["name"] if n != HUAMEI} | set(orders["supplier"].dropna()) - {HUAMEI}
    whys = {w for w in orders["why"].dropna() if len(w) > 12}
    assert whys and others
    package = Package(master)
    part = package.sheet(out.sheet).part
    texts = [package.get(p).decode("utf-8") for p in
             [part, *(r["part"] for r in package.relationships(part) if "part" in r)]]
    pdf = sheet_pdf(master, out.sheet, tmp_path)
    texts.append(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                check=True).stdout)
    values = {v for r in book.sheet_rows(out.sheet) for v in r if v is not None}
    assert HUAMEI in texts[0] and HUAMEI.split()[0] in texts[-1]
    for text in texts:
        assert MARK not in text and "9876" not in text and "9,876" not in text
        assert not [w for w in whys if w in text] and not [n for n in others if n in text]
        assert "Orders row" not in text and "订单表行" not in text
    qty = orders["shipped_qty"].fillna(orders["qty"])
    assert not values & {SELLING_PRICE, *(round(q * SELLING_PRICE, 6) for q in qty)}


def _day_month_statement(stmt, path, *, decided: bool = False):
    """The demo's customer statement with its ship dates written ``05/11/2026`` (days 1–12 only, so
    each could be either order); when ``decided`` the first is the 20th (``20/11/2026``: day first).
    Returns the first date as written."""
    frame = pd.read_csv(stmt, dtype=str)
    days = pd.to_datetime(frame["Ship Date"], format="%d-%b-%y")
    early = days[days.dt.day <= 12]
    frame = frame[days.dt.day <= 12].assign(**{"Ship Date": early.dt.strftime("%d/%m/%Y")})
    if decided:
        frame.iloc[0, frame.columns.get_loc("Ship Date")] = early.iloc[0].replace(day=20).strftime("%d/%m/%Y")
    frame.to_csv(path, index=False)
    return frame["Ship Date"].iloc[0]


def test_a_statements_day_month_order_is_given_or_its_dates_are_issue_rows(demo, tmp_path):
    master, statements = demo
    stmt = tmp_path / "statement_dm.csv"
    _day_month_statement(statements[".csv"], stmt)
    lines = len(pd.read_csv(stmt))
    customer, period = dict(party=demo_customer(), side="customer"), period_of(statements[".csv"])
    unknown = actions.reconcile(master, stmt, period=period, **customer)
    assert (unknown.date_order.order, unknown.date_order.ambiguous) == (None, lines)
    assert {r["reason"] for r in unknown.issue_rows} == {"ambiguous_date"}
    given = actions.reconcile(master, stmt, dayfirst=True, **customer)   # the month comes from the dates read day-first
    assert (given.period, given.period_from_statement) == (period, True)
    assert (given.date_order.order, given.date_order.by, given.date_order.ambiguous) == ("day_first", "given", 0)
    assert not [r for r in given.issue_rows if r["reason"] == "ambiguous_date"]
    with pytest.raises(GendanError, match="months"):   # month-first: 05/11 is 11 May, and so on — several months
        actions.reconcile(master, stmt, dayfirst=False, **customer)
    twentieth = _day_month_statement(statements[".csv"], stmt, decided=True)
    with pytest.raises(GendanError) as stopped:   # its own 20/mm/yyyy says day first
        actions.reconcile(master, stmt, dayfirst=False, **customer)
    assert stopped.value.value == twentieth and stopped.value.file == stmt.name
    proc = subprocess.run([sys.executable, "-m", "gendan_xl.cli", "reconcile", str(master), str(stmt), "--party",
                           demo_customer(), "--side", "customer", "--dayfirst", "--json"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["date_order"]["order"] == "day_first"
