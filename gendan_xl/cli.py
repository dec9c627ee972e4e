"""gendan <command>: the headless actions on a master workbook file.

Exit codes: 0 ok, 1 a user-facing error (clear message, no traceback), 2 usage.
With --json, stdout carries exactly one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from . import __version__
from .errors import GendanError
from .schema import ORDERS, STATEMENT


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _mapping(pairs: list[str] | None, table=None) -> dict[str, str]:
    table = table or ORDERS
    out = {}
    for pair in pairs or []:
        field, sep, header = pair.partition("=")
        if not sep or not field or not header:
            raise GendanError("--map 格式应为 FIELD=HEADER --map must look like FIELD=HEADER", value=pair)
        if field not in table.names:
            raise GendanError("--map 未知字段 unknown field in --map", value=field,
                              expected="one of " + ", ".join(table.names))
        out[field] = header
    return out


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gendan", description="跟单 Gendan — merchandiser automation for "
                                     "the master workbook (slack in working days, flags, weekly report).")
    parser.add_argument("--version", action="version", version=f"gendan_xl {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
        return p

    p = command("new", "create an empty master workbook 新建主工作簿")
    p.add_argument("path")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")

    p = command("load", "load order lines from an ERP/hand-made export 导入订单")
    p.add_argument("path", help="master workbook")
    p.add_argument("file", help="csv, xlsx or xls export")
    p.add_argument("--map", action="append", metavar="FIELD=HEADER", help="map a field to a header")
    p.add_argument("--sheet", help="sheet of the export to read")
    p.add_argument("--as-of", type=_date, help="as-of date for the refresh (default: Settings or today)")

    p = command("sync", "import supplier progress files into the master 同步供应商")
    p.add_argument("path", help="master workbook")
    p.add_argument("files", nargs="+", help="supplier files (xlsx, xls, csv)")
    p.add_argument("--map", action="append", metavar="FIELD=HEADER", help="teach a new layout (saved)")
    p.add_argument("--profile", help="name to save the --map layout under (default: the file name)")
    p.add_argument("--sheet", help="sheet of the supplier file to read")
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    p.add_argument("--as-of", type=_date, help="as-of date for the refresh (default: Settings or today)")

    p = command("reconcile", "reconcile a statement with our records 对账")
    p.add_argument("path", help="master workbook")
    p.add_argument("statement", help="the party's statement (xlsx, xls, csv)")
    p.add_argument("--party", required=True, help="supplier or customer name (or supplier code/alias)")
    p.add_argument("--period", help="YYYY-MM: our lines shipped in that month (default: all shipped)")
    p.add_argument("--side", choices=["supplier", "customer"], default="supplier")
    p.add_argument("--map", action="append", metavar="FIELD=HEADER", help="map a statement field to a header")
    p.add_argument("--sheet", help="sheet of the statement to read")
    p.add_argument("--prepared-by", help="name for the sign-off block")

    p = command("refresh", "compute slack, flags and the weekly report 刷新")
    p.add_argument("path")
    p.add_argument("--as-of", type=_date, help="as-of date (default: Settings or today)")

    p = command("export", "write a table as CSV with English field names 导出")
    p.add_argument("path")
    p.add_argument("--table", default="orders", help="orders, suppliers, calendar, settings, change_log, "
                                                     "import_issues")
    p.add_argument("--out", required=True)

    p = command("demo", "build a demo master workbook and supplier files, then refresh 演示")
    p.add_argument("dir", nargs="?", default="gendan-demo")
    p.add_argument("--orders", type=int, default=300, help="number of order lines (default 300)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--as-of", type=_date, help="as-of date (default today)")
    return parser


def _run(args) -> dict:
    from . import actions
    if args.command == "new":
        return actions.new_master(args.path, force=args.force)
    if args.command == "load":
        return actions.load_orders(args.path, args.file, mapping=_mapping(args.map), sheet=args.sheet,
                                   as_of=args.as_of)
    if args.command == "sync":
        return actions.sync(args.path, args.files, mapping=_mapping(args.map), sheet=args.sheet,
                            profile=args.profile, dry_run=args.dry_run, as_of=args.as_of)
    if args.command == "reconcile":
        return actions.reconcile(args.path, args.statement, party=args.party, period=args.period,
                                 side=args.side, mapping=_mapping(args.map, STATEMENT), sheet=args.sheet,
                                 prepared=args.prepared_by)
    if args.command == "refresh":
        return actions.refresh(args.path, as_of=args.as_of)
    if args.command == "export":
        return actions.export_table(args.path, args.table, args.out)
    if args.command == "demo":
        from .demo import build_demo
        return build_demo(args.dir, orders=args.orders, seed=args.seed, as_of=args.as_of)
    raise AssertionError(args.command)


def _human_sync(result: dict) -> str:
    lines = []
    for f in result["files"]:
        issues = ", ".join(f"{k} {v}" for k, v in f["issues"].items()) or "none"
        lines.append(f"{f['file']} [{f['sheet']}]" + (f" (profile {f['profile']})" if f["profile"] else ""))
        lines.append(f"  {f['rows']} 行 rows, 匹配 matched {f['matched']}, 更新 {f['changed_values']} values on "
                     f"{f['changed_lines']} lines; 问题 issues: {issues}")
        refs = f["references"]
        if refs["resolved"] or refs["unresolved"] or refs["markers"]:
            lines.append(f"  引用 references resolved {refs['resolved']}, unresolved {refs['unresolved']}; "
                         f"markers {refs['markers']}")
    lines.extend("  " + change for change in result.get("changes", [])[:50])
    if result["dry_run"]:
        lines.append(f"试运行 dry run: {result['changed_values']} values would change; nothing was written")
        return "\n".join(lines)
    lines.append(f"变更日志 change log +{result['change_log_rows']} rows, 导入问题 import issues "
                 f"+{result['import_issue_rows']} rows")
    lines.append(_human("refresh", {**result["refresh"], "workbook": result["workbook"],
                                    "backup": result["backup"]}))
    return "\n".join(lines)


def _human_reconcile(result: dict) -> str:
    counts = ", ".join(f"{k} {v}" for k, v in result["counts"].items())
    t = result["totals"]
    lines = [f"工作表 sheet: {result['sheet']} ({result['our_lines']} 我方 ours, {result['statement_lines']} 对方 theirs)",
             counts,
             f"我方 ours {t['ours']:,.2f} · 对方 theirs {t['theirs']:,.2f} · 差额 difference {t['difference']:,.2f}"
             f" · 一致 matched {result['matched_total']:,.2f}"]
    if result["currency_mismatch"]:
        lines.append(f"注意 currency differs: statement {result['currency']}, ours {result['our_currency']}")
    lines.append(f"已保存 saved: {result['workbook']}")
    return "\n".join(lines)


def _human(command: str, result: dict) -> str:
    if command == "sync":
        return _human_sync(result)
    if command == "reconcile":
        return _human_reconcile(result)
    if "counts" in result:
        counts = ", ".join(f"{k} {v}" for k, v in result["counts"].items())
        rate = result.get("on_time_rate")
        lines = [f"{result.get('lines')} 行 lines · as of {result.get('as_of')} · {counts}",
                 "准时率 on-time rate: " + ("—" if rate is None else f"{rate:.1%}")]
        lines += [f"警告 warning: {w}" for w in result.get("warnings", [])[:20]]
        if result.get("workbook"):
            lines.append(f"已保存 saved: {result['workbook']}" + (f" (备份 backup: {result['backup']})"
                                                               if result.get("backup") else ""))
        return "\n".join(lines)
    lines = [f"{k}: {v}" for k, v in result.items() if not isinstance(v, (dict, list))]
    for key, value in result.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines.extend("  " + line for line in _human(command, value).splitlines())
        elif isinstance(value, list):
            lines.append(f"{key}: ({len(value)})")
            for item in value:
                text = _human(command, item) if isinstance(item, dict) else str(item)
                lines.extend("  " + line for line in text.splitlines())
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = _run(args)
    except GendanError as exc:
        print(f"错误 error: {exc}", file=sys.stderr)
        if args.json:
            print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        return 1
    except KeyboardInterrupt:
        print("已中断 interrupted; the workbook was not changed", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({"ok": True, **result}, ensure_ascii=False, default=str))
    else:
        print(_human(args.command, result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
