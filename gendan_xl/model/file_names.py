"""File names that every platform accepts (Windows being the strictest), Chinese names kept.

Windows forbids ``< > : " / \\ | ? *`` and control characters, a trailing dot or space, and the
device names CON, PRN, AUX, NUL, COM1-9, LPT1-9 (with any extension); it compares names ignoring
case. Names are kept to 80 characters so a folder path plus the name stays under the old 260 limit.
"""

from __future__ import annotations

import re
import unicodedata

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_STEM = 80


def safe_stem(text: str, fallback: str = "_") -> str:
    """``text`` as a file-name stem: forbidden characters as ``_``, spaces collapsed, trailing dots
    and spaces dropped, device names prefixed with ``_``, at most ``MAX_STEM`` characters."""
    stem = unicodedata.normalize("NFC", str(text))
    stem = re.sub(r"\s+", " ", _FORBIDDEN.sub("_", stem)).strip()[:MAX_STEM].rstrip(". ")
    if not stem:
        return fallback
    return "_" + stem if stem.split(".")[0].upper() in _DEVICES else stem


def unique_names(stems: list[str], suffix: str) -> list[str]:
    """``stem + suffix`` for each stem, made unique ignoring case with `` (2)``, `` (3)`` …"""
    taken: set[str] = set()
    out = []
    for stem in stems:
        name, n = stem + suffix, 1
        while name.casefold() in taken:
            n += 1
            name = f"{stem} ({n}){suffix}"
        taken.add(name.casefold())
        out.append(name)
    return out
