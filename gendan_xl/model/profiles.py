"""Column-mapping profiles saved in the workbook, so a supplier's layout is taught only once (pure)."""

from __future__ import annotations

import pandas as pd

from gendan_xl.model.values import header_key, is_blank

MAX_SCAN = 30


def saved_profiles(frame: pd.DataFrame) -> dict[str, dict]:
    """``{profile: {"mapping": {field: header}, "sheet": name or None}}`` from the Profiles table."""
    profiles: dict[str, dict] = {}
    for rec in frame.itertuples(index=False):
        if not rec.profile or not rec.field or not rec.header:
            continue
        entry = profiles.setdefault(rec.profile, {"mapping": {}, "sheet": rec.sheet or None})
        entry["mapping"][rec.field] = rec.header
    return profiles


def profiles_mapping(frame: pd.DataFrame, field: str | tuple[str, ...], *, maps: bool = True) -> pd.DataFrame:
    """The Profiles rows of the profiles that map ``field`` (or one of the fields given; ``maps=False``:
    of those that do not). A layout taught for 样品 Samples maps its sample number, one for 出运
    Shipments its shipment or booking number, one for Orders neither: each sync detects only the
    layouts of its own table."""
    fields = (field,) if isinstance(field, str) else field
    named = set(frame.loc[frame["field"].isin(fields) & frame["header"].map(lambda v: not is_blank(v)), "profile"])
    return frame[frame["profile"].isin(named) == maps]


def detect_profile(sheets, profiles: dict[str, dict]) -> tuple[str, dict] | None:
    """The saved profile whose headers all appear near the top of one sheet (most headers wins),
    with that sheet."""
    best = None
    for sheet in sheets:
        seen = {header_key(v) for row in sheet.rows[:MAX_SCAN] for v in row if not is_blank(v)}
        for name, entry in profiles.items():
            wanted = {header_key(h) for h in entry["mapping"].values()}
            if wanted <= seen and (best is None or len(wanted) > best[0]):
                best = (len(wanted), name, {**entry, "sheet": sheet.name})
    return None if best is None else (best[1], best[2])


def profile_updates(frame: pd.DataFrame, name: str, mapping: dict[str, str], sheet: str | None,
                    timestamp: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows to rewrite (same profile and field) and rows to append for saving ``mapping`` as ``name``.

    Fields the profile no longer maps get a blank header, which detection ignores.
    """
    updated = frame.copy()
    mine = updated["profile"] == name
    for row in updated.index[mine]:
        field = updated.at[row, "field"]
        updated.loc[row, ["header", "sheet", "updated"]] = [mapping.get(field), sheet, timestamp]
    known = set(updated.loc[mine, "field"])
    new = [{"profile": name, "field": f, "header": h, "sheet": sheet, "updated": timestamp}
           for f, h in mapping.items() if f not in known]
    return updated, pd.DataFrame(new, columns=["profile", "field", "header", "sheet", "updated"])
