"""Edits of a worksheet outside its cells, through the parser: the code name that ties a sheet to its
VBA document module, and the ranges of conditional formats and validations."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from gendan_xl.ooxml.xml_part import local_name, q, split_sheet


def code_name(sheet_xml: bytes) -> str | None:
    """The sheet's ``sheetPr codeName`` (None when it has none)."""
    root = split_sheet(sheet_xml).part.root
    pr = next((el for el in root if local_name(el.tag) == "sheetPr"), None)
    return None if pr is None else pr.get("codeName")


def with_code_name(sheet_xml: bytes, name: str) -> bytes:
    """The sheet with ``sheetPr codeName`` set (a new sheetPr is the first child, as the schema wants)."""
    sheet = split_sheet(sheet_xml)
    root = sheet.part.root
    pr = next((el for el in root if local_name(el.tag) == "sheetPr"), None)
    if pr is None:
        pr = ET.Element(q(root.tag[1:].split("}")[0], "sheetPr"))
        root.insert(0, pr)
    pr.set("codeName", name)
    return sheet.tobytes()


def extend_sqrefs(sheet_xml: bytes, old: str, new: str) -> bytes:
    """Grow conditional formats and validations (``sqref`` attributes and x14 ``xm:sqref``
    elements) that covered the range ``old`` to ``new``."""
    sheet = split_sheet(sheet_xml)
    changed = False
    for el in sheet.part.root.iter():
        refs = el.get("sqref")
        if refs and old in refs.split():
            el.set("sqref", " ".join(new if r == old else r for r in refs.split()))
            changed = True
        if local_name(el.tag) == "sqref" and el.text and old in el.text.split():
            el.text = " ".join(new if r == old else r for r in el.text.split())
            changed = True
    return sheet.tobytes() if changed else sheet_xml
