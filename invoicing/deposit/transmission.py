"""Writing the records of one transmission: the same invoice as each party sees it, in its own tenant."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.deposit import storage
from invoicing.deposit.records import InvoiceAttachment, InvoiceEvent, InvoiceRecord, RecordSide
from invoicing.lifecycle.transitions import Side, Status
from tenancy.db import Base
from tenancy.text import fold

if TYPE_CHECKING:
    from invoicing.deposit.rules import AttachmentFile


@dataclass(frozen=True)
class Actor:
    """Who acts, as the history shows it: a person's name or an app's, in their workspace."""

    tenant_id: uuid.UUID
    name: str
    subject: str


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    filename: str
    media_type: str
    size: int


async def store_files(session: AsyncSession, attachments: Sequence[AttachmentFile]) -> list[StoredFile]:
    """Each attachment's bytes stored once, under the media type its content shows."""
    return [
        StoredFile(
            await storage.store(session, a.content, a.detected_media_type),
            a.filename,
            a.detected_media_type,
            len(a.content),
        )
        for a in attachments
    ]


R = TypeVar("R", bound=Base)


def values_of(row: Base) -> dict[str, Any]:
    """The row's column values, as an INSERT takes them."""
    return {column.key: getattr(row, column.key) for column in type(row).__table__.columns}


def clone(row: R, **changes: Any) -> R:
    """A new row of the same table with the same values, but for ``changes`` (a copy for another party)."""
    return type(row)(**(values_of(row) | changes))


async def insert_rows(session: AsyncSession, rows: Sequence[Base]) -> None:
    """Write new rows of one table in one statement (executemany), without the unit of work's bookkeeping:
    a deposit's records, events and attachments are written once and never touched again in its transaction."""
    if rows:
        await session.execute(insert(type(rows[0])), [values_of(row) for row in rows])


def copy_for(template: InvoiceRecord, tenant_id: uuid.UUID, side: RecordSide) -> InvoiceRecord:
    """The same transmission as another party's record."""
    record = clone(template, tenant_id=tenant_id, id=uuid.uuid4(), side=side.value)
    record.search_text = search_text_of(record)
    return record


def search_text_of(record: InvoiceRecord) -> str:
    counterpart = record.supplier_name if record.side != RecordSide.ISSUED.value else record.recipient_name
    return f"{fold(record.number)} | {fold(counterpart)}"


def event(
    record: InvoiceRecord,
    *,
    at: datetime,
    action: str,
    actor_side: Side,
    actor_name: str,
    status_from: Status | None = None,
    status_to: Status | None = None,
    reason: str | None = None,
) -> InvoiceEvent:
    return InvoiceEvent(
        tenant_id=record.tenant_id,
        id=uuid.uuid4(),
        invoice_id=record.id,
        at=at,
        action=action,
        status_from=status_from.value if status_from else None,
        status_to=status_to.value if status_to else None,
        actor_side=actor_side.value,
        actor_name=actor_name,
        reason=reason,
    )


def attachments_for(
    record: InvoiceRecord, files: Iterable[StoredFile], *, kind: str, at: datetime
) -> list[InvoiceAttachment]:
    return [
        InvoiceAttachment(
            tenant_id=record.tenant_id,
            id=uuid.uuid4(),
            invoice_id=record.id,
            document_sha256=f.sha256,
            filename=f.filename,
            media_type=f.media_type,
            size=f.size,
            kind=kind,
            added_at=at,
        )
        for f in files
    ]


def amount(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal("0")
