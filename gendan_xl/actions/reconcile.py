"""gendan reconcile: a party's statement against our records, one 对账 sheet per party and period."""

from __future__ import annotations

from pathlib import Path

from gendan_xl.rules import reconcile as recon
from gendan_xl.model import schema
from gendan_xl.importers.extract import extract_table
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.rules.parties import resolve_party
from gendan_xl.sheets.reconcile_sheet import is_sheet_for, previous_resolutions, reconcile_sheet, sheet_name
from gendan_xl.actions.common import append_log, issue_rows, path_text, writes_master
from gendan_xl.actions.context import run_context
from gendan_xl.actions.date_orders import check_given
from gendan_xl.actions.long_text import cut_long_text
from gendan_xl.actions.results import ReconcileResult


@writes_master("reconcile")
def reconcile(target, statement, *, party: str, period: str | None = None, side: str | None = None,
              mapping: dict[str, str] | None = None, sheet=None, prepared: str | None = None,
              dayfirst: bool | None = None) -> ReconcileResult:
    """Reconcile a party's statement with our records and write the ``对账-<party>-<period>`` sheet.

    ``party`` names one of ours (``parties.resolve_party``: case, accents, width, punctuation and
    spacing ignored, never a part of a name); the sheet shows its name (a supplier's from the
    Suppliers table). ``side`` (supplier or customer) defaults to what the party is in our records.
    ``period`` defaults to the month of the statement's dates; one none of its lines is dated in
    stops (``reconcile.statement_period``). Re-running for the same party and period replaces that
    sheet only (found by the party and period its cells record), keeping the user's notes in its
    resolution column; another party's sheet is never replaced. The statement's unusable rows (and
    over-long texts, cut) go to Import Issues. A day and month without a year (12月5日) is dated in the
    year nearest the Settings' as-of date (blank: today). ``dayfirst`` gives the day/month order of the
    statement's ``05/12/2026`` dates, else its own dates decide (a ``13/12/2026``), else each date the
    order decides is an ``ambiguous_date`` issue and its line is reconciled undated; an order its own
    dates contradict stops.
    """
    run = run_context(target)
    wb, orders, settings = run.wb, run.orders.frame, run.settings
    found = resolve_party(orders, wb.read(schema.SUPPLIERS).frame, party, side)
    extracted, cut = cut_long_text(extract_table(Path(statement), schema.STATEMENT, mapping=mapping, sheet=sheet,
                                                 reference_date=run.as_of, key="po_no", dayfirst=dayfirst))
    _check_statement(extracted)
    date_order = check_given(extracted, dayfirst)
    given = period
    period = recon.statement_period(extracted.frame, period, file=extracted.file)
    ours = recon.our_lines(orders, found.name, period, found.side, aliases=found.names)
    result = recon.reconcile(ours, extracted.frame, amount_tolerance=settings.amount_tolerance,
                             qty_tolerance=settings.qty_tolerance)
    name = sheet_name(party, period, wb.sheet_names(),
                      lambda n: is_sheet_for(wb.sheet_rows(n), {party, *found.names}, period))
    wb.replace_sheet(reconcile_sheet(result, name=name, party=found.name, side=found.side, period=period,
                                     statement=Path(statement).name, prepared=prepared or "",
                                     resolutions=previous_resolutions(wb.sheet_rows(name))))
    issues = extracted.issue_list() + cut
    _, listed = append_log(wb, [], issues)
    backup = wb.save()
    return ReconcileResult(sheet=name, party=found.name, side=found.side, period=period,
                           period_from_statement=given is None, date_order=date_order, **result.summary(),
                           our_lines=len(ours), statement_lines=len(extracted.frame), import_issue_rows=listed, **issue_rows(issues),
                           workbook=str(wb.path), backup=path_text(backup))


def _check_statement(extracted) -> None:
    """GendanError naming the statement when it lacks the PO column or both amount and price."""
    fields = set(extracted.mapping)
    amount_or_price = f"{schema.STATEMENT.header('amount')} / {schema.STATEMENT.header('price')}"
    missing = [label for label, need in ((schema.STATEMENT.header("po_no"), {"po_no"}),
                                         (amount_or_price, {"amount", "price"})) if not need & fields]
    if missing:
        raise GendanError(f"对账单缺少列 the statement lacks column(s): {'; '.join(missing)}", file=extracted.file,
                          sheet=extracted.sheet, row=extracted.header_row,
                          value=list(extracted.mapping.values()) + extracted.extra_columns,
                          expected="a PO column and an amount or unit price column (or --map FIELD=HEADER)",
                          code=ErrorCode.COLUMN_MISSING)
