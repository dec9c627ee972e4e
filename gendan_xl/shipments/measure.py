"""A packing list's volume (pure, vectorised): what cartons measure, as forwarders and packing lists
reckon it. One carton is length × width × height in cm ÷ 1,000,000 m³, rounded to 3 decimals (the
litre), halves up — the figure a packing list prints per carton; the cartons then multiply that rounded
figure, so a line's CBM is what its printed carton CBM × cartons shows (45 × 35 × 25 cm is 0.039 m³
a carton, 100 cartons 3.9 m³, not 3.9375)."""

from __future__ import annotations

import numpy as np

DECIMALS = 3   # a carton's m³ as packing lists print it: to the litre


def carton_cbm(length_cm, width_cm, height_cm) -> np.ndarray:
    """One carton's m³ to ``DECIMALS`` places, halves up (NaN where a dimension is NaN)."""
    litres = np.round(np.asarray(length_cm, dtype=float) * width_cm * height_cm / 1000, 6)   # float tails off
    return np.floor(litres + 0.5) / 10 ** DECIMALS


def cbm(length_cm, width_cm, height_cm, cartons) -> np.ndarray:
    """The m³ of ``cartons`` cartons: the rounded carton figure × cartons, to ``DECIMALS`` places."""
    return np.round(carton_cbm(length_cm, width_cm, height_cm) * np.asarray(cartons, dtype=float), DECIMALS)
