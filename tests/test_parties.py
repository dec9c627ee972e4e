"""A party named by the user: any spelling of one of its names resolves it, a part of a name never."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from gendan_xl.demo.build import demo_frames
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.rules.parties import resolve_party
from gendan_xl.rules.reconcile import our_lines

HUAMEI = "宁波华美服饰有限公司 Ningbo Huamei Garments"


@pytest.fixture(scope="module")
def suppliers() -> pd.DataFrame:
    frame, _ = demo_frames(1, seed=1, as_of=dt.date(2026, 11, 26))
    return frame


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    """Two customers whose names start alike, and Huamei's lines under its alias and under its name."""
    return pd.DataFrame({
        "po_no": ["PO-1", "PO-2", "PO-3", "PO-4", "PO-5"],
        "customer": ["Maison Lumière SARL", "Maison Lumière SARL", "Maison Rouge SA", "Sakura Trading KK",
                     "Maison Lumière SARL"],
        "supplier": ["华美", HUAMEI, "Dhaka Knitwear Ltd", "Dhaka Knitwear Ltd", "Dhaka Knitwear Ltd"],
        "qty": [10, 20, 30, 40, 50], "unit_price": [1.0] * 5, "cost_price": [0.5] * 5,
        "ship_date": pd.to_datetime(["2026-10-05"] * 5)}, index=[2, 3, 4, 5, 6])


@pytest.mark.parametrize("typed", ["Maison Lumiere SARL", "maison lumière  sarl", "MAISON LUMIÈRE, S.A.R.L.",
                                   "ＭＡＩＳＯＮ　ＬＵＭＩＥＲＥ ＳＡＲＬ"])
def test_a_customer_resolves_by_its_name_whatever_the_accents_case_width_punctuation_and_spacing(
        orders, suppliers, typed):
    party = resolve_party(orders, suppliers, typed)
    assert (party.name, party.side) == ("Maison Lumière SARL", "customer")
    lines = our_lines(orders, party.name, "2026-10", party.side, aliases=party.names)
    assert list(lines["_row"]) == [2, 3, 6]          # Maison Rouge's line never leaks in
    customer = resolve_party(orders, suppliers, "SAKURA TRADING KK", side="customer")
    assert customer.name == "Sakura Trading KK"


@pytest.mark.parametrize("typed", ["华美", "huamei", "nbhm", "宁波华美服饰有限公司  NINGBO HUAMEI GARMENTS."])
def test_a_supplier_alias_code_or_name_resolves_to_its_full_name_from_the_suppliers_table(orders, suppliers, typed):
    party = resolve_party(orders, suppliers, typed)
    assert (party.name, party.side) == (HUAMEI, "supplier")
    lines = our_lines(orders, party.name, "2026-10", party.side, aliases=party.names)
    assert list(lines["_row"]) == [2, 3]


@pytest.mark.parametrize("typed, side, closest", [
    ("maison", None, ["Maison Lumière SARL", "Maison Rouge SA"]),
    ("Lumière", "customer", ["Maison Lumière SARL"]),
    ("华", "supplier", ["华美"]),
    ("Huamei Garments", None, [HUAMEI]),
])
def test_a_part_of_a_name_resolves_nothing_and_lists_the_closest_names(orders, suppliers, typed, side, closest):
    with pytest.raises(GendanError) as err:
        resolve_party(orders, suppliers, typed, side)
    assert err.value.code is ErrorCode.UNKNOWN_PARTY and err.value.value == typed
    listed = err.value.expected.split("the closest: ")[1].split(", ")
    assert set(closest) <= set(listed)


def test_a_party_only_on_our_order_lines_is_shown_as_most_lines_spell_it(suppliers):
    orders = pd.DataFrame({"customer": ["Nordic Home AB", "NORDIC HOME AB", "Nordic Home AB", None],
                           "supplier": ["Far East Knit", "far-east knit", "Far East Knit", "Far East Knit"]})
    assert resolve_party(orders, suppliers, "nordic home a.b.").name == "Nordic Home AB"
    party = resolve_party(orders, suppliers, "FAR EAST KNIT")
    assert (party.name, party.side) == ("Far East Knit", "supplier")
