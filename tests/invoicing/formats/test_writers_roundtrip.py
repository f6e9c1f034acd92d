"""Writers and readers agree with each other and with the official rules, on invoices built in the test."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pypdf
import pytest

from invoicing.formats import facturx as facturx_writer
from invoicing.formats.cii import writer as cii_writer
from invoicing.formats.model import Invoice
from invoicing.formats.pdf import extract
from invoicing.formats.reader import read_invoice
from invoicing.formats.syntax import Syntax
from invoicing.formats.ubl import writer as ubl_writer
from invoicing.validation.validate import validate
from tests.invoicing import builder

WRITERS: dict[str, Callable[[Invoice], bytes]] = {
    "ubl": ubl_writer.write,
    "cii": cii_writer.write,
    "facturx": facturx_writer.write,
}
INVOICES = {"plain": builder.invoice, "rich": builder.rich_invoice, "credit-note": builder.credit_note}


def _differences(a: Invoice, b: Invoice) -> dict[str, object]:
    left, right = dataclasses.asdict(a), dataclasses.asdict(b)
    return {key: (left[key], right[key]) for key in left if left[key] != right[key]}


@pytest.mark.parametrize("target", WRITERS)
@pytest.mark.parametrize("kind", INVOICES)
def test_written_invoice_reads_back_identical(kind: str, target: str) -> None:
    original = INVOICES[kind]()
    again = read_invoice(WRITERS[target](original))
    assert again == original, _differences(original, again)


@pytest.mark.parametrize("target", WRITERS)
@pytest.mark.parametrize("kind", INVOICES)
def test_written_invoice_passes_xsd_and_official_rules(kind: str, target: str) -> None:
    report = validate(WRITERS[target](INVOICES[kind]()))
    assert report.xsd_valid, [f.message for f in report.findings if f.source == "xsd"]
    assert report.fatal == [], [f.message for f in report.findings if f.flag == "fatal"]
    assert report.valid


def test_credit_note_type_code_gives_a_ubl_credit_note() -> None:
    assert validate(ubl_writer.write(builder.credit_note())).syntax is Syntax.UBL_CREDITNOTE
    assert validate(ubl_writer.write(builder.invoice())).syntax is Syntax.UBL_INVOICE


def test_amounts_keep_the_scale_they_were_written_with() -> None:
    invoice = builder.invoice()
    invoice.lines[0] = dataclasses.replace(invoice.lines[0], quantity=Decimal("10.000"))
    for write in WRITERS.values():
        assert str(read_invoice(write(invoice)).lines[0].quantity) == "10.000"


def test_broken_totals_are_caught_by_the_official_rules() -> None:
    invoice = builder.invoice()
    invoice.totals.payable = invoice.totals.payable + Decimal("1.00")  # type: ignore[operator]
    for target in ("ubl", "cii"):
        report = validate(WRITERS[target](invoice))
        assert "BR-CO-16" in report.fatal
        finding = next(f for f in report.findings if f.rule == "BR-CO-16")
        assert finding.bt == "BT-115"
        assert finding.location.startswith("/")


def test_facturx_pdf_embeds_the_cii_as_pdf_a_3() -> None:
    pdf = facturx_writer.write(builder.invoice())
    extracted = extract(pdf)
    assert extracted.name == "factur-x.xml"
    assert b"CrossIndustryInvoice" in extracted.xml
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    catalog: Any = reader.trailer["/Root"]
    xmp = catalog["/Metadata"].get_object().get_data()
    assert b"<pdfaid:part>3</pdfaid:part>" in xmp
    assert b"<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" in xmp
    assert b"<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>" in xmp
    assert catalog["/AF"][0].get_object()["/AFRelationship"] == "/Data"
    assert catalog["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    # PDF/A: every font the page uses is embedded (no bare Helvetica from reportlab's defaults).
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        descriptor = font.get_object().get("/FontDescriptor")
        assert descriptor is not None and "/FontFile2" in descriptor.get_object()
    assert "F-2026-0042" in reader.pages[0].extract_text()


def test_facturx_level_follows_bt24() -> None:
    assert facturx_writer.facturx_level("urn:factur-x.eu:1p0:minimum") == "minimum"
    assert facturx_writer.facturx_level("urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic") == "basic"
    assert facturx_writer.facturx_level("urn:cen.eu:en16931:2017") == "en16931"
    assert facturx_writer.facturx_level(None) == "en16931"


@pytest.mark.parametrize("target", ["ubl", "cii"])
def test_held_out_decimal_rule_fires_on_a_generated_negative(target: str) -> None:
    # The CEN unit tests have no "must fire" case for most BR-DEC rules: generate one (BT-115, 3 decimals).
    invoice = builder.invoice()
    invoice.totals.payable = Decimal("81.601")
    report = validate(WRITERS[target](invoice))
    assert "BR-DEC-18" in report.fatal
    assert next(f for f in report.findings if f.rule == "BR-DEC-18").bt == "BT-115"
