"""Moving a transmission along its life cycle: every party's record changes together, or none does.

Optimistic locking: all records of a transmission share one version number; a change applies only to the
version the actor saw, so of two people acting at once one wins and the other is told to look again.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.deposit import events as logged
from invoicing.deposit import rules
from invoicing.deposit.records import InvoiceAttachment, InvoiceEvent, InvoiceRecord, RecordSide
from invoicing.deposit.transmission import Actor, attachments_for, clone, copy_for, event, store_files
from invoicing.lifecycle.transitions import Frame, Side, Status, TransitionRefused, check_transition
from invoicing.platform_codes import PlatformCode
from invoicing.refusal_codes import RefusalCode
from invoicing.wording import Said
from tenancy import privileged
from tenancy.db import Database
from tenancy.events import record as event_log
from tenancy.events.actor import EventActor
from tenancy.events.record import NewEvent
from tenancy.events.types import EventType
from tenancy.models import Structure
from tenancy.moments import aware

SYSTEM = "facturehub"
TACIT_VALIDATION_DELAY = timedelta(days=15)
# A validator's decision is an event of its own kind in every party's log.
VALIDATOR_DECISIONS = {Status.VALIDEE_1: EventType.INVOICE_VALIDATED, Status.REFUSEE_1: EventType.INVOICE_REFUSED}
SIDE_OF_RECORD = {
    RecordSide.ISSUED.value: Side.SUPPLIER,
    RecordSide.RECEIVED.value: Side.RECIPIENT,
    RecordSide.TO_VALIDATE.value: Side.VALIDATOR,
}


class ActionRefused(Exception):
    """Said to the actor: a :class:`RefusalCode`, or the platform rule a new attachment or addressing broke."""

    def __init__(self, code: RefusalCode | PlatformCode, said: Said, field: str | None = None) -> None:
        self.message = said.text("en")
        super().__init__(self.message)
        self.code = code
        self.said = said
        self.field = field


async def own_record(db: Database, actor: Actor, invoice_id: uuid.UUID) -> InvoiceRecord:
    async with db.tenant_session(actor.tenant_id) as session:
        record = await session.scalar(
            select(InvoiceRecord).where(InvoiceRecord.tenant_id == actor.tenant_id, InvoiceRecord.id == invoice_id)
        )
    if record is None:
        raise ActionRefused(RefusalCode.NOT_FOUND, RefusalCode.NOT_FOUND.words(), "invoiceId")
    return record


def _parties(record: InvoiceRecord) -> set[uuid.UUID]:
    return {record.supplier_id, record.recipient_id} | ({record.validator_id} if record.validator_id else set())


async def _advance(
    session: AsyncSession,
    record: InvoiceRecord,
    steps: Sequence[tuple[Status, Side, str]],
    *,
    reason: str | None,
    action: str,
    now: datetime,
    expected_version: int,
    actor: Actor | None,
    kind: EventType = EventType.INVOICE_STATUS_CHANGED,
) -> list[NewEvent]:
    """Apply ``steps`` (status, side, actor name) to every record of the transmission, at one version.

    Returns each party's log events, one per step and record: ``kind`` for the actor's own step, status
    changes for the hub's steps that follow it. The caller writes them with the rest of its events."""
    final = steps[-1][0]
    result = await session.execute(
        update(InvoiceRecord)
        .where(
            InvoiceRecord.tenant_id.in_(_parties(record)),
            InvoiceRecord.transmission_id == record.transmission_id,
            InvoiceRecord.version == expected_version,
        )
        .values(status=final.value, status_at=now, version=expected_version + 1)
        .execution_options(synchronize_session=False)
    )
    copies = list(
        await session.scalars(
            select(InvoiceRecord).where(
                InvoiceRecord.tenant_id.in_(_parties(record)), InvoiceRecord.transmission_id == record.transmission_id
            )
        )
    )
    if result.rowcount != len(copies):  # type: ignore[attr-defined]
        raise ActionRefused(RefusalCode.CONFLICT, RefusalCode.CONFLICT.words(), "invoiceId")
    current = Status(record.status)
    logs: list[NewEvent] = []
    for index, (status, side, name) in enumerate(steps):
        for copy in copies:
            logs.append(
                logged.changed(
                    copy,
                    kind if index == 0 else EventType.INVOICE_STATUS_CHANGED,
                    logged.step_actor(side, name, actor),
                    now,
                    status_from=current,
                    status_to=status,
                    reason=reason if index == 0 else None,
                )
            )
            session.add(
                event(
                    copy,
                    at=now,
                    action=action if index == 0 else "STATUS",
                    actor_side=side,
                    actor_name=name,
                    status_from=current,
                    status_to=status,
                    reason=reason if index == 0 else None,
                )
            )
        current = status
    return logs


async def change_status(
    db: Database,
    actor: Actor,
    invoice_id: uuid.UUID,
    target: Status,
    reason: str | None = None,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> InvoiceRecord:
    """A recipient's decision (processInvoice) or a validator's (validateSubcontractInvoice)."""
    now = now or datetime.now(UTC)
    record = await own_record(db, actor, invoice_id)
    side = SIDE_OF_RECORD[record.side]
    if side is Side.SUPPLIER:
        # The supplier's moves have their own actions: completing needs a comment or documents, and
        # re-routing needs the new addressing and a new received record. A bare status change would skip both.
        forbidden = RefusalCode.FORBIDDEN_TRANSITION
        raise ActionRefused(forbidden, forbidden.words("supplier-status"), "status")
    _check(record, target, side, reason, expected_version)
    steps: list[tuple[Status, Side, str]] = [(target, side, actor.name)]
    kind = VALIDATOR_DECISIONS.get(target) if side is Side.VALIDATOR else None
    async with privileged.across(db, _parties(record)) as session:
        if target in (Status.VALIDEE_1,):
            steps += [(Status.DEPOSEE, Side.SYSTEM, SYSTEM), (Status.MISE_A_DISPOSITION, Side.SYSTEM, SYSTEM)]
        logs = await _advance(
            session,
            record,
            steps,
            reason=reason,
            action="STATUS",
            now=now,
            expected_version=record.version,
            actor=actor,
            kind=kind or EventType.INVOICE_STATUS_CHANGED,
        )
        if target is Status.VALIDEE_1:
            logs.append(await _deliver_to_recipient(session, record, now))
        await event_log.record(session, logs)
    return await own_record(db, actor, invoice_id)


async def validate_tacitly(db: Database, invoice_id: uuid.UUID, tenant_id: uuid.UUID, *, now: datetime) -> bool:
    """The 15-day rule: a subcontractor invoice nobody validated is validated by silence. False if not due."""
    system = Actor(tenant_id=tenant_id, name=SYSTEM, subject="system")
    try:
        record = await own_record(db, system, invoice_id)
    except ActionRefused:
        return False
    if record.status != Status.A_VALIDER_1.value or now - aware(record.deposited_at) < TACIT_VALIDATION_DELAY:
        return False
    steps = [
        (Status.ABSENCE_VALIDATION_1_HORS_DELAI, Side.SYSTEM, SYSTEM),
        (Status.DEPOSEE, Side.SYSTEM, SYSTEM),
        (Status.MISE_A_DISPOSITION, Side.SYSTEM, SYSTEM),
    ]
    async with privileged.across(db, _parties(record)) as session:
        logs = await _advance(
            session, record, steps, reason=None, action="STATUS", now=now, expected_version=record.version, actor=None
        )
        logs.append(await _deliver_to_recipient(session, record, now))
        await event_log.record(session, logs)
    return True


async def complete(
    db: Database,
    actor: Actor,
    invoice_id: uuid.UUID,
    comment: str | None,
    attachments: Sequence[rules.AttachmentFile],
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> InvoiceRecord:
    """The supplier answers a suspension with a comment and/or documents (SUSPENDUE -> COMPLETEE)."""
    now = now or datetime.now(UTC)
    record = await own_record(db, actor, invoice_id)
    if not (comment and comment.strip()) and not attachments:
        raise ActionRefused(RefusalCode.INVALID, RefusalCode.INVALID.words("complete"), "comment")
    problems = await rules.check_attachments_async(0, attachments)
    if problems:
        raise ActionRefused(PlatformCode(problems[0].code), problems[0], problems[0].field)
    _check(record, Status.COMPLETEE, SIDE_OF_RECORD[record.side], comment, expected_version)
    async with privileged.across(db, _parties(record)) as session:
        logs = await _advance(
            session,
            record,
            [(Status.COMPLETEE, Side.SUPPLIER, actor.name)],
            reason=comment.strip() if comment else None,
            action="COMPLETE",
            now=now,
            expected_version=record.version,
            actor=actor,
            kind=EventType.INVOICE_COMPLETED,
        )
        files = await store_files(session, attachments)
        for copy in await _copies(session, record):
            session.add_all(attachments_for(copy, files, kind="COMPLEMENT", at=now))
        await event_log.record(session, logs)
    return await own_record(db, actor, invoice_id)


async def recycle(
    db: Database,
    actor: Actor,
    invoice_id: uuid.UUID,
    addressing: rules.Addressing,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> InvoiceRecord:
    """The supplier re-routes an invoice sent back (A_RECYCLER): same number, new recipient/service/engagement."""
    now = now or datetime.now(UTC)
    record = await own_record(db, actor, invoice_id)
    _check(record, Status.DEPOSEE, SIDE_OF_RECORD[record.side], None, expected_version)
    # Re-routing corrects what the document said about the recipient: the new addressing is the truth now,
    # each part defaulting to the current one.
    facts = rules.RoutingFacts(buyer_sirets=[], buyer_reference=None, order_ref=None, amount_due=record.amount_due)
    readdressed = rules.Addressing(
        recipient_identifier=addressing.recipient_identifier or record.recipient_identifier,
        service_code=addressing.service_code if addressing.service_code is not None else record.service_code,
        engagement_number=(
            addressing.engagement_number if addressing.engagement_number is not None else record.engagement_number
        ),
        frame=Frame(record.frame),
        validator_identifier=record.validator_identifier,
    )
    # One transaction, as for a deposit: the new recipient's settings checked are those it is routed under.
    async with privileged.across(db, _parties(record)) as session:
        supplier = await session.get(Structure, actor.tenant_id)
        assert supplier is not None
        routing, problems = await rules.check_routing(session, supplier, facts, readdressed, today=now.date())
        if problems or routing is None:
            first = problems[0]
            raise ActionRefused(PlatformCode(first.code), first, first.field)
        parties = _parties(record) | {routing.recipient.id}  # check_routing included the new recipient
        old = await session.scalar(
            select(InvoiceRecord).where(
                InvoiceRecord.tenant_id == record.recipient_id,
                InvoiceRecord.transmission_id == record.transmission_id,
            )
        )
        logs = await _advance(
            session,
            record,
            [
                (Status.DEPOSEE, Side.SUPPLIER, actor.name),
                (Status.MISE_A_DISPOSITION, Side.SYSTEM, SYSTEM),
            ],
            reason=None,
            action="RECYCLE",
            now=now,
            expected_version=record.version,
            actor=actor,
            kind=EventType.INVOICE_REROUTED,
        )
        values = {
            "recipient_id": routing.recipient.id,
            "recipient_identifier": routing.recipient.identifier,
            "recipient_name": routing.recipient.name,
            "service_code": routing.service_code,
            "engagement_number": routing.engagement_number,
        }
        await session.execute(
            update(InvoiceRecord)
            .where(InvoiceRecord.tenant_id.in_(parties), InvoiceRecord.transmission_id == record.transmission_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if old is not None and old.tenant_id != routing.recipient.id:
            # Sent back as "not ours": the former recipient's copy goes; the new one gets the whole story.
            # The former recipient hears that it left (its first event), not where it went or what follows.
            logs = [e for e in logs if e.tenant_id != old.tenant_id or e.type is EventType.INVOICE_REROUTED]
            logs.append(await _move_received(session, old, routing.recipient.id, now))
        await event_log.record(session, logs)
    return await own_record(db, actor, invoice_id)


async def acknowledge_rejection(
    db: Database, actor: Actor, invoice_id: uuid.UUID, *, now: datetime | None = None
) -> InvoiceRecord:
    now = now or datetime.now(UTC)
    record = await own_record(db, actor, invoice_id)
    if record.side != RecordSide.ISSUED.value:
        forbidden = RefusalCode.FORBIDDEN_TRANSITION
        raise ActionRefused(forbidden, forbidden.words("acknowledge-side"), "invoiceId")
    if record.status != Status.REJETEE.value:
        forbidden = RefusalCode.FORBIDDEN_TRANSITION
        raise ActionRefused(forbidden, forbidden.words("acknowledge-status", status=record.status), "invoiceId")
    if record.rejection_acknowledged_at is not None:
        return record
    async with privileged.across(db, _parties(record)) as session:
        await session.execute(
            update(InvoiceRecord)
            .where(
                InvoiceRecord.tenant_id.in_(_parties(record)),
                InvoiceRecord.transmission_id == record.transmission_id,
            )
            .values(rejection_acknowledged_at=now)
            .execution_options(synchronize_session=False)
        )
        logs = []
        for copy in await _copies(session, record):
            session.add(
                event(copy, at=now, action="ACKNOWLEDGE_REJECTION", actor_side=Side.SUPPLIER, actor_name=actor.name)
            )
            logs.append(logged.changed(copy, EventType.INVOICE_REJECTION_ACKNOWLEDGED, logged.actor_of(actor), now))
        await event_log.record(session, logs)
    return await own_record(db, actor, invoice_id)


# --- helpers ------------------------------------------------------------------------------------


def _check(record: InvoiceRecord, target: Status, side: Side, reason: str | None, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != record.version:
        conflict = RefusalCode.CONFLICT
        raise ActionRefused(
            conflict, conflict.words("version", expected=expected_version, current=record.version), "version"
        )
    try:
        check_transition(Status(record.status), target, side, Frame(record.frame), reason)
    except TransitionRefused as refused:
        raise ActionRefused(
            refused.code, refused.said, "reason" if refused.code is RefusalCode.REASON_REQUIRED else "status"
        ) from refused


async def _copies(session: AsyncSession, record: InvoiceRecord) -> list[InvoiceRecord]:
    return list(
        await session.scalars(
            select(InvoiceRecord).where(
                InvoiceRecord.tenant_id.in_(_parties(record)), InvoiceRecord.transmission_id == record.transmission_id
            )
        )
    )


async def _deliver_to_recipient(session: AsyncSession, record: InvoiceRecord, now: datetime) -> NewEvent:
    """After validation the recipient gets its copy, with the whole history so far; its arrival event."""
    issued = await session.scalar(
        select(InvoiceRecord).where(
            InvoiceRecord.tenant_id == record.supplier_id, InvoiceRecord.transmission_id == record.transmission_id
        )
    )
    assert issued is not None
    await session.refresh(issued)
    received = copy_for(issued, record.recipient_id, RecordSide.RECEIVED)
    session.add(received)
    await session.flush()
    await _copy_history(session, issued, received)
    return logged.arrived(received, EventActor.system(SYSTEM), now)


async def _copy_history(session: AsyncSession, source: InvoiceRecord, target: InvoiceRecord) -> None:
    """The new copy of a transmission gets the whole story so far: history and files."""
    for table in (InvoiceEvent, InvoiceAttachment):
        rows = await session.scalars(
            select(table).where(table.tenant_id == source.tenant_id, table.invoice_id == source.id)
        )
        session.add_all(clone(row, tenant_id=target.tenant_id, id=uuid.uuid4(), invoice_id=target.id) for row in rows)


async def _move_received(
    session: AsyncSession, old: InvoiceRecord, new_recipient: uuid.UUID, now: datetime
) -> NewEvent:
    issued = await session.scalar(
        select(InvoiceRecord).where(
            InvoiceRecord.tenant_id == old.supplier_id, InvoiceRecord.transmission_id == old.transmission_id
        )
    )
    assert issued is not None
    await session.refresh(issued)
    for table in (InvoiceEvent, InvoiceAttachment):
        await session.execute(delete(table).where(table.tenant_id == old.tenant_id, table.invoice_id == old.id))
    await session.execute(
        delete(InvoiceRecord).where(InvoiceRecord.tenant_id == old.tenant_id, InvoiceRecord.id == old.id)
    )
    received = copy_for(issued, new_recipient, RecordSide.RECEIVED)
    session.add(received)
    await session.flush()
    await _copy_history(session, issued, received)
    return logged.arrived(received, EventActor.system(SYSTEM), now)
