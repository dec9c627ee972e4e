"""The core's value concepts (blank, display text, same value, keys) and typed issues, each defined once."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gendan_xl.model import schema
from gendan_xl.model.issues import Issue, Reason, problems, reason_counts, summarise
from gendan_xl.model.settings import Settings
from gendan_xl.model.values import (display_text, header_key, is_blank, is_missing, line_key, line_keys_of, normalise_key,
                              party_key, same_values, unicode_party_key)

PACKAGE = Path(__file__).resolve().parents[1] / "gendan_xl"
CONCEPTS = {"is_blank", "is_missing", "display_text", "shown", "same_values", "same_column", "fold",
            "header_key", "_norm_header", "_norm", "normalise_key", "key_of", "keys_of", "map_distinct",
            "party_key", "_blank", "as_text", "sheet_key", "name_key", "blank_mask", "flag", "line_key",
            "line_keys_of", "yes_no", "_yes_no"}


@pytest.mark.parametrize("value", [None, float("nan"), np.nan, np.float32("nan"), pd.NA, pd.NaT,
                                   np.datetime64("NaT"), "", "  ", "\t\n", "\u3000"])
def test_blank_values(value):
    assert is_blank(value)


@pytest.mark.parametrize("value", [0, 0.0, "0", False, "-", dt.date(2026, 1, 1), np.int64(0), "x"])
def test_values_that_are_not_blank(value):
    assert not is_blank(value) and not is_missing(value)


def test_whitespace_text_is_blank_but_not_missing():
    assert is_blank(" ") and not is_missing(" ")


@pytest.mark.parametrize("value, text", [
    (12.0, "12"), (1.5, "1.5"), (0.1 + 0.2, "0.3"), (np.float64(1200.0), "1200"), (7, "7"),
    (pd.Timestamp("2026-01-02"), "2026-01-02"), (dt.datetime(2026, 1, 2, 10, 30), "2026-01-02 10:30:00"),
    (dt.date(2026, 1, 2), "2026-01-02"), (True, "TRUE"), ("  PO-1 ", "PO-1"), ("  ", None), (None, None),
    (float("nan"), None), (pd.NaT, None)])
def test_display_text(value, text):
    assert display_text(value) == text


def test_same_values_blank_number_date_and_text():
    old = pd.Series([None, None, 1.0, 1.0, 2.0], dtype=float)
    new = pd.Series([None, 3.0, 1.0 + 1e-12, None, 2.5], dtype=float)
    assert same_values(old, new).tolist() == [True, False, True, False, False]
    dates = pd.Series(pd.to_datetime(["2026-01-01", None, "2026-01-02"]))
    assert same_values(dates, dates.astype(object)).tolist() == [True, True, True]
    text = pd.Series(["a", None, "b"], dtype=object)
    assert same_values(text, pd.Series(["a", None, "c"], dtype=object)).tolist() == [True, True, False]


def test_keys_headers_and_party_names_compare_in_their_normal_form():
    assert {normalise_key(v) for v in ("PO-012345", "po12345 ", "ＰＯ１２３４５", 12345.0)} == {"12345"}
    assert normalise_key(None) == normalise_key("  ") == ""
    assert header_key("PO_No. :") == header_key("po  no") == header_key("ＰＯ NO")
    assert party_key("Maison Lumière, S.A.R.L.") == party_key("MAISON LUMIÈRE SARL")
    assert party_key(float("nan")) == ""


@pytest.mark.parametrize("value", ["PO-260003\u200b", "\ufeffPO-260003", "PO-2600\u00ad03", "PO-26\u200d0003",
                                   "PO\u2060-260003", "PO\u00a0260003", "PO\u202f260003", "260003.0", "260003.00"])
def test_a_key_ignores_invisible_characters_and_a_whole_float_turned_text(value):
    """What looks like PO-260003 is PO-260003 (``260095.0`` was once read as ``2600950``)."""
    assert normalise_key(value) == normalise_key("PO-260003") == "260003"


def test_a_key_keeps_a_fraction_that_is_not_zero():
    assert normalise_key("260003.5") != normalise_key("260003") and normalise_key("GM1001.0") == "GM10010"


@pytest.mark.parametrize("value", ["1", "1.0", "1.00", "01", "001", "１", "Line 1", "LINE1", "line no. 1", "#1",
                                   "No. 1", "第1行", " 1\u200b", 1, 1.0, np.int64(1), np.float64(1.0)])
def test_every_way_of_writing_line_1_is_line_1(value):
    """A line value is read as a line number."""
    assert line_key(value) == "1"


@pytest.mark.parametrize("value, other", [("1.0", "10"), ("1.1", "11"), ("1-2", "12"), ("1.5", "15"), ("1.1", "1"),
                                          ("1a", "1"), ("1.1", "1-1"), ("1.10", "1.1"), (1.1, "11"), ("2.0", "20")])
def test_a_sub_line_is_never_another_line(value, other):
    assert line_key(value) != line_key(other)


def test_a_sub_line_equals_itself_in_any_case_width_or_spacing():
    assert line_key("1a") == line_key("１Ａ") == line_key(" 1A ") == "1A"
    assert line_key(1.1) == line_key("1.1") == line_key("１.１") == "1.1"
    assert line_key(None) == line_key("  ") == line_key(float("nan")) == ""
    assert line_keys_of(pd.Series(["1.0", "01", None, "1.1"])).tolist() == ["1", "1", "", "1.1"]


@pytest.mark.parametrize("spelling", ["Maison Lumiere SARL", "maison lumière  sarl", "MAISON-LUMIÈRE S.A.R.L.",
                                      "ＭＡＩＳＯＮ　ＬＵＭＩＥＲＥ，ＳＡＲＬ", "Maison Lumie\u0300re (SARL)"])
def test_a_party_name_ignores_case_accents_width_punctuation_and_spacing(spelling):
    assert party_key(spelling) == party_key("Maison Lumière SARL") == "maisonlumieresarl"


def test_an_ascii_name_gets_the_key_the_unicode_steps_give():
    """ASCII names take a short way (lower case, punctuation, spaces and controls dropped): every
    ASCII character, and names mixing them, key as the Unicode steps key them."""
    rng = np.random.default_rng(7)
    names = [chr(i) for i in range(128)] + ["S-000123", "Nordic Home A/S", "o'Neil & Co., Ltd.", "x\ty\x7fz ~$+<=>^`|"]
    names += ["".join(map(chr, rng.integers(0, 128, rng.integers(1, 30)))) for _ in range(2000)]
    assert [party_key(n) for n in names] == [unicode_party_key(n) for n in names]
    assert party_key("S-000123") == "s000123" and party_key("A+B") == "a+b"   # a symbol is part of the name


def test_a_party_name_keeps_what_makes_it_another_name():
    assert party_key("Maison") != party_key("Maison Lumière SARL")            # a part is not the name
    assert party_key("Công ty May Sài Gòn") == party_key("CONG TY MAY SAI GON")
    assert party_key("ガス商事") != party_key("カス商事")                        # kana voicing is spelling
    assert party_key("（华美）") == party_key("华美") and party_key("华美") != party_key("华")


def test_settings_skip_whitespace_rows_with_the_shared_blank_test():
    frame = pd.DataFrame({"key": ["  ", "at_risk_wd", pd.NA], "value": [5, "\u3000", 7],
                          "description": ["", "", ""]})
    assert Settings.from_frame(frame) == Settings()


def test_each_concept_is_defined_once_in_the_core():
    """No module but values.py defines its own blank, display-text, sameness or key helper."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in CONCEPTS:
                found.setdefault(node.name, []).append(str(path.relative_to(PACKAGE)))
    assert {name: paths for name, paths in found.items() if paths != ["model/values.py"]} == {}


def test_reason_codes_are_typed_everywhere():
    """No module writes a reason code as a bare string: issues carry a ``Reason``."""
    codes = {r.value for r in Reason}
    for path in PACKAGE.rglob("*.py"):
        if path.name == "issues.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        exported = {id(node) for assign in ast.walk(tree) if isinstance(assign, ast.Assign)
                    and any(getattr(t, "id", None) == "__all__" for t in assign.targets)
                    for node in ast.walk(assign.value)}
        literals = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and id(node) not in exported}
        assert not codes & literals, path


def test_reasons_know_their_label_and_whether_they_only_inform():
    assert len({r.value for r in Reason}) == len(Reason)
    assert all(r.zh and r.en and r.words == f"{r.zh} {r.en}" for r in Reason)
    assert {r.value for r in Reason if r.informational} == {"skipped_total", "skipped_note", "marker"}
    assert Reason("bad_date") is Reason.BAD_DATE


def test_issue_forms_table_row_and_json():
    issue = Issue.from_row({"file": "f.csv", "sheet": "f", "row": np.int64(4), "column": "ETA",
                            "value": float("nan"), "reason": "bad_date", "message": "m"})
    assert issue.reason is Reason.BAD_DATE and issue.row == 4 and issue.value is None
    row = issue.table_row()
    assert list(row) == [n for n in schema.IMPORT_ISSUES.names if n != "timestamp"]
    assert row["reason"] == "bad_date" and Issue.from_row(row) == issue
    assert issue.to_json() == {**row, "row": 4} and type(issue.to_json()["row"]) is int


def test_counts_problems_and_summary_go_through_the_reason():
    issues = [Issue("a.csv", "a", n, "ETA", "x", Reason.BAD_DATE, "m") for n in range(2, 7)]
    issues += [Issue("a.csv", "a", 9, None, "合计", Reason.SKIPPED_TOTAL, "total row skipped"),
               Issue("b.csv", "b", 2, "PO", "P1", Reason.UNKNOWN_ORDER, "m")]
    assert reason_counts(issues) == {"bad_date": 5, "skipped_total": 1, "unknown_order": 1}
    assert Reason.SKIPPED_TOTAL not in {i.reason for i in problems(issues)} and len(problems(issues)) == 6
    kept = summarise(issues, limit=3)
    assert [i.row for i in kept[:4]] == [2, 3, 4, 2]
    tail = kept[4:]
    assert [(i.file, i.reason, i.row) for i in tail] == [("a.csv", Reason.BAD_DATE, 5),
                                                         ("a.csv", Reason.SKIPPED_TOTAL, 9)]
    assert "and 2 more bad_date rows" in tail[0].message and tail[0].message.startswith("…")


@pytest.mark.parametrize("typed, meant", [("是", True), ("YES", True), ("y", True), ("✓", True), ("开", True),
                                         ("是 yes", True), (True, True), ("否", False), ("No", False), ("N", False),
                                         ("off", False), ("否 no", False), ("0", False), ("", None), (None, None)])
def test_yes_and_no_read_the_same_for_a_setting_and_a_templates_critical_column(typed, meant):
    """One reader for both (settings accepted on/开 but not Y/✓, the T&A template Y/✓ but not on/开)."""
    from gendan_xl.model.values import yes_no
    assert yes_no(typed) is meant


def test_yes_no_refuses_anything_else():
    from gendan_xl.model.values import yes_no
    with pytest.raises(ValueError, match="yes or no"):
        yes_no("maybe")


def test_docstrings_cite_nothing_outside_the_repository():
    """A newcomer reads the rules where the code is: no module points to the design notes beside the repo."""
    cited = [str(p.relative_to(PACKAGE)) for p in sorted(PACKAGE.rglob("*.py"))
             if "DESIGN.md" in p.read_text(encoding="utf-8")]
    assert not cited
