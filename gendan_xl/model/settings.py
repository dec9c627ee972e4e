"""Named settings (thresholds, tolerances, as-of date, default calendar) read from the Settings sheet.

Every label gendan writes is bilingual (Chinese and English), so there is no language setting.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, fields, replace

import pandas as pd

from gendan_xl.model.bounds import check_date
from gendan_xl.model.date_cells import AmbiguousDate, day_month_readings, parse_date
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.number_cells import read_rate
from gendan_xl.model.schema import SETTINGS
from gendan_xl.model.values import display_text, is_blank, yes_no



def _doc(zh: str, en: str, **kwargs):
    return field(metadata={"doc": f"{zh} {en}"}, **kwargs)


@dataclass(frozen=True)
class Settings:
    """Every tolerance and threshold, with its default; one Settings-sheet row per field."""

    at_risk_wd: int = _doc("余量低于此工作日数即为有风险", "At risk when slack is below this many working days",
                           default=3)
    as_of: dt.date | None = _doc("截至日期;空白 = 今天", "As-of date; blank = today", default=None)
    ship_tolerance_pct: float = _doc("未出数量不超过数量的此百分比即视为全部出货",
                                     "Fully shipped when the open qty is within this % of qty",
                                     default=0.0)
    amount_tolerance: float = _doc("对账金额差异在此以内视为一致",
                                   "Reconciliation: amount differences within this count as matched",
                                   default=0.01)
    qty_tolerance: float = _doc("对账数量差异在此以内视为一致",
                                "Reconciliation: qty differences within this count as matched",
                                default=0.0)
    default_country: str = _doc("供应商未填国家时使用的日历", "Calendar for suppliers without a country",
                                default="CN")
    lock_wait_seconds: float = _doc("另一个 gendan 正在写入时等待的秒数",
                                    "Seconds to wait while another gendan writes this workbook", default=10.0)
    lock_stale_minutes: float = _doc("锁文件超过此分钟数未更新即视为过期并解除",
                                     "A lock file untouched for this many minutes is stale and broken",
                                     default=60.0)
    stale_wd: int = _doc("供应商超过此工作日数没有更新即须催单（无消息）",
                         "Chase an open line whose supplier sent no update for this many working days "
                         "(no news)", default=5)
    chase_reply_wd: int = _doc("催单回复期限：截至日期后此工作日数",
                               "Chase: the supplier is asked to reply within this many working days",
                               default=2)
    report_shipped_days: int = _doc("客户报告列出最近此日历天数内（含截至日期）已出货的行",
                                    "Customer report: lists the lines shipped in this many calendar days up to "
                                    "the as-of date", default=30)
    ta_template: str = _doc("供应商未指定工序模板时使用的模板", "T&A template for suppliers that name none",
                            default="APPAREL")
    milestone_soon_wd: int = _doc("工序计划日期在此工作日数以内即为即将到期",
                                  "A milestone planned within this many working days is due soon", default=5)
    milestone_grace_wd: int = _doc("关键工序延误不超过此工作日数时只标为有风险（工厂常能追回）",
                                   "A critical milestone at most this many working days late makes a line at "
                                   "risk, not will-be-late (factories often catch up)", default=3)
    ex_factory_ship_wd: int = _doc("出厂工序完成超过此工作日数仍无出货日期时在原因中提示",
                                   "Why says so when a line's ex-factory milestone was done this many working "
                                   "days ago and it has no ship date", default=5)
    risk_model: bool = _doc("风险模型: 是 = 按历史预测每个未完成行的延误风险, 否 = 关闭",
                            "Risk model: yes = predict each open line's late risk from history, no = off",
                            default=True)
    risk_threshold: float = _doc("预测延误风险达到此值(0–1)的未完成行为有风险",
                                 "An open line whose predicted late risk (0–1) reaches this is at risk",
                                 default=0.3)
    risk_half_life_days: float = _doc("风险模型: 历史按此天数减半加权 (越近越重)",
                                      "Risk model: history weighs half as much every this many days",
                                      default=365.0)
    vat_rate: float = _doc("报价: 增值税率未填时使用此税率", "Quotations: the VAT rate of a quote that gives none",
                           default=0.13)
    refund_rate: float = _doc("报价: 出口退税率未填时使用此退税率",
                              "Quotations: the export refund rate of a quote that gives none", default=0.13)
    bank_fee_rate: float = _doc("报价: 银行费率未填时使用此费率 (FOB 净价的比例)",
                                "Quotations: the bank fee rate (a share of the FOB net price) of a quote that "
                                "gives none", default=0.0)
    commission_rate: float = _doc("报价: 佣金率未填时使用此佣金率", "Quotations: the commission rate of a quote "
                                  "that gives none", default=0.0)
    quote_decimals: int = _doc("报价: 客户看到的价格保留的小数位数 (四舍五入)",
                               "Quotations: the decimals of the price the customer sees (rounded half up)",
                               default=2)
    fx_alert_points: float = _doc("报价: 按今日汇率的盈亏率低于报价时超过此百分点即提示 (汇率变动)",
                                  "Quotations: the rate moved when an open quote's margin at today's rate is this "
                                  "many percentage points below its own", default=2.0)
    company_name: str = _doc("我司名称: 报价单等发给客户的文件抬头", "Our company's name, atop the documents we "
                             "send customers (the quotation)", default="")
    company_address: str = _doc("我司地址: 印在文件抬头", "Our company's address, atop those documents",
                                default="")
    company_phone: str = _doc("我司电话: 印在文件抬头", "Our company's phone, atop those documents", default="")
    company_email: str = _doc("我司邮箱: 印在文件抬头", "Our company's e-mail, atop those documents", default="")
    sample_resubmit_wd: int = _doc("样品: 被拒后下一轮须在拒绝日期后此工作日数内寄出 (供应商日历)",
                                   "Samples: a rejected sample's next round is due this many working days after "
                                   "the rejection (the supplier's calendar)", default=5)
    sample_reply_wd: int = _doc("样品: 客户签收后此工作日数仍未批复即催客户",
                                "Samples: ask the customer for comments when a received sample has no answer "
                                "after this many working days", default=5)
    sample_turnaround_wd: int = _doc("样品: 客户尚无批样记录时假定的批复工作日数",
                                     "Samples: the working days a customer is assumed to take to answer a sample "
                                     "until it has a history", default=5)
    cutoff_warn_wd: int = _doc("出运: 截补料前此工作日数以内单证检查未通过即提示",
                               "Shipments: warn when a document check fails this many working days or fewer "
                               "before the SI cut-off", default=3)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame | None) -> Settings:
        """Settings from a Settings table (columns key, value, description) indexed by Excel row,
        as ``Workbook.read`` gives it (blank rows are already left out, so the index, not the
        position, is the row a user sees).

        Blank values keep the default; an unknown or repeated key or a bad value raises GendanError
        naming the sheet, the Excel row and the value.
        """
        if frame is None or frame.empty:
            return cls()
        known = {f.name: f for f in fields(cls)}
        values = {}
        for row, key, value in zip(frame.index, frame["key"], frame["value"]):
            row = int(row)
            if is_blank(key):
                continue
            key = str(key).strip()
            if key not in known:
                raise GendanError("未知设置 unknown setting", sheet=SETTINGS.sheet, row=row,
                                  column=SETTINGS.field("key").header, value=key,
                                  expected="one of " + ", ".join(known), code=ErrorCode.BAD_SETTING)
            if key in values:
                raise GendanError("重复设置 duplicate setting", sheet=SETTINGS.sheet, row=row,
                                  column=SETTINGS.field("key").header, value=key, code=ErrorCode.BAD_SETTING)
            if is_blank(value):
                continue
            try:
                values[key] = _PARSERS[key](value)
            except (TypeError, ValueError) as exc:
                raise GendanError(f"设置值无效 invalid value for {key}", sheet=SETTINGS.sheet, row=row,
                                  column=SETTINGS.field("value").header, value=value,
                                  expected=str(exc), code=ErrorCode.BAD_SETTING) from None
        return replace(cls(), **values)

    @classmethod
    def rows(cls) -> pd.DataFrame:
        """The default Settings-sheet rows: key, value (blank for None), bilingual description."""
        defaults = cls()
        return pd.DataFrame(
            [(f.name, getattr(defaults, f.name), f.metadata["doc"]) for f in fields(cls)],
            columns=SETTINGS.names,
        )


def _number(value) -> float:
    if isinstance(value, bool):
        raise ValueError("a number")
    if isinstance(value, str):
        value = value.strip().rstrip("%").replace(",", "")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError("a number") from None
    if not math.isfinite(number) or number < 0:
        raise ValueError("a number >= 0")
    return number


def _whole(value) -> int:
    number = _number(value)
    if number != int(number):
        raise ValueError("a whole number >= 0")
    return int(number)


def _percent(value) -> float:
    number = _number(value)
    if number > 100:
        raise ValueError("a percentage between 0 and 100")
    return number


def _fraction(value) -> float:
    """0–1, or a percentage written as ``30%``."""
    number = _number(value)
    if isinstance(value, str) and value.strip().endswith("%"):
        number /= 100
    if number > 1:
        raise ValueError("a share between 0 and 1 (or a percentage such as 30%)")
    return number


def _rate(value) -> float:
    """A rate as quotes read one (``number_cells.read_rate``: ``13%``, ``0.13`` and ``13`` are 13 %),
    from 0 to below 100 %."""
    expected = "a rate from 0 to below 100 % (13%, 0.13 or 13)"
    try:
        rate = read_rate(value)
    except ValueError:
        raise ValueError(expected) from None
    if rate is None or not 0 <= rate < 1:
        raise ValueError(expected)
    return rate


def _positive(value) -> float:
    number = _number(value)
    if number <= 0:
        raise ValueError("a number > 0")
    return number


def _date(value) -> dt.date:
    """A date as ``date_cells`` reads a date cell; a day/month date (``05/12/2026``, ``26/11/2026``)
    is refused, its order never guessed."""
    expected = "a date such as 2026-03-05"
    try:
        day = parse_date(value, dayfirst=None)
    except AmbiguousDate:
        readings = " or ".join(sorted({str(r) for r in day_month_readings(value) if r}))
        raise ValueError(f"{expected}: write {value!r} as {readings} (a day/month order is never guessed)") from None
    except ValueError as exc:
        raise ValueError(f"{expected} ({exc})") from None
    if day is None:   # a marker such as TBD
        raise ValueError(expected)
    return check_date(day)


def _within(parse, low: float, high: float, unit: str):
    """``parse`` whose result must lie in [low, high] (each number setting states its range)."""
    def parsed(value):
        number = parse(value)
        if not low <= number <= high:
            raise ValueError(f"{low:g} to {high:g} {unit}".rstrip())
        return number
    return parsed


def _text(value) -> str:
    """A text setting as a cell shows it (a phone typed as a number keeps its digits, no ``.0``)."""
    return display_text(value) or ""


def _country(value) -> str:
    code = str(value).strip().upper()
    if not (code.isascii() and code.isalpha() and len(code) == 2):
        raise ValueError("a two-letter country code such as CN")
    return code


_WD = 260   # a year of working days: the most any working-day setting may span
_PARSERS = {
    "at_risk_wd": _within(_whole, 0, _WD, "working days"),
    "as_of": _date,
    "ship_tolerance_pct": _percent,
    "amount_tolerance": _within(_number, 0, 1e9, ""),
    "qty_tolerance": _within(_number, 0, 1e9, ""),
    "default_country": _country,
    "lock_wait_seconds": _within(_number, 0, 3600, "seconds"),
    "lock_stale_minutes": _within(_number, 0, 10080, "minutes"),
    "stale_wd": _within(_whole, 0, _WD, "working days"),
    "chase_reply_wd": _within(_whole, 0, _WD, "working days"),
    "report_shipped_days": _within(_whole, 0, 3660, "days"),
    "ta_template": lambda value: str(value).strip(),
    "milestone_soon_wd": _within(_whole, 0, _WD, "working days"),
    "milestone_grace_wd": _within(_whole, 0, _WD, "working days"),
    "ex_factory_ship_wd": _within(_whole, 0, _WD, "working days"),
    "risk_model": yes_no,
    "risk_threshold": _fraction,
    "risk_half_life_days": _within(_positive, 0, 36500, "days"),
    "vat_rate": _rate,
    "refund_rate": _rate,
    "bank_fee_rate": _rate,
    "commission_rate": _rate,
    "quote_decimals": _within(_whole, 0, 6, "decimals"),
    "fx_alert_points": _within(_number, 0, 100, "percentage points"),
    "company_name": _text,
    "company_address": _text,
    "company_phone": _text,
    "company_email": _text,
    "sample_resubmit_wd": _within(_whole, 0, _WD, "working days"),
    "sample_reply_wd": _within(_whole, 0, _WD, "working days"),
    "sample_turnaround_wd": _within(_whole, 0, _WD, "working days"),
    "cutoff_warn_wd": _within(_whole, 0, _WD, "working days"),
}
