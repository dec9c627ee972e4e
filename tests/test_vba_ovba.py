"""[MS-OVBA] compression and the VBA project, checked against oletools and olefile."""

from __future__ import annotations

import io
import re
import struct
from pathlib import Path

import olefile
import pytest
import xlwings
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import VBA_Parser, VBA_Project, decompress_stream

from gendan_xl.xlsm.ovba import (REFERENCES, WORKBOOK_CLSID, WORKSHEET_CLSID, VbaModule,
                                  build_vba_project, compress, decompress, document_module)

XLWINGS_BAS = Path(xlwings.__file__).parent / "xlwings.bas"
RIBBON_BAS = Path(__file__).parents[1] / "gendan_xl" / "xlsm" / "vba" / "GendanRibbon.bas"
FUNCTIONS_BAS = RIBBON_BAS.with_name("xlwings_udfs.bas")
WORKBOOK_CODE = RIBBON_BAS.with_name("ThisWorkbook.vba")

# MS-OVBA 3.2.3: a compressed container holding a chunk with copy tokens.
SPEC_PLAIN = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
SPEC_COMPRESSED = bytes.fromhex(
    "012FB000236161616263646582660070616768696A01380861"
    "6B6C00306D6E6F700671027004107273747576107778797A003C")

repetitive = st.builds(lambda unit, count: (unit * count)[:20_000],
                       st.binary(min_size=1, max_size=40), st.integers(1, 20_000))
text_like = st.text(alphabet="ab \r\n\"'()=_Sub End", max_size=20_000).map(str.encode)
payloads = st.one_of(st.binary(max_size=20_000), repetitive, text_like)


@settings(max_examples=60, deadline=None)
@given(payloads)
def test_compression_round_trips_through_ours_and_oletools(data):
    packed = compress(data)
    assert decompress(packed) == data
    assert decompress_stream(packed) == data


@pytest.mark.parametrize("size", [0, 1, 3640, 3641, 4095, 4096, 4097, 8192, 12_000])
def test_incompressible_chunk_sizes_round_trip(size):
    data = bytes((index * 7919 + (index >> 3) * 104_729) % 251 for index in range(size))
    packed = compress(data)
    assert decompress(packed) == decompress_stream(packed) == data


def test_repetitive_data_shrinks():
    assert len(compress(bytes(20_000))) < 100
    assert len(compress(XLWINGS_BAS.read_bytes())) < XLWINGS_BAS.stat().st_size // 2


def test_decompresses_the_spec_example():
    assert decompress(SPEC_COMPRESSED) == SPEC_PLAIN
    assert decompress_stream(compress(SPEC_PLAIN)) == SPEC_PLAIN


@pytest.mark.parametrize("bad", [b"", b"\x02", b"\x01\x00", b"\x01\xff\xbf\x00", b"\x01\x01\xb0\x01\x00\x00"])
def test_malformed_containers_raise_value_error(bad):
    with pytest.raises(ValueError):
        decompress(bad)


def module(name: str, body: str = "") -> VbaModule:
    return VbaModule(name, f'Attribute VB_Name = "{name}"\n{body}')


MODULES = [
    document_module("ThisWorkbook", WORKBOOK_CLSID, WORKBOOK_CODE.read_bytes().decode("ascii")),
    document_module("Sheet1", WORKSHEET_CLSID, "Private Sub Worksheet_Activate()\r\nEnd Sub\r\n"),
    VbaModule.from_bas(RIBBON_BAS),
    VbaModule.from_bas(FUNCTIONS_BAS),
    VbaModule.from_bas(XLWINGS_BAS),
    module("Accents", "' caf\u00e9 \u00fcber \u20ac\nSub Hi()\n    MsgBox \"hi\"\nEnd Sub\n"),
]


def stored(source: str) -> str:
    return source.replace("\r\n", "\n").replace("\n", "\r\n")


@pytest.fixture(scope="module")
def project() -> bytes:
    return build_vba_project(MODULES)


@pytest.fixture(scope="module")
def ole(project) -> olefile.OleFileIO:
    return olefile.OleFileIO(io.BytesIO(project), raise_defects=olefile.DEFECT_INCORRECT)


def test_olevba_extracts_every_module_identical_to_the_source(project):
    parser = VBA_Parser("vbaProject.bin", data=project)
    found = {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    assert found == {m.name: stored(m.source) for m in MODULES}


def test_module_streams_hold_exactly_the_encoded_source(ole):
    for m in MODULES:
        raw = decompress_stream(ole.openstream(["VBA", m.name]).read())
        assert raw == stored(m.source).encode("cp1252")
    xlwings_stream = decompress_stream(ole.openstream(["VBA", "xlwings"]).read())
    assert xlwings_stream == XLWINGS_BAS.read_bytes()


def test_strict_oletools_parse_of_dir_and_project_streams(ole):
    vba = VBA_Project(ole, "", "PROJECT", "VBA/dir", relaxed=False)
    vba.parse_project_stream()
    list(vba.parse_modules())
    assert (vba.syskind, vba.lcid, vba.lcidinvoke, vba.codepage) == (1, 0x0409, 0x0409, 1252)
    assert vba.projectname == "GendanXL"
    assert [m.name for m in vba.modules] == [m.name for m in MODULES]
    assert [m.type for m in vba.modules] == [0x22 if m.document else 0x21 for m in MODULES]
    assert {m.textoffset for m in vba.modules} == {0}


def test_references_are_stdole_and_office(ole):
    text = decompress(ole.openstream("VBA/dir").read())
    for name, libid in REFERENCES:
        assert name.encode() in text and libid.encode() in text
    assert b"{00020430-0000-0000-C000-000000000046}" in text


def test_vba_project_stream_forces_a_recompile(ole):
    assert ole.openstream("VBA/_VBA_PROJECT").read() == b"\xcc\x61\xff\xff\x00\x00\x00"


def decrypt(hex_text: str) -> bytes:
    """MS-OVBA 2.4.3.3, written independently of the encoder."""
    data = bytes.fromhex(hex_text)
    seed, version_enc, key_enc = data[:3]
    assert seed ^ version_enc == 2
    plain1, enc1, enc2 = seed ^ key_enc, key_enc, version_enc
    plain = bytearray()
    for byte in data[3:]:
        value = byte ^ ((enc2 + plain1) & 0xFF)
        plain.append(value)
        enc2, enc1, plain1 = enc1, byte, value
    ignored = (seed & 6) // 2
    length = struct.unpack("<I", plain[ignored:ignored + 4])[0]
    assert len(plain) == ignored + 4 + length
    return bytes(plain[ignored + 4:])


def test_project_stream_lists_modules_and_unprotected_state(ole):
    text = ole.openstream("PROJECT").read().decode("cp1252")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    values = dict(line.split("=", 1) for line in text.split("\r\n") if "=" in line and not line.startswith("&H"))
    project_id = values["ID"].strip('"')
    assert re.fullmatch(r"\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", project_id)
    assert "Document=ThisWorkbook/&H00000000" in text and "Document=Sheet1/&H00000000" in text
    assert "Module=GendanRibbon" in text and "Module=xlwings" in text
    assert values["Name"] == '"GendanXL"'
    assert decrypt(values["CMG"].strip('"')) == bytes(4)
    assert decrypt(values["DPB"].strip('"')) == b"\0"
    assert decrypt(values["GC"].strip('"')) == b"\xff"
    key = sum(project_id.encode()) & 0xFF
    cmg = bytes.fromhex(values["CMG"].strip('"'))
    assert cmg[0] ^ cmg[2] == key
    assert "[Host Extender Info]" in text and "[Workspace]" in text


def test_name_map_stream(ole):
    expected = b"".join(m.name.encode() + b"\0" + m.name.encode("utf-16-le") + b"\0\0" for m in MODULES)
    assert ole.openstream("PROJECTwm").read() == expected + b"\0\0"


def test_build_is_deterministic_and_the_id_follows_the_name(project):
    assert build_vba_project(MODULES) == project
    other = build_vba_project(MODULES, project_name="Other")
    project_text = olefile.OleFileIO(io.BytesIO(project)).openstream("PROJECT").read()
    other_text = olefile.OleFileIO(io.BytesIO(other)).openstream("PROJECT").read()
    assert project_text.split(b"\r\n")[0] != other_text.split(b"\r\n")[0]


def test_lf_sources_are_stored_with_crlf():
    ole = olefile.OleFileIO(io.BytesIO(build_vba_project([module("M", "Sub A()\nEnd Sub\n")])))
    assert decompress(ole.openstream("VBA/M").read()) == b'Attribute VB_Name = "M"\r\nSub A()\r\nEnd Sub\r\n'


@pytest.mark.parametrize("modules, message", [
    ([module("M", "' \u4e2d\u6587\n")], "line 2.*not in code page 1252"),
    ([VbaModule("M", "Sub A()\nEnd Sub\n")], "must start with Attribute VB_Name"),
    ([VbaModule("M", 'Attribute VB_Name = "N"\n')], "must start with Attribute VB_Name"),
    ([module("M"), module("m")], "duplicated"),
    ([module("dir")], "reserved"),
    ([module("1abc")], "use a letter"),
    ([VbaModule("Sheet1", 'Attribute VB_Name = "Sheet1"\n', document=True)], "lacks header attributes"),
])
def test_bad_modules_raise_clear_value_errors(modules, message):
    with pytest.raises(ValueError, match=message):
        build_vba_project(modules)
