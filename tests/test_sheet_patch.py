"""The byte patcher (store/sheet_patch.py): cells replaced in place keep the user's style
wherever the ``s`` attribute stands, missing cells are added in column order, and the cell XML
made once per distinct value still follows each value's type."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from gendan_xl.sheets.cells import cell_xml
from gendan_xl.store.sheet_patch import patch_cells, patch_columns

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _sheet(rows: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="A1:C4"/><sheetData>{rows}</sheetData></worksheet>').encode()


def _cells(xml: bytes) -> dict[str, ET.Element]:
    root = ET.fromstring(xml)
    return {c.get("r"): c for c in root.iter(f"{NS}c")}


def _value(cell: ET.Element):
    if cell.get("t") == "inlineStr":
        return cell.find(f"{NS}is/{NS}t").text
    v = cell.find(f"{NS}v")
    return None if v is None else v.text


def test_patched_cells_keep_their_style_wherever_s_stands_and_missing_cells_are_added_in_order():
    xml = _sheet('<row r="1"><c r="A1" s="7"><v>1</v></c><c r="B1" t="inlineStr" s="9"><is><t>x</t></is></c></row>'
                 '<row r="2"><c r="A2"><v>2</v></c><c r="C2" s="4"/></row>'
                 '<row r="3" ht="20" customHeight="1"><c r="A3" s="5"><v>3</v></c></row>')
    out = patch_cells(xml, {1: {1: (-5, 3), 2: ("y", 3)}, 2: {1: ("late & <soon>", 3), 3: (dt.date(2026, 11, 2), 3)},
                            3: {2: (4.5, 3)}, 4: {1: (None, 3)}})
    cells = _cells(out)
    assert (cells["A1"].get("s"), _value(cells["A1"])) == ("7", "-5")          # the user's style kept
    assert (cells["B1"].get("s"), _value(cells["B1"])) == ("9", "y")           # s after t: kept too
    assert (cells["A2"].get("s"), _value(cells["A2"])) == ("3", "late & <soon>")   # no style: ours
    assert (cells["C2"].get("s"), _value(cells["C2"])) == ("4", "46328")       # a date as its serial
    assert (cells["B3"].get("s"), _value(cells["B3"])) == ("3", "4.5")         # added to an existing row
    row3 = next(r for r in ET.fromstring(out).iter(f"{NS}row") if r.get("r") == "3")
    assert [c.get("r") for c in row3] == ["A3", "B3"] and row3.get("ht") == "20"
    assert _value(cells["A3"]) == "3" and "A4" in cells and _value(cells["A4"]) is None   # a new row
    assert ET.fromstring(out).find(f"{NS}dimension").get("ref") == "A1:C4"


def test_equal_values_of_different_types_give_their_own_cells():
    values = [True, 1, 1.0, "1", "1", True, 0, False, None, " 1"]
    rows = "".join(f'<row r="{r}"><c r="A{r}" s="2"><v>0</v></c></row>' for r in range(1, len(values) + 1))
    out = patch_cells(_sheet(rows), {r: {1: (v, 3)} for r, v in enumerate(values, start=1)})
    cells = _cells(out)
    for r, v in enumerate(values, start=1):
        expected = ET.fromstring(cell_xml(f"A{r}", v, 2).replace("<c ", f'<c xmlns="{NS[1:-1]}" ', 1))
        got = cells[f"A{r}"]
        assert (got.get("t"), got.get("s"), _value(got)) == (expected.get("t"), "2", _value(expected)), v


def _big_sheet(rows: int) -> bytes:
    """Rows in the forms Excel, LibreOffice, openpyxl and gendan write cells: s before t, s after t,
    no s, self-closing, a cell without r (row 7), rows where column C is missing (every 50th), rows
    missing altogether (every 997th)."""
    out = []
    for r in (r for r in range(1, rows + 1) if r % 997):
        c = ("" if r % 50 == 0 else f'<c r="C{r}" s="5"><v>{r}</v></c>' if r % 3 == 0 else
             f'<c r="C{r}" t="inlineStr" s="6"><is><t>old {r}</t></is></c>' if r % 3 == 1 else
             f'<c r="C{r}" s="7"/>' if r % 5 == 0 else f'<c r="C{r}"><v>1</v></c>')
        a = f'<c s="4"><v>{r}</v></c>' if r == 7 else f'<c r="A{r}" s="4"><v>{r}</v></c>'
        out.append(f'<row r="{r}" spans="1:4">{a}<c r="B{r}" s="2" t="inlineStr"><is><t>b</t></is></c>{c}'
                   f'<c r="D{r}" s="3"><v>9</v></c></row>')
    return _sheet("".join(out))


def _grid(xml: bytes) -> dict:
    return {ref: (c.get("s"), c.get("t"), _value(c)) for ref, c in _cells(xml).items()}


def test_a_dense_column_swept_in_one_pass_gives_the_cells_row_by_row_writing_gives():
    xml = _big_sheet(3000)
    updates = {3: {r: (r % 40 - 20 if r % 4 else f"why {r % 7} & <x>", 9) for r in range(2, 3004)},
               1: {r: (r * 2, 9) for r in [7, 997, 1994, *range(5, 3000, 400)]}}   # sparse: no r, missing rows
    swept = patch_columns(xml, updates, sweep_min=0)
    by_row = patch_columns(xml, updates, sweep_min=10 ** 9)
    grid = _grid(swept)
    assert grid == _grid(by_row)
    assert grid["C3"] == ("5", None, "-17") and grid["C4"] == ("6", "inlineStr", "why 4 & <x>")   # styles kept
    assert grid["C50"] == ("9", None, "-10") and grid["C3003"] == ("9", None, "-17")   # added, new row
    assert grid["C5"][0] == "7" and grid["C2"] == ("9", None, "-18")   # self-closing kept s; none -> ours
    assert grid["A405"] == ("4", None, "810") and grid["A7"] == ("4", None, "14")
    assert grid["A997"] == ("9", None, "1994") and grid["C997"] == ("9", None, "17")   # a row inserted
    numbers = [int(r.get("r")) for r in ET.fromstring(swept).iter(f"{NS}row")]
    assert numbers == sorted(numbers) and 1994 in numbers and len(numbers) == len(set(numbers))
    assert [c.get("r") for c in next(r for r in ET.fromstring(swept).iter(f"{NS}row") if r.get("r") == "7")][1:] \
        == ["B7", "C7", "D7"]
    assert grid["D100"] == ("3", None, "9") and ET.fromstring(swept).find(f"{NS}dimension").get("ref") == "A1:C3003"



def _rows(xml: bytes) -> dict[int, list]:
    """Each row's cells in the order written, as (column, s, t, value); a cell without its reference
    is in the column after the cell before (as SpreadsheetML counts). No row may be written twice."""
    rows = {}
    for row in ET.fromstring(xml).iter(f"{NS}row"):
        cells, column = [], 0
        for c in row.iter(f"{NS}c"):
            letters = (c.get("r") or "").rstrip("0123456789")
            column = sum((ord(ch) - 64) * 26 ** k for k, ch in enumerate(reversed(letters))) if letters else column + 1
            cells.append((column, c.get("s"), c.get("t"), _value(c)))
        assert int(row.get("r")) not in rows, f"row {row.get('r')} written twice"
        rows[int(row.get("r"))] = cells
    return rows


def _positions(xml: bytes) -> dict:
    """(row, column) -> (s, t, value) of every cell."""
    return {(r, c): cell for r, cells in _rows(xml).items() for c, *cell in cells for cell in [tuple(cell)]}


def _expected(xml: bytes, columns: dict) -> dict:
    """What writing ``columns`` must give, worked out from the parsed sheet: every updated cell holds
    its value's cell XML (``cell_xml``) with the old cell's style, else the default; nothing else moves."""
    grid = _positions(xml)
    for c, cells in columns.items():
        for r, (value, style) in cells.items():
            old = grid.get((r, c))
            made = ET.fromstring(cell_xml("A1", value, int(old[0]) if old and old[0] else style)
                                 .replace("<c ", f'<c xmlns="{NS[1:-1]}" ', 1))
            grid[r, c] = (made.get("s"), made.get("t"), _value(made))
    return grid


def _odd_sheet(rows: int, odd_at: int) -> bytes:
    """Rows as Excel writes them, but from row ``odd_at`` on: a cell without its reference, one whose s
    follows its t, a missing cell, cells out of column order, every 97th row missing altogether."""
    out = []
    for r in (r for r in range(1, rows + 1) if r < odd_at or r % 97):
        b = (f'<c t="inlineStr" s="8"><is><t>b{r}</t></is></c>' if r == odd_at else
             f'<c r="B{r}" t="inlineStr" s="8"><is><t>b{r}</t></is></c>' if r == odd_at + 3 else
             "" if r == odd_at + 5 else f'<c r="B{r}" s="2"><v>{r}</v></c>')
        c = f'<c r="C{r}" s="6" t="inlineStr"><is><t>c &amp; {r}</t></is></c>' if r % 4 else f'<c r="C{r}" s="7"/>'
        cells = f'<c r="A{r}" s="4"><v>{r}</v></c>{b}{c}'
        if r == odd_at + 8:
            cells = f'<c r="A{r}" s="4"><v>{r}</v></c>{c}<c r="B{r}" s="2"><v>{r}</v></c>'
        out.append(f'<row r="{r}">{cells}</row>')
    return _sheet("".join(out))


def test_cells_found_by_reference_where_regular_and_row_by_row_from_the_first_odd_row_give_each_cell_its_value():
    for odd_at in (1200, 10 ** 6):   # the row path takes over in the middle; never needed
        xml = _odd_sheet(1500, odd_at)
        columns = {1: {r: (r * 10, 9) for r in (3, odd_at, odd_at + 3) if r < 1500},   # A found, then B not
                   2: {r: (f"why {r % 5} <{r % 3}>" if r % 2 else r % 9 - 4, 9) for r in range(1, 1500, 3)},
                   3: {r: (None if r % 7 == 0 else dt.date(2026, 12, 1 + r % 2), 9) for r in range(2, 1501, 5)},
                   4: {r: (r / 4, 11) for r in range(odd_at + 1, 1500, 7)}}   # a column the sheet never had
        columns[2].update({r: ("x", 9) for r in (odd_at, odd_at + 3, odd_at + 5, odd_at + 8, 1261) if r < 1500})
        out = patch_columns(xml, {c: dict(cells) for c, cells in columns.items()})
        grid = _positions(out)
        assert grid == _expected(xml, columns)
        assert grid[4, 2] == ("2", None, "0") and grid[7, 3] == ("6", None, None)   # the cells' own styles kept
        assert grid[12, 3] == ("7", None, "46357") and grid[22, 3] == ("6", None, "46357")   # one value, two styles
        if odd_at < 1500:
            assert grid[odd_at, 2] == ("8", "inlineStr", "x") and grid[odd_at + 3, 2] == ("8", "inlineStr", "x")
            assert grid[odd_at + 5, 2] == ("9", "inlineStr", "x") and grid[odd_at + 8, 2] == ("2", "inlineStr", "x")
            assert grid[1261, 2] == ("9", "inlineStr", "x")   # a row missing: made, in its place
            assert grid[1208, 4] == ("11", None, "302")       # a cell missing: added after C
            assert 1358 not in _rows(out)                     # a missing row nothing is written in stays so
        rows = _rows(out)
        assert list(rows) == sorted(rows)
        assert all([c[0] for c in cells] == sorted({c[0] for c in cells}) for r, cells in rows.items()
                   if r != odd_at + 8)   # cells in column order (the one row written out of order stays so)
