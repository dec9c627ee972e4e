"""The typed (fastexcel) read of a table gives exactly what the cell-by-cell read gives."""

from __future__ import annotations

import threading

import openpyxl
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.store import master as master_module
from gendan_xl.store.fast_read import open_reader, typed_columns
from gendan_xl.store.master import MasterWorkbook


def read_both(path, monkeypatch, spec=schema.ORDERS):
    fast = MasterWorkbook(path).read(spec)
    with monkeypatch.context() as m:
        m.setattr(master_module, "typed_columns", lambda *a: None)
        slow = MasterWorkbook(path).read(spec)
    return fast, slow


def test_typed_read_equals_cell_read(demo_master, monkeypatch):
    wb = MasterWorkbook(demo_master)
    assert typed_columns(open_reader(demo_master), wb.table_part(schema.ORDERS), schema.ORDERS) is not None
    for spec in (schema.ORDERS, schema.CALENDAR, schema.SUPPLIERS, schema.SETTINGS):
        fast, slow = read_both(demo_master, monkeypatch, spec)
        pd.testing.assert_frame_equal(fast.frame, slow.frame)
        assert fast.next_row == slow.next_row and fast.problems == slow.problems


def test_mixed_column_falls_back_and_reports_the_cell(demo_master, monkeypatch):
    book = openpyxl.load_workbook(demo_master)
    ws = book[schema.ORDERS.sheet]
    due = schema.ORDERS.names.index("due_date") + 1
    ws.cell(7, due, "下周五")
    book.save(demo_master)
    wb = MasterWorkbook(demo_master)
    assert typed_columns(open_reader(demo_master), wb.table_part(schema.ORDERS), schema.ORDERS) is None
    fast, slow = read_both(demo_master, monkeypatch)
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    (problem,) = fast.problems
    assert problem.row == 7 and problem.value == "下周五" and problem.column == schema.ORDERS.field("due_date").header


def test_a_table_prefetched_in_the_background_reads_as_read_directly_and_cell_by_cell(demo_master, monkeypatch):
    """The demo is planned: its Milestones table (text, dates, blanks) read in the background thread
    (dictionary-encoded text) equals the direct typed read and the cell-by-cell read."""
    early = MasterWorkbook(demo_master, prefetch=(schema.MILESTONES, schema.ORDERS))
    assert set(early._prefetched) == {schema.MILESTONES.key, schema.ORDERS.key}
    for spec in (schema.MILESTONES, schema.ORDERS):
        prefetched = early.read(spec)
        fast, slow = read_both(demo_master, monkeypatch, spec)
        assert len(prefetched.frame) > 100
        pd.testing.assert_frame_equal(prefetched.frame, fast.frame)
        pd.testing.assert_frame_equal(prefetched.frame, slow.frame)
    assert not early._prefetched   # each used once


def test_a_table_whose_read_ahead_has_not_begun_is_read_when_asked_not_after_the_others(demo_master, monkeypatch):
    """The thread reads ahead in the order given; a table asked for before the thread got to it is
    read by the caller at once (the thread's earlier read held here until the end)."""
    parse, started, gate = MasterWorkbook._read_ahead, [], threading.Event()
    monkeypatch.setattr(MasterWorkbook, "_read_ahead", lambda self, spec: (
        started.append(spec.key), gate.wait(30) if spec is schema.MILESTONES else None, parse(self, spec))[2])
    held = MasterWorkbook(demo_master, prefetch=(schema.MILESTONES, schema.ORDERS))
    try:
        orders = held.read(schema.ORDERS)   # the thread is still on the Milestones
        assert not gate.is_set() and started == [schema.MILESTONES.key]
    finally:
        gate.set()
    pd.testing.assert_frame_equal(orders.frame, MasterWorkbook(demo_master).read(schema.ORDERS).frame)
    pd.testing.assert_frame_equal(held.read(schema.MILESTONES).frame,
                                  MasterWorkbook(demo_master).read(schema.MILESTONES).frame)
