"""User-visible actions: workbook -> core -> workbook, shared by the command line and the ribbon.

Each action takes a path (the file) or a Workbook (e.g. live Excel through xlwings) and returns its
result, a dataclass of ``results.py`` (``results.as_json`` gives its ``--json`` form).
"""

from gendan_xl.actions.allocate import allocate
from gendan_xl.actions.backtest import backtest
from gendan_xl.actions.chase import chase
from gendan_xl.actions.create import new_master
from gendan_xl.actions.customer_report import customer_report
from gendan_xl.actions.excel_master import enable_macros, upgrade_macros
from gendan_xl.actions.export import export_table
from gendan_xl.actions.history import history
from gendan_xl.actions.load import load_orders, load_table, loadable_table
from gendan_xl.actions.plan import plan
from gendan_xl.actions.quotation import quotation
from gendan_xl.actions.quote import quote
from gendan_xl.actions.reconcile import reconcile
from gendan_xl.actions.refresh import refresh
from gendan_xl.actions.sample_sync import sync_samples
from gendan_xl.actions.ship import ship
from gendan_xl.actions.shipment_sync import sync_shipments
from gendan_xl.actions.sync import sync

__all__ = ["allocate", "backtest", "chase", "customer_report", "enable_macros", "new_master", "export_table", "history", "load_orders",
           "load_table", "loadable_table",
           "plan", "quotation", "quote", "reconcile", "refresh", "ship", "sync", "sync_samples", "sync_shipments",
           "upgrade_macros"]
