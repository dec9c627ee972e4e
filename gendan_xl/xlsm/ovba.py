"""Write a VBA project ([MS-OVBA]) as the bytes of ``vbaProject.bin``.

The project carries source only: ``_VBA_PROJECT`` has version 0xFFFF and no performance
cache, and every module's text offset is 0, so Office compiles the modules from source.
"""

from __future__ import annotations

import re
import struct
import uuid
from dataclasses import dataclass
from pathlib import Path

from gendan_xl.xlsm.cfb import write_cfb

CHUNK = 4096
WORKBOOK_CLSID = "{00020819-0000-0000-C000-000000000046}"
WORKSHEET_CLSID = "{00020820-0000-0000-C000-000000000046}"
DOCUMENT_ATTRIBUTES = ("VB_Base", "VB_GlobalNameSpace", "VB_Creatable", "VB_PredeclaredId",
                       "VB_Exposed", "VB_TemplateDerived", "VB_Customizable")
REFERENCES = (
    ("stdole", "*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#"
               "C:\\Windows\\System32\\stdole2.tlb#OLE Automation"),
    # IRibbonControl lives in the Office type library; 2.0 lets any installed 2.x resolve it.
    ("Office", "*\\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#"
               "C:\\Program Files\\Common Files\\Microsoft Shared\\OFFICE16\\MSO.DLL#"
               "Microsoft Office 16.0 Object Library"),
)

_IDENTIFIER = re.compile(r"[^\W\d_]\w{0,30}")   # a letter, then letters, digits or _ (Excel's 模块1 too)
_HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"
_SEED = 0x5A
NOT_PROTECTED, NO_PASSWORD, VISIBLE = bytes(4), bytes(1), b"\xff"


@dataclass(frozen=True)
class VbaModule:
    """A VBA module: its name, its source text, and whether it is a document module (ThisWorkbook,
    a sheet's) or a class module; else it is a standard module."""

    name: str
    source: str
    document: bool = False
    class_module: bool = False

    @classmethod
    def from_bas(cls, path: Path, codepage: int = 1252) -> VbaModule:
        """Read an exported ``.bas`` file; its name comes from the ``Attribute VB_Name`` line."""
        source = Path(path).read_bytes().decode(f"cp{codepage}")
        found = re.match(r'Attribute VB_Name = "([^"]*)"', source)
        if not found:
            raise ValueError(f"{path}: a .bas file must start with Attribute VB_Name = \"...\"")
        return cls(found.group(1), source)


def document_module(name: str, clsid: str, body: str = "") -> VbaModule:
    """A document module (ThisWorkbook, Sheet1, ...) with the header Office expects."""
    values = (f'"0{clsid}"', "False", "False", "True", "True", "False", "True")
    header = f'Attribute VB_Name = "{name}"\r\n' + "".join(
        f"Attribute {key} = {value}\r\n" for key, value in zip(DOCUMENT_ATTRIBUTES, values))
    return VbaModule(name, header + body, document=True)


# --- 2.4.1 compression -------------------------------------------------------------------

def compress(data: bytes) -> bytes:
    """Compress ``data`` into a CompressedContainer (signature byte, then 4096-byte chunks).

    A final chunk that cannot be compressed is stored raw without the spec's zero padding,
    so that decompression gives back exactly ``data``.
    """
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        out += _compress_chunk(data[start:start + CHUNK])
    return bytes(out)


def decompress(data: bytes) -> bytes:
    """Decompress a CompressedContainer; ValueError if it is malformed."""
    if not data or data[0] != 0x01:
        raise ValueError("compressed container must start with signature byte 0x01")
    out = bytearray()
    pos = 1
    while pos < len(data):
        if pos + 2 > len(data):
            raise ValueError("truncated chunk header")
        header = int.from_bytes(data[pos:pos + 2], "little")
        if (header >> 12) & 0b111 != 0b011:
            raise ValueError(f"bad chunk signature at byte {pos}")
        end = pos + (header & 0x0FFF) + 3
        if header & 0x8000:
            if end > len(data):
                raise ValueError(f"truncated compressed chunk at byte {pos}")
            _decompress_chunk(data, pos + 2, end, out)
        else:
            end = min(pos + 2 + CHUNK, len(data))
            out += data[pos + 2:end]
        pos = end
    return bytes(out)


def _bit_count(difference: int) -> int:
    """Offset bits of a copy token written ``difference`` bytes into its chunk (2.4.1.3.19.1)."""
    return max((difference - 1).bit_length(), 4)


def _compress_chunk(chunk: bytes) -> bytes:
    """One CompressedChunk: header, then tokens, or the raw bytes if tokens would not fit."""
    body = _tokens(chunk)
    if len(body) <= CHUNK:
        return struct.pack("<H", 0xB000 | (len(body) - 1)) + body
    return struct.pack("<H", 0x3FFF) + chunk


def _tokens(chunk: bytes) -> bytes:
    """The TokenSequences of one chunk: flag bytes, literals and copy tokens."""
    out = bytearray()
    seen: dict[bytes, list[int]] = {}
    pos, end = 0, len(chunk)
    while pos < end:
        flag_at = len(out)
        out.append(0)
        for bit in range(8):
            if pos >= end:
                break
            length, offset = _longest_match(chunk, pos, seen)
            if length:
                bits = _bit_count(pos)
                out += struct.pack("<H", ((offset - 1) << (16 - bits)) | (length - 3))
                out[flag_at] |= 1 << bit
            else:
                out.append(chunk[pos])
                length = 1
            for at in range(pos, min(pos + length, end - 2)):
                seen.setdefault(chunk[at:at + 3], []).append(at)
            pos += length
    return bytes(out)


def _longest_match(chunk: bytes, pos: int, seen: dict[bytes, list[int]]) -> tuple[int, int]:
    """Best (length, offset) among the 64 latest earlier positions sharing 3 bytes, or (0, 0)."""
    candidates = seen.get(chunk[pos:pos + 3])
    if not candidates:
        return 0, 0
    limit = min((0xFFFF >> _bit_count(pos)) + 3, len(chunk) - pos)
    best_length, best_at = 0, 0
    for at in reversed(candidates[-64:]):
        length = 3
        while length < limit and chunk[at + length] == chunk[pos + length]:
            length += 1
        if length > best_length:
            best_length, best_at = length, at
            if length == limit:
                break
    return best_length, pos - best_at


def _decompress_chunk(data: bytes, pos: int, end: int, out: bytearray) -> None:
    """Append the decompressed tokens of ``data[pos:end]`` to ``out``."""
    chunk_start = len(out)
    while pos < end:
        flags = data[pos]
        pos += 1
        for bit in range(8):
            if pos >= end:
                break
            if not flags >> bit & 1:
                out.append(data[pos])
                pos += 1
                continue
            if pos + 2 > end:
                raise ValueError("truncated copy token")
            token = int.from_bytes(data[pos:pos + 2], "little")
            pos += 2
            difference = len(out) - chunk_start
            bits = _bit_count(max(difference, 1))
            length = (token & (0xFFFF >> bits)) + 3
            offset = (token >> (16 - bits)) + 1
            if offset > difference:
                raise ValueError("copy token reaches before the start of its chunk")
            source = len(out) - offset
            if offset >= length:
                out += out[source:source + length]
            else:
                for at in range(source, source + length):
                    out.append(out[at])


# --- 2.4.3 data encryption (CMG, DPB, GC) -------------------------------------------------

def _encrypt(data: bytes, project_id: str) -> str:
    """Obfuscate ``data`` as in 2.4.3.2 (fixed seed, for determinism); return upper-case hex."""
    key = sum(project_id.encode("ascii")) & 0xFF
    version_enc, key_enc = _SEED ^ 2, _SEED ^ key
    out = [_SEED, version_enc, key_enc]
    plain1, enc1, enc2 = key, key_enc, version_enc
    ignored = bytes((_SEED & 6) // 2)
    for byte in ignored + struct.pack("<I", len(data)) + data:
        encrypted = byte ^ ((enc2 + plain1) & 0xFF)
        out.append(encrypted)
        enc2, enc1, plain1 = enc1, encrypted, byte
    return bytes(out).hex().upper()


# --- streams --------------------------------------------------------------------------------

def build_vba_project(modules, project_name: str = "GendanXL", codepage: int = 1252,
                      more_references: tuple[bytes, ...] = ()) -> bytes:
    """Return the bytes of a ``vbaProject.bin`` holding ``modules`` (VbaModule) as source.

    Its references are ``REFERENCES``, then ``more_references``: the dir-stream records of other
    references, as read from a project (``vba_read.Reference.records``), in its code page."""
    modules = list(modules)
    _check_names(project_name, modules, codepage)
    codes = {m.name: _module_code(m, codepage) for m in modules}
    project_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"gendan_xl:vba:{project_name}")).upper() + "}"
    vba = {
        "_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x00\x00",
        "dir": compress(_dir_stream(project_name, modules, codepage, more_references)),
    }
    vba.update({m.name: compress(codes[m.name]) for m in modules})
    return write_cfb({
        "VBA": vba,
        "PROJECT": _project_stream(project_id, project_name, modules, codepage),
        "PROJECTwm": _name_map(modules, codepage),
    })


def _check_names(project_name: str, modules: list[VbaModule], codepage: int) -> None:
    for name in [project_name] + [m.name for m in modules]:
        if not _IDENTIFIER.fullmatch(name):
            raise ValueError(f"VBA name {name!r}: use a letter, then letters, digits or _ (31 at most)")
        try:
            name.encode(f"cp{codepage}")
        except UnicodeEncodeError:
            raise ValueError(f"VBA name {name!r} is not in code page {codepage}") from None
    lowered = [m.name.lower() for m in modules]
    for module in modules:
        if lowered.count(module.name.lower()) > 1 or module.name.lower() == "dir":
            raise ValueError(f"VBA module name {module.name!r} is duplicated (ignoring case) or reserved")


def _module_code(module: VbaModule, codepage: int) -> bytes:
    """The module text as stored: CRLF line endings, in the project code page, header checked."""
    text = module.source.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    if not text.startswith(f'Attribute VB_Name = "{module.name}"\r\n'):
        raise ValueError(f'VBA module {module.name!r} must start with Attribute VB_Name = "{module.name}"')
    if module.document:
        header = re.match(r"(?:Attribute [^\r\n]*\r\n)*", text).group()
        missing = [a for a in DOCUMENT_ATTRIBUTES if f"Attribute {a} = " not in header]
        if missing:
            raise ValueError(f"document module {module.name!r} lacks header attributes {missing}")
    for number, line in enumerate(text.split("\r\n"), start=1):
        try:
            line.encode(f"cp{codepage}")
        except UnicodeEncodeError as error:
            bad = line[error.start]
            raise ValueError(f"VBA module {module.name!r}, line {number}: character {bad!r} "
                             f"is not in code page {codepage}; VBA source must be ASCII/cp{codepage}") from None
    return text.encode(f"cp{codepage}")


def _u32(value: int) -> bytes:
    return struct.pack("<I", value)


def _record(rid: int, payload: bytes) -> bytes:
    return struct.pack("<HI", rid, len(payload)) + payload


def _text_record(rid: int, unicode_rid: int, text: str, codepage: int) -> bytes:
    """A record with an MBCS string followed by its UTF-16 twin under a second id."""
    return _record(rid, text.encode(f"cp{codepage}")) + _record(unicode_rid, text.encode("utf-16-le"))


def _dir_stream(project_name: str, modules: list[VbaModule], codepage: int,
                more_references: tuple[bytes, ...]) -> bytes:
    """The uncompressed dir stream (2.3.4.2): information, references, modules, terminator."""
    parts = [
        _record(0x0001, _u32(1)),                      # PROJECTSYSKIND: 32-bit Windows
        _record(0x0002, _u32(0x0409)),                 # PROJECTLCID
        _record(0x0014, _u32(0x0409)),                 # PROJECTLCIDINVOKE
        _record(0x0003, struct.pack("<H", codepage)),  # PROJECTCODEPAGE
        _record(0x0004, project_name.encode(f"cp{codepage}")),
        _text_record(0x0005, 0x0040, "", codepage),   # PROJECTDOCSTRING
        _record(0x0006, b"") + _record(0x003D, b""),  # PROJECTHELPFILEPATH
        _record(0x0007, _u32(0)),                      # PROJECTHELPCONTEXT
        _record(0x0008, _u32(0)),                      # PROJECTLIBFLAGS
        struct.pack("<HIIH", 0x0009, 4, 1, 0),        # PROJECTVERSION 1.0
        _text_record(0x000C, 0x003C, "", codepage),   # PROJECTCONSTANTS
    ]
    for name, libid in REFERENCES:
        libid_bytes = libid.encode(f"cp{codepage}")
        parts.append(_text_record(0x0016, 0x003E, name, codepage))
        parts.append(_record(0x000D, _u32(len(libid_bytes)) + libid_bytes + struct.pack("<IH", 0, 0)))
    parts += more_references
    parts.append(_record(0x000F, struct.pack("<H", len(modules))))
    parts.append(_record(0x0013, struct.pack("<H", 0xFFFF)))
    for module in modules:
        parts += [
            _record(0x0019, module.name.encode(f"cp{codepage}")),
            _record(0x0047, module.name.encode("utf-16-le")),
            _text_record(0x001A, 0x0032, module.name, codepage),  # MODULESTREAMNAME
            _text_record(0x001C, 0x0048, "", codepage),           # MODULEDOCSTRING
            _record(0x0031, _u32(0)),                               # MODULEOFFSET: source only
            _record(0x001E, _u32(0)),                               # MODULEHELPCONTEXT
            _record(0x002C, struct.pack("<H", 0xFFFF)),            # MODULECOOKIE
            struct.pack("<HI", 0x0022 if module.document or module.class_module else 0x0021, 0),
            struct.pack("<HI", 0x002B, 0),                         # module terminator
        ]
    parts.append(struct.pack("<HI", 0x0010, 0))
    return b"".join(parts)


def _project_stream(project_id: str, project_name: str, modules: list[VbaModule], codepage: int) -> bytes:
    """The PROJECT stream (2.3.1): properties, host extenders and workspace, CRLF text."""
    lines = [f'ID="{project_id}"']
    lines += [f"Document={m.name}/&H00000000" if m.document else f"Class={m.name}" if m.class_module
              else f"Module={m.name}" for m in modules]
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{_encrypt(NOT_PROTECTED, project_id)}"',
        f'DPB="{_encrypt(NO_PASSWORD, project_id)}"',
        f'GC="{_encrypt(VISIBLE, project_id)}"',
        "",
        "[Host Extender Info]",
        _HOST_EXTENDER,
        "",
        "[Workspace]",
    ]
    lines += [f"{m.name}=0, 0, 0, 0, C" for m in modules]
    return "".join(line + "\r\n" for line in lines).encode(f"cp{codepage}")


def _name_map(modules: list[VbaModule], codepage: int) -> bytes:
    """The PROJECTwm stream (2.3.3): each module name in MBCS and UTF-16, then a terminator."""
    return b"".join(m.name.encode(f"cp{codepage}") + b"\0" + m.name.encode("utf-16-le") + b"\0\0"
                    for m in modules) + b"\0\0"
