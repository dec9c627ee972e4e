"""Choose the sheet of a workbook that holds a table: the one named, else the best header match."""

from __future__ import annotations

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.schema import Table
from gendan_xl.model.values import sheet_key
from gendan_xl.importers.headers import MIN_MATCHES, HeaderRow, check_header, scan_header, seen_headers, wanted_headers
from gendan_xl.importers.reading import RawSheet


def pick_sheet(sheets: list[RawSheet], sheet, file=None) -> RawSheet:
    """The sheet at a 0-based index, or named (case and surrounding spaces ignored)."""
    names = [raw.name for raw in sheets]
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if 0 <= sheet < len(sheets):
            return sheets[sheet]
    elif isinstance(sheet, str):
        wanted = sheet_key(sheet.strip())
        for raw in sheets:
            if sheet_key(raw.name.strip()) == wanted:
                return raw
    raise GendanError("找不到工作表 sheet not found", file=file, value=sheet, expected=f"one of the sheets {names}",
                      code=ErrorCode.SHEET_MISSING)


def choose_sheet(sheets: list[RawSheet], table: Table, mapping=None, sheet=None, max_scan: int = 30,
                 *, file=None) -> tuple[RawSheet, HeaderRow]:
    """The sheet and header row to read ``table`` from; GendanError when no sheet has one.

    Without ``sheet``, the best header among the visible sheets wins; a hidden or very hidden sheet
    is never chosen (when only a hidden one has the header, the error names it). A visible sheet
    too large to read stops the import, since it may be the one that holds the table.
    """
    if sheet is not None:
        raw = pick_sheet(sheets, sheet, file)
        if raw.refused is not None:
            raise raw.refused
        return _best([raw], table, mapping, max_scan, file)
    refused = next((raw.refused for raw in sheets if raw.visible and raw.refused is not None), None)
    if refused is not None:
        if len(sheets) == 1:
            raise refused
        raise GendanError(refused.reason, file=refused.file, sheet=refused.sheet,
                          expected=f"{refused.expected}; or name the sheet to read (--sheet)", code=refused.code)
    visible = [raw for raw in sheets if raw.visible]
    hidden = [raw for raw in sheets if not raw.visible and raw.refused is None]
    try:
        return _best(visible, table, mapping, max_scan, file)
    except GendanError:
        found = [(raw, scan_header(raw.rows, table, mapping, max_scan, merged=raw.merged)) for raw in hidden]
        useful = [raw.name for raw, header in found if header is not None and header.score >= MIN_MATCHES]
        if useful:
            raise GendanError(f"表头只在隐藏的工作表中 only the hidden sheet(s) {useful} have the header; hidden sheets "
                              "are not read unless named", file=file, sheet=useful[0],
                              expected=f"--sheet {useful[0]!r} to read it (or unhide it in Excel)",
                              code=ErrorCode.HEADER_NOT_FOUND) from None
        raise


def _best(candidates: list[RawSheet], table: Table, mapping, max_scan: int, file) -> tuple[RawSheet, HeaderRow]:
    found = [(raw, scan_header(raw.rows, table, mapping, max_scan, merged=raw.merged,
                               where={"file": file, "sheet": raw.name})) for raw in candidates]
    raw, best = max(found, key=lambda pair: pair[1].score if pair[1] else -1, default=(None, None))
    if best is None or best.score < MIN_MATCHES:
        seen = {raw.name: seen_headers(header) for raw, header in found}
        where = f"sheet {candidates[0].name}" if len(candidates) == 1 else "any sheet"
        raise GendanError(f"找不到表头行 no header row found in the first {max_scan} rows of {where}", file=file,
                          value=seen, expected=wanted_headers(table), code=ErrorCode.HEADER_NOT_FOUND)
    check_header(best, table, mapping, max_scan, {"file": file, "sheet": raw.name})
    return raw, best
