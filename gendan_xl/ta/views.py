"""What the T&A views show (pure): the 进度表 board (one row per open line, one date and state per
milestone) and the milestone to-do list of the weekly report (overdue, and due within the soon
window, by owner)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gendan_xl.model.flags import FOLLOWED, TO_DO, Owner
from gendan_xl.ta.milestones import codes_of, first_at, line_codes
from gendan_xl.model.values import keys_of, line_keys_of, map_distinct

LINE_FIELDS = ["po_no", "line", "customer", "supplier", "style", "due_date", "flag"]
TODO_STATES = tuple(s.value for s in TO_DO)
TODO_COLUMNS = ["owner", "po_no", "line", "supplier", "name", "plan_date", "state", "slack_wd"]


@dataclass
class Todo:
    """The milestone to-do list (``TODO_COLUMNS``) and the soon window it used, in WD."""

    rows: pd.DataFrame
    soon_wd: int

    def counts(self) -> dict[str, int]:
        return {state: int((self.rows["state"] == state).sum()) for state in TODO_STATES}


def joined(lines: pd.DataFrame, milestones: pd.DataFrame, states: pd.DataFrame,
           keys: tuple[np.ndarray, np.ndarray] | None = None) -> pd.DataFrame:
    """Milestone rows of open lines with their line's fields (line fields prefixed ``line_``);
    ``_key`` is the line key as a number (``keys``: the ``milestones.line_codes`` of ``milestones``
    and ``lines`` when the caller has them)."""
    mkey, lkey = keys or line_codes(milestones, lines)
    open_at = np.flatnonzero(lines["flag"].isin(FOLLOWED).to_numpy())
    at = first_at(lkey[open_at], mkey)   # the first open line of each milestone row's key
    keep = np.flatnonzero(at >= 0)
    rows = milestones.assign(_key=mkey, code=codes_of(milestones["milestone"]).to_numpy(),
                             **{c: states[c].reindex(milestones.index) for c in ("name", "slack_wd", "state")})
    rows = rows.iloc[keep].reset_index(drop=True)
    info = lines[LINE_FIELDS].iloc[open_at[at[keep]]].reset_index(drop=True)
    return pd.concat([rows, info.rename(columns={c: f"line_{c}" for c in LINE_FIELDS})], axis=1)


def _first_per_key(key: np.ndarray, values: np.ndarray, rows: np.ndarray, blank: np.ndarray) -> np.ndarray:
    """Per key number the value of the first of ``rows`` (a mask) with that key, else ``blank``'s."""
    out = blank.copy()
    at = np.flatnonzero(rows)
    found, first = np.unique(key[at], return_index=True)
    out[found] = values[at[first]]
    return out


def board(rows: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """One row per open line that has milestone rows (``rows``: from ``joined``), by due date: the
    line's fields, then per milestone code ``<code>`` (the actual date when done, else the plan
    date) and ``<code>_state`` (each the first that is not blank of the line's rows of that code)."""
    shown = rows["actual_date"].where(rows["actual_date"].notna(), rows["plan_date"])
    key, uniques = pd.factorize(rows["_key"])
    out = rows[[f"line_{c}" for c in LINE_FIELDS]].iloc[np.unique(key, return_index=True)[1]]
    out = out.set_axis(LINE_FIELDS, axis=1).reset_index(drop=True)
    code, kinds = pd.factorize(rows["code"])
    number = {c: i for i, c in enumerate(kinds.tolist())}
    dates, has_date = shown.to_numpy(), shown.notna().to_numpy()
    states, has_state = rows["state"].to_numpy(dtype=object), rows["state"].notna().to_numpy()
    no_date, no_state = np.full(len(uniques), np.datetime64("NaT"), dtype=dates.dtype), np.full(len(uniques), None)
    columns = {}
    for c in codes:
        mine = code == number.get(c, -2)
        columns[c] = pd.Series(_first_per_key(key, dates, mine & has_date, no_date))
        columns[f"{c}_state"] = pd.Series(_first_per_key(key, states, mine & has_state, no_state), dtype=object)
    out = pd.concat([out, pd.DataFrame(columns)], axis=1)
    return out.sort_values(["due_date", "po_no"], kind="stable").reset_index(drop=True)


def todo(rows: pd.DataFrame) -> pd.DataFrame:
    """Overdue milestones and those due soon, of open lines (``rows``: from ``joined``):
    ``TODO_COLUMNS``, by owner (us, the supplier, the customer, as ``Owner.read`` reads the cell; an
    owner it does not name last), then plan date."""
    pick = np.flatnonzero(rows["state"].isin(TODO_STATES).to_numpy())
    ranks = {owner: i for i, owner in enumerate(Owner)}
    owner = rows["owner"].to_numpy(dtype=object)[pick]
    rank = map_distinct(owner, lambda v: ranks.get(Owner.read(v), len(ranks)), len(ranks))
    order = pd.DataFrame({"rank": rank.astype(float), "plan_date": rows["plan_date"].iloc[pick].reset_index(drop=True),
                          "po_no": rows["line_po_no"].iloc[pick].reset_index(drop=True)})
    at = pick[order.sort_values(["rank", "plan_date", "po_no"], kind="stable").index.to_numpy()]
    source = {"owner": "owner", "po_no": "line_po_no", "line": "line_line", "supplier": "line_supplier",
              "name": "name", "plan_date": "plan_date", "state": "state", "slack_wd": "slack_wd"}
    return pd.DataFrame({c: rows[source[c]].iloc[at].reset_index(drop=True) for c in TODO_COLUMNS})


def codes_in_order(templates: pd.DataFrame) -> list[str]:
    """Every milestone code of the templates, in template order (longest lead first across templates)."""
    ordered = templates.sort_values(["lead_wd", "order"], ascending=[False, True], kind="stable")
    return list(dict.fromkeys(ordered["milestone"]))


def names_of(templates: pd.DataFrame) -> dict[str, str]:
    return dict(zip(templates["milestone"], templates["name"]))


def next_milestones(lines: pd.DataFrame, milestones: pd.DataFrame, templates: pd.DataFrame) -> pd.DataFrame:
    """Each line's next supplier milestone (the first not done, in template order), indexed like
    ``lines``: ``next_code``, ``next_name`` and ``next_plan``; blank when none."""
    steps = templates.drop_duplicates("milestone").set_index("milestone")
    code = codes_of(milestones["milestone"]).set_axis(milestones.index)
    mkey = keys_of(milestones["po_no"]) + "\x00" + line_keys_of(milestones["line"])
    rows = milestones.assign(_key=mkey.to_numpy(),
                             code=code, _order=code.map(steps["lead_wd"]).to_numpy(dtype=float),
                             _owner=code.map(steps["owner"].map(Owner.read)))
    rows = rows[rows["actual_date"].isna() & (rows["_owner"] == Owner.SUPPLIER)]
    rows = rows.sort_values(["_key", "_order", "plan_date"], ascending=[True, False, True]).drop_duplicates("_key")
    found = pd.DataFrame({"next_code": rows["code"].to_numpy(dtype=object),
                          "next_name": [str(steps.at[c, "name"]) for c in rows["code"]],
                          "next_plan": rows["plan_date"].to_numpy()}, index=rows["_key"].to_numpy())
    key = (keys_of(lines["po_no"]) + "\x00" + line_keys_of(lines["line"])).to_numpy()
    return found.reindex(key).set_axis(lines.index)
