"""Excel Table (ListObject) parts: locate them, read their range and columns, resize them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from .cells import make_range, parse_range
from .package import REL_TABLE, Package, SheetRef
from .xml_part import NS_MAIN, XmlPart, q


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


def _columns(xml: XmlPart) -> ET.Element:
    return xml.root.find(q(NS_MAIN, "tableColumns"))


def find_tables(package: Package) -> dict[str, TablePart]:
    """All tables of the workbook by name (case-insensitive keys are lower-cased names)."""
    found: dict[str, TablePart] = {}
    for sheet in package.sheets:
        for rel in package.relationships(sheet.part):
            if rel.get("Type") != REL_TABLE:
                continue
            table = package.xml(rel["part"]).root
            columns = [c.get("name", "") for c in table.iter(q(NS_MAIN, "tableColumn"))]
            name = table.get("name") or table.get("displayName", "")
            found[name.lower()] = TablePart(name, sheet, rel["part"], table.get("ref", ""), columns)
    return found


def _set_ref(xml: XmlPart, old: str, new: str) -> None:
    """The table's ref and its autoFilter's (when it covered the same range)."""
    xml.root.set("ref", new)
    auto_filter = xml.root.find(q(NS_MAIN, "autoFilter"))
    if auto_filter is not None and auto_filter.get("ref") == old:
        auto_filter.set("ref", new)


def resize_table(package: Package, table: TablePart, last_row: int) -> str | None:
    """Grow the table (and its autoFilter) down to ``last_row``; return the old ref if it changed."""
    c1, r1, c2, r2 = table.bounds
    if last_row <= r2:
        return None
    old = table.ref
    new = make_range(c1, r1, c2, last_row)
    xml = package.xml(table.part)
    _set_ref(xml, old, new)
    package.put_xml(table.part, xml)
    table.ref = new
    return old


def add_table_columns(package: Package, table: TablePart, names: list[str]) -> list[int]:
    """Widen the table by new columns at its right end; returns their sheet column indices."""
    c1, r1, c2, r2 = table.bounds
    xml = package.xml(table.part)
    columns = _columns(xml)
    next_id = max((int(c.get("id", 0)) for c in columns), default=0) + 1
    for k, name in enumerate(names):
        ET.SubElement(columns, q(NS_MAIN, "tableColumn"), id=str(next_id + k), name=name)
    columns.set("count", str(len(columns)))
    new_ref = make_range(c1, r1, c2 + len(names), r2)
    _set_ref(xml, table.ref, new_ref)
    package.put_xml(table.part, xml)
    table.ref = new_ref
    table.columns = table.columns + list(names)
    return list(range(c2 + 1, c2 + 1 + len(names)))
