"""Named cell styles of every generated sheet: what each looks like (:class:`Style`), as a view
model; each back end renders a Style its own way (the file's ``xl/styles.xml`` in ``ooxml.styles_part``,
openpyxl in ``outputs.openpyxl_styles``, live Excel in ``store.xlwings_book``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from gendan_xl.model.flags import Flag, MilestoneState
from gendan_xl.model.samples import SampleState
from gendan_xl.model.statuses import ReconStatus

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
TEXT_FORMAT = "@"   # Excel keeps what is typed as text
BORDER_RGB = "FFBFBFBF"   # the thin grey border of every bordered style


@dataclass(frozen=True)
class Style:
    """How a cell looks: Calibri ``size`` points, bold or not, in font colour ``color``; a solid
    ``fill``; a thin border of colour ``border`` on all four sides; a number format; wrapped text and
    horizontal / vertical alignment (Excel's words: ``center``, ``top``). Colours are ARGB hex
    (``FF305496``); None: none (no fill, no border, the General format, Excel's default alignment)."""

    bold: bool = False
    size: int = 11
    color: str = "FF000000"
    fill: str | None = None
    border: str | None = BORDER_RGB
    number_format: str | None = None
    wrap: bool = False
    horizontal: str | None = None
    vertical: str | None = None


# One palette for flags and statuses on every sheet: red = late or wrong, orange = will be late or
# a quantity off, yellow = at risk or a price off, green = fine, purple = done late or only theirs,
# blue = only ours, grey = no data or a repeat.
PALETTE = {"red": "FFF4B6B6", "orange": "FFF9CB9C", "yellow": "FFFFE699", "green": "FFD9EAD3",
           "purple": "FFD9D2E9", "blue": "FFCFE2F3", "grey": "FFD9D9D9", "white": "FFFFFFFF"}
# Fill colours per flag, shared by the Orders conditional formats and the report.
FLAG_COLORS = {
    Flag.LATE: PALETTE["red"], Flag.WILL_BE_LATE: PALETTE["orange"], Flag.AT_RISK: PALETTE["yellow"],
    Flag.SHIPPED_LATE: PALETTE["purple"], Flag.NO_DATE: PALETTE["grey"], Flag.SHIPPED: PALETTE["green"],
    Flag.ON_TRACK: PALETTE["white"],
}

_TITLE_BLUE = "FF1F3864"
_KPI = Style(bold=True, size=14, color=_TITLE_BLUE, fill="FFDDEBF7", number_format="#,##0", horizontal="center")
STYLES = {
    "header": Style(bold=True, color="FFFFFFFF", fill="FF305496", wrap=True, vertical="center"),
    "title": Style(bold=True, size=16, color=_TITLE_BLUE, border=None),
    "subtitle": Style(bold=True, size=12, color=_TITLE_BLUE, border=None),
    "note": Style(size=10, color="FF595959", border=None),
    "text": Style(),
    # a text cell whatever is typed in it (a tracking number keeps its leading zeros)
    "as_text": Style(number_format=TEXT_FORMAT),
    "wrap": Style(wrap=True, vertical="top"),
    "date": Style(number_format=DATE_FORMAT),
    "datetime": Style(number_format=DATETIME_FORMAT),
    "int": Style(number_format="#,##0"),
    "number": Style(number_format="#,##0.00"),
    "percent": Style(number_format="0.0%"),
    "rate": Style(number_format="0.0000"),
    "kpi": _KPI,
    "kpi_percent": replace(_KPI, number_format="0.0%"),
    "total": Style(bold=True, fill="FFF2F2F2", number_format="#,##0.00"),
    "total_text": Style(bold=True, fill="FFF2F2F2"),
    "total_int": Style(bold=True, fill="FFF2F2F2", number_format="#,##0"),
    "total_percent": Style(bold=True, fill="FFF2F2F2", number_format="0.0%"),
    "input": Style(fill="FFFFF2CC"),
    # the header of a column the reader fills in (the chase file's answer columns)
    "input_header": Style(bold=True, fill="FFFFC000", wrap=True, vertical="center"),
}
# Fill colours per reconciliation status.
STATUS_COLORS = {
    ReconStatus.MATCHED: PALETTE["green"], ReconStatus.QTY_DIFF: PALETTE["orange"],
    ReconStatus.PRICE_DIFF: PALETTE["yellow"], ReconStatus.AMOUNT_DIFF: PALETTE["red"],
    ReconStatus.ONLY_OURS: PALETTE["blue"], ReconStatus.ONLY_THEIRS: PALETTE["purple"],
    ReconStatus.DUPLICATE: PALETTE["grey"],
}
for _status, _rgb in STATUS_COLORS.items():
    STYLES[f"status_{_status}"] = Style(bold=True, size=10, fill=_rgb)
STYLES["small"] = Style(size=10, wrap=True, vertical="top")
STYLES["small_number"] = Style(size=10, number_format="#,##0.00")
STYLES["small_int"] = Style(size=10, number_format="#,##0")
STYLES["small_date"] = Style(size=10, number_format=DATE_FORMAT)
STYLES["signature"] = Style(border=None)
for _flag, _rgb in FLAG_COLORS.items():
    STYLES[f"flag_{_flag}"] = Style(bold=True, fill=_rgb)
# Fill colours per milestone state (the 进度表 T&A sheet): a date cell coloured by its state.
STATE_COLORS = {MilestoneState.DONE: PALETTE["green"], MilestoneState.DONE_LATE: PALETTE["purple"],
                MilestoneState.OVERDUE: PALETTE["red"], MilestoneState.DUE_SOON: PALETTE["yellow"],
                MilestoneState.LATER: PALETTE["white"], MilestoneState.NO_PLAN: PALETTE["grey"]}
for _state, _rgb in STATE_COLORS.items():
    STYLES[f"state_{_state}"] = Style(fill=_rgb, number_format=DATE_FORMAT)
# Fill colours per sample round state (the 样品跟进 Sample follow-up sheet): each row in its state's
# colour, an open round plain. ``sample_<STATE>`` is the bold state cell, ``sample_<STATE>_<base>`` a
# cell of that row in the style ``base`` (its number format: a date, a count, a text cell).
SAMPLE_COLORS = {SampleState.OVERDUE: PALETTE["red"], SampleState.WAITING: PALETTE["yellow"],
                 SampleState.OPEN: None, SampleState.INVALID: PALETTE["grey"]}
for _state, _rgb in SAMPLE_COLORS.items():
    STYLES[f"sample_{_state}"] = Style(bold=True, fill=_rgb)
    for _base in ("text", "as_text", "date", "int"):
        STYLES[f"sample_{_state}_{_base}"] = replace(STYLES[_base], fill=_rgb)


def wrapped(name: str) -> str:
    """The style like ``name`` whose text wraps, aligned to the top of a tall row (added on first use);
    ``name`` itself when it wraps already."""
    if STYLES[name].wrap:
        return name
    if name + "_wrap" not in STYLES:
        STYLES[name + "_wrap"] = replace(STYLES[name], wrap=True, vertical="top")
    return name + "_wrap"
