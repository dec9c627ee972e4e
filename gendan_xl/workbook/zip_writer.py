"""A minimal, fast zip writer for workbook packages (deflate by ISA-L through python-isal).

Python's zipfile compresses with zlib only; ISA-L deflates the large sheet parts about four times
faster at a slightly better ratio, which is most of the cost of saving a 50,000-line master.
"""

from __future__ import annotations

import struct
import zlib

from isal import isal_zlib

_DOS_DATE = (1980 - 1980) << 9 | 1 << 5 | 1   # 1980-01-01: deterministic output
_UTF8_NAMES = 0x0800
_LIMIT = 0xFFFFFFFF


def write_zip(fileobj, parts: list[tuple[str, bytes]], level: int = 1) -> None:
    """Write ``parts`` (name, data) as a deflated zip archive to a binary file object."""
    central = []
    offset = 0
    for name, data in parts:
        raw_name = name.encode("utf-8")
        compressor = isal_zlib.compressobj(level, zlib.DEFLATED, -15)
        packed = compressor.compress(data) + compressor.flush()
        crc = zlib.crc32(data)
        if len(data) > _LIMIT or len(packed) > _LIMIT or offset > _LIMIT:
            raise ValueError(f"part {name} too large for a zip without zip64")
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, _UTF8_NAMES, 8, 0, _DOS_DATE, crc,
                             len(packed), len(data), len(raw_name), 0)
        fileobj.write(header + raw_name)
        fileobj.write(packed)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, _UTF8_NAMES, 8, 0, _DOS_DATE,
                                   crc, len(packed), len(data), len(raw_name), 0, 0, 0, 0, 0o600 << 16,
                                   offset) + raw_name)
        offset += len(header) + len(raw_name) + len(packed)
    directory = b"".join(central)
    fileobj.write(directory)
    fileobj.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory),
                              offset, 0))
