"""The evidence of the risk model (pure): one row per order line, in the form ``model`` reads.

Columns of an evidence frame (``COLUMNS``): ``supplier``, ``country`` (the supplier's country),
``customer``, ``family`` and ``kind`` (product family and its first word, from the description, else
the style's letters), ``qty``, ``lead_wd`` (due − order date in the supplier's working days, NaN when
either is unknown), ``slips`` (ETA moves later logged before the as-of date), ``ordered``, ``due`` and ``ship``
(datetime64[D], NaT when unknown) and ``delay_wd`` (working days from due to ship, in the supplier's
calendar). Party names are compared as ``values.party_key`` does; blanks are ''.

Which rows are evidence is the model's rule, not this module's: ``model.fit`` keeps only the lines
shipped before its as-of date, so a frame may hold every line of a master or of a history file.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import numpy as np
import pandas as pd

from gendan_xl.rules.calendar import CalendarBook, as_days
from gendan_xl.model.changes import log_days, order_labels
from gendan_xl.rules.sync import SYNC_NOTE
from gendan_xl.model.values import blank_mask, is_missing, map_distinct, party_key

COLUMNS = ("supplier", "country", "customer", "family", "kind", "qty", "lead_wd", "slips", "ordered", "due",
           "ship", "delay_wd")
_CUT = re.compile(r"[,，;；(（\[【]")
_LETTERS = re.compile(r"[^\W\d_]+")


def family_of(description, style=None) -> tuple[str, str]:
    """(family, kind) of a product: the description up to its first comma or bracket, and that
    text's first word (``Lamivudine/Zidovudine 150/300mg, tablets`` -> ``lamivudine/zidovudine
    150/300mg``, ``lamivudine``); without a description, the style's leading letters (``HT5781`` ->
    ``ht``, both). ('', '') when neither is known."""
    if not is_missing(description) and str(description).strip():
        text = unicodedata.normalize("NFKC", str(description)).casefold()
        head = " ".join(_CUT.split(text, maxsplit=1)[0].split())
        word = _LETTERS.search(head)
        return head, word[0] if word else head
    if not is_missing(style):
        word = _LETTERS.match(unicodedata.normalize("NFKC", str(style)).strip().casefold())
        if word:
            return word[0], word[0]
    return "", ""


def evidence(orders: pd.DataFrame, countries, book: CalendarBook, slips=0) -> pd.DataFrame:
    """The evidence frame of order lines (Orders fields; ``ship_date`` is the delivery date) with
    each line's supplier ``countries`` (aligned) and ``slips`` (aligned counts, or one number)."""
    none = pd.Series(None, index=orders.index, dtype=object)
    col = lambda name: orders[name] if name in orders.columns else none  # noqa: E731
    blank = blank_mask(col("description"))
    family, kind = (map_distinct(col("description"), lambda d, i=i: family_of(d)[i], "") for i in (0, 1))
    for i, out in enumerate((family, kind)):   # no description: the style's letters
        out[blank] = map_distinct(col("style")[blank], lambda s, i=i: family_of(None, s)[i], "")
    due, ship, ordered = (as_days(col(c)) for c in ("due_date", "ship_date", "order_date"))
    cc = np.asarray(countries, dtype=object).reshape(len(orders)) if np.ndim(countries) else \
        np.full(len(orders), countries, dtype=object)
    return pd.DataFrame({
        "supplier": map_distinct(col("supplier"), party_key, ""),
        "country": map_distinct(pd.Series(cc, index=orders.index), lambda c: str(c).strip().upper(), ""),
        "customer": map_distinct(col("customer"), party_key, ""),
        "family": family, "kind": kind,
        "qty": pd.to_numeric(col("qty"), errors="coerce").to_numpy(dtype=float),
        "lead_wd": book.count_each(cc, ordered, due),
        "slips": np.broadcast_to(np.asarray(slips, dtype=float), (len(orders),)).copy(),
        "ordered": ordered, "due": due, "ship": ship,
        "delay_wd": book.count_each(cc, due, ship),
    }, index=orders.index)


def slips_before(orders: pd.DataFrame, change_log: pd.DataFrame | None, as_of: dt.date) -> np.ndarray:
    """How often each line's ETA moved later in the Change Log rows sync wrote before ``as_of``
    (the as-of day included; a row dated by its run's as-of date, see changes.log_days): what was
    known of its slips at that date."""
    out = np.zeros(len(orders))
    if change_log is None or change_log.empty:
        return out
    log = change_log[(change_log["field"] == "eta") & (change_log["note"] == SYNC_NOTE)]
    log = log[(log_days(log) <= pd.Timestamp(as_of)).to_numpy()]
    old = pd.to_datetime(log["old"], errors="coerce")
    new = pd.to_datetime(log["new"], errors="coerce")
    later = log[(new > old).to_numpy()]
    counts = later.groupby(later["order_key"].astype(str)).size()
    return counts.reindex(order_labels(orders["po_no"], orders["line"])).fillna(0).to_numpy(dtype=float)
