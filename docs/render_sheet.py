"""Render one sheet of a workbook to PNG with LibreOffice (for the README screenshots): the sheet is
printed from a copy with every other sheet hidden, so its chart and print setup are kept.

usage: python docs/render_sheet.py WORKBOOK "SHEET NAME" OUT.png [--page-with TEXT] [--crop [--body]]
                                  [--quotation CUSTOMER | --shipment SHIPMENT_NO] [--as-of YYYY-MM-DD]

``--page-with``: the first printed page showing TEXT (default: page 1); ``--crop``: only the part
of the page the text covers (a short sheet on a big page); ``--body``: that part without the page
header and footer (a few rows on a landscape page), e.g. docs/samples.png::

    python docs/render_sheet.py workbooks/demo/master.xlsx "样品跟进 Sample follow-up" docs/samples.png \
        --crop --body

``--quotation``: WORKBOOK is a master, and
the sheet rendered is the 报价单 Quotation of CUSTOMER that ``gendan quote --customer`` writes, e.g.
docs/quotation.png::

    python docs/render_sheet.py workbooks/demo/master.xlsx "报价单 Quotation" docs/quotation.png \
        --quotation CUSTOMER --as-of 2026-11-26 --crop

``--shipment``: WORKBOOK is a master, and the sheet rendered is one of the documents ``gendan ship``
writes for SHIPMENT_NO (its sheet name says which: "商业发票 Commercial Invoice", "装箱单 Packing List",
"出运通知 Shipping Advice", "报关资料 Customs Data"), written despite failing checks, e.g. docs/invoice.png::

    python docs/render_sheet.py workbooks/demo/master.xlsx "商业发票 Commercial Invoice" docs/invoice.png \
        --shipment SH-1 --as-of 2026-11-26 --crop
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from gendan_xl import actions
from gendan_xl.ooxml.package import Package
from gendan_xl.ooxml.xml_part import NS_MAIN, q


def render(workbook: Path, sheet: str, out: Path, page_with: str | None = None, crop: bool = False,
           body: bool = False) -> None:
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
        pdf = Path(tmp) / "sheet.pdf"
        page = _page_with(pdf, page_with) if page_with else 1
        box = _text_box(pdf, page, body) if crop else []
        subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile", *box,
                        str(pdf), str(Path(tmp) / "page")], check=True)
        shutil.copy(Path(tmp) / "page.png", out)


DPI = 110


def _page_with(pdf: Path, text: str) -> int:
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                           text=True).stdout.split("\f")
    return next(n for n, words in enumerate(pages, start=1) if text in words)


def _text_box(pdf: Path, page: int, body: bool = False) -> list[str]:
    """pdftoppm's crop options for the words of the page, with a margin (``body``: not the page header's
    and footer's words)."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    boxes = [[float(v) for v in m] for m in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"',
                                                        html)]
    margin = 12
    if body:   # the page header is the top line of words, the footer the bottom one
        top, bottom = min(b[1] for b in boxes), max(b[3] for b in boxes)
        header = max(b[3] for b in boxes if b[1] <= top + 2)
        boxes = [b for b in boxes if b[1] > top + 2 and b[3] < bottom - 2]
        margin = min(margin, min(b[1] for b in boxes) - header - 1)
    x0, y0 = min(b[0] for b in boxes) - 12, min(b[1] for b in boxes) - margin
    x1, y1 = max(b[2] for b in boxes) + 30, max(b[3] for b in boxes) + 12   # fills reach past the words
    scale = DPI / 72
    return ["-x", str(int(x0 * scale)), "-y", str(int(y0 * scale)), "-W", str(int((x1 - x0) * scale)),
            "-H", str(int((y1 - y0) * scale))]


def render_quotation(master: Path, customer: str, sheet: str, out: Path, as_of: dt.date | None,
                     crop: bool = False) -> None:
    """Write the quotation of ``customer`` from ``master`` (only read) and render its sheet."""
    with tempfile.TemporaryDirectory() as tmp:
        written = actions.quotation(master, customer=customer, out=Path(tmp) / "quotation.xlsx", as_of=as_of)
        render(Path(written.file), sheet, out, crop=crop)


def render_shipment(master: Path, shipment: str, sheet: str, out: Path, as_of: dt.date | None,
                    crop: bool = False) -> None:
    """Write the documents of ``shipment`` from ``master`` (only read) and render the one whose sheet is ``sheet``."""
    with tempfile.TemporaryDirectory() as tmp:
        written = actions.ship(master, shipment, out=Path(tmp), despite_checks=True, as_of=as_of)
        path = next(Path(f) for f in written.files if Path(f).name.startswith(sheet.split()[0] + "_"))
        render(path, sheet, out, crop=crop)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("workbook", type=Path)
    parser.add_argument("sheet")
    parser.add_argument("out", type=Path)
    parser.add_argument("--page-with")
    parser.add_argument("--crop", action="store_true")
    parser.add_argument("--body", action="store_true")
    parser.add_argument("--quotation", metavar="CUSTOMER")
    parser.add_argument("--shipment", metavar="SHIPMENT_NO")
    parser.add_argument("--as-of", type=dt.date.fromisoformat)
    args = parser.parse_args()
    if args.quotation:
        render_quotation(args.workbook, args.quotation, args.sheet, args.out, args.as_of, args.crop)
    elif args.shipment:
        render_shipment(args.workbook, args.shipment, args.sheet, args.out, args.as_of, args.crop)
    else:
        render(args.workbook, args.sheet, args.out, args.page_with, args.crop, args.body)
