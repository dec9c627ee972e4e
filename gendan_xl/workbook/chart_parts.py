"""Attach a chart to a sheet in the package: its drawing and chart parts, relationships and types."""

from __future__ import annotations

import posixpath

from .chart import CT_CHART, CT_DRAWING, REL_CHART, REL_DRAWING, BarChart, chart_xml, drawing_xml
from .package import Package


def place_chart(package: Package, sheet_part: str, sheet_name: str, chart: BarChart) -> str:
    """Write ``chart`` into the sheet's drawing (created on first use, reused after); returns the
    sheet's relationship id of the drawing."""
    rid, drawing_part = _related(package, sheet_part, REL_DRAWING, "xl/drawings/drawing{}.xml", CT_DRAWING)
    chart_rid, chart_part = _related(package, drawing_part, REL_CHART, "xl/charts/chart{}.xml", CT_CHART)
    package.put(drawing_part, drawing_xml(chart.anchor, chart_rid))
    package.put(chart_part, chart_xml(chart, sheet_name))
    return rid


def _related(package: Package, source: str, rel_type: str, pattern: str, content_type: str) -> tuple[str, str]:
    """The (relationship id, part) ``source`` links with ``rel_type``, creating a new part if none."""
    found = next((r for r in package.relationships(source) if r.get("Type") == rel_type), None)
    if found is not None:
        return found["Id"], found["part"]
    part = _free(package, pattern)
    package.add_content_type("/" + part, content_type)
    return package.add_relationship(source, rel_type, _relative(source, part)), part


def _free(package: Package, pattern: str) -> str:
    n = 1
    while package.has(pattern.format(n)):
        n += 1
    return pattern.format(n)


def _relative(source: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(source))
