"""Named cell styles added to ``xl/styles.xml`` through the parser (``xml_part`` keeps the writer's
namespace prefixes and the ``mc:Ignorable`` ones Excel checks); each named style becomes one
``cellXfs`` entry, reused when an equal one exists.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from gendan_xl.model.flags import Flag, MilestoneState
from gendan_xl.model.statuses import ReconStatus
from gendan_xl.ooxml.xml_part import NS_MAIN, child, local_name, parse, q

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
_FONT = '<font>{b}<sz val="{size}"/><color rgb="{color}"/><name val="Calibri"/><family val="2"/></font>'
_FILL = '<fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/><bgColor indexed="64"/></patternFill></fill>'
BORDER_RGB = "FFBFBFBF"   # the thin grey border of every bordered style
_THIN = ('<border><left style="thin"><color rgb="FFBFBFBF"/></left><right style="thin"><color rgb="FFBFBFBF"/>'
         '</right><top style="thin"><color rgb="FFBFBFBF"/></top><bottom style="thin"><color rgb="FFBFBFBF"/>'
         '</bottom><diagonal/></border>')

# One palette for flags and statuses on every sheet: red = late or wrong, orange = will be late or
# a quantity off, yellow = at risk or a price off, green = fine, purple = done late or only theirs,
# blue = only ours, grey = no data or a repeat.
PALETTE = {"red": "FFF4B6B6", "orange": "FFF9CB9C", "yellow": "FFFFE699", "green": "FFD9EAD3",
           "purple": "FFD9D2E9", "blue": "FFCFE2F3", "grey": "FFD9D9D9", "white": "FFFFFFFF"}
# Fill colours per flag, shared by the Orders conditional formats and the report.
FLAG_COLORS = {
    Flag.LATE: PALETTE["red"], Flag.WILL_BE_LATE: PALETTE["orange"], Flag.AT_RISK: PALETTE["yellow"],
    Flag.SHIPPED_LATE: PALETTE["purple"], Flag.NO_DATE: PALETTE["grey"], Flag.SHIPPED: PALETTE["green"],
    Flag.ON_TRACK: PALETTE["white"],
}

# name -> (bold, size, font colour, fill rgb or None, border, number format or None, alignment xml)
STYLES = {
    "header": (True, 11, "FFFFFFFF", "FF305496", True, None, '<alignment wrapText="1" vertical="center"/>'),
    "title": (True, 16, "FF1F3864", None, False, None, None),
    "subtitle": (True, 12, "FF1F3864", None, False, None, None),
    "note": (False, 10, "FF595959", None, False, None, None),
    "text": (False, 11, "FF000000", None, True, None, None),
    "wrap": (False, 11, "FF000000", None, True, None, '<alignment wrapText="1" vertical="top"/>'),
    "date": (False, 11, "FF000000", None, True, DATE_FORMAT, None),
    "datetime": (False, 11, "FF000000", None, True, DATETIME_FORMAT, None),
    "int": (False, 11, "FF000000", None, True, "#,##0", None),
    "number": (False, 11, "FF000000", None, True, "#,##0.00", None),
    "percent": (False, 11, "FF000000", None, True, "0.0%", None),
    "kpi": (True, 14, "FF1F3864", "FFDDEBF7", True, "#,##0", '<alignment horizontal="center"/>'),
    "kpi_percent": (True, 14, "FF1F3864", "FFDDEBF7", True, "0.0%", '<alignment horizontal="center"/>'),
    "total": (True, 11, "FF000000", "FFF2F2F2", True, "#,##0.00", None),
    "total_text": (True, 11, "FF000000", "FFF2F2F2", True, None, None),
    "input": (False, 11, "FF000000", "FFFFF2CC", True, None, None),
    # the header of a column the reader fills in (the chase file's answer columns)
    "input_header": (True, 11, "FF000000", "FFFFC000", True, None, '<alignment wrapText="1" vertical="center"/>'),
}
# Fill colours per reconciliation status.
STATUS_COLORS = {
    ReconStatus.MATCHED: PALETTE["green"], ReconStatus.QTY_DIFF: PALETTE["orange"],
    ReconStatus.PRICE_DIFF: PALETTE["yellow"], ReconStatus.AMOUNT_DIFF: PALETTE["red"],
    ReconStatus.ONLY_OURS: PALETTE["blue"], ReconStatus.ONLY_THEIRS: PALETTE["purple"],
    ReconStatus.DUPLICATE: PALETTE["grey"],
}
for _status, _rgb in STATUS_COLORS.items():
    STYLES[f"status_{_status}"] = (True, 10, "FF000000", _rgb, True, None, None)
STYLES["small"] = (False, 10, "FF000000", None, True, None, '<alignment wrapText="1" vertical="top"/>')
STYLES["small_number"] = (False, 10, "FF000000", None, True, "#,##0.00", None)
STYLES["small_int"] = (False, 10, "FF000000", None, True, "#,##0", None)
STYLES["small_date"] = (False, 10, "FF000000", None, True, DATE_FORMAT, None)
STYLES["signature"] = (False, 11, "FF000000", None, False, None, None)
for _flag, _rgb in FLAG_COLORS.items():
    STYLES[f"flag_{_flag}"] = (True, 11, "FF000000", _rgb, True, None, None)
# Fill colours per milestone state (the 进度表 T&A sheet): a date cell coloured by its state.
STATE_COLORS = {MilestoneState.DONE: PALETTE["green"], MilestoneState.DONE_LATE: PALETTE["purple"],
                MilestoneState.OVERDUE: PALETTE["red"], MilestoneState.DUE_SOON: PALETTE["yellow"],
                MilestoneState.LATER: PALETTE["white"], MilestoneState.NO_PLAN: PALETTE["grey"]}
for _state, _rgb in STATE_COLORS.items():
    STYLES[f"state_{_state}"] = (False, 11, "FF000000", _rgb, True, DATE_FORMAT, None)


def wrapped(name: str) -> str:
    """The style like ``name`` whose text wraps, aligned to the top of a tall row (added on first use);
    ``name`` itself when it wraps already."""
    if 'wrapText="1"' in (STYLES[name][6] or ""):
        return name
    if name + "_wrap" not in STYLES:
        *look, align = STYLES[name]
        horizontal = 'horizontal="center" ' if 'horizontal="center"' in (align or "") else ""
        STYLES[name + "_wrap"] = (*look, f'<alignment {horizontal}wrapText="1" vertical="top"/>')
    return name + "_wrap"


# CT_Stylesheet's children in schema order (ECMA-376 Part 1, 18.8.39).
_ORDER = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles",
          "colors", "extLst"]
_BUILTIN_FORMATS = {"#,##0": 3, "#,##0.00": 4}


class StyleBook:
    """Find-or-add named styles in a styles part; ``xml()`` gives the edited part."""

    def __init__(self, styles_xml: bytes):
        self._part = parse(styles_xml)
        self._cache: dict[str, int] = {}
        self.changed = False

    def xml(self) -> bytes:
        return self._part.tobytes()

    def style(self, name: str) -> int:
        """The cellXfs index of a named style, added on first use."""
        if name not in self._cache:
            bold, size, color, fill, border, fmt, align = STYLES[name]
            font_id = self._index_of("fonts", _FONT.format(b="<b/>" if bold else "", size=size, color=color))
            fill_id = self._index_of("fills", _FILL.format(rgb=fill)) if fill else 0
            border_id = self._index_of("borders", _THIN) if border else 0
            fmt_id = self._num_fmt(fmt) if fmt else 0
            xf = (f'<xf numFmtId="{fmt_id}" fontId="{font_id}" fillId="{fill_id}" borderId="{border_id}" '
                  f'xfId="0" applyFont="1"' + (' applyFill="1"' if fill else "")
                  + (' applyBorder="1"' if border else "") + (' applyNumberFormat="1"' if fmt else "")
                  + (f' applyAlignment="1">{align}</xf>' if align else "/>"))
            self._cache[name] = self._index_of("cellXfs", xf)
        return self._cache[name]

    def _index_of(self, collection: str, item: str) -> int:
        """The index of an element equal to ``item`` (SpreadsheetML text) in ``collection``, added if none."""
        parent = child(self._part.root, collection, _ORDER)
        new = _element(item)
        key = _key(new)
        for i, existing in enumerate(el for el in parent if isinstance(el.tag, str)):
            if _key(existing) == key:
                return i
        parent.append(new)
        parent.set("count", str(sum(isinstance(el.tag, str) for el in parent)))
        self.changed = True
        return int(parent.get("count")) - 1

    def _num_fmt(self, code: str) -> int:
        if code in _BUILTIN_FORMATS:
            return _BUILTIN_FORMATS[code]
        formats = child(self._part.root, "numFmts", _ORDER)
        for el in formats:
            if local_name(el.tag) == "numFmt" and el.get("formatCode") == code:
                return int(el.get("numFmtId"))
        new_id = max([163, *(int(el.get("numFmtId", 0)) for el in formats if isinstance(el.tag, str))]) + 1
        element = ET.SubElement(formats, q(NS_MAIN, "numFmt"), numFmtId=str(new_id), formatCode=code)
        formats.set("count", str(len(formats)))
        self.changed = True
        return int(element.get("numFmtId"))


def _element(item: str) -> ET.Element:
    """An element from SpreadsheetML text written without a namespace."""
    return ET.fromstring(f'<root xmlns="{NS_MAIN}">{item}</root>')[0]


def _key(el: ET.Element) -> tuple:
    """What makes two style elements equal: names, attributes, text and children, in order."""
    return (el.tag, sorted(el.attrib.items()), (el.text or "").strip(),
            tuple(_key(c) for c in el if isinstance(c.tag, str)))
