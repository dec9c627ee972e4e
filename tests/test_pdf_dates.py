"""A PDF LibreOffice made, dated as its document is: dates, ID and checksum rewritten in place."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from gendan_xl.outputs.pdf import dated_pdf


def _pdf(body: bytes, made: bytes = b"20261207185716", zone: bytes = b"+01'00'") -> bytes:
    """A small PDF as LibreOffice writes one (Info dictionary, xref, trailer with ID and checksum)."""
    head = b"%PDF-1.7\n1 0 obj\n<</Type/Catalog>>\nendobj\n2 0 obj\n<</Producer(LibreOffice)\n/CreationDate(D:" + made + \
        b"Z')/ModDate(D:" + made + zone + b")>>\nendobj\n" + body
    xref = len(head)
    return head + (b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000044 00000 n \ntrailer\n"
                   b"<</Size 3/Root 1 0 R\n/Info 2 0 R\n/ID [ <A976A569BF09ECA85313CBF2A9DA7A61>\n"
                   b"<A976A569BF09ECA85313CBF2A9DA7A61> ]\n/DocChecksum /1C42ADC2E9D88A8C7A0EB2B8F288F097\n>>\n"
                   b"startxref\n%d\n%%%%EOF\n" % xref)


def test_dates_id_and_checksum_are_rewritten_in_place_from_the_day_and_the_content():
    made = _pdf(b"3 0 obj\n<</Length 4>>stream\nabcd\nendstream\nendobj\n")
    dated = dated_pdf(made, dt.date(2026, 12, 4))
    assert len(dated) == len(made)   # every offset stays right: startxref still points at the xref table
    start = int(re.search(rb"startxref\n(\d+)", dated)[1])
    assert dated[start:start + 4] == b"xref"
    assert re.findall(rb"/(?:CreationDate|ModDate)\(D:([^)]*)\)", dated) == [b"20261204000000Z'", b"20261204000000+00'00'"]
    ids = re.findall(rb"<([0-9A-F]{32})>", dated) + re.findall(rb"/DocChecksum /([0-9A-F]{32})", dated)
    blanked = re.sub(rb"[0-9A-F]{32}", b"0" * 32, dated)
    assert set(ids) == {hashlib.md5(blanked).hexdigest().upper().encode()}
    assert dated_pdf(made, dt.date(2026, 12, 4)) == dated   # the clock's time made no difference
    assert dated_pdf(_pdf(b"3 0 obj\n<</Length 4>>stream\nabcd\nendstream\nendobj\n", b"20270101010101",
                          b"-05'00'"), dt.date(2026, 12, 4)) == dated   # another moment, in another zone
    other = dated_pdf(_pdf(b"3 0 obj\n<</Length 4>>stream\nabce\nendstream\nendobj\n"), dt.date(2026, 12, 4))
    assert re.findall(rb"<([0-9A-F]{32})>", other)[0] != ids[0]   # another content, another ID


def test_a_pdf_without_those_entries_is_left_as_it_is():
    plain = b"%PDF-1.4\n1 0 obj\n<</Type/Catalog>>\nendobj\ntrailer\n<</Root 1 0 R>>\n%%EOF\n"
    assert dated_pdf(plain, dt.date(2026, 12, 4)) == plain
