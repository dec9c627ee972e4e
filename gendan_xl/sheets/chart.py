"""Charts over sheet ranges (a bar chart, a line chart), as DrawingML parts with cached values.

The cached values let every viewer draw the chart without recalculating; the formulas keep it
linked to the cells, so Excel redraws it when they change.
"""

from __future__ import annotations

from dataclasses import dataclass

from gendan_xl.sheets.cells import number_text, text_xml

CHART_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
REL_DRAWING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"
REL_CHART = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"


@dataclass
class BarChart:
    """Horizontal bars: one category per row of ``categories``/``values`` ranges (A1 refs, absolute)."""

    title: str
    categories: str          # e.g. $A$6:$A$12
    values: str              # e.g. $B$6:$B$12
    labels: list[str]
    numbers: list[float]
    colors: list[str]        # RRGGBB per bar
    anchor: tuple[int, int, int, int]   # from column, from row, to column, to row (0-based)


@dataclass
class Series:
    """One line: its name, values range (A1, absolute), cached numbers (None: a gap) and colour."""

    name: str
    values: str
    numbers: list[float | None]
    color: str


@dataclass
class LineChart:
    """Lines over categories (one per row of ``categories``): ``series`` on the left axis, ``rates``
    (fractions, shown as percent, 0-100 %) on a second axis at the right; with no ``series``, the
    rates have the chart's one set of axes (categories labelled below, percent at the left)."""

    title: str
    categories: str
    labels: list[str]
    series: list[Series]
    rates: list[Series]
    anchor: tuple[int, int, int, int]


def chart_xml(chart: BarChart | LineChart, sheet: str) -> bytes:
    """The chart part for ``chart`` drawn from ``sheet``."""
    quoted = "'" + sheet.replace("'", "''") + "'"
    if isinstance(chart, LineChart):
        return _line_chart_xml(chart, quoted)
    points = "".join(
        f'<c:dPt><c:idx val="{i}"/><c:invertIfNegative val="0"/><c:bubble3D val="0"/><c:spPr><a:solidFill>'
        f'<a:srgbClr val="{color}"/></a:solidFill><a:ln><a:solidFill><a:srgbClr val="7F7F7F"/></a:solidFill>'
        f"</a:ln></c:spPr></c:dPt>" for i, color in enumerate(chart.colors))
    cats = "".join(f'<c:pt idx="{i}"><c:v>{text_xml(label)}</c:v></c:pt>' for i, label in enumerate(chart.labels))
    vals = "".join(f'<c:pt idx="{i}"><c:v>{value:g}</c:v></c:pt>' for i, value in enumerate(chart.numbers))
    n = len(chart.labels)
    return (
        _HEAD
        + f'<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>{text_xml(chart.title)}</a:t></a:r></a:p></c:rich>'
        '</c:tx><c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>'
        '<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
        '<c:ser><c:idx val="0"/><c:order val="0"/><c:tx><c:v>Lines</c:v></c:tx><c:invertIfNegative val="0"/>'
        f"{points}"
        '<c:dLbls><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/>'
        '<c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'
        f"<c:cat><c:strRef><c:f>{text_xml(quoted)}!{chart.categories}</c:f><c:strCache>"
        f'<c:ptCount val="{n}"/>{cats}</c:strCache></c:strRef></c:cat>'
        f"<c:val><c:numRef><c:f>{text_xml(quoted)}!{chart.values}</c:f><c:numCache><c:formatCode>General"
        f'</c:formatCode><c:ptCount val="{n}"/>{vals}</c:numCache></c:numRef></c:val></c:ser>'
        '<c:gapWidth val="50"/><c:axId val="101"/><c:axId val="102"/></c:barChart>'
        '<c:catAx><c:axId val="101"/><c:scaling><c:orientation val="maxMin"/></c:scaling><c:delete val="0"/>'
        '<c:axPos val="l"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/>'
        '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="102"/>'
        '<c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/></c:catAx>'
        '<c:valAx><c:axId val="102"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
        '<c:axPos val="t"/><c:majorGridlines/><c:numFmt formatCode="General" sourceLinked="1"/>'
        '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        '<c:crossAx val="101"/><c:crosses val="max"/><c:crossBetween val="between"/></c:valAx>'
        '</c:plotArea><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
    ).encode("utf-8")


_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         f'<c:chartSpace xmlns:c="{CHART_NS}" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
         'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
         '<c:roundedCorners val="0"/><c:chart>')


def _line_chart_xml(chart: LineChart, quoted: str) -> bytes:
    n = len(chart.labels)
    cats = "".join(f'<c:pt idx="{i}"><c:v>{text_xml(label)}</c:v></c:pt>' for i, label in enumerate(chart.labels))
    cat = (f"<c:cat><c:strRef><c:f>{text_xml(quoted)}!{chart.categories}</c:f><c:strCache>"
           f'<c:ptCount val="{n}"/>{cats}</c:strCache></c:strRef></c:cat>')

    def lines(series: list[Series], first: int, number_format: str, axes: tuple[int, int]) -> str:
        out = []
        for k, ser in enumerate(series, start=first):
            points = "".join(f'<c:pt idx="{i}"><c:v>{number_text(v)}</c:v></c:pt>'
                             for i, v in enumerate(ser.numbers) if v is not None)
            out.append(
                f'<c:ser><c:idx val="{k}"/><c:order val="{k}"/><c:tx><c:v>{text_xml(ser.name)}</c:v></c:tx>'
                f'<c:spPr><a:ln w="28575"><a:solidFill><a:srgbClr val="{ser.color}"/></a:solidFill></a:ln></c:spPr>'
                f'<c:marker><c:symbol val="circle"/><c:size val="5"/></c:marker>{cat}'
                f"<c:val><c:numRef><c:f>{text_xml(quoted)}!{ser.values}</c:f><c:numCache><c:formatCode>"
                f'{number_format}</c:formatCode><c:ptCount val="{n}"/>{points}</c:numCache></c:numRef></c:val>'
                '<c:smooth val="0"/></c:ser>')
        return ('<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>' + "".join(out)
                + f'<c:marker val="1"/><c:axId val="{axes[0]}"/><c:axId val="{axes[1]}"/></c:lineChart>')

    def axes(cat_id: int, val_id: int, side: str, number_format: str, *, secondary: bool, bounded: bool) -> str:
        """A category and a value axis; a secondary pair hides its categories and crosses at the right."""
        bounds = '<c:max val="1"/><c:min val="0"/>' if bounded else ""
        return (f'<c:catAx><c:axId val="{cat_id}"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
                f'<c:delete val="{int(secondary)}"/><c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="0"/>'
                '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
                f'<c:crossAx val="{val_id}"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
                f'<c:lblOffset val="100"/></c:catAx><c:valAx><c:axId val="{val_id}"/><c:scaling>'
                f'<c:orientation val="minMax"/>{bounds}'
                f'</c:scaling><c:delete val="0"/><c:axPos val="{side}"/>'
                f'{"" if secondary else "<c:majorGridlines/>"}<c:numFmt formatCode="{number_format}" sourceLinked="0"/>'
                '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
                f'<c:crossAx val="{cat_id}"/><c:crosses val="{"max" if secondary else "autoZero"}"/>'
                '<c:crossBetween val="between"/></c:valAx>')

    if chart.series:
        groups = (lines(chart.series, 0, "General", (201, 202)) + lines(chart.rates, len(chart.series), "0%", (203, 204))
                  + axes(201, 202, "l", "General", secondary=False, bounded=False)
                  + axes(203, 204, "r", "0%", secondary=True, bounded=True))
    else:
        groups = lines(chart.rates, 0, "0%", (201, 202)) + axes(201, 202, "l", "0%", secondary=False, bounded=True)
    return (
        _HEAD
        + f'<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>{text_xml(chart.title)}</a:t></a:r></a:p></c:rich>'
        '</c:tx><c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>'
        + groups
        + '</c:plotArea><c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>'
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
    ).encode("utf-8")


def drawing_xml(anchors: list[tuple[tuple[int, int, int, int], str]]) -> bytes:
    """A drawing part holding chart frames, each between two cell corners: (anchor, chart rid)."""
    frames = "".join(_frame(anchor, rid, k) for k, (anchor, rid) in enumerate(anchors, start=2))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
        f'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">{frames}</xdr:wsDr>'
    ).encode("utf-8")


def _frame(anchor: tuple[int, int, int, int], chart_rid: str, shape_id: int) -> str:
    c1, r1, c2, r2 = anchor
    return (
        "<xdr:twoCellAnchor>"
        f"<xdr:from><xdr:col>{c1}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{r1}</xdr:row><xdr:rowOff>0"
        f"</xdr:rowOff></xdr:from><xdr:to><xdr:col>{c2}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{r2}"
        "</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
        f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{shape_id}" name="gendan chart {shape_id - 1}"/>'
        '<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/>'
        f'</xdr:xfrm><a:graphic><a:graphicData uri="{CHART_NS}"><c:chart xmlns:c="{CHART_NS}" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        f'r:id="{chart_rid}"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/>'
        "</xdr:twoCellAnchor>"
    )
