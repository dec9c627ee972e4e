"""Render one sheet of a workbook to PNG with LibreOffice (for the README screenshots).

usage: python docs/render_sheet.py WORKBOOK "SHEET NAME" OUT.png
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl


def render(workbook: Path, sheet: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "sheet.xlsx"
        wb = openpyxl.load_workbook(workbook)
        for name in wb.sheetnames:
            if name != sheet:
                del wb[name]
        wb.save(copy)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--convert-to", "pdf", "--outdir", tmp, str(copy)], check=True, capture_output=True)
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile",
                        str(Path(tmp) / "sheet.pdf"), str(Path(tmp) / "page")], check=True)
        shutil.copy(Path(tmp) / "page.png", out)


if __name__ == "__main__":
    render(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
