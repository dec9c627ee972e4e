"""Small package parts (workbook, relationships, content types, tables, sheet headers) edited through
an XML parser, written back with the namespace prefixes their writer chose.

Writers declare namespaces differently: openpyxl without lxml declares ``r:`` on the workbook root,
with lxml on every ``<sheet>``; Excel declares prefixes it only names in ``mc:Ignorable``. A part is
parsed with ElementTree (no lxml needed), every declaration it makes is remembered, and it is
written with the same prefixes, all declared on the root, so no prefix is ever left unbound. A
DOCTYPE is refused (no entity expansion). A worksheet's cells are not parsed: :func:`split_sheet`
cuts out the ``sheetData`` bytes and the parsed head and tail are written around them unchanged.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from xml.parsers import expat

from gendan_xl.model.errors import ErrorCode

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_XML_NS = "http://www.w3.org/XML/1998/namespace"
# Prefixes for namespaces a part does not declare yet (what Excel itself writes).
_USUAL_PREFIX = {NS_REL: "r", "http://schemas.openxmlformats.org/markup-compatibility/2006": "mc"}
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


class XmlError(ValueError):
    """A part that is not well-formed XML, or carries a DOCTYPE; ``code`` the GendanError's."""

    code = ErrorCode.BAD_WORKBOOK


class DoctypeError(XmlError):
    """A part that declares a DOCTYPE: Excel never writes one (a crafted or damaged file)."""

    code = ErrorCode.UNSAFE_FILE


def q(ns: str, local: str) -> str:
    """ElementTree's ``{namespace}local`` name."""
    return f"{{{ns}}}{local}"


def local_name(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class _Builder(ET.TreeBuilder):
    """A tree builder that records every namespace declaration and refuses a DOCTYPE."""

    def __init__(self):
        super().__init__(insert_comments=True, insert_pis=True)
        self.declarations: list[tuple[str, str]] = []

    def start_ns(self, prefix, uri):
        self.declarations.append((prefix or "", uri))

    def doctype(self, name, pubid, system):
        raise DoctypeError(f"DOCTYPE {name} in a package part (not allowed in OOXML)")


@dataclass
class XmlPart:
    """A parsed part: its root element and the prefix its writer gave each namespace."""

    root: ET.Element
    prefixes: dict[str, str] = field(default_factory=dict)   # namespace -> prefix ("" = default)

    def tobytes(self, raw: dict[int, list] | None = None) -> bytes:
        """The part as UTF-8; ``raw`` maps ``id(element)`` to byte chunks written as its content."""
        elements, attributes, declared = _prefixes(self.root, self.prefixes)
        xmlns = "".join(f' xmlns:{p}="{_attr(ns)}"' if p else f' xmlns="{_attr(ns)}"' for p, ns in declared)
        out: list = [_DECLARATION]
        _write(self.root, out, _Names(elements, attributes), raw or {}, xmlns)
        chunks: list = []
        for p in out:   # a raw content stays one list: its many chunks are not looked at one by one
            if isinstance(p, list):
                chunks += p
            else:
                chunks.append(p.encode("utf-8") if isinstance(p, str) else p)
        return b"".join(chunks)


def parse(data: bytes) -> XmlPart:
    """Parse a part, keeping its declared prefixes (the first one declared for each namespace);
    it is written back as UTF-8 with the standard declaration."""
    builder = _Builder()
    parser = ET.XMLParser(target=builder)
    try:
        parser.feed(data)
        root = parser.close()
    except ET.ParseError as exc:
        raise XmlError(f"not well-formed XML ({exc})") from exc
    prefixes: dict[str, str] = {}
    for prefix, uri in builder.declarations:
        if uri not in prefixes and prefix not in prefixes.values():
            prefixes[uri] = prefix
    return XmlPart(root, prefixes)


def _namespace(name: str) -> str | None:
    return name[1:].split("}", 1)[0] if name.startswith("{") else None


def _prefixes(root: ET.Element, known: dict[str, str]):
    """Prefixes for element and attribute names (an attribute cannot use the default namespace),
    and the (prefix, namespace) declarations the root must carry: the known ones plus new ones."""
    elements = dict(known)
    attributes = {ns: p for ns, p in known.items() if p}
    declared = [(p, ns) for ns, p in known.items()]
    taken = set(known.values())

    def fresh(ns: str) -> str:
        prefix, n = _USUAL_PREFIX.get(ns), 0
        while prefix is None or prefix in taken:
            n += 1
            prefix = f"ns{n}"
        taken.add(prefix)
        declared.append((prefix, ns))
        return prefix

    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        ns = _namespace(el.tag)
        if ns and ns != _XML_NS and ns not in elements:
            elements[ns] = attributes[ns] = fresh(ns)
        for name in el.attrib:
            ns = _namespace(name)
            if ns and ns != _XML_NS and ns not in attributes:
                attributes[ns] = fresh(ns)
                elements.setdefault(ns, attributes[ns])
    return elements, attributes, declared


class _Names:
    """``{namespace}local`` to ``prefix:local``, cached."""

    def __init__(self, elements: dict[str, str], attributes: dict[str, str]):
        self._prefix = {False: elements, True: attributes}
        self._cache: dict[tuple[str, bool], str] = {}

    def __call__(self, name: str, attribute: bool = False) -> str:
        key = (name, attribute)
        if key not in self._cache:
            ns = _namespace(name)
            if ns is None:
                self._cache[key] = name
            else:
                local = name.split("}", 1)[1]
                prefix = "xml" if ns == _XML_NS else self._prefix[attribute][ns]
                self._cache[key] = f"{prefix}:{local}" if prefix else local
        return self._cache[key]


def _write(el: ET.Element, out: list, names: _Names, raw: dict[int, bytes], xmlns: str = "") -> None:
    if el.tag is ET.Comment:
        out.append(f"<!--{el.text or ''}-->")
    elif el.tag is ET.ProcessingInstruction:
        out.append(f"<?{el.text or ''}?>")
    else:
        tag = names(el.tag)
        attrs = xmlns + "".join(f' {names(k, True)}="{_attr(v)}"' for k, v in el.attrib.items())
        if id(el) in raw:
            out += [f"<{tag}{attrs}>", list(raw[id(el)]), f"</{tag}>"]
        elif el.text or len(el):
            out.append(f"<{tag}{attrs}>{_text(el.text or '')}")
            for child in el:
                _write(child, out, names, raw)
            out.append(f"</{tag}>")
        else:
            out.append(f"<{tag}{attrs}/>")
    if el.tail:
        out.append(_text(el.tail))


def _text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attr(text: str) -> str:
    return _text(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def place(parent: ET.Element, child: ET.Element, order: list[str]) -> ET.Element:
    """Insert ``child`` where the schema's sequence ``order`` (local names) puts it among
    ``parent``'s children: before the first one that comes after it."""
    rank = order.index(local_name(child.tag))
    at = next((i for i, el in enumerate(parent) if local_name(el.tag) in order
               and order.index(local_name(el.tag)) > rank), len(parent))
    parent.insert(at, child)
    return child


def child(parent: ET.Element, local: str, order: list[str]) -> ET.Element:
    """``parent``'s child element named ``local`` (in parent's namespace), placed by ``order`` if new."""
    found = next((el for el in parent if local_name(el.tag) == local), None)
    if found is None:
        found = place(parent, ET.Element(q(_namespace(parent.tag) or "", local)), order)
    return found


@dataclass
class SheetXml:
    """A worksheet part: its head and tail parsed (around an empty ``sheetData``); its cells are the
    bytes ``source[start:stop]``, never parsed or copied."""

    part: XmlPart
    sheet_data: ET.Element
    source: bytes
    start: int
    stop: int

    def tobytes(self, cells: list | None = None) -> bytes:
        """The sheet with its head and tail as edited and ``cells`` (byte chunks; default: as read)."""
        if cells is None:
            cells = [memoryview(self.source)[self.start:self.stop]]
        return self.part.tobytes({id(self.sheet_data): cells})


class _Found(Exception):
    pass


def split_sheet(xml: bytes) -> SheetXml:
    """Parse a worksheet's head and tail; its ``sheetData`` content (every cell) stays bytes."""
    start, name = _sheet_data_tag(xml)
    tag_end = _start_tag_end(xml, start)
    if xml[tag_end - 2:tag_end] == b"/>":
        close = tail_at = tag_end
    else:
        close = xml.rfind(b"</" + name, tag_end)
        if close < 0:
            raise XmlError("worksheet sheetData is not closed")
        tail_at = xml.index(b">", close) + 1
    part = parse(xml[:start] + b"<" + name + b"/>" + xml[tail_at:])
    sheet_data = next(el for el in part.root if local_name(el.tag) == "sheetData")
    return SheetXml(part, sheet_data, xml, tag_end, close)


def _sheet_data_tag(xml: bytes) -> tuple[int, bytes]:
    """Byte offset and qualified name of the ``sheetData`` start tag; parses only what precedes it."""
    parser = expat.ParserCreate()
    found: list = []

    def start(name, _attrs):
        if name.rsplit(":", 1)[-1] == "sheetData":
            found.append((parser.CurrentByteIndex, name.encode("utf-8")))
            raise _Found

    def refuse(name, *_):
        raise DoctypeError(f"DOCTYPE {name} in a worksheet (not allowed in OOXML)")

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse
    try:
        for at in range(0, len(xml), 1 << 16):
            parser.Parse(xml[at:at + (1 << 16)], False)
        parser.Parse(b"", True)
    except _Found:
        return found[0]
    except expat.ExpatError as exc:
        raise XmlError(f"worksheet is not well-formed XML ({exc})") from exc
    raise XmlError("worksheet has no sheetData")


def _start_tag_end(xml: bytes, start: int) -> int:
    """Offset just past the start tag at ``start`` (a ``>`` inside a quoted attribute value is skipped)."""
    quote = None
    for i in range(start, len(xml)):
        ch = xml[i]
        if quote:
            quote = None if ch == quote else quote
        elif ch in b"\"'":
            quote = ch
        elif ch == 0x3E:   # '>'
            return i + 1
    raise XmlError("worksheet ends inside a tag")
