"""An invoice's events: one per party's record, in that party's workspace, about that record alone.

The payload holds what the party's own record shows (number, statuses, the reason given, the other
party's name): never another side's record id or anything the party could not read on its invoice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from invoicing.deposit.records import InvoiceRecord, RecordSide
from invoicing.deposit.transmission import Actor
from invoicing.lifecycle.transitions import Side, Status
from tenancy.events.actor import EventActor
from tenancy.events.record import NewEvent
from tenancy.events.types import EventType, ObjectKind

ARRIVAL = {
    RecordSide.ISSUED.value: EventType.INVOICE_DEPOSITED,
    RecordSide.RECEIVED.value: EventType.INVOICE_RECEIVED,
    RecordSide.TO_VALIDATE.value: EventType.INVOICE_TO_VALIDATE,
}


def actor_of(actor: Actor) -> EventActor:
    return EventActor.of_subject(actor.name, actor.subject)


def step_actor(side: Side, name: str, actor: Actor | None) -> EventActor:
    """A step of the hub's own (the automatic moves after a decision) names the hub, not the person."""
    if side is Side.SYSTEM or actor is None:
        return EventActor.system(name)
    return actor_of(actor)


def counterpart(record: InvoiceRecord) -> str:
    return record.recipient_name if record.side == RecordSide.ISSUED.value else record.supplier_name


def arrived(record: InvoiceRecord, actor: EventActor, at: datetime) -> NewEvent:
    """The record has just appeared in its workspace: deposited, received, or to validate."""
    return _event(
        record,
        ARRIVAL[record.side],
        actor,
        at,
        {"status": str(record.status), "counterpart": counterpart(record), "frame": str(record.frame)},
    )


def changed(
    record: InvoiceRecord,
    type_: EventType,
    actor: EventActor,
    at: datetime,
    *,
    status_from: Status | None = None,
    status_to: Status | None = None,
    reason: str | None = None,
) -> NewEvent:
    payload: dict[str, Any] = {}
    if status_to is not None:
        payload["status"] = status_to.value
    if status_from is not None:
        payload["from_status"] = status_from.value
    if reason is not None:
        payload["reason"] = reason
    return _event(record, type_, actor, at, payload)


def _event(record: InvoiceRecord, type_: EventType, actor: EventActor, at: datetime, extra: dict[str, Any]) -> NewEvent:
    return NewEvent(
        tenant_id=record.tenant_id,
        type=type_,
        object_kind=ObjectKind.INVOICE,
        object_id=record.id,
        actor=actor,
        occurred_at=at,
        payload={"number": record.number, **extra},
    )
