"""Test support for the syncs into a table other than Orders: a table's rows as the master's reader
gives them, and a file's rows as the importers give them."""

from __future__ import annotations

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.rules.table_sync import SyncFile


def read_rows(spec: schema.Table, records: list[dict]) -> pd.DataFrame:
    """``records`` as the master's reader gives the table: every field, indexed by sheet row."""
    frame = pd.DataFrame(records, columns=spec.names, index=pd.RangeIndex(2, 2 + len(records)))
    for name in spec.of_kind(schema.DATE):
        frame[name] = pd.to_datetime(frame[name])
    for name in spec.of_kind(schema.INT) + spec.of_kind(schema.NUMBER):
        frame[name] = pd.to_numeric(frame[name]).astype(float)
    text = spec.of_kind(schema.TEXT)
    frame[text] = frame[text].astype(object).where(frame[text].notna(), None)
    return frame


def file_rows(name: str, spec: schema.Table, records: list[dict], sheet: str) -> SyncFile:
    """A file's rows as read: its fields, dates at midnight, with their sheet and sheet row."""
    frame = pd.DataFrame(records)
    for field in spec.of_kind(schema.DATE):
        if field in frame:
            frame[field] = pd.to_datetime(frame[field])
    frame = frame.assign(_row=range(2, 2 + len(frame)), _sheet=sheet)
    return SyncFile(name, frame, {field: f"[{field}]" for field in records[0]})
