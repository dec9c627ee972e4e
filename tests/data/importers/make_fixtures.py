"""Write the importer test fixtures and, beside each, the rows and issues a correct import gives.

Run from anywhere: ``python tests/data/importers/make_fixtures.py``. The expected files are written
from the literal tables below, never from the importer. Needs openpyxl; the .xls/.ods copies need
LibreOffice (``soffice``) and the encrypted workbook needs msoffcrypto-tool, else they are skipped.
"""

from __future__ import annotations

import csv
import random
import shutil
import subprocess
import tempfile
from datetime import date, datetime
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
SERIAL_2026_12_05 = (date(2026, 12, 5) - date(1899, 12, 30)).days

# factory_progress.xlsx: a Chinese factory report. Title block, two-row merged header, a PO merged over
# two lines, dates as date cells / serials / Chinese text / pending markers, numbers with units and
# full-width digits, a formula-looking remark, a blank row, a row without PO, a total and two notes.
FACTORY_ROWS = [  # Excel rows 6.. (A..H); None = empty cell
    ["PO-2026-001", "HM-101", "Navy", 1200, 0, date(2026, 12, 5), "2026年12月3日", "=SUM(A1)"],
    [None, "HM-101", "Black", "1,200 pcs", "-", SERIAL_2026_12_05, "12月8日", "+加急 rush"],
    [None] * 8,
    ["PO-2026-002", "HM-205", "红色", "１５００", "1,500", "2026/12/15", "TBD", "@王经理 确认"],
    ["PO-2026-003", "HM-300", "White", "约800", None, "下周", "2026.12.20", "-"],
    [None, "HM-301", "Grey", 300, None, "2026-12-30", None, "PO待补"],
    ["合计", None, None, 3800, 1500, None, None, None],
    [None] * 8,
    ["备注：以上交期为工厂预计，以实际出货为准", None, None, None, None, None, None, None],
    ["制表：张三", None, None, None, "审核：李四", None, None, None],
]
FACTORY_EXPECTED = [
    ["po_no", "style", "color", "qty", "due_date", "eta", "shipped_qty", "supplier_remarks", "_row", "_sheet"],
    ["PO-2026-001", "HM-101", "Navy", "1200", "2026-12-05", "2026-12-03", "0", "=SUM(A1)", "6", "生产进度"],
    ["PO-2026-001", "HM-101", "Black", "1200", "2026-12-05", "2026-12-08", "", "+加急 rush", "7", "生产进度"],
    ["PO-2026-002", "HM-205", "红色", "1500", "2026-12-15", "", "1500", "@王经理 确认", "9", "生产进度"],
    ["PO-2026-003", "HM-300", "White", "", "", "2026-12-20", "", "-", "10", "生产进度"],
    ["", "HM-301", "Grey", "300", "2026-12-30", "", "", "PO待补", "11", "生产进度"],
]
FACTORY_ISSUES = [
    ["row", "column", "value", "reason"],
    ["7", "出货数量", "-", "number_marker"],
    ["9", "预计完工", "TBD", "date_marker"],
    ["10", "订单数量", "约800", "bad_number"],
    ["10", "交期", "下周", "bad_date"],
    ["11", "PO号", "", "blank_key"],
    ["12", "", "合计 | 3800 | 1500", "skipped_total"],
    ["14", "", "备注：以上交期为工厂预计，以实际出货为准", "skipped_note"],
    ["15", "", "制表：张三 | 审核：李四", "skipped_note"],
]

# The same workbook saved as .ods by LibreOffice: calamine reports no merged ranges for .ods, so the PO
# merged over rows 6-7 is not filled down (a known limitation) and row 7 has no key.
FACTORY_ODS_EXPECTED = [row if row[-2] != "7" else [""] + row[1:] for row in FACTORY_EXPECTED]
FACTORY_ODS_ISSUES = FACTORY_ISSUES[:1] + [["7", "PO号", "", "blank_key"]] + FACTORY_ISSUES[1:]

# multi_sheet.xlsx: a readme first, a summary that half-matches, the real orders on the second sheet.
ORDERS_HEADER = ["PO No.", "Line", "Style", "Order Qty", "Produced", "Shipped Qty", "ETA", "Ship Date",
                 "Comments", "Our Ref", "Quantity"]
ORDERS_ROWS = [
    [4500012345, 1, "ST-01", 1000, 800, 0, date(2026, 12, 1), None, "on schedule", "X1", 1000],
    ["4500012345", 2, "ST-02", "2,000", "1,500", "1,500", "Dec 5, 2026", "5-Dec-26", "partial", "X2", 2000],
    ["PO#4500012346", 1, "ST-03", 500.0, None, None, "Date Not Captured", None, None, "X3", 500],
    ["Grand Total", None, None, 3500, 2300, 1500, None, None, None, None, 3500],
]
ORDERS_EXPECTED = [
    ["po_no", "line", "style", "qty", "eta", "produced_qty", "ship_date", "shipped_qty", "supplier_remarks",
     "_row", "_sheet"],
    ["4500012345", "1", "ST-01", "1000", "2026-12-01", "800", "", "0", "on schedule", "2", "Orders"],
    ["4500012345", "2", "ST-02", "2000", "2026-12-05", "1500", "2026-12-05", "1500", "partial", "3", "Orders"],
    ["PO#4500012346", "1", "ST-03", "500", "", "", "", "", "", "4", "Orders"],
]
ORDERS_ISSUES = [
    ["row", "column", "value", "reason"],
    ["1", "Quantity", "Quantity", "duplicate_column"],
    ["4", "ETA", "Date Not Captured", "date_marker"],
    ["5", "", "Grand Total | 3500 | 2300 | 1500 | 3500", "skipped_total"],
]

# supplier_gbk.csv: GBK, CRLF, two title lines, thousands separators, currencies, day-first dates
# (25/12/2026 shows it), a pending ETA and a total line.
GBK_LINES = [
    "Supplier: 华美制衣 Huamei Garments,,,,,,,,,",
    "Report date: 2026-11-20,,,,,,,,,",
    "PO Number,Style,Colour,Order Qty,Shipped,Unit Price,Currency,Delivery Date,Estimated Date,Factory Remarks",
    'PO-7001,HM-101,Navy,"1,200","1,000",$3.50,USD,05/12/2026,03/12/2026,准时',
    'PO-7002,HM-102,红色,"12,500",0,￥21.00,CNY,25/12/2026,TBD,面料延迟',
    'PO-7003,HM-103,Black,"2,000 pcs",,USD 4.25,USD,15/01/2027,,',
    'Total,,,"15,700","1,000",,,,,',
]
GBK_EXPECTED = [
    ["po_no", "style", "color", "qty", "unit_price", "currency", "due_date", "eta", "shipped_qty",
     "supplier_remarks", "_row", "_sheet"],
    ["PO-7001", "HM-101", "Navy", "1200", "3.5", "USD", "2026-12-05", "2026-12-03", "1000", "准时", "4",
     "supplier_gbk"],
    ["PO-7002", "HM-102", "红色", "12500", "21", "CNY", "2026-12-25", "", "0", "面料延迟", "5", "supplier_gbk"],
    ["PO-7003", "HM-103", "Black", "2000", "4.25", "USD", "2027-01-15", "", "", "", "6", "supplier_gbk"],
]
GBK_ISSUES = [
    ["row", "column", "value", "reason"],
    ["5", "Estimated Date", "TBD", "date_marker"],
    ["7", "", "Total | 15,700 | 1,000", "skipped_total"],
]

# european.csv: UTF-8 BOM, ';', CR line endings, a quoted description over two lines, decimal commas
# (so 1.200 is twelve hundred), dotted day-first dates and an all-blank record.
EURO_TEXT = ("PO;Item;Description;Quantity;Price;Delivery date;Shipped date\r"
             'E-100;10;"Cotton shirt\rtwo lines";1.200;1.200,50;05.12.2026;\r'
             "E-101;20;Wool coat;2.500;99,90;10.01.2027;08.01.2027\r"
             ";;;;;;\r"
             "E-102;30;Scarf;1 000;12,5;2026-12-31;N/A\r")
EURO_EXPECTED = [  # "Item" may be a row counter, so it is not read as the line (issue 8)
    ["po_no", "description", "qty", "unit_price", "due_date", "ship_date", "_row", "_sheet"],
    ["E-100", "Cotton shirt\rtwo lines", "1200", "1200.5", "2026-12-05", "", "2", "european"],
    ["E-101", "Wool coat", "2500", "99.9", "2027-01-10", "2027-01-08", "4", "european"],
    ["E-102", "Scarf", "1000", "12.5", "2026-12-31", "", "6", "european"],
]
EURO_ISSUES = [
    ["row", "column", "value", "reason"],
    ["6", "Shipped date", "N/A", "date_marker"],
]

# tab_export.xls: what web ERPs call an Excel export: UTF-16 tab-separated text with an .xls name.
TAB_TEXT = "PO No.\tStyle\tQty\tDelivery Date\r\n4500099001\tA-1\t1200\t2026-12-05\r\n"
TAB_EXPECTED = [
    ["po_no", "style", "qty", "due_date", "_row", "_sheet"],
    ["4500099001", "A-1", "1200", "2026-12-05", "2", "tab_export"],
]


def write_factory(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "生产进度"
    ws["A1"] = "华美制衣有限公司 生产进度表"
    ws.merge_cells("A1:H1")
    ws["A2"] = "报表日期：2026年11月20日"
    ws.merge_cells("A2:D2")
    ws["F2"] = "单位：件"
    for cell, text in {"A4": "PO号", "B4": "款号", "C4": "颜色", "D4": "数量", "F4": "日期", "H4": "说明",
                       "D5": "订单", "E5": "出货", "F5": "交期", "G5": "预计完工"}.items():
        ws[cell] = text
    for span in ("A4:A5", "B4:B5", "C4:C5", "D4:E4", "F4:G4", "H4:H5", "A6:A7", "A14:H14"):
        ws.merge_cells(span)
    for r, row in enumerate(FACTORY_ROWS, start=6):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(r, c, value)
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, not a formula
    wb.save(path)


def write_multi_sheet(path: Path) -> None:
    wb = openpyxl.Workbook()
    readme = wb.active
    readme.title = "Readme"
    for line in ("How to fill in this report", "One row per PO line", "Dates: yyyy-mm-dd",
                 "Contact: merch@example.com"):
        readme.append([line])
    orders = wb.create_sheet("Orders")
    orders.append(ORDERS_HEADER)
    for row in ORDERS_ROWS:
        orders.append(row)
        for cell in orders[orders.max_row]:
            if isinstance(cell.value, (date, datetime)):
                cell.number_format = "yyyy-mm-dd"
    summary = wb.create_sheet("Summary")
    summary.append(["Supplier", "Qty"])
    summary.append(["Acme", 3500])
    wb.save(path)


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


def convert_with_libreoffice(source: Path, suffix: str) -> Path | None:
    """``source`` converted by LibreOffice to ``suffix`` beside it, or None without LibreOffice."""
    soffice = shutil.which("soffice")
    if not soffice:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--convert-to", suffix.lstrip("."), "--outdir", tmp, str(source)],
                       check=True, capture_output=True, timeout=180)
        target = source.with_suffix(suffix)
        shutil.move(Path(tmp) / target.name, target)
    return target


def write_encrypted(source: Path, target: Path) -> bool:
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        return False
    with source.open("rb") as src, target.open("wb") as out:
        OOXMLFile(src).encrypt("secret", out)
    return True


def main() -> None:
    factory = HERE / "factory_progress.xlsx"
    write_factory(factory)
    expected = {factory: (FACTORY_EXPECTED, FACTORY_ISSUES)}
    for suffix, rows, issues in ((".xls", FACTORY_EXPECTED, FACTORY_ISSUES),
                                 (".ods", FACTORY_ODS_EXPECTED, FACTORY_ODS_ISSUES)):
        converted = convert_with_libreoffice(factory, suffix)
        if converted:
            expected[converted] = (rows, issues)
        else:
            print(f"soffice not found: {factory.stem}{suffix} not written")
    multi = HERE / "multi_sheet.xlsx"
    write_multi_sheet(multi)
    expected[multi] = (ORDERS_EXPECTED, ORDERS_ISSUES)

    gbk = HERE / "supplier_gbk.csv"
    gbk.write_bytes("\r\n".join(GBK_LINES).encode("gbk") + b"\r\n")
    expected[gbk] = (GBK_EXPECTED, GBK_ISSUES)
    euro = HERE / "european.csv"
    euro.write_bytes(EURO_TEXT.encode("utf-8-sig"))
    expected[euro] = (EURO_EXPECTED, EURO_ISSUES)
    tab = HERE / "tab_export.xls"
    tab.write_bytes(TAB_TEXT.encode("utf-16"))
    expected[tab] = (TAB_EXPECTED, [["row", "column", "value", "reason"]])
    for path, (rows, issues) in expected.items():
        write_csv(path.with_name(path.name + ".expected.csv"), rows)
        write_csv(path.with_name(path.name + ".issues.csv"), issues)

    (HERE / "empty.csv").write_bytes(b"")
    (HERE / "blank.csv").write_bytes(b"\xef\xbb\xbf\r\n  \r\n")
    (HERE / "no_header.csv").write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    (HERE / "corrupt.xlsx").write_bytes(random.Random(7).randbytes(3000))
    data = factory.read_bytes()
    (HERE / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    if not write_encrypted(factory, HERE / "encrypted.xlsx"):
        print("msoffcrypto-tool not installed: encrypted.xlsx not written")


if __name__ == "__main__":
    main()
