"""gendan export: a table as CSV with English field names, for scripts and checks."""

from __future__ import annotations

from .. import schema
from ..errors import GendanError
from .common import open_workbook


def export_table(target, table: str, out) -> dict:
    """Write a table as CSV (flag as its code, dates ISO, whole numbers without ``.0``)."""
    if table not in schema.TABLES:
        raise GendanError("未知表格 unknown table", value=table, expected="one of " + ", ".join(schema.TABLES))
    wb = open_workbook(target)
    frame = wb.read(schema.TABLES[table]).frame.copy()
    if "flag" in frame.columns:
        frame["flag"] = frame["flag"].map(schema.flag_code)
    for name in schema.TABLES[table].of_kind(schema.DATE):
        frame[name] = frame[name].dt.strftime("%Y-%m-%d")
    for name in schema.TABLES[table].of_kind(schema.INT):
        frame[name] = frame[name].astype("Int64")
    frame.index.name = "excel_row"
    frame.to_csv(out, encoding="utf-8")
    return {"table": table, "rows": len(frame), "out": str(out)}
