"""Create an empty master workbook: its data sheets (``schema.TABLES``) as real Excel Tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo

from gendan_xl.model import schema
from gendan_xl.rules.chase import DEFAULT_TEMPLATES
from gendan_xl.model.date_order import DateOrder
from gendan_xl.model.flags import Flag, Owner
from gendan_xl.model.samples import SampleKind, SampleStatus
from gendan_xl.model.shipments import ShipMode, ShipmentStatus
from gendan_xl.model.statuses import Allocation
from gendan_xl.shipments.containers import container_rows
from gendan_xl.ta.milestones import seed_templates
from gendan_xl.sheets.cells import plain_value
from gendan_xl.ooxml.files import write_atomically
from gendan_xl.outputs.openpyxl_styles import apply, print_setup
from gendan_xl.sheets.styles import FLAG_COLORS
from gendan_xl.sheets.table_layout import field_format, table_widths

GENERATED_PLACEHOLDERS = {
    "周报 Weekly Report": "运行 gendan refresh 生成周报 — run `gendan refresh` to build the weekly report",
}


def write_new_master(path: Path, calendar_rows: pd.DataFrame, settings_rows: pd.DataFrame,
                     suppliers: pd.DataFrame | None = None, orders: pd.DataFrame | None = None) -> None:
    """Write a new master workbook at ``path`` (atomically), optionally with seed rows."""
    wb = Workbook()
    wb.remove(wb.active)
    _table_sheet(wb, schema.ORDERS, orders, freeze="C2")
    placeholder = wb.create_sheet("周报 Weekly Report")
    placeholder["A1"] = GENERATED_PLACEHOLDERS["周报 Weekly Report"]
    apply(placeholder["A1"], "title")
    _table_sheet(wb, schema.SUPPLIERS, suppliers)
    _table_sheet(wb, schema.CALENDAR, calendar_rows)
    _table_sheet(wb, schema.SETTINGS, settings_rows)
    _table_sheet(wb, schema.CHANGE_LOG, None)
    _table_sheet(wb, schema.IMPORT_ISSUES, None)
    _table_sheet(wb, schema.PROFILES, None)
    _table_sheet(wb, schema.CHASE_TEMPLATES, pd.DataFrame(DEFAULT_TEMPLATES, columns=schema.CHASE_TEMPLATES.names))
    _table_sheet(wb, schema.TA_TEMPLATES, seed_templates())
    _table_sheet(wb, schema.MILESTONES, None)
    _table_sheet(wb, schema.CUSTOMERS, None)
    _table_sheet(wb, schema.QUOTATIONS, None)
    _table_sheet(wb, schema.FX_RATES, None)
    _table_sheet(wb, schema.SAMPLES, None)
    _table_sheet(wb, schema.SHIPMENTS, None)
    _table_sheet(wb, schema.SHIPMENT_LINES, None)
    _table_sheet(wb, schema.CONTAINERS, container_rows())
    for (cell,) in wb[schema.CHASE_TEMPLATES.sheet].iter_rows(min_row=2, min_col=2, max_col=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    _orders_rules(wb[schema.ORDERS.sheet], orders)
    _validations(wb)
    wb.calculation.fullCalcOnLoad = True
    write_atomically(path, wb.save)


def _table_sheet(wb: Workbook, spec: schema.Table, rows: pd.DataFrame | None, freeze: str = "A2") -> None:
    ws = wb.create_sheet(spec.sheet)
    n = 0 if rows is None else len(rows)
    widths = table_widths(spec, rows if n else pd.DataFrame())
    for col, f in enumerate(spec.fields, start=1):
        cell = ws.cell(row=1, column=col, value=f.header)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        dimension = ws.column_dimensions[get_column_letter(col)]
        dimension.width = widths[f.name]
        dimension.bestFit = True   # fitted by gendan, not set by hand: a refresh may refit it (table_layout)
    print_setup(ws, spec.sheet, 1)
    data = (rows.reindex(columns=spec.names).astype(object).itertuples(index=False) if n
            else [[None] * len(spec.fields)])
    formats = [field_format(f) for f in spec.fields]
    for r, record in enumerate(data, start=2):
        for col, (value, fmt) in enumerate(zip(record, formats), start=1):
            cell = ws.cell(row=r, column=col, value=plain_value(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text, even "=..." (no formula injection)
            if fmt:
                cell.number_format = fmt
    ws.row_dimensions[1].height = 30
    ref = f"A1:{get_column_letter(len(spec.fields))}{1 + max(n, 1)}"
    table = Table(displayName=spec.name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = freeze


def _orders_rules(ws, orders: pd.DataFrame | None) -> None:
    """Colour each order row by its flag (conditional formatting on the table's data range)."""
    spec = schema.ORDERS
    flag_col = get_column_letter(spec.names.index("flag") + 1)
    last = get_column_letter(len(spec.fields))
    rows = 1 + max(0 if orders is None else len(orders), 1)
    target = f"A2:{last}{rows}"
    for code, rgb in FLAG_COLORS.items():
        if code == Flag.ON_TRACK:
            continue
        formula = f'LEFT(${flag_col}2,{len(code) + 1})="{code} "'
        ws.conditional_formatting.add(target, FormulaRule(formula=[formula], fill=PatternFill(
            start_color=rgb[2:], end_color=rgb[2:], fill_type="solid"), stopIfTrue=True))


def _validations(wb: Workbook) -> None:
    """Drop-down lists where a fixed vocabulary helps (status, currency, country, date order, calendar
    kind, a customer's tier and allocation, a sample's kind and status, a shipment's status and mode)."""
    def add(spec: schema.Table, name: str, choices: tuple[str, ...], rows: int) -> None:
        ws = wb[spec.sheet]
        col = get_column_letter(spec.names.index(name) + 1)
        dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                            showErrorMessage=False)
        dv.promptTitle = spec.field(name).header
        dv.add(f"{col}2:{col}{rows}")
        ws.add_data_validation(dv)

    add(schema.ORDERS, "status", schema.STATUSES, 1048576)
    add(schema.ORDERS, "currency", schema.CURRENCIES, 1048576)
    add(schema.SUPPLIERS, "country", schema.COUNTRIES, 1048576)
    add(schema.SUPPLIERS, "date_order", tuple(order.label for order in DateOrder), 1048576)
    add(schema.CALENDAR, "kind", (schema.HOLIDAY, schema.MAKEUP_WORKDAY), 1048576)
    owners = tuple(owner.label for owner in Owner)
    add(schema.TA_TEMPLATES, "owner", owners, 1048576)
    add(schema.TA_TEMPLATES, "critical", (schema.YES, schema.NO), 1048576)
    add(schema.MILESTONES, "owner", owners, 1048576)
    add(schema.CUSTOMERS, "tier", schema.TIERS, 1048576)
    add(schema.CUSTOMERS, "currency", schema.CURRENCIES, 1048576)
    add(schema.CUSTOMERS, "allocation", tuple(a.label for a in Allocation), 1048576)
    add(schema.QUOTATIONS, "currency", schema.CURRENCIES, 1048576)
    add(schema.FX_RATES, "currency", schema.CURRENCIES, 1048576)
    kinds = tuple(kind.label for kind in SampleKind)
    add(schema.TA_TEMPLATES, "sample_kind", kinds, 1048576)
    add(schema.SAMPLES, "kind", kinds, 1048576)
    add(schema.SAMPLES, "status", tuple(status.label for status in SampleStatus), 1048576)
    add(schema.SAMPLES, "charge_currency", schema.CURRENCIES, 1048576)
    add(schema.SHIPMENTS, "status", tuple(status.label for status in ShipmentStatus), 1048576)
    add(schema.SHIPMENTS, "mode", tuple(mode.label for mode in ShipMode), 1048576)

