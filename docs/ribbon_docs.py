"""Rewrite the parts of docs/excel.md generated from the ribbon's definition
(``gendan_xl/xlsm/ribbon_xml.py`` BUTTONS): the table of buttons and the number of buttons the
checklist counts. Each part sits between ``<!-- NAME ... -->`` and ``<!-- /NAME -->``;
tests/test_excel_commands.py fails when the file differs from what this writes.

usage: python docs/ribbon_docs.py   (or: make ribbon-docs)
"""

from __future__ import annotations

import re
from pathlib import Path

from gendan_xl.xlsm.ribbon_xml import BUTTONS, buttons_table

EXCEL_MD = Path(__file__).with_name("excel.md")
BLOCKS = {"ribbon-buttons": lambda: "\n\n" + buttons_table() + "\n\n"}   # whole lines, blank-line apart
INLINE = {"ribbon-button-count": lambda: str(len(BUTTONS))}       # within a sentence


def render(text: str) -> str:
    """``text`` with every generated part rewritten; ValueError when a marker pair is missing."""
    for name, make in {**BLOCKS, **INLINE}.items():
        pattern = re.compile(rf"(<!-- {re.escape(name)}\b[^>]*-->)(.*?)(<!-- /{re.escape(name)} -->)", re.DOTALL)
        if not pattern.search(text):
            raise ValueError(f"docs/excel.md: no <!-- {name} --> ... <!-- /{name} --> markers")
        text = pattern.sub(lambda m, make=make: m.group(1) + make() + m.group(3), text)
    return text


def main() -> None:
    text = EXCEL_MD.read_text(encoding="utf-8")
    EXCEL_MD.write_text(render(text), encoding="utf-8")


if __name__ == "__main__":
    main()
