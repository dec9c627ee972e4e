"""A small T&A master for the milestone tests, and reading and editing its tables as a user would.

Two suppliers (Huamei in CN, Viet Tex in VN), one open line due 2027-03-05 and one shipped line, and a
CN makeup Saturday (2027-02-20) the user typed into the Calendar sheet. Workbooks are read and edited
with openpyxl."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd

from gendan_xl import actions
from gendan_xl.model import schema

DUE = dt.date(2027, 3, 5)
ETA = dt.date(2027, 2, 26)


def ta_master(folder, *, due=DUE, eta=ETA, supplier_template=None):
    """The master in ``folder``: Huamei's PO-1 due ``due`` with ``eta``, Viet Tex's PO-2 shipped."""
    suppliers = pd.DataFrame([{"code": "HM", "name": "Huamei", "country": "CN", "ta_template": supplier_template},
                              {"code": "VT", "name": "Viet Tex", "country": "VN"}])
    orders = pd.DataFrame([
        {"po_no": "PO-1", "line": 1, "supplier": "Huamei", "qty": 1000, "due_date": pd.Timestamp(due),
         "eta": pd.Timestamp(eta), "status": "OPEN 进行中"},
        {"po_no": "PO-2", "line": 1, "supplier": "Viet Tex", "qty": 500, "due_date": pd.Timestamp("2026-10-01"),
         "ship_date": pd.Timestamp("2026-09-30"), "shipped_qty": 500},
    ])
    path = folder / "master.xlsx"
    actions.new_master(path, suppliers=suppliers, orders=orders)
    wb = openpyxl.load_workbook(path)
    ws = wb[schema.CALENDAR.sheet]
    ws.append(["CN", dt.datetime(2027, 2, 20), schema.MAKEUP_WORKDAY, "调休上班 typed by the user", "user"])
    table = ws.tables[schema.CALENDAR.name]
    table.ref = table.autoFilter.ref = f"A1:E{ws.max_row}"
    wb.save(path)
    return path


def rows_of(path, spec) -> list[dict]:
    """The non-blank rows of a table's sheet as values (formulas' cached results), by field name."""
    ws = openpyxl.load_workbook(path, data_only=True)[spec.sheet]
    rows = list(ws.iter_rows(values_only=True))
    names = [schema.match_header(spec, h) for h in rows[0]]
    return [dict(zip(names, r)) for r in rows[1:] if any(v is not None for v in r)]


def day_of(value):
    """A cell's date (openpyxl gives a datetime at midnight) as a ``datetime.date``."""
    return value.date() if isinstance(value, dt.datetime) else value


def edit(path, sheet, match, values):
    """Set cells (by field) of the rows of ``sheet`` whose fields equal ``match``, as a user in Excel would."""
    spec = {s.sheet: s for s in schema.TABLES.values()}[sheet]
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    cols = {schema.match_header(spec, c.value): c.column for c in ws[1]}
    for row in ws.iter_rows(min_row=2):
        if all(row[cols[k] - 1].value == v for k, v in match.items()):
            for k, v in values.items():
                row[cols[k] - 1].value = v
    wb.save(path)
