"""Inviting someone in by e-mail, and the invitee's answer through the link (with an account or a new one).

Only the link proves that its holder reads mail at the invited address: accepting needs it, even for an
account that already uses that address (whose address may never have been proven), and a new account made
from it starts with its address verified.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.joining.mail import invitation_link, locale_of
from auth.models import User
from auth.passwords import hash_password_async
from auth.users import check_password
from tenancy import checks, members
from tenancy.db import Database
from tenancy.enums import Access, Role
from tenancy.errors import DomainError, ErrorCode
from tenancy.events.actor import EventActor
from tenancy.events.types import ActorKind
from tenancy.joining import invitations, links
from tenancy.joining.models import Invitation
from tenancy.mail import MailTemplate, enqueue_mail
from tenancy.models import Membership, Structure


async def invite_member(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    actor_role: Role | None,
    inviter_id: uuid.UUID | None,
    inviter_name: str,
    email: str,
    role: Role,
    access: Access,
    locale: str,
    base_url: str,
    now: datetime,
) -> Invitation:
    """Invite ``email`` and write the mail carrying its link; the token itself is kept nowhere."""
    members.guard_principal_role(actor_role, role)
    address = checks.email("email", email)
    account = await _account(session, address) if address else None
    if account is not None and await members.is_member(session, tenant_id, account.id):
        raise DomainError.single("email", ErrorCode.DUPLICATE, f"'{address}' is already a member")
    row, token = await invitations.invite(
        session,
        tenant_id,
        actor_role=actor_role,
        invited_by=inviter_id,
        email=email,
        role=role,
        access=access,
        locale=locale_of(locale),
        now=now,
    )
    structure = await session.get_one(Structure, tenant_id)
    params = {
        "link": invitation_link(base_url, token),
        "structure_name": structure.name,
        "inviter_name": inviter_name,
        "role": role.value,
    }
    await enqueue_mail(session, row.email, MailTemplate.INVITATION, row.locale, params, now=now)
    return row


@dataclass(frozen=True)
class OpenInvitation:
    """What the acceptance page shows of a link."""

    invitation: Invitation
    structure_name: str
    inviter_name: str | None
    has_account: bool


async def look(db: Database, token: str, now: datetime) -> OpenInvitation | DomainError:
    """The invitation a link names, or why it cannot be used (an expired one is written so)."""
    tenant = links.tenant_of(token)
    if tenant is None:
        return _unknown()
    async with db.tenant_session(tenant) as session:
        row = await invitations.by_token(session, token)
        if row is None:
            return _unknown()
        try:
            invitations.check_usable(row, now)
        except DomainError as refusal:
            await invitations.expire_if_due(session, row, now)
            return refusal
        structure = await session.get_one(Structure, tenant)
        inviter = await session.get(User, row.invited_by) if row.invited_by else None
        account = await _account(session, row.email)
        return OpenInvitation(row, structure.name, inviter.display_name if inviter else None, account is not None)


async def accept_as(db: Database, token: str, user: User, now: datetime) -> Membership:
    """Accept for the signed-in ``user``, who must be the account of the invited address."""
    async with db.tenant_session(_tenant(token)) as session:
        row = await _usable(session, token, now)
        if row.email != user.email:
            raise DomainError.single(
                "token", ErrorCode.FORBIDDEN, f"this invitation is for {row.email}: sign in with that account"
            )
        member = await invitations.accept(session, row, user_id=user.id, actor=_joined(user), now=now)
        account = await session.get_one(User, user.id)
        if account.email_verified_at is None:
            account.email_verified_at = now
        return member


async def accept_with_new_account(
    db: Database, token: str, *, display_name: str, password: str, now: datetime
) -> tuple[User, Membership]:
    """Make the invitee's account (address verified: the link proves it) and attach it, all or nothing."""
    name = checks.required_text("displayName", display_name, max_length=200)
    check_password(password)
    password_hash = await hash_password_async(password)
    async with db.tenant_session(_tenant(token)) as session:
        row = await _usable(session, token, now)
        if await _account(session, row.email) is not None:
            raise DomainError.single(
                "token", ErrorCode.DUPLICATE, f"{row.email} already has an account: sign in to accept"
            )
        user = User(
            id=uuid.uuid4(),
            email=row.email,
            display_name=name,
            password_hash=password_hash,
            is_active=True,
            email_verified_at=now,
        )
        session.add(user)
        await session.flush()
        member = await invitations.accept(session, row, user_id=user.id, actor=_joined(user), now=now)
        return user, member


async def decline(db: Database, token: str, now: datetime) -> Invitation:
    """Holding the link is enough to decline: it says no more than the mail did."""
    async with db.tenant_session(_tenant(token)) as session:
        row = await _usable(session, token, now)
        return await invitations.decline(session, row, now=now)


async def _usable(session: AsyncSession, token: str, now: datetime) -> Invitation:
    row = await invitations.by_token(session, token)
    if row is None:
        raise _unknown()
    invitations.check_usable(row, now)
    return row


def _tenant(token: str) -> uuid.UUID:
    tenant = links.tenant_of(token)
    if tenant is None:
        raise _unknown()
    return tenant


def _unknown() -> DomainError:
    return DomainError.single("token", ErrorCode.NOT_FOUND, "this invitation link is not valid")


async def _account(session: AsyncSession, email: str | None) -> User | None:
    if not email:
        return None
    return await session.scalar(select(User).where(User.email == email.strip().lower()))


def _joined(user: User) -> EventActor:
    """The person who followed the invitation's link adds themselves: the history names them."""
    return EventActor(user.display_name, ActorKind.USER)
