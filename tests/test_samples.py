"""样品 Samples, the register's pure rules on literal frames: the rows read and checked (bad input not
applied), the kind → milestone mapping of the T&A templates, approvals closing milestones (the user's
actual wins), rejections adding the next round in the supplier's calendar, and each round's wait,
state and why. Dates hand-computed in the CN calendar (2026: Mid-Autumn Fri 25 Sep, National Day
1–7 Oct, Sat 10 Oct worked) and the VN one."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from conftest import orders_frame
from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.issues import Reason
from gendan_xl.model.samples import SampleState
from gendan_xl.model.settings import Settings
from gendan_xl.rules.calendar import CalendarBook
from gendan_xl.samples.approvals import KEPT_NOTE, close_milestones, sample_mark
from gendan_xl.samples.mapping import kind_milestones, seeded_kinds
from gendan_xl.samples.register import read_register
from gendan_xl.samples.rounds import next_rounds
from gendan_xl.samples.states import sample_states
from gendan_xl.ta.milestones import seed_templates

AS_OF = dt.date(2026, 11, 26)   # a Thursday
STAMP = dt.datetime(2026, 11, 26, 9, 0)
BOOK = CalendarBook.from_rows(None, range(2026, 2028))
ORDERS = orders_frame([{"po_no": "P100", "line": 1, "style": "ST-1", "color": "NAVY"},
                       {"po_no": "P100", "line": 2, "style": "ST-1", "color": "BLACK"},
                       {"po_no": "P100", "line": 3, "style": "ST-2", "color": "NAVY"},
                       {"po_no": "P200", "line": 1, "style": "ST-9", "color": "RED"}])
LINE_TEMPLATES = pd.Series("APPAREL", index=ORDERS.index)
MAPPING = kind_milestones(seed_templates().set_axis(pd.RangeIndex(2, 2 + len(schema.APPAREL))))


def samples(*records: dict) -> pd.DataFrame:
    """A Samples table as the master's reader gives it: every field, indexed by sheet row from 2."""
    spec = schema.SAMPLES
    frame = pd.DataFrame(list(records), columns=spec.names, index=pd.RangeIndex(2, 2 + len(records)))
    for name in spec.of_kind(schema.DATE):
        frame[name] = pd.to_datetime(frame[name]).astype("datetime64[us]")
    for name in spec.of_kind(schema.INT) + spec.of_kind(schema.NUMBER):
        frame[name] = pd.to_numeric(frame[name]).astype(float)
    return frame.astype({n: object for n in spec.of_kind(schema.TEXT)})


def milestones(*records: tuple) -> pd.DataFrame:
    """Milestones rows (po_no, line, code, actual, source), indexed by sheet row from 2."""
    frame = pd.DataFrame(list(records), columns=["po_no", "line", "milestone", "actual_date", "source"],
                         index=pd.RangeIndex(2, 2 + len(records)))
    return frame.assign(actual_date=pd.to_datetime(frame["actual_date"]).astype("datetime64[us]"))


def cn(n: int) -> np.ndarray:
    return np.full(n, "CN", dtype=object)


# -- the vocabularies and settings ------------------------------------------------------------------

def test_the_sample_settings_default_to_five_working_days_and_are_checked():
    assert (Settings().sample_resubmit_wd, Settings().sample_reply_wd, Settings().sample_turnaround_wd) == (5, 5, 5)
    rows = Settings.rows().set_index("key")
    for key in ("sample_resubmit_wd", "sample_reply_wd", "sample_turnaround_wd"):
        assert "样品" in rows.at[key, "description"] and "Samples" in rows.at[key, "description"]
    frame = pd.DataFrame({"key": ["sample_reply_wd", "sample_resubmit_wd"], "value": ["3", 2.5],
                          "description": ""}, index=[2, 3])
    with pytest.raises(GendanError) as caught:
        Settings.from_frame(frame)
    assert caught.value.row == 3 and "sample_resubmit_wd" in str(caught.value)
    assert Settings.from_frame(frame.iloc[:1]).sample_reply_wd == 3


# -- the kind → milestone mapping -------------------------------------------------------------------

def test_the_seeded_template_maps_the_lab_dip_and_the_pp_sample_to_their_approval_milestones():
    seeded = seed_templates()
    assert dict(zip(seeded["milestone"], seeded["sample_kind"].fillna(""))) == {
        "LAB_DIP_APPROVED": "LAB_DIP 色样", "FABRIC_IN": "", "PP_SAMPLE_APPROVED": "PP 产前样",
        "CUTTING_START": "", "SEWING_START": "", "FINAL_INSPECTION": "", "EX_FACTORY": ""}
    assert MAPPING.values.tolist() == [["APPAREL", "LAB_DIP", "LAB_DIP_APPROVED"],
                                       ["APPAREL", "PP", "PP_SAMPLE_APPROVED"]]


def test_the_mapping_is_read_from_the_column_by_code_label_or_words_and_a_blank_maps_nothing():
    templates = pd.DataFrame({"template": ["apparel", "APPAREL", "KNIT", "KNIT"],
                              "milestone": ["pp_sample_approved", "FIT_OK", "LAB_DIP_APPROVED", "TOP_OK"],
                              "sample_kind": ["pp", "试身样 Fit sample", None, "TOP 船头样"]}, index=[2, 3, 4, 5])
    assert kind_milestones(templates).values.tolist() == [["APPAREL", "PP", "PP_SAMPLE_APPROVED"],
                                                          ["APPAREL", "FIT", "FIT_OK"], ["KNIT", "TOP", "TOP_OK"]]
    assert kind_milestones(templates.drop(columns="sample_kind")).empty   # an older master before the column


@pytest.mark.parametrize("cells, row, words", [(["LAB DIPS", None], 2, "unknown sample kind"),
                                               (["PP", "PP 产前样"], 3, "closes two milestones")])
def test_an_unknown_kind_or_a_kind_on_two_milestones_of_a_template_names_the_row(cells, row, words):
    templates = pd.DataFrame({"template": ["APPAREL", "APPAREL"], "milestone": ["A", "B"], "sample_kind": cells},
                             index=[2, 3])
    with pytest.raises(GendanError) as caught:
        kind_milestones(templates, file="m.xlsx")
    error = caught.value
    assert (error.row, error.column, error.code) == (row, schema.TA_TEMPLATES.header("sample_kind"), ErrorCode.BAD_VALUE)
    assert words in str(error)


def test_an_older_masters_new_column_is_seeded_by_milestone_code_and_a_users_kind_is_kept():
    templates = pd.DataFrame({"template": ["APPAREL", "APPAREL", "KNIT"],
                              "milestone": ["LAB_DIP_APPROVED", "PP_SAMPLE_APPROVED", "PP_SAMPLE_APPROVED"],
                              "sample_kind": [None, None, "SIZE_SET"]}, index=[2, 3, 4])
    assert seeded_kinds(templates).tolist() == ["LAB_DIP 色样", "PP 产前样", "SIZE_SET"]


# -- bad input: issue rows, nothing applied ---------------------------------------------------------

def test_bad_rows_are_issues_naming_sheet_row_column_and_value_and_are_not_applied():
    rows = samples(
        {"sample_no": "S-1", "round": 1, "kind": "LAB DIPS", "po_no": "P100", "line": 1},           # 2 unknown kind
        {"sample_no": "S-2", "round": 1, "kind": "PP", "status": "OK", "po_no": "P100"},            # 3 unknown status
        {"sample_no": "S-3", "round": 1, "kind": "PP", "po_no": "P100", "line": 1, "sent_date": "2026-10-10",
         "status": "APPROVED 批准", "status_date": "2026-10-05"},                                   # 4 before sending
        {"sample_no": "S-4", "round": 1, "kind": "PP", "po_no": "P999"},                            # 5 no such PO
        {"sample_no": "S-5", "round": 1, "kind": "PP", "po_no": "P100", "line": 7},                 # 6 no such line
        {"sample_no": "S-6", "round": 1, "kind": "PP", "po_no": "P100", "style": "ST-7"},           # 7 no such style
        {"sample_no": "S-7", "round": 1, "kind": "PP", "po_no": "P100", "line": 1, "style": "ST-2"},   # 8 other style
        {"sample_no": "S-8", "round": 1, "kind": "FIT", "sent_date": "2026-10-12"},                 # 9
        {"sample_no": "S-8", "round": 2, "kind": "FIT", "sent_date": "2026-10-09"},                 # 10 goes back
        {"sample_no": "S-9", "round": 1, "kind": "PP", "status": "REJECTED"},                       # 11 no date
        {"sample_no": "S-10", "round": 0.5, "kind": None},                                          # 12 round, kind
        {"sample_no": "s 8", "round": 1.0, "kind": "FIT"},                                          # 13 repeats 9
        {"sample_no": "S-11", "round": 1, "kind": "SMS", "sent_date": "2026-10-09", "received_date": "2026-10-08"},
        {"sample_no": "S-12", "round": 1, "kind": "PP", "po_no": "P100", "line": 2, "color": "BLACK"})   # 15 fine
    register = read_register(rows, ORDERS, file="master.xlsx")
    h = schema.SAMPLES.header
    assert [(i.row, i.column, i.value, i.reason) for i in register.issues] == [
        (2, h("kind"), "LAB DIPS", Reason.UNKNOWN_CODE),
        (3, h("status"), "OK", Reason.UNKNOWN_CODE),
        (4, h("status_date"), "2026-10-05", Reason.DATES_OUT_OF_ORDER),
        (5, h("po_no"), "P999", Reason.UNKNOWN_ORDER),
        (6, h("line"), "7", Reason.UNKNOWN_ORDER),
        (7, h("style"), "ST-7", Reason.UNKNOWN_ORDER),
        (8, h("style"), "ST-2", Reason.KEY_MISMATCH),
        (10, h("round"), "2", Reason.ROUND_GOES_BACK),
        (11, h("status_date"), None, Reason.MISSING_VALUE),
        (12, h("round"), "0.5", Reason.BAD_NUMBER),
        (12, h("kind"), None, Reason.MISSING_VALUE),
        (13, h("round"), "1", Reason.DUPLICATE),
        (14, h("received_date"), "2026-10-08", Reason.DATES_OUT_OF_ORDER)]
    assert {i.file for i in register.issues} == {"master.xlsx"} and {i.sheet for i in register.issues} == {"样品 Samples"}
    assert all(i.message.endswith("未应用此行 row not applied") for i in register.issues)
    by_row = {i.row: i.message for i in register.issues}
    assert "approved 2026-10-05, before it was sent 2026-10-10" in by_row[4]
    assert "round 2 is dated 2026-10-09, before an earlier round of the sample (2026-10-12)" in by_row[10]
    assert "the order line's style is ST-1" in by_row[8]
    assert register.bad.tolist() == [True] * 7 + [False, True, True, True, True, True, False]
    assert register.covered.values.tolist() == [[15, 3]]   # only the good row covers a line (P100 / 2)


def test_a_file_rows_issues_name_the_files_sheet_and_row():
    rows = samples({"sample_no": "S-1", "round": 1, "kind": "xx"}).assign(_sheet="Sheet1", _row=[7])
    issue, = read_register(rows, ORDERS, file="factory.xlsx").issues
    assert (issue.file, issue.sheet, issue.row, issue.column) == ("factory.xlsx", "Sheet1", 7, "样品类型 Kind")


def test_a_line_blank_covers_every_line_of_the_po_with_the_style_and_colour_and_no_po_covers_none():
    rows = samples({"sample_no": "S-1", "round": 1, "kind": "PP", "po_no": "p-100", "style": "st1"},
                   {"sample_no": "S-2", "round": 1, "kind": "LAB_DIP", "po_no": "P100", "color": "navy"},
                   {"sample_no": "S-3", "round": 1, "kind": "LAB_DIP", "po_no": "P100", "line": "01"},
                   {"sample_no": "S-4", "round": 1, "kind": "SMS", "style": "ST-NEW"})   # a salesman sample
    register = read_register(rows, ORDERS, file="m.xlsx")
    assert not register.issues
    assert sorted(map(tuple, register.covered.values.tolist())) == [(2, 2), (2, 3), (3, 2), (3, 4), (4, 2)]


# -- approvals close milestones ---------------------------------------------------------------------

APPROVALS = samples(
    {"sample_no": "S-1", "round": 1, "kind": "LAB_DIP", "po_no": "P100", "style": "ST-1", "color": "NAVY",
     "sent_date": "2026-09-21", "status": "REJECTED", "status_date": "2026-09-24"},
    {"sample_no": "S-1", "round": 2, "kind": "LAB_DIP", "po_no": "P100", "style": "ST-1", "color": "NAVY",
     "sent_date": "2026-09-28", "status": "APPROVED", "status_date": "2026-09-30"},
    {"sample_no": "S-2", "round": 1, "kind": "PP", "po_no": "P100", "style": "ST-1", "sent_date": "2026-10-08",
     "status": "APPROVED", "status_date": "2026-10-12"},
    {"sample_no": "S-3", "round": 1, "kind": "LAB_DIP", "po_no": "P100", "line": 2, "sent_date": "2026-09-28",
     "status": "APPROVED", "status_date": "2026-10-09"},
    {"sample_no": "S-4", "round": 1, "kind": "FIT", "po_no": "P100", "line": 3, "status": "APPROVED",
     "status_date": "2026-10-09"})   # no milestone of the template takes a fit sample


def test_an_approval_sets_the_milestones_actual_on_the_lines_it_covers_marked_with_the_round():
    ms = milestones(("P100", 1, "LAB_DIP_APPROVED", None, None), ("P100", 1, "PP_SAMPLE_APPROVED", None, None),
                    ("P100", 2, "PP_SAMPLE_APPROVED", None, None), ("P100", 3, "PP_SAMPLE_APPROVED", None, None),
                    ("P100", 1, "FABRIC_IN", "2026-10-01", None))
    closed = close_milestones(read_register(APPROVALS, ORDERS, file="m.xlsx"), ORDERS, LINE_TEMPLATES, MAPPING, ms,
                              file="m.xlsx", timestamp=STAMP)
    out = closed.milestones
    assert out["actual_date"].dt.strftime("%Y-%m-%d").fillna("").tolist() == [
        "2026-09-30", "2026-10-12", "2026-10-12", "", "2026-10-01"]   # line 3 is style ST-2: not S-2's
    assert out["source"].tolist() == ["样品 sample S-1 / 2", "样品 sample S-2 / 1", "样品 sample S-2 / 1", None, None]
    assert [(c["table"], c["sheet"], c["source_row"], c["order_key"], c["field"], c["old"], c["new"]) for c in
            closed.changes] == [
        ("milestones", "样品 Samples", 3, "P100 / 1", "LAB_DIP_APPROVED 实际日期 Actual date", None, "2026-09-30"),
        ("milestones", "样品 Samples", 4, "P100 / 1", "PP_SAMPLE_APPROVED 实际日期 Actual date", None, "2026-10-12"),
        ("milestones", "样品 Samples", 4, "P100 / 2", "PP_SAMPLE_APPROVED 实际日期 Actual date", None, "2026-10-12")]
    assert (closed.set, closed.kept, closed.cleared) == (3, 0, 0)
    assert ms["actual_date"].isna().sum() == 4   # the frame given is not changed


def test_a_users_actual_wins_and_a_different_approval_date_is_noted():
    ms = milestones(("P100", 2, "LAB_DIP_APPROVED", "2026-10-05", None),          # typed by the user
                    ("P100", 1, "LAB_DIP_APPROVED", "2026-09-30", None))          # the same day: nothing to say
    register = read_register(APPROVALS, ORDERS, file="m.xlsx")
    closed = close_milestones(register, ORDERS, LINE_TEMPLATES, MAPPING, ms, file="m.xlsx", timestamp=STAMP)
    assert closed.milestones["actual_date"].tolist() == ms["actual_date"].tolist()
    assert closed.milestones["source"].isna().all()
    note, = closed.changes
    assert (note["order_key"], note["old"], note["new"]) == ("P100 / 2", "2026-10-05", "2026-10-09")
    assert note["note"] == KEPT_NOTE + "样品 sample S-3 / 1" and (closed.set, closed.kept) == (0, 1)


def test_a_marked_actual_follows_the_register_moved_with_the_approval_and_cleared_when_it_is_withdrawn():
    ms = milestones(("P100", 1, "LAB_DIP_APPROVED", "2026-09-29", "样品 sample S-1 / 2"),   # the approval moved
                    ("P100", 3, "PP_SAMPLE_APPROVED", "2026-10-02", "样品 sample S-9 / 1"),  # S-9 round 1 reopened
                    ("P200", 1, "PP_SAMPLE_APPROVED", "2026-10-02", "样品 sample S-77 / 1"))  # names no row: kept
    rows = pd.concat([APPROVALS.iloc[:2], samples({"sample_no": "S-9", "round": 1, "kind": "PP", "po_no": "P100",
                                                   "line": 3, "status": "RECEIVED", "received_date": "2026-10-01"})
                      .set_axis([4])])
    closed = close_milestones(read_register(rows, ORDERS, file="m.xlsx"), ORDERS, LINE_TEMPLATES, MAPPING, ms,
                              file="m.xlsx", timestamp=STAMP)
    out = closed.milestones
    assert out["actual_date"].dt.strftime("%Y-%m-%d").fillna("").tolist() == ["2026-09-30", "", "2026-10-02"]
    assert out["source"].tolist() == ["样品 sample S-1 / 2", None, "样品 sample S-77 / 1"]
    assert [(c["order_key"], c["old"], c["new"], c["source_row"]) for c in closed.changes] == [
        ("P100 / 1", "2026-09-29", "2026-09-30", 3), ("P100 / 3", "2026-10-02", None, 4)]
    assert (closed.set, closed.cleared) == (1, 1)


def test_the_latest_of_two_approvals_closes_a_lines_milestone_and_a_line_without_the_row_gets_nothing():
    rows = samples({"sample_no": "LD-A", "round": 1, "kind": "LAB_DIP", "po_no": "P100", "line": 1,
                    "status": "APPROVED", "status_date": "2026-10-09"},
                   {"sample_no": "LD-B", "round": 1, "kind": "LAB_DIP", "po_no": "P100", "line": 1,
                    "status": "APPROVED", "status_date": "2026-10-14"},
                   {"sample_no": "LD-C", "round": 1, "kind": "LAB_DIP", "po_no": "P200", "line": 1,
                    "status": "APPROVED", "status_date": "2026-10-14"})
    ms = milestones(("P100", "1.0", "lab_dip_approved", None, None))
    closed = close_milestones(read_register(rows, ORDERS, file="m.xlsx"), ORDERS, LINE_TEMPLATES, MAPPING, ms,
                              file="m.xlsx", timestamp=STAMP)
    assert closed.milestones["source"].tolist() == [sample_mark("LD-B", 1.0)]
    assert closed.milestones["actual_date"].tolist() == [pd.Timestamp("2026-10-14")] and closed.set == 1


def test_a_line_of_a_template_without_the_kind_is_not_closed():
    ms = milestones(("P100", 1, "LAB_DIP_APPROVED", None, None))
    knit = pd.Series(["KNIT", "APPAREL", "APPAREL", "APPAREL"], index=ORDERS.index)   # line 1: another template
    closed = close_milestones(read_register(APPROVALS, ORDERS, file="m.xlsx"), ORDERS, knit, MAPPING, ms,
                              file="m.xlsx", timestamp=STAMP)
    assert closed.milestones["actual_date"].isna().all() and closed.changes == []


# -- rejections add the next round ------------------------------------------------------------------

def test_a_rejected_round_gets_the_next_round_due_after_the_resubmit_working_days_of_the_suppliers_calendar():
    rows = samples(
        {"sample_no": "S-1", "round": 1, "kind": "PP 产前样", "customer": "ACME", "supplier": "Ningbo Knit",
         "po_no": "P100", "style": "ST-1", "color": "NAVY", "size": "M", "qty": 2, "sent_date": "2026-09-21",
         "courier": "DHL", "awb": "0012345", "status": "REJECTED", "status_date": "2026-09-30", "comments": "too dark"},
        {"sample_no": "S-2", "round": 1, "kind": "LAB_DIP", "supplier": "Saigon Sew", "status": "REJECTED",
         "status_date": "2026-09-30"},
        {"sample_no": "S-3", "round": 1, "kind": "FIT", "status": "REJECTED", "status_date": "2026-09-30"},
        {"sample_no": "S-3", "round": 2, "kind": "FIT", "status": "SENT", "sent_date": "2026-10-09"},
        {"sample_no": "S-4", "round": 1, "kind": "FIT", "status": "APPROVED", "status_date": "2026-09-30"},
        {"sample_no": "S-5", "round": 2, "kind": "FIT", "status": "REJECTED", "status_date": "2026-10-30"},
        {"sample_no": "S-5", "round": 1, "kind": "FIT", "status": "REJECTED", "status_date": "2026-10-16"},
        {"sample_no": "S-6", "round": 1, "kind": "nonsense", "status": "REJECTED", "status_date": "2026-09-30"})
    register = read_register(rows, ORDERS, file="m.xlsx")
    countries = np.array(["CN", "VN", "CN", "CN", "CN", "CN", "CN", "CN"], dtype=object)
    new = next_rounds(register, countries, BOOK, Settings().sample_resubmit_wd)
    assert new[["sample_no", "round", "due", "after"]].astype({"due": str}).values.tolist() == [
        ["S-1", 2.0, "2026-10-13", 2],    # CN: 8, 9, 10 (Sat, worked), 12, 13 Oct
        ["S-2", 2.0, "2026-10-07", 3],    # VN: 1, 2, 5, 6, 7 Oct
        ["S-5", 3.0, "2026-11-06", 7]]    # round 2 is the last one rejected
    first = new.iloc[0]
    assert (first["kind"], first["customer"], first["supplier"], first["po_no"], first["style"], first["color"],
            first["size"], first["qty"], first["status"]) == ("PP 产前样", "ACME", "Ningbo Knit", "P100", "ST-1",
                                                              "NAVY", "M", 2, "PENDING 待寄")
    assert {"sent_date", "courier", "awb", "status_date", "comments"}.isdisjoint(new.columns)
    assert rows.loc[2, "status"] == "REJECTED"   # round 1 as it was


# -- wait, state and why ----------------------------------------------------------------------------

def test_each_round_has_its_wait_state_and_why_as_of_the_date():
    rows = samples(
        {"sample_no": "S-1", "round": 1, "kind": "PP", "due": "2026-11-20"},                          # overdue
        {"sample_no": "S-2", "round": 2, "kind": "PP", "status": "RECEIVED", "sent_date": "2026-11-09",
         "received_date": "2026-11-16"},                                                              # waiting
        {"sample_no": "S-3", "round": 1, "kind": "PP", "status": "RECEIVED", "status_date": "2026-11-23"},
        {"sample_no": "S-4", "round": 1, "kind": "PP", "status": "SENT", "sent_date": "2026-11-10"},
        {"sample_no": "S-5", "round": 1, "kind": "LAB_DIP", "sent_date": "2026-11-02", "received_date": "2026-11-05",
         "status": "APPROVED", "status_date": "2026-11-12"},
        {"sample_no": "S-6", "round": 1, "kind": "PP", "due": "2026-12-10"},
        {"sample_no": "S-7", "round": 1, "kind": "TOP", "status": "CANCELLED"},
        {"sample_no": "S-8", "round": 1, "kind": "PP", "status": "REJECTED", "sent_date": "2026-11-02",
         "status_date": "2026-11-06"},
        {"sample_no": "S-9", "round": 1, "kind": "PP", "status": "SENT", "sent_date": "2026-11-30",
         "due": "2026-11-25"},                                                                        # sent later
        {"sample_no": "S-10", "round": 1, "kind": "?"})
    states = sample_states(read_register(rows, ORDERS, file="m.xlsx"), cn(len(rows)), BOOK, AS_OF,
                           Settings().sample_reply_wd)
    assert states["state"].tolist() == [
        SampleState.OVERDUE, SampleState.WAITING, SampleState.OPEN, SampleState.OPEN, SampleState.CLOSED,
        SampleState.OPEN, SampleState.CLOSED, SampleState.CLOSED, SampleState.OVERDUE, SampleState.INVALID]
    assert states["wait_wd"].fillna(-1).tolist() == [-1, 8, 3, 12, 5, -1, -1, 4, -1, -1]
    assert states["why"].tolist()[:8] == [
        "应于 2026-11-20 前寄出 due 2026-11-20, not sent: 4 WD overdue (CN)",
        "客户 2026-11-16 已签收, 8 WD 未批复 received 2026-11-16, no answer for 8 WD (CN)",
        "客户已签收 received 2026-11-23, 3 WD (CN)",
        "已寄 sent 2026-11-10, 客户未签收 not received yet, 12 WD (CN)",
        "批准 approved 2026-11-12, 客户用时 the customer took 5 WD (CN)",
        "待寄 to be sent by 2026-12-10",
        "作废 cancelled",
        "拒绝 rejected 2026-11-06, 客户用时 the customer took 4 WD (CN); 下一轮补寄 the next round is sent again"]
    assert states["why"].iloc[-1].startswith("数据有误 bad input: 未知样品类型 unknown sample kind")


def test_waiting_starts_at_the_reply_working_days():
    rows = samples({"sample_no": "S-1", "round": 1, "kind": "PP", "status": "RECEIVED", "received_date": "2026-11-19"},
                   {"sample_no": "S-2", "round": 1, "kind": "PP", "status": "RECEIVED", "received_date": "2026-11-20"})
    states = sample_states(read_register(rows, ORDERS, file="m.xlsx"), cn(2), BOOK, AS_OF, 5)
    assert states["wait_wd"].tolist() == [5, 4]
    assert states["state"].tolist() == [SampleState.WAITING, SampleState.OPEN]
