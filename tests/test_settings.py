"""The Settings sheet as typed settings: the as-of date is read by the one date-cell reader."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.settings import Settings
from gendan_xl.store.master import MasterWorkbook


def _as_of(value) -> Settings:
    """Settings from a sheet whose as-of cell holds ``value`` (the frame indexed by Excel row)."""
    return Settings.from_frame(pd.DataFrame({"key": ["as_of"], "value": [value], "description": [""]}, index=[2]))


@pytest.mark.parametrize("value", [
    "2026-11-26", "2026/11/26", "2026-11-26 10:00", "20261126", "Nov 26, 2026", "26-Nov-2026",
    "2026年11月26日", "２０２６年１１月２６日", "26.11.2026", "46352", 46352.0, "11/11/2026",
    dt.date(2026, 11, 26), pd.Timestamp("2026-11-26"),
])
def test_the_as_of_date_is_read_as_every_date_cell_is(value):
    """Before, pandas read the as-of cell: no Chinese date, no serial; now ``date_cells.parse_date``."""
    expected = dt.date(2026, 11, 11) if value == "11/11/2026" else dt.date(2026, 11, 26)
    assert _as_of(value).as_of == expected


@pytest.mark.parametrize("value, words", [
    ("05/12/2026", "write '05/12/2026' as 2026-05-12 or 2026-12-05"),   # before: 2026-05-12, a guess
    ("26/11/2026", "write '26/11/2026' as 2026-11-26"),                  # before: day-first, silently
    ("today", "'today' is not a date"),                                   # before: the wall clock
    ("TBD", "a date such as 2026-03-05"),
    ("2026-02-30", "not a calendar date"),
    ("0001-01-01", "before 1900-01-01"),
    ("2262-04-12", "1990-01-01 to 2099-12-31"),
])
def test_an_as_of_date_that_is_no_date_or_whose_order_is_a_guess_is_refused(value, words):
    with pytest.raises(GendanError) as err:
        _as_of(value)
    assert (err.value.row, err.value.value, err.value.code) == (2, value, ErrorCode.BAD_SETTING)
    assert words in str(err.value)


# ---- every command dates a day-month without a year by the run's as-of date, never the wall clock ----

AS_OF = dt.date(2031, 7, 1)   # far from any wall clock the tests run on: "6月21日" is 2031-06-21 only by it


def _master(tmp_path: Path, settings_as_of: dt.date | None) -> Path:
    """A master with one shipped line of Sun Textiles, its Settings' as-of date ``settings_as_of``."""
    master = tmp_path / "master.xlsx"
    orders = pd.DataFrame({"po_no": ["PO-1"], "line": [1], "supplier": ["Sun Textiles"], "customer": ["C"],
                           "qty": [100], "cost_price": [2.0], "due_date": [pd.Timestamp("2031-06-30")],
                           "ship_date": [pd.Timestamp("2031-06-21")], "shipped_qty": [100]})
    actions.new_master(master, orders=orders)
    if settings_as_of:
        wb = MasterWorkbook(master)
        table = wb.read(schema.SETTINGS)
        frame = table.frame.astype({"value": object})
        frame.loc[frame["key"] == "as_of", "value"] = settings_as_of.isoformat()
        wb.write(table, frame, ["value"])
        wb.save()
    return master


@pytest.mark.parametrize("given", [None, AS_OF], ids=["settings_as_of", "as_of_given"])
def test_load_dates_a_day_month_without_a_year_by_the_runs_as_of_date_not_today(tmp_path, given):
    """Before, ``gendan load`` read 6月21日 in the year nearest the wall clock (``sync`` by its as-of)."""
    master = _master(tmp_path, None if given else AS_OF)
    export = tmp_path / "erp.csv"
    export.write_text("PO号,行号,供应商,客户,数量,交期\nPO-2,1,Sun Textiles,C,50,6月21日\n", encoding="utf-8")
    result = actions.load_orders(master, export, as_of=given, far_date=True)
    orders = MasterWorkbook(master).read(schema.ORDERS).frame.set_index("po_no")
    assert result.added == 1 and orders.at["PO-2", "due_date"] == pd.Timestamp("2031-06-21")


def test_reconcile_dates_a_statement_day_month_without_a_year_by_the_settings_as_of_date_not_today(tmp_path):
    """Before, ``gendan reconcile`` read 6月21日 in the year nearest the wall clock: the statement's
    period (taken from its dates) was that year's June, with none of our lines in it."""
    master = _master(tmp_path, AS_OF)
    statement = tmp_path / "statement.csv"
    statement.write_text("PO号,日期,数量,单价,金额\nPO-1,6月21日,100,2,200\n", encoding="utf-8")
    result = actions.reconcile(master, statement, party="Sun Textiles")
    assert result.period == "2031-06" and result.our_lines == 1 and result.counts["MATCHED"] == 1
