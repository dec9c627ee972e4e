"""The one exception type for expected bad input, with its location."""

from __future__ import annotations


class GendanError(Exception):
    """Bad input a user can fix: carries file, sheet, row, column, value and what was expected.

    The message is bilingual and names every location part that is known, e.g.
    ``orders.csv, sheet 订单 Orders, row 12, column 交期 Due date, value '31/02/2026': expected a date``.
    """

    def __init__(self, message: str, *, file=None, sheet=None, row=None, column=None,
                 value=None, expected: str | None = None):
        self.reason = message
        self.file = None if file is None else str(file)
        self.sheet = sheet
        self.row = row
        self.column = column
        self.value = value
        self.expected = expected
        super().__init__(self.describe())

    def with_file(self, file) -> GendanError:
        """The same error, naming ``file`` when it named none (e.g. a Settings cell of the workbook)."""
        if self.file is not None:
            return self
        return GendanError(self.reason, file=file, sheet=self.sheet, row=self.row, column=self.column,
                           value=self.value, expected=self.expected)

    def describe(self) -> str:
        where = []
        if self.file is not None:
            where.append(f"file {self.file}")
        if self.sheet is not None:
            where.append(f"sheet {self.sheet}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        if self.value is not None:
            where.append(f"value {self.value!r}")
        text = self.reason
        if where:
            text = f"{text} [{', '.join(where)}]"
        if self.expected:
            text = f"{text}: expected {self.expected}"
        return text
