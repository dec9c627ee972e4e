"""Text from a file longer than an Excel cell holds (32,767 characters): cut, with an issue row.

The cut happens before the values meet the master, so the value written, read back and logged is
the same on every run (a later sync of the same file finds nothing new).
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from gendan_xl.importers.extract import Extracted
from gendan_xl.model.issues import Issue, Reason
from gendan_xl.sheets.cells import MAX_CELL_CHARS, fit_cell, too_long

SHOWN_CHARS = 60


def cut_long_text(extracted: Extracted) -> tuple[Extracted, list[Issue]]:
    """The extraction with every over-long text cut to Excel's limit, and one ``too_long`` issue
    (file, sheet, row, column, the text's start) per cut cell."""
    frame, issues = extracted.frame, []
    for name in frame.columns:
        values = frame[name]
        if name.startswith("_") or not (values.dtype == object or pd.api.types.is_string_dtype(values)):
            continue
        lengths = values.map(lambda v: len(v) if isinstance(v, str) else 0)
        for index in lengths.index[lengths > MAX_CELL_CHARS // 2]:
            text = values[index]
            if not too_long(text):
                continue
            if frame is extracted.frame:
                frame = frame.copy()
            frame.at[index, name] = fit_cell(text)
            issues.append(Issue(extracted.file, frame.at[index, "_sheet"], int(frame.at[index, "_row"]),
                                extracted.mapping.get(name, name), text[:SHOWN_CHARS] + "…", Reason.TOO_LONG,
                                f"文本过长，已截断 text of {len(text):,} characters cut to the {MAX_CELL_CHARS:,} "
                                "an Excel cell holds"))
    return dataclasses.replace(extracted, frame=frame), issues
