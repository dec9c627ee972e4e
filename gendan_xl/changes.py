"""Pure helpers shared by load and sync: typed columns, equality, display text, change-log rows, keys."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import schema

# An order's promise-date history, kept by load and sync: first ETA, the ETA before the latest
# change, and how many times the ETA moved later.
HISTORY_FIELDS = ["first_eta", "prev_eta", "eta_slips"]
from .importers.values import is_blank as cell_is_blank
from .importers.values import normalise_key


def is_blank(value) -> bool:
    """A blank cell (``importers.values.is_blank``) or a missing frame value (NaT, numpy NaN)."""
    return value is pd.NaT or cell_is_blank(value) or (not isinstance(value, str) and pd.isna(value))


def shown(value) -> str | None:
    """A value as the Change Log shows it: ISO dates, integral numbers without ``.0``."""
    if is_blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def key_of(value) -> str:
    """A document key as matched (``normalise_key``), '' for a blank."""
    return "" if is_blank(value) else normalise_key(value)


def map_distinct(values: pd.Series, fn, blank) -> np.ndarray:
    """``fn`` of every value as an object array, calling ``fn`` once per distinct value; NA -> ``blank``."""
    codes, uniques = pd.factorize(values)
    table = np.array([fn(v) for v in uniques.tolist()] + [blank], dtype=object)
    return table[codes]


def keys_of(values: pd.Series) -> pd.Series:
    """``normalise_key`` of every value ('' for blanks), computed once per distinct value."""
    return pd.Series(map_distinct(values, key_of, ""), index=values.index, dtype=object)


def log_rows(log: pd.DataFrame, name: str, old: pd.Series, new: pd.Series, note: str) -> list[dict]:
    """Change-log records: ``log`` (timestamp, file, sheet, source_row, order_key) per changed value."""
    frame = log.assign(field=name, old=old.map(shown).to_numpy(), new=new.map(shown).to_numpy(), note=note)
    return frame.to_dict("records")


def typed_column(name: str, values: pd.Series) -> pd.Series:
    """An Orders field's values in the field's kind (dates at midnight, numbers as float, text)."""
    kind = schema.ORDERS.field(name).kind
    if kind == schema.DATE:
        return pd.to_datetime(values).dt.normalize()
    if kind in (schema.INT, schema.NUMBER):
        return pd.to_numeric(values).astype(float)
    return values.where(values.notna() & (values.astype(object) != ""), None).map(
        lambda v: v if v is None else str(v)).astype(object)


def same_column(old: pd.Series, new: pd.Series) -> pd.Series:
    """Equal values (numbers within 1e-9); a blank old value is never the same as a new one."""
    if pd.api.types.is_numeric_dtype(new) and pd.api.types.is_numeric_dtype(old):
        same = (old - new).abs() <= 1e-9
    else:
        same = old.astype(object) == new.astype(object)
    return (same & old.notna()).fillna(False).astype(bool)


def eta_history(orders: pd.DataFrame, rows: pd.Index, old: pd.Series, new: pd.Series) -> None:
    """First ETA, the ETA before the latest change, and how often the ETA moved later."""
    first = orders.loc[rows, "first_eta"]
    orders.loc[rows, "first_eta"] = first.where(first.notna(), old.where(old.notna(), new))
    known = old.notna()
    orders.loc[rows[known.to_numpy()], "prev_eta"] = old[known]
    later = (known & (new > old)).to_numpy()
    slips = orders.loc[rows[later], "eta_slips"]
    orders.loc[rows[later], "eta_slips"] = slips.fillna(0) + 1
