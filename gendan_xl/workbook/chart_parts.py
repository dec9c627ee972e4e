"""Attach a chart to a sheet in the package: its drawing and chart parts, relationships and types."""

from __future__ import annotations

import posixpath

from .chart import CT_CHART, CT_DRAWING, REL_CHART, REL_DRAWING, BarChart, chart_xml, drawing_xml
from .package import Package


def place_chart(package: Package, sheet_part: str, sheet_name: str, chart: BarChart) -> str:
    """Write ``chart`` into the sheet's drawing (created on first use, reused after); returns the
    sheet's relationship id of the drawing."""
    drawing = next((r for r in package.relationships(sheet_part) if r.get("Type") == REL_DRAWING), None)
    if drawing is None:
        drawing_part = _free(package, "xl/drawings/drawing{}.xml")
        rid = package.add_relationship(sheet_part, REL_DRAWING, _relative(sheet_part, drawing_part))
        package.add_content_type("/" + drawing_part, CT_DRAWING)
    else:
        rid, drawing_part = drawing["Id"], drawing["part"]
    target = next((r for r in package.relationships(drawing_part) if r.get("Type") == REL_CHART), None)
    if target is None:
        chart_part = _free(package, "xl/charts/chart{}.xml")
        chart_rid = package.add_relationship(drawing_part, REL_CHART, _relative(drawing_part, chart_part))
        package.add_content_type("/" + chart_part, CT_CHART)
    else:
        chart_rid, chart_part = target["Id"], target["part"]
    package.put(drawing_part, drawing_xml(chart.anchor, chart_rid))
    package.put(chart_part, chart_xml(chart, sheet_name))
    return rid


def _free(package: Package, pattern: str) -> str:
    n = 1
    while package.has(pattern.format(n)):
        n += 1
    return pattern.format(n)


def _relative(source: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(source))
