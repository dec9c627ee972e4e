"""Which milestone an approved sample closes (pure): the T&A Templates' Sample kind column.

A template row whose Sample kind names a kind (its code, label or words: ``SampleKind.read``) is the
milestone an approved sample of that kind closes on the order lines of that template; a blank cell
maps nothing. A kind names at most one milestone of a template. The mapping is data, never code: the
seeded APPAREL rows (``schema.SAMPLE_MILESTONES``) are where the lab dip and the PP sample start, and an
older master's new column starts with them (``seeded_kinds``). ``covered_milestones``: the
milestone rows a set of rounds speak for (closed when approved, put off while rejected).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.samples import SampleKind
from gendan_xl.model.values import is_blank, keys_of, line_keys_of, map_distinct
from gendan_xl.samples.register import Register

COLUMNS = ["template", "kind", "milestone"]


def kind_milestones(templates: pd.DataFrame, *, file=None) -> pd.DataFrame:
    """One row per mapped template row: ``template`` and ``milestone`` upper-cased as the templates
    read them, ``kind`` its code. ``templates`` is the T&A Templates table (indexed by Excel row; no
    Sample kind column: nothing is mapped). An unknown kind, or a kind named twice in one template, is
    a GendanError naming the row, column and value."""
    spec = schema.TA_TEMPLATES
    if "sample_kind" not in templates.columns:
        return pd.DataFrame(columns=COLUMNS)
    out, seen = [], {}
    for row, template, code, cell in zip(templates.index, templates["template"], templates["milestone"],
                                         templates["sample_kind"]):
        if is_blank(cell) or is_blank(template) or is_blank(code):   # a template row without a name: the
            continue                                                  # templates' own check names it
        kind = SampleKind.read(cell)
        where = {"file": file, "sheet": spec.sheet, "row": int(row), "column": spec.header("sample_kind"),
                 "value": cell}
        if kind is None:
            raise GendanError("未知样品类型 unknown sample kind", **where,
                              expected="one of " + ", ".join(k.label for k in SampleKind) + ", or blank",
                              code=ErrorCode.BAD_VALUE)
        name = str(template).strip().upper()
        if (name, kind) in seen:
            raise GendanError(f"样品类型在模板中重复 {kind.label} closes two milestones of template {name} "
                              f"(row {seen[name, kind]} too)", **where,
                              expected="each sample kind on one milestone of a template", code=ErrorCode.BAD_VALUE)
        seen[name, kind] = int(row)
        out.append((name, kind.value, str(code).strip().upper()))
    return pd.DataFrame(out, columns=COLUMNS)


def seeded_kinds(templates: pd.DataFrame) -> pd.Series:
    """The Sample kind cells of ``templates`` (T&A Templates rows) with the seeded mapping filled in
    where a cell is blank: the kind of ``schema.SAMPLE_MILESTONES`` (as its label) for its milestone."""
    kinds = {code: kind.label for code, kind in schema.SAMPLE_MILESTONES.items()}
    cells = templates["sample_kind"] if "sample_kind" in templates.columns else pd.Series(None, index=templates.index)
    seeded = templates["milestone"].map(lambda code: kinds.get(str(code).strip().upper()) if not is_blank(code)
                                        else None)
    return cells.astype(object).where(~cells.map(is_blank), seeded).astype(object)


def milestone_keys(milestones: pd.DataFrame) -> pd.Series:
    """Each Milestones row's key as ``covered_milestones`` names it: PO, line and code as compared."""
    return (keys_of(milestones["po_no"]) + "\x00" + line_keys_of(milestones["line"]) + "\x00" +
            map_distinct(milestones["milestone"], lambda v: "" if is_blank(v) else str(v).strip().upper(), ""))


def milestone_rows(milestones: pd.DataFrame) -> pd.Series:
    """The Milestones row (its label) of each ``milestone_keys`` key, the first when a key repeats:
    where a round's milestone is. Computed once per run; the approvals and the rejected samples use it."""
    rows = pd.Series(milestones.index, index=milestone_keys(milestones).to_numpy())
    return rows[~rows.index.duplicated()]


def covered_milestones(register: Register, rounds: np.ndarray, orders: pd.DataFrame, line_templates: pd.Series,
                       mapping: pd.DataFrame) -> pd.DataFrame:
    """For the register rows ``rounds`` (a mask), one row per order line each covers whose template maps
    the round's kind (``mapping``: ``kind_milestones``): ``pos`` the round's position in the register,
    ``key`` the milestone row's key (``milestone_keys``). ``orders``: po_no and line by sheet row;
    ``line_templates``: each order line's T&A template."""
    pairs = register.covered
    pos = register.rows.index.get_indexer(pairs["sample"])
    keep = rounds[pos]
    pos, lines = pos[keep], pairs["line"].to_numpy()[keep]
    templates = line_templates.reindex(lines).to_numpy(dtype=object)
    found = pd.DataFrame({"line": lines, "pos": pos, "kind": register.kind[pos],
                          "template": map_distinct(pd.Series(templates), lambda t: str(t).strip().upper(), "")})
    found = found.merge(mapping, on=["template", "kind"])
    line_keys = (keys_of(orders["po_no"]) + "\x00" + line_keys_of(orders["line"])).reindex(found["line"].to_numpy())
    return pd.DataFrame({"pos": found["pos"].to_numpy(),
                         "key": line_keys.to_numpy(dtype=object) + "\x00" + found["milestone"].to_numpy(dtype=object)})
