"""For sheets written with openpyxl (a new master's tables, the chase files), the look and print
setup of the other generated sheets: a named style of ``styles.py`` as openpyxl's font, fill,
border, number format and alignment, and the shared print setup."""

from __future__ import annotations

import datetime as dt

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

from gendan_xl.sheets.sheet_render import MARGINS, PAGE_OF, page_header
from gendan_xl.sheets.styles import STYLES


def look(name: str, **alignment) -> dict:
    """``font``, ``fill``, ``border``, ``number_format`` and ``alignment`` of the named style
    (``alignment`` given here is added to the style's own)."""
    style = STYLES[name]
    thin = Side(style="thin", color=style.border)
    own = {"wrap_text": style.wrap, "horizontal": style.horizontal, "vertical": style.vertical}
    return {"font": Font(name="Calibri", bold=style.bold, size=style.size, color=style.color),
            "fill": PatternFill("solid", start_color=style.fill, end_color=style.fill) if style.fill else PatternFill(),
            "border": Border(left=thin, right=thin, top=thin, bottom=thin) if style.border else Border(),
            "number_format": style.number_format or "General",
            "alignment": Alignment(**{**{k: v for k, v in own.items() if v}, **alignment})}


def apply(cell, name: str, **alignment):
    """Give ``cell`` the named style's look; returns the cell."""
    for key, value in look(name, **alignment).items():
        setattr(cell, key, value)
    return cell


def named_style(style_name: str, name: str, number_format: str | None = None, **alignment) -> NamedStyle:
    """An openpyxl NamedStyle ``style_name`` with the look of ``name`` (a column's data cells)."""
    parts = look(name, **alignment)
    if number_format:
        parts["number_format"] = number_format
    return NamedStyle(name=style_name, **parts)


def print_setup(ws, title: str, header_row: int, as_of: dt.date | None = None) -> None:
    """As every generated sheet prints: landscape on A4, one page wide, the header row on every page,
    the title and the as-of date (when there is one) atop, 第 X / N 页 Page X of N below, the same margins."""
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    left, right = page_header(title, as_of.isoformat() if as_of else "")
    ws.oddHeader.left.text = left
    ws.oddHeader.right.text = right or None
    ws.oddFooter.center.text = PAGE_OF
    margins = ws.page_margins
    margins.left, margins.right = MARGINS["LeftMargin"], MARGINS["RightMargin"]
    margins.top, margins.bottom = MARGINS["TopMargin"], MARGINS["BottomMargin"]
    margins.header, margins.footer = MARGINS["HeaderMargin"], MARGINS["FooterMargin"]
