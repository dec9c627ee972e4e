"""One coded vocabulary per concept, in one shape (``flags.Coded``: code, 中文, English, ``label``,
``words``, ``read``), each the only place that spells its codes; one header per field (the schema),
which no other module spells again."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from gendan_xl.model import schema, statuses
from gendan_xl.model.errors import ErrorCode
from gendan_xl.model.flags import Coded, Flag, MilestoneState, Owner
from gendan_xl.model.issues import Reason
from gendan_xl.model.samples import SampleKind, SampleState, SampleStatus
from gendan_xl.model.shipments import DocumentCheck, ShipMode, ShipmentState, ShipmentStatus
from gendan_xl.model.statuses import Allocation, ChangeKind, CustomerStatus, ExcelProblem, ReconStatus
from gendan_xl.model.trade_terms import Incoterm, MarginCheck, QuoteStatus

PACKAGE = Path(__file__).resolve().parents[1] / "gendan_xl"
VOCABULARIES = (Flag, MilestoneState, Owner, Reason, ReconStatus, ChangeKind, CustomerStatus, ExcelProblem,
                ErrorCode, QuoteStatus, Incoterm, Allocation, MarginCheck, SampleKind, SampleStatus, SampleState,
                ShipmentStatus, ShipMode, ShipmentState, DocumentCheck)
# Codes that are also the ordinary name of something else: checked only where a set of codes is spelled.
HOMONYMS = {"new": "the `gendan new` command and the Change Log's new value",
            "shipped": "the 周报's per-party count of SHIPPED lines and an alias of 出货数量 Shipped qty",
            "US": "the country code of the United States"}


def _subclasses(cls: type) -> set[type]:
    return {c for sub in cls.__subclasses__() for c in (sub, *_subclasses(sub))}


def _home(vocabulary: type) -> Path:
    return Path(sys.modules[vocabulary.__module__].__file__).resolve()


def _homes() -> dict[str, set[Path]]:
    """Each code and the modules that may spell it: those of the vocabularies that have it."""
    homes: dict[str, set[Path]] = {}
    for vocabulary in VOCABULARIES:
        for member in vocabulary:
            homes.setdefault(member.value, set()).add(_home(vocabulary))
    return homes


def _strings(tree: ast.AST):
    return (node for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str))


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.resolve(), ast.parse(path.read_text(encoding="utf-8"))


def test_every_coded_vocabulary_is_checked_here():
    assert _subclasses(Coded) == set(VOCABULARIES)
    assert {_home(v).name for v in VOCABULARIES} == {"flags.py", "issues.py", "statuses.py", "errors.py",
                                                    "trade_terms.py", "samples.py", "shipments.py"}


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.__name__)
def test_a_member_is_its_code_with_words_a_label_and_is_read_back_from_any_of_them(vocabulary):
    for member in vocabulary:
        assert member == member.value and vocabulary(member.value) is member and member.zh and member.en
        assert member.label == f"{member.value} {member.zh}" and member.words == f"{member.zh} {member.en}"
        for text in (member.value, member.label, member.words, member.zh, f"  {member.label} ",
                     member.value.swapcase()):
            assert vocabulary.read(text) is member, text
    for cell in (None, float("nan"), 12, "", "  ", "no such thing"):
        assert vocabulary.read(cell) is None


def test_a_cell_naming_a_member_among_other_words_is_read_by_its_first_code_or_chinese():
    assert Owner.read("SUPPLIER 供应商") is Owner.SUPPLIER and Owner.read("客户 (buyer)") is Owner.CUSTOMER
    assert Owner.read("us") is Owner.US and Owner.read("factory") is None
    assert Flag.read("LATE (see why)") is Flag.LATE and ReconStatus.read("QTY_DIFF 数量不符") is ReconStatus.QTY_DIFF


def test_the_vocabularies_say_what_each_rule_asks_for():
    assert [s for s in ReconStatus if s.is_difference] == list(statuses.DIFFERENCES)
    assert statuses.REVIEW_ORDER[-1] is ReconStatus.MATCHED and set(statuses.REVIEW_ORDER) == set(ReconStatus)
    assert [k for k in ChangeKind if k.moves_the_eta] == [ChangeKind.REPROMISED]
    assert [k.value for k in ChangeKind] == ["newly_late", "recovered", "repromised", "new", "shipped"]
    # the words head the report history's columns (kept as older masters have them); the 周报 heads its lists
    assert [k.words for k in ChangeKind] == ["新延误 Newly late", "已恢复 Recovered", "改期 Repromised", "新增 New",
                                             "出货 Shipped"]
    assert [k.heading for k in ChangeKind] == ["新延误 Newly late", "已恢复 Recovered", "改期 Repromised (ETA moved)",
                                               "新增 New lines", "新出货 Shipped"]
    assert [s.words for s in CustomerStatus] == ["按期 On schedule", "预计延迟 Expected late", "已逾期 Overdue",
                                                 "交期待确认 Date to be confirmed", "已出货 Shipped"]
    assert {r.value for r in Reason if r.informational} == {"skipped_total", "skipped_note", "marker"}
    assert [p for p in ExcelProblem if p.of_the_workbook] == [ExcelProblem.NO_MACROS, ExcelProblem.OTHER_XLWINGS,
                                                              ExcelProblem.OTHER_GENDAN, ExcelProblem.MACHINE_PATH]
    assert [s for s in QuoteStatus if s.is_frozen] == [QuoteStatus.SENT, QuoteStatus.CONFIRMED]
    assert [s for s in QuoteStatus if s.is_open] == [QuoteStatus.DRAFT, QuoteStatus.SENT]
    assert [s.label for s in QuoteStatus] == ["DRAFT 草稿", "SENT 已报", "CONFIRMED 确认", "LOST 未成", "CANCELLED 作废"]
    assert [s for s in SampleStatus if s.is_answer] == [SampleStatus.APPROVED, SampleStatus.REJECTED]
    assert [s for s in SampleStatus if s.is_open] == [SampleStatus.PENDING, SampleStatus.SENT, SampleStatus.RECEIVED]
    assert [s.label for s in SampleStatus] == ["PENDING 待寄", "SENT 已寄", "RECEIVED 已收", "APPROVED 批准",
                                               "REJECTED 拒绝", "CANCELLED 作废"]
    assert [k.label for k in SampleKind] == ["LAB_DIP 色样", "PROTO 初样", "FIT 试身样", "SIZE_SET 齐码样", "PP 产前样",
                                             "TOP 船头样", "SHIPMENT 船样", "SMS 销售样", "PHOTO 拍照样"]
    assert [s for s in SampleState if s.is_to_do] == [SampleState.OVERDUE, SampleState.WAITING]
    assert [s.label for s in ShipmentStatus] == ["PLANNED 计划", "BOOKED 已订舱", "STUFFED 已装柜", "SAILED 已开船",
                                                 "ARRIVED 已到港", "CANCELLED 作废"]
    assert [s for s in ShipmentStatus if s.has_sailed] == [ShipmentStatus.SAILED, ShipmentStatus.ARRIVED]
    assert [m.label for m in ShipMode] == ["SEA 海运", "AIR 空运"]
    assert [s for s in ShipmentState if s.is_to_do] == [ShipmentState.INVALID, ShipmentState.FLAGGED]
    assert [c.value for c in DocumentCheck] == ["QTY_MATCH", "CARTON_RANGES", "WEIGHTS", "TOTALS", "HS_ORIGIN",
                                                "WITHIN_ORDER", "ONE_CUSTOMER_CURRENCY", "INCOTERM_CHARGES",
                                                "INVOICE_AMOUNT"]


def test_an_incoterm_is_priced_as_its_sea_twin():
    assert {term.value: term.priced_as.value for term in Incoterm} == {
        "FOB": "FOB", "CFR": "CFR", "CIF": "CIF", "FCA": "FOB", "CPT": "CFR", "CIP": "CIF"}
    assert [t for t in Incoterm if t.carries_freight] == [Incoterm.CFR, Incoterm.CIF, Incoterm.CPT, Incoterm.CIP]
    assert [t for t in Incoterm if t.carries_insurance] == [Incoterm.CIF, Incoterm.CIP]
    assert Incoterm.read("cif Hamburg") is Incoterm.CIF and Incoterm.read("CIFC3") is None


def spelled_codes(modules) -> list[str]:
    """Codes (homonyms aside) spelled outside their vocabulary, as ``path:line: code``."""
    homes = _homes()
    return [f"{path.name}:{node.lineno}: {node.value!r}" for path, tree in modules for node in _strings(tree)
            if node.value in homes and node.value not in HOMONYMS and path not in homes[node.value]]


def spelled_sets(modules) -> list[str]:
    """Tuples, lists, sets and dicts naming two codes of one vocabulary (homonyms included: two of them
    together are the codes) outside that vocabulary."""
    found = []
    for path, tree in modules:
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.Dict)):
                continue
            items = node.keys if isinstance(node, ast.Dict) else node.elts
            texts = {i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)}
            found += [f"{path.name}:{node.lineno}: {vocabulary.__name__}" for vocabulary in VOCABULARIES
                      if path != _home(vocabulary) and len(texts & {m.value for m in vocabulary}) >= 2]
    return found


def spelled_headers(modules) -> list[str]:
    """String literals equal to a header of a schema table, outside the schema."""
    headers: dict[str, str] = {}   # each header named by the first table defining it (a later one may reuse its field)
    for t in (t for t in vars(schema).values() if isinstance(t, schema.Table)):
        for f in t.fields:
            headers.setdefault(f.header, f"{t.key}.{f.name}")
    return [f"{path.name}:{node.lineno}: {node.value!r} (schema {headers[node.value]})" for path, tree in modules
            if path.name != "schema.py" for node in _strings(tree) if node.value in headers]


def test_no_module_spells_a_code_outside_its_vocabulary():
    found = spelled_codes(_modules())
    assert not found, "codes spelled outside their vocabulary (use the member):\n" + "\n".join(found)


def test_no_module_spells_a_set_of_codes_outside_its_vocabulary():
    found = spelled_sets(_modules())
    assert not found, "sets of codes spelled outside their vocabulary:\n" + "\n".join(found)


def test_no_module_spells_a_header_the_schema_defines():
    found = spelled_headers(_modules())
    assert not found, "headers spelled again (take schema.<TABLE>.header(name)):\n" + "\n".join(found)


def test_the_scans_find_a_code_a_set_of_codes_and_a_header_spelled_again():
    module = [(PACKAGE / "sheets" / "spelled.py", ast.parse(
        'STATUS = "QTY_DIFF"\nKINDS = ("new", "shipped")\nORDER = {"US": 0, "new": 1}\nHEAD = "交期 Due date"\n'))]
    assert spelled_codes(module) == ["spelled.py:1: 'QTY_DIFF'"]
    assert spelled_sets(module) == ["spelled.py:2: ChangeKind"]
    assert spelled_headers(module) == ["spelled.py:4: '交期 Due date' (schema orders.due_date)"]


def test_the_milestone_state_field_keeps_its_header():
    """The Milestones field holding a milestone state is ``state`` (it was ``flag``); its sheet header
    is unchanged, so a master written before reads the same column."""
    assert schema.MILESTONES.header("state") == "状态 State" and "flag" not in schema.MILESTONES.names
    assert schema.match_header(schema.MILESTONES, "状态 State") == "state"
