"""Idempotency keys of deposits: the first accepted answer is kept and replayed for the same request.

The key is claimed inside the transaction that writes the invoice (``claim``, passed to ``deposit`` as
``within``): either both exist or neither. A refused deposit stores nothing, so retrying it re-runs the
checks (and gets the same refusal while nothing changed).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.deposit.records import IdempotencyKey, InvoiceRecord
from tenancy.db import Database

MAX_KEY = 200


def request_hash(*parts: bytes | str | None) -> str:
    """A digest of what the request asks: every part length-prefixed, so parts cannot run into each other."""
    digest = hashlib.sha256()
    for part in parts:
        data = b"\xff" if part is None else part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


@dataclass(frozen=True)
class Previous:
    same_request: bool
    invoice_id: uuid.UUID | None


async def lookup(db: Database, tenant_id: uuid.UUID, key: str, hashed: str) -> Previous | None:
    async with db.tenant_session(tenant_id) as session:
        row = await session.scalar(
            select(IdempotencyKey).where(IdempotencyKey.tenant_id == tenant_id, IdempotencyKey.key == key)
        )
    if row is None:
        return None
    response = row.response or {}
    invoice = response.get("invoiceId")
    return Previous(row.request_hash == hashed, uuid.UUID(str(invoice)) if invoice else None)


def claim(key: str, hashed: str) -> Callable[[AsyncSession, InvoiceRecord], Awaitable[None]]:
    async def within(session: AsyncSession, issued: InvoiceRecord) -> None:
        session.add(
            IdempotencyKey(
                tenant_id=issued.tenant_id,
                key=key,
                request_hash=hashed,
                response={"invoiceId": str(issued.id)},
                created_at=datetime.now(UTC),
            )
        )
        await session.flush()

    return within
