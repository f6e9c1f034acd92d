"""Single-use links mailed to a person: confirm an address (sign-up), and whatever else proves "this person
reads mail at this address" (a password reset is the same thing with another purpose and lifetime).

The link carries a random secret of 32 bytes (``opaque.new_secret``); the table keeps only its SHA-256
digest, looked up by equality. No slow password hash is needed, and none would help: a password hash
(argon2) makes each guess of a *low-entropy* secret that people choose expensive, but 256 random bits
cannot be guessed at any speed, and a digest leaked with the database gives nothing to type into the link.
A slow hash would only spend CPU on every visit (and could not be looked up by value).

A link is used once (``used_at``, set by one conditional UPDATE, so two clicks at the same moment cannot
both succeed), expires (``expires_at``), and a new link of the same purpose for the same person retires the
older ones still unused: only the last mail works.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from auth import opaque
from auth.models import OneTimeLink
from tenancy.moments import aware

MAX_TOKEN_CHARS = 200


class Purpose(StrEnum):
    EMAIL_VERIFICATION = "email_verification"  # a new account's address (sign-up, or named by the operator)


class LinkState(StrEnum):
    VALID = "valid"
    USED = "used"  # used, or retired by a newer link of the same purpose
    EXPIRED = "expired"
    UNKNOWN = "unknown"  # not one of ours (or of another purpose): nothing is said about it


@dataclass(frozen=True)
class Looked:
    state: LinkState
    link: OneTimeLink | None = None


async def issue(
    session: AsyncSession,
    *,
    purpose: Purpose,
    user_id: uuid.UUID,
    ttl: timedelta,
    now: datetime,
    address: str | None = None,
) -> str:
    """A new link's secret (to put in the mail; never stored), in ``session``'s transaction."""
    await session.execute(
        update(OneTimeLink)
        .where(OneTimeLink.user_id == user_id, OneTimeLink.purpose == purpose.value, OneTimeLink.used_at.is_(None))
        .values(used_at=now)
    )
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


async def look(session: AsyncSession, token: str, purpose: Purpose, now: datetime) -> Looked:
    """What a link is, without using it (a page shows its form first: mail scanners follow links too)."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        return Looked(LinkState.UNKNOWN)
    row = await session.scalar(
        select(OneTimeLink).where(OneTimeLink.token_hash == opaque.digest(token), OneTimeLink.purpose == purpose.value)
    )
    if row is None:
        return Looked(LinkState.UNKNOWN)
    if row.used_at is not None:
        return Looked(LinkState.USED, row)
    if aware(row.expires_at) <= now:
        return Looked(LinkState.EXPIRED, row)
    return Looked(LinkState.VALID, row)


async def use(session: AsyncSession, token: str, purpose: Purpose, now: datetime) -> Looked:
    """Use a link once: VALID (with its row, now used) for exactly one caller, whatever the others see."""
    looked = await look(session, token, purpose, now)
    if looked.state is not LinkState.VALID or looked.link is None:
        return looked
    taken = await session.execute(
        update(OneTimeLink)
        .where(OneTimeLink.id == looked.link.id, OneTimeLink.used_at.is_(None), OneTimeLink.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]  # another request used it between the two statements
        return Looked(LinkState.USED, looked.link)
    return looked
