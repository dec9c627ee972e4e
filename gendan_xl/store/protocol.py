"""The one small interface every action talks to: a file (MasterWorkbook) or live Excel (xlwings)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.sheets.sheet_render import SheetSpec
from gendan_xl.store.table_frame import TableFrame


class Workbook(Protocol):
    """Read tables as DataFrames, write back only gendan's columns, replace generated sheets, save."""

    path: Path

    def has_table(self, spec: schema.Table) -> bool:
        """True when the workbook has the table (a master from an older gendan may lack newer ones)."""

    def add_table(self, spec: schema.Table) -> None:
        """Add a table the workbook lacks on a sheet of its own (header row, one blank row)."""

    def read(self, spec: schema.Table) -> TableFrame:
        """The table's gendan fields, indexed by sheet row; a table written earlier reads as written."""

    def write(self, tf: TableFrame, frame: pd.DataFrame, fields: list[str],
              appended: pd.DataFrame | None = None) -> list[int]:
        """Write ``fields`` of ``frame`` (changed cells only) and append rows; returns their sheet rows."""

    def lay_out_table(self, tf: TableFrame, widths: dict[str, float]) -> None:
        """Give gendan's columns of the table these widths and its sheet a print setup, where they
        are gendan's to set (never a width or print setup the user chose: ``table_layout``)."""

    def sheet_names(self) -> list[str]:
        """The names of all worksheets, in order."""

    def sheet_rows(self, name: str) -> list[list]:
        """All values of a sheet (e.g. a generated sheet from an earlier run); [] when it does not exist."""

    def sheet_columns(self, name: str, headers: list[str]) -> pd.DataFrame | None:
        """The columns under ``headers`` (row 1, from column A) of a plain data sheet (the history),
        typed and indexed by sheet row, when each column holds one type (the fast path); None when
        not, or when there is no such sheet: then read ``sheet_rows``, which names every odd cell."""

    def replace_sheet(self, spec: SheetSpec) -> None:
        """Replace (or add) a generated sheet."""

    def put_rows(self, name: str, header: list, start: int, rows: list[list], styles: list[str]) -> None:
        """A hidden data sheet (added hidden if missing): row 1 is ``header``, rows 2 .. ``start`` - 1
        stay, and every row from ``start`` on is replaced by ``rows`` (a named style per column, or None)."""

    def save(self, path=None) -> Path | None:
        """Persist; a file is saved atomically and returns its backup path."""
