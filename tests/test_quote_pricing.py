"""The price of a quote (quotes/pricing.py): the issue's worked example, the round trip through the
target price, every bad input, the sea twins and rounding half up."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gendan_xl.model.issues import Reason
from gendan_xl.quotes.pricing import COMPUTED, price_quotes, round_half_up
from gendan_xl.quotes.rates import QuoteDefaults

# purchase ¥45.20 incl. VAT, VAT 13 %, refund 9 %, domestic ¥2.50, profit 8 %, bank fee 0.3 %, USD at 7.05,
# freight $0.40, insurance 0.3 %, commission 3 %, CIF; target CIFC3 $6.50 (rates typed three ways)
EXAMPLE = {"quote_no": "Q-001", "revision": 1, "customer": "Acme", "style": "ST-1", "currency": "USD",
           "incoterm": "CIF", "port": "Hamburg", "purchase_price": 45.2, "vat_rate": "13%", "refund_rate": 9,
           "domestic_cost": 2.5, "freight": 0.4, "insurance_rate": "0.3%", "commission_rate": 0.03,
           "bank_fee_rate": "0.3%", "profit_rate": 0.08, "fx_rate": 7.05, "target_price": 6.5}


def quotes(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame([{**EXAMPLE, **row} for row in rows], index=[f"r{i}" for i in range(len(rows))])


def test_the_worked_example_to_four_decimals():
    priced = price_quotes(quotes({}))
    stored = priced.stored().iloc[0]
    assert {name: stored[name] for name in COMPUTED} == {
        "refund": 3.6, "net_cost": 41.6, "fob": 6.8215, "cfr": 7.2215, "cif": 7.2454, "price": 7.4695,
        "total_cost": 44.2443, "fx_cost": 6.486, "profit_loss_rate": 0.087, "max_purchase_price": 38.616}
    assert priced.customer_prices().iloc[0] == 7.47                   # USD 7.47 CIFC3
    assert round_half_up(np.array([stored["max_purchase_price"]]), 2)[0] == 38.62
    assert stored["why"].startswith("CIFC3 USD 7.4695: FOB 6.8215") and "8.70 %" in stored["why"] \
        and "¥38.6160" in stored["why"] and not priced.problems


def test_the_unrounded_values_are_kept():
    values = price_quotes(quotes({})).values.iloc[0]
    assert values["price"] == pytest.approx(7.469498809174043, rel=1e-12)
    assert values["profit_loss_rate"] == pytest.approx(0.0869565217391, rel=1e-10)   # 2/23


def test_each_incoterm_prices_its_own_net_price_with_commission_added_last():
    priced = price_quotes(quotes({"incoterm": "FOB"}, {"incoterm": "CFR"}, {"incoterm": "CIF"},
                                 {"incoterm": "CIF", "commission_rate": None}))
    v = priced.values
    assert v["price"].tolist() == pytest.approx([6.8215040 / 0.97, 7.2215040 / 0.97, 7.2454138 / 0.97, 7.2454138],
                                                rel=1e-7)
    assert v["fob"].nunique() == 1 and v["total_cost"].nunique() == 1    # margin and cost do not depend on the term
    assert [w.split(" ")[0] for w in v["why"]] == ["FOBC3", "CFRC3", "CIFC3", "CIF"]


def test_fca_cpt_and_cip_are_priced_as_their_sea_twins():
    priced = price_quotes(quotes({"incoterm": "FOB"}, {"incoterm": "FCA"}, {"incoterm": "CFR"}, {"incoterm": "CPT"},
                                 {"incoterm": "CIF"}, {"incoterm": "cip 运费和保险费付至"}))
    v = priced.values[list(COMPUTED)].to_numpy()
    np.testing.assert_array_equal(v[0::2], v[1::2])
    assert priced.inputs["priced_as"].tolist() == ["FOB", "FOB", "CFR", "CFR", "CIF", "CIF"]
    assert "CIP 按 CIF 计价 priced as CIF" in priced.values["why"].iloc[5]


def test_blank_rates_take_the_defaults():
    blank = price_quotes(quotes({"vat_rate": None, "refund_rate": None, "bank_fee_rate": None,
                                 "commission_rate": ""})).values.iloc[0]
    typed = price_quotes(quotes({"vat_rate": 0.13, "refund_rate": 0.13, "bank_fee_rate": 0,
                                 "commission_rate": 0})).values.iloc[0]
    assert blank[list(COMPUTED)].tolist() == typed[list(COMPUTED)].tolist()
    other = price_quotes(quotes({"refund_rate": None}), defaults=QuoteDefaults(refund_rate=0.09)).values.iloc[0]
    assert other["refund"] == pytest.approx(3.6)


# a bad cell: the overrides, the column named, the reason, a fragment of the why
BAD = [
    ({"vat_rate": 1}, "vat_rate", "1", Reason.BAD_RATE, "100 %"),
    ({"refund_rate": "100%"}, "refund_rate", "100%", Reason.BAD_RATE, "100 %"),
    ({"commission_rate": -0.03}, "commission_rate", "-0.03", Reason.BAD_RATE, "100 %"),
    ({"profit_rate": "99%", "bank_fee_rate": "1%"}, "profit_rate", "99%", Reason.BAD_RATE,
     "profit + bank fee rate reach 100 %"),
    ({"purchase_price": -45.2}, "purchase_price", "-45.2", Reason.NEGATIVE_AMOUNT, "must be above 0"),
    ({"purchase_price": 0}, "purchase_price", "0", Reason.NEGATIVE_AMOUNT, "must be above 0"),
    ({"domestic_cost": -1}, "domestic_cost", "-1", Reason.NEGATIVE_AMOUNT, "cannot be negative"),
    ({"freight": -0.4}, "freight", "-0.4", Reason.NEGATIVE_AMOUNT, "cannot be negative"),
    ({"fx_rate": None}, "fx_rate", None, Reason.NO_FX_RATE, "no exchange rate"),
    ({"fx_rate": 705}, "fx_rate", "705", Reason.FX_PER_100, "per 100 units"),
    ({"fx_rate": 0}, "fx_rate", "0", Reason.NEGATIVE_AMOUNT, "must be above 0"),
    ({"insurance_rate": None}, "insurance_rate", None, Reason.MISSING_VALUE, "CIF needs an insurance rate"),
    ({"incoterm": "CIP", "insurance_rate": ""}, "insurance_rate", None, Reason.MISSING_VALUE, "insurance rate"),
    ({"insurance_rate": "95%"}, "insurance_rate", "95%", Reason.BAD_RATE, "insurance rate × 110 %"),
    ({"incoterm": "CFR", "freight": None}, "freight", None, Reason.MISSING_VALUE, "need freight"),
    ({"incoterm": "CIFC3"}, "incoterm", "CIFC3", Reason.UNKNOWN_CODE, "unknown incoterm"),
    ({"incoterm": "DDP"}, "incoterm", "DDP", Reason.UNKNOWN_CODE, "unknown incoterm"),
    ({"incoterm": None}, "incoterm", None, Reason.MISSING_VALUE, "blank"),
    ({"currency": "US$"}, "currency", "US$", Reason.UNKNOWN_CODE, "three-letter code"),
    ({"currency": "  "}, "currency", None, Reason.MISSING_VALUE, "blank"),
    ({"purchase_price": "abc"}, "purchase_price", "abc", Reason.BAD_NUMBER, "number not read"),
    ({"purchase_price": "TBD"}, "purchase_price", "TBD", Reason.MISSING_VALUE, "blank"),
    ({"profit_rate": None}, "profit_rate", None, Reason.MISSING_VALUE, "blank"),
    ({"domestic_cost": None}, "domestic_cost", None, Reason.MISSING_VALUE, "type 0 when there is none"),
    ({"bank_fee_rate": "x%"}, "bank_fee_rate", "x%", Reason.BAD_NUMBER, "rate not read"),
]


@pytest.mark.parametrize(("overrides", "column", "value", "reason", "said"), BAD,
                         ids=[f"{b[1]}={b[0][b[1]]!r}" for b in BAD])
def test_a_bad_cell_leaves_its_row_unpriced_says_why_and_is_a_problem(overrides, column, value, reason, said):
    priced = price_quotes(quotes({}, overrides, {}))
    assert priced.values.loc["r1", list(COMPUTED)].isna().all()
    assert priced.values.loc[["r0", "r2"], list(COMPUTED)].notna().all().all()     # the others are priced
    why = priced.values.at["r1", "why"]
    assert why.startswith("未报价 not priced: ") and said in why and column in why
    assert [(p.row, p.column, p.value, p.reason) for p in priced.problems] == [("r1", column, value, reason)]
    issue = priced.problems[0].issue("master.xlsx", "报价 Quotations", 3, "some header")
    assert (issue.row, issue.column, issue.value, issue.reason, issue.sheet) == \
        (3, "some header", value, reason, "报价 Quotations")


def test_every_bad_cell_of_a_row_is_a_problem_and_its_why_lists_them_all():
    priced = price_quotes(quotes({"fx_rate": 705, "currency": "dollars", "profit_rate": None}))
    assert {p.column for p in priced.problems} == {"fx_rate", "currency", "profit_rate"}
    why = priced.values["why"].iloc[0]
    assert all(column in why for column in ("fx_rate", "currency", "profit_rate"))


def test_a_bad_target_price_blanks_only_the_max_purchase_price():
    priced = price_quotes(quotes({"target_price": -6.5}, {"target_price": "six"}, {"target_price": None}))
    v = priced.values
    assert v["price"].notna().all() and v["max_purchase_price"].isna().all()
    assert [(p.row, p.column, p.reason) for p in priced.problems] == [("r1", "target_price", Reason.BAD_NUMBER),
                                                                      ("r0", "target_price", Reason.NEGATIVE_AMOUNT)]
    assert "target_price -6.5" in v.at["r0", "why"] and v.at["r0", "why"].startswith("CIFC3 USD 7.4695")


def test_a_target_no_purchase_price_reaches_says_so():
    priced = price_quotes(quotes({"target_price": 0.5}))
    assert priced.values["max_purchase_price"].iloc[0] < 0 and "target too low" in priced.values["why"].iloc[0]


@pytest.mark.parametrize(("value", "rounded"), [(7.465, 7.47), (7.4649999, 7.46), (2.675, 2.68), (1.005, 1.01),
                                                (7.4694988, 7.47), (-7.465, -7.47), (0.125, 0.13)])
def test_rounding_is_half_up_not_half_even_nor_float_noise(value, rounded):
    assert round_half_up(np.array([value]), 2)[0] == rounded
    assert round(2.675, 2) == 2.67 and np.round(0.125, 2) == 0.12      # what float rounding would give


def test_rounding_to_four_decimals_and_nan_stays():
    np.testing.assert_array_equal(round_half_up(np.array([7.46949, 6.48600001, np.nan, 0.00005]), 4),
                                  [7.4695, 6.486, np.nan, 0.0001])
    assert round_half_up(np.array([7.465 * 100]), 0)[0] == 747          # 746.4999999999999 is 746.5


def test_no_rows_prices_nothing():
    priced = price_quotes(quotes({}).iloc[:0])
    assert priced.values.empty and priced.stored().empty and not priced.problems



@st.composite
def valid_quotes(draw):
    vat = draw(st.floats(0, 0.2))
    return {"incoterm": draw(st.sampled_from(["FOB", "CFR", "CIF", "FCA", "CPT", "CIP"])),
            "purchase_price": draw(st.floats(0.5, 10_000)), "vat_rate": vat,
            "refund_rate": draw(st.floats(0, 1)) * vat, "domestic_cost": draw(st.floats(0, 100)),
            "freight": draw(st.floats(0, 20)), "insurance_rate": draw(st.floats(0, 0.05)),
            "commission_rate": draw(st.floats(0, 0.2)), "bank_fee_rate": draw(st.floats(0, 0.05)),
            "profit_rate": draw(st.floats(0, 0.5)), "fx_rate": draw(st.floats(0.01, 50))}


@settings(max_examples=300, deadline=None)
@given(st.lists(valid_quotes(), min_size=1, max_size=5))
def test_the_round_trip_from_the_price_back_to_the_purchase_price(rows):
    frame = quotes(*[{**row, "target_price": None} for row in rows])
    priced = price_quotes(frame)
    assert not priced.problems
    back = price_quotes(frame.assign(target_price=priced.values["price"])).values["max_purchase_price"]
    np.testing.assert_allclose(back, frame["purchase_price"], rtol=1e-9)
    stored = price_quotes(frame.assign(target_price=priced.stored()["price"])).values["max_purchase_price"]
    assert (stored - frame["purchase_price"]).abs().max() <= 0.01
