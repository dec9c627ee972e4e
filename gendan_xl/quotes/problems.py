"""Why a cell of a quote (or of an exchange rate) is not used: the record the pricing returns, which
the action turns into an Import Issues row once it knows the file, sheet, Excel row and header."""

from __future__ import annotations

from dataclasses import dataclass

from gendan_xl.model.issues import Issue, Reason


@dataclass(frozen=True)
class QuoteProblem:
    """One unusable cell: the frame's row label, the field name, the value as shown, why, and a
    bilingual message."""

    row: object
    column: str
    value: str | None
    reason: Reason
    message: str

    def issue(self, file: str | None, sheet: str | None, row: int | None, header: str) -> Issue:
        """The Import Issues record, placed in the workbook."""
        return Issue(file, sheet, row, header, self.value, self.reason, self.message)
