"""Import issues as typed records: the reason codes (a coded vocabulary: each with its bilingual words,
and whether it only informs), the issue record, and counting and summarising them."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from gendan_xl.model.flags import Coded
from gendan_xl.model.values import is_missing


class Reason(Coded):
    """Why a row or cell was not used as it stands. The value is the code the Import Issues table
    and the JSON output carry; informational reasons are listed there but are not problems."""

    BAD_DATE = "bad_date", "日期无法识别", "date not recognised"
    BAD_NUMBER = "bad_number", "数字无法识别", "number not recognised"
    DATE_MARKER = "date_marker", "日期待定或不适用", "date pending or not applicable"
    AMBIGUOUS_DATE = "ambiguous_date", "日期的日/月顺序不明", "day/month order of the date unknown"
    IMPLAUSIBLE_DATE = "implausible_date", "日期不合理", "implausible date"
    NUMBER_MARKER = "number_marker", "无数值", "number marked as none"
    BLANK_KEY = "blank_key", "缺少关键字段", "key field blank"
    SKIPPED_TOTAL = "skipped_total", "合计行已跳过", "total row skipped", True
    SKIPPED_NOTE = "skipped_note", "备注行已跳过", "note row skipped", True
    DUPLICATE_COLUMN = "duplicate_column", "重复的列", "duplicate column"
    ERROR_CELL = "error_cell", "单元格是 Excel 错误值", "Excel error cell"
    FORMULA_WITHOUT_VALUE = "formula_without_value", "公式没有保存的值", "formula without a saved value"
    ROW_COUNTER = "row_counter", "行计数列不是行号", "row counter, not a line number"
    MARKER = "marker", "有意无数值", "no value on purpose", True
    UNRESOLVED_REFERENCE = "unresolved_reference", "引用的行没有数值", "unresolved reference"
    UNKNOWN_ORDER = "unknown_order", "找不到订单", "unknown order"
    AMBIGUOUS_MATCH = "ambiguous_match", "匹配到多个订单行", "ambiguous match"
    KEY_MISMATCH = "key_mismatch", "关键字段不符", "key mismatch"
    DUPLICATE = "duplicate", "重复的行", "duplicate row"
    CONFLICT = "conflict", "与我方字段冲突", "conflict with our field"
    NOT_IMPORTED = "not_imported", "我方字段未导入", "our field not imported"
    TOO_LONG = "too_long", "文本过长", "text too long"
    WRONG_COLUMN = "wrong_column", "填错了列", "typed in a column that is not read"
    # a quote that cannot be priced (quotes/pricing.py)
    BAD_RATE = "bad_rate", "比率超出范围", "rate out of range"
    NEGATIVE_AMOUNT = "negative_amount", "金额为负或为零", "negative or zero amount"
    MISSING_VALUE = "missing_value", "缺少必填值", "required value blank"
    NO_FX_RATE = "no_fx_rate", "没有汇率", "no exchange rate"
    FX_PER_100 = "fx_per_100", "汇率像是按 100 单位报价", "exchange rate looks quoted per 100 units"
    UNKNOWN_CODE = "unknown_code", "未知代码", "unknown code"
    # a load changing a quote revision the customer has (quotes/revisions.py)
    FROZEN_REVISION = "frozen_revision", "已报出的报价不可修改", "sent quote revision not changed"
    # a sample round the register cannot apply (samples/register.py)
    DATES_OUT_OF_ORDER = "dates_out_of_order", "日期先后颠倒", "dates out of order"
    ROUND_GOES_BACK = "round_goes_back", "轮次日期倒退", "round dated before an earlier round"
    # a supplier's sample file (samples/supplier_sync.py; a tracking number read from a number cell)
    UNKNOWN_ROUND = "unknown_round", "找不到样品轮次", "no such sample round"
    NUMBER_AS_TEXT = "number_as_text", "编号是数字单元格", "identifier in a number cell"
    # a shipment line naming no shipment of 出运 Shipments (shipments/book.py)
    UNKNOWN_SHIPMENT = "unknown_shipment", "找不到出运", "unknown shipment"

    def __init__(self, code: str, zh: str, en: str, informational: bool = False):
        super().__init__(code, zh, en)
        self.informational = informational


@dataclass(frozen=True)
class Issue:
    """One unusable row or cell: where it is (file, sheet, Excel row or csv line, column header),
    the value as shown, why, and a message for the user."""

    file: str | None
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    reason: Reason
    message: str

    @classmethod
    def from_row(cls, row: dict) -> Issue:
        """An issue from an Import Issues row (reason as its code; NaN for blanks)."""
        cells = {k: None if is_missing(row.get(k)) else row.get(k) for k in ("file", "sheet", "column", "value")}
        number = row.get("row")
        return cls(**cells, row=None if is_missing(number) else int(number), reason=Reason(row["reason"]),
                   message=row["message"])

    def table_row(self) -> dict:
        """The Import Issues row (without its timestamp): the reason as its code."""
        return {**asdict(self), "reason": self.reason.value}

    def to_json(self) -> dict:
        """The JSON form: the reason as its code, every value a str, int or null."""
        return {k: v if v is None or isinstance(v, (int, str)) else str(v) for k, v in self.table_row().items()}


def reason_counts(issues: list[Issue]) -> dict[str, int]:
    """How many issues of each reason, by code, most frequent first."""
    return pd.Series([i.reason.value for i in issues], dtype=object).value_counts().to_dict()


def problems(issues: list[Issue]) -> list[Issue]:
    """The issues that are problems (informational ones left out)."""
    return [i for i in issues if not i.reason.informational]


def summarise(issues: list[Issue], limit: int) -> list[Issue]:
    """The first ``limit`` issues of each file, then one issue per reason for the rest of that file
    ("… and 1,234 more bad_date rows"), in the order the reasons first appear."""
    kept, rest, seen = [], {}, {}
    for issue in issues:
        seen[issue.file] = seen.get(issue.file, 0) + 1
        if seen[issue.file] <= limit:
            kept.append(issue)
            continue
        group = rest.setdefault((issue.file, issue.reason), [issue, 0])
        group[1] += 1
    for (file, reason), (first, count) in rest.items():
        kept.append(Issue(file, first.sheet, first.row, None, None, reason,
                          f"… {reason.words}: 另有 {count:,} 行未列出 and {count:,} more {reason.value} rows, not "
                          f"listed (the first {limit:,} issues of the file are; the first of these is at row "
                          f"{first.row})"))
    return kept
