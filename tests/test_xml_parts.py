"""Small package parts are edited through the parser, whatever prefixes their writer chose
(openpyxl with or without lxml, Excel's mc:Ignorable, a prefixed SpreadsheetML namespace)."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, strategies as st

from conftest import AS_OF
from gendan_xl import actions
from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.store.master import MasterWorkbook
from gendan_xl.store.sheet_head import code_name, with_code_name
from gendan_xl.sheets.sheet_render import SheetSpec
from gendan_xl.ooxml.xml_part import NS_MAIN, NS_REL, XmlError, parse, split_sheet
from ooxml import assert_valid

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# What Excel 365 declares on <workbook>: prefixes named only in mc:Ignorable must stay declared.
EXCEL_NS = {"mc": MC, "x15": "http://schemas.microsoft.com/office/spreadsheetml/2010/11/main",
            "xr": "http://schemas.microsoft.com/office/spreadsheetml/2014/revision",
            "xr6": "http://schemas.microsoft.com/office/spreadsheetml/2016/revision6",
            "xr10": "http://schemas.microsoft.com/office/spreadsheetml/2016/revision10",
            "xr2": "http://schemas.microsoft.com/office/spreadsheetml/2015/revision2"}


def rewrite_part(path: Path, part: str, edit) -> None:
    """Replace one part of the zip with ``edit(old bytes)``."""
    with zipfile.ZipFile(path) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    parts[part] = edit(parts[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def read_part(path: Path, part: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(part)


def declarations(data: bytes) -> dict[str, str]:
    """prefix -> namespace of every declaration in a part."""
    import io
    return {prefix: uri for _, (prefix, uri) in ET.iterparse(io.BytesIO(data), events=["start-ns"])}


def reconcile_twice(master: Path, demo_dir: Path) -> None:
    """Two reconciliation sheets added: a small statement of 华美's for 2026-09, the demo's for 2026-10."""
    september = master.parent / "华美_2026-09.csv"
    september.write_text("PO号,款号,日期,数量,单价,金额\nPO-1,ST1,2026-09-15,100,2.5,250\n", encoding="utf-8")
    for statement, period in ((september, "2026-09"), (next((demo_dir / "statements").glob("*.xlsx")), "2026-10")):
        actions.reconcile(master, statement, party="华美", period=period, side="supplier")


def sheet_names(master: Path) -> list[str]:
    return openpyxl.load_workbook(master, read_only=True).sheetnames


def test_prefixes_declared_on_each_sheet_element_stay_bound(demo_master, demo_dir):
    """openpyxl with lxml declares r: on every <sheet>, not on the root: a sheet we add is bound."""
    def per_sheet(data: bytes) -> bytes:
        text = data.decode()
        text = text.replace(f' xmlns:r="{NS_REL}"', "").replace("<sheet ", f'<sheet xmlns:r="{NS_REL}" ')
        return text.encode()
    rewrite_part(demo_master, "xl/workbook.xml", per_sheet)
    assert read_part(demo_master, "xl/workbook.xml").count(b"xmlns:r=") == len(sheet_names(demo_master))
    reconcile_twice(demo_master, demo_dir)
    assert sheet_names(demo_master)[-2:] == ["对账-华美-2026-09", "对账-华美-2026-10"]
    assert_valid(demo_master)


def test_excel_mc_ignorable_prefixes_survive_an_edit(demo_master, demo_dir):
    def excel_like(data: bytes) -> bytes:
        root_tag = data.index(b"<workbook") + len(b"<workbook")
        extra = "".join(f' xmlns:{p}="{uri}"' for p, uri in EXCEL_NS.items())
        extra += ' mc:Ignorable="x15 xr xr6 xr10 xr2" xr:uid="{00000000-0001-0000-0000-000000000000}"'
        return data[:root_tag] + extra.encode() + data[root_tag:]
    rewrite_part(demo_master, "xl/workbook.xml", excel_like)
    reconcile_twice(demo_master, demo_dir)
    after = read_part(demo_master, "xl/workbook.xml")
    assert EXCEL_NS.items() <= declarations(after).items()
    root = ET.fromstring(after)
    assert root.get(f"{{{MC}}}Ignorable") == "x15 xr xr6 xr10 xr2"
    assert_valid(demo_master)


def prefixed(data: bytes) -> bytes:
    """A part rewritten with SpreadsheetML under the prefix ``x:`` (as the .NET Open XML SDK writes)."""
    part = parse(data)
    part.prefixes = {NS_MAIN: "x", NS_REL: "r"}
    return part.tobytes()


def test_a_prefixed_spreadsheetml_namespace_is_kept(demo_master, demo_dir):
    """Some writers (the .NET Open XML SDK) write <x:workbook>; sheets we add are <x:sheet>."""
    rewrite_part(demo_master, "xl/workbook.xml", prefixed)
    reconcile_twice(demo_master, demo_dir)
    after = read_part(demo_master, "xl/workbook.xml")
    assert after.count(b"<x:sheet ") == len(sheet_names(demo_master)) and b"<sheet " not in after
    assert_valid(demo_master)


def test_full_calc_on_load_is_added_in_schema_position(demo_master):
    def without_calc(data: bytes) -> bytes:
        part = parse(data)
        part.root.remove(part.root.find(f"{{{NS_MAIN}}}calcPr"))
        return part.tobytes()
    rewrite_part(demo_master, "xl/workbook.xml", without_calc)
    actions.refresh(demo_master, as_of=AS_OF)
    root = ET.fromstring(read_part(demo_master, "xl/workbook.xml"))
    names = [child.tag.split("}")[1] for child in root]
    assert names.index("calcPr") == names.index("definedNames") + 1
    assert root.find(f"{{{NS_MAIN}}}calcPr").get("fullCalcOnLoad") == "1"
    assert_valid(demo_master)


def test_a_doctype_in_a_package_part_is_a_clear_error(demo_master):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">&b;'
            b"</Relationships>")
    rewrite_part(demo_master, "xl/_rels/workbook.xml.rels", lambda _: bomb)
    with pytest.raises(GendanError) as err:
        actions.refresh(demo_master, as_of=AS_OF)
    assert err.value.code is ErrorCode.UNSAFE_FILE and "workbook.xml.rels" in str(err.value)


def test_a_doctype_in_a_worksheet_head_is_refused():
    with pytest.raises(XmlError, match="DOCTYPE"):
        split_sheet(b'<!DOCTYPE w [<!ENTITY e "x">]><worksheet xmlns="%s"><sheetData/></worksheet>'
                    % NS_MAIN.encode())


def test_sheet_cells_pass_through_as_bytes_and_the_code_name_goes_first():
    cells = b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lt;/sheetData&gt; &amp; x</t></is></c></row>'
    sheet = (b'<x:worksheet xmlns:x="%s"><x:dimension ref="A1"/><x:sheetData>%s</x:sheetData>'
             b'<x:pageMargins left="1" right="1" top="1" bottom="1" header="0" footer="0"/></x:worksheet>'
             % (NS_MAIN.encode(), cells))
    named = with_code_name(sheet, "Sheet7")
    assert cells in named and code_name(named) == "Sheet7"
    root = ET.fromstring(named)
    assert [el.tag.split("}")[1] for el in root][:2] == ["sheetPr", "dimension"]
    assert b"<x:sheetPr" in named


def test_a_sheet_added_to_a_macro_master_gets_an_unused_code_name(new_xlsm, tmp_path):
    master = tmp_path / "m.xlsm"
    shutil.copy(new_xlsm, master)
    book = MasterWorkbook(master)
    taken = {code_name(book.package.get(s.part)) for s in book.package.sheets}
    for name in ("A", "B"):
        spec = SheetSpec(name)
        spec.row(1, ["x"])
        book.replace_sheet(spec)
    book.save()
    book = MasterWorkbook(master)
    names = [code_name(book.package.get(book.package.sheet(n).part)) for n in ("A", "B")]
    assert all(names) and len(set(names)) == 2 and not taken & set(names)
    assert_valid(master)


# Any text XML can carry, with the characters a serializer must escape or would normalise.
_TEXT = st.text(st.one_of(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
                          st.sampled_from("\t\n\r&<>\"'")), max_size=30)


@given(attribute=_TEXT, text=_TEXT)
def test_serialised_values_read_back_unchanged(attribute, text):
    part = parse(b'<a xmlns="urn:a" xmlns:r="urn:r"><!-- kept --><b/></a>')
    b = part.root.find("{urn:a}b")
    b.set("{urn:r}v", attribute)
    b.text = text
    again = parse(part.tobytes())
    found = again.root.find("{urn:a}b")
    assert found.get("{urn:r}v") == attribute and (found.text or "") == text
    assert again.prefixes == {"urn:a": "", "urn:r": "r"} and b"<!-- kept -->" in part.tobytes()


def test_cells_are_not_written_into_a_prefixed_sheet_but_the_error_is_clear(demo_master, demo_dir):
    """A sheet written as <x:worksheet> gets no unprefixed cells: a clear stop, the master untouched."""
    rewrite_part(demo_master, "xl/worksheets/sheet1.xml", prefixed)
    before = demo_master.read_bytes()
    with pytest.raises(GendanError) as err:
        actions.sync(demo_master, sorted((demo_dir / "suppliers").iterdir()), as_of=AS_OF)
    assert err.value.code is ErrorCode.BAD_WORKBOOK
    assert "prefix" in str(err.value) and "订单 Orders" in str(err.value)
    assert demo_master.read_bytes() == before
