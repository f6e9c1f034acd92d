"""Database records of deposited invoices: one per side (issued, received, to validate), their history,
their files (stored once, content-addressed), fluxes and idempotency keys.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from invoicing.lifecycle.transitions import Frame, Side, Status
from tenancy.columns import EnumText
from tenancy.db import Base, TenantScoped

AMOUNT = Numeric(19, 6)


class RecordSide(StrEnum):
    """Whose copy of the transmission a record is (Chorus Pro's spaces)."""

    ISSUED = "ISSUED"  # factures émises: the supplier's copy
    RECEIVED = "RECEIVED"  # factures reçues: the public recipient's copy
    TO_VALIDATE = "TO_VALIDATE"  # factures à valider: the validator's copy (A9/A12)


class StoredDocument(Base):
    """A file kept once whatever the number of records that point at it (key: SHA-256 of the bytes).

    Global, not tenant-owned: a transmission's document is shared by both sides. It is only ever reached
    through a record of the caller's tenant that names its digest.
    """

    __tablename__ = "documents"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class InvoiceRecord(TenantScoped, Base):
    __tablename__ = "invoices"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    transmission_id: Mapped[uuid.UUID] = mapped_column()  # identifiantFactureCPP: the same on every side
    side: Mapped[RecordSide] = mapped_column(EnumText(RecordSide, 12))
    number: Mapped[str] = mapped_column(String(20))  # BT-1
    issue_date: Mapped[date] = mapped_column(Date)  # BT-2
    year: Mapped[int] = mapped_column(Integer)  # numbers are unique per supplier and year
    type_code: Mapped[str] = mapped_column(String(3))  # BT-3
    is_credit_note: Mapped[bool] = mapped_column(Boolean)
    frame: Mapped[Frame] = mapped_column(EnumText(Frame, 40))
    currency: Mapped[str] = mapped_column(String(3))  # BT-5
    supplier_id: Mapped[uuid.UUID] = mapped_column()
    supplier_identifier: Mapped[str] = mapped_column(String(80))
    supplier_name: Mapped[str] = mapped_column(String(200))
    recipient_id: Mapped[uuid.UUID] = mapped_column()
    recipient_identifier: Mapped[str] = mapped_column(String(80))
    recipient_name: Mapped[str] = mapped_column(String(200))
    validator_id: Mapped[uuid.UUID | None] = mapped_column()
    validator_identifier: Mapped[str | None] = mapped_column(String(80))
    service_code: Mapped[str | None] = mapped_column(String(100))  # BT-10
    engagement_number: Mapped[str | None] = mapped_column(String(50))  # BT-13
    total_without_vat: Mapped[Decimal] = mapped_column(AMOUNT)  # BT-109
    total_vat: Mapped[Decimal] = mapped_column(AMOUNT)  # BT-110
    total_with_vat: Mapped[Decimal] = mapped_column(AMOUNT)  # BT-112
    amount_due: Mapped[Decimal] = mapped_column(AMOUNT)  # BT-115
    status: Mapped[Status] = mapped_column(EnumText(Status, 40))
    status_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)  # optimistic locking of status changes
    deposited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    document_sha256: Mapped[str] = mapped_column(ForeignKey("documents.sha256"))
    document_name: Mapped[str] = mapped_column(String(200))
    syntax: Mapped[str] = mapped_column(String(20))
    flux_id: Mapped[uuid.UUID | None] = mapped_column()
    rejection_acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Lower-cased, accent-free number and counterpart name: what the inbox text search matches.
    search_text: Mapped[str] = mapped_column(Text)
    # The semantic model as JSON (parties, lines, VAT breakdown...): read for the detail view only.
    details: Mapped[dict[str, object]] = mapped_column(JSON)

    __table_args__ = (
        Index("uq_invoices_tenant_transmission", "tenant_id", "transmission_id", unique=True),
        Index("uq_invoices_number", "tenant_id", "side", "supplier_id", "year", "number", unique=True),
        Index("ix_invoices_inbox", "tenant_id", "side", "deposited_at", "id"),
        Index("ix_invoices_status", "tenant_id", "side", "status"),
    )


class InvoiceEvent(TenantScoped, Base):
    """One step in an invoice's history, copied to every side's record: who, when, from what, why."""

    __tablename__ = "invoice_events"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    invoice_id: Mapped[uuid.UUID] = mapped_column()
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    action: Mapped[str] = mapped_column(String(40))
    status_from: Mapped[Status | None] = mapped_column(EnumText(Status, 40))
    status_to: Mapped[Status | None] = mapped_column(EnumText(Status, 40))
    actor_side: Mapped[Side] = mapped_column(EnumText(Side, 12))
    actor_name: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "invoice_id"], ["invoices.tenant_id", "invoices.id"]),
        Index("ix_invoice_events_invoice", "tenant_id", "invoice_id", "at"),
    )


class InvoiceAttachment(TenantScoped, Base):
    __tablename__ = "invoice_attachments"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    invoice_id: Mapped[uuid.UUID] = mapped_column()
    document_sha256: Mapped[str] = mapped_column(ForeignKey("documents.sha256"))
    filename: Mapped[str] = mapped_column(String(50))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # DEPOSIT (with the invoice) or COMPLEMENT (completing it)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "invoice_id"], ["invoices.tenant_id", "invoices.id"]),
        Index("ix_invoice_attachments_invoice", "tenant_id", "invoice_id"),
    )


class FluxStatus(StrEnum):
    IN_RECU = "IN_RECU"
    IN_EN_ATTENTE_TRAITEMENT_CPP = "IN_EN_ATTENTE_TRAITEMENT_CPP"
    IN_EN_COURS_TRAITEMENT_CPP = "IN_EN_COURS_TRAITEMENT_CPP"
    IN_INTEGRE = "IN_INTEGRE"
    IN_INTEGRE_PARTIEL = "IN_INTEGRE_PARTIEL"
    IN_REJETE = "IN_REJETE"
    IN_INCIDENTE = "IN_INCIDENTE"


class FluxRecord(TenantScoped, Base):
    """One deposited archive of invoices, processed in the background (Chorus Pro IN_* states)."""

    __tablename__ = "fluxes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    number: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(200))
    archive_sha256: Mapped[str] = mapped_column(ForeignKey("documents.sha256"))
    status: Mapped[FluxStatus] = mapped_column(EnumText(FluxStatus, 40))
    deposited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    depositor: Mapped[str] = mapped_column(String(200))
    # Per archive member: {"index", "name", "status": ACCEPTED|REJECTED, "invoiceId", "number", "problems": [...]}
    report: Mapped[list[dict[str, object]]] = mapped_column(JSON)
    # The member being processed and how many times its processing started: a member that kills the worker
    # again and again is reported as poisoned instead of blocking the flux.
    member_in_progress: Mapped[int | None] = mapped_column(Integer)
    member_starts: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("uq_fluxes_number", "tenant_id", "number", unique=True),)


class FluxMember(TenantScoped, Base):
    """The outcome of one archive member of a flux, written in the same transaction as its deposit.

    The primary key (tenant, flux, index) makes a member's processing happen once: a worker that retries
    (or a second worker racing on an expired lease) cannot record, hence cannot deposit, a member twice.
    """

    __tablename__ = "flux_members"

    flux_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    index: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(12))  # ACCEPTED | REJECTED
    invoice_id: Mapped[uuid.UUID | None] = mapped_column()
    invoice_number: Mapped[str | None] = mapped_column(String(20))
    problems: Mapped[list[dict[str, object]]] = mapped_column(JSON)
    processed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (ForeignKeyConstraint(["tenant_id", "flux_id"], ["fluxes.tenant_id", "fluxes.id"]),)


class IdempotencyKey(TenantScoped, Base):
    """A client's Idempotency-Key: the first answer is kept and replayed for the same request."""

    __tablename__ = "idempotency_keys"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    response: Mapped[dict[str, object] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
