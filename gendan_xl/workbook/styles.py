"""Named cell styles added to ``xl/styles.xml`` by text edits (no re-serialisation).

Editing the text keeps the namespaces and ``mc:Ignorable`` prefixes Excel checks; each named
style becomes one ``cellXfs`` entry, reused when it already exists.
"""

from __future__ import annotations

import re

from .cells import text_xml

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
_FONT = '<font>{b}<sz val="{size}"/><color rgb="{color}"/><name val="Calibri"/><family val="2"/></font>'
_FILL = '<fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/><bgColor indexed="64"/></patternFill></fill>'
_THIN = ('<border><left style="thin"><color rgb="FFBFBFBF"/></left><right style="thin"><color rgb="FFBFBFBF"/>'
         '</right><top style="thin"><color rgb="FFBFBFBF"/></top><bottom style="thin"><color rgb="FFBFBFBF"/>'
         '</bottom><diagonal/></border>')

# Fill colours per flag, shared by the Orders conditional formats and the report.
FLAG_COLORS = {
    "LATE": "FFF4B6B6", "WILL_BE_LATE": "FFF9CB9C", "AT_RISK": "FFFFE699", "SHIPPED_LATE": "FFD9D2E9",
    "NO_DATE": "FFD9D9D9", "SHIPPED": "FFD9EAD3", "ON_TRACK": "FFFFFFFF",
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
}
# Fill colours per reconciliation status.
STATUS_COLORS = {
    "MATCHED": "FFD9EAD3", "QTY_DIFF": "FFF9CB9C", "PRICE_DIFF": "FFFFE699", "AMOUNT_DIFF": "FFF4B6B6",
    "ONLY_OURS": "FFCFE2F3", "ONLY_THEIRS": "FFD9D2E9", "DUPLICATE": "FFD9D9D9",
}
for _status, _rgb in STATUS_COLORS.items():
    STYLES[f"status_{_status}"] = (True, 10, "FF000000", _rgb, True, None, None)
STYLES["small"] = (False, 10, "FF000000", None, True, None, '<alignment wrapText="1" vertical="top"/>')
STYLES["small_number"] = (False, 10, "FF000000", None, True, "#,##0.00", None)
STYLES["small_date"] = (False, 10, "FF000000", None, True, DATE_FORMAT, None)
STYLES["signature"] = (False, 11, "FF000000", None, False, None, None)
for _flag, _rgb in FLAG_COLORS.items():
    STYLES[f"flag_{_flag}"] = (True, 11, "FF000000", _rgb, True, None, None)


class StyleBook:
    """Find-or-add named styles in a styles.xml text; ``xml()`` gives the edited text."""

    def __init__(self, styles_xml: str):
        self._xml = styles_xml
        self._cache: dict[str, int] = {}
        self.changed = False

    def xml(self) -> str:
        return self._xml

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
        m = re.search(rf"<{collection}\b[^>]*?(/>|>(.*?)</{collection}>)", self._xml, re.S)
        if m is None:
            self._insert_collection(collection)
            return self._index_of(collection, item)
        items = _children(m.group(2) or "")
        if item in items:
            return items.index(item)
        items.append(item)
        block = f'<{collection} count="{len(items)}">{"".join(items)}</{collection}>'
        self._xml = self._xml[:m.start()] + block + self._xml[m.end():]
        self.changed = True
        return len(items) - 1

    def _insert_collection(self, collection: str) -> None:
        order = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs"]
        later = order[order.index(collection) + 1:]
        for nxt in later:
            m = re.search(rf"<{nxt}\b", self._xml)
            if m:
                pos = m.start()
                break
        else:
            pos = self._xml.index("</styleSheet>")
        self._xml = self._xml[:pos] + f'<{collection} count="0"/>' + self._xml[pos:]

    def _num_fmt(self, code: str) -> int:
        builtin = {"#,##0": 3, "#,##0.00": 4}
        if code in builtin:
            return builtin[code]
        m = re.search(r"<numFmts\b[^>]*?(/>|>(.*?)</numFmts>)", self._xml, re.S)
        body = (m.group(2) or "") if m else ""
        for fid, fcode in re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', body):
            if fcode == text_xml(code).replace('"', "&quot;"):
                return int(fid)
        ids = [int(x) for x in re.findall(r'numFmtId="(\d+)"', body)]
        new_id = max([163, *ids]) + 1
        self._index_of("numFmts", f'<numFmt numFmtId="{new_id}" formatCode="{text_xml(code)}"/>')
        return new_id


def _children(body: str) -> list[str]:
    """Top-level child elements of a collection body, as text."""
    items, depth, start = [], 0, 0
    for m in re.finditer(r"<(/?)([\w:]+)[^>]*?(/?)>", body):
        closing, selfclosing = m.group(1), m.group(3)
        if not closing and depth == 0:
            start = m.start()
        if closing:
            depth -= 1
        elif not selfclosing:
            depth += 1
        if depth == 0:
            items.append(body[start:m.end()])
    return items
