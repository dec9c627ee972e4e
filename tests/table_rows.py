"""Test support: a gendan table of a written workbook read back by openpyxl, row by row."""

from __future__ import annotations

import openpyxl

from gendan_xl.model import schema


def table_rows(path, spec: schema.Table) -> list[dict]:
    """The table's non-blank rows by field name (a header that names no field stays as it is)."""
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = wb[spec.sheet].iter_rows(values_only=True)
    names = {f.header: f.name for f in spec.fields}
    headers = [names.get(h, h) for h in next(rows)]
    found = [dict(zip(headers, row)) for row in rows if any(v is not None for v in row)]
    wb.close()
    return found
