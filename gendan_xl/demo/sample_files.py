"""The demo's supplier progress files: three messy layouts as suppliers really send them.

* 华美 (CN): Chinese xlsx, a title block, the PO merged over its lines, Chinese dates, a 合计 row.
* Saigon Garment (VN): English xlsx, a cover sheet first, ``po 260012``-style POs, ``1,200 pcs``,
  dates as ``5-Dec-26`` text or Excel dates, ``TBD``, a Total row.
* Dhaka Knitwear (BD): csv (UTF-8 with BOM), full-width digits, a duplicated row, a Grand Total.
Each also carries what real files carry: an unknown PO or a row whose style contradicts its PO +
line (``key_mismatch``, never applied), an unreadable date, a quantity that disagrees with ours (a
conflict), and remarks that look like formulas (must stay text).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def write_supplier_files(folder: Path, orders: pd.DataFrame, as_of: dt.date, seed: int) -> list[Path]:
    """Write the three supplier files for the open lines of their suppliers; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed + 1)
    return [
        _huamei(folder / "华美服饰_生产进度表.xlsx", _progress(orders, "Huamei", as_of, rng), as_of),
        _saigon(folder / "Saigon_Garment_WIP_report.xlsx", _progress(orders, "Saigon", as_of, rng)),
        _dhaka(folder / "dhaka_knitwear_status.csv", _progress(orders, "Dhaka", as_of, rng)),
    ]


def _progress(orders: pd.DataFrame, supplier: str, as_of: dt.date, rng) -> pd.DataFrame:
    """The supplier's open lines with this week's news: ETA moves, output, some shipments."""
    lines = orders[orders["supplier"].str.contains(supplier) & orders["ship_date"].isna()].copy()
    moves = rng.choice([0, 0, 0, 2, 5, 9, -2], len(lines))
    lines["eta"] = lines["eta"] + pd.to_timedelta(moves, unit="D")
    lines["produced_qty"] = np.minimum(lines["qty"], lines["produced_qty"] + lines["qty"] * 0.2).round(-1)
    ship = (lines["eta"] <= pd.Timestamp(as_of)) & (rng.random(len(lines)) < 0.6)
    lines.loc[ship, "ship_date"] = lines.loc[ship, "eta"]
    lines.loc[ship, "shipped_qty"] = lines.loc[ship, "qty"]
    lines.loc[ship, "produced_qty"] = lines.loc[ship, "qty"]
    lines["remarks"] = np.where(moves > 0, "面料延迟 fabric late", "")
    return lines.reset_index(drop=True)


def _huamei(path: Path, lines: pd.DataFrame, as_of: dt.date) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "进度表"
    ws["A1"] = "宁波华美服饰有限公司 生产进度表"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:I1")
    ws["A2"] = f"日期：{as_of.year}年{as_of.month}月{as_of.day}日"
    headers = ["订单号", "款号", "颜色", "数量", "已完成数量", "预计完工", "出货日期", "出货数量", "工厂备注"]
    ws.append([])
    ws.append(headers)
    row = 5
    for po, group in lines.groupby("po_no", sort=False):
        first = row
        for rec in group.itertuples():
            eta = f"{rec.eta.year}年{rec.eta.month}月{rec.eta.day}日" if rec.Index % 3 else f"{rec.eta.month}月{rec.eta.day}日"
            eta = "下周" if rec.Index == 1 else eta                       # "next week": not a date
            qty = int(rec.qty) + (500 if rec.Index == 0 else 0)          # their quantity disagrees with ours
            ship = rec.ship_date.strftime("%Y/%m/%d") if pd.notna(rec.ship_date) else ""
            ws.append([po, rec.style, rec.color, qty, int(rec.produced_qty), eta, ship,
                       int(rec.shipped_qty) if pd.notna(rec.shipped_qty) else None, rec.remarks])
            row += 1
        if row - first > 1:
            ws.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
            ws.cell(first, 1).alignment = Alignment(vertical="center")
    ws.append(["PO-999999", "GM0000", "Black 黑", 100, 50, "2026年12月30日", None, None, "新单 new order"])
    ws.append([None, None, None, int(lines["qty"].sum()), int(lines["produced_qty"].sum()), None, None, None,
               None])
    ws.cell(ws.max_row, 1, "合计")
    wb.save(path)
    return path


def _saigon(path: Path, lines: pd.DataFrame) -> Path:
    wb = Workbook()
    cover = wb.active
    cover.title = "Cover"
    cover["A1"] = "Saigon Garment JSC — weekly WIP report"
    cover["A3"] = "Please see sheet 'Progress'. Contact: an@saigongarment.example"
    ws = wb.create_sheet("Progress")
    ws["A1"] = "WIP REPORT"
    ws.append([])
    ws.append(["PO#", "Item", "Style No", "Colour", "Order Qty", "Produced", "ETA", "Ship Date", "Shipped Qty",
               "Comments"])
    for i, rec in enumerate(lines.itertuples()):
        po = rec.po_no.replace("PO-", "po ") if i % 2 else rec.po_no
        eta = "TBD" if i % 7 == 3 else (rec.eta.strftime("%-d-%b-%y") if i % 2 else rec.eta.to_pydatetime())
        ship = rec.ship_date.to_pydatetime() if pd.notna(rec.ship_date) else None
        shipped = f"{int(rec.shipped_qty):,} pcs" if pd.notna(rec.shipped_qty) else None
        ws.append([po, rec.line, rec.style, rec.color, f"{int(rec.qty):,} pcs", f"{int(rec.produced_qty):,}",
                   eta, ship, shipped, "fabric delayed" if rec.remarks else ""])
        if isinstance(eta, dt.datetime):
            ws.cell(ws.max_row, 7).number_format = "dd-mmm-yy"
        if ship is not None:
            ws.cell(ws.max_row, 8).number_format = "dd-mmm-yy"
    ws.append(["PO-26A01", 1, "VG1234", "Navy", "300 pcs", "0", "31-Dec-26", None, None, "not in your list?"])
    ws.append(["Total", None, None, None, f"{int(lines['qty'].sum()):,} pcs", None, None, None, None, None])
    wb.save(path)
    return path


def _dhaka(path: Path, lines: pd.DataFrame) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Dhaka Knitwear Ltd - order status"])
        out.writerow(["PO Number", "Line", "Style", "Qty", "Completed Qty", "Estimated Date", "Shipped Date",
                      "Shipped", "Remarks"])
        for i, rec in enumerate(lines.itertuples()):
            qty = f"{int(rec.qty):,}"
            produced = str(int(rec.produced_qty)).translate(_FULL_WIDTH) if i % 4 == 1 else f"{int(rec.produced_qty):,}"
            ship = rec.ship_date.strftime("%Y/%m/%d") if pd.notna(rec.ship_date) else ""
            shipped = f"{int(rec.shipped_qty):,}" if pd.notna(rec.shipped_qty) else ""
            remark = "knitting delayed" if rec.remarks else ""
            row = [rec.po_no, rec.line, rec.style, qty, produced, rec.eta.strftime("%Y/%m/%d"), ship, shipped, remark]
            out.writerow(row)
            if i == 1:
                out.writerow(row)   # sent twice by mistake
        out.writerow(["PO-260077", 1, "BK0000", "1,000", "0", "31/13/2026", "", "", "date typo"])
        out.writerow(["Grand Total", "", "", f"{int(lines['qty'].sum()):,}", "", "", "", "", ""])
    return path


def write_statements(folder: Path, orders: pd.DataFrame) -> list[dict]:
    """A supplier statement (华美, Chinese xlsx) and a customer statement (English csv) for the month
    with most shipments, each with a handful of realistic differences; returns how to reconcile them."""
    folder.mkdir(parents=True, exist_ok=True)
    shipped = orders[orders["ship_date"].notna()]
    made = []
    huamei = shipped[shipped["supplier"].str.contains("Huamei")]
    if len(huamei):
        period = huamei["ship_date"].dt.strftime("%Y-%m").value_counts().idxmax()
        lines = huamei[huamei["ship_date"].dt.strftime("%Y-%m") == period]
        path = folder / f"华美服饰_对账单_{period}.xlsx"
        _supplier_statement(path, lines, period)
        made.append({"statement": str(path), "party": "华美", "period": period, "side": "supplier"})
    if len(shipped):
        customer = shipped["customer"].value_counts().idxmax()
        mine = shipped[shipped["customer"] == customer]
        period = mine["ship_date"].dt.strftime("%Y-%m").value_counts().idxmax()
        lines = mine[mine["ship_date"].dt.strftime("%Y-%m") == period]
        path = folder / f"statement_{customer.split()[0].lower()}_{period}.csv"
        _customer_statement(path, lines)
        made.append({"statement": str(path), "party": customer, "period": period, "side": "customer"})
    return made


def _statement_rows(lines: pd.DataFrame, price: str) -> list[dict]:
    rows = []
    for n, rec in enumerate(lines.itertuples(), start=1):
        qty = rec.shipped_qty if pd.notna(rec.shipped_qty) else rec.qty
        value = getattr(rec, price)
        rows.append({"dn": f"DN{rec.ship_date:%y%m}{n:03d}", "po": rec.po_no, "line": rec.line, "style": rec.style,
                     "color": rec.color, "date": rec.ship_date, "qty": float(qty), "price": value,
                     "amount": round(float(qty) * value, 2)})
    return rows


def _plant(rows: list[dict]) -> list[dict]:
    """What statements really contain: a price, a quantity, a missing and an extra line, a duplicate,
    a PO written their way, and cents of rounding."""
    rows = [dict(r) for r in rows]
    edits = len(rows)
    if edits > 0:
        rows[0]["price"] = round(rows[0]["price"] * 1.05, 2)
        rows[0]["amount"] = round(rows[0]["qty"] * rows[0]["price"], 2)
    if edits > 1:
        rows[1]["qty"] -= 100
        rows[1]["amount"] = round(rows[1]["qty"] * rows[1]["price"], 2)
    if edits > 2:
        rows[2]["po"] = rows[2]["po"].replace("PO-", "po ")
    if edits > 3:
        rows[3]["amount"] = round(rows[3]["amount"] + 0.004, 3)
    if edits > 5:
        rows.append(dict(rows[4]))          # the same delivery billed twice
        del rows[5]                          # a delivery they forgot
    rows.append({"dn": "DN-EXTRA", "po": "PO-269999", "line": 1, "style": "XX0001", "color": "Black 黑",
                 "date": rows[0]["date"], "qty": 200.0, "price": 3.5, "amount": 700.0})
    return rows


def _supplier_statement(path: Path, lines: pd.DataFrame, period: str) -> None:
    rows = _plant(_statement_rows(lines, "cost_price"))
    wb = Workbook()
    ws = wb.active
    ws.title = "对账单"
    ws["A1"] = f"宁波华美服饰有限公司 对账单 {period}"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:H1")
    ws["A2"] = "客户：本公司 · 币种：USD"
    ws.append([])
    ws.append(["送货单号", "订单号", "款号", "颜色", "送货日期", "数量", "单价", "金额"])
    for r in rows:
        ws.append([r["dn"], r["po"], r["style"], r["color"], r["date"].to_pydatetime(), r["qty"], r["price"],
                   r["amount"]])
        ws.cell(ws.max_row, 5).number_format = "yyyy-mm-dd"
    ws.append(["合计", None, None, None, None, sum(r["qty"] for r in rows), None, sum(r["amount"] for r in rows)])
    ws.append(["制表：王丽", None, None, None, "审核：", None, None, None])
    wb.save(path)


def _customer_statement(path: Path, lines: pd.DataFrame) -> None:
    rows = _plant(_statement_rows(lines, "unit_price"))[:-1]   # a customer adds no lines of its own
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["PO No.", "Line", "Style", "Colour", "Ship Date", "Qty", "Unit Price", "Amount", "Currency"])
        for r in rows:
            out.writerow([r["po"], r["line"], r["style"], r["color"], f"{r['date']:%d-%b-%y}", f"{r['qty']:,.0f}",
                          r["price"], f"{r['amount']:,.2f}", "USD"])
        out.writerow(["TOTAL", "", "", "", "", "", "", f"{sum(r['amount'] for r in rows):,.2f}", ""])
