"""The invoice's own content for a readable rendering: parties with their addresses, references, payment.

Read from the semantic model stored with each record (``invoicing.formats.details``), never by parsing the document
again. Every string here is the depositor's text: clients must show it as text, never as markup.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry


@strawberry.type(description="A postal address as written in the invoice (BG-5, BG-8).")
class InvoiceDocumentAddress:
    line1: str | None = strawberry.field(description="BT-35, BT-50")
    line2: str | None = strawberry.field(description="BT-36, BT-51")
    line3: str | None = strawberry.field(description="BT-162, BT-163")
    postcode: str | None = strawberry.field(description="BT-38, BT-53")
    city: str | None = strawberry.field(description="BT-37, BT-52")
    subdivision: str | None = strawberry.field(description="BT-39, BT-54")
    country: str | None = strawberry.field(description="BT-40, BT-55 (ISO 3166-1 alpha-2)")


@strawberry.type(description="A contact of a party (BG-6, BG-9).")
class InvoiceDocumentContact:
    name: str | None
    phone: str | None
    email: str | None


@strawberry.type(description="The seller (BG-4) or the buyer (BG-7) as the invoice names it.")
class InvoiceDocumentParty:
    name: str | None = strawberry.field(description="BT-27, BT-44")
    trading_name: str | None = strawberry.field(description="BT-28, BT-45")
    legal_registration: str | None = strawberry.field(description="BT-30, BT-47 (SIREN, SIRET...)")
    identifiers: list[str] = strawberry.field(description="BT-29, BT-46")
    vat_id: str | None = strawberry.field(description="BT-31, BT-48")
    address: InvoiceDocumentAddress | None
    contact: InvoiceDocumentContact | None


@strawberry.type(description="An account to pay by credit transfer (BG-17).")
class InvoiceCreditTransfer:
    account: str = strawberry.field(description="BT-84 (IBAN...)")
    account_name: str | None = strawberry.field(description="BT-85")
    provider: str | None = strawberry.field(description="BT-86 (BIC)")


@strawberry.type(description="How the invoice asks to be paid (BG-16).")
class InvoicePaymentInstructions:
    means_code: str | None = strawberry.field(description="BT-81 (UNTDID 4461: 30 transfer, 58 SEPA transfer...)")
    means_text: str | None = strawberry.field(description="BT-82")
    remittance: str | None = strawberry.field(description="BT-83")
    credit_transfers: list[InvoiceCreditTransfer]
    mandate: str | None = strawberry.field(description="BT-89 (direct debit mandate)")


@strawberry.type(description="The invoice's content beyond its routing: parties, references, terms, notes.")
class InvoiceDocument:
    seller: InvoiceDocumentParty
    buyer: InvoiceDocumentParty
    due_date: date | None = strawberry.field(description="BT-9")
    payment_terms: str | None = strawberry.field(description="BT-20")
    payment: InvoicePaymentInstructions | None
    buyer_reference: str | None = strawberry.field(description="BT-10")
    project_reference: str | None = strawberry.field(description="BT-11")
    contract_reference: str | None = strawberry.field(description="BT-12")
    order_reference: str | None = strawberry.field(description="BT-13")
    sales_order_reference: str | None = strawberry.field(description="BT-14")
    receiving_advice_reference: str | None = strawberry.field(description="BT-15")
    despatch_advice_reference: str | None = strawberry.field(description="BT-16")
    tender_reference: str | None = strawberry.field(description="BT-17")
    buyer_accounting_reference: str | None = strawberry.field(description="BT-19")
    period_start: date | None = strawberry.field(description="BT-73")
    period_end: date | None = strawberry.field(description="BT-74")
    delivery_date: date | None = strawberry.field(description="BT-72")
    notes: list[str] = strawberry.field(description="BT-22, in document order")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _day(value: Any) -> date | None:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, date) else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _identifier(value: Any) -> str | None:
    return _text(_dict(value).get("value"))


def _party(raw: Any) -> InvoiceDocumentParty:
    party = _dict(raw)
    address = _dict(party.get("address"))
    contact = _dict(party.get("contact"))
    return InvoiceDocumentParty(
        name=_text(party.get("name")),
        trading_name=_text(party.get("trading_name")),
        legal_registration=_identifier(party.get("legal_registration")),
        identifiers=[v for v in (_identifier(i) for i in party.get("identifiers") or []) if v],
        vat_id=_text(party.get("vat_id")),
        address=InvoiceDocumentAddress(
            line1=_text(address.get("line1")),
            line2=_text(address.get("line2")),
            line3=_text(address.get("line3")),
            postcode=_text(address.get("postcode")),
            city=_text(address.get("city")),
            subdivision=_text(address.get("subdivision")),
            country=_text(address.get("country")),
        )
        if address
        else None,
        contact=InvoiceDocumentContact(
            name=_text(contact.get("name")), phone=_text(contact.get("phone")), email=_text(contact.get("email"))
        )
        if contact
        else None,
    )


def _payment(raw: Any) -> InvoicePaymentInstructions | None:
    payment = _dict(raw)
    if not payment:
        return None
    return InvoicePaymentInstructions(
        means_code=_text(payment.get("means_code")),
        means_text=_text(payment.get("means_text")),
        remittance=_text(payment.get("remittance")),
        credit_transfers=[
            InvoiceCreditTransfer(
                account=str(t.get("account") or ""),
                account_name=_text(t.get("account_name")),
                provider=_text(t.get("provider")),
            )
            for t in map(_dict, payment.get("credit_transfers") or [])
        ],
        mandate=_text(payment.get("mandate")),
    )


def document_of(details: dict[str, Any]) -> InvoiceDocument:
    """``details``: the stored model (``invoicing.formats.details.to_details``); missing parts read as empty."""
    period = _dict(details.get("period"))
    delivery = _dict(details.get("delivery"))
    return InvoiceDocument(
        seller=_party(details.get("seller")),
        buyer=_party(details.get("buyer")),
        due_date=_day(details.get("due_date")),
        payment_terms=_text(details.get("payment_terms")),
        payment=_payment(details.get("payment")),
        buyer_reference=_text(details.get("buyer_reference")),
        project_reference=_text(details.get("project_ref")),
        contract_reference=_text(details.get("contract_ref")),
        order_reference=_text(details.get("order_ref")),
        sales_order_reference=_text(details.get("sales_order_ref")),
        receiving_advice_reference=_text(details.get("receiving_advice_ref")),
        despatch_advice_reference=_text(details.get("despatch_advice_ref")),
        tender_reference=_text(details.get("tender_ref")),
        buyer_accounting_reference=_text(details.get("buyer_accounting_ref")),
        period_start=_day(period.get("start")),
        period_end=_day(period.get("end")),
        delivery_date=_day(delivery.get("date")),
        notes=[n for n in (_text(_dict(note).get("text")) for note in details.get("notes") or []) if n],
    )
