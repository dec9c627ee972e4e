"""The real SCMS delivery history loaded as orders and refreshed: every line kept, flags right."""

from __future__ import annotations

import csv

import pandas as pd
import python_calamine

from conftest import AS_OF, SCMS_MAP
from gendan_xl import actions
from gendan_xl.model import schema


def test_scms_load_and_refresh(tmp_path, scms_path):
    master = tmp_path / "scms.xlsx"
    actions.new_master(master)
    result = actions.load_orders(master, scms_path, mapping=SCMS_MAP, as_of=AS_OF)
    assert result.rows_read == 10324
    assert result.added == 10324
    assert result.refresh.lines == 10324

    out = tmp_path / "orders.csv"
    actions.export_table(master, "orders", out)
    ours = pd.read_csv(out, dtype={"po_no": str, "line": str})
    assert len(ours) == 10324

    with open(scms_path, encoding="utf-8-sig", newline="") as fh:
        source = list(csv.DictReader(fh))
    assert len(source) == 10324
    src = pd.DataFrame(source).set_index("ID")
    ours = ours.set_index("line")
    due = pd.to_datetime(src["Scheduled Delivery Date"], format="%d-%b-%y")
    delivered = pd.to_datetime(src["Delivered to Client Date"], format="%d-%b-%y")
    late = delivered > due
    flags = ours["flag"].reindex(src.index)
    assert (flags[late] == "SHIPPED_LATE").all()
    assert (flags[~late] == "SHIPPED").all()
    assert late.sum() > 500 and (~late).sum() > 5000

    # The workbook re-reads with calamine: one row per line plus the header.
    sheet = python_calamine.CalamineWorkbook.from_path(str(master)).get_sheet_by_name(schema.ORDERS.sheet)
    assert len([r for r in sheet.to_python() if any(v not in ("", None) for v in r)]) == 10325
