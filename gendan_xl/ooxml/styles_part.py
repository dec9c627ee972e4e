"""Cell styles rendered into ``xl/styles.xml`` through the parser (``xml_part`` keeps the writer's
namespace prefixes and the ``mc:Ignorable`` ones Excel checks): each style becomes one ``cellXfs``
entry (with its font, fill, border and number format), reused when an equal one exists.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Protocol

from gendan_xl.ooxml.xml_part import NS_MAIN, child, local_name, parse, q

_FONT = '<font>{b}<sz val="{size}"/><color rgb="{color}"/><name val="Calibri"/><family val="2"/></font>'
_FILL = '<fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/><bgColor indexed="64"/></patternFill></fill>'
_THIN = ('<border><left style="thin"><color rgb="{rgb}"/></left><right style="thin"><color rgb="{rgb}"/>'
         '</right><top style="thin"><color rgb="{rgb}"/></top><bottom style="thin"><color rgb="{rgb}"/>'
         '</bottom><diagonal/></border>')
# CT_Stylesheet's children in schema order (ECMA-376 Part 1, 18.8.39).
_ORDER = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles",
          "colors", "extLst"]
_BUILTIN_FORMATS = {"#,##0": 3, "#,##0.00": 4}


class CellStyle(Protocol):
    """What a cell style says (``sheets.styles.Style`` is one): colours ARGB hex, None for none."""

    @property
    def bold(self) -> bool: ...
    @property
    def size(self) -> int: ...
    @property
    def color(self) -> str: ...
    @property
    def fill(self) -> str | None: ...
    @property
    def border(self) -> str | None: ...
    @property
    def number_format(self) -> str | None: ...
    @property
    def wrap(self) -> bool: ...
    @property
    def horizontal(self) -> str | None: ...
    @property
    def vertical(self) -> str | None: ...


class StyleBook:
    """Find-or-add cell styles in a styles part; ``xml()`` gives the edited part."""

    def __init__(self, styles_xml: bytes):
        self._part = parse(styles_xml)
        self._cache: dict[CellStyle, int] = {}
        self.changed = False

    def xml(self) -> bytes:
        return self._part.tobytes()

    def index(self, style: CellStyle) -> int:
        """The cellXfs index of a style, added on first use."""
        if style not in self._cache:
            self._cache[style] = self._index_of("cellXfs", self._xf(style))
        return self._cache[style]

    def _xf(self, style: CellStyle) -> str:
        """The style's ``<xf>``, its font, fill, border and number format found or added."""
        font_id = self._index_of("fonts", _FONT.format(b="<b/>" if style.bold else "", size=style.size,
                                                       color=style.color))
        fill_id = self._index_of("fills", _FILL.format(rgb=style.fill)) if style.fill else 0
        border_id = self._index_of("borders", _THIN.format(rgb=style.border)) if style.border else 0
        fmt_id = self._num_fmt(style.number_format) if style.number_format else 0
        align = _alignment(style)
        return (f'<xf numFmtId="{fmt_id}" fontId="{font_id}" fillId="{fill_id}" borderId="{border_id}" '
                f'xfId="0" applyFont="1"' + (' applyFill="1"' if style.fill else "")
                + (' applyBorder="1"' if style.border else "")
                + (' applyNumberFormat="1"' if style.number_format else "")
                + (f' applyAlignment="1">{align}</xf>' if align else "/>"))

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


def _alignment(style: CellStyle) -> str:
    """The style's ``<alignment>``, or '' when it keeps Excel's default alignment."""
    attributes = (("horizontal", style.horizontal), ("wrapText", "1" if style.wrap else None),
                  ("vertical", style.vertical))
    shown = " ".join(f'{name}="{value}"' for name, value in attributes if value)
    return f"<alignment {shown}/>" if shown else ""


def _element(item: str) -> ET.Element:
    """An element from SpreadsheetML text written without a namespace."""
    return ET.fromstring(f'<root xmlns="{NS_MAIN}">{item}</root>')[0]


def _key(el: ET.Element) -> tuple:
    """What makes two style elements equal: names, attributes, text and children, in order."""
    return (el.tag, sorted(el.attrib.items()), (el.text or "").strip(),
            tuple(_key(c) for c in el if isinstance(c.tag, str)))
