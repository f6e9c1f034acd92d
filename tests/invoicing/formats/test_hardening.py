"""Hostile input (security checklist X01-X11, P01-P06): refused quickly, with a reason, never an escape."""

from __future__ import annotations

import contextlib
import gzip
import logging
import os
import re
import socket
import threading
import time
from pathlib import Path

import pypdf
import pytest
from lxml import etree
from pypdf.generic import ArrayObject, NameObject

from invoicing.formats import facturx as facturx_writer
from invoicing.formats import namespaces, pdf, pdfactive, xmlsafe
from invoicing.formats.cii import writer as cii_writer
from invoicing.formats.errors import InvoiceInputError
from invoicing.formats.reader import read_invoice
from invoicing.formats.ubl import writer as ubl_writer
from invoicing.validation import saxon
from invoicing.validation.artefacts import Stylesheet
from invoicing.validation.validate import validate
from tests.invoicing import builder
from tests.invoicing.hostile import (
    ACTIVE_CONTENT,
    billion_laughs,
    encrypted_pdf,
    fifo_sentinel,
    harmless_actions,
    pdf_with_files,
    with_additions,
)

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


def _with_prolog(prolog: str, *, encoding: str = "utf-8", bom: bytes = b"") -> bytes:
    """A real invoice whose prolog (between the XML declaration and the root) is ``prolog``."""
    body = ubl_writer.write(builder.invoice()).decode().split("?>", 1)[1]
    declared = "UTF-16" if encoding.startswith("utf-16") else "UTF-8"
    return bom + f'<?xml version="1.0" encoding="{declared}"?>\n{prolog}{body}'.encode(encoding)


def _doctype_variants(tmp_path: Path, fifo: Path) -> dict[str, bytes]:
    existing = tmp_path / "existing.dtd"
    existing.write_text('<!ENTITY x "TOP-SECRET-VALUE">')
    missing = tmp_path / "no-such-dir" / "missing.dtd"
    some_pdf = pdf_with_files({"factur-x.xml": _with_prolog(f'<!DOCTYPE Invoice SYSTEM "{fifo}">')})
    return {
        "existing file": _with_prolog(f'<!DOCTYPE Invoice SYSTEM "{existing.as_uri()}">'),
        "/etc/passwd": _with_prolog('<!DOCTYPE Invoice SYSTEM "file:///etc/passwd">'),
        "directory": _with_prolog(f'<!DOCTYPE Invoice SYSTEM "{tmp_path.as_uri()}">'),
        "missing path": _with_prolog(f'<!DOCTYPE Invoice SYSTEM "{missing.as_uri()}">'),
        "fifo": _with_prolog(f'<!DOCTYPE Invoice SYSTEM "{fifo}">'),
        "parameter entity": _with_prolog(f'<!DOCTYPE Invoice [<!ENTITY % p SYSTEM "{fifo.as_uri()}"> %p;]>'),
        "internal subset": _with_prolog('<!DOCTYPE Invoice [<!ENTITY x "y">]>'),
        "after comments and PIs": _with_prolog(f'<!-- a -->\n<?pi x?><!-- b --><!DOCTYPE Invoice SYSTEM "{fifo}">'),
        "after a 100 kB comment": _with_prolog(f'<!--{"x" * 100_000}--><!DOCTYPE Invoice SYSTEM "{fifo}">'),
        "UTF-8 with BOM": _with_prolog(f'<!DOCTYPE Invoice SYSTEM "{fifo}">', bom=b"\xef\xbb\xbf"),
        "UTF-16 LE with BOM": _with_prolog(
            f'<!DOCTYPE Invoice SYSTEM "{fifo}">', encoding="utf-16-le", bom=b"\xff\xfe"
        ),
        "UTF-16 BE with BOM": _with_prolog(
            f'<!DOCTYPE Invoice SYSTEM "{fifo}">', encoding="utf-16-be", bom=b"\xfe\xff"
        ),
        "UTF-16 LE without BOM": _with_prolog(f'<!DOCTYPE Invoice SYSTEM "{fifo}">', encoding="utf-16-le"),
        "UTF-16 BE parameter entity": _with_prolog(
            f'<!DOCTYPE Invoice [<!ENTITY % p SYSTEM "{fifo}"> %p;]>', encoding="utf-16-be"
        ),
        "Factur-X PDF": some_pdf,
    }


def test_x11_any_doctype_gets_one_answer_and_no_file_is_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "sentinel.dtd"
    with fifo_sentinel(fifo) as opened:
        variants = _doctype_variants(tmp_path, fifo)
        answers = {name: validate(data).as_json() for name, data in variants.items()}
        errors = {name: refusal(data) for name, data in variants.items()}
    refusals = {name: (e.rule, e.message, e.location, e.bt) for name, e in errors.items()}
    assert opened == []
    expected = {
        "syntax": "unknown",
        "fatal": [],
        "warning": [],
        "xsd_valid": False,
        "profile": None,
        "errors": [
            {
                "rule": "FH-DOCTYPE",
                "flag": "fatal",
                "message": "documents with a DOCTYPE (DTD, entities) are refused",
                "location": "/",
                "bt": None,
            }
        ],
    }
    assert answers == dict.fromkeys(variants, expected)
    assert refusals == dict.fromkeys(variants, ("FH-DOCTYPE", expected["errors"][0]["message"], "/", None))


def test_x11_the_libxml2_parser_itself_never_opens_what_a_doctype_names(tmp_path: Path) -> None:
    # Behind the byte scan: were a DOCTYPE ever to reach libxml2, its options must not make it read the file.
    fifo = tmp_path / "sentinel.dtd"
    with fifo_sentinel(fifo) as opened:
        for doc in (f'<!DOCTYPE a SYSTEM "{fifo}"><a/>', f'<!DOCTYPE a [<!ENTITY % p SYSTEM "{fifo}"> %p;]><a/>'):
            with contextlib.suppress(etree.XMLSyntaxError):
                etree.fromstring(doc.encode(), xmlsafe.untrusted_parser())
    assert opened == []


def _reads_are_recorded(path: Path) -> bool:
    os.utime(path, (1_000, 2_000))
    path.read_bytes()
    return path.stat().st_atime != 1_000


def test_x11_saxon_refuses_a_doctype_without_reading_what_it_names(tmp_path: Path) -> None:
    # Saxon only ever gets documents that passed the scan; should one slip through, its parser refuses it.
    sentinel = tmp_path / "sentinel.dtd"
    sentinel.write_text('<!ENTITY x "TOP-SECRET-VALUE">')
    if not _reads_are_recorded(sentinel):
        pytest.skip("this file system does not record access times")
    os.utime(sentinel, (1_000, 2_000))  # relatime records the next read: the access time is before the change
    doc = f'<!DOCTYPE Invoice SYSTEM "{sentinel.as_uri()}"><Invoice xmlns="{namespaces.UBL_INVOICE_NS}"/>'
    with pytest.raises(Exception, match="DOCTYPE is disallowed"):
        saxon.run(Stylesheet.CEN_UBL, doc)
    assert sentinel.stat().st_atime == 1_000


def test_x11_schema_locations_in_documents_are_never_followed(tmp_path: Path) -> None:
    fifo = tmp_path / "sentinel.xsd"
    xml = ubl_writer.write(builder.invoice())
    located = xml.replace(
        b"<Invoice ",
        b'<Invoice xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="'
        + f"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2 {fifo}".encode()
        + b'" ',
        1,
    )
    assert located != xml
    with fifo_sentinel(fifo) as opened:
        assert validate(located).valid
    assert opened == []


@pytest.mark.parametrize(
    "prolog",
    ["", "<!-- licence -->\n", '<?xml-stylesheet href="x.xsl"?>\n<!-- a --><!-- b -->\n', f"<!--{'x' * 100_000}-->"],
)
def test_x11_comments_and_pis_before_the_root_are_fine(prolog: str) -> None:
    for data in (
        _with_prolog(prolog),
        _with_prolog(prolog, bom=b"\xef\xbb\xbf"),
        _with_prolog(prolog, encoding="utf-16-le", bom=b"\xff\xfe"),
        _with_prolog(prolog, encoding="utf-16-be"),
    ):
        assert read_invoice(data) == builder.invoice()
        assert validate(data).valid


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE Invoice SYSTEM "file:///etc/passwd"+AD4-', "UTF-7"),
        (b'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>', "UTF-16"),
        ('<?xml version="1.0" encoding="UTF-32"?><a/>'.encode("utf-32"), "UTF-32"),
        (b"\xef\xbb\xbf<?xml version='1.0' encoding='ISO-8859-1'?><a/>", "ISO-8859-1"),
        (b"junk<!DOCTYPE a SYSTEM 'file:///etc/passwd'><a/>", "content before the root element"),
    ],
)
def test_x11_encodings_the_scan_cannot_read_exactly_are_refused(data: bytes, reason: str) -> None:
    error = refusal(data)
    assert error.rule == "FH-NOT-XML"
    assert reason in error.message


@pytest.fixture(scope="module")
def facturx() -> bytes:
    data = facturx_writer.write(builder.invoice())
    assert validate(data).valid
    return data


@pytest.mark.parametrize("where", list(ACTIVE_CONTENT))
def test_p07_a_factur_x_with_active_content_is_refused(facturx: bytes, where: str) -> None:
    data = with_additions(facturx, ACTIVE_CONTENT[where])
    error = refusal(data)
    assert error.rule == "FH-PDF-ACTIVE-CONTENT"
    assert error.message.startswith("the invoice PDF holds active content (")
    assert "PDF/A-3 forbids them" in error.message
    report = validate(data)
    assert not report.valid
    assert [f.rule for f in report.refusals] == ["FH-PDF-ACTIVE-CONTENT"]


def test_p07_the_refusal_says_where_the_script_is(facturx: bytes) -> None:
    assert (
        "(a JavaScript action at /Root/OpenAction)"
        in refusal(with_additions(facturx, ACTIVE_CONTENT["OpenAction JavaScript"])).message
    )
    assert (
        "at /Root/AcroForm/Fields[0]/AA/K" in refusal(with_additions(facturx, ACTIVE_CONTENT["form field AA"])).message
    )


def test_p07_ordinary_actions_are_fine(facturx: bytes) -> None:
    data = with_additions(facturx, harmless_actions)
    assert read_invoice(data) == builder.invoice()
    assert validate(data).valid


def test_p07_the_object_walk_is_bounded(facturx: bytes) -> None:
    def many_objects(writer: pypdf.PdfWriter) -> None:
        chain = ArrayObject()
        for _ in range(pdfactive.MAX_OBJECTS + 10):
            chain = ArrayObject([writer._add_object(chain)])
        writer._root_object[NameObject("/Threads")] = chain

    start = time.perf_counter()
    assert refusal(with_additions(facturx, many_objects)).rule == "FH-SIZE"
    assert time.perf_counter() - start < 30


def too_many_attributes_for_saxon() -> bytes:
    """A document lxml accepts and SaxonC's JAXP parser refuses (it allows 10,000 attributes per element)."""
    attributes = " ".join(f'a{i}="v"' for i in range(10_001))
    return ubl_writer.write(builder.invoice()).replace(b"<Invoice ", f"<Invoice {attributes} ".encode(), 1)


def test_internal_failures_are_logged_under_a_reference_the_client_gets(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="invoicing.formats.errors"):
        report = validate(too_many_attributes_for_saxon())
    [finding] = report.findings
    assert finding.rule == "FH-INTERNAL"
    found = re.fullmatch(
        r"the document could not be checked because of an error in the hub \(reference ([0-9a-f]{12})\); "
        r"nothing was stored: try again later, or give this reference to support",
        finding.message,
    )
    assert found is not None, finding.message
    answer = str(report.as_json())
    assert not {"JAXP", "Saxon", "SXXP", "JDK", "Error"} & set(re.findall(r"\w+", answer))
    [logged] = [r for r in caplog.records if found.group(1) in r.getMessage()]
    assert logged.exc_info is not None
    assert "JAXP00010002" in caplog.text and "PySaxonApiError" in caplog.text
