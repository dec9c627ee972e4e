"""Excel functions (xlwings UDFs): slack, working days, date arithmetic, flags, late risk, the
price of a quote and the volume of cartons.

Every argument arrives through xlwings with ``CELLS`` options: a 2-D list of rows (a single cell
is ``[[value]]``), dates as ``datetime`` (or Excel serial numbers, e.g. from ``TODAY()``), blanks as
None and cell errors as their text. Arguments broadcast against each other (a column with a single
cell); the result has their shape and spills as a dynamic array. Per cell: blank in -> blank out;
text in a date or number cell -> ``#VALUE!``; an error in -> the same error out. Error values are
returned as their text (``'#VALUE!'``): xlwings turns that into a real cell error on its Office.js
engine and shows the text on the classic COM add-in, which has no way to return cell errors.
Calendars are the library ones (``chinese_calendar`` / ``holidays``), not the workbook's sheet.

The quote functions (``GD_FOB``, ``GD_CIF``, ``GD_QUOTE_PRICE``, ``GD_MAX_PURCHASE``) are the arithmetic of
``quotes.formulas``, as 报价 Quotations prices a row, unrounded. A rate reads as a quote's rate does
(``13%``, ``0.13`` and ``13`` are 13 %); a blank VAT, refund, bank fee or commission rate takes the
Settings' default (``QuoteDefaults``, not the workbook's own Settings). A blank first argument gives a
blank; any other value the formula needs left blank is ``#VALUE!`` (type 0 for no domestic cost), as is
text that is no number or rate and an unknown incoterm; a value the pricing refuses (a rate below 0 or
at 100 % or more, profit + bank fee reaching 100 %, a price at or below 0, a negative cost, an fx rate
at or below 0 or over 100) is ``#NUM!``.

``GD_CBM`` is ``shipments.measure``'s volume: a carton's m³ rounded to the litre (halves up), times
the cartons (blank: one carton). A blank length gives a blank; a blank width or height, text or a
date is ``#VALUE!``; a dimension at or below 0, or cartons below 0 or not whole, is ``#NUM!``.

Each function is declared with :func:`udf`: its argument docs and its docstring's first paragraph
are the help Excel shows (``gendan_xl.excel.udf_vba`` writes them into the workbook) and the list
in docs/excel.md. Argument names are VBA identifiers (no ``date``, ``end``: VBA reserves them).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
import pandas as pd
import xlwings as xw

from gendan_xl.rules.calendar import DEFAULT_COUNTRY, CalendarBook
from gendan_xl.model.date_cells import excel_serial_days
from gendan_xl.model.flags import Flag
from gendan_xl.model.settings import Settings
from gendan_xl.model.trade_terms import Incoterm
from gendan_xl.quotes.formulas import (cfr_net, cif_net, fob_net, fx_per_100, insurance_too_high, margin_too_high,
                                       max_purchase, rate_outside, with_commission)
from gendan_xl.quotes.rates import QuoteDefaults, read_rates
from gendan_xl.risk.assess import DECIMALS
from gendan_xl.risk.evidence import evidence
from gendan_xl.risk.model import fit, score
from gendan_xl.rules.slack import evaluate
from gendan_xl.shipments.measure import cbm
from gendan_xl.model.values import is_blank, is_missing, map_distinct
from gendan_xl.xlsm.ribbon_xml import TAB_LABEL

CELLS = {"ndim": 2, "err_to_str": True}  # xlwings options of every argument
DATES = {"date_format": "yyyy-mm-dd"}  # xlwings options of a date result
ERRORS = frozenset(("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"))
FIRST_YEAR = 2001  # library calendars cover FIRST_YEAR .. this year + 3 (holidays: IN from 2001)
CATEGORY = TAB_LABEL  # Excel's Insert Function dialog lists them under the ribbon tab's name
COUNTRY_DOC = "国家 calendar country (blank: CN)"
QUOTING = QuoteDefaults()  # what a blank rate of a quote function takes: the Settings' defaults

_BLANK, _DATE, _NUMBER, _ERROR, _TEXT = range(5)
_DAY_0, _DAY_0_ORDINAL = np.datetime64("1970-01-01", "D"), dt.date(1970, 1, 1).toordinal()


def udf(**docs: str):
    """Declare a worksheet function: ``xw.func`` (in :data:`CATEGORY`) and, per argument in order,
    ``xw.arg`` with :data:`CELLS` and its doc. The docs are also kept as ``argument_docs`` on the
    function, since xlwings' decorators record nothing off Windows (where gendan writes the VBA)."""
    def declare(function):
        for name, doc in docs.items():
            function = xw.arg(name, doc=doc, **CELLS)(function)
        function = xw.func(category=CATEGORY)(function)
        function.argument_docs = dict(docs)
        return function
    return declare


@udf(due="交期 due date", done="完成日 completion: ship date or ETA", country=COUNTRY_DOC)
def GD_SLACK(due, done, country=DEFAULT_COUNTRY):
    """余量(工作日) Slack: working days from done (completion) to due, in the country's calendar."""
    return _workdays(done, due, country)


@udf(start_date="开始日 start date", end_date="结束日 end date", country=COUNTRY_DOC)
def GD_WORKDAYS(start_date, end_date, country=DEFAULT_COUNTRY):
    """工作日数 Working days from start_date to end_date: those in [start_date, end_date), negative when
    end_date is earlier."""
    return _workdays(start_date, end_date, country)


def _workdays(start, end, country):
    """Working days in [start, end) per cell (negative when end is earlier), same shape as the input."""
    cells, shape, scalar = _grid(start, end, country)
    if cells is None:
        return "#VALUE!"
    (start, e1), (end, e2) = _dates(cells[0]), _dates(cells[1])
    days = _per_country(cells[2], lambda cal, rows: cal.count(start[rows], end[rows]), float)
    return _out(_numbers_out(days), [e1, e2], shape, scalar)


@udf(start_date="开始日 start date", days="工作日数 working days (negative: before)", country=COUNTRY_DOC)
@xw.ret(**DATES)
def GD_ADD_WORKDAYS(start_date, days, country=DEFAULT_COUNTRY):
    """加工作日 start_date plus days working days (days < 0: minus); a non-working start_date first
    rolls forward to the next working day (so days = 0 gives the next working day)."""
    cells, shape, scalar = _grid(start_date, days, country)
    if cells is None:
        return "#VALUE!"
    (start, e1), (n, e2) = _dates(cells[0]), _numbers(cells[1])
    result = _per_country(cells[2], lambda cal, rows: cal.add(start[rows], n[rows]), "datetime64[D]")
    return _out(result.astype("datetime64[us]").astype(object), [e1, e2], shape, scalar)


@udf(due="交期 due date", done="出货日期或预计完成 ship date, else ETA", qty="数量 qty",
     shipped_qty="出货数量 shipped qty (blank: 0)", as_of="截至日期 as-of date (blank: today)",
     country=COUNTRY_DOC)
def GD_FLAG(due, done, qty, shipped_qty, as_of=None, country=DEFAULT_COUNTRY):
    """预警 Flag of an order line, e.g. 'LATE 已延误'. done: the ship date of a fully shipped line
    (a date after as_of is not shipped yet then: its ETA), else its ETA; shipped_qty blank = nothing
    shipped; as_of blank = today. Default settings."""
    cells, shape, scalar = _grid(due, done, qty, shipped_qty, as_of, country)
    if cells is None:
        return "#VALUE!"
    (due, e1), (done, e2), (qty, e3), (shipped, e4), (as_of, e5) = (
        _dates(cells[0]), _dates(cells[1]), _numbers(cells[2]), _numbers(cells[3]), _dates(cells[4]))
    as_of = np.where(np.isnat(as_of), np.datetime64(dt.date.today(), "D"), as_of)
    orders = pd.DataFrame({"due_date": due, "eta": done, "ship_date": done, "qty": qty,
                           "shipped_qty": np.nan_to_num(shipped)})
    flags = np.empty(len(due), dtype=object)
    for day in np.unique(as_of):
        rows = as_of == day
        result = evaluate(orders[rows], cells[5][rows], _book(), day, Settings())
        flags[rows] = map_distinct(result["flag"], lambda code: Flag(code).label, None)
    flags[np.isnat(due) & np.isnat(done) & np.isnan(qty) & np.isnan(shipped)] = None
    return _out(flags, [e1, e2, e3, e4, e5], shape, scalar)


@udf(supplier="供应商 supplier", customer="客户 customer", due="交期 due date",
     ship="出货日期 ship date (blank: open)", as_of="截至日期 as-of date (blank: today)",
     country="供应商国家 supplier country (blank: CN)")
def GD_RISK(supplier, customer, due, ship, as_of=None, country=DEFAULT_COUNTRY):
    """延误风险 Late risk (0–1) of every open line (no ship date before as_of) of these columns, learned
    from their lines shipped before as_of; blank for a shipped line, a line without a due date, or
    when the history is too short.

    The history is the supplier's and the customer's; the risk model runs with default settings."""
    cells, shape, scalar = _grid(supplier, customer, due, ship, as_of, country)
    if cells is None:
        return "#VALUE!"
    (due, e3), (ship, e4), (as_of, e5) = _dates(cells[2]), _dates(cells[3]), _dates(cells[4])
    e1, e2 = (_errors(c, _kinds(c), (_TEXT, _NUMBER, _DATE)) for c in cells[:2])
    as_of = np.where(np.isnat(as_of), np.datetime64(dt.date.today(), "D"), as_of)
    orders = pd.DataFrame({"supplier": cells[0], "customer": cells[1], "due_date": due, "ship_date": ship})
    frame = evidence(orders, cells[5], _book())
    risk = np.full(len(due), np.nan)
    for day in np.unique(as_of):
        open_ = (as_of == day) & ~np.isnat(due) & ~(ship < day)
        if open_.any():
            model = fit(frame, day.astype(dt.date), Settings().risk_half_life_days)
            risk[open_] = score(model, frame[open_])["late_risk"].round(DECIMALS["late_risk"]).to_numpy()
    return _out(_numbers_out(risk), [e1, e2, e3, e4, e5], shape, scalar)


def _blank_takes(rate: float) -> str:
    return f"(blank: {rate * 100:g} %)"


_RATE_DOC = "13%, 0.13 or 13"
_PURCHASE_DOCS = dict(
    domestic_cost="国内费用 domestic cost, CNY per piece (type 0 for none)",
    profit_rate="利润率 profit rate, a share of the FOB price",
    bank_fee_rate=f"银行费率 bank fee rate, a share of the FOB price {_blank_takes(QUOTING.bank_fee_rate)}",
    fx_rate="汇率 fx rate: CNY per 1 unit of the quote currency (bank buying rate), e.g. 7.05")
_VAT_DOC = f"增值税率 VAT rate: {_RATE_DOC} {_blank_takes(QUOTING.vat_rate)}"
_REFUND_DOC = f"出口退税率 export refund rate {_blank_takes(QUOTING.refund_rate)}"
_COMMISSION_DOC = f"佣金率 commission rate {_blank_takes(QUOTING.commission_rate)}"


@udf(purchase_price="含税采购单价 purchase price, CNY per piece incl. VAT", vat_rate=_VAT_DOC,
     refund_rate=_REFUND_DOC, domestic_cost=_PURCHASE_DOCS["domestic_cost"],
     profit_rate=_PURCHASE_DOCS["profit_rate"], bank_fee_rate=_PURCHASE_DOCS["bank_fee_rate"],
     fx_rate=_PURCHASE_DOCS["fx_rate"])
def GD_FOB(purchase_price, vat_rate, refund_rate, domestic_cost, profit_rate, bank_fee_rate, fx_rate):
    """FOB价 FOB net price per piece in the quote currency: (purchase price − export refund + domestic
    cost) ÷ (1 − profit rate − bank fee rate) ÷ fx rate."""
    cells, shape, scalar = _grid(purchase_price, vat_rate, refund_rate, domestic_cost, profit_rate, bank_fee_rate,
                                 fx_rate)
    if cells is None:
        return "#VALUE!"
    price, e1 = _numbers(cells[0])
    needed = _kinds(cells[0]) != _BLANK
    _fail(e1, price <= 0, "#NUM!")
    (vat, e2), (refund, e3) = _rates(cells[1], needed, QUOTING.vat_rate), _rates(cells[2], needed, QUOTING.refund_rate)
    (domestic, e4), (profit, e5), (fee, e6), (fx, e7) = _costs(cells[3:7], needed)
    with np.errstate(divide="ignore", invalid="ignore"):
        fob = fob_net(price, vat, refund, domestic, profit, fee, fx)
    return _out(_numbers_out(fob), [e1, e2, e3, e4, e5, e6, e7], shape, scalar)


@udf(fob="FOB价 FOB net price", freight="运费 freight per piece, in the quote currency",
     insurance_rate="保险费率 insurance rate: 13%, 0.13 or 13 (insured at 110 % of CIF)")
def GD_CIF(fob, freight, insurance_rate):
    """CIF价 CIF net price: (FOB + freight) ÷ (1 − 110 % × insurance rate); freight and insurance pass
    through without margin."""
    cells, shape, scalar = _grid(fob, freight, insurance_rate)
    if cells is None:
        return "#VALUE!"
    net, e1 = _numbers(cells[0])
    needed = _kinds(cells[0]) != _BLANK
    _fail(e1, net <= 0, "#NUM!")
    freight, e2 = _numbers(cells[1])
    _fail(e2, needed & np.isnan(freight), "#VALUE!")
    _fail(e2, freight < 0, "#NUM!")
    insurance, e3 = _rates(cells[2], needed)
    _fail(e3, insurance_too_high(insurance), "#NUM!")
    with np.errstate(divide="ignore", invalid="ignore"):
        cif = cif_net(cfr_net(net, freight), insurance)
    return _out(_numbers_out(cif), [e1, e2, e3], shape, scalar)


@udf(net_price="净价 net price (FOB, CFR or CIF)", commission_rate=_COMMISSION_DOC)
def GD_QUOTE_PRICE(net_price, commission_rate=None):
    """含佣价 Price with commission: the net price (FOB, CFR or CIF) ÷ (1 − commission rate), e.g. CIFC3
    at 3 %."""
    cells, shape, scalar = _grid(net_price, commission_rate)
    if cells is None:
        return "#VALUE!"
    net, e1 = _numbers(cells[0])
    _fail(e1, net <= 0, "#NUM!")
    commission, e2 = _rates(cells[1], _kinds(cells[0]) != _BLANK, QUOTING.commission_rate)
    with np.errstate(divide="ignore", invalid="ignore"):
        price = with_commission(net, commission)
    return _out(_numbers_out(price), [e1, e2], shape, scalar)


@udf(target_price="目标价 the buyer's target price, with commission, in the quote currency",
     incoterm="贸易术语 incoterm: FOB, CFR, CIF (FCA, CPT, CIP as FOB, CFR, CIF)",
     freight="运费 freight per piece (CFR, CIF; FOB: not used)",
     insurance_rate="保险费率 insurance rate (CIF; insured at 110 % of CIF)", commission_rate=_COMMISSION_DOC,
     domestic_cost=_PURCHASE_DOCS["domestic_cost"], profit_rate=_PURCHASE_DOCS["profit_rate"],
     bank_fee_rate=_PURCHASE_DOCS["bank_fee_rate"], fx_rate=_PURCHASE_DOCS["fx_rate"], vat_rate=_VAT_DOC,
     refund_rate=_REFUND_DOC)
def GD_MAX_PURCHASE(target_price, incoterm, freight, insurance_rate, commission_rate, domestic_cost, profit_rate,
                    bank_fee_rate, fx_rate, vat_rate=None, refund_rate=None):
    """最高采购价 倒推 Max purchase price (CNY incl. VAT) that still earns the profit at the buyer's target
    price in its incoterm; 0 or below: the target is too low at any purchase price."""
    cells, shape, scalar = _grid(target_price, incoterm, freight, insurance_rate, commission_rate, domestic_cost,
                                 profit_rate, bank_fee_rate, fx_rate, vat_rate, refund_rate)
    if cells is None:
        return "#VALUE!"
    target, e1 = _numbers(cells[0])
    needed = _kinds(cells[0]) != _BLANK
    _fail(e1, target <= 0, "#NUM!")
    (freight_in, insured), e2 = _incoterms(cells[1], needed)
    freight, e3 = _numbers(cells[2])
    _fail(e3, needed & freight_in & np.isnan(freight), "#VALUE!")
    _fail(e3, freight < 0, "#NUM!")
    insurance, e4 = _rates(cells[3], needed & insured)
    _fail(e4, insured & insurance_too_high(insurance), "#NUM!")
    commission, e5 = _rates(cells[4], needed, QUOTING.commission_rate)
    (domestic, e6), (profit, e7), (fee, e8), (fx, e9) = _costs(cells[5:9], needed)
    (vat, e10), (refund, e11) = _rates(cells[9], needed, QUOTING.vat_rate), \
        _rates(cells[10], needed, QUOTING.refund_rate)
    with np.errstate(divide="ignore", invalid="ignore"):
        top = max_purchase(target, freight_in, insured, freight, insurance, commission, domestic, profit, fee, fx,
                           vat, refund)
    return _out(_numbers_out(top), [e1, e2, e3, e4, e5, e6, e7, e8, e9, e10, e11], shape, scalar)


@udf(length_cm="长 carton length, cm", width_cm="宽 carton width, cm", height_cm="高 carton height, cm",
     cartons="箱数 cartons (blank: one carton)")
def GD_CBM(length_cm, width_cm, height_cm, cartons=None):
    """体积 CBM in m³: one carton's length × width × height (cm) ÷ 1,000,000, rounded to 3 decimals as
    packing lists print it, × cartons."""
    cells, shape, scalar = _grid(length_cm, width_cm, height_cm, cartons)
    if cells is None:
        return "#VALUE!"
    needed = _kinds(cells[0]) != _BLANK
    sides = []
    for cell in cells[:3]:
        side, errors = _numbers(cell)
        _fail(errors, needed & np.isnan(side), "#VALUE!")
        _fail(errors, side <= 0, "#NUM!")
        sides.append((side, errors))
    count, e4 = _numbers(cells[3])
    count = np.where(_kinds(cells[3]) == _BLANK, 1.0, count)
    _fail(e4, (count < 0) | (count != np.floor(count)), "#NUM!")
    with np.errstate(invalid="ignore"):
        volume = cbm(sides[0][0], sides[1][0], sides[2][0], count)
    return _out(_numbers_out(volume), [e for _, e in sides] + [e4], shape, scalar)


def _costs(cells: list[np.ndarray], needed: np.ndarray):
    """Domestic cost, profit rate, bank fee rate and fx rate, each with its errors: blank where
    ``needed`` (the bank fee takes its default) #VALUE!; a negative cost, profit + bank fee reaching
    100 %, an fx rate at or below 0 or over 100 #NUM!."""
    domestic, e_domestic = _numbers(cells[0])
    _fail(e_domestic, needed & np.isnan(domestic), "#VALUE!")
    _fail(e_domestic, domestic < 0, "#NUM!")
    profit, e_profit = _rates(cells[1], needed)
    fee, e_fee = _rates(cells[2], needed, QUOTING.bank_fee_rate)
    _fail(e_profit, margin_too_high(profit, fee), "#NUM!")
    fx, e_fx = _numbers(cells[3])
    _fail(e_fx, needed & np.isnan(fx), "#VALUE!")
    _fail(e_fx, (fx <= 0) | fx_per_100(fx), "#NUM!")
    return (domestic, e_domestic), (profit, e_profit), (fee, e_fee), (fx, e_fx)


def _rates(cells: np.ndarray, needed: np.ndarray, default: float | None = None):
    """Rate cells as fractions, read as a quote's rates are (``13%``, ``0.13``, ``13``; blank: ``default``)
    and their errors: text that is no rate, or a blank without default where ``needed``, #VALUE!; a
    rate outside 0 to below 100 % #NUM!."""
    kinds = _kinds(cells)
    errors = _errors(cells, kinds, (_NUMBER, _TEXT))
    rates = np.full(len(cells), np.nan)
    usable = np.flatnonzero(errors == "")
    rates[usable], unread = read_rates(pd.Series(cells[usable], dtype=object), default)
    errors[usable[pd.notna(unread)]] = "#VALUE!"
    _fail(errors, needed & np.isnan(rates), "#VALUE!")
    _fail(errors, rate_outside(rates), "#NUM!")
    return rates, errors


def _incoterms(cells: np.ndarray, needed: np.ndarray):
    """Per cell whether the incoterm's price carries freight and insurance (FCA, CPT, CIP as their sea
    twins), and the errors: an unknown incoterm, or a blank where ``needed``, #VALUE!."""
    kinds = _kinds(cells)
    errors = _errors(cells, kinds, (_TEXT,))
    terms = map_distinct(cells, Incoterm.read, None)
    _fail(errors, (kinds == _TEXT) & pd.isna(terms), "#VALUE!")
    _fail(errors, needed & (kinds == _BLANK), "#VALUE!")
    carries = np.array([(t.carries_freight, t.carries_insurance) if t else (False, False) for t in terms],
                       dtype=bool).reshape(-1, 2)
    return (carries[:, 0], carries[:, 1]), errors


def _fail(errors: np.ndarray, mask: np.ndarray, error: str) -> None:
    """``error`` in each cell where ``mask`` holds and no error is there yet."""
    errors[(errors == "") & mask] = error


def _book() -> CalendarBook:
    return _library_book(dt.date.today().year + 3)


@lru_cache(maxsize=1)
def _library_book(last_year: int) -> CalendarBook:
    return CalendarBook.from_rows(None, range(FIRST_YEAR, last_year + 1))


def _grid(*args):
    """Arguments as flat object arrays of one broadcast shape, that shape, and whether every argument
    was a single value (not a range); (None, None, None) when the shapes do not broadcast."""
    arrays = []
    for arg in args:
        arr = np.asarray(arg if isinstance(arg, (list, tuple)) else [[arg]], dtype=object)
        arrays.append(arr.reshape(-1, 1) if arr.ndim == 1 else arr)
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        return None, None, None
    flat = [np.broadcast_to(a, shape).ravel() for a in arrays]
    return flat, shape, not any(isinstance(arg, (list, tuple)) for arg in args)


def _kind(value) -> int:
    if is_missing(value):
        return _BLANK
    if isinstance(value, bool):
        return _TEXT
    if isinstance(value, dt.date):
        return _DATE
    if isinstance(value, (int, float, np.number)):
        return _NUMBER
    if isinstance(value, str):
        return _BLANK if is_blank(value) else _ERROR if value in ERRORS else _TEXT
    return _TEXT


def _kinds(cells: np.ndarray) -> np.ndarray:
    return np.fromiter(map(_kind, cells), dtype=np.int8, count=len(cells))


def _errors(cells: np.ndarray, kinds: np.ndarray, ok: tuple[int, ...]) -> np.ndarray:
    """Error text per cell ('' when the cell is usable): errors stay, other kinds give #VALUE!."""
    errors = np.where(np.isin(kinds, (_BLANK, *ok)), "", "#VALUE!").astype(object)
    errors[kinds == _ERROR] = cells[kinds == _ERROR]
    return errors


def _dates(cells: np.ndarray):
    """Date cells as datetime64[D] (blank -> NaT) and their errors. A number is an Excel serial
    (1900 system, ``date_cells``); one that names no date (outside 1..9999-12-31, or 60) is #NUM!."""
    kinds = _kinds(cells)
    days = np.full(len(cells), np.datetime64("NaT", "D"))
    ordinals = np.fromiter(map(dt.date.toordinal, cells[kinds == _DATE]), dtype=np.int64)
    days[kinds == _DATE] = _DAY_0 + (ordinals - _DAY_0_ORDINAL)
    errors = _errors(cells, kinds, (_DATE, _NUMBER))
    serials = excel_serial_days(cells[kinds == _NUMBER].astype(float))
    days[kinds == _NUMBER] = serials
    errors[np.flatnonzero(kinds == _NUMBER)[np.isnat(serials)]] = "#NUM!"
    return days, errors


def _numbers(cells: np.ndarray):
    """Number cells as floats (blank -> NaN) and their errors."""
    kinds = _kinds(cells)
    values = np.full(len(cells), np.nan)
    values[kinds == _NUMBER] = cells[kinds == _NUMBER].astype(float)
    return values, _errors(cells, kinds, (_NUMBER,))


def _per_country(countries: np.ndarray, compute, dtype) -> np.ndarray:
    """``compute(calendar, rows)`` for the rows of each country, gathered into one array."""
    out = np.empty(np.size(countries), dtype=dtype)

    def one(calendar, rows):
        out[rows] = compute(calendar, rows)
    _book().each_calendar(countries, one)
    return out


def _numbers_out(values: np.ndarray) -> np.ndarray:
    out = values.astype(object)
    out[np.isnan(values)] = None
    return out


def _out(values: np.ndarray, errors: list[np.ndarray], shape, scalar):
    """Results with each cell's first argument error in place, in the arguments' shape."""
    values = values.copy()
    for err in reversed(errors):
        values[err != ""] = err[err != ""]
    grid = values.reshape(shape).tolist()
    return grid[0][0] if scalar else grid
