"""The coded vocabularies of 出运 Shipments (``flags.Coded``): a shipment's status, its mode of
transport, and the state gendan gives it. No other module spells one of their codes; each says here
which of its members a rule asks for."""

from __future__ import annotations

from gendan_xl.model.flags import Coded


class ShipmentStatus(Coded):
    """Where a shipment is, from booking to arrival (a row of 出运 Shipments); a blank status is PLANNED."""

    PLANNED = "PLANNED", "计划", "Planned"
    BOOKED = "BOOKED", "已订舱", "Booked"
    STUFFED = "STUFFED", "已装柜", "Stuffed"
    SAILED = "SAILED", "已开船", "Sailed"
    ARRIVED = "ARRIVED", "已到港", "Arrived"
    CANCELLED = "CANCELLED", "作废", "Cancelled"

    @property
    def has_sailed(self) -> bool:
        """The goods have left: without an actual departure date, the ETD dates the departure."""
        return self in (ShipmentStatus.SAILED, ShipmentStatus.ARRIVED)


SAILED = tuple(s for s in ShipmentStatus if s.has_sailed)


class ShipMode(Coded):
    """How a shipment travels."""

    SEA = "SEA", "海运", "Sea"
    AIR = "AIR", "空运", "Air"


class ShipmentState(Coded):
    """The state of a shipment (the Shipments table's State column), worst first: the first that
    applies is a shipment's state."""

    INVALID = "INVALID", "数据有误", "bad input, not applied"
    FLAGGED = "FLAGGED", "需处理", "needs action before it sails"
    OK = "OK", "正常", "on track"
    CLOSED = "CLOSED", "已结束", "shipped or cancelled"

    @property
    def is_to_do(self) -> bool:
        """Someone must act: bad input to correct, or a problem to solve before it sails."""
        return self in (ShipmentState.INVALID, ShipmentState.FLAGGED)


class DocumentCheck(Coded):
    """The cross-document checks of a shipment's documents (shipments/checks.py), in the order they
    are reported; each passes or fails as a whole, its message naming the lines and values."""

    QTY_MATCH = "QTY_MATCH", "数量一致", "invoice, packing list and shipment lines agree on each line's qty"
    CARTON_RANGES = "CARTON_RANGES", "箱号", "cartons = carton to - carton from + 1, ranges not overlapping"
    WEIGHTS = "WEIGHTS", "重量", "GW at least NW, NW above 0"
    TOTALS = "TOTALS", "合计", "each document's totals agree with its lines"
    HS_ORIGIN = "HS_ORIGIN", "商品编号与原产国", "a 10-digit HS code and an origin on every line"
    WITHIN_ORDER = "WITHIN_ORDER", "不超订单数量", "shipped qty within the order qty and ship_tolerance_pct"
    ONE_CUSTOMER_CURRENCY = "ONE_CUSTOMER_CURRENCY", "同一客户同一币种", "one customer and one currency per invoice"
    INCOTERM_CHARGES = "INCOTERM_CHARGES", "贸易术语与运保费", "freight and insurance as the incoterm wants them"
    INVOICE_AMOUNT = "INVOICE_AMOUNT", "发票金额", "invoice amount = sum of qty x unit price"
