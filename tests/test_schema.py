"""model/schema: every table's fields, the spellings a header is read by, and the Flag and State cells."""

from __future__ import annotations

import pytest

from gendan_xl.model import schema
from gendan_xl.model.flags import Flag, MilestoneState
from gendan_xl.model.values import header_key

TABLES = [*schema.TABLES.values(), schema.STATEMENT]


@pytest.mark.parametrize("table", TABLES, ids=[t.key for t in TABLES])
def test_no_spelling_of_a_header_names_two_fields_of_one_table(table):
    """A header is read as the first field spelling it: two fields sharing a spelling would make one unreadable."""
    owner = {}
    for f in table.fields:
        for spelling in {header_key(s) for s in (f.name, f.zh, f.en, f.header, f.name.replace("_", " "), *f.aliases)}:
            assert owner.setdefault(spelling, f.name) == f.name, (spelling, owner[spelling], f.name)
    assert len(set(table.names)) == len(table.names) and len({f.header for f in table.fields}) == len(table.fields)


@pytest.mark.parametrize("header, field", [
    ("due_date", "due_date"), ("交期", "due_date"), ("Due date", "due_date"), ("交期 Due date", "due_date"),
    ("due date", "due_date"), ("  DUE_DATE : ", "due_date"), ("ex-factory date", "due_date"),
    ("ＰＯ号", "po_no"), ("PO / SO #", "po_no"), ("Line Item Quantity", "qty"), ("新预计完成 New ETA", "eta"),
    ("我的备注 My note", None), (None, None), ("", None),
])
def test_a_header_is_read_by_its_name_either_half_the_whole_or_an_alias(header, field):
    assert schema.match_header(schema.ORDERS, header) == field


def test_flag_and_state_cells_show_the_code_and_its_chinese():
    assert Flag.LATE.label == "LATE 已延误" and MilestoneState.OVERDUE.label == "OVERDUE 已逾期"
    assert [Flag.read(v) for v in ("LATE 已延误", "AT_RISK", " ON_TRACK 正常", "LATER 未到期", "  ", None, 3)] == [
        Flag.LATE, Flag.AT_RISK, Flag.ON_TRACK, None, None, None, None]
    assert [f.value for f in Flag] == ["NO_DATE", "SHIPPED", "SHIPPED_LATE", "LATE", "WILL_BE_LATE", "AT_RISK",
                                       "ON_TRACK"]


def test_fields_by_kind():
    assert schema.ORDERS.of_kind(schema.DATE) == ["order_date", "due_date", "supplier_due", "eta", "ship_date",
                                                  "first_eta", "prev_eta"]
    assert schema.CHANGE_LOG.of_kind(schema.DATETIME) == ["timestamp"]
    assert schema.ORDERS.field("qty").header == "数量 Qty"
    with pytest.raises(KeyError):
        schema.ORDERS.field("no_such_field")
