"""The flag, milestone-state and owner vocabularies (gendan_xl/model/flags.py): one home for the codes, their
words and the sets every module asks for (test_vocabularies.py: no other module spells one of their codes)."""

from __future__ import annotations

import pandas as pd

from gendan_xl.model.flags import (EXCEPTIONS, FOLLOWED, LATE_FLAGS, NOT_YET_LATE, OPEN, SHIPPED, TO_DO, Flag, MilestoneState,
                             Owner)


def test_a_flag_is_its_code_with_words_and_a_label():
    assert Flag.LATE == "LATE" and str(Flag.LATE) == "LATE" and f"{Flag.LATE}" == "LATE"
    assert Flag.LATE.label == "LATE 已延误" and Flag("LATE").label == "LATE 已延误"
    assert Flag.WILL_BE_LATE.words == "将延误 Will be late"
    assert Flag.read("AT_RISK 有风险") is Flag.AT_RISK and Flag.read("nonsense") is None and Flag.read(None) is None
    assert [f.value for f in Flag] == ["NO_DATE", "SHIPPED", "SHIPPED_LATE", "LATE", "WILL_BE_LATE", "AT_RISK",
                                       "ON_TRACK"]   # rule order, the last applying when none does
    assert list(Flag)[-1] is Flag.ON_TRACK


def test_the_sets_every_module_asks_for():
    assert SHIPPED == (Flag.SHIPPED, Flag.SHIPPED_LATE)
    assert OPEN == (Flag.NO_DATE, Flag.LATE, Flag.WILL_BE_LATE, Flag.AT_RISK, Flag.ON_TRACK)
    # what is planned, scored and chased: open with a due date (chase.py spelled it "not shipped, not
    # NO_DATE", plan/risk/ta_views "LATE … ON_TRACK": one set now)
    assert FOLLOWED == (Flag.LATE, Flag.WILL_BE_LATE, Flag.AT_RISK, Flag.ON_TRACK)
    # what a milestone or the risk model may still warn of: followed and not late yet (milestones.py
    # and report.py; a LATE line is late already, nothing makes it later)
    assert NOT_YET_LATE == (Flag.WILL_BE_LATE, Flag.AT_RISK, Flag.ON_TRACK)
    assert EXCEPTIONS == (Flag.LATE, Flag.WILL_BE_LATE, Flag.AT_RISK)
    assert LATE_FLAGS == (Flag.LATE, Flag.WILL_BE_LATE)
    assert all(f.is_open != f.is_shipped for f in Flag)


def test_frames_of_plain_codes_compare_with_the_members():
    flags = pd.Series(["LATE", "SHIPPED", "NO_DATE", None], dtype=object)
    assert flags.isin(SHIPPED).tolist() == [False, True, False, False]
    assert flags.isin(FOLLOWED).tolist() == [True, False, False, False]
    assert (flags == Flag.LATE).tolist() == [True, False, False, False]


def test_a_milestone_state_is_its_code_with_words():
    assert MilestoneState.OVERDUE.label == "OVERDUE 已逾期" and MilestoneState.read("OVERDUE 已逾期").is_to_do
    assert MilestoneState.DUE_SOON.words == "即将到期 due soon"
    assert TO_DO == (MilestoneState.OVERDUE, MilestoneState.DUE_SOON)
    assert [s.value for s in MilestoneState] == ["OVERDUE", "DONE_LATE", "DUE_SOON", "LATER", "DONE",
                                                 "NO_PLAN"]   # worst first


def test_an_owner_is_read_from_its_code_or_its_words():
    assert Owner.read("SUPPLIER 供应商") is Owner.SUPPLIER and Owner.read("客户") is Owner.CUSTOMER
    assert Owner.read("us") is Owner.US and Owner.read("factory") is None
    assert [o.label for o in Owner] == ["US 我方", "SUPPLIER 供应商", "CUSTOMER 客户"]
