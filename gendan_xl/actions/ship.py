"""gendan ship: a shipment's documents (商业发票 commercial invoice, 装箱单 packing list, 出运通知 shipping
advice, 报关资料 customs data) into a folder, after the cross-document checks. Reads the master, never
writes it (no write lock, as ``gendan report``).

A failing check writes nothing (the result lists the checks; the command exits 1) unless
``despite_checks``: then the documents are written as they are — they carry no mark of it — and the
result's notes say which checks failed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.file_names import safe_stem
from gendan_xl.model.shipments import ShipmentStatus
from gendan_xl.model.values import display_text, party_key
from gendan_xl.reporting.company import Company
from gendan_xl.shipments.book import ShipmentBook
from gendan_xl.shipments.checks import check_documents, failing
from gendan_xl.shipments.documents import build_documents, line_sources
from gendan_xl.actions.context import run_context
from gendan_xl.actions.handout import master_folder, write_xlsx_or_pdf
from gendan_xl.actions.results import ShipResult
from gendan_xl.actions.shipment_step import read_shipments

TABLES = (schema.SHIPMENTS, schema.SHIPMENT_LINES, schema.CUSTOMERS, schema.CONTAINERS)
_LISTED = 30   # shipment numbers an unknown number's error lists
FOLDER = "出运单证 documents"   # the default folder's name: this, the shipment number and the as-of date


def ship(target, shipment_no: str, *, out=None, pdf: bool = False, despite_checks: bool = False,
         as_of: dt.date | None = None) -> ShipResult:
    """Check the documents of shipment ``shipment_no`` and write them into the folder ``out``
    (created; default: a ``出运单证 documents <shipment no> <as-of>`` folder beside the master, as the
    ribbon's 出运 Ship button writes them) as .xlsx, or .pdf through LibreOffice; nothing is written
    when a check fails, unless ``despite_checks``."""
    # openpyxl is needed only here: imported late to keep the other commands quick to start.
    from gendan_xl.outputs.shipment_files import DOCUMENTS, write_document

    run = run_context(target, as_of, prefetch=TABLES)
    wb, as_of = run.wb, run.as_of
    book = read_shipments(run)
    if book is None:
        raise GendanError(f"主工作簿没有 {schema.SHIPMENTS.sheet} 表 the master has no shipments table",
                          sheet=schema.SHIPMENTS.sheet, expected="gendan load --table shipments",
                          code=ErrorCode.TABLE_MISSING)
    label = _shipment(book, shipment_no)
    customers = wb.read(schema.CUSTOMERS).frame if wb.has_table(schema.CUSTOMERS) else None
    sources = line_sources(book, wb.read(schema.SHIPMENT_LINES).frame, run.orders.frame)
    docs = build_documents(book.shipments.loc[label], sources[sources["shipment"] == label], customers, as_of)
    checks = check_documents(docs, customers, run.settings.ship_tolerance_pct)
    bad = failing(checks)
    out = Path(out) if out else master_folder(Path(wb.path), "documents folder") / safe_stem(
        f"{FOLDER} {docs.shipment_no} {as_of.isoformat()}")
    result = ShipResult(workbook=str(wb.path), shipment_no=docs.shipment_no, invoice_no=docs.invoice_no,
                        customer=docs.parties.customer, as_of=as_of.isoformat(), out=str(out), files=[],
                        checks=[c.as_dict() for c in checks], written=False, despite_checks=despite_checks,
                        totals={"currency": docs.currency, **docs.totals["invoice"], **docs.totals["packing"]},
                        lines=len(docs.source), warnings=_warnings(docs, run.settings.company_name))
    if bad and not despite_checks:
        return result
    folder = _folder(out)
    company = Company.from_settings(run.settings)
    suffix = ".pdf" if pdf else ".xlsx"
    for document in DOCUMENTS:
        path = folder / f"{safe_stem(document.file_name(docs))}{suffix}"
        write_xlsx_or_pdf(path, lambda file, document=document: write_document(file, document, docs, company),
                          docs.date)
        result.files.append(str(path))
    result.written = True
    if bad:
        result.notes.append("单证检查未通过，仍按 --despite-checks 写出（单证上无标记）documents written despite failing "
                            f"checks (they carry no mark of it): {', '.join(c.code.value for c in bad)}")
    return result


def _shipment(book: ShipmentBook, typed: str):
    """The Shipments row label of the shipment numbered ``typed`` (as keys compare); GendanError
    when none is, or when it is not applied, cancelled or has no lines."""
    ships = book.shipments
    keys = ships["shipment_no"].map(party_key)
    at = [n for n, key in enumerate(keys) if key and key == party_key(typed)]
    if not at:
        known = [display_text(s) for s in ships["shipment_no"] if display_text(s)]
        more = f" … (+{len(known) - _LISTED})" if len(known) > _LISTED else ""
        raise GendanError("找不到出运编号 no shipment has this number", sheet=schema.SHIPMENTS.sheet, value=typed,
                          expected=f"one of {', '.join(known[:_LISTED])}{more}" if known else
                          "a shipment in 出运 Shipments (the master has none)", code=ErrorCode.UNKNOWN_SHIPMENT)
    pos = at[0]
    row = int(ships.index[pos])
    if book.bad[pos]:
        raise GendanError(f"出运数据有误，无法出单 the shipment has bad input: {book.problem[pos]}",
                          sheet=schema.SHIPMENTS.sheet, row=row, value=typed,
                          expected="the shipment corrected (see 导入问题 Import Issues after gendan refresh)",
                          code=ErrorCode.INVALID_SHIPMENT)
    if book.status[pos] == ShipmentStatus.CANCELLED.value:
        raise GendanError("出运已作废 the shipment is cancelled", sheet=schema.SHIPMENTS.sheet, row=row, value=typed,
                          expected="a shipment not cancelled", code=ErrorCode.INVALID_SHIPMENT)
    if not (book.lines["shipment"] == ships.index[pos]).any():
        raise GendanError(f"出运没有明细 the shipment has no lines in {schema.SHIPMENT_LINES.sheet}",
                          sheet=schema.SHIPMENT_LINES.sheet, value=typed,
                          expected="its lines (shipment_no, po_no, line, qty …)", code=ErrorCode.INVALID_SHIPMENT)
    return ships.index[pos]


def _warnings(docs, company_name: str) -> list[str]:
    warnings = [] if company_name else [
        "设置中没有我司名称 (company_name)，单证无出口商名称 the Settings have no company_name: the documents name no "
        "exporter"]
    if docs.invoice_no == docs.shipment_no:
        warnings.append("出运没有发票号，以出运编号代替 the shipment has no invoice number: the shipment number stands in")
    return warnings


def _folder(path: Path) -> Path:
    """The output folder, created when missing; a file of that name is a clear error."""
    if path.exists() and not path.is_dir():
        raise GendanError("输出位置是文件，不是文件夹 --out is a file, not a folder", file=path, code=ErrorCode.WRONG_PATH)
    path.mkdir(parents=True, exist_ok=True)
    return path

