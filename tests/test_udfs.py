"""GD_* Excel functions called through xlwings' real conversion layer.

xlwings' ``call_udf`` (xlwings/udfs.py) reads every argument with
``conversion.read(None, value, arg_options)`` and writes the result with
``conversion.write(result, None, ret_options)``; the engine-specific steps (cleaning cell values,
preparing results) belong to the engine. No Excel runs here, so a small engine registered with
``xw.engines.add`` does what xlwings' Windows engine does to the values pywin32 hands over
(tz-aware datetimes, cell errors as COM error codes, blanks as None); the pipeline stages and
converters are xlwings' own.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import xlwings as xw
from xlwings import conversion

from gendan_xl.excel import udfs
from gendan_xl.model.settings import Settings
from gendan_xl.quotes.pricing import price_quotes

ENGINE = "gendan-test"
UTC = dt.timezone.utc
COM_ERRORS = {-2146826281: "#DIV/0!", -2146826246: "#N/A", -2146826259: "#NAME?", -2146826288: "#NULL!",
              -2146826252: "#NUM!", -2146826265: "#REF!", -2146826273: "#VALUE!"}
NA = -2146826246  # a #N/A cell as pywin32 passes it


class ExcelLikeEngine:
    """Value cleaning of xlwings' Windows engine (``_xlwindows.Engine``), without pywin32."""

    name = ENGINE
    type = "desktop"

    @staticmethod
    def clean_value_data(data, datetime_builder, empty_as, number_builder, err_to_str):
        def clean(value):
            if value in ("", None):
                return empty_as
            if isinstance(value, dt.datetime):  # pywintypes.datetime is a tz-aware datetime
                return datetime_builder(year=value.year, month=value.month, day=value.day, hour=value.hour,
                                        minute=value.minute, second=value.second,
                                        microsecond=value.microsecond, tzinfo=None)
            if number_builder is not None and isinstance(value, float):
                return number_builder(value)
            if isinstance(value, int) and value in COM_ERRORS:
                return COM_ERRORS[value] if err_to_str else None
            return value

        return [[clean(c) for c in row] for row in data]

    @staticmethod
    def prepare_xl_data_element(x, options):
        return "" if x is None else x


@pytest.fixture(scope="module", autouse=True)
def engine():
    if ENGINE not in [e.name for e in xw.engines]:
        xw.engines.add(xw.Engine(impl=ExcelLikeEngine()))


def call(func, *raw, ret=None):
    """Call a UDF the way xlwings' call_udf does, with the options the UDF declares."""
    args = [conversion.read(None, value, udfs.CELLS, engine_name=ENGINE) for value in raw]
    return conversion.write(func(*args), None, ret or {}, engine_name=ENGINE)


def com_date(y, m, d):
    return dt.datetime(y, m, d, tzinfo=UTC)


def column(*values):
    """A one-column range's raw value as pywin32 returns it."""
    return tuple((v,) for v in values)


def test_read_options_give_rows_and_error_texts():
    assert conversion.read(None, com_date(2026, 2, 13), udfs.CELLS, engine_name=ENGINE) == [[dt.datetime(2026, 2, 13)]]
    assert conversion.read(None, column(NA, None, 1.0), udfs.CELLS, engine_name=ENGINE) == [["#N/A"], [None], [1.0]]


def test_workdays_single_cells():
    assert call(udfs.GD_WORKDAYS, com_date(2026, 2, 13), com_date(2026, 3, 2)) == [[7.0]]
    assert call(udfs.GD_WORKDAYS, com_date(2026, 3, 2), com_date(2026, 2, 13)) == [[-7.0]]
    assert call(udfs.GD_WORKDAYS, com_date(2026, 12, 15), com_date(2026, 12, 18), "BD") == [[2.0]]


def test_workdays_column_with_blanks_serials_text_and_errors():
    starts = column(com_date(2026, 2, 13), None, "soon", 46066.0, NA, com_date(2026, 3, 2), True, 0.0)
    assert call(udfs.GD_WORKDAYS, starts, com_date(2026, 3, 2)) == [
        [7.0], [""], ["#VALUE!"], [7.0], ["#N/A"], [0.0], ["#VALUE!"], ["#NUM!"]]


def test_slack_broadcasts_country_and_shapes():
    due = column(com_date(2026, 12, 13), com_date(2026, 12, 13))
    assert call(udfs.GD_SLACK, due, com_date(2026, 12, 9), column("CN", "BD")) == [[3.0], [2.0]]
    assert call(udfs.GD_SLACK, due, com_date(2026, 12, 9)) == [[3.0], [3.0]]
    row = ((com_date(2026, 12, 15), None, com_date(2026, 12, 1)),)
    assert call(udfs.GD_SLACK, row, com_date(2026, 12, 18)) == [[-3.0, "", -13.0]]
    assert call(udfs.GD_SLACK, due, column(com_date(2026, 12, 9), None, None)) == [["#VALUE!"]]


def test_slack_error_in_done_only_hits_its_cell():
    done = column(com_date(2026, 12, 18), "next week", NA)
    assert call(udfs.GD_SLACK, com_date(2026, 12, 15), done) == [[-3.0], ["#VALUE!"], ["#N/A"]]


def test_add_workdays_returns_dates():
    dates = column(com_date(2026, 2, 13), com_date(2026, 2, 13), None, com_date(2026, 2, 24), 46066.0)
    n = column(1.0, 2.0, 1.0, "x", -1.0)
    assert call(udfs.GD_ADD_WORKDAYS, dates, n, ret=udfs.DATES) == [
        [dt.datetime(2026, 2, 14)], [dt.datetime(2026, 2, 24)], [""], ["#VALUE!"], [dt.datetime(2026, 2, 12)]]
    assert call(udfs.GD_ADD_WORKDAYS, com_date(2026, 3, 7), 0.0, ret=udfs.DATES) == [[dt.datetime(2026, 3, 9)]]


def test_flag_labels():
    as_of = 46357.0  # 2026-12-01 as a serial, as TODAY() passes it
    due = column(com_date(2026, 12, 15), com_date(2026, 11, 27), None, com_date(2026, 12, 15),
                 com_date(2026, 12, 15), None, "tbd", com_date(2026, 12, 15))
    done = column(com_date(2026, 12, 18), com_date(2026, 12, 4), com_date(2026, 12, 4),
                  com_date(2026, 11, 30), com_date(2026, 12, 11), None, None, com_date(2026, 12, 14))
    qty = column(100.0, 100.0, None, 100.0, 100.0, None, 100.0, 100.0)
    shipped = column(None, 40.0, None, 100.0, None, None, None, 100.0)
    assert call(udfs.GD_FLAG, due, done, qty, shipped, as_of) == [
        ["WILL_BE_LATE 将延误"], ["LATE 已延误"], ["NO_DATE 缺交期"], ["SHIPPED 已出货"], ["AT_RISK 有风险"],
        [""], ["#VALUE!"],
        ["AT_RISK 有风险"]]   # shipped after the as-of date: not yet then, its date an ETA (1 WD < 3)


def test_flag_shipped_late_and_blank_as_of_is_today():
    due = dt.date.today() - dt.timedelta(days=30)
    shipped = due + dt.timedelta(days=3)
    assert call(udfs.GD_FLAG, com_date(due.year, due.month, due.day), com_date(shipped.year, shipped.month, shipped.day),
                10.0, 10.0, None) == [["SHIPPED_LATE 延迟出货"]]
    far = dt.date.today() + dt.timedelta(days=60)
    assert call(udfs.GD_FLAG, com_date(far.year, far.month, far.day), None, 10.0, None, None) == [
        ["ON_TRACK 正常"]]


def test_excel_serials():
    """Serial 60 (Excel's 1900-02-29, which never was) is #NUM! as in every reader of a serial
    (``date_cells``); before, it was read as 1900-03-01."""
    serials = column(1.0, 59.0, 61.0, 45659.0, 46066.75, 2958465.0, 0.0, 2958466.0, -3.0, 60.0, 60.5)
    assert call(udfs.GD_ADD_WORKDAYS, serials, 0.0, ret=udfs.DATES) == [  # all CN working days
        [dt.datetime(1900, 1, 1)], [dt.datetime(1900, 2, 28)], [dt.datetime(1900, 3, 1)],
        [dt.datetime(2025, 1, 2)], [dt.datetime(2026, 2, 13)], [dt.datetime(9999, 12, 31)],
        ["#NUM!"], ["#NUM!"], ["#NUM!"], ["#NUM!"], ["#NUM!"]]


def test_direct_python_calls_keep_scalars():
    assert udfs.GD_WORKDAYS(dt.date(2026, 2, 13), dt.date(2026, 3, 2)) == 7.0
    assert udfs.GD_ADD_WORKDAYS(dt.datetime(2026, 2, 13), 1) == dt.datetime(2026, 2, 14)
    assert udfs.GD_SLACK(None, dt.date(2026, 3, 2)) is None
    assert udfs.GD_FLAG(dt.date(2026, 12, 15), dt.date(2026, 12, 18), 10, 0, dt.date(2026, 12, 1)) == \
        "WILL_BE_LATE 将延误"


def test_risk_of_open_lines_from_the_history_of_the_same_columns():
    """GD_RISK over whole columns: 16 lines of supplier A all late, 16 of B all on time, one open line
    each; the open A line is the riskier, shipped lines and a blank due date get no risk."""
    rows = []
    for supplier, late in (("A", True), ("B", False)):
        for k in range(16):
            due = dt.date(2026, 1, 5) + dt.timedelta(days=14 * k)
            ship = due + dt.timedelta(days=5 if late else -1)
            rows.append((supplier, "ACME", com_date(due.year, due.month, due.day),
                         com_date(ship.year, ship.month, ship.day)))
        rows.append((supplier, "ACME", com_date(2026, 12, 20), None))
    rows.append(("A", "ACME", None, None))
    got = call(udfs.GD_RISK, column(*(r[0] for r in rows)), column(*(r[1] for r in rows)),
               column(*(r[2] for r in rows)), column(*(r[3] for r in rows)), com_date(2026, 11, 26))
    risk = [r[0] for r in got]
    assert risk[16] > 0.5 > risk[33]
    assert all(r == "" for r in risk[:16] + risk[17:33] + risk[34:])


def test_risk_with_too_little_history_is_blank_and_errors_pass_through():
    assert call(udfs.GD_RISK, column("A", NA), "ACME", column(com_date(2026, 12, 1), com_date(2026, 12, 2)),
                None, com_date(2026, 11, 26)) == [[""], ["#N/A"]]


# --- the quote functions ------------------------------------------------------------------------

# the worked example: purchase ¥45.20 incl. VAT, VAT 13 %, refund 9 %, domestic ¥2.50, profit 8 %,
# bank fee 0.3 %, USD at 7.05; freight $0.40, insurance 0.3 %, commission 3 %, CIF; target CIFC3 $6.50
FOB_ARGS = (45.2, 0.13, 0.09, 2.5, 0.08, 0.003, 7.05)
TARGET_ARGS = (6.5, "CIF", 0.4, 0.003, 0.03, 2.5, 0.08, 0.003, 7.05, 0.13, 0.09)


def test_the_quote_functions_give_the_worked_example():
    [[fob]] = call(udfs.GD_FOB, *FOB_ARGS)
    [[cif]] = call(udfs.GD_CIF, fob, 0.4, 0.003)
    [[price]] = call(udfs.GD_QUOTE_PRICE, cif, 0.03)
    [[top]] = call(udfs.GD_MAX_PURCHASE, *TARGET_ARGS)
    assert (round(fob, 4), round(cif, 4), round(price, 4), round(top, 2)) == (6.8215, 7.2454, 7.4695, 38.62)


def test_rates_read_as_a_quotes_rates_do():
    """13%, 0.13 and 13 are all 13 %: typed as text with %, as a fraction (a cell formatted 13 %) or as
    a percent number."""
    [[fraction]] = call(udfs.GD_FOB, *FOB_ARGS)
    assert call(udfs.GD_FOB, 45.2, "13%", 9.0, 2.5, 8.0, "0.3%", 7.05) == [[fraction]]
    assert call(udfs.GD_CIF, 7.0, 0.4, 3.0) == call(udfs.GD_CIF, 7.0, 0.4, 0.03) == call(udfs.GD_CIF, 7.0, 0.4, "3%")
    assert call(udfs.GD_CIF, 7.0, 0.4, 0.3) != call(udfs.GD_CIF, 7.0, 0.4, "0.3%")   # 0.3 is 30 %


def test_the_quote_functions_are_the_pricing_of_the_quotations_table():
    """Same inputs, same figures to the last bit as gendan quote computes them, in every incoterm
    (FCA, CPT and CIP as their sea twins) and with blank rates taking the same defaults."""
    frame = pd.DataFrame({
        "currency": "USD", "incoterm": ["FOB", "CFR", "CIF", "FCA", "CPT", "CIP", "CIF"],
        "purchase_price": [45.2, 30.0, 12.5, 45.2, 30.0, 12.5, 88.0],
        "vat_rate": [0.13, None, 0.06, 0.13, None, 0.06, None], "refund_rate": [0.09, None, 0.13, 0.09, None, 0.13, 0.0],
        "domestic_cost": [2.5, 0.0, 1.2, 2.5, 0.0, 1.2, 3.0], "freight": [None, 0.3, 0.45, None, 0.3, 0.45, 1.1],
        "insurance_rate": [None, None, 0.003, None, None, 0.004, 0.005],
        "commission_rate": [0.03, None, 0.05, 0.03, None, 0.05, 0.02], "bank_fee_rate": [0.003, None, 0.01] * 2 + [0.0],
        "profit_rate": [0.08, 0.12, 0.1, 0.08, 0.12, 0.1, 0.25], "fx_rate": [7.05, 7.1, 7.8, 7.05, 7.1, 7.8, 0.92],
        "target_price": [6.5, 4.8, 2.1, 6.5, 4.8, 2.1, 130.0]})
    values = price_quotes(frame).values
    col = {name: column(*(None if pd.isna(v) else v for v in frame[name])) for name in frame}
    fob = call(udfs.GD_FOB, col["purchase_price"], col["vat_rate"], col["refund_rate"], col["domestic_cost"],
               col["profit_rate"], col["bank_fee_rate"], col["fx_rate"])
    assert [r[0] for r in fob] == values["fob"].tolist()
    cif = call(udfs.GD_CIF, fob, col["freight"], col["insurance_rate"])
    assert [r[0] for r in cif][2::3] == values["cif"].tolist()[2::3]              # the CIF and CIP rows
    net = column(*np.select([frame["incoterm"].isin(["CIF", "CIP"]), frame["incoterm"].isin(["CFR", "CPT"])],
                            [values["cif"], values["cfr"]], values["fob"]))
    assert [r[0] for r in call(udfs.GD_QUOTE_PRICE, net, col["commission_rate"])] == values["price"].tolist()
    top = call(udfs.GD_MAX_PURCHASE, col["target_price"], col["incoterm"], col["freight"], col["insurance_rate"],
               col["commission_rate"], col["domestic_cost"], col["profit_rate"], col["bank_fee_rate"], col["fx_rate"],
               col["vat_rate"], col["refund_rate"])
    assert [r[0] for r in top] == values["max_purchase_price"].tolist()


def test_blank_rates_take_the_settings_defaults_and_may_be_left_out():
    assert call(udfs.GD_FOB, 45.2, None, None, 2.5, 0.08, None, 7.05) == \
        call(udfs.GD_FOB, 45.2, Settings.vat_rate, Settings.refund_rate, 2.5, 0.08, Settings.bank_fee_rate, 7.05)
    assert call(udfs.GD_QUOTE_PRICE, 7.25, None) == [[7.25]] and udfs.GD_QUOTE_PRICE(7.25) == 7.25
    assert udfs.GD_MAX_PURCHASE(*TARGET_ARGS[:9]) == udfs.GD_MAX_PURCHASE(*TARGET_ARGS[:9], 0.13, 0.13)
    assert udfs.GD_MAX_PURCHASE(*TARGET_ARGS[:9]) != udfs.GD_MAX_PURCHASE(*TARGET_ARGS)   # refund 9 %, not 13 %


def test_ranges_in_ranges_out_with_a_result_or_an_error_per_cell():
    prices = column(45.2, None, "cheap", NA, -3.0, 45.2, 45.2)
    fx = column(7.05, 7.05, 7.05, 7.05, 7.05, 705.0, None)
    got = call(udfs.GD_FOB, prices, 0.13, 0.09, 2.5, 0.08, 0.003, fx)
    assert [round(r[0], 4) if isinstance(r[0], float) else r[0] for r in got] == [
        6.8215, "", "#VALUE!", "#N/A", "#NUM!", "#NUM!", "#VALUE!"]
    row = ((7.0, 7.2, None, 0.0),)
    assert call(udfs.GD_QUOTE_PRICE, row, column(0.0, "5%")) == [[7.0, 7.2, "", "#NUM!"],
                                                              [7.0 / 0.95, 7.2 / 0.95, "", "#NUM!"]]
    assert call(udfs.GD_CIF, column(7.0, 7.0), 0.4, column(0.003, 0.003, 0.003)) == [["#VALUE!"]]   # no broadcast
    terms = column("FOB", "CFR", "cip 运费和保险费付至", "CIF", "DDP", None)
    got = call(udfs.GD_MAX_PURCHASE, 6.5, terms, 0.4, 0.003, 0.03, 2.5, 0.08, 0.003, 7.05, 0.13, 0.09)
    assert [r[0] for r in got][2:] == [got[3][0], udfs.GD_MAX_PURCHASE(*TARGET_ARGS), "#VALUE!", "#VALUE!"]
    assert got[0][0] > got[1][0] > got[3][0]                                     # freight and insurance cost


# a bad argument: the function, the arguments, the error of the cell
BAD_QUOTE_INPUTS = [
    ("a rate of 100 %", udfs.GD_FOB, (45.2, 1.0, 0.09, 2.5, 0.08, 0.003, 7.05), "#NUM!"),
    ("a rate over 100 %", udfs.GD_FOB, (45.2, 0.13, "150%", 2.5, 0.08, 0.003, 7.05), "#NUM!"),
    ("a negative rate", udfs.GD_QUOTE_PRICE, (7.0, -0.03), "#NUM!"),
    ("profit + bank fee reach 100 %", udfs.GD_FOB, (45.2, 0.13, 0.09, 2.5, "99%", "1%", 7.05), "#NUM!"),
    ("a negative purchase price", udfs.GD_FOB, (-45.2, 0.13, 0.09, 2.5, 0.08, 0.003, 7.05), "#NUM!"),
    ("a purchase price of 0", udfs.GD_FOB, (0.0, 0.13, 0.09, 2.5, 0.08, 0.003, 7.05), "#NUM!"),
    ("a negative domestic cost", udfs.GD_FOB, (45.2, 0.13, 0.09, -2.5, 0.08, 0.003, 7.05), "#NUM!"),
    ("an fx rate per 100 units", udfs.GD_FOB, (45.2, 0.13, 0.09, 2.5, 0.08, 0.003, 705.0), "#NUM!"),
    ("an fx rate of 0", udfs.GD_FOB, (45.2, 0.13, 0.09, 2.5, 0.08, 0.003, 0.0), "#NUM!"),
    ("no fx rate", udfs.GD_FOB, (45.2, 0.13, 0.09, 2.5, 0.08, 0.003, None), "#VALUE!"),
    ("no domestic cost (0 when none)", udfs.GD_FOB, (45.2, 0.13, 0.09, None, 0.08, 0.003, 7.05), "#VALUE!"),
    ("no profit rate", udfs.GD_FOB, (45.2, 0.13, 0.09, 2.5, None, 0.003, 7.05), "#VALUE!"),
    ("a rate that is no number", udfs.GD_FOB, (45.2, "thirteen", 0.09, 2.5, 0.08, 0.003, 7.05), "#VALUE!"),
    ("a rate that is a date", udfs.GD_FOB, (45.2, com_date(2026, 1, 13), 0.09, 2.5, 0.08, 0.003, 7.05), "#VALUE!"),
    ("a rate that is TRUE", udfs.GD_QUOTE_PRICE, (7.0, True), "#VALUE!"),
    ("CIF without an insurance rate", udfs.GD_CIF, (6.8, 0.4, None), "#VALUE!"),
    ("CIF without freight", udfs.GD_CIF, (6.8, None, 0.003), "#VALUE!"),
    ("a negative freight", udfs.GD_CIF, (6.8, -0.4, 0.003), "#NUM!"),
    ("insurance × 110 % reaching 100 %", udfs.GD_CIF, (6.8, 0.4, "91%"), "#NUM!"),
    ("a negative fob", udfs.GD_CIF, (-6.8, 0.4, 0.003), "#NUM!"),
    ("an unknown incoterm", udfs.GD_MAX_PURCHASE, (6.5, "DAP", 0.4, 0.003, 0.03, 2.5, 0.08, 0.003, 7.05), "#VALUE!"),
    ("no incoterm", udfs.GD_MAX_PURCHASE, (6.5, None, 0.4, 0.003, 0.03, 2.5, 0.08, 0.003, 7.05), "#VALUE!"),
    ("CIP without an insurance rate", udfs.GD_MAX_PURCHASE, (6.5, "CIP", 0.4, None, 0.03, 2.5, 0.08, 0, 7.05),
     "#VALUE!"),
    ("CFR without freight", udfs.GD_MAX_PURCHASE, (6.5, "CFR", None, None, 0.03, 2.5, 0.08, 0.003, 7.05), "#VALUE!"),
    ("a target price of 0", udfs.GD_MAX_PURCHASE, (0.0, "FOB", None, None, 0.03, 2.5, 0.08, 0.003, 7.05), "#NUM!"),
    ("an fx rate per 100 units", udfs.GD_MAX_PURCHASE, (6.5, "FOB", None, None, 0, 2.5, 0.08, 0, 705.0), "#NUM!"),
    ("a cell error", udfs.GD_MAX_PURCHASE, (6.5, "FOB", None, None, 0, 2.5, NA, 0, 7.05), "#N/A"),
]


@pytest.mark.parametrize("what, function, args, error", BAD_QUOTE_INPUTS, ids=[b[0] for b in BAD_QUOTE_INPUTS])
def test_a_bad_quote_input_is_an_excel_error_in_its_cell(what, function, args, error):
    assert call(function, *args) == [[error]]


def test_a_blank_first_argument_is_a_blank_even_with_the_rest_missing_but_a_bad_cell_still_shows():
    assert call(udfs.GD_FOB, None, None, None, None, None, None, None) == [[""]]
    assert call(udfs.GD_MAX_PURCHASE, None, None, None, None, None, None, None, None, None) == [[""]]
    assert call(udfs.GD_CIF, None, None, None) == [[""]] and udfs.GD_CIF(None, None, None) is None
    assert call(udfs.GD_FOB, None, 0.13, 0.09, 2.5, 0.08, 0.003, NA) == [["#N/A"]]
    assert call(udfs.GD_QUOTE_PRICE, None, "100%") == [["#NUM!"]]


def test_a_target_too_low_at_any_purchase_price_is_a_negative_maximum():
    [[top]] = call(udfs.GD_MAX_PURCHASE, 0.35, "CIF", 0.4, 0.003, 0.03, 2.5, 0.08, 0.003, 7.05, 0.13, 0.09)
    assert top < 0


def test_cbm_rounds_a_carton_to_the_litre_halves_up_then_multiplies_the_cartons():
    assert call(udfs.GD_CBM, 45.0, 35.0, 25.0, 100.0) == [[3.9]]          # 0.039375 a carton prints 0.039
    assert call(udfs.GD_CBM, 60.0, 40.0, 30.0, None) == [[0.072]]          # blank: one carton
    assert call(udfs.GD_CBM, 10.0, 10.0, 5.0, 1.0) == [[0.001]]            # 0.0005: half a litre rounds up
    assert call(udfs.GD_CBM, 62.3, 41.7, 33.1, 7.0) == [[0.602]]           # 0.086 × 7, no float tail
    assert call(udfs.GD_CBM, 45.0, 35.0, 25.0, 0.0) == [[0.0]]
    assert call(udfs.GD_CBM, column(45.0, 60.0), 35.0, 25.0, column(100.0, 10.0)) == [[3.9], [0.53]]


BAD_CBM_INPUTS = [
    ("a blank width", (45.0, None, 25.0, 10.0), "#VALUE!"),
    ("a text height", (45.0, 35.0, "25cm", 10.0), "#VALUE!"),
    ("a date as a dimension", (com_date(2026, 1, 13), 35.0, 25.0, 10.0), "#VALUE!"),
    ("text cartons", (45.0, 35.0, 25.0, "ten"), "#VALUE!"),
    ("a dimension of 0", (45.0, 0.0, 25.0, 10.0), "#NUM!"),
    ("a negative dimension", (-45.0, 35.0, 25.0, 10.0), "#NUM!"),
    ("negative cartons", (45.0, 35.0, 25.0, -1.0), "#NUM!"),
    ("part of a carton", (45.0, 35.0, 25.0, 2.5), "#NUM!"),
    ("a cell error", (45.0, 35.0, NA, 10.0), "#N/A"),
]


@pytest.mark.parametrize("what, args, error", BAD_CBM_INPUTS, ids=[b[0] for b in BAD_CBM_INPUTS])
def test_a_bad_cbm_input_is_an_excel_error_in_its_cell(what, args, error):
    assert call(udfs.GD_CBM, *args) == [[error]]


def test_cbm_errors_stay_in_their_cells_and_a_blank_length_is_a_blank():
    got = call(udfs.GD_CBM, column(45.0, None, "x", 45.0), 35.0, 25.0, column(100.0, 5.0, 5.0, -1.0))
    assert got == [[3.9], [""], ["#VALUE!"], ["#NUM!"]]
    assert udfs.GD_CBM(None, None, None) is None
