"""Choose the sheet of a workbook that holds a table: the one named, else the best header match."""

from __future__ import annotations

from ..errors import GendanError
from ..schema import Table
from .headers import MIN_MATCHES, HeaderRow, check_header, scan_header, seen_headers, wanted_headers
from .reading import RawSheet


def pick_sheet(sheets: list[RawSheet], sheet, file=None) -> RawSheet:
    """The sheet at a 0-based index, or named (case and surrounding spaces ignored)."""
    names = [raw.name for raw in sheets]
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if 0 <= sheet < len(sheets):
            return sheets[sheet]
    elif isinstance(sheet, str):
        wanted = sheet.strip().casefold()
        for raw in sheets:
            if raw.name.strip().casefold() == wanted:
                return raw
    raise GendanError("找不到工作表 sheet not found", file=file, value=sheet, expected=f"one of the sheets {names}")


def choose_sheet(sheets: list[RawSheet], table: Table, mapping=None, sheet=None, max_scan: int = 30,
                 *, file=None) -> tuple[RawSheet, HeaderRow]:
    """The sheet and header row to read ``table`` from; GendanError when no sheet has one."""
    candidates = [pick_sheet(sheets, sheet, file)] if sheet is not None else sheets
    found = [(raw, scan_header(raw.rows, table, mapping, max_scan, merged=raw.merged,
                               where={"file": file, "sheet": raw.name})) for raw in candidates]
    raw, best = max(found, key=lambda pair: pair[1].score if pair[1] else -1, default=(None, None))
    if best is None or best.score < MIN_MATCHES:
        seen = {raw.name: seen_headers(header) for raw, header in found}
        where = f"sheet {candidates[0].name}" if len(candidates) == 1 else "any sheet"
        raise GendanError(f"找不到表头行 no header row found in the first {max_scan} rows of {where}", file=file,
                          value=seen, expected=wanted_headers(table))
    check_header(best, table, mapping, max_scan, {"file": file, "sheet": raw.name})
    return raw, best
