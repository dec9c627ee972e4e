"""Each sample round's wait, state and why (pure), counted in working days of the round's calendar.

- ``wait_wd``: working days since the sample reached the customer (its received day, else the day it
  was sent) until the answer (an APPROVED or REJECTED round's status date), else until the as-of
  date while it is open; blank before it was sent, and for a cancelled or bad row. A sent or
  received day after the as-of date has not come yet.
- State, the first that applies (``SampleState``): INVALID, a row not applied (its why says why);
  CLOSED, approved, rejected (the next round carries it on) or cancelled; WAITING, received and no
  answer for ``sample_reply_wd`` working days or more; OVERDUE, not sent and its due date before the
  as-of date; OPEN, anything else (to be sent, on its way, with the customer).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from gendan_xl.model.samples import ANSWERS, OPEN_SAMPLES, SampleState, SampleStatus
from gendan_xl.rules.calendar import CalendarBook, as_days
from gendan_xl.samples.register import Register

_NAT = np.datetime64("NaT", "D")


def sample_states(register: Register, countries, book: CalendarBook, as_of: dt.date, reply_wd: int) -> pd.DataFrame:
    """``wait_wd``, ``state`` (its code) and ``why`` of every register row (indexed like its rows)."""
    n = len(register.rows)
    today = np.datetime64(as_of, "D")
    status = register.status
    due = as_days(register.rows["due"])
    left = np.where(register.sent <= today, register.sent, _NAT)
    reached = np.where(register.received <= today, register.received, _NAT)
    since = np.where(np.isnat(reached), left, reached)
    answered = ~register.bad & np.isin(status, ANSWERS)
    is_open = ~register.bad & np.isin(status, OPEN_SAMPLES)
    end = np.where(answered, register.answered, np.where(is_open, today, _NAT))
    wait, overdue, used = np.full(n, np.nan), np.full(n, np.nan), np.full(n, "", dtype=object)

    def one(calendar, rows):
        wait[rows] = calendar.count(since[rows], end[rows])
        overdue[rows] = calendar.count(due[rows], np.full(int(rows.sum()), today))
        used[rows] = calendar.country
    book.each_calendar(np.asarray(countries, dtype=object).reshape(n), one)

    not_sent = is_open & np.isnat(since)
    rules = [register.bad, ~is_open, is_open & ~np.isnat(reached) & (wait >= reply_wd),
             not_sent & (due < today)]
    states = np.array([s.value for s in (SampleState.INVALID, SampleState.CLOSED, SampleState.WAITING,
                                         SampleState.OVERDUE, SampleState.OPEN)], dtype=object)
    number = np.select(rules, list(range(4)), 4)
    why = _why(number, register, due, left, reached, wait, overdue, used)
    return pd.DataFrame({"wait_wd": wait, "state": states[number], "why": why}, index=register.rows.index)


def _why(number, register: Register, due, left, reached, wait, overdue, used) -> np.ndarray:
    why = np.full(len(number), "", dtype=object)
    wd = " WD (" + used + ")"

    def put(mask, texts):
        mask = np.asarray(mask, dtype=bool)
        why[mask] = np.broadcast_to(np.asarray(texts, dtype=object), mask.shape)[mask]

    status = register.status
    put(number == 0, "数据有误 bad input: " + np.where(pd.isna(register.problem), "", register.problem).astype(object))
    closed = number == 1
    answer = closed & np.isin(status, [SampleStatus.APPROVED.value, SampleStatus.REJECTED.value])
    words = pd.Series(status).map(lambda code: SampleStatus(code).words.lower() if isinstance(code, str) else "")
    after = np.where(np.isnan(wait), "", ", 客户用时 the customer took " + _num(wait) + wd)
    put(answer, words.to_numpy(dtype=object) + " " + _days(register.answered) + after)
    put(closed & (status == SampleStatus.REJECTED.value), why + "; 下一轮补寄 the next round is sent again")
    put(closed & (status == SampleStatus.CANCELLED.value), SampleStatus.CANCELLED.words.lower())
    put(number == 2, "客户 " + _days(reached) + " 已签收, " + _num(wait) + " WD 未批复 received " + _days(reached) +
        ", no answer for " + _num(wait) + wd)
    put(number == 3, "应于 " + _days(due) + " 前寄出 due " + _days(due) + ", not sent: " + _num(overdue) +
        " WD overdue (" + used + ")")
    opened = number == 4
    has_due = ~np.isnat(due)
    put(opened & np.isnat(left) & np.isnat(reached) & has_due, "待寄 to be sent by " + _days(due))
    put(opened & np.isnat(left) & np.isnat(reached) & ~has_due, "待寄 to be sent (无需寄日期 no due date)")
    put(opened & ~np.isnat(left) & np.isnat(reached), "已寄 sent " + _days(left) + ", 客户未签收 not received yet, " +
        _num(wait) + wd)
    put(opened & ~np.isnat(reached), "客户已签收 received " + _days(reached) + ", " + _num(wait) + wd)
    return why


def _days(values: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(np.asarray(values, dtype="datetime64[D]"), unit="D").astype(object)


def _num(values: np.ndarray) -> np.ndarray:
    return np.char.mod("%d", np.nan_to_num(values).astype(np.int64)).astype(object)
