"""Parties: resolve the supplier named on an order line to its Suppliers-table row and country, and
resolve a party named by the user to one of ours.

A name the user types names a party when it equals, as ``values.party_key`` compares names (case,
accents, width, punctuation and spacing ignored), one of its names: for a supplier its code, name or
an alias in the Suppliers table, or its spelling on our order lines; for a customer its spelling on
our order lines. A part of a name (``maison``) names no one: the error lists the closest names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz, process

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.values import display_text, is_blank, map_distinct, party_key

_CLOSEST = 5


def _names(rec) -> list[str]:
    """A Suppliers-table row's code, name and aliases (separated by , ; / | ，；)."""
    aliases = rec.aliases if isinstance(rec.aliases, str) else ""
    return [str(n).strip() for n in (rec.code, rec.name, *re.split(r"[,;|/，；]", aliases)) if party_key(n)]


def supplier_countries(order_suppliers: pd.Series, suppliers: pd.DataFrame, default: str) -> pd.Series:
    """The calendar country for every order line: the supplier's country, else ``default``.

    A supplier is recognised by its code, its name or any of its aliases (separated by , ; / or |).
    """
    return supplier_values(order_suppliers, suppliers, "country", default)


def supplier_values(order_suppliers: pd.Series, suppliers: pd.DataFrame, column: str, default: str) -> pd.Series:
    """A Suppliers-table column (upper-cased) for every order line's supplier, ``default`` where the
    supplier is unknown or the cell blank (see ``supplier_countries``)."""
    lookup: dict[str, str] = {}
    for rec in suppliers.itertuples(index=False):
        value = getattr(rec, column, None)
        value = (value.strip().upper() if isinstance(value, str) else "") or default
        for name in _names(rec):
            key = party_key(name)
            if key:
                lookup.setdefault(key, value)
    return pd.Series(map_distinct(order_suppliers, lambda name: lookup.get(party_key(name), default), default),
                     index=order_suppliers.index, dtype=object)


def supplier_detail(suppliers: pd.DataFrame, party: str, column: str) -> str | None:
    """A Suppliers-table cell (as written, stripped) of the first row naming ``party`` by its code,
    name or an alias; None when no row names it or the cell is blank."""
    wanted = party_key(party)
    for rec in suppliers.itertuples(index=False):
        if wanted in {party_key(n) for n in _names(rec)}:
            return display_text(getattr(rec, column, None)) or None
    return None


def supplier_row(order_suppliers: pd.Series, suppliers: pd.DataFrame):
    """The Suppliers-table row (its index) that every non-blank name of ``order_suppliers`` names
    (by code, name or alias); None when they name none or more than one (a name the table does not
    list counts as another)."""
    lookup: dict[str, object] = {}
    for row, rec in zip(suppliers.index, suppliers.itertuples(index=False)):
        for name in _names(rec):
            lookup.setdefault(party_key(name), row)
    rows = {lookup.get(party_key(name)) for name in order_suppliers.dropna().unique() if party_key(name)}
    return rows.pop() if len(rows) == 1 and None not in rows else None


def supplier_rows(suppliers: pd.DataFrame, column: str) -> dict[str, tuple[int, str]]:
    """Each non-blank value of a Suppliers-table column (upper-cased) with the first Excel row giving it."""
    out: dict[str, tuple[int, str]] = {}
    for row, value in zip(suppliers.index, suppliers.get(column, pd.Series(dtype=object))):
        if isinstance(value, str) and value.strip():
            out.setdefault(value.strip().upper(), (int(row), value))
    return out


def party_names(suppliers: pd.DataFrame, party: str) -> set[str]:
    """Every name of ``party`` in the Suppliers table (code, name, aliases), or just ``party``.

    ``party`` may itself be a code, a name or an alias, in any spelling ``party_key`` makes equal.
    """
    wanted = party_key(party)
    names = {party}
    for rec in suppliers.itertuples(index=False):
        spellings = _names(rec)
        if wanted in {party_key(s) for s in spellings}:
            names.update(spellings)
    return names


def infer_side(orders: pd.DataFrame, suppliers: pd.DataFrame, party: str) -> str:
    """``supplier`` when ``party`` is one of our suppliers (Suppliers table or order lines),
    ``customer`` when it is a customer of our order lines, else ``supplier``."""
    names = {party_key(n) for n in party_names(suppliers, party)}
    if orders["supplier"].map(party_key).isin(names).any():
        return "supplier"
    if orders["customer"].map(party_key).isin({party_key(party)}).any():
        return "customer"
    return "supplier"


def check_party(orders: pd.DataFrame, suppliers: pd.DataFrame, party: str, side: str | None = None) -> None:
    """GendanError unless ``party`` names one of our suppliers (Suppliers table or order lines) or
    customers (only those of ``side`` when given); the error lists the closest names we have."""
    names: set[str] = set()
    if side in (None, "supplier"):
        names.update(n for rec in suppliers.itertuples(index=False) for n in _names(rec))
        names.update(orders["supplier"].dropna().astype(str).str.strip())
    if side in (None, "customer"):
        names.update(orders["customer"].dropna().astype(str).str.strip())
    names = {n for n in names if party_key(n)}
    if party_key(party) in {party_key(n) for n in names}:
        return
    choices = sorted(names)
    closest = [name for name, _, _ in process.extract(party, choices, scorer=fuzz.WRatio, processor=party_key,
                                                       limit=_CLOSEST)]
    which = {"supplier": "supplier", "customer": "customer"}.get(side, "supplier or customer")
    zh = {"supplier": "供应商", "customer": "客户"}.get(side, "对账方")
    raise GendanError(f"找不到{zh} no {which} of ours is called this", value=party,
                      expected=(f"one of our {which} names; the closest: {', '.join(closest)}" if closest
                                else f"a {which} of the master's order lines (the master has none)"),
                      code=ErrorCode.UNKNOWN_PARTY)


@dataclass(frozen=True)
class Party:
    """A party the user named, resolved: the name it is shown by, its side (supplier or customer)
    and every spelling our records have of it."""

    name: str
    side: str
    names: frozenset[str]


def resolve_party(orders: pd.DataFrame, suppliers: pd.DataFrame, party: str, side: str | None = None) -> Party:
    """The party ``party`` names (see ``check_party``; ``side`` defaults to ``infer_side``).

    Its name is a supplier's name in the Suppliers table (never the alias or code typed), else the
    spelling on most of our order lines (the first in sort order when several are as common)."""
    check_party(orders, suppliers, party, side)
    side = side or infer_side(orders, suppliers, party)
    names = party_names(suppliers, party) if side == "supplier" else {party}
    keys = {party_key(n) for n in names}
    if side == "supplier":
        for rec in suppliers.itertuples(index=False):
            if not is_blank(rec.name) and keys & {party_key(n) for n in _names(rec)}:
                return Party(str(rec.name).strip(), side, frozenset(names))
    column = orders[side].dropna()
    spelt = column[column.map(party_key).isin(keys)].astype(str).str.strip()
    shown = spelt.mode().iloc[0] if len(spelt) else party.strip()
    return Party(shown, side, frozenset(names | set(spelt)))
