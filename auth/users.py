"""User accounts (global: one person, many workspaces)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from auth.models import User
from auth.passwords import hash_password_async
from tenancy import checks
from tenancy.db import Database
from tenancy.errors import DomainError, ErrorCode

MIN_PASSWORD = 12


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise DomainError.single("password", ErrorCode.INVALID, f"a password needs at least {MIN_PASSWORD} characters")


async def find_user(db: Database, email: str) -> User | None:
    async with db.bare_session() as session:
        return await session.scalar(select(User).where(User.email == email.strip().lower()))


async def upsert_user(db: Database, *, email: str, display_name: str, password: str | None) -> User:
    """Create the account, or update its name (and password when given)."""
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
            user = User(id=uuid.uuid4(), email=address, display_name=name, password_hash=password_hash, is_active=True)
            session.add(user)
        else:
            user.display_name = name
            if password_hash is not None:
                user.password_hash = password_hash
    return user
