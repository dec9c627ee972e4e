"""ta/milestones on literal frames: T&A templates read and checked, plans counted back from the due
date in the supplier's calendar, re-planning that moves only gendan's own plans, the state of every
milestone, the ex-factory date a late critical milestone pushes a line to, and how that merges with
the ETA's flag."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from gendan_xl.model import schema
from gendan_xl.model.errors import GendanError
from gendan_xl.rules.calendar import CalendarBook, WorkCalendar
from gendan_xl.ta.milestones import (check_template, codes_of, combine, evaluate, first_at, line_codes,
                                     note_unshipped, plan, plan_dates, read_templates, seed_templates)

D = np.datetime64
NAT = np.datetime64("NaT", "D")
NAN = float("nan")
T = pd.Timestamp
# CN: Spring Festival Monday 8 and Tuesday 9 February 2027 off, Saturday 6 February worked; BD rests
# Friday and Saturday.
BOOK = CalendarBook({"CN": WorkCalendar("CN", holidays=["2027-02-08", "2027-02-09"], makeup_days=["2027-02-06"]),
                     "BD": WorkCalendar("BD")})
PLAIN = CalendarBook({"CN": WorkCalendar("CN")})   # Monday to Friday, no holidays


def _templates(rows) -> pd.DataFrame:
    """The T&A Templates table as the master gives it (Excel rows from 2), its Sample kind column blank."""
    return pd.DataFrame(rows, columns=schema.TA_TEMPLATES.names[:6], index=range(2, 2 + len(rows)),
                        dtype=object).reindex(columns=schema.TA_TEMPLATES.names)


TEMPLATE = read_templates(_templates([
    ("T", "FABRIC_IN", "面料到厂 Fabric in-house", "SUPPLIER 供应商", 20, "是 yes"),
    ("T", "NOTICE", "通知 Notice", "US 我方", 15, None),             # not critical
    ("T", "CUTTING", "裁剪 Cutting", "SUPPLIER 供应商", 10, "是 yes"),
    ("T", "EX_FACTORY", "出厂 Ex-factory", "SUPPLIER 供应商", 0, "是 yes"),
]))


def test_templates_are_read_upper_cased_with_owner_labels_leads_and_critical_flags():
    got = read_templates(_templates([
        (" apparel ", " fabric_in", "面料到厂 Fabric in-house", "供应商", "30", "是 yes"),
        (None, None, None, None, None, None),                               # a blank row: skipped
        ("APPAREL", "CUT", None, None, 20.0, None),                         # no owner: the supplier's
        ("Knit", "LAB_DIP", "色样 Lab dip", "customer", 5, "x"),
    ]))
    assert got[["template", "milestone", "name", "owner", "lead_wd", "critical", "row", "order"]].values.tolist() == [
        ["APPAREL", "FABRIC_IN", "面料到厂 Fabric in-house", "SUPPLIER 供应商", 30, True, 2, 0],
        ["APPAREL", "CUT", "CUT", "SUPPLIER 供应商", 20, False, 4, 1],
        ["KNIT", "LAB_DIP", "色样 Lab dip", "CUSTOMER 客户", 5, True, 5, 0]]
    seeded = read_templates(seed_templates())
    assert seeded["milestone"].tolist() == [code for code, *_ in schema.APPAREL] and seeded["critical"].all()


@pytest.mark.parametrize("row, column, value", [
    ((None, "FABRIC_IN", None, None, 3, None), "template", None),
    (("T", "  ", None, None, 3, None), "milestone", "  "),
    (("T", "CUTTING", None, None, 3, None), "milestone", "CUTTING"),     # already in template T
    (("T", "X", None, None, -1, None), "lead_wd", -1),
    (("T", "X", None, None, 2.5, None), "lead_wd", 2.5),
    (("T", "X", None, None, "soon", None), "lead_wd", "soon"),
    (("T", "X", None, "boss", 3, None), "owner", "boss"),
    (("T", "X", None, None, 3, "maybe"), "critical", "maybe"),
])
def test_a_bad_template_cell_names_its_sheet_row_column_and_value(row, column, value):
    with pytest.raises(GendanError) as err:
        read_templates(_templates([("T", "CUTTING", None, None, 10, None), row]), file="m.xlsx")
    assert (err.value.file, err.value.sheet, err.value.row) == ("m.xlsx", schema.TA_TEMPLATES.sheet, 3)
    assert (err.value.column, err.value.value) == (schema.TA_TEMPLATES.field(column).header, value)


def test_a_template_is_named_in_any_case_and_an_unknown_one_is_refused_where_it_was_typed():
    assert check_template(TEMPLATE, " t ", where={}) == "T"
    with pytest.raises(GendanError) as err:
        check_template(TEMPLATE, "Knit", where={"sheet": "供应商 Suppliers", "row": 4})
    assert (err.value.sheet, err.value.row, err.value.value) == ("供应商 Suppliers", 4, "Knit")
    assert err.value.expected == "one of T"


def test_codes_and_line_keys_compare_as_the_master_does():
    assert codes_of([" fabric_in", None, "EX_FACTORY", ""]).tolist() == ["FABRIC_IN", "", "EX_FACTORY", ""]
    lines = pd.DataFrame({"po_no": ["PO-1", "PO-1", "PO-2"], "line": ["1", "2", "1"]})
    rows = pd.DataFrame({"po_no": ["po 1", "PO-2", "PO-1", "PO-3"], "line": [1.0, "01", "Line 2", "1"]})
    row_keys, line_keys = line_codes(rows, lines)
    assert first_at(line_keys, row_keys).tolist() == [0, 2, 1, -1]
    assert first_at(np.array([], dtype=np.int64), row_keys).tolist() == [-1] * 4


def test_plans_count_back_the_lead_in_working_days_of_the_suppliers_calendar():
    due = [D("2027-02-12"), D("2027-02-14"), D("2027-02-14"), D("2027-02-07"), NAT]
    got = plan_dates(due, [5, 5, 2, 0, 3], ["CN", "BD", "BD", "XX", "CN"], BOOK)
    # CN from Friday 12 Feb: Thu 11, Wed 10, (8, 9 off, Sunday 7 rests) Sat 6 worked, Fri 5, Thu 4;
    # BD from Sunday 14: (Fri, Sat rest) Thu 11, Wed 10, Tue 9, Mon 8, Sun 7; lead 0: the due date itself
    # even on a Sunday; an unknown country counts in the default calendar; no due date: no plan
    assert got[:4].tolist() == [D("2027-02-04"), D("2027-02-07"), D("2027-02-10"), D("2027-02-07")]
    assert np.isnat(got[4])


def _milestones(rows) -> pd.DataFrame:
    """Milestones table rows (po, line, code, plan, actual, planned_from), Excel rows from 2."""
    frame = pd.DataFrame([dict(zip(["po_no", "line", "milestone", "plan_date", "actual_date", "planned_from"], r))
                          for r in rows], columns=schema.MILESTONES.names, dtype=object)
    for name in ("plan_date", "actual_date", "planned_from"):
        frame[name] = pd.to_datetime(frame[name]).astype("datetime64[us]")
    return frame.set_axis(pd.RangeIndex(2, 2 + len(frame)))


def test_plan_adds_missing_milestones_fills_blank_plans_moves_its_own_and_keeps_typed_ones():
    lines = pd.DataFrame({"po_no": ["PO-1", "PO-2", "PO-3"], "line": ["1", "1", "1"],
                          "due_date": pd.to_datetime(["2027-02-12", "2027-02-14", "2027-02-12"])}, index=[2, 3, 4])
    existing = _milestones([
        ("PO-1", "1", "FABRIC_IN", "2027-01-14", None, "2027-02-12"),   # gendan's (20 WD before), due unchanged
        ("PO-1", "1.0", "CUTTING", "2027-02-04", None, "2027-02-19"),   # gendan's (10 WD before 19 Feb): moved
        ("PO-1", "1", "NOTICE", "2027-01-04", None, "2027-02-19"),      # typed over gendan's: kept
        ("po1", "1", "ex_factory", None, None, None),                   # blank: filled
    ])
    got = plan(lines, ["CN", "BD", "CN"], pd.Series(["T", "T", "NONE"], index=lines.index), TEMPLATE, existing,
               BOOK)
    assert (got.added, got.moved, got.filled, got.kept) == (4, 1, 1, 1)
    ms = got.milestones
    # CUTTING: 10 CN WD before Friday 12 Feb, the 8th and 9th off and Saturday 6 worked: Thursday 28 January
    assert ms["plan_date"].tolist() == [T("2027-01-14"), T("2027-01-28"), T("2027-01-04"), T("2027-02-12")]
    assert ms["planned_from"].tolist() == [T("2027-02-12"), T("2027-02-12"), T("2027-02-19"), T("2027-02-12")]
    assert existing.at[3, "plan_date"] == T("2027-02-04")   # the given frame is not changed
    new = got.new   # PO-2 (BD, due Sunday 14 Feb) gets every milestone of T; PO-3's template has none
    assert new[["po_no", "line", "milestone", "owner"]].values.tolist() == [
        ["PO-2", "1", "FABRIC_IN", "SUPPLIER 供应商"], ["PO-2", "1", "NOTICE", "US 我方"],
        ["PO-2", "1", "CUTTING", "SUPPLIER 供应商"], ["PO-2", "1", "EX_FACTORY", "SUPPLIER 供应商"]]
    # BD working days back from Sunday 14 Feb 2027: 20 -> Sunday 17 Jan, 15 -> Sunday 24 Jan, 10 -> Sunday 31 Jan
    assert new["plan_date"].tolist() == [T("2027-01-17"), T("2027-01-24"), T("2027-01-31"), T("2027-02-14")]
    assert (new["planned_from"] == T("2027-02-14")).all() and new["name"].iloc[0] == "面料到厂 Fabric in-house"


AS_OF = dt.date(2026, 12, 10)   # a Thursday
LINES = pd.DataFrame({"po_no": ["PO-1", "PO-2", "PO-3", "PO-4"], "line": ["1", "1", "1", "1"],
                      "due_date": pd.to_datetime(["2027-01-08", "2026-12-18", "2026-12-18", "2026-11-30"]),
                      "flag": ["ON_TRACK", "AT_RISK", "LATE", "SHIPPED"]}, index=[2, 3, 4, 5])
ROWS = _milestones([
    ("PO-1", "1", "FABRIC_IN", "2026-12-07", "2026-12-09", None),   # 2 WD late, the latest done: pushes the line
    ("PO-1", "1", "NOTICE", "2026-12-08", None, None),               # overdue, not critical
    ("PO-1", "1", "CUTTING", "2026-12-14", None, None),              # 2 WD ahead: due soon
    ("PO-1", "1", "EX_FACTORY", "2027-01-08", None, None),           # 21 WD ahead: later
    ("PO-2", "1", "FABRIC_IN", "2026-12-01", None, None),            # overdue 7 WD, critical: pushes the line
    ("PO-2", "1", "CUTTING", "2026-12-09", "2026-12-09", None),      # done on its plan
    ("PO-2", "1", "EX_FACTORY", "2026-12-18", "2026-12-11", None),   # done after the as-of date: not known then
    ("PO-3", "1", "FABRIC_IN", "2026-12-01", None, None),            # the line is late already: no push
    ("PO-4", "1", "EX_FACTORY", "2026-11-27", "2026-12-01", None),   # left the factory 7 WD ago
    ("PO-4", "1", "CUTTING", None, None, None),                      # no plan
    ("PO-9", "1", "CUTTING", "2026-12-01", None, None),              # no such order line
])


def _evaluate(rows=ROWS):
    return evaluate(rows, LINES, ["CN"] * 4, pd.Series(["T"] * 4, index=LINES.index), TEMPLATE, PLAIN, AS_OF, 5)


def test_every_milestone_gets_its_state_slack_and_why():
    got = _evaluate().rows
    assert got["state"].tolist() == ["DONE_LATE", "OVERDUE", "DUE_SOON", "LATER", "OVERDUE", "DONE", "LATER",
                                    "OVERDUE", "DONE_LATE", "NO_PLAN", "OVERDUE"]
    assert got["slack_wd"].tolist()[:9] == [-2, -2, 2, 21, -7, 0, 6, -7, -2] and np.isnan(got.at[11, "slack_wd"])
    assert got["why"].tolist() == [
        "计划 plan 2026-12-07, 完成 done 2026-12-09: 晚 +2 WD late (CN) → 出厂 ex-factory ≥ 2027-01-06",
        "计划 plan 2026-12-08, 未完成 not done (CN)",
        "计划 plan 2026-12-14 (CN)",
        "计划 plan 2027-01-08 (CN)",
        "计划 plan 2026-12-01, 未完成 not done (CN)",
        "计划 plan 2026-12-09, 完成 done 2026-12-09: 0 WD (CN)",
        "计划 plan 2026-12-18 (CN)",
        "计划 plan 2026-12-01, 未完成 not done (CN)",
        "计划 plan 2026-11-27, 完成 done 2026-12-01: 晚 +2 WD late (CN)",
        "无计划日期 no plan date (gendan plan)",
        "计划 plan 2026-12-01, 未完成 not done (CN); 订单中没有此行 no such order line"]
    assert got["name"].tolist()[:3] == ["面料到厂 Fabric in-house", "通知 Notice", "裁剪 Cutting"]


def test_a_late_critical_milestone_pushes_its_open_line_to_a_later_ex_factory_date():
    lines = _evaluate().lines
    # PO-1: done 9 Dec + 20 WD = Wed 6 Jan, 2 WD before its due date; PO-2: not done at 10 Dec + 20 WD = 7 Jan,
    # 14 WD after its due date; PO-3 is late already and PO-4 shipped: no projection
    assert lines["done"].tolist()[:2] == [T("2027-01-06"), T("2027-01-07")] and lines["done"].iloc[2:].isna().all()
    assert lines["slack_wd"].tolist()[:2] == [2, -14] and lines["late_wd"].tolist()[:2] == [2, 7]
    assert lines.at[2, "why"] == ("面料到厂 FABRIC_IN plan 2026-12-07, done 2026-12-09 (+2 WD) → ex-factory ≥ "
                                  "2027-01-06 ≤ 交期 2027-01-08: 2 WD (CN)")
    assert lines.at[3, "why"] == ("面料到厂 FABRIC_IN plan 2026-12-01, not done at 2026-12-10 (+7 WD) → ex-factory ≥ "
                                  "2027-01-07 > 交期 2026-12-18: -14 WD (CN)")
    assert lines["ex_factory"].tolist()[3] == T("2026-12-01") and lines["ex_factory"].iloc[:3].isna().all()
    assert lines["ex_factory_wd"].iloc[3] == 7   # Tuesday 1 to Thursday 10 December


def test_a_late_milestone_stops_counting_once_a_later_one_is_done():
    caught_up = ROWS.copy()
    caught_up.loc[4, "actual_date"] = T("2026-12-10")   # PO-1 cut on 10 Dec: the factory caught up
    lines = _evaluate(caught_up).lines
    assert pd.isna(lines.at[2, "done"]) and lines.at[3, "done"] == T("2027-01-07")
    assert "→ 出厂 ex-factory" not in _evaluate(caught_up).rows.at[2, "why"]


def test_a_milestone_not_in_its_lines_template_is_refused_naming_its_row():
    wrong = _milestones([("PO-1", "1", "FABRIC_IN", "2026-12-07", None, None),
                         ("PO-1", "1", "SEWING", "2026-12-08", None, None)])
    with pytest.raises(GendanError) as err:
        _evaluate(wrong)
    assert (err.value.sheet, err.value.row, err.value.value) == (schema.MILESTONES.sheet, 3, "SEWING")
    assert "FABRIC_IN, NOTICE, CUTTING, EX_FACTORY" in err.value.expected


def test_combine_takes_the_worse_of_the_etas_flag_and_the_milestones():
    evaluated = pd.DataFrame({"slack_wd": [15.0, 3.0, 9.0, -2.0, 20.0],
                              "flag": ["ON_TRACK", "AT_RISK", "ON_TRACK", "LATE", "ON_TRACK"],
                              "why": ["eta 0", "eta 1", "eta 2", "eta 3", "eta 4"]}, index=[2, 3, 4, 5, 6])
    projection = pd.DataFrame({"slack_wd": [2.0, -14.0, -2.0, -9.0, NAN], "late_wd": [2.0, 7.0, 2.0, 9.0, NAN],
                               "why": ["m 0", "m 1", "m 2", "m 3", None]}, index=[2, 3, 4, 5, 6])
    out = combine(evaluated, projection, at_risk_wd=5, grace_wd=3)
    assert out["flag"].tolist() == ["AT_RISK", "WILL_BE_LATE", "AT_RISK", "LATE", "ON_TRACK"]
    assert out["slack_wd"].tolist() == [2.0, -14.0, -2.0, -2.0, 20.0]
    assert out["why"].tolist() == ["m 0; ETA: eta 0", "m 1; ETA: eta 1",
                                   "m 2 (≤ 3 WD 可追回 may be caught up); ETA: eta 2", "eta 3", "eta 4"]
    calm = combine(evaluated, projection.assign(slack_wd=10.0, late_wd=1.0), at_risk_wd=5)
    assert calm["flag"].tolist() == evaluated["flag"].tolist()   # the milestones say ON_TRACK: nothing worse


def test_a_line_out_of_the_factory_without_a_ship_date_says_so():
    lines = _evaluate().lines
    evaluated = pd.DataFrame({"why": ["a", "b", "c", "d"]}, index=LINES.index)
    ship = pd.Series(pd.NaT, index=LINES.index)
    out = note_unshipped(evaluated, lines, ship, wait_wd=5)
    assert out["why"].tolist() == ["a", "b", "c", "d; 出厂已完成 ex-factory done 2026-12-01, 7 WD 未填出货日期 no ship date yet"]
    assert note_unshipped(evaluated, lines, ship, wait_wd=8) is evaluated                       # 7 WD: not yet
    shipped = ship.copy()
    shipped[5] = T("2026-12-02")
    assert note_unshipped(evaluated, lines, shipped, wait_wd=5) is evaluated

