"""Fluxes: one archive (zip or tar.gz) of up to 500 invoices, checked at once, integrated in the background.

Synchronous part (``deposit_flux``): the archive is checked whole before anything is stored (size first,
then every member: count, names, types, sizes, compression ratio, nesting), then stored once
(content-addressed) as a flux ``IN_RECU`` with a Chorus Pro style number, and a job is enqueued in the
same transaction.

Background part (``run_job``): ``IN_EN_ATTENTE_TRAITEMENT_CPP`` -> ``IN_EN_COURS_TRAITEMENT_CPP`` ->
``IN_INTEGRE`` | ``IN_INTEGRE_PARTIEL`` | ``IN_REJETE`` (``IN_INCIDENTE`` when the stored archive cannot
be read or the job keeps failing). Each member is deposited with ``deposit.deposit`` in its own
transaction, and its outcome row (``flux_members``, primary key flux + member index) is written in that
same transaction: a worker that dies half-way leaves each member either fully deposited and recorded or
untouched, and the retry skips the recorded ones. A member that cannot be read, or makes validation
fail, is reported and the rest goes on.

Members: invoices only, ``.xml`` (UBL 2.1 or CII D16B) or ``.pdf`` (Factur-X / ZUGFeRD); directory
entries are ignored. Attachments travel inside the invoice (UBL ``AdditionalDocumentReference``, PDFs
embedded in Factur-X) or through ``submitInvoice``; any other file refuses the archive.
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.deposit import service as deposit_module
from invoicing.deposit import storage
from invoicing.deposit.events import actor_of
from invoicing.deposit.problems import Problem, platform_problem
from invoicing.deposit.records import FluxMember, FluxRecord, FluxStatus, InvoiceRecord
from invoicing.deposit.rules import Addressing
from invoicing.deposit.transmission import Actor
from invoicing.flux.archive import LIMITS, ArchiveMember, ArchiveRefused, Limits, archive_kind, inspect, read_archive
from invoicing.flux.events import flux_event
from invoicing.platform_codes import PlatformCode
from tenancy.db import Database
from tenancy.events import record as event_log
from tenancy.events.actor import EventActor
from tenancy.events.types import EventType
from tenancy.jobs import queue as jobs
from tenancy.jobs.queue import ClaimedJob, Clock

JOB_KIND = "flux"


FINAL = frozenset({FluxStatus.IN_INTEGRE, FluxStatus.IN_INTEGRE_PARTIEL, FluxStatus.IN_REJETE, FluxStatus.IN_INCIDENTE})
ACCEPTED, REJECTED = "ACCEPTED", "REJECTED"


def new_number(now: datetime) -> str:
    """Chorus Pro style: CPP + 22 digits (25 characters), time first so numbers sort by deposit."""
    return f"CPP{now:%Y%m%d%H%M%S}{secrets.randbelow(10**8):08d}"


async def deposit_flux(
    db: Database, actor: Actor, filename: str, data: bytes, *, now: datetime, limits: Limits = LIMITS
) -> FluxRecord:
    """Check the archive, store it and queue its processing; ArchiveRefused (nothing stored) otherwise."""
    await asyncio.to_thread(inspect, data, limits)  # decompressing it all is CPU work: off the event loop
    media_type = "application/zip" if archive_kind(data) == "zip" else "application/gzip"
    async with db.tenant_session(actor.tenant_id) as session:
        sha = await storage.store(session, data, media_type)
        flux = FluxRecord(
            tenant_id=actor.tenant_id,
            id=uuid.uuid4(),
            number=new_number(now),
            filename=(filename or "flux")[:200],
            archive_sha256=sha,
            status=FluxStatus.IN_RECU.value,
            deposited_at=now,
            updated_at=now,
            depositor=actor.name[:200],
            report=[],
        )
        session.add(flux)
        await session.flush()
        await event_log.record(
            session,
            [
                flux_event(
                    actor.tenant_id,
                    flux.id,
                    EventType.FLUX_DEPOSITED,
                    actor_of(actor),
                    now,
                    number=flux.number,
                    status=flux.status,
                    filename=flux.filename,
                )
            ],
        )
        await jobs.enqueue(session, JOB_KIND, {"flux_id": str(flux.id)}, for_tenant=actor.tenant_id, run_at=now)
    return flux


# --- processing (background) --------------------------------------------------------------------------


# The background steps are the hub's work, whoever deposited the archive (flux.deposited names them).
HUB = EventActor.system()


async def _set_status(db: Database, tenant: uuid.UUID, flux_id: uuid.UUID, status: FluxStatus, now: datetime) -> None:
    async with db.tenant_session(tenant) as session:
        await session.execute(
            update(FluxRecord)
            .where(FluxRecord.tenant_id == tenant, FluxRecord.id == flux_id)
            .values(status=status.value, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        number = await _number(session, tenant, flux_id)
        await event_log.record(
            session,
            [flux_event(tenant, flux_id, EventType.FLUX_PROGRESSED, HUB, now, number=number, status=status.value)],
        )


async def _number(session: AsyncSession, tenant: uuid.UUID, flux_id: uuid.UUID) -> str:
    number = await session.scalar(
        select(FluxRecord.number).where(FluxRecord.tenant_id == tenant, FluxRecord.id == flux_id)
    )
    assert number is not None, "a flux being processed exists"
    return number


async def _member_done(session: AsyncSession, outcome: FluxMember) -> None:
    """One more member processed: its outcome in the depositor's log, with the outcome row."""
    number = await _number(session, outcome.tenant_id, outcome.flux_id)
    progressed = flux_event(
        outcome.tenant_id,
        outcome.flux_id,
        EventType.FLUX_PROGRESSED,
        HUB,
        outcome.processed_at,
        number=number,
        status=FluxStatus.IN_EN_COURS_TRAITEMENT_CPP.value,
        member_index=outcome.index,
        member_name=outcome.name,
        member_status=outcome.status,
        invoice_number=outcome.invoice_number,
    )
    await event_log.record(session, [progressed])


async def run_job(db: Database, job: ClaimedJob, clock: Clock) -> None:
    tenant = job.for_tenant
    assert tenant is not None, "a flux job names the depositor's workspace"
    flux_id = uuid.UUID(str(job.payload["flux_id"]))
    async with db.tenant_session(tenant) as session:
        flux = await session.scalar(select(FluxRecord).where(FluxRecord.tenant_id == tenant, FluxRecord.id == flux_id))
        if flux is None or FluxStatus(flux.status) in FINAL:
            return
        stored = await storage.fetch(session, flux.archive_sha256)
        done = set(
            await session.scalars(
                select(FluxMember.index).where(FluxMember.tenant_id == tenant, FluxMember.flux_id == flux_id)
            )
        )
    if FluxStatus(flux.status) is FluxStatus.IN_RECU:
        await _set_status(db, tenant, flux_id, FluxStatus.IN_EN_ATTENTE_TRAITEMENT_CPP, clock.now())
    await _set_status(db, tenant, flux_id, FluxStatus.IN_EN_COURS_TRAITEMENT_CPP, clock.now())
    actor = Actor(tenant_id=tenant, name=flux.depositor, subject=f"flux:{flux.number}")
    try:
        if stored is None:
            raise ArchiveRefused("FLUX_CORRUPT", "the stored archive is missing")
        for member in read_archive(stored.content):
            if member.index in done:
                continue
            if await _start_member(db, tenant, flux_id, member.index) > MAX_MEMBER_STARTS:
                await _record(db, tenant, flux_id, member, clock.now(), REJECTED, [_crashed(member)])
                continue
            await process_member(db, actor, flux_id, member, now=clock.now())
    except ArchiveRefused as refused:
        await _finish(db, tenant, flux_id, clock.now(), incident=Problem(PlatformCode.FLUX_INCIDENT, refused.message))
        return
    await _finish(db, tenant, flux_id, clock.now())


MAX_MEMBER_STARTS = 2  # a member whose processing started twice and never ended killed the worker twice


async def _start_member(db: Database, tenant: uuid.UUID, flux_id: uuid.UUID, index: int) -> int:
    """Note that member ``index`` is under way; how many times its processing has started (this one included)."""
    async with db.tenant_session(tenant) as session:
        row = (
            await session.execute(
                select(FluxRecord.member_in_progress, FluxRecord.member_starts).where(
                    FluxRecord.tenant_id == tenant, FluxRecord.id == flux_id
                )
            )
        ).one()
        starts = (row.member_starts or 0) + 1 if row.member_in_progress == index else 1
        await session.execute(
            update(FluxRecord)
            .where(FluxRecord.tenant_id == tenant, FluxRecord.id == flux_id)
            .values(member_in_progress=index, member_starts=starts)
            .execution_options(synchronize_session=False)
        )
    return starts


def _crashed(member: ArchiveMember) -> Problem:
    return platform_problem(PlatformCode.FLUX_MEMBER_CRASHED, "document", starts=MAX_MEMBER_STARTS)


async def _record(
    db: Database,
    tenant: uuid.UUID,
    flux_id: uuid.UUID,
    member: ArchiveMember,
    now: datetime,
    status: str,
    problems: list[Problem],
    *,
    number: str | None = None,
) -> None:
    try:
        async with db.tenant_session(tenant) as session:
            outcome = _outcome(tenant, flux_id, member, now, status, problems=problems, number=number)
            session.add(outcome)
            await session.flush()  # a member recorded already: refused here, before its event is written
            await _member_done(session, outcome)
    except IntegrityError:
        pass  # recorded already (as accepted by a concurrent run, or rejected by an earlier one)


def _is_infrastructure(exc: BaseException) -> bool:
    """Failures of the database or the machine: the job retries them, they say nothing about the member."""
    return isinstance(exc, SQLAlchemyError | OSError | TimeoutError | MemoryError)


async def process_member(
    db: Database, actor: Actor, flux_id: uuid.UUID, member: ArchiveMember, *, now: datetime
) -> None:
    """Deposit one member and record its outcome, in the deposit's transaction when it is accepted."""
    tenant = actor.tenant_id

    async def record_accepted(session: AsyncSession, issued: InvoiceRecord) -> None:
        outcome = _outcome(tenant, flux_id, member, now, ACCEPTED, issued=issued)
        session.add(outcome)
        await session.flush()  # a member already recorded (a retry racing another worker) undoes this deposit
        await _member_done(session, outcome)

    document = deposit_module.DocumentFile(member.name.rsplit("/", 1)[-1], member.content, member.media_type)
    number: str | None = None
    try:
        result = await deposit_module.deposit(
            db, actor, document, [], Addressing(), flux_id=flux_id, now=now, within=record_accepted
        )
        problems, number = result.checked.problems, result.checked.number
        if result.accepted:
            return
    except Exception as exc:
        if _is_infrastructure(exc):
            raise
        problems = [platform_problem(PlatformCode.FLUX_MEMBER_UNREADABLE, "document", error=type(exc).__name__)]
    await _record(db, tenant, flux_id, member, now, REJECTED, problems, number=number)


NUMBER_CHARS = 20  # the hub's longest invoice number (FH-NUMBER-FORMAT), and the report column's width


def _shown_number(number: str | None) -> str | None:
    """A refused document's number may be longer than any accepted one (that may be why it was refused):
    cut to the column, with an ellipsis so that nobody takes the cut for the number."""
    if number is None or len(number) <= NUMBER_CHARS:
        return number
    return number[: NUMBER_CHARS - 1] + "\u2026"


def _outcome(
    tenant: uuid.UUID,
    flux_id: uuid.UUID,
    member: ArchiveMember,
    now: datetime,
    status: str,
    *,
    issued: InvoiceRecord | None = None,
    problems: list[Problem] | None = None,
    number: str | None = None,
) -> FluxMember:
    """A member's outcome; ``number`` is what a refused document states as BT-1 (an accepted one's is issued's)."""
    return FluxMember(
        tenant_id=tenant,
        flux_id=flux_id,
        index=member.index,
        name=member.name[:255],
        status=status,
        invoice_id=issued.id if issued else None,
        invoice_number=issued.number if issued else _shown_number(number),
        problems=[p.as_json() for p in problems or []],
        processed_at=now,
    )


def report_entry(row: FluxMember) -> dict[str, Any]:
    return {
        "index": row.index,
        "name": row.name,
        "status": row.status,
        "invoiceId": str(row.invoice_id) if row.invoice_id else None,
        "number": row.invoice_number,
        "problems": row.problems,
    }


async def _finish(
    db: Database, tenant: uuid.UUID, flux_id: uuid.UUID, now: datetime, *, incident: Problem | None = None
) -> None:
    """The final state, and the frozen report (the members' outcomes, as consulterCRDetaille returns them)."""
    async with db.tenant_session(tenant) as session:
        rows = list(
            await session.scalars(
                select(FluxMember)
                .where(FluxMember.tenant_id == tenant, FluxMember.flux_id == flux_id)
                .order_by(FluxMember.index)
            )
        )
        accepted = sum(1 for r in rows if r.status == ACCEPTED)
        if incident is not None:
            status = FluxStatus.IN_INCIDENTE
        elif accepted == len(rows):
            status = FluxStatus.IN_INTEGRE
        elif accepted == 0:
            status = FluxStatus.IN_REJETE
        else:
            status = FluxStatus.IN_INTEGRE_PARTIEL
        report = [report_entry(r) for r in rows]
        if incident is not None:
            report.append(
                {
                    "index": None,
                    "name": None,
                    "status": "INCIDENT",
                    "problems": [incident.as_json()],
                }
            )
        await session.execute(
            update(FluxRecord)
            .where(FluxRecord.tenant_id == tenant, FluxRecord.id == flux_id)
            .values(status=status.value, updated_at=now, report=report)
            .execution_options(synchronize_session=False)
        )
        finished = flux_event(
            tenant,
            flux_id,
            EventType.FLUX_FINISHED,
            HUB,
            now,
            number=await _number(session, tenant, flux_id),
            status=status.value,
            accepted=accepted,
            rejected=len(rows) - accepted,
        )
        await event_log.record(session, [finished])


async def mark_incident(db: Database, job: ClaimedJob, error: str, *, now: datetime) -> None:
    """The job gave up (it kept failing): the flux is IN_INCIDENTE, to be deposited again."""
    if job.for_tenant is None:
        return
    flux_id = uuid.UUID(str(job.payload["flux_id"]))
    await _finish(
        db,
        job.for_tenant,
        flux_id,
        now,
        incident=platform_problem(PlatformCode.FLUX_INCIDENT, "", None, "", error=error),
    )
