"""Container types and a shipment's containers (pure).

The 集装箱 Containers table says what each type holds (m³); `gendan new` seeds 20GP 28, 40GP 58 and
40HQ 68 (``schema.CONTAINER_TYPES``), and the user may change or add types. A shipment's Containers
cell lists counts of types: ``2x40HQ, 1x20GP`` (also ``2 X 40HQ``, ``2×40HQ``, ``2*40HQ``, a bare
``40HQ`` for one; parts separated by ``,``, ``;``, ``+``, ``、`` or ``/``). A type is compared as the
table writes it, case and spacing ignored. Anything else (a type the table does not have, a count that
is not a whole number from 1) does not parse: the text is a problem of its shipment.
"""

from __future__ import annotations

import re

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.values import display_text, is_blank

_PART = re.compile(r"^(?:(\d+)[x×*])?(.+)$")
_SEPARATORS = re.compile(r"[,;+、，；/]")


def container_rows() -> pd.DataFrame:
    """The seeded Containers rows (type, capacity_cbm)."""
    return pd.DataFrame(list(schema.CONTAINER_TYPES), columns=schema.CONTAINERS.names)


def type_key(value) -> str:
    """A container type as types are compared (``40hq``, ``40 HQ`` and ``40HQ`` are one); '' when blank."""
    return "" if is_blank(value) else re.sub(r"\s+", "", str(value)).casefold()


def capacities(table: pd.DataFrame | None) -> dict[str, float]:
    """Each type's capacity in m³ (by ``type_key``) from the Containers rows (None: the master has no
    Containers table, the seeded types count); a row without a type or a positive capacity, or
    repeating a type, counts for nothing."""
    rows = container_rows() if table is None else table
    found: dict[str, float] = {}
    for kind, cbm in zip(rows["type"], pd.to_numeric(rows["capacity_cbm"], errors="coerce")):
        if type_key(kind) and cbm > 0:
            found.setdefault(type_key(kind), float(cbm))
    return found


def container_capacity(text, known: dict[str, float]) -> float | None:
    """What the containers ``text`` names hold in all (m³): 0.0 for a blank cell; None when the text
    does not parse (see the module)."""
    if is_blank(text):
        return 0.0
    total = 0.0
    for part in _SEPARATORS.split(str(display_text(text)).casefold()):
        found = _PART.match(re.sub(r"\s+", "", part))
        if not part.strip():   # a separator left at the end
            continue
        if not found or found[2] not in known or (found[1] is not None and int(found[1]) < 1):
            return None
        total += int(found[1] or 1) * known[found[2]]
    return total
