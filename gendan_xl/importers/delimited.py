"""Delimited text (csv, tsv, txt): encoding, delimiter and line endings detected; records with lines."""

from __future__ import annotations

import codecs
import csv
import io
import itertools

import charset_normalizer

from gendan_xl.model.errors import ErrorCode, GendanError
from gendan_xl.importers.gcpause import gc_paused
from gendan_xl.importers.limits import MAX_ROWS

DELIMITERS = (",", ";", "\t", "|")
_SNIFF_RECORDS = 50


# Without a byte order mark, a file that is not UTF-8 is one of the encodings suppliers' Excel saves
# CSV in: Simplified Chinese (GB18030 ⊃ GBK), Traditional Chinese (Big5), Japanese (Shift_JIS), Korean
# (EUC-KR) or Western (Windows-1252). Many byte strings decode in several of them; which one gives
# plausible text is decided by charset-normalizer (mess and language coherence), never by order.
LEGACY_ENCODINGS = ("gb18030", "big5", "shift_jis", "euc_kr", "cp1252")


def decode(data: bytes, file) -> str:
    """Text of a file in UTF-8 (with or without BOM), UTF-16 (with BOM) or, by detection, one of
    ``LEGACY_ENCODINGS``; a file whose text is implausible in every one of them is a GendanError."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8", file)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", file)
    if b"\x00" in data[:4096]:
        raise GendanError("不是文本文件 not a text file: it holds binary data (a workbook with the wrong extension?)",
                          file=file, expected="a csv file or an Excel workbook", code=ErrorCode.BAD_TEXT)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None:
        raise GendanError("无法判断文本编码 cannot tell the file's text encoding: it reads as garbled text in every "
                          "encoding tried (UTF-8, " + ", ".join(LEGACY_ENCODINGS) + ")", file=file,
                          expected="the file saved as UTF-8 (Excel: Save As → CSV UTF-8)", code=ErrorCode.BAD_TEXT)
    return str(best)


def _strict(data: bytes, encoding: str, file) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise GendanError(f"文本编码无效 not valid {encoding} text at byte {exc.start}", file=file,
                          expected=f"{encoding} as its byte order mark says", code=ErrorCode.BAD_TEXT) from None


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first records into the most rows of one same width (>1)."""
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths: dict[int, int] = {}
        reader = csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter)
        try:
            for n, row in enumerate(reader):
                if n >= _SNIFF_RECORDS:
                    break
                if row:
                    widths[len(row)] = widths.get(len(row), 0) + 1
        except csv.Error:
            continue
        width, count = max(widths.items(), key=lambda kv: (kv[1], kv[0]), default=(0, 0))
        score = (count, width) if width > 1 else (0, 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def parse_delimited(data: bytes, file, max_rows: int = MAX_ROWS) -> tuple[list[list[str]], list[int] | None]:
    """Records of a delimited text file (blank lines kept) and, when some record spans several lines,
    the line each record starts on (1-based; None when record i is simply line i + 1).
    More than ``max_rows`` records is an error (checked before reading them all)."""
    text = decode(data, file)
    if not text.strip():
        raise GendanError("文件是空的 the file is empty", file=file, expected="a header row and data rows",
                          code=ErrorCode.EMPTY_FILE)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        with gc_paused():
            rows = list(itertools.islice(reader, max_rows + 1))
    except csv.Error as exc:
        raise GendanError(f"无法读取文本 cannot read the text: {exc}", file=file, row=reader.line_num,
                          code=ErrorCode.BAD_TEXT) from None
    if len(rows) > max_rows:
        raise GendanError(f"文件行数太多 the file has more than {max_rows:,} rows, the limit for one import", file=file,
                          row=reader.line_num, expected="a smaller file (split it)", code=ErrorCode.TOO_LARGE)
    if reader.line_num == len(rows):
        return rows, None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines, start = [], 1
    for _ in reader:
        lines.append(start)
        start = reader.line_num + 1
    return rows, lines
