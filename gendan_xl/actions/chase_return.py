"""A 催单 chase file sent back: the last answers it shows (上次回复 Your last ETA, 上次已完成, 上次已出货,
上次更新) are never read as answers — a changed one could be stale. One the supplier typed over (not
blank, and not what the file was sent with, kept in its hidden ``发出时 As sent`` sheet: comparing
with the master instead would flag every line the master has moved on since) is a ``wrong_column``
issue row saying which yellow column takes the answer. A file without that sheet is not checked."""

from __future__ import annotations

from gendan_xl.model import schema
from gendan_xl.importers.extract import Extracted
from gendan_xl.importers.reading import SourceFile
from gendan_xl.model.issues import Issue, Reason
from gendan_xl.model.values import display_text, is_blank, normalise_key
from gendan_xl.outputs.chase_file import AS_SENT, COLUMNS, LAST_ANSWERS

_HEADER = {source: header for source, header, *_ in COLUMNS if source}
_ANSWERS = {schema.match_header(schema.ORDERS, header): header for _, header, _, answer in COLUMNS if answer}


def typed_over(source: SourceFile, extracted: Extracted) -> list[Issue]:
    """The issues of the last-answer cells of the sheet read that differ from the file as sent."""
    sheets = {raw.name: raw for raw in source.sheets}
    sent, raw = sheets.get(AS_SENT), sheets.get(extracted.sheet)
    if sent is None or not sent.rows or raw is None:
        return []
    at = raw.line_numbers.index(extracted.header_row) if raw.line_numbers else extracted.header_row - 1
    columns, sent_columns = _columns(raw.rows[at]), _columns(sent.rows[0])
    if not {"po_no", "line"} <= columns.keys() & sent_columns.keys():
        return []
    as_sent = {_key(row, sent_columns): row for row in sent.rows[1:]}
    issues = []
    for index in range(at + 1, len(raw.rows)):
        row = raw.rows[index]
        was = as_sent.get(_key(row, columns), [])
        for name in LAST_ANSWERS:
            if name not in columns:
                continue
            now, then = _cell(row, columns[name]), _cell(was, sent_columns.get(name))
            if not is_blank(now) and display_text(now) != display_text(then):
                issues.append(Issue(extracted.file, raw.name, raw.row_number(index), _HEADER[name], display_text(now),
                                    Reason.WRONG_COLUMN, _message(name, display_text(then))))
    return issues


def _message(name: str, then: str | None) -> str:
    header, sent = _HEADER[name], then or "空 blank"
    said = f"{header} 是发出时的记录（{sent}），不读取 shows the last answer as sent ({sent}) and is not read"
    if name in _ANSWERS:
        return (f"{said}: 请在黄色列 {_ANSWERS[name]} 填写 type the new {schema.ORDERS.field(name).en} in the yellow "
                f"column {_ANSWERS[name]}; 未应用 not applied")
    return (f"{said}: 请在黄色列填写回复 type your answers in the yellow columns ({', '.join(_ANSWERS.values())}); "
            "未应用 not applied")


def _columns(header: list) -> dict[str, int]:
    """Column of each of PO, line and the last answers in a header row of the chase file."""
    wanted = {_HEADER[name]: name for name in ("po_no", "line", *LAST_ANSWERS)}
    return {wanted[text]: col for col, value in enumerate(header) if (text := display_text(value)) in wanted}


def _cell(row: list, col: int | None):
    return row[col] if col is not None and col < len(row) else None


def _key(row: list, columns: dict[str, int]) -> tuple[str, str]:
    return normalise_key(_cell(row, columns["po_no"])), normalise_key(_cell(row, columns["line"]))
