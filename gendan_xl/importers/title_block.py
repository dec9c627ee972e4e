"""What a supplier file states once, above its table: a title block's ``Booking No.: BKG-1`` (label
and value in one cell) or ``订舱号 | BKG-1`` (the label, then the value in the next filled cell of its
row). The table's ``stated`` fields (``schema.Table.stated``) are read there when the table has no
column for them, and hold that value for every row read: a packing list that names its shipment by
its booking number in its head only. A label with no value beside it states nothing; two different
values for one field are an error naming both cells (the rows could not be told apart).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.values import display_text, is_blank, party_key
from gendan_xl.sheets.cells import col_letter

_LABEL_END = re.compile(r"[:：]")


@dataclass(frozen=True)
class Stated:
    """A field's value as the title block states it: the value's text, its cell (``C2``: the label's
    own when the label holds it) and sheet row, the label's text, and the cell's value as read
    (``raw``: a date cell's date; the text after the colon when the label holds the value)."""

    value: str
    cell: str
    label: str
    row: int
    raw: object

    @property
    def read_at(self) -> str:
        """``C2 Booking No.: BK-2``: where the value was read, as results show it."""
        return f"{self.cell} {self.label}: {self.value}"


def stated_values(rows: list[list], above: int, names: list[str], match, *, where: dict,
                  row_number) -> dict[str, Stated]:
    """The values the rows before ``above`` (the title block) state for ``names``; ``match(text)``:
    the fields a label names (``headers.HeaderMatcher``); ``where``: the file and sheet, for errors;
    ``row_number(index)``: the sheet row of a row index."""
    found: dict[str, Stated] = {}
    for r, row in enumerate(rows[:above]):
        for c, cell in enumerate(row):
            if not isinstance(cell, str) or is_blank(cell):
                continue
            label, colon, rest = _parts(cell)
            name = next((n for n in match(label) if n in names), None) if label else None
            if name is None:
                continue
            value, at = (rest, c) if colon and rest else next_value(row, c)
            if value is None:
                continue
            one = Stated(value, f"{col_letter(at + 1)}{row_number(r)}", label, row_number(r),
                         rest if at == c else row[at])
            before = found.setdefault(name, one)
            if party_key(before.value) != party_key(value):
                raise GendanError(
                    f"文件写了两个不同的{label} the file states two values for {label}: {before.value!r} "
                    f"({before.cell}) and {value!r} ({one.cell}); its rows cannot be matched", **where,
                    row=row_number(r),
                    column=col_letter(at + 1), value=value,
                    expected="one value, or a column for it in the table", code=ErrorCode.BAD_VALUE)
    return found


def _parts(cell: str) -> tuple[str, bool, str]:
    """A cell as (label, whether a colon follows it, the text after the colon)."""
    parts = _LABEL_END.split(cell, maxsplit=1)
    if len(parts) == 1:
        return cell.strip(), False, ""
    return parts[0].strip(), True, parts[1].strip()


def next_value(row: list, c: int) -> tuple[str | None, int]:
    """The next filled cell right of column ``c`` (its text and column), unless it is itself a label
    (``Date:``)."""
    for at in range(c + 1, len(row)):
        cell = row[at]
        if is_blank(cell):
            continue
        text = display_text(cell)
        return (None, at) if isinstance(cell, str) and _is_label(text) else (text, at)
    return None, c


def _is_label(text: str) -> bool:
    """A cell's text that is a label waiting for its value (``Date:``), not a value."""
    return text.strip().endswith((":", "："))
