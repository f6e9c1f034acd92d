"""User accounts (global: one person, many workspaces)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.models import User
from auth.oauth_models import OAuthClient
from auth.passwords import hash_password_async
from tenancy import checks, members
from tenancy.db import Database
from tenancy.enums import Access, Role
from tenancy.errors import DomainError, ErrorCode
from tenancy.events.actor import EventActor
from tenancy.models import Membership

MIN_PASSWORD = 12


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise DomainError.single("password", ErrorCode.INVALID, f"a password needs at least {MIN_PASSWORD} characters")


async def find_user(db: Database, email: str) -> User | None:
    async with db.bare_session() as session:
        return await session.scalar(select(User).where(User.email == email.strip().lower()))


async def upsert_user(db: Database, *, email: str, display_name: str, password: str | None) -> User:
    """Create the account, or update its name (and password when given): the operator's way (CLI, demo),
    which vouches for the address, so a new account is verified at once (sign-up's are not: auth/signup)."""
    address = checks.email("email", email)
    if address is None:
        raise DomainError.single("email", ErrorCode.REQUIRED, "email is required")
    name = checks.required_text("displayName", display_name, max_length=200)
    password_hash = None
    if password is not None:
        check_password(password)
        password_hash = await hash_password_async(password)
    async with db.bare_session() as session:
        user = await session.scalar(select(User).where(User.email == address))
        if user is None:
            user = User(
                id=uuid.uuid4(),
                email=address,
                display_name=name,
                password_hash=password_hash,
                is_active=True,
                email_verified_at=datetime.now(UTC),
            )
            session.add(user)
        else:
            user.display_name = name
            if password_hash is not None:
                user.password_hash = password_hash
            if user.email_verified_at is None:  # e.g. a sign-up never verified: the operator vouches now
                user.email_verified_at = datetime.now(UTC)
    return user


async def add_member_by_email(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    actor_role: Role | None,
    email: str,
    role: Role,
    access: Access,
    actor: EventActor,
) -> Membership:
    """Attach the active account that uses ``email`` to a workspace; the membership rules are tenancy's."""
    # The role first: a role the actor may not grant is refused whatever the address names.
    members.guard_principal_role(actor_role, role)
    user = await session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_active:
        raise DomainError.single("email", ErrorCode.NOT_FOUND, f"no active facturehub account uses '{email.strip()}'")
    return await members.add_member(
        session,
        tenant_id,
        actor_role=actor_role,
        user_id=user.id,
        email=user.email,
        role=role,
        access=access,
        actor=actor,
    )


async def users_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, User]:
    return {u.id: u for u in await session.scalars(select(User).where(User.id.in_(ids)))}


async def actor_name(db: Database, tenant_id: uuid.UUID, user_id: uuid.UUID | None, client_id: str) -> str:
    """How history names who acts: the user's display name, else the API client's name (a technical account)."""
    found: str | None
    async with db.tenant_session(tenant_id) as session:
        if user_id is not None:
            found = await session.scalar(select(User.display_name).where(User.id == user_id))
        else:
            found = await session.scalar(select(OAuthClient.name).where(OAuthClient.client_id == client_id))
    return (found or client_id)[:200]
