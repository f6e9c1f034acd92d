"""Hostile input (security checklist X01-X11, P01-P06): refused quickly, with a reason, never an escape."""

from __future__ import annotations

import gzip
import socket
import threading
import time
from pathlib import Path

import pytest

from invoicing import cii_writer, pdf, ubl_writer, xmlsafe
from invoicing.errors import InvoiceInputError
from invoicing.reader import read_invoice
from invoicing.validation import validate
from tests.invoicing import builder
from tests.invoicing.hostile import billion_laughs, encrypted_pdf, pdf_with_files

UBL = b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"'


def refusal(data: bytes) -> InvoiceInputError:
    with pytest.raises(InvoiceInputError) as caught:
        read_invoice(data)
    return caught.value


def test_x01_external_entity_is_refused_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        f'{UBL.decode()}><ID xmlns="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">&x;</ID>'
        "</Invoice>"
    ).encode()
    assert refusal(data).rule == "FH-DOCTYPE"
    report = validate(data)
    assert not report.valid
    assert report.refusals[0].rule == "FH-DOCTYPE"
    assert "TOP-SECRET" not in str(report.as_json())


def test_x02_external_dtd_is_refused_without_any_connection() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    port = server.getsockname()[1]
    connections = []

    def accept() -> None:
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            connections.append(conn)
            conn.close()

    listener = threading.Thread(target=accept)
    listener.start()
    data = (
        f'<?xml version="1.0"?><!DOCTYPE Invoice SYSTEM "http://127.0.0.1:{port}/evil.dtd">'
        f'<!-- --><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'
    ).encode()
    param = (
        f'<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/p.dtd"> %p;]>'
        f"{UBL.decode()}/>"
    ).encode()
    try:
        for payload in (data, param):
            assert refusal(payload).rule in ("FH-DOCTYPE", "FH-NOT-XML")
            assert not validate(payload).valid
    finally:
        listener.join()
        server.close()
    assert connections == []


def test_x03_entity_expansion_bomb_fails_fast() -> None:
    start = time.perf_counter()
    assert refusal(billion_laughs()).rule in ("FH-DOCTYPE", "FH-NOT-XML")
    assert not validate(billion_laughs()).valid
    assert time.perf_counter() - start < 1.0


def test_x04_deep_nesting_is_refused() -> None:
    data = UBL + b">" + b"<a>" * 5000 + b"</a>" * 5000 + b"</Invoice>"
    error = refusal(data)
    assert error.rule == "FH-NOT-XML"
    assert "depth" in error.message.lower() or "huge" in error.message.lower()


def test_x05_oversized_document_is_refused_before_parsing() -> None:
    data = UBL + b"><Note>" + b"x" * 20_000_000 + b"</Note></Invoice>"
    start = time.perf_counter()
    error = refusal(data)
    assert error.rule == "FH-SIZE"
    assert time.perf_counter() - start < 0.5
    assert validate(data).refusals[0].rule == "FH-SIZE"


def test_x06_many_attributes_parse_in_bounded_time() -> None:
    attributes = " ".join(f'a{i}="v"' for i in range(50_000))
    data = f"<Root {attributes}/>".encode()
    start = time.perf_counter()
    assert refusal(data).rule == "FH-UNKNOWN-SYNTAX"
    assert time.perf_counter() - start < 0.5


def test_x07_xinclude_is_never_processed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    xml = ubl_writer.write(builder.invoice())
    include = f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" parse="text" href="{secret.as_uri()}"/>'
    xml = xml.replace(b"<cbc:Note>", f"<cbc:Note>{include}".encode(), 1)
    invoice = read_invoice(xml)
    assert "TOP-SECRET" not in repr(invoice)
    assert "TOP-SECRET" not in str(validate(xml).as_json())


def test_x09_compressed_xml_is_refused() -> None:
    error = refusal(gzip.compress(ubl_writer.write(builder.invoice())))
    assert error.rule == "FH-NOT-XML"
    assert "gzip" in error.message


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\x00\x00",
        b"\xff\xfe<\x00I\x00",
        b'<?xml version="1.0" encoding="UTF-8-W/O-BOM"?><Invoice/>',
        b'<?xml version="1.0" encoding="no-such-encoding"?><Invoice/>',
        b"<Invoice><unclosed></Invoice>",
        UBL + b">\x00</Invoice>",
        b"not xml at all",
    ],
)
def test_x10_malformed_bytes_give_a_reason(data: bytes) -> None:
    error = refusal(data)
    assert error.rule in ("FH-NOT-XML", "FH-UNKNOWN-SYNTAX")
    assert error.message
    report = validate(data)
    assert not report.valid and report.refusals


def test_x10_byte_order_mark_is_accepted() -> None:
    data = b"\xef\xbb\xbf" + cii_writer.write(builder.invoice())
    assert read_invoice(data) == builder.invoice()
    assert validate(data).valid


def test_missing_mandatory_term_names_its_business_term() -> None:
    xml = ubl_writer.write(builder.invoice()).replace(b"<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>", b"")
    error = refusal(xml)
    assert (error.rule, error.bt) == ("FH-MISSING", "BT-5")
    bad_amount = ubl_writer.write(builder.invoice()).replace(b">4.50<", b">4,50<", 1)
    error = refusal(bad_amount)
    assert (error.rule, error.bt) == ("FH-NUMBER", "BT-146")
    assert "/" in error.location


def test_p01_flate_bomb_is_cut_off() -> None:
    bomb = pdf_with_files({"factur-x.xml": b"<" + b" " * 60_000_000 + b">"})
    assert len(bomb) < 200_000
    start = time.perf_counter()
    error = refusal(bomb)
    assert error.rule == "FH-SIZE"
    assert time.perf_counter() - start < 5


def test_p02_nested_filters_are_refused() -> None:
    nested = pdf_with_files({"factur-x.xml": cii_writer.write(builder.invoice())}, filters=8)
    assert refusal(nested).rule == "FH-SIZE"


@pytest.mark.parametrize("cut", [20, 200, -30])
def test_p03_truncated_or_broken_pdf_fails_fast(cut: int) -> None:
    good = pdf_with_files({"factur-x.xml": cii_writer.write(builder.invoice())})
    start = time.perf_counter()
    error = refusal(good[:cut])
    assert error.rule.startswith("FH-")
    assert time.perf_counter() - start < 2


def test_p03_circular_prev_fails_fast() -> None:
    data = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\nxref\n0 1\n0000000000 65535 f \ntrailer<</Size 1/Root 1 0 R/Prev 9>>\nstartxref\n9\n%%EOF"
    start = time.perf_counter()
    assert refusal(data).rule.startswith("FH-PDF")
    assert time.perf_counter() - start < 2


def test_p04_thousands_of_attachments_are_refused() -> None:
    many = pdf_with_files({f"f{i}.txt": b"x" for i in range(pdf.MAX_ATTACHMENTS + 5)})
    assert refusal(many).rule == "FH-PDF-ATTACHMENTS"


def test_p05_attachment_names_are_never_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    traversal = pdf_with_files({"../../factur-x.xml": cii_writer.write(builder.invoice())})
    error = refusal(traversal)
    assert error.rule == "FH-PDF-NO-XML"
    assert "../../factur-x.xml" in error.message
    assert list(tmp_path.iterdir()) == []


def test_p06_encrypted_pdf_is_refused() -> None:
    locked = encrypted_pdf({"factur-x.xml": cii_writer.write(builder.invoice())})
    assert refusal(locked).rule == "FH-PDF-ENCRYPTED"
    assert not validate(locked).valid


def test_af_fallback_finds_the_invoice_when_the_name_tree_is_broken() -> None:
    xml = cii_writer.write(builder.invoice())
    assert read_invoice(pdf_with_files({"factur-x.xml": xml}, names_tree=False)) == builder.invoice()
    with pytest.raises(InvoiceInputError):
        read_invoice(pdf_with_files({"factur-x.xml": xml}, names_tree=False, af=False))


@pytest.mark.parametrize("name", pdf.INVOICE_NAMES)
def test_every_standard_attachment_name_is_found(name: str) -> None:
    xml = cii_writer.write(builder.invoice())
    extracted = pdf.extract(pdf_with_files({"bon.pdf": b"%PDF-1.4", name: xml}))
    assert (extracted.name, extracted.xml) == (name, xml)


def test_factur_x_name_wins_over_zugferd_one() -> None:
    xml = cii_writer.write(builder.invoice())
    extracted = pdf.extract(pdf_with_files({"ZUGFeRD-invoice.xml": b"<old/>", "factur-x.xml": xml}))
    assert extracted.name == "factur-x.xml"


def test_xml_size_limit_is_checked_on_bytes_not_after_parsing() -> None:
    with pytest.raises(InvoiceInputError) as caught:
        xmlsafe.parse(b"<a/>" + b" " * 100, max_bytes=50)
    assert caught.value.rule == "FH-SIZE"
