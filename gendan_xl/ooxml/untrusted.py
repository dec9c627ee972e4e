"""A package from outside (a supplier's workbook, a statement) opened as a checked zip before any reader
unpacks it: its declared sizes and compression ratios first (Python's zip reader never unpacks past a
part's declared size), then its workbook and worksheets found through the same relationship helpers as
the master's (``package``), every part read with its DOCTYPE refused."""

from __future__ import annotations

import io
import zipfile

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.ooxml.package import main_part, rels_part, relationships_of, sheets_of
from gendan_xl.ooxml.xml_guard import has_doctype
from gendan_xl.ooxml.xml_part import XmlError, XmlPart, parse

_CORRUPT = "文件已损坏或不是工作簿 the file is corrupt or not a workbook"
_SAVED_NORMALLY = "a workbook saved by a spreadsheet program"


def open_package(data: bytes, file, *, max_unpacked: int, max_ratio: float, ratio_from: int) -> zipfile.ZipFile:
    """The zip package of a workbook, after checking its declared sizes: GendanError when it is
    broken, unpacks to more than ``max_unpacked`` bytes, or has a part of ``ratio_from`` bytes or more
    that compresses more than ``max_ratio``:1, like a zip bomb."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise GendanError(f"{_CORRUPT} ({exc})", file=file, expected="an .xlsx, .xlsm or .ods workbook",
                          code=ErrorCode.BAD_WORKBOOK) from None
    parts = package.infolist()
    total = sum(info.file_size for info in parts)
    if total > max_unpacked:
        raise GendanError(f"文件解压后太大 the workbook unpacks to {total / 2**20:,.0f} MB, more than the "
                          f"{max_unpacked / 2**20:,.0f} MB limit", file=file,
                          expected="a smaller workbook (split it)", code=ErrorCode.TOO_LARGE)
    for info in parts:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= ratio_from and ratio > max_ratio:
            raise GendanError(f"文件疑似压缩炸弹 the workbook looks like a zip bomb: its part {info.filename} unpacks "
                              f"from {info.compress_size:,} to {info.file_size:,} bytes ({ratio:,.0f}:1; real "
                              f"sheets compress less than {max_ratio}:1)", file=file, expected=_SAVED_NORMALLY,
                              code=ErrorCode.UNSAFE_FILE)
    return package


def worksheet_parts(package: zipfile.ZipFile, file) -> dict[str, str]:
    """``{sheet name: part path}`` of an xlsx/xlsm package's sheets whose parts it holds ({} when it has
    no XML workbook part, e.g. an .xlsb or .ods)."""
    rels = read_xml(package, "_rels/.rels", file)
    book = main_part(rels) if rels is not None else None
    workbook = read_xml(package, book, file) if book and book.endswith(".xml") else None
    if workbook is None:
        return {}
    book_rels = read_xml(package, rels_part(book), file)
    relationships = relationships_of(book_rels, book) if book_rels is not None else []
    return {sheet.name: sheet.part for sheet in sheets_of(workbook, relationships)
            if sheet.part in package.NameToInfo}


def read_xml(package: zipfile.ZipFile, part: str, file) -> XmlPart | None:
    """A small part parsed (None when absent); a DOCTYPE or broken XML is a corrupt file."""
    if part not in package.NameToInfo:
        return None
    data = package.read(part)
    refuse_doctype(data, part, file)
    try:
        return parse(data)
    except XmlError as exc:
        raise GendanError(f"{_CORRUPT}: its part {part} is not valid XML ({exc.__cause__ or exc})", file=file,
                          expected=_SAVED_NORMALLY, code=exc.code) from None   # the cause: the parser's own words


def refuse_doctype(data: bytes, part: str, file) -> None:
    """GendanError when ``data`` (a part, or its first bytes) declares a DOCTYPE."""
    if has_doctype(data):
        raise GendanError(f"{_CORRUPT}: its part {part} declares a DOCTYPE, which workbooks never do",
                          file=file, expected=_SAVED_NORMALLY, code=ErrorCode.UNSAFE_FILE)
