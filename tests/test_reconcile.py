"""Reconciliation core: our lines, the key cascade, statuses, suggestions, currency and totals."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gendan_xl.rules import suggest
from gendan_xl.demo.build import SUPPLIERS, demo_frames
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.rules.parties import party_names
from gendan_xl.model.statuses import DIFFERENCES, REVIEW_ORDER, ReconStatus
from gendan_xl.rules.reconcile import LINE_COLUMNS, basis_label, our_lines, reconcile, statement_period

AS_OF = dt.date(2026, 11, 26)
PARTY = "宁波华美服饰有限公司 Ningbo Huamei Garments"


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    """30 realistic order lines, all from one supplier, shipped in November 2026, Excel rows 2.."""
    _, lines = demo_frames(30, seed=5, as_of=AS_OF)
    days = pd.to_timedelta(np.arange(len(lines)) % 25, unit="D")
    lines = lines.assign(supplier=PARTY, ship_date=pd.Timestamp("2026-11-02") + days, shipped_qty=lines["qty"])
    lines.index = lines.index + 2
    return lines


@pytest.fixture(scope="module")
def ours(orders) -> pd.DataFrame:
    return our_lines(orders, PARTY, "2026-11")


def statement(lines: pd.DataFrame, first_row: int = 5) -> pd.DataFrame:
    """A clean statement listing exactly ``lines`` (as cleaned by an importer), rows from ``first_row``."""
    out = lines[["po_no", "line", "style", "color", "ship_date", "qty", "price", "currency"]]
    out = out.rename(columns={"ship_date": "date"}).reset_index(drop=True)
    return out.assign(amount=(out["qty"] * out["price"]).round(2), _row=range(first_row, first_row + len(out)))


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def by_our_row(result, row) -> pd.Series:
    hit = result.lines[result.lines["our_row"] == row]
    assert len(hit) == 1
    return hit.iloc[0]


def by_their_row(result, row) -> pd.Series:
    hit = result.lines[result.lines["their_row"] == row]
    assert len(hit) == 1
    return hit.iloc[0]


# --- planted differences ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def planted(ours):
    """A statement built from ``ours`` with one known edit per kind; returns (statement, rows)."""
    theirs = statement(ours)
    rows = dict(zip(("price", "qty", "removed", "duplicated", "po_spaced", "po_wide", "po_zeros",
                     "off_004", "off_02", "qty_and_price", "near_miss"), ours["_row"]))
    i = {name: k for k, name in enumerate(rows)}
    theirs.loc[i["price"], "price"] += 0.10
    theirs.loc[i["qty"], "qty"] -= 50
    theirs.loc[i["qty_and_price"], "qty"] += 100
    theirs.loc[i["qty_and_price"], "price"] += 0.5
    for k in (i["price"], i["qty"], i["qty_and_price"]):
        theirs.loc[k, "amount"] = round(theirs.loc[k, "qty"] * theirs.loc[k, "price"], 2)
    po = theirs["po_no"]
    theirs.loc[i["po_spaced"], "po_no"] = po[i["po_spaced"]].replace("PO-", "po ")
    theirs.loc[i["po_wide"], "po_no"] = full_width(po[i["po_wide"]].replace("-", ""))
    theirs.loc[i["po_zeros"], "po_no"] = po[i["po_zeros"]].replace("PO-", "PO-00")
    theirs.loc[i["off_004"], "amount"] += 0.004
    theirs.loc[i["off_02"], "amount"] += 0.02
    assert not set(ours["po_no"].str.replace("PO-26", "PO-28")) & set(ours["po_no"])
    theirs.loc[i["near_miss"], "po_no"] = po[i["near_miss"]].replace("PO-26", "PO-28")
    theirs.loc[i["near_miss"], "_row"] = 90
    added = theirs.iloc[[0]].assign(po_no="PO-269999", line=1, style="ZZ0001", color="Navy 藏青", qty=300,
                                    price=2.5, amount=750.0, _row=91)
    duplicate = theirs.iloc[[i["duplicated"]]].assign(_row=92)
    theirs = pd.concat([theirs.drop(index=i["removed"]), added, duplicate], ignore_index=True)
    return theirs, rows


def test_planted_differences_get_exactly_the_expected_statuses(ours, planted):
    theirs, rows = planted
    result = reconcile(ours, theirs)
    expected = dict.fromkeys(ours["_row"], "MATCHED") | {
        rows["price"]: "PRICE_DIFF", rows["qty"]: "QTY_DIFF", rows["removed"]: "ONLY_OURS",
        rows["off_02"]: "AMOUNT_DIFF", rows["qty_and_price"]: "QTY_DIFF", rows["near_miss"]: "ONLY_OURS"}
    ours_side = result.lines.dropna(subset=["our_row"])
    assert dict(zip(ours_side["our_row"], ours_side["status"])) == expected
    only_theirs = result.lines[result.lines["our_row"].isna()]
    assert dict(zip(only_theirs["their_row"], only_theirs["status"])) == {
        90: "ONLY_THEIRS", 91: "ONLY_THEIRS", 92: "DUPLICATE"}
    assert result.counts == {"MATCHED": 24, "QTY_DIFF": 2, "PRICE_DIFF": 1, "AMOUNT_DIFF": 1,
                             "ONLY_OURS": 2, "ONLY_THEIRS": 2, "DUPLICATE": 1}
    assert len(result.lines) == 33
    assert list(result.lines.columns) == list(LINE_COLUMNS)


def test_planted_differences_totals(ours, planted):
    theirs, rows = planted
    result = reconcile(ours, theirs)
    amount = dict(zip(ours["_row"], ours["amount"]))
    qty = dict(zip(ours["_row"], ours["qty"]))
    price = dict(zip(ours["_row"], ours["price"]))
    assert result.totals["ours"] == pytest.approx(ours["amount"].sum(), abs=1e-6)
    assert result.totals["theirs"] == pytest.approx(theirs["amount"].sum(), abs=1e-6)
    assert result.totals["difference"] == pytest.approx(theirs["amount"].sum() - ours["amount"].sum(), abs=1e-6)
    by_status = result.difference_by_status
    assert by_status["PRICE_DIFF"] == pytest.approx(qty[rows["price"]] * 0.10, abs=1e-6)
    both = (qty[rows["qty_and_price"]] + 100) * (price[rows["qty_and_price"]] + 0.5) - amount[rows["qty_and_price"]]
    assert by_status["QTY_DIFF"] == pytest.approx(-50 * price[rows["qty"]] + both, abs=1e-6)
    assert by_status["AMOUNT_DIFF"] == pytest.approx(0.02, abs=1e-6)
    assert by_status["MATCHED"] == pytest.approx(0.004, abs=1e-6)
    assert by_status["ONLY_OURS"] == pytest.approx(-amount[rows["removed"]] - amount[rows["near_miss"]], abs=1e-6)
    assert by_status["ONLY_THEIRS"] == pytest.approx(750 + amount[rows["near_miss"]], abs=1e-6)
    assert by_status["DUPLICATE"] == pytest.approx(amount[rows["duplicated"]], abs=1e-6)
    assert math.fsum(by_status.values()) == pytest.approx(result.totals["difference"], abs=1e-6)
    edited = {rows[k] for k in ("price", "qty", "removed", "off_02", "qty_and_price", "near_miss")}
    matched = [r for r in ours["_row"] if r not in edited]
    assert result.matched_total == pytest.approx(sum(amount[r] for r in matched), abs=1e-6)


def test_planted_difference_details(ours, planted):
    theirs, rows = planted
    result = reconcile(ours, theirs)
    line = by_our_row(result, rows["qty_and_price"])
    assert line["qty_diff"] == 100 and line["price_diff"] == pytest.approx(0.5)
    assert "price differs too" in line["note"] and "单价亦不符" in line["note"]
    assert by_our_row(result, rows["qty"])["qty_diff"] == -50
    assert by_our_row(result, rows["price"])["price_diff"] == pytest.approx(0.10)
    assert by_our_row(result, rows["off_004"])["amount_diff"] == pytest.approx(0.004)
    assert by_our_row(result, rows["off_02"])["amount_diff"] == pytest.approx(0.02)
    for name in ("po_spaced", "po_wide", "po_zeros"):
        assert by_our_row(result, rows[name])["matched_on"] == "po_no+style+color"
    wide = by_our_row(result, rows["po_wide"])
    assert wide["their_key"].startswith("ＰＯ２６") and wide["our_key"].startswith("PO-26")
    dup = by_their_row(result, 92)
    assert dup["label"] == "DUPLICATE 重复" and "repeats statement row" in dup["note"]
    removed = by_our_row(result, rows["removed"])
    assert removed["their_qty"] != removed["their_qty"] and removed["qty_diff"] == -removed["our_qty"]


def test_near_miss_key_is_suggested_never_matched(ours, planted):
    theirs, rows = planted
    result = reconcile(ours, theirs)
    ours_line, their_line = by_our_row(result, rows["near_miss"]), by_their_row(result, 90)
    assert ours_line["status"] == "ONLY_OURS" and their_line["status"] == "ONLY_THEIRS"
    assert ours_line["suggestion"] == their_line["their_key"] and ours_line["suggestion_row"] == 90
    assert their_line["suggestion"] == ours_line["our_key"] and their_line["suggestion_row"] == rows["near_miss"]
    assert 80 <= ours_line["score"] < 100 and their_line["score"] == ours_line["score"]
    assert pd.isna(by_their_row(result, 91)["suggestion"])  # a new PO and style: nothing alike


def test_suggestions_skipped_with_a_note_when_too_many(ours, planted, monkeypatch):
    monkeypatch.setattr(suggest, "MAX_PAIRS", 1)
    result = reconcile(ours, planted[0])
    lone = result.lines[result.lines["status"].isin(["ONLY_OURS", "ONLY_THEIRS"])]
    assert lone["suggestion"].isna().all() and lone["note"].str.contains("too many unmatched").all()


# --- currency ------------------------------------------------------------------------------

def test_statement_in_another_currency_is_reported_not_converted(ours):
    theirs = statement(ours).assign(currency="RMB")
    result = reconcile(ours, theirs)
    assert result.currency_mismatch and result.currency == "CNY" and result.our_currency == "USD"
    assert result.totals["theirs"] == pytest.approx(theirs["amount"].sum())
    assert result.lines["note"].str.contains("币种 CNY ≠ 我方 USD").all()
    assert set(result.lines["status"]) == {"MATCHED"}


def test_statement_currency_from_the_argument(ours):
    theirs = statement(ours).drop(columns="currency")
    assert not reconcile(ours, theirs).currency_mismatch
    result = reconcile(ours, theirs, currency="eur")
    assert result.currency_mismatch and result.currency == "EUR"
    assert reconcile(ours, theirs.assign(currency="USD"), currency="EUR").currency == "USD"


def test_same_currency_no_notes(ours):
    result = reconcile(ours, statement(ours))
    assert not result.currency_mismatch and result.currency == "USD"
    assert (result.lines["note"] == "").all()
    assert result.counts == dict.fromkeys(ReconStatus, 0) | {"MATCHED": len(ours)}


# --- the cascade ---------------------------------------------------------------------------

def frame(rows, columns):
    return pd.DataFrame(rows, columns=columns)


def test_statement_with_po_and_style_only(ours):
    theirs = statement(ours).drop(columns=["line", "color"])
    result = reconcile(ours, theirs)
    assert result.counts["MATCHED"] == len(ours)
    assert set(result.lines["matched_on"]) == {"po_no+style"}


def test_statement_with_po_only():
    ours = frame([("PO-1", "A", 10, 1.0, 10.0), ("PO-2", "B", 5, 2.0, 10.0), ("PO-2", "C", 5, 2.0, 10.0),
                  ("PO-2", "D", 6, 2.0, 12.0), ("PO-3", "E", 1, 1.0, 1.0), ("PO-3", "F", 2, 1.0, 2.0)],
                 ["po_no", "style", "qty", "price", "amount"])
    theirs = frame([("po1", 11, 11.0), ("po2", 5, 10.0), ("po2", 5, 10.0), ("po2", 7, 14.0),
                    ("po3", 3, 3.0), ("po3", 4, 4.0)], ["po_no", "qty", "amount"])
    result = reconcile(ours, theirs)
    assert [by_our_row(result, k)["matched_on"] for k in range(4)] == [
        "po_no", "po_no+qty+amount", "po_no+qty+amount", "po_no"]
    assert [by_our_row(result, k)["status"] for k in range(4)] == ["QTY_DIFF", "MATCHED", "MATCHED", "QTY_DIFF"]
    assert result.counts["ONLY_OURS"] == 2 and result.counts["ONLY_THEIRS"] == 2  # PO-3 is ambiguous
    assert result.counts["DUPLICATE"] == 0  # our side has the same two lines


def test_delivery_note_pairs_before_quantities():
    cols = ["delivery_no", "po_no", "line", "qty", "price", "amount"]
    ours = frame([("DN-001", "PO-7", 1, 100, 1.0, 100.0), ("DN-002", "PO-7", 1, 200, 1.0, 200.0)], cols)
    theirs = frame([("dn 1", "PO-7", 1, 200, 1.0, 200.0), ("DN0002", "PO-7", 1, 100, 1.0, 100.0)], cols)
    result = reconcile(ours, theirs)
    assert list(result.lines["status"]) == ["QTY_DIFF", "QTY_DIFF"]
    assert set(result.lines["matched_on"]) == {"delivery_no+po_no+line"}
    without = reconcile(ours.drop(columns="delivery_no"), theirs.drop(columns="delivery_no"))
    assert list(without.lines["status"]) == ["MATCHED", "MATCHED"]  # repeated keys pair like with like


def test_identical_lines_on_both_sides_are_not_duplicates():
    cols = ["po_no", "style", "qty", "price", "amount"]
    ours = frame([("PO-1", "A", 10, 1.0, 10.0), ("PO-1", "A", 10, 1.0, 10.0)], cols)
    theirs = frame([("PO-1", "A", 10, 1.0, 10.0)] * 3, cols)
    result = reconcile(ours, theirs)
    assert result.counts["MATCHED"] == 2 and result.counts["DUPLICATE"] == 1


def test_tolerances_are_inclusive():
    cols = ["po_no", "qty", "price", "amount"]
    ours = frame([("1", 100, 1.0, 100.0), ("2", 100, 1.0, 100.0), ("3", 100, 1.0, 100.0)], cols)
    theirs = frame([("1", 100, 1.0, 100.01), ("2", 105, 1.0, 105.0), ("3", 100, 1.0001, 100.01)], cols)
    assert [*reconcile(ours, theirs).lines["status"]] == ["MATCHED", "QTY_DIFF", "MATCHED"]
    loose = reconcile(ours, theirs, qty_tolerance=5, amount_tolerance=0.005)
    assert [*loose.lines["status"]] == ["AMOUNT_DIFF", "AMOUNT_DIFF", "PRICE_DIFF"]
    assert "price differs, amount within tolerance" in reconcile(ours, theirs).lines["note"].iloc[2]


def test_blank_qty_is_not_compared_and_amount_comes_from_qty_and_price():
    ours = frame([("PO-1", 10, 2.0, 20.0), ("PO-2", 10, 2.0, 20.0)], ["po_no", "qty", "price", "amount"])
    theirs = frame([("PO-1", None, 2.0, 20.0), ("PO-2", 10, 2.5, None)], ["po_no", "qty", "price", "amount"])
    result = reconcile(ours, theirs)
    assert [*result.lines["status"]] == ["MATCHED", "PRICE_DIFF"]
    assert "qty blank on one side" in result.lines["note"].iloc[0]
    assert result.lines["their_amount"].iloc[1] == 25.0


def test_missing_columns_raise():
    ours = frame([("PO-1", 10, 2.0, 20.0)], ["po_no", "qty", "price", "amount"])
    for theirs in (frame([(10, 20.0)], ["qty", "amount"]), frame([("PO-1", 10)], ["po_no", "qty"])):
        with pytest.raises(GendanError) as err:
            reconcile(ours, theirs)
        assert err.value.code is ErrorCode.COLUMN_MISSING


def test_empty_sides_give_every_status_count(ours):
    empty = statement(ours).iloc[:0]
    result = reconcile(ours.iloc[:0], empty)
    assert result.counts == dict.fromkeys(ReconStatus, 0)
    assert result.totals == {"ours": 0.0, "theirs": 0.0, "difference": 0.0}
    assert list(result.lines.columns) == list(LINE_COLUMNS)
    assert reconcile(ours, empty).counts["ONLY_OURS"] == len(ours)


def test_statuses_and_labels():
    assert list(ReconStatus) == ["MATCHED", "QTY_DIFF", "PRICE_DIFF", "AMOUNT_DIFF", "ONLY_OURS",
                                 "ONLY_THEIRS", "DUPLICATE"]
    assert ReconStatus.ONLY_THEIRS.label == "ONLY_THEIRS 我方未列"
    assert ReconStatus.QTY_DIFF.words == "数量不符 Qty differs"
    # a sheet cell back to its status: the words this gendan writes, the label an older one wrote
    assert ReconStatus.read("数量不符 Qty differs") is ReconStatus.read("QTY_DIFF 数量不符") is ReconStatus.QTY_DIFF
    assert ReconStatus.read("合计 Total") is None and ReconStatus.read(None) is None
    assert DIFFERENCES == (ReconStatus.QTY_DIFF, ReconStatus.PRICE_DIFF, ReconStatus.AMOUNT_DIFF)
    assert [s for s in ReconStatus if not s.needs_action] == [ReconStatus.MATCHED]
    assert REVIEW_ORDER == (*DIFFERENCES, ReconStatus.ONLY_OURS, ReconStatus.ONLY_THEIRS, ReconStatus.DUPLICATE,
                            ReconStatus.MATCHED)


def test_the_key_fields_matched_on_read_as_the_statement_heads_them():
    """The 匹配依据 Matched on cell names each key field by its statement header (it said ``PO`` and
    ``颜色 Colour``, ``送货单 Delivery note`` beside the headers ``PO号 PO No.``, ``颜色 Color``, ``送货单号
    Delivery note``)."""
    assert basis_label("po_no+style+color") == "PO号 PO No. + 款号 Style + 颜色 Color"
    assert basis_label("delivery_no+po_no+line") == "送货单号 Delivery note + PO号 PO No. + 行号 Line"
    assert basis_label("po_no+qty+amount") == "PO号 PO No. + 数量 Qty + 金额 Amount"
    assert basis_label(None) is None and basis_label("") is None


# --- our side ------------------------------------------------------------------------------

def test_our_lines_selects_party_and_period():
    _, orders = demo_frames(120, seed=3, as_of=AS_OF)
    name = SUPPLIERS[0][1]
    lines = our_lines(orders, name.upper().replace(" ", "  "), "2026-10")
    want = orders[(orders["supplier"] == name) & (orders["ship_date"].dt.strftime("%Y-%m") == "2026-10")]
    assert len(want) and list(lines["_row"]) == list(want.index)
    assert list(lines.columns) == ["po_no", "line", "style", "color", "ship_date", "qty", "price", "amount",
                                   "currency", "_row"]
    assert np.allclose(lines["price"], want["cost_price"])
    assert np.allclose(lines["amount"], want["shipped_qty"] * want["cost_price"])
    assert len(our_lines(orders, name)) == (orders["supplier"].eq(name) & orders["ship_date"].notna()).sum()


def test_our_lines_by_code_alias_and_width():
    orders = pd.DataFrame({"po_no": ["PO-1", "PO-2", "PO-3", "PO-4"],
                           "supplier": ["NBHM", "华美", "ＨＵＡＭＥＩ", "Other"],
                           "qty": [10, 20, 30, 40], "cost_price": [1.0, 1.0, 1.0, 1.0],
                           "ship_date": pd.to_datetime(["2026-11-01"] * 4)}, index=[5, 6, 7, 8])
    suppliers, _ = demo_frames(1, seed=1, as_of=AS_OF)
    names = party_names(suppliers, "huamei")
    assert {"NBHM", "华美", "Huamei", SUPPLIERS[0][1]} <= names
    lines = our_lines(orders, "huamei", "2026-11", aliases=names)
    assert list(lines["_row"]) == [5, 6, 7] and lines["currency"].isna().all()
    assert party_names(suppliers, "Nobody") == {"Nobody"}


def test_our_lines_customer_side_and_qty_fallback():
    orders = pd.DataFrame({"po_no": ["PO-1", "PO-2"], "customer": ["Nordic Home AB", "nordic home ab"],
                           "delivery_no": ["DN1", "DN2"], "qty": [100, 200], "shipped_qty": [60, None],
                           "unit_price": [2.0, 3.0], "cost_price": [1.0, 1.0],
                           "ship_date": ["2026-11-03", "2026-11-30"]})
    lines = our_lines(orders, "Nordic Home AB", "2026-11", side="customer")
    assert list(lines["qty"]) == [60, 200] and list(lines["amount"]) == [120.0, 600.0]
    assert list(lines["delivery_no"]) == ["DN1", "DN2"]
    assert our_lines(orders, "Nordic Home AB", "2026-12", side="customer").empty


@pytest.mark.parametrize("kwargs", [{"period": "2026-13"}, {"period": "11/2026"}, {"side": "vendor"}])
def test_our_lines_rejects_bad_arguments(kwargs):
    orders = pd.DataFrame({"po_no": ["PO-1"], "supplier": ["X"]})
    with pytest.raises(GendanError) as err:
        our_lines(orders, "X", **kwargs)
    assert err.value.code is ErrorCode.BAD_OPTION


# --- invariants ----------------------------------------------------------------------------

_line = st.tuples(st.sampled_from(["PO-1", "po 1", "PO-2", "0002", "3", "ＰＯ３", ""]),
                  st.sampled_from(["A", "B", "a", None]),
                  st.sampled_from([0, 1, 50, 100, None]),
                  st.sampled_from([0.5, 1.25, 2.0, 3.333, None]),
                  st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 2))))


def _side(rows, first_row):
    out = pd.DataFrame(rows, columns=["po_no", "style", "qty", "price", "amount"])
    return out.assign(_row=range(first_row, first_row + len(out)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_line, max_size=12), st.lists(_line, max_size=12), st.booleans())
def test_every_line_once_and_differences_add_up(our_rows, their_rows, without_style):
    ours, theirs = _side(our_rows, 2), _side(their_rows, 100)
    if without_style:
        theirs = theirs.drop(columns="style")
    result = reconcile(ours, theirs)
    lines = result.lines
    assert sorted(lines["our_row"].dropna()) == list(ours["_row"])
    assert sorted(lines["their_row"].dropna()) == list(theirs["_row"])
    assert sum(result.counts.values()) == len(lines) and list(result.counts) == list(ReconStatus)
    assert math.fsum(result.difference_by_status.values()) == pytest.approx(
        result.totals["difference"], abs=1e-6 * (len(lines) + 1))
    assert result.totals["difference"] == pytest.approx(result.totals["theirs"] - result.totals["ours"], abs=1e-6)
    paired = lines["matched_on"].notna()
    assert lines.loc[paired, "status"].isin(["MATCHED", "QTY_DIFF", "PRICE_DIFF", "AMOUNT_DIFF"]).all()
    assert not lines.loc[lines["status"] == "MATCHED", "amount_diff"].abs().gt(0.01).any()


def dated(*days) -> pd.DataFrame:
    """A cleaned statement whose lines carry ``days`` (None: a line without a date)."""
    return pd.DataFrame({"po_no": [f"PO-{n}" for n in range(len(days))], "amount": 1.0,
                         "date": pd.to_datetime(list(days))})


def test_a_period_no_statement_line_falls_in_stops_naming_the_statements_months():
    october = dated("2026-10-02", "2026-10-31", None)
    with pytest.raises(GendanError, match="the statement has no line in 2026-11: its dates are in 2026-10") as err:
        statement_period(october, "2026-11", file="华美服饰_对账单_2026-10.xlsx")
    assert err.value.code is ErrorCode.STATEMENT_PERIOD
    assert err.value.file == "华美服饰_对账单_2026-10.xlsx" and err.value.expected == "--period 2026-10"
    assert statement_period(october, "2026-10") == "2026-10"
    assert statement_period(dated("2026-09-30", "2026-10-01"), "2026-09") == "2026-09"   # one line in it is enough
    assert statement_period(dated(None, None), "2026-11") == "2026-11"                # no dates: nothing to check
    with pytest.raises(GendanError) as err:
        statement_period(october, "2026-13")
    assert err.value.code is ErrorCode.BAD_OPTION


def test_without_a_period_the_statements_one_month_is_taken_else_it_stops_listing_the_months():
    assert statement_period(dated("2026-10-02", None, "2026-10-31"), None) == "2026-10"
    with pytest.raises(GendanError, match=r"the statement's dates are in 2 months: 2026-09, 2026-10") as err:
        statement_period(dated("2026-10-02", "2026-09-28"), None)
    assert err.value.code is ErrorCode.STATEMENT_PERIOD and "--period" in err.value.expected
    for undated in (dated(None), pd.DataFrame({"po_no": ["PO-1"], "amount": [1.0]})):
        with pytest.raises(GendanError, match="the statement has no dates") as err:
            statement_period(undated, None)
        assert err.value.code is ErrorCode.STATEMENT_PERIOD
