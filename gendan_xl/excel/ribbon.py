"""The one Python entry point of the 跟单 Gendan ribbon: ``run('<tag>')`` from the VBA callback.

The tag picks a command from ``COMMANDS`` (an allowlist: nothing read from the workbook is ever
evaluated). Each command runs the same action as the command line, on the calling workbook.
Progress goes to Excel's status bar, the result to a short message box, errors to a message box
with their text, never a traceback window.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import xlwings as xw

from gendan_xl import actions
from gendan_xl.actions.added_tables import ensure_table
from gendan_xl.actions.results import QuoteResult, RefreshResult, ShipResult
from gendan_xl.model import schema
from gendan_xl.model.flags import EXCEPTIONS
from gendan_xl.rules.on_time import LABEL as ON_TIME
from gendan_xl.result_text import render, ship_summary
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.values import display_text, is_blank
from gendan_xl.sheets.samples_sheet import SAMPLES_SHEET, counts_text, state_counts
from gendan_xl.store.xlwings_book import XlwingsWorkbook
from gendan_xl.excel.udf_docs import formula
from gendan_xl.excel.udf_vba import functions
from gendan_xl.excel.ui import UI, ExcelUI

Command = Callable[[XlwingsWorkbook, UI], str | None]

HELP = "\n".join((
    "跟单 Gendan — 帮助 Help",
    "刷新周报 Refresh: 计算余量和预警并重建周报。Computes slack and flags, rebuilds the weekly report.",
    "同步供应商 Sync suppliers: 选择供应商文件，更新预计完成、生产和出货。"
    "Pick supplier files; updates ETA, production and shipments.",
    "对账 Reconcile: 选择对账单并输入对方名称，生成对账表。Pick a statement, name the party; builds the sheet.",
    "排期 Plan: 为每个未完成行按交期倒排工序（T&A），并刷新。Plans the T&A milestones of every open line back "
    "from its due date, then refreshes.",
    "催单 Chase: 选择文件夹，为每个供应商生成催单表和消息草稿。Pick a folder; writes a chase file and a message "
    "draft per supplier.",
    "客户报告 Customer report: 输入客户名称（默认为订单表当前行的客户），在工作簿旁生成该客户的订单状态报告。"
    "Name a customer (the customer of the selected Orders row is filled in); writes its order status "
    "report beside the workbook.",
    "报价 Quote: 计算报价表中的每个报价并保存（已报出的报价用报价日汇率，其余用今日汇率），显示汇率变动的报价；"
    "选中报价行时可生成该客户的报价单。Prices every quote of 报价 Quotations and saves (a blank fx rate: the "
    "quote date's rate once sent, else today's); lists the open quotes the rate moved; on a Quotations row, "
    "offers that customer's quotation.",
    "出运 Ship: 为选中的出运（出运或出运明细表中的行；否则输入出运编号）在工作簿旁生成四份单证；单证检查未通过时列出问题并询问是否仍然生成。"
    "Writes the four documents of the selected shipment (a row of 出运 Shipments or 出运明细 Shipment Lines; "
    "else type its number) into a folder beside the workbook; when a check fails, lists the failing checks "
    "and asks whether to write them anyway.",
    "样品 Samples: 刷新（同刷新周报），显示样品跟进表：未结束的样品轮次按需寄日期排列，逾期未寄、待客户批复标色。"
    "Refreshes (as Refresh does), then shows the 样品跟进 Sample follow-up sheet: the open sample rounds by due "
    "date, the overdue and the waiting ones coloured.",
    "预警 Flag late orders: 只更新余量、预警、原因三列。Updates the slack, flag and why columns only.",
    "单元格函数 Worksheet functions (Windows): " + ", ".join(map(formula, functions()))
    + "。在单元格中输入，按 fx 查看参数说明。Type them in a cell; fx shows their arguments.",
    "同样的操作也可在命令行运行：gendan --help。The same actions run from the command line: gendan --help.",
))


def run(tag: str, book: xw.Book | None = None, ui: UI | None = None) -> None:
    """Run the ribbon command ``tag`` on ``book`` (default: the workbook that called RunPython)."""
    book = book or xw.Book.caller()
    ui = ui or ExcelUI(book)
    try:
        message = command(tag)(XlwingsWorkbook(book, progress=ui.status), ui)
        if message:
            ui.info(message)
    except GendanError as exc:
        ui.error(f"{exc}\n错误代码 Error code: {exc.code}")
    except Exception as exc:  # an unexpected failure still ends in a message box, not a traceback
        ui.error(f"意外错误 Unexpected error: {type(exc).__name__}: {exc}\n详情 Details: {_log_traceback(tag)}")
    finally:
        ui.status(None)


def command(tag: str) -> Command:
    """The allowlisted command of a ribbon tag."""
    if tag not in COMMANDS:
        raise GendanError("未知的功能区命令 unknown ribbon command", value=tag,
                          expected="one of " + ", ".join(COMMANDS), code=ErrorCode.BAD_OPTION)
    return COMMANDS[tag]


def _refresh(wb: XlwingsWorkbook, ui: UI) -> str:
    return _refresh_text("刷新完成 Refreshed", actions.refresh(wb))


def _flag(wb: XlwingsWorkbook, ui: UI) -> str:
    return _refresh_text("预警已更新 Flags updated", actions.refresh(wb, report=False))


def _sync(wb: XlwingsWorkbook, ui: UI) -> str | None:
    files = ui.ask_files("选择供应商文件 Choose supplier files", True)
    if not files:
        return None
    summary = actions.sync(wb, files)
    return _shortened("\n".join(["同步完成 Synced", *summary.notes, render("sync", summary)]))


def _reconcile(wb: XlwingsWorkbook, ui: UI) -> str | None:
    files = ui.ask_files("选择对账单 Choose the statement", False)
    if not files:
        return None
    party = ui.ask_text("对方名称（供应商或客户）Party (supplier or customer)")
    if is_blank(party):
        return None
    period = ui.ask_text("期间 Period YYYY-MM（空白 = 对账单日期所在月份 blank = the month of the statement's dates）")
    if period is None:
        return None
    summary = actions.reconcile(wb, files[0], party=party.strip(), period=period.strip() or None)
    return _shortened("\n".join(["对账完成 Reconciled", *summary.notes, render("reconcile", summary)]))


def _plan(wb: XlwingsWorkbook, ui: UI) -> str:
    summary = actions.plan(wb)
    return _shortened("\n".join(["排期完成 Planned", *summary.notes, render("plan", summary)]))


def _chase(wb: XlwingsWorkbook, ui: UI) -> str | None:
    folder = ui.ask_folder("选择催单文件的文件夹 Choose a folder for the chase files")
    if folder is None:
        return None
    summary = actions.chase(wb, out=folder)
    return _shortened("\n".join(["催单完成 Chase files written", render("chase", summary)]))


def _customer_report(wb: XlwingsWorkbook, ui: UI) -> str | None:
    customer = ui.ask_text("客户名称 Customer", _selected_customer(wb))
    if is_blank(customer):
        return None
    summary = actions.customer_report(wb, customer=customer.strip())
    return _shortened("\n".join(["客户报告已生成 Customer report written", *summary.notes,
                                  render("report", summary)]))


def _quote(wb: XlwingsWorkbook, ui: UI) -> str:
    """Price every quote; on a 报价 Quotations row, offer that row's customer the quotation it
    receives (written beside the workbook; a blank answer writes none). A quotation that cannot be
    written says why below the pricing, which is saved either way."""
    text = _quote_text(actions.quote(wb))
    proposed = _selected_customer(wb, schema.QUOTATIONS)
    if proposed:
        customer = ui.ask_text("报价单客户（空白 = 不生成）Customer for the quotation (blank = none)", proposed)
        if not is_blank(customer):
            try:
                written = render("quotation", actions.quotation(wb, customer=customer.strip()))
            except GendanError as error:
                written = f"报价单未生成 quotation not written: {error}"
            text = "\n".join([written, "", text])
    return _shortened(text)


def _ship(wb: XlwingsWorkbook, ui: UI) -> str | None:
    """The documents of the selected shipment (a row of 出运 Shipments or 出运明细 Shipment Lines; else
    the number typed, a blank answer doing nothing) into a folder beside the workbook, as ``gendan
    ship`` writes them. When a check fails nothing is written: the failing checks are shown with the
    question whether to write the documents despite them (Yes: as ``--despite-checks``)."""
    shipment_no = _selected_shipment(wb) or ui.ask_text("出运编号 Shipment number")
    if is_blank(shipment_no):
        return None
    summary = actions.ship(wb, shipment_no.strip())
    if summary.refused:
        question = "\n".join([_shortened(ship_summary(summary), 28), "未写出单证 No document written.",
                              "仍然写出单证吗？（单证上无标记）Write the documents despite the failing checks? "
                              "(They carry no mark of it.)"])
        if not ui.ask_yes_no(question):
            return None
        summary = actions.ship(wb, shipment_no.strip(), despite_checks=True)
    return _shortened(_ship_text(summary))


def _samples(wb: XlwingsWorkbook, ui: UI) -> str:
    """Refresh (the sample register first, as the Refresh button does), then show the 样品跟进 sheet and
    sum up its rounds. A master without the 样品 Samples table gets it first, to type the rounds in."""
    added = ensure_table(wb, schema.SAMPLES)
    summary = actions.refresh(wb)
    wb.book.sheets[SAMPLES_SHEET].api.Activate()   # as _freeze shows a sheet: no focus taken
    counts = state_counts(wb.read(schema.SAMPLES).frame)
    done = summary.samples or {}
    lines = [f"样品已刷新 Samples refreshed · 截至 as of {summary.as_of}", *summary.notes,
             *([f"新增工作表 Added sheet: {schema.SAMPLES.sheet}"] if added else []),
             f"未结束 Open {sum(counts.values())} · {counts_text(counts)}",
             f"拒绝后新增轮次 Rounds added after a rejection {done.get('added', 0)} · "
             f"批准关闭的工序 Milestones closed by an approval {done.get('set', 0)}"]
    return _shortened("\n".join(lines))


def _selected_customer(wb: XlwingsWorkbook, table: schema.Table = schema.ORDERS) -> str:
    """The customer of the row the selection is on, when it is on ``table``'s sheet (订单 Orders: an
    order line; 报价 Quotations: a quote revision), else ""."""
    return _selected_text(wb, (table,), "customer")


def _selected_shipment(wb: XlwingsWorkbook) -> str:
    """The shipment number of the row the selection is on, when it is on 出运 Shipments or 出运明细
    Shipment Lines, else ""."""
    return _selected_text(wb, (schema.SHIPMENTS, schema.SHIPMENT_LINES), "shipment_no")


def _selected_text(wb: XlwingsWorkbook, tables: tuple[schema.Table, ...], field: str) -> str:
    """``field`` of the row the selection is on, when it is on the sheet of one of ``tables``, else ""."""
    try:
        selection = wb.book.selection
        sheet = (selection.sheet.name.lower() if selection is not None
                 and selection.sheet.book.fullname == wb.book.fullname else None)
    except Exception:   # a chart or shape selected, another window: Excel has no cell to offer
        return ""
    table = next((t for t in tables if t.sheet.lower() == sheet), None)
    if table is None or not wb.has_table(table):
        return ""
    return text_on_row(wb.read(table).frame, selection.row, field)


def text_on_row(frame: pd.DataFrame, row: int, field: str) -> str:
    """``field`` of a table's row at Excel row ``row`` (``frame`` as ``Workbook.read`` gives it,
    indexed by Excel row); "" for the header, a row past the table or a blank cell."""
    return display_text(frame[field].get(row)) or ""


def _help(wb: XlwingsWorkbook, ui: UI) -> str:
    return HELP


COMMANDS: dict[str, Command] = {
    "refresh": _refresh, "sync": _sync, "reconcile": _reconcile, "plan": _plan, "chase": _chase,
    "customer_report": _customer_report, "quote": _quote, "ship": _ship, "samples": _samples, "flag": _flag,
    "help": _help,
}


def _log_traceback(tag: str) -> Path:
    """Append the current traceback to ~/.gendan_xl/ribbon.log (never to stderr: xlwings would
    show stderr in a window on macOS)."""
    path = Path.home() / ".gendan_xl" / "ribbon.log"
    path.parent.mkdir(exist_ok=True)
    with path.open("a", encoding="utf-8") as log:
        log.write(f"--- {dt.datetime.now():%Y-%m-%d %H:%M:%S} ribbon command {tag!r}\n{traceback.format_exc()}")
    return path


def _refresh_text(title: str, summary: RefreshResult) -> str:
    counts = summary.counts
    lines = [f"{title} · 截至 as of {summary.as_of}", *summary.notes,
             f"订单行 Lines {summary.lines} · 未完成 Open {summary.open}",
             " · ".join(f"{flag.zh} {flag} {counts[flag]}" for flag in EXCEPTIONS)]
    if summary.on_time_rate is not None:
        lines.append(f"{ON_TIME} {summary.on_time_rate:.1%}")
    if summary.warnings:
        lines.append(f"{len(summary.warnings)} 个单元格无法识别，见“原因”列 cells not understood, see the Why column")
    return "\n".join(lines)


def _quote_text(summary: QuoteResult) -> str:
    """The counts (priced, not priced, the open quotes the rate moved), then each unpriced quote's and
    each moved quote's why."""
    moved = summary.rate_moved
    lines = [f"报价完成 Quotes priced · 截至 as of {summary.as_of}", *summary.notes,
             *(f"新增工作表 Added sheet: {schema.TABLES[key].sheet}" for key in summary.tables_added),
             f"已报价 Priced {summary.priced} · 未报价 Not priced {summary.not_priced}",
             f"汇率变动 Rate moved {len(moved)} · 亏损 Loses money {sum(m['loses_money'] for m in moved)}"]
    lines += [f"{q.quote_no} / {q.revision}: {q.why}" for q in summary.quotes if q.price is None]
    lines += [f"{m['quote_no']} / {m['revision']}: {m['why']}" for m in moved]
    return "\n".join(lines)


def _ship_text(summary: ShipResult) -> str:
    """The shipment's summary, the notes (written despite failing checks: which ones), the folder and
    the files written in it."""
    return "\n".join(["出运单证已写出 Shipping documents written", *summary.notes, ship_summary(summary),
                      f"文件夹 Folder: {summary.out}", *(f"  → {Path(f).name}" for f in summary.files)])


def _shortened(text: str, lines: int = 30) -> str:
    """At most ``lines`` lines for a message box; the rest is in the Import Issues sheet."""
    kept = text.splitlines()
    return "\n".join(kept[:lines] + (["…"] if len(kept) > lines else []))
