"""Excel Table (ListObject) parts: locate them, read their range and columns, resize them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from xml.sax.saxutils import escape

from gendan_xl.sheets.cells import cell_xml, col_letter, make_range, parse_range
from gendan_xl.ooxml.package import REL_TABLE, Package, SheetRef
from gendan_xl.sheets.sheet_render import PAGE_OF, page_header
from gendan_xl.ooxml.xml_part import NS_MAIN, NS_REL, XmlPart, q

CT_TABLE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"


@dataclass
class TablePart:
    """One table: its name, sheet, part path, the cell range it covers and its total rows (Excel's
    Table Design → Total Row: the last row of the range, never a line)."""

    name: str
    sheet: SheetRef
    part: str
    ref: str
    columns: list[str]
    totals: int = 0

    @property
    def bounds(self) -> tuple[int, int, int, int]:
        return parse_range(self.ref)

    @property
    def data_last(self) -> int:
        """The last data row (above the total row)."""
        return self.bounds[3] - self.totals


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
            totals = int(table.get("totalsRowCount", "0") or 0)
            found[name.lower()] = TablePart(name, sheet, rel["part"], table.get("ref", ""), columns, totals)
    return found


def _set_ref(xml: XmlPart, old: str, new: str, totals: int = 0) -> None:
    """The table's ref and its autoFilter's (when it covered the same range; the filter stops above
    the total rows)."""
    xml.root.set("ref", new)
    auto_filter = xml.root.find(q(NS_MAIN, "autoFilter"))
    if auto_filter is not None and auto_filter.get("ref") == _above_totals(old, totals):
        auto_filter.set("ref", _above_totals(new, totals))


def _above_totals(ref: str, totals: int) -> str:
    c1, r1, c2, r2 = parse_range(ref)
    return make_range(c1, r1, c2, r2 - totals)


def resize_table(package: Package, table: TablePart, last_row: int) -> str | None:
    """Grow the table (and its autoFilter) so its last data row is ``last_row`` (its total rows below
    it); return the old ref if it changed."""
    c1, r1, c2, r2 = table.bounds
    if last_row <= table.data_last:
        return None
    old = table.ref
    new = make_range(c1, r1, c2, last_row + table.totals)
    xml = package.xml(table.part)
    _set_ref(xml, old, new, table.totals)
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
    _set_ref(xml, table.ref, new_ref, table.totals)
    package.put_xml(table.part, xml)
    table.ref = new_ref
    table.columns = table.columns + list(names)
    return list(range(c2 + 1, c2 + 1 + len(names)))


def new_table_part(package: Package, sheet: SheetRef, spec) -> tuple[str, int]:
    """Add the table part of ``spec`` (header row 1, one blank data row) to ``sheet``; returns the
    part and its table id (unique in the workbook)."""
    ids, n = [0], 1
    for part in [p for p in package.parts() if p.startswith("xl/tables/")]:
        ids.append(int(package.xml(part).root.get("id", 0)))
    while package.has(f"xl/tables/table{n}.xml"):
        n += 1
    part = f"xl/tables/table{n}.xml"
    ref = make_range(1, 1, len(spec.fields), 2)
    root = ET.Element(q(NS_MAIN, "table"), {"id": str(max(ids) + 1), "name": spec.name, "displayName": spec.name,
                                            "ref": ref, "totalsRowShown": "0"})
    ET.SubElement(root, q(NS_MAIN, "autoFilter"), ref=ref)
    columns = ET.SubElement(root, q(NS_MAIN, "tableColumns"), count=str(len(spec.fields)))
    for k, f in enumerate(spec.fields, start=1):
        ET.SubElement(columns, q(NS_MAIN, "tableColumn"), id=str(k), name=f.header)
    ET.SubElement(root, q(NS_MAIN, "tableStyleInfo"), name="TableStyleMedium2", showFirstColumn="0",
                  showLastColumn="0", showRowStripes="1", showColumnStripes="0")
    ET.register_namespace("", NS_MAIN)
    package.put(part, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + ET.tostring(root))
    package.add_content_type("/" + part, CT_TABLE)
    package.add_relationship(sheet.part, REL_TABLE, f"../tables/table{n}.xml")
    return part, max(ids) + 1


def table_sheet_xml(spec, header_style: int, rid: str) -> bytes:
    """A worksheet holding a new table's header row: widths from the schema, frozen header,
    landscape, fitted to the page width."""
    cols = "".join(f'<col min="{k}" max="{k}" width="{f.width + 2}" customWidth="1"/>'
                   for k, f in enumerate(spec.fields, start=1))
    cells = "".join(cell_xml(f"{col_letter(k)}1", f.header, header_style) for k, f in enumerate(spec.fields, start=1))
    last = col_letter(len(spec.fields))
    head = "&L" + page_header(spec.sheet)[0]
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS_MAIN}" '
            f'xmlns:r="{NS_REL}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="A1:{last}2"/>'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
            'state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            f'<cols>{cols}</cols><sheetData><row r="1" ht="30" customHeight="1">{cells}</row></sheetData>'
            '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
            '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
            f'<headerFooter><oddHeader>{escape(head)}</oddHeader><oddFooter>&amp;C{escape(PAGE_OF)}</oddFooter>'
            '</headerFooter>'
            f'<tableParts count="1"><tablePart r:id="{rid}"/></tableParts></worksheet>').encode("utf-8")
