"""分配 Allocation: how the lines of a style still to ship share a short supply (rules/allocation.py),
and ``gendan allocate`` writing the 分配 Allocation sheet."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pandas as pd
import pytest
import python_calamine
from hypothesis import given, strategies as st

from conftest import AS_OF, orders_frame
from gendan_xl import actions
from gendan_xl.cli import main
from gendan_xl.model import schema
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.model.statuses import Allocation
from gendan_xl.rules.allocation import Proposal, allocate, hamilton, lines_to_ship, read_qty, ready_qty
from gendan_xl.sheets.allocation_sheet import ALLOCATION_SHEET, allocation_sheet
from ooxml import assert_valid

CUSTOMERS = pd.DataFrame({"name": ["Nordic Home AB", "Brightline Apparel Inc.", "Maison Lumière SARL", "Pacific"],
                          "aliases": ["NH; Nordic Home", None, None, None],
                          "tier": ["A", "A", "b", None],
                          "allocation": [Allocation.PARTIAL.label, Allocation.ALL_OR_NOTHING.label, None,
                                         Allocation.ALL_OR_NOTHING.words]}, index=range(2, 6))


def _lines(*rows, customers=CUSTOMERS, style="ST-1", color=None, as_of=AS_OF, tolerance=0.0):
    """The lines of ``style`` to ship among ``rows`` (each an order line; style ST-1 unless given)."""
    orders = orders_frame([{"style": "ST-1", "status": "OPEN 进行中", **row} for row in rows])
    return lines_to_ship(orders, customers, style=style, color=color, as_of=as_of, tolerance_pct=tolerance)


def _shares(lines: pd.DataFrame, qty: int, fair: bool = False) -> list[int]:
    return allocate(lines, qty, fair=fair)["allocated"].tolist()


def test_fair_shares_50_over_10_20_50_are_6_13_31():
    assert hamilton(50, [10, 20, 50]) == [6, 13, 31]
    lines = _lines(*({"po_no": f"PO-{i}", "line": 1, "customer": "Nordic Home AB", "qty": q, "due_date": "2026-12-01"}
                     for i, q in enumerate((10, 20, 50), start=1)))
    out = allocate(lines, 50, fair=True)
    assert out["allocated"].tolist() == [6, 13, 31] and out["short"].tolist() == [4, 7, 19]
    assert out["fill"].tolist() == [0.6, 0.65, 0.62]


def test_a_remainder_tie_goes_to_the_earlier_due_date_then_the_po():
    rows = [{"po_no": "PO-2", "line": 1, "qty": 10, "due_date": "2026-12-01"},
            {"po_no": "PO-1", "line": 1, "qty": 10, "due_date": "2026-12-05"},
            {"po_no": "PO-3", "line": 1, "qty": 10, "due_date": "2026-12-01"}]
    out = allocate(_lines(*rows, customers=None), 5, fair=True)
    assert list(zip(out["po_no"], out["allocated"])) == [("PO-2", 2), ("PO-3", 2), ("PO-1", 1)]


def test_tiers_come_first_then_due_date_then_po_and_line_untiered_last():
    rows = [{"po_no": "PO-9", "line": 1, "customer": "Pacific", "qty": 10, "due_date": "2026-11-01"},
            {"po_no": "PO-5", "line": 2, "customer": "maison lumiere sarl", "qty": 10, "due_date": "2026-11-02"},
            {"po_no": "PO-5", "line": 10, "customer": "NH", "qty": 10, "due_date": "2026-12-20"},   # by alias: tier A
            {"po_no": "PO-5", "line": 9, "customer": "Nordic Home AB", "qty": 10, "due_date": "2026-12-20"},
            {"po_no": "PO-7", "line": 1, "customer": "Nobody", "qty": 10, "due_date": "2026-10-01"}]
    lines = _lines(*rows)
    assert list(zip(lines["po_no"], lines["line"], lines["tier"])) == [
        ("PO-5", 9, "A"), ("PO-5", 10, "A"), ("PO-5", 2, "B"), ("PO-7", 1, None), ("PO-9", 1, None)]
    assert _shares(lines, 25) == [10, 10, 5, 0, 0]
    assert _shares(lines, 25, fair=True) == [10, 10, 5, 0, 0]   # tier A whole; B takes what is left


def test_an_all_or_nothing_line_that_does_not_fit_gets_none_and_the_units_pass_on():
    rows = [{"po_no": "PO-1", "line": 1, "customer": "Nordic Home AB", "qty": 10, "due_date": "2026-12-01"},
            {"po_no": "PO-2", "line": 1, "customer": "Brightline Apparel Inc.", "qty": 30, "due_date": "2026-12-02"},
            {"po_no": "PO-3", "line": 1, "customer": "Nordic Home AB", "qty": 20, "due_date": "2026-12-03"},
            {"po_no": "PO-4", "line": 1, "customer": "Brightline Apparel Inc.", "qty": 5, "due_date": "2026-12-04"}]
    lines = _lines(*rows)
    assert lines["allocation"].tolist() == [Allocation.PARTIAL, Allocation.ALL_OR_NOTHING, Allocation.PARTIAL,
                                            Allocation.ALL_OR_NOTHING]
    assert _shares(lines, 30) == [10, 0, 20, 0]          # 30 does not fit in the 20 left: passed on
    assert _shares(lines, 35) == [10, 0, 20, 5]          # the later whole line fits in what is left
    assert _shares(lines, 45) == [10, 30, 5, 0]
    # fair: the all-or-nothing lines short of their whole qty drop out, the others share again
    assert _shares(lines, 30, fair=True) == [10, 0, 20, 0]
    assert _shares(lines, 40, fair=True) == [10, 0, 20, 5]   # what the others leave goes to a dropped line that fits


def test_fair_units_an_all_or_nothing_line_cannot_take_go_to_the_next_tier():
    rows = [{"po_no": "PO-1", "line": 1, "customer": "Brightline Apparel Inc.", "qty": 10, "due_date": "2026-12-01"},
            {"po_no": "PO-2", "line": 1, "customer": "Nordic Home AB", "qty": 20, "due_date": "2026-12-02"},
            {"po_no": "PO-3", "line": 1, "customer": "Nordic Home AB", "qty": 50, "due_date": "2026-12-03"},
            {"po_no": "PO-4", "line": 1, "customer": "Maison Lumière SARL", "qty": 40, "due_date": "2026-11-01"}]
    assert _shares(_lines(*rows), 50, fair=True) == [0, 14, 36, 0]    # 50 over 20/50 once the 10 drops out
    assert _shares(_lines(*rows), 75, fair=True) == [0, 20, 50, 5]    # 5 left: too few for the 10, on to tier B
    assert _shares(_lines(*rows), 80, fair=True) == [10, 20, 50, 0]   # enough for the whole tier


def test_lines_to_ship_leave_out_cancelled_shipped_and_other_styles_and_colours():
    rows = [{"po_no": "PO-1", "line": 1, "qty": 100, "shipped_qty": 40, "ship_date": "2026-11-20", "color": "Red"},
            {"po_no": "PO-2", "line": 1, "qty": 100, "shipped_qty": 100, "ship_date": "2026-11-20", "color": "Red"},
            {"po_no": "PO-3", "line": 1, "qty": 100, "status": "CANCELLED 已取消", "color": "Red"},
            {"po_no": "PO-4", "line": 1, "qty": 100, "style": "ST-2", "color": "Red"},
            {"po_no": "PO-5", "line": 1, "qty": 100, "color": "Blue"},
            {"po_no": "PO-6", "line": 1, "qty": 100, "shipped_qty": 100, "ship_date": "2026-12-20", "color": "red"},
            {"po_no": "PO-7", "line": 1, "qty": 100, "shipped_qty": 98, "ship_date": "2026-11-20", "color": "Red"},
            {"po_no": "PO-8", "line": 1, "color": "Red"}]                            # no qty: nothing to share
    lines = _lines(*rows, style=" st-1 ", color="RED", tolerance=3.0)
    # PO-6 shipped after the as-of date: not shipped then; PO-7 within the 3 % tolerance: shipped in full
    assert dict(zip(lines["po_no"], lines["open_qty"])) == {"PO-1": 60, "PO-6": 100}
    assert _lines(*rows, style="ST-1")["po_no"].tolist() == ["PO-1", "PO-5", "PO-6", "PO-7"]   # no tolerance: 2 open


def test_n_defaults_to_the_units_produced_and_not_yet_shipped():
    rows = [{"po_no": "PO-1", "line": 1, "qty": 100, "produced_qty": 100, "shipped_qty": 30, "ship_date": "2026-11-20"},
            {"po_no": "PO-2", "line": 1, "qty": 100, "produced_qty": 20, "shipped_qty": 40, "ship_date": "2026-11-20"},
            {"po_no": "PO-3", "line": 1, "qty": 100},                                     # nothing produced
            {"po_no": "PO-4", "line": 1, "qty": 100, "produced_qty": 55, "shipped_qty": 50,
             "ship_date": "2026-12-20"}]                                                  # shipped after the as-of date
    assert ready_qty(_lines(*rows)) == 70 + 0 + 0 + 55


@pytest.mark.parametrize("text, qty", [("0", 0), ("500", 500), (" 1,000 ", 1000), (12, 12), (3.0, 3)])
def test_n_is_a_whole_number_of_units(text, qty):
    assert read_qty(text) == qty


@pytest.mark.parametrize("text", ["-1", "abc", "1.5", "", "nan", "inf", True])
def test_n_not_a_whole_number_of_units_is_a_bilingual_error(text):
    with pytest.raises(GendanError, match="--qty 须为不小于 0 的整数 --qty must be a whole number") as caught:
        read_qty(text)
    assert caught.value.code is ErrorCode.BAD_OPTION


def test_an_unknown_style_a_colour_it_lacks_and_nothing_to_ship_are_bilingual_errors():
    rows = [{"po_no": "PO-1", "line": 1, "qty": 100, "color": "Red"},
            {"po_no": "PO-2", "line": 1, "qty": 100, "shipped_qty": 100, "ship_date": "2026-11-01", "style": "ST-2"}]
    with pytest.raises(GendanError, match="找不到款号 no order line has this style") as caught:
        _lines(*rows, style="ST-9")
    assert caught.value.code is ErrorCode.UNKNOWN_STYLE and caught.value.value == "ST-9"
    with pytest.raises(GendanError, match="没有此颜色 .* has this colour.*expected one of Red") as caught:
        _lines(*rows, color="Blue")
    assert caught.value.code is ErrorCode.UNKNOWN_STYLE
    with pytest.raises(GendanError, match="没有待出货的订单行 no order line of it is left to ship") as caught:
        _lines(*rows, style="ST-2")
    assert caught.value.code is ErrorCode.NOTHING_TO_SHIP
    with pytest.raises(GendanError, match="--style 不能为空") as caught:
        _lines(*rows, style=" ")
    assert caught.value.code is ErrorCode.BAD_OPTION


_LINE = st.fixed_dictionaries({"qty": st.integers(1, 500), "shipped_qty": st.integers(0, 500),
                               "due": st.one_of(st.none(), st.integers(0, 40)), "line": st.integers(1, 4)})


def _random_lines(drawn: list[dict], customers) -> pd.DataFrame:
    rows = [{"po_no": f"PO-{i % 5}", "line": d["line"] + 10 * i, "customer": ("Nordic Home AB", "Maison Lumière SARL",
             "Pacific", "Nobody")[i % 4], "qty": d["qty"], "shipped_qty": min(d["shipped_qty"], d["qty"] - 1),
             "ship_date": "2026-11-01", "due_date": None if d["due"] is None else AS_OF + dt.timedelta(d["due"])}
            for i, d in enumerate(drawn)]
    return _lines(*rows, customers=customers)


@given(st.lists(_LINE, min_size=1, max_size=12), st.integers(0, 3000))
def test_without_tiers_or_fair_the_lines_are_filled_in_due_date_order(drawn, qty):
    lines = _random_lines(drawn, customers=None)
    out = allocate(lines, qty, fair=False)
    assert (out["allocated"] >= 0).all() and (out["allocated"] <= out["open_qty"]).all()
    assert out["allocated"].sum() == min(qty, out["open_qty"].sum())
    due = out["due_date"].map(lambda d: float("inf") if pd.isna(d) else d.toordinal())   # blank: last
    for i in range(len(out)):   # a line gets something only when every line due before it is full
        earlier = due < due.iloc[i]
        if out["allocated"].iloc[i] > 0:
            assert (out["allocated"][earlier] == out["open_qty"][earlier]).all()


@given(st.lists(_LINE, min_size=1, max_size=12), st.integers(0, 3000))
def test_fair_shares_never_exceed_the_open_qty_and_stay_within_a_unit_of_the_proportion(drawn, qty):
    lines = _random_lines(drawn, customers=CUSTOMERS.assign(allocation=None))
    out = allocate(lines, qty, fair=True)
    assert (out["allocated"] >= 0).all() and (out["allocated"] <= out["open_qty"]).all()
    assert out["allocated"].sum() == min(qty, out["open_qty"].sum())
    for _, tier in out.groupby(out["tier"].fillna(""), sort=False):
        part, demand = tier["allocated"].sum(), tier["open_qty"].sum()
        assert ((tier["allocated"] - part * tier["open_qty"] / demand).abs() < 1).all()


def test_n_beyond_the_open_qty_fills_every_line_and_the_rest_is_not_allocated():
    lines = _lines({"po_no": "PO-1", "line": 1, "qty": 30}, {"po_no": "PO-2", "line": 1, "qty": 50})
    for fair in (False, True):
        proposal = Proposal(style="ST-1", color=None, qty=200, qty_given=True, fair=fair,
                            lines=allocate(lines, 200, fair=fair))
        assert proposal.lines["allocated"].tolist() == [30, 50]
        assert proposal.totals == {"open_qty": 80, "allocated": 80, "short": 0, "unallocated": 120, "fill": 1.0}
        assert "未分配 Not allocated: 120" in allocation_sheet(proposal, AS_OF).cells[(4 + 2 + 3, 1)][0]


def test_the_sheet_names_style_colour_n_and_rule_and_totals_the_lines():
    rows = [{"po_no": f"PO-{i}", "line": 1, "customer": "Nordic Home AB", "qty": q, "due_date": "2026-12-01",
             "color": "Red"} for i, q in enumerate((10, 20, 50), start=1)]
    lines = _lines(*rows, color="red")
    spec = allocation_sheet(Proposal(style="ST-1", color="red", qty=50, qty_given=True, fair=True,
                                     lines=allocate(lines, 50, fair=True)), AS_OF)
    title = spec.cells[(1, 1)][0]
    assert "ST-1" in title and "red" in title and "N = 50" in title and "fair" in spec.cells[(2, 1)][0]
    assert [spec.cells[(4, c)][0] for c in range(1, len(schema.ALLOCATION.fields) + 1)] == [
        f.header for f in schema.ALLOCATION.fields]
    assert spec.print_title_rows == (4, 4)


# -- gendan allocate on a master file ----------------------------------------------------------------------------

ORDERS_CSV = (
    "po_no,line,customer,style,color,qty,produced_qty,shipped_qty,ship_date,due_date,status\n"
    "PO-1,1,Pacific Outdoor LLC,ST-1,Red,10,10,,,2026-12-01,OPEN\n"
    "PO-2,1,Nordic Home,ST-1,Red,20,20,,,2026-12-20,OPEN\n"           # the customer by its alias: tier A
    "PO-3,1,Hanse Handel GmbH,ST-1,Red,50,30,,,2026-12-10,OPEN\n"
    "PO-4,1,Hanse Handel GmbH,ST-1,Blue,40,40,40,2026-11-10,2026-11-20,SHIPPED\n"
    "PO-5,1,Hanse Handel GmbH,ST-2,Red,40,0,,,2026-12-10,CANCELLED\n")
CUSTOMERS_CSV = ("name,aliases,tier,allocation\nNordic Home AB,Nordic Home,A,PARTIAL\n"
                 "Pacific Outdoor LLC,,B,ALL_OR_NOTHING\nHanse Handel GmbH,,B,PARTIAL\n")


@pytest.fixture
def master(tmp_path):
    path = tmp_path / "master.xlsx"
    actions.new_master(path)
    (tmp_path / "orders.csv").write_text(ORDERS_CSV, encoding="utf-8")
    (tmp_path / "customers.csv").write_text(CUSTOMERS_CSV, encoding="utf-8")
    actions.load_orders(path, tmp_path / "orders.csv", as_of=AS_OF)
    actions.load_table(path, tmp_path / "customers.csv", schema.CUSTOMERS, as_of=AS_OF)
    return path


def test_gendan_allocate_json_and_the_sheet_read_back(master, tmp_path, capsys):
    assert main(["allocate", str(master), "--style", "st-1", "--color", "red", "--json", "--as-of", "2026-11-26"]) == 0
    out = json.loads(capsys.readouterr().out)
    # N: 20 + 10 + 30 produced, nothing shipped; tier A first, then B by due date: PO-1 (all or nothing) fits
    assert (out["qty"], out["qty_from"], out["rule"], out["style"], out["color"]) == (60, "produced", "in_order",
                                                                                      "ST-1", "Red")   # as written
    assert out["lines"] == [
        {"po_no": "PO-2", "line": "1", "customer": "Nordic Home", "open_qty": 20, "allocated": 20, "short": 0},
        {"po_no": "PO-1", "line": "1", "customer": "Pacific Outdoor LLC", "open_qty": 10, "allocated": 10, "short": 0},
        {"po_no": "PO-3", "line": "1", "customer": "Hanse Handel GmbH", "open_qty": 50, "allocated": 30, "short": 20}]
    assert out["totals"] == {"open_qty": 80, "allocated": 60, "short": 20, "unallocated": 0, "fill": 0.75}
    assert out["sheet"] == ALLOCATION_SHEET and out["backup"]
    header = [f.header for f in schema.ALLOCATION.fields]
    rows = list(openpyxl.load_workbook(master, read_only=True)[ALLOCATION_SHEET].iter_rows(values_only=True))
    assert "ST-1" in rows[0][0] and "N = 60" in rows[0][0] and list(rows[3][:len(header)]) == header
    assert [(r[0], r[3], r[4], r[7], r[8], r[9], r[10]) for r in rows[4:7]] == [
        ("PO-2", "A", Allocation.PARTIAL.label, 20, 20, 0, 1),
        ("PO-1", "B", Allocation.ALL_OR_NOTHING.label, 10, 10, 0, 1),
        ("PO-3", "B", Allocation.PARTIAL.label, 50, 30, 20, 0.6)]
    assert rows[7][0] == "合计 Total" and rows[7][7:11] == (80, 60, 20, 0.75)
    shown = python_calamine.CalamineWorkbook.from_path(str(master)).get_sheet_by_name(ALLOCATION_SHEET).to_python()
    assert shown[3][:len(header)] == header and [r[8] for r in shown[4:7]] == [20, 10, 30]
    assert_valid(master)


def test_gendan_allocate_fair_with_n_given_replaces_the_sheet(master, capsys):
    assert main(["allocate", str(master), "--style", "ST-1", "--qty", "25", "--fair", "--as-of", "2026-11-26"]) == 0
    text = capsys.readouterr().out
    assert "N = 25 (指定 given)" in text and "按比例 fair shares" in text and "已保存 saved" in text
    rows = list(openpyxl.load_workbook(master, read_only=True)[ALLOCATION_SHEET].iter_rows(values_only=True))
    # tier A takes 20 whole; tier B shares 5: the all-or-nothing 10 drops out, the 50 takes the 5
    assert [(r[0], r[8]) for r in rows[4:7]] == [("PO-2", 20), ("PO-1", 0), ("PO-3", 5)]
    assert "fair" in rows[1][0] and openpyxl.load_workbook(master).sheetnames.count(ALLOCATION_SHEET) == 1


@pytest.mark.parametrize("args, code, message", [
    (["--style", "ST-9"], "UNKNOWN_STYLE", "找不到款号 no order line has this style"),
    (["--style", "ST-1", "--color", "Green"], "UNKNOWN_STYLE", "expected one of Blue, Red"),
    (["--style", "ST-2"], "NOTHING_TO_SHIP", "没有待出货的订单行 no order line of it is left to ship"),
    (["--style", "ST-1", "--qty", "-5"], "BAD_OPTION", "--qty must be a whole number"),
    (["--style", "ST-1", "--qty", "lots"], "BAD_OPTION", "--qty 须为不小于 0 的整数"),
])
def test_gendan_allocate_bad_input_exits_1_with_a_bilingual_message_and_writes_nothing(master, capsys, args, code,
                                                                                         message):
    before = master.read_bytes()
    assert main(["allocate", str(master), *args, "--json"]) == 1
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert out["ok"] is False and out["code"] == code and message in out["error"] and message in captured.err
    assert master.read_bytes() == before


def test_gendan_allocate_without_a_style_is_a_usage_error(master, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["allocate", str(master)])
    assert caught.value.code == 2 and "--style" in capsys.readouterr().err


def test_the_allocation_sheet_prints_without_overlaps(master, tmp_path):
    from printed import check_sheet
    actions.allocate(master, style="ST-1", qty="55", fair=True, as_of=AS_OF)
    check_sheet(master, ALLOCATION_SHEET, tmp_path)
