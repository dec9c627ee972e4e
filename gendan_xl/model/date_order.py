"""The day/month order of a file's dates (``05/12/2026``: 5 December or 12 May), decided per file and
never guessed (pure).

A file's order is the first of:

1. the order given for the run (``--dayfirst`` / ``--monthfirst``);
2. the order its own dates show: a date only one order reads, ``13/12/2026`` (never a two-digit
   year that may be yy/mm/dd, ``26/12/05``: ``importers.columns.OrderEvidence``);
3. the order remembered for its supplier — the one supplier of the lines its rows match — in the
   供应商 Suppliers column 日期顺序 Date order (``load`` has no supplier);
4. none: each date the order would decide is an ``ambiguous_date`` issue row, not applied.

Own dates that contradict the order given, or (none given) the one remembered, stop with a message
naming the date that shows it; nothing is written. The order given, or shown by the file's own
dates, is remembered for its supplier when the file has dates the order decides and the order
differs from what is remembered (a file of several suppliers, or of one the Suppliers table does
not list, remembers nothing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.schema import SUPPLIERS
from gendan_xl.model.values import fold, is_blank

_GAPS = re.compile(r"[\s/._\-]+")


def _key(text: str) -> str:
    """A spelling of an order as spellings are compared: folded, without spaces and separators."""
    return _GAPS.sub("", fold(text))


class DateOrder(Enum):
    """The order of the day and the month in a file's ``a/b/y`` dates. The value is the code; the
    Suppliers cell shows the label (``日/月/年 day/month/year``)."""

    DAY_FIRST = "day_first", "日/月/年", "day/month/year", "--dayfirst", ("dd/mm/yyyy", "dd/mm/yy", "d/m/y", "dmy",
                                                                          "day first", "日/月", "日月年")
    MONTH_FIRST = "month_first", "月/日/年", "month/day/year", "--monthfirst", ("mm/dd/yyyy", "mm/dd/yy", "m/d/y",
                                                                              "mdy", "month first", "月/日", "月日年")

    def __new__(cls, code: str, zh: str, en: str, option: str, spellings: tuple[str, ...]):
        member = object.__new__(cls)
        member._value_ = code
        member.zh, member.en, member.option = zh, en, option
        member.spelled = {_key(s) for s in (code, zh, en, f"{zh} {en}", *spellings)}
        return member

    @property
    def label(self) -> str:
        """``日/月/年 day/month/year``: what the Suppliers cell shows."""
        return f"{self.zh} {self.en}"

    @property
    def dayfirst(self) -> bool:
        return self is DateOrder.DAY_FIRST

    @classmethod
    def of(cls, dayfirst: bool) -> DateOrder:
        return cls.DAY_FIRST if dayfirst else cls.MONTH_FIRST

    @classmethod
    def read(cls, cell) -> DateOrder | None:
        """A Date order cell (its label, either half, the code, ``dd/mm/yyyy`` …) as an order; None when
        blank; ValueError when it names neither order."""
        if is_blank(cell):
            return None
        key = _key(str(cell))
        for order in cls:
            if key in order.spelled:
                return order
        raise ValueError(f"{cell!r} names no date order")


# What decided a file's order (``Decision.by``), in words.
DECIDED_BY = {"given": "指定 given", "file": "文件日期 the file's own dates", "supplier": "记录 remembered for"}


@dataclass(frozen=True)
class Decision:
    """The order a file's dates are read in (None: not known), what decided it (``given``, ``file`` or
    ``supplier``), and whether the file's supplier is to remember it."""

    order: DateOrder | None
    by: str | None
    remember: bool = False


def decide(own: bool | None, dependent: bool, given: bool | None, remembered: DateOrder | None, *,
           supplier: str | None = None, where: dict | None = None, supplier_row: int | None = None) -> Decision:
    """The order of one file (see the module rules). ``own``: the order its dates show; ``dependent``:
    it has dates the order decides; ``given``: the run's option; ``remembered``: its supplier's (named
    ``supplier``, in Suppliers row ``supplier_row``). ``where`` (file, sheet, row, column, value) is the
    date showing ``own``, named when it contradicts the order given or remembered (GendanError)."""
    shown = None if own is None else DateOrder.of(own)
    if given is not None:
        order = DateOrder.of(given)
        if shown is not None and shown is not order:
            raise GendanError(f"文件的日期是{shown.zh}，与 {order.option} 不符 the file's dates are {shown.en}, but "
                              f"{order.option} was given; nothing was written", **(where or {}),
                              expected=f"{shown.option} for this file (or a file whose dates are {order.en})",
                              code=ErrorCode.DATE_ORDER_CONFLICT)
        return Decision(order, "given", dependent and order is not remembered)
    if shown is not None:
        if remembered is not None and shown is not remembered:
            at = f" row {supplier_row}" if supplier_row is not None else ""
            raise GendanError(f"文件的日期是{shown.zh}，但 {SUPPLIERS.sheet} 记录 {supplier} 为{remembered.zh} the file's "
                              f"dates are {shown.en}, but {SUPPLIERS.sheet} remembers {remembered.en} for {supplier}; "
                              "nothing was written", **(where or {}),
                              expected=f"{remembered.en} dates from {supplier}; if its files changed, run again with "
                                       f"{shown.option} (then remembered) or set "
                                       f"{SUPPLIERS.field('date_order').header} in {SUPPLIERS.sheet}{at} to {shown.label}",
                              code=ErrorCode.DATE_ORDER_CONFLICT)
        return Decision(shown, "file", remembered is None)
    if remembered is not None and dependent:
        return Decision(remembered, "supplier")
    return Decision(None, None)
