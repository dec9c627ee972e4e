"""Field names, bilingual headers, aliases and kinds of every gendan table.

Code uses the English field name; the workbook shows ``中文 English`` headers; readers accept the
field name, either half of the header, the whole header, or any alias suppliers and ERPs use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

from gendan_xl.model.flags import Owner
from gendan_xl.model.samples import SampleKind
from gendan_xl.model.trade_terms import Incoterm
from gendan_xl.model.values import header_key

TEXT, INT, NUMBER, DATE = "text", "int", "number", "date"
DATETIME = "datetime"   # a date and time of day (log timestamps)
USER, SUPPLIER, COMPUTED, HISTORY = "user", "supplier", "computed", "history"
# The style of a text field whose digits are an identifier (a tracking number): written as text,
# and a number cell read into it is reported, since its leading zeros are gone (``importers.extract``).
AS_TEXT = "as_text"


@dataclass(frozen=True)
class Field:
    """One column of a gendan table."""

    name: str
    zh: str
    en: str
    kind: str = TEXT
    owner: str = USER
    aliases: tuple[str, ...] = ()
    width: float = 12
    style: str | None = None    # the cell style when not the kind's (``percent`` for a 0–1 share)

    @property
    def header(self) -> str:
        return f"{self.zh} {self.en}"


@dataclass(frozen=True)
class Table:
    """A gendan Excel Table: its sheet, ListObject name and fields."""

    key: str
    sheet: str
    name: str
    fields: tuple[Field, ...]
    extra: dict = field(default_factory=dict)
    # the fields a row is found by when rows are loaded into the table (``gendan load --table``);
    # () for a table rows are not loaded into
    row_key: tuple[str, ...] = ()
    # text fields a file may state once above its table (a title block's ``Booking No.: BKG-1``), read
    # there for every row when the table has no column for them (``importers/title_block.py``)
    stated: tuple[str, ...] = ()
    # a table a file may give as a form instead (a booking confirmation's label/value pairs, one row):
    # the fields one of which such a form must state (``importers/form_sheet.py``); () for none
    form: tuple[str, ...] = ()

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def header(self, name: str) -> str:
        """The bilingual header of field ``name``."""
        return self.field(name).header

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def of_kind(self, kind: str) -> list[str]:
        return [f.name for f in self.fields if f.kind == kind]


F = Field
ORDERS = Table("orders", "订单 Orders", "tblOrders", (
    F("po_no", "PO号", "PO No.", aliases=("po", "po#", "po no", "po number", "purchase order",
      "order no", "订单号", "采购单号", "合同号", "po / so #"), width=14),
    # Row counters (序号, No., S/N, #, Item, 项次) are not line numbers: never aliases of ``line``.
    F("line", "行号", "Line", aliases=("line no", "po line"), width=8),
    F("customer", "客户", "Customer", aliases=("client", "buyer", "客户名称"), width=16),
    F("style", "款号", "Style", aliases=("style no", "style#", "article", "art no", "货号", "型号"), width=12),
    F("description", "品名", "Description", aliases=("item description", "product", "产品名称", "品名规格"), width=24),
    F("color", "颜色", "Color", aliases=("colour", "col", "色号"), width=10),
    F("supplier", "供应商", "Supplier", aliases=("vendor", "factory", "工厂", "供应商名称"), width=16),
    F("qty", "数量", "Qty", INT, aliases=("quantity", "order qty", "订单数量", "line item quantity", "数量(pcs)"), width=10),
    F("unit", "单位", "Unit", aliases=("uom",), width=7),
    F("unit_price", "单价", "Unit price", NUMBER, aliases=("price", "selling price", "售价", "销售单价"), width=10),
    F("cost_price", "采购单价", "Cost price", NUMBER, aliases=("cost", "purchase price", "buying price", "进价"), width=10),
    F("currency", "币种", "Currency", aliases=("ccy", "curr", "货币"), width=8),
    F("order_date", "下单日期", "Order date", DATE, aliases=("po date", "order placed", "订单日期"), width=12),
    F("due_date", "交期", "Due date", DATE, aliases=("delivery date", "ship by", "ex-factory date",
      "客户交期", "交货日期", "scheduled delivery date"), width=12),
    F("supplier_due", "工厂交期", "Supplier due", DATE, aliases=("factory due", "promised date", "承诺交期"), width=12),
    F("eta", "预计完成", "ETA", DATE, SUPPLIER, aliases=("estimated completion", "预计完工", "预计交期",
      "estimated date", "eta date", "预计出货",
      "新预计完成", "new eta", "新预计完成 new eta"), width=12),
    F("produced_qty", "已完成数量", "Produced qty", INT, SUPPLIER, aliases=("produced", "completed qty",
      "完成数量", "已生产", "完工数量", "output"), width=10),
    F("ship_date", "出货日期", "Ship date", DATE, SUPPLIER, aliases=("shipped date", "actual ship date",
      "发货日期", "实际出货日期", "delivered date"), width=12),
    F("shipped_qty", "出货数量", "Shipped qty", INT, SUPPLIER, aliases=("shipped", "delivered qty",
      "发货数量", "已出货数量"), width=10),
    F("weight_kg", "毛重(kg)", "Gross weight (kg)", NUMBER, SUPPLIER, aliases=("weight", "weight (kilograms)",
      "gross weight", "毛重", "重量"), width=10),
    F("freight", "运费", "Freight", NUMBER, SUPPLIER, aliases=("freight cost", "freight cost (usd)", "运费金额"),
      width=10),
    F("status", "状态", "Status", aliases=("order status",), width=12),
    F("remarks", "备注", "Remarks", aliases=("note", "notes", "our remarks"), width=20),
    F("supplier_remarks", "供应商备注", "Supplier remarks", TEXT, SUPPLIER, aliases=("factory remarks",
      "comment", "comments", "工厂备注", "说明"), width=20),
    F("first_eta", "首次预计完成", "First ETA", DATE, HISTORY, width=12),
    F("prev_eta", "上次预计完成", "Previous ETA", DATE, HISTORY, width=12),
    F("eta_slips", "延期次数", "ETA slips", INT, HISTORY, width=8),
    F("slack_wd", "余量(工作日)", "Slack (WD)", INT, COMPUTED, width=9),
    F("flag", "预警", "Flag", TEXT, COMPUTED, width=16),
    # the risk model's columns (an older master gets them appended at its table's right end)
    F("late_risk", "延误风险", "Late risk", NUMBER, COMPUTED, width=9, style="percent"),
    F("expected_delay_wd", "预计延误(工作日)", "Expected delay (WD)", NUMBER, COMPUTED, width=10),
    F("why", "原因", "Why", TEXT, COMPUTED, width=48),   # last: its long text has room to the right
), row_key=("po_no", "line"), stated=("po_no",))   # a supplier's file of one PO may state it above its table

SUPPLIERS = Table("suppliers", "供应商 Suppliers", "tblSuppliers", (
    F("code", "代码", "Code", width=10),
    F("name", "名称", "Name", aliases=("supplier", "vendor", "供应商"), width=28),
    F("aliases", "别名", "Aliases", width=28),
    F("country", "国家", "Country", aliases=("国家代码",), width=8),
    F("contact", "联系人", "Contact", width=14),
    F("email", "邮箱", "Email", width=24),
    F("ta_template", "工序模板", "T&A template", aliases=("t&a template", "ta template", "template"), width=12),
    # the day/month order of the supplier's dates (date_order.DateOrder; sync remembers it, the user may
    # change it; an older master gets it appended at its table's right end)
    F("date_order", "日期顺序", "Date order", aliases=("day/month order", "日月顺序"), width=16),
))

CALENDAR = Table("calendar", "日历 Calendar", "tblCalendar", (
    F("country", "国家", "Country", width=8),
    F("date", "日期", "Date", DATE, width=12),
    F("kind", "类型", "Kind", width=18),
    F("name", "名称", "Name", width=36),
    F("source", "来源", "Source", width=14),
))

SETTINGS = Table("settings", "设置 Settings", "tblSettings", (
    F("key", "设置", "Setting", width=22),
    F("value", "值", "Value", width=14),
    F("description", "说明", "Description", width=60),
))

CHANGE_LOG = Table("change_log", "变更日志 Change Log", "tblChangeLog", (
    F("timestamp", "时间", "Timestamp", DATETIME, width=20),
    # the as-of date of the run that logged the row (an older master gets it at its table's right end)
    F("as_of", "截至日期", "As-of date", DATE, width=12),
    F("file", "来源文件", "Source file", width=24),
    F("sheet", "工作表", "Sheet", width=14),
    F("source_row", "来源行", "Source row", INT, width=8),
    # the table the row's change is in (its sheet name; blank in an older master's rows: Orders)
    F("table", "表", "Table", width=14),
    # an Orders row's PO / line; another table's row key (``Q-2026-001 / 2``)
    F("order_key", "订单", "Order", width=18),
    F("field", "字段", "Field", width=14),
    F("old", "原值", "Old", width=16),
    F("new", "新值", "New", width=16),
    F("note", "说明", "Note", width=30),
))

IMPORT_ISSUES = Table("import_issues", "导入问题 Import Issues", "tblImportIssues", (
    F("timestamp", "时间", "Timestamp", DATETIME, width=20),
    F("file", "来源文件", "Source file", width=24),
    F("sheet", "工作表", "Sheet", width=14),
    F("row", "行", "Row", INT, width=7),
    F("column", "列", "Column", width=16),
    F("value", "值", "Value", width=18),
    F("reason", "原因", "Reason", aliases=("原因代码", "原因代码 Reason"), width=16),   # 原因代码: older masters
    F("message", "说明", "Message", width=50),
))

PROFILES = Table("profiles", "导入配置 Import Profiles", "tblProfiles", (
    F("profile", "配置名", "Profile", width=20),
    F("field", "字段", "Field", width=16),
    F("header", "文件列名", "Header in file", width=28),
    F("sheet", "工作表", "Sheet", width=16),
    F("updated", "更新时间", "Updated", DATETIME, width=20),
))

# Message drafts of `gendan chase`, one row per language; placeholders in chase.PLACEHOLDERS.
CHASE_TEMPLATES = Table("chase_templates", "催单模板 Chase Templates", "tblChaseTemplates", (
    F("language", "语言", "Language", width=10),
    F("template", "模板", "Template", width=90),
))

# Time-and-action (T&A) templates: the milestones of an order and their lead times before ex-factory.
TA_TEMPLATES = Table("ta_templates", "工序模板 T&A Templates", "tblTATemplates", (
    F("template", "模板", "Template", width=12),
    F("milestone", "工序代码", "Milestone code", aliases=("code",), width=20),
    F("name", "工序名称", "Milestone name", width=24),
    F("owner", "负责方", "Owner", width=12),
    F("lead_wd", "出厂前工作日", "Lead WD before ex-factory", INT, aliases=("lead", "lead time"), width=12),
    F("critical", "关键", "Critical", width=8),
    # the sample kind whose approval is this milestone's actual date (samples/mapping.py; blank: none);
    # an older master gets it at its table's right end, with SAMPLE_MILESTONES filled in
    F("sample_kind", "样品类型", "Sample kind", aliases=("sample", "样品"), width=14),
))

# One row per order line and milestone. ``planned_from`` is the due date a gendan-made plan was
# computed from (blank: the plan was typed by the user, and gendan never moves it).
MILESTONES = Table("milestones", "工序 Milestones", "tblMilestones", (
    F("po_no", "PO号", "PO No.", aliases=("po", "po#", "po no"), width=14),
    F("line", "行号", "Line", aliases=("line no", "po line"), width=8),
    F("milestone", "工序代码", "Milestone code", aliases=("code",), width=20),
    F("name", "工序名称", "Milestone name", TEXT, COMPUTED, width=24),
    F("plan_date", "计划日期", "Plan date", DATE, width=12),
    F("actual_date", "实际日期", "Actual date", DATE, SUPPLIER, width=12),
    F("owner", "负责方", "Owner", width=12),
    F("remarks", "备注", "Remarks", width=20),
    F("planned_from", "排期依据交期", "Planned from due date", DATE, HISTORY, width=12),
    # the sample whose approval set the actual date (``样品 sample S-12 / 2``, samples/approvals.py); blank:
    # the actual is the user's (or the supplier's), never replaced by an approval
    F("source", "实际日期来源", "Actual date source", TEXT, HISTORY, width=18),
    F("slack_wd", "余量(工作日)", "Slack (WD)", INT, COMPUTED, width=9),
    F("state", "状态", "State", TEXT, COMPUTED, width=14),   # flags.MilestoneState as its label
    F("why", "原因", "Why", TEXT, COMPUTED, width=48),
))

# What ``critical`` accepts as yes and as no (a milestone's owner is a flags.Owner).
YES, NO = "是 yes", "否 no"

# The APPAREL template `gendan new` seeds: code, bilingual name, owner, WD before ex-factory.
APPAREL = (
    ("LAB_DIP_APPROVED", "色样确认 Lab dip approved", Owner.CUSTOMER, 45),
    ("FABRIC_IN", "面料到厂 Fabric in-house", Owner.SUPPLIER, 30),
    ("PP_SAMPLE_APPROVED", "产前样确认 PP sample approved", Owner.CUSTOMER, 25),
    ("CUTTING_START", "裁剪 Cutting", Owner.SUPPLIER, 20),
    ("SEWING_START", "车缝 Sewing", Owner.SUPPLIER, 15),
    ("FINAL_INSPECTION", "尾查 Final inspection", Owner.US, 3),
    ("EX_FACTORY", "出厂 Ex-factory", Owner.SUPPLIER, 0),
)

# The sample kind whose approval closes a milestone of the seeded template (the T&A Templates' Sample
# kind column of `gendan new`, and of an older master when the column is added).
SAMPLE_MILESTONES = {"LAB_DIP_APPROVED": SampleKind.LAB_DIP, "PP_SAMPLE_APPROVED": SampleKind.PP}

# How supplier files head the milestone dates they report (besides the template's own name).
MILESTONE_ALIASES = {
    "LAB_DIP_APPROVED": ("色样确认", "色样", "lab dip", "lab dip approval", "lab dip approved"),
    "FABRIC_IN": ("面料到厂", "面料到货", "大货面料到厂", "fabric in-house", "fabric in house", "fabric in",
                  "fabric arrival", "fabric arrived"),
    "PP_SAMPLE_APPROVED": ("产前样确认", "产前样", "pp sample", "pp sample approval", "pp sample approved"),
    "CUTTING_START": ("裁剪", "开裁", "裁床", "cutting", "cutting start", "cut"),
    "SEWING_START": ("车缝", "上线", "sewing", "sewing start"),
    "FINAL_INSPECTION": ("尾查", "final inspection", "final qc", "fri"),
    "EX_FACTORY": ("出厂", "ex-factory", "ex factory"),
}

# Customer files (用户档案): one row per customer, found by its name as our order lines write it.
# ``aliases``: other names of the customer, separated by ; or , (rules/customers.py resolves them).
CUSTOMERS = Table("customers", "客户 Customers", "tblCustomers", (
    F("name", "客户", "Customer", aliases=("customer name", "客户名称", "client", "buyer", "名称"), width=20),
    F("legal_name", "法定名称", "Legal name", aliases=("company name", "registered name", "公司全称", "全称",
      "抬头"), width=30),
    F("aliases", "别名", "Aliases", aliases=("other names", "简称"), width=24),
    F("country", "国家", "Country", aliases=("国家代码",), width=8),
    F("tier", "等级", "Tier", aliases=("grade", "客户等级", "级别"), width=6),
    F("payment_terms", "付款方式", "Payment terms", aliases=("payment", "付款条件", "结算方式"), width=16),
    F("currency", "币种", "Currency", aliases=("ccy", "curr", "货币"), width=8),
    F("incoterm", "贸易术语", "Incoterm", aliases=("incoterms", "trade terms", "价格条款", "价格术语"), width=10),
    F("port", "港口", "Port", aliases=("port of discharge", "destination port", "目的港", "pod"), width=14),
    F("forwarder", "货代", "Forwarder", aliases=("freight forwarder", "货运代理"), width=16),
    F("consignee", "收货人", "Consignee", width=24),
    F("notify_party", "通知人", "Notify party", aliases=("notify",), width=24),
    F("contact", "联系人", "Contact", width=14),
    F("email", "邮箱", "Email", aliases=("e-mail", "mail"), width=24),
    F("shipping_marks", "唛头", "Shipping marks", aliases=("marks", "shipping mark"), width=20),
    F("allocation", "分批方式", "Allocation", aliases=("partial shipment", "分批"), width=16),
    F("remarks", "备注", "Remarks", aliases=("note", "notes"), width=20),
), row_key=("name",))

# A proposal of how the order lines of a style still to ship share a short supply (the 分配 Allocation
# sheet, rules/allocation.py), one row per line in the order it is served; not a table of the master.
ALLOCATION = Table("allocation", "分配 Allocation", "", (
    *(ORDERS.field(name) for name in ("po_no", "line", "customer")),
    *(CUSTOMERS.field(name) for name in ("tier", "allocation")),
    *(ORDERS.field(name) for name in ("color", "due_date")),
    F("open_qty", "未出数量", "Open qty", INT, width=10),
    F("allocated", "分配数量", "Allocated", INT, width=10),
    F("short", "短缺数量", "Short", INT, width=10),
    F("fill", "满足率", "Fill %", NUMBER, width=9, style="percent"),
))

# Quotations (报价): one row per revision of a quote. The rates are shares (13 %, 0.13 and 13 all read
# as 13 %: the pricing core reads them); the computed columns are gendan's (``gendan quote``).
QUOTATIONS = Table("quotations", "报价 Quotations", "tblQuotations", (
    F("quote_no", "报价单号", "Quote No.", aliases=("quote", "quotation no", "quote number", "报价号"), width=14),
    F("revision", "版本", "Revision", INT, aliases=("rev", "版次"), width=7),
    F("quote_date", "报价日期", "Quote date", DATE, aliases=("quotation date",), width=12),
    F("customer", "客户", "Customer", aliases=("client", "buyer", "客户名称"), width=16),
    F("style", "款号", "Style", aliases=("style no", "style#", "article", "art no", "货号", "型号"), width=12),
    F("description", "品名", "Description", aliases=("item description", "product", "产品名称", "品名规格"), width=24),
    F("supplier", "供应商", "Supplier", aliases=("vendor", "factory", "工厂"), width=16),
    F("qty", "数量", "Qty", INT, aliases=("quantity",), width=10),
    F("currency", "币种", "Currency", aliases=("ccy", "curr", "货币"), width=8),
    F("incoterm", "贸易术语", "Incoterm", aliases=("incoterms", "trade terms", "价格条款", "价格术语"), width=10),
    F("port", "港口", "Port", aliases=("destination port", "目的港"), width=14),
    F("purchase_price", "含税采购单价", "Purchase price", NUMBER, aliases=("采购单价", "cost price", "进价"),
      width=10),
    F("vat_rate", "增值税率", "VAT rate", NUMBER, aliases=("vat", "税率"), width=8),
    F("refund_rate", "出口退税率", "Refund rate", NUMBER, aliases=("退税率", "rebate rate", "export rebate"), width=8),
    F("domestic_cost", "国内费用", "Domestic cost", NUMBER, aliases=("domestic charges",), width=10),
    F("freight", "运费", "Freight", NUMBER, aliases=("海运费", "freight per piece"), width=10),
    F("insurance_rate", "保险费率", "Insurance rate", NUMBER, aliases=("insurance", "保险"), width=8),
    F("commission_rate", "佣金率", "Commission rate", NUMBER, aliases=("commission", "佣金"), width=8),
    F("bank_fee_rate", "银行费率", "Bank fee rate", NUMBER, aliases=("bank charges", "银行费用"), width=8),
    F("profit_rate", "利润率", "Profit rate", NUMBER, aliases=("profit", "margin", "利润"), width=8),
    F("fx_rate", "汇率", "FX rate", NUMBER, aliases=("exchange rate", "现汇买入价"), width=8),
    F("target_price", "目标价", "Target price", NUMBER, aliases=("target", "客户目标价"), width=10),
    F("valid_until", "有效期至", "Valid until", DATE, aliases=("validity", "有效期"), width=12),
    F("status", "状态", "Status", aliases=("quote status",), width=12),
    F("remarks", "备注", "Remarks", aliases=("note", "notes"), width=20),
    F("refund", "退税额", "Refund", NUMBER, COMPUTED, width=10),
    F("net_cost", "净成本", "Net cost", NUMBER, COMPUTED, width=10),
    F("fob", f"{Incoterm.FOB.value}价", Incoterm.FOB.value, NUMBER, COMPUTED, width=10),
    F("cfr", f"{Incoterm.CFR.value}价", Incoterm.CFR.value, NUMBER, COMPUTED, width=10),
    F("cif", f"{Incoterm.CIF.value}价", Incoterm.CIF.value, NUMBER, COMPUTED, width=10),
    F("price", "报价", "Price", NUMBER, COMPUTED, width=10),
    F("total_cost", "总成本", "Total cost", NUMBER, COMPUTED, width=10),
    F("fx_cost", "换汇成本", "FX cost", NUMBER, COMPUTED, width=10),
    F("profit_loss_rate", "盈亏率", "Profit/loss rate", NUMBER, COMPUTED, width=9, style="percent"),
    F("max_purchase_price", "最高采购价", "Max purchase price", NUMBER, COMPUTED, width=10),
    F("why", "原因", "Why", TEXT, COMPUTED, width=40),
), row_key=("quote_no", "revision"))

# FX rates (汇率): CNY per 1 unit of the currency; a currency's latest row is today's rate.
FX_RATES = Table("fx_rates", "汇率 FX Rates", "tblFxRates", (
    F("currency", "币种", "Currency", aliases=("ccy", "curr", "货币"), width=8),
    F("rate", "汇率", "Rate", NUMBER, aliases=("fx rate", "exchange rate", "cny per 1", "现汇买入价"), width=10),
    F("date", "日期", "Date", DATE, aliases=("rate date",), width=12),
), row_key=("currency", "date"))

# Samples (样品): one row per round of a sample sent to a customer (samples/ has the register's rules).
# ``line`` blank: every line of the PO with the sample's style and colour; no PO: a sample that touches
# no milestone (development, salesman samples). The tracking number stays text (leading zeros kept).
SAMPLES = Table("samples", "样品 Samples", "tblSamples", (
    F("sample_no", "样品编号", "Sample No.", aliases=("sample no", "sample number", "sample ref", "样品号",
      "样品单号", "样品编码"), width=12),
    F("round", "轮次", "Round", INT, aliases=("submission", "sample round", "第几轮", "次数", "提交次数"), width=7),
    F("kind", "样品类型", "Kind", aliases=("sample type", "sample kind", "type", "类型", "样品种类"), width=14),
    F("customer", "客户", "Customer", aliases=("client", "buyer", "客户名称"), width=16),
    F("supplier", "供应商", "Supplier", aliases=("vendor", "factory", "工厂"), width=16),
    F("po_no", "PO号", "PO No.", aliases=("po", "po#", "po no", "po number", "order no", "订单号", "合同号"), width=14),
    F("line", "行号", "Line", aliases=("line no", "po line"), width=8),
    F("style", "款号", "Style", aliases=("style no", "style#", "article", "art no", "货号", "型号"), width=12),
    F("color", "颜色", "Color", aliases=("colour", "col", "色号"), width=10),
    F("size", "尺码", "Size", aliases=("sizes", "码数", "尺寸"), width=8),
    F("qty", "数量", "Qty", INT, aliases=("quantity", "pcs", "件数"), width=7),
    F("due", "需寄日期", "Due", DATE, aliases=("needed by", "due date", "required date", "要求日期", "需求日期",
      "deadline"), width=12),
    F("sent_date", "寄出日期", "Sent date", DATE, SUPPLIER, aliases=("sent", "date sent", "dispatch date",
      "dispatched", "寄样日期", "发出日期", "寄件日期", "寄出", "send date", "sending date", "date of dispatch",
      "寄送日期", "寄样时间", "发件日期"), width=12),
    F("courier", "快递公司", "Courier", TEXT, SUPPLIER, aliases=("carrier", "express", "快递", "courier company",
      "courier name", "express company", "快递商", "物流公司", "承运商"), width=10),
    F("awb", "运单号", "AWB", TEXT, SUPPLIER, aliases=("awb no", "tracking no", "tracking number", "tracking",
      "waybill", "air waybill", "快递单号", "单号", "awb number", "awb#", "tracking#", "waybill no", "track no",
      "运单编号", "快递单号码", "物流单号"), width=16, style=AS_TEXT),
    F("charge", "快递费", "Charge", NUMBER, aliases=("courier charge", "freight", "运费", "费用"), width=9),
    F("charge_currency", "费用币种", "Charge currency", aliases=("currency", "ccy", "币种"), width=8),
    F("charge_terms", "付费方式", "Charge terms", aliases=("freight terms", "payment terms", "寄付/到付",
      "付款方式"), width=14),
    F("received_date", "客户签收日期", "Received date", DATE, aliases=("received", "date received",
      "delivered date", "签收日期", "收到日期"), width=12),
    F("status", "状态", "Status", aliases=("sample status", "approval status", "批复结果"), width=12),
    F("status_date", "状态日期", "Status date", DATE, aliases=("approval date", "comment date", "批复日期",
      "确认日期"), width=12),
    F("comments", "意见", "Comments", aliases=("customer comments", "comment", "remarks", "备注", "客户意见"),
      width=30),
    F("wait_wd", "等待(工作日)", "Wait (WD)", INT, COMPUTED, width=9),
    F("state", "跟进状态", "State", TEXT, COMPUTED, width=14),   # model.samples.SampleState as its label
    F("why", "原因", "Why", TEXT, COMPUTED, width=48),
), row_key=("sample_no", "round"))

# Shipments (出运): one row per shipment, from booking to arrival (shipments/ has the follow-up and the
# rules by which a sailed shipment closes its order lines). The forwarder's fields are the supplier's
# (a sync of its booking confirmation may write them: shipments/forwarder_sync.py); booking and B/L
# numbers stay text. The aliases are the headers forwarders' booking confirmations (订舱确认) use.
SHIPMENTS = Table("shipments", "出运 Shipments", "tblShipments", (
    F("shipment_no", "出运编号", "Shipment No.", aliases=("shipment", "shipment number", "shipment ref", "出运号",
      "出货编号", "shipper's ref", "shipper ref", "shipper's reference", "our ref", "出运单号"), width=14),
    F("customer", "客户", "Customer", aliases=("client", "buyer", "客户名称"), width=16),
    F("forwarder", "货代", "Forwarder", aliases=("freight forwarder", "货运代理"), width=16),
    F("booking_no", "订舱号", "Booking No.", TEXT, SUPPLIER, aliases=("booking", "booking number", "so no",
      "订舱编号", "s/o no", "s/o", "s/o number", "so", "so number", "so#", "booking ref", "bkg no",
      "shipping order no", "订舱单号", "订舱号码", "so号"), width=14, style="as_text"),
    F("mode", "运输方式", "Mode", aliases=("transport mode", "shipping mode", "ship mode"), width=10),
    F("vessel_voyage", "船名航次", "Vessel / voyage", TEXT, SUPPLIER, aliases=("vessel", "vessel/voyage",
      "vessel voyage", "船名", "flight", "vessel / voyage", "vessel & voyage", "vsl/voy", "vessel/voy",
      "vessel name", "船名/航次", "船名及航次", "航班"), width=18),
    F("pol", "起运港", "POL", aliases=("port of loading", "loading port", "装货港", "装运港",
      "起运港口"), width=12),
    F("pod", "目的港", "POD", aliases=("port of discharge", "destination port", "卸货港",
      "目的港口"), width=12),
    F("incoterm", "贸易术语", "Incoterm", aliases=("incoterms", "trade terms", "价格条款", "价格术语"), width=10),
    F("cargo_ready", "货好日期", "Cargo ready", DATE, aliases=("cargo ready date", "crd", "备货日期"), width=12),
    F("cy_cutoff", "截关", "CY cut-off", DATE, SUPPLIER, aliases=("cy cutoff", "cy closing", "截关日期", "截港",
      "closing", "closing date", "cy closing date", "cy cut off", "cut-off", "cut off", "cutoff",
      "port cut-off", "截关时间", "截港时间", "截重柜"), width=12),
    F("si_cutoff", "截补料", "SI cut-off", DATE, SUPPLIER, aliases=("si cutoff", "doc cutoff", "截单", "截补料日期",
      "si cut off", "si closing", "doc cut-off", "documents cut-off", "截补料时间", "截单时间", "截单日期",
      "截提单补料"), width=12),
    F("etd", "预计开船", "ETD", DATE, SUPPLIER, aliases=("etd date", "预计离港", "开船日期", "开船日",
      "etd pol", "sailing date", "预计开航", "开航日", "离港日期"), width=12),
    F("eta_pod", "预计到港", "ETA POD", DATE, SUPPLIER, aliases=("eta pod", "eta port", "预计到达", "eta",
      "到港日", "到港日期", "预计到港日", "arrival date", "eta destination"), width=12),
    F("atd", "实际开船", "ATD", DATE, SUPPLIER, aliases=("actual departure", "on board date", "实际离港",
      "装船日期", "atd pol", "sailed date", "actual sailing date", "shipped on board date", "实际开航",
      "实际开船日期"), width=12),
    F("bl_no", "提单号", "B/L No.", TEXT, SUPPLIER, aliases=("bl", "b/l", "bill of lading", "mbl", "hbl",
      "提单号码", "b/l no", "bl no", "b/l number", "bill of lading no", "mbl no", "hbl no", "提单编号"), width=16,
      style="as_text"),
    F("containers", "集装箱", "Containers", aliases=("container", "柜型", "箱量", "container type",
      "equipment", "container qty", "cntr", "箱型箱量", "柜型柜量"), width=14),
    F("freight", "运费", "Freight", NUMBER, aliases=("freight total", "ocean freight", "海运费"), width=10),
    F("insurance", "保险费", "Insurance", NUMBER, aliases=("insurance premium", "保费"), width=10),
    F("invoice_no", "发票号", "Invoice No.", aliases=("invoice", "invoice number", "发票号码"), width=14),
    F("status", "状态", "Status", aliases=("shipment status", "出运状态"), width=12),
    F("state", "跟进状态", "State", TEXT, COMPUTED, width=14),   # model.shipments.ShipmentState as its label
    F("why", "原因", "Why", TEXT, COMPUTED, width=48),
), row_key=("shipment_no",), form=("shipment_no", "booking_no"))   # a booking confirmation may be a form

# What each shipment carries: one row per shipment and order line (a line may ship in several
# shipments). ``unit_price`` blank: the order line's. The HS code stays text (its leading digits kept).
# The packing figures (cartons, carton range, weights, CBM) are the packer's: a packing list (装箱单)
# synced may fill them (shipments/forwarder_sync.py); the aliases are the headers packing lists use.
SHIPMENT_LINES = Table("shipment_lines", "出运明细 Shipment Lines", "tblShipmentLines", (
    F("shipment_no", "出运编号", "Shipment No.", aliases=("shipment", "shipment number", "出运号", "出货编号"),
      width=14),
    F("po_no", "PO号", "PO No.", aliases=("po", "po#", "po no", "po number", "order no", "订单号", "合同号"), width=14),
    F("line", "行号", "Line", aliases=("line no", "po line"), width=8),
    F("qty", "数量", "Qty", INT, aliases=("quantity", "shipped qty", "出运数量", "出货数量", "pcs", "total pcs",
      "数量(pcs)"), width=10),
    F("cartons", "箱数", "Cartons", INT, SUPPLIER, aliases=("ctns", "carton qty", "件数", "ctn", "cartons qty",
      "no. of cartons", "total ctns", "总箱数"), width=8),
    F("carton_from", "起始箱号", "Carton from", INT, SUPPLIER, aliases=("ctn from", "from carton", "箱号从",
      "c/no from", "ctn no from", "箱号起"), width=8),
    F("carton_to", "结束箱号", "Carton to", INT, SUPPLIER, aliases=("ctn to", "to carton", "箱号至", "c/no to",
      "ctn no to", "箱号止"), width=8),
    F("nw_kg", "净重(kg)", "NW (kg)", NUMBER, SUPPLIER, aliases=("nw", "net weight", "净重", "n.w", "n.w.(kgs)",
      "n.w. (kgs)", "n.w.(kg)", "nw (kgs)", "net wt", "净重(kgs)", "总净重", "total nw"), width=10),
    F("gw_kg", "毛重(kg)", "GW (kg)", NUMBER, SUPPLIER, aliases=("gw", "gross weight", "毛重", "g.w", "g.w.(kgs)",
      "g.w. (kgs)", "g.w.(kg)", "gw (kgs)", "gross wt", "毛重(kgs)", "总毛重", "total gw"), width=10),
    F("cbm", "体积(m³)", "CBM", NUMBER, SUPPLIER, aliases=("volume", "体积", "立方数", "m3", "meas", "measurement",
      "meas (cbm)", "meas.(cbm)", "volume (cbm)", "体积(cbm)", "总体积", "total cbm"), width=8),
    F("hs_code", "海关编码", "HS code", aliases=("hs", "hs no", "商品编号", "商品编码", "税号"), width=12,
      style="as_text"),
    F("origin", "原产国", "Origin", aliases=("country of origin", "原产地"), width=8),
    F("unit_price", "单价", "Unit price", NUMBER, aliases=("price", "售价"), width=10),
), row_key=("shipment_no", "po_no", "line"))
# A packing list's carton numbers in one cell (``1-20``): read from the file only, never a column of the
# table; a line's Carton from / Carton to where the file has no such columns (shipments/carton_ranges.py).
CARTON_RANGE = F("carton_range", "箱号", "Carton No.", TEXT, SUPPLIER, aliases=(
    "c/no", "c/no.", "c/nos", "ctn no", "ctn no.", "ctn nos", "carton no", "carton no.", "carton nos", "carton nos.",
    "箱号范围", "箱号 c/no."), width=10)

# Container types and what each holds (m³): the Containers table `gendan new` seeds (editable).
CONTAINERS = Table("containers", "集装箱 Containers", "tblContainers", (
    F("type", "箱型", "Type", aliases=("container type", "container", "柜型"), width=10),
    F("capacity_cbm", "容量(m³)", "Capacity (CBM)", NUMBER, aliases=("capacity", "cbm", "容量"), width=12),
), row_key=("type",))
CONTAINER_TYPES = (("20GP", 28.0), ("40GP", 58.0), ("40HQ", 68.0))

# A counterparty's statement (对账单), as imported; not a table of the master.
STATEMENT = Table("statement", "对账单 Statement", "", (
    F("delivery_no", "送货单号", "Delivery note", aliases=("dn", "dn no", "delivery no", "delivery note no",
      "送货单", "出库单号", "发货单号", "invoice no", "发票号"), width=14),
    F("po_no", "PO号", "PO No.", aliases=("po", "po#", "po no", "po number", "order no", "订单号", "采购单号",
      "合同号", "客户订单号"), width=14),
    F("line", "行号", "Line", aliases=("line no", "po line"), width=8),
    F("style", "款号", "Style", aliases=("style no", "article", "货号", "型号"), width=12),
    F("color", "颜色", "Color", aliases=("colour",), width=10),
    F("description", "品名", "Description", aliases=("item", "product", "品名规格"), width=24),
    F("date", "日期", "Date", DATE, aliases=("ship date", "delivery date", "送货日期", "出货日期", "发货日期"),
      width=12),
    F("qty", "数量", "Qty", NUMBER, aliases=("quantity", "delivered qty", "送货数量", "出货数量"), width=10),
    F("price", "单价", "Unit price", NUMBER, aliases=("unit price", "price", "含税单价"), width=10),
    F("amount", "金额", "Amount", NUMBER, aliases=("total", "line amount", "value", "含税金额", "货款"), width=12),
    F("currency", "币种", "Currency", aliases=("ccy", "curr", "货币"), width=8),
))

# The lines of a reconciliation (the 对账 sheet; statuses.ReconStatus), theirs against ours; not a table
# of the master.
RECONCILIATION = Table("reconciliation", "对账 Reconciliation", "", (
    F("status", "状态", "Status"),
    F("matched_on", "匹配依据", "Matched on"),
    F("our_key", "我方单据", "Our document"),
    F("their_key", "对方单据", "Their document"),
    F("our_date", "我方日期", "Our date", DATE),
    F("their_date", "对方日期", "Their date", DATE),
    F("our_qty", "我方数量", "Our qty", NUMBER),
    F("their_qty", "对方数量", "Their qty", NUMBER),
    F("qty_diff", "数量差", "Qty diff", NUMBER),
    F("our_price", "我方单价", "Our price", NUMBER),
    F("their_price", "对方单价", "Their price", NUMBER),
    F("price_diff", "单价差", "Price diff", NUMBER),
    F("our_amount", "我方金额", "Our amount", NUMBER),
    F("their_amount", "对方金额", "Their amount", NUMBER),
    F("amount_diff", "金额差", "Amount diff", NUMBER),
    F("note", "说明", "Note"),
    F("suggestion", "可能对应", "Suggestion"),
    F("score", "相似度", "Score", INT),
    F("their_row", "对账单行", "Statement row"),
))

TABLES = {t.key: t for t in (ORDERS, SUPPLIERS, CALENDAR, SETTINGS, CHANGE_LOG, IMPORT_ISSUES, PROFILES,
                             CHASE_TEMPLATES, TA_TEMPLATES, MILESTONES, CUSTOMERS, QUOTATIONS, FX_RATES,
                             SAMPLES, SHIPMENTS, SHIPMENT_LINES, CONTAINERS)}
# The tables ``gendan load --table`` loads rows into (each found by its ``row_key``).
LOADABLE_TABLES = {key: t for key, t in TABLES.items() if t.row_key}

# Calendar kinds: a holiday on a weekday, or a weekend day that is worked (调休上班).
HOLIDAY, MAKEUP_WORKDAY = "HOLIDAY 假日", "WORKDAY 调休上班"

STATUSES = ("OPEN 进行中", "IN_PRODUCTION 生产中", "SHIPPED 已出货", "CANCELLED 已取消", "ON_HOLD 暂停")
CURRENCIES = ("USD", "CNY", "EUR", "GBP", "HKD", "JPY", "VND", "BDT", "INR")
TIERS = ("A", "B", "C")   # a customer's tier
COUNTRIES = ("CN", "VN", "BD", "IN", "KH", "TR", "US", "DE")


def header_lookup(table: Table) -> Mapping[str, str]:
    """Map every accepted spelling of a header (normalised) to its field name (built once per set of fields)."""
    return _lookup(table.fields)


@lru_cache(maxsize=64)
def _lookup(fields: tuple[Field, ...]) -> Mapping[str, str]:
    lookup: dict[str, str] = {}
    for f in fields:
        for spelling in (f.name, f.zh, f.en, f.header, f.name.replace("_", " "), *f.aliases):
            lookup.setdefault(header_key(spelling), f.name)
    return MappingProxyType(lookup)


def match_header(table: Table, header) -> str | None:
    """The field a header names, or None when it is not one of ours (a user column)."""
    if header is None:
        return None
    return header_lookup(table).get(header_key(header))
