"""Reconciliation (对账): our lines for a party and period against its statement.

Pure: DataFrames in, a :class:`Result` out; no workbook, no files. Decisions:

* Lines are paired by the key cascade of :mod:`gendan_xl.rules.doc_match`. A statement line that repeats
  an earlier one (same normalised keys, qty and amount to the cent) is DUPLICATE and is not matched,
  except for as many copies as our side has identical lines.
* A matched pair gets the first status that applies:

  - ``QTY_DIFF``: |qty diff| > ``qty_tolerance``. It wins over a price difference; both diffs are in
    their columns and the note says the price differs too.
  - ``PRICE_DIFF``: |price diff| > 0.00005 and |amount diff| > ``amount_tolerance``.
  - ``AMOUNT_DIFF``: |amount diff| > ``amount_tolerance``.
  - ``MATCHED``: otherwise; a difference equal to a tolerance is within it.

  Qty and price are compared only when both sides have them (the note names a blank one); a price
  difference whose amount is within the tolerance stays MATCHED, with a note.
* Every difference is theirs − ours: positive = the statement claims more than our records. A blank
  amount counts 0 (after amount = qty × price when only those are given; price = amount / qty when
  only those are) and an unmatched line's missing side counts 0, so the per-status differences add up
  to ``totals["difference"]``. Differences and totals are rounded to 6 decimals (price 9) to drop
  float noise.
* An unmatched line may get a suggestion: the other side's unmatched line whose normalised keys (the
  key fields both sides have) are most similar, score >= 80 (``gendan_xl.rules.suggest``). It stays unmatched.
* Currencies are never converted. A statement line's currency is its ``currency`` cell, else the
  ``currency`` argument; one that differs from ours is noted on the line and sets ``currency_mismatch``.
* Lines come out grouped by normalised PO, in statement order, our unmatched lines after the PO's
  statement lines (in our order).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

import numpy as np
import pandas as pd

from gendan_xl.rules.doc_match import KEY_FIELDS, normalised_keys, pair_lines, repeated_lines
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.schema import STATEMENT
from gendan_xl.model.statuses import DIFFERENCES, ReconStatus
from gendan_xl.rules.suggest import nearest
from gendan_xl.model.values import display_text, is_blank, map_distinct, party_key

LINE_COLUMNS = ("status", "label", "matched_on", "our_key", "their_key", "our_date", "their_date",
                "our_qty", "their_qty", "qty_diff", "our_price", "their_price", "price_diff",
                "our_amount", "their_amount", "amount_diff", "our_row", "their_row", "note",
                "suggestion", "suggestion_row", "score")
PRICE_PRECISION = 0.00005
_DIGITS, _PRICE_DIGITS = 6, 9  # differences and totals are rounded to these decimals (float noise)
SIDES = {"supplier": ("supplier", "cost_price"), "customer": ("customer", "unit_price")}
_PERIOD = re.compile(r"(\d{4})-(\d{2})")
_CURRENCY_ALIASES = {"RMB": "CNY", "人民币": "CNY", "US$": "USD", "美元": "USD", "欧元": "EUR"}
NOTES = {
    "price_too": "单价亦不符 price differs too",
    "price_within": "单价不同, 金额在容差内 price differs, amount within tolerance",
    "blank": "一方{zh}空白, 未比较 {name} blank on one side, not compared",
    "repeat": "重复对账单第 {row} 行 repeats statement row {row}",
    "currency": "币种 {theirs} ≠ 我方 {ours} currency {theirs}, ours {ours}",
    "no_suggestions": "未匹配行过多, 未给建议 too many unmatched lines for suggestions",
}



def basis_label(code) -> str | None:
    """The key fields a pair was matched on as the statement's headers: ``po_no+style+color`` ->
    ``PO号 PO No. + 款号 Style + 颜色 Color`` (None for an unpaired line)."""
    if not isinstance(code, str) or not code:
        return None
    return " + ".join(STATEMENT.field(part).header for part in code.split("+"))


@dataclass(frozen=True)
class Result:
    """Reconciliation lines (columns ``LINE_COLUMNS``) and summary; differences are theirs − ours.

    ``counts``: lines per status, every status present. ``totals``: ours, theirs, difference (all
    amounts of each side, DUPLICATE lines included). ``matched_total``: our amount on MATCHED lines.
    ``difference_by_status``: the amount differences per status, adding up to the total difference.
    ``currency``: the statement's (several joined by '/'; None when unknown); ``our_currency`` likewise.
    """

    lines: pd.DataFrame
    counts: dict[str, int]
    totals: dict[str, float]
    matched_total: float
    difference_by_status: dict[str, float]
    currency: str | None
    our_currency: str | None
    currency_mismatch: bool

    def summary(self) -> dict:
        """Everything but the lines, JSON-ready."""
        return {"counts": self.counts, "totals": self.totals, "matched_total": self.matched_total,
                "difference_by_status": self.difference_by_status, "currency": self.currency,
                "our_currency": self.our_currency, "currency_mismatch": self.currency_mismatch}


def our_lines(orders: pd.DataFrame, party: str, period: str | None = None, side: str = "supplier", *,
              aliases: Iterable[str] = ()) -> pd.DataFrame:
    """Our side of a statement from ``party``.

    Supplier statement: order lines whose ``supplier`` is ``party`` or one of ``aliases`` (code,
    other names; compared as ``values.party_key`` does), valued at ``cost_price``. Customer statement:
    ``customer`` and ``unit_price``. ``period`` 'YYYY-MM' keeps lines with ``ship_date`` in that
    month; None keeps every line with a ship date. qty = ``shipped_qty``, else ``qty``; amount = qty ×
    price. Columns: po_no, line, style, color, delivery_no (only when orders have it), ship_date, qty,
    price, amount, currency, _row (the order line's index label, i.e. its Excel row).
    """
    if side not in SIDES:
        raise GendanError("对账方无效 invalid side", value=side, expected="supplier or customer", code=ErrorCode.BAD_OPTION)
    party_col, price_col = SIDES[side]
    names = {party_key(name) for name in (party, *aliases)} - {""}
    mine = map_distinct(_column(orders, party_col), lambda v: party_key(v) in names, False).astype(bool)
    shipped = pd.to_datetime(_column(orders, "ship_date"), errors="coerce")
    if period is None:
        when = shipped.notna().to_numpy()
    else:
        year, month = _period(period)
        when = ((shipped.dt.year == year) & (shipped.dt.month == month)).to_numpy()
    take = mine & when
    chosen = orders.loc[take]
    qty = _numbers(chosen, "shipped_qty")
    qty = np.where(np.isnan(qty), _numbers(chosen, "qty"), qty)
    price = _numbers(chosen, price_col)
    keys = ("po_no", "line", "style", "color", *(["delivery_no"] if "delivery_no" in orders.columns else []))
    out = pd.DataFrame({name: _column(chosen, name).to_numpy() for name in keys})
    return out.assign(ship_date=shipped.to_numpy()[take], qty=qty, price=price,
                      amount=qty * price, currency=_column(chosen, "currency").to_numpy(),
                      _row=chosen.index.to_numpy())


def statement_period(theirs: pd.DataFrame, period: str | None, *, file=None) -> str:
    """The month ('YYYY-MM') a statement is reconciled for: its dated lines decide.

    ``period`` given: itself, when a line of the statement is dated in it (or no line has a date); a
    period none of its dated lines falls in is a slip (an October statement reconciled as November):
    GendanError naming the statement's months. ``period`` None: the month all its dated lines are
    in; lines in several months, or none dated: GendanError listing the months (``file``: the
    statement, named in the error).
    """
    months = sorted(set(pd.to_datetime(_column(theirs, "date"), errors="coerce").dropna().dt.strftime("%Y-%m")))
    listed, column = ", ".join(months), STATEMENT.field("date").header
    if period is not None:
        year, month = _period(period)
        period = f"{year:04d}-{month:02d}"
        if months and period not in months:
            raise GendanError(f"对账单没有 {period} 的行，其日期在 {listed} the statement has no line in {period}: "
                              f"its dates are in {listed}", file=file, column=column, value=period,
                              expected=f"--period {months[0]}" if len(months) == 1 else f"one of {listed}",
                              code=ErrorCode.STATEMENT_PERIOD)
        return period
    if len(months) == 1:
        return months[0]
    if months:
        raise GendanError(f"对账单的日期跨 {len(months)} 个月：{listed}，请指定期间 the statement's dates are in "
                          f"{len(months)} months: {listed}; name one", file=file, column=column,
                          expected=f"--period YYYY-MM, one of {listed}", code=ErrorCode.STATEMENT_PERIOD)
    raise GendanError("对账单没有日期，请指定期间 the statement has no dates: name its period", file=file,
                      column=column, expected="--period YYYY-MM, e.g. 2026-10", code=ErrorCode.STATEMENT_PERIOD)


def _period(period: str) -> tuple[int, int]:
    m = _PERIOD.fullmatch(str(period).strip())
    if not m or not 1 <= int(m[2]) <= 12:
        raise GendanError("对账期间无效 invalid period", value=period, expected="YYYY-MM, e.g. 2026-11",
                          code=ErrorCode.BAD_OPTION)
    return int(m[1]), int(m[2])


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series(None, index=frame.index, dtype=object)


def _numbers(frame: pd.DataFrame, name: str) -> np.ndarray:
    return pd.to_numeric(_column(frame, name), errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def reconcile(ours: pd.DataFrame, theirs: pd.DataFrame, *, amount_tolerance: float = 0.01,
              qty_tolerance: float = 0.0, currency: str | None = None) -> Result:
    """Match ``ours`` (from :func:`our_lines`) with ``theirs`` (a cleaned statement) line by line.

    ``theirs`` columns: po_no, and any of line, style, color, delivery_no, date, qty, price (unit
    price), amount, currency, _row (its source row; default the index). It needs po_no and an amount
    or a price; ``ours`` the same, with ``ship_date`` for the date.
    """
    for name, frame in (("ours 我方", ours), ("theirs 对账单", theirs)):
        if "po_no" not in frame.columns or not {"amount", "price"} & set(frame.columns):
            raise GendanError(f"缺少对账列 {name} lacks a column", column="po_no / amount or price",
                              expected="columns po_no and amount or price", code=ErrorCode.COLUMN_MISSING)
    keys_o, keys_t = normalised_keys(ours), normalised_keys(theirs)
    o, t = _side(ours, "ship_date", None), _side(theirs, "date", currency)
    with_o = keys_o.assign(qty=o["qty"], amount=o["amount"])
    with_t = keys_t.assign(qty=t["qty"], amount=t["amount"])
    repeat = repeated_lines(with_t, with_o)
    at = _layout(pair_lines(with_o, with_t[repeat < 0]), len(o), repeat)
    o_pos, t_pos = at["ours"].to_numpy(), at["theirs"].to_numpy()
    lines = _compare(o, t, o_pos, t_pos, at["kind"].to_numpy(), amount_tolerance, qty_tolerance)
    lines["matched_on"] = at["matched_on"].to_numpy()
    our_set = set(o["currency"].dropna())
    currency_note = _currency_note(_take(o["currency"], o_pos), _take(t["currency"], t_pos), our_set)
    common = [c for c in KEY_FIELDS if c in keys_o.columns and c in keys_t.columns]
    found, suggest_note = _suggestions(at, o, t, _composite(keys_o[common]), _composite(keys_t[common]))
    lines = lines.assign(**found, note=_join([_detail_note(lines), _repeat_note(t, at["repeats"].to_numpy()),
                                               currency_note, suggest_note]))
    po = np.where(t_pos >= 0, _take(keys_t["po_no"], t_pos), _take(keys_o["po_no"], o_pos))
    order = np.lexsort((np.where(o_pos < 0, len(o), o_pos), np.where(t_pos < 0, len(t), t_pos),
                        pd.factorize(po, sort=True)[0]))
    lines = lines.iloc[order].reset_index(drop=True)[list(LINE_COLUMNS)]
    return _result(lines, o, t, our_set, (currency_note != "").any())


def _layout(pairs: pd.DataFrame, n_ours: int, repeat: np.ndarray) -> pd.DataFrame:
    """One row per result line: positions ``ours``/``theirs`` (-1: none), ``kind`` (``pair`` or the
    status of an unpaired line), ``matched_on``, and ``repeats`` (the statement line repeated, or -1)."""
    dups = np.flatnonzero(repeat >= 0)
    only_o = np.setdiff1d(np.arange(n_ours), pairs["ours"])
    only_t = np.setdiff1d(np.flatnonzero(repeat < 0), pairs["theirs"])
    return pd.concat([
        pairs.assign(kind="pair", repeats=-1),
        pd.DataFrame({"ours": only_o, "theirs": -1, "kind": ReconStatus.ONLY_OURS.value, "repeats": -1}),
        pd.DataFrame({"ours": -1, "theirs": only_t, "kind": ReconStatus.ONLY_THEIRS.value, "repeats": -1}),
        pd.DataFrame({"ours": -1, "theirs": dups, "kind": ReconStatus.DUPLICATE.value, "repeats": repeat[dups]}),
    ], ignore_index=True).astype({"ours": np.int64, "theirs": np.int64, "repeats": np.int64, "kind": object,
                                  "matched_on": object})


def _side(frame: pd.DataFrame, date_col: str, currency: str | None) -> pd.DataFrame:
    """Values of one side by position: qty, price, amount, date, currency, row, key (display text)."""
    qty, price, amount = (_numbers(frame, name) for name in ("qty", "price", "amount"))
    amount = np.where(np.isnan(amount), qty * price, amount)
    derived = np.divide(amount, qty, out=np.full(len(frame), np.nan), where=qty != 0)
    price = np.where(np.isnan(price), derived, price)
    default = _currency(currency)
    texts = [map_distinct(frame[name], display_text, "") for name in KEY_FIELDS if name in frame.columns]
    return pd.DataFrame({
        "qty": qty, "price": price, "amount": amount,
        "date": _column(frame, date_col).to_numpy(),
        "currency": map_distinct(_column(frame, "currency"), lambda v: _currency(v) or default, default),
        "row": frame["_row"].to_numpy() if "_row" in frame.columns else frame.index.to_numpy(),
        "key": [" / ".join(filter(None, parts)) for parts in zip(*texts)],
    })


def _currency(value) -> str | None:
    if is_blank(value):
        return None
    code = unicodedata.normalize("NFKC", str(value)).strip().upper()
    return _CURRENCY_ALIASES.get(code, code)


def _take(values, pos: np.ndarray) -> np.ndarray:
    """``values[pos]`` with NA where ``pos`` is -1."""
    return pd.Series(values).reindex(pos).to_numpy()


def _compare(o, t, o_pos, t_pos, kinds, amount_tol, qty_tol) -> pd.DataFrame:
    """Both sides' values, differences and status of every line."""
    v = {f"{side}_{name}": _take(frame[name], pos).astype(float)
         for side, frame, pos in (("our", o, o_pos), ("their", t, t_pos))
         for name in ("qty", "price", "amount")}
    paired = kinds == "pair"
    qty_diff = np.round(np.where(paired, v["their_qty"] - v["our_qty"],
                                 np.nan_to_num(v["their_qty"]) - np.nan_to_num(v["our_qty"])), _DIGITS)
    price_diff = np.round(v["their_price"] - v["our_price"], _PRICE_DIGITS)
    amount_diff = np.round(np.nan_to_num(v["their_amount"]) - np.nan_to_num(v["our_amount"]), _DIGITS)
    qty_off = np.abs(qty_diff) > qty_tol
    price_off = np.abs(price_diff) > PRICE_PRECISION
    amount_off = np.abs(amount_diff) > amount_tol
    status = np.select([~paired, qty_off, price_off & amount_off, amount_off],
                       [kinds, *(s.value for s in DIFFERENCES)], ReconStatus.MATCHED.value).astype(object)
    return pd.DataFrame({
        "status": status, "label": [ReconStatus(s).label for s in status],
        "our_key": _take(o["key"], o_pos), "their_key": _take(t["key"], t_pos),
        "our_date": _take(o["date"], o_pos), "their_date": _take(t["date"], t_pos),
        "our_qty": v["our_qty"], "their_qty": v["their_qty"], "qty_diff": qty_diff,
        "our_price": v["our_price"], "their_price": v["their_price"], "price_diff": price_diff,
        "our_amount": v["our_amount"], "their_amount": v["their_amount"], "amount_diff": amount_diff,
        "our_row": _rows(_take(o["row"], o_pos)), "their_row": _rows(_take(t["row"], t_pos)),
    })


def _rows(values: np.ndarray):
    """Row labels as nullable integers when they are numbers."""
    rows = pd.Series(values, dtype=object).infer_objects()
    return rows.astype("Int64").array if pd.api.types.is_numeric_dtype(rows) else values


def _currency_note(ours_cur: np.ndarray, theirs_cur: np.ndarray, our_set: set) -> np.ndarray:
    """A note on statement lines whose currency differs from the paired line's, else from all of ours."""
    ours_text = np.where(pd.notna(ours_cur), ours_cur, "/".join(sorted(our_set)))
    other = pd.notna(theirs_cur) & np.where(pd.notna(ours_cur), theirs_cur != ours_cur,
                                            bool(our_set) & ~pd.Series(theirs_cur).isin(our_set).to_numpy())
    note = np.full(len(other), "", dtype=object)
    note[other] = [NOTES["currency"].format(theirs=c, ours=m)
                   for c, m in zip(theirs_cur[other], ours_text[other])]
    return note


def _detail_note(lines: pd.DataFrame) -> np.ndarray:
    """Notes on a pair's status: the price differs too, or within the amount; a blank not compared."""
    status = lines["status"].to_numpy()
    price_off = np.abs(lines["price_diff"].to_numpy(dtype=float)) > PRICE_PRECISION
    paired = lines["matched_on"].notna().to_numpy()
    parts = [
        np.where((status == ReconStatus.QTY_DIFF) & price_off, NOTES["price_too"], ""),
        np.where((status == ReconStatus.MATCHED) & price_off, NOTES["price_within"], ""),
    ]
    for name, zh in (("qty", "数量"), ("price", "单价")):
        one_blank = paired & (lines[f"our_{name}"].isna() != lines[f"their_{name}"].isna()).to_numpy()
        parts.append(np.where(one_blank, NOTES["blank"].format(zh=zh, name=name), ""))
    return _join(parts)


def _repeat_note(t: pd.DataFrame, repeat_of: np.ndarray) -> np.ndarray:
    note = np.full(len(repeat_of), "", dtype=object)
    at = repeat_of >= 0
    note[at] = [NOTES["repeat"].format(row=display_text(r)) for r in t["row"].to_numpy()[repeat_of[at]]]
    return note


def _composite(keys: pd.DataFrame) -> list[str]:
    """One string per line from its normalised keys, for fuzzy comparison ('' when all blank)."""
    return [" ".join(filter(None, parts)) for parts in zip(*(keys[c].to_numpy() for c in keys.columns))]


def _suggestions(at: pd.DataFrame, o, t, comp_o: list[str], comp_t: list[str]) -> tuple[dict, np.ndarray]:
    """Columns suggestion, suggestion_row, score of every line (filled on unmatched lines), and a
    note on the unmatched lines when there were too many to compare."""
    n = len(at)
    suggestion, row, score = np.full(n, None, dtype=object), np.full(n, None, dtype=object), np.zeros(n)
    note = np.full(n, "", dtype=object)
    at_o, at_t = (np.flatnonzero(at["kind"].to_numpy() == kind) for kind in (ReconStatus.ONLY_OURS,
                                                                               ReconStatus.ONLY_THEIRS))
    only_o, only_t = at["ours"].to_numpy()[at_o], at["theirs"].to_numpy()[at_t]
    near = nearest([comp_o[i] for i in only_o], [comp_t[i] for i in only_t])
    if near is None:
        note[np.concatenate([at_o, at_t])] = NOTES["no_suggestions"]
    else:
        for lines, best, best_score, other, other_pos in (
                (at_o, near.query_best, near.query_score, t, only_t),
                (at_t, near.choice_best, near.choice_score, o, only_o)):
            hit = best >= 0
            picked = other_pos[best[hit]]
            suggestion[lines[hit]] = other["key"].to_numpy()[picked]
            row[lines[hit]] = other["row"].to_numpy()[picked]
            score[lines[hit]] = best_score[hit]
    columns = {"suggestion": suggestion, "suggestion_row": _rows(row),
               "score": pd.array(np.where(score > 0, score, np.nan), dtype="Int64")}
    return columns, note


def _join(parts: list[np.ndarray]) -> np.ndarray:
    """Row-wise '; '-join of the non-empty texts of ``parts``."""
    table = np.stack(parts, axis=1)
    out = np.full(len(table), "", dtype=object)
    rows = np.flatnonzero((table != "").any(axis=1))
    out[rows] = ["; ".join(p for p in table[r] if p) for r in rows]
    return out


def _result(lines: pd.DataFrame, o: pd.DataFrame, t: pd.DataFrame, our_set: set, mismatch: bool) -> Result:
    status = lines["status"].to_numpy()
    diff = lines["amount_diff"].to_numpy()
    ours, theirs = (round(math.fsum(np.nan_to_num(side["amount"])), _DIGITS) for side in (o, t))
    their_set = set(t["currency"].dropna())
    return Result(
        lines=lines,
        counts={s.value: int((status == s).sum()) for s in ReconStatus},
        totals={"ours": ours, "theirs": theirs, "difference": round(theirs - ours, _DIGITS)},
        matched_total=_sum(lines["our_amount"].to_numpy()[status == ReconStatus.MATCHED]),
        difference_by_status={s.value: _sum(diff[status == s]) for s in ReconStatus},
        currency="/".join(sorted(their_set)) or None,
        our_currency="/".join(sorted(our_set)) or None,
        currency_mismatch=bool(mismatch),
    )


def _sum(values: np.ndarray) -> float:
    return round(math.fsum(np.nan_to_num(values)), _DIGITS)
