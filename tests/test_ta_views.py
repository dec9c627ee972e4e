"""ta/views on literal frames: the milestone rows of open lines with their line, the 进度表 board (one
row per open line, a date and state per milestone), the to-do list by owner, and each line's next
supplier milestone."""

from __future__ import annotations

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.ta.milestones import read_templates
from gendan_xl.ta.views import LINE_FIELDS, TODO_COLUMNS, Todo, board, codes_in_order, joined, names_of, \
    next_milestones, todo

T = pd.Timestamp
TEMPLATES = read_templates(pd.DataFrame([
    ("T", "FABRIC_IN", "面料到厂 Fabric in-house", "SUPPLIER 供应商", 20, "是 yes"),
    ("T", "NOTICE", "通知 Notice", "US 我方", 15, None),
    ("T", "CUTTING", "裁剪 Cutting", "SUPPLIER 供应商", 10, "是 yes"),
    ("T", "EX_FACTORY", "出厂 Ex-factory", "SUPPLIER 供应商", 0, "是 yes"),
    ("K", "LAB_DIP", "色样 Lab dip", "CUSTOMER 客户", 25, None),
    ("K", "CUTTING", "开裁 Cutting", "SUPPLIER 供应商", 12, None),
], columns=schema.TA_TEMPLATES.names[:6], index=range(2, 8), dtype=object))
LINES = pd.DataFrame({"po_no": ["PO-1", "PO-2", "PO-3", "PO-4"], "line": ["1", "1", "1", "1"],
                      "customer": "Maison", "supplier": ["Huamei", "Huamei", "Viet Tex", "Huamei"],
                      "style": ["S1", "S2", "S3", "S4"],
                      "due_date": pd.to_datetime(["2027-01-08", "2026-12-18", "2026-12-01", None]),
                      "flag": ["ON_TRACK", "AT_RISK", "SHIPPED", "NO_DATE"]}, index=[2, 3, 4, 5])
# po, line, code, owner, plan, actual; then the state evaluate gave each row (flag, slack)
MILESTONES = [
    ("PO-1", "1.0", "FABRIC_IN", "SUPPLIER 供应商", "2026-12-07", "2026-12-09", "DONE_LATE", -2),
    ("PO-1", "1", "NOTICE", "US 我方", "2026-12-08", None, "OVERDUE", -2),
    ("PO-1", "1", "CUTTING", "SUPPLIER 供应商", "2026-12-14", None, "DUE_SOON", 2),
    ("PO-2", "1", "FABRIC_IN", "supplier", "2026-12-01", None, "OVERDUE", -7),
    ("PO-2", "1", "CUTTING", "SUPPLIER 供应商", "2026-12-09", "2026-12-09", "DONE", 0),
    ("PO-3", "1", "CUTTING", "SUPPLIER 供应商", "2026-11-20", None, "OVERDUE", -14),   # a shipped line
    ("PO-3", "1", "FABRIC_IN", "SUPPLIER 供应商", "2026-11-25", None, "OVERDUE", -11),  # (plan typed after cutting)
    ("PO-9", "1", "CUTTING", "SUPPLIER 供应商", "2026-12-01", None, "OVERDUE", -7),    # no such line
    ("PO-2", "1", "LAB_DIP", "CUSTOMER 客户", "2026-12-04", None, "OVERDUE", -4),
    ("PO-2", "1", "SEWING", None, "2026-12-07", None, "OVERDUE", -3),                  # no owner: last
]
ROWS = pd.DataFrame([dict(zip(["po_no", "line", "milestone", "owner", "plan_date", "actual_date"], m[:6]))
                     for m in MILESTONES], index=range(2, 2 + len(MILESTONES)), dtype=object)
ROWS["plan_date"], ROWS["actual_date"] = pd.to_datetime(ROWS["plan_date"]), pd.to_datetime(ROWS["actual_date"])
STATES = pd.DataFrame({"name": [m[2].lower() for m in MILESTONES], "state": [m[6] for m in MILESTONES],
                       "slack_wd": [float(m[7]) for m in MILESTONES]}, index=ROWS.index)


def test_milestone_rows_of_open_lines_are_joined_with_their_line():
    rows = joined(LINES, ROWS, STATES)
    assert rows["po_no"].tolist() == ["PO-1", "PO-1", "PO-1", "PO-2", "PO-2", "PO-2", "PO-2"]   # not PO-3, PO-9
    assert rows["line_po_no"].tolist() == rows["po_no"].tolist() and rows["line_style"].tolist()[:4] == [
        "S1", "S1", "S1", "S2"]
    assert rows["code"].tolist()[:3] == ["FABRIC_IN", "NOTICE", "CUTTING"] and rows["state"].iloc[0] == "DONE_LATE"
    assert rows["_key"].nunique() == 2 and set(f"line_{c}" for c in LINE_FIELDS) <= set(rows.columns)


def test_the_board_shows_each_open_line_by_due_date_with_a_date_and_state_per_milestone():
    got = board(joined(LINES, ROWS, STATES), ["FABRIC_IN", "NOTICE", "CUTTING", "EX_FACTORY"])
    assert list(got.columns) == LINE_FIELDS + ["FABRIC_IN", "FABRIC_IN_state", "NOTICE", "NOTICE_state", "CUTTING",
                                              "CUTTING_state", "EX_FACTORY", "EX_FACTORY_state"]
    assert got["po_no"].tolist() == ["PO-2", "PO-1"]   # due 18 Dec before 8 Jan
    po2, po1 = got.to_dict("records")
    # done: the actual date; not done: the plan
    assert (po1["FABRIC_IN"], po1["FABRIC_IN_state"]) == (T("2026-12-09"), "DONE_LATE")
    assert (po1["NOTICE"], po1["NOTICE_state"], po1["CUTTING"], po1["CUTTING_state"]) == (
        T("2026-12-08"), "OVERDUE", T("2026-12-14"), "DUE_SOON")
    assert (po2["FABRIC_IN"], po2["FABRIC_IN_state"], po2["CUTTING"]) == (T("2026-12-01"), "OVERDUE", T("2026-12-09"))
    assert pd.isna(po2["NOTICE"]) and po2["NOTICE_state"] is None and pd.isna(po1["EX_FACTORY"])


def test_the_to_do_list_is_overdue_and_due_soon_milestones_by_owner_then_plan_date():
    rows = joined(LINES, ROWS, STATES)
    got = todo(rows)
    assert list(got.columns) == TODO_COLUMNS
    assert got[["owner", "po_no", "name", "plan_date", "state"]].values.tolist() == [
        ["US 我方", "PO-1", "notice", T("2026-12-08"), "OVERDUE"],                 # us first
        ["supplier", "PO-2", "fabric_in", T("2026-12-01"), "OVERDUE"],             # then the supplier, by plan
        ["SUPPLIER 供应商", "PO-1", "cutting", T("2026-12-14"), "DUE_SOON"],
        ["CUSTOMER 客户", "PO-2", "lab_dip", T("2026-12-04"), "OVERDUE"],          # then the customer
        [None, "PO-2", "sewing", T("2026-12-07"), "OVERDUE"]]                      # no owner: last
    assert Todo(got, 5).counts() == {"OVERDUE": 4, "DUE_SOON": 1}


def test_codes_in_template_order_and_their_names():
    assert codes_in_order(TEMPLATES) == ["LAB_DIP", "FABRIC_IN", "NOTICE", "CUTTING", "EX_FACTORY"]
    assert names_of(TEMPLATES)["FABRIC_IN"] == "面料到厂 Fabric in-house"


def test_each_lines_next_milestone_is_the_suppliers_first_not_done_in_template_order():
    got = next_milestones(LINES, ROWS, TEMPLATES)
    assert got.index.equals(LINES.index)
    # PO-1: fabric done, the notice is ours: cutting; PO-2: cutting done: fabric; PO-3: fabric (20 WD before
    # ex-factory) comes before cutting (10 WD before), whatever their plan dates say
    assert got["next_code"].tolist()[:3] == ["CUTTING", "FABRIC_IN", "FABRIC_IN"]
    assert got["next_name"].tolist()[:2] == ["裁剪 Cutting", "面料到厂 Fabric in-house"]
    assert got["next_plan"].tolist()[:3] == [T("2026-12-14"), T("2026-12-01"), T("2026-11-25")]
    assert got.loc[5].isna().all()   # PO-4 has no milestone rows
