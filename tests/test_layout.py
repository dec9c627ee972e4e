"""The layout helpers (sheets/layout.py) on sheets written to real workbooks: widths from content,
wrapped rows tall enough, print titles as a defined name, a block kept on one printed page."""

from __future__ import annotations

import subprocess

import openpyxl
import pytest

from gendan_xl import actions
from gendan_xl.sheets import layout
from gendan_xl.store.master import MasterWorkbook
from gendan_xl.sheets.sheet_render import PRINT_TITLES, SheetSpec
from libreoffice import sheet_pdf
from ooxml import assert_valid

LONG = "交期 2026-12-15 已过，未出 open 1,840; ETA 2026-12-01 passed, not done → 2026-12-18 > 交期: -3 WD (CN)"


def _written(tmp_path, *specs: SheetSpec):
    path = tmp_path / "master.xlsx"
    if not path.exists():
        actions.new_master(path)
    wb = MasterWorkbook(path)
    for spec in specs:
        wb.replace_sheet(spec)
    wb.save()
    return path


def test_cjk_counts_double_capitals_wider():
    assert layout.text_units("中文") == 4 and layout.text_units("ab") == 2 and layout.text_units("AB") == 2.4
    assert layout.text_units("ＰＯ１") == 6                     # full-width characters too
    assert layout.text_units("short\n" + "x" * 20) == 20       # the longest line
    assert layout.wrap_lines("aaa bbb ccc", 7) == 2 and layout.wrap_lines("中文中文中文", 4) == 3
    assert layout.wrap_lines("x" * 25, 10) == 3                 # a long word breaks anywhere


def test_widths_follow_content_capped_and_long_text_wraps_in_a_tall_row(tmp_path):
    spec = SheetSpec("版式 Layout")
    spec.row(1, ["名称 Name", "数量 Qty", "原因 Why"], "header")
    spec.row(2, ["宁波华美服饰有限公司", 1234567.5, LONG], "text")
    spec.put(2, 2, 1234567.5, "number")
    layout.fit(spec, caps={3: 30})
    assert spec.widths[1] == pytest.approx(20 + layout.PAD)             # ten CJK characters
    assert spec.widths[2] == pytest.approx(len("1,234,567.50") + layout.PAD)
    assert spec.widths[3] == 30 and spec.cells[(2, 3)][1] == "text_wrap"
    lines = layout.wrap_lines(LONG, 29)
    assert lines >= 3 and spec.heights[2] == pytest.approx(lines * layout.line_height("text") + 3)
    path = _written(tmp_path, spec)
    ws = openpyxl.load_workbook(path)["版式 Layout"]
    assert ws.column_dimensions["C"].width == 30 and ws.row_dimensions[2].height == spec.heights[2]
    assert ws["C2"].alignment.wrap_text and ws["C2"].alignment.vertical == "top"
    assert_valid(path)


def test_a_header_wraps_to_two_lines_rather_than_widen_its_column():
    spec = SheetSpec("x")
    spec.put(1, 1, "余量(工作日) Slack in working days", "header")
    spec.put(2, 1, 3, "int")
    layout.fit(spec)
    full = layout.text_units("余量(工作日) Slack in working days") * 1.1
    assert spec.widths[1] < full and spec.heights[1] >= 2 * layout.line_height("header")


def test_wide_sheets_print_landscape_narrow_ones_portrait():
    wide, narrow = SheetSpec("w"), SheetSpec("n")
    wide.widths = {c: 12 for c in range(1, 12)}
    narrow.widths = {1: 30, 2: 30}
    layout.print_setup(wide)
    layout.print_setup(narrow)
    assert wide.landscape and not narrow.landscape and wide.fit_width and narrow.fit_width


def _block_pages(pdf, labels) -> set[int]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return {n for n, page in enumerate(text.split("\f")) for label in labels if label in page}


@pytest.mark.parametrize("kept", [False, True], ids=["split", "kept"])
def test_a_sign_off_block_is_kept_on_one_printed_page(tmp_path, kept):
    spec = SheetSpec("签核 Sign-off test")     # a portrait A4 page holds 650-730 points of rows
    spec.row(1, ["行 Row", "值 Value"], "header")
    for r in range(2, 30):                    # 560 points of lines, then a 240-point block
        spec.row(r, [f"line {r}", r], "text")
        spec.heights[r] = 20
    labels = [f"SIGN{k} 签字" for k in range(6)]
    for k, label in enumerate(labels):
        spec.put(30 + k, 1, label, "total_text")
        spec.heights[30 + k] = 40
    layout.fit(spec)
    layout.print_setup(spec, title_rows=(1, 1), keep_together=[(30, 35)] if kept else [])
    assert bool(spec.row_breaks) == kept
    pages = _block_pages(sheet_pdf(_written(tmp_path, spec), spec.name, tmp_path), labels)
    assert len(pages) == (1 if kept else 2)


def test_print_titles_are_one_defined_name_per_sheet_replaced_and_removed(tmp_path):
    spec = SheetSpec("周报 Weekly Report", print_title_rows=(5, 5))
    spec.put(5, 1, "x", "header")
    path = _written(tmp_path, spec)
    spec.print_title_rows = (6, 6)
    _written(tmp_path, spec)
    wb = openpyxl.load_workbook(path)
    assert wb["周报 Weekly Report"].print_title_rows == "$6:$6"
    names = MasterWorkbook(path).package.xml("xl/workbook.xml").root.iter()
    assert [el.text for el in names if el.get("name") == PRINT_TITLES and "周报" in el.text] == [
        "'周报 Weekly Report'!$6:$6"]
    assert_valid(path)
    spec.print_title_rows = None
    _written(tmp_path, spec)
    assert openpyxl.load_workbook(path)["周报 Weekly Report"].print_title_rows is None


def test_a_row_is_never_taller_than_excel_allows(tmp_path):
    spec = SheetSpec("长 Long")
    spec.put(1, 1, "长" * 40_000, "text")
    layout.fit(spec)
    assert spec.heights[1] == layout.MAX_HEIGHT == 409.5
    path = _written(tmp_path, spec)
    assert openpyxl.load_workbook(path)["长 Long"].row_dimensions[1].height == 409.5
