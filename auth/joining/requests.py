"""Asking to join a structure, and the managers' answer, with the mail each side receives."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.joining.mail import MANAGERS_LOCALE, app_link, locale_of, requests_link
from auth.models import User
from tenancy import privileged
from tenancy.db import Database
from tenancy.enums import Access, IdentifierType, Role
from tenancy.errors import DomainError, ErrorCode
from tenancy.events.actor import EventActor
from tenancy.joining import requests
from tenancy.joining.models import MembershipRequest
from tenancy.mail import MailTemplate, enqueue_mail
from tenancy.models import Membership, Structure


async def find_joinable(db: Database, identifier: str, identifier_type: IdentifierType | None) -> Structure:
    """The active structure an identifier names; the field errors say which part to fix."""
    wanted = (identifier or "").strip()
    if not wanted:
        raise DomainError.single("identifier", ErrorCode.REQUIRED, "identifier is required")
    if len(wanted) > 80:
        raise DomainError.single("identifier", ErrorCode.TOO_LONG, "identifier is at most 80 characters long")
    found = [
        s
        for s in await privileged.find_structure(db, wanted, identifier_type.value if identifier_type else None)
        if s.is_active
    ]
    if not found:
        raise DomainError.single("identifier", ErrorCode.NOT_FOUND, f"no active structure has the identifier {wanted}")
    if len(found) > 1:
        kinds = ", ".join(sorted(s.identifier_type for s in found))
        raise DomainError.single(
            "identifierType",
            ErrorCode.AMBIGUOUS,
            f"several structures have the identifier {wanted} ({kinds}): name its type",
        )
    return found[0]


async def request_membership(
    db: Database,
    *,
    user_id: uuid.UUID,
    identifier: str,
    identifier_type: IdentifierType | None,
    message: str | None,
    locale: str,
    base_url: str,
    now: datetime,
) -> tuple[MembershipRequest, Structure]:
    """Ask to join; the structure's principal managers are told by mail, in the same transaction."""
    structure = await find_joinable(db, identifier, identifier_type)
    async with db.tenant_session(structure.id) as session:
        requester = await session.get_one(User, user_id)
        row = await requests.open_request(
            session, structure.id, user_id=user_id, message=message, locale=locale_of(locale), now=now
        )
        params = {
            "link": requests_link(base_url, structure.identifier),
            "structure_name": structure.name,
            "requester_name": requester.display_name,
            "requester_email": requester.email,
        }
        if row.message:
            params["message"] = row.message
        for manager in await _users(session, await requests.principal_managers(session, structure.id)):
            await enqueue_mail(
                session, manager.email, MailTemplate.MEMBERSHIP_REQUEST, MANAGERS_LOCALE, params, now=now
            )
    return row, structure


async def approve_request(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    actor_role: Role | None,
    decided_by: uuid.UUID | None,
    request_id: uuid.UUID,
    role: Role,
    access: Access,
    base_url: str,
    actor: EventActor,
    now: datetime,
) -> tuple[MembershipRequest, Membership]:
    row = await requests.pending(session, tenant_id, request_id)
    requester = await session.get_one(User, row.user_id)
    row, member = await requests.approve(
        session,
        tenant_id,
        actor_role=actor_role,
        request_id=request_id,
        role=role,
        access=access,
        decided_by=decided_by,
        requester_email=requester.email,
        actor=actor,
        now=now,
    )
    structure = await session.get_one(Structure, tenant_id)
    params = {"link": app_link(base_url), "structure_name": structure.name, "role": role.value}
    await enqueue_mail(
        session, requester.email, MailTemplate.MEMBERSHIP_APPROVED, locale_of(row.locale), params, now=now
    )
    return row, member


async def decline_request(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    decided_by: uuid.UUID | None,
    request_id: uuid.UUID,
    reason: str | None,
    now: datetime,
) -> MembershipRequest:
    row = await requests.decline(
        session, tenant_id, request_id=request_id, reason=reason, decided_by=decided_by, now=now
    )
    requester = await session.get_one(User, row.user_id)
    structure = await session.get_one(Structure, tenant_id)
    params = {"structure_name": structure.name, "reason": row.reason or ""}
    await enqueue_mail(
        session, requester.email, MailTemplate.MEMBERSHIP_DECLINED, locale_of(row.locale), params, now=now
    )
    return row


async def _users(session: AsyncSession, ids: list[uuid.UUID]) -> list[User]:
    if not ids:
        return []
    rows = await session.scalars(select(User).where(User.id.in_(ids), User.is_active.is_(True)).order_by(User.email))
    return list(rows)
