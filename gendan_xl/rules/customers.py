"""Customers: the 客户 Customers row a customer name typed anywhere names, and the table an older
master gets from its order lines.

A name names a customer when it equals, as ``values.party_key`` compares names (case, accents,
width, punctuation and spacing ignored), its name or one of its aliases (a cell listing several,
separated by ; or ,). A part of a name (``acme`` for ``ACME Trading``) names no one.
"""

from __future__ import annotations

import re

import pandas as pd

from gendan_xl.model.values import is_blank, party_key

_ALIAS_SEPARATORS = r"[;,；，]"


def customer_names(name, aliases) -> list[str]:
    """A Customers row's name and its aliases, as written (blank ones left out)."""
    listed = re.split(_ALIAS_SEPARATORS, aliases) if isinstance(aliases, str) else []
    return [str(n).strip() for n in (name, *listed) if party_key(n)]


def customer_lookup(customers: pd.DataFrame) -> dict[str, object]:
    """Every name and alias (``party_key``) of the Customers table -> its row (index); the first row
    naming a name keeps it."""
    lookup: dict[str, object] = {}
    for row, name, aliases in zip(customers.index, customers["name"], customers["aliases"]):
        for spelling in customer_names(name, aliases):
            lookup.setdefault(party_key(spelling), row)
    return lookup


def customer_row(customers: pd.DataFrame, name):
    """The Customers row (its index) ``name`` names by its name or an alias; None when none does."""
    key = party_key(name)
    return customer_lookup(customers).get(key) if key else None


def customer_rows(customers: pd.DataFrame, names: pd.Series) -> pd.Series:
    """The Customers row each of ``names`` names (None where none does), e.g. every order line's customer."""
    lookup = customer_lookup(customers)
    return pd.Series([lookup.get(party_key(n)) for n in names], index=names.index, dtype=object)


def customer_keys(customers: pd.DataFrame | None, names: pd.Series) -> pd.Series:
    """One key per customer for each of ``names``: its Customers row when a name or alias names one
    (so ``Nordic Home`` and its alias ``NH`` are one customer), else the name itself as ``party_key``
    compares names ('' for a blank)."""
    rows = customer_rows(customers, names) if customers is not None else [None] * len(names)
    return pd.Series([f"#{row}" if row is not None else party_key(name) for row, name in zip(rows, names)],
                     index=names.index, dtype=object)


def same_customer(customers: pd.DataFrame | None, names: pd.Series, customer) -> pd.Series | None:
    """True for each of ``names`` naming the Customers row ``customer`` names (by its name or an
    alias); None when ``customer`` names no row (or there is no table)."""
    row = customer_row(customers, customer) if customers is not None else None
    return None if row is None else (customer_keys(customers, names) == f"#{row}").astype(bool)


def customers_of_orders(order_customers: pd.Series) -> pd.DataFrame:
    """The customers of our order lines, one row per name (names ``party_key`` makes equal are one
    customer, shown by the spelling most lines use, the first in sort order when several are as common),
    in the order their names sort: the rows an older master's new Customers table starts with."""
    named = order_customers[~order_customers.map(is_blank)].astype(str).str.strip()
    if named.empty:
        return pd.DataFrame({"name": pd.Series([], dtype=object)})
    spelt = pd.DataFrame({"key": named.map(party_key).to_numpy(), "name": named.to_numpy()})
    counts = spelt.groupby(["key", "name"]).size().rename("n").reset_index()
    best = counts.sort_values(["key", "n", "name"], ascending=[True, False, True]).drop_duplicates("key")
    return pd.DataFrame({"name": sorted(best["name"])})
