"""Run LibreOffice headless on a workbook we wrote, with a fresh profile that always recalculates."""

from __future__ import annotations

import csv
import shutil
import subprocess
import tempfile
from pathlib import Path

_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str:
    """The soffice binary; CI installs libreoffice-calc-nogui, so a missing one is a failure."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe, "LibreOffice (soffice) is required: apt-get install libreoffice-calc-nogui"
    return exe


def convert(path: Path, fmt: str, outdir: Path, *, timeout: int = 180) -> Path:
    """Convert ``path`` with LibreOffice headless; return the output file (asserts it exists)."""
    proc = _run(path, fmt, outdir, timeout)
    out = outdir / (path.stem + "." + fmt.split(":")[0])
    assert proc.returncode == 0 and out.exists(), f"LibreOffice failed on {path}: {proc.stdout} {proc.stderr}"
    return out


def sheet_csv(path: Path, sheet: str, outdir: Path, *, timeout: int = 180) -> list[list[str]]:
    """The cells of one sheet as LibreOffice reads them (its CSV export of every sheet, UTF-8)."""
    proc = _run(path, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                outdir, timeout)
    out = outdir / f"{path.stem}-{sheet}.csv"
    assert proc.returncode == 0 and out.exists(), f"LibreOffice failed on {path}: {proc.stdout} {proc.stderr}"
    with out.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _run(path: Path, fmt: str, outdir: Path, timeout: int) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_RECALC_ALWAYS, encoding="utf-8")
        return subprocess.run(
            [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", fmt, "--outdir", str(outdir), str(path)],
            capture_output=True, text=True, timeout=timeout)


def sheet_pdf(path: Path, sheet: str, outdir: Path, *, timeout: int = 180) -> Path:
    """One sheet of a workbook printed to PDF by LibreOffice, as a user printing it would get it:
    a copy with every other sheet hidden (so charts and print settings stay as written)."""
    from gendan_xl.ooxml.package import Package
    from gendan_xl.ooxml.xml_part import NS_MAIN, q
    package = Package(path)
    workbook = package.xml("xl/workbook.xml")
    names = [el.get("name") for el in workbook.root.iter(q(NS_MAIN, "sheet"))]
    for el in workbook.root.iter(q(NS_MAIN, "sheet")):
        if el.get("name") == sheet:
            el.attrib.pop("state", None)
        else:
            el.set("state", "hidden")
    for view in workbook.root.iter(q(NS_MAIN, "workbookView")):
        view.set("activeTab", str(names.index(sheet)))
        view.set("firstSheet", str(names.index(sheet)))
    package.put_xml("xl/workbook.xml", workbook)
    copy = outdir / f"sheet{names.index(sheet) + 1}.xlsx"
    package.save(copy, backup=False)
    return convert(copy, "pdf", outdir, timeout=timeout)
