"""The other coded vocabularies (``flags.Coded``): the status of a reconciliation line, the kinds of
change the weekly report lists, what a customer is told of a line, and what keeps the ribbon from
running on a PC (``gendan excel check``). No other module spells one of
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


class ExcelProblem(Coded):
    """What keeps the ribbon of a master from running on this PC (``gendan excel check`` finds them):
    the workbook's own (its VBA, its ``xlwings.conf`` sheet), mended by a command on the workbook, or
    this PC's setup, mended by ``gendan excel setup``."""

    NO_MACROS = "NO_MACROS", "工作簿没有宏和功能区", "the workbook has no macros and no ribbon"
    OTHER_XLWINGS = "OTHER_XLWINGS", "工作簿的 VBA 是为另一版本的 xlwings 写的", \
        "the workbook's VBA was written for another xlwings version than the one installed"
    OTHER_GENDAN = "OTHER_GENDAN", "工作簿的 VBA 由另一版本的 gendan 写入", \
        "the workbook's VBA was written by another gendan version than the one installed"
    MACHINE_PATH = "MACHINE_PATH", "xlwings.conf 表中有某台电脑的路径", \
        "the xlwings.conf sheet names a path of one PC"
    NOT_SET_UP = "NOT_SET_UP", "本电脑没有为 gendan 设置 Python", "this PC has no Python set up for gendan"
    NO_INTERPRETER = "NO_INTERPRETER", "设置的 Python 不存在", "the Python set up for gendan is not there"
    NO_GENDAN = "NO_GENDAN", "设置的 Python 无法导入 gendan_xl", "the Python set up cannot import gendan_xl"
    OTHER_ENVIRONMENT = "OTHER_ENVIRONMENT", "设置的 Python 与本环境的 xlwings 版本不同", \
        "the Python set up has another xlwings version than this environment"

    @property
    def of_the_workbook(self) -> bool:
        """A problem of the workbook (mended there), not of this PC's setup."""
        return self in (ExcelProblem.NO_MACROS, ExcelProblem.OTHER_XLWINGS, ExcelProblem.OTHER_GENDAN,
                        ExcelProblem.MACHINE_PATH)


class Allocation(Coded):
    """How a customer takes a short shipment (the 客户 Customers table's ``allocation``): in parts, or
    only the whole order at once."""

    PARTIAL = "PARTIAL", "可分批", "Partial shipments"
    ALL_OR_NOTHING = "ALL_OR_NOTHING", "整批出货", "All or nothing"
