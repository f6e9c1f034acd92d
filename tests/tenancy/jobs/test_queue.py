"""The job queue on both engines: claim under a lease, retry with backoff, take over a dead worker's job;
on PostgreSQL, SKIP LOCKED between workers and LISTEN/NOTIFY waking an idle one."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest

from tenancy.db import Database
from tenancy.jobs import queue as jobs
from tenancy.jobs.queue import ClaimedJob, Clock
from tenancy.jobs.worker import Worker
from tenancy.moments import utc
from tests.clock import FakeClock


async def _enqueue(db: Database, clock: FakeClock, kind: str = "test", *, delay: timedelta = timedelta(0), **kw):
    async with db.bare_session() as session:
        return await jobs.enqueue(session, kind, {"n": 1}, for_tenant=None, run_at=clock.now() + delay, **kw)


async def test_a_job_is_claimed_once_when_due_and_completed(db: Database) -> None:
    clock = FakeClock()
    job_id = await _enqueue(db, clock, delay=timedelta(minutes=5))
    assert await jobs.claim(db, "w1", now=clock.now()) is None  # not due yet
    clock.advance(timedelta(minutes=5))
    job = await jobs.claim(db, "w1", now=clock.now())
    assert job is not None and job.id == job_id and job.attempts == 1 and job.payload == {"n": 1}
    assert await jobs.claim(db, "w2", now=clock.now()) is None  # leased
    assert await jobs.complete(db, job, now=clock.now())
    clock.advance(timedelta(hours=1))
    assert await jobs.claim(db, "w2", now=clock.now()) is None  # done for good
    row = await jobs.get(db, job_id)
    assert row is not None and row.done_at is not None and row.locked_by is None


async def test_a_failed_job_is_retried_after_a_backoff_then_given_up(db: Database) -> None:
    clock = FakeClock()
    job_id = await _enqueue(db, clock, max_attempts=3)
    for attempt, wait in ((1, timedelta(seconds=10)), (2, timedelta(seconds=20))):
        job = await jobs.claim(db, "w", now=clock.now())
        assert job is not None and job.attempts == attempt
        assert not await jobs.fail(db, job, f"boom {attempt}", now=clock.now())
        clock.advance(wait - timedelta(seconds=1))
        assert await jobs.claim(db, "w", now=clock.now()) is None  # backing off
        clock.advance(timedelta(seconds=1))
    job = await jobs.claim(db, "w", now=clock.now())
    assert job is not None and job.attempts == 3
    assert await jobs.fail(db, job, "boom 3", now=clock.now())  # gave up
    clock.advance(timedelta(days=1))
    assert await jobs.claim(db, "w", now=clock.now()) is None
    row = await jobs.get(db, job_id)
    assert row is not None and row.failed_at is not None and row.last_error == "boom 3" and row.done_at is None


async def test_a_dead_workers_job_is_taken_over_when_its_lease_expires(db: Database) -> None:
    clock = FakeClock()
    await _enqueue(db, clock, max_attempts=2)
    lease = timedelta(seconds=30)
    dead = await jobs.claim(db, "dead", now=clock.now(), lease=lease)
    assert dead is not None
    clock.advance(lease)
    assert await jobs.claim(db, "alive", now=clock.now(), lease=lease) is None  # the lease still holds
    clock.advance(timedelta(seconds=1))
    alive = await jobs.claim(db, "alive", now=clock.now(), lease=lease)
    assert alive is not None and alive.id == dead.id and alive.attempts == 2
    assert not await jobs.complete(db, dead, now=clock.now())  # the dead one lost it
    assert not await jobs.extend(db, dead, now=clock.now())
    # The second worker dies too, on the last attempt: the job is marked failed, not retried forever.
    clock.advance(lease * 2)
    assert await jobs.claim(db, "third", now=clock.now()) is None
    row = await jobs.get(db, dead.id)
    assert row is not None and row.failed_at is not None and "lease expired" in (row.last_error or "")


async def test_the_worker_runs_handlers_by_kind_and_records_failures(db: Database) -> None:
    clock = FakeClock()
    seen: list[tuple[str, object]] = []

    async def ok(database: Database, job: ClaimedJob, c: Clock) -> None:
        seen.append(("ok", job.payload["n"]))

    async def broken(database: Database, job: ClaimedJob, c: Clock) -> None:
        raise ValueError("no luck")

    ok_id = await _enqueue(db, clock, "ok")
    broken_id = await _enqueue(db, clock, "broken")
    worker = Worker(db, {"ok": ok, "broken": broken}, clock=clock, listen=False)
    assert await worker.run_until_idle() == 2
    assert seen == [("ok", 1)]
    done, failed = await jobs.get(db, ok_id), await jobs.get(db, broken_id)
    assert done is not None and done.done_at is not None
    assert failed is not None and failed.done_at is None and failed.last_error == "ValueError: no luck"
    assert failed.attempts == 1 and utc(failed.run_at) == clock.now() + timedelta(seconds=10)


async def test_a_worker_stops_gracefully(db: Database) -> None:
    worker = Worker(db, {}, clock=FakeClock(), listen=False, poll_interval=3600)
    task = asyncio.create_task(worker.run())
    await asyncio.wait_for(worker.idle.wait(), 10)
    worker.stop()
    await asyncio.wait_for(task, 10)  # no hour-long poll: stopping wakes it


@pytest.mark.postgres_only
async def test_two_workers_never_take_the_same_job(db: Database, database_url: str) -> None:
    clock = FakeClock()
    ids = {await _enqueue(db, clock) for _ in range(40)}
    other = Database(database_url, pool_size=4)  # another process's pool
    try:

        async def drain(database: Database, name: str) -> list[uuid.UUID]:
            taken = []
            while (job := await jobs.claim(database, name, now=clock.now())) is not None:
                taken.append(job.id)
            return taken

        results = await asyncio.gather(*(drain(d, f"w{i}") for i, d in enumerate([db, other, db, other])))
    finally:
        await other.dispose()
    every = [job_id for taken in results for job_id in taken]
    assert sorted(every) == sorted(ids)  # each job exactly once


@pytest.mark.postgres_only
async def test_a_locked_job_is_skipped_not_waited_for(db: Database) -> None:
    clock = FakeClock()
    first = await _enqueue(db, clock)
    second = await _enqueue(db, clock, delay=timedelta(seconds=1))
    clock.advance(timedelta(seconds=1))
    from sqlalchemy import select

    from tenancy.jobs.table import Job

    async with db.bare_session() as session:  # someone holds the first job's row lock
        await session.execute(select(Job.id).where(Job.id == first).with_for_update())
        job = await asyncio.wait_for(jobs.claim(db, "w", now=clock.now()), 5)
        assert job is not None and job.id == second


@pytest.mark.postgres_only
async def test_notify_wakes_an_idle_worker(db: Database) -> None:
    clock = FakeClock()
    ran = asyncio.Event()

    async def handler(database: Database, job: ClaimedJob, c: Clock) -> None:
        ran.set()

    worker = Worker(db, {"wake": handler}, clock=clock, poll_interval=3600)  # polling would take an hour
    task = asyncio.create_task(worker.run())
    try:
        await asyncio.wait_for(worker.idle.wait(), 10)
        assert worker._listener is not None and worker._listener.listening
        await _enqueue(db, clock, "wake")
        await asyncio.wait_for(ran.wait(), 10)
    finally:
        worker.stop()
        await asyncio.wait_for(task, 10)
