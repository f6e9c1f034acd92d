"""Invoices between real test structures: the builder's invoice with their identifiers as seller and buyer."""

from __future__ import annotations

import dataclasses
from typing import Any

from invoicing.formats.convert import Target, write
from invoicing.formats.model import Identifier, Invoice
from tenancy.models import Structure
from tests.invoicing import builder


def french_vat(siret: str) -> str:
    siren = siret[:9]
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def invoice_between(supplier: Structure, recipient: Structure, **overrides: Any) -> Invoice:
    base = builder.invoice()
    vat = supplier.vat_number or (french_vat(supplier.identifier) if supplier.identifier_type == "SIRET" else None)
    seller = dataclasses.replace(
        base.seller,
        name=supplier.name,
        identifiers=[Identifier(supplier.identifier[:9], "0002")] if supplier.identifier_type == "SIRET" else [],
        legal_registration=Identifier(supplier.identifier, "0009" if supplier.identifier_type == "SIRET" else None),
        vat_id=vat,
        electronic_address=Identifier(supplier.identifier, "0009") if supplier.identifier_type == "SIRET" else None,
    )
    buyer = dataclasses.replace(
        base.buyer,
        name=recipient.name,
        identifiers=[Identifier(recipient.identifier, "0009")],
        legal_registration=Identifier(recipient.identifier, "0009"),
        electronic_address=Identifier(recipient.identifier, "0009"),
    )
    # Routing data the document may carry (service BT-10, engagement BT-13, frame BT-23) is left out: tests
    # that need it put it in.
    fields: dict[str, Any] = {
        "seller": seller,
        "buyer": buyer,
        "buyer_reference": None,
        "order_ref": None,
        "process_id": None,
    }
    fields.update(overrides)
    return dataclasses.replace(base, **fields)


def ubl(invoice: Invoice) -> bytes:
    return write(invoice, Target.UBL)


def cii(invoice: Invoice) -> bytes:
    return write(invoice, Target.CII)
