"""Reading a workspace's log: which events, in which order (the API pages through it)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select

from tenancy.events.table import Event
from tenancy.events.types import EventType, ObjectKind
from tenancy.keyset import SortKey

# The id alone orders a log: it is given in commit order (see Event), so "after n" never skips one.
OLDEST_FIRST = (SortKey(Event.id),)
NEWEST_FIRST = (SortKey(Event.id, descending=True),)


@dataclass(frozen=True)
class EventQuery:
    types: Sequence[EventType] | None = None  # None: every type; empty: none
    object: tuple[ObjectKind, uuid.UUID] | None = None
    since: datetime | None = None


def events_query(tenant_id: uuid.UUID, query: EventQuery) -> Select[Event]:
    stmt = select(Event).where(Event.tenant_id == tenant_id)
    if query.types is not None:
        stmt = stmt.where(Event.type.in_([str(t) for t in query.types]))
    if query.object is not None:
        kind, key = query.object
        stmt = stmt.where(Event.object_id == key, Event.object_kind == kind.value)
    if query.since is not None:
        stmt = stmt.where(Event.occurred_at >= query.since)
    return stmt
