"""Formula cells without a saved value: found in any spelling of the tag, never guessed from text, and
the same whether the table was read ahead in the background or when asked for."""

from __future__ import annotations

import threading

import openpyxl
import pytest

from gendan_xl.model import schema
from gendan_xl.ooxml.formula_cells import unvalued_formulas
from gendan_xl.store import master
from gendan_xl.store.master import MasterWorkbook


@pytest.mark.parametrize("xml, found", [
    (b'<c r="B2"><f>SUM(A1:A3)</f></c>', [(2, 2, "=SUM(A1:A3)")]),
    (b'<x:c r="C3"><x:f>1+1</x:f></x:c>', [(3, 3, "=1+1")]),                        # a prefixed tag
    (b'<c r="A1"><f t="shared" ref="A1:A2" si="0">B1</f></c><c r="A2"><f t="shared" si="0"/></c>',
     [(1, 1, "=B1"), (2, 1, "(shared formula)")]),                                 # the follower too
    (b'<c r="D4"><f>1+1</f><v>2</v></c>', []),                                     # a saved value
    (b'<c r="E5" t="inlineStr"><is><t>if&gt; 3 then f&gt;</t></is></c><c r="F5" t="inlineStr"><is><t>a:f>b</t>'
     b'</is></c>', []),                                                            # text that looks like a tag
    (b'<c r="A1"><v>1</v></c>', []),
])
def test_formula_cells_without_a_value(xml, found):
    assert unvalued_formulas(xml) == found


def test_a_table_read_ahead_names_the_same_formula_cells_as_one_read_when_asked(demo_master, monkeypatch):
    """The refresh reads Samples and Milestones ahead on a second core (fastexcel columns, then the
    formula scans, which a read does itself when the thread has not begun them); a formula a
    non-calculating tool typed into Samples is named just the same either way."""
    wb = openpyxl.load_workbook(demo_master)
    ws = wb[schema.SAMPLES.sheet]
    header = [c.value for c in ws[1]]
    column = header.index(schema.SAMPLES.field("due").header) + 1
    ws.cell(3, column).value = "=DATE(2026,12,20)"
    wb.save(demo_master)
    scanned = []   # the thread of each formula scan
    monkeypatch.setattr(master, "unvalued_formulas", lambda xml: scanned.append(threading.current_thread().name)
                        or unvalued_formulas(xml))
    parse = MasterWorkbook._read_ahead
    gate = threading.Event()
    monkeypatch.setattr(MasterWorkbook, "_read_ahead", lambda self, spec: (
        gate.wait(10) if spec is schema.MILESTONES else None, parse(self, spec))[1])
    held = MasterWorkbook(demo_master, prefetch=(schema.SAMPLES, schema.MILESTONES))   # the Milestones parse held
    early = held.read(schema.SAMPLES)   # the thread has not begun its formula scan: this read does it
    assert scanned == ["MainThread"]
    gate.set()
    held.read(schema.MILESTONES)   # its thread has nothing left to do
    ahead = MasterWorkbook(demo_master, prefetch=(schema.SAMPLES, schema.MILESTONES))
    before = len(scanned)
    ahead._formulas_ahead[schema.SAMPLES.key].result()   # the thread's scan done before the read
    assert scanned[before].startswith("gendan-background")
    asked = MasterWorkbook(demo_master)
    for spec in (schema.SAMPLES, schema.MILESTONES):
        assert ahead.read(spec).unknown == asked.read(spec).unknown == held.read(spec).unknown
        assert ahead.read(spec).frame.equals(asked.read(spec).frame) and held.read(spec).frame.equals(
            asked.read(spec).frame)
    assert ahead.read(schema.SAMPLES).unknown == early.unknown == [(3, "due", "=DATE(2026,12,20)")]
