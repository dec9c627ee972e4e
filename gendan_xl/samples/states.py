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
from gendan_xl.model.values import day_texts, map_distinct, whole_texts
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
    index = register.rows.index   # texts kept as Python objects: pandas would make Arrow strings of them
    return pd.DataFrame({"wait_wd": wait, "state": pd.Series(states[number], index=index, dtype=object),
                         "why": pd.Series(why, index=index, dtype=object)}, index=index)


def _why(number, register: Register, due, left, reached, wait, overdue, used) -> np.ndarray:
    """The why of every row, each text built only for the rows it is for."""
    why = np.full(len(number), "", dtype=object)

    def put(mask, text) -> None:
        """``text(at)``: the texts of the rows ``at`` (the positions of ``mask``)."""
        at = np.flatnonzero(mask)
        if len(at):
            why[at] = text(at)

    def wd(at):
        return " WD (" + used[at] + ")"

    status = register.status
    put(number == 0, lambda at: "数据有误 bad input: " + register.problem[at])
    closed = number == 1
    answer = closed & np.isin(status, ANSWERS)
    words = map_distinct(pd.Series(status), lambda code: SampleStatus(code).words.lower(), "")
    put(answer, lambda at: words[at] + " " + day_texts(register.answered[at]) + np.where(
        np.isnan(wait[at]), "", ", 客户用时 the customer took " + whole_texts(wait[at]) + wd(at)))
    put(closed & (status == SampleStatus.REJECTED.value), lambda at: why[at] + "; 下一轮补寄 the next round is sent again")
    put(closed & (status == SampleStatus.CANCELLED.value), lambda at: SampleStatus.CANCELLED.words.lower())
    put(number == 2, lambda at: "客户 " + day_texts(reached[at]) + " 已签收, " + whole_texts(wait[at]) + " WD 未批复 received " +
        day_texts(reached[at]) + ", no answer for " + whole_texts(wait[at]) + wd(at))
    put(number == 3, lambda at: "应于 " + day_texts(due[at]) + " 前寄出 due " + day_texts(due[at]) + ", not sent: " +
        whole_texts(overdue[at]) + " WD overdue (" + used[at] + ")")
    opened = number == 4
    to_send = opened & np.isnat(left) & np.isnat(reached)
    put(to_send & ~np.isnat(due), lambda at: "待寄 to be sent by " + day_texts(due[at]))
    put(to_send & np.isnat(due), lambda at: "待寄 to be sent (无需寄日期 no due date)")
    put(opened & ~np.isnat(left) & np.isnat(reached), lambda at: "已寄 sent " + day_texts(left[at]) +
        ", 客户未签收 not received yet, " + whole_texts(wait[at]) + wd(at))
    put(opened & ~np.isnat(reached), lambda at: "客户已签收 received " + day_texts(reached[at]) + ", " + whole_texts(wait[at]) +
        wd(at))
    return why
