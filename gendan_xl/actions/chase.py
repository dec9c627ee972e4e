"""gendan chase: one chase file and one message draft per supplier with lines to chase or samples to
send, showing only what the supplier may see (``chase_view``). Reads the master, never writes it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from gendan_xl.model import schema
from gendan_xl.rules.chase import by_supplier, last_updates, message, select, templates_from
from gendan_xl.rules.chase_view import asks, sample_view, supplier_view
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.file_names import safe_stem, unique_names
from gendan_xl.rules.parties import check_party, party_names, supplier_countries, supplier_detail
from gendan_xl.model.samples import SampleState
from gendan_xl.model.values import is_blank, party_key
from gendan_xl.samples.todo import TO_SEND
from gendan_xl.ooxml.files import write_atomically
from gendan_xl.ta.views import next_milestones
from gendan_xl.actions.context import run_context
from gendan_xl.actions.milestone_step import read_milestones, templates_of
from gendan_xl.actions.results import ChaseFile, ChaseResult


def chase(target, *, supplier: str | None = None, out=None, as_of: dt.date | None = None,
          drafts: bool = True) -> ChaseResult:
    """Write ``催单_<supplier>_<as-of>.xlsx`` for every supplier with lines to chase or sample rounds
    to send (overdue, or due by the file's reply deadline; only ``supplier`` when given) into ``out``
    (default: a ``催单 chase <as-of>`` folder beside the master), with its message draft beside it as
    ``.txt`` (unless ``drafts`` is False), and return the files with their message drafts."""
    # openpyxl is needed only here: imported late to keep the other commands quick to start.
    from gendan_xl.outputs.chase_file import write_chase_file

    run = run_context(target, as_of, prefetch=(schema.MILESTONES,))
    wb, frame, settings, as_of = run.wb, run.orders.frame, run.settings, run.as_of
    book, countries = run.book, run.countries
    evaluated, tna = run.with_milestones(run.evaluated(), write=False)
    updates = last_updates(frame, wb.read(schema.CHANGE_LOG).frame, as_of)
    chased = select(frame, evaluated, updates, countries, book, as_of, settings)
    if tna:
        chased = chased.join(next_milestones(chased, read_milestones(wb), templates_of(wb)))
    chased["ask"] = asks(chased, countries, book, as_of)
    suppliers = wb.read(schema.SUPPLIERS).frame
    wanted = None
    if supplier is not None:
        check_party(frame, suppliers, supplier, side="supplier")
        wanted = {party_key(n) for n in party_names(suppliers, supplier)}
        chased = chased[chased["supplier"].map(party_key).isin(wanted)]
    templates = templates_from(wb.read(schema.CHASE_TEMPLATES).frame if wb.has_table(schema.CHASE_TEMPLATES)
                               else None)
    rounds = _rounds(run, wanted)
    folder = _folder(Path(out) if out else Path(wb.path).parent / f"催单 chase {as_of.isoformat()}")
    groups = []
    for name, lines, sent in _by_supplier(chased, rounds):
        country = countries.loc[lines.index[0]] if len(lines) else supplier_countries(
            pd.Series([name]), suppliers, settings.default_country).iloc[0]
        deadline = pd.Timestamp(book.get(country).add(np.datetime64(as_of, "D"), settings.chase_reply_wd)).date()
        sent = sent[(sent["state"] == SampleState.OVERDUE.value) | (sent["due"] <= pd.Timestamp(deadline))]
        if len(lines) or len(sent):
            groups.append((name, lines, sent, deadline))
    names = unique_names([f"催单_{safe_stem(name)}_{as_of.isoformat()}" for name, *_ in groups], ".xlsx")
    files = []
    for (name, lines, sent, deadline), file_name in zip(groups, names):
        path = folder / file_name
        asked = [tna.names[c] for c in tna.codes if c in set(lines["next_code"].dropna())] if tna else []
        shown, samples = supplier_view(lines), sample_view(sent, deadline)
        write_chase_file(path, name, shown, as_of, deadline, asked, samples)
        text = message(templates, name, supplier_detail(suppliers, name, "contact"), shown, deadline, as_of,
                       file_name, samples)
        draft = path.with_suffix(".txt") if drafts else None
        if draft:
            write_atomically(draft, lambda tmp, text=text: Path(tmp).write_text(text + "\n", encoding="utf-8-sig",
                                                                      newline="\r\n"))
        files.append(ChaseFile(supplier=name, file=str(path), draft=str(draft) if draft else None, lines=len(lines),
                               reasons=lines["reason"].value_counts().to_dict(), samples=len(sent),
                               deadline=deadline.isoformat(), message=text))
    return ChaseResult(workbook=str(wb.path), as_of=as_of.isoformat(), out=str(folder), stale_wd=settings.stale_wd,
                       suppliers=len(files), lines=int(sum(f.lines for f in files)),
                       samples=int(sum(f.samples for f in files)), files=files)


def _rounds(run, wanted: set[str] | None) -> pd.DataFrame:
    """The sample rounds to send of the master's register (``samples.todo.to_send``; none without a
    Samples table), of a supplier named (``wanted``: its names as ``party_key`` compares them) when given."""
    outlook = run.sample_outlook
    if outlook is None:
        return pd.DataFrame(columns=TO_SEND)
    rounds = outlook.todo.to_send
    rounds = rounds[~rounds["supplier"].map(is_blank).astype(bool)]
    return rounds if wanted is None else rounds[rounds["supplier"].map(party_key).isin(wanted)]


def _by_supplier(chased: pd.DataFrame, rounds: pd.DataFrame) -> list[tuple[str, pd.DataFrame, pd.DataFrame]]:
    """Per supplier (``chase.by_supplier``: spellings differing only in case, width or spacing are one,
    named as its lines first write it, else its samples), in supplier order: its chased lines and its
    sample rounds to send (either may be empty)."""
    lines = {party_key(name): (name, group) for name, group in by_supplier(chased)}
    samples = {party_key(name): (name, group) for name, group in by_supplier(rounds)}
    return [((lines.get(key) or samples[key])[0], lines.get(key, (None, chased.iloc[:0]))[1],
             samples.get(key, (None, rounds.iloc[:0]))[1]) for key in sorted(set(lines) | set(samples))]


def _folder(path: Path) -> Path:
    """The output folder, created when missing; a file of that name is a clear error."""
    if path.exists() and not path.is_dir():
        raise GendanError("输出位置是文件，不是文件夹 --out is a file, not a folder", file=path, code=ErrorCode.WRONG_PATH)
    path.mkdir(parents=True, exist_ok=True)
    return path
