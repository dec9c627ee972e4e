"""The coded vocabularies of quoting (``flags.Coded``): the status of a quote revision and the
incoterm a price is quoted in. No other module spells one of their codes; each says here which of its
members a rule asks for."""

from __future__ import annotations

from gendan_xl.model.flags import Coded


class QuoteStatus(Coded):
    """The status of one quote revision (a row of 报价 Quotations)."""

    DRAFT = "DRAFT", "草稿", "Draft"
    SENT = "SENT", "已报", "Sent"
    CONFIRMED = "CONFIRMED", "确认", "Confirmed"
    LOST = "LOST", "未成", "Lost"
    CANCELLED = "CANCELLED", "作废", "Cancelled"

    @property
    def is_frozen(self) -> bool:
        """The customer has it (sent or confirmed): changed values make a new revision, never an edit."""
        return self in (QuoteStatus.SENT, QuoteStatus.CONFIRMED)

    @property
    def may_follow_frozen(self) -> bool:
        """A status a frozen revision may move to (the customer's answer): any but DRAFT, which would
        make it editable again."""
        return self is not QuoteStatus.DRAFT

    @property
    def priced_on_quote_date(self) -> bool:
        """Sent at some time (all but DRAFT): a blank fx rate takes the quote date's rate, so its price
        stays the one the customer was given whatever the rate does later."""
        return self is not QuoteStatus.DRAFT

    @property
    def is_open(self) -> bool:
        """Still being prepared or awaiting the customer's answer: what the rate-moved alert watches."""
        return self in (QuoteStatus.DRAFT, QuoteStatus.SENT)


FROZEN = tuple(s for s in QuoteStatus if s.is_frozen)
OPEN_QUOTES = tuple(s for s in QuoteStatus if s.is_open)


class Incoterm(Coded):
    """The delivery term a price is quoted in. The sea terms are priced by their formula; FCA, CPT
    and CIP are priced as their sea twins FOB, CFR and CIF (``priced_as``)."""

    FOB = "FOB", "船上交货", "Free On Board"
    CFR = "CFR", "成本加运费", "Cost and Freight"
    CIF = "CIF", "成本保险费加运费", "Cost, Insurance and Freight"
    FCA = "FCA", "货交承运人", "Free Carrier", "FOB"
    CPT = "CPT", "运费付至", "Carriage Paid To", "CFR"
    CIP = "CIP", "运费和保险费付至", "Carriage and Insurance Paid To", "CIF"

    def __init__(self, code: str, zh: str, en: str, twin: str | None = None):
        super().__init__(code, zh, en)
        self._twin = twin or code

    @property
    def priced_as(self) -> Incoterm:
        """The sea term whose formula prices it (itself for FOB, CFR and CIF)."""
        return Incoterm(self._twin)

    @property
    def carries_freight(self) -> bool:
        """Its price includes the main carriage (CFR, CIF and their twins)."""
        return self.priced_as in (Incoterm.CFR, Incoterm.CIF)

    @property
    def carries_insurance(self) -> bool:
        """Its price includes insurance (CIF, CIP): an insurance rate is needed."""
        return self.priced_as is Incoterm.CIF

    def quoted(self, commission_rate: float) -> str:
        """The term as a price with commission (含佣价) is quoted: ``CIFC3`` for CIF with 3 %
        commission, ``CIFC2.5`` with 2.5 %; the bare code without commission."""
        return f"{self.value}C{commission_rate * 100:g}" if commission_rate else self.value

class MarginCheck(Coded):
    """What comparing an open order line with its customer's confirmed quote for the style found
    (quotes/erosion.py): margin eroded by the selling price or by the cost, or nothing to compare."""

    PRICE_BELOW = "PRICE_BELOW", "售价低于报价", "Selling price below the quote"
    COST_ABOVE = "COST_ABOVE", "采购价高于报价", "Cost above the quote"
    NOT_COMPARABLE = "NOT_COMPARABLE", "币种不同无法比较", "Not comparable (other currency)"

    @property
    def erodes(self) -> bool:
        """The line earns less than the quote said."""
        return self is not MarginCheck.NOT_COMPARABLE
