"""Rejected samples re-planned (pure): a REJECTED round n is never changed; its sample gets round n+1
(PENDING, due = the rejection's status date + ``sample_resubmit_wd`` working days in the round's
calendar, what the sample is copied: kind, customer, supplier, PO, line, style, colour, size, qty)
unless a later round of the sample exists (in any state, applied or not).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.samples import SampleKind, SampleStatus
from gendan_xl.model.values import display_text
from gendan_xl.rules.calendar import CalendarBook
from gendan_xl.rules.table_loading import key_labels
from gendan_xl.samples.register import Register

ADDED_NOTE = "拒绝后新增一轮 added: the round before it was rejected"
COPIED = ["sample_no", "customer", "supplier", "po_no", "line", "style", "color", "size", "qty"]


def next_rounds(register: Register, countries, book: CalendarBook, resubmit_wd: int) -> pd.DataFrame:
    """The rounds to add (Samples fields, and ``after``: the row label of the rejected round each one
    follows), in the order of those rows; ``countries``: each register row's calendar country."""
    number, key = register.round, register.key
    at = np.flatnonzero((key != "") & np.isfinite(number))
    tops = pd.DataFrame({"key": key[at], "round": number[at], "pos": at}).sort_values(
        ["key", "round", "pos"], ascending=[True, True, False], kind="stable").drop_duplicates("key", keep="last")
    pos = np.sort(tops["pos"].to_numpy()[register.has(SampleStatus.REJECTED)[tops["pos"].to_numpy()]])
    rows = register.rows.iloc[pos]
    due = np.full(len(pos), np.datetime64("NaT", "D"))
    answered = register.answered[pos]
    country = np.asarray(countries, dtype=object)[pos]

    def one(calendar, which):
        due[which] = calendar.add(answered[which], resubmit_wd)
    book.each_calendar(country, one)
    new = rows[COPIED].reset_index(drop=True).assign(
        round=number[pos] + 1, kind=[SampleKind(code).label for code in register.kind[pos]],
        status=SampleStatus.PENDING.label, due=due.astype("datetime64[us]"), after=rows.index.to_numpy())
    return new[[n for n in schema.SAMPLES.names if n in new.columns] + ["after"]]


def added_rounds_log(new: pd.DataFrame, *, file: str | None, timestamp) -> list[dict]:
    """The Change Log rows of the rounds ``next_rounds`` added: the Samples table, the new round's key,
    its round and due date, and the rejected row it follows."""
    labels = key_labels(schema.SAMPLES, new)
    return [{"timestamp": timestamp, "file": file, "sheet": schema.SAMPLES.sheet, "source_row": int(after),
             "table": schema.SAMPLES.key, "order_key": key, "field": name, "old": None, "new": display_text(value),
             "note": ADDED_NOTE} for key, after, rec in zip(labels, new["after"], new.to_dict("records"))
            for name, value in (("round", rec["round"]), ("due", rec["due"]))]
