"""The arithmetic of a quote per piece, and the limits of what it takes, on numbers or arrays: the one
implementation that the pricing of 报价 Quotations (``pricing.price_quotes``) and the ``GD_*`` worksheet
functions (``excel/udfs.py``) both use (README, Quotations).

Profit and bank fee are shares of the FOB net price (the price before commission); freight and
insurance pass through without margin; commission is added last on the incoterm's net price.
"""

from __future__ import annotations

import numpy as np

INSURED_SHARE = 1.1      # goods are insured at 110 % of their CIF value
FX_LIMIT = 100           # a rate above this is quoted per 100 units (705 for 7.05)


# ---- the arithmetic ----

def refund_of(purchase_price, vat_rate, refund_rate):
    """出口退税 per piece: the VAT-exclusive purchase price times the refund rate."""
    return purchase_price / (1 + vat_rate) * refund_rate


def fob_net(purchase_price, vat_rate, refund_rate, domestic_cost, profit_rate, bank_fee_rate, fx_rate):
    """The FOB net price in the quote currency."""
    net_cost = purchase_price - refund_of(purchase_price, vat_rate, refund_rate)
    return (net_cost + domestic_cost) / (1 - profit_rate - bank_fee_rate) / fx_rate


def cfr_net(fob, freight):
    """The CFR net price: FOB plus the freight per piece, without margin."""
    return fob + freight


def cif_net(cfr, insurance_rate):
    """The CIF net price from the CFR net price, insured at 110 % of CIF."""
    return cfr / (1 - INSURED_SHARE * insurance_rate)


def with_commission(net_price, commission_rate):
    """The price with commission (含佣价): the net price ÷ (1 − commission)."""
    return net_price / (1 - commission_rate)


def max_purchase(target_price, carries_freight, carries_insurance, freight, insurance_rate, commission_rate,
                 domestic_cost, profit_rate, bank_fee_rate, fx_rate, vat_rate, refund_rate):
    """倒推: the highest purchase price (CNY incl. VAT) that still earns the profit at ``target_price``
    (a price with commission, in the quote's incoterm and currency). Freight and insurance count only
    where ``carries_freight`` / ``carries_insurance``; at or below 0 the target is too low at any price."""
    net = target_price * (1 - commission_rate)
    cfr = np.where(carries_insurance, net * (1 - INSURED_SHARE * np.nan_to_num(insurance_rate)), net)
    fob = np.where(carries_freight, cfr - np.nan_to_num(freight), cfr)
    max_net_cost = fob * fx_rate * (1 - profit_rate - bank_fee_rate) - domestic_cost
    return max_net_cost / (1 - refund_rate / (1 + vat_rate))


# ---- the limits (True where a value cannot be priced; NaN is never outside) ----

def rate_outside(rate):
    """A rate below 0 or at 100 % or more (every rate of a quote is a share below the whole)."""
    return (rate >= 1) | (rate < 0)


def margin_too_high(profit_rate, bank_fee_rate):
    """Profit and bank fee (rates each below 100 %) that reach 100 % together: no FOB price earns them."""
    return (profit_rate + bank_fee_rate >= 1) & (profit_rate < 1) & (bank_fee_rate < 1)


def insurance_too_high(insurance_rate):
    """An insurance rate (below 100 %) whose premium on 110 % of CIF reaches 100 %."""
    return (INSURED_SHARE * insurance_rate >= 1) & (insurance_rate < 1)


def fx_per_100(fx_rate):
    """An exchange rate over ``FX_LIMIT``: quoted per 100 units (705 for 7.05), not CNY per 1 unit."""
    return fx_rate > FX_LIMIT
