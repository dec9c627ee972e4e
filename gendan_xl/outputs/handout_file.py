"""A file we hand a customer (the customer report, the quotation): a new small xlsx holding one
generated sheet, never the master.

Document properties are neutral: creator ``gendan_xl`` (never the user's login), the document's
title, no company, manager, keywords or custom properties; created and modified on the as-of date
(never the wall clock: the same master and as-of date give the same file).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from copy import copy
from dataclasses import dataclass
from pathlib import Path

from gendan_xl.ooxml.package import Package
from gendan_xl.ooxml.styles_part import StyleBook
from gendan_xl.sheets.cells import legal_text
from gendan_xl.sheets.sheet_render import PRINT_TITLES, SheetSpec, print_titles_ref, render_sheet

CREATOR = "gendan_xl"


@dataclass(frozen=True)
class Handout:
    """A kind of file we hand a customer: its name in Chinese (the default file name's start) and in
    English, and its one sheet (an existing workbook holding only that sheet may be replaced)."""

    zh: str
    en: str
    sheet: str


def write_handout(path: Path, spec: SheetSpec, title: str, as_of: dt.date) -> None:
    """Write ``spec`` as the only sheet of a new workbook titled ``title``, dated ``as_of``, at
    ``path`` (a new file replacing any earlier one atomically)."""
    # openpyxl only when writing: the commands that only name a handout start quicker
    from openpyxl import Workbook
    from openpyxl.xml.functions import tostring

    with tempfile.TemporaryDirectory(prefix="gendan-handout-") as folder:
        skeleton = Path(folder) / "skeleton.xlsx"
        book = Workbook()
        book.active.title = spec.name
        book.properties.creator = CREATOR
        book.properties.title = legal_text(title)
        book.save(skeleton)   # openpyxl stamps "modified" with the clock on save: the dates are put after
        dated = copy(book.properties)
        dated.created = dated.modified = dt.datetime.combine(as_of, dt.time())
        package = Package(skeleton)
        package.put("docProps/core.xml", tostring(dated.to_tree()))
        styles = StyleBook(package.get("xl/styles.xml"))
        package.put(package.sheet(spec.name).part, render_sheet(spec, styles.index).encode("utf-8"))
        package.put("xl/styles.xml", styles.xml())
        package.set_sheet_name(PRINT_TITLES, spec.name, print_titles_ref(spec))
        package.save(path, backup=False)

