"""Words for people, codes for machines: the log columns that show a code as bilingual words on the
sheet, and the way back. The 导入问题 Import Issues reason shows its words (``找不到订单 unknown
order``), the 变更日志 Change Log field its Orders header (``预计完成 ETA``). Tables are read with
codes (an older master holds codes, a newer one words: both read the same), so every reader, the
CSV export and ``--json`` see codes.

The Orders Flag column keeps ``LATE 已延误`` (``Flag.label``: each flag is named so), and the row colours,
the Flag filter, ``GD_FLAG`` and users' formulas key on that text.
"""

from __future__ import annotations

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.issues import Reason
from gendan_xl.model.values import is_blank


def reason_word(code):
    """``unknown_order`` -> ``找不到订单 unknown order`` (anything that names no reason as it is)."""
    reason = Reason.read(code)
    return reason.words if reason else code


def reason_code(text):
    """A reason cell (its words or, in an older master, its code) -> the code (anything else as it is)."""
    reason = Reason.read(text)
    return reason.value if reason else text


def field_word(name):
    """``eta`` -> ``预计完成 ETA`` (a name that is no Orders field as it is)."""
    return schema.ORDERS.field(name).header if isinstance(name, str) and name in schema.ORDERS.names else name


def field_code(text):
    """A field cell (an Orders header or, in an older master, the field's name) -> the name."""
    if not isinstance(text, str) or is_blank(text):
        return text
    return schema.match_header(schema.ORDERS, text) or text


# (table, column) -> (code to word, word or code to code)
CODED = {("import_issues", "reason"): (reason_word, reason_code), ("change_log", "field"): (field_word, field_code)}


def as_words(spec: schema.Table, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its coded columns as the words people read."""
    return _mapped(spec, frame, 0)


def as_codes(spec: schema.Table, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its coded columns as codes (words or codes in, codes out)."""
    return _mapped(spec, frame, 1)


def _mapped(spec: schema.Table, frame: pd.DataFrame, way: int) -> pd.DataFrame:
    columns = [(column, maps[way]) for (table, column), maps in CODED.items()
               if table == spec.key and column in frame.columns]
    if not columns or frame.empty:
        return frame
    out = frame.copy()
    for column, convert in columns:
        out[column] = out[column].map(convert).astype(object)
    return out
