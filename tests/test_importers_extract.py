"""Reading supplier files end to end: hand-made nasty fixtures and the real SCMS delivery history."""

import csv
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import SCMS_MAP
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.importers import ISSUE_COLUMNS, extract_table, find_header_row, read_sheets
from gendan_xl.model.schema import ORDERS, SUPPLIERS

DATA = Path(__file__).parent / "data" / "importers"
REF = date(2026, 11, 20)
FIXTURES = sorted(p.name.removesuffix(".expected.csv") for p in DATA.glob("*.expected.csv"))


def read_csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def render(frame: pd.DataFrame) -> list[list[str]]:
    """A frame as the strings of an expected file: ISO dates, whole numbers without .0, blanks empty."""
    def cell(value) -> str:
        if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
            return ""
        if isinstance(value, pd.Timestamp):
            return value.date().isoformat()
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else repr(value)
        return str(value)
    return [list(frame.columns)] + [[cell(v) for v in row] for row in frame.itertuples(index=False)]


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_extracts_to_expected_rows_and_issues(name):
    got = extract_table(DATA / name, ORDERS, reference_date=REF)
    assert render(got.frame) == read_csv_rows(DATA / f"{name}.expected.csv")
    expected_issues = read_csv_rows(DATA / f"{name}.issues.csv")
    issues = got.issues.fillna("")
    assert [expected_issues[0]] + issues[["row", "column", "value", "reason"]].astype(str).values.tolist() \
        == expected_issues
    assert list(got.issues.columns) == ISSUE_COLUMNS
    assert set(got.issues["file"]) <= {name} and set(got.issues["sheet"]) <= {got.sheet}
    assert all(got.issues["message"].str.len() > 0)


@pytest.mark.parametrize("name", FIXTURES)
def test_frame_dtypes(name):
    frame = extract_table(DATA / name, ORDERS, reference_date=REF).frame
    for column in frame.columns:
        if column == "_row":
            assert frame[column].dtype == np.int64
            continue
        kind = "text" if column == "_sheet" else ORDERS.field(column).kind
        expected = {"date": "datetime64[ns]", "int": "float64", "number": "float64", "text": "object"}[kind]
        assert str(frame[column].dtype) == expected, column
        if kind == "text":
            assert all(v is None or isinstance(v, str) for v in frame[column])


def test_factory_report_details():
    got = extract_table(DATA / "factory_progress.xlsx", ORDERS, reference_date=REF)
    assert got.sheet == "生产进度" and got.header_row == 5
    assert got.mapping == {"po_no": "PO号", "style": "款号", "color": "颜色", "qty": "订单数量",
                           "shipped_qty": "出货数量", "due_date": "交期", "eta": "预计完工", "supplier_remarks": "说明"}
    assert got.extra_columns == []
    assert got.frame.loc[0, "supplier_remarks"] == "=SUM(A1)"  # text that looks like a formula stays text


def test_multi_sheet_picks_the_orders_sheet_and_reports_extras():
    got = extract_table(DATA / "multi_sheet.xlsx", ORDERS)
    assert got.sheet == "Orders"
    assert got.extra_columns == ["Our Ref"]
    assert got.mapping["qty"] == "Order Qty"


@pytest.mark.parametrize("sheet", ["orders", " ORDERS ", 1])
def test_sheet_by_name_or_index(sheet):
    assert extract_table(DATA / "multi_sheet.xlsx", ORDERS, sheet=sheet).sheet == "Orders"


def test_named_sheet_without_header_is_an_error():
    with pytest.raises(GendanError, match="sheet Readme") as err:
        extract_table(DATA / "multi_sheet.xlsx", ORDERS, sheet="Readme")
    assert err.value.code is ErrorCode.HEADER_NOT_FOUND and "How to fill in this report" in str(err.value)


def test_missing_sheet_lists_the_sheets():
    with pytest.raises(GendanError) as err:
        extract_table(DATA / "multi_sheet.xlsx", ORDERS, sheet="Nope")
    assert err.value.code is ErrorCode.SHEET_MISSING and "['Readme', 'Orders', 'Summary']" in str(err.value) and err.value.file == "multi_sheet.xlsx"


def test_user_mapping_wins_and_may_give_one_column_to_two_fields():
    mapping = {"po_no": "Our Ref", "qty": "Quantity", "produced_qty": "Quantity"}
    got = extract_table(DATA / "multi_sheet.xlsx", ORDERS, mapping=mapping)
    assert got.frame["po_no"].tolist() == ["X1", "X2", "X3"]
    assert got.frame["qty"].tolist() == got.frame["produced_qty"].tolist() == [1000, 2000, 500]
    assert "PO No." in got.extra_columns and "Order Qty" in got.extra_columns
    assert got.issues["reason"].tolist() == ["date_marker", "skipped_total"]  # no duplicate_column


def test_mapping_errors():
    with pytest.raises(GendanError) as err:
        extract_table(DATA / "multi_sheet.xlsx", ORDERS, mapping={"nope": "PO No."})
    assert err.value.code is ErrorCode.UNKNOWN_FIELD
    with pytest.raises(GendanError, match="'Vendor Name' \\(supplier\\)") as err:
        extract_table(DATA / "multi_sheet.xlsx", ORDERS, mapping={"supplier": "Vendor Name"}, sheet="Orders")
    assert err.value.code is ErrorCode.COLUMN_MISSING


def test_dayfirst_can_be_forced(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("PO,Due date,ETA\nA,05/12/2026,06/12/2026\n", encoding="utf-8")
    assert extract_table(path, ORDERS, dayfirst=False).frame["due_date"].tolist() == [pd.Timestamp("2026-05-12")]
    assert extract_table(path, ORDERS, dayfirst=True).frame["eta"].tolist() == [pd.Timestamp("2026-12-06")]


def test_dates_that_do_not_decide_the_order_are_pending_issues_never_guessed(tmp_path):
    """Every day is 12 or less: no order is guessed (before: read month-first, 05/12/2026 as 12 May)."""
    path = tmp_path / "d.csv"
    path.write_text("PO,Due date,ETA\nA,05/12/2026,06/12/2026\nB,2026-12-07,5-Dec-26\nC,2026年12月8日,"
                    "07/07/2026\n", encoding="utf-8")
    got = extract_table(path, ORDERS)
    assert got.frame["due_date"].tolist()[1:] == [pd.Timestamp("2026-12-07"), pd.Timestamp("2026-12-08")]
    assert got.frame["eta"].tolist()[1:] == [pd.Timestamp("2026-12-05"), pd.Timestamp("2026-07-07")]
    assert got.frame.loc[0, ["due_date", "eta"]].isna().all()
    assert got.issues[["row", "column", "value", "reason"]].values.tolist() == [
        [2, "Due date", "05/12/2026", "ambiguous_date"], [2, "ETA", "06/12/2026", "ambiguous_date"]]
    assert ("read day-first it is 2026-12-05, read month-first it is 2026-05-12 — give --dayfirst or --monthfirst"
            in got.issues["message"][0])
    assert got.day_month.read is None and got.day_month.own is None and got.day_month.dependent
    for dayfirst, due, eta in ((True, "2026-12-05", "2026-12-06"), (False, "2026-05-12", "2026-06-12")):
        read = got.in_order(dayfirst)
        assert read.frame.loc[0, ["due_date", "eta"]].tolist() == [pd.Timestamp(due), pd.Timestamp(eta)]
        assert read.frame.loc[1:, ["due_date", "eta"]].equals(got.frame.loc[1:, ["due_date", "eta"]])
        assert read.issues.empty and read.day_month.read is dayfirst


def test_a_day_over_12_with_a_four_digit_year_decides_the_file_and_is_named(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("PO,Due date,ETA\nA,2026-12-20,05/12/2026\nB,13/12/2026,\n", encoding="utf-8")
    got = extract_table(path, ORDERS)
    assert got.frame["eta"].tolist()[0] == pd.Timestamp("2026-12-05") and got.issues.empty
    assert (got.day_month.read, got.day_month.own, got.day_month.evidence) == (True, True, (3, "Due date", "13/12/2026"))


def test_a_two_digit_year_never_decides_the_order(tmp_path):
    """``26/12/05`` may be yy/mm/dd: before, it made the whole file day-first and was itself 2005-12-26."""
    path = tmp_path / "d.csv"
    path.write_text("PO,ETA\nA,26/12/05\nB,05/12/2026\n", encoding="utf-8")
    got = extract_table(path, ORDERS)
    assert got.day_month.own is None and got.frame["eta"].isna().all()
    assert got.issues["reason"].tolist() == ["ambiguous_date", "ambiguous_date"]
    assert ("read day-first it is 2005-12-26, read month-first the month would be 26; year first (yy/mm/dd) it "
            "would be 2026-12-05") in got.issues["message"][0]
    month_first = got.in_order(False)
    assert month_first.frame["eta"].tolist()[1] == pd.Timestamp("2026-05-12")
    assert month_first.issues[["row", "reason"]].values.tolist() == [[2, "bad_date"]]
    assert month_first.issues["message"][0].startswith("日期无法识别 '26/12/05' 不是有效日期：本文件按月/日读")
    assert month_first.issues["message"][0].endswith("(expected a date for 预计完成 ETA; left blank)")


def test_conflicting_day_orders_are_reported_not_guessed(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("PO,Due date\nA,25/12/2026\nB,12/25/2026\n", encoding="utf-8")
    got = extract_table(path, ORDERS)
    assert got.day_month.own is None and got.frame["due_date"].isna().all()
    assert got.issues[["row", "reason"]].values.tolist() == [[2, "ambiguous_date"], [3, "ambiguous_date"]]
    day_first = got.in_order(True)
    assert day_first.frame["due_date"].isna().tolist() == [False, True]
    assert day_first.issues[["row", "reason"]].values.tolist() == [[3, "bad_date"]]


def test_blank_rows_numbers_and_notes_in_csv(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("\n\nPO,Qty,Remarks\n\n1,5,ok\n,,\n2,7,\n,12,\nNote: prices in USD,,\n", encoding="utf-8")
    got = extract_table(path, ORDERS)
    assert got.header_row == 3 and got.sheet == "orders"
    assert got.frame[["po_no", "qty", "_row"]].values.tolist() == [["1", 5.0, 5], ["2", 7.0, 7]]
    assert got.issues[["row", "reason"]].values.tolist() == [[8, "skipped_total"], [9, "skipped_note"]]


def test_rows_without_a_key_column_still_skip_labelled_totals(tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_text("Name,Country\nAcme,CN\n合计,2\n", encoding="utf-8")
    got = extract_table(path, SUPPLIERS, key="code")
    assert got.frame["name"].tolist() == ["Acme"]
    assert got.issues["reason"].tolist() == ["skipped_total"]


def test_header_only_file_gives_an_empty_frame(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("PO,Qty,Due date\n", encoding="utf-8")
    got = extract_table(path, ORDERS)
    assert got.frame.empty and list(got.frame.columns) == ["po_no", "qty", "due_date", "_row", "_sheet"]
    assert str(got.frame["due_date"].dtype) == "datetime64[ns]" and got.issues.empty


@pytest.mark.parametrize("name, code", [
    ("corrupt.xlsx", ErrorCode.BAD_WORKBOOK),
    ("truncated.xlsx", ErrorCode.BAD_WORKBOOK),
    ("encrypted.xlsx", ErrorCode.ENCRYPTED),
    ("empty.csv", ErrorCode.EMPTY_FILE),
    ("blank.csv", ErrorCode.EMPTY_FILE),
    ("no_header.csv", ErrorCode.HEADER_NOT_FOUND),
])
def test_bad_files_raise_gendan_error_naming_the_file(name, code):
    with pytest.raises(GendanError) as err:
        extract_table(DATA / name, ORDERS)
    assert err.value.code is code and err.value.file == name


def test_no_header_lists_what_was_seen_and_expected():
    with pytest.raises(GendanError) as err:
        extract_table(DATA / "no_header.csv", ORDERS)
    assert "['a', 'b', 'c']" in str(err.value) and "PO号 PO No." in str(err.value)


def test_missing_file_too_large_and_unsupported(tmp_path):
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "web.xls").write_text("<html><table><tr><td>PO</td></tr></table></html>")
    (tmp_path / "bin.csv").write_bytes(b"PO,Qty\x00\x01\x02")
    for path, kwargs, code, named in [
        (tmp_path / "nope.xlsx", {}, ErrorCode.FILE_NOT_FOUND, "nope.xlsx"),
        (DATA / "multi_sheet.xlsx", {"max_bytes": 1000}, ErrorCode.TOO_LARGE, "the 0.000954 MB limit"),
        (tmp_path / "x.pdf", {}, ErrorCode.WRONG_FILE_TYPE, "type .pdf"),
        (tmp_path / "web.xls", {}, ErrorCode.BAD_WORKBOOK, "web.xls"),
        (tmp_path / "bin.csv", {}, ErrorCode.BAD_TEXT, "bin.csv"),
    ]:
        with pytest.raises(GendanError) as err:
            read_sheets(path, **kwargs)
        assert err.value.code is code and named in str(err.value), (path, err.value)


def test_read_sheets_keeps_true_row_numbers_and_merges():
    sheet, = read_sheets(DATA / "factory_progress.xlsx")
    assert sheet.rows[0][0] == "华美制衣有限公司 生产进度表" and sheet.rows[2] == [""] * 8
    assert sheet.rows[3][0] == "PO号" and sheet.row_number(3) == 4
    assert (3, 3, 3, 4) in sheet.merged and (5, 0, 6, 0) in sheet.merged
    xls, = read_sheets(DATA / "factory_progress.xls") if (DATA / "factory_progress.xls").exists() else [sheet]
    assert set(xls.merged) == set(sheet.merged)
    assert [s.name for s in read_sheets(DATA / "multi_sheet.xlsx")] == ["Readme", "Orders", "Summary"]


def test_read_csv_encodings_delimiters_and_line_endings():
    euro, = read_sheets(DATA / "european.csv")
    assert euro.name == "european" and euro.rows[0][0] == "PO"  # BOM gone, ';' found, CR line ends
    assert euro.rows[1][2] == "Cotton shirt\rtwo lines"
    assert euro.line_numbers == [1, 2, 4, 5, 6]
    gbk, = read_sheets(DATA / "supplier_gbk.csv")
    assert gbk.rows[4][2] == "红色" and gbk.line_numbers is None and gbk.row_number(4) == 5
    tab, = read_sheets(DATA / "tab_export.xls")
    assert tab.rows == [["PO No.", "Style", "Qty", "Delivery Date"], ["4500099001", "A-1", "1200", "2026-12-05"]]


REMARKS = {"gb18030": ("面料延迟，预计下周出货", "颜色需确认"),
           "big5": ("布料延遲，預計下週出貨", "顏色需確認"),
           "shift_jis": ("生地の入荷が遅れています", "色の確認をお願いします"),
           "euc_kr": ("원단 입고가 지연되고 있습니다", "색상 확인 부탁드립니다"),
           "cp1252": ("Müller: tissu en retard déjà signalé", "naïve façade du garçon")}


@pytest.mark.parametrize("encoding", REMARKS)
def test_a_csv_in_a_legacy_encoding_reads_as_written(tmp_path, encoding):
    """English headers, remarks in the supplier's script: Big5, Shift_JIS and EUC-KR were read as GBK
    (garbled remarks written and logged); each now reads back exactly."""
    path = tmp_path / f"status_{encoding}.csv"
    rows = [f"PO-26000{k},1,2026/12/0{k + 4},{text}" for k, text in enumerate(REMARKS[encoding], start=1)]
    path.write_bytes(("PO,Line,ETA,Remarks\n" + "\n".join(rows) + "\n").encode(encoding))
    got = extract_table(path, ORDERS, reference_date=date(2026, 11, 26)).frame
    assert got["remarks"].tolist() == list(REMARKS[encoding])


def test_a_csv_no_encoding_reads_plausibly_stops_with_a_clear_message(tmp_path):
    path = tmp_path / "garbled.csv"
    noise = bytes(range(0x80, 0x100)) * 40
    path.write_bytes(b"PO,Line,Remarks\nPO-1,1," + noise + b"\n")
    with pytest.raises(GendanError) as err:
        extract_table(path, ORDERS, reference_date=date(2026, 11, 26))
    assert err.value.code is ErrorCode.BAD_TEXT and err.value.file and "garbled.csv" in str(err.value.file) and "CSV UTF-8" in str(err.value)


def test_formulas_without_a_saved_value_are_issue_rows_never_silent_blanks(tmp_path):
    """A file written by a tool that does not calculate (openpyxl here): each formula cell read is an
    issue naming its row, column and formula; the same formula with a saved value is just its value."""
    import datetime as dt
    import zipfile

    import openpyxl
    from gendan_xl.model.issues import Reason
    path = tmp_path / "progress.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["PO", "Line", "ETA", "Produced", "Calc"])
    ws.append(["PO-260001", 1, "=DATE(2026,12,20)", 100, "=1+1"])
    ws.append(["PO-260002", 1, dt.datetime(2026, 12, 21), "=50*2", None])
    wb.save(path)
    got = extract_table(path, ORDERS, reference_date=date(2026, 11, 26))
    found = [(i.row, i.column, i.value) for i in got.issue_list() if i.reason is Reason.FORMULA_WITHOUT_VALUE]
    assert found == [(2, "ETA", "=DATE(2026,12,20)"), (3, "Produced", "=50*2")]   # Calc is not read
    assert pd.isna(got.frame["eta"].iloc[0]) and pd.isna(got.frame["produced_qty"].iloc[1])
    cached = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(cached, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<f>50\*2</f>(<v></v>|<v\s*/>)?", b"<f>50*2</f><v>100</v>", data)
            zout.writestr(info, data)
    got = extract_table(cached, ORDERS, reference_date=date(2026, 11, 26))
    assert [i.value for i in got.issue_list() if i.reason is Reason.FORMULA_WITHOUT_VALUE] == ["=DATE(2026,12,20)"]
    assert got.frame["produced_qty"].iloc[1] == 100


def test_find_header_row_skips_a_title_block_and_reads_a_group_row():
    rows = [["Weekly report", "", ""], [], ["", "Qty", ""], ["PO", "Order", "Shipped"], ["A1", "5", "3"]]
    header = find_header_row(rows, ORDERS)
    assert header.index == 3
    assert header.fields == {"po_no": 0, "qty": 1, "shipped_qty": 2}
    assert header.mapping == {"po_no": "PO", "qty": "Order Qty", "shipped_qty": "Shipped"}


def test_find_header_row_needs_two_fields_within_max_scan():
    rows = [[f"title {i}"] for i in range(5)] + [["PO", "Qty"]]
    assert find_header_row(rows, ORDERS).index == 5
    with pytest.raises(GendanError, match="first 3 rows") as err:
        find_header_row(rows, ORDERS, max_scan=3, file="f.xlsx", sheet="S")
    assert err.value.code is ErrorCode.HEADER_NOT_FOUND and err.value.file == "f.xlsx" and err.value.sheet == "S"


def test_scms_keeps_every_row(scms_path):
    got = extract_table(scms_path, ORDERS, mapping=SCMS_MAP)
    frame = got.frame
    assert len(frame) == 10_324
    assert frame["_row"].tolist() == list(range(2, 10_326))
    assert frame["qty"].equals(frame["shipped_qty"]) and frame["qty"].notna().all()
    assert frame["due_date"].notna().all() and frame["ship_date"].notna().all()
    assert frame["due_date"].min() == pd.Timestamp("2006-05-02") and frame["due_date"].max().year == 2015
    assert frame.loc[0, ["po_no", "line", "supplier"]].tolist() == ["SCMS-4", "1", "RANBAXY Fine Chemicals LTD."]
    assert frame.loc[0, "due_date"] == pd.Timestamp("2006-06-02")
    assert frame["supplier"].nunique() == 73
    assert got.issues[got.issues["column"].isin(SCMS_MAP.values())].empty  # the mapped columns are clean
    assert got.mapping["unit_price"] == "Unit Price"  # auto-matched beside the user mapping
    assert "Managed By" in got.extra_columns


def test_scms_markers_are_counted(scms_path):
    mapping = {**SCMS_MAP, "order_date": "PO Sent to Vendor Date", "cost_price": "Freight Cost (USD)"}
    got = extract_table(scms_path, ORDERS, mapping=mapping)
    assert len(got.frame) == 10_324
    counts = got.issues.groupby(["column", "reason"]).size().to_dict()
    assert counts[("PO Sent to Vendor Date", "date_marker")] == 328 + 5404  # Date Not Captured + N/A - From RDC
    assert counts[("Freight Cost (USD)", "bad_number")] == 4126  # text where a cost should be
    values = got.issues.loc[got.issues["reason"] == "date_marker", "value"].value_counts().to_dict()
    assert values == {"N/A - From RDC": 5404, "Date Not Captured": 328}
    freight = got.issues.loc[got.issues["column"] == "Freight Cost (USD)", "value"]
    assert (freight == "Freight Included in Commodity Cost").sum() == 1442
    assert (freight == "Invoiced Separately").sum() == 239
    assert freight.str.startswith("See ").sum() == 2445  # back-references such as See DN-304 (ID#:10589)
    assert got.frame["cost_price"].notna().sum() == 10_324 - 4126
    assert got.frame["order_date"].notna().sum() == 10_324 - 5404 - 328


def _synthetic_csv(path: Path, rows: int) -> Path:
    lines = ["PO No.,Line,Style,Qty,Shipped Qty,Delivery Date,ETA,Factory Remarks"]
    lines += [f'PO-{i // 3:06d},{i % 3 + 1},ST-{i % 97},"{(i * 7919) % 99_999 + 1:,}",{i % 500},'
              f"{2020 + i % 7}-{i % 12 + 1:02d}-{i % 28 + 1:02d},{'TBD' if i % 10 == 0 else f'{i % 28 + 1}-Mar-26'},"
              f"note {i % 50}" for i in range(rows)]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def synthetic_csv(path: Path, rows: int) -> Path:
    """A long, plain export (also used by benchmarks/bench_import.py)."""
    return _synthetic_csv(path, rows)


def test_long_file_keeps_every_row(tmp_path):
    rows = 20_000
    got = extract_table(_synthetic_csv(tmp_path / "long.csv", rows), ORDERS)
    assert len(got.frame) == rows and (got.issues["reason"] == "date_marker").sum() == rows // 10


def test_merged_text_and_dates_fill_down_but_numbers_do_not(tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["PO", "Colour", "Qty", "Due date"])
    ws.append(["P1", "Red", 100, date(2026, 12, 5)])
    ws.append([None, "Blue", None, None])
    for span in ("A2:A3", "C2:C3", "D2:D3"):
        ws.merge_cells(span)
    wb.save(tmp_path / "m.xlsx")
    frame = extract_table(tmp_path / "m.xlsx", ORDERS).frame
    assert frame["po_no"].tolist() == ["P1", "P1"]
    assert frame["due_date"].tolist() == [pd.Timestamp("2026-12-05")] * 2
    assert frame["qty"].tolist()[0] == 100 and np.isnan(frame["qty"].tolist()[1])


def test_dates_outside_the_frame_range_are_reported(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("PO,Due date\nA,2300-01-01\nB,1600-01-01\nC,2026-01-01\n", encoding="utf-8")
    got = extract_table(path, ORDERS)
    assert got.frame["due_date"].notna().tolist() == [False, False, True]
    assert got.issues["reason"].tolist() == ["bad_date", "bad_date"]


def _sheet_of_two_tables(path: Path) -> Path:
    """A supplier sheet: its progress table, then its shipments under their own (fuller) header."""
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "进度"
    for row in (["生产进度 Progress"], ["PO号", "行号", "已完成数量", "预计完成"],
                ["PO-1", 1, 500, date(2026, 12, 15)], ["PO-1", 2, 300, date(2026, 12, 18)], [],
                ["PO号", "行号", "出货数量", "出货日期", "说明"],
                ["PO-1", 2, 777, "下周", "partial"], ["PO-2", 1, 50, date(2026, 11, 20), None]):
        ws.append(row)
    ws.merge_cells("A3:A4")   # the first table's PO merged over its lines: filled down within that table only
    wb.save(path)
    return path


def test_a_second_header_row_starts_a_table_read_with_its_own_header(tmp_path):
    """Before: the first table was taken for a title block (the second header matches more fields) and
    dropped; a second header below a first was read as a data row, and the rows under it by the first
    header's columns (出货数量 777 as 已完成数量, 出货日期 as 预计完成)."""
    got = extract_table(_sheet_of_two_tables(tmp_path / "two.xlsx"), ORDERS, reference_date=REF)
    assert render(got.frame) == [
        ["po_no", "line", "eta", "produced_qty", "ship_date", "shipped_qty", "supplier_remarks", "_row", "_sheet"],
        ["PO-1", "1", "2026-12-15", "500", "", "", "", "3", "进度"],
        ["PO-1", "2", "2026-12-18", "300", "", "", "", "4", "进度"],
        ["PO-1", "2", "", "", "", "777", "partial", "7", "进度"],
        ["PO-2", "1", "", "", "2026-11-20", "50", "", "8", "进度"]]
    # the Import Issues rows are the sheet's own rows, the columns the second table's headers
    assert got.issues[["row", "column", "value", "reason"]].values.tolist() == [[7, "出货日期", "下周", "bad_date"]]
    assert got.table_rows == (2, 6) and got.header_row == 6
    assert got.mapping == {"po_no": "PO号", "line": "行号", "ship_date": "出货日期", "shipped_qty": "出货数量",
                           "supplier_remarks": "说明"}


def test_a_title_block_and_a_group_row_above_a_header_are_no_table(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("生产进度表 PO号 款号,,\n,数量,\nPO号,订单,出货\nPO-1,100,50\n", encoding="utf-8")
    got = extract_table(path, ORDERS)
    assert got.table_rows == (3,) and got.frame["_row"].tolist() == [4]
    assert got.mapping == {"po_no": "PO号", "qty": "订单数量", "shipped_qty": "出货数量"}
