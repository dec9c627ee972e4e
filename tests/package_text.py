"""Every text a package holds, for the tests proving a file we hand out carries nothing internal."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path


def part_texts(path: Path) -> dict[str, str]:
    """Every part of the package: its raw text and, for XML, every text and attribute value parsed."""
    out = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            raw = archive.read(name).decode("utf-8")
            root = ET.fromstring(archive.read(name))
            values = [v for el in root.iter() for v in (el.text, el.tail, *el.attrib.values()) if v]
            out[name] = raw + "\n" + "\n".join(values)
    return out
