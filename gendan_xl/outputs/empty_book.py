"""An empty workbook file, for a generated sheet to be written into (e.g. the backtest's)."""

from openpyxl import Workbook


def new_book(path, sheet: str) -> None:
    """An empty workbook whose one sheet is ``sheet`` (then replaced by the generated sheet)."""
    book = Workbook()
    book.active.title = sheet
    book.save(path)
