"""Widths and print setup of the master's data tables (订单 Orders …), for people: widths that show
the values (``layout.width_for``), printed landscape, fitted to the page width, header row repeated.

A new master gets them from ``create.py``. An existing master (from an older gendan, or hand-made)
gets them on every refresh under one rule, so that nothing a user set is undone (applied to the
file's sheet XML by ``store.table_sheet_layout``, to live Excel by ``store.xlwings_book``):

- widths: only of gendan's own columns, and only where the width is gendan's: no width of its own
  (Excel's default), a width gendan fitted (marked ``bestFit``, "not set by hand", which Excel
  drops when a user drags the column), or a width an older gendan gave every new master (the
  field's fixed schema width, or its header's width: :func:`legacy_widths`). A hidden column, a
  user column and every other width stay as they are;
- print setup: only on a sheet with none of its own (no orientation, scale or fit to page, no
  print titles, no page header or footer): landscape, one page wide, the header row on every
  page, the sheet's name atop and 第 X / N 页 Page X of N below (no date: a table is as of no
  date; an older gendan's ``&D``, the printing PC's date in its locale's format, is dropped).
"""

from __future__ import annotations

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.flags import Flag, MilestoneState, Owner
from gendan_xl.model.issues import Reason
from gendan_xl.model.samples import SampleKind, SampleState, SampleStatus
from gendan_xl.sheets.layout import text_units, width_for
from gendan_xl.sheets.styles import DATE_FORMAT, DATETIME_FORMAT, STYLES, TEXT_FORMAT

TABLE_CAP = 60            # widest a table column grows for its values
NUMBER_FORMATS = {schema.DATE: DATE_FORMAT, schema.DATETIME: DATETIME_FORMAT, schema.INT: "#,##0",
                  schema.NUMBER: "#,##0.00"}


def field_format(f: schema.Field) -> str | None:
    """The number format of a field's cells: its own style's (a share shown as %, a text cell), else its kind's."""
    return STYLES[f.style].number_format if f.style else NUMBER_FORMATS.get(f.kind)


# The words a column can hold beside its values (its width fits them all).
VOCABULARY = {("orders", "flag"): [flag.label for flag in Flag],
              ("orders", "status"): list(schema.STATUSES),
              ("import_issues", "reason"): [reason.words for reason in Reason],
              ("change_log", "field"): [f.header for f in schema.ORDERS.fields],
              ("ta_templates", "owner"): [owner.label for owner in Owner],
              ("milestones", "owner"): [owner.label for owner in Owner],
              ("milestones", "state"): [state.label for state in MilestoneState],
              ("ta_templates", "sample_kind"): [kind.label for kind in SampleKind],
              ("samples", "kind"): [kind.label for kind in SampleKind],
              ("samples", "status"): [status.label for status in SampleStatus],
              ("samples", "state"): [state.label for state in SampleState]}


def column_texts(values: pd.Series, number_format: str | None) -> list[str]:
    """The texts that decide a column's width: its widest number as shown, a date's shape, or the
    texts that may be the widest (a text is measured only when it could beat the longest one)."""
    values = values.dropna()
    if values.empty:
        return []
    if number_format in ("#,##0", "#,##0.00"):
        numbers = pd.to_numeric(values, errors="coerce").abs()
        return [f"-{numbers.max():,.{2 if number_format.endswith('00') else 0}f}"]
    if number_format and number_format != TEXT_FORMAT:
        return ["0" * len(number_format)]
    texts = pd.Series(pd.unique(values.astype(str)))
    lengths = texts.str.len()
    floor = text_units(texts[lengths.idxmax()])          # a text is at most two digit widths a character
    return texts[lengths * 2 >= floor].tolist()


def table_widths(spec: schema.Table, frame: pd.DataFrame) -> dict[str, float]:
    """Each field's width for the values of ``frame`` (its header in up to two lines, at least the
    field's schema width, at most :data:`TABLE_CAP`)."""
    def texts(f: schema.Field) -> list[str]:
        shown = column_texts(frame[f.name], field_format(f)) if f.name in frame else []
        return [*shown, *VOCABULARY.get((spec.key, f.name), ())]

    return {f.name: width_for(texts(f), f.header, floor=f.width, cap=max(f.width, TABLE_CAP)) for f in spec.fields}


def legacy_widths(spec: schema.Table, name: str) -> set[float]:
    """The widths older gendans gave the field's column in a new master: its fixed schema width, and
    the width of its header (and words) with no values yet."""
    f = spec.field(name)
    return {float(f.width), width_for(VOCABULARY.get((spec.key, name), ()), f.header, floor=f.width,
                                      cap=max(f.width, TABLE_CAP))}
