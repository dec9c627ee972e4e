"""What each action returns: one dataclass per action, read by attribute (the terminal text, the
ribbon, the demo), and its ``--json`` form from ``as_json`` alone.

The JSON of a result is an object of its fields in the order they are declared; a field made with
``optional`` is left out when it is None, one made with ``only_when`` when its condition does not
hold, one made with ``flattened`` gives its own keys in its place; the ``notes`` come last. Nested
parts that are pure data for the JSON (counts per flag, table rows, issue rows) stay dicts and lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from gendan_xl.importers.references import ReferenceCounts
from gendan_xl.model.statuses import ExcelProblem
from gendan_xl.reporting.scorecard import as_json as scorecard_rows
from gendan_xl.reporting.weekly import WeeklyReport


def as_json(value: Any) -> Any:
    """The JSON-ready form of a result (or of any part of one): a dataclass as an object of its
    fields (see the module's docstring), dicts, lists and tuples part by part, anything else as it is."""
    if is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in sorted(fields(value), key=lambda f: f.metadata.get("last", False)):
            item = getattr(value, f.name)
            if not f.metadata.get("shown", _always)(value, item):
                continue
            if f.metadata.get("flattened"):
                out.update(as_json(item))
            else:
                out[f.name] = as_json(item)
        return out
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_json(v) for v in value]
    return value


def _always(result, value) -> bool:
    return True


def optional(**kwargs):
    """A field the JSON carries only when it is not None (default None)."""
    return field(default=None, metadata={"shown": lambda result, value: value is not None}, **kwargs)


def only_when(condition: Callable[[Any], bool], default=None):
    """A field the JSON carries only when ``condition(result)`` holds."""
    return field(default=default, metadata={"shown": lambda result, value: condition(result)})


def flattened():
    """A nested result whose JSON keys stand in the outer object in its place."""
    return field(metadata={"flattened": True})


@dataclass(kw_only=True)
class Result:
    """The result of an action."""


@dataclass(kw_only=True)
class Noted(Result):
    """A result with notes for the user: the master's write lock's (``common.writes_master``, e.g. a
    stale lock taken over) and the action's own. The command line prints them on stderr, the ribbon
    first; in the JSON they come last."""

    notes: list[str] = field(default_factory=list, metadata={"last": True})


@dataclass(kw_only=True)
class NewResult(Noted):
    """gendan new: the master created."""

    path: str
    calendar_rows: int          # rows seeded into the Calendar sheet
    orders: int                 # order lines seeded
    macros: bool                # an .xlsm with the ribbon


@dataclass(kw_only=True)
class Previous:
    """The last report before this one in the master's history: its as-of date and counts per flag."""

    as_of: str
    counts: dict[str, int]


@dataclass(kw_only=True)
class RefreshResult(Noted):
    """gendan refresh: the weekly report's figures, the master saved, and the cells not understood."""

    lines: int
    open: int
    counts: dict[str, int]               # lines per flag code
    on_time_rate: float | None
    as_of: str
    changes: dict[str, int]              # lines per change kind since the last report
    changes_since: str | None            # the last report's date (None: no earlier report)
    scorecard: list[dict] | None = optional()        # per supplier (scorecard.COLUMNS)
    milestone_todo: dict[str, int] | None = optional()   # overdue and due-soon milestones per state
    risk: dict | None = optional()                   # the risk model's summary (RiskTables.summary)
    quotes: dict | None = optional()                 # rate moved, margin erosion (QuoteWatch.summary)
    samples: dict | None = optional()                # sample_step.SampleSummary + Turnaround.summary
    shipments: dict | None = optional()              # shipments per state, those to act on (ShipmentWatch.summary)
    previous: Previous | None = optional()
    workbook: str
    backup: str | None = None            # None: not saved (saved by the action it ran in) or no backup
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, weekly: WeeklyReport, *, workbook: str, backup: str | None, warnings: list[str]) -> RefreshResult:
        """The result of a refresh whose report is ``weekly``."""
        previous = weekly.previous
        return cls(lines=weekly.lines, open=weekly.open_lines, counts=weekly.counts,
                   on_time_rate=weekly.on_time_rate, as_of=weekly.as_of.isoformat(),
                   changes=weekly.changes.counts(),
                   changes_since=weekly.changes.since.isoformat() if weekly.changes.since else None,
                   scorecard=None if weekly.scorecard is None else scorecard_rows(weekly.scorecard),
                   milestone_todo=None if weekly.milestone_todo is None else weekly.milestone_todo.counts(),
                   risk=None if weekly.risk is None else weekly.risk.summary(),
                   quotes=None if weekly.quotes is None else weekly.quotes.summary(),
                   shipments=None if weekly.shipments is None else weekly.shipments.summary(),
                   previous=Previous(as_of=previous[0].isoformat(), counts=previous[1]) if previous else None,
                   workbook=workbook, backup=backup, warnings=warnings)


@dataclass(kw_only=True)
class FileDateOrder:
    """How a file's day/month dates were read: the order's code (None: not known), what decided it
    (``date_order.DECIDED_BY``), the supplier, whether it was remembered for that supplier, and how
    many dates stay ambiguous (issue rows)."""

    order: str | None
    by: str | None
    supplier: str | None
    remembered: bool
    ambiguous: int


@dataclass(kw_only=True)
class LoadResult(Noted):
    """gendan load: an export's lines upserted into the Orders table, then refreshed."""

    workbook: str
    file: str
    sheet: str | None
    rows_read: int
    added: int
    date_order: FileDateOrder | None
    updated_lines: int
    changed_values: int
    issues: int
    issue_counts: dict[str, int]         # issues per reason code
    issue_rows: list[dict]               # the first problem rows (Issue.to_json)
    issues_total: int
    backup: str | None
    refresh: RefreshResult
    stated: dict[str, str] = field(default_factory=dict)   # field -> the title-block cell it was read from


@dataclass(kw_only=True)
class TableLoadResult(Noted):
    """gendan load --table: a file's rows upserted into a table by its key (no refresh: the table
    does not feed the flags)."""

    workbook: str
    table: str                           # the table's key (``customers``)
    table_added: bool                    # an older master got the table (Customers: from its orders)
    file: str
    sheet: str | None
    rows_read: int
    added: int
    date_order: FileDateOrder | None
    updated_rows: int
    changed_values: int
    issues: int
    issue_counts: dict[str, int]         # issues per reason code
    issue_rows: list[dict]               # the first problem rows (Issue.to_json)
    issues_total: int
    backup: str | None


@dataclass(kw_only=True)
class QuotedRow:
    """One quote revision as gendan quote priced it (None where not priced)."""

    quote_no: str | None
    revision: int | None
    status: str | None                   # the QuoteStatus code (None: blank or unknown)
    currency: str | None                 # the three-letter code
    incoterm: str | None                 # the Incoterm code as quoted (FCA, not its twin FOB)
    price: float | None                  # the incoterm's price with commission, as stored (4 decimals)
    customer_price: float | None         # the price the customer sees (rounded half up to quote_decimals)
    profit_loss_rate: float | None       # as stored (4 decimals)
    why: str


@dataclass(kw_only=True)
class QuoteResult(Noted):
    """gendan quote: every quote revision priced, the computed columns written, unpriced rows listed
    in Import Issues, and the open quotes the exchange rate has moved."""

    workbook: str
    as_of: str
    tables_added: list[str]              # the tables an older master got (their keys)
    priced: int
    not_priced: int
    quotes: list[QuotedRow]
    rate_moved: list[dict]               # rate_moved.LISTED per quote, at the as-of date's rates
    margin_erosion: list[dict]           # erosion.LISTED per open order line and check
    trail: list[dict]                    # per quote number, its revisions' prices (quote.trail_json)
    issues: int
    issue_counts: dict[str, int]         # issues per reason code
    issue_rows: list[dict]               # the first problem rows (Issue.to_json)
    issues_total: int
    backup: str | None


@dataclass(kw_only=True)
class SyncedFile:
    """One supplier file of a sync."""

    file: str
    sheet: str | None
    profile: str | None                  # the mapping profile used (None: the schema's own headers)
    rows: int
    matched: int
    changed_lines: int
    changed_values: int
    milestone_dates: int
    date_order: FileDateOrder | None
    issues: dict[str, int]               # issues per reason code
    references: ReferenceCounts
    stated: dict[str, str] = field(default_factory=dict)   # field -> the title-block cell it was read from


@dataclass(kw_only=True)
class SyncResult(Noted):
    """gendan sync: supplier files into the master; a dry run lists the changes and writes nothing."""

    workbook: str
    dry_run: bool
    files: list[SyncedFile]
    changed_values: int
    issues: dict[str, int]
    issue_rows: list[dict]
    issues_total: int
    changes: list[str] | None = only_when(lambda r: r.dry_run)   # what would change
    refresh: RefreshResult | None = only_when(lambda r: not r.dry_run)
    change_log_rows: int = only_when(lambda r: not r.dry_run, 0)
    import_issue_rows: int = only_when(lambda r: not r.dry_run, 0)
    backup: str | None = only_when(lambda r: not r.dry_run)


@dataclass(kw_only=True)
class TableSyncedFile:
    """One file of ``gendan sync --table samples|shipments|shipment_lines`` (a supplier's sample file,
    a forwarder's booking confirmation, a packing list): its rows, the table's rows they matched, and
    its values applied, already held (kept) and in conflict (not applied)."""

    file: str
    sheet: str | None
    profile: str | None                  # the mapping profile used (None: the schema's own headers)
    rows: int
    matched: int
    applied: int
    kept: int
    conflicts: int
    date_order: FileDateOrder | None
    issues: dict[str, int]               # issues per reason code
    stated: dict[str, str] = field(default_factory=dict)   # field -> the title-block cell it was read from


@dataclass(kw_only=True)
class TableSyncResult(Noted):
    """gendan sync --table samples: suppliers' sent dates, couriers and tracking numbers into the
    样品 Samples rounds we have; --table shipments|shipment_lines: a forwarder's booking confirmation
    into the 出运 Shipments we have, a packing list into their lines. A dry run lists the changes and
    writes nothing."""

    workbook: str
    table: str                           # "samples", "shipments" or "shipment_lines"
    table_added: bool                    # an older master got the table (then no row matched)
    dry_run: bool
    files: list[TableSyncedFile]
    applied: int
    kept: int
    conflicts: int
    issues: dict[str, int]
    issue_rows: list[dict]
    issues_total: int
    changes: list[str] | None = only_when(lambda r: r.dry_run)   # what would change
    refresh: RefreshResult | None = only_when(lambda r: not r.dry_run)
    change_log_rows: int = only_when(lambda r: not r.dry_run, 0)
    import_issue_rows: int = only_when(lambda r: not r.dry_run, 0)
    backup: str | None = only_when(lambda r: not r.dry_run)


@dataclass(kw_only=True)
class ReconcileResult(Noted):
    """gendan reconcile: the 对账 sheet written for a party and period (``reconcile.Reconciliation``)."""

    sheet: str
    party: str
    side: str
    period: str
    period_from_statement: bool
    date_order: FileDateOrder | None     # how the statement's day/month dates were read (None: it has none)
    counts: dict[str, int]               # lines per status
    totals: dict[str, float]             # ours, theirs, difference
    matched_total: float
    difference_by_status: dict[str, float]
    currency: str | None
    our_currency: str | None
    currency_mismatch: bool
    our_lines: int
    statement_lines: int
    import_issue_rows: int
    issue_rows: list[dict]
    issues_total: int
    workbook: str
    backup: str | None


@dataclass(kw_only=True)
class AllocatedLine:
    """One order line of an allocation, in the order it is served."""

    po_no: str | None
    line: str | None
    customer: str | None
    open_qty: int
    allocated: int
    short: int


@dataclass(kw_only=True)
class AllocateResult(Noted):
    """gendan allocate: how N units of a style (and colour) are shared among its lines still to ship
    (rules/allocation.py), written as the 分配 Allocation sheet."""

    workbook: str
    sheet: str
    as_of: str
    style: str
    color: str | None
    qty: int                             # N
    qty_from: str                        # "given" (--qty) or "produced" (produced, not yet shipped)
    rule: str                            # "in_order" or "fair"
    lines: list[AllocatedLine]
    totals: dict                         # open_qty, allocated, short, unallocated (units), fill (share)
    backup: str | None


@dataclass(kw_only=True)
class PlanResult(Noted):
    """gendan plan: milestone rows planned for the open lines, then refreshed."""

    workbook: str
    tables_added: list[str]
    open_lines: int
    milestones_added: int
    plans_moved: int
    plans_filled: int
    user_plans_kept: int
    refresh: RefreshResult
    backup: str | None


@dataclass(kw_only=True)
class HistoryResult(Noted):
    """gendan history: the report dates recorded, after removing ``dropped`` when given."""

    workbook: str
    reports: list[str]
    dropped: str | None
    backup: str | None = only_when(lambda r: r.dropped is not None)


@dataclass(kw_only=True)
class ChaseFile:
    """One supplier's chase file and message draft."""

    supplier: str
    file: str
    draft: str | None                    # the draft beside the file (None: not written)
    lines: int
    reasons: dict[str, int]              # lines per chase reason
    samples: int = 0                     # sample rounds to send (overdue, or due by the deadline)
    deadline: str
    message: str


@dataclass(kw_only=True)
class ChaseResult(Result):
    """gendan chase: the chase files written (the master is only read)."""

    workbook: str
    as_of: str
    out: str
    stale_wd: int
    suppliers: int
    lines: int
    samples: int = 0                     # sample rounds to send, in all
    files: list[ChaseFile]


@dataclass(kw_only=True)
class CustomerReportResult(Noted):
    """gendan report --customer: the report written (``CustomerReport.summary``)."""

    workbook: str
    file: str
    customer: str
    legal_name: str | None               # from 客户 Customers (None: not there, or blank)
    as_of: str
    shipped_days: int
    shipped_from: str
    open_lines: int
    shipped_lines: int
    counts: dict[str, int]               # lines per status code
    lines: list[dict]                    # every line of the report


@dataclass(kw_only=True)
class QuotationLine:
    """One quote on the quotation: the revision shown and its price as the customer reads it."""

    quote_no: str | None
    revision: int
    style: str | None
    price: float                         # the customer's price (rounded half up to quote_decimals)
    currency: str
    price_text: str                      # "USD 7.47 CIFC3 Hamburg"


@dataclass(kw_only=True)
class QuotationResult(Noted):
    """gendan quote --customer: the quotation written, its lines, the customer's quotes left off and
    why, and warnings (a row that could not be priced, an expired quote named, no company name)."""

    workbook: str
    file: str
    customer: str                        # its name (客户 Customers, else as its quotes write it)
    legal_name: str                      # as the quotation names it
    as_of: str
    lines: list[QuotationLine]
    not_shown: list[dict]                # {quote_no, why}
    warnings: list[str]


@dataclass(kw_only=True)
class ShipResult(Noted):
    """gendan ship: a shipment's document checks and, when they pass (or ``despite_checks``), the four
    documents written into ``out``; ``written`` False: a check failed and nothing was written."""

    workbook: str
    shipment_no: str
    invoice_no: str
    customer: str
    as_of: str
    out: str
    lines: int
    totals: dict                         # currency, qty, amount (the invoice); cartons, nw_kg, gw_kg, cbm
    files: list[str]
    checks: list[dict]                   # {code, ok, message}, every check in its order
    written: bool
    despite_checks: bool
    warnings: list[str]

    @property
    def refused(self) -> bool:
        """A check failed and nothing was written: the command exits 1."""
        return not self.written


@dataclass(kw_only=True)
class ExportResult(Result):
    """gendan export: a table written as CSV."""

    table: str
    rows: int
    out: str
    escaped: int                         # text cells prefixed with ' against CSV injection


@dataclass(kw_only=True)
class BacktestResult(Result):
    """gendan backtest: the late-risk model scored at past dates (``risk.backtest``)."""

    source: str
    horizon_wd: int
    threshold: float
    half_life_days: float
    origins: list[dict]                  # one row per origin (backtest.table)
    calibration: list[dict]
    judge_min_lines: int
    judge_min_late: int
    judged_origins: int
    mean_auc: float | None
    mean_baseline_auc: float | None
    brier_better_everywhere: bool | None
    warnings: list[str]

    def written_to(self) -> str | None:
        """The workbook the 回测 sheet was written into (None: none)."""
        return None


@dataclass(kw_only=True)
class MasterBacktestResult(BacktestResult, Noted):
    """A master backtested: its 回测 sheet written into it."""

    workbook: str
    backup: str | None

    def written_to(self) -> str | None:
        return self.workbook


@dataclass(kw_only=True)
class FileBacktestResult(BacktestResult):
    """An order-history file backtested: the sheet written to ``out`` when given."""

    out: str | None = optional()
    file: str
    rows_read: int
    unknown_country: str

    def written_to(self) -> str | None:
        return self.out


@dataclass(kw_only=True)
class DemoResult(Noted):
    """gendan demo: the demo folder's files and its master's last refresh."""

    demo: str
    supplier_files: list[str]
    statements: list[dict]               # statement, party, period, side of each statement written
    refresh: RefreshResult = flattened()


@dataclass(kw_only=True)
class EnableResult(Noted):
    """gendan excel enable: the master ``path`` written as the macro-enabled ``workbook``."""

    path: str
    workbook: str
    backup: str | None
    xlwings: str                         # the installed versions its VBA is written for
    gendan: str


@dataclass(kw_only=True)
class UpgradeResult(Noted):
    """gendan excel upgrade: the master's VBA project and ribbon rewritten for the installed versions."""

    workbook: str
    backup: str | None
    modules: list[str]                   # gendan's modules, written anew
    kept_modules: list[str]              # the user's own, kept as they were
    xlwings_before: str | None
    xlwings: str
    gendan: str
    config_keys_removed: list[str]       # keys naming a PC's path, taken off the xlwings.conf sheet


@dataclass(kw_only=True)
class Versions:
    """The xlwings and gendan versions a workbook's VBA was written for (None: not found), or the
    installed ones."""

    xlwings: str | None
    gendan: str | None


@dataclass(kw_only=True)
class ConfigSheet:
    """The workbook's ``xlwings.conf`` sheet: hidden or not, and its keys naming a path of one PC."""

    hidden: bool
    machine_keys: list[str]


@dataclass(kw_only=True)
class ThisPc:
    """This PC's xlwings user config: the interpreter it names under ``key`` and what running it told."""

    config: str
    key: str
    interpreter: str | None
    imports_gendan: bool
    gendan: str | None = None
    xlwings: str | None = None


@dataclass(kw_only=True)
class CheckProblem:
    """A problem found, in words, with what shows it and the command that mends it."""

    code: ExcelProblem
    problem: str = field(init=False)     # the code in words
    detail: str
    fix: str

    def __post_init__(self):
        self.problem = self.code.words


@dataclass(kw_only=True)
class CheckResult(Result):
    """gendan excel check: the workbook's VBA and config sheet, this PC's setup, and the problems
    that keep the ribbon from running here (none: all is well)."""

    workbook: str
    vba: Versions | None                 # None: the workbook has no VBA project
    installed: Versions
    config_sheet: ConfigSheet | None     # None: the workbook has no xlwings.conf sheet
    this_pc: ThisPc
    problems: list[CheckProblem]


@dataclass(kw_only=True)
class SetupResult(Noted):
    """gendan excel setup: this PC's xlwings user config pointed at this environment's Python, then
    checked; the notes say what else the PC needs."""

    config: str
    key: str
    interpreter: str
    kept_keys: list[str]                 # the user's other keys, kept
    gendan: str | None
    xlwings: str | None
