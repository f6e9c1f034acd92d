"""The event writer on both engines: ids per workspace, given in commit order, with no gaps; and the
database's own guard (RLS) around each workspace's log on PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from tenancy.db import Database
from tenancy.events.actor import EventActor
from tenancy.events.record import NewEvent, record, record_one
from tenancy.events.table import Event
from tenancy.events.types import EventType, ObjectKind
from tests.factories import make_structure


def _new(tenant: uuid.UUID, code: str) -> NewEvent:
    return NewEvent(
        tenant,
        EventType.SERVICE_CREATED,
        ObjectKind.SERVICE,
        uuid.uuid4(),
        EventActor.system(),
        datetime.now(UTC),
        {"code": code, "name": code, "is_active": True},
    )


async def _log(db: Database, tenant: uuid.UUID) -> list[tuple[int, str]]:
    async with db.tenant_session(tenant) as session:
        return [(e.id, e.payload["code"]) for e in await session.scalars(select(Event).order_by(Event.id))]


async def test_each_workspace_counts_its_own_events_from_one(db: Database) -> None:
    a, b = await make_structure(db), await make_structure(db)
    async with db.tenant_session(a.id) as session:
        await record(session, [_new(a.id, "A1"), _new(a.id, "A2")])
    async with db.tenant_session(b.id) as session:
        await record(session, [_new(b.id, "B1")])
    async with db.tenant_session(a.id) as session:
        await record(session, [_new(a.id, "A3")])
    assert await _log(db, a.id) == [(1, "A1"), (2, "A2"), (3, "A3")]
    assert await _log(db, b.id) == [(1, "B1")]


async def test_a_rolled_back_savepoint_takes_its_events_and_its_ids_with_it(db: Database) -> None:
    a = await make_structure(db)
    async with db.tenant_session(a.id) as session:
        await record(session, [_new(a.id, "kept")])
        with pytest.raises(RuntimeError):
            async with session.begin_nested():
                await record(session, [_new(a.id, "refused")])
                raise RuntimeError("refused")
        await record(session, [_new(a.id, "next")])
    assert await _log(db, a.id) == [(1, "kept"), (2, "next")]


async def test_ids_become_visible_in_the_order_they_were_given(db: Database) -> None:
    """A second writer waits for the first one's commit: a reader that saw id n never sees a smaller id later."""
    a = await make_structure(db)
    first_wrote, release = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with db.tenant_session(a.id) as session:
            await record(session, [_new(a.id, "first")])
            first_wrote.set()
            await release.wait()

    async def second() -> None:
        await first_wrote.wait()
        async with db.tenant_session(a.id) as session:
            await record(session, [_new(a.id, "second")])

    one, two = asyncio.create_task(first()), asyncio.create_task(second())
    await first_wrote.wait()
    await asyncio.sleep(0.5)
    assert not two.done()  # waiting for the first writer's counter row (PostgreSQL) or write lock (SQLite)
    assert await _log(db, a.id) == []  # a reader meanwhile sees neither
    release.set()
    await asyncio.wait_for(asyncio.gather(one, two), timeout=15)
    assert await _log(db, a.id) == [(1, "first"), (2, "second")]


async def test_one_change_over_two_workspaces_writes_each_its_own(db: Database) -> None:
    a, b = await make_structure(db), await make_structure(db)
    from tenancy import privileged

    async with privileged.across(db, {a.id, b.id}) as session:
        await record(session, [_new(b.id, "B side"), _new(a.id, "A side")])
    assert await _log(db, a.id) == [(1, "A side")]
    assert await _log(db, b.id) == [(1, "B side")]


@pytest.mark.postgres_only
async def test_a_tenant_session_reads_and_writes_only_its_own_log(db: Database) -> None:
    a, b = await make_structure(db), await make_structure(db)
    async with db.tenant_session(b.id) as session:
        await record_one(session, b.id, EventType.SERVICE_CREATED, ObjectKind.SERVICE, uuid.uuid4(),
                         EventActor.system(), {"code": "B", "name": "B", "is_active": True})  # fmt: skip
    async with db.tenant_session(a.id) as session:
        # raw SQL, no application filter: the database itself hides B's rows and counter
        assert await session.scalar(text("SELECT count(*) FROM events")) == 0
        assert await session.scalar(text("SELECT count(*) FROM event_counters")) == 0
    with pytest.raises(DBAPIError, match="row-level security"):
        async with db.tenant_session(a.id) as session:
            await record(session, [_new(b.id, "forged into B")])
    with pytest.raises(DBAPIError, match="row-level security"):
        async with db.tenant_session(a.id) as session:
            await session.execute(
                text(
                    "INSERT INTO events (tenant_id, id, type, occurred_at, actor_name, actor_kind, object_kind,"
                    " object_id, payload) VALUES (:t, 99, 'service.created', now(), 'x', 'system', 'service', :o, '{}')"
                ),
                {"t": b.id, "o": uuid.uuid4()},
            )
    assert await _log(db, b.id) == [(1, "B")]
