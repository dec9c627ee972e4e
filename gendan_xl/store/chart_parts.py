"""Attach charts to a sheet in the package: its drawing and chart parts, relationships and types."""

from __future__ import annotations

import posixpath

from gendan_xl.sheets.chart import CT_CHART, CT_DRAWING, REL_CHART, REL_DRAWING, BarChart, LineChart, chart_xml, drawing_xml
from gendan_xl.ooxml.package import Package


def place_charts(package: Package, sheet_part: str, sheet_name: str, charts: list[BarChart | LineChart]) -> str:
    """Write ``charts`` into the sheet's drawing (created on first use, reused after: the n-th chart
    reuses the drawing's n-th chart part); returns the sheet's relationship id of the drawing."""
    rid, drawing_part = _related(package, sheet_part, REL_DRAWING, "xl/drawings/drawing{}.xml", CT_DRAWING)
    anchors = []
    for n, chart in enumerate(charts):
        chart_rid, chart_part = _related(package, drawing_part, REL_CHART, "xl/charts/chart{}.xml", CT_CHART, n)
        package.put(chart_part, chart_xml(chart, sheet_name))
        anchors.append((chart.anchor, chart_rid))
    package.put(drawing_part, drawing_xml(anchors))
    return rid


def _related(package: Package, source: str, rel_type: str, pattern: str, content_type: str,
             nth: int = 0) -> tuple[str, str]:
    """The (relationship id, part) of the ``nth`` ``rel_type`` link of ``source``; a new part if none."""
    found = [r for r in package.relationships(source) if r.get("Type") == rel_type]
    if nth < len(found):
        return found[nth]["Id"], found[nth]["part"]
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
