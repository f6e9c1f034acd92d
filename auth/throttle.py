"""Brakes on guessing: failed sign-ins (passwords, and second-factor codes apart) per account and per address (in the database, shared by every
process), password-reset requests per address asked for and per asking address (a mailbox is not flooded,
whether it has an account or not), and a request budget on the token endpoint (per process, in memory: it only has to make
secret guessing slow, and a restart resetting it costs nothing).
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from auth.oauth_models import LoginThrottle
from tenancy.db import Database
from tenancy.moments import aware


@dataclass(frozen=True)
class LoginLimits:
    window_s: int
    per_account: int
    per_address: int


def account_key(email: str) -> str:
    return "acct:" + email.strip().lower()[:254]


def address_key(address: str) -> str:
    return "addr:" + address[:100]


def factor_key(user_id: uuid.UUID) -> str:
    """Wrong second-factor codes count apart from wrong passwords: a right password must not reset them."""
    return "2fa:" + str(user_id)


async def login_blocked(db: Database, limits: LoginLimits, *, email: str, address: str, now: datetime) -> bool:
    return await _blocked(
        db, limits, {account_key(email): limits.per_account, address_key(address): limits.per_address}, now
    )


async def record_failure(db: Database, limits: LoginLimits, *, email: str, address: str, now: datetime) -> None:
    await _record(db, limits, (account_key(email), address_key(address)), now)


async def clear_account(db: Database, email: str) -> None:
    await _clear(db, account_key(email))


async def factor_blocked(db: Database, limits: LoginLimits, *, user_id: uuid.UUID, address: str, now: datetime) -> bool:
    keys = {factor_key(user_id): limits.per_account, address_key(address): limits.per_address}
    return await _blocked(db, limits, keys, now)


async def record_factor_failure(
    db: Database, limits: LoginLimits, *, user_id: uuid.UUID, address: str, now: datetime
) -> None:
    await _record(db, limits, (factor_key(user_id), address_key(address)), now)


async def clear_factor(db: Database, user_id: uuid.UUID) -> None:
    await _clear(db, factor_key(user_id))


def reset_keys(email: str, address: str) -> tuple[str, str]:
    """A reset request counts for the address it names, existing or not, so a refusal tells nothing."""
    return "reset:" + account_key(email), "reset:" + address_key(address)


async def reset_blocked(db: Database, limits: LoginLimits, *, email: str, address: str, now: datetime) -> bool:
    mailbox, asker = reset_keys(email, address)
    return await _blocked(db, limits, {mailbox: limits.per_account, asker: limits.per_address}, now)


async def record_reset(db: Database, limits: LoginLimits, *, email: str, address: str, now: datetime) -> None:
    await _record(db, limits, reset_keys(email, address), now)


async def spend(db: Database, key: str, *, limit: int, window_s: int, now: datetime) -> bool:
    """Count one use of ``key`` in its window; False (and nothing counted) once ``limit`` uses were made.

    For what costs the hub something whoever asks (a sign-up hashes a password and sends a mail), where
    the sign-in budgets count only failures."""
    async with db.bare_session() as session:
        row = await session.get(LoginThrottle, key, with_for_update=True)
        if row is None:
            session.add(LoginThrottle(key=key, failures=1, window_started_at=now))
        elif aware(row.window_started_at) + timedelta(seconds=window_s) <= now:
            row.failures, row.window_started_at = 1, now
        elif row.failures >= limit:
            return False
        else:
            row.failures += 1
    return True


async def _blocked(db: Database, limits: LoginLimits, keys: dict[str, int], now: datetime) -> bool:
    async with db.bare_session() as session:
        rows = await session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys)))
        for row in rows:
            fresh = aware(row.window_started_at) + timedelta(seconds=limits.window_s) > now
            if fresh and row.failures >= keys[row.key]:
                return True
    return False


async def _record(db: Database, limits: LoginLimits, keys: tuple[str, ...], now: datetime) -> None:
    async with db.bare_session() as session:
        for key in keys:
            row = await session.get(LoginThrottle, key, with_for_update=True)
            if row is None:
                session.add(LoginThrottle(key=key, failures=1, window_started_at=now))
            elif aware(row.window_started_at) + timedelta(seconds=limits.window_s) <= now:
                row.failures, row.window_started_at = 1, now
            else:
                row.failures += 1


async def _clear(db: Database, key: str) -> None:
    async with db.bare_session() as session:
        await session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))


class RequestBudget:
    """At most ``limit`` requests per key per minute (fixed one-minute windows)."""

    MAX_KEYS = 100_000

    def __init__(self) -> None:
        self._windows: OrderedDict[str, tuple[int, int]] = OrderedDict()

    def spend(self, key: str, limit: int) -> bool:
        """Count one request; False when the key is over its budget."""
        minute = int(time.monotonic() // 60)
        start, count = self._windows.get(key, (minute, 0))
        if start != minute:
            start, count = minute, 0
        count += 1
        self._windows[key] = (start, count)
        self._windows.move_to_end(key)
        while len(self._windows) > self.MAX_KEYS:
            self._windows.popitem(last=False)
        return count <= limit
