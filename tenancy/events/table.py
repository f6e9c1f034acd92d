"""The ``events`` table (each workspace's log) and ``event_counters`` (where each log's next id comes from)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from tenancy.columns import EnumText
from tenancy.db import Base, TenantScoped
from tenancy.events.types import ActorKind, EventType, ObjectKind


class Event(TenantScoped, Base):
    """One change a workspace can see. ``id`` counts the workspace's events: 1, 2, 3... without gaps.

    Why a per-workspace counter rather than a global sequence, a ULID or a UUIDv7: a reader that resumes
    "after event n" must never miss one committed later with a smaller key. Sequences and time-based ids
    are handed out when a transaction writes, not when it commits, so two concurrent transactions can
    commit in the other order and a reader between the two commits would skip one for good. The counter
    row of a workspace (``event_counters``) is locked from the moment a transaction takes ids until it
    commits, so ids of one workspace become visible in the order they were given. It is a tenant row,
    as Citus needs (a global sequence or transaction ids are not, once sharded).
    """

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    type: Mapped[EventType] = mapped_column(EnumText(EventType, 40))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor_name: Mapped[str] = mapped_column(String(200))
    actor_kind: Mapped[ActorKind] = mapped_column(EnumText(ActorKind, 10))
    object_kind: Mapped[ObjectKind] = mapped_column(EnumText(ObjectKind, 20))
    object_id: Mapped[uuid.UUID] = mapped_column()
    # Only what this workspace may see of the change (its own record's number, status, reason...).
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)

    __table_args__ = (
        Index("ix_events_object", "tenant_id", "object_id", "id"),
        Index("ix_events_type", "tenant_id", "type", "id"),
    )


class EventCounter(TenantScoped, Base):
    """The last event id a workspace has handed out."""

    __tablename__ = "event_counters"

    last_id: Mapped[int] = mapped_column(BigInteger)
