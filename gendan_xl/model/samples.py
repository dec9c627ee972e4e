"""The coded vocabularies of the 样品 Samples register (``flags.Coded``): the kind of a sample, the
status of one round, and the state gendan gives it. No other module spells one of their codes; each
says here which of its members a rule asks for."""

from __future__ import annotations

from gendan_xl.model.flags import Coded


class SampleKind(Coded):
    """What a sample is for, in the order a garment order usually needs them."""

    LAB_DIP = "LAB_DIP", "色样", "Lab dip"
    PROTO = "PROTO", "初样", "Proto sample"
    FIT = "FIT", "试身样", "Fit sample"
    SIZE_SET = "SIZE_SET", "齐码样", "Size set"
    PP = "PP", "产前样", "PP sample"
    TOP = "TOP", "船头样", "TOP sample"
    SHIPMENT = "SHIPMENT", "船样", "Shipment sample"
    SMS = "SMS", "销售样", "Salesman sample"
    PHOTO = "PHOTO", "拍照样", "Photo sample"


class SampleStatus(Coded):
    """The status of one round of a sample (a row of 样品 Samples); a blank status is PENDING."""

    PENDING = "PENDING", "待寄", "Pending"
    SENT = "SENT", "已寄", "Sent"
    RECEIVED = "RECEIVED", "已收", "Received"
    APPROVED = "APPROVED", "批准", "Approved"
    REJECTED = "REJECTED", "拒绝", "Rejected"
    CANCELLED = "CANCELLED", "作废", "Cancelled"

    @property
    def is_answer(self) -> bool:
        """The customer's answer: it needs its date (``status_date``) and comes after sending."""
        return self in (SampleStatus.APPROVED, SampleStatus.REJECTED)

    @property
    def is_open(self) -> bool:
        """Not answered and not cancelled: to be sent, on its way, or with the customer."""
        return self in (SampleStatus.PENDING, SampleStatus.SENT, SampleStatus.RECEIVED)


ANSWERS = tuple(s for s in SampleStatus if s.is_answer)
OPEN_SAMPLES = tuple(s for s in SampleStatus if s.is_open)


class SampleState(Coded):
    """The state of a sample round (the Samples table's State column), worst first: the first that
    applies is a row's state."""

    INVALID = "INVALID", "数据有误", "bad input, not applied"
    OVERDUE = "OVERDUE", "逾期未寄", "not sent by its due date"
    WAITING = "WAITING", "待客户批复", "waiting for the customer's answer"
    OPEN = "OPEN", "进行中", "open"
    CLOSED = "CLOSED", "已结束", "closed"

    @property
    def is_to_do(self) -> bool:
        """Someone must be chased: the supplier for an overdue sample, the customer for an answer."""
        return self in (SampleState.OVERDUE, SampleState.WAITING)
