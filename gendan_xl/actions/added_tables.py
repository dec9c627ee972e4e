"""The tables a master from an older gendan lacks, added when a command first needs one."""

from __future__ import annotations

from gendan_xl.model import schema
from gendan_xl.rules.customers import customers_of_orders
from gendan_xl.shipments.containers import container_rows
from gendan_xl.store.protocol import Workbook


def ensure_table(wb: Workbook, spec: schema.Table) -> bool:
    """Add ``spec``'s table when the master lacks it (a sheet of its own); a new 客户 Customers table
    starts with the customers of the master's order lines, a new 集装箱 Containers table with the
    seeded container types. True when it was added."""
    if wb.has_table(spec):
        return False
    wb.add_table(spec)
    if spec is schema.CUSTOMERS:
        table = wb.read(spec)
        wb.write(table, table.frame, [], appended=customers_of_orders(wb.read(schema.ORDERS).frame["customer"]))
    if spec is schema.CONTAINERS:
        table = wb.read(spec)
        wb.write(table, table.frame, [], appended=container_rows())
    return True
