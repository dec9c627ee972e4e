"""Read a VBA project (``vbaProject.bin``, [MS-OVBA]) back: its modules as source text, its
references, whether it is locked. Works on the projects gendan writes and on those Excel saves
(compiled code before each module's source, class modules, forms, other references).
"""

from __future__ import annotations

import io
import re
import struct
from dataclasses import dataclass

import olefile

from gendan_xl.xlsm.ovba import VbaModule, decompress

_PROJECTVERSION = 0x0009        # its size field says 4, yet 6 bytes follow (2.3.4.2.1.11)
_REFERENCE_KINDS = {0x000D: "registered", 0x000E: "project", 0x002F: "control", 0x0033: "control"}
_REFERENCE_ENDS = (0x000D, 0x000E, 0x0030)   # a control reference ends with its extended record


@dataclass(frozen=True)
class Reference:
    """A reference of the project: its name, kind (registered, project, control), for a registered
    type library its LibidReference, and its dir-stream records as they are (to be written again)."""

    name: str
    kind: str
    libid: str | None
    records: bytes


@dataclass(frozen=True)
class VbaProject:
    """What a ``vbaProject.bin`` holds, as source: ``designers`` are forms (UserForm1 …), whose
    layout is binary and not kept as text."""

    name: str
    codepage: int
    modules: tuple[VbaModule, ...]
    designers: tuple[str, ...]
    references: tuple[Reference, ...]
    locked: bool

    def module(self, name: str) -> VbaModule | None:
        """The module named ``name`` (VBA names ignore case), or None."""
        return next((m for m in self.modules if m.name.lower() == name.lower()), None)


def read_vba_project(data: bytes) -> VbaProject:
    """The project in the bytes of a ``vbaProject.bin``; ValueError when they are not one."""
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except OSError as exc:   # olefile: "not an OLE2 structured storage file"
        raise ValueError(f"not a VBA project: {exc}") from None
    with ole:
        if not ole.exists("VBA/dir") or not ole.exists("PROJECT"):
            raise ValueError("not a VBA project: no VBA/dir or PROJECT stream")
        records = _records(decompress(ole.openstream("VBA/dir").read()))
        codepage = struct.unpack("<H", _first(records, 0x0003))[0]
        encoding = f"cp{codepage}"
        kinds, locked = _project_stream(ole.openstream("PROJECT").read().decode(encoding, "replace"))
        modules, designers = [], []
        for name, stream, offset in _modules(records, encoding):
            kind = kinds.get(name.lower(), "module")
            if kind == "designer":
                designers.append(name)
                continue
            source = decompress(ole.openstream(f"VBA/{stream}").read()[offset:]).decode(encoding)
            modules.append(VbaModule(name, source, document=kind == "document", class_module=kind == "class"))
    return VbaProject(_first(records, 0x0004).decode(encoding), codepage, tuple(modules), tuple(designers),
                      tuple(_references(records, encoding)), locked)


def _records(dir_stream: bytes) -> list[tuple[int, bytes, bytes]]:
    """The dir stream's records (id, payload, the record's bytes) up to its terminator."""
    out, pos = [], 0
    while pos + 6 <= len(dir_stream):
        rid, size = struct.unpack_from("<HI", dir_stream, pos)
        size = 6 if rid == _PROJECTVERSION else size
        if pos + 6 + size > len(dir_stream):
            raise ValueError(f"dir stream record 0x{rid:04X} runs past the stream's end")
        out.append((rid, dir_stream[pos + 6:pos + 6 + size], dir_stream[pos:pos + 6 + size]))
        pos += 6 + size
        if rid == 0x0010:
            return out
    raise ValueError("dir stream ends without its terminator")


def _first(records: list[tuple[int, bytes, bytes]], rid: int) -> bytes:
    found = next((payload for record, payload, _ in records if record == rid), None)
    if found is None:
        raise ValueError(f"dir stream lacks record 0x{rid:04X}")
    return found


def _modules(records: list[tuple[int, bytes, bytes]], encoding: str) -> list[tuple[str, str, int]]:
    """Each module's (name, stream name, offset of its compressed source in the stream)."""
    out, current = [], {}
    for rid, payload, _ in records:
        if rid == 0x0019:
            current = {"name": payload.decode(encoding), "stream": payload.decode(encoding), "offset": 0}
        elif rid == 0x0047 and current:
            current["name"] = payload.decode("utf-16-le")
        elif rid == 0x001A and current:
            current["stream"] = payload.decode(encoding)
        elif rid == 0x0032 and current:
            current["stream"] = payload.decode("utf-16-le")
        elif rid == 0x0031 and current:
            current["offset"] = struct.unpack("<I", payload)[0]
        elif rid == 0x002B and current:
            out.append((current["name"], current["stream"], current["offset"]))
            current = {}
    return out


def _references(records: list[tuple[int, bytes, bytes]], encoding: str) -> list[Reference]:
    """Each reference: its records from its name to its last (a registered, project or extended
    control record), its name, kind and, for a registered type library, its LibidReference."""
    out, group = [], []
    for rid, payload, raw in records:
        if rid == 0x000F:   # PROJECTMODULES: the references are over
            break
        if rid != 0x0016 and not group:
            continue
        group.append((rid, payload, raw))
        if rid in _REFERENCE_ENDS:
            names = {r: p for r, p, _ in group if r in (0x0016, 0x003E)}
            name = names[0x003E].decode("utf-16-le") if 0x003E in names else names[0x0016].decode(encoding)
            kinds = [_REFERENCE_KINDS[r] for r, _, _ in group if r in _REFERENCE_KINDS]
            libid = None
            if rid == 0x000D:
                libid = payload[4:4 + struct.unpack_from("<I", payload)[0]].decode(encoding)
            out.append(Reference(name, kinds[0], libid, b"".join(r for _, _, r in group)))
            group = []
    return out


def _project_stream(text: str) -> tuple[dict[str, str], bool]:
    """From the PROJECT stream: each module's kind by lower-cased name, and whether the project is
    locked (a password, or locked for viewing)."""
    kinds, values = {}, {}
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key == "Document":
            kinds[value.split("/")[0].lower()] = "document"
        elif key in ("Module", "Class", "BaseClass"):
            kinds[value.lower()] = {"Module": "module", "Class": "class", "BaseClass": "designer"}[key]
        elif key in ("CMG", "DPB", "GC"):
            values[key] = value.strip('"')
    password = _decrypt(values.get("DPB", ""))
    visibility = _decrypt(values.get("GC", ""))
    return kinds, (password not in (None, b"\x00") or visibility not in (None, b"\xff"))


def _decrypt(hex_text: str) -> bytes | None:
    """The data of a [MS-OVBA] 2.4.3.3 encrypted value (None when absent or malformed)."""
    if not re.fullmatch(r"(?:[0-9A-Fa-f]{2}){8,}", hex_text):
        return None
    data = bytes.fromhex(hex_text)
    seed, version_enc, key_enc = data[0], data[1], data[2]
    plain1, enc1, enc2 = seed ^ key_enc, key_enc, version_enc
    plain = bytearray()
    for encrypted in data[3:]:
        byte = encrypted ^ ((enc2 + plain1) & 0xFF)
        plain.append(byte)
        enc2, enc1, plain1 = enc1, encrypted, byte
    ignored = (seed & 6) // 2
    if len(plain) < ignored + 4:
        return None
    length = struct.unpack_from("<I", plain, ignored)[0]
    return bytes(plain[ignored + 4:ignored + 4 + length])
