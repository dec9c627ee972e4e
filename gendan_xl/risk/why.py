"""The evidence behind a line's risk, in words (pure): what its supplier and customer did lately.

``供应商历史 supplier history: 14 of 60 lines late in 12 months, median 6 WD; 同客户 same customer 5/12``
— counted over the evidence lines shipped in the 365 days before the as-of date (unweighted, so a
merchandiser can check them with a filter); a supplier with none there is described by its country,
else by the whole book; then the same product family (all suppliers), ETA slips and the expected delay.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gendan_xl.risk.model import Model


def risk_texts(model: Model, lines: pd.DataFrame, risk: np.ndarray, delay: np.ndarray) -> np.ndarray:
    """One text per line of the evidence frame ``lines`` (its late ``risk`` and expected ``delay``)."""
    if model.reason:
        return np.full(len(lines), f"延误风险 late risk: {model.reason}", dtype=object)
    recent = model.recent
    by_supplier = _counts(recent, ["supplier"])
    by_pair = _counts(recent, ["supplier", "customer"])
    by_country = _counts(recent, ["country"])
    by_family = _counts(recent, ["family"])
    book = _counts(recent.assign(all=""), ["all"])
    keys = pd.DataFrame({"supplier": lines["supplier"].to_numpy(), "customer": lines["customer"].to_numpy(),
                         "country": lines["country"].to_numpy(), "family": lines["family"].to_numpy(),
                         "slips": np.nan_to_num(lines["slips"].to_numpy(dtype=float)).astype(int)})
    texts = {}
    out = np.empty(len(lines), dtype=object)
    for i, key in enumerate(keys.itertuples(index=False, name=None)):
        if key not in texts:
            texts[key] = _evidence(key, by_supplier, by_pair, by_country, by_family, book)
        r, d = risk[i], delay[i]
        tail = "" if np.isnan(d) else f"; 迟则约 if late about {d:g} WD"
        out[i] = f"延误风险 late risk {r:.0%}: {texts[key]}{tail}"
    return out


def _counts(frame: pd.DataFrame, by: list[str]) -> dict:
    """(lines, late, median WD late of the late ones) per group."""
    grouped = frame.groupby(by, sort=False)
    late_delay = frame["delay_wd"].where(frame["late"])
    stats = pd.DataFrame({"n": grouped.size(), "late": grouped["late"].sum(),
                          "median": late_delay.groupby([frame[c] for c in by], sort=False).median()})
    return {(k if isinstance(k, tuple) else (k,)): (int(n), int(late), m)
            for k, n, late, m in zip(stats.index, stats["n"], stats["late"], stats["median"])}


def _evidence(key, by_supplier, by_pair, by_country, by_family, book) -> str:
    supplier, customer, country, family, slips = key
    found = by_supplier.get((supplier,))
    if found:
        text = "供应商历史 supplier history: " + _late_of(found)
        pair = by_pair.get((supplier, customer))
        if pair and customer:
            text += f"; 同客户 same customer {pair[1]}/{pair[0]}"
    elif country and (wider := by_country.get((country,))):
        text = f"供应商近 12 个月无出货 no supplier lines in 12 months; 同国家 country {country}: " + _late_of(wider)
    else:
        text = "供应商近 12 个月无出货 no supplier lines in 12 months; 全部 whole book: " + \
            _late_of(book.get(("",), (0, 0, np.nan)))
    product = by_family.get((family,))
    if family and product:
        text += f"; 同品类 same product {product[1]}/{product[0]}"
    if slips:
        text += f"; ETA 已延后 {slips} 次 slipped {slips}×"
    return text


def _late_of(counts: tuple) -> str:
    n, late, median = counts
    text = f"{late} of {n} lines late in 12 months"
    return text + ("" if np.isnan(median) else f", median {median:g} WD")
