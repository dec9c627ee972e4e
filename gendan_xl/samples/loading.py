"""Loading sample rounds (pure): a file's row the register could not apply is not loaded.

The file's rows are upserted into the Samples rows as ``gendan load --table samples`` would, and the
register reads the result (``register.read_register``): a row the file adds or changes that the
register finds bad (unknown kind or status, answered before sent, a PO or style we do not have …) is
an issue naming the file's sheet, row and column, and is left out of the load. A problem of a row
the file does not touch (an earlier round it dates back) stays the master's: the refresh names it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.issues import Issue
from gendan_xl.rules.table_loading import row_keys, upsert_rows
from gendan_xl.samples.register import read_register

SPEC = schema.SAMPLES


def refused_rows(samples: pd.DataFrame, incoming: pd.DataFrame, orders: pd.DataFrame, *,
                 file: str) -> tuple[pd.DataFrame, list[Issue]]:
    """``incoming`` (a file's Samples rows with ``_sheet`` and ``_row``) without the rows the register
    would not apply once loaded into ``samples`` (the master's rows, indexed by sheet row), and the
    issues of those rows."""
    loaded = upsert_rows(SPEC, samples, incoming, file=file, timestamp=None)
    appended = loaded.appended.reindex(columns=SPEC.names)
    after = pd.concat([loaded.rows.reindex(columns=SPEC.names),
                       appended.set_axis(pd.RangeIndex(-len(appended), 0))]) if len(appended) else loaded.rows
    file_keys = row_keys(SPEC, incoming)
    first = pd.Series(np.arange(len(incoming)), index=file_keys.to_numpy())
    first = first[~first.index.duplicated()]
    at = first.reindex(row_keys(SPEC, after).to_numpy()).to_numpy()
    touched = pd.notna(at) & (row_keys(SPEC, after) != "").to_numpy()
    where = incoming.iloc[at[touched].astype(int)]
    after = after.assign(_sheet=SPEC.sheet, _row=after.index.to_numpy())
    after.loc[touched, "_sheet"] = where["_sheet"].to_numpy()
    after.loc[touched, "_row"] = where["_row"].to_numpy()
    register = read_register(after, orders, file=file)
    refused = register.bad & touched
    issues = [issue for issue, pos in zip(register.issues, register.issue_at) if refused[pos]]
    keys = set(row_keys(SPEC, after[refused]))
    return incoming[~file_keys.isin(keys).to_numpy()], issues
