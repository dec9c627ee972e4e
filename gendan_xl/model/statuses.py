"""The other coded vocabularies (``flags.Coded``): the status of a reconciliation line, the kinds of
change the weekly report lists, and what a customer is told of a line. No other module spells one of
their codes; each says here which of its members a rule asks for.
"""

from __future__ import annotations

from gendan_xl.model.flags import Coded


class ReconStatus(Coded):
    """The status of a reconciliation (对账) line. A matched pair's is the first difference that
    applies (``QTY_DIFF``, ``PRICE_DIFF``, ``AMOUNT_DIFF``, in member order), else ``MATCHED``; a line
    only one side lists is ``ONLY_OURS`` or ``ONLY_THEIRS``; a repeated statement line ``DUPLICATE``."""

    MATCHED = "MATCHED", "一致", "Matched"
    QTY_DIFF = "QTY_DIFF", "数量不符", "Qty differs"
    PRICE_DIFF = "PRICE_DIFF", "单价不符", "Price differs"
    AMOUNT_DIFF = "AMOUNT_DIFF", "金额不符", "Amount differs"
    ONLY_OURS = "ONLY_OURS", "对方未列", "Only in ours"
    ONLY_THEIRS = "ONLY_THEIRS", "我方未列", "Only in theirs"
    DUPLICATE = "DUPLICATE", "重复", "Duplicate"

    @property
    def is_difference(self) -> bool:
        """A pair whose quantity, price or amount differs."""
        return self in (ReconStatus.QTY_DIFF, ReconStatus.PRICE_DIFF, ReconStatus.AMOUNT_DIFF)

    @property
    def needs_action(self) -> bool:
        """Anything but a match: a difference, or a line only one side lists (a repeat too)."""
        return self is not ReconStatus.MATCHED


DIFFERENCES = tuple(s for s in ReconStatus if s.is_difference)
# The order a person reviews lines in (the 对账 sheet): differences, then lines only one side lists
# (a repeat of a statement line last), then the matched.
REVIEW_ORDER = (*(s for s in ReconStatus if s.needs_action), ReconStatus.MATCHED)


class ChangeKind(Coded):
    """What changed for a line since the last report (reporting/history.py has the rules), in the
    order the 周报 lists them. The words head the report history's columns; ``heading`` heads the
    周报's list of the lines."""

    NEWLY_LATE = "newly_late", "新延误", "Newly late"
    RECOVERED = "recovered", "已恢复", "Recovered"
    REPROMISED = "repromised", "改期", "Repromised", "改期 Repromised (ETA moved)"
    NEW = "new", "新增", "New", "新增 New lines"
    SHIPPED = "shipped", "出货", "Shipped", "新出货 Shipped"

    def __init__(self, code: str, zh: str, en: str, heading: str | None = None):
        super().__init__(code, zh, en)
        self.heading = heading or self.words

    @property
    def moves_the_eta(self) -> bool:
        """The kind whose before and after are ETAs (the others' are flags)."""
        return self is ChangeKind.REPROMISED


class CustomerStatus(Coded):
    """What a customer is told of a line (reporting/customer_report.py maps the flags to it): never
    an internal flag."""

    ON_SCHEDULE = "ON_SCHEDULE", "按期", "On schedule"
    EXPECTED_LATE = "EXPECTED_LATE", "预计延迟", "Expected late"
    OVERDUE = "OVERDUE", "已逾期", "Overdue"
    TO_CONFIRM = "TO_CONFIRM", "交期待确认", "Date to be confirmed"
    SHIPPED = "SHIPPED", "已出货", "Shipped"
