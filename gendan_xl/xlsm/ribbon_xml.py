"""The 跟单 Gendan ribbon tab: its buttons and the ``customUI/customUI14.xml`` part."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

CUSTOMUI_NS = "http://schemas.microsoft.com/office/2009/07/customui"
ON_ACTION = "GendanRibbonAction"
TAB_LABEL = "跟单 Gendan"
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@dataclass(frozen=True)
class RibbonButton:
    """One ribbon button; its tag names the Python command the VBA callback runs; ``does`` says
    what it does in docs/excel.md's table of buttons (generated: ``buttons_table``)."""

    id: str
    label: str
    tag: str
    image_mso: str
    size: str
    screentip: str
    does: str


BUTTONS = (
    RibbonButton("gendanRefresh", "刷新周报 Refresh", "refresh", "Refresh", "large",
                 "刷新周报 Refresh the weekly report",
                 "slack, flag and why for every order line, then the 周报 Weekly Report sheet (same as "
                 "`gendan refresh`)"),
    RibbonButton("gendanSync", "同步供应商 Sync suppliers", "sync", "ImportExcel", "large",
                 "同步供应商 Sync supplier files into the master",
                 "asks for supplier files, then syncs them (same as `gendan sync`)"),
    RibbonButton("gendanReconcile", "对账 Reconcile", "reconcile", "ReviewCompareTwoVersions", "large",
                 "对账 Reconcile the master against a supplier file",
                 "asks for a statement, the party and the period (YYYY-MM; blank: the month of the statement's "
                 "dates), then builds the reconciliation sheet (same as `gendan reconcile`; supplier or customer "
                 "is taken from the master)"),
    RibbonButton("gendanPlan", "排期 Plan", "plan", "DateAndTimeInsert", "large",
                 "排期 Plan the T&A milestones of every open line back from its due date",
                 "plans the T&A milestones of every open line back from its due date, then refreshes (same as "
                 "`gendan plan`)"),
    RibbonButton("gendanChase", "催单 Chase", "chase", "FileSendAsAttachment", "large",
                 "催单 One chase file and message draft per supplier",
                 "asks for a folder, then writes one chase file per supplier there and shows the counts (same as "
                 "`gendan chase`; the workbook is only read)"),
    RibbonButton("gendanCustomerReport", "客户报告 Customer report", "customer_report", "FileSaveAsPdfOrXps",
                 "large", "客户报告 One customer's order status, as a file beside the workbook",
                 "asks for the customer — the customer of the selected 订单 Orders row is filled in, so a click "
                 "on one of its lines and Enter is enough — then writes `客户报告_<customer>_<as-of>.xlsx` beside "
                 "the workbook (same as `gendan report --customer`; the workbook is only read; save a new "
                 "workbook first)"),
    RibbonButton("gendanQuote", "报价 Quote", "quote", "CalculateNow", "large",
                 "报价 Price every quote of 报价 Quotations",
                 "prices every row of 报价 Quotations (a blank fx rate takes the 汇率 FX Rates rate of the quote date once "
                 "sent, else today's) and saves, "
                 "then shows how many were priced and not priced, why not, and the open quotes whose margin the "
                 "exchange rate moved (same as `gendan quote`); on a 报价 Quotations row it offers that row's "
                 "customer the quotation it receives, written beside the workbook (`gendan quote --customer`)"),
    RibbonButton("gendanShip", "出运 Ship", "ship", "ExportExcel", "large",
                 "出运 The selected shipment's documents, checked against each other",
                 "the documents of the selected shipment (a row of 出运 Shipments or 出运明细 Shipment Lines; "
                 "elsewhere it asks for the shipment number) — commercial invoice, packing list, shipping advice, "
                 "customs data — into a folder `出运单证 documents <shipment no> <as-of>` beside the workbook (same "
                 "as `gendan ship`; the workbook is only read); when a cross-document check fails it lists the "
                 "failing checks, writes nothing and asks whether to write them despite the checks "
                 "(`--despite-checks`)"),
    RibbonButton("gendanSamples", "样品 Samples", "samples", "AcceptInvitation", "large",
                 "样品 Refresh, then show the open sample rounds",
                 "refreshes (as Refresh does: the 样品 Samples register first), then shows the 样品跟进 Sample "
                 "follow-up sheet — the open sample rounds by due date, coloured by state — and sums them up "
                 "(open, overdue, waiting, bad input); a master without 样品 Samples gets the table first"),
    RibbonButton("gendanFlag", "预警 Flag late orders", "flag", "ConditionalFormattingMenu", "large",
                 "预警 Flag orders at risk of being late",
                 "slack, flag and why only; the report is left as it is"),
    RibbonButton("gendanHelp", "帮助 Help", "help", "Help", "normal", "帮助 Help",
                 "a short bilingual help, with the worksheet functions and their arguments"),
)
RIBBON_TAGS = tuple(button.tag for button in BUTTONS)


def ribbon_xml() -> bytes:
    """The UTF-8 ``customUI14.xml`` with one tab and group holding every button."""
    root = ET.Element("customUI", xmlns=CUSTOMUI_NS)
    tabs = ET.SubElement(ET.SubElement(root, "ribbon"), "tabs")
    tab = ET.SubElement(tabs, "tab", id="gendanTab", label=TAB_LABEL)
    group = ET.SubElement(tab, "group", id="gendanGroup", label=TAB_LABEL)
    for button in BUTTONS:
        ET.SubElement(group, "button", id=button.id, label=button.label, tag=button.tag,
                      imageMso=button.image_mso, size=button.size, screentip=button.screentip,
                      onAction=ON_ACTION)
    return _DECLARATION + ET.tostring(root, encoding="unicode").encode("utf-8")


def buttons_table() -> str:
    """docs/excel.md's table of the buttons, one row per button in ribbon order (Markdown)."""
    rows = [f"| {button.label} | {button.does} |" for button in BUTTONS]
    return "\n".join(["| button | what it does |", "|---|---|", *rows])
