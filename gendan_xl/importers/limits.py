"""How much one imported file may hold, and the summary of issues past the listed ones.

A supplier file, statement or ERP export is read whole into memory, so its size is checked before
reading: at most ``MAX_ROWS`` rows and ``MAX_CELLS`` cells (rows x columns, counted from A1 as the
reader lays them out) per sheet; 10 million cells is 300,000 rows of 33 columns, and below the 16.7
million a legacy .xls can address. 300,000 rows is 30 times the largest real export we know (the SCMS
delivery history, 10,324 lines) and above the 200,000-row benchmark; Excel's own limit, 1,048,576 rows,
is absolute. Larger files are split by the user. Workbook packages (zip) may unpack to at most
``MAX_UNPACKED_BYTES`` and no big part may compress more than ``MAX_RATIO``:1 (real sheets compress
5-20:1; a zip bomb 200:1 and more). Past ``MAX_ISSUES_PER_FILE`` issues of one file, the rest are
summarised in one row per reason (``issues.summarise``).
"""

from __future__ import annotations

from gendan_xl.model.errors import ErrorCode, GendanError

MAX_ROWS = 300_000
MAX_CELLS = 10_000_000
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 100
RATIO_MIN_BYTES = 10 * 1024 * 1024   # smaller parts may compress as well as they like
MAX_ISSUES_PER_FILE = 1_000


def column_letters(index: int) -> str:
    """The Excel letters of a 1-based column number: 1 -> A, 16384 -> XFD."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def check_extent(rows: int, columns: int, *, file, sheet, max_rows: int = MAX_ROWS) -> None:
    """GendanError unless a sheet of ``rows`` x ``columns`` (from A1) is within the limits."""
    if rows <= max_rows and rows * columns <= MAX_CELLS:
        return
    corner = f"{column_letters(columns)}{rows}"
    raise GendanError(
        f"工作表太大 the sheet is too large to import: its cells reach {corner} ({rows:,} rows x {columns:,} "
        f"columns), beyond the limit of {max_rows:,} rows and {MAX_CELLS:,} cells per sheet", file=file,
        sheet=sheet, expected="a smaller sheet: delete stray cells below and right of the data (Ctrl+End in "
                              "Excel shows the last cell) or split the file", code=ErrorCode.TOO_LARGE)
