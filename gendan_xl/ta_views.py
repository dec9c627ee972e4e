"""What the T&A views show (pure): the 进度表 board (one row per open line, one date and state per
milestone) and the milestone to-do list of the weekly report (overdue, and due within the soon
window, by owner)."""

from __future__ import annotations

import pandas as pd

from dataclasses import dataclass

from . import schema
from .milestones import codes_of
from .values import is_blank, keys_of, map_distinct

OPEN_FLAGS = ("LATE", "WILL_BE_LATE", "AT_RISK", "ON_TRACK")
LINE_FIELDS = ["po_no", "line", "customer", "supplier", "style", "due_date", "flag"]
TODO_STATES = ("OVERDUE", "DUE_SOON")
TODO_COLUMNS = ["owner", "po_no", "line", "supplier", "name", "plan_date", "flag", "slack_wd"]


@dataclass
class Todo:
    """The milestone to-do list (``TODO_COLUMNS``) and the soon window it used, in WD."""

    rows: pd.DataFrame
    soon_wd: int

    def counts(self) -> dict[str, int]:
        return {state: int((self.rows["flag"] == state).sum()) for state in TODO_STATES}


def joined(lines: pd.DataFrame, milestones: pd.DataFrame, states: pd.DataFrame) -> pd.DataFrame:
    """Milestone rows of open lines with their line's fields (line fields prefixed ``line_``)."""
    key = keys_of(lines["po_no"]) + "\x00" + keys_of(lines["line"])
    open_lines = lines.assign(_key=key.to_numpy())[lines["flag"].isin(OPEN_FLAGS).to_numpy()]
    open_lines = open_lines.drop_duplicates("_key")
    rows = milestones.assign(_key=(keys_of(milestones["po_no"]) + "\x00" + keys_of(milestones["line"])).to_numpy(),
                             code=codes_of(milestones["milestone"]).to_numpy(),
                             **{c: states[c] for c in ("name", "slack_wd", "flag")})
    info = open_lines[["_key", *LINE_FIELDS]].rename(columns={c: f"line_{c}" for c in LINE_FIELDS})
    return rows.merge(info, on="_key", how="inner")


def board(rows: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """One row per open line that has milestone rows (``rows``: from ``joined``), by due date: the
    line's fields, then per milestone code ``<code>`` (the actual date when done, else the plan
    date) and ``<code>_state``."""
    shown = rows["actual_date"].where(rows["actual_date"].notna(), rows["plan_date"])
    rows = rows.assign(shown=shown)
    dates = rows.pivot_table(index="_key", columns="code", values="shown", aggfunc="first")
    kinds = rows.pivot_table(index="_key", columns="code", values="flag", aggfunc="first")
    info = rows.drop_duplicates("_key").set_index("_key")[[f"line_{c}" for c in LINE_FIELDS]]
    info.columns = LINE_FIELDS
    out = info.copy()
    for code in codes:
        out[code] = dates[code] if code in dates.columns else pd.NaT
        out[f"{code}_state"] = kinds[code] if code in kinds.columns else None
    return out.sort_values(["due_date", "po_no"], kind="stable").reset_index(drop=True)


def todo(rows: pd.DataFrame) -> pd.DataFrame:
    """Overdue milestones and those due soon, of open lines (``rows``: from ``joined``):
    ``TODO_COLUMNS``, by owner (us, the supplier, the customer), then plan date."""
    rows = rows[rows["flag"].isin(TODO_STATES)]
    owner = pd.Series(map_distinct(rows["owner"], lambda v: "" if is_blank(v) else str(v).split()[0].upper(), ""),
                      index=rows.index)
    rank = owner.map({code: i for i, code in enumerate(schema.OWNERS)}).fillna(len(schema.OWNERS))
    out = pd.DataFrame({"owner": rows["owner"].to_numpy(), "po_no": rows["line_po_no"].to_numpy(),
                        "line": rows["line_line"].to_numpy(), "supplier": rows["line_supplier"].to_numpy(),
                        "name": rows["name"].to_numpy(), "plan_date": rows["plan_date"].to_numpy(),
                        "flag": rows["flag"].to_numpy(), "slack_wd": rows["slack_wd"].to_numpy(),
                        "_rank": rank.to_numpy(dtype=float)})
    return out.sort_values(["_rank", "plan_date", "po_no"], kind="stable").drop(columns="_rank").reset_index(drop=True)


def codes_in_order(templates: pd.DataFrame) -> list[str]:
    """Every milestone code of the templates, in template order (longest lead first across templates)."""
    ordered = templates.sort_values(["lead_wd", "order"], ascending=[False, True], kind="stable")
    return list(dict.fromkeys(ordered["milestone"]))


def names_of(templates: pd.DataFrame) -> dict[str, str]:
    return dict(zip(templates["milestone"], templates["name"]))


def next_milestones(lines: pd.DataFrame, milestones: pd.DataFrame, templates: pd.DataFrame) -> pd.DataFrame:
    """Each line's next supplier milestone (the first not done, in template order), indexed like
    ``lines``: ``next_code`` and ``next_milestone`` (``name · 计划 plan date``); blank when none."""
    steps = templates.drop_duplicates("milestone").set_index("milestone")
    code = codes_of(milestones["milestone"]).set_axis(milestones.index)
    rows = milestones.assign(_key=(keys_of(milestones["po_no"]) + "\x00" + keys_of(milestones["line"])).to_numpy(),
                             code=code, _order=code.map(steps["lead_wd"]).to_numpy(dtype=float),
                             _owner=code.map(steps["owner"].str.split().str[0]))
    rows = rows[rows["actual_date"].isna() & (rows["_owner"] == "SUPPLIER")]
    rows = rows.sort_values(["_key", "_order", "plan_date"], ascending=[True, False, True]).drop_duplicates("_key")
    text = [f"{steps.at[c, 'name']}" + ("" if pd.isna(d) else f" · 计划 plan {d.date().isoformat()}")
            for c, d in zip(rows["code"], rows["plan_date"])]
    found = pd.DataFrame({"next_code": rows["code"].to_numpy(dtype=object), "next_milestone": text},
                         index=rows["_key"].to_numpy())
    key = (keys_of(lines["po_no"]) + "\x00" + keys_of(lines["line"])).to_numpy()
    return found.reindex(key).set_axis(lines.index)
