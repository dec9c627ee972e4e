"""Words for people, codes for machines: the log columns that show a code as bilingual words on the
sheet, and the way back. The 导入问题 Import Issues reason shows its words (``找不到订单 unknown
order``), the 变更日志 Change Log field its table's header (``预计完成 ETA``) and its table the table's
sheet name (``客户 Customers``; a blank, in an older master's rows, is Orders). Tables are read with
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


def field_word(name, table=None):
    """``eta`` -> ``预计完成 ETA``: the header of a field of ``table`` (a table key; None or blank:
    Orders); a name that is no field of it as it is."""
    spec = logged_table(table)
    return spec.field(name).header if isinstance(name, str) and name in spec.names else name


def field_code(text, table=None):
    """A field cell (a header of ``table``'s field or, in an older master, the field's name) -> the name."""
    if not isinstance(text, str) or is_blank(text):
        return text
    return schema.match_header(logged_table(table), text) or text


def logged_table(table) -> schema.Table:
    """The table a Change Log row's table cell (a key) names: Orders when blank or unknown."""
    return schema.TABLES.get(table, schema.ORDERS) if isinstance(table, str) else schema.ORDERS


def table_word(key):
    """``customers`` -> ``客户 Customers`` (anything that is no table's key as it is)."""
    return schema.TABLES[key].sheet if isinstance(key, str) and key in schema.TABLES else key


def table_code(text):
    """A table cell (a table's sheet name, either half of it, or its key) -> the key; else as it is."""
    if not isinstance(text, str) or is_blank(text):
        return text
    wanted = text.strip().casefold()
    for key, spec in schema.TABLES.items():
        if wanted in {key, spec.sheet.casefold(), *spec.sheet.casefold().split(" ", 1)}:
            return key
    return text


# (table, column) -> (code to word, word or code to code); the Change Log's field words are its row's table's
CODED = {("import_issues", "reason"): (reason_word, reason_code), ("change_log", "table"): (table_word, table_code),
         ("change_log", "field"): (field_word, field_code)}
_BY_TABLE = {("change_log", "field")}   # converted with the row's table (its key) beside the value


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
    table_of = _once(table_code)
    tables = [table_of(t) for t in out["table"]] if "table" in out.columns else [None] * len(out)
    for column, convert in columns:
        convert = _once(convert)   # a log of many rows holds few distinct words
        if (spec.key, column) in _BY_TABLE:
            converted = [convert(v, t) for v, t in zip(out[column], tables)]
        else:
            converted = [convert(v) for v in out[column]]
        out[column] = pd.Series(converted, index=out.index, dtype=object)
    return out


def _once(convert):
    """``convert`` computed once per distinct arguments (a value not hashable: each time)."""
    done = {}

    def cached(*args):
        try:
            return done[args]
        except KeyError:
            done[args] = result = convert(*args)
            return result
        except TypeError:
            return convert(*args)
    return cached
