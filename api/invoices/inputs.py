"""Inputs shared by invoice mutations."""

from __future__ import annotations

import strawberry
from strawberry.file_uploads import Upload

from api.invoices.types import InvoiceFrame
from invoicing.deposit.rules import Addressing
from invoicing.lifecycle.transitions import Frame

FRAME_DESCRIPTION = (
    "The frame (cadre de facturation). Default: the one the document names in BT-23 (A1, A2, A9 or A12), "
    "else A1; when both are given they must agree."
)


def addressing(
    recipient_identifier: str | None,
    service_code: str | None,
    engagement_number: str | None,
    frame: Frame | None,
    validator_identifier: str | None,
) -> Addressing:
    def clean(value: str | None) -> str | None:
        return value.strip() or None if value else None

    return Addressing(
        recipient_identifier=clean(recipient_identifier),
        service_code=clean(service_code),
        engagement_number=clean(engagement_number),
        frame=Frame(frame) if frame else None,
        validator_identifier=clean(validator_identifier),
    )


@strawberry.input
class AddressedDocument:
    """A document and where it goes: what a deposit and its preview both take."""

    document: Upload = strawberry.field(description="The invoice: UBL, CII or Factur-X (PDF/A-3).")
    attachments: list[Upload] | None = None
    recipient_identifier: str | None = strawberry.field(default=None, description="The recipient's SIRET.")
    service_code: str | None = strawberry.field(default=None, description="BT-10")
    engagement_number: str | None = strawberry.field(default=None, description="BT-13")
    frame: InvoiceFrame | None = strawberry.field(default=None, description=FRAME_DESCRIPTION)
    validator_identifier: str | None = strawberry.field(default=None, description="The validator's SIRET (A9/A12).")

    def addressing(self) -> Addressing:
        return addressing(
            self.recipient_identifier, self.service_code, self.engagement_number, self.frame, self.validator_identifier
        )
