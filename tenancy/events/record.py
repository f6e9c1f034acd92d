"""Writing events: in the caller's transaction, so an event exists exactly when its change does.

A refused change (its savepoint or transaction rolled back) leaves no event and no id taken: the
counter's increment rolls back with it, so a workspace's ids have no gaps.

Later readers (subscriptions, webhooks) learn of new events from a notification that carries only
``(tenant, id)``; each reads the event itself in its own tenant session. That notification belongs
here, after the insert, in the same transaction (PostgreSQL delivers ``NOTIFY`` at commit).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from tenancy.events.actor import EventActor
from tenancy.events.table import Event, EventCounter
from tenancy.events.types import EventType, ObjectKind


@dataclass(frozen=True)
class NewEvent:
    tenant_id: uuid.UUID
    type: EventType
    object_kind: ObjectKind
    object_id: uuid.UUID
    actor: EventActor
    occurred_at: datetime
    payload: Mapping[str, Any] = field(default_factory=dict)


# A session that keeps its events until it commits (the API request's): its list of events not yet written.
_AT_COMMIT = "events_at_commit"


def keep_until_commit(session: AsyncSession) -> None:
    """Hold this session's events back until ``write_kept`` (just before its commit).

    For a transaction that lives as long as a request: it would otherwise hold its workspace's counter
    from its first change to the end of the request, and a change of the same request that runs in a
    transaction of its own (the life cycle's) would wait for it forever.
    """
    session.info[_AT_COMMIT] = []


def kept_mark(session: AsyncSession) -> int:
    """Where the kept events stand now: ``drop_kept_since`` forgets what came after (a refused savepoint)."""
    return len(session.info.get(_AT_COMMIT) or [])


def drop_kept_since(session: AsyncSession, mark: int) -> None:
    kept = session.info.get(_AT_COMMIT)
    if kept is not None:
        del kept[mark:]


async def write_kept(session: AsyncSession) -> None:
    kept = session.info.get(_AT_COMMIT)
    if kept:
        session.info[_AT_COMMIT] = []
        await _write(session, kept)


async def record(session: AsyncSession, events: Sequence[NewEvent]) -> None:
    """Append ``events`` to their workspaces' logs, in order, in this transaction (or at its commit, for a
    session that keeps them until then).

    One call per change: the counters of the workspaces it touches are taken in one order (by tenant
    id), so two changes that touch the same two workspaces never wait for each other in a circle.
    """
    kept = session.info.get(_AT_COMMIT)
    if kept is not None:
        kept.extend(events)
        return
    await _write(session, events)


async def _write(session: AsyncSession, events: Sequence[NewEvent]) -> list[Event]:
    by_tenant: dict[uuid.UUID, list[NewEvent]] = defaultdict(list)
    for new in events:
        by_tenant[new.tenant_id].append(new)
    rows: list[Event] = []
    for tenant in sorted(by_tenant):
        group = by_tenant[tenant]
        last = await _take_ids(session, tenant, len(group))
        first = last - len(group) + 1
        rows.extend(_row(new, first + offset) for offset, new in enumerate(group))
    if rows:
        await session.execute(insert(Event), [_values(row) for row in rows])
    return rows


async def _take_ids(session: AsyncSession, tenant: uuid.UUID, count: int) -> int:
    """Reserve ``count`` ids of ``tenant``'s log; the last one. The counter row stays locked until commit."""
    dialect = session.get_bind().dialect.name
    upsert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(EventCounter)
    taken = upsert.values(tenant_id=tenant, last_id=count)
    stmt = taken.on_conflict_do_update(
        index_elements=[EventCounter.tenant_id], set_={"last_id": EventCounter.last_id + taken.excluded.last_id}
    ).returning(EventCounter.last_id)
    return int((await session.execute(stmt)).scalar_one())


def _row(new: NewEvent, event_id: int) -> Event:
    return Event(
        tenant_id=new.tenant_id,
        id=event_id,
        type=new.type,
        occurred_at=new.occurred_at,
        actor_name=new.actor.name[:200],
        actor_kind=new.actor.kind,
        object_kind=new.object_kind,
        object_id=new.object_id,
        payload=dict(new.payload),
    )


def _values(row: Event) -> dict[str, Any]:
    return {column.key: getattr(row, column.key) for column in Event.__table__.columns}


async def record_one(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    type_: EventType,
    object_kind: ObjectKind,
    object_id: uuid.UUID,
    actor: EventActor,
    payload: Mapping[str, Any],
    *,
    at: datetime | None = None,
) -> None:
    """One change of one workspace (its members, services, API clients): one event, now."""
    await record(session, [NewEvent(tenant_id, type_, object_kind, object_id, actor, at or datetime.now(UTC), payload)])
