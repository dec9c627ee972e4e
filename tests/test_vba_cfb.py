"""The compound file writer, checked by olefile in strict mode."""

from __future__ import annotations

import io
import os

import olefile
import pytest

from gendan_xl.xlsm.cfb import BLACK, NOSTREAM, RED, sort_key, write_cfb


def open_strict(data: bytes) -> olefile.OleFileIO:
    return olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)


def flatten(tree: dict, prefix=()) -> dict[tuple[str, ...], bytes]:
    found = {}
    for name, value in tree.items():
        if isinstance(value, dict):
            found.update(flatten(value, prefix + (name,)))
        else:
            found[prefix + (name,)] = value
    return found


SAMPLE = {
    "VBA": {
        "dir": b"d" * 300,
        "_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x00\x00",
        "Module1": os.urandom(4095),
        "ThisWorkbook": os.urandom(4096),
        "Big": os.urandom(70_000),
        "Empty": b"",
        "Inner": {"Deep": b"deep"},
    },
    "PROJECT": b"ID=\"{0}\"\r\n",
    "PROJECTwm": b"\0\0",
}


def test_every_stream_reads_back_under_strict_checks():
    ole = open_strict(write_cfb(SAMPLE))
    expected = flatten(SAMPLE)
    assert {tuple(path) for path in ole.listdir()} == set(expected)
    for path, data in expected.items():
        assert ole.openstream(list(path)).read() == data
        assert ole.get_size(list(path)) == len(data)
    assert ole.get_type("VBA") == olefile.STGTY_STORAGE
    assert ole.get_type(["VBA", "Inner"]) == olefile.STGTY_STORAGE


def test_header_is_version_3_with_512_byte_sectors():
    data = write_cfb(SAMPLE)
    ole = open_strict(data)
    assert (ole.dll_version, ole.sector_size, ole.mini_sector_size) == (3, 512, 64)
    assert ole.mini_stream_cutoff_size == 4096
    assert len(data) % 512 == 0
    assert ole.root.clsid == ""


def test_several_megabytes_need_several_fat_sectors():
    big = os.urandom(3_000_000)
    ole = open_strict(write_cfb({"A": big, "B": b"small"}))
    assert ole.num_fat_sectors > 1
    assert ole.openstream("A").read() == big
    assert ole.openstream("B").read() == b"small"


def test_too_much_data_for_the_header_difat_is_refused():
    with pytest.raises(ValueError, match="too much data"):
        write_cfb({"A": bytes(7_500_000)})


def test_empty_tree_is_a_valid_file():
    assert open_strict(write_cfb({})).listdir() == []


def test_output_is_deterministic_and_independent_of_dict_order():
    reordered = dict(reversed(list(SAMPLE.items())))
    assert write_cfb(SAMPLE) == write_cfb(SAMPLE) == write_cfb(reordered)


@pytest.mark.parametrize("tree", [
    {"abc": b"1", "ABC": b"2"},
    {"a/b": b"1"},
    {"x" * 32: b"1"},
    {"": b"1"},
    {"bad": 3},
])
def test_bad_names_and_values_are_refused(tree):
    with pytest.raises(ValueError):
        write_cfb(tree)


def test_sort_key_compares_length_first_then_upper_case():
    names = ["b", "AA", "a", "Module1", "dir", "_VBA_PROJECT", "ab"]
    assert sorted(names, key=sort_key) == ["a", "b", "AA", "ab", "dir", "Module1", "_VBA_PROJECT"]


def check_red_black(ole: olefile.OleFileIO, sid: int) -> tuple[int, list[str]]:
    """Return (black height, in-order names) of the sibling tree rooted at ``sid``."""
    if sid == NOSTREAM:
        return 1, []
    entry = ole.direntries[sid]
    left_height, left_names = check_red_black(ole, entry.sid_left)
    right_height, right_names = check_red_black(ole, entry.sid_right)
    assert left_height == right_height, f"unequal black height under {entry.name}"
    if entry.color == RED:
        for child in (entry.sid_left, entry.sid_right):
            assert child == NOSTREAM or ole.direntries[child].color == BLACK
    return left_height + (entry.color == BLACK), left_names + [entry.name] + right_names


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 40])
def test_siblings_form_an_ordered_red_black_tree(count):
    names = [f"S{number}" for number in range(count)]
    ole = open_strict(write_cfb({"Store": {name: name.encode() for name in names}}))
    store = ole.direntries[ole.root.sid_child]
    assert store.name == "Store"
    assert ole.direntries[store.sid_child].color == BLACK
    _, in_order = check_red_black(ole, store.sid_child)
    assert in_order == sorted(names, key=sort_key)
