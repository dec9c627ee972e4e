"""Lay out a reconciliation result as the printable ``对账-<party>-<period>`` sheet, sign-off included."""

from __future__ import annotations

from collections.abc import Callable, Collection

import pandas as pd

from gendan_xl.model.schema import DATE, INT, NUMBER, RECONCILIATION, STATEMENT
from gendan_xl.model.statuses import REVIEW_ORDER, ReconStatus
from gendan_xl.rules.reconcile import Result, basis_label
from gendan_xl.model.values import is_blank, party_key, sheet_key
from gendan_xl.sheets.cells import make_range, plain_column
from gendan_xl.sheets.layout import fit, print_setup
from gendan_xl.sheets.sheet_names import numbered_name
from gendan_xl.sheets.sheet_render import SheetSpec

RESOLUTION = "处理 Resolution"
# (result column, header, style): the fields of schema.RECONCILIATION in small print by their kind, the
# status in its colour. What the counterparty signs: no row of our Orders table.
_SMALL = {DATE: "small_date", NUMBER: "small_number", INT: "small_int"}
_COLUMNS = tuple((f.name, f.header, None if f.name == "status" else _SMALL.get(f.kind, "small"))
                 for f in RECONCILIATION.fields)
# Widest a column grows before its text wraps (columns not named: layout.MAX_WIDTH).
_CAPS = {2: 32, 3: 34, 4: 34, 16: 32, 17: 34}
_QUANTITIES = ("our_qty", "their_qty", "qty_diff")   # whole numbers show no decimals (4,100)
_RESOLUTION_WIDTH = 24      # room to type a resolution
_SIGN_HEIGHT = 30           # room to sign
# Row 2 records whom and which period the sheet is for: a re-run finds its own sheet by these.
PARTY_LABEL, PERIOD_LABEL, ALL_PERIODS = "对方 Party", "期间 Period", "全部 all"
_PARTY_AT, _PERIOD_AT = 2, 6                 # columns of the two values (labels just left of them)
# Frozen on screen: title, party and period, side and statement (the line header sits below the
# summary, ~20 rows down: frozen there, the pane would fill a laptop screen).
_HEADING_ROWS = 3
_PREFIX, _TITLE = "对账-", "对账单 Reconciliation: "
_OLD_PERIOD = PERIOD_LABEL + ": "            # row 2 of a sheet from an older gendan: "期间 Period: 2026-10 · …"


def sheet_name(party: str, period: str | None, taken: Collection[str] = (),
               owns: Callable[[str], bool] = lambda name: False) -> str:
    """The ``对账-<party>-<period>`` sheet to write: the one of ``taken`` (existing sheet names) that
    ``owns`` says was written for this party and period (first among this name and its numbered
    forms, then among the other ``对账-`` sheets: the same party typed another way), else the first
    name no sheet has (ignoring case), numbered `` (2)``, `` (3)`` … after the first. Always a valid
    sheet name (31 characters)."""
    by_key = {sheet_key(name): name for name in taken}
    tail = f"-{period or '全部'}"
    free, tried = None, set()
    for n in range(1, len(by_key) + 2):
        name = numbered_name(_PREFIX, party, tail, n)
        existing = by_key.get(sheet_key(name))
        if existing is None:
            free = free or name
        elif owns(existing):
            return existing
        tried.add(existing)
    others = (name for name in taken if name.startswith(_PREFIX) and tail in name and name not in tried)
    return next((name for name in others if owns(name)), free)


def sheet_identity(rows: list[list]) -> tuple[str, str] | None:
    """(party, period) a reconciliation sheet was written for, as its cells say (row 2; on a sheet
    from an older gendan, the title and the period note); None for any other sheet."""
    def cells(r: int) -> list[str]:
        return ["" if v is None else str(v) for v in rows[r]] if r < len(rows) else []
    title, second = cells(0), cells(1)
    if len(second) >= _PERIOD_AT and second[_PARTY_AT - 2] == PARTY_LABEL and second[_PERIOD_AT - 2] == PERIOD_LABEL:
        return second[_PARTY_AT - 1], second[_PERIOD_AT - 1]
    if title and second and title[0].startswith(_TITLE) and second[0].startswith(_OLD_PERIOD):
        return title[0][len(_TITLE):], second[0][len(_OLD_PERIOD):].split(" · ")[0]
    return None


def is_sheet_for(rows: list[list], names: Collection[str], period: str | None) -> bool:
    """True when ``rows`` are a reconciliation sheet of this period and of a party called one of
    ``names`` (the same name ignoring case, accents, width, punctuation and spacing, as parties are
    matched: a sheet records the name it shows, an older one the name typed)."""
    identity = sheet_identity(rows)
    return identity is not None and party_key(identity[0]) in {party_key(n) for n in names} \
        and identity[1] == (period or ALL_PERIODS)


def previous_resolutions(rows: list[list]) -> dict[tuple, str]:
    """The user's resolution notes on an earlier run of the sheet, by (our doc, their doc, n-th)."""
    header_at = next((i for i, row in enumerate(rows) if RESOLUTION in row), None)
    if header_at is None:
        return {}
    header = rows[header_at]
    ours, theirs, note = header.index(_COLUMNS[2][1]), header.index(_COLUMNS[3][1]), header.index(RESOLUTION)
    found: dict[tuple, str] = {}
    for row in rows[header_at + 1:]:
        if len(row) <= note or ReconStatus.read(row[0]) is None:
            continue
        key = _occurrence(found, (str(row[ours] or ""), str(row[theirs] or "")))
        if not is_blank(row[note]):
            found[key] = row[note]
    return {k: v for k, v in found.items() if v is not None}


def _occurrence(seen: dict, pair: tuple) -> tuple:
    n = 0
    while (*pair, n) in seen:
        n += 1
    seen[(*pair, n)] = None
    return (*pair, n)


def reconcile_sheet(result: Result, *, name: str, party: str, side: str, period: str | None,
                    statement: str, resolutions: dict[tuple, str], prepared: str) -> SheetSpec:
    """The whole sheet: heading, summary, one row per line, totals and the sign-off block."""
    spec = SheetSpec(name, landscape=True, tab_color="FF7030A0", header=f"对账 Reconciliation — {party} {period or ''}",
                     freeze_row=_HEADING_ROWS)
    side_text = "供应商 supplier" if side == "supplier" else "客户 customer"
    spec.put(1, 1, _TITLE + party, "title")
    spec.put(2, _PARTY_AT - 1, PARTY_LABEL, "note")
    spec.put(2, _PARTY_AT, party, "subtitle")
    spec.merges.append(make_range(_PARTY_AT, 2, _PARTY_AT + 2, 2))
    spec.put(2, _PERIOD_AT - 1, PERIOD_LABEL, "note")
    spec.put(2, _PERIOD_AT, period or ALL_PERIODS, "subtitle")
    spec.put(3, 1, f"对方 Side: {side_text} · 对账单 Statement: {statement} · "
                   f"币种 Currency: {result.currency or '—'} (我方 ours {result.our_currency or '—'})", "note")
    row = 4
    if result.currency_mismatch:
        spec.put(row, 1, "注意：对账单币种与我方不同，未换算 — the statement currency differs from ours; "
                         "nothing was converted", "flag_LATE")
    row = _summary(spec, row + 1, result)
    row += 1
    spec.row(row, [_with_currency(field, header, result) for field, header, _ in _COLUMNS] + [RESOLUTION],
             "header")
    header_row, first_line = row, row + 1
    lines = _in_review_order(result.lines)
    for col, (field, _, style) in enumerate(_COLUMNS, start=1):
        if field == "status":
            for r, code in enumerate(lines["status"].tolist(), start=first_line):
                spec.put(r, col, ReconStatus(code).words, f"status_{code}")
        elif field == "matched_on":
            for r, code in enumerate(lines["matched_on"].tolist(), start=first_line):
                spec.put(r, col, basis_label(code), style)
        else:
            values = plain_column(lines[field])
            if field in _QUANTITIES and all(float(v).is_integer() for v in values if v is not None):
                style = "small_int"
            for r, value in enumerate(values, start=first_line):
                spec.put(r, col, value, style)
    seen: dict = {}
    for r, (ours, theirs) in enumerate(zip(lines["our_key"].tolist(), lines["their_key"].tolist()), start=first_line):
        key = _occurrence(seen, (str(ours or ""), str(theirs or "")))
        spec.put(r, len(_COLUMNS) + 1, resolutions.get(key), "input")
    row += len(lines)
    if row >= first_line:
        row += 1
        spec.put(row, 1, "合计 Total", "total_text")
        for col, (field, _, _) in enumerate(_COLUMNS, start=1):
            if field in ("our_amount", "their_amount", "amount_diff"):
                spec.put(row, col, float(pd.to_numeric(result.lines[field], errors="coerce").fillna(0).sum()),
                         "total")
    sign_off = _sign_off(spec, row + 2, prepared)
    resolution = len(_COLUMNS) + 1
    fit(spec, caps=_CAPS | {resolution: _RESOLUTION_WIDTH})
    spec.widths[resolution] = max(spec.widths[resolution], _RESOLUTION_WIDTH)
    print_setup(spec, title_rows=(header_row, header_row), keep_together=[sign_off])
    return spec


def _in_review_order(lines: pd.DataFrame) -> pd.DataFrame:
    """The lines by ``REVIEW_ORDER`` of their status (differences first, matched last), each status's
    lines in the order reconcile gave them."""
    rank = lines["status"].map({status.value: n for n, status in enumerate(REVIEW_ORDER)})
    return lines.iloc[rank.argsort(kind="stable")]


def _with_currency(field: str, header: str, result: Result) -> str:
    """A money column's header with its currency: ours for our side, the statement's for theirs, one
    for a difference only when both sides have the same."""
    if not field.endswith(("_price", "_amount", "price_diff", "amount_diff")):
        return header
    ours, theirs = result.our_currency, result.currency
    currency = ours if field.startswith("our_") else theirs if field.startswith("their_") else (
        ours if ours == theirs else None)
    return f"{header} ({currency})" if currency else header


def _summary(spec: SheetSpec, row: int, result: Result) -> int:
    """Totals of both sides, then the net difference explained by status (labels span two columns)."""
    currency = result.our_currency if result.our_currency == result.currency else None
    amount = STATEMENT.field("amount").header
    spec.row(row, ["汇总 Summary", None, f"{amount} ({currency})" if currency else amount], "header")
    spec.merges.append(f"A{row}:B{row}")
    for label, value in (("我方合计 Our total", result.totals["ours"]),
                         ("对方合计 Their total", result.totals["theirs"]),
                         ("差额 Difference (theirs − ours)", result.totals["difference"]),
                         ("一致金额 Matched total", result.matched_total)):
        row += 1
        spec.row(row, [label, None], "total_text")
        spec.merges.append(f"A{row}:B{row}")
        spec.put(row, 3, value, "total")
    row += 2
    spec.row(row, [RECONCILIATION.field("status").header, None, "行数 Lines", "差额 Difference"], "header")
    spec.merges.append(f"A{row}:B{row}")
    for status in ReconStatus:
        row += 1
        spec.row(row, [status.words, None], f"status_{status}")
        spec.merges.append(f"A{row}:B{row}")
        spec.put(row, 3, result.counts[status], "int")
        spec.put(row, 4, result.difference_by_status.get(status, 0.0), "number")
    return row + 1


def _sign_off(spec: SheetSpec, row: int, prepared: str) -> tuple[int, int]:
    """The sign-off block (labels over columns A:C, a line to sign on beside each, rows tall enough
    to sign in); returns its first and last row."""
    spec.put(row, 1, "签核 Sign-off", "subtitle")
    labels = (("制表 Prepared by", prepared), ("审核 Checked by", ""), (STATEMENT.field("date").header, ""),
              ("对方确认（签字盖章）Counterparty confirmation (signature & stamp)", ""))
    for offset, (label, value) in enumerate(labels, start=1):
        spec.row(row + offset, [label, None, None], "total_text")
        spec.merges.append(f"A{row + offset}:C{row + offset}")
        spec.put(row + offset, 4, value or "______________________", "signature")
        spec.heights[row + offset] = _SIGN_HEIGHT
    return row, row + len(labels)

