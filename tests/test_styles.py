"""Every named cell style (sheets/styles.py) looks the same in each back end that renders it: the
file's styles.xml (ooxml/styles_part.py), openpyxl (outputs/openpyxl_styles.py) and live Excel
(store/xlwings_book.py, on the in-memory engine). Each re-read cell shows every field of its Style."""

from __future__ import annotations

from dataclasses import asdict

import openpyxl

from gendan_xl.ooxml.package import Package
from gendan_xl.ooxml.styles_part import StyleBook
from gendan_xl.outputs.openpyxl_styles import apply
from gendan_xl.sheets.sheet_render import SheetSpec, render_sheet
from gendan_xl.sheets.styles import STYLES, wrapped
from gendan_xl.store.xlwings_book import XlwingsWorkbook
from xlwings_memory_engine import open_book

SHEET = "Styles"
# every named style, and two made on first use: a wrapped centred one and a wrapped date
NAMES = list(dict.fromkeys([*STYLES, wrapped("kpi"), wrapped("date")]))


def _skeleton(path):
    book = openpyxl.Workbook()
    book.active.title = SHEET
    book.save(path)
    return path


def _spec() -> SheetSpec:
    spec = SheetSpec(SHEET)
    for row, name in enumerate(NAMES, start=1):
        spec.put(row, 1, "x", name)
    return spec


def _openpyxl_look(cell) -> dict:
    """A re-read cell's look in the Style's words (colours ARGB, None for none)."""
    sides = {(side.style, side.color.rgb) if side is not None and side.style else (None, None)
             for side in (cell.border.left, cell.border.right, cell.border.top, cell.border.bottom)}
    assert len(sides) == 1, sides   # the same border on all four sides
    (line, border), = sides
    assert line in ("thin", None)
    return {"bold": bool(cell.font.b), "size": cell.font.sz, "color": cell.font.color.rgb,
            "fill": cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None,
            "border": border if line else None,
            "number_format": None if cell.number_format == "General" else cell.number_format,
            "wrap": bool(cell.alignment.wrap_text), "horizontal": cell.alignment.horizontal,
            "vertical": cell.alignment.vertical}


def test_every_style_is_written_to_styles_xml_as_it_says(tmp_path):
    path = _skeleton(tmp_path / "file.xlsx")
    package = Package(path)
    styles = StyleBook(package.get("xl/styles.xml"))
    package.put(package.sheet(SHEET).part, render_sheet(_spec(), styles.index).encode("utf-8"))
    package.put("xl/styles.xml", styles.xml())
    package.save(path, backup=False)
    ws = openpyxl.load_workbook(path)[SHEET]
    for row, name in enumerate(NAMES, start=1):
        assert _openpyxl_look(ws.cell(row, 1)) == asdict(STYLES[name]), name


def test_an_equal_style_is_one_cellxfs_entry_found_again(tmp_path):
    styles = StyleBook(Package(_skeleton(tmp_path / "file.xlsx")).get("xl/styles.xml"))
    assert styles.index(STYLES["wrap"]) == styles.index(STYLES[wrapped("text")])   # equal looks, one entry
    ids = [styles.index(STYLES[name]) for name in NAMES]
    again = StyleBook(styles.xml())
    assert [again.index(STYLES[name]) for name in NAMES] == ids
    assert not again.changed   # every style was in the part already: found, not added again


def test_every_style_is_given_by_openpyxl_as_it_says(tmp_path):
    book = openpyxl.Workbook()
    for row, name in enumerate(NAMES, start=1):
        apply(book.active.cell(row, 1, "x"), name)
    book.save(tmp_path / "openpyxl.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "openpyxl.xlsx").active
    for row, name in enumerate(NAMES, start=1):
        assert _openpyxl_look(ws.cell(row, 1)) == asdict(STYLES[name]), name


def test_every_style_is_set_in_live_excel_as_it_says(tmp_path):
    book = open_book(_skeleton(tmp_path / "live.xlsx"))
    XlwingsWorkbook(book, progress=lambda _: None).replace_sheet(_spec())
    sheet = book.sheets[SHEET]

    def argb(color):   # xlwings' "#RRGGBB" or (r, g, b) in the Style's words
        if isinstance(color, tuple):
            return "FF" + "".join(f"{c:02X}" for c in color)
        return "FF" + color[1:].upper() if color else None

    for row, name in enumerate(NAMES, start=1):
        cell = sheet.range((row, 1))
        borders = sheet.impl.formats[(row, 1)].get("borders")
        if borders:   # one thin line all round
            assert {"edge_top", "edge_bottom", "edge_left", "edge_right"} <= set(borders["sides"])
            assert (borders["line_style"], borders["weight"]) == ("continuous", "thin")
        look = {"bold": cell.font.bold, "size": cell.font.size, "color": argb(cell.font.color),
                "fill": argb(cell.color), "border": argb(borders["color"]) if borders else None,
                "number_format": None if cell.number_format == "General" else cell.number_format,
                "wrap": cell.wrap_text,
                "horizontal": None if cell.horizontal_alignment == "general" else cell.horizontal_alignment,
                "vertical": None if cell.vertical_alignment == "bottom" else cell.vertical_alignment}
        assert look == asdict(STYLES[name]), name
