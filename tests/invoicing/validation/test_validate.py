"""Syntax detection, profile choice from BT-24, report shape, and Saxon living in the process that uses it."""

from __future__ import annotations

import hashlib
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal

import pytest

from invoicing.formats.cii import writer as cii_writer
from invoicing.formats.syntax import Syntax
from invoicing.formats.ubl import writer as ubl_writer
from invoicing.validation import saxon
from invoicing.validation.artefacts import CEN_RELEASE, CII_D16B, Stylesheet, xsd_path
from invoicing.validation.report import business_term
from invoicing.validation.validate import profile_of, validate, validate_many
from tests.invoicing import builder


@pytest.mark.parametrize(
    ("data", "syntax"),
    [
        (b'<CrossIndustryDocument xmlns="urn:ferd:CrossIndustryDocument:invoice:1p0"/>', Syntax.UNKNOWN),
        (
            b'<p:FatturaElettronica xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"/>',
            Syntax.UNKNOWN,
        ),
        (b'<Invoice xmlns="urn:example:not-ubl"/>', Syntax.UNKNOWN),
        (b"<html><body>invoice</body></html>", Syntax.UNKNOWN),
        (b"%PDF-1.4 not really", Syntax.UNKNOWN),
        (b"PK\x03\x04 zip", Syntax.NOT_XML),
    ],
)
def test_unsupported_formats_are_refused_never_valid(data: bytes, syntax: Syntax) -> None:
    report = validate(data)
    assert report.syntax is syntax
    assert not report.valid
    assert report.refusals


def test_zugferd_1_refusal_says_what_it_is() -> None:
    report = validate(b'<r:CrossIndustryDocument xmlns:r="urn:ferd:CrossIndustryDocument:invoice:1p0"/>')
    assert report.refusals[0].rule == "FH-UNKNOWN-SYNTAX"


def test_each_syntax_is_detected_from_its_root() -> None:
    assert validate(ubl_writer.write(builder.invoice())).syntax is Syntax.UBL_INVOICE
    assert validate(ubl_writer.write(builder.credit_note())).syntax is Syntax.UBL_CREDITNOTE
    assert validate(cii_writer.write(builder.invoice())).syntax is Syntax.CII


def test_profile_rules_are_chosen_from_bt24() -> None:
    assert profile_of("urn:factur-x.eu:1p0:minimum") is Stylesheet.FX_MINIMUM
    assert profile_of("urn:factur-x.eu:1p0:basicwl") is Stylesheet.FX_BASICWL
    assert profile_of("urn:cen.eu:en16931:2017") is None
    assert profile_of(None) is None


def test_minimum_profile_is_not_a_full_en16931_invoice_and_gets_its_profile_rules() -> None:
    minimum = builder.invoice(specification_id="urn:factur-x.eu:1p0:minimum", lines=[])
    report = validate(cii_writer.write(minimum))
    assert report.profile == "urn:factur-x.eu:1p0:minimum"
    assert "BR-16" in report.fatal  # no line: fine for MINIMUM, not for EN 16931
    assert not report.valid
    # The MINIMUM profile checks ran: its schema refuses content MINIMUM may not carry (notes, BT-22).
    assert any(f.rule == "FX-XSD" and "IncludedNote" in f.message for f in report.findings)
    assert report.as_json()["profile_fatal"] == report.profile_fatal


def test_report_json_has_the_cli_shape() -> None:
    invoice = builder.invoice()
    invoice.totals.payable = Decimal("1.00")
    out = validate(ubl_writer.write(invoice)).as_json()
    assert set(out) >= {"syntax", "fatal", "warning", "xsd_valid", "profile", "errors"}
    assert out["fatal"] == sorted(set(out["fatal"]))
    assert out["xsd_valid"] is True
    error = next(e for e in out["errors"] if e["rule"] == "BR-CO-16")
    assert set(error) == {"rule", "flag", "message", "location", "bt"}


def test_xsd_invalid_document_is_reported_as_such() -> None:
    xml = ubl_writer.write(builder.invoice()).replace(b"<cbc:BuyerReference>", b"<cbc:Unknown/><cbc:BuyerReference>")
    report = validate(xml)
    assert report.xsd_valid is False
    assert not report.valid
    assert any(f.source == "xsd" and "Unknown" in f.message for f in report.findings)


def test_a_cii_invoice_without_its_number_is_xsd_invalid_as_the_official_d16b_schema_says() -> None:
    # ExchangedDocument/ID is mandatory in CII D16B; the D22B schema facturehub used before makes it optional.
    xml = cii_writer.write(builder.invoice())
    number = f"<ram:ID>{builder.invoice().number}</ram:ID>".encode()
    assert xml.count(number) == 1
    report = validate(xml.replace(number, b"", 1))
    assert report.xsd_valid is False
    assert "BR-02" in report.fatal
    ram = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"
    assert [f.message for f in report.findings if f.source == "xsd"] == [
        f"Element '{ram}TypeCode': This element is not expected. Expected is ( {ram}ID )."
    ]


# git's blob ids of the four files at validation-1.3.16 (b6c9e06) of ConnectingEurope/eInvoicing-EN16931, under
# "cii/schema/D16B SCRDM (Subset)/uncoupled clm/CII/uncefact/data/standard/": the files are theirs, unmodified.
OFFICIAL_D16B_BLOBS = {
    "CrossIndustryInvoice_100pD16B.xsd": "31ea141348f0e8b865f36aa1232385409e7b874b",
    "CrossIndustryInvoice_QualifiedDataType_100pD16B.xsd": "5d2e178bac11118a885baf3a31766b443ee897bf",
    "CrossIndustryInvoice_ReusableAggregateBusinessInformationEntity_100pD16B.xsd": (
        "89679d68cf5b7c313e6497dc5ab14127370c88b1"
    ),
    "CrossIndustryInvoice_UnqualifiedDataType_100pD16B.xsd": "fe1e80cd9518920f933182cee12cf5fdaff6a9ee",
}


def test_the_cii_schema_is_the_official_d16b_uncoupled_one_unmodified() -> None:
    assert xsd_path(Syntax.CII) == CII_D16B / "CrossIndustryInvoice_100pD16B.xsd"
    found = {}
    for path in sorted(CII_D16B.glob("*.xsd")):
        content = path.read_bytes()
        found[path.name] = hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()
    assert found == OFFICIAL_D16B_BLOBS


def test_business_term_is_taken_from_the_message() -> None:
    assert business_term("[BR-01]-An Invoice shall have a Specification identifier (BT-24).") == "BT-24"
    assert business_term("[BR-CO-18]-An Invoice shall at least have one VAT breakdown group (BG-23).") == "BG-23"
    assert business_term("no term here") is None


def test_bundled_artefacts_are_the_release_behind_the_recorded_verdicts() -> None:
    for sheet in (Stylesheet.CEN_UBL, Stylesheet.CEN_CII):
        assert CEN_RELEASE in sheet.path.read_text(encoding="utf-8")[:5000]


def _validate_in_child(data: bytes) -> tuple[int, bool, list[str]]:
    import os

    report = validate(data)
    return os.getpid(), report.valid, report.fatal


def test_saxon_runs_in_spawned_and_forkserver_workers_after_the_parent_used_it() -> None:
    good = ubl_writer.write(builder.invoice())
    assert validate(good).valid  # the parent has a live processor now
    for method in ("spawn", "forkserver"):
        context = multiprocessing.get_context(method)
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            pid, valid, fatal = pool.submit(_validate_in_child, good).result(timeout=120)
        assert valid and fatal == []
    assert validate(good).valid


def test_processor_is_created_once_per_process_and_reused() -> None:
    validate(ubl_writer.write(builder.invoice()))
    first = saxon._state["proc"]
    validate(cii_writer.write(builder.invoice()))
    assert saxon._state["proc"] is first
    assert Stylesheet.CEN_UBL in saxon._state["compiled"] and Stylesheet.CEN_CII in saxon._state["compiled"]


def test_batch_keeps_order_and_isolates_broken_documents() -> None:
    good = ubl_writer.write(builder.invoice())
    bad_totals = builder.invoice()
    bad_totals.totals.payable = Decimal("1.00")
    documents = [good, b"not xml", cii_writer.write(bad_totals), b"<Other/>", cii_writer.write(builder.invoice())]
    reports = validate_many(documents)
    assert [r.syntax for r in reports] == [
        Syntax.UBL_INVOICE,
        Syntax.NOT_XML,
        Syntax.CII,
        Syntax.UNKNOWN,
        Syntax.CII,
    ]
    assert [r.valid for r in reports] == [True, False, False, False, True]
    assert reports[2].fatal == ["BR-CO-16"]
    assert [r.as_json() for r in reports] == [validate(d).as_json() for d in documents]


def test_documents_in_another_encoding_are_validated_on_their_decoded_text() -> None:
    invoice = builder.invoice()
    invoice.seller.name = "Société Générale d'Électricité"
    latin1 = (
        ubl_writer.write(invoice)
        .decode("utf-8")
        .replace("encoding='UTF-8'", "encoding='ISO-8859-1'")
        .encode("iso-8859-1")
    )
    assert b"ISO-8859-1" in latin1
    report = validate(latin1)
    assert report.valid, report.as_json()
