"""The 样品 Samples register as the rules read it (pure): each round's kind and status as codes, its
dates, the order lines it covers, and the rows that cannot be applied.

- A round is found by its sample number and round (a whole number from 1), compared as ``gendan load``
  compares them (``table_loading.row_keys``: ``s-12`` is ``S-12``, round ``2.0`` is 2).
- Kind and status are read from their code, label or words (``Coded.read``); a blank status is PENDING.
- The day a round was sent is its Sent date, else (status SENT) its Status date; the day the customer
  received it its Received date, else (status RECEIVED) its Status date; an answer (APPROVED,
  REJECTED) is dated by its Status date.
- The lines a round covers: with a PO and a line, that order line; with a PO and no line, every line
  of the PO with the round's style and colour (a blank style or colour: any); without a PO, none (a
  development or salesman sample).
- A row is not applied (``bad``), and is an issue naming its sheet, row, column and value, when: its
  sample number or round is blank or the round is not a whole number from 1; it repeats a sample
  number + round; its kind is blank or unknown, or its status unknown; an answer has no status date;
  it was received, or answered, before it was sent; it was sent before an earlier round of its sample
  (the round goes back); it names a line without a PO, a PO we do not have, a line the PO does not
  have or whose style or colour is another, or a style and colour no line of the PO has.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.issues import Issue, Reason
from gendan_xl.model.samples import ANSWERS, SampleKind, SampleStatus
from gendan_xl.model.values import (
    blank_mask, day_texts, display_text, is_blank, line_key, map_distinct, normalise_key, whole_texts)
from gendan_xl.rules.calendar import as_days
from gendan_xl.rules.table_loading import key_parts, row_keys

SPEC = schema.SAMPLES
NOT_APPLIED = "未应用此行 row not applied"
_NAT = np.datetime64("NaT", "D")


@dataclass
class Register:
    """The Samples rows (``rows``, indexed like the table) as the rules read them, aligned with them:
    ``kind`` and ``status`` as codes (None: blank or unknown), ``round`` as a number (NaN: unreadable),
    ``key`` the sample number as compared, the days it was ``sent``, ``received`` and ``answered``
    (``datetime64[D]``, NaT when not known), the order lines each valid row covers (``covered``:
    ``sample`` and ``line``, the row labels of both tables), the rows not applied (``bad``) with the
    first problem of each (``problem``), and the issues with the position of each one's row
    (``issue_at``)."""

    rows: pd.DataFrame
    kind: np.ndarray
    status: np.ndarray
    round: np.ndarray
    key: np.ndarray
    sent: np.ndarray
    received: np.ndarray
    answered: np.ndarray
    covered: pd.DataFrame
    bad: np.ndarray
    problem: np.ndarray
    issues: list[Issue]
    issue_at: np.ndarray
    parties: dict = field(default_factory=dict, repr=False, compare=False)   # sample_parties, once each

    def has(self, status: SampleStatus) -> np.ndarray:
        """True for the valid rows of ``status``."""
        return ~self.bad & (self.status == status.value)


class _Found:
    """The problems found so far: every one an issue, the first of a row its ``problem``."""

    def __init__(self, frame: pd.DataFrame, file: str | None):
        self.frame, self.file = frame, file
        self.bad = np.zeros(len(frame), dtype=bool)
        self.first = np.full(len(frame), None, dtype=object)
        self.found: list[tuple[int, int, str, Reason, str]] = []

    def add(self, mask, name: str, reason: Reason, message) -> None:
        """Rows ``mask`` have a problem in field ``name``; ``message``: one text, one per row, or
        ``message(at)`` the texts of the rows at positions ``at`` (built only for them)."""
        mask = np.asarray(mask, dtype=bool)
        at = np.flatnonzero(mask)
        if callable(message):
            message = message(at)
        elif np.ndim(message):
            message = np.asarray(message, dtype=object)[at]
        texts = np.broadcast_to(np.asarray(message, dtype=object), at.shape)
        self.found += [(int(pos), len(self.found) + k, name, reason, text)
                       for k, (pos, text) in enumerate(zip(at, texts))]
        fresh = ~self.bad[at]
        self.first[at[fresh]] = texts[fresh]
        self.bad |= mask

    def issues(self) -> list[Issue]:
        frame = self.frame
        sheets = frame["_sheet"].to_numpy() if "_sheet" in frame else np.full(len(frame), SPEC.sheet, dtype=object)
        rows = frame["_row"].to_numpy() if "_row" in frame else frame.index.to_numpy()
        named = {name for _, _, name, *_ in self.found}
        cells = {name: frame[name].to_numpy(dtype=object) for name in named}
        headers = {name: SPEC.header(name) for name in named}
        return [Issue(self.file, sheets[pos], int(rows[pos]), headers[name], display_text(cells[name][pos]),
                      reason, f"{message}; {NOT_APPLIED}") for pos, _, name, reason, message in sorted(self.found)]

    def positions(self) -> np.ndarray:
        """The row position of each issue, in the order of ``issues``."""
        return np.array(sorted(pos for pos, *_ in self.found), dtype=np.int64)


def read_register(samples: pd.DataFrame, orders: pd.DataFrame, *, file: str | None) -> Register:
    """The register of ``samples`` (Samples fields; a file's rows may carry ``_sheet`` and ``_row``,
    which the issues then name) against ``orders`` (po_no, line, style, color; indexed by sheet row)."""
    frame = samples.reindex(columns=[*SPEC.names, *(c for c in ("_sheet", "_row") if c in samples.columns)])
    found = _Found(frame, file)
    kind = map_distinct(frame["kind"], lambda v: _code(SampleKind, v), None)
    status = map_distinct(frame["status"], lambda v: SampleStatus.PENDING.value if is_blank(v)
                          else _code(SampleStatus, v), SampleStatus.PENDING.value)
    number = pd.to_numeric(frame["round"], errors="coerce").to_numpy(dtype=float)
    parts = key_parts(SPEC, frame)
    key = parts["sample_no"].to_numpy(dtype=object)
    _check_keys(found, frame, key, number, parts)
    _check_codes(found, frame, kind, status)
    sent, received, answered = _days(frame, status)
    _check_dates(found, frame, status)
    _check_rounds(found, key, number, np.where(np.isnat(sent), np.where(np.isnat(received), answered, received),
                                               sent))
    covered = _check_orders(found, frame, orders)
    covered = covered[~found.bad[frame.index.get_indexer(covered["sample"])]].reset_index(drop=True)
    return Register(samples, kind, status, number, key, sent, received, answered, covered, found.bad, found.first,
                    found.issues(), found.positions())


def _code(vocabulary, value) -> str | None:
    member = vocabulary.read(value)
    return member.value if member else None


def _days(frame: pd.DataFrame, status: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The days each row was sent, received and answered (see the module's rules)."""
    on = as_days(frame["status_date"])
    sent, received = as_days(frame["sent_date"]), as_days(frame["received_date"])
    sent = np.where(np.isnat(sent) & (status == SampleStatus.SENT.value), on, sent)
    received = np.where(np.isnat(received) & (status == SampleStatus.RECEIVED.value), on, received)
    answer = np.isin(status, ANSWERS)
    return sent, received, np.where(answer, on, _NAT)


def _check_keys(found: _Found, frame: pd.DataFrame, key: np.ndarray, number: np.ndarray, parts: pd.DataFrame) -> None:
    blank_no = key == ""
    found.add(blank_no, "sample_no", Reason.BLANK_KEY, f"没有{SPEC.field('sample_no').zh} no sample number")
    blank_round = blank_mask(frame["round"])
    found.add(blank_round, "round", Reason.BLANK_KEY, f"没有{SPEC.field('round').zh} no round (1, 2, …)")
    unreadable = ~blank_round & (np.isnan(number) | (number < 1) | (number != np.floor(number)))
    found.add(unreadable, "round", Reason.BAD_NUMBER, "轮次须为从 1 起的整数 a round is a whole number from 1")
    keys = row_keys(SPEC, frame, parts)
    repeated = (keys.duplicated(keep="first") & ~blank_no & ~blank_round).to_numpy()
    found.add(repeated, "round", Reason.DUPLICATE, "样品编号和轮次重复 the sample number and round repeat an "
              "earlier row: the first is applied")


def _check_codes(found: _Found, frame: pd.DataFrame, kind: np.ndarray, status: np.ndarray) -> None:
    blank = blank_mask(frame["kind"])
    found.add(blank, "kind", Reason.MISSING_VALUE, f"没有{SPEC.field('kind').zh} no sample kind (one of "
              + ", ".join(k.label for k in SampleKind) + ")")
    found.add(~blank & pd.isna(kind), "kind", Reason.UNKNOWN_CODE,
              "未知样品类型 unknown sample kind: one of " + ", ".join(k.label for k in SampleKind))
    found.add(pd.isna(status), "status", Reason.UNKNOWN_CODE,
              "未知状态 unknown status: one of " + ", ".join(s.label for s in SampleStatus))
    answer = np.isin(status, ANSWERS)
    undated = answer & np.isnat(as_days(frame["status_date"]))
    found.add(undated, "status_date", Reason.MISSING_VALUE,
              "批复须有状态日期 an approval or rejection needs its status date")


def _check_dates(found: _Found, frame: pd.DataFrame, status: np.ndarray) -> None:
    sent, received, on = (as_days(frame[n]) for n in ("sent_date", "received_date", "status_date"))
    found.add(received < sent, "received_date", Reason.DATES_OUT_OF_ORDER,   # False where either is NaT
              lambda at: "签收早于寄出 received " + day_texts(received[at]) + ", before it was sent " + day_texts(sent[at]))
    answer = np.isin(status, ANSWERS)
    words = map_distinct(pd.Series(status), lambda code: SampleStatus(code).words.lower(), "")
    found.add(answer & (on < sent), "status_date", Reason.DATES_OUT_OF_ORDER,
              lambda at: "寄出前已批复 " + words[at] + " " + day_texts(on[at]) + ", before it was sent " + day_texts(sent[at]))


def _check_rounds(found: _Found, key: np.ndarray, number: np.ndarray, start: np.ndarray) -> None:
    """A round dated (sent, else received, else answered) before an earlier round of its sample."""
    at = np.flatnonzero((key != "") & np.isfinite(number))
    order = at[np.lexsort((number[at], key[at]))]
    days = start[order].astype("datetime64[D]")
    day = pd.Series(np.where(np.isnat(days), np.nan, days.astype(np.int64)))
    keys = pd.Series(key[order])
    before = day.groupby(keys).cummax().groupby(keys).ffill().groupby(keys).shift(1).to_numpy(dtype=float)
    back = ~np.isnan(before) & (day.to_numpy() < before)   # False where either is NaN
    rows = order[back]
    mask = np.zeros(len(key), dtype=bool)
    mask[rows] = True
    message = np.full(len(key), None, dtype=object)
    message[rows] = ("第 " + whole_texts(number[rows]) + " 轮日期早于之前一轮 round " + whole_texts(number[rows]) +
                     " is dated " + day_texts(days[back]) + ", before an earlier round of the sample (" +
                     day_texts(before[back].astype(np.int64).astype("datetime64[D]")) + ")")
    found.add(mask, "round", Reason.ROUND_GOES_BACK, message)


def _check_orders(found: _Found, frame: pd.DataFrame, orders: pd.DataFrame) -> pd.DataFrame:
    """The PO, line, style and colour checks; returns the (sample, line) pairs of the rows with a PO."""
    ours, theirs = {"line_row": orders.index}, {"sample": frame.index}
    for name, column, key in (("po", "po_no", normalise_key), ("line", "line", line_key), ("style", "style", normalise_key),
                              ("color", "color", normalise_key)):
        ours[name], theirs[name] = _keys_of_both(orders[column], frame[column], key)
    ours, theirs = pd.DataFrame(ours), pd.DataFrame(theirs)
    po, line = theirs["po"].to_numpy(), theirs["line"].to_numpy()
    found.add((po == "") & (line != ""), "po_no", Reason.MISSING_VALUE, "有行号没有 PO号 a line without a PO No.")
    known_po = _among(po, ours["po"].to_numpy())
    found.add((po != "") & ~known_po, "po_no", Reason.UNKNOWN_ORDER, "订单中没有此 PO we have no order with this PO No.")
    by_line = theirs[known_po & (line != "")].merge(ours, on=["po", "line"], suffixes=("", "_ours"))
    placed = theirs["sample"].isin(by_line["sample"]).to_numpy()
    found.add(known_po & (line != "") & ~placed, "line", Reason.UNKNOWN_ORDER, "此 PO 没有这一行 the PO has no such line")
    first = by_line.drop_duplicates("sample").set_index("sample")
    at = frame.index.get_indexer(first.index)
    for name in ("style", "color"):
        field = SPEC.field(name)
        differs = np.zeros(len(frame), dtype=bool)
        other = (first[name] != "") & (first[f"{name}_ours"] != "") & (first[name] != first[f"{name}_ours"])
        differs[at[other.to_numpy()]] = True
        shown = np.full(len(frame), "", dtype=object)
        rows = orders.loc[first["line_row"][other], name].map(display_text).to_numpy(dtype=object)
        shown[at[other.to_numpy()]] = rows
        found.add(differs, name, Reason.KEY_MISMATCH, f"{field.zh}与订单行不符 the order line's {field.en.lower()} is "
                  + shown)
    by_po = theirs[known_po & (line == "")].merge(ours.drop(columns="line"), on="po", suffixes=("", "_ours"))
    fits = ((by_po["style"] == "") | (by_po["style"] == by_po["style_ours"])) & \
        ((by_po["color"] == "") | (by_po["color"] == by_po["color_ours"]))
    by_po = by_po[fits.to_numpy()]
    none = known_po & (line == "") & ~theirs["sample"].isin(by_po["sample"]).to_numpy()
    named = np.where(theirs["style"].to_numpy() != "", "style", "color")
    for name in ("style", "color"):
        found.add(none & (named == name), name, Reason.UNKNOWN_ORDER,
                  "此 PO 没有此款号和颜色的行 the PO has no line of this style and colour")
    return pd.concat([by_line[["sample", "line_row"]], by_po[["sample", "line_row"]]], ignore_index=True).rename(
        columns={"line_row": "line"})


def _keys_of_both(ours: pd.Series, theirs: pd.Series, key) -> tuple[np.ndarray, np.ndarray]:
    """``key`` of the values of both columns ('' when blank), once per distinct value of the two (the
    same POs and styles are on both sides)."""
    keys = map_distinct(np.concatenate([ours.to_numpy(dtype=object), theirs.to_numpy(dtype=object)]), key, "")
    return keys[:len(ours)], keys[len(ours):]


def _among(values: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """True where a value is one of ``pool`` (texts compared as numbers: fast for many of each)."""
    codes = pd.factorize(np.concatenate([np.asarray(pool, dtype=object), np.asarray(values, dtype=object)]))[0]
    return np.isin(codes[len(pool):], codes[:len(pool)])


def sample_suppliers(register: Register, orders: pd.DataFrame) -> pd.Series:
    """Each row's supplier (whose calendar its dates are counted in): its own, else the supplier of the
    first order line it covers; None when neither names one."""
    return sample_parties(register, orders, "supplier")


def sample_parties(register: Register, orders: pd.DataFrame, column: str) -> pd.Series:
    """Each row's ``supplier`` or ``customer`` (``column``): its own cell, else that of the first order
    line it covers; None when neither names one. Worked out once per register, orders and column
    (a refresh asks for the suppliers and customers more than once)."""
    known = register.parties.get(column)
    if known is not None and known[0] is orders:
        return known[1].copy()
    own = register.rows[column].astype(object)
    first = register.covered.drop_duplicates("sample")
    theirs = pd.Series(orders.loc[first["line"], column].to_numpy(dtype=object), index=first["sample"].to_numpy())
    found = own.where(~blank_mask(own), theirs.reindex(own.index)).astype(object)
    found = found.where(found.notna(), None)
    register.parties[column] = (orders, found)
    return found.copy()


def sample_customers(register: Register, orders: pd.DataFrame) -> pd.Series:
    """Each row's customer: its own, else the customer of the first order line it covers; None when
    neither names one."""
    return sample_parties(register, orders, "customer")
