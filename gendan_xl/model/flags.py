"""The flag of an order line, the state of a T&A milestone and its owner: each one coded vocabulary (code, 中文
and English words, label) with the predicates every module asks of it, so no module spells a set of
codes again. ``Coded`` is the shape of every coded vocabulary (statuses.py has the others).

Members are ``StrEnum``s: a member equals its code (``Flag.LATE == "LATE"``), so frames keep plain
codes and compare with members. Rule order (the first rule that applies) is the member order.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class Coded(StrEnum):
    """A code with its 中文 and English words; members equal their code. A vocabulary with more to
    say of a member takes it after the words (its ``__init__`` passes code, zh and en on)."""

    def __new__(cls, code: str, *_):
        member = str.__new__(cls, code)
        member._value_ = code
        return member

    def __init__(self, code: str, zh: str, en: str):
        self.zh, self.en = zh, en

    @property
    def label(self) -> str:
        """``LATE 已延误``: the code and its 中文, as the sheets show it."""
        return f"{self.value} {self.zh}"

    @property
    def words(self) -> str:
        """``已延误 Late``: the code in words."""
        return f"{self.zh} {self.en}"

    @classmethod
    def read(cls, value) -> Self | None:
        """The member a cell names: its code (in any case), label, words or 中文, else the first of its
        words that is a code or a 中文 (``SUPPLIER 供应商``, ``客户``, ``us``); None for anything else
        (a blank, a number, other text)."""
        if not isinstance(value, str):
            return None
        spelled = _SPELLINGS.get(cls) or _SPELLINGS.setdefault(cls, {
            text.casefold(): member for member in reversed(cls) for text in (member.words, member.label, member.zh,
                                                                             member.value)})
        text = value.strip().casefold()
        return spelled.get(text) or next((spelled[word] for word in text.split() if word in spelled), None)


_SPELLINGS: dict[type, dict[str, Coded]] = {}   # per vocabulary, what ``Coded.read`` accepts


class Flag(Coded):
    """Flags in rule order: the first that applies is a line's flag; ON_TRACK when none does."""

    NO_DATE = "NO_DATE", "缺交期", "No due date"
    SHIPPED = "SHIPPED", "已出货", "Shipped"
    SHIPPED_LATE = "SHIPPED_LATE", "延迟出货", "Shipped late"
    LATE = "LATE", "已延误", "Late"
    WILL_BE_LATE = "WILL_BE_LATE", "将延误", "Will be late"
    AT_RISK = "AT_RISK", "有风险", "At risk"
    ON_TRACK = "ON_TRACK", "正常", "On track"

    @property
    def is_shipped(self) -> bool:
        """Shipped in full (on time or late)."""
        return self in (Flag.SHIPPED, Flag.SHIPPED_LATE)

    @property
    def is_open(self) -> bool:
        """Not shipped in full (a line without a due date too)."""
        return not self.is_shipped

    @property
    def is_followed(self) -> bool:
        """Open with a due date: what plans, risk scores and chases are for."""
        return self.is_open and self is not Flag.NO_DATE

    @property
    def is_exception(self) -> bool:
        """Late, going to be late or at risk: what the 周报 lists to act on."""
        return self in (Flag.LATE, Flag.WILL_BE_LATE, Flag.AT_RISK)

    @property
    def is_late(self) -> bool:
        """Late or going to be late."""
        return self in (Flag.LATE, Flag.WILL_BE_LATE)

    @property
    def is_not_yet_late(self) -> bool:
        """Followed and not late yet: a warning (a milestone, the risk model) can still come first."""
        return self.is_followed and self is not Flag.LATE


def flags_where(predicate: str) -> tuple[Flag, ...]:
    """The flags, in rule order, for which the property ``predicate`` holds (for ``Series.isin``)."""
    return tuple(f for f in Flag if getattr(f, predicate))


SHIPPED = flags_where("is_shipped")
OPEN = flags_where("is_open")
FOLLOWED = flags_where("is_followed")
EXCEPTIONS = flags_where("is_exception")
LATE_FLAGS = flags_where("is_late")
NOT_YET_LATE = flags_where("is_not_yet_late")


class MilestoneState(Coded):
    """The state of a T&A milestone row, worst first (the Milestones table's State column)."""

    OVERDUE = "OVERDUE", "已逾期", "overdue"
    DONE_LATE = "DONE_LATE", "延迟完成", "done late"
    DUE_SOON = "DUE_SOON", "即将到期", "due soon"
    LATER = "LATER", "未到期", "later"
    DONE = "DONE", "按时完成", "done on time"
    NO_PLAN = "NO_PLAN", "无计划", "no plan"

    @property
    def is_done(self) -> bool:
        return self in (MilestoneState.DONE, MilestoneState.DONE_LATE)

    @property
    def is_to_do(self) -> bool:
        """Not done, and overdue or due soon: the milestone to-do list."""
        return self in (MilestoneState.OVERDUE, MilestoneState.DUE_SOON)


TO_DO = tuple(s for s in MilestoneState if s.is_to_do)
DONE_STATES = tuple(s for s in MilestoneState if s.is_done)


class Owner(Coded):
    """Who owns a T&A milestone (its date is theirs to give), in the order the to-do list groups them."""

    US = "US", "我方", "us"
    SUPPLIER = "SUPPLIER", "供应商", "supplier"
    CUSTOMER = "CUSTOMER", "客户", "customer"
