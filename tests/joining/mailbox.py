"""The mail joining wrote to the outbox (what the worker will send), read back as the tests' mailbox."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tenancy.db import Database
from tenancy.mail.table import OutboxMail


async def outbox(db: Database, to: str | None = None) -> list[Any]:
    async with db.bare_session() as session:
        stmt = select(OutboxMail).order_by(OutboxMail.created_at, OutboxMail.id)
        if to is not None:
            stmt = stmt.where(OutboxMail.to_address == to)
        return list(await session.scalars(stmt))


async def last_link(db: Database, to: str) -> str:
    mails = await outbox(db, to)
    assert mails, f"no mail to {to}"
    return str(mails[-1].params["link"])
