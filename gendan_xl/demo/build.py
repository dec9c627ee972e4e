"""A realistic demo: an export trading company's master workbook, refreshed (deterministic seed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from gendan_xl import actions
from gendan_xl.model import schema
from gendan_xl.actions.common import open_workbook, path_text, writes_master
from gendan_xl.actions.results import DemoResult, Noted, RefreshResult
from gendan_xl.demo.quotes import COMPANY, customer_files, fx_rates, quotations
from gendan_xl.demo.shipments import as_shipped, demo_shipments, with_parties
from gendan_xl.demo.sample_files import write_statements, write_supplier_files
from gendan_xl.demo.samples import sample_rows
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.reporting.history import line_keys

CUSTOMERS = ("Nordic Home AB", "Brightline Apparel Inc.", "Maison Lumière SARL", "Sakura Trading KK",
             "Pacific Outdoor LLC", "Hanse Handel GmbH")
# code, name, aliases, country, contact, email
SUPPLIERS = (
    ("NBHM", "宁波华美服饰有限公司 Ningbo Huamei Garments", "华美;Huamei", "CN", "王丽 Wang Li", "wangli@huamei.example"),
    ("SXHD", "绍兴恒达纺织 Shaoxing Hengda Textile", "恒达;Hengda", "CN", "陈刚 Chen Gang", "chen@hengda.example"),
    ("DGJG", "东莞精工五金 Dongguan Jinggong Hardware", "精工;Jinggong", "CN", "李强 Li Qiang", "li@jinggong.example"),
    ("SZYD", "深圳优电电子 Shenzhen Youdian Electronics", "优电;Youdian", "CN", "赵敏 Zhao Min", "zhao@youdian.example"),
    ("SGGM", "Saigon Garment JSC", "Saigon Garment", "VN", "Nguyen Van An", "an@saigongarment.example"),
    ("HNHT", "Hanoi Home Textile Co.", "Hanoi Home", "VN", "Tran Thi Mai", "mai@hanoihome.example"),
    ("DKKW", "Dhaka Knitwear Ltd", "Dhaka Knit", "BD", "Rahim Uddin", "rahim@dhakaknit.example"),
)
# supplier code -> (style prefix, descriptions, unit, price range USD)
PRODUCTS = {
    "NBHM": ("GM", ("女式针织开衫 Ladies knit cardigan", "男式衬衫 Men's shirt", "儿童连帽衫 Kids hoodie"), "PCS", (6, 18)),
    "SXHD": ("HT", ("纯棉床单 Cotton bed sheet", "提花桌布 Jacquard tablecloth", "毛巾套装 Towel set"), "SET", (4, 22)),
    "DGJG": ("HW", ("不锈钢挂钩 Stainless hook", "铰链 Cabinet hinge", "门把手 Door handle"), "PCS", (0.4, 3.5)),
    "SZYD": ("EL", ("USB 充电器 USB charger", "LED 台灯 LED desk lamp", "蓝牙音箱 Bluetooth speaker"), "PCS", (3, 25)),
    "SGGM": ("VG", ("Men's chino pants", "Ladies blouse", "Polo shirt"), "PCS", (5, 14)),
    "HNHT": ("VT", ("Cushion cover", "Bath mat", "Quilted throw"), "PCS", (2, 12)),
    "DKKW": ("BK", ("Crew-neck T-shirt", "Knit sweater", "Jogger pants"), "PCS", (2, 9)),
}
LATE_SUPPLIER = ("SZYD", 6)   # a supplier with a record of lateness: ships this many days after its ETA
HISTORY_WEEKS = 4         # weekly refreshes recorded before the final one, so the 周报 has a history
ENTRY_LAG_DAYS = 14       # a line enters the master two weeks after its order date (confirmed PO)
WEEK_FIELDS = ["eta", "ship_date", "shipped_qty", "status"]
MAX_ORDERS = 1_048_575   # data rows below the header in one Excel sheet
MILESTONE_DELAYS = (-2, 0, 0, 0, 1, 3, 6, 12)   # days a line's milestones are done after plan
EX_FACTORY = schema.APPAREL[-1][0]   # the milestone the goods leave the factory on
COLORS = ("Black 黑", "White 白", "Navy 藏青", "Grey 灰", "Red 红", "Beige 米")


def demo_frames(n_orders: int, seed: int, as_of: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Suppliers and order lines around ``as_of``: shipped, late, at risk and on track."""
    rng = np.random.default_rng(seed)
    suppliers = pd.DataFrame(SUPPLIERS, columns=["code", "name", "aliases", "country", "contact", "email"])
    rows = []
    po_count = 0
    while len(rows) < n_orders:
        po_count += 1
        code = SUPPLIERS[rng.integers(len(SUPPLIERS))][0]
        name = suppliers.set_index("code").at[code, "name"]
        prefix, descriptions, unit, (lo, hi) = PRODUCTS[code]
        customer = CUSTOMERS[rng.integers(len(CUSTOMERS))]
        order_date = as_of - dt.timedelta(days=int(rng.integers(15, 150)))
        lead = int(rng.integers(35, 90))
        due = order_date + dt.timedelta(days=lead)
        for line in range(1, int(rng.integers(1, 5)) + 1):
            if len(rows) >= n_orders:
                break
            qty = int(rng.integers(4, 100)) * 50
            price = round(float(rng.uniform(lo, hi)), 2)
            supplier_due = due - dt.timedelta(days=int(rng.integers(3, 12)))
            drift = int(rng.choice([-4, -2, 0, 0, 0, 1, 3, 6, 12]))
            eta = supplier_due + dt.timedelta(days=drift)
            row = {
                "po_no": f"PO-{as_of.year % 100:02d}{po_count:04d}", "line": line, "customer": customer,
                "style": f"{prefix}{int(rng.integers(1000, 9999))}",
                "description": descriptions[rng.integers(len(descriptions))],
                "color": COLORS[rng.integers(len(COLORS))], "supplier": name, "qty": qty, "unit": unit,
                "unit_price": price, "cost_price": round(price * float(rng.uniform(0.7, 0.85)), 2),
                "currency": "USD", "order_date": order_date, "due_date": due, "supplier_due": supplier_due,
                "eta": eta, "status": "OPEN 进行中", "first_eta": eta, "prev_eta": eta, "eta_slips": 0,
            }
            progress = min(1.0, max(0.0, (as_of - order_date).days / max((eta - order_date).days, 1)))
            row["produced_qty"] = int(qty * progress // 10 * 10)
            if eta < as_of - dt.timedelta(days=3) and rng.random() < 0.85:
                ship = eta + dt.timedelta(days=int(rng.integers(0, 4)) + _late_days(code))
                whole = rng.random() < 0.9
                if ship < as_of:   # the late supplier's lines may not have shipped yet
                    row.update(ship_date=ship, shipped_qty=qty if whole else int(qty * 0.6),
                               produced_qty=qty, status="SHIPPED 已出货")
            if rng.random() < 0.02:
                row["due_date"] = None
            rows.append(row)
    orders = pd.DataFrame(rows)
    for col in ("order_date", "due_date", "supplier_due", "eta", "ship_date", "first_eta", "prev_eta"):
        orders[col] = pd.to_datetime(orders.get(col))
    return suppliers, orders


def _late_days(code: str) -> int:
    supplier, days = LATE_SUPPLIER
    return days if code == supplier else 0


def earlier_week(lines: pd.DataFrame, day: dt.date, weeks_before: int, seed: int) -> pd.DataFrame:
    """The lines as they stood ``weeks_before`` weeks earlier, on ``day``: only those entered by
    then (``ENTRY_LAG_DAYS`` after their order date), not yet shipped when they shipped later, and
    a third of the open ones with the ETA they had before it moved (each line moves once, in a week
    drawn from the seed, by -5 to +10 days)."""
    rng = np.random.default_rng(seed + 1)
    move_week = rng.integers(1, HISTORY_WEEKS + 1, len(lines))
    moves = np.where(rng.random(len(lines)) < 1 / 3, rng.choice([-5, 4, 7, 10], len(lines)), 0)
    when = pd.Timestamp(day)
    week = lines[lines["order_date"] + pd.Timedelta(days=ENTRY_LAG_DAYS) <= when].copy()
    later = (week["ship_date"] > when).to_numpy()
    week.loc[later, ["ship_date", "shipped_qty"]] = [pd.NaT, np.nan]
    week.loc[later, "status"] = "OPEN 进行中"
    moved = (move_week[week.index] <= weeks_before) & (moves[week.index] != 0) & week["ship_date"].isna().to_numpy()
    week.loc[moved, "eta"] = week.loc[moved, "eta"] - pd.to_timedelta(moves[week.index][moved], unit="D")
    return week


@writes_master("demo")
def record_week(master: Path, week: pd.DataFrame, day: dt.date) -> RefreshResult:
    """Put a week's lines into the master (changed fields written, new lines appended) and refresh."""
    wb = open_workbook(master)
    orders = wb.read(schema.ORDERS)
    rows = pd.Series(orders.frame.index, index=line_keys(orders.frame))
    keys = line_keys(week)
    known = keys.isin(rows.index)
    updated = orders.frame.copy()
    for name in WEEK_FIELDS:
        updated.loc[rows[keys[known]].to_numpy(), name] = week.loc[known, name].to_numpy()
    wb.write(orders, updated, WEEK_FIELDS, appended=week[~known])
    return replace(actions.refresh(wb, as_of=day, save=False), backup=path_text(wb.save()))


@writes_master("demo")
def record_milestones(master: Path, lines: pd.DataFrame, as_of: dt.date, seed: int) -> Noted:
    """Actual dates of the milestones planned before ``as_of``: each line runs a number of days
    early or late (drawn from the seed, the same for all its milestones); a milestone whose plan
    plus that delay is not yet past stays not done (overdue). Kept consistent with the shipments in
    ``lines``: a line shipped by ``as_of`` left the factory on its ship date at the latest (no
    milestone after it), a line not shipped has not left the factory."""
    wb = open_workbook(master)
    table = wb.read(schema.MILESTONES)
    frame = table.frame.copy()
    keys = line_keys(frame)
    line_ids = pd.unique(keys)
    rng = np.random.default_rng(seed + 2)
    delay = pd.Series(rng.choice(MILESTONE_DELAYS, len(line_ids)), index=line_ids)[keys].to_numpy()
    actual = frame["plan_date"] + pd.to_timedelta(delay, unit="D")
    shipped = pd.Series(lines["ship_date"].to_numpy(), index=line_keys(lines))
    shipped = shipped[shipped <= pd.Timestamp(as_of)]
    ship = pd.Series(shipped.reindex(keys).to_numpy(), index=frame.index)
    ex_factory = (frame["milestone"] == EX_FACTORY).to_numpy()
    actual = actual.where(ship.isna() | (actual <= ship), ship)
    actual = actual.where(~ex_factory | ship.isna(), ship)
    done = (frame["plan_date"] < pd.Timestamp(as_of)).to_numpy() & (actual < pd.Timestamp(as_of)).to_numpy()
    done = (done | (ex_factory & ship.notna().to_numpy())) & ~(ex_factory & ship.isna().to_numpy())
    frame.loc[done, "actual_date"] = actual[done]
    wb.write(table, frame, ["actual_date"])
    wb.save()
    return Noted()


@writes_master("demo")
def record_shipments(master: Path, shipments: tuple[pd.DataFrame, pd.DataFrame]) -> Noted:
    """The demo's shipments and their lines (demo/shipments.py)."""
    wb = open_workbook(master)
    for spec, frame in zip((schema.SHIPMENTS, schema.SHIPMENT_LINES), shipments):
        if frame.empty:
            continue   # a demo too small for shipments
        table = wb.read(spec)
        wb.write(table, table.frame, [], appended=frame)
    wb.save()
    return Noted()


@writes_master("demo")
def record_quotes(master: Path, lines: pd.DataFrame, as_of: dt.date) -> Noted:
    """Our company block, the customers' files, the exchange rates and the season's quotations
    (demo/quotes.py)."""
    wb = open_workbook(master)
    settings = wb.read(schema.SETTINGS)
    filled = settings.frame.assign(value=[COMPANY.get(k, v) for k, v in zip(settings.frame["key"],
                                                                             settings.frame["value"])])
    wb.write(settings, filled, ["value"])
    for spec, frame in ((schema.CUSTOMERS, with_parties(customer_files())), (schema.FX_RATES, fx_rates(as_of)),
                        (schema.QUOTATIONS, quotations(lines, as_of))):
        table = wb.read(spec)
        wb.write(table, table.frame, [], appended=frame)
    wb.save()
    return Noted()


@writes_master("demo")
def record_samples(master: Path, lines: pd.DataFrame, as_of: dt.date) -> Noted:
    """The season's sample rounds (demo/samples.py), and the mark of the approving round on each
    milestone an approval closed (on the day ``record_milestones`` gave it)."""
    wb = open_workbook(master)
    milestones = wb.read(schema.MILESTONES)
    rows, marks = sample_rows(milestones.frame, lines, as_of)
    source = milestones.frame["source"].astype(object)
    source.loc[marks.index] = marks
    wb.write(milestones, milestones.frame.assign(source=source), ["source"])
    table = wb.read(schema.SAMPLES)
    wb.write(table, table.frame, [], appended=rows)
    wb.save()
    return Noted()


def build_demo(directory, *, orders: int = 300, seed: int = 7, as_of: dt.date | None = None,
               macros: bool = False) -> DemoResult:
    """Write DIR/master.xlsx (``macros``: master.xlsm with the ribbon), DIR/suppliers/* and
    DIR/statements/* with demo data, refresh it weekly for ``HISTORY_WEEKS`` weeks before ``as_of``
    (so its history has changes to show) and on ``as_of``, return the summary."""
    if not 1 <= orders <= MAX_ORDERS:
        raise GendanError("演示订单行数超出范围 --orders is out of range", value=orders,
                          expected=f"a whole number from 1 to {MAX_ORDERS:,} (Excel's row limit)",
                          code=ErrorCode.BAD_OPTION)
    if seed < 0:
        raise GendanError("随机种子不能为负 --seed must not be negative", value=seed, expected="0 or more",
                          code=ErrorCode.BAD_OPTION)
    as_of = as_of or dt.date.today()
    folder = Path(directory)
    if folder.exists() and not folder.is_dir():
        raise GendanError("不是文件夹 not a folder", file=folder, expected="a folder for the demo files",
                          code=ErrorCode.WRONG_PATH)
    folder.mkdir(parents=True, exist_ok=True)
    suppliers, lines = demo_frames(orders, seed, as_of)
    master = folder / ("master.xlsm" if macros else "master.xlsx")
    days = [as_of - dt.timedelta(weeks=k) for k in range(HISTORY_WEEKS, 0, -1)]
    weeks = [earlier_week(lines, day, k, seed) for day, k in zip(days, range(HISTORY_WEEKS, 0, -1))]
    shipments = demo_shipments(lines, customer_files(), as_of)
    lines = as_shipped(lines, *shipments)   # the sailed shipment's line as its refresh left it
    created = actions.new_master(master, force=True, suppliers=suppliers, orders=weeks[0])
    for day, week in zip(days, weeks):
        record_week(master, week, day)
    files = write_supplier_files(folder / "suppliers", lines, as_of, seed)
    statements = write_statements(folder / "statements", lines)
    actions.plan(master, as_of=as_of)   # T&A milestones of the open lines, then some done (or late)
    record_milestones(master, lines, as_of, seed)
    record_quotes(master, lines, as_of)
    record_samples(master, lines, as_of)
    record_shipments(master, shipments)
    summary = record_week(master, lines, as_of)
    return DemoResult(demo=str(folder), supplier_files=[str(f) for f in files], statements=statements,
                      refresh=summary, notes=created.notes + summary.notes)
