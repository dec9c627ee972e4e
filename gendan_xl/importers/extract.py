"""Extract one gendan table from a supplier file: typed rows plus every problem met on the way.

Nothing is dropped in silence: entirely blank rows are skipped; total and note rows (only when their
key is blank or is itself the total label) are skipped with an issue; every other row is kept, and a
cell that does not convert is left blank with an issue. Text is never evaluated (``=1+1`` stays text).
Vertically merged cells in text and date columns are filled down (a PO merged over its lines); merged
numbers stay in their first row only, so totals are not multiplied. Excel error cells (``#N/A``) in
the columns read are ``error_cell`` issues; quantities (whole-number fields) that are negative,
fractional or of a billion and more are ``bad_number``. Dates whose day/month order the file does not
decide and no one gave are ``ambiguous_date`` issues, kept pending (``DayMonthOrder``) until the
order is known (``Extracted.in_order``).

A sheet may hold several tables one under the other (the progress, then the shipments): a later row
that is itself a header row (``headers.further_headers``) starts a new table, read with its own
header; the rows of all tables are returned, each with its sheet row, and their day/month order is
judged from the dates of all of them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from operator import itemgetter

import numpy as np
import pandas as pd

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.issues import Issue, Reason
from gendan_xl.model.schema import AS_TEXT, DATE, INT, NUMBER, Table
from gendan_xl.model.values import blank_mask, display_text, is_blank, map_distinct
from gendan_xl.importers.columns import convert, factorize, infer_decimal_comma, order_evidence
from gendan_xl.importers.form_sheet import form_table, reads_as_form
from gendan_xl.importers.headers import HeaderMatcher, HeaderRow, further_headers, row_counter, table_above
from gendan_xl.importers.reading import DEFAULT_MAX_BYTES, RawSheet, SourceFile, read_source
from gendan_xl.importers.sheet_choice import choose_sheet, pick_sheet
from gendan_xl.importers.title_block import stated_values
from gendan_xl.importers.row_kinds import is_note_row, is_total_label, is_total_row

ISSUE_COLUMNS = [f.name for f in dataclasses.fields(Issue)]
MAX_QUANTITY = 1e9


@dataclass(frozen=True)
class DayMonthOrder:
    """The day/month order of a file's ``a/b/y`` dates (``05/12/2026``). ``read``: the order they were
    read in (True day-first, False month-first; None: not known, and each date the order decides is
    ``pending``: an ``ambiguous_date`` issue, blank in the frame). ``own``: the order the file's own
    dates show (``columns.OrderEvidence``), ``evidence`` the (row, column, value) of the first date
    showing it. ``dependent``: some date of the file reads differently in the two orders."""

    read: bool | None = None
    own: bool | None = None
    evidence: tuple[int, str, str] | None = None
    dependent: bool = False
    pending: pd.DataFrame | None = None    # pos (in the frame), row, column, value, fields, names


@dataclass(frozen=True)
class Extracted:
    """A table read from a file: ``frame`` (fields in schema order, ``_row``, ``_sheet``) and ``issues``
    (Import Issues rows, ``ISSUE_COLUMNS``; ``issue_list`` gives them as ``Issue`` records).
    ``header_row``, ``mapping``: the (first) header; ``table_rows``: the row of each table's header
    when the sheet holds several tables (rows below one, up to the next, are that table's);
    ``stated``: the fields read from the title block above the table, each with its cell and label
    (``B2 Booking No.: BKG-1``)."""

    frame: pd.DataFrame
    issues: pd.DataFrame
    file: str
    sheet: str
    header_row: int
    mapping: dict[str, str]
    extra_columns: list[str]
    day_month: DayMonthOrder = DayMonthOrder()
    table_rows: tuple[int, ...] = ()
    stated: dict[str, str] = dataclasses.field(default_factory=dict)   # field -> its title-block cell

    def issue_list(self) -> list[Issue]:
        """The issues as records, in row order."""
        return [Issue.from_row(row) for row in self.issues.to_dict("records")]

    def in_order(self, dayfirst: bool) -> Extracted:
        """The extraction with its pending dates read in the order now known: each fills its cells, or
        (a value that order reads as no date) is a ``bad_date`` issue; the ``ambiguous_date`` issues go."""
        pending = self.day_month.pending
        done = dataclasses.replace(self.day_month, read=dayfirst, pending=None)
        if pending is None or pending.empty:
            return dataclasses.replace(self, day_month=done)
        converted = convert(pending["value"].to_numpy(dtype=object), DATE, dayfirst=dayfirst)
        frame, values = self.frame.copy(), converted.values.to_numpy()
        positions = pending["pos"].to_numpy(dtype=np.int64)
        for name in dict.fromkeys(f for fields in pending["fields"] for f in fields):
            mine = pending["fields"].map(lambda fields, name=name: name in fields).to_numpy()
            column = frame[name].to_numpy().copy()
            column[positions[mine]] = values[mine]
            frame[name] = column
        bad = pending.iloc[converted.problems["pos"].to_numpy(dtype=np.int64)]
        wrong = pd.DataFrame({"file": self.file, "sheet": self.sheet, "row": bad["row"].to_numpy(),
                              "column": bad["column"].to_numpy(), "value": bad["value"].map(display_text).to_numpy(),
                              "reason": Reason.BAD_DATE.value,
                              "message": [f"{Reason.BAD_DATE.zh} {m}{_expected(DATE, names)}" for m, names in
                                          zip(converted.problems["message"], bad["names"])]}, columns=ISSUE_COLUMNS)
        kept = self.issues[self.issues["reason"] != Reason.AMBIGUOUS_DATE.value]   # each is a pending date
        issues = pd.concat([kept, wrong.astype(kept.dtypes.to_dict())], ignore_index=True)
        return dataclasses.replace(self, frame=frame, day_month=done,
                                   issues=issues.sort_values("row", kind="stable", ignore_index=True))


def extract_table(source, table: Table, mapping: dict[str, str] | None = None, sheet=None,
                  reference_date: date | None = None, max_bytes: int = DEFAULT_MAX_BYTES, *,
                  dayfirst: bool | None = None, key: str | None = None, max_scan: int = 30) -> Extracted:
    """Read ``table`` from a workbook or csv file: a ``SourceFile`` already read, or a path.

    ``mapping`` is ``{field: header text}`` and wins over the schema's spellings; ``sheet`` is a name
    or 0-based index (default: the sheet whose header matches best); ``reference_date`` dates ``12月5日``
    (default today); ``dayfirst`` reads ``05/12/2026`` day-first (True) or month-first (False); by
    default the file's own dates decide (``13/12/2026`` in any date column), else the order is not
    known and each date it would decide is pending (``DayMonthOrder``); decimal commas are inferred
    from the number columns;
    ``key`` is the field whose blank cell is an issue (default: the table's first field).
    """
    if not isinstance(source, SourceFile):
        source = read_source(source, max_bytes)
    key = key or table.fields[0].name
    try:
        raw, header = choose_sheet(source.sheets, table, mapping, sheet, max_scan, file=source.name)
    except GendanError as exc:   # no header row: a table that may come as a form is read from one
        if not table.form or exc.code != ErrorCode.HEADER_NOT_FOUND:
            raise
        sheets = ([pick_sheet(source.sheets, sheet, source.name)] if sheet is not None
                  else [raw for raw in source.sheets if raw.visible and raw.refused is None])
        form = _from_form(source.name, sheets, table, mapping, key, dayfirst, reference_date)
        if form is None:
            raise
        return form
    where = {"file": source.name, "sheet": raw.name}
    if table.form and reads_as_form(raw.rows[header.index], header, HeaderMatcher(table, mapping, where)):
        form = _from_form(source.name, [raw], table, mapping, key, dayfirst, reference_date)
        if form is not None:
            return form
    first = table_above(raw.rows, header, table, mapping, where=where) or header
    extraction = _Extraction(source.name, raw, first, table)
    more = further_headers(raw.rows, first, extraction.columns, table, mapping, where=where)
    if first is not header:   # the best header starts a table below the first, read as it was found
        more = sorted([h for h in more if h.index != header.index] + [header], key=lambda h: h.index)
    if not more:
        return _with_stated(extraction.run(key, dayfirst, reference_date), raw, first, table, mapping, where)
    headers = [first, *more]
    ends = [h.index for h in more] + [len(raw.rows)]
    parts = [_Extraction(source.name, raw, h, table, end) for h, end in zip(headers, ends)]
    evidence = order_evidence([value for part in parts for value in part.date_values()])
    done = [part.run(key, evidence.order if dayfirst is None else dayfirst, reference_date) for part in parts]
    joined = _joined(done, table, main=[h.index for h in headers].index(header.index), own=evidence.order)
    return _with_stated(joined, raw, first, table, mapping, where)


def _with_stated(done: Extracted, raw: RawSheet, first: HeaderRow, table: Table, mapping, where: dict) -> Extracted:
    """``done`` with the ``table.stated`` fields it has no column for filled from the title block above
    ``first`` (``title_block.stated_values``) in every row; ``stated`` says where each was read."""
    names = [name for name in table.stated if name not in done.mapping]
    if not names:
        return done
    found = stated_values(raw.rows, first.index, names, HeaderMatcher(table, mapping, where), where=where,
                          row_number=raw.row_number)
    if not found:
        return done
    frame = done.frame.assign(**{name: pd.Series(one.value, index=done.frame.index, dtype=object)
                                 for name, one in found.items()})
    order = [f.name for f in table.fields if f.name in frame.columns]
    frame = frame[[*order, *(c for c in frame.columns if c not in order)]]
    return dataclasses.replace(done, frame=frame, stated={name: one.read_at for name, one in found.items()})


def _from_form(file: str, sheets: list[RawSheet], table: Table, mapping, key: str, dayfirst,
               reference) -> Extracted | None:
    """``table`` read from the first of ``sheets`` laid out as its form (``form_sheet.form_table``), or None."""
    for raw in sheets:
        form = form_table(raw, table, mapping, {"file": file, "sheet": raw.name})
        if form is not None:
            return _form_read(file, *form, table, key, dayfirst, reference)
    return None


def _form_read(file: str, lines: RawSheet, header: HeaderRow, found: dict, table: Table, key: str, dayfirst,
               reference) -> Extracted:
    """A form's row extracted as a table's: each issue and pending date names its value's own row,
    ``stated`` each value's cell."""
    done = _Extraction(file, lines, header, table).run(key, dayfirst, reference)
    rows = {one.label: one.row for one in found.values()}

    def placed(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(row=[rows.get(c, r) for c, r in zip(frame["column"], frame["row"])])

    order = done.day_month
    evidence = order.evidence and (rows.get(order.evidence[1], order.evidence[0]), *order.evidence[1:])
    order = dataclasses.replace(order, evidence=evidence, pending=None if order.pending is None else placed(order.pending))
    return dataclasses.replace(done, issues=placed(done.issues), day_month=order,
                               stated={name: one.read_at for name, one in found.items()})


class _Extraction:
    """The state of one extraction: the data block under the header and the issues found."""

    def __init__(self, file: str, raw: RawSheet, header: HeaderRow, table: Table, end: int | None = None):
        self.file, self.raw, self.header, self.table = file, raw, header, table
        self.start, self.end = header.index + 1, len(raw.rows) if end is None else end
        self.body = raw.rows[self.start:self.end]
        self.columns = _pick_columns(self.body, sorted(set(header.fields.values())))
        if raw.line_numbers is None:
            self.row_numbers = np.arange(self.start + 1, self.end + 1, dtype=np.int64)
        else:
            self.row_numbers = np.array(raw.line_numbers[self.start:self.end], dtype=np.int64)
        self.issues: list[pd.DataFrame] = []

    def run(self, key: str, dayfirst: bool | None, reference: date | None) -> Extracted:
        self._report_duplicates()
        self._report_error_cells()
        self._report_formulas()
        self._fill_merged_down()
        filled = ~self._blank_rows()
        key_col = self.header.fields.get(key)
        keep = filled & ~self._skip_totals_and_notes(filled, key_col)
        self._ignore_row_counter(keep)
        if key_col is not None:
            self._report_blank_keys(key_col, keep)
        frame, day_month = self._typed_frame(keep, dayfirst, reference)
        header_row = self.raw.row_number(self.header.index)
        return Extracted(frame, self._issue_frame(), self.file, self.raw.name, header_row, self.header.mapping,
                         self.header.extra, day_month=day_month, table_rows=(header_row,))

    def date_values(self) -> list:
        """The distinct cells of the date columns (to weigh the day order of several tables at once)."""
        return [u for name, col in self.header.fields.items() if self.table.field(name).kind == DATE
                for u in factorize(self.columns[col])[1]]

    def _blank_rows(self) -> np.ndarray:
        """Rows whose every cell is blank: blank in all used columns first, then checked whole."""
        blank = np.logical_and.reduce([blank_mask(cells) for cells in self.columns.values()])
        for pos in np.flatnonzero(blank):
            blank[pos] = all(map(is_blank, self.body[pos]))
        return blank

    def _fill_merged_down(self) -> None:
        fillable = {col for name, col in self.header.fields.items()
                    if self.table.field(name).kind not in (INT, NUMBER)}
        for r0, c0, r1, _ in self.raw.merged:
            if self.start <= r0 < self.end and r1 > r0 and c0 in fillable:
                cells = self.columns[c0] = self.columns[c0].copy()
                cells[r0 - self.start + 1:r1 - self.start + 1] = cells[r0 - self.start]

    def _skip_totals_and_notes(self, filled: np.ndarray, key_col: int | None) -> np.ndarray:
        if key_col is None:
            candidates = filled
        else:
            keys = self.columns[key_col]
            candidates = filled & (blank_mask(keys) | map_distinct(keys, _labels_row, False).astype(bool))
        skip = np.zeros(len(filled), dtype=bool)
        for pos in np.flatnonzero(candidates):
            row = self.body[pos]
            total = is_total_row(row) if key_col is not None else any(map(is_total_label, row))
            if total or is_note_row(row):
                skip[pos] = True
                text = " | ".join(filter(None, map(display_text, row)))
                reason = Reason.SKIPPED_TOTAL if total else Reason.SKIPPED_NOTE
                self._issue(self.row_numbers[[pos]], None, [text], reason,
                            "total row skipped" if total else "note row skipped")
        return skip

    def _report_blank_keys(self, key_col: int, keep: np.ndarray) -> None:
        positions = np.flatnonzero(keep & blank_mask(self.columns[key_col]))
        header = self.header.headers[key_col]
        self._issue(self.row_numbers[positions], header, self.columns[key_col][positions], Reason.BLANK_KEY,
                    f"no {header}: the row is kept but cannot be matched to a record")

    def _ignore_row_counter(self, keep: np.ndarray) -> None:
        """A ``line`` column that only counts the rows (1..n across POs) is not read as the line."""
        col = row_counter(self.header, self.columns, keep)
        if col is not None:
            text = self.header.headers[col]
            self.header = self.header.without("line")
            self._issue([self.raw.row_number(self.header.index)], text, [text], Reason.ROW_COUNTER,
                        f"column {text!r} counts the rows 1..n across POs: not a line number, not used "
                        f"(--map line={text!r} uses it)")

    def _report_duplicates(self) -> None:
        for col, name in self.header.duplicates:
            first = self.header.headers[self.header.fields[name]]
            text = self.header.headers[col]
            self._issue([self.raw.row_number(self.header.index)], text, [text], Reason.DUPLICATE_COLUMN,
                        f"column {text!r} also names {name}; the first one, {first!r}, is used")

    def _report_error_cells(self) -> None:
        """Excel error cells in the columns read: issues (the cells already read as blank)."""
        found = [(r, c, text) for r, c, text in self.raw.errors if self.start <= r < self.end and c in self.columns]
        for c in sorted({c for _, c, _ in found}):
            rows = [r for r, col, _ in found if col == c]
            self._issue([self.raw.row_number(r) for r in rows], self.header.headers[c],
                        [text for _, col, text in found if col == c], Reason.ERROR_CELL,
                        "Excel error value (a broken formula or lookup); left blank")

    def _report_formulas(self) -> None:
        """Formula cells without a saved value in the columns read: one issue per cell, naming the
        formula (the cells read as blank, so nothing is applied from them)."""
        for r, c, formula in self.raw.formulas:
            if self.start <= r < self.end and c in self.columns:
                self._issue([self.raw.row_number(r)], self.header.headers[c], [formula], Reason.FORMULA_WITHOUT_VALUE,
                            f"the cell holds the formula {formula} but no saved value (the "
                            "file was written by a program that does not calculate): open and save it in Excel, "
                            "or type the value; not applied")

    def _typed_frame(self, keep: np.ndarray, dayfirst, reference) -> tuple[pd.DataFrame, DayMonthOrder]:
        kept = np.flatnonzero(keep)
        columns = {}
        for f in self.table.fields:
            if f.name in self.header.fields:
                kind = NUMBER if f.kind == INT else f.kind
                columns.setdefault((self.header.fields[f.name], kind), []).append(f)
        cells = {key: self.columns[key[0]][kept] for key in columns}
        evidence = order_evidence(_distinct(cells, DATE))
        read = evidence.order if dayfirst is None else dayfirst
        decimal_comma = infer_decimal_comma(_distinct(cells, NUMBER))
        data: dict[str, pd.Series] = {}
        pending = []
        for (col, kind), fields in columns.items():
            done = convert(cells[(col, kind)], kind, dayfirst=read, decimal_comma=decimal_comma,
                           reference=reference)
            names = " / ".join(f.header for f in fields)
            pos = done.problems["pos"].to_numpy(dtype=np.int64)
            self._issue(self.row_numbers[kept[pos]], self.header.headers[col], done.problems["value"],
                        done.problems["reason"], done.problems["message"] + _expected(kind, names))
            waiting = pos[(done.problems["reason"] == Reason.AMBIGUOUS_DATE).to_numpy()]
            pending.append(pd.DataFrame({"pos": waiting, "row": self.row_numbers[kept[waiting]],
                                         "column": self.header.headers[col], "value": cells[(col, kind)][waiting],
                                         "fields": [tuple(f.name for f in fields)] * len(waiting), "names": names}))
            data.update({f.name: self._quantity(done.values, kept, col, f) if f.kind == INT else done.values
                         for f in fields})
            if any(f.style == AS_TEXT for f in fields):
                self._report_number_cells(cells[(col, kind)], done.values, kept, col, names)
        data = {f.name: data[f.name] for f in self.table.fields if f.name in data}
        data["_row"] = pd.Series(self.row_numbers[kept], dtype=np.int64)
        data["_sheet"] = pd.Series([self.raw.name] * len(kept), dtype=object)
        shown = evidence.day if evidence.order else evidence.month
        where = None if evidence.order is None else self._first_cell(cells, kept, shown)
        order = DayMonthOrder(read, evidence.order, where, evidence.dependent,
                              pd.concat(pending, ignore_index=True) if pending else None)
        return pd.DataFrame(data), order

    def _first_cell(self, cells: dict, kept: np.ndarray, value) -> tuple[int, str, str]:
        """(row, column header, value) of the first date cell holding ``value``."""
        found = [(self.row_numbers[kept[np.flatnonzero(column == value)[0]]], col)
                 for (col, kind), column in cells.items() if kind == DATE and (column == value).any()]
        row, col = min(found)
        return int(row), self.header.headers[col], value

    def _quantity(self, values: pd.Series, kept: np.ndarray, col: int, f) -> pd.Series:
        """A whole-number field's values with negative, fractional and absurd ones blanked, as issues."""
        wrong = values.notna() & ((values < 0) | (values % 1 != 0) | (values >= MAX_QUANTITY))
        if not wrong.any():
            return values
        pos = np.flatnonzero(wrong.to_numpy())
        shown = values.to_numpy()[pos]
        self._issue(self.row_numbers[kept[pos]], self.header.headers[col], shown, Reason.BAD_NUMBER,
                    [f"{display_text(v)} is not a quantity for {f.header} (expected a whole number from 0 to "
                     f"{MAX_QUANTITY:,.0f}; left blank)" for v in shown])
        return values.mask(wrong)

    def _report_number_cells(self, cells: np.ndarray, values: pd.Series, kept: np.ndarray, col: int,
                             names: str) -> None:
        """Number cells in a column of identifiers kept as text (a tracking number): read as their
        integer text (``12345``, never ``12345.0``), with an issue, since any leading zeros the cell
        showed are not in the file."""
        number = np.fromiter((isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_))
                              for v in cells), dtype=bool, count=len(cells))
        pos = np.flatnonzero(number & values.notna().to_numpy())
        shown = values.to_numpy()[pos]
        self._issue(self.row_numbers[kept[pos]], self.header.headers[col], shown, Reason.NUMBER_AS_TEXT,
                    [f"{names} 按 {v} 读取；前导零（如有）已丢失，请供应商以文本格式发送 a number cell, read as {v}: "
                     "leading zeros the cell showed (if any) are not in the file — ask for the column as text"
                     for v in shown])

    def _issue(self, rows, column, values, reasons, messages) -> None:
        """Record issues at Excel rows (csv lines); values are shown as the cells show them, reasons
        (one ``Reason`` or one per row) as their codes."""
        if not len(rows):
            return
        shown = [display_text(v) for v in np.asarray(values, dtype=object)]
        codes = Reason(reasons).value if isinstance(reasons, str) else [Reason(r).value for r in reasons]
        issues = {"file": self.file, "sheet": self.raw.name, "row": rows, "column": column,
                  "value": shown, "reason": codes, "message": messages}
        self.issues.append(pd.DataFrame(issues, columns=ISSUE_COLUMNS).astype(object))

    def _issue_frame(self) -> pd.DataFrame:
        """All issues in row order (header issues first), one dtype whatever pandas version; each
        message starts with its reason in Chinese."""
        if not self.issues:
            return pd.DataFrame({name: pd.Series(dtype=np.int64 if name == "row" else object)
                                 for name in ISSUE_COLUMNS})
        issues = pd.concat(self.issues, ignore_index=True)
        issues["row"] = issues["row"].astype(np.int64)
        issues["message"] = issues["reason"].map(lambda code: Reason(code).zh) + " " + issues["message"]
        return issues.sort_values("row", kind="stable", ignore_index=True)


def _expected(kind: str, names: str) -> str:
    """The end of a cell's issue message: what its column was read as."""
    word = {DATE: "a date", NUMBER: "a number"}.get(kind, "text")
    return f" (expected {word} for {names}; left blank)"


def _joined(parts: list[Extracted], table: Table, main: int, own: bool | None) -> Extracted:
    """The tables of one sheet as one extraction: their rows in sheet order (a field one table lacks
    is blank in its rows), their issues in row order; the header and mapping of ``parts[main]`` (the
    header matching the most fields, the one a profile is saved from); their day/month orders as one
    (``own``: what the dates of all tables show; the pending dates at their places in the rows)."""
    names = [f.name for f in table.fields if any(f.name in part.frame.columns for part in parts)]
    frames = [part.frame.assign(**{name: _blank_column(table.field(name).kind, part.frame.index)
                                   for name in names if name not in part.frame.columns}) for part in parts]
    frame = pd.concat([f[[*names, "_row", "_sheet"]] for f in frames], ignore_index=True)
    issues = pd.concat([part.issues for part in parts if len(part.issues)] or [parts[0].issues], ignore_index=True)
    issues = issues.sort_values("row", kind="stable", ignore_index=True)
    extra = list(dict.fromkeys(text for part in parts for text in part.extra_columns))
    best = parts[main]
    return Extracted(frame, issues, best.file, best.sheet, best.header_row, best.mapping, extra,
                     day_month=_joined_order(parts, own), table_rows=tuple(part.header_row for part in parts))


def _joined_order(parts: list[Extracted], own: bool | None) -> DayMonthOrder:
    """The day/month order of several tables read as one (pending positions moved to the joined rows)."""
    offsets = np.cumsum([0] + [len(part.frame) for part in parts[:-1]])
    pending = [part.day_month.pending.assign(pos=part.day_month.pending["pos"] + offset)
               for part, offset in zip(parts, offsets)
               if part.day_month.pending is not None and len(part.day_month.pending)]
    shown = [part.day_month for part in parts if part.day_month.evidence and part.day_month.own == own]
    return DayMonthOrder(parts[0].day_month.read, own, shown[0].evidence if shown and own is not None else None,
                         any(part.day_month.dependent for part in parts),
                         pd.concat(pending, ignore_index=True) if pending else None)


def _blank_column(kind: str, index: pd.Index) -> pd.Series:
    """A field's column of blanks in the dtype the field's values take."""
    if kind == DATE:
        return pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    if kind in (INT, NUMBER):
        return pd.Series(np.nan, index=index, dtype=float)
    return pd.Series(None, index=index, dtype=object)


def _distinct(cells: dict, kind: str) -> list:
    """The distinct values of all columns of one kind."""
    return [u for (_, k), c in cells.items() if k == kind for u in factorize(c)[1]]


def _labels_row(key) -> bool:
    """True for a key cell that is really a total label or the start of a note."""
    return is_total_label(key) or is_note_row([key])


def _pick_columns(body: list[list], cols: list[int]) -> dict[int, np.ndarray]:
    """The cells of some columns as object arrays (short rows padded with ``""``), in one pass."""
    width = cols[-1] + 1
    padded = [row if len(row) >= width else [*row, *[""] * (width - len(row))] for row in body]
    getter = itemgetter(*cols)
    picked = map(getter, padded) if len(cols) > 1 else ((getter(row),) for row in padded)
    arrays = [np.array(cells, dtype=object) for cells in zip(*picked)] or \
        [np.empty(0, dtype=object)] * len(cols)
    return dict(zip(cols, arrays))
