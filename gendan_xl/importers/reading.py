"""Read every sheet of a supplier file as raw rows: workbooks through python-calamine, text through csv.

Rows keep the file's leading empty rows and columns, so ``rows[i]`` is Excel row (csv line) ``i + 1``;
in a csv whose quoted cells span lines, record ``i`` starts on line ``line_numbers[i]``. Empty cells
are ``""``; Excel error cells (``#N/A``) also read as ``""`` (calamine does not expose them); for .xlsx
and .xlsm their positions and texts come in ``errors``, found by the package scan.
Before a sheet is laid out, its size is checked (``limits``): an oversized sheet comes back with no
rows and the error that refused it (``sheets.choose_sheet`` decides: a hidden sheet or one not named
when another is does not stop the import). A csv has at most ``max_rows`` records.
Hidden and very hidden sheets are marked, so they are never chosen over visible ones.
A file is read once (``read_source``): profile detection and extraction share its ``SourceFile``.
The file's kind is taken from its bytes, not only its extension, so an .xls that is really
tab-separated text or an .xlsx that is really an .xls still reads. Merged ranges come with .xlsx and
.xls sheets; calamine reports none for .ods.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import python_calamine as calamine

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.ooxml.untrusted import open_package, worksheet_parts
from gendan_xl.importers.delimited import parse_delimited
from gendan_xl.importers.gcpause import gc_paused
from gendan_xl.importers.limits import MAX_RATIO, MAX_ROWS, MAX_UNPACKED_BYTES, RATIO_MIN_BYTES, check_extent
from gendan_xl.importers.package_scan import ods_extents, scan_sheet

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
_ZIP_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".ods")

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_ENCRYPTION = "EncryptionInfo".encode("utf-16-le")
_ENCRYPTED = "工作簿已加密或有密码 the workbook is encrypted or password-protected"
_UNLOCK = "a workbook without a password (open it in Excel, remove the password, save)"


@dataclass(frozen=True)
class RawSheet:
    """One sheet as read: its name, rows of cell values, merged ranges and (csv) record line numbers."""

    name: str
    rows: list[list]
    merged: tuple[tuple[int, int, int, int], ...] = ()  # 0-based inclusive (row0, col0, row1, col1)
    line_numbers: list[int] | None = None
    visible: bool = True
    errors: tuple[tuple[int, int, str], ...] = ()        # Excel error cells: 0-based row, col, text
    formulas: tuple[tuple[int, int, str], ...] = ()      # formulas without a saved value: row, col, formula
    refused: GendanError | None = None                   # why the sheet was not read (too large)

    def row_number(self, index: int) -> int:
        """The Excel row (csv: line) number of ``rows[index]``."""
        return self.line_numbers[index] if self.line_numbers is not None else index + 1


@dataclass(frozen=True)
class SourceFile:
    """A file read once: its path and every sheet."""

    path: Path
    sheets: list[RawSheet]

    @property
    def name(self) -> str:
        return self.path.name


def read_source(path, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceFile:
    """The file at ``path`` with all its sheets (see ``read_sheets``)."""
    return SourceFile(Path(path), read_sheets(path, max_bytes))


def read_sheets(path, max_bytes: int = DEFAULT_MAX_BYTES, max_rows: int = MAX_ROWS) -> list[RawSheet]:
    """All sheets of a workbook, or the one sheet (named after the file stem) of a csv file; a csv
    of more than ``max_rows`` records is an error."""
    path = Path(path)
    data = _read_bytes(path, max_bytes)
    suffix = path.suffix.lower()
    if data.startswith((_ZIP, _OLE)):
        return _read_workbook(path, data, max_rows)
    if suffix in WORKBOOK_SUFFIXES and data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise GendanError("文件是网页或 XML，不是工作簿 the file is a web page or XML saved with a workbook extension", file=path.name,
                          expected="a real workbook (open it in Excel and save as .xlsx)", code=ErrorCode.BAD_WORKBOOK)
    if suffix not in WORKBOOK_SUFFIXES + TEXT_SUFFIXES:
        raise GendanError(f"不支持的文件类型 unsupported file type {suffix or '(none)'}", file=path.name,
                          expected=", ".join(WORKBOOK_SUFFIXES + TEXT_SUFFIXES), code=ErrorCode.WRONG_FILE_TYPE)
    if suffix in _ZIP_SUFFIXES:
        raise GendanError("文件已损坏或不是工作簿 the file is corrupt or not a workbook (it is not a zip package)", file=path.name,
                          expected=f"a {suffix} workbook", code=ErrorCode.BAD_WORKBOOK)
    rows, lines = parse_delimited(data, path.name, max_rows)
    return [RawSheet(path.stem, rows, line_numbers=lines)]


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    if not path.exists():
        raise GendanError("找不到文件 file not found", file=path, code=ErrorCode.FILE_NOT_FOUND)
    if not path.is_file():
        raise GendanError("不是文件 not a file", file=path, expected="a workbook or csv file", code=ErrorCode.WRONG_PATH)
    size = path.stat().st_size
    if size == 0:
        raise GendanError("文件是空的 the file is empty", file=path.name, expected="a header row and data rows",
                          code=ErrorCode.EMPTY_FILE)
    if size > max_bytes:
        raise GendanError(f"文件太大 the file is {size / 2**20:.1f} MB, larger than the {max_bytes / 2**20:.3g} MB limit",
                          file=path.name, expected="a smaller file (split it, or raise the limit)",
                          code=ErrorCode.TOO_LARGE)
    return path.read_bytes()


def _read_workbook(path: Path, data: bytes, max_rows: int) -> list[RawSheet]:
    if data.startswith(_OLE) and _OLE_ENCRYPTION in data:
        raise GendanError(_ENCRYPTED, file=path.name, expected=_UNLOCK, code=ErrorCode.ENCRYPTED)
    scans = _scan_package(path, data, max_rows) if data.startswith(_ZIP) else {}
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for meta in book.sheets_metadata:
            if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                continue
            visible = meta.visible == calamine.SheetVisibleEnum.Visible
            try:
                sheet = _open_sheet(book, meta.name, scans.get(meta.name), path.name, max_rows)
            except GendanError as exc:
                sheets.append(RawSheet(meta.name, [], visible=visible, refused=exc))
                continue
            merged = tuple((r0, c0, r1, c1) for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or ())
            with gc_paused():
                rows = sheet.to_python(skip_empty_area=False)
            scan = scans.get(meta.name)
            sheets.append(RawSheet(meta.name, rows, merged, visible=visible, errors=scan.errors if scan else (),
                                   formulas=scan.formulas if scan else ()))
        return sheets
    except calamine.PasswordError:
        raise GendanError(_ENCRYPTED, file=path.name, expected=_UNLOCK, code=ErrorCode.ENCRYPTED) from None
    except calamine.CalamineError as exc:
        raise GendanError(f"文件已损坏或不是工作簿 the file is corrupt or not a workbook ({exc})", file=path.name,
                          expected="an .xlsx, .xlsm, .xls or .ods workbook", code=ErrorCode.BAD_WORKBOOK) from None


def _scan_package(path: Path, data: bytes, max_rows: int) -> dict:
    """``{sheet name: SheetScan}`` of an .xlsx/.xlsm (other packages: {}), after the zip checks; an
    .ods with a sheet too large stops here, since the reader lays out all its sheets at once."""
    package = open_package(data, path.name, max_unpacked=MAX_UNPACKED_BYTES, max_ratio=MAX_RATIO,
                           ratio_from=RATIO_MIN_BYTES)
    try:
        for name, (rows, columns) in ods_extents(package, stop_rows=max_rows).items():
            check_extent(rows, columns, file=path.name, sheet=name, max_rows=max_rows)   # the reader reads all
        return {name: scan_sheet(package, part, stop_rows=max_rows, file=path.name)
                for name, part in worksheet_parts(package, path.name).items()}
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise GendanError(f"文件已损坏或不是工作簿 the file is corrupt or not a workbook ({exc})", file=path.name,
                          expected="an .xlsx, .xlsm, .xls or .ods workbook", code=ErrorCode.BAD_WORKBOOK) from None


def _open_sheet(book, name: str, scan, file: str, max_rows: int):
    """The calamine sheet, once its extent (scanned, else as calamine reports it) is within limits."""
    if scan is not None:
        check_extent(scan.rows, scan.columns, file=file, sheet=name, max_rows=max_rows)
    try:
        sheet = book.get_sheet_by_name(name)
    except calamine.CalamineError as exc:
        if "limit" not in str(exc).lower():
            raise
        raise GendanError(f"工作表太大 the sheet is too large to import ({exc})", file=file, sheet=name,
                          expected="a smaller sheet (delete stray cells beyond the data, or split the file)",
                          code=ErrorCode.TOO_LARGE) from None
    if scan is None and sheet.end is not None:
        check_extent(sheet.end[0] + 1, sheet.end[1] + 1, file=file, sheet=name, max_rows=max_rows)
    return sheet
