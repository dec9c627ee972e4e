"""Render a generated sheet (report, reconciliation) from a plain description to worksheet XML."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from gendan_xl.sheets.cells import cell_xml, col_letter, formula_xml, text_xml, xstring
from gendan_xl.sheets.chart import BarChart, LineChart
from gendan_xl.sheets.styles import STYLES, Style


HEADER_FOOTER_CHARS = 255   # Excel repairs a longer page header or footer
PAGE_OF = "第 &P / &N 页 Page &P of &N"   # the footer of every generated sheet
# Page margins of every generated sheet, inches (Excel's PageSetup names).
MARGINS = {"LeftMargin": 0.5, "RightMargin": 0.5, "TopMargin": 0.75, "BottomMargin": 0.75, "HeaderMargin": 0.3,
           "FooterMargin": 0.3}
_NOT_IN_HEADER = re.compile("[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def page_header(title: str, right: str = "") -> tuple[str, str]:
    """The left and right page header of a sheet we print: its title, and the date it is as of as
    literal text (yyyy-mm-dd; Excel's ``&D`` code would print the printing PC's date in its locale
    format), or nothing."""
    right = header_footer_text(right, HEADER_FOOTER_CHARS // 2)
    return header_footer_text(title, HEADER_FOOTER_CHARS - len("&L&R") - len(right)), right


def header_footer_text(text: str, room: int) -> str:
    """Our text inside a page header or footer (before XML escaping), at most ``room`` characters:
    control characters dropped, ``&`` doubled (a single ``&`` starts a code such as ``&P``),
    ``_xHHHH_`` kept literal (the header is ST_Xstring too)."""
    text = _NOT_IN_HEADER.sub("", text)[:room]
    while len(out := xstring(text.replace("&", "&&"))) > room:
        text = text[:-1]
    return out


@dataclass
class Formula:
    """A formula we write ourselves (e.g. a total); never built from file text."""

    text: str


@dataclass
class SheetSpec:
    """A whole generated sheet: cells by (row, column) with named styles, and page layout."""

    name: str
    cells: dict[tuple[int, int], tuple[object, str]] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    merges: list[str] = field(default_factory=list)
    freeze_row: int | None = None
    landscape: bool = False
    fit_width: bool = True
    header: str = ""          # the page header's title (left)
    header_right: str = ""    # the page header's right: the as-of date, yyyy-mm-dd
    tab_color: str | None = None
    charts: list[BarChart | LineChart] = field(default_factory=list)
    print_title_rows: tuple[int, int] | None = None   # (first, last) rows repeated on every printed page
    row_breaks: list[int] = field(default_factory=list)   # a page ends after each of these rows
    auto_filter: str | None = None   # the range given filter buttons (its first row is the header)

    def put(self, row: int, col: int, value, style: str = "text") -> None:
        self.cells[(row, col)] = (value, style)

    def row(self, row: int, values, style: str = "text", first_col: int = 1) -> None:
        for offset, value in enumerate(values):
            self.put(row, first_col + offset, value, style)

    @property
    def last_row(self) -> int:
        return max((r for r, _ in self.cells), default=0)


PRINT_TITLES = "_xlnm.Print_Titles"   # the defined name of the rows printed atop every page


def print_titles_ref(spec: SheetSpec) -> str | None:
    """The value of the sheet's ``_xlnm.Print_Titles`` name (``'Sheet'!$5:$5``), None without title rows."""
    if not spec.print_title_rows:
        return None
    first, last = spec.print_title_rows
    return "'" + spec.name.replace("'", "''") + f"'!${first}:${last}"


def _height(points: float | None) -> str:
    return f' ht="{points}" customHeight="1"' if points else ""


def render_sheet(spec: SheetSpec, style_index: Callable[[Style], int], drawing_rid: str | None = None) -> str:
    """The worksheet XML for a SheetSpec (inline strings, our own styles: ``style_index`` gives a
    style's cellXfs index in the workbook); ``drawing_rid`` links the sheet's drawing part (its charts)."""
    by_row: dict[int, list[tuple[int, object, str]]] = {}
    for (r, c), (value, style) in spec.cells.items():
        by_row.setdefault(r, []).append((c, value, style))
    style_ids = {name: style_index(STYLES[name]) for name in dict.fromkeys(style for _, style in spec.cells.values())}
    rows = []
    letters: dict[int, str] = {}
    ends: dict[tuple, str] = {}   # (type, value, style) -> the cell XML after its ref: dates and states repeat
    for r in sorted(by_row):
        cells = []
        for c, value, style in sorted(by_row[r], key=lambda cell: cell[0]):
            letter = letters.get(c) or letters.setdefault(c, col_letter(c))
            sid = style_ids[style]
            if isinstance(value, Formula):
                cells.append(formula_xml(f"{letter}{r}", value.text, sid))
                continue
            key = (value.__class__, value, sid)
            end = ends.get(key)
            if end is None:
                end = ends[key] = cell_xml("", value, sid)[2:]
            cells.append(f'<c r="{letter}{r}"{end}')
        rows.append(f'<row r="{r}"{_height(spec.heights.get(r))}>{"".join(cells)}</row>')
    sheet_data = "".join(rows)
    last_col = max((c for _, c in spec.cells), default=1)
    dim = f"A1:{col_letter(last_col)}{max(spec.last_row, 1)}"
    tab = f'<tabColor rgb="{spec.tab_color}"/>' if spec.tab_color else ""
    fit = '<pageSetUpPr fitToPage="1"/>' if spec.fit_width else ""
    pane = ""
    if spec.freeze_row:
        pane = (f'<pane ySplit="{spec.freeze_row}" topLeftCell="A{spec.freeze_row + 1}" activePane="bottomLeft" '
                f'state="frozen"/><selection pane="bottomLeft" activeCell="A{spec.freeze_row + 1}" '
                f'sqref="A{spec.freeze_row + 1}"/>')
    cols = "".join(f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>' for c, w in sorted(spec.widths.items()))
    merges = (f'<mergeCells count="{len(spec.merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in spec.merges)
              + "</mergeCells>") if spec.merges else ""
    orientation = "landscape" if spec.landscape else "portrait"
    fit_attrs = ' fitToWidth="1" fitToHeight="0"' if spec.fit_width else ""
    head = "".join(f"&{side}{text}" for side, text in zip("LR", page_header(spec.header, spec.header_right)) if text)
    header = ("<headerFooter>" + (f"<oddHeader>{text_xml(head)}</oddHeader>" if head else "")
              + f"<oddFooter>&amp;C{text_xml(PAGE_OF)}</oddFooter></headerFooter>")
    breaks = (f'<rowBreaks count="{len(spec.row_breaks)}" manualBreakCount="{len(spec.row_breaks)}">'
              + "".join(f'<brk id="{r}" max="16383" man="1"/>' for r in sorted(spec.row_breaks))
              + "</rowBreaks>") if spec.row_breaks else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheetPr>{tab}{fit}</sheetPr><dimension ref=\"{dim}\"/>"
        f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + f"<sheetData>{sheet_data}</sheetData>"
        + (f'<autoFilter ref="{spec.auto_filter}"/>' if spec.auto_filter else "") + merges
        + f'<pageMargins left="{MARGINS["LeftMargin"]}" right="{MARGINS["RightMargin"]}" top="{MARGINS["TopMargin"]}" '
        f'bottom="{MARGINS["BottomMargin"]}" header="{MARGINS["HeaderMargin"]}" footer="{MARGINS["FooterMargin"]}"/>'
        f'<pageSetup paperSize="9" orientation="{orientation}"{fit_attrs}/>{header}{breaks}'
        + (f'<drawing r:id="{drawing_rid}"/>' if drawing_rid else "")
        + "</worksheet>"
    )
