"""The job queue: background work (flux processing, timers) kept in the ``jobs`` table.

- ``enqueue`` adds a job in the caller's transaction: the job exists if and only if the work that asked
  for it was committed (on PostgreSQL a ``NOTIFY`` goes with it, delivered at commit).
- ``claim`` takes one due job under a lease (``locked_by``, ``locked_until``). PostgreSQL: the candidate
  row is chosen with ``FOR UPDATE SKIP LOCKED``, so concurrent workers never take the same job and never
  wait on each other. SQLite has one writer: the same single guarded ``UPDATE ... RETURNING`` is atomic.
- A job whose lease expired (its worker died) is due again; each claim counts an attempt.
- ``complete`` / ``fail`` only apply while the caller still holds the lease. ``fail`` retries with an
  exponential backoff until ``max_attempts``, then marks the job failed (``failed_at``).
- Time comes from a ``Clock``: tests pass a fake one and move it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import and_, or_, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from tenancy.db import Database
from tenancy.jobs.table import Job
from tenancy.moments import utc

log = logging.getLogger(__name__)

CHANNEL = "facturehub_jobs"
DEFAULT_LEASE = timedelta(minutes=2)
BACKOFF_BASE = timedelta(seconds=10)
BACKOFF_CAP = timedelta(hours=1)
MAX_ERROR_CHARS = 4000


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True)
class ClaimedJob:
    id: uuid.UUID
    kind: str
    for_tenant: uuid.UUID | None
    payload: dict[str, Any]
    attempts: int
    max_attempts: int
    locked_by: str
    locked_until: datetime


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def backoff(attempts: int) -> timedelta:
    """10 s, 20 s, 40 s... after the 1st, 2nd, 3rd failed attempt; at most an hour."""
    delay: timedelta = BACKOFF_BASE * (2 ** max(attempts - 1, 0))
    return min(delay, BACKOFF_CAP)


async def enqueue(
    session: AsyncSession,
    kind: str,
    payload: dict[str, Any],
    *,
    for_tenant: uuid.UUID | None,
    run_at: datetime,
    max_attempts: int = 5,
) -> uuid.UUID:
    """Add a job in the caller's transaction (committed with it, or not at all)."""
    job = Job(
        id=uuid.uuid4(),
        kind=kind,
        for_tenant=for_tenant,
        payload=payload,
        run_at=utc(run_at),
        attempts=0,
        max_attempts=max_attempts,
    )
    session.add(job)
    await session.flush()
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        # Delivered when (and only if) the transaction commits; listeners then claim at once.
        await session.execute(text("SELECT pg_notify(:channel, :kind)"), {"channel": CHANNEL, "kind": kind})
    return job.id


def _due(now: datetime) -> ColumnElement[bool]:
    return and_(
        Job.done_at.is_(None),
        Job.failed_at.is_(None),
        Job.run_at <= now,
        or_(Job.locked_until.is_(None), Job.locked_until < now),
        Job.attempts < Job.max_attempts,
    )


async def claim(
    db: Database,
    worker_id: str,
    *,
    now: datetime,
    lease: timedelta = DEFAULT_LEASE,
    kinds: frozenset[str] | None = None,
) -> ClaimedJob | None:
    """Take the most overdue job under a lease, or None when nothing is due."""
    now = utc(now)
    async with db.bare_session() as session:
        # A job whose worker died on its last attempt is not due any more: say so, once.
        await session.execute(
            update(Job)
            .where(
                Job.done_at.is_(None),
                Job.failed_at.is_(None),
                Job.locked_until < now,
                Job.attempts >= Job.max_attempts,
            )
            .values(
                failed_at=now,
                locked_by=None,
                locked_until=None,
                last_error=f"lease expired on the last attempt (worker died?) at {now.isoformat()}",
            )
            .execution_options(synchronize_session=False)
        )
        candidate = select(Job.id).where(_due(now))
        if kinds is not None:
            candidate = candidate.where(Job.kind.in_(sorted(kinds)))
        candidate = candidate.order_by(Job.run_at, Job.id).limit(1)
        if db.is_postgres:
            candidate = candidate.with_for_update(skip_locked=True)
        until = now + lease
        row = (
            await session.execute(
                update(Job)
                .where(Job.id == candidate.scalar_subquery(), _due(now))
                .values(locked_by=worker_id, locked_until=until, attempts=Job.attempts + 1)
                .returning(Job.id, Job.kind, Job.for_tenant, Job.payload, Job.attempts, Job.max_attempts)
                .execution_options(synchronize_session=False)
            )
        ).first()
    if row is None:
        return None
    return ClaimedJob(
        id=row.id,
        kind=row.kind,
        for_tenant=row.for_tenant,
        payload=dict(row.payload),
        attempts=row.attempts,
        max_attempts=row.max_attempts,
        locked_by=worker_id,
        locked_until=until,
    )


def _held(job: ClaimedJob) -> ColumnElement[bool]:
    return and_(Job.id == job.id, Job.locked_by == job.locked_by, Job.done_at.is_(None), Job.failed_at.is_(None))


async def complete(db: Database, job: ClaimedJob, *, now: datetime) -> bool:
    """Mark the job done; False if the lease was lost meanwhile (another worker may have it)."""
    async with db.bare_session() as session:
        result = await session.execute(
            update(Job)
            .where(_held(job))
            .values(done_at=utc(now), locked_by=None, locked_until=None)
            .execution_options(synchronize_session=False)
        )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def fail(db: Database, job: ClaimedJob, error: str, *, now: datetime) -> bool:
    """Record the error; retry after a backoff, or give up after ``max_attempts``. True if it gave up."""
    now = utc(now)
    final = job.attempts >= job.max_attempts
    values: dict[str, Any] = {"last_error": error[:MAX_ERROR_CHARS], "locked_by": None, "locked_until": None}
    if final:
        values["failed_at"] = now
    else:
        values["run_at"] = now + backoff(job.attempts)
    async with db.bare_session() as session:
        await session.execute(
            update(Job).where(_held(job)).values(**values).execution_options(synchronize_session=False)
        )
    return final


async def extend(db: Database, job: ClaimedJob, *, now: datetime, lease: timedelta = DEFAULT_LEASE) -> bool:
    """Renew the lease of a job still running (heartbeat); False if it was lost."""
    async with db.bare_session() as session:
        result = await session.execute(
            update(Job)
            .where(_held(job))
            .values(locked_until=utc(now) + lease)
            .execution_options(synchronize_session=False)
        )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def get(db: Database, job_id: uuid.UUID) -> Job | None:
    async with db.bare_session() as session:
        return await session.get(Job, job_id)


# --- waking idle workers ----------------------------------------------------------------------------


class Listener:
    """LISTEN on PostgreSQL through a dedicated asyncpg connection: ``wake`` is set when a job is enqueued.

    On SQLite there is nothing to listen to: workers poll. A lost connection also falls back to polling
    (and is re-opened on the next ``start``).
    """

    def __init__(self, db: Database, on_notify: Callable[[], None]) -> None:
        self._db = db
        self._on_notify = on_notify
        self._connection: Any = None

    @property
    def listening(self) -> bool:
        return self._connection is not None and not self._connection.is_closed()

    async def start(self) -> bool:
        if not self._db.is_postgres or self.listening:
            return self.listening
        import asyncpg  # type: ignore[import-untyped]

        dsn = make_url(self._db.url).set(drivername="postgresql").render_as_string(hide_password=False)
        try:
            self._connection = await asyncpg.connect(dsn, timeout=10)
            await self._connection.add_listener(CHANNEL, self._notified)
        except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
            log.warning("job listener unavailable, polling instead: %s", exc)
            self._connection = None
        return self.listening

    def _notified(self, *_args: Any) -> None:
        self._on_notify()

    async def stop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and not connection.is_closed():
            with contextlib.suppress(Exception):  # closing on shutdown: nothing left to do with errors
                await connection.close(timeout=5)
