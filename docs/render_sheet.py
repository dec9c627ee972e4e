"""Render one sheet of a workbook to PNG with LibreOffice (for the README screenshots): the sheet is
printed from a copy with every other sheet hidden, so its chart and print setup are kept.

usage: python docs/render_sheet.py WORKBOOK "SHEET NAME" OUT.png
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from gendan_xl.workbook.package import Package
from gendan_xl.workbook.xml_part import NS_MAIN, q


def render(workbook: Path, sheet: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "sheet.xlsx"
        package = Package(workbook)
        book = package.xml("xl/workbook.xml")
        names = [el.get("name") for el in book.root.iter(q(NS_MAIN, "sheet"))]
        for el in book.root.iter(q(NS_MAIN, "sheet")):
            el.set("state", "visible" if el.get("name") == sheet else "hidden")
        for view in book.root.iter(q(NS_MAIN, "workbookView")):
            view.set("activeTab", str(names.index(sheet)))
            view.set("firstSheet", str(names.index(sheet)))
        package.put_xml("xl/workbook.xml", book)
        package.save(copy, backup=False)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--convert-to", "pdf", "--outdir", tmp, str(copy)], check=True, capture_output=True)
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile",
                        str(Path(tmp) / "sheet.pdf"), str(Path(tmp) / "page")], check=True)
        shutil.copy(Path(tmp) / "page.png", out)


if __name__ == "__main__":
    render(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
