"""Sheet names Excel accepts: at most 31 characters, none of ``[ ] : * ? / \\``, no apostrophe at
either end, no control characters, and unique ignoring case (Excel rejects the workbook otherwise)."""

from __future__ import annotations

import re

from gendan_xl.sheets.cells import fitting

MAX_SHEET_NAME = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_DROPPED = re.compile("[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def numbered_name(prefix: str, middle: str, tail: str, n: int = 1) -> str:
    """``prefix + middle + tail``, `` (n)`` appended from n = 2 on, as a valid sheet name: forbidden
    characters become ``_``, control characters are dropped, ``middle`` is cut to fit 31 characters."""
    prefix, middle, tail = (_FORBIDDEN.sub("_", _DROPPED.sub("", part)) for part in (prefix, middle, tail))
    counter = f" ({n})" if n > 1 else ""
    room = max(0, MAX_SHEET_NAME - len(prefix) - len(tail) - len(counter))
    name = prefix + (middle[:fitting(middle, room)] or "_") + tail
    name = name[:fitting(name, MAX_SHEET_NAME - len(counter))] + counter
    return name.strip("'") or "_"
