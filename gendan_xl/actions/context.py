"""The start every command on a master shares: the workbook opened, its Settings read, the as-of
date of the run (the one given, else the Settings' ``as_of``, else today), the Orders table, the
calendar book with each line's country, and the lines evaluated (slack, flag, why, late risk),
merged with their milestones."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.flags import Flag
from gendan_xl.model.settings import Settings
from gendan_xl.risk.assess import COLUMNS as RISK_COLUMNS, assess, raise_flags
from gendan_xl.rules.calendar import CalendarBook
from gendan_xl.rules.parties import supplier_countries
from gendan_xl.rules.slack import evaluate
from gendan_xl.store.protocol import Workbook
from gendan_xl.store.table_frame import TableFrame
from gendan_xl.actions.common import open_workbook
from gendan_xl.actions.milestone_step import Views, milestone_step
from gendan_xl.actions.sample_step import SampleOutlook, read_outlook

COMPUTED = ["slack_wd", "flag", "why", *RISK_COLUMNS]   # the Orders columns a refresh computes


class RunContext:
    """One run on the workbook ``wb``. Each part is read or computed when first asked for, then
    kept: a command reads the master in the order it needs, so the first problem it meets is the
    one it reports."""

    def __init__(self, wb: Workbook, as_of: dt.date | None = None):
        self.wb, self._as_of = wb, as_of

    @cached_property
    def orders(self) -> TableFrame:
        return self.wb.read(schema.ORDERS)

    @cached_property
    def settings(self) -> Settings:
        return Settings.from_frame(self.wb.read(schema.SETTINGS).frame)

    @cached_property
    def as_of(self) -> dt.date:
        """The as-of date of the run: the one given, else the Settings' ``as_of``, else today."""
        return self._as_of or self.settings.as_of or dt.date.today()

    @cached_property
    def _calendars(self) -> tuple[CalendarBook, pd.Series]:
        return self.calendars_of(self.orders.frame)

    @property
    def book(self) -> CalendarBook:
        """The master's calendar book (its Calendar sheet over the libraries), for the years of its lines."""
        return self._calendars[0]

    @property
    def countries(self) -> pd.Series:
        """Each order line's calendar country (its supplier's, else the default country)."""
        return self._calendars[1]

    def calendars_of(self, frame: pd.DataFrame) -> tuple[CalendarBook, pd.Series]:
        """The calendar book for the years of ``frame``'s dates (and the as-of date) and each of its
        lines' country."""
        book = CalendarBook.from_rows(self.wb.read(schema.CALENDAR).frame, _years(frame, self.as_of))
        return book, supplier_countries(frame["supplier"], self.wb.read(schema.SUPPLIERS).frame,
                                        self.settings.default_country)

    def evaluated(self) -> pd.DataFrame:
        """slack_wd, flag (code), why, late_risk and expected_delay_wd per line, each supplier in its
        country's calendar; a cell that did not read as its kind is named in its line's why."""
        orders = self.orders
        frame = orders.frame
        result = evaluate(frame, self.countries, self.book, self.as_of, self.settings)
        if self.settings.risk_model:
            risk = assess(frame, result["flag"], self.countries, self.book, self.wb.read(schema.CHANGE_LOG).frame,
                          self.as_of, self.settings)
            result = raise_flags(result, risk, self.settings.risk_threshold)
        else:
            result[RISK_COLUMNS] = float("nan")
        for p in orders.problems:
            if p.row in result.index:
                note = f"{p.column} '{p.value}' 无法识别 not understood"
                result.loc[p.row, "why"] = f"{note}; {result.loc[p.row, 'why']}"
        return _unknown_values(orders, result)[COMPUTED]

    @cached_property
    def sample_outlook(self) -> SampleOutlook | None:
        """The samples' turnaround and the milestones rejected samples put off, as the register stands
        (``sample_step.read_outlook``; None: no Samples table); the samples step of refresh sets it
        from the register it applied."""
        return read_outlook(self)

    def with_milestones(self, evaluated: pd.DataFrame, *, write: bool) -> tuple[pd.DataFrame, Views | None]:
        """``evaluated`` merged with the milestone projection (a rejected sample's milestone expected at
        its next approval: ``sample_outlook``), and the T&A views (``milestone_step.milestone_step``;
        ``write``: the milestone rows' states written)."""
        outlook = self.sample_outlook
        return milestone_step(self.wb, self.orders.frame, evaluated, self.book, self.countries, self.settings,
                              self.as_of, write=write, expected=outlook.expected if outlook else None)


def run_context(target, as_of: dt.date | None = None, prefetch: tuple[schema.Table, ...] = ()) -> RunContext:
    """The run on ``target`` (a path, opened with ``prefetch``, or an open Workbook) as of ``as_of``
    (None: the Settings' ``as_of``, else today)."""
    return RunContext(open_workbook(target, prefetch), as_of)


def _unknown_values(orders: TableFrame, result: pd.DataFrame) -> pd.DataFrame:
    """A line with an input cell that is a formula without a saved value is not judged on a blank:
    it keeps the flag and slack it had (when it had one) and its why says which value is unknown."""
    inputs = [(row, name, formula) for row, name, formula in orders.unknown
              if row in result.index and schema.ORDERS.field(name).owner != schema.COMPUTED]
    for row, name, formula in inputs:
        header = schema.ORDERS.field(name).header
        note = (f"值未知 value unknown: {header} 是没有保存值的公式 is the formula {formula} with no saved value — "
                "open and save the workbook in Excel (or type the value); 预警未更新 flag not updated")
        before = Flag.read(orders.frame.at[row, "flag"])   # the flag as the sheet shows it
        if before:
            result.loc[row, ["flag", "slack_wd"]] = [before.value, orders.frame.at[row, "slack_wd"]]
        result.loc[row, "why"] = note
    return result


def _years(frame: pd.DataFrame, as_of: dt.date) -> range:
    dates = pd.concat([frame[c] for c in schema.ORDERS.of_kind(schema.DATE)]).dropna()
    first = min([as_of.year, *([dates.min().year] if len(dates) else [])])
    last = max([as_of.year, *([dates.max().year] if len(dates) else [])])
    return range(first, last + 2)
