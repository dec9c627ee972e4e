"""Edge, the lowest: the OOXML package, knowing nothing of gendan's tables.

The zip package read and written (``package``: parts, relationships, content types, the workbook's
sheets; ``zip_writer``: ISA-L deflate), a package from outside opened with its sizes checked
(``untrusted``), small parts parsed keeping their prefixes (``xml_part``), cell styles rendered into
``xl/styles.xml`` (``styles_part``), DOCTYPEs refused (``xml_guard``), formula cells without a saved
value (``formula_cells``), and the one atomic file write (``files``). The master (``workbook``), the
xlsm writer (``xlsm``) and the importers' pre-read scan (``importers``) all build on it; it imports
none of them.
"""
