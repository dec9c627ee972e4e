"""User-visible actions: workbook -> core -> workbook, shared by the command line and the ribbon.

Each action takes a path (the file) or a Workbook (e.g. live Excel through xlwings) and returns a
plain dict summary.
"""

from .backtest import backtest
from .chase import chase
from .create import new_master
from .customer_report import customer_report
from .export import export_table
from .history import history
from .load import load_orders
from .plan import plan
from .reconcile import reconcile
from .refresh import refresh
from .sync import sync

__all__ = ["backtest", "chase", "customer_report", "new_master", "export_table", "history", "load_orders", "plan",
           "reconcile", "refresh", "sync"]
