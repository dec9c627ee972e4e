"""gendan <command>: the headless actions on a master workbook file.

Exit codes: 0 ok, 1 a user-facing error (clear message, no traceback; a file-system error such as a
folder given for a file is one too), 2 usage. When the reader of the output goes away (``| head -1``),
gendan stops quietly with 141, the status a shell shows for a tool stopped by SIGPIPE.
With --json, stdout carries exactly one JSON object (an error's: ``{"ok": false, "error": text, "code":
code}``, the code an ``ErrorCode``).
"""

from __future__ import annotations

import argparse
import functools
import contextlib
import datetime as dt
import json
import os
import re
import sys
from typing import TYPE_CHECKING

from gendan_xl import __version__
from gendan_xl.model.bounds import check_date
from gendan_xl.result_text import render
from gendan_xl.model.date_order import DateOrder
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.ooxml.files import os_cause, os_code
from gendan_xl.model.schema import LOADABLE_TABLES, ORDERS, SAMPLES, SHIPMENT_LINES, SHIPMENTS, STATEMENT

if TYPE_CHECKING:
    from gendan_xl.actions.results import Result


def _date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
    return _in_range(day)


def _month(text: str) -> dt.date:
    try:
        day = dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a month (YYYY-MM): {text!r}") from None
    return _in_range(day)


def _in_range(day: dt.date) -> dt.date:
    try:
        return check_date(day)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _whole(low: int, high: int):
    """An argparse type: a whole number from ``low`` to ``high``."""
    def parsed(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{number} is out of range: a whole number from {low} to {high}")
        return number
    return parsed


def _mapping(pairs: list[str] | None, table=None, codes: bool = False) -> dict[str, str]:
    """``FIELD=HEADER`` pairs; with ``codes``, a FIELD may also be a milestone code (checked by the action)."""
    table = table or ORDERS
    out = {}
    for pair in pairs or []:
        field, sep, header = pair.partition("=")
        if not sep or not field or not header:
            raise GendanError("--map 格式应为 FIELD=HEADER --map must look like FIELD=HEADER", value=pair,
                              code=ErrorCode.BAD_OPTION)
        if field not in table.names and not (codes and re.fullmatch(r"[A-Z][A-Z0-9_]*", field)):
            raise GendanError(f"--map 未知字段 unknown field in --map (表 table {table.sheet})", value=field,
                              expected=f"a field of {table.sheet}, one of " + ", ".join(table.names),
                              code=ErrorCode.UNKNOWN_FIELD)
        out[field] = header
    return out


def _far_date(p: argparse.ArgumentParser) -> None:
    p.add_argument("--far-date", action="store_true",
                   help="record a report dated more than a year after today and the last report (default: refused)")


def _date_order_options(p: argparse.ArgumentParser, default: str) -> None:
    """``--dayfirst`` / ``--monthfirst`` (one of them): the day/month order of a file's ``05/12/2026``."""
    group = p.add_mutually_exclusive_group()
    for order in DateOrder:
        group.add_argument(order.option, dest="dayfirst", action="store_const", const=order.dayfirst,
                           help=f"dates such as 05/12/2026 are {order.label}"
                           + (f" {default}" if order.dayfirst else ""))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gendan", description="跟单 Gendan — merchandiser automation for "
                                     "the master workbook (slack in working days, flags, weekly report).")
    parser.add_argument("--version", action="version", version=f"gendan_xl {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str, within=sub) -> argparse.ArgumentParser:
        p = within.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
        return p

    p = command("new", "create an empty master workbook 新建主工作簿")
    p.add_argument("path")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")

    p = command("load", "load order lines (or --table: customers, quotations, FX rates, samples) from an export 导入")
    p.add_argument("path", help="master workbook")
    p.add_argument("file", help="csv, xlsx or xls export")
    p.add_argument("--table", default="orders", metavar="NAME",
                   help="the table to load into, by its key: " + ", ".join(LOADABLE_TABLES) + " (default orders)")
    p.add_argument("--map", action="append", metavar="FIELD=HEADER", help="map a field to a header")
    p.add_argument("--sheet", help="sheet of the export to read")
    p.add_argument("--as-of", type=_date, help="as-of date for the refresh (default: Settings or today)")
    _far_date(p)
    _date_order_options(p, "(default: the file's own dates decide; dates they do not decide are issue rows)")

    p = command("sync", "import supplier progress files (or --table samples|shipments|shipment_lines: sample files, "
                        "booking confirmations, packing lists) into the master 同步供应商")
    p.add_argument("path", help="master workbook")
    p.add_argument("files", nargs="+", help="supplier files (xlsx, xls, csv)")
    p.add_argument("--table", default="orders", metavar="NAME",
                   help="orders (progress files, default), samples (sent date, courier, AWB of sample rounds), "
                   "shipments (a forwarder's booking confirmation) or shipment_lines (a packing list)")
    p.add_argument("--map", action="append", metavar="FIELD=HEADER",
                   help="teach a new layout (saved); FIELD may be a milestone code, e.g. FABRIC_IN=面料到厂日期")
    p.add_argument("--profile", help="name to save the --map layout under (default: the file name)")
    p.add_argument("--sheet", help="sheet of the supplier file to read")
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    p.add_argument("--as-of", type=_date, help="as-of date for the refresh (default: Settings or today)")
    _far_date(p)
    _date_order_options(p, "(default: each file's own dates, else the order remembered for its supplier in "
                           "供应商 Suppliers; the order given is remembered)")

    p = command("reconcile", "reconcile a statement with our records 对账")
    p.add_argument("path", help="master workbook")
    p.add_argument("statement", help="the party's statement (xlsx, xls, csv)")
    p.add_argument("--party", required=True, help="supplier or customer name (or supplier code/alias); case, "
                   "accents, width, punctuation and spacing do not matter, a part of a name is not enough")
    p.add_argument("--period", help="YYYY-MM: our lines shipped in that month (default: the month of the "
                   "statement's dates)")
    p.add_argument("--side", choices=["supplier", "customer"],
                   help="default: what the party is in the master (a supplier, else a customer)")
    p.add_argument("--map", action="append", metavar="FIELD=HEADER", help="map a statement field to a header")
    p.add_argument("--sheet", help="sheet of the statement to read")
    p.add_argument("--prepared-by", help="name for the sign-off block")
    _date_order_options(p, "(default: the statement's own dates decide; dates they do not decide are issue rows)")

    p = command("refresh", "compute slack, flags and the weekly report 刷新")
    p.add_argument("path")
    p.add_argument("--as-of", type=_date, help="as-of date (default: Settings or today)")
    p.add_argument("--no-history", action="store_true",
                   help="a what-if: neither compare with nor record in the master's history")
    _far_date(p)

    p = command("plan", "plan T&A milestones back from each due date 排期")
    p.add_argument("path")
    p.add_argument("--template", help="T&A template for lines whose supplier names none (default: Settings)")
    p.add_argument("--as-of", type=_date, help="as-of date (default: Settings or today)")
    _far_date(p)

    p = command("quote", "price every quote revision of 报价 Quotations, write its computed columns 报价; with "
                         "--customer, write the quotation the customer receives instead 报价单")
    p.add_argument("path", help="master workbook")
    p.add_argument("--as-of", type=_date, help="as-of date: the FX Rates row of each currency used (default: "
                   "Settings or today); with --customer, the quotes still valid then")
    p.add_argument("--customer", help="write the 报价单 quotation of this customer (its name or an alias in 客户 "
                   "Customers, or as its quotes write it); the master is only read")
    p.add_argument("--out", help="with --customer: FILE.xlsx or FILE.pdf (PDF through LibreOffice; default: "
                                 "'报价单_<customer>_<as-of>.xlsx' beside the master)")
    p.add_argument("--quote", metavar="NO", help="with --customer: only this quote (its latest SENT or CONFIRMED "
                                                 "revision, even past its valid-until date)")
    p.add_argument("--revision", type=_whole(1, 10**6), metavar="N",
                   help="with --quote: this revision (SENT or CONFIRMED)")

    p = command("allocate", "propose how a short supply of a style is shared among its order lines still to "
                            "ship, by customer tier, due date, PO and line; written as the 分配 Allocation sheet 分配")
    p.add_argument("path", help="master workbook")
    p.add_argument("--style", required=True, help="the style (款号) as the order lines write it (case and "
                                                  "spacing aside)")
    p.add_argument("--color", help="only the lines of this colour (颜色)")
    p.add_argument("--qty", metavar="N", help="units to share, a whole number ≥ 0 (default: the units produced "
                                              "and not yet shipped over the lines)")
    p.add_argument("--fair", action="store_true", help="share within a tier in proportion to open qty (largest "
                                                       "remainder) instead of filling lines in order")
    p.add_argument("--as-of", type=_date, help="as-of date: what is shipped by then (default: Settings or today)")

    p = command("ship", "a shipment's documents after the cross-document checks: commercial invoice, packing list, "
                        "shipping advice, customs data 出运单证")
    p.add_argument("path", help="master workbook (only read)")
    p.add_argument("shipment_no", metavar="SHIPMENT_NO", help="the shipment's number (出运编号) in 出运 Shipments")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the four files (created when missing)")
    p.add_argument("--pdf", action="store_true", help="write PDF through LibreOffice instead of .xlsx")
    p.add_argument("--despite-checks", action="store_true",
                   help="write the documents even when a check fails (they carry no mark of it; the output says so)")
    p.add_argument("--as-of", type=_date, help="as-of date: the invoice date (default: Settings or today)")

    p = command("history", "the reports recorded in the master's history; --drop removes one 历史")
    p.add_argument("path")
    p.add_argument("--drop", type=_date, metavar="DATE", help="remove the report of this date (recorded by mistake)")

    p = command("chase", "chase suppliers: one file and message draft per supplier (the drafts as .txt "
                         "beside the files; with --json in the JSON only) 催单")
    p.add_argument("path", help="master workbook (only read)")
    p.add_argument("--supplier", help="only this supplier (code, name or alias)")
    p.add_argument("--out", help="folder for the files (default: '催单 chase <as-of>' beside the master)")
    p.add_argument("--as-of", type=_date, help="as-of date (default: Settings or today)")

    p = command("report", "one customer's order status as .xlsx or .pdf 客户报告")
    p.add_argument("path", help="master workbook (only read)")
    p.add_argument("--customer", required=True, help="the customer's name as on the order lines")
    p.add_argument("--out", help="FILE.xlsx or FILE.pdf (PDF through LibreOffice; default: "
                                 "'客户报告_<customer>_<as-of>.xlsx' beside the master)")
    p.add_argument("--as-of", type=_date, help="as-of date (default: Settings or today)")

    p = command("backtest", "prove the late-risk model on past dates 回测")
    p.add_argument("path", help="master workbook, or an order-history file (csv, xlsx, xls)")
    p.add_argument("--from", dest="start", required=True, type=_month, help="first origin YYYY-MM")
    p.add_argument("--to", dest="end", required=True, type=_month, help="last origin YYYY-MM")
    p.add_argument("--step-months", type=_whole(1, 120), default=6, help="months between origins (default 6)")
    p.add_argument("--horizon-wd", type=_whole(1, 1300), default=65,
                   help="score the lines due within this many working days of each origin (default 65)")
    p.add_argument("--out", help="history file: write the 回测 Backtest sheet into this .xlsx")
    p.add_argument("--map", action="append", metavar="FIELD=HEADER", help="map a field to a header")

    p = command("export", "write a table as CSV with English field names 导出")
    p.add_argument("path")
    p.add_argument("--table", default="orders", help="orders, suppliers, calendar, settings, change_log, "
                                                     "import_issues")
    p.add_argument("--out", required=True, help="the CSV file to write (never a workbook)")
    p.add_argument("--raw", action="store_true", help="write text starting with = + - @ as it is "
                                                     "(default: prefixed with ' against CSV injection)")

    excel = sub.add_parser("excel", help="the ribbon and macros in Excel: enable, upgrade, check, setup 功能区与宏",
                           description="The 跟单 Gendan ribbon and macros in Excel (docs/excel.md).")
    excel_sub = excel.add_subparsers(dest="excel_command", required=True)
    excel_command = functools.partial(command, within=excel_sub)

    p = excel_command("enable", "give a master (.xlsx) the ribbon and macros: the same workbook as .xlsm 启用宏")
    p.add_argument("path", help="the master workbook (.xlsx, or .xlsm without macros)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--out", help="the .xlsm to write (default: beside the master, same name)")
    where.add_argument("--in-place", action="store_true",
                       help="the .xlsm replaces the master; its last version is kept as master.bak.xlsx")
    p.add_argument("--force", action="store_true", help="overwrite an existing .xlsm (its last version kept as backup)")

    p = excel_command("upgrade", "rewrite a master's macros and ribbon for the installed gendan and xlwings "
                                 "(data untouched, your own VBA modules kept) 升级宏")
    p.add_argument("path", help="the macro-enabled master (.xlsm)")

    p = excel_command("check", "will the ribbon run on this PC? the workbook's VBA vs the installed xlwings and "
                               "gendan, this PC's setup; exit 1 naming the fixing command 检查")
    p.add_argument("path", help="the macro-enabled master (.xlsm)")
    p.add_argument("--home", help=argparse.SUPPRESS)   # another home folder (tests)

    p = excel_command("setup", "once per PC, in the environment that has gendan: point xlwings' user config at "
                               "this Python, then check it 设置本电脑")
    p.add_argument("--home", help=argparse.SUPPRESS)   # another home folder (tests)

    p = command("demo", "build a demo master workbook and supplier files, then refresh 演示")
    p.add_argument("dir", nargs="?", default="gendan-demo")
    p.add_argument("--orders", type=int, default=300, help="number of order lines (default 300)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--xlsm", action="store_true", help="write master.xlsm with the 跟单 Gendan ribbon and macros")
    p.add_argument("--as-of", type=_date, help="as-of date (default today)")
    return parser


def _run(args) -> Result:
    from gendan_xl import actions
    if args.command == "new":
        return actions.new_master(args.path, force=args.force)
    if args.command == "load":
        table = actions.loadable_table(args.table)
        if table is not ORDERS:
            return actions.load_table(args.path, args.file, table, mapping=_mapping(args.map, table),
                                      sheet=args.sheet, as_of=args.as_of, dayfirst=args.dayfirst)
        return actions.load_orders(args.path, args.file, mapping=_mapping(args.map), sheet=args.sheet,
                                   as_of=args.as_of, dayfirst=args.dayfirst,
                                   far_date=args.far_date)
    if args.command == "sync" and actions.loadable_table(args.table) is SAMPLES:
        return actions.sync_samples(args.path, args.files, mapping=_mapping(args.map, SAMPLES), sheet=args.sheet,
                                    profile=args.profile, dry_run=args.dry_run, as_of=args.as_of,
                                    dayfirst=args.dayfirst, far_date=args.far_date)
    if args.command == "sync" and actions.loadable_table(args.table) in (SHIPMENTS, SHIPMENT_LINES):
        table = actions.loadable_table(args.table)
        return actions.sync_shipments(args.path, args.files, table, mapping=_mapping(args.map, table),
                                      sheet=args.sheet, profile=args.profile, dry_run=args.dry_run, as_of=args.as_of,
                                      dayfirst=args.dayfirst, far_date=args.far_date)
    if args.command == "sync" and actions.loadable_table(args.table) is not ORDERS:
        raise GendanError("--table：同步只读入订单、样品或出运 sync reads files into orders, samples, shipments or "
                          "shipment lines", value=args.table, expected="orders, samples, shipments or shipment_lines",
                          code=ErrorCode.BAD_OPTION)
    if args.command == "sync":
        return actions.sync(args.path, args.files, mapping=_mapping(args.map, codes=True), sheet=args.sheet,
                            profile=args.profile, dry_run=args.dry_run, as_of=args.as_of, dayfirst=args.dayfirst,
                            far_date=args.far_date)
    if args.command == "reconcile":
        return actions.reconcile(args.path, args.statement, party=args.party, period=args.period,
                                 side=args.side, mapping=_mapping(args.map, STATEMENT), sheet=args.sheet,
                                 prepared=args.prepared_by, dayfirst=args.dayfirst)
    if args.command == "refresh":
        return actions.refresh(args.path, as_of=args.as_of, history=not args.no_history, far_date=args.far_date)
    if args.command == "plan":
        return actions.plan(args.path, template=args.template, as_of=args.as_of, far_date=args.far_date)
    if args.command == "quote" and args.customer is not None:
        return actions.quotation(args.path, customer=args.customer, out=args.out, quote=args.quote,
                                 revision=args.revision, as_of=args.as_of)
    if args.command == "quote":
        return actions.quote(args.path, as_of=args.as_of)
    if args.command == "allocate":
        return actions.allocate(args.path, style=args.style, color=args.color, qty=args.qty, fair=args.fair,
                                as_of=args.as_of)
    if args.command == "ship":
        return actions.ship(args.path, args.shipment_no, out=args.out, pdf=args.pdf,
                            despite_checks=args.despite_checks, as_of=args.as_of)
    if args.command == "history":
        return actions.history(args.path, drop=args.drop)
    if args.command == "chase":
        return actions.chase(args.path, supplier=args.supplier, out=args.out, as_of=args.as_of,
                             drafts=not args.json)
    if args.command == "report":
        return actions.customer_report(args.path, customer=args.customer, out=args.out, as_of=args.as_of)
    if args.command == "backtest":
        return actions.backtest(args.path, start=args.start, end=args.end, step_months=args.step_months,
                                horizon_wd=args.horizon_wd, out=args.out, mapping=_mapping(args.map),
                                progress=lambda text: _print(text, sys.stderr))
    if args.command == "export":
        return actions.export_table(args.path, args.table, args.out, raw=args.raw)
    if args.command == "excel":
        return _excel(args)
    if args.command == "demo":
        from gendan_xl.demo.build import build_demo
        return build_demo(args.dir, orders=args.orders, seed=args.seed, as_of=args.as_of, macros=args.xlsm)
    raise AssertionError(args.command)


def _excel(args) -> Result:
    from gendan_xl import actions
    if args.excel_command == "enable":
        return actions.enable_macros(args.path, out=args.out, in_place=args.in_place, force=args.force)
    if args.excel_command == "upgrade":
        return actions.upgrade_macros(args.path)
    if args.excel_command == "check":
        from gendan_xl.actions.excel_check import check
        return check(args.path, home=args.home)
    if args.excel_command == "setup":
        from gendan_xl.actions.excel_setup import setup
        return setup(home=args.home)
    raise AssertionError(args.excel_command)


def _name(args) -> str:
    """The command's name for ``render``: ``excel check`` for a subcommand of ``excel``, ``quotation``
    for ``quote --customer``."""
    if args.command == "quote" and args.customer is not None:
        return "quotation"
    return f"excel {args.excel_command}" if args.command == "excel" else args.command


EXIT_BROKEN_PIPE = 128 + 13   # 128 + SIGPIPE


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "quote" and args.customer is None:
        given = [option for option, value in (("--out", args.out), ("--quote", args.quote),
                                              ("--revision", args.revision)) if value is not None]
        if given:
            parser.error(f"{', '.join(given)}: 只与 --customer 同用 only with --customer (the quotation it writes)")
    if args.command == "quote" and args.revision is not None and args.quote is None:
        parser.error("--revision 须与 --quote 同用 --revision goes with --quote NO")
    try:
        return _main(args)
    except BrokenPipeError:   # the reader has gone (e.g. `| head -1`): stop quietly, like other Unix tools
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())   # nothing left to flush at exit
        return EXIT_BROKEN_PIPE


def _main(args) -> int:
    from gendan_xl.actions.results import CheckResult, Noted, as_json   # with the actions, loaded by the command run
    try:
        result = _run(args)
    except BrokenPipeError:
        raise
    except (GendanError, OSError) as exc:
        if isinstance(exc, OSError):   # e.g. a folder given for a file
            exc = GendanError(f"文件操作失败 file operation failed: {os_cause(exc)}", file=exc.filename,
                              value=exc.filename2, code=os_code(exc))
        if getattr(args, "path", None):
            exc = exc.with_file(args.path)
        _print(f"错误 error: {exc}", sys.stderr)
        if args.json:
            _print(json.dumps({"ok": False, "error": str(exc), "code": exc.code.value}, ensure_ascii=False))
        return 1
    except KeyboardInterrupt:
        _print("已中断 interrupted; the workbook was not changed", sys.stderr)
        return 1
    for note in result.notes if isinstance(result, Noted) else []:
        print(f"注意 note: {note}", file=sys.stderr)
    # its findings are its answer (excel check's problems, ship's failing checks): exit 1
    problems = isinstance(result, CheckResult) and bool(result.problems) or getattr(result, "refused", False)
    if args.json:
        _print(json.dumps({"ok": not problems, **as_json(result)}, ensure_ascii=False, default=str))
    else:
        _print(render(_name(args), result))
    return 1 if problems else 0


def _print(text: str, stream=None) -> None:
    """Print and flush, so a closed pipe shows here and not at interpreter exit."""
    stream = stream or sys.stdout
    print(text, file=stream)
    stream.flush()


if __name__ == "__main__":
    sys.exit(main())
