"""Depositing one invoice: check everything, then route it to its recipient in one transaction.

``check`` is also the preview: it runs every check ``deposit`` would and stores nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.deposit import events as logged
from invoicing.deposit import rules, storage
from invoicing.deposit.problems import Problem, from_report, platform_problem
from invoicing.deposit.records import InvoiceEvent, InvoiceRecord, RecordSide
from invoicing.deposit.transmission import (
    Actor,
    amount,
    attachments_for,
    copy_for,
    event,
    insert_rows,
    search_text_of,
    store_files,
)
from invoicing.formats import pdf
from invoicing.formats.details import to_details
from invoicing.formats.model import Invoice
from invoicing.lifecycle.transitions import Side, Status, first_status
from invoicing.platform_codes import PlatformCode
from invoicing.validation.checking import examine_async
from invoicing.validation.report import Report
from tenancy import privileged
from tenancy.db import Database
from tenancy.events import record as event_log
from tenancy.models import Structure

SYSTEM = "facturehub"
# Work done inside the routing transaction, after the records are written (e.g. claiming an idempotency key).
Within = Callable[[AsyncSession, InvoiceRecord], Awaitable[None]]


@dataclass(frozen=True)
class DocumentFile:
    filename: str
    content: bytes
    media_type: str = "application/octet-stream"  # what the client declared: the stored type comes from the content


@dataclass
class Checked:
    report: Report | None
    invoice: Invoice | None
    routing: rules.Routing | None
    problems: list[Problem] = field(default_factory=list)
    number: str | None = None  # BT-1 as the document states it, also when it is refused

    @property
    def accepted(self) -> bool:
        return not self.problems and self.routing is not None and self.invoice is not None


@dataclass
class Deposited:
    checked: Checked
    issued: InvoiceRecord | None = None
    history: list[InvoiceEvent] = field(default_factory=list)  # the issued record's, in order

    @property
    def accepted(self) -> bool:
        return self.issued is not None


def document_media_type(content: bytes) -> str:
    """A deposited invoice is a Factur-X PDF or XML, whatever the client declared (it passed validation)."""
    return "application/pdf" if pdf.is_pdf(content) else "application/xml"


def duplicate_problem(invoice: Invoice) -> Problem:
    year = invoice.issue_date.year if invoice.issue_date else "?"
    return platform_problem(PlatformCode.DUPLICATE_NUMBER, "document", "BT-1", number=invoice.number, year=year)


async def check(
    db: Database,
    supplier_id: uuid.UUID,
    document: DocumentFile,
    attachments: Sequence[rules.AttachmentFile],
    addressing: rules.Addressing,
    *,
    now: datetime | None = None,
) -> Checked:
    today = (now or datetime.now(UTC)).date()
    checked = await _examine(document, attachments)
    if checked.invoice is None:
        return checked  # the report already says why it cannot be read
    async with privileged.across(db, {supplier_id}) as session:
        await _check_within(session, supplier_id, checked, addressing, today)
    return checked


async def _examine(document: DocumentFile, attachments: Sequence[rules.AttachmentFile]) -> Checked:
    report, invoice, number = await examine_async(document.content)
    problems = from_report(report) + await rules.check_attachments_async(len(document.content), attachments)
    return Checked(report, invoice, None, problems, number)


async def _check_within(
    session: AsyncSession, supplier_id: uuid.UUID, checked: Checked, addressing: rules.Addressing, today: date
) -> Structure:
    """The platform rules that read the database, in the caller's transaction (opened for the supplier)."""
    invoice = checked.invoice
    assert invoice is not None
    supplier = await session.get(Structure, supplier_id)
    if supplier is None:
        raise LookupError("workspace structure missing")  # a token for a deleted tenant: a bug, not user input
    checked.problems += rules.check_document_facts(invoice, supplier)
    if invoice.issue_date is not None and await _number_taken(session, supplier_id, invoice):
        checked.problems.append(duplicate_problem(invoice))
    routing, routing_problems = await rules.check_routing(
        session, supplier, rules.RoutingFacts.of(invoice), addressing, today=today
    )
    checked.routing = routing
    checked.problems += routing_problems
    return supplier


async def _number_taken(session: AsyncSession, supplier_id: uuid.UUID, invoice: Invoice) -> bool:
    assert invoice.issue_date is not None
    stmt = select(InvoiceRecord.id).where(
        InvoiceRecord.tenant_id == supplier_id,
        InvoiceRecord.side == RecordSide.ISSUED.value,
        InvoiceRecord.supplier_id == supplier_id,
        InvoiceRecord.year == invoice.issue_date.year,
        InvoiceRecord.number == invoice.number,
    )
    return await session.scalar(stmt) is not None


async def deposit(
    db: Database,
    actor: Actor,
    document: DocumentFile,
    attachments: Sequence[rules.AttachmentFile],
    addressing: rules.Addressing,
    *,
    flux_id: uuid.UUID | None = None,
    now: datetime | None = None,
    within: Within | None = None,
) -> Deposited:
    """Check, then route: the database checks and the writes are one transaction, so what was checked
    (the recipient's settings, the number's uniqueness) is what the invoice is written against."""
    now = now or datetime.now(UTC)
    checked = await _examine(document, attachments)
    if checked.invoice is None:
        return Deposited(checked)
    try:
        async with privileged.across(db, {actor.tenant_id}) as session:
            supplier = await _check_within(session, actor.tenant_id, checked, addressing, now.date())
            if not checked.accepted:
                return Deposited(checked)
            issued, history = await _route(
                session, supplier, actor, document, attachments, checked, flux_id, now, within
            )
    except IntegrityError:
        # Two deposits of the same number raced past the check: the unique index decided.
        checked.problems.append(duplicate_problem(checked.invoice))
        return Deposited(checked)
    return Deposited(checked, issued, history)


def _syntax_label(report: Report) -> str:
    return "Factur-X" if report.container == "pdf" else str(report.syntax)


async def _route(
    session: AsyncSession,
    supplier: Structure,
    actor: Actor,
    document: DocumentFile,
    attachments: Sequence[rules.AttachmentFile],
    checked: Checked,
    flux_id: uuid.UUID | None,
    now: datetime,
    within: Within | None,
) -> tuple[InvoiceRecord, list[InvoiceEvent]]:
    """Write both sides' records, their history and attachments, and the document once (content-addressed).

    Returns the supplier's record and its history."""
    invoice, routing, report = checked.invoice, checked.routing, checked.report
    assert invoice is not None and routing is not None and report is not None and invoice.issue_date is not None
    sha = await storage.store(session, document.content, document_media_type(document.content))
    files = await store_files(session, attachments)
    start = first_status(routing.frame)
    issued = InvoiceRecord(
        tenant_id=supplier.id,
        id=uuid.uuid4(),
        transmission_id=uuid.uuid4(),
        side=RecordSide.ISSUED.value,
        number=invoice.number,
        issue_date=invoice.issue_date,
        year=invoice.issue_date.year,
        type_code=invoice.type_code,
        is_credit_note=invoice.is_credit_note,
        frame=routing.frame.value,
        currency=invoice.currency,
        supplier_id=supplier.id,
        supplier_identifier=supplier.identifier,
        supplier_name=supplier.name,
        recipient_id=routing.recipient.id,
        recipient_identifier=routing.recipient.identifier,
        recipient_name=routing.recipient.name,
        validator_id=routing.validator.id if routing.validator else None,
        validator_identifier=routing.validator.identifier if routing.validator else None,
        service_code=routing.service_code,
        engagement_number=routing.engagement_number,
        total_without_vat=amount(invoice.totals.without_vat),
        total_vat=amount(invoice.totals.vat),
        total_with_vat=amount(invoice.totals.with_vat),
        amount_due=amount(invoice.totals.payable),
        status=start.value,
        status_at=now,
        version=1,
        deposited_at=now,
        document_sha256=sha,
        document_name=document.filename[:200],
        syntax=_syntax_label(report),
        flux_id=flux_id,
        rejection_acknowledged_at=None,
        details={**to_details(invoice), "validation_report": _report_json(report)},
    )
    issued.search_text = search_text_of(issued)
    records = [issued]
    if routing.validator is not None:
        records.append(copy_for(issued, routing.validator.id, RecordSide.TO_VALIDATE))
    else:
        records.append(copy_for(issued, routing.recipient.id, RecordSide.RECEIVED))
        for record in records:
            record.status = Status.MISE_A_DISPOSITION
    events = []
    for record in records:
        events.append(
            event(record, at=now, action="DEPOSIT", actor_side=Side.SUPPLIER, actor_name=actor.name, status_to=start)
        )
        if routing.validator is None:
            events.append(
                event(
                    record,
                    at=now,
                    action="STATUS",
                    actor_side=Side.SYSTEM,
                    actor_name=SYSTEM,
                    status_from=Status.DEPOSEE,
                    status_to=Status.MISE_A_DISPOSITION,
                )
            )
    await insert_rows(session, records)  # the records first: events and attachments point at them
    await insert_rows(session, events)
    await insert_rows(
        session, [a for record in records for a in attachments_for(record, files, kind="DEPOSIT", at=now)]
    )
    # Each party's own record arrives in its own workspace's log, with the records.
    author = logged.actor_of(actor)
    await event_log.record(session, [logged.arrived(r, author, now) for r in records])
    if routing.validator is not None:  # the 15-day tacit validation timer, committed with the invoice
        from invoicing.lifecycle.timers import schedule_tacit_validation

        await schedule_tacit_validation(session, issued)
    if within is not None:
        await within(session, issued)
    return issued, [e for e in events if e.invoice_id == issued.id]


def _report_json(report: Report) -> dict[str, object]:
    """What the detail view shows of the validation: the syntax, the profile, and the (non-fatal) findings."""
    return {
        "syntax": _syntax_label(report),
        "profile": report.profile,
        "findings": [f.as_json() for f in report.findings],
    }
