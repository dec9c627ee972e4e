"""Excel Table (ListObject) parts: locate them, read their range and columns, resize them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cells import make_range, parse_range
from .package import REL_TABLE, Package, SheetRef, attrs

_TABLE_RE = re.compile(r"<table\b([^>]*)>")
_COLUMN_RE = re.compile(r"<tableColumn\b([^>]*?)(?:/>|>)")


@dataclass
class TablePart:
    """One table: its name, sheet, part path and the cell range it covers."""

    name: str
    sheet: SheetRef
    part: str
    ref: str
    columns: list[str]

    @property
    def bounds(self) -> tuple[int, int, int, int]:
        return parse_range(self.ref)


def find_tables(package: Package) -> dict[str, TablePart]:
    """All tables of the workbook by name (case-insensitive keys are lower-cased names)."""
    found: dict[str, TablePart] = {}
    for sheet in package.sheets:
        for rel in package.relationships(sheet.part):
            if rel.get("Type") != REL_TABLE:
                continue
            xml = package.get(rel["part"]).decode("utf-8")
            head = attrs(_TABLE_RE.search(xml).group(1).encode())
            columns = [attrs(m.group(1).encode())["name"] for m in _COLUMN_RE.finditer(xml)]
            found[head["name"].lower()] = TablePart(head["name"], sheet, rel["part"], head["ref"], columns)
    return found


def resize_table(package: Package, table: TablePart, last_row: int) -> str | None:
    """Grow the table (and its autoFilter) down to ``last_row``; return the old ref if it changed."""
    c1, r1, c2, r2 = table.bounds
    if last_row <= r2:
        return None
    old = table.ref
    new = make_range(c1, r1, c2, last_row)
    xml = package.get(table.part).decode("utf-8")
    xml = xml.replace(f'ref="{old}"', f'ref="{new}"')
    package.put(table.part, xml.encode("utf-8"))
    table.ref = new
    return old


def add_table_columns(package: Package, table: TablePart, names: list[str]) -> list[int]:
    """Widen the table by new columns at its right end; returns their sheet column indices."""
    c1, r1, c2, r2 = table.bounds
    xml = package.get(table.part).decode("utf-8")
    ids = [int(i) for i in re.findall(r'<tableColumn\b[^>]*?\bid="(\d+)"', xml)]
    new_cols = "".join(f'<tableColumn id="{max(ids, default=0) + k + 1}" name="{_attr(name)}"/>'
                       for k, name in enumerate(names))
    xml = re.sub(r'<tableColumns count="\d+"', f'<tableColumns count="{len(table.columns) + len(names)}"', xml)
    xml = xml.replace("</tableColumns>", new_cols + "</tableColumns>")
    new_ref = make_range(c1, r1, c2 + len(names), r2)
    xml = xml.replace(f'ref="{table.ref}"', f'ref="{new_ref}"')
    package.put(table.part, xml.encode("utf-8"))
    table.ref = new_ref
    table.columns = table.columns + list(names)
    return list(range(c2 + 1, c2 + 1 + len(names)))


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
