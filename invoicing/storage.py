"""Files stored once, by the SHA-256 of their bytes, whatever the number of records pointing at them."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.records import StoredDocument


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def store(session: AsyncSession, data: bytes, media_type: str) -> str:
    key = digest(data)
    if await session.scalar(select(StoredDocument.sha256).where(StoredDocument.sha256 == key)) is None:
        try:
            async with session.begin_nested():
                session.add(StoredDocument(sha256=key, size=len(data), media_type=media_type, content=data))
        except IntegrityError:  # the same bytes stored concurrently: theirs is ours
            pass
    return key


async def fetch(session: AsyncSession, key: str) -> StoredDocument | None:
    return await session.scalar(select(StoredDocument).where(StoredDocument.sha256 == key))
