"""Invitations: an administrator invites an e-mail address with a role; the link is single-use, seven days.

An invitation is PENDING until it is accepted, declined or withdrawn; past ``expires_at`` it counts as
EXPIRED (and is written so when met again). One pending invitation per address and structure.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tenancy import checks, members
from tenancy.enums import Access, Role
from tenancy.errors import DomainError, ErrorCode
from tenancy.events.actor import EventActor
from tenancy.joining import links
from tenancy.joining.models import Invitation, InvitationStatus
from tenancy.keyset import SortKey
from tenancy.models import Membership
from tenancy.moments import aware

VALID_FOR = timedelta(days=7)
INVITATION_KEYS = (SortKey(Invitation.created_at, descending=True), SortKey(Invitation.id, descending=True))


def status_at(invitation: Invitation, now: datetime) -> InvitationStatus:
    if invitation.status == InvitationStatus.PENDING and aware(invitation.expires_at) <= now:
        return InvitationStatus.EXPIRED
    return InvitationStatus(invitation.status)


async def invite(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    actor_role: Role | None,
    invited_by: uuid.UUID | None,
    email: str,
    role: Role,
    access: Access,
    locale: str,
    now: datetime,
) -> tuple[Invitation, str]:
    """The invitation and its link token (the token is never stored: give it to the mail, then forget it)."""
    members.guard_principal_role(actor_role, role)
    address = checks.email("email", email)
    if address is None:
        raise DomainError.single("email", ErrorCode.REQUIRED, "email is required")
    current = await session.scalar(
        select(Invitation)
        .where(
            Invitation.tenant_id == tenant_id,
            Invitation.email == address,
            Invitation.status == InvitationStatus.PENDING,
        )
        .with_for_update()
    )
    if current is not None:
        if status_at(current, now) != InvitationStatus.EXPIRED:
            raise DomainError.single(
                "email",
                ErrorCode.DUPLICATE,
                f"'{address}' is already invited (until {aware(current.expires_at):%Y-%m-%d}); "
                "withdraw that invitation to send a new one",
            )
        current.status = InvitationStatus.EXPIRED
        await session.flush()
    token = links.new_token(tenant_id)
    row = Invitation(
        tenant_id=tenant_id,
        id=uuid.uuid4(),
        email=address,
        role=role,
        access=access,
        token_hash=links.digest(token),
        locale=locale,
        status=InvitationStatus.PENDING,
        invited_by=invited_by,
        created_at=now,
        expires_at=now + VALID_FOR,
    )
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:  # invited twice at once: the index keeps one
        raise DomainError.single("email", ErrorCode.DUPLICATE, f"'{address}' is already invited") from None
    return row, token


async def withdraw(session: AsyncSession, tenant_id: uuid.UUID, invitation_id: uuid.UUID, now: datetime) -> Invitation:
    row = await _locked(session, tenant_id, invitation_id)
    if row is None:
        raise DomainError.single("id", ErrorCode.NOT_FOUND, "no such invitation in this workspace")
    if row.status != InvitationStatus.PENDING:
        raise _answered(row, "id")
    row.status, row.answered_at = InvitationStatus.WITHDRAWN, now
    await session.flush()
    return row


async def by_token(session: AsyncSession, token: str) -> Invitation | None:
    """The invitation a link names, locked (a link is used once, even when two tabs use it at once)."""
    tenant = links.tenant_of(token)
    if tenant is None:
        return None
    row = await session.scalar(
        select(Invitation)
        .where(Invitation.tenant_id == tenant, Invitation.token_hash == links.digest(token))
        .with_for_update()
    )
    return row if row is not None and links.matches(token, row.token_hash) else None


def check_usable(invitation: Invitation, now: datetime) -> None:
    """Refuse a link that was used, withdrawn or has expired, saying which."""
    status = status_at(invitation, now)
    if status == InvitationStatus.EXPIRED:
        raise DomainError.single("token", ErrorCode.EXPIRED, "this invitation has expired; ask for a new one")
    if status != InvitationStatus.PENDING:
        raise _answered(invitation)


async def expire_if_due(session: AsyncSession, invitation: Invitation, now: datetime) -> None:
    if invitation.status == InvitationStatus.PENDING and status_at(invitation, now) == InvitationStatus.EXPIRED:
        invitation.status = InvitationStatus.EXPIRED
        await session.flush()


async def accept(
    session: AsyncSession, invitation: Invitation, *, user_id: uuid.UUID, actor: EventActor, now: datetime
) -> Membership:
    check_usable(invitation, now)
    # The inviter's right to hand out this role was checked when inviting; the link carries it.
    member = await members.add_member(
        session,
        invitation.tenant_id,
        actor_role=Role.GESTIONNAIRE_PRINCIPAL,
        user_id=user_id,
        email=invitation.email,
        role=Role(invitation.role),
        access=Access(invitation.access),
        actor=actor,
    )
    invitation.status, invitation.accepted_by, invitation.answered_at = InvitationStatus.ACCEPTED, user_id, now
    await session.flush()
    return member


async def decline(session: AsyncSession, invitation: Invitation, *, now: datetime) -> Invitation:
    check_usable(invitation, now)
    invitation.status, invitation.answered_at = InvitationStatus.DECLINED, now
    await session.flush()
    return invitation


async def get_invitation(session: AsyncSession, tenant_id: uuid.UUID, invitation_id: uuid.UUID) -> Invitation | None:
    return await session.scalar(
        select(Invitation).where(Invitation.tenant_id == tenant_id, Invitation.id == invitation_id)
    )


def invitations_query(tenant_id: uuid.UUID, status: InvitationStatus | None, now: datetime) -> Select[Invitation]:
    """The workspace's invitations; PENDING means still usable, EXPIRED includes the pending ones past date."""
    stmt = select(Invitation).where(Invitation.tenant_id == tenant_id)
    if status == InvitationStatus.PENDING:
        return stmt.where(Invitation.status == InvitationStatus.PENDING, Invitation.expires_at > now)
    if status == InvitationStatus.EXPIRED:
        return stmt.where(
            (Invitation.status == InvitationStatus.EXPIRED)
            | ((Invitation.status == InvitationStatus.PENDING) & (Invitation.expires_at <= now))
        )
    return stmt.where(Invitation.status == status) if status is not None else stmt


async def _locked(session: AsyncSession, tenant_id: uuid.UUID, invitation_id: uuid.UUID) -> Invitation | None:
    return await session.scalar(
        select(Invitation).where(Invitation.tenant_id == tenant_id, Invitation.id == invitation_id).with_for_update()
    )


def _answered(invitation: Invitation, field: str = "token") -> DomainError:
    said = {
        InvitationStatus.ACCEPTED: "this invitation was already accepted",
        InvitationStatus.DECLINED: "this invitation was declined",
        InvitationStatus.WITHDRAWN: "this invitation was withdrawn",
        InvitationStatus.EXPIRED: "this invitation has expired; ask for a new one",
    }
    code = ErrorCode.EXPIRED if invitation.status == InvitationStatus.EXPIRED else ErrorCode.NOT_PENDING
    return DomainError.single(field, code, said.get(InvitationStatus(invitation.status), "this invitation is closed"))
