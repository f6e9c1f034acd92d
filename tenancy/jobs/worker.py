"""The worker loop: claim a job, run its handler, complete or fail it; wait for work when idle.

Runs inside ``facturehub serve`` (a background task of the app's lifespan) and as ``facturehub worker``
for extra processes. A handler gets the job row and does its tenant's work in sessions it opens for
``job.for_tenant``: the tenant always comes from the job, never from anything global. While a handler
runs, the worker renews the job's lease (heartbeat), so only a dead worker's jobs are taken over.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import traceback
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta
from typing import Protocol

from tenancy.db import Database
from tenancy.jobs import queue as jobs
from tenancy.jobs.queue import ClaimedJob, Clock, SystemClock

log = logging.getLogger(__name__)

Handler = Callable[[Database, ClaimedJob, Clock], Awaitable[None]]


class GaveUp(Protocol):
    """What a job kind leaves behind once its job has used all its attempts."""

    def __call__(self, db: Database, job: ClaimedJob, error: str, *, now: datetime) -> Awaitable[None]: ...


class UnknownJobKind(Exception):
    pass


class Worker:
    def __init__(
        self,
        db: Database,
        handlers: Mapping[str, Handler],
        *,
        gave_up: Mapping[str, GaveUp] | None = None,
        clock: Clock | None = None,
        worker_id: str | None = None,
        lease: timedelta = jobs.DEFAULT_LEASE,
        poll_interval: float = 2.0,
        listen: bool = True,
    ) -> None:
        self.db = db
        self.handlers = dict(handlers)
        self.gave_up = dict(gave_up or {})
        self.clock: Clock = clock or SystemClock()
        self.id = worker_id or jobs.new_worker_id()
        self.lease = lease
        self.poll_interval = poll_interval
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._listener = jobs.Listener(db, self._wake.set) if listen else None
        self.idle = asyncio.Event()  # set whenever the worker found nothing to do (tests await it)

    async def run_once(self) -> ClaimedJob | None:
        """Claim one due job and run it to the end (done, retry or failed); None when nothing is due."""
        job = await jobs.claim(self.db, self.id, now=self.clock.now(), lease=self.lease, kinds=frozenset(self.handlers))
        if job is None:
            return None
        self.idle.clear()
        handler = self.handlers.get(job.kind)
        heartbeat = asyncio.create_task(self._heartbeat(job))
        try:
            if handler is None:
                raise UnknownJobKind(job.kind)
            await handler(self.db, job, self.clock)
        except Exception as exc:  # any failure of the job's work is the job's: record it, retry later
            error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            log.warning("job %s (%s) attempt %d failed: %s", job.id, job.kind, job.attempts, error)
            gave_up = await jobs.fail(self.db, job, error, now=self.clock.now())
            if gave_up:
                await self._gave_up(job, error)
        else:
            if not await jobs.complete(self.db, job, now=self.clock.now()):
                log.warning("job %s finished after its lease was taken over", job.id)
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat
        return job

    async def run_until_idle(self) -> int:
        """Run due jobs until none is left; how many ran."""
        count = 0
        while await self.run_once() is not None:
            count += 1
        return count

    async def run(self) -> None:
        """Serve until ``stop``: the job under way finishes first."""
        if self._listener is not None:
            await self._listener.start()
        log.info("worker %s started", self.id)
        try:
            while not self._stopping.is_set():
                self._wake.clear()
                try:
                    ran = await self.run_once()
                except Exception:  # the database is away: say so and try again after a pause
                    log.exception("worker %s could not claim a job", self.id)
                    ran = None
                if ran is not None:
                    continue
                self.idle.set()
                if self._listener is not None and not self._listener.listening:
                    await self._listener.start()
                await self._wait(self.poll_interval)
        finally:
            if self._listener is not None:
                await self._listener.stop()
            log.info("worker %s stopped", self.id)

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()

    async def _wait(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._wake.wait()

    async def _heartbeat(self, job: ClaimedJob) -> None:
        interval = max(self.lease.total_seconds() / 3, 0.05)
        while True:
            await asyncio.sleep(interval)
            if not await jobs.extend(self.db, job, now=self.clock.now(), lease=self.lease):
                log.warning("job %s: lease lost to another worker", job.id)
                return

    async def _gave_up(self, job: ClaimedJob, error: str) -> None:
        hook = self.gave_up.get(job.kind)
        if hook is not None:
            await hook(self.db, job, error, now=self.clock.now())
