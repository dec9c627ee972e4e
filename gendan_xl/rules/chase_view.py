"""What a supplier sees of its chased lines and what we ask it, in plain words (pure).

A chase file and its message go to the supplier: they show only what it knows or must answer
(never our customer, prices, remarks or reasoning). ``supplier_view`` keeps the line (PO, line, style, colour, qty), the due date it was
given — 工厂交期 ``supplier_due`` where set, else 交期 ``due_date``, never the customer's date when
they differ —, its own last answers (ETA, produced, shipped, the date of its last update), its next
milestone (of its own, ``ta.views.next_milestones``) with its plan, and the ``ask``. A milestone plan
after the supplier's due date is not shown (T&A plans count back from our 交期: the ex-factory plan
is our customer's date), so nothing reveals our date.

The ask is built from those facts, never from our ``why`` (no flag, slack, threshold, risk figure,
statistic, calendar note or code). Each that applies, in this order, joined by ``; ``:

1. its due date has passed: 交期 D 已过… the due date D has passed and the order is not fully shipped
   — please advise the ship date;
2. else its ETA has passed: 您的预计完成 E 已过… your ETA E has passed — please give a new ETA;
3. else its ETA is after its due date: 您的预计完成 E 晚于交期 D… your ETA is N working days after the
   due date — please advise how to catch up (N counted in the supplier's calendar);
4. its next milestone is overdue (its plan shown, before the as-of date): 裁剪 Cutting 尚未完成 (计划 P)
   not done yet (plan P);
5. none of these on a flagged line (late against our date, a milestone that is not the supplier's,
   the risk model: nothing it can answer about): 请确认能按期出货 please confirm the due date,
   after 您的预计完成已由 A 改为 B your ETA moved from A to B when its ETA slipped;
6. no ETA (its due date not passed): 请提供预计完成日期 please give your ETA;
7. no news for ``stale_wd`` working days: 已 N 个工作日无更新 no update for N working days (since its
   order date when it never sent any; 尚无更新 no update yet when neither is known).

Its samples to send (``samples.todo.to_send``: rounds not sent, overdue or due by the chase file's reply
deadline): ``sample_view`` keeps the sample number, round, kind (in words), PO, line, style, colour,
size, qty and due date — never the customer, the charge, the comments or our state and why — and asks
产前样请于 D 前寄出 please send the PP sample by D: D its due date, or the reply deadline when that has
passed.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from gendan_xl.model.samples import SampleKind, SampleState
from gendan_xl.rules.calendar import CalendarBook

# The columns a supplier may see, in the order the chase file shows them.
SHOWN = ("po_no", "line", "style", "color", "qty", "due_date", "supplier_due", "eta", "produced_qty",
         "shipped_qty", "last_update", "ask", "next_milestone")


# The columns of a sample round a supplier may see, in the order the chase file shows them.
SAMPLE_SHOWN = ("sample_no", "round", "kind", "po_no", "line", "style", "color", "size", "qty", "due", "ask")


def sample_view(rounds: pd.DataFrame, deadline: dt.date) -> pd.DataFrame:
    """``SAMPLE_SHOWN`` of a supplier's rounds to send (``samples.todo.to_send`` rows: ``kind`` a code,
    ``state``): the kind in words, the ask by the due date, by ``deadline`` for an OVERDUE round."""
    out = rounds.reindex(columns=list(SAMPLE_SHOWN))
    overdue = rounds["state"] == SampleState.OVERDUE.value
    by = rounds["due"].where(~overdue, pd.Timestamp(deadline))
    out["ask"] = [sample_ask(kind, day) for kind, day in zip(rounds["kind"], by)]
    out["kind"] = rounds["kind"].map(lambda code: SampleKind(code).words)
    return out


def sample_ask(kind: str, by) -> str:
    """``产前样请于 2026-12-10 前寄出 please send the PP sample by 2026-12-10``: a round of ``kind`` (its
    code) to send by the day ``by``."""
    member = SampleKind(kind)
    en = member.en if member.en[1:2].isupper() else member.en[:1].lower() + member.en[1:]
    return f"{member.zh}请于 {_day(by)} 前寄出 please send the {en} by {_day(by)}"


def their_due(lines: pd.DataFrame) -> pd.Series:
    """The due date each line's supplier was given: 工厂交期 supplier_due where set, else 交期."""
    return lines["supplier_due"].where(lines["supplier_due"].notna(), lines["due_date"])


def supplier_view(lines: pd.DataFrame) -> pd.DataFrame:
    """``SHOWN`` of the chased lines (with ``ask``, and ``next_name`` / ``next_plan`` when the master
    has T&A): ``due_date`` only where no ``supplier_due`` is set, so a line shows one due date, the
    supplier's; ``next_milestone`` its name · 计划 plan date."""
    out = lines.reindex(columns=list(SHOWN))
    out["due_date"] = out["due_date"].where(out["supplier_due"].isna())
    if "next_name" in lines:
        plan = _their_plan(lines)
        out["next_milestone"] = [name if pd.isna(day) else f"{name} · 计划 plan {_day(day)}"
                                 for name, day in zip(lines["next_name"], plan)]
        out["next_milestone"] = out["next_milestone"].where(lines["next_name"].notna())
    return out


def _their_plan(lines: pd.DataFrame) -> pd.Series:
    """The plan of each line's next milestone, NaT when none or after the supplier's due date."""
    plan = lines.get("next_plan", pd.Series(pd.NaT, index=lines.index))
    return plan.where(~(plan > their_due(lines)))


def asks(lines: pd.DataFrame, countries: pd.Series, book: CalendarBook, as_of: dt.date) -> pd.Series:
    """The ask of every chased line (``chase.select``'s columns, with ``next_name`` and ``next_plan``
    when the master has T&A), indexed like ``lines``."""
    due, eta = their_due(lines), lines["eta"]
    after = book.count_each(countries.reindex(lines.index).to_numpy(dtype=object), due, eta)
    name = lines.get("next_name", pd.Series(None, index=lines.index, dtype=object))
    rows = zip(due, eta, lines["prev_eta"], after, name, _their_plan(lines), lines["flagged"], lines["stale"],
               lines["idle_wd"], lines["last_update"], lines["order_date"])
    today = pd.Timestamp(as_of)
    return pd.Series(["; ".join(_ask(today, *row)) for row in rows], index=lines.index, dtype=object)


def _ask(today, due, eta, prev, after, name, plan, flagged, stale, idle, updated, ordered) -> list[str]:
    said = []
    passed = pd.notna(due) and due < today
    if passed:
        said.append(f"交期 {_day(due)} 已过，尚未全部出货，请告知出货日期 the due date {_day(due)} has passed "
                    "and the order is not fully shipped — please advise the ship date")
    elif pd.notna(eta) and eta < today:
        said.append(f"您的预计完成 {_day(eta)} 已过，请提供新的预计完成日期 your ETA {_day(eta)} has passed — "
                    "please give a new ETA")
    elif pd.notna(eta) and pd.notna(due) and eta > due:
        said.append(_after_due(eta, due, after))
    if isinstance(name, str) and name and pd.notna(plan) and plan < today:
        said.append(f"{name} 尚未完成 (计划 {_day(plan)}) not done yet (plan {_day(plan)})")
    if not said and flagged:
        if pd.notna(prev) and pd.notna(eta) and eta > prev:
            said.append(f"您的预计完成已由 {_day(prev)} 改为 {_day(eta)}，请确认能按期出货 "
                        f"your ETA moved from {_day(prev)} to {_day(eta)} — please confirm the due date")
        else:
            said.append("请确认能按期出货 please confirm the due date")
    if pd.isna(eta) and not passed:
        said.append("请提供预计完成日期 please give your ETA")
    if stale:
        said.append(_no_news(idle, updated, ordered))
    return said


def _after_due(eta, due, after: float) -> str:
    """Ask 3: the ETA after the due date, by ``after`` working days (none when both fall between
    the same two working days)."""
    if after >= 1:
        n = int(after)
        return (f"您的预计完成 {_day(eta)} 晚于交期 {_day(due)} 共 {n} 个工作日，请告知如何追回 your ETA is "
                f"{n} working day{'s' if n > 1 else ''} after the due date — please advise how to catch up")
    return (f"您的预计完成 {_day(eta)} 晚于交期 {_day(due)}，请告知如何追回 "
            "your ETA is after the due date — please advise how to catch up")


def _no_news(idle: float, updated, ordered) -> str:
    if np.isnan(idle):
        return "尚无更新 no update yet"
    if pd.isna(updated) and pd.notna(ordered):
        return (f"下单 {_day(ordered)} 后已 {int(idle)} 个工作日无更新 "
                f"no update in the {int(idle)} working days since the order of {_day(ordered)}")
    return f"已 {int(idle)} 个工作日无更新 no update for {int(idle)} working days"


def _day(value) -> str:
    return pd.Timestamp(value).date().isoformat()
