"""Files stored once, by the SHA-256 of their bytes, whatever the number of records pointing at them."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.records import StoredDocument


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def store(session: AsyncSession, data: bytes, media_type: str) -> str:
    key = digest(data)
    # One statement, whoever stored the same bytes before (or concurrently): theirs is ours.
    values = {"sha256": key, "size": len(data), "media_type": media_type, "content": data}
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.execute(insert(StoredDocument).values(values).on_conflict_do_nothing(index_elements=["sha256"]))
    return key


async def fetch(session: AsyncSession, key: str) -> StoredDocument | None:
    return await session.scalar(select(StoredDocument).where(StoredDocument.sha256 == key))
