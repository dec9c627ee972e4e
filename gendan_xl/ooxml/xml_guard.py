"""Refuse XML parts that declare a DOCTYPE: a master's before any reader or patcher touches them, a
file from outside as its parts are read (``untrusted``).

Excel never writes a DOCTYPE; one in a part means a crafted or broken file (entity tricks), which
the readers would reject with their own tracebacks and the patcher would copy into the saved file.
"""

from __future__ import annotations

from gendan_xl.model.errors import ErrorCode, GendanError


def has_doctype(data: bytes) -> bool | None:
    """True when an XML document declares a DOCTYPE (any letter case). A DOCTYPE can only stand in
    the prolog, before the root element, so only the prolog is searched (a sheet of 200 MB is not
    scanned). None when ``data`` (e.g. the head of a part) ends inside the prolog."""
    at = 0
    while True:
        at = data.find(b"<", at)
        if at < 0:
            return None
        if data[at + 1:at + 2] == b"?":            # the declaration or a processing instruction
            at = data.find(b"?>", at + 2)
        elif data[at + 1:at + 4] == b"!--":        # a comment
            at = data.find(b"-->", at + 4)
        elif data[at + 1:at + 2] == b"!":
            return data[at + 2:at + 9].upper() == b"DOCTYPE" if len(data) >= at + 9 else None
        else:                                      # the root element: the prolog is over
            return False
        if at < 0:
            return None


def check_no_doctype(package, file) -> None:
    """GendanError naming the first part of the package's workbook, shared strings, styles and
    sheets (and that sheet) that declares a DOCTYPE."""
    parts = {part: None for part in ("xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml")}
    parts.update({ref.part: ref.name for ref in package.sheets})
    for part, sheet in parts.items():
        if not package.has(part):
            continue
        found = has_doctype(package.head(part))   # a large sheet: only its first bytes
        if found is None:
            found = has_doctype(package.get(part))
        if found:
            raise GendanError(f"工作簿含有 DOCTYPE 声明 the workbook's part {part} declares a DOCTYPE, which Excel "
                              "never writes (a crafted or damaged file); it is not read", file=file, sheet=sheet,
                              expected="a master saved by Excel or gendan (restore master.bak.xlsx or save it anew)",
                              code=ErrorCode.UNSAFE_FILE)
