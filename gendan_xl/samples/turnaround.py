"""Buyer turnaround (pure): how long each customer takes to answer a sample of each kind, and in how
many rounds it approves one.

- The customer of a round: its own customer cell, else the customer of the first order line it covers
  (``register.sample_customers``). Names that name one 客户 Customers row, by its name or an alias,
  are one customer (``customers.customer_keys``: ``NHAB`` and ``Nordic Home AB``), shown by its
  Customers name, else as first written. A round without a customer is left out.
- Per customer and kind, over the valid answered rounds (APPROVED, REJECTED) answered by the as-of
  date: ``answered`` how many; ``median_wd`` the median of their ``wait_wd`` (``states.sample_states``:
  working days from received, else sent, to the answer, in the round's calendar; a round with neither
  date is counted, not timed); ``rounds_to_approval`` the median, over the customer's approved samples
  of the kind, of the round that was approved (its first approved round).
- Slower than usual: a customer and kind whose ``median_wd`` is above ``sample_turnaround_wd`` (the
  desk's usual turnaround, default 5 WD) is named (``slower``). The same setting is the turnaround
  assumed for a customer and kind without a timed answer yet (``Turnaround.wd``); with history it is
  the median rounded up to a whole working day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gendan_xl.model.samples import ANSWERS, SampleKind, SampleStatus
from gendan_xl.model.values import blank_mask
from gendan_xl.rules.customers import customer_keys, customer_rows
from gendan_xl.samples.register import Register

COLUMNS = ["customer", "kind", "answered", "median_wd", "rounds_to_approval", "slower"]
_KIND_ORDER = {kind.value: i for i, kind in enumerate(SampleKind)}


def round_customers(names: pd.Series, customers: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    """Each round's customer key ('' when it has none) and the name the customer is shown by;
    ``names``: each round's customer as written (``register.sample_customers``), ``customers``: the
    Customers table (None: the master has none)."""
    named = names[~blank_mask(names)].astype(str).str.strip()
    distinct = pd.Series(pd.unique(named.to_numpy(dtype=object)), dtype=object)
    keys = customer_keys(customers, distinct)
    rows = customer_rows(customers, distinct) if customers is not None else pd.Series(np.nan, index=distinct.index)
    listed = rows.notna().to_numpy()
    shown = distinct.copy()
    if listed.any():
        shown[listed] = customers.loc[rows[listed].to_numpy(), "name"].astype(str).str.strip().to_numpy()
    first = pd.Series(shown.to_numpy(dtype=object), index=keys.to_numpy(), dtype=object).groupby(
        level=0, sort=False).first()
    key_of = pd.Series(keys.to_numpy(dtype=object), index=distinct.to_numpy(), dtype=object)
    out = np.full(len(names), "", dtype=object)
    out[~blank_mask(names)] = key_of.reindex(named.to_numpy()).to_numpy(dtype=object)
    return out, first.reindex(out).fillna("").to_numpy(dtype=object)


@dataclass
class Turnaround:
    """Per customer and kind (``key`` the customer's, ``kind`` the code, then ``COLUMNS``), by customer
    name and kind; ``usual_wd`` the ``sample_turnaround_wd`` setting."""

    table: pd.DataFrame
    usual_wd: int

    @property
    def slower(self) -> list[str]:
        """The customers slower than usual for some kind, in the table's order."""
        return list(dict.fromkeys(self.table.loc[self.table["slower"], "customer"]))

    def wd(self, keys, kinds) -> tuple[np.ndarray, np.ndarray]:
        """The turnaround in whole working days assumed for each customer key and kind code, and
        whether it comes from the customer's history (else ``usual_wd``)."""
        timed = self.table[self.table["median_wd"].notna()]
        lookup = pd.Series(np.ceil(timed["median_wd"].to_numpy(dtype=float)),
                           index=(timed["key"] + "\x00" + timed["kind"]).to_numpy())
        wanted = pd.Series(np.asarray(keys, dtype=object)) + "\x00" + pd.Series(np.asarray(kinds, dtype=object))
        found = lookup.reindex(wanted.fillna("").to_numpy()).to_numpy(dtype=float)
        return np.where(np.isnan(found), float(self.usual_wd), found), ~np.isnan(found)

    def summary(self) -> dict:
        """The JSON of ``refresh --json`` "samples": the table (kind as its code) and the slower customers."""
        rows = [{name: (None if isinstance(value, float) and np.isnan(value) else value) for name, value in r.items()}
                for r in self.table[COLUMNS].to_dict("records")]
        return {"turnaround": [{**r, "answered": int(r["answered"]), "slower": bool(r["slower"])} for r in rows],
                "slower": self.slower}


def buyer_turnaround(register: Register, wait_wd, keys: np.ndarray, shown: np.ndarray, as_of: dt.date,
                     usual_wd: int) -> Turnaround:
    """The turnaround of the customers of ``register`` (``keys`` and ``shown``: ``round_customers``;
    ``wait_wd``: each row's, ``states.sample_states``) as of ``as_of``."""
    today = np.datetime64(as_of, "D")
    wait = np.asarray(wait_wd, dtype=float)
    known = ~register.bad & (keys != "") & (register.answered <= today)
    answered = known & np.isin(register.status, ANSWERS)
    found = pd.DataFrame({"key": keys[answered], "kind": register.kind[answered], "customer": shown[answered],
                          "wait": wait[answered]})
    grouped = found.groupby(["key", "kind"], sort=False)
    table = pd.DataFrame({"customer": grouped["customer"].first(), "answered": grouped.size(),
                          "median_wd": grouped["wait"].median()})
    approved = np.flatnonzero(known & (register.status == SampleStatus.APPROVED.value))
    first = pd.DataFrame({"sample": register.key[approved], "round": register.round[approved],
                          "key": keys[approved], "kind": register.kind[approved]})
    first = first.sort_values(["sample", "round"], kind="stable").drop_duplicates("sample")
    table["rounds_to_approval"] = first.groupby(["key", "kind"])["round"].median().reindex(table.index)
    table = table.reset_index()
    table["slower"] = (table["median_wd"] > usual_wd).to_numpy(dtype=bool)
    table = table.assign(_order=table["kind"].map(_KIND_ORDER)).sort_values(["customer", "_order"], kind="stable")
    return Turnaround(table.reset_index(drop=True)[["key", *COLUMNS]], usual_wd)
