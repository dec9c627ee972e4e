"""Edge: the master workbook on file (OOXML package, patched in place) and in live Excel (xlwings)."""
