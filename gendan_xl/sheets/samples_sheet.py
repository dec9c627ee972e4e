"""Lay out the 样品跟进 Sample follow-up sheet: every sample round not closed (rows not applied too, so
they get fixed), nearest due date first, each row in the colour of its state, printable like the other
sheets. Read from the 样品 Samples table as refresh wrote it (its State column holds each round's state)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.samples import SampleKind, SampleState
from gendan_xl.model.values import display_text, map_distinct
from gendan_xl.sheets.cells import col_letter, plain_column
from gendan_xl.sheets.layout import fit, print_setup
from gendan_xl.sheets.sheet_render import SheetSpec

SAMPLES_SHEET = "样品跟进 Sample follow-up"
HEADER_ROW = 5
SHEET_LIMIT = 1_000   # rounds on the sheet, nearest due first; the Samples table has them all
SHOWN_STATES = tuple(s for s in SampleState if s is not SampleState.CLOSED)   # worst first
# (Samples field, cell style): the state's own column is bold; the AWB a text cell (leading zeros kept)
COLUMNS = (("due", "date"), ("state", ""), ("sample_no", "text"), ("round", "int"), ("kind", "text"),
           ("customer", "text"), ("supplier", "text"), ("po_no", "text"), ("line", "text"), ("style", "text"),
           ("color", "text"), ("qty", "int"), ("sent_date", "date"), ("courier", "text"), ("awb", "as_text"),
           ("received_date", "date"), ("wait_wd", "int"), ("why", "text"))
_WHY = len(COLUMNS)
_CAPS = {5: 16, 6: 18, 7: 20, _WHY: 44}
_LEGEND_SPAN = 3


def open_rounds(rows: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
    """The rounds of ``rows`` (the Samples table, indexed by sheet row) whose state is not CLOSED, by
    due date (blank last), then sample number and round (the first ``limit``); ``code`` holds each
    one's state code."""
    code = _codes(rows)
    shown = np.isin(code, [s.value for s in SHOWN_STATES])
    keys = pd.DataFrame({"due": pd.to_datetime(rows["due"][shown], errors="coerce"),
                         "sample": rows["sample_no"][shown].astype(str),
                         "round": pd.to_numeric(rows["round"][shown], errors="coerce")})
    order = keys.sort_values(["due", "sample", "round"], na_position="last", kind="stable").index[:limit]
    return rows.loc[order].assign(code=pd.Series(code, index=rows.index)[order])


def state_counts(rows: pd.DataFrame) -> dict[SampleState, int]:
    """How many rounds of ``rows`` (the Samples table) are in each shown state, worst first."""
    counts = pd.Series(_codes(rows)).value_counts()
    return {state: int(counts.get(state.value, 0)) for state in SHOWN_STATES}


def _codes(rows: pd.DataFrame) -> np.ndarray:
    """The state code of every row (its State cell read: ``SampleState.read``; None when blank or unknown)."""
    return map_distinct(rows["state"], lambda v: getattr(SampleState.read(v), "value", None), None)


def counts_text(counts: dict[SampleState, int]) -> str:
    """``逾期未寄 OVERDUE 3 · …``: the counts of ``state_counts`` as one line."""
    return " · ".join(f"{state.zh} {state} {n}" for state, n in counts.items())


def samples_sheet(rows: pd.DataFrame, as_of: dt.date) -> SheetSpec:
    """The SheetSpec of the sheet: a title, the as-of date and the counts per state, a legend of the
    state colours, then the open rounds (``open_rounds``, the first ``SHEET_LIMIT``) with filters and
    the header row frozen and repeated on every printed page."""
    spec = SheetSpec(SAMPLES_SHEET, landscape=True, tab_color="FFC65911", header=SAMPLES_SHEET,
                     header_right=as_of.isoformat())
    counts = state_counts(rows)
    total = sum(counts.values())
    rounds = open_rounds(rows, SHEET_LIMIT)
    spec.put(1, 1, "样品跟进 Sample follow-up — 未结束的样品轮次，按需寄日期 open sample rounds by due date", "title")
    shown = "" if total == len(rounds) else (f" · 显示需寄日期最近的 {len(rounds)} 轮，其余请在 {schema.SAMPLES.sheet} 表筛选 "
                                             f"showing the {len(rounds)} due first; filter {schema.SAMPLES.sheet} for all")
    spec.put(2, 1, f"截至 As of {as_of.isoformat()} · 未结束 {total} 轮 open rounds: {counts_text(counts)}{shown} · "
                   f"已批准、已拒绝、已作废的轮次见 {schema.SAMPLES.sheet} 表 approved, rejected and cancelled rounds are "
                   "in the table", "note")
    for k, (state, n) in enumerate(counts.items()):   # each over a few columns: no column widened for it
        col = 1 + k * _LEGEND_SPAN
        spec.put(3, col, f"{state.label} {n}", f"sample_{state}")
        spec.merges.append(f"{col_letter(col)}3:{col_letter(col + _LEGEND_SPAN - 1)}3")
    spec.row(HEADER_ROW, [schema.SAMPLES.header(name) for name, _ in COLUMNS], "header")
    rows_at = range(HEADER_ROW + 1, HEADER_ROW + 1 + len(rounds))
    states = rounds["code"].tolist()
    for col, (name, base) in enumerate(COLUMNS, start=1):
        if name == "state":
            spec.cells.update(((r, col), (SampleState(s).label, f"sample_{s}")) for r, s in zip(rows_at, states))
            continue
        values = _shown(rounds[name], base)
        spec.cells.update(((r, col), (v, f"sample_{s}_{base}")) for r, v, s in zip(rows_at, values, states))
    if rounds.empty:
        spec.put(HEADER_ROW + 1, 1, f"无未结束的样品轮次 No open sample rounds ({schema.SAMPLES.sheet})", "note")
    spec.freeze_row = HEADER_ROW
    spec.auto_filter = f"A{HEADER_ROW}:{col_letter(len(COLUMNS))}{HEADER_ROW + max(len(rounds), 1)}"
    fit(spec, caps=_CAPS)
    print_setup(spec, title_rows=(HEADER_ROW, HEADER_ROW))
    return spec


def _shown(values: pd.Series, base: str) -> list:
    """A column's cell values: dates and counts as they are, the kind as its code and words (as typed when
    unknown), every other field as its text (an AWB typed as a number still a text: ``0012`` stays)."""
    if base in ("date", "int"):
        return plain_column(values if base == "int" else pd.to_datetime(values, errors="coerce"))
    if values.name == "kind":
        return list(map_distinct(values, lambda v: getattr(SampleKind.read(v), "label", None) or display_text(v),
                                 None))
    return list(map_distinct(values, display_text, None))
