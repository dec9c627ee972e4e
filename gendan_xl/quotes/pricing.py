"""The price of every quote, vectorised over the Quotations rows (README, Quotations).

Per piece: profit and bank fee are shares of the FOB net price (the price before commission); freight
and insurance pass through without margin; commission is added last on the incoterm's net price::

    refund           = purchase_price ÷ (1 + vat_rate) × refund_rate
    net_cost         = purchase_price − refund
    fob              = (net_cost + domestic_cost) ÷ (1 − profit_rate − bank_fee_rate) ÷ fx_rate
    cfr              = fob + freight
    cif              = cfr ÷ (1 − 1.1 × insurance_rate)           (insured at 110 % of CIF)
    price            = the incoterm's net price ÷ (1 − commission_rate)
    total_cost (CNY) = net_cost + domestic_cost + bank_fee_rate × fob × fx_rate
    fx_cost          = total_cost ÷ fob
    profit_loss_rate = (fob × fx_rate − total_cost) ÷ total_cost
    max_purchase_price: the same chain backwards from target_price (same incoterm and currency)

The arithmetic and its limits are ``formulas.py`` (the worksheet functions use the same).

A row with bad input is not priced (its computed values NaN), its ``why`` says why in 中文 and English
and each bad cell is a ``QuoteProblem``; a bad target price leaves only ``max_purchase_price`` blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from gendan_xl.model.issues import Reason
from gendan_xl.model.number_cells import parse_number
from gendan_xl.model.trade_terms import Incoterm
from gendan_xl.model.values import display_text, map_distinct
from gendan_xl.quotes.formulas import (FX_LIMIT, cfr_net, cif_net, fob_net, fx_per_100, insurance_too_high,
                                        margin_too_high, max_purchase, rate_outside, refund_of, with_commission)
from gendan_xl.quotes.fx import HOME_CURRENCY, QuoteRates, currency_codes
from gendan_xl.quotes.problems import QuoteProblem
from gendan_xl.quotes.rates import QuoteDefaults, read_rates

COMPUTED = ("refund", "net_cost", "fob", "cfr", "cif", "price", "total_cost", "fx_cost", "profit_loss_rate",
            "max_purchase_price")
STORED_DECIMALS = 4
_RATES = ("vat_rate", "refund_rate", "profit_rate", "bank_fee_rate", "commission_rate", "insurance_rate")
_AMOUNTS = ("purchase_price", "domestic_cost", "freight", "target_price", "fx_rate")


# ---- the quotes ----

@dataclass(frozen=True)
class Priced:
    """The computed columns of the quotes, unrounded (NaN where not priced), with ``why``; the inputs
    as read (fractions, numbers, codes, the fx rate used and where it came from); the problems."""

    values: pd.DataFrame
    inputs: pd.DataFrame
    problems: list[QuoteProblem]

    def stored(self) -> pd.DataFrame:
        """The computed columns as the master stores them: rounded half up to 4 decimals, with ``why``."""
        rounded = {name: round_half_up(self.values[name].to_numpy(), STORED_DECIMALS) for name in COMPUTED}
        return pd.DataFrame({**rounded, "why": self.values["why"]}, index=self.values.index)

    def customer_prices(self, decimals: int = QuoteDefaults.quote_decimals) -> pd.Series:
        """The price the customer sees: the unrounded price rounded half up to ``decimals``."""
        return pd.Series(round_half_up(self.values["price"].to_numpy(), decimals), index=self.values.index)


def round_half_up(values: np.ndarray, decimals: int) -> np.ndarray:
    """``values`` rounded half up (7.465 -> 7.47), in decimal arithmetic: each float is first read as
    its shortest decimal and cut to 9 decimals, so float noise (7.4649999999999999) never decides a
    tie. NaN stays NaN."""
    step, fine = Decimal(1).scaleb(-decimals), Decimal(1).scaleb(-9)

    def one(value: float) -> float:
        if np.isnan(value):
            return value
        return float(Decimal(repr(value)).quantize(fine, ROUND_HALF_UP).quantize(step, ROUND_HALF_UP))

    return map_distinct(np.asarray(values, dtype=float), one, np.nan).astype(float)


def price_quotes(quotes: pd.DataFrame, rates: pd.Series | QuoteRates | None = None,
                 defaults: QuoteDefaults | None = None) -> Priced:
    """Price every quote. ``rates``: what a blank ``fx_rate`` takes (a quote in CNY takes 1) — per
    row (``fx.quote_rates``: the quote date's rate once sent) or today's rate per currency code
    (``fx.todays_rates``); ``defaults``: what blank rates take."""
    defaults = defaults or QuoteDefaults()
    check = _Checks(quotes)
    term = map_distinct(quotes["incoterm"], Incoterm.read, None)
    sea = np.array([t.priced_as.value if t is not None else None for t in term], dtype=object)
    freight_in, insured = np.isin(sea, [t.value for t in Incoterm if t.carries_freight]), \
        np.isin(sea, [t.value for t in Incoterm if t.carries_insurance])
    currency = currency_codes(quotes["currency"])
    check.codes("incoterm", term, f"未知的贸易术语 unknown incoterm (one of {', '.join(Incoterm)})")
    check.codes("currency", currency, "币种须为三个字母的代码 the currency must be a three-letter code (USD)")

    x = {name: check.rate(name, defaults.rate(name)) for name in _RATES}
    x |= {name: check.amount(name) for name in _AMOUNTS}
    if isinstance(rates, pd.Series):
        rates = QuoteRates.per_currency(rates, currency)
    x["fx_rate"], fx_source = check.fx(x["fx_rate"], currency, rates)
    check.required("purchase_price", x["purchase_price"])
    check.required("domestic_cost", x["domestic_cost"], "无费用时填 0 type 0 when there is none")
    check.required("profit_rate", x["profit_rate"])
    check.required("freight", np.where(freight_in, x["freight"], 0.0), "CFR/CIF 须填运费 CFR and CIF need freight")
    check.required("insurance_rate", np.where(insured, x["insurance_rate"], 0.0),
                   "CIF 须填保险费率 CIF needs an insurance rate")
    for name in ("purchase_price", "target_price"):
        check.mark(x[name] <= 0, name, Reason.NEGATIVE_AMOUNT, "须大于 0 must be above 0", target=name != "purchase_price")
    for name in ("domestic_cost", "freight"):
        check.mark(x[name] < 0, name, Reason.NEGATIVE_AMOUNT, "不能为负 cannot be negative")
    check.mark(margin_too_high(x["profit_rate"], x["bank_fee_rate"]), "profit_rate", Reason.BAD_RATE,
               "利润率加银行费率达到 100 % profit + bank fee rate reach 100 %")
    check.mark(insured & insurance_too_high(x["insurance_rate"]), "insurance_rate",
               Reason.BAD_RATE, "保险费率 × 110 % 达到 100 % insurance rate × 110 % reaches 100 %")

    with np.errstate(divide="ignore", invalid="ignore"):
        values = _arithmetic(x, freight_in, insured, sea)
    values.loc[check.bad] = np.nan
    values.loc[check.bad_target, "max_purchase_price"] = np.nan
    values.index = quotes.index
    values["why"] = _why(values, x, term, currency, fx_source, check)
    inputs = pd.DataFrame({"incoterm": [None if t is None else t.value for t in term], "priced_as": sea,
                           "currency": currency, "fx_source": fx_source, **x}, index=quotes.index)
    return Priced(values, inputs, check.problems)


def _arithmetic(x: dict, freight_in, insured, sea) -> pd.DataFrame:
    refund = refund_of(x["purchase_price"], x["vat_rate"], x["refund_rate"])
    net_cost = x["purchase_price"] - refund
    fob = fob_net(x["purchase_price"], x["vat_rate"], x["refund_rate"], x["domestic_cost"], x["profit_rate"],
                  x["bank_fee_rate"], x["fx_rate"])
    cfr = cfr_net(fob, x["freight"])
    cif = cif_net(cfr, x["insurance_rate"])
    net = np.select([insured, freight_in], [cif, cfr], fob)
    total_cost = net_cost + x["domestic_cost"] + x["bank_fee_rate"] * fob * x["fx_rate"]
    return pd.DataFrame({
        "refund": refund, "net_cost": net_cost, "fob": fob, "cfr": cfr, "cif": cif,
        "price": with_commission(net, x["commission_rate"]), "total_cost": total_cost,
        "fx_cost": total_cost / fob, "profit_loss_rate": (fob * x["fx_rate"] - total_cost) / total_cost,
        "max_purchase_price": max_purchase(x["target_price"], freight_in, insured, x["freight"],
                                           x["insurance_rate"], x["commission_rate"], x["domestic_cost"],
                                           x["profit_rate"], x["bank_fee_rate"], x["fx_rate"], x["vat_rate"],
                                           x["refund_rate"])})


class _Checks:
    """Reads the input columns, and collects the bad cells: the problems, the rows not priced, the rows
    whose target price is unusable, and each such row's notes for its ``why``."""

    def __init__(self, quotes: pd.DataFrame):
        self.quotes = quotes
        self.bad = np.zeros(len(quotes), dtype=bool)
        self.bad_target = np.zeros(len(quotes), dtype=bool)
        self.notes: dict[int, list[str]] = {}
        self.problems: list[QuoteProblem] = []
        self.marked: set[tuple[int, str]] = set()

    def mark(self, mask, column: str, reason: Reason, message: str, *, target: bool = False) -> None:
        """Rows where ``mask`` holds: ``column`` is bad for ``reason`` (only the target price's result
        when ``target``)."""
        for pos in np.flatnonzero(mask):
            if (pos, column) in self.marked:
                continue        # one problem per cell: the first reason found
            self.marked.add((pos, column))
            value = display_text(self.quotes[column].iat[pos]) if column in self.quotes else None
            self.problems.append(QuoteProblem(self.quotes.index[pos], column, value, reason,
                                              f"{column}: {message}"))
            self.notes.setdefault(pos, []).append(f"{column} {value or '(blank)'}: {message}")
            (self.bad_target if target else self.bad)[pos] = True

    def codes(self, column: str, read: np.ndarray, message: str) -> None:
        missing = pd.isna(read)
        blank = self.quotes[column].isna().to_numpy() | (self.quotes[column].astype(str).str.strip() == "")
        self.mark(missing & blank, column, Reason.MISSING_VALUE, "未填 blank")
        self.mark(missing & ~blank, column, Reason.UNKNOWN_CODE, message)

    def rate(self, name: str, default: float | None) -> np.ndarray:
        if name not in self.quotes:
            return np.full(len(self.quotes), np.nan if default is None else default)
        rate, unread = read_rates(self.quotes[name], default)
        self.mark(pd.notna(unread), name, Reason.BAD_NUMBER, "比率无法识别 rate not read")
        self.mark(rate_outside(rate), name, Reason.BAD_RATE,
                  "比率须在 0 与 100 % 之间 a rate must be from 0 to below 100 % (1 reads as 100 %; type 1% for one percent)")
        return rate

    def amount(self, name: str) -> np.ndarray:
        if name not in self.quotes:
            return np.full(len(self.quotes), np.nan)

        def one(value):
            try:
                number = parse_number(value)
            except ValueError:
                return np.nan, True
            return (np.nan if number is None else number), False

        pairs = map_distinct(self.quotes[name], one, (np.nan, False))
        self.mark(np.array([p[1] for p in pairs], dtype=bool), name, Reason.BAD_NUMBER,
                  "数字无法识别 number not read", target=name == "target_price")
        return np.array([p[0] for p in pairs], dtype=float)

    def required(self, name: str, values: np.ndarray, hint: str = "") -> None:
        """Blank (or a marker such as TBD) where needed; an unreadable cell has its problem already."""
        self.mark(np.isnan(values), name, Reason.MISSING_VALUE, " ".join(("未填 blank", hint)).strip())

    def fx(self, typed: np.ndarray, currency: np.ndarray, rates: QuoteRates | None) -> tuple[np.ndarray, np.ndarray]:
        """The fx rate of each quote (typed, else its FX Rates rate, CNY 1) and its source: ``typed``,
        ``quote_date`` or ``today`` (FX Rates), ``home``."""
        known = rates.rates if rates is not None else np.full(len(typed), np.nan)
        dated = rates.on_quote_date if rates is not None else np.zeros(len(typed), dtype=bool)
        home = np.where(currency == HOME_CURRENCY, 1.0, np.nan)
        fx = np.where(np.isnan(typed), np.where(np.isnan(known), home, known), typed)
        table = np.where(dated, "quote_date", "today")
        source = np.where(~np.isnan(typed), "typed", np.where(~np.isnan(known), table, "home"))
        has_currency = pd.notna(currency)
        self.mark(np.isnan(fx) & has_currency, "fx_rate", Reason.NO_FX_RATE,
                  "没有汇率: 填汇率或在汇率表中加入该币种 no exchange rate: type one or add the currency to FX Rates")
        self.mark(fx <= 0, "fx_rate", Reason.NEGATIVE_AMOUNT, "汇率须大于 0 the exchange rate must be above 0")
        self.mark(fx_per_100(fx), "fx_rate", Reason.FX_PER_100,
                  f"汇率 {FX_LIMIT} 以上, 像是每 100 单位的报价 over {FX_LIMIT}: looks quoted per 100 units "
                  "(type CNY per 1 unit, 7.05 not 705)")
        return fx, source


_FX_SOURCE = {"today": " 汇率表 from FX Rates", "quote_date": " 报价日汇率表 FX Rates on the quote date"}


def _why(values: pd.DataFrame, x: dict, term, currency, fx_source, check: _Checks) -> np.ndarray:
    """Per row: how the price was made, or why it was not."""
    pct = lambda v: f"{v * 100:.2f} %"            # noqa: E731
    why = []
    for pos, (price, fob, plr, fx_cost, top) in enumerate(zip(
            values["price"], values["fob"], values["profit_loss_rate"], values["fx_cost"],
            values["max_purchase_price"], strict=True)):
        notes = check.notes.get(pos, [])
        if check.bad[pos]:
            why.append("未报价 not priced: " + "; ".join(notes))
            continue
        t, commission = term[pos], x["commission_rate"][pos]
        named = t.quoted(commission)
        twin = f" ({t.value} 按 {t.priced_as.value} 计价 priced as {t.priced_as.value})" if t.priced_as is not t else ""
        fx = f"{x['fx_rate'][pos]:.4f}" + _FX_SOURCE.get(fx_source[pos], "")
        text = (f"{named} {currency[pos]} {price:.4f}{twin}: FOB {fob:.4f} 汇率 at {fx}; 盈亏率 margin {pct(plr)}; "
                f"换汇成本 fx cost {fx_cost:.4f}")
        if not np.isnan(top):
            text += f"; 目标价 target {x['target_price'][pos]:g} → 最高采购价 max purchase ¥{top:.4f}"
            if top <= 0:
                text += " (目标价不够 target too low at any purchase price)"
        why.append("; ".join([text, *notes]))
    return np.array(why, dtype=object)
