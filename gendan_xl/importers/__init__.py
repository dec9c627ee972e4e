"""Supplier files (xlsx, xlsm, xls, ods, csv) -> clean gendan tables plus the issues met on the way.

``extract_table(path or SourceFile, table, mapping=...)`` is the entry point; ``read_source`` reads a
file once (``SourceFile``: its raw sheets, ``read_sheets``), ``find_header_row`` finds the header, and
``values`` tells total and note rows from data (cells are read by ``gendan_xl.model.date_cells`` and
``gendan_xl.model.number_cells``).
"""

from gendan_xl.importers.extract import ISSUE_COLUMNS, Extracted, extract_table
from gendan_xl.importers.headers import HeaderRow, find_header_row
from gendan_xl.importers.reading import DEFAULT_MAX_BYTES, RawSheet, SourceFile, read_sheets, read_source
from gendan_xl.importers.row_kinds import is_note_row, is_total_row

__all__ = [
    "DEFAULT_MAX_BYTES", "ISSUE_COLUMNS", "Extracted", "HeaderRow", "RawSheet",
    "extract_table", "find_header_row", "is_note_row", "is_total_row",
    "read_sheets", "read_source", "SourceFile",
]
