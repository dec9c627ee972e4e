"""Write a Compound File Binary ([MS-CFB] version 3) from a nested dict of storages and streams.

``{"VBA": {"dir": b"..."}, "PROJECT": b"..."}``: a dict value is a storage, a bytes value a
stream. Streams under 4096 bytes live in the mini stream; the output is deterministic
(zero CLSIDs and timestamps, children ordered by the CFB comparison rule).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
IDS_PER_SECTOR = SECTOR // 4
ENTRIES_PER_SECTOR = SECTOR // 128
HEADER_DIFAT = 109

FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF

STORAGE, STREAM, ROOT = 1, 2, 5
RED, BLACK = 0, 1

_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_ENTRY = struct.Struct("<64sHBBIII16sIQQIQ")
_FORBIDDEN = set("/\\:!")


@dataclass
class _Entry:
    """A directory entry while the file is laid out."""

    name: str
    kind: int
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    index: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = BLACK
    start: int = ENDOFCHAIN


def sort_key(name: str) -> tuple[int, str]:
    """The CFB directory order: shorter names first, then by upper-cased characters."""
    return len(name.encode("utf-16-le")) // 2, "".join(c.upper() if len(c.upper()) == 1 else c for c in name)


def write_cfb(tree: dict) -> bytes:
    """Return the bytes of a compound file holding ``tree``; ValueError on bad names or too much data."""
    root = _Entry("Root Entry", ROOT, children=_entries(tree))
    entries = _number(root)
    for entry in entries:
        entry.child = _link_tree(entry.children)
    return _layout(entries)


def _entries(tree: dict) -> list[_Entry]:
    result = []
    seen = set()
    for name, value in tree.items():
        _check_name(name)
        key = sort_key(name)
        if key in seen:
            raise ValueError(f"compound file: duplicate name {name!r} (names are case-insensitive)")
        seen.add(key)
        if isinstance(value, dict):
            result.append(_Entry(name, STORAGE, children=_entries(value)))
        elif isinstance(value, (bytes, bytearray)):
            result.append(_Entry(name, STREAM, data=bytes(value)))
        else:
            raise ValueError(f"compound file: {name!r} must be bytes (stream) or dict (storage)")
    return sorted(result, key=lambda e: sort_key(e.name))


def _check_name(name: str) -> None:
    if not name or len(name.encode("utf-16-le")) > 62 or _FORBIDDEN & set(name):
        raise ValueError(f"compound file: invalid entry name {name!r} (1-31 characters, none of / \\ : !)")


def _number(root: _Entry) -> list[_Entry]:
    """Give every entry its directory index (pre-order) and return them in index order."""
    order = []
    pending = [root]
    while pending:
        entry = pending.pop()
        entry.index = len(order)
        order.append(entry)
        pending.extend(reversed(entry.children))
    return order


def _link_tree(siblings: list[_Entry]) -> int:
    """Link sorted siblings into a balanced red-black tree; return the root's index.

    A midpoint-built tree has every level full except perhaps the deepest; colouring that
    level red (when incomplete) gives every path the same number of black entries.
    """
    if not siblings:
        return NOSTREAM
    depths: dict[int, list[_Entry]] = {}

    def build(lo: int, hi: int, depth: int) -> int:
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        node = siblings[mid]
        depths.setdefault(depth, []).append(node)
        node.left = build(lo, mid, depth + 1)
        node.right = build(mid + 1, hi, depth + 1)
        return node.index

    top = build(0, len(siblings), 0)
    deepest = max(depths)
    red = len(depths[deepest]) < 2 ** deepest
    for depth, nodes in depths.items():
        for node in nodes:
            node.color = RED if red and depth == deepest else BLACK
    return top


def _chain(fat: list[int], first: int, count: int) -> None:
    for sector in range(first, first + count):
        fat[sector] = sector + 1
    fat[first + count - 1] = ENDOFCHAIN


def _sectors(size: int, unit: int) -> int:
    return -(-size // unit)


def _mini_stream(small: list[_Entry]) -> tuple[bytes, list[int]]:
    """Pack small streams into 64-byte mini sectors; return the mini stream and its mini FAT."""
    mini = bytearray()
    minifat: list[int] = []
    for entry in small:
        entry.start = len(minifat)
        count = _sectors(len(entry.data), MINI_SECTOR)
        minifat.extend(range(entry.start + 1, entry.start + count))
        minifat.append(ENDOFCHAIN)
        mini += entry.data.ljust(count * MINI_SECTOR, b"\0")
    return bytes(mini), minifat


def _fat_sector_count(data_sectors: int) -> int:
    """FAT sectors needed to map themselves and ``data_sectors``; all must fit the header DIFAT."""
    n_fat = 1
    while n_fat * IDS_PER_SECTOR < n_fat + data_sectors:
        n_fat += 1
    if n_fat > HEADER_DIFAT:
        raise ValueError("compound file: too much data for a header-only DIFAT (about 6.8 MB)")
    return n_fat


def _layout(entries: list[_Entry]) -> bytes:
    """Sectors in order: FAT, directory, mini FAT, then the mini stream and large streams."""
    root = entries[0]
    streams = [e for e in entries if e.kind == STREAM and e.data]
    root.data, minifat = _mini_stream([e for e in streams if len(e.data) < MINI_CUTOFF])
    blobs = ([root] if root.data else []) + [e for e in streams if len(e.data) >= MINI_CUTOFF]

    n_dir = _sectors(len(entries), ENTRIES_PER_SECTOR)
    n_minifat = _sectors(len(minifat), IDS_PER_SECTOR)
    n_fat = _fat_sector_count(n_dir + n_minifat + sum(_sectors(len(e.data), SECTOR) for e in blobs))

    fat = [FATSECT] * n_fat + [FREESECT] * ((IDS_PER_SECTOR - 1) * n_fat)
    _chain(fat, n_fat, n_dir)
    minifat_start = n_fat + n_dir if n_minifat else ENDOFCHAIN
    if n_minifat:
        _chain(fat, minifat_start, n_minifat)
    next_sector = n_fat + n_dir + n_minifat
    body = bytearray()
    for entry in blobs:
        count = _sectors(len(entry.data), SECTOR)
        entry.start = next_sector
        _chain(fat, next_sector, count)
        body += entry.data.ljust(count * SECTOR, b"\0")
        next_sector += count

    free = _ENTRY.pack(b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, bytes(16), 0, 0, 0, 0, 0)
    directory = b"".join(_pack_entry(e) for e in entries)
    directory += free * (n_dir * ENTRIES_PER_SECTOR - len(entries))
    minifat_bytes = struct.pack(f"<{len(minifat)}I", *minifat)
    minifat_bytes += b"\xff" * (n_minifat * SECTOR - len(minifat_bytes))
    return (_header(n_fat, n_fat, minifat_start, n_minifat) + struct.pack(f"<{len(fat)}I", *fat)
            + directory + minifat_bytes + bytes(body))


def _header(n_fat: int, dir_start: int, minifat_start: int, n_minifat: int) -> bytes:
    difat = list(range(n_fat)) + [FREESECT] * (HEADER_DIFAT - n_fat)
    return (
        _SIGNATURE + bytes(16)
        + struct.pack("<HHHHH6s", 0x003E, 0x0003, 0xFFFE, 9, 6, bytes(6))
        + struct.pack("<IIIIIIIII", 0, n_fat, dir_start, 0, MINI_CUTOFF,
                      minifat_start, n_minifat, ENDOFCHAIN, 0)
        + struct.pack(f"<{HEADER_DIFAT}I", *difat)
    )


def _pack_entry(entry: _Entry) -> bytes:
    name = (entry.name + "\0").encode("utf-16-le")
    start, size = entry.start, len(entry.data)
    if entry.kind == STORAGE:
        start, size = 0, 0
    elif size == 0:
        start = ENDOFCHAIN
    return _ENTRY.pack(name, len(name), entry.kind, entry.color, entry.left, entry.right,
                       entry.child, bytes(16), 0, 0, 0, start, size)
