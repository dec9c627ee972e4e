"""PDF through LibreOffice headless: a workbook we wrote, printed as its print setup says."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.ooxml.files import write_atomically

# Where the installers put soffice when it is not on the PATH.
_KNOWN = {"darwin": ["/Applications/LibreOffice.app/Contents/MacOS/soffice"],
          "win32": [r"C:\Program Files\LibreOffice\program\soffice.exe",
                    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"]}
TIMEOUT = 300
NOT_INSTALLED = ("未安装 LibreOffice，无法生成 PDF：请安装 LibreOffice (https://www.libreoffice.org)，或改用 .xlsx "
                 "LibreOffice is not installed, so no PDF can be made: install LibreOffice or write an .xlsx "
                 "(--out FILE.xlsx)")


def soffice() -> str | None:
    """The LibreOffice binary: on the PATH, else where its installer puts it; None when absent."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    return found or next((p for p in _KNOWN.get(sys.platform, []) if Path(p).is_file()), None)


def to_pdf(workbook: Path, pdf: Path) -> None:
    """Print ``workbook`` to ``pdf`` (replaced atomically) with LibreOffice in a fresh profile of its
    own (so a LibreOffice the user has open is neither used nor disturbed)."""
    exe = soffice()
    if exe is None:
        raise GendanError(NOT_INSTALLED, file=pdf, code=ErrorCode.PDF_FAILED)
    with tempfile.TemporaryDirectory(prefix="gendan-pdf-") as folder:
        profile = Path(folder) / "profile"
        try:
            proc = subprocess.run([exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                                   "--convert-to", "pdf", "--outdir", folder, str(workbook)],
                                  capture_output=True, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise GendanError(f"LibreOffice 超过 {TIMEOUT} 秒未完成 LibreOffice did not finish within "
                              f"{TIMEOUT} s", file=pdf, code=ErrorCode.PDF_FAILED) from None
        made = Path(folder) / (workbook.stem + ".pdf")
        if proc.returncode != 0 or not made.is_file():
            raise GendanError("LibreOffice 未能生成 PDF LibreOffice could not make the PDF", file=pdf,
                              value=(proc.stderr or proc.stdout).strip()[-300:] or None, code=ErrorCode.PDF_FAILED)
        write_atomically(pdf, lambda tmp: shutil.copyfile(made, tmp))
