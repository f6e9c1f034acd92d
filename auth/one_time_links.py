"""Links mailed to a person: one per purpose (reset a password, confirm a new address...), single-use,
expiring, and kept only as the SHA-256 digest of their secret (a 256-bit random value, so a fast digest is
enough: see auth/opaque.py); the mail holds the only copy of the secret.

``consume`` claims a link with one conditional UPDATE (unused and unexpired), so two clicks racing on one
link cannot both win, on either engine. ``check`` says what is wrong with a link without using it, for the
page that shows the form the link leads to.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from auth import opaque
from auth.models import OneTimeLink
from tenancy.moments import aware

MAX_TOKEN_LENGTH = 200


class LinkPurpose(StrEnum):
    PASSWORD_RESET = "password_reset"  # noqa: S105 (a name, not a password)
    EMAIL_CHANGE = "email_change"
    EMAIL_VERIFICATION = "email_verification"  # a new account's address (sign-up, or named by the operator)


class LinkProblem(StrEnum):
    UNKNOWN = "unknown"  # never issued (or mistyped), or issued for another purpose
    USED = "used"  # already followed, or replaced by a newer link of the same purpose
    EXPIRED = "expired"


async def issue(
    session: AsyncSession,
    purpose: LinkPurpose,
    user_id: uuid.UUID,
    *,
    ttl: timedelta,
    now: datetime,
    address: str | None = None,
) -> str:
    """A new link's secret; earlier unused links of the same purpose for the person stop working."""
    await retire(session, purpose, user_id, now=now)
    token = opaque.new_secret()
    session.add(
        OneTimeLink(
            id=uuid.uuid4(),
            purpose=purpose.value,
            user_id=user_id,
            token_hash=opaque.digest(token),
            address=address,
            created_at=now,
            expires_at=now + ttl,
        )
    )
    await session.flush()
    return token


async def retire(session: AsyncSession, purpose: LinkPurpose, user_id: uuid.UUID, *, now: datetime) -> None:
    """End every unused link of this purpose for the person (a newer one, or what it was for, happened)."""
    await session.execute(
        update(OneTimeLink)
        .where(OneTimeLink.user_id == user_id, OneTimeLink.purpose == purpose.value, OneTimeLink.used_at.is_(None))
        .values(used_at=now)
    )


async def check(session: AsyncSession, purpose: LinkPurpose, token: str, *, now: datetime) -> OneTimeLink | LinkProblem:
    """The link, if it can still be used; else what is wrong with it."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return LinkProblem.UNKNOWN
    row = await session.scalar(select(OneTimeLink).where(OneTimeLink.token_hash == opaque.digest(token)))
    if row is None or row.purpose != purpose.value:
        return LinkProblem.UNKNOWN
    if row.used_at is not None:
        return LinkProblem.USED
    if aware(row.expires_at) <= now:
        return LinkProblem.EXPIRED
    return row


async def consume(
    session: AsyncSession, purpose: LinkPurpose, token: str, *, now: datetime
) -> OneTimeLink | LinkProblem:
    """Use the link once: the link, marked used in the caller's transaction; or what is wrong with it."""
    found = await check(session, purpose, token, now=now)
    if isinstance(found, LinkProblem):
        return found
    claimed = await session.execute(
        update(OneTimeLink)
        .where(OneTimeLink.id == found.id, OneTimeLink.used_at.is_(None), OneTimeLink.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], claimed).rowcount != 1:
        return LinkProblem.USED  # another request used it between our read and our write
    found.used_at = now
    return found
