"""Files stored once, by the SHA-256 of their bytes, whatever the number of records pointing at them."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.deposit.records import StoredDocument


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# One statement, whoever stored the same bytes before (or concurrently): theirs is ours.
_INSERT = {
    "postgresql": postgresql.insert(StoredDocument).on_conflict_do_nothing(index_elements=["sha256"]),
    "sqlite": sqlite.insert(StoredDocument).on_conflict_do_nothing(index_elements=["sha256"]),
}


async def store(session: AsyncSession, data: bytes, media_type: str) -> str:
    key = digest(data)
    values = {"sha256": key, "size": len(data), "media_type": media_type, "content": data}
    await session.execute(_INSERT[session.get_bind().dialect.name], values)
    return key


async def fetch(session: AsyncSession, key: str) -> StoredDocument | None:
    return await session.scalar(select(StoredDocument).where(StoredDocument.sha256 == key))
