"""A sheet laid out as a form, not a table: a forwarder's booking confirmation (S/O, 订舱确认书) states
each field once, ``Booking No.: BKG-1`` in one cell or a label and its value in the next filled cell
(``title_block``), anywhere on the sheet, two or three pairs to a row. A table that may come as a form
(``schema.Table.form``: the fields one of which the form must state to be read as one) is read from it
as a table of one row: the labels are its header, the values its row.

A sheet is read as a form when no header row is found in it, or when the best header row is a form's
row (``reads_as_form``): each label it matched is followed by its value, not by another header.
"""

from __future__ import annotations

from gendan_xl.model.schema import Table
from gendan_xl.importers.headers import MIN_MATCHES, HeaderMatcher, HeaderRow
from gendan_xl.importers.reading import RawSheet
from gendan_xl.importers.title_block import Stated, next_value, stated_values


def reads_as_form(row: list, header: HeaderRow, match: HeaderMatcher) -> bool:
    """True when ``row``, taken for the header ``header``, is a form's row: the next filled cell right
    of each label it matched is a value (no header of the table, not a label ending with a colon),
    and one value at least is a number, a date or a text holding a digit (a booking number, a vessel
    and voyage, a date): headers such as ``Remarks`` between them do not make a form."""
    values = []
    for col in sorted(header.fields.values()):
        text, at = next_value(row, col)
        if text is None or match(text):
            return False
        values.append(row[at])
    return bool(values) and any(not isinstance(v, str) or any(ch.isdigit() for ch in v) for v in values)


def form_table(raw: RawSheet, table: Table, mapping, where: dict) -> tuple[RawSheet, HeaderRow, dict[str, Stated]] | None:
    """``raw`` read as a form of ``table``: a sheet of two rows (the labels; the values as their cells
    hold them), the header over them, and where each field was read. None when the sheet states
    none of ``table.form`` or fewer than two fields (no form of this table)."""
    found = stated_values(raw.rows, len(raw.rows), table.names, HeaderMatcher(table, mapping, where), where=where,
                          row_number=raw.row_number)
    keys = [name for name in table.form if name in found]
    if not keys or len(found) < MIN_MATCHES:
        return None
    names = [f.name for f in table.fields if f.name in found]
    labels = [found[name].label for name in names]
    rows = [labels, [found[name].raw for name in names]]
    sheet = RawSheet(raw.name, rows, line_numbers=[min(one.row for one in found.values()), found[keys[0]].row])
    header = HeaderRow(0, {name: col for col, name in enumerate(names)}, dict(enumerate(labels)))
    return sheet, header, {name: found[name] for name in names}
