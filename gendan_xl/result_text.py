"""Human-readable (bilingual) summaries of the actions' results, for the terminal."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from gendan_xl.model.statuses import CustomerStatus
from gendan_xl.risk.backtest import NONE_JUDGED
from gendan_xl.model.values import is_blank

if TYPE_CHECKING:   # the results are read by attribute; their module loads with the actions
    from gendan_xl.actions.results import (AllocateResult, BacktestResult, ChaseResult, CheckResult, CustomerReportResult,
                                           DemoResult, EnableResult, ExportResult, FileDateOrder, HistoryResult,
                                           LoadResult, NewResult, PlanResult, QuotationResult, ReconcileResult,
                                           RefreshResult, QuoteResult, Result, SetupResult, ShipResult, SyncResult,
                                           TableLoadResult, TableSyncResult,
                                           UpgradeResult)

SHOWN_ISSUES = 20


def render(command: str, result: Result) -> str:
    """The text ``gendan <command>`` prints for ``result`` (without --json)."""
    return {"new": _new, "load": _load, "sync": _sync, "reconcile": _reconcile, "refresh": _refresh,
            "demo": _demo, "export": _export, "chase": _chase, "report": _report, "plan": _plan,
            "backtest": _backtest, "history": _history, "quote": _quote, "quotation": _quotation,
            "allocate": _allocate, "ship": _ship,
            "excel enable": _excel_enable,
            "excel upgrade": _excel_upgrade, "excel check": _excel_check, "excel setup": _excel_setup}[command](result)


def _excel_enable(result: EnableResult) -> str:
    lines = [f"已启用宏 macro-enabled: {result.workbook} (跟单 Gendan 功能区 ribbon; xlwings {result.xlwings}, "
             f"gendan {result.gendan})"]
    if result.backup:
        lines.append(f"备份 backup: {result.backup}")
    return "\n".join(lines)


def _excel_upgrade(result: UpgradeResult) -> str:
    lines = [f"已升级宏 macros upgraded: {result.workbook} · xlwings {result.xlwings_before or '—'} → "
             f"{result.xlwings} · gendan {result.gendan}",
             f"写入模块 modules written: {', '.join(result.modules)}"]
    if result.kept_modules:
        lines.append(f"保留您的模块 your modules kept: {', '.join(result.kept_modules)}")
    if result.config_keys_removed:
        lines.append(f"xlwings.conf 表中删除本机路径 machine paths removed from the xlwings.conf sheet: "
                     f"{', '.join(result.config_keys_removed)}")
    return "\n".join(lines + [_saved(result.workbook, result.backup)])


def _excel_check(result: CheckResult) -> str:
    vba, installed, pc, sheet = result.vba, result.installed, result.this_pc, result.config_sheet
    lines = [f"工作簿 workbook: {result.workbook}",
             "VBA: " + ("—" if vba is None else f"xlwings {vba.xlwings or '—'} · gendan {vba.gendan or '—'}")
             + f" (已安装 installed: xlwings {installed.xlwings} · gendan {installed.gendan})"]
    if sheet is not None:
        lines.append(f"xlwings.conf 表 sheet: {'隐藏 hidden' if sheet.hidden else '可见 visible'} · "
                     + (f"本机路径 machine paths: {', '.join(sheet.machine_keys)}" if sheet.machine_keys
                        else "无本机路径 no machine path"))
    ran = ("可导入 gendan_xl imports gendan_xl" + f" (gendan {pc.gendan}, xlwings {pc.xlwings})"
           if pc.imports_gendan else "未通过 not working")
    lines.append(f"本电脑 this PC: {pc.config} · {pc.key} = {pc.interpreter or '—'}"
                 + (f" · {ran}" if pc.interpreter else ""))
    for problem in result.problems:
        detail = f" ({problem.detail})" if problem.detail else ""
        lines.append(f"问题 problem: {problem.problem}{detail}\n  → 运行 run: {problem.fix}")
    if not result.problems:
        lines.append("一切正常 all well: 功能区可在本电脑运行 the ribbon can run on this PC")
    return "\n".join(lines)


def _excel_setup(result: SetupResult) -> str:
    lines = [f"已设置本电脑 this PC is set up: {result.config}",
             f"{result.key} = {result.interpreter}",
             f"检查 checked: 可导入 gendan_xl imports gendan_xl (gendan {result.gendan}, xlwings {result.xlwings})"]
    if result.kept_keys:
        lines.append(f"保留的其他设置 other settings kept: {', '.join(result.kept_keys)}")
    return "\n".join(lines)


def _new(result: NewResult) -> str:
    kind = "含宏与功能区 with macros and the 跟单 ribbon" if result.macros else "xlsx"
    return f"已创建 created {result.path} ({kind}; 日历 calendar {result.calendar_rows} rows)"


def _history(result: HistoryResult) -> str:
    if result.dropped:
        return (f"已删除报告 removed the report of {result.dropped} from the history\n"
                f"历史报告 reports: {', '.join(result.reports) or '—'}\n" + _saved(result.workbook, result.backup))
    return f"历史报告 reports in the history of {result.workbook}: {', '.join(result.reports) or '—'}"


def _refresh(result: RefreshResult) -> str:
    from gendan_xl.rules.on_time import LABEL as ON_TIME   # late, as in _report
    counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
    rate = result.on_time_rate
    lines = [f"{result.lines} 行 lines · as of {result.as_of} · {counts}",
             f"{ON_TIME}: " + ("—" if rate is None else f"{rate:.1%}")]
    if result.previous:
        before = result.previous.counts
        moves = ", ".join(f"{k} {before[k]}→{v}" for k, v in result.counts.items() if k in before and before[k] != v)
        lines.append(f"对比上次 vs {result.previous.as_of}: {moves or 'no change'}")
    if result.changes_since:
        kinds = ", ".join(f"{k} {v}" for k, v in result.changes.items())
        lines.append(f"变化 changes since {result.changes_since}: {kinds}")
    if result.shipments:
        states = ", ".join(f"{k} {v}" for k, v in result.shipments["counts"].items())
        lines.append(f"出运 shipments: {states}; 订单行已更新 order lines set {result.shipments['lines_set']}")
        lines += [f"  {s['shipment_no']} {s['state']}: {s['why']}" for s in result.shipments["flagged"][:SHOWN_ISSUES]]
    lines += [f"警告 warning: {w}" for w in result.warnings[:SHOWN_ISSUES]]
    return "\n".join(lines + [_saved(result.workbook, result.backup)])


def _backtest(result: BacktestResult) -> str:
    def pct(v):
        return "—" if v is None else f"{v:.1%}"

    def num(v):
        return "—" if v is None else f"{v:.3f}"
    lines = [f"回测 backtest {result.source} · 展望 horizon {result.horizon_wd} WD · 阈值 threshold "
             f"{result.threshold:.0%}",
             "起点 origin   lines  late   AUC  baseline  Brier  base  precision  recall  riskiest-10% late"]
    for r in result.origins:
        start = f"{r['origin']} {r['lines']:6} {pct(r['late_share']):>6} "
        if r["note"]:
            lines.append(start + r["note"])
            continue
        lines.append(start + f"{num(r['auc']):>5} {num(r['baseline_auc']):>8} {num(r['brier']):>6} "
                     f"{num(r['base_brier']):>5} {pct(r['precision']):>9} {pct(r['recall']):>7} "
                     f"{pct(r['top10_late_share']):>8}")
    if not result.judged_origins:
        lines.append(f"平均 mean: {NONE_JUDGED}")
    else:
        better = result.brier_better_everywhere
        lines.append(f"平均 mean ({result.judged_origins} 个起点 origins judged) AUC {num(result.mean_auc)} "
                     f"(基准 baseline {num(result.mean_baseline_auc)}); Brier 优于基准 better than the base rate "
                     "at every origin judged: " + {True: "是 yes", False: "否 no", None: "— (无 none)"}[better])
    where = result.written_to()
    if where:
        lines.append(f"工作表 sheet 回测 Backtest → {where}")
    return "\n".join(lines)


def _demo(result: DemoResult) -> str:
    return "\n".join([f"演示 demo: {result.demo}", _refresh(result.refresh)])


def _load(result: LoadResult | TableLoadResult) -> str:
    if hasattr(result, "table"):   # a table other than Orders (TableLoadResult)
        return _load_table(result)
    lines = [f"{result.file} [{result.sheet}]: {result.rows_read} 行 rows, 新增 added {result.added}, "
             f"更新 updated {result.changed_values} values on {result.updated_lines} lines"]
    lines += _stated(result.stated) + _date_order(result.date_order)
    lines += _issues(result.issue_rows, result.issues_total)
    refreshed = replace(result.refresh, workbook=result.workbook, backup=result.backup)
    return "\n".join(lines + [_refresh(refreshed)])


def _load_table(result: TableLoadResult) -> str:
    from gendan_xl.model.schema import TABLES
    sheet = TABLES[result.table].sheet
    lines = [f"新增工作表 added sheet: {sheet}"] if result.table_added else []
    lines.append(f"{result.file} [{result.sheet}] → {sheet}: {result.rows_read} 行 rows, 新增 added {result.added}, "
                 f"更新 updated {result.changed_values} values on {result.updated_rows} rows")
    lines += _date_order(result.date_order)
    lines += _issues(result.issue_rows, result.issues_total)
    return "\n".join(lines + [_saved(result.workbook, result.backup)])


def _quote(result: QuoteResult) -> str:
    from gendan_xl.model.schema import TABLES
    lines = [f"新增工作表 added sheet: {TABLES[key].sheet}" for key in result.tables_added]
    lines.append(f"报价 quotes as of {result.as_of}: 已报价 priced {result.priced}, 未报价 not priced {result.not_priced}")
    lines += [f"  {q.quote_no} / {q.revision}: {q.why}" for q in result.quotes if q.price is None][:SHOWN_ISSUES]
    if result.rate_moved:
        lines.append(f"汇率变动 the rate moved: {len(result.rate_moved)} 个报价 quotes")
        lines += [f"  {m['quote_no']} / {m['revision']}: {m['why']}" for m in result.rate_moved[:SHOWN_ISSUES]]
    lines += _issues(result.issue_rows, result.issues_total)
    return "\n".join(lines + [_saved(result.workbook, result.backup)])


def _allocate(result: AllocateResult) -> str:
    t = result.totals
    colour = f" / {result.color}" if result.color else ""
    source = "指定 given" if result.qty_from == "given" else "已生产未出货 produced, not yet shipped"
    rule = "按比例 fair shares" if result.rule == "fair" else "按顺序 in order"
    lines = [f"分配 allocate {result.style}{colour} · as of {result.as_of} · N = {result.qty:,} ({source}) · {rule}"]
    lines += [f"  {a.po_no} / {a.line} · {a.customer or '—'}: {a.allocated:,} / {a.open_qty:,}"
              + (f" (短缺 short {a.short:,})" if a.short else "") for a in result.lines[:SHOWN_ISSUES]]
    if len(result.lines) > SHOWN_ISSUES:
        lines.append(f"  … {len(result.lines) - SHOWN_ISSUES} 行 more lines: {result.sheet}")
    lines.append(f"合计 total: 分配 allocated {t['allocated']:,} / 未出 open {t['open_qty']:,} · 短缺 short "
                 f"{t['short']:,}" + (f" · 未分配 not allocated {t['unallocated']:,}" if t["unallocated"] else ""))
    return "\n".join(lines + [f"工作表 sheet: {result.sheet}", _saved(result.workbook, result.backup)])


def _quotation(result: QuotationResult) -> str:
    named = result.customer if result.legal_name == result.customer else f"{result.customer} ({result.legal_name})"
    lines = [f"报价单 quotation · {named} · as of {result.as_of}: {len(result.lines)} 个报价 quotes"]
    lines += [f"  {q.quote_no} / {q.revision} · {q.style or '—'} · {q.price_text}" for q in result.lines]
    lines += [f"  未列入 not shown: {n['quote_no']} — {n['why']}" for n in result.not_shown[:SHOWN_ISSUES]]
    lines += [f"警告 warning: {w}" for w in result.warnings[:SHOWN_ISSUES]]
    return "\n".join([*lines, f"  → {result.file}"])


def _ship(result: ShipResult) -> str:
    if not result.written:
        return "\n".join([ship_summary(result), "未写出单证 no document written: correct the shipment, or --despite-checks"])
    return "\n".join([ship_summary(result), *(f"  → {f}" for f in result.files)])


def ship_summary(result: ShipResult) -> str:
    """A shipment's totals, its checks (each failing one: code and message) and warnings — what
    ``gendan ship`` and the ribbon's 出运 Ship button say before the files written or refused."""
    t = result.totals
    lines = [f"出运 shipment {result.shipment_no} · 发票 invoice {result.invoice_no} · {result.customer} · as of "
             f"{result.as_of}: {result.lines} 行 lines, {t['qty']:,.0f} pcs, {t['currency'] or '?'} {t['amount']:,.2f}, "
             f"{t['cartons']:,.0f} 箱 cartons, GW {t['gw_kg']:,.2f} kg, {t['cbm']:,.3f} m³"]
    failed = [c for c in result.checks if not c["ok"]]
    lines.append(f"单证检查 document checks: {len(result.checks) - len(failed)}/{len(result.checks)} 通过 passed")
    lines += [f"  ✗ {c['code']}: {c['message']}" for c in failed]
    lines += [f"警告 warning: {w}" for w in result.warnings]
    return "\n".join(lines)


def _sync(result: SyncResult | TableSyncResult) -> str:
    if hasattr(result, "table"):   # sample files, booking confirmations, packing lists (TableSyncResult)
        return _table_sync(result)
    lines = []
    for f in result.files:
        lines.append(f"{f.file} [{f.sheet}]" + (f" (profile {f.profile})" if f.profile else ""))
        issues = ", ".join(f"{k} {v}" for k, v in f.issues.items()) or "none"
        lines.append(f"  {f.rows} 行 rows, 匹配 matched {f.matched}, 更新 {f.changed_values} values on "
                     f"{f.changed_lines} lines, 工序日期 milestone dates {f.milestone_dates}; 问题 issues: {issues}")
        lines += _stated(f.stated) + _date_order(f.date_order)
        refs = f.references
        if refs.resolved or refs.unresolved or refs.markers:
            lines.append(f"  引用 references resolved {refs.resolved}, unresolved {refs.unresolved}; "
                         f"markers {refs.markers}")
    return _synced(result, lines, result.changed_values)


def _table_sync(result: TableSyncResult) -> str:
    from gendan_xl.model.schema import TABLES
    sheet = TABLES[result.table].sheet
    samples = result.table == TABLES["samples"].key
    added = ("供应商文件只更新已有的轮次，本次无匹配 a supplier's file only updates the rounds the register has" if samples
             else "文件只更新已有的出运，本次无匹配 a file only updates the shipments and lines the master has")
    lines = [f"新增工作表 added sheet: {sheet} — {added}: none matched"] if result.table_added else []
    matched = "匹配轮次 rounds matched" if samples else "匹配 matched"
    for f in result.files:
        lines.append(f"{f.file} [{f.sheet}] → {sheet}" + (f" (profile {f.profile})" if f.profile else ""))
        issues = ", ".join(f"{k} {v}" for k, v in f.issues.items()) or "none"
        lines.append(f"  {f.rows} 行 rows, {matched} {f.matched}, 更新 applied {f.applied}, 未变 kept "
                     f"{f.kept}, 冲突 conflicts {f.conflicts}; 问题 issues: {issues}")
        lines += _stated(f.stated) + _date_order(f.date_order)
    return _synced(result, lines, result.applied)


def _synced(result: SyncResult | TableSyncResult, lines: list[str], values: int) -> str:
    """The end of a sync's text: its issues, then what a dry run would change (``values`` values), or
    the rows logged and the refresh."""
    lines = lines + _issues(result.issue_rows, result.issues_total)
    if result.dry_run:
        lines += ["  " + change for change in result.changes[:50]]
        lines.append(f"试运行 dry run: {values} values would change; nothing was written")
        return "\n".join(lines)
    lines.append(f"变更日志 change log +{result.change_log_rows} rows, 导入问题 import issues "
                 f"+{result.import_issue_rows} rows")
    refreshed = replace(result.refresh, workbook=result.workbook, backup=result.backup)
    return "\n".join(lines + [_refresh(refreshed)])


def _plan(result: PlanResult) -> str:
    lines = [f"新增工作表 added sheets: {', '.join(result.tables_added)}"] if result.tables_added else []
    lines.append(f"排期 plan: {result.open_lines} 未完成行 open lines, 新增工序 milestones added "
                 f"{result.milestones_added}, 改期 moved {result.plans_moved}, 补填 filled "
                 f"{result.plans_filled}, 保留手填 user plans kept {result.user_plans_kept}")
    refreshed = replace(result.refresh, workbook=result.workbook, backup=result.backup)
    return "\n".join(lines + [_refresh(refreshed)])


def _reconcile(result: ReconcileResult) -> str:
    t = result.totals
    taken = " (取自对账单日期 from the statement's dates)" if result.period_from_statement else ""
    lines = [f"工作表 sheet: {result.sheet} ({result.our_lines} 我方 ours, {result.statement_lines} "
             f"对方 theirs)", f"对方 party: {result.party} · 期间 period: {result.period}{taken}",
             ", ".join(f"{k} {v}" for k, v in result.counts.items()),
             f"我方 ours {t['ours']:,.2f} · 对方 theirs {t['theirs']:,.2f} · 差额 difference {t['difference']:,.2f}"
             f" · 一致 matched {result.matched_total:,.2f}", *_date_order(result.date_order)]
    if result.currency_mismatch:
        lines.append(f"注意 currency differs: statement {result.currency}, ours {result.our_currency} "
                     "(not converted)")
    return "\n".join(lines + _issues(result.issue_rows, result.issues_total)
                     + [_saved(result.workbook, result.backup)])


def _chase(result: ChaseResult) -> str:
    lines = [f"催单 chase · as of {result.as_of} · {result.suppliers} 供应商 suppliers, "
             f"{result.lines} 行 lines (无消息 no news: {result.stale_wd} WD)"
             + (f", {result.samples} 样品 samples to send" if result.samples else "") + f" → {result.out}"]
    for f in result.files:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(f.reasons.items()))
        samples = f", {f.samples} 样品 samples" if f.samples else ""
        lines.append(f"  {f.supplier}: {f.lines} 行 lines" + (f" ({reasons})" if reasons else "") +
                     f"{samples} → {f.file}")
        if f.draft:
            lines.append(f"    消息草稿 message draft → {f.draft}")
    if not result.files:
        lines.append("  无需催单 nothing to chase")
    return "\n".join(lines)


def _report(result: CustomerReportResult) -> str:
    counts = ", ".join(f"{CustomerStatus(k).words} {v}" for k, v in result.counts.items()) or "—"
    return (f"客户报告 customer report · {result.customer} · as of {result.as_of}: 未出货 open "
            f"{result.open_lines}, 近 {result.shipped_days} 天已出货 shipped in the last "
            f"{result.shipped_days} days ({result.shipped_from} – {result.as_of}) "
            f"{result.shipped_lines}\n  {counts}\n  → {result.file}")


def _export(result: ExportResult) -> str:
    text = f"已导出 exported {result.rows} rows of {result.table} to {result.out}"
    if result.escaped:
        text += (f"\n{result.escaped} 个文本单元格加了 ' 前缀以防公式注入 text cells prefixed with ' "
                 "against CSV injection (--raw keeps them as they are)")
    return text


def _stated(stated: dict[str, str]) -> list[str]:
    """The values a file stated beside their labels (above its table, or in a form), each with its cell."""
    return [f"  标签旁读取 read beside its label: {cell}" for cell in stated.values()]


def _date_order(found: FileDateOrder | None) -> list[str]:
    """How a file's day/month dates were read (nothing for a file without such dates)."""
    from gendan_xl.model.date_order import DECIDED_BY, DateOrder
    if not found:
        return []
    if found.order is None:
        return [f"  日期顺序未知 date order not known: {found.ambiguous} 个日期未应用 ambiguous dates not applied "
                f"(give {' or '.join(o.option for o in DateOrder)})"]
    by = DECIDED_BY[found.by] + (f" {found.supplier}" if found.by == "supplier" else "")
    kept = f"; 已记住 now remembered for {found.supplier}" if found.remembered else ""
    return [f"  日期顺序 date order: {DateOrder(found.order).label} ({by}){kept}"]


def _issues(shown: list[dict], total: int) -> list[str]:
    """The first unusable rows (``Issue.to_json`` rows) with where they are, then how many more the
    Import Issues sheet has."""
    lines = [f"  问题 {i['reason']}: {i['file']} [{i['sheet']}] row {i['row']}"
             + (f", column {i['column']}" if i.get("column") else "")
             + (f", value {i['value']!r}" if not is_blank(i.get("value")) else "")
             + f" — {i['message']}" for i in shown[:SHOWN_ISSUES]]
    if total > SHOWN_ISSUES:
        lines.append(f"  … 另有 {total - SHOWN_ISSUES} more in 导入问题 Import Issues")
    return lines


def _saved(workbook: str, backup: str | None) -> str:
    backup_text = f" (备份 backup: {backup})" if backup else ""
    return f"已保存 saved: {workbook}{backup_text}"
