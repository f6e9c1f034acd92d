"""`facturehub worker` as a separate process, killed (SIGKILL) half-way through a flux, then restarted:
nothing lost, nothing twice, every accepted member has both its records and its report row."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from invoicing.deposit.records import FluxMember, FluxRecord, InvoiceRecord
from invoicing.deposit.transmission import Actor
from invoicing.flux import service as flux
from tenancy.db import Database
from tenancy.jobs.queue import SystemClock
from tests.factories import make_structure
from tests.invoicing.fluxes import members, zip_of

REPO = Path(__file__).resolve().parents[3]
COUNT = 60


def _start_worker(database_url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "FACTUREHUB_DATABASE_URL": database_url,
        "FACTUREHUB_WORKER_LEASE": "2",  # a dead worker's job is taken over after 2 s, not 2 min
        "FACTUREHUB_WORKER_POLL_INTERVAL": "0.2",
    }
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "api.cli", "worker"], env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT
        )


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:]


async def _members_done(db: Database, tenant, flux_id) -> int:
    async with db.tenant_session(tenant) as session:
        return int(
            await session.scalar(select(func.count()).select_from(FluxMember).where(FluxMember.flux_id == flux_id)) or 0
        )


async def _wait_for(condition, process: subprocess.Popen[bytes], log: Path, seconds: float = 90) -> None:
    """Another process does the work: look at the database until it shows the expected state."""
    deadline = time.monotonic() + seconds
    while not await condition():
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"the worker did not get there:\n{_tail(log)}")
        await asyncio.sleep(0.05)


async def test_a_worker_killed_mid_flux_then_restarted_loses_nothing_and_repeats_nothing(
    db: Database, database_url: str, tmp_path: Path
) -> None:
    supplier = await make_structure(db, name="Atelier")
    recipient = await make_structure(db, public=True, name="Mairie")
    archive = zip_of(members(supplier, recipient, COUNT, broken={7, 31}))
    done = await flux.deposit_flux(
        db, Actor(supplier.id, "Marie", "user:m"), "lot.zip", archive, now=SystemClock().now()
    )
    log = tmp_path / "worker.log"

    first = _start_worker(database_url, log)
    try:
        await _wait_for(lambda: _members_done_at_least(db, supplier.id, done.id, 10), first, log)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    killed_at = await _members_done(db, supplier.id, done.id)
    assert killed_at < COUNT, "the flux finished before the kill: make it longer"
    await _check_nothing_half_written(db, supplier.id, recipient.id, done.id)

    second = _start_worker(database_url, log)
    try:
        await _wait_for(lambda: _is_final(db, supplier.id, done.id), second, log)
    finally:
        second.send_signal(signal.SIGTERM)  # a graceful stop: exit code 0
        assert second.wait(timeout=30) == 0, _tail(log)

    async with db.tenant_session(supplier.id) as session:
        row = await session.scalar(select(FluxRecord).where(FluxRecord.id == done.id))
    assert row is not None and row.status == "IN_INTEGRE_PARTIEL"
    assert [e["index"] for e in row.report] == list(range(COUNT))
    assert [e["index"] for e in row.report if e["status"] == "REJECTED"] == [7, 31]
    issued = await _check_nothing_half_written(db, supplier.id, recipient.id, done.id)
    assert sorted(issued) == sorted(f"FX-{i:04d}" for i in range(COUNT) if i not in (7, 31))


async def _members_done_at_least(db: Database, tenant, flux_id, count: int) -> bool:
    return await _members_done(db, tenant, flux_id) >= count


async def _is_final(db: Database, tenant, flux_id) -> bool:
    async with db.tenant_session(tenant) as session:
        status = await session.scalar(select(FluxRecord.status).where(FluxRecord.id == flux_id))
    return status in {s.value for s in flux.FINAL}


async def _check_nothing_half_written(db: Database, supplier, recipient, flux_id) -> list[str]:
    """Every accepted member row has exactly one invoice on each side, and no invoice lacks its row."""
    async with db.tenant_session(supplier) as session:
        accepted = {
            r.invoice_id: r.invoice_number
            for r in await session.scalars(
                select(FluxMember).where(FluxMember.flux_id == flux_id, FluxMember.status == "ACCEPTED")
            )
        }
        issued = list(
            (
                await session.execute(
                    select(InvoiceRecord.id, InvoiceRecord.number).where(InvoiceRecord.flux_id == flux_id)
                )
            ).all()
        )
    async with db.tenant_session(recipient) as session:
        received = list(await session.scalars(select(InvoiceRecord.number).where(InvoiceRecord.flux_id == flux_id)))
    assert {i for i, _ in issued} == set(accepted)
    assert sorted(n for _, n in issued) == sorted(received) == sorted(accepted.values())
    assert len({n for _, n in issued}) == len(issued)  # nothing twice
    return [n for _, n in issued]
