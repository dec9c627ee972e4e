"""催单 Chase (pure): which open lines to chase per supplier, why, and the message draft.

A line is chased when it is open and its flag is ``LATE``, ``WILL_BE_LATE`` or ``AT_RISK``, or when
its supplier sent no news for ``stale_wd`` working days (``NO_NEWS``, counted in the supplier's
calendar up to the as-of date). Open means not ``SHIPPED`` / ``SHIPPED_LATE``, with a due date
(a ``NO_DATE`` line is ours to complete, not the supplier's to answer) and a status other than
``CANCELLED 已取消``.

Last supplier update of a line: the latest day of the Change Log rows that sync wrote for it
(note ``同步 sync`` — a value applied — or ``冲突未应用 conflict`` — the supplier's file named the
line with another value of our field), matched on the log's Order column ``PO / line`` as the master
spells them. A row's day is the as-of date of the sync that logged it (else, in a row an older
gendan logged, the day of its timestamp); rows dated after the as-of date are not known then. A file that only repeats what the master holds logs nothing, so it is not news. A
line never updated counts from its order date; a line with neither is ``NO_NEWS`` (never heard of).

Message templates are text with placeholders ``{contact}`` (the supplier's contact from the Suppliers
table, else its name), ``{supplier}``, ``{count}``, ``{lines}`` (one line per order line: what the
supplier sees of it, ``chase_view``), ``{deadline}`` (as-of + ``chase_reply_wd`` working days),
``{as_of}`` and ``{file}``; any other ``{word}`` is left as written. A supplier's samples to send
follow the templates in a built-in bilingual paragraph (``SAMPLES_TEXT``, one line per round). A template row that still holds
an earlier built-in text, unedited, is read as today's built-in text of its language.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from gendan_xl.rules.calendar import CalendarBook
from gendan_xl.model.changes import log_days, order_labels
from gendan_xl.rules.chase_view import their_due
from gendan_xl.model.flags import EXCEPTIONS, FOLLOWED
from gendan_xl.model.settings import Settings
from gendan_xl.rules.sync import CONFLICT_NOTE, SYNC_NOTE
from gendan_xl.model.values import display_text, is_blank, party_key

NO_NEWS = "NO_NEWS"
PLACEHOLDERS = ("contact", "supplier", "count", "lines", "deadline", "as_of", "file")
DEFAULT_TEMPLATES = (
    ("zh", "{contact} 您好：\n截至 {as_of}，以下 {count} 个订单行需要您确认进度：\n{lines}\n"
           "请在附件 {file} 的黄色列填写新的预计完成日期、已完成数量、出货数量和备注，并于 {deadline} 前发回。谢谢！"),
    ("en", "Dear {contact},\nas of {as_of}, please confirm the progress of these {count} order lines:\n"
           "{lines}\nPlease fill in the yellow columns of the attached {file} (new ETA, produced qty, "
           "shipped qty, remarks) and send it back by {deadline}. Thank you!"),
)
# A supplier's samples to send, after the templates; and the whole message of a supplier with samples only.
SAMPLES_TEXT = ("样品 Samples — 请按期寄出以下样品，寄出后在附件 {file} 的黄色列填写寄出日期、快递公司和运单号 "
                "please send these samples on time and fill in the sent date, courier and AWB in the yellow "
                "columns of {file}:\n{samples}")
SAMPLES_ONLY = ("{contact} 您好 Dear {contact},\n截至 as of {as_of}:\n" + SAMPLES_TEXT +
                "\n请于 {deadline} 前发回 please send it back by {deadline}. 谢谢 Thank you!")
# The built-in texts of earlier versions (greeting the company): a master still holding one unedited
# gets today's.
_EARLIER = {text.replace("{contact}", "{supplier}"): text for _, text in DEFAULT_TEMPLATES}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")   # no place in a message (tab and newline kept)


def last_updates(orders: pd.DataFrame, change_log: pd.DataFrame, as_of: dt.date) -> pd.Series:
    """The day of the latest supplier update (Change Log rows sync wrote) of every order line as of
    ``as_of``, NaT when none."""
    log = change_log[change_log["note"].isin([SYNC_NOTE, CONFLICT_NOTE])]
    day = log_days(log)
    known = (day <= pd.Timestamp(as_of)).to_numpy()
    latest = day[known].groupby(log["order_key"].astype(str)[known]).max()
    found = latest.reindex(order_labels(orders["po_no"], orders["line"]))
    return pd.Series(pd.to_datetime(found.to_numpy()), index=orders.index)


def select(orders: pd.DataFrame, evaluated: pd.DataFrame, updates: pd.Series, countries: pd.Series,
           book: CalendarBook, as_of: dt.date, settings: Settings) -> pd.DataFrame:
    """The lines to chase, sorted by supplier then slack: the order columns plus ``flag`` (code),
    ``reason`` (LATE / WILL_BE_LATE / AT_RISK / NO_NEWS, ``+`` joined: ours, never the supplier's),
    ``flagged`` and ``stale`` (why it is chased), ``last_update`` (the supplier's last update, NaT when
    none) and ``idle_wd`` (working days since it, else since the order date)."""
    flag = evaluated["flag"]
    cancelled = is_cancelled(orders["status"])
    is_open = flag.isin(FOLLOWED) & ~cancelled
    since = updates.dt.normalize().fillna(pd.to_datetime(orders["order_date"], errors="coerce"))
    idle = _idle_days(since, countries, book, as_of)
    stale = is_open & (np.isnan(idle) | (idle >= settings.stale_wd))
    risky = flag.isin(EXCEPTIONS) & ~cancelled
    chased = (risky | stale).to_numpy()
    out = orders.loc[chased].copy()
    out["flag"], out["slack_wd"] = flag[chased], evaluated["slack_wd"][chased]
    out["last_update"], out["idle_wd"] = updates[chased].dt.normalize(), idle[chased]
    out["flagged"], out["stale"] = risky[chased], stale[chased]
    out["reason"] = np.where(out["flagged"], out["flag"], "") + np.where(out["stale"] & out["flagged"], "+", "") + \
        np.where(out["stale"], NO_NEWS, "")
    out = out[~out["supplier"].map(is_blank).astype(bool)]
    return out.sort_values(["supplier", "slack_wd"], key=_sort_key, kind="stable")


def is_cancelled(status: pd.Series) -> pd.Series:
    """True for a Status of ``CANCELLED 已取消`` (or ``CANCELED``, ``已取消`` alone)."""
    return status.map(lambda v: bool(re.match(r"\s*(CANCELL?ED|已取消)", str(v), re.I))).astype(bool)


def _sort_key(column: pd.Series) -> pd.Series:
    return column.map(lambda v: str(v).strip().casefold()) if column.name == "supplier" else column


def _idle_days(since: pd.Series, countries: pd.Series, book: CalendarBook, as_of: dt.date) -> np.ndarray:
    """Working days from ``since`` to ``as_of`` in each line's supplier calendar (NaN when unknown)."""
    return book.count_each(countries.to_numpy(dtype=object), since, np.full(len(since), np.datetime64(as_of, "D")))


def by_supplier(selected: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The chased lines per supplier (spellings differing only in case, width or spacing are one
    supplier, named as first written), in supplier order."""
    keys = selected["supplier"].map(party_key)
    return [(str(group["supplier"].iloc[0]).strip(), group) for _, group in selected.groupby(keys, sort=True)]


def render_template(template: str, values: dict[str, str]) -> str:
    """``template`` with every known ``{placeholder}`` replaced; other braces stay as written."""
    return _PLACEHOLDER.sub(lambda m: values.get(m[1], m[0]), template)


def line_text(row, due) -> str:
    """One line of the ``{lines}`` placeholder: PO / line · style colour · qty · the supplier's due
    date · what we ask (``row``: of ``chase_view.supplier_view``)."""
    item = " ".join(t for t in (display_text(row.style), display_text(row.color)) if t)
    qty = display_text(row.qty)
    due = due.date().isoformat() if pd.notna(due) else "—"
    return (f"- {display_text(row.po_no)} / {display_text(row.line)}" + (f" · {item}" if item else "")
            + (f" · {qty}" if qty else "") + f" · 交期 due {due} · {row.ask}")


def message(templates: list[tuple[str, str]], supplier: str, contact: str | None, lines: pd.DataFrame,
            deadline: dt.date, as_of: dt.date, file: str, samples: pd.DataFrame | None = None) -> str:
    """The message draft: every template (one per language) filled in, separated by a blank line;
    ``lines``: what the supplier sees (``chase_view.supplier_view``). Its samples to send
    (``chase_view.sample_view``) follow in a paragraph of their own (``SAMPLES_TEXT``); a supplier with
    samples and no line gets the built-in ``SAMPLES_ONLY`` text instead of the templates."""
    text = "\n".join(line_text(r, d) for r, d in zip(lines.itertuples(), their_due(lines)))
    values = {"contact": contact or supplier, "supplier": supplier, "count": str(len(lines)),
              "as_of": as_of.isoformat(), "lines": text, "deadline": deadline.isoformat(), "file": file}
    sampled = samples is not None and len(samples) > 0
    parts = [render_template(text, values) for _, text in templates] if len(lines) or not sampled else []
    if sampled:
        rounds = "\n".join(sample_text(r) for r in samples.itertuples())
        parts.append(render_template(SAMPLES_TEXT if parts else SAMPLES_ONLY, {**values, "samples": rounds}))
    return _CONTROL.sub("", "\n\n".join(parts))


def sample_text(row) -> str:
    """One line of a message's samples: sample no. / round · kind · PO / line · style colour size · qty ·
    what we ask (``row``: of ``chase_view.sample_view``)."""
    order = " / ".join(t for t in (display_text(row.po_no), display_text(row.line)) if t)
    item = " ".join(t for t in (display_text(row.style), display_text(row.color), display_text(row.size)) if t)
    qty = display_text(row.qty)
    return (f"- {display_text(row.sample_no)} 第 {display_text(row.round)} 轮 round {display_text(row.round)} · "
            f"{row.kind}" + "".join(f" · {t}" for t in (order, item, qty) if t) + f" · {row.ask}")


def templates_from(frame: pd.DataFrame | None) -> list[tuple[str, str]]:
    """The (language, template) rows of the Chase Templates table (an earlier built-in text read as
    today's), else the built-in default."""
    if frame is None:
        return list(DEFAULT_TEMPLATES)
    rows = [(display_text(lang) or "", _EARLIER.get(str(text), str(text)))
            for lang, text in zip(frame["language"], frame["template"]) if display_text(text)]
    return rows or list(DEFAULT_TEMPLATES)
