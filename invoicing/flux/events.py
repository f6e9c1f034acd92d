"""A flux's events, in the depositor's workspace: deposited, each step of its processing, its end."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from tenancy.events.actor import EventActor
from tenancy.events.record import NewEvent
from tenancy.events.types import EventType, ObjectKind


def flux_event(
    tenant_id: uuid.UUID,
    flux_id: uuid.UUID,
    type_: EventType,
    actor: EventActor,
    at: datetime,
    *,
    number: str,
    status: str,
    **extra: Any,
) -> NewEvent:
    """``extra``: a member's outcome (``member_index``, ``member_name``, ``member_status``, ``invoice_number``)
    or the final counts (``accepted``, ``rejected``)."""
    return NewEvent(
        tenant_id=tenant_id,
        type=type_,
        object_kind=ObjectKind.FLUX,
        object_id=flux_id,
        actor=actor,
        occurred_at=at,
        payload={"number": number, "status": status, **{k: v for k, v in extra.items() if v is not None}},
    )
