"""PDF through LibreOffice headless: a workbook we wrote, printed as its print setup says, dated as
the document is (not by the clock): the same workbook prints to the same bytes on any machine and day."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
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


def to_pdf(workbook: Path, pdf: Path, dated: dt.date) -> None:
    """Print ``workbook`` to ``pdf`` (replaced atomically) with LibreOffice in a fresh profile of its
    own (so a LibreOffice the user has open is neither used nor disturbed), dated ``dated``
    (``dated_pdf``)."""
    exe = soffice()
    if exe is None:
        raise GendanError(NOT_INSTALLED, file=pdf, code=ErrorCode.PDF_FAILED)
    with tempfile.TemporaryDirectory(prefix="gendan-pdf-") as folder:
        profile = Path(folder) / "profile"
        try:
            proc = subprocess.run([exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                                   "--convert-to", "pdf", "--outdir", folder, str(workbook)],
                                  capture_output=True, text=True, timeout=TIMEOUT,
                                  env={**os.environ, "TZ": "UTC"})   # its dates written in one form: ...Z'
        except subprocess.TimeoutExpired:
            raise GendanError(f"LibreOffice 超过 {TIMEOUT} 秒未完成 LibreOffice did not finish within "
                              f"{TIMEOUT} s", file=pdf, code=ErrorCode.PDF_FAILED) from None
        made = Path(folder) / (workbook.stem + ".pdf")
        if proc.returncode != 0 or not made.is_file():
            raise GendanError("LibreOffice 未能生成 PDF LibreOffice could not make the PDF", file=pdf,
                              value=(proc.stderr or proc.stdout).strip()[-300:] or None, code=ErrorCode.PDF_FAILED)
        data = dated_pdf(made.read_bytes(), dated)
        write_atomically(pdf, lambda tmp: Path(tmp).write_bytes(data))


_DATE = re.compile(rb"/(?:CreationDate|ModDate)\s*\(D:([0-9]{14})([+-][0-9]{2}'[0-9]{2}')?")
_HEX_IDS = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]{32})>\s*<([0-9A-Fa-f]{32})>\s*\]|/DocChecksum\s*/([0-9A-Fa-f]{32})")


def dated_pdf(data: bytes, day: dt.date) -> bytes:
    """``data``, a PDF LibreOffice made, with its creation (and modification) date set to ``day``
    at midnight (a zone offset, where LibreOffice wrote one, as +00'00') and its file ID and checksum
    made from its content instead of the clock; each is rewritten in place at the same length, so
    every offset in the file stays right."""
    stamp = day.strftime("%Y%m%d000000").encode()
    data = _DATE.sub(lambda m: m.group(0)[:m.start(1) - m.start(0)] + stamp + (b"+00'00'" if m.group(2) else b""), data)
    blanked = _HEX_IDS.sub(lambda m: _with_groups(m, b"0" * 32), data)
    digest = hashlib.md5(blanked, usedforsecurity=False).hexdigest().upper().encode()
    return _HEX_IDS.sub(lambda m: _with_groups(m, digest), data)


def _with_groups(found: re.Match, value: bytes) -> bytes:
    """The text ``found`` matched with each of its groups that took part replaced by ``value``."""
    text, start = found.group(0), found.start(0)
    spans = [found.span(k) for k in range(1, (found.lastindex or 0) + 1) if found.start(k) >= 0]
    for a, b in reversed(spans):
        text = text[:a - start] + value + text[b - start:]
    return text
