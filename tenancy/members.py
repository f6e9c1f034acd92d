"""Who belongs to a workspace, with which role and access; admins manage it.

Members are user ids: the accounts are auth's (``auth.users.add_member_by_email`` finds one by its address).
"""

from __future__ import annotations

import uuid

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from tenancy.changes import KEEP, Keep, kept
from tenancy.enums import Access, Role
from tenancy.errors import DomainError, ErrorCode
from tenancy.events.actor import EventActor
from tenancy.events.record import record_one
from tenancy.events.types import EventType, ObjectKind
from tenancy.keyset import SortKey
from tenancy.models import Membership

MEMBER_KEYS = (SortKey(Membership.created_at), SortKey(Membership.id))


def guard_principal_role(actor_role: Role | None, *roles: Role) -> None:
    """Only a principal manager (gestionnaire principal) may hand out or touch that role."""
    if Role.GESTIONNAIRE_PRINCIPAL in roles and actor_role is not Role.GESTIONNAIRE_PRINCIPAL:
        raise DomainError.single(
            "role", ErrorCode.FORBIDDEN, "only a GESTIONNAIRE_PRINCIPAL may grant or change that role"
        )


async def add_member(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    actor_role: Role | None,
    user_id: uuid.UUID,
    email: str,
    role: Role,
    access: Access,
    actor: EventActor,
) -> Membership:
    """Attach an account, added by its ``email`` (the field the errors name)."""
    guard_principal_role(actor_role, role)
    existing = await session.scalar(
        select(Membership).where(Membership.tenant_id == tenant_id, Membership.user_id == user_id)
    )
    if existing is not None:
        raise DomainError.single("email", ErrorCode.DUPLICATE, f"'{email}' is already a member")
    member = Membership(tenant_id=tenant_id, id=uuid.uuid4(), user_id=user_id, role=role, access=access)
    session.add(member)
    await session.flush()
    await session.refresh(member)
    await _logged(session, member, EventType.MEMBER_ADDED, actor)
    return member


async def update_member(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    actor_role: Role | None,
    member_id: uuid.UUID,
    role: Role | Keep = KEEP,
    access: Access | Keep = KEEP,
    actor: EventActor,
) -> Membership:
    member = await _get_or_fail(session, tenant_id, member_id)
    new_role = kept(role, Role(member.role))
    new_access = kept(access, Access(member.access))
    guard_principal_role(actor_role, Role(member.role), new_role)
    if _is_manager(member) and not (new_role is Role.GESTIONNAIRE_PRINCIPAL and new_access is Access.WRITE):
        await _keep_one_manager(session, tenant_id, leaving=member)
    before = Role(member.role), Access(member.access)
    member.role, member.access = new_role, new_access
    await session.flush()
    if before != (new_role, new_access):
        extra = {"from_role": before[0].value, "from_access": before[1].value}
        await _logged(session, member, EventType.MEMBER_ROLE_CHANGED, actor, extra)
    return member


async def remove_member(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    actor_role: Role | None,
    member_id: uuid.UUID,
    actor: EventActor,
) -> uuid.UUID:
    member = await _get_or_fail(session, tenant_id, member_id)
    guard_principal_role(actor_role, Role(member.role))
    if _is_manager(member):
        await _keep_one_manager(session, tenant_id, leaving=member)
    await session.delete(member)
    await session.flush()
    await _logged(session, member, EventType.MEMBER_REMOVED, actor)
    return member_id


async def _logged(
    session: AsyncSession,
    member: Membership,
    type_: EventType,
    actor: EventActor,
    extra: dict[str, str] | None = None,
) -> None:
    payload = {"user_id": str(member.user_id), "role": str(member.role), "access": str(member.access), **(extra or {})}
    await record_one(session, member.tenant_id, type_, ObjectKind.MEMBER, member.id, actor, payload)


async def get_member(session: AsyncSession, tenant_id: uuid.UUID, member_id: uuid.UUID) -> Membership | None:
    return await session.scalar(select(Membership).where(Membership.tenant_id == tenant_id, Membership.id == member_id))


def members_query(tenant_id: uuid.UUID) -> Select[Membership]:
    return select(Membership).where(Membership.tenant_id == tenant_id)


def _is_manager(member: Membership) -> bool:
    return member.role == Role.GESTIONNAIRE_PRINCIPAL.value and member.access == Access.WRITE.value


async def _keep_one_manager(session: AsyncSession, tenant_id: uuid.UUID, *, leaving: Membership) -> None:
    # Lock every manager row (PostgreSQL; SQLite serialises writers anyway): two managers removing or
    # demoting each other at once would otherwise each count the other and leave the workspace with none.
    managers = await session.scalars(
        select(Membership.id)
        .where(
            Membership.tenant_id == tenant_id,
            Membership.role == Role.GESTIONNAIRE_PRINCIPAL.value,
            Membership.access == Access.WRITE.value,
        )
        .order_by(Membership.id)
        .with_for_update()
    )
    others = [m for m in managers if m != leaving.id]
    if not others:
        raise DomainError.single(
            "id",
            ErrorCode.LAST_PRINCIPAL_MANAGER,
            "a workspace keeps at least one GESTIONNAIRE_PRINCIPAL with write access: name another one first",
        )


async def _get_or_fail(session: AsyncSession, tenant_id: uuid.UUID, member_id: uuid.UUID) -> Membership:
    member = await get_member(session, tenant_id, member_id)
    if member is None:
        raise DomainError.single("id", ErrorCode.NOT_FOUND, "no such member in this workspace")
    return member


async def ensure_member(
    session: AsyncSession, tenant_id: uuid.UUID, *, user_id: uuid.UUID, role: Role, access: Access
) -> Membership:
    """Operator path (CLI, demo): attach or re-attach without the admin rules."""
    member = await session.scalar(
        select(Membership).where(Membership.tenant_id == tenant_id, Membership.user_id == user_id)
    )
    if member is None:
        member = Membership(tenant_id=tenant_id, id=uuid.uuid4(), user_id=user_id, role=role, access=access)
        session.add(member)
    else:
        member.role, member.access = role, access
    await session.flush()
    return member


async def is_member(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(Membership.id).where(Membership.tenant_id == tenant_id, Membership.user_id == user_id)
    )
    return found is not None
