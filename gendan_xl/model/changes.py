"""Pure helpers shared by load and sync: typed columns, change-log rows, the ETA history."""

from __future__ import annotations

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.values import display_text, is_blank

# An order's promise-date history, kept by load and sync: first ETA, the ETA before the latest
# change, and how many times the ETA moved later.
HISTORY_FIELDS = ["first_eta", "prev_eta", "eta_slips"]


def order_labels(po_no: pd.Series, line: pd.Series) -> list[str]:
    """The Order column of the Change Log for each line: ``PO / line`` as the master spells them."""
    return [f"{po} / {display_text(n)}" for po, n in zip(po_no, line)]


def log_days(log: pd.DataFrame) -> pd.Series:
    """The day each Change Log row speaks for: the as-of date of the run that logged it, else (a
    row an older gendan logged, without one) the day of its timestamp."""
    stamp = pd.to_datetime(log["timestamp"], errors="coerce").dt.normalize()
    if "as_of" not in log:
        return stamp
    return pd.to_datetime(log["as_of"], errors="coerce").dt.normalize().fillna(stamp)


def log_rows(log: pd.DataFrame, name: str, old: pd.Series, new: pd.Series, note: str) -> list[dict]:
    """Change-log records: ``log`` (timestamp, file, sheet, source_row, order_key) per changed value."""
    frame = log.assign(field=name, old=old.map(display_text).to_numpy(), new=new.map(display_text).to_numpy(),
                       note=note)
    return frame.to_dict("records")


def typed_column(name: str, values: pd.Series, spec: schema.Table = schema.ORDERS) -> pd.Series:
    """A field's values (of ``spec``, Orders by default) in the field's kind (dates at midnight,
    numbers as float, text)."""
    kind = spec.field(name).kind
    if kind == schema.DATE:
        return pd.to_datetime(values).dt.normalize()
    if kind in (schema.INT, schema.NUMBER):
        return pd.to_numeric(values).astype(float)
    return values.astype(object).map(lambda v: None if is_blank(v) else str(v)).astype(object)


def eta_history(orders: pd.DataFrame, rows: pd.Index, old: pd.Series, new: pd.Series) -> None:
    """First ETA, the ETA before the latest change, and how often the ETA moved later."""
    first = orders.loc[rows, "first_eta"]
    orders.loc[rows, "first_eta"] = first.where(first.notna(), old.where(old.notna(), new))
    known = old.notna()
    orders.loc[rows[known.to_numpy()], "prev_eta"] = old[known]
    later = (known & (new > old)).to_numpy()
    slips = orders.loc[rows[later], "eta_slips"]
    orders.loc[rows[later], "eta_slips"] = slips.fillna(0) + 1
