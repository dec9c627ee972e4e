"""Supplier sync on the demo's three messy files and on the real SCMS data (real workbooks)."""

from __future__ import annotations

import datetime as dt
import os
import shutil

import openpyxl
import pandas as pd
import pytest

from conftest import AS_OF, SCMS_MAP
from gendan_xl.model.words import field_code, reason_code
from gendan_xl import actions
from gendan_xl.actions.results import FileDateOrder
from gendan_xl.model import schema
from gendan_xl.demo.build import demo_frames
from gendan_xl.demo.sample_files import _progress
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.importers.extract import extract_table
from gendan_xl.result_text import render
from gendan_xl.rules.sync import CONFLICT_NOTE, SYNC_NOTE
from libreoffice import convert

SEED = 11


@pytest.fixture
def synced(demo_dir, tmp_path):
    """A copy of the demo master after one sync of the three supplier files."""
    master = tmp_path / "master.xlsx"
    shutil.copy(demo_dir / "master.xlsx", master)
    files = sorted((demo_dir / "suppliers").iterdir())
    result = actions.sync(master, files, as_of=AS_OF)
    return master, files, result


def orders_of(master) -> pd.DataFrame:
    from gendan_xl.store.master import MasterWorkbook
    frame = MasterWorkbook(master).read(schema.ORDERS).frame
    return frame.assign(key=frame["po_no"] + "/" + frame["line"])


def expected_progress(supplier: str) -> pd.DataFrame:
    """What the demo generator put into a supplier's file, independent of the importer."""
    import numpy as np
    _, orders = demo_frames(240, SEED, AS_OF)
    rng = np.random.default_rng(SEED + 1)
    runs = {name: _progress(orders, name, AS_OF, rng) for name in ("Huamei", "Saigon", "Dhaka")}
    return runs[supplier]


@pytest.mark.parametrize("supplier, name", [("Huamei", "华美服饰_生产进度表.xlsx"),
                                            ("Saigon", "Saigon_Garment_WIP_report.xlsx"),
                                            ("Dhaka", "dhaka_knitwear_status.csv")])
def test_demo_files_clean_to_what_the_supplier_wrote(demo_dir, supplier, name):
    got = extract_table(demo_dir / "suppliers" / name, schema.ORDERS, reference_date=AS_OF)
    want = expected_progress(supplier)
    frame = got.frame[got.frame["po_no"].notna()]
    assert len(frame) >= len(want)
    first = frame.drop_duplicates(subset=[c for c in ("po_no", "line", "style") if c in frame]).head(len(want))
    assert first["style"].tolist() == want["style"].tolist()
    produced = first["produced_qty"].to_numpy()
    assert (produced == want["produced_qty"].to_numpy()).all()
    readable = first["eta"].notna().to_numpy()
    assert readable.sum() >= len(want) - 2          # one TBD / one 下周 per file at most
    assert (first["eta"].to_numpy()[readable] == want["eta"].to_numpy()[readable]).all()
    shipped = want["ship_date"].notna().to_numpy()
    assert (first["ship_date"].to_numpy()[shipped] == want["ship_date"].to_numpy()[shipped]).all()
    assert (got.issues["reason"] == "skipped_total").sum() == 1


def test_sync_updates_supplier_fields_and_logs_every_change(demo_dir, synced):
    master, _, result = synced
    before, after = orders_of(demo_dir / "master.xlsx"), orders_of(master)
    assert result.changed_values > 50
    log = pd.read_excel(master, sheet_name=schema.CHANGE_LOG.sheet, dtype=str, engine="openpyxl")
    applied = log[log[schema.CHANGE_LOG.field("note").header] == "同步 sync"]
    assert len(applied) == result.changed_values
    applied.columns = [schema.match_header(schema.CHANGE_LOG, h) for h in applied.columns]
    for rec in applied.head(40).itertuples(index=False):
        file, src_row, key, field, new = rec.file, rec.source_row, rec.order_key, rec.field, rec.new
        row = after[after["po_no"] + " / " + after["line"] == key].iloc[0]
        value = row[field_code(field)]   # the sheet shows the field's header
        shown = value.date().isoformat() if isinstance(value, pd.Timestamp) else (
            str(int(value)) if isinstance(value, float) else str(value))
        assert shown == new, (key, field)
        assert file.endswith((".xlsx", ".csv")) and int(src_row) > 1
    # Nothing outside the supplier-owned (and history, computed) fields changed.
    user = [f.name for f in schema.ORDERS.fields if f.owner == schema.USER]
    pd.testing.assert_frame_equal(before[user], after[user])


def test_the_change_log_keeps_the_runs_as_of_date_and_nothing_is_dated_after_it(synced):
    """README flow run days after its --as-of date: the log keeps the real time and the as-of date,
    and the scorecard counts days since update to the as-of date (never negative)."""
    master, _, result = synced
    rows = openpyxl.load_workbook(master)[schema.CHANGE_LOG.sheet].iter_rows(min_row=2, values_only=True)
    header = [c.value for c in openpyxl.load_workbook(master)[schema.CHANGE_LOG.sheet][1]]
    stamp, as_of = header.index("时间 Timestamp"), header.index("截至日期 As-of date")
    assert as_of == stamp + 1
    sheet = header.index(schema.CHANGE_LOG.header("sheet"))
    logged = [r for r in rows if r[stamp] is not None and r[sheet] != schema.SHIPMENTS.sheet]   # not the demo's own
    assert len(logged) >= result.change_log_rows > 50
    assert {r[as_of].date() for r in logged} == {AS_OF}
    assert len({r[stamp] for r in logged}) == 1 and isinstance(logged[0][stamp], dt.datetime)   # the run's real time
    synced_suppliers = [r for r in result.refresh.scorecard if r["last_update"] is not None]
    assert len(synced_suppliers) == 3
    assert {(r["last_update"], r["days_since_update"]) for r in synced_suppliers} == {(AS_OF.isoformat(), 0)}


def test_an_older_change_log_gets_the_as_of_column_at_its_right_end(demo_master, tmp_path):
    from openpyxl.utils import get_column_letter, range_boundaries
    from gendan_xl.store.master import MasterWorkbook
    wb = openpyxl.load_workbook(demo_master)
    ws = wb[schema.CHANGE_LOG.sheet]
    table = ws.tables[schema.CHANGE_LOG.name]
    header = [c.value for c in ws[1]]
    ws.delete_cols(header.index("截至日期 As-of date") + 1)   # as an older gendan made it
    c1, r1, c2, r2 = range_boundaries(table.ref)
    table.ref = table.autoFilter.ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2 - 1)}{r2}"
    table.tableColumns = [c for c in table.tableColumns if c.name != "截至日期 As-of date"]
    wb.save(demo_master)
    line = MasterWorkbook(demo_master).read(schema.ORDERS).frame.iloc[0]
    progress = tmp_path / "progress.csv"
    progress.write_text(f"PO,Line,ETA\n{line['po_no']},{line['line']},2027-02-01\n", encoding="utf-8")
    result = actions.sync(demo_master, [progress], as_of=AS_OF)
    assert result.change_log_rows == 1
    ws = openpyxl.load_workbook(demo_master)[schema.CHANGE_LOG.sheet]
    assert [c.value for c in ws[1]][:len(header)] == [h for h in header if h != "截至日期 As-of date"] + \
        ["截至日期 As-of date"]
    frame = MasterWorkbook(demo_master).read(schema.CHANGE_LOG).frame
    frame = frame[frame["sheet"] != schema.SHIPMENTS.sheet]   # the demo's sailed shipment closing its line: no as-of
    assert frame["as_of"].dt.date.tolist() == [AS_OF] and frame["order_key"].tolist() == \
        [f"{line['po_no']} / {line['line']}"]


def test_conflicts_are_reported_not_applied(demo_dir, synced):
    master, _, result = synced
    issues = pd.read_excel(master, sheet_name=schema.IMPORT_ISSUES.sheet, dtype=str, engine="openpyxl")
    reason = schema.IMPORT_ISSUES.field("reason").header
    issues[reason] = issues[reason].map(reason_code)   # the sheet shows words
    conflicts = issues[issues[reason] == "conflict"]
    assert len(conflicts) >= 1
    huamei = conflicts[conflicts[schema.IMPORT_ISSUES.field("file").header].str.startswith("华美")]
    assert len(huamei) == 1 and huamei.iloc[0][schema.IMPORT_ISSUES.field("column").header] == "数量"
    before, after = orders_of(demo_dir / "master.xlsx"), orders_of(master)
    assert before["qty"].equals(after["qty"])
    for code in ("unknown_order", "bad_date", "duplicate", "skipped_total", "date_marker"):
        assert (issues[reason] == code).any(), code
    for col in ("file", "sheet", "row", "value", "message"):
        assert issues[schema.IMPORT_ISSUES.field(col).header].notna().all() or col in ("value",)


def test_formula_like_text_lands_as_text(demo_master, tmp_path):
    """A supplier's remarks that look like formulas (planted here: the demo carries no attack strings)."""
    lines = orders_of(demo_master).head(2)
    attacks = ['=HYPERLINK("http://example.com","点击")', "+cmd|' /C calc'!A0"]
    planted = tmp_path / "supplier.csv"
    pd.DataFrame({"PO": lines["po_no"], "Line": lines["line"], "Remarks": attacks}).to_csv(planted, index=False)
    actions.sync(demo_master, [planted], as_of=AS_OF)
    ws = openpyxl.load_workbook(demo_master)[schema.ORDERS.sheet]
    col = schema.ORDERS.names.index("supplier_remarks") + 1
    texts = {ws.cell(r, col).value: ws.cell(r, col).data_type for r in range(2, ws.max_row + 1)}
    assert texts[attacks[0]] == "s"
    assert texts[attacks[1]] == "s"
    sheet_xml = __import__("zipfile").ZipFile(demo_master).read("xl/worksheets/sheet1.xml")
    assert b"<f>HYPERLINK" not in sheet_xml and b"<f>cmd" not in sheet_xml


def test_the_demo_carries_no_attack_strings(demo_dir):
    """Formula-like text belongs in tests, not in what a new user opens."""
    from gendan_xl.importers.extract import extract_table
    for path in sorted((demo_dir / "suppliers").iterdir()):
        frame = extract_table(path, schema.ORDERS, reference_date=AS_OF).frame
        texts = [str(t) for t in frame.to_numpy().ravel()]
        assert not [t for t in texts if t.startswith(("=", "+", "@")) or "cmd" in t or "HYPERLINK" in t], path.name


def test_eta_history_and_slip_makes_line_at_risk(demo_dir, synced):
    master, _, _ = synced
    before, after = orders_of(demo_dir / "master.xlsx").set_index("key"), orders_of(master).set_index("key")
    moved = after.index[(after["eta"] != before["eta"]) & before["eta"].notna() & after["eta"].notna()]
    assert len(moved) > 3
    for key in moved:
        old, new = before.at[key, "eta"], after.at[key, "eta"]
        assert after.at[key, "prev_eta"] == old
        assert after.at[key, "first_eta"] == before.at[key, "first_eta"]
        assert after.at[key, "eta_slips"] == before.at[key, "eta_slips"] + (1 if new > old else 0)
        if new > old and after.at[key, "flag"].startswith(("AT_RISK", "ON_TRACK")):
            assert after.at[key, "flag"].startswith("AT_RISK")
            assert "slipped" in after.at[key, "why"]


def test_second_import_changes_nothing(synced):
    master, files, _ = synced
    orders = orders_of(master)
    again = actions.sync(master, files, as_of=AS_OF)
    assert again.changed_values == 0
    assert again.change_log_rows == 0 and again.import_issue_rows == 0
    pd.testing.assert_frame_equal(orders, orders_of(master))


def test_dry_run_writes_nothing(demo_master, demo_dir):
    before = demo_master.read_bytes()
    result = actions.sync(demo_master, sorted((demo_dir / "suppliers").iterdir()), dry_run=True, as_of=AS_OF)
    assert result.changed_values > 0 and result.changes
    assert demo_master.read_bytes() == before


@pytest.mark.parametrize("content, code", [(b"PK\x03\x04 broken", ErrorCode.BAD_WORKBOOK), (b"", ErrorCode.EMPTY_FILE),
                                           (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), ErrorCode.BAD_WORKBOOK)])
def test_bad_supplier_file_leaves_master_untouched(demo_master, tmp_path, content, code):
    bad = tmp_path / "supplier.xlsx"
    bad.write_bytes(content)
    before = demo_master.read_bytes()
    with pytest.raises(GendanError) as err:
        actions.sync(demo_master, [bad], as_of=AS_OF)
    assert "supplier.xlsx" in str(err.value) and err.value.code is code
    assert demo_master.read_bytes() == before


def test_crash_during_save_leaves_previous_master(demo_master, demo_dir, monkeypatch):
    before = demo_master.read_bytes()
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(OSError("killed (injected)")))
    with pytest.raises(GendanError, match=r"killed \(injected\)") as err:
        actions.sync(demo_master, sorted((demo_dir / "suppliers").iterdir()), as_of=AS_OF)
    assert err.value.code is ErrorCode.FILE_ERROR
    assert demo_master.read_bytes() == before


def test_mapping_profile_is_saved_and_reused(demo_master, tmp_path):
    odd = tmp_path / "odd_layout.csv"
    odd.write_text("Bestellung,Pos,Fertig am,Stueck fertig\nPO-260001,1,2026-12-01,100\n", encoding="utf-8")
    with pytest.raises(GendanError) as err:
        actions.sync(demo_master, [odd], as_of=AS_OF)
    assert err.value.code is ErrorCode.HEADER_NOT_FOUND
    mapping = {"po_no": "Bestellung", "line": "Pos", "eta": "Fertig am", "produced_qty": "Stueck fertig"}
    first = actions.sync(demo_master, [odd], mapping=mapping, profile="Werk Nord", as_of=AS_OF)
    assert first.files[0].matched == 1
    later = tmp_path / "odd_layout_week2.csv"
    later.write_text("Bestellung,Pos,Fertig am,Stueck fertig\nPO-260001,1,2026-12-03,150\n", encoding="utf-8")
    second = actions.sync(demo_master, [later], as_of=AS_OF)
    assert second.files[0].profile == "Werk Nord"
    assert second.changed_values == 2
    row = orders_of(demo_master).set_index("key").loc["PO-260001/1"]
    assert row["eta"] == pd.Timestamp("2026-12-03") and row["produced_qty"] == 150


def test_each_supplier_file_is_read_once(demo_master, demo_dir, monkeypatch):
    """Profile detection and extraction share one read: the bytes, the package scan and the parse."""
    from gendan_xl.importers import reading
    calls: dict[str, int] = {}

    def counting(name, real):
        def spy(*args, **kwargs):
            calls[name] = calls.get(name, 0) + 1
            return real(*args, **kwargs)
        return spy

    monkeypatch.setattr(reading, "_read_bytes", counting("bytes", reading._read_bytes))
    monkeypatch.setattr(reading, "_scan_package", counting("scan", reading._scan_package))
    monkeypatch.setattr(reading.calamine.CalamineWorkbook, "from_filelike",
                        counting("parse", reading.calamine.CalamineWorkbook.from_filelike))
    files = sorted((demo_dir / "suppliers").iterdir())
    result = actions.sync(demo_master, files, as_of=AS_OF, dry_run=True)
    workbooks = sum(f.suffix == ".xlsx" for f in files)
    assert [f.matched > 0 for f in result.files] == [True] * len(files)
    assert calls == {"bytes": len(files), "scan": workbooks, "parse": workbooks}


def test_synced_workbook_opens_in_libreoffice(synced, tmp_path):
    master, _, _ = synced
    pdf = convert(master, "pdf", tmp_path)
    assert pdf.stat().st_size > 10_000


def test_scms_as_supplier_data(tmp_path, scms_path):
    """SCMS loaded as the master, then imported as supplier data with weight and freight."""
    master = tmp_path / "scms.xlsx"
    actions.new_master(master)
    orders_only = tmp_path / "scms_orders.csv"     # the master knows no weights or freight yet
    columns = sorted(set(SCMS_MAP.values()))
    pd.read_csv(scms_path, dtype=str, encoding="utf-8-sig")[columns].to_csv(orders_only, index=False)
    actions.load_orders(master, orders_only, mapping=SCMS_MAP, as_of=AS_OF)
    mapping = {"po_no": "PO / SO #", "line": "ID", "ship_date": "Delivered to Client Date",
               "shipped_qty": "Line Item Quantity", "weight_kg": "Weight (Kilograms)",
               "freight": "Freight Cost (USD)", "supplier_remarks": "Vendor INCO Term"}
    result = actions.sync(master, [scms_path], mapping=mapping, profile="SCMS", as_of=AS_OF)
    info = result.files[0]
    assert info.rows == 10324 and info.matched == 10324
    assert info.changed_values > 10324 + 10000      # INCO terms, weights and freights
    refs = info.references
    # 2,445 rows refer to another row for weight and freight ("See DN-304 (ID#:10589)").
    assert refs.resolved + refs.unresolved == 2 * 2445
    assert refs.resolved > 2445
    assert refs.markers["Weight Captured Separately"] == 1507
    assert refs.markers["Freight Included in Commodity Cost"] == 1442
    assert refs.markers["Invoiced Separately"] == 239
    orders = orders_of(master).set_index("line")
    source = pd.read_csv(scms_path, dtype=str, encoding="utf-8-sig").set_index("ID")
    numeric = pd.to_numeric(source["Weight (Kilograms)"], errors="coerce").dropna()
    assert (orders.loc[numeric.index, "weight_kg"] == numeric).all()
    # A resolved back-reference carries the referenced row's weight.
    ref = source["Weight (Kilograms)"].str.extract(r"ID#:(\d+)\)")[0].dropna()
    ok = ref[ref.isin(numeric.index)]
    assert len(ok) > 1000
    assert (orders.loc[ok.index, "weight_kg"].to_numpy() == numeric.loc[ok.to_numpy()].to_numpy()).all()
    print("SCMS sync:", {k: v for k, v in vars(info).items() if k != "file"})


def test_fuzzy_look_alike_is_suggested_never_applied(demo_master, tmp_path):
    before = orders_of(demo_master)
    typo = tmp_path / "typo.csv"
    typo.write_text("PO No.,Line,ETA\nPO-26001,1,2027-01-15\n", encoding="utf-8")   # a digit dropped
    result = actions.sync(demo_master, [typo], as_of=AS_OF)
    assert result.changed_values == 0
    (issue,) = [i for i in result.issue_rows if i["reason"] == "unknown_order"]
    assert "did you mean PO-260001" in issue["message"] and "not applied" in issue["message"]
    pd.testing.assert_frame_equal(before.drop(columns=["slack_wd", "flag", "why"]),
                                  orders_of(demo_master).drop(columns=["slack_wd", "flag", "why"]))


def test_a_po_is_read_as_the_number_it_means_and_invisible_characters_are_ignored(demo_master, tmp_path):
    """A PO ``260095.0`` (a float turned text) is PO-260095 (it was "did you mean
    PO-260050"); a PO with a zero-width space, a BOM or a soft hyphen is the PO it shows (it was "no
    such order, did you mean PO-260003", looking identical to what was typed). Both are applied."""
    file = tmp_path / "progress.csv"
    file.write_text("PO No.,Line,Supplier remarks\n260095.0,2,float PO\nPO-260003\u200b,1,zero-width space\n"
                    "\ufeffPO-2600\u00ad04,2,soft hyphen\n", encoding="utf-8")
    result = actions.sync(demo_master, [file], as_of=AS_OF)
    assert result.issue_rows == [] and result.files[0].matched == 3
    after = orders_of(demo_master).set_index("key")
    assert after.loc[["PO-260095/2", "PO-260003/1", "PO-260004/2"], "supplier_remarks"].tolist() == [
        "float PO", "zero-width space", "soft hyphen"]


def test_a_file_of_one_po_stating_it_above_its_table_updates_that_pos_lines(demo_master, tmp_path):
    """A factory's progress sheet of one PO: ``订单号：PO-260003`` in its head, the lines below without
    a PO column. Every row is that PO's; a file with a PO column never takes the one above it."""
    file = tmp_path / "生产进度 PO-260003.csv"
    file.write_text("工厂生产进度表 Production progress\n订单号：PO-260003,,日期 Date:,2026-11-20\n\n"
                    "Line,Supplier remarks\n1,cutting done\n2,sewing\n", encoding="utf-8")
    result = actions.sync(demo_master, [file], as_of=AS_OF)
    assert (result.files[0].matched, result.issue_rows) == (2, [])
    assert result.files[0].stated == {"po_no": "A2 订单号: PO-260003"}
    assert "read beside its label: A2 订单号: PO-260003" in render("sync", result)
    after = orders_of(demo_master).set_index("key")
    assert after.loc[["PO-260003/1", "PO-260003/2"], "supplier_remarks"].tolist() == ["cutting done", "sewing"]
    column = tmp_path / "progress.csv"
    column.write_text("PO No.: PO-260003\nPO No.,Line,Supplier remarks\nPO-260004,2,its own PO\n", encoding="utf-8")
    assert actions.sync(demo_master, [column], as_of=AS_OF).files[0].matched == 1
    after = orders_of(demo_master).set_index("key")
    assert after.loc[["PO-260004/2", "PO-260003/2"], "supplier_remarks"].tolist() == ["its own PO", "sewing"]


# The day/month order of a supplier's dates is remembered per supplier, never guessed.

DHAKA_HEADER = "PO Number,Line,Style,Estimated Date\n"


def dhaka_lines(master, n: int = 2) -> pd.DataFrame:
    """Open Dhaka Knitwear lines of the demo master, with their order and due dates."""
    orders = orders_of(master)
    mine = orders[orders["supplier"].str.contains("Dhaka") & orders["ship_date"].isna() & orders["due_date"].notna()
                  & orders["order_date"].notna()]
    return mine.head(n)


def dhaka_file(path, lines: pd.DataFrame, dates: list[str]):
    """A Dhaka status csv giving ``dates`` as the ETA of ``lines``, as their clerk types them."""
    path.write_text(DHAKA_HEADER + "".join(f"{r.po_no},{r.line},{r.style},{d}\n"
                                           for r, d in zip(lines.itertuples(), dates)), encoding="utf-8")
    return path


def suppliers_of(master) -> pd.DataFrame:
    from gendan_xl.store.master import MasterWorkbook
    return MasterWorkbook(master).read(schema.SUPPLIERS).frame.set_index("code")


def issues_logged(master) -> list[tuple]:
    """(file, row, value, reason code) of the Import Issues rows, as the sheet holds them."""
    ws = openpyxl.load_workbook(master)[schema.IMPORT_ISSUES.sheet]
    header = [c.value for c in ws[1]]
    at = [header.index(schema.IMPORT_ISSUES.field(n).header) for n in ("file", "row", "value", "reason")]
    return [(r[at[0]], r[at[1]], r[at[2]], reason_code(r[at[3]]))
            for r in ws.iter_rows(min_row=2, values_only=True) if r[at[0]]]


def test_a_day_first_supplier_whose_days_are_all_12_or_less_this_week_keeps_its_order(demo_master, tmp_path):
    """Week 1's 13/12/2026 shows day-first and is remembered; week 2's 05/12/2026 is 5 December
    (before: read as 12 May, the ETA 7 months earlier)."""
    lines = dhaka_lines(demo_master)
    week1 = actions.sync(demo_master, [dhaka_file(tmp_path / "dhaka_w1.csv", lines[:1], ["13/12/2026"])], as_of=AS_OF)
    week2 = actions.sync(demo_master, [dhaka_file(tmp_path / "dhaka_w2.csv", lines, ["05/12/2026", "06/12/2026"])],
                         as_of=AS_OF)
    after = orders_of(demo_master).loc[lines.index, "eta"]
    assert after.tolist() == [pd.Timestamp("2026-12-05"), pd.Timestamp("2026-12-06")]
    assert week2.issues == {} and week2.files[0].date_order.by == "supplier"
    assert week1.files[0].date_order == FileDateOrder(order="day_first", by="file", supplier="Dhaka Knitwear Ltd",
                                                      remembered=True, ambiguous=0)
    assert suppliers_of(demo_master).at["DKKW", "date_order"] == "日/月/年 day/month/year"


def test_with_no_order_known_ambiguous_dates_are_issue_rows_until_the_order_is_given(demo_master, tmp_path):
    lines = dhaka_lines(demo_master)
    before = orders_of(demo_master).loc[lines.index, "eta"]
    week = dhaka_file(tmp_path / "dhaka.csv", lines, ["05/12/2026", "06/12/2026"])
    result = actions.sync(demo_master, [week], as_of=AS_OF)
    assert result.changed_values == 0 and result.issues == {"ambiguous_date": 2}
    assert orders_of(demo_master).loc[lines.index, "eta"].equals(before)
    assert issues_logged(demo_master)[-2:] == [("dhaka.csv", 2, "05/12/2026", "ambiguous_date"),
                                               ("dhaka.csv", 3, "06/12/2026", "ambiguous_date")]
    dry = actions.sync(demo_master, [week], as_of=AS_OF, dayfirst=True, dry_run=True)
    assert dry.changed_values == 2 and pd.isna(suppliers_of(demo_master).at["DKKW", "date_order"])
    given = actions.sync(demo_master, [week], as_of=AS_OF, dayfirst=True)
    assert given.files[0].date_order.remembered and given.changed_values == 2
    assert orders_of(demo_master).loc[lines.index, "eta"].tolist() == [pd.Timestamp("2026-12-05"),
                                                                       pd.Timestamp("2026-12-06")]
    assert suppliers_of(demo_master).at["DKKW", "date_order"] == "日/月/年 day/month/year"


def test_an_order_typed_in_suppliers_is_used_and_an_unreadable_one_is_named(demo_master, tmp_path):
    lines = dhaka_lines(demo_master)
    wb = openpyxl.load_workbook(demo_master)
    ws = wb[schema.SUPPLIERS.sheet]
    column = [c.value for c in ws[1]].index(schema.SUPPLIERS.field("date_order").header) + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "DKKW")
    ws.cell(row, column).value = "mm/dd/yyyy"                 # the user's own spelling
    wb.save(demo_master)
    actions.sync(demo_master, [dhaka_file(tmp_path / "us.csv", lines[:1], ["05/12/2026"])], as_of=AS_OF)
    assert orders_of(demo_master).at[lines.index[0], "eta"] == pd.Timestamp("2026-05-12")
    ws.cell(row, column).value = "sometimes"
    wb.save(demo_master)
    with pytest.raises(GendanError) as err:
        actions.sync(demo_master, [dhaka_file(tmp_path / "us2.csv", lines[:1], ["06/12/2026"])], as_of=AS_OF)
    assert (err.value.sheet, err.value.row, err.value.column, err.value.value) == (
        schema.SUPPLIERS.sheet, row, "日期顺序 Date order", "sometimes")
    assert err.value.code is ErrorCode.BAD_VALUE


def test_a_yy_mm_dd_value_never_decides_the_order_and_is_never_applied_as_2005(demo_master, tmp_path):
    """26/12/05 (yy/mm/dd) made the whole file day-first and was applied as 2005-12-26."""
    lines = dhaka_lines(demo_master)
    before = orders_of(demo_master).loc[lines.index, "eta"]
    week = dhaka_file(tmp_path / "dhaka.csv", lines, ["05/12/2026", "26/12/05"])
    result = actions.sync(demo_master, [week], as_of=AS_OF)
    assert result.issues == {"ambiguous_date": 2} and result.files[0].date_order.order is None
    assert orders_of(demo_master).loc[lines.index, "eta"].equals(before)
    result = actions.sync(demo_master, [week], as_of=AS_OF, dayfirst=True)    # the supplier is day-first
    assert result.issues == {"implausible_date": 1}
    assert orders_of(demo_master).loc[lines.index, "eta"].tolist() == [pd.Timestamp("2026-12-05"), before.iloc[1]]
    found = next(i for i in result.issue_rows if i["reason"] == "implausible_date")
    assert (found["row"], found["value"]) == (3, "2005-12-26")
    assert f"more than 2 years before the line's order date {lines['order_date'].iloc[1].date()}" in found["message"]


def test_own_dates_contradicting_the_remembered_or_given_order_stop_and_write_nothing(demo_master, tmp_path):
    lines = dhaka_lines(demo_master)
    actions.sync(demo_master, [dhaka_file(tmp_path / "w1.csv", lines[:1], ["13/12/2026"])], as_of=AS_OF)
    before = demo_master.read_bytes()
    us = dhaka_file(tmp_path / "w2.csv", lines, ["05/12/2026", "12/13/2026"])
    with pytest.raises(GendanError) as err:
        actions.sync(demo_master, [us], as_of=AS_OF)
    assert (err.value.file, err.value.row, err.value.value) == ("w2.csv", 3, "12/13/2026")
    assert err.value.code is ErrorCode.DATE_ORDER_CONFLICT
    assert "the file's dates are month/day/year, but 供应商 Suppliers remembers day/month/year for Dhaka" in str(err.value)
    assert "run again with --monthfirst" in str(err.value)
    with pytest.raises(GendanError, match="the file's dates are month/day/year, but --dayfirst was given"):
        actions.sync(demo_master, [us], as_of=AS_OF, dayfirst=True)
    assert demo_master.read_bytes() == before
    changed = actions.sync(demo_master, [us], as_of=AS_OF, dayfirst=False)    # the supplier changed its format
    assert changed.files[0].date_order.remembered
    assert suppliers_of(demo_master).at["DKKW", "date_order"] == "月/日/年 month/day/year"
    assert orders_of(demo_master).loc[lines.index, "eta"].tolist() == [pd.Timestamp("2026-05-12"),
                                                                       pd.Timestamp("2026-12-13")]


def test_a_date_implausible_for_its_line_is_an_issue_row_never_applied(demo_master, tmp_path):
    lines = dhaka_lines(demo_master)
    before = orders_of(demo_master).loc[lines.index, "eta"]
    typo = tmp_path / "typo.csv"
    typo.write_text(DHAKA_HEADER + f"{lines.po_no.iloc[0]},{lines.line.iloc[0]},{lines.style.iloc[0]},2062-12-05\n"
                    + f"{lines.po_no.iloc[1]},{lines.line.iloc[1]},{lines.style.iloc[1]},2026年12月20日\n",
                    encoding="utf-8")
    result = actions.sync(demo_master, [typo], as_of=AS_OF)
    assert result.issues == {"implausible_date": 1} and result.changed_values == 1
    assert orders_of(demo_master).loc[lines.index, "eta"].tolist() == [before.iloc[0], pd.Timestamp("2026-12-20")]
    assert issues_logged(demo_master)[-1] == ("typo.csv", 2, "2062-12-05", "implausible_date")


def test_an_older_suppliers_table_gets_the_date_order_column_at_its_right_end(demo_master, tmp_path):
    from openpyxl.utils import get_column_letter, range_boundaries
    wb = openpyxl.load_workbook(demo_master)
    ws = wb[schema.SUPPLIERS.sheet]
    table = ws.tables[schema.SUPPLIERS.name]
    header = "日期顺序 Date order"
    ws.delete_cols([c.value for c in ws[1]].index(header) + 1)     # as an older gendan made it
    c1, r1, c2, r2 = range_boundaries(table.ref)
    table.ref = table.autoFilter.ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2 - 1)}{r2}"
    table.tableColumns = [c for c in table.tableColumns if c.name != header]
    wb.save(demo_master)
    lines = dhaka_lines(demo_master)
    actions.sync(demo_master, [dhaka_file(tmp_path / "w1.csv", lines[:1], ["13/12/2026"])], as_of=AS_OF)
    ws = openpyxl.load_workbook(demo_master)[schema.SUPPLIERS.sheet]
    assert [c.value for c in ws[1]][c2 - 1] == header
    assert ws.tables[schema.SUPPLIERS.name].ref == f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"
    assert {r[0]: r[c2 - 1] for r in ws.iter_rows(min_row=2, values_only=True)}["DKKW"] == "日/月/年 day/month/year"


def test_load_reads_ambiguous_dates_only_in_an_order_given(tmp_path, capsys):
    """An ERP export has no supplier: its own dates or ``--dayfirst``/``--monthfirst`` decide, else the
    ambiguous dates are issue rows (before: read month-first)."""
    from gendan_xl.cli import main
    master = tmp_path / "master.xlsx"
    actions.new_master(master)
    export = tmp_path / "erp.csv"
    export.write_text("PO号,行号,款号,数量,下单日期,交期\nPO-1,1,ST1,100,2026-09-01,05/12/2026\n"
                      "PO-1,2,ST2,200,2026-09-01,2026-12-20\n", encoding="utf-8")
    result = actions.load_orders(master, export, as_of=AS_OF)
    assert result.issue_counts == {"ambiguous_date": 1} and result.date_order.order is None
    assert orders_of(master)["due_date"].tolist()[:2] == [pd.NaT, pd.Timestamp("2026-12-20")]
    assert main(["load", str(master), str(export), "--dayfirst", "--as-of", AS_OF.isoformat()]) == 0
    assert "  日期顺序 date order: 日/月/年 day/month/year (指定 given)\n" in capsys.readouterr().out
    assert orders_of(master)["due_date"].tolist()[:2] == [pd.Timestamp("2026-12-05"), pd.Timestamp("2026-12-20")]
    us = tmp_path / "erp_us.csv"
    us.write_text("PO号,行号,交期\nPO-1,1,12/13/2026\n", encoding="utf-8")
    with pytest.raises(GendanError, match="the file's dates are month/day/year, but --dayfirst was given"):
        actions.load_orders(master, us, as_of=AS_OF, dayfirst=True)
    with pytest.raises(SystemExit) as usage:
        main(["load", str(master), str(us), "--dayfirst", "--monthfirst"])
    assert usage.value.code == 2


# --- one sync, many files: one truth per line ---------------------------------------------------

def _import_issues(master) -> pd.DataFrame:
    """The Import Issues sheet as saved, with field names for columns and reason codes."""
    issues = pd.read_excel(master, sheet_name=schema.IMPORT_ISSUES.sheet, dtype=str, engine="openpyxl")
    issues.columns = [schema.match_header(schema.IMPORT_ISSUES, h) for h in issues.columns]
    issues["reason"] = issues["reason"].map(reason_code)
    return issues


def _change_log(master) -> pd.DataFrame:
    from gendan_xl.store.master import MasterWorkbook
    return MasterWorkbook(master).read(schema.CHANGE_LOG).frame


def _progress_csv(path, rows):
    pd.DataFrame(rows, columns=["PO号", "行号", "预计完成", "已完成数量"]).to_csv(path, index=False)
    return path


def test_two_files_disagreeing_about_a_line_apply_neither_value_whatever_their_order(demo_master, tmp_path):
    """`gendan sync a.csv b.csv` with two open lines in both (before: the last file on the command line
    won, exit 0 and no issue row, so b.csv a.csv gave another master)."""
    before = orders_of(demo_master).set_index("key")
    one, two = before.loc["PO-260096/1"], before.loc["PO-260096/2"]
    assert one["status"] == two["status"] == "OPEN 进行中" and one["eta"] != pd.Timestamp("2026-12-18")
    p1, p2 = int(one["produced_qty"]), int(two["produced_qty"])
    a = _progress_csv(tmp_path / "a.csv", [["PO-260096", 2, "2026-12-20", p2 + 10], ["PO-260096", 1, "2026-12-18", p1 + 20]])
    b = _progress_csv(tmp_path / "b.csv", [["PO-260096", 2, "2026-12-28", p2 + 10], ["PO-260096", 1, "", p1]])
    masters = {}
    for files in ((a, b), (b, a)):
        master = tmp_path / f"{files[0].stem}{files[1].stem}.xlsx"
        shutil.copy(demo_master, master)
        summary = actions.sync(master, list(files), as_of=AS_OF)
        assert summary.issues == {"conflict": 4}
        masters[master] = orders_of(master).set_index("key")
    first, second = masters.values()
    pd.testing.assert_frame_equal(first, second)                          # the order of the files does not matter
    assert first.loc["PO-260096/2", "eta"] == two["eta"]                  # 12-20 vs 12-28: the master's ETA stays
    assert first.loc["PO-260096/2", "produced_qty"] == p2 + 10            # both files agree: applied
    assert first.loc["PO-260096/1", "eta"] == pd.Timestamp("2026-12-18")  # only a.csv gives it (b.csv blank)
    assert first.loc["PO-260096/1", "produced_qty"] == p1                 # disputed, not applied
    for master in masters:
        issues = _import_issues(master)
        conflicts = issues[issues["reason"] == "conflict"]
        assert sorted(zip(conflicts["file"], conflicts["row"], conflicts["column"], conflicts["value"])) == [
            ("a.csv", "2", "预计完成", "2026-12-20"), ("a.csv", "3", "已完成数量", str(p1 + 20)),
            ("b.csv", "2", "预计完成", "2026-12-28"), ("b.csv", "3", "已完成数量", str(p1))]
        for message in conflicts["message"]:                              # each names both files and values
            assert "a.csv" in message and "b.csv" in message and "not applied" in message
        eta = conflicts.loc[conflicts["column"] == "预计完成", "message"]
        assert all("a.csv [a] row 2: 2026-12-20; b.csv [b] row 2: 2026-12-28" in m for m in eta)
        log = _change_log(master)
        disputed = log[log["note"] == CONFLICT_NOTE]
        # b.csv's produced qty agrees with the master: no news, not logged as a value not applied
        assert sorted(zip(disputed["file"], disputed["field"], disputed["new"])) == [
            ("a.csv", "eta", "2026-12-20"), ("a.csv", "produced_qty", str(p1 + 20)), ("b.csv", "eta", "2026-12-28")]
        applied = log[log["note"] == SYNC_NOTE]
        assert sorted(zip(applied["order_key"], applied["field"], applied["new"])) == [
            ("PO-260096 / 1", "eta", "2026-12-18"), ("PO-260096 / 2", "produced_qty", str(p2 + 10))]
    # the same two files again, in the other order: nothing changes, nothing new is logged
    master = next(iter(masters))
    again = actions.sync(master, [b, a], as_of=AS_OF)
    assert again.changed_values == 0 and again.issues == {"conflict": 4}
    assert again.change_log_rows == again.import_issue_rows == 0
    pd.testing.assert_frame_equal(orders_of(master).set_index("key"), first)


def test_two_tables_on_one_sheet_are_each_read_with_their_own_header(demo_master, tmp_path):
    """A supplier sheet with its progress table, then its shipments under their own header (before:
    the shipments' 出货数量 777 became a line's produced qty and their ship date its ETA, as they sat
    under the first header's columns — PO-260095/2 in the bundled demo; a line in both tables was a
    duplicate)."""
    path = tmp_path / "进度与出货.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "进度"
    for row in (["生产进度 Progress"], ["PO号", "行号", "已完成数量", "预计完成"],
                ["PO-260096", 1, 3100, dt.datetime(2026, 12, 3)], [],
                ["PO号", "行号", "出货数量", "出货日期"],
                ["PO-260096", 2, 777, dt.datetime(2026, 11, 20)], ["PO-260096", 1, 300, dt.datetime(2026, 11, 21)]):
        ws.append(row)
    wb.save(path)
    before = orders_of(demo_master).set_index("key")
    summary = actions.sync(demo_master, [path], as_of=AS_OF)
    assert summary.issues == {} and summary.files[0].matched == 3
    after = orders_of(demo_master).set_index("key")
    assert after.loc["PO-260096/2", ["produced_qty", "eta", "shipped_qty", "ship_date"]].tolist() == [
        before.loc["PO-260096/2", "produced_qty"], before.loc["PO-260096/2", "eta"], 777, pd.Timestamp("2026-11-20")]
    assert after.loc["PO-260096/1", ["produced_qty", "eta", "shipped_qty", "ship_date"]].tolist() == [
        3100, pd.Timestamp("2026-12-03"), 300, pd.Timestamp("2026-11-21")]
    log = _change_log(demo_master)
    shipped = log[(log["order_key"] == "PO-260096 / 2") & (log["note"] == SYNC_NOTE)]
    assert sorted(zip(shipped["field"], shipped["source_row"].astype(int))) == [("ship_date", 6), ("shipped_qty", 6)]


def test_two_tables_of_one_sheet_disagreeing_about_a_line_apply_neither_value(demo_master, tmp_path):
    produced = int(orders_of(demo_master).set_index("key").loc["PO-260096/1", "produced_qty"])
    path = tmp_path / "two_tables.csv"
    path.write_text(f"PO号,行号,已完成数量\nPO-260096,1,{produced + 10}\n\n"
                    f"PO号,行号,已完成数量,出货数量\nPO-260096,1,{produced + 20},5\n", encoding="utf-8")
    summary = actions.sync(demo_master, [path], as_of=AS_OF)
    assert summary.issues == {"conflict": 2}
    after = orders_of(demo_master).set_index("key")
    assert after.loc["PO-260096/1", ["produced_qty", "shipped_qty"]].tolist() == [produced, 5]
    issues = _import_issues(demo_master)
    assert sorted(issues.loc[issues["reason"] == "conflict", "row"]) == ["2", "5"]
