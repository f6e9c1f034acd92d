"""The tables of joining: requests to join a structure, and invitations into one."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column

from tenancy.columns import EnumText
from tenancy.db import Base, TenantScoped
from tenancy.enums import Access, Role


class RequestStatus(StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    DECLINED = "DECLINED"


class InvitationStatus(StrEnum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    WITHDRAWN = "WITHDRAWN"
    EXPIRED = "EXPIRED"  # written when a pending one past its date is met again (its link, a new invitation)


# The same predicate on both engines (each reads its own keyword), so one pending row per key is the
# database's rule, race or not.
_PENDING = text("status = 'PENDING'")


class MembershipRequest(TenantScoped, Base):
    """Someone asks to be attached to this structure; its managers approve (with a role) or decline."""

    __tablename__ = "membership_requests"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str | None] = mapped_column(Text)
    # The language the person asked in: the answer's mail is written in it.
    locale: Mapped[str] = mapped_column(String(5))
    status: Mapped[RequestStatus] = mapped_column(EnumText(RequestStatus, 10))
    role: Mapped[Role | None] = mapped_column(EnumText(Role, 30))  # granted, once approved
    access: Mapped[Access | None] = mapped_column(EnumText(Access, 10))
    reason: Mapped[str | None] = mapped_column(Text)  # why it was declined, as the requester reads it
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index(
            "uq_membership_requests_pending",
            "tenant_id",
            "user_id",
            unique=True,
            sqlite_where=_PENDING,
            postgresql_where=_PENDING,
        ),
        Index("ix_membership_requests_tenant_status", "tenant_id", "status", "created_at", "id"),
        # The requester's own requests, across structures (privileged, for `viewer`).
        Index("ix_membership_requests_user", "user_id"),
    )


class Invitation(TenantScoped, Base):
    """An administrator invites an e-mail address in, with a role; a single-use link, valid seven days.

    The link's token is kept only as its SHA-256 digest (see ``links``).
    """

    __tablename__ = "invitations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[Role] = mapped_column(EnumText(Role, 30))
    access: Mapped[Access] = mapped_column(EnumText(Access, 10))
    token_hash: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(5))
    status: Mapped[InvitationStatus] = mapped_column(EnumText(InvitationStatus, 10))
    invited_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    accepted_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("uq_invitations_token", "tenant_id", "token_hash", unique=True),
        Index(
            "uq_invitations_pending",
            "tenant_id",
            "email",
            unique=True,
            sqlite_where=_PENDING,
            postgresql_where=_PENDING,
        ),
        Index("ix_invitations_tenant_created", "tenant_id", "created_at", "id"),
        # The invitations addressed to one person, across structures (privileged, for `viewer`).
        Index("ix_invitations_email", "email"),
    )
