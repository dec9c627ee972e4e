"""Widths and print setup of the master's data tables (订单 Orders …), for people: widths that show
the values (``layout.width_for``), printed landscape, fitted to the page width, header row repeated.

A new master gets them from ``create.py``. An existing master (from an older gendan, or hand-made)
gets them on every refresh under one rule, so that nothing a user set is undone:

- widths: only of gendan's own columns, and only where the width is gendan's: no width of its own
  (Excel's default), a width gendan fitted (marked ``bestFit``, "not set by hand", which Excel
  drops when a user drags the column), or a width an older gendan gave every new master (the
  field's fixed schema width, or its header's width: :func:`legacy_widths`). A hidden column, a
  user column and every other width stay as they are;
- print setup: only on a sheet with none of its own (no orientation, scale or fit to page, no
  print titles, no page header or footer): landscape, one page wide, the header row on every
  page, the sheet's name atop and 第 X / N 页 Page X of N below (no date: a table is as of no
  date; an older gendan's ``&D``, the printing PC's date in its locale's format, is dropped).
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.flags import Flag, MilestoneState, Owner
from gendan_xl.model.issues import Reason
from gendan_xl.sheets.layout import text_units, width_for
from gendan_xl.sheets.sheet_render import MARGINS, PAGE_OF, page_header
from gendan_xl.sheets.styles import DATE_FORMAT, DATETIME_FORMAT
from gendan_xl.ooxml.xml_part import child, local_name, place, q

TABLE_CAP = 60            # widest a table column grows for its values
NUMBER_FORMATS = {schema.DATE: DATE_FORMAT, schema.DATETIME: DATETIME_FORMAT, schema.INT: "#,##0",
                  schema.NUMBER: "#,##0.00"}


def field_format(f: schema.Field) -> str | None:
    """The number format of a field's cells: a share shown as %, else its kind's."""
    return "0.0%" if f.style == "percent" else NUMBER_FORMATS.get(f.kind)


# The words a column can hold beside its values (its width fits them all).
VOCABULARY = {("orders", "flag"): [flag.label for flag in Flag],
              ("orders", "status"): list(schema.STATUSES),
              ("import_issues", "reason"): [reason.words for reason in Reason],
              ("change_log", "field"): [f.header for f in schema.ORDERS.fields],
              ("ta_templates", "owner"): [owner.label for owner in Owner],
              ("milestones", "owner"): [owner.label for owner in Owner],
              ("milestones", "state"): [state.label for state in MilestoneState]}
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


def column_texts(values: pd.Series, number_format: str | None) -> list[str]:
    """The texts that decide a column's width: its widest number as shown, a date's shape, or the
    texts that may be the widest (a text is measured only when it could beat the longest one)."""
    values = values.dropna()
    if values.empty:
        return []
    if number_format in ("#,##0", "#,##0.00"):
        numbers = pd.to_numeric(values, errors="coerce").abs()
        return [f"-{numbers.max():,.{2 if number_format.endswith('00') else 0}f}"]
    if number_format:
        return ["0" * len(number_format)]
    texts = pd.Series(pd.unique(values.astype(str)))
    lengths = texts.str.len()
    floor = text_units(texts[lengths.idxmax()])          # a text is at most two digit widths a character
    return texts[lengths * 2 >= floor].tolist()


def table_widths(spec: schema.Table, frame: pd.DataFrame) -> dict[str, float]:
    """Each field's width for the values of ``frame`` (its header in up to two lines, at least the
    field's schema width, at most :data:`TABLE_CAP`)."""
    def texts(f: schema.Field) -> list[str]:
        shown = column_texts(frame[f.name], field_format(f)) if f.name in frame else []
        return [*shown, *VOCABULARY.get((spec.key, f.name), ())]

    return {f.name: width_for(texts(f), f.header, floor=f.width, cap=max(f.width, TABLE_CAP)) for f in spec.fields}


def legacy_widths(spec: schema.Table, name: str) -> set[float]:
    """The widths older gendans gave the field's column in a new master: its fixed schema width, and
    the width of its header (and words) with no values yet."""
    f = spec.field(name)
    return {float(f.width), width_for(VOCABULARY.get((spec.key, name), ()), f.header, floor=f.width,
                                      cap=max(f.width, TABLE_CAP))}


def fit_columns(root: ET.Element, wanted: dict[int, tuple[float, set[float]]]) -> bool:
    """Set ``<cols>`` widths under the rule above: ``wanted`` maps a column (1-based) to (width,
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
