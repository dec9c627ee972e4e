"""gendan ship on real masters: the four documents re-read by openpyxl and python-calamine with
hand-computed totals and the amount in words, nothing internal in any part of them or of their PDFs,
printed without overlaps; a failing check writes nothing and exits 1 unless --despite-checks; bad
input is a clear error; refresh --json carries a flagged shipment's checks."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from conftest import AS_OF
from gendan_xl import actions
from gendan_xl.cli import main
from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.outputs.handout_file import CREATOR
from gendan_xl.outputs.shipment_files import CUSTOMS_DATA, DOCUMENTS, INVOICE, PACKING_LIST, SHIPPING_ADVICE
from ooxml import assert_valid
from package_text import part_texts
from printed import OVERLAPS, REPO, check_sheet, pdf_words, shown_whole
from table_rows import set_settings, table_rows

COMPANY = {"company_name": "Ningbo Sunrise Textiles Import & Export Co., Ltd. 宁波旭日纺织品进出口有限公司",
           "company_address": "No. 88 Zhongshan Road, Ningbo 315000, China", "company_phone": "+86 574 8765 4321",
           "company_email": "sales@sunrise.example"}
ORDERS_CSV = (
    "po_no,line,customer,style,description,color,supplier,qty,unit,unit_price,cost_price,currency,due_date,"
    "produced_qty,remarks,supplier_remarks\n"
    "PO1,1,ACME,ST-1,Wool coat 羊毛大衣,Navy,SUPPLIER-MARKER,1000,PCS,2.5,1.7531,USD,2026-12-20,1000,REMARK-MARKER,"
    "SUPREMARK-MARKER\n"
    "PO1,2,ACME,ST-2,Scarf,,SUPPLIER-MARKER,500,PCS,3,1.8642,USD,2026-12-20,500,,\n"
    "PO2,1,Acme GmbH,ST-3,Throw,,SUPPLIER-MARKER,300,PCS,10.01,4.9753,,2026-12-20,300,,\n")
CUSTOMERS_CSV = (
    "name,legal_name,aliases,country,currency,incoterm,port,consignee,shipping_marks,contact,email,remarks,forwarder,"
    "payment_terms\n"
    'ACME,ACME Trading GmbH,Acme GmbH,DE,USD,CIF,Hamburg,"ACME Logistics, Hamburg","ACME / HAMBURG / C/NO. 1-UP",'
    "CONTACT-MARKER,marker@customer.example,CUSTREMARK-MARKER,FORWARDER-MARKER,T/T 30 days\n")
SHIPS_CSV = (
    "shipment_no,customer,forwarder,booking_no,mode,vessel_voyage,pol,pod,incoterm,cargo_ready,cy_cutoff,si_cutoff,"
    "etd,eta_pod,bl_no,containers,freight,insurance,invoice_no,status\n"
    "SH-1,ACME,FWD-MARKER,BKG-MARKER,SEA,MAERSK ESSEN 512W,Ningbo,Hamburg,CIF,2026-12-01,2026-12-09,2026-12-08,"
    "2026-12-10,2027-01-15,0012345,1x20GP,500,30,INV-2026-001,BOOKED\n")
LINES_CSV = (
    "shipment_no,po_no,line,qty,cartons,carton_from,carton_to,nw_kg,gw_kg,cbm,hs_code,origin,unit_price\n"
    "SH-1,PO1,1,400,40,1,40,300,330,2.5,6110200000,CN,\n"
    "SH-1,PO1,2,200,20,41,60,100.5,110.25,1.2,6117.10.00.00,CN,4.125\n"
    "SH-1,PO2,1,25,5,61,65,10,12,0.3,6301200000,CN,\n")
WORDS = "SAY US DOLLARS TWO THOUSAND AND SEVENTY-FIVE AND CENTS TWENTY-FIVE ONLY"
MARKERS = ["SUPPLIER-MARKER", "REMARK-MARKER", "SUPREMARK-MARKER", "CONTACT-MARKER", "marker@customer",
           "CUSTREMARK-MARKER", "FORWARDER-MARKER", "FWD-MARKER", "BKG-MARKER", "1.7531", "1.8642", "4.9753",
           "T/T 30 days"]


def make_master(folder: Path, lines: str = LINES_CSV, ships: str = SHIPS_CSV) -> Path:
    master = folder / "master.xlsx"
    actions.new_master(master)
    (folder / "orders.csv").write_text(ORDERS_CSV, encoding="utf-8")
    actions.load_orders(master, folder / "orders.csv", as_of=AS_OF)
    for name, text, spec in (("c.csv", CUSTOMERS_CSV, schema.CUSTOMERS), ("s.csv", ships, schema.SHIPMENTS),
                             ("l.csv", lines, schema.SHIPMENT_LINES)):
        (folder / name).write_text(text, encoding="utf-8")
        assert actions.load_table(master, folder / name, spec, as_of=AS_OF).issues == 0
    set_settings(master, COMPANY)
    return master


def _rows(path: Path) -> list[list]:
    return [list(r) for r in openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True)]


def _calamine(path: Path) -> list[list]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(book.sheet_names[0]).to_python()


def _after(rows: list[list], first: str) -> list[list]:
    at = next(n for n, r in enumerate(rows) if r[0] == first)
    return rows[at:]


def test_the_documents_read_back_with_hand_computed_totals_and_the_master_is_only_read(tmp_path):
    master = make_master(tmp_path)
    before = master.read_bytes()
    out = actions.ship(master, "sh-1", out=tmp_path / "docs", as_of=AS_OF)
    assert master.read_bytes() == before and out.written and all(c["ok"] for c in out.checks)
    assert [Path(f).name for f in out.files] == [f"{d.zh}_INV-2026-001.xlsx" for d in DOCUMENTS]
    invoice, packing, advice, customs = (Path(f) for f in out.files)
    for path, document in zip((invoice, packing, advice, customs), DOCUMENTS):
        assert openpyxl.load_workbook(path).sheetnames == [document.sheet]
        assert_valid(path)
    rows = _rows(invoice)
    assert rows[0][0] == COMPANY["company_name"] and any(r[0] == INVOICE.sheet for r in rows)
    texts = [r[0] for r in rows if isinstance(r[0], str)]
    for fact in ("发票号 Invoice No.: INV-2026-001", "日期 Date: 2026-11-26", "买方 Buyer: ACME Trading GmbH",
                 "收货人 Consignee: ACME Logistics, Hamburg", "通知人 Notify party: SAME AS CONSIGNEE",
                 "贸易术语 Incoterm: CIF Hamburg", "币种 Currency: USD"):
        assert fact in texts
    table = _after(rows, schema.ORDERS.header("po_no"))
    assert table[1] == ["PO1", "1", "ACME / HAMBURG / C/NO. 1-UP", "ST-1", "Wool coat 羊毛大衣 · Navy", "6110200000", "CN",
                        400, "PCS", 2.5, 1000]
    assert [r[9:11] for r in table[2:4]] == [[4.125, 825], [10.01, 250.25]]
    assert table[4][0] == "合计 Total" and table[4][7] == 625 and table[4][10] == 2075.25
    assert [table[5][0], table[5][10], table[6][0], table[6][10]] == ["其中运费 of which freight", 500,
                                                                      "其中保险费 of which insurance", 30]
    assert f"大写金额 Amount in words: {WORDS}" in texts
    cal = _after(_calamine(invoice), schema.ORDERS.header("po_no"))
    assert cal[4][10] == 2075.25 and cal[1][5] == "6110200000"
    packed = _after(_rows(packing), schema.ORDERS.header("po_no"))
    assert [r[4:10] for r in packed[1:4]] == [["1–40", 40, 400, 300, 330, 2.5], ["41–60", 20, 200, 100.5, 110.25, 1.2],
                                              ["61–65", 5, 25, 10, 12, 0.3]]
    assert packed[4][0] == "合计 Total" and packed[4][5:10] == [65, 625, 410.5, 452.25, 4]
    assert _after(_calamine(packing), "合计 Total")[0][5:10] == [65, 625, 410.5, 452.25, 4]
    items = dict(r[:2] for r in _after(_rows(advice), "项目 Item")[1:])
    assert items == {"发票号 Invoice No.": "INV-2026-001", "PO号 PO No.": "PO1, PO2",
                     "船名航次 Vessel / voyage": "MAERSK ESSEN 512W", "提单号 B/L No.": "0012345",
                     "预计开船 ETD": "2026-12-10", "预计到港 ETA POD": "2027-01-15", "起运港 POL": "Ningbo",
                     "目的港 POD": "Hamburg", "集装箱 Containers": "1x20GP", "箱数 Cartons": "65",
                     "毛重(kg) GW (kg)": "452.25", "体积(m³) CBM": "4.000"}
    declared = _rows(customs)
    facts = [r[0] for r in declared if isinstance(r[0], str)]
    for fact in ("境外收货人 Overseas consignee: ACME Logistics, Hamburg", "运输方式 Mode of transport: 海运 Sea",
                 "提运单号 B/L No.: 0012345", "运抵国 Country of destination: DE", "件数 Packages: 65",
                 "毛重(千克) Gross weight (kg): 452.25", "净重(千克) Net weight (kg): 410.50", "成交方式 Incoterm: CIF",
                 "运费 Freight: USD 500.00", "保费 Insurance: USD 30.00", "标记唛码 Marks: ACME / HAMBURG / C/NO. 1-UP"):
        assert fact in facts
    lines = _after(declared, "项号 Item")
    assert lines[2] == [2, "6117100000", "Scarf", "200 PCS", 4.125, 825, "USD", "CN"]
    assert lines[4][0] == "合计 Total" and lines[4][5] == 2075.25
    again = actions.ship(master, "SH-1", out=tmp_path / "again", as_of=AS_OF)   # the same file again
    for first, second in zip(out.files, again.files):
        with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
            assert {n: a.read(n) for n in a.namelist()} == {n: b.read(n) for n in b.namelist()}


def test_nothing_internal_in_any_part_of_the_documents_or_their_pdfs(tmp_path):
    master = make_master(tmp_path)
    xlsx = actions.ship(master, "SH-1", out=tmp_path / "x", as_of=AS_OF).files
    pdfs = actions.ship(master, "SH-1", out=tmp_path / "p", pdf=True, as_of=AS_OF).files
    assert [Path(p).suffix for p in pdfs] == [".pdf"] * 4
    for path in xlsx:
        parts = part_texts(Path(path))
        assert "INV-2026-001" in parts["xl/worksheets/sheet1.xml"]
        for name, body in parts.items():
            for marker in MARKERS:
                assert marker not in body, f"{marker!r} in {name} of {path}"
        core = parts["docProps/core.xml"]
        assert f"\n{CREATOR}\n" in core and f"{AS_OF}T00:00:00Z" in core
        assert not any(name.startswith(("customXml", "docProps/custom")) for name in parts)
    for path in pdfs:
        text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True).stdout
        assert "INV-2026-001" in text
        for marker in MARKERS:
            assert marker not in text, f"{marker!r} in {path}"
        for word in ("供应商", "Supplier", "采购", "Cost", "备注", "Remarks", "利润", "margin"):
            assert word not in text, word
    invoice_text = subprocess.run(["pdftotext", "-layout", pdfs[0], "-"], capture_output=True, text=True).stdout
    assert "2,075.25" in invoice_text and "TWENTY-FIVE" in invoice_text


def test_every_document_prints_without_overlaps_on_many_lines(tmp_path):
    orders = "".join(f"PO{n // 5 + 10},{n % 5 + 1},ACME,ST-{n}-AW2026-LONGLINE-WOOL-BLEND,Longline wool-blend overcoat "
                     f"with detachable hood 女款羊毛混纺长款连帽大衣 {n},Navy,SUPPLIER-MARKER,1000,PCS,{2 + n / 100},1.5,"
                     "USD,2026-12-20,1000,,\n" for n in range(60))
    (tmp_path / "more.csv").write_text(ORDERS_CSV.split("\n", 1)[0] + "\n" + orders, encoding="utf-8")
    lines = "".join(f"SH-1,PO{n // 5 + 10},{n % 5 + 1},100,10,{n * 10 + 1},{n * 10 + 10},50,55.5,0.25,6110200000,"
                    "CN,\n" for n in range(60))
    master = make_master(tmp_path, LINES_CSV.split("\n", 1)[0] + "\n" + lines)
    actions.load_orders(master, tmp_path / "more.csv", as_of=AS_OF)
    out = actions.ship(master, "SH-1", out=tmp_path / "docs", as_of=AS_OF)
    assert out.written and out.lines == 60
    for path, document in zip(out.files, DOCUMENTS):
        pages = check_sheet(Path(path), document.sheet, tmp_path)
        if document in (INVOICE, PACKING_LIST):
            assert len(pages) >= 2 and shown_whole(f"Page 2 of {len(pages)}", pages)
    pdf = actions.ship(master, "SH-1", out=tmp_path / "pdf", pdf=True, as_of=AS_OF).files[0]
    proc = subprocess.run([sys.executable, str(OVERLAPS), pdf], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0 and proc.stdout.startswith("0 overlapping"), proc.stdout
    assert shown_whole("SAY US DOLLARS", pdf_words(Path(pdf)))


def test_a_failing_check_writes_nothing_and_exits_1_unless_despite_checks(tmp_path, capsys):
    bad = LINES_CSV.replace("300,330,2.5,6110200000", "300,290,2.5,61102000")     # GW < NW, an 8-digit HS code
    master = make_master(tmp_path, bad)
    out = tmp_path / "docs"
    assert main(["ship", str(master), "SH-1", "--out", str(out), "--as-of", "2026-11-26", "--json"]) == 1
    answer = json.loads(capsys.readouterr().out)
    assert answer["ok"] is False and answer["files"] == [] and answer["written"] is False and not out.exists()
    assert [c["code"] for c in answer["checks"] if not c["ok"]] == ["WEIGHTS", "HS_ORIGIN"]
    assert {k for c in answer["checks"] for k in c} == {"code", "ok", "message"} and len(answer["checks"]) == 9
    assert main(["ship", str(master), "SH-1", "--out", str(out), "--as-of", "2026-11-26"]) == 1
    text = capsys.readouterr().out
    assert "✗ WEIGHTS: SH-1: 重量 GW at least NW, NW above 0: PO1 / 1: 毛重 GW 290 小于净重 below NW 300" in text
    assert "未写出单证 no document written" in text and not out.exists()
    assert main(["ship", str(master), "SH-1", "--out", str(out), "--despite-checks", "--as-of", "2026-11-26",
                 "--json"]) == 0
    captured = capsys.readouterr()
    answer = json.loads(captured.out)
    assert answer["ok"] is True and answer["written"] is True and len(answer["files"]) == 4
    assert "documents written despite failing checks (they carry no mark of it): WEIGHTS, HS_ORIGIN" in captured.err
    assert answer["notes"] and all(Path(f).is_file() for f in answer["files"])
    for path in answer["files"]:
        body = "\n".join(part_texts(Path(path)).values())
        assert "despite" not in body and "WEIGHTS" not in body and "检查" not in body


@pytest.mark.parametrize("ships, lines, number, code, message", [
    (SHIPS_CSV, LINES_CSV, "SH-9", ErrorCode.UNKNOWN_SHIPMENT, "找不到出运编号 no shipment has this number"),
    (SHIPS_CSV.replace("BOOKED", "SHIPPED?"), LINES_CSV, "SH-1", ErrorCode.INVALID_SHIPMENT,
     "the shipment has bad input: 未知状态 unknown status"),
    (SHIPS_CSV, LINES_CSV.replace("SH-1,PO2,1", "SH-1,PO7,1"), "SH-1", ErrorCode.INVALID_SHIPMENT,
     "出运明细第 4 行有误 Shipment Lines row 4: 订单中没有此 PO we have no order with this PO No."),
    (SHIPS_CSV.replace("BOOKED", "CANCELLED"), LINES_CSV, "SH-1", ErrorCode.INVALID_SHIPMENT,
     "出运已作废 the shipment is cancelled"),
    (SHIPS_CSV, LINES_CSV.split("\n", 1)[0] + "\n", "SH-1", ErrorCode.INVALID_SHIPMENT, "the shipment has no lines"),
])
def test_bad_input_is_a_clear_error_and_writes_nothing(tmp_path, ships, lines, number, code, message):
    master = make_master(tmp_path, lines, ships)
    with pytest.raises(GendanError, match=message) as caught:
        actions.ship(master, number, out=tmp_path / "docs", as_of=AS_OF)
    assert caught.value.code is code and not (tmp_path / "docs").exists()
    if code is ErrorCode.UNKNOWN_SHIPMENT:
        assert caught.value.expected == "one of SH-1"


def test_refresh_json_carries_a_flagged_shipments_checks(tmp_path, capsys):
    bad = LINES_CSV.replace("6110200000,CN", "6110200000,")                       # no origin
    master = make_master(tmp_path, bad, SHIPS_CSV.replace("2026-12-08", "2026-11-30"))   # SI cut-off in 2 WD
    assert main(["refresh", str(master), "--as-of", "2026-11-26", "--json"]) == 0
    [flagged] = json.loads(capsys.readouterr().out)["shipments"]["flagged"]
    assert flagged["shipment_no"] == "SH-1" and flagged["state"] == "FLAGGED 需处理"
    assert flagged["why"].startswith("截补料 2026-11-30 临近，单证检查未通过 document checks failing with the SI cut-off "
                                     "2026-11-30 near: HS_ORIGIN: 商业发票 invoice PO1 / 1: 没有原产国 no origin")
    assert [c["code"] for c in flagged["checks"] if not c["ok"]] == ["HS_ORIGIN"] and len(flagged["checks"]) == 9
    [ship] = [r for r in _table(master, schema.SHIPMENTS)]
    assert ship["why"] == flagged["why"]


def _table(master: Path, spec: schema.Table) -> list[dict]:
    return table_rows(master, spec)


def test_the_advice_and_customs_data_name_their_documents():
    assert (SHIPPING_ADVICE.sheet, CUSTOMS_DATA.sheet) == ("出运通知 Shipping Advice", "报关资料 Customs Data")
