"""A user's second factor: enrolment of an authenticator app, its codes and the recovery codes.

Every check that consumes something (a time step, a recovery code) is one conditional UPDATE, so two
requests racing with the same code cannot both pass, on either engine.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from auth import recovery_codes, totp
from auth.models import RecoveryCode, TotpFactor
from tenancy.db import Database
from tenancy.moments import aware

# A pending enrolment keeps its secret this long, so reloading the page does not change the QR code
# a person is scanning; after it, a new secret is drawn.
PENDING_TTL = timedelta(minutes=30)


@dataclass(frozen=True)
class Status:
    enrolled: bool
    recovery_codes_left: int


async def status(db: Database, user_id: uuid.UUID) -> Status:
    async with db.bare_session() as session:
        enrolled = await _confirmed(session, user_id) is not None
        left = await session.scalar(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
        )
    return Status(enrolled, int(left or 0) if enrolled else 0)


async def is_enrolled(db: Database, user_id: uuid.UUID) -> bool:
    async with db.bare_session() as session:
        return await _confirmed(session, user_id) is not None


async def pending_secret(db: Database, user_id: uuid.UUID, now: datetime) -> str | None:
    """The secret of the enrolment under way (started now if none is); None once a factor is confirmed."""
    async with db.bare_session() as session:
        row = await session.get(TotpFactor, user_id, with_for_update=True)
        if row is not None and row.confirmed_at is not None:
            return None
        if row is None:
            row = TotpFactor(user_id=user_id, secret=totp.new_secret(), created_at=now)
            session.add(row)
        elif aware(row.created_at) + PENDING_TTL <= now:
            row.secret, row.created_at, row.last_step = totp.new_secret(), now, None
        return row.secret


async def confirm(db: Database, user_id: uuid.UUID, code: str, now: datetime) -> list[str] | None:
    """Confirm the pending enrolment with a code from the app: the new recovery codes, or None if refused."""
    async with db.bare_session() as session:
        row = await session.get(TotpFactor, user_id)
        if row is None or row.confirmed_at is not None or aware(row.created_at) + PENDING_TTL <= now:
            return None
        step = totp.matching_step(row.secret, code, now, after=None)
        if step is None:
            return None
        done = await _execute(
            session,
            update(TotpFactor)
            .where(TotpFactor.user_id == user_id, TotpFactor.confirmed_at.is_(None), TotpFactor.secret == row.secret)
            .values(confirmed_at=now, last_step=step),
        )
        if done != 1:
            return None
        return await _new_recovery_codes(session, user_id, now)


async def check_code(db: Database, user_id: uuid.UUID, code: str, now: datetime) -> bool:
    """A code from the app (each time step once) or an unused recovery code; it is spent if it passes."""
    async with db.bare_session() as session:
        row = await _confirmed(session, user_id)
        if row is None:
            return False
        if totp.looks_like_code(code.strip()):
            step = totp.matching_step(row.secret, code.strip(), now, after=row.last_step)
            if step is None:
                return False
            spent = await _execute(
                session,
                update(TotpFactor)
                .where(
                    TotpFactor.user_id == user_id,
                    TotpFactor.confirmed_at.is_not(None),
                    or_(TotpFactor.last_step.is_(None), TotpFactor.last_step < step),
                )
                .values(last_step=step),
            )
            return spent == 1
        canonical = recovery_codes.normalized(code)
        if canonical is None:
            return False
        spent = await _execute(
            session,
            update(RecoveryCode)
            .where(
                RecoveryCode.user_id == user_id,
                RecoveryCode.code_hash == recovery_codes.digest(user_id, canonical),
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=now),
        )
        return spent == 1


async def regenerate_recovery_codes(db: Database, user_id: uuid.UUID, now: datetime) -> list[str] | None:
    async with db.bare_session() as session:
        if await _confirmed(session, user_id) is None:
            return None
        return await _new_recovery_codes(session, user_id, now)


async def disable(db: Database, user_id: uuid.UUID) -> None:
    async with db.bare_session() as session:
        await session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
        await session.execute(delete(TotpFactor).where(TotpFactor.user_id == user_id))


async def _confirmed(session: AsyncSession, user_id: uuid.UUID) -> TotpFactor | None:
    row = await session.get(TotpFactor, user_id)
    return row if row is not None and row.confirmed_at is not None else None


async def _new_recovery_codes(session: AsyncSession, user_id: uuid.UUID, now: datetime) -> list[str]:
    """Ten fresh codes; the earlier ones, used or not, stop working."""
    await session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = recovery_codes.new_codes()
    session.add_all(
        RecoveryCode(user_id=user_id, code_hash=recovery_codes.digest(user_id, c), created_at=now) for c in codes
    )
    return codes


async def _execute(session: AsyncSession, statement: object) -> int:
    result = await session.execute(statement)  # type: ignore[call-overload]
    assert isinstance(result, CursorResult)
    return int(result.rowcount)
