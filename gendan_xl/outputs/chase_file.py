"""The 催单 Chase file sent to one supplier (a small new xlsx, written with openpyxl).

It shows what the supplier may see (``chase_view.supplier_view``) and nothing else. Rows 1-2: title
and instructions; row 3 blank (so no title reads as a group over the header); row 4 the header; then
one row per chased line. Our columns carry the Orders headers sync recognises (PO, line, style,
colour, qty, the due date: identity, and values that equal ours change nothing). The due date is the
supplier's: ``工厂交期 Supplier due`` where set, else ``交期 Due date``; each of the two columns is
there only when a line shows a date in it (a line shows one), so a returned file logs no conflict
for either. The supplier's last answers and what we ask are headed with texts no field uses, so
sync never reads them; the yellow answer columns carry the headers of the supplier fields
(``新预计完成 New ETA`` is an alias of ``eta``). When the chased lines have T&A milestones, a
``下一工序 Next milestone`` column names each line's next supplier milestone and its plan, and one
yellow date column per such milestone, headed with its template name (which sync reads as that
milestone's actual date), asks for it. The same file, filled in and sent back, syncs with no ``--map``.
A hidden sheet ``发出时 As sent`` keeps the last answers as sent (PO, line and those four columns:
nothing the supplier does not see), so a returned file whose last answer was typed over is told
apart from one showing an answer the master has since moved on from (``actions/chase_return.py``).

A supplier with samples to send (``chase_view.sample_view``) gets a sheet ``寄样 Samples`` laid out
the same way: the Samples headers of the round (sample no., round, kind, PO, line, style, colour, size,
qty, due), what we ask, and yellow columns for its answers, headed as the Samples fields it owns (sent
date, courier, tracking number: a text column, leading zeros kept). A supplier with samples and no line
to chase gets that sheet alone.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from gendan_xl.model import schema
from gendan_xl.sheets.cells import legal_text, plain_value
from gendan_xl.ooxml.files import write_atomically
from gendan_xl.sheets.layout import DEFAULT_HEIGHT, MAX_HEIGHT, MAX_WIDTH, line_height, width_for, wrap_lines
from gendan_xl.outputs.openpyxl_styles import apply, named_style, print_setup
from gendan_xl.sheets.styles import DATE_FORMAT

SHEET = "催单 Chase"
HEADER_ROW = 4
ASK_HEADER = "请回复 What we ask"
# (source column of the supplier's view, header, number format, answer column)
COLUMNS = (
    ("po_no", schema.ORDERS.header("po_no"), None, False),
    ("line", schema.ORDERS.header("line"), None, False),
    ("style", schema.ORDERS.header("style"), None, False),
    ("color", schema.ORDERS.header("color"), None, False),
    ("qty", schema.ORDERS.header("qty"), "#,##0", False),
    ("due_date", schema.ORDERS.header("due_date"), DATE_FORMAT, False),
    ("supplier_due", schema.ORDERS.header("supplier_due"), DATE_FORMAT, False),
    ("eta", "上次回复 Your last ETA", DATE_FORMAT, False),
    ("produced_qty", "上次已完成 Your last produced qty", "#,##0", False),
    ("shipped_qty", "上次已出货 Your last shipped qty", "#,##0", False),
    ("last_update", "上次更新 Your last update", DATE_FORMAT, False),
    ("ask", ASK_HEADER, None, False),
    (None, "新预计完成 New ETA", DATE_FORMAT, True),
    (None, schema.ORDERS.header("produced_qty"), "#,##0", True),
    (None, schema.ORDERS.header("shipped_qty"), "#,##0", True),
    (None, schema.ORDERS.header("supplier_remarks"), None, True),
)
NEXT_HEADER = "下一工序 Next milestone (plan)"
AS_SENT = "发出时 As sent"   # the hidden sheet of the last answers as sent
LAST_ANSWERS = ("eta", "produced_qty", "shipped_qty", "last_update")   # shown, never read as answers
SAMPLE_SHEET = "寄样 Samples"
# The samples sheet: the Samples headers (identity, sample rounds' own sync reads them), the ask, and
# yellow answers the supplier's own fields: sent date, courier, tracking number (a text column).
SAMPLE_COLUMNS = (
    *((name, schema.SAMPLES.header(name), fmt, False) for name, fmt in (
        ("sample_no", None), ("round", None), ("kind", None), ("po_no", None), ("line", None), ("style", None),
        ("color", None), ("size", None), ("qty", "#,##0"), ("due", DATE_FORMAT))),
    ("ask", ASK_HEADER, None, False),
    *((None, schema.SAMPLES.header(name), fmt, True) for name, fmt in (
        ("sent_date", DATE_FORMAT), ("courier", None), ("awb", "@"))),
)
_OPTIONAL = ("due_date", "supplier_due")   # shown only when a line has a date there
_MAX_WIDTH = {"ask": 56, "next_milestone": 32}
_WRAPPED = frozenset({"po_no", "style", "color", "ask", "next_milestone"})   # text columns that may wrap


def write_chase_file(path: Path, supplier: str, lines: pd.DataFrame, as_of: dt.date, deadline: dt.date,
                     milestones: list[str] = (), samples: pd.DataFrame | None = None) -> None:
    """Write the chase file of one supplier at ``path`` (atomically: a temporary file renamed);
    ``lines``: the supplier's view of its chased lines (``chase_view.supplier_view``);
    ``milestones``: the headers of the milestone dates asked for (``lines`` then has ``next_milestone``);
    ``samples``: the supplier's view of its samples to send (``chase_view.sample_view``), on a sheet of
    their own (the only one of a supplier with no line to chase)."""
    wb = Workbook()
    sampled = samples is not None and len(samples) > 0
    if len(lines) or not sampled:
        columns = tuple(c for c in COLUMNS if c[0] not in _OPTIONAL or lines[c[0]].notna().any()) + (
            (("next_milestone", NEXT_HEADER, None, False),) +
            tuple((None, header, DATE_FORMAT, True) for header in milestones) if milestones else ())
        records = _sheet(wb, wb.active, SHEET, f"催单 Chase — {supplier}", columns, lines, as_of, deadline)
        if sampled:
            _sheet(wb, wb.create_sheet(SAMPLE_SHEET), SAMPLE_SHEET, f"寄样 Samples — {supplier}", SAMPLE_COLUMNS,
                   samples, as_of, deadline)
        _as_sent(wb, columns, records)
    else:
        _sheet(wb, wb.active, SAMPLE_SHEET, f"寄样 Samples — {supplier}", SAMPLE_COLUMNS, samples, as_of, deadline)
    write_atomically(path, wb.save)


def _sheet(wb: Workbook, ws, name: str, title: str, columns: tuple, rows: pd.DataFrame, as_of: dt.date,
           deadline: dt.date) -> list[list]:
    """Fill ``ws`` (named ``name``): title, instructions, the header of ``columns`` and one row per row of
    ``rows``; returns the rows' values as written."""
    ws.title = name
    apply(_text(ws.cell(1, 1), title), "title")
    apply(_text(ws.cell(2, 1), f"截至 as of {as_of.isoformat()} · 请填写黄色列，于 {deadline.isoformat()} 前发回 "
                               f"Please fill in the yellow columns and send this file back by {deadline.isoformat()}"),
          "note")
    records = [[plain_value(v) for v in row] for row in
               rows.reindex(columns=[c for c, *_ in columns if c]).astype(object).itertuples(index=False)]
    for col, (_, header, _, answer) in enumerate(columns, start=1):
        apply(_text(ws.cell(HEADER_ROW, col), header), "input_header" if answer else "header")
    prefix = "gendan chase" if name == SHEET else "gendan chase samples"
    styles = [_column_style(wb, f"{prefix} {col}", source, fmt, answer)
              for col, (source, _, fmt, answer) in enumerate(columns, start=1)]
    sourced = [(col, styles[col - 1]) for col, (source, *_) in enumerate(columns, start=1) if source]
    blank = [(col, styles[col - 1]) for col, (source, *_) in enumerate(columns, start=1) if not source]
    for r, record in enumerate(records, start=HEADER_ROW + 1):
        for (col, style), value in zip(sourced, record):
            cell = ws.cell(r, col)
            cell.style = style   # one named style a column: far quicker than fill, format, alignment apart
            if isinstance(value, str):
                _text(cell, value)
            else:
                cell.value = value
        for col, style in blank:
            ws.cell(r, col).style = style
    _layout(ws, columns, records, len(records))
    print_setup(ws, title, HEADER_ROW, as_of)
    return records


def _as_sent(wb: Workbook, columns: tuple, records: list[list]) -> None:
    """The hidden sheet of each line's last answers as the file shows them: PO, line, then
    ``LAST_ANSWERS`` under the headers of the chase sheet (row 1 the header)."""
    ws = wb.create_sheet(AS_SENT)
    ws.sheet_state = "hidden"
    kept = [(i, header) for i, (source, header, *_) in enumerate(c for c in columns if c[0])
            if source in ("po_no", "line", *LAST_ANSWERS)]
    for col, (_, header) in enumerate(kept, start=1):
        _text(ws.cell(1, col), header)
    for r, record in enumerate(records, start=2):
        for col, (i, _) in enumerate(kept, start=1):
            cell = ws.cell(r, col)
            if isinstance(record[i], str):
                _text(cell, record[i])
            else:
                cell.value = record[i]


def _column_style(wb: Workbook, name: str, source, fmt, answer) -> str:
    """The named style of a column's data cells: the palette's text (or answer) look, its number
    format, aligned to the top, wrapped where long texts go."""
    style = named_style(name, "input" if answer else "text", fmt, vertical="top",
                        wrap_text=source in _WRAPPED)
    wb.add_named_style(style)
    return style.name


def _text(cell, text: str):
    """Text stays text: never read back as a formula (``=cmd``), illegal characters dropped."""
    cell.value = legal_text(text)
    cell.data_type = "s"
    return cell


def _layout(ws, columns: tuple, records: list[list], n: int) -> None:
    """The shared layout rules (layout.py): widths from content (CJK counts double), capped; text
    wider than its column wraps in a row tall enough for its lines; the header wraps in a row sized
    to fit. Frozen header and a filter."""
    last = get_column_letter(len(columns))
    at = {source: i for i, source in enumerate(c for c, *_ in columns if c)}   # source -> index in a record
    widths = [width_for([] if source is None else [_shown(rec[at[source]], fmt) for rec in records], header,
                        cap=_MAX_WIDTH.get(source, MAX_WIDTH)) for source, header, fmt, _ in columns]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[HEADER_ROW].height = _height(
        max(wrap_lines(header, (w - 1) / 1.1) for (_, header, *_), w in zip(columns, widths)), "header")
    rooms = [(at[source], w - 1) for (source, *_), w in zip(columns, widths) if source in _WRAPPED]
    for r, rec in enumerate(records, start=HEADER_ROW + 1):   # wrapped text: Excel does not grow the row
        lines = max(wrap_lines(rec[i], room) if isinstance(rec[i], str) else 1 for i, room in rooms)
        if lines > 1:
            ws.row_dimensions[r].height = _height(lines, "text")
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 3)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(n, 1)}"


def _height(lines: int, style: str) -> float:
    """Points a row of ``lines`` lines of ``style`` needs (at least Excel's default height)."""
    return round(min(max(lines * line_height(style) + 3, DEFAULT_HEIGHT), MAX_HEIGHT), 1)


def _shown(value, fmt) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return "2026-01-01"
    return f"{value:,.0f}" if fmt == "#,##0" and isinstance(value, (int, float)) else str(value)
