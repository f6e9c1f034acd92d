"""Requests to join a structure (Chorus Pro's *demande de rattachement*): asked, then approved or declined.

One pending request per person and structure (a partial unique index says it, races included). Approving
attaches the person with the role and access the manager chose, under the members' rules.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tenancy import members
from tenancy.enums import Access, Role
from tenancy.errors import DomainError, ErrorCode
from tenancy.events.actor import EventActor
from tenancy.joining.models import MembershipRequest, RequestStatus
from tenancy.joining.texts import free_text
from tenancy.keyset import SortKey
from tenancy.models import Membership

REQUEST_KEYS = (SortKey(MembershipRequest.created_at), SortKey(MembershipRequest.id))


async def open_request(
    session: AsyncSession, tenant_id: uuid.UUID, *, user_id: uuid.UUID, message: str | None, locale: str, now: datetime
) -> MembershipRequest:
    text = free_text("message", message, required=False)
    if await members.is_member(session, tenant_id, user_id):
        raise DomainError.single("identifier", ErrorCode.DUPLICATE, "you are already a member of this structure")
    if await _pending_of(session, tenant_id, user_id) is not None:
        raise _already_asked()
    row = MembershipRequest(
        tenant_id=tenant_id,
        id=uuid.uuid4(),
        user_id=user_id,
        message=text,
        locale=locale,
        status=RequestStatus.PENDING,
        created_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:  # the same person asked twice at once: the index keeps one
        raise _already_asked() from None
    return row


async def approve(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    actor_role: Role | None,
    request_id: uuid.UUID,
    role: Role,
    access: Access,
    decided_by: uuid.UUID | None,
    requester_email: str,
    actor: EventActor,
    now: datetime,
) -> tuple[MembershipRequest, Membership]:
    members.guard_principal_role(actor_role, role)
    row = await pending(session, tenant_id, request_id)
    member = await members.add_member(
        session,
        tenant_id,
        actor_role=actor_role,
        user_id=row.user_id,
        email=requester_email,
        role=role,
        access=access,
        actor=actor,
    )
    row.status, row.role, row.access = RequestStatus.APPROVED, role, access
    row.decided_by, row.decided_at = decided_by, now
    await session.flush()
    return row, member


async def decline(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    request_id: uuid.UUID,
    reason: str | None,
    decided_by: uuid.UUID | None,
    now: datetime,
) -> MembershipRequest:
    why = free_text("reason", reason, required=True)
    row = await pending(session, tenant_id, request_id)
    row.status, row.reason, row.decided_by, row.decided_at = RequestStatus.DECLINED, why, decided_by, now
    await session.flush()
    return row


async def get_request(session: AsyncSession, tenant_id: uuid.UUID, request_id: uuid.UUID) -> MembershipRequest | None:
    return await session.scalar(
        select(MembershipRequest).where(MembershipRequest.tenant_id == tenant_id, MembershipRequest.id == request_id)
    )


async def pending(session: AsyncSession, tenant_id: uuid.UUID, request_id: uuid.UUID) -> MembershipRequest:
    """The request, locked, if it still waits for an answer: two managers answering at once answer once."""
    row = await session.scalar(
        select(MembershipRequest)
        .where(MembershipRequest.tenant_id == tenant_id, MembershipRequest.id == request_id)
        .with_for_update()
    )
    if row is None:
        raise DomainError.single("id", ErrorCode.NOT_FOUND, "no such membership request in this workspace")
    if row.status != RequestStatus.PENDING:
        raise DomainError.single(
            "id", ErrorCode.NOT_PENDING, f"this request was already answered ({row.status.value.lower()})"
        )
    return row


def requests_query(tenant_id: uuid.UUID, status: RequestStatus | None) -> Select[MembershipRequest]:
    stmt = select(MembershipRequest).where(MembershipRequest.tenant_id == tenant_id)
    return stmt.where(MembershipRequest.status == status) if status is not None else stmt


async def principal_managers(session: AsyncSession, tenant_id: uuid.UUID) -> list[uuid.UUID]:
    """Who is told of a new request: the structure's principal managers (gestionnaires principaux)."""
    found = await session.scalars(
        select(Membership.user_id)
        .where(Membership.tenant_id == tenant_id, Membership.role == Role.GESTIONNAIRE_PRINCIPAL.value)
        .order_by(Membership.created_at, Membership.id)
    )
    return list(found)


async def _pending_of(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID) -> MembershipRequest | None:
    return await session.scalar(
        select(MembershipRequest).where(
            MembershipRequest.tenant_id == tenant_id,
            MembershipRequest.user_id == user_id,
            MembershipRequest.status == RequestStatus.PENDING,
        )
    )


def _already_asked() -> DomainError:
    return DomainError.single(
        "identifier",
        ErrorCode.DUPLICATE,
        "you already asked to join this structure; its managers have not answered yet",
    )
