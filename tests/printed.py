"""Checks of a sheet as printed: LibreOffice prints it to PDF; no word may be drawn over another
(../shared/tools/pdf_overlaps.py) and every header, label and name shows whole."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from libreoffice import sheet_pdf

REPO = Path(__file__).resolve().parents[1]
OVERLAPS = REPO.parent / "shared" / "tools" / "pdf_overlaps.py"
HEADER_FILL = "FF305496"
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def pdf_words(pdf: Path) -> list[list[tuple]]:
    """Each page's words as pdftotext finds them: (x0, y0, x1, y1, text)."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [[(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in _WORD.findall(page)]
            for page in out.split("<page ")[1:]]


def shown_whole(text: str, pages: list[list[tuple]]) -> bool:
    """True when the words of ``text`` are printed in order as one cell prints them: each word right
    after the one before on its line, or at the start of a following line below the first word."""
    target = re.sub(r"\s+", "", text)

    def rest_follows(words, first, last, rest) -> bool:
        if not rest:
            return True
        height = last[3] - last[1]
        return any(rest_follows(words, first, w, rest[len(w[4]):]) for w in words if w[4] and rest.startswith(w[4])
                   and ((abs(w[1] - last[1]) < height / 2 and -1 <= w[0] - last[2] < height * 1.5)
                        or (0 < w[1] - last[1] < height * 2.2 and abs(w[0] - first[0]) < height * 1.5)))

    return any(rest_follows(words, w, w, target[len(w[4]):]) for words in pages for w in words
               if w[4] and target.startswith(w[4]))


def sheet_texts(path: Path, sheet: str) -> tuple[list[str], list[str]]:
    """(header texts, every other text) of a sheet as written."""
    ws = openpyxl.load_workbook(path)[sheet]
    headers, others = [], []
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip() and not set(cell.value) <= {"_"}:
                (headers if cell.fill.fgColor.rgb == HEADER_FILL else others).append(cell.value)
    return headers, others


def check_sheet(path: Path, sheet: str, outdir: Path, table_headers: list[str] | None = None) -> list:
    """No overlapping words; every header (``table_headers``, else every header cell and every other
    text of the sheet) shown whole. Returns the printed pages' words."""
    if not OVERLAPS.is_file():
        pytest.skip("../shared/tools/pdf_overlaps.py not present beside the repository (CI has ../shared)")
    pdf = sheet_pdf(path, sheet, outdir)
    proc = subprocess.run([sys.executable, str(OVERLAPS), str(pdf), "--examples", "5"], capture_output=True,
                          text=True, cwd=REPO)
    assert proc.returncode == 0 and proc.stdout.startswith("0 overlapping"), f"{sheet}: {proc.stdout}"
    pages = pdf_words(pdf)
    headers, others = sheet_texts(path, sheet) if table_headers is None else (table_headers, [])
    assert headers
    for text in headers + others:
        assert shown_whole(text, pages), f"{sheet}: {text!r} is not shown whole"
    return pages
