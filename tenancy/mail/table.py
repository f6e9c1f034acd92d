"""The ``mail_outbox`` table: each mail the hub has to send, written in the transaction that causes it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tenancy.db import Base


class OutboxMail(Base):
    """A mail to one address, sent by the worker (job kind ``mail``).

    Global, like ``jobs``: most of the hub's mail (sign-up, reset) belongs to no workspace yet. ``params``
    holds the links with their single-use tokens, so it is emptied once the mail has left; the subject
    stays, for the operator.
    """

    __tablename__ = "mail_outbox"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    to_address: Mapped[str] = mapped_column(String(254))
    template: Mapped[str] = mapped_column(String(40))
    locale: Mapped[str] = mapped_column(String(5))
    params: Mapped[dict[str, str]] = mapped_column(JSON)
    subject: Mapped[str] = mapped_column(String(250))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # the Date header
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # refused for good (5xx)
    error: Mapped[str | None] = mapped_column(Text)
