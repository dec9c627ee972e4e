"""reporting/weekly: the 周报 model from evaluated order lines typed inline: flag counts, the on-time
rate, the exception list in the order to act on it, the per-supplier and per-customer tables, and the
risk tables."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from conftest import orders_frame
from gendan_xl.model.flags import Flag
from gendan_xl.reporting.weekly import EXCEPTION_LIMIT, LIST_FIELDS, RISK_FIELDS, SinceLast, build_report, risk_tables

AS_OF = dt.date(2026, 11, 26)
NAN = float("nan")
# po, supplier, customer, flag, slack_wd, due date
LINES = orders_frame([
    dict(po_no=po, supplier=supplier, customer=customer, flag=flag, slack_wd=slack, due_date=due)
    for po, supplier, customer, flag, slack, due in [
        ("A1", "Acme", "Maison", "LATE", -3, "2026-11-20"),
        ("A2", "ACME ", "maison", "WILL_BE_LATE", -3, "2026-12-10"),   # Acme and Maison spelled otherwise
        ("A3", "Acme", "Maison", "AT_RISK", 2, "2026-12-05"),
        ("A4", "acme", "Maison", "ON_TRACK", 8, "2026-12-20"),
        ("B1", "Beta", "Maison", "LATE", -5, "2026-11-10"),
        ("X1", "Beta", "Sakura", "LATE", -3, "2026-11-18"),          # as late as A1, due earlier
        ("B2", "Beta", "Sakura", "SHIPPED", 1, "2026-11-15"),
        ("B3", "Beta", "Sakura", "SHIPPED_LATE", -2, "2026-11-12"),
        ("C1", None, "Sakura", "NO_DATE", NAN, None),                    # no supplier, no due date
        ("C2", None, "Sakura", "AT_RISK", NAN, "2026-12-01"),
        ("G1", "Acme", "Sakura", "AT_RISK", -3, "2026-12-02"),   # at risk within the grace: as short as A2
    ]], line="1", why="w")


def test_counts_open_lines_and_the_on_time_rate():
    report = build_report(LINES, AS_OF)
    assert report.counts == {"NO_DATE": 1, "SHIPPED": 1, "SHIPPED_LATE": 1, "LATE": 3, "WILL_BE_LATE": 1,
                             "AT_RISK": 3, "ON_TRACK": 1}
    assert (report.lines, report.open_lines) == (11, 9)   # all but the two shipped
    # decided by 26 Nov: due before it (B1, X1, A1) or shipped (B2, B3); on time: B2 only
    assert report.on_time_rate == 0.2


def test_exceptions_are_listed_worst_slack_first_then_by_flag_then_by_due_date():
    report = build_report(LINES, AS_OF)
    # at -3 WD: the late lines (X1 due first), then A2 (will be late) before G1 (at risk) though due later
    assert report.exceptions["po_no"].tolist() == ["B1", "X1", "A1", "A2", "G1", "A3", "C2"]   # no slack: last
    assert list(report.exceptions.columns) == list(LIST_FIELDS) and report.exception_total == 7


def test_only_the_worst_exceptions_are_listed_and_the_total_says_how_many_there_are():
    many = orders_frame([{"po_no": f"P{n}", "slack_wd": -n, "flag": "LATE", "due_date": "2026-11-01"}
                         for n in range(EXCEPTION_LIMIT + 1)], supplier="Acme", line="1")
    report = build_report(many, AS_OF)
    assert len(report.exceptions) == EXCEPTION_LIMIT and report.exception_total == EXCEPTION_LIMIT + 1
    assert report.exceptions["po_no"].iloc[0] == f"P{EXCEPTION_LIMIT}" and "P0" not in set(report.exceptions["po_no"])


def test_per_supplier_spellings_are_one_party_named_as_first_written_the_most_late_first():
    table = build_report(LINES, AS_OF).by_supplier
    assert table["party"].tolist() == ["Beta", "Acme", "(空 blank)"]
    got = table.set_index("party")
    columns = ["lines", "open", "late", "will_be_late", "at_risk", "shipped", "shipped_late"]
    assert got.loc["Beta", columns].tolist() == [4, 2, 2, 0, 0, 1, 1]
    assert got.loc["Acme", columns].tolist() == [5, 5, 1, 1, 2, 0, 0]
    assert got.loc["(空 blank)", columns].tolist() == [2, 2, 0, 0, 1, 0, 0]
    assert got.loc["Beta", "avg_open_slack"] == -4.0 and got.loc["Acme", "avg_open_slack"] == 0.2
    assert np.isnan(got.loc["(空 blank)", "avg_open_slack"])
    assert got["on_time_rate"].tolist()[:2] == [0.25, 0.0]   # Beta: B2 of 4 decided; Acme: A1 decided, late
    assert pd.isna(got.loc["(空 blank)", "on_time_rate"])     # nothing decided: no rate
    customers = build_report(LINES, AS_OF).by_customer.set_index("party")
    assert customers.loc["Maison", "lines"] == 5 and customers.loc["Sakura", "lines"] == 6


def test_the_report_says_the_as_of_date_and_the_previous_report():
    previous = (dt.date(2026, 11, 19), {"LATE": 1})
    report = build_report(LINES, AS_OF, SinceLast(previous=previous))
    assert report.as_of == AS_OF and (report.lines, report.open_lines) == (11, 9)
    assert report.previous == previous
    assert set(report.changes.counts().values()) == {0} and report.changes.since is None
    assert build_report(LINES, AS_OF).previous is None


RISKY = orders_frame([
    dict(po_no=po, supplier=supplier, flag=flag, late_risk=risk, expected_delay_wd=delay, due_date=due)
    for po, supplier, flag, risk, delay, due in [
        ("R1", "Acme", "ON_TRACK", 0.6, 4.0, "2026-12-10"),
        ("R2", "Acme", "AT_RISK", 0.6, 2.0, "2026-12-05"),       # as risky as R1, due earlier
        ("R3", "Beta", "ON_TRACK", 0.2, NAN, "2026-12-01"),
        ("R4", "Beta", "WILL_BE_LATE", 0.9, 6.0, "2026-12-20"),
        ("R5", "Beta", "LATE", 1.0, 9.0, "2026-11-01"),          # late already: not a risk
        ("R6", "Beta", "SHIPPED", NAN, NAN, "2026-11-01"),
        ("R7", "Acme", "ON_TRACK", NAN, NAN, "2026-12-01"),      # not scored
        ("R8", None, "ON_TRACK", 0.5, 1.0, "2026-12-15"),
    ]], line="1")


def test_risk_tables_list_the_riskiest_open_lines_and_the_expected_late_lines_per_supplier():
    risk = risk_tables(RISKY, 0.5)
    assert risk.scored == 5 and risk.riskiest["po_no"].tolist() == ["R4", "R2", "R1", "R8", "R3"]
    assert list(risk.riskiest.columns) == list(RISK_FIELDS)
    table = risk.by_supplier
    assert table["supplier"].tolist() == ["Acme", "Beta", "(空 blank)"]   # 1.2, 1.1, 0.5 late lines expected
    assert table[["open", "at_or_over"]].values.tolist() == [[2, 2], [2, 1], [1, 1]]   # 0.5 reaches 0.5
    assert table["mean_risk"].tolist() == [0.6, 0.55, 0.5] and table["expected_late"].tolist() == [1.2, 1.1, 0.5]
    assert table["expected_delay_wd"].tolist() == [3.0, 6.0, 1.0]   # Beta's R3 has none: R4's alone
    summary = risk.summary()
    assert (summary["threshold"], summary["scored"], summary["at_or_over"]) == (0.5, 5, 4)
    assert summary["by_supplier"][1] == {"supplier": "Beta", "open": 2, "mean_risk": 0.55, "at_or_over": 1,
                                         "expected_late": 1.1, "expected_delay_wd": 6.0}


def test_risk_tables_of_a_book_without_scores_are_empty():
    risk = risk_tables(RISKY.assign(late_risk=NAN), 0.5)
    assert risk.scored == 0 and risk.riskiest.empty and risk.by_supplier.empty
    assert risk.summary() == {"threshold": 0.5, "scored": 0, "at_or_over": 0, "by_supplier": []}
    assert Flag.LATE not in set(risk_tables(RISKY, 0.0).riskiest["flag"])


def test_risk_per_supplier_counts_spellings_of_one_supplier_as_one():
    """As the 周报's by-supplier table and the scorecard do (before: "Acme" and "ACME " two rows)."""
    risk = risk_tables(RISKY.assign(supplier=RISKY["supplier"].replace({"Acme": "ACME "}).where(
        RISKY["po_no"] != "R1", "Acme")), 0.5)
    assert risk.by_supplier["supplier"].tolist() == ["Acme", "Beta", "(空 blank)"]
    assert risk.by_supplier["open"].tolist() == [2, 2, 1]
