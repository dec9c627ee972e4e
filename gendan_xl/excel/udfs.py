"""Excel functions (xlwings UDFs): slack, working days, date arithmetic, flags and late risk.

Every argument arrives through xlwings with ``CELLS`` options: a 2-D list of rows (a single cell
is ``[[value]]``), dates as ``datetime`` (or Excel serial numbers, e.g. from ``TODAY()``), blanks as
None and cell errors as their text. Arguments broadcast against each other (a column with a single
cell); the result has their shape and spills as a dynamic array. Per cell: blank in -> blank out;
text in a date or number cell -> ``#VALUE!``; an error in -> the same error out. Error values are
returned as their text (``'#VALUE!'``): xlwings turns that into a real cell error on its Office.js
engine and shows the text on the classic COM add-in, which has no way to return cell errors.
Calendars are the library ones (``chinese_calendar`` / ``holidays``), not the workbook's sheet.

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
from gendan_xl.risk.assess import DECIMALS
from gendan_xl.risk.evidence import evidence
from gendan_xl.risk.model import fit, score
from gendan_xl.rules.slack import evaluate
from gendan_xl.model.values import is_blank, is_missing, map_distinct
from gendan_xl.xlsm.ribbon_xml import TAB_LABEL

CELLS = {"ndim": 2, "err_to_str": True}  # xlwings options of every argument
DATES = {"date_format": "yyyy-mm-dd"}  # xlwings options of a date result
ERRORS = frozenset(("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"))
FIRST_YEAR = 2001  # library calendars cover FIRST_YEAR .. this year + 3 (holidays: IN from 2001)
CATEGORY = TAB_LABEL  # Excel's Insert Function dialog lists them under the ribbon tab's name
COUNTRY_DOC = "国家 calendar country (blank: CN)"

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
