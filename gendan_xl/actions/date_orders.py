"""The day/month order of each file an action reads (``date_order.py``): given for the run,
remembered per supplier in 供应商 Suppliers (日期顺序 Date order), learnt from the files' own dates."""

from __future__ import annotations

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.date_order import DateOrder, Decision, decide
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.importers.extract import Extracted
from gendan_xl.rules.parties import supplier_row
from gendan_xl.model.values import display_text
from gendan_xl.actions.results import FileDateOrder

_COLUMN = schema.SUPPLIERS.field("date_order")


class DateOrders:
    """The orders of one run's files: ``settle`` decides a file's order once its rows are matched and
    reads its pending dates in it; what is learnt is remembered file by file and ``write`` puts it in
    the Suppliers table. ``given``: ``--dayfirst`` (True) or ``--monthfirst`` (False), else None."""

    def __init__(self, wb, given: bool | None):
        self.wb, self.given = wb, given
        self.table = wb.read(schema.SUPPLIERS)
        self.frame = self.table.frame.astype({"date_order": object})

    def settle(self, extracted: Extracted, orders: pd.DataFrame, targets: pd.Series) -> tuple[Extracted, FileDateOrder | None]:
        """The extraction with its dates in the file's order (``targets``: the order sheet row each
        matched file row is), and the summary of that order (None when the file has no date it
        decides). GendanError when the file's own dates contradict the order given or remembered."""
        day_month = extracted.day_month
        row = supplier_row(orders.loc[targets.to_numpy(), "supplier"], self.frame) if len(targets) else None
        supplier = None if row is None else display_text(self.frame.at[row, "name"]) or display_text(
            self.frame.at[row, "code"])
        decision = decide(day_month.own, day_month.dependent, self.given, self._remembered(row),
                          supplier=supplier, where=where_shown(extracted), supplier_row=row)
        if decision.order is not None and day_month.read is None:
            extracted = extracted.in_order(decision.order.dayfirst)
        remembered = decision.remember and row is not None
        if remembered:
            self.frame.at[row, "date_order"] = decision.order.label
        return extracted, summary(decision, extracted, supplier, remembered) if day_month.dependent else None

    def write(self) -> None:
        """Put the orders learnt into 供应商 Suppliers (only the cells that changed)."""
        self.wb.write(self.table, self.frame, ["date_order"])

    def _remembered(self, row) -> DateOrder | None:
        if row is None:
            return None
        cell = self.frame.at[row, "date_order"]
        try:
            return DateOrder.read(cell)
        except ValueError:
            raise GendanError("无法识别的日期顺序 unknown date order", file=self.wb.path.name,
                              sheet=schema.SUPPLIERS.sheet, row=row, column=_COLUMN.header, value=cell,
                              expected=f"{DateOrder.DAY_FIRST.label} or {DateOrder.MONTH_FIRST.label} (or blank)",
                              code=ErrorCode.BAD_VALUE) from None


def check_given(extracted: Extracted, given: bool | None) -> FileDateOrder | None:
    """A file with no supplier (``load``): GendanError when its own dates contradict the order given;
    the summary of its order (None when it has no date the order decides)."""
    day_month = extracted.day_month
    decision = decide(day_month.own, day_month.dependent, given, None, where=where_shown(extracted))
    return summary(decision, extracted, None, False) if day_month.dependent else None


def where_shown(extracted: Extracted) -> dict:
    """The file, sheet, row, column and value of the date showing the file's own order."""
    row, column, value = extracted.day_month.evidence or (None, None, None)
    return {"file": extracted.file, "sheet": extracted.sheet, "row": row, "column": column, "value": value}


def summary(decision: Decision, extracted: Extracted, supplier: str | None, remembered: bool) -> FileDateOrder:
    """The order of a file as the command line and ``--json`` show it."""
    pending = extracted.day_month.pending
    return FileDateOrder(order=None if decision.order is None else decision.order.value, by=decision.by,
                         supplier=supplier, remembered=remembered,
                         ambiguous=0 if decision.order is not None or pending is None else len(pending))
