"""The user's table is the user's: Excel's total row, a table shrunk above its data, notes typed under
a log table. Real masters edited with openpyxl as Excel would leave them, read back by openpyxl."""

from __future__ import annotations

import pandas as pd
import openpyxl
import pytest

from conftest import AS_OF
from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode, GendanError
from ooxml import assert_valid


def _table(ws, name):
    return ws.tables[name]


def _with_total_row(path) -> int:
    """Table Design → Total Row on 订单 Orders: a 合计 label and a SUBTOTAL of the qty; returns its row."""
    wb = openpyxl.load_workbook(path)
    ws = wb[schema.ORDERS.sheet]
    table = _table(ws, schema.ORDERS.name)
    first, last = table.ref.split(":")
    end = int("".join(ch for ch in last if ch.isdigit())) + 1
    letters = "".join(ch for ch in last if ch.isalpha())
    table.ref = f"{first}:{letters}{end}"
    table.totalsRowCount = 1
    table.totalsRowShown = True
    qty = [c.value for c in ws[1]].index(schema.ORDERS.field("qty").header)
    table.tableColumns[0].totalsRowLabel = "合计 Total"
    table.tableColumns[qty].totalsRowFunction = "sum"
    ws.cell(end, 1, "合计 Total")
    ws.cell(end, qty + 1, f"=SUBTOTAL(109,{schema.ORDERS.name}[{schema.ORDERS.field('qty').header}])")
    wb.save(path)
    return end


def _erp(tmp_path, rows) -> str:
    path = tmp_path / "erp.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


NEW_LINES = [{"po_no": "PO-NEW1", "line": 1, "customer": "Nordic Home AB", "supplier": "Saigon Garment JSC",
              "qty": 100, "due_date": "2027-01-20"},
             {"po_no": "PO-NEW1", "line": 2, "customer": "Nordic Home AB", "supplier": "Saigon Garment JSC",
              "qty": 200, "due_date": "2027-01-22"}]


def test_the_total_row_is_never_a_line_and_stays_last_when_lines_are_added(demo_master, tmp_path):
    lines = actions.refresh(demo_master, as_of=AS_OF).lines
    total_row = _with_total_row(demo_master)
    summary = actions.refresh(demo_master, as_of=AS_OF)
    assert summary.lines == lines
    ws = openpyxl.load_workbook(demo_master)[schema.ORDERS.sheet]
    header = [c.value for c in ws[1]]
    flag, why = header.index(schema.ORDERS.field("flag").header), header.index(schema.ORDERS.field("why").header)
    assert ws.cell(total_row, 1).value == "合计 Total"
    assert ws.cell(total_row, flag + 1).value is None and ws.cell(total_row, why + 1).value is None

    actions.load_orders(demo_master, _erp(tmp_path, NEW_LINES), as_of=AS_OF)
    wb = openpyxl.load_workbook(demo_master)
    ws = wb[schema.ORDERS.sheet]
    table = _table(ws, schema.ORDERS.name)
    last = total_row + 2
    assert table.ref.endswith(str(last)) and table.autoFilter.ref.endswith(str(last - 1))
    assert ws.cell(last, 1).value == "合计 Total" and str(ws.cell(last, header.index("数量 Qty") + 1).value
                                                       ).startswith("=SUBTOTAL(109,")
    assert [ws.cell(r, 1).value for r in (total_row, total_row + 1)] == ["PO-NEW1", "PO-NEW1"]
    assert actions.refresh(demo_master, as_of=AS_OF).lines == lines + 2
    assert_valid(demo_master)


def test_a_table_shrunk_above_its_data_is_never_written_over(demo_master, tmp_path):
    """The user cut the Orders table two rows short: those rows are still order data; a load that must
    grow the table stops naming the row and what is there, and writes nothing."""
    wb = openpyxl.load_workbook(demo_master)
    ws = wb[schema.ORDERS.sheet]
    table = _table(ws, schema.ORDERS.name)
    first, last = table.ref.split(":")
    end = int("".join(ch for ch in last if ch.isdigit()))
    letters = "".join(ch for ch in last if ch.isalpha())
    table.ref = table.autoFilter.ref = f"{first}:{letters}{end - 2}"
    below = ws.cell(end - 1, 1).value
    wb.save(demo_master)
    before = demo_master.read_bytes()
    with pytest.raises(GendanError) as caught:
        actions.load_orders(demo_master, _erp(tmp_path, NEW_LINES[:1]), as_of=AS_OF)
    error = caught.value
    assert error.sheet == schema.ORDERS.sheet and error.row == end - 1 and error.value == below
    assert error.code is ErrorCode.TABLE_BLOCKED and "nothing was written" in str(error)
    assert demo_master.read_bytes() == before


@pytest.mark.parametrize("spec", [schema.CHANGE_LOG, schema.IMPORT_ISSUES])
def test_a_note_under_a_log_table_stops_the_sync_instead_of_being_overwritten(demo_master, demo_dir, spec):
    wb = openpyxl.load_workbook(demo_master)
    ws = wb[spec.sheet]
    end = int("".join(ch for ch in _table(ws, spec.name).ref.split(":")[1] if ch.isdigit()))
    ws.cell(end + 1, 2, "=COUNTA(A:A)")
    ws.cell(end + 1, 1, "备注 note: checked by Lily")
    wb.save(demo_master)
    before = demo_master.read_bytes()
    with pytest.raises(GendanError) as caught:
        actions.sync(demo_master, sorted((demo_dir / "suppliers").iterdir()), as_of=AS_OF)
    assert caught.value.sheet == spec.sheet and caught.value.row == end + 1
    assert caught.value.value == "备注 note: checked by Lily" and caught.value.code is ErrorCode.TABLE_BLOCKED
    assert demo_master.read_bytes() == before
