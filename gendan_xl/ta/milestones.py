"""T&A milestones (pure): templates, plans counted back from the due date, the state of every
milestone, and the ex-factory date a late critical milestone pushes a line to.

Rules:

- Plan date = the date ``lead_wd`` working days before the due date in the supplier's calendar, so
  ``count(plan, due) == lead_wd`` (CN: holidays and makeup days counted); lead 0 (EX_FACTORY) plans
  the due date itself.
- A plan gendan made carries ``planned_from``: the due date it was computed from. Re-planning moves a
  plan only when it still equals what gendan computes from ``planned_from`` (nobody typed over it) and
  the due date has changed since; a plan with a blank ``planned_from`` was typed by the user and is
  never moved. A missing plan date is filled in.
- State of a milestone: ``DONE`` (actual on or before plan), ``DONE_LATE``, ``OVERDUE`` (not done,
  plan before as-of), ``DUE_SOON`` (plan within ``soon_wd`` working days), ``LATER``, ``NO_PLAN``.
  An actual date after the as-of date is not known then: the milestone is not done yet.
  Slack = working days from the actual date (else as-of) to the plan date; negative = late. The
  ``why`` of a milestone not done names only its plan (the slack column counts the days; the line's
  ``why`` the ex-factory date an overdue one pushes to), so it does not change from day to day.
- Projection: a critical milestone done after its plan, or not done at as-of after its plan, means
  the line leaves the factory no earlier than (actual, else as-of) + its lead WD. A milestone done
  late stops counting once a later milestone of the template is done (the factory caught up, or that
  later one now speaks). The latest such date over a line's milestones is its milestone projection,
  and the milestone is named in ``why``. A milestone not done whose date is expected from outside the
  T&A (``expected``: a rejected sample's next approval, ``samples.rejected``) is late when that date
  is after its plan, and pushes from that date (never before as-of) instead of the as-of date; its
  why and the line's name what expects it.
  ``combine`` merges it with the ETA-based flag of ``slack.evaluate``: the worse flag wins.
- Left the factory, not shipped: when the last milestone of a line's template (ex-factory) is done
  and the line has no ship date ``wait_wd`` working days later, its ``why`` says so
  (``note_unshipped``): the goods are out of the factory, so the ship date is what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.rules.calendar import CalendarBook, as_days
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.flags import DONE_STATES, NOT_YET_LATE, Flag, MilestoneState, Owner
from gendan_xl.model.values import (
    blank_mask, day_texts, is_blank, keys_of, line_key, line_keys_of, map_distinct, normalise_key, whole_texts,
    yes_no)

_RANK = {f.value: i for i, f in enumerate(Flag)}
_NOT_YET_LATE = [f.value for f in NOT_YET_LATE]   # a late milestone can still warn these lines
_DONE = [s.value for s in DONE_STATES]


def seed_templates() -> pd.DataFrame:
    """The T&A Templates rows `gendan new` writes: the APPAREL template, every milestone critical, the
    lab dip and PP sample approvals closed by their samples (``schema.SAMPLE_MILESTONES``)."""
    kinds = {code: kind.label for code, kind in schema.SAMPLE_MILESTONES.items()}
    return pd.DataFrame([("APPAREL", code, name, owner.label, lead, schema.YES, kinds.get(code))
                         for code, name, owner, lead in schema.APPAREL], columns=schema.TA_TEMPLATES.names)




def read_templates(frame: pd.DataFrame, *, file=None) -> pd.DataFrame:
    """Validated T&A Templates rows (indexed by Excel row): template and milestone upper-cased,
    owner as its label, ``lead_wd`` int, ``critical`` bool, ``order`` the position in its template.
    A bad cell raises GendanError naming the sheet, row, column and value."""
    spec = schema.TA_TEMPLATES
    frame = frame.reindex(columns=spec.names)
    frame = frame[~frame.apply(blank_mask).all(axis=1)]

    def fail(row, column, value, reason, expected):
        raise GendanError(reason, file=file, sheet=spec.sheet, row=int(row), column=spec.field(column).header,
                          value=value, expected=expected,
                          code=ErrorCode.BAD_NUMBER if column == "lead_wd" else ErrorCode.BAD_VALUE)

    out = []
    seen = set()
    for row, rec in zip(frame.index, frame.itertuples(index=False)):
        template, code = (str(v).strip().upper() if not is_blank(v) else "" for v in (rec.template, rec.milestone))
        if not template:
            fail(row, "template", rec.template, "模板名为空 template name blank", "a template name such as APPAREL")
        if not code:
            fail(row, "milestone", rec.milestone, "工序代码为空 milestone code blank", "a code such as FABRIC_IN")
        if (template, code) in seen:
            fail(row, "milestone", rec.milestone, "模板中工序重复 milestone repeated in its template",
                 "each milestone once per template")
        seen.add((template, code))
        lead = pd.to_numeric(pd.Series([rec.lead_wd]), errors="coerce").iloc[0]
        if pd.isna(lead) or lead < 0 or lead != int(lead):
            fail(row, "lead_wd", rec.lead_wd, "提前期无效 invalid lead time", "a whole number of working days >= 0")
        owner = Owner.read(rec.owner) if not is_blank(rec.owner) else Owner.SUPPLIER
        if owner is None:
            fail(row, "owner", rec.owner, "负责方无效 invalid owner", "one of " + ", ".join(o.label for o in Owner))
        try:
            critical = bool(yes_no(rec.critical))   # blank: not critical
        except ValueError:
            fail(row, "critical", rec.critical, "关键无效 invalid critical", f"{schema.YES} or {schema.NO}")
        name = code if is_blank(rec.name) else str(rec.name).strip()
        out.append((template, code, name, owner.label, int(lead), critical, int(row)))
    result = pd.DataFrame(out, columns=["template", "milestone", "name", "owner", "lead_wd", "critical", "row"])
    result["order"] = result.groupby("template").cumcount()
    return result


def check_template(templates: pd.DataFrame, name: str, *, where: dict) -> str:
    """``name`` upper-cased when ``templates`` has it, else GendanError at ``where`` (sheet, row, column)."""
    key = str(name).strip().upper()
    if key not in set(templates["template"]):
        raise GendanError("未知工序模板 unknown T&A template", value=name,
                          expected="one of " + (", ".join(sorted(set(templates["template"]))) or
                                                f"the templates of {schema.TA_TEMPLATES.sheet} (none yet)"),
                          **where, code=ErrorCode.UNKNOWN_TA)
    return key


def codes_of(values) -> pd.Series:
    """Milestone codes as compared (stripped, upper case; '' when blank), once per distinct value."""
    values = pd.Series(values).reset_index(drop=True)
    return pd.Series(map_distinct(values, lambda v: "" if is_blank(v) else str(v).strip().upper(), ""), dtype=object)


def _line_keys(po, line) -> pd.Series:
    return (keys_of(pd.Series(po).reset_index(drop=True)) + "\x00"
            + line_keys_of(pd.Series(line).reset_index(drop=True)))


def line_codes(*frames: pd.DataFrame) -> list[np.ndarray]:
    """An int64 line key for every row of each frame (po_no, line): equal exactly when the rows'
    ``normalise_key`` po_no and ``line_key`` line are (a line typed ``1`` and a milestone row's
    ``1.0`` are one line), each called once per distinct value of all frames."""
    table: dict[str, int] = {}   # normalised key -> number
    memos: dict = {normalise_key: {}, line_key: {}}   # per key function: cell value -> number

    def numbers(values, key) -> np.ndarray:
        raw, uniques = pd.factorize(pd.Series(values).reset_index(drop=True))
        out = np.empty(len(uniques) + 1, dtype=np.int64)
        memo = memos[key]
        for i, value in enumerate(uniques.tolist()):
            number = memo.get(value)
            if number is None:
                number = memo[value] = table.setdefault(key(value), len(table))
            out[i] = number
        out[-1] = table.setdefault("", len(table))   # blank cells (factorize gives -1)
        return out[raw]

    pairs = [(numbers(f["po_no"], normalise_key), numbers(f["line"], line_key)) for f in frames]
    return [po * (len(table) + 1) + line for po, line in pairs]


def first_at(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The position of the first row of ``keys`` equal to each of ``wanted`` (-1 when none)."""
    unique, first = np.unique(keys, return_index=True)
    if not len(unique):
        return np.full(len(wanted), -1, dtype=np.int64)
    at = np.minimum(np.searchsorted(unique, wanted), len(unique) - 1)
    return np.where(unique[at] == wanted, first[at], -1)


def _distinct_rows(*columns) -> tuple[np.ndarray, np.ndarray]:
    """``(first, inverse)`` over aligned arrays: the first row of each distinct combination of their
    values, and each row's combination, so a value computed for the rows ``first`` is every row's by
    ``value[inverse]``. Dates and floats are compared by their bits (NaT and NaN are values)."""
    n = len(columns[0])
    combo, size = np.zeros(n, dtype=np.int64), 1
    for values in columns:
        values = np.asarray(values)
        if values.dtype.kind in "Mmf":
            values = values.view(np.int64)
        codes, uniques = pd.factorize(values)
        if size * (len(uniques) + 1) >= 2 ** 62:   # renumber densely before the numbers could overflow
            combo, kept = pd.factorize(combo)
            size = len(kept)
        combo, size = combo * (len(uniques) + 1) + codes + 1, size * (len(uniques) + 1)
    combo = pd.factorize(combo)[0]   # numbered in order of appearance: a row is its number's first
    seen = np.maximum.accumulate(np.concatenate([[-1], combo[:-1]])) if n else combo
    return np.flatnonzero(combo > seen), combo


def _steps_at(templates: pd.DataFrame, template: np.ndarray, code: np.ndarray) -> np.ndarray:
    """The position in ``templates`` of each (template, milestone code) pair, -1 when it has none."""
    where = {}
    for i, key in enumerate(zip(templates["template"].tolist(), templates["milestone"].tolist())):
        where.setdefault(key, i)
    first, inverse = _distinct_rows(template, code)
    found = np.array([where.get((template[i], code[i]), -1) for i in first], dtype=np.int64)
    return found[inverse] if len(first) else np.full(len(code), -1, dtype=np.int64)


def _objects(values, index) -> pd.Series:
    """An object column (text as Python str, blanks as they are)."""
    return pd.Series(np.asarray(values, dtype=object), index=index, dtype=object)


def plan_dates(due, lead, countries, book: CalendarBook) -> np.ndarray:
    """``lead`` working days before each due date in its country's calendar (the due date for 0)."""
    due, lead = as_days(due), np.asarray(lead, dtype=float)
    out = due.copy()

    def one(cal, rows):
        back = rows & (lead > 0)
        out[back] = cal.add(due[back], -lead[back])
    book.each_calendar(countries, one)
    return out


@dataclass
class Planned:
    """What ``plan`` found: new milestone rows, the existing rows with their (re)planned dates."""

    new: pd.DataFrame
    milestones: pd.DataFrame
    added: int
    moved: int
    filled: int
    kept: int


def plan(lines: pd.DataFrame, countries, line_template: pd.Series, templates: pd.DataFrame,
         milestones: pd.DataFrame, book: CalendarBook) -> Planned:
    """Milestone rows for ``lines`` (po_no, line, due_date; the open lines with a due date) from
    their templates: new rows for missing milestones, blank plans filled, gendan's plans moved to a
    changed due date; plans the user typed are kept. ``milestones`` is the Milestones table frame."""
    steps = templates.drop(columns="row")
    wanted = pd.DataFrame({"po_no": lines["po_no"].to_numpy(), "line": lines["line"].to_numpy(),
                           "due": as_days(lines["due_date"]), "country": np.asarray(countries, dtype=object),
                           "template": line_template.to_numpy(), "key": _line_keys(lines["po_no"], lines["line"])})
    wanted = wanted.merge(steps, on="template", how="inner").sort_values(["key", "order"], kind="stable")
    wanted["plan"] = plan_dates(wanted["due"], wanted["lead_wd"], wanted["country"], book)
    wanted["mkey"] = wanted["key"] + "\x00" + wanted["milestone"]

    ms = milestones.copy()
    mkey = (_line_keys(ms["po_no"], ms["line"]) + "\x00" +
            codes_of(ms["milestone"]))
    at = pd.Series(np.arange(len(wanted)), index=wanted["mkey"].to_numpy())
    at = at[~at.index.duplicated()]
    pos = at.reindex(mkey.to_numpy()).to_numpy()
    has = ~np.isnan(pos)
    mine = wanted.iloc[pos[has].astype(int)]
    plan_now = as_days(ms["plan_date"])[has]
    source = as_days(ms["planned_from"])[has]
    before = plan_dates(source, mine["lead_wd"], mine["country"], book)
    blank = np.isnat(plan_now)
    ours = ~blank & ~np.isnat(source) & (plan_now == before)
    move = ours & (source != mine["due"].to_numpy())
    update = blank | move
    rows = ms.index[has][update]
    ms["plan_date"] = ms["plan_date"].astype("datetime64[us]")
    ms["planned_from"] = ms["planned_from"].astype("datetime64[us]")
    ms.loc[rows, "plan_date"] = mine["plan"].to_numpy()[update].astype("datetime64[us]")
    ms.loc[rows, "planned_from"] = mine["due"].to_numpy()[update].astype("datetime64[us]")

    missing = ~wanted["mkey"].isin(set(mkey))
    fresh = wanted[missing]
    new = pd.DataFrame({"po_no": fresh["po_no"].to_numpy(), "line": fresh["line"].to_numpy(),
                        "milestone": fresh["milestone"].to_numpy(), "name": fresh["name"].to_numpy(),
                        "plan_date": fresh["plan"].to_numpy().astype("datetime64[us]"),
                        "owner": fresh["owner"].to_numpy(),
                        "planned_from": fresh["due"].to_numpy().astype("datetime64[us]")})
    return Planned(new, ms, added=len(new), moved=int(move.sum()), filled=int(blank.sum()),
                   kept=int((~blank & ~ours).sum()))


@dataclass
class Evaluated:
    """Per milestone row: name, slack_wd, state (its code), why; per order line (indexed like the
    lines given): the milestone projection ``done`` (NaT when no late critical milestone), its
    ``slack_wd`` against the due date, and ``why``, and the date its last milestone (ex-factory) was
    done (``ex_factory``, NaT when not done) with the working days since (``ex_factory_wd``); ``keys``: the ``line_codes`` of the milestone
    rows and of the lines."""

    rows: pd.DataFrame
    lines: pd.DataFrame
    keys: tuple[np.ndarray, np.ndarray] | None = None   # line key numbers of the rows and the lines


def _short(name: str, code: str) -> str:
    """``面料到厂 Fabric in-house`` + ``FABRIC_IN`` -> ``面料到厂 FABRIC_IN`` (a name without a
    Chinese part is kept whole)."""
    first = name.split()[0] if name.split() else code
    return f"{first} {code}" if not first.isascii() else f"{name} {code}"


def _milestone_why(state, plan_d, actual, slack, used) -> np.ndarray:
    """The why of each milestone row by its state; each text built only for the rows in that state."""
    why = np.full(len(state), "无计划日期 no plan date (gendan plan)", dtype=object)
    planned = state != MilestoneState.NO_PLAN
    head = "计划 plan " + day_texts(plan_d[planned])
    cc = " (" + used[planned].astype(object) + ")"
    done, late = np.isin(state[planned], _DONE), state[planned] == MilestoneState.DONE_LATE
    act = ", 完成 done " + day_texts(actual[planned][done]) + ": "
    num = np.where(late[done], "晚 +" + whole_texts(-slack[planned][done]) + " WD late",
                   whole_texts(slack[planned][done]) + " WD").astype(object)
    text = np.where(state[planned] == MilestoneState.OVERDUE, head + ", 未完成 not done" + cc, head + cc).astype(object)
    text[done] = head[done] + act + num + cc[done]
    why[planned] = text
    return why


def evaluate(milestones: pd.DataFrame, lines: pd.DataFrame, countries, line_template: pd.Series,
             templates: pd.DataFrame, book: CalendarBook, as_of, soon_wd: int, *, file=None,
             expected: pd.DataFrame | None = None) -> Evaluated:
    """States of every milestone row and the milestone projection of every line.

    ``lines``: the order lines (po_no, line, due_date, flag code), indexed by sheet row; ``countries``
    and ``line_template`` aligned with them; ``expected``: the date (``expected``) and its ``why`` of
    the milestone rows expected from outside the T&A, indexed like ``milestones`` (None: none). A
    milestone whose code is not in its line's template raises GendanError naming the Milestones row."""
    today = as_days(as_of)[()]
    n = len(milestones)
    mkeys, lkeys = line_codes(milestones, lines)
    li = first_at(lkeys, mkeys)
    known = li >= 0
    li = np.where(known, li, 0)
    code = codes_of(milestones["milestone"]).to_numpy(dtype=object)
    tmpl = np.asarray(line_template, dtype=object)[li] if len(lines) else np.full(n, "", dtype=object)
    step = _steps_at(templates, tmpl, code)
    unknown = known & (step < 0)
    if unknown.any():
        i = int(np.flatnonzero(unknown)[0])
        raise GendanError("未知工序代码 unknown milestone code", file=file, sheet=schema.MILESTONES.sheet,
                          row=int(milestones.index[i]), column=schema.MILESTONES.field("milestone").header,
                          value=milestones["milestone"].iloc[i],
                          expected=f"a milestone of template {tmpl[i]}: " + ", ".join(
                              templates.loc[templates["template"] == tmpl[i], "milestone"]), code=ErrorCode.UNKNOWN_TA)
    step = np.where(step < 0, len(templates), step)   # the row past the end: the blanks below

    def found(column, blank, dtype):
        return np.append(templates[column].to_numpy(dtype=dtype), np.array([blank], dtype=dtype))[step]
    lead = found("lead_wd", np.nan, float)
    critical = found("critical", False, object).astype(bool)
    name = np.where(known, found("name", "", object), milestones.get("name", pd.Series(
        [None] * n, index=milestones.index)).to_numpy(dtype=object))
    plan_d, actual = as_days(milestones["plan_date"]), as_days(milestones["actual_date"])
    actual = np.where(actual > today, np.datetime64("NaT"), actual)   # done after the as-of date: not yet then
    # each row's calendar (a row without its order line: the default), as a number into ``calendars``
    line_cal, calendars = pd.factorize(np.append(np.asarray(book.resolve(np.asarray(countries, dtype=object)),
                                                            dtype=object).reshape(len(lines)), book.resolve(None)))
    cal_no = np.where(known, line_cal[li], line_cal[-1])
    line_open = np.isin(np.asarray(lines["flag"], dtype=object), _NOT_YET_LATE)[li] & known if len(lines) else \
        np.zeros(n, dtype=bool)

    done = ~np.isnat(actual)
    waiting, expect, expect_why = _expected(expected, milestones.index, done, today)
    slack = np.full(n, np.nan)
    behind = np.full(n, np.nan)   # working days an expected date is after the plan
    projected = np.full(n, np.datetime64("NaT", "D"))
    last_order = templates.groupby("template")["order"].max()
    left = known & done & (actual <= today) & (found("order", np.nan, float) ==
                                                last_order.reindex(tmpl).to_numpy(dtype=float))
    since = np.full(n, np.nan)   # working days from the ex-factory milestone's actual to as-of

    # a done milestone speaks for the line only while no later milestone of the template is done
    order = found("order", np.nan, float)
    last = pd.Series(np.where(done & known, order, -1)).groupby(li).transform("max").to_numpy()
    current = ~done | (order >= last)

    def one(cal, rows):
        slack[rows] = cal.count(np.where(done[rows], actual[rows], today), plan_d[rows])
        late = rows & critical & line_open & current & ~np.isnat(plan_d) & np.where(
            done, actual > plan_d, np.where(waiting, expect > plan_d, today > plan_d))
        base = np.where(done, actual, np.where(waiting, expect, today))
        projected[late] = cal.add(base[late], lead[late])
        behind[rows & waiting] = cal.count(plan_d[rows & waiting], expect[rows & waiting])
        since[rows & left] = cal.count(actual[rows & left], np.full((rows & left).sum(), today))
    for k, country in enumerate(calendars.tolist()):
        one(book.calendars[country], cal_no == k)
    used = np.array([book.calendars[c].country for c in calendars.tolist()], dtype=object)[cal_no]

    no_plan = np.isnat(plan_d)
    states = np.array([s.value for s in (MilestoneState.NO_PLAN, MilestoneState.DONE, MilestoneState.DONE_LATE,
                                         MilestoneState.OVERDUE, MilestoneState.DUE_SOON, MilestoneState.LATER)],
                      dtype=object)   # in the order of the rules below
    number = np.select([no_plan, done & (actual <= plan_d), done, today > plan_d, slack <= soon_wd], list(range(5)), 5)
    state = states[number]
    pushed = ~np.isnat(projected)
    done_late = pushed & done
    # every why text built once per distinct combination of what it says
    shown_late = np.where(done_late, projected, np.datetime64("NaT", "D"))
    first, inverse = _distinct_rows(number, plan_d, actual, slack, cal_no, shown_late, known)
    why = _milestone_why(state[first], plan_d[first], actual[first], slack[first], used[first])
    late_first, unknown_first = done_late[first], ~known[first]
    why[late_first] = why[late_first] + " → 出厂 ex-factory ≥ " + day_texts(projected[first][late_first])
    why[unknown_first] = why[unknown_first] + "; 订单中没有此行 no such order line"
    why = why[inverse]
    if waiting.any():
        why[waiting] = why[waiting] + "; " + expect_why[waiting] + np.where(
            pushed[waiting], " → 出厂 ex-factory ≥ " + day_texts(projected[waiting]), "").astype(object)
    index = milestones.index
    rows = pd.DataFrame({"name": _objects(name, index), "slack_wd": slack, "state": _objects(state, index),
                         "why": _objects(why, index)}, index=index)
    projection = _line_projection(lines, countries, book, milestones, li, pushed, projected, name, code,
                                  plan_d, actual, today, np.where(waiting, behind, -slack),
                                  np.where(waiting, expect_why, None))
    return Evaluated(rows, projection.join(_ex_factory(lines.index, li[left], actual[left], since[left])),
                     (mkeys, lkeys))


def _expected(expected: pd.DataFrame | None, index: pd.Index, done: np.ndarray,
              today) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which milestone rows not done wait on an expected date, that date (never before ``today``) and
    its why, aligned with ``index``."""
    n = len(index)
    if expected is None or not len(expected):
        return np.zeros(n, dtype=bool), np.full(n, np.datetime64("NaT", "D")), np.full(n, None, dtype=object)
    found = expected.reindex(index)
    date = as_days(found["expected"])
    waiting = ~done & ~np.isnat(date)
    return waiting, np.where(waiting, np.maximum(date, today), np.datetime64("NaT", "D")), \
        found["why"].to_numpy(dtype=object)


def _ex_factory(index: pd.Index, line_at: np.ndarray, actual: np.ndarray, since: np.ndarray) -> pd.DataFrame:
    """Per line: the latest actual of its ex-factory milestone rows and the working days since."""
    out = pd.DataFrame({"ex_factory": np.full(len(index), np.datetime64("NaT", "D")), "ex_factory_wd": np.nan},
                       index=index)
    if len(line_at):
        last = pd.DataFrame({"line": line_at, "date": actual, "wd": since}).sort_values(
            ["line", "date"], kind="stable").drop_duplicates("line", keep="last")
        rows = index[last["line"].to_numpy()]
        out.loc[rows, "ex_factory"] = last["date"].to_numpy()
        out.loc[rows, "ex_factory_wd"] = last["wd"].to_numpy()
    return out


def _line_projection(lines, countries, book, milestones, li, pushed, projected, name, code, plan_d, actual,
                     today, late, expected_why) -> pd.DataFrame:
    """The latest projection over each line's late critical milestones (``late``: WD each milestone
    row is late; ``expected_why``: the why of a row's expected date, None when it has none), with its
    why."""
    out = pd.DataFrame({"done": np.full(len(lines), np.datetime64("NaT", "D")), "slack_wd": np.nan,
                        "late_wd": np.nan, "why": None}, index=lines.index)
    if not pushed.any():
        return out
    hits = pd.DataFrame({"line": li[pushed], "proj": projected[pushed], "at": np.flatnonzero(pushed)})
    best = hits.sort_values(["line", "proj", "at"], ascending=[True, False, True]).drop_duplicates("line")
    at, lp = best["at"].to_numpy(), best["line"].to_numpy()
    proj = best["proj"].to_numpy().astype("datetime64[D]")
    due = as_days(lines["due_date"])[lp]
    slack = np.full(len(lp), np.nan)
    country = np.asarray(countries, dtype=object)[lp]

    def one(cal, rows):
        slack[rows] = cal.count(proj[rows], due[rows])
    place, _, calendars = book.each_calendar(country, one)
    used = calendars[place]   # each line's calendar code
    first, inverse = _distinct_rows(name[at], code[at])
    short = np.array([_short(str(name[at[i]]), code[at[i]]) for i in first], dtype=object)[inverse]
    state = np.where(np.isnat(actual[at]), f"not done at {today}", "done " + day_texts(actual[at])).astype(object)
    expects = pd.notna(expected_why[at])
    state[expects] = expected_why[at][expects]
    sign = np.where(proj > due, ">", "≤").astype(object)
    texts = (short + " plan " + day_texts(plan_d[at]) + ", " + state + " (+" + whole_texts(late[at]) + " WD) → ex-factory ≥ " +
             day_texts(proj) + " " + sign + " 交期 " + day_texts(due) + ": " + whole_texts(slack) + " WD (" +
             used.astype(str).astype(object) + ")")
    idx = lines.index[lp]
    out.loc[idx, "done"] = proj
    out.loc[idx, "slack_wd"] = slack
    out.loc[idx, "late_wd"] = late[at]
    out.loc[idx, "why"] = texts
    return out


def note_unshipped(evaluated: pd.DataFrame, projection: pd.DataFrame, ship_date: pd.Series,
                   wait_wd: int) -> pd.DataFrame:
    """``why`` of each line without a ship date whose ex-factory milestone was done ``wait_wd`` or
    more working days ago ends with that fact: the ship date is what is missing."""
    wd = projection["ex_factory_wd"].reindex(evaluated.index).to_numpy(dtype=float)
    hit = (wd >= wait_wd) & ship_date.reindex(evaluated.index).isna().to_numpy()
    if not hit.any():
        return evaluated
    out = evaluated.copy()
    rows = out.index[hit]
    done = day_texts(projection["ex_factory"].reindex(rows).to_numpy().astype("datetime64[D]"))
    out.loc[rows, "why"] = (out.loc[rows, "why"].fillna("").astype(str).to_numpy(dtype=object) + "; 出厂已完成 " +
                            "ex-factory done " + done + ", " + whole_texts(wd[hit]) + " WD 未填出货日期 no ship date yet")
    return out


def combine(evaluated: pd.DataFrame, projection: pd.DataFrame, at_risk_wd: int, grace_wd: int = 0) -> pd.DataFrame:
    """The ETA-based ``slack_wd``/``flag``/``why`` of open lines merged with the milestone projection:
    the projection's flag (WILL_BE_LATE past the due date when its milestone is more than ``grace_wd``
    WD late, else AT_RISK when slack is below ``at_risk_wd``) replaces the ETA's when it is worse,
    with the smaller slack and the milestone named first in ``why`` (the ETA's reason follows).
    Other lines are left as they are."""
    out = evaluated.copy()
    slack = projection["slack_wd"].reindex(out.index).to_numpy(dtype=float)
    late = projection["late_wd"].reindex(out.index).to_numpy(dtype=float)
    has = ~np.isnan(slack)
    mflag = np.where((slack < 0) & (late > grace_wd), Flag.WILL_BE_LATE.value,
                     np.where(slack < at_risk_wd, Flag.AT_RISK.value, Flag.ON_TRACK.value))
    flags = out["flag"].to_numpy(dtype=object)
    worse = has & np.isin(flags, _NOT_YET_LATE) & (map_distinct(mflag, _RANK.get, -1).astype(int) <
                                                  map_distinct(flags, lambda f: _RANK.get(f, -1), -1).astype(int))
    if not worse.any():
        return out
    rows = out.index[worse]
    graced = (mflag == Flag.AT_RISK) & (slack < 0)
    note = np.where(graced, f" (≤ {grace_wd} WD 可追回 may be caught up)", "")[worse]
    out.loc[rows, "flag"] = mflag[worse]
    out.loc[rows, "slack_wd"] = np.fmin(out.loc[rows, "slack_wd"].to_numpy(dtype=float), slack[worse])
    out.loc[rows, "why"] = (projection["why"].reindex(rows).to_numpy(dtype=object) + note + "; ETA: " +
                            out.loc[rows, "why"].astype(str).to_numpy(dtype=object))
    return out
