"""The generated sheets' charts as native, editable Excel charts in the open workbook (xlwings):
the same type, source ranges, series names, colours, axes and cells as the chart parts the file
gets (``chart.py``), made through xlwings' chart API (per-point colours and data labels through
Excel's Series object)."""

from __future__ import annotations

import xlwings as xw

from gendan_xl.sheets.chart import BarChart, LineChart

CHART_NAME = "gendan chart {}"     # as the file's drawing names its frames
BAR_SERIES = "Lines"              # the flag chart's one series, named as in the file


def place_charts(sheet: xw.Sheet, charts: list[BarChart | LineChart]) -> None:
    """Replace the sheet's charts with ``charts``: the sheet is generated and rewritten whole, as in
    the file (Excel's Clear keeps charts, so the earlier ones are deleted here). Each chart covers
    the cells of its anchor; call this after the column widths and row heights are set."""
    for old in list(sheet.charts):
        old.delete()
    for n, chart in enumerate(charts, start=1):
        c1, r1, c2, r2 = chart.anchor
        cells = sheet.range((r1 + 1, c1 + 1), (r2, c2))
        made = sheet.charts.add(left=cells.left, top=cells.top, width=cells.width, height=cells.height,
                                name=CHART_NAME.format(n))
        if isinstance(chart, BarChart):
            _bars(sheet, made, chart)
        else:
            _lines(sheet, made, chart)
        made.title = chart.title


def _bars(sheet: xw.Sheet, made: xw.Chart, chart: BarChart) -> None:
    """Horizontal bars, first category on top (value axis kept at the top as in the file), one
    colour per bar, values shown, no legend."""
    made.set_source_data(sheet.range(chart.values), plot_by="columns")
    made.chart_type = "bar_clustered"
    made.set_x_axis_values(sheet.range(chart.categories))
    series = made.series[0]
    series.name = BAR_SERIES
    for i, color in enumerate(chart.colors, start=1):
        series.api.Points(i).Format.Fill.ForeColor.RGB = bgr(color)
    series.api.HasDataLabels = True
    made.category_axis.set(reverse_order=True, crosses="maximum")
    made.legend.visible = False


def _lines(sheet: xw.Sheet, made: xw.Chart, chart: LineChart) -> None:
    """Lines with markers over the categories; the rates on a secondary 0-100 % axis, or on the
    primary one when there are only rates (as in the file); legend below. The series are the
    consecutive columns of one block (their ranges in the file)."""
    lines = [*chart.series, *chart.rates]
    made.set_source_data(sheet.range(sheet.range(lines[0].values), sheet.range(lines[-1].values)),
                         plot_by="columns")
    made.chart_type = "line_markers"
    made.set_x_axis_values(sheet.range(chart.categories))
    secondary = bool(chart.series)
    for k, (series, line) in enumerate(zip(made.series, lines)):
        series.set(name=line.name, line_color="#" + line.color, marker_style="circle", marker_size=5,
                   axis_group="secondary" if secondary and k >= len(chart.series) else "primary")
    if chart.rates:
        rate_axis = made.secondary_value_axis if secondary else made.value_axis
        rate_axis.set(minimum_scale=0, maximum_scale=1, number_format="0%")
    made.legend.position = "bottom"


def bgr(rrggbb: str) -> int:
    """An ``RRGGBB`` colour as Excel's colour number (blue in the high byte)."""
    rgb = int(rrggbb[-6:], 16)
    return (rgb & 0xFF) << 16 | (rgb & 0xFF00) | rgb >> 16
