"""gendan quote --customer: the 报价单 quotation a customer receives, as a new .xlsx or .pdf. Reads the
master, never writes it (no write lock, as ``gendan report``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.values import display_text
from gendan_xl.reporting.quotation import build
from gendan_xl.store.protocol import Workbook
from gendan_xl.outputs.quotation_file import QUOTATION, write_quotation_file
from gendan_xl.actions.context import run_context
from gendan_xl.actions.handout import output_path, write_xlsx_or_pdf
from gendan_xl.actions.results import QuotationLine, QuotationResult


def quotation(target, *, customer: str, out=None, quote: str | None = None, revision: int | None = None,
              as_of: dt.date | None = None) -> QuotationResult:
    """Write the quotation of ``customer`` (its name or an alias) to ``out`` (.xlsx, or .pdf through
    LibreOffice; default ``报价单_<customer>_<as-of>.xlsx`` beside the master): per quote its latest
    SENT or CONFIRMED revision still valid at the as-of date, or only the quote ``quote`` (its
    ``revision`` when given, valid or not)."""
    if revision is not None and quote is None:
        raise GendanError("指定版本须同时指定报价单 a revision needs its quote", value=revision,
                          expected="--quote NO with --revision N", code=ErrorCode.BAD_OPTION)
    run = run_context(target, as_of)
    wb, settings, as_of = run.wb, run.settings, run.as_of
    quotes, customers, fx = (_frame(wb, spec) for spec in (schema.QUOTATIONS, schema.CUSTOMERS, schema.FX_RATES))
    document = build(quotes, customers, fx, settings, customer, as_of, quote, revision)
    path = output_path(Path(out) if out else None, Path(wb.path), QUOTATION, document.customer, as_of)
    write_xlsx_or_pdf(path, lambda file: write_quotation_file(file, document), document.as_of)
    lines = [QuotationLine(quote_no=display_text(q), revision=int(r), style=display_text(s), price=float(p),
                           currency=c, price_text=t)
             for q, r, s, p, c, t in document.lines[["quote_no", "revision", "style", "price", "currency",
                                                     "price_text"]].itertuples(index=False)]
    return QuotationResult(workbook=str(wb.path), file=str(path), customer=document.customer,
                           legal_name=document.legal_name, as_of=as_of.isoformat(), lines=lines,
                           not_shown=[asdict(n) for n in document.not_shown], warnings=document.warnings)


def _frame(wb: Workbook, spec: schema.Table) -> pd.DataFrame:
    """The table's rows; none when an older master lacks the table (a reader adds no table)."""
    return wb.read(spec).frame if wb.has_table(spec) else pd.DataFrame(columns=spec.names, dtype=object)
