"""The demo's 出运 Shipments: three shipments of open order lines produced in full, each of one
customer in its incoterm — one clean and booked (10-digit HS codes, origin, consecutive carton ranges,
NW < GW, its CBM within its containers, the charges its incoterm calls for), one booked with a planted
mismatch the cross-document checks catch (an HS code of 8 digits), and one SAILED with its ATD, which
has closed its line — and the customers' consignee, notify party and shipping marks. The demo records
the sailed shipment's line as the refresh after its departure left it (``as_shipped``), so its own
refresh has nothing to log (the demo stays reproducible)."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from gendan_xl.model.shipments import ShipMode, ShipmentStatus
from gendan_xl.model.trade_terms import Incoterm
from gendan_xl.shipments.measure import cbm

FORWARDER = "宁波远航国际货运 Ningbo Yuanhang Logistics"
# the 10-digit 商品编号 of each demo product (its description's English words); the planted mismatch
# writes a line's code with 8 digits only
HS_CODES = {
    "Ladies knit cardigan": "6110200099", "Men's shirt": "6205200099", "Kids hoodie": "6110200099",
    "Cotton bed sheet": "6302310090", "Jacquard tablecloth": "6302510090", "Towel set": "6302600090",
    "Stainless hook": "8302500000", "Cabinet hinge": "8302100000", "Door handle": "8302419000",
    "USB charger": "8504409999", "LED desk lamp": "9405210090", "Bluetooth speaker": "8518220000",
    "Men's chino pants": "6203429090", "Ladies blouse": "6206300090", "Polo shirt": "6105100090",
    "Cushion cover": "6304920000", "Bath mat": "6302600090", "Quilted throw": "6301300000",
    "Crew-neck T-shirt": "6109100091", "Knit sweater": "6110200099", "Jogger pants": "6103420090",
}
PLANTED_DIGITS = 8
CARTON_CM, PIECES_PER_CARTON = (60.0, 40.0, 40.0), 24
NW_PER_PIECE, CARTON_KG = 0.25, 1.2
FREIGHT_PER_CBM, INSURANCE_RATE = 45.0, 0.003
SAILED_DAYS_AGO = 4
LEAD_DAYS = 10   # a booked shipment's lines are due at least this long after the as-of date


def with_parties(customers: pd.DataFrame) -> pd.DataFrame:
    """The Customers rows with the consignee, notify party and shipping marks the documents print."""
    short = customers["name"].str.split().str[0].str.upper()
    return customers.assign(consignee=customers["legal_name"] + ", " + customers["port"],
                            notify_party="SAME AS CONSIGNEE",
                            shipping_marks=short + " / " + customers["port"].str.upper() + " / C/NO. 1-UP / MADE IN CHINA")


def demo_shipments(lines: pd.DataFrame, customers: pd.DataFrame, as_of: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Shipments and Shipment Lines rows: open lines produced in full, the customers with the most
    of them first — two lines due at least ``LEAD_DAYS`` ahead each for the clean and the planted
    shipment (any, where too few are), one line of another customer for the sailed one."""
    ready = lines[lines["ship_date"].isna() & lines["due_date"].notna() & (lines["produced_qty"] >= lines["qty"])]
    ready = ready.sort_values(["po_no", "line"])
    ahead = ready[ready["due_date"] > pd.Timestamp(as_of + dt.timedelta(days=LEAD_DAYS))]   # booked before due
    booked = _most(ahead, 2)
    booked = booked if len(booked) == 2 else _most(ready, 2)
    booked += _most(ready, 2 - len(booked), at_least=1, but=booked)   # a small demo: one line each
    sailed = _most(ready, 1, at_least=1, but=booked)
    terms = dict(zip(customers["name"], customers["incoterm"]))
    ports = dict(zip(customers["name"], customers["port"]))
    ships, shipped = [], []
    plans = [(name, ShipmentStatus.BOOKED) for name in booked] + [(name, ShipmentStatus.SAILED) for name in sailed]
    for k, (customer, status) in enumerate(plans, 1):
        pool = ahead if status is ShipmentStatus.BOOKED and customer in set(ahead["customer"]) else ready
        mine = pool[pool["customer"] == customer].iloc[:1 if status is ShipmentStatus.SAILED else 2]
        number = f"SH-{as_of:%y%m}-{k:02d}"
        rows = _lines(number, mine, planted=k == 2)
        ships.append(_shipment(number, customer, terms[customer], ports[customer], status, rows, mine, as_of, k))
        shipped.append(rows)
    if not ships:
        return pd.DataFrame(), pd.DataFrame()
    return pd.DataFrame(ships), pd.concat(shipped, ignore_index=True)


def _most(lines: pd.DataFrame, n: int, *, at_least: int = 2, but=()) -> list[str]:
    """The ``n`` customers with the most of ``lines`` (at least ``at_least``), not those ``but`` names."""
    counts = lines[~lines["customer"].isin(list(but))].groupby("customer").size().sort_values(ascending=False,
                                                                                               kind="stable")
    return [name for name, k in counts.items() if k >= at_least][:n]


def _lines(number: str, mine: pd.DataFrame, *, planted: bool) -> pd.DataFrame:
    """One shipment's lines: consecutive carton ranges from 1, weights and CBM from the cartons."""
    cartons = [math.ceil(q / PIECES_PER_CARTON) for q in mine["qty"]]
    ends = pd.Series(cartons).cumsum()
    nw = [round(q * NW_PER_PIECE, 1) for q in mine["qty"]]
    hs = [next(code for words, code in HS_CODES.items() if str(text).endswith(words)) for text in mine["description"]]
    if planted:
        hs[-1] = hs[-1][:PLANTED_DIGITS]
    return pd.DataFrame({"shipment_no": number, "po_no": mine["po_no"].to_numpy(), "line": mine["line"].to_numpy(),
                         "qty": mine["qty"].to_numpy(), "cartons": cartons, "carton_from": (ends - cartons + 1).tolist(),
                         "carton_to": ends.tolist(), "nw_kg": nw,
                         "gw_kg": [round(w + c * CARTON_KG, 1) for w, c in zip(nw, cartons)],
                         "cbm": cbm(*CARTON_CM, cartons).tolist(), "hs_code": hs, "origin": "CN"})


def _shipment(number: str, customer: str, incoterm: str, port: str, status: ShipmentStatus, rows: pd.DataFrame,
              mine: pd.DataFrame, as_of: dt.date, k: int) -> dict:
    """The Shipments row: booked before the earliest due date of its lines (sailed days ago), its
    containers holding its CBM, freight and insurance as its incoterm calls for."""
    volume = float(rows["cbm"].sum())
    term = Incoterm.read(incoterm).priced_as
    amount = float((mine["qty"] * mine["unit_price"]).sum())
    if status is ShipmentStatus.SAILED:
        etd = as_of - dt.timedelta(days=SAILED_DAYS_AGO)
    else:
        etd = max(as_of + dt.timedelta(days=5), min(mine["due_date"]).date() - dt.timedelta(days=3))
    freight = round(volume * FREIGHT_PER_CBM, 2) if term is not Incoterm.FOB else None
    return {"shipment_no": number, "customer": customer, "forwarder": FORWARDER, "booking_no": f"YH{as_of:%y%m}{k:04d}",
            "mode": ShipMode.SEA.label, "vessel_voyage": ("COSCO PRIDE 021E", "MSC LENA 614W", "EVER GIVEN 1123W")[k - 1],
            "pol": "Ningbo", "pod": port, "incoterm": Incoterm.read(incoterm).value, "cargo_ready": etd - dt.timedelta(days=6),
            "cy_cutoff": etd - dt.timedelta(days=2), "si_cutoff": etd - dt.timedelta(days=3), "etd": etd,
            "eta_pod": etd + dt.timedelta(days=30),
            "atd": etd if status is ShipmentStatus.SAILED else None,
            "bl_no": f"YHNGB{as_of:%y%m}{k:03d}" if status is ShipmentStatus.SAILED else None,
            "containers": f"{max(1, math.ceil(volume / 65))}x40HQ", "freight": freight,
            "insurance": round(amount * 1.1 * INSURANCE_RATE, 2) if term is Incoterm.CIF else None,
            "invoice_no": f"HT{as_of:%y%m}{k:03d}", "status": status.label}


def as_shipped(lines: pd.DataFrame, shipments: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """``lines`` with each line a departed shipment carries shipped as the refresh leaves it: ship date
    the shipment's ATD, shipped qty its qty there."""
    if shipments.empty:
        return lines
    left = rows.merge(shipments.loc[shipments["atd"].notna(), ["shipment_no", "atd"]], on="shipment_no")
    at = lines.reset_index().merge(left[["po_no", "line", "atd", "qty"]], on=["po_no", "line"],
                                   suffixes=("", "_shipped")).set_index("index")
    out = lines.copy()
    out.loc[at.index, "ship_date"] = pd.to_datetime(at["atd"]).to_numpy()
    out.loc[at.index, "shipped_qty"] = at["qty_shipped"].to_numpy()
    return out
