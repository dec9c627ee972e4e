"""Test support: a gendan table of a written workbook read back by openpyxl, row by row; Settings
typed into a master as a user types them."""

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


def set_settings(path, values: dict) -> None:
    """The Settings rows of the master at ``path`` named in ``values`` set to them (as a user types them)."""
    wb = openpyxl.load_workbook(path)
    for row in wb[schema.SETTINGS.sheet].iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    wb.save(path)
