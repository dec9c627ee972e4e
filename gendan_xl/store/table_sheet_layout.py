"""The rule of ``sheets.table_layout`` applied to a table's worksheet XML in the file: gendan's
column widths in ``<cols>`` (only where the width is gendan's), and the print setup of a sheet that
has none of its own (landscape, one page wide, title atop, page X of N below)."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

from gendan_xl.ooxml.xml_part import child, local_name, place, q
from gendan_xl.sheets.sheet_render import MARGINS, PAGE_OF, page_header

# CT_Worksheet's children in schema order (ECMA-376 Part 1, 18.3.1.99).
WORKSHEET_ORDER = ["sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
                   "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate",
                   "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations",
                   "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks",
                   "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing",
                   "legacyDrawing", "legacyDrawingHF", "picture", "oleObjects", "controls", "webPublishItems",
                   "tableParts", "extLst"]
_SHEET_PR_ORDER = ["tabColor", "outlinePr", "pageSetUpPr"]
_OWN_SETUP = ("orientation", "scale", "fitToWidth", "fitToHeight")


def fit_columns(root: ET.Element, wanted: dict[int, tuple[float, set[float]]]) -> bool:
    """Set ``<cols>`` widths under ``table_layout``'s rule: ``wanted`` maps a column (1-based) to (width,
    the widths an older gendan gave it). Returns True when something changed."""
    cols = child(root, "cols", WORKSHEET_ORDER)
    changed = False
    for col, (width, legacy) in sorted(wanted.items()):
        el = _own_col(cols, col)
        if el is None:
            el = ET.SubElement(cols, q(_ns(root), "col"), min=str(col), max=str(col))
        elif el.get("hidden") in ("1", "true") or not _gendans(el, legacy):
            continue
        if el.get("width") != f"{width:g}" or el.get("bestFit") != "1":
            el.set("width", f"{width:g}")
            el.set("customWidth", "1")
            el.set("bestFit", "1")
            changed = True
    cols[:] = sorted(cols, key=lambda el: int(el.get("min", 0)))
    if not len(cols):
        root.remove(cols)
    return changed


def _gendans(el: ET.Element, legacy: set[float]) -> bool:
    """True when a column's width is gendan's: none, fitted (bestFit) or one an older gendan gave."""
    width = el.get("width")
    return width is None or el.get("bestFit") in ("1", "true") or float(width) in legacy


def _own_col(cols: ET.Element, col: int) -> ET.Element | None:
    """The ``<col>`` of column ``col`` alone: a range covering it is split around it; None if none."""
    for k, el in enumerate(list(cols)):
        low, high = int(el.get("min", 0)), int(el.get("max", 0))
        if not low <= col <= high:
            continue
        pieces = []
        for a, b in ((low, col - 1), (col, col), (col + 1, high)):
            if a <= b:
                piece = copy.deepcopy(el)
                piece.set("min", str(a))
                piece.set("max", str(b))
                pieces.append(piece)
        cols[k:k + 1] = pieces
        return next(p for p in pieces if p.get("min") == str(col))
    return None


def has_print_setup(root: ET.Element) -> bool:
    """True when the sheet has a print setup of its own (orientation, scale, fit to page, or a page
    header or footer)."""
    setup = _find(root, "pageSetup")
    if setup is not None and any(setup.get(a) for a in _OWN_SETUP):
        return True
    pr = _find(_find(root, "sheetPr"), "pageSetUpPr")
    if pr is not None and pr.get("fitToPage") in ("1", "true"):
        return True
    header = _find(root, "headerFooter")
    return header is not None and any((el.text or "").strip() for el in header)


def set_print_setup(root: ET.Element, title: str) -> None:
    """Landscape, one page wide, margins (when none), the title atop and page X of N below."""
    ns = _ns(root)
    pr = _find(root, "sheetPr")
    if pr is None:
        pr = place(root, ET.Element(q(ns, "sheetPr")), WORKSHEET_ORDER)
    child(pr, "pageSetUpPr", _SHEET_PR_ORDER).set("fitToPage", "1")
    if _find(root, "pageMargins") is None:
        place(root, ET.Element(q(ns, "pageMargins"), left=str(MARGINS["LeftMargin"]),
                               right=str(MARGINS["RightMargin"]), top=str(MARGINS["TopMargin"]),
                               bottom=str(MARGINS["BottomMargin"]), header=str(MARGINS["HeaderMargin"]),
                               footer=str(MARGINS["FooterMargin"])), WORKSHEET_ORDER)
    setup = child(root, "pageSetup", WORKSHEET_ORDER)
    setup.set("orientation", "landscape")
    setup.set("fitToWidth", "1")
    setup.set("fitToHeight", "0")
    header = _find(root, "headerFooter")
    if header is not None:
        root.remove(header)
    header = place(root, ET.Element(q(ns, "headerFooter")), WORKSHEET_ORDER)
    ET.SubElement(header, q(ns, "oddHeader")).text = "&L" + page_header(title)[0]
    ET.SubElement(header, q(ns, "oddFooter")).text = f"&C{PAGE_OF}"


def drop_printed_date(root: ET.Element, title: str) -> bool:
    """The page header an older gendan gave a table's sheet (its title, and ``&D``: the printing
    PC's date in its locale's format) without the date; any other header stays. True when changed."""
    header = _find(_find(root, "headerFooter"), "oddHeader")
    left = "&L" + page_header(title)[0]
    if header is None or header.text != left + "&R&D":
        return False
    header.text = left
    return True


def _find(parent: ET.Element | None, local: str) -> ET.Element | None:
    if parent is None:
        return None
    return next((el for el in parent if local_name(el.tag) == local), None)


def _ns(el: ET.Element) -> str:
    return el.tag[1:].split("}")[0] if el.tag.startswith("{") else ""
