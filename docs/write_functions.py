"""Rewrite what is generated from the worksheet functions (``gendan_xl/excel/udfs.py``): their VBA in
``gendan_xl/xlsm/vba/`` (the ``xlwings_udfs`` module and the ThisWorkbook code) and their list in
docs/excel.md. tests/test_udf_vba.py fails while any of them differs.

usage: python docs/write_functions.py   (or: make functions)
"""

from __future__ import annotations

from pathlib import Path

from gendan_xl.excel import udf_docs, udf_vba
from gendan_xl.xlsm.xlsm import FUNCTIONS_BAS, WORKBOOK_CODE

EXCEL_MD = Path(__file__).with_name("excel.md")


def main() -> None:
    FUNCTIONS_BAS.write_bytes(udf_vba.wrappers_module().encode("ascii"))
    WORKBOOK_CODE.write_bytes(udf_vba.workbook_code().encode("ascii"))
    text = EXCEL_MD.read_text(encoding="utf-8")
    EXCEL_MD.write_text(udf_docs.with_functions_list(text), encoding="utf-8")
    for path in (FUNCTIONS_BAS, WORKBOOK_CODE, EXCEL_MD):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
