"""The ``jobs`` table: background work of every tenant, claimed by the workers."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from tenancy.db import Base


class Job(Base):
    """A unit of background work (flux processing, timers), claimed with FOR UPDATE SKIP LOCKED.

    Global: workers serve every tenant; the job names its tenant and the worker opens that tenant's
    session, never one taken from elsewhere.
    """

    __tablename__ = "jobs"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(40))
    for_tenant: Mapped[uuid.UUID | None] = mapped_column()  # whose work it is; not an owner (no RLS)
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    run_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=5)
    locked_by: Mapped[str | None] = mapped_column(String(100))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # gave up: attempts exhausted
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (Index("ix_jobs_due", "done_at", "run_at"),)
