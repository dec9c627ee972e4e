"""Dates from a file no one can have meant for a line (pure): more than ``YEARS`` years before its
order date or more than ``YEARS`` years after its due date (``26/12/05`` read as 2005-12-26, a year
typed 2062). Each is an ``implausible_date`` issue row and is not applied. A line without an order
date is measured from its due date and one without a due date from its order date; a line with
neither is not checked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gendan_xl.model.issues import Issue, Reason
from gendan_xl.model.values import display_text

YEARS = 2


def line_anchors(orders: pd.DataFrame, targets: pd.Series) -> pd.DataFrame:
    """The order and due dates of the lines file rows matched (``targets``: file row position -> order
    sheet row), indexed by the file row's position."""
    return orders.loc[targets.to_numpy(), ["order_date", "due_date"]].set_axis(targets.index)


def implausible_dates(frame: pd.DataFrame, anchors: pd.DataFrame, *, file: str,
                      headers: dict[str, str]) -> tuple[pd.DataFrame, list[Issue]]:
    """``frame`` (a file's rows: fields, ``_row``, ``_sheet``) with every date outside its line's window
    blank, and one issue per such cell. ``anchors`` holds the ``order_date`` and ``due_date`` of the
    line each checked row is, indexed by the row's position in ``frame``; ``headers`` names the file's
    column of each field."""
    dates = [name for name in frame.columns if not name.startswith("_")
             and pd.api.types.is_datetime64_any_dtype(frame[name])]
    if not dates or anchors.empty:
        return frame, []
    order = pd.to_datetime(anchors["order_date"]).fillna(pd.to_datetime(anchors["due_date"]))
    due = pd.to_datetime(anchors["due_date"]).fillna(pd.to_datetime(anchors["order_date"]))
    words = {"order_date": ("下单日期", "order date"), "due_date": ("交期", "due date")}
    low_word = np.where(anchors["order_date"].notna(), "order_date", "due_date")
    high_word = np.where(anchors["due_date"].notna(), "due_date", "order_date")
    low, high = order - pd.DateOffset(years=YEARS), due + pd.DateOffset(years=YEARS)
    positions = anchors.index.to_numpy()
    out, issues = frame, []
    for name in dates:
        values = frame[name].iloc[positions].set_axis(anchors.index)
        early, late = (values < low).to_numpy(), (values > high).to_numpy()
        if not (early.any() or late.any()):
            continue
        if out is frame:
            out = frame.copy()
        column = out[name].to_numpy().copy()
        for at in np.flatnonzero(early | late):
            pos, value = positions[at], values.iat[at]
            anchor = low_word[at] if early[at] else high_word[at]
            (zh, en), when = words[anchor], (order if early[at] else due).iat[at]
            side_zh, side_en = ("早于", "before") if early[at] else ("晚于", "after")
            issues.append(Issue(file, frame["_sheet"].iat[pos], int(frame["_row"].iat[pos]), headers.get(name, name),
                                display_text(value.date()), Reason.IMPLAUSIBLE_DATE,
                                f"{value.date()} {side_zh}{zh} {when.date()} {YEARS} 年以上，未应用 is more than {YEARS} "
                                f"years {side_en} the line's {en} {when.date()}: not a date the line can have meant "
                                "(a two-digit year first, yy/mm/dd, or a typo?); not applied"))
            column[pos] = np.datetime64("NaT")
        out[name] = column
    return out, sorted(issues, key=lambda i: i.row)
