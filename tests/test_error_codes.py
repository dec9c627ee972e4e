"""Every GendanError carries a code from one vocabulary (``ErrorCode``): each raise names one, each
code is raised somewhere, and codes and words are distinct and bilingual."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import gendan_xl
from gendan_xl.model.errors import ErrorCode, GendanError

PACKAGE = Path(gendan_xl.__file__).parent
CJK = re.compile(r"[\u4e00-\u9fff]")


def _trees() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for path in sorted(PACKAGE.rglob("*.py"))}


def _is_gendan_error(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Name) and node.func.id == "GendanError")
        or (isinstance(node.func, ast.Attribute) and node.func.attr == "GendanError"))


def test_every_gendan_error_in_the_package_names_its_code():
    calls = [(path, node) for path, tree in _trees().items() for node in ast.walk(tree) if _is_gendan_error(node)]
    without = [f"{path.relative_to(PACKAGE)}:{node.lineno}" for path, node in calls
               if not any(k.arg == "code" for k in node.keywords)]
    assert len(calls) > 100 and without == []


def test_every_code_is_raised_somewhere_in_the_package():
    used = {node.attr for path, tree in _trees().items() if path.name != "errors.py" or path.parent.name != "model"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "ErrorCode"}
    assert used <= set(ErrorCode.__members__)    # no site names a code that does not exist
    assert [code.name for code in ErrorCode if code.name not in used] == []


def test_codes_are_distinct_upper_case_and_their_own_names():
    assert len(ErrorCode.__members__) == len(list(ErrorCode))    # no member is an alias of another
    for code in ErrorCode:
        assert code.value == code.name and re.fullmatch(r"[A-Z][A-Z_]*[A-Z]", code.value)
        assert code == code.value and ErrorCode(code.value) is code


def test_every_code_has_its_own_chinese_and_english_words():
    for code in ErrorCode:
        assert CJK.search(code.zh), code
        assert re.search(r"[A-Za-z]{3,}", code.en) and not CJK.search(code.en), code
        assert code.words == f"{code.zh} {code.en}" and code.label == f"{code.value} {code.zh}"
    assert len({c.zh for c in ErrorCode}) == len({c.en for c in ErrorCode}) == len(ErrorCode)


def test_a_gendan_error_needs_a_known_code():
    with pytest.raises(TypeError):
        GendanError("文件是空的 the file is empty")    # the code left out
    with pytest.raises(ValueError):
        GendanError("文件是空的 the file is empty", code="EMPTY")
    assert GendanError("文件是空的 the file is empty", code="EMPTY_FILE").code is ErrorCode.EMPTY_FILE


def test_the_code_changes_no_message_and_naming_a_file_keeps_it():
    error = GendanError("设置值无效 invalid value for at_risk_wd", code=ErrorCode.BAD_SETTING, sheet="设置 Settings",
                        row=3, column="值 Value", value="three", expected="a whole number")
    named = error.with_file("master.xlsx")
    assert named.code is ErrorCode.BAD_SETTING and named.file == "master.xlsx"
    assert str(named) == ("设置值无效 invalid value for at_risk_wd [file master.xlsx, sheet 设置 Settings, row 3, "
                          "column 值 Value, value 'three']: expected a whole number")
    assert "BAD_SETTING" not in str(named)
    assert named.with_file("other.xlsx") is named    # a file already named stays
