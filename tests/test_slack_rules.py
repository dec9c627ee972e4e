"""The flag rules of DESIGN.md §3, row by row, with slack and why; and evaluate's speed."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from conftest import orders_frame
from gendan_xl.rules.calendar import CalendarBook
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.schema import SETTINGS
from gendan_xl.model.settings import Settings
from gendan_xl.rules.slack import evaluate
from gendan_xl.model.flags import Flag

BOOK = CalendarBook.from_rows(None, range(2025, 2029))
AS_OF = dt.date(2026, 12, 1)  # a Tuesday; no CN holidays in December 2026


def orders(*lines: dict) -> pd.DataFrame:
    """Order lines typed as the workbook reader gives them, indexed from 0 (``why[0]`` below)."""
    return orders_frame(lines).reset_index(drop=True)


DUE = "2026-12-15"
SHIP_DUE = "2026-11-27"   # a Friday before AS_OF
CASES = [
    # id, line, country, tolerance %, flag, slack, why (exact, or parts it must contain)
    ("no due date", dict(eta="2026-12-10", qty=100), "CN", 0, "NO_DATE", None, "缺交期 no due date"),
    # shipped lines: the ship date on or before the as-of date (a later one is not known then)
    ("shipped on the due date", dict(due_date=SHIP_DUE, ship_date=SHIP_DUE, qty=100, shipped_qty=100), "CN", 0,
     "SHIPPED", 0, "出货 ship 2026-11-27 ≤ 交期 2026-11-27: 0 WD (CN)"),
    ("shipped early", dict(due_date=SHIP_DUE, ship_date="2026-11-24", qty=100, shipped_qty=100), "CN", 0,
     "SHIPPED", 3, "出货 ship 2026-11-24 ≤ 交期 2026-11-27: 3 WD (CN)"),
    ("shipped late", dict(due_date="2026-11-24", ship_date=SHIP_DUE, qty=100, shipped_qty=100), "CN", 0,
     "SHIPPED_LATE", -3, "出货 ship 2026-11-27 > 交期 2026-11-24: -3 WD (CN)"),
    ("over-shipped", dict(due_date=SHIP_DUE, ship_date="2026-11-24", qty=100, shipped_qty=105), "CN", 0,
     "SHIPPED", 3, None),
    ("partial within tolerance", dict(due_date=SHIP_DUE, ship_date="2026-11-24", qty=1000, shipped_qty=995),
     "CN", 0.5, "SHIPPED", 3, None),
    ("shipped, no due date", dict(ship_date="2026-11-24", qty=100, shipped_qty=100), "CN", 0, "SHIPPED", None,
     "出货 ship 2026-11-24, 无交期 no due date (CN)"),
    ("shipped, no due date, quantities blank", dict(ship_date="2026-11-24"), "CN", 0, "SHIPPED", None,
     ["出货 ship 2026-11-24, 无交期 no due date (CN)", "shipped qty blank: taken as fully shipped"]),
    ("shipped after the as-of date: open then", dict(due_date=DUE, ship_date="2026-12-10", eta="2026-12-18",
                                                    qty=100, shipped_qty=100), "CN", 0, "WILL_BE_LATE", -3,
     "ETA 2026-12-18 > 交期 2026-12-15: -3 WD (CN)"),
    ("shipped after the as-of date, past due", dict(due_date=SHIP_DUE, ship_date="2026-12-04", qty=100,
                                                   shipped_qty=100), "CN", 0, "LATE", -2,
     "交期 2026-11-27 < 截至 as of 2026-12-01, 未出 open 100; 无预计 no ETA → 截至 as of 2026-12-01 > 交期 "
     "2026-11-27: -2 WD (CN)"),
    ("shipped after the as-of date, no due date", dict(ship_date="2026-12-04", qty=100, shipped_qty=100), "CN", 0,
     "NO_DATE", None, "缺交期 no due date"),
    ("partial beyond tolerance", dict(due_date=DUE, ship_date="2026-12-01", eta="2026-12-10", qty=1000,
                                      shipped_qty=990), "CN", 0.5, "ON_TRACK", 3,
     "ETA 2026-12-10 ≤ 交期 2026-12-15: 3 WD (CN)"),
    ("partial, no tolerance, nothing to project", dict(due_date=DUE, ship_date="2026-11-30", qty=1000,
                                                       shipped_qty=999), "CN", 0, "ON_TRACK", 10,
     "无预计 no ETA → 截至 as of 2026-12-01 ≤ 交期 2026-12-15: 10 WD (CN)"),
    ("ship date, quantities blank", dict(due_date=SHIP_DUE, ship_date="2026-11-24"), "CN", 0, "SHIPPED", 3,
     ["出货 ship 2026-11-24", "shipped qty blank: taken as fully shipped"]),
    ("ship date, shipped qty 0", dict(due_date=DUE, ship_date="2026-12-10", eta="2026-12-18",
                                      shipped_qty=0), "CN", 0, "WILL_BE_LATE", -3, None),
    ("fully shipped, no ship date", dict(due_date=DUE, qty=10, shipped_qty=10), "CN", 0, "SHIPPED", None,
     "已全部出货, 无出货日期 fully shipped, no ship date"),
    ("late: due before as-of", dict(due_date="2026-11-27", eta="2026-12-04", qty=100, shipped_qty=40),
     "CN", 0, "LATE", -5,
     "交期 2026-11-27 < 截至 as of 2026-12-01, 未出 open 60; ETA 2026-12-04 > 交期 2026-11-27: -5 WD (CN)"),
    ("will be late", dict(due_date=DUE, eta="2026-12-18", qty=100), "CN", 0, "WILL_BE_LATE", -3,
     "ETA 2026-12-18 > 交期 2026-12-15: -3 WD (CN)"),
    ("at risk: slack below threshold", dict(due_date=DUE, eta="2026-12-11", qty=100), "CN", 0, "AT_RISK", 2,
     "ETA 2026-12-11 ≤ 交期 2026-12-15: 2 WD < 3 (CN)"),
    ("slack exactly at threshold", dict(due_date=DUE, eta="2026-12-10", qty=100), "CN", 0, "ON_TRACK", 3,
     "ETA 2026-12-10 ≤ 交期 2026-12-15: 3 WD (CN)"),
    ("ETA slipped since last sync", dict(due_date=DUE, eta="2026-12-04", prev_eta="2026-12-02", qty=100),
     "CN", 0, "AT_RISK", 7,
     "ETA 2026-12-04 ≤ 交期 2026-12-15: 7 WD (CN); ETA 延后 slipped (上次 previous 2026-12-02)"),
    ("ETA pulled in", dict(due_date=DUE, eta="2026-12-04", prev_eta="2026-12-08", qty=100), "CN", 0,
     "ON_TRACK", 7, None),
    ("ETA passed, not shipped", dict(due_date=DUE, eta="2026-11-20", qty=100), "CN", 0, "ON_TRACK", 10,
     "ETA 2026-11-20 已过未完成 passed, not done → 2026-12-01 ≤ 交期 2026-12-15: 10 WD (CN)"),
    ("projected from progress", dict(due_date=DUE, order_date="2026-11-17", qty=1000, produced_qty=500),
     "CN", 0, "AT_RISK", 0,
     "进度预计 projected 2026-12-15 (已完成 produced 500/1000) ≤ 交期 2026-12-15: 0 WD < 3 (CN)"),
    ("negative slack not clipped, provisional year", dict(due_date=DUE, order_date="2026-11-17", qty=1000,
                                                          produced_qty=300), "CN", 0, "WILL_BE_LATE", -14,
     ["进度预计 projected 2027-01-05", "> 交期 2026-12-15: -14 WD (CN)",
      "; 2027 日历为暂定 provisional calendar"]),
    ("due in a provisional year", dict(due_date="2027-01-15", eta=DUE, qty=1), "CN", 0, "ON_TRACK", 22,
     "ETA 2026-12-15 ≤ 交期 2027-01-15: 22 WD (CN); 2027 日历为暂定 provisional calendar"),
    ("BD calendar", dict(due_date="2026-12-13", eta="2026-12-09", qty=1), "BD", 0, "AT_RISK", 2,
     "ETA 2026-12-09 ≤ 交期 2026-12-13: 2 WD < 3 (BD)"),
    ("same line, CN calendar", dict(due_date="2026-12-13", eta="2026-12-09", qty=1), "CN", 0, "ON_TRACK", 3,
     None),
    ("blank country", dict(due_date=DUE, eta="2026-12-10", qty=1), None, 0, "ON_TRACK", 3,
     "ETA 2026-12-10 ≤ 交期 2026-12-15: 3 WD (CN 默认 default)"),
    ("unknown country", dict(due_date=DUE, eta="2026-12-10", qty=1), "xx", 0, "ON_TRACK", 3,
     "ETA 2026-12-10 ≤ 交期 2026-12-15: 3 WD (CN, XX 无日历 no calendar)"),
]


@pytest.mark.parametrize("line, country, tolerance, flag, slack, why",
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule(line, country, tolerance, flag, slack, why):
    result = evaluate(orders(line), pd.Series([country]), BOOK, AS_OF,
                      Settings(ship_tolerance_pct=tolerance)).iloc[0]
    assert result["flag"] == flag
    assert np.isnan(result["slack_wd"]) if slack is None else result["slack_wd"] == slack
    if isinstance(why, str):
        assert result["why"] == why
    for part in why if isinstance(why, list) else []:
        assert part in result["why"]


def test_every_flag_is_covered_and_whole_table_equals_line_by_line():
    assert {c[4] for c in CASES} == set(Flag)
    table = orders(*(c[1] for c in CASES))
    countries = pd.Series([c[2] for c in CASES], index=table.index)
    together = evaluate(table, countries, BOOK, AS_OF, Settings(ship_tolerance_pct=0.5))
    for i, case in enumerate(CASES):
        alone = evaluate(orders(case[1]), [case[2]], BOOK, AS_OF, Settings(ship_tolerance_pct=0.5)).iloc[0]
        assert together.iloc[i].tolist()[1:] == alone.tolist()[1:]
        assert together.iloc[i]["slack_wd"] == alone["slack_wd"] or np.isnan(alone["slack_wd"])


def test_result_is_aligned_on_the_orders_index_and_missing_columns_are_blank():
    frame = pd.DataFrame({"due_date": pd.to_datetime(["2026-12-15", None])}, index=[7, 3])
    result = evaluate(frame, "CN", BOOK, AS_OF, Settings(at_risk_wd=11))
    assert list(result.index) == [7, 3] and list(result.columns) == ["slack_wd", "flag", "why"]
    assert result["flag"].tolist() == ["AT_RISK", "NO_DATE"]
    assert result.loc[7, "slack_wd"] == 10 and np.isnan(result.loc[3, "slack_wd"])


def test_empty_orders():
    result = evaluate(orders(), pd.Series([], dtype=object), BOOK, AS_OF, Settings())
    assert result.empty and list(result.columns) == ["slack_wd", "flag", "why"]


def _random_orders(n: int, seed: int = 1) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    start = np.datetime64("2026-01-01")

    def dates(lo, hi, blank):
        days = (start + rng.integers(lo, hi, n)).astype("datetime64[ns]")
        days[rng.random(n) < blank] = np.datetime64("NaT")
        return days

    qty = rng.integers(1, 5000, n).astype(float)
    frame = pd.DataFrame({
        "due_date": dates(0, 540, 0.02), "eta": dates(-30, 560, 0.3), "ship_date": dates(0, 540, 0.7),
        "order_date": dates(-200, 0, 0.1), "prev_eta": dates(-30, 560, 0.5), "qty": qty,
        "shipped_qty": np.where(rng.random(n) < 0.5, np.nan, qty * rng.choice([0, 0.5, 1], n)),
        "produced_qty": np.where(rng.random(n) < 0.5, np.nan, np.floor(qty * rng.random(n))),
        "supplier": "S"})
    country = pd.Series(rng.choice(np.array(["CN", "VN", "BD", "", None, "XX"], dtype=object), n))
    return frame, country


def test_random_lines_get_every_flag_and_a_why():
    frame, country = _random_orders(20_000)
    result = evaluate(frame, country, BOOK, dt.date(2026, 3, 5), Settings())
    assert set(result["flag"]) == set(Flag)
    assert result["why"].str.len().min() > 0


def test_settings_sheet_drives_the_rules():
    assert Settings.from_frame(Settings.rows()) == Settings()
    sheet = Settings.rows().set_index("key")
    sheet.loc["at_risk_wd", "value"] = "8"
    sheet.loc["ship_tolerance_pct", "value"] = "1%"
    sheet.loc["as_of", "value"] = pd.Timestamp("2026-12-01")
    settings = Settings.from_frame(sheet.reset_index())
    assert (settings.at_risk_wd, settings.ship_tolerance_pct, settings.as_of) == (8, 1.0, AS_OF)
    lines = orders(dict(due_date=DUE, eta="2026-12-04", qty=100),  # 7 WD < 8
                   dict(due_date=DUE, ship_date="2026-11-30", qty=100, shipped_qty=99))
    result = evaluate(lines, "CN", BOOK, settings.as_of, settings)
    assert result["flag"].tolist() == ["AT_RISK", "SHIPPED"]
    assert result["why"][0] == "ETA 2026-12-04 ≤ 交期 2026-12-15: 7 WD < 8 (CN)"


@pytest.mark.parametrize("key, value, shown", [
    ("at_risk_wd", "three", "three"), ("at_risk_wd", 2.5, 2.5), ("as_of", "someday", "someday"),
    ("ship_tolerance_pct", 120, 120), ("default_country", "China", "China"),
    ("no_such_key", 1, "no_such_key"), ("qty_tolerance", 1, "qty_tolerance"),  # unknown, repeated key
])
def test_bad_setting_names_sheet_row_and_value(key, value, shown):
    sheet = pd.DataFrame({"key": ["qty_tolerance", key], "value": [0, value], "description": ["", ""]},
                         index=[2, 3])   # indexed by Excel row, as Workbook.read gives it
    with pytest.raises(GendanError) as err:
        Settings.from_frame(sheet)
    assert (err.value.sheet, err.value.row, err.value.value) == (SETTINGS.sheet, 3, shown)
    assert err.value.code is ErrorCode.BAD_SETTING
