"""Inputs shared by invoice mutations."""

from __future__ import annotations

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
