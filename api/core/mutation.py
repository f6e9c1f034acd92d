"""Running a mutation's domain work: all or nothing, domain refusals turned into user errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from api.core.context import Context
from api.core.errors import UserError, user_errors
from tenancy.errors import DomainError

T = TypeVar("T")


async def attempt(context: Context, work: Callable[[AsyncSession], Awaitable[T]]) -> tuple[T | None, list[UserError]]:
    """Run ``work`` in a savepoint of the request's transaction; a refusal leaves nothing behind."""
    async with context.session.use() as session:
        try:
            async with session.begin_nested():
                return await work(session), []
        except DomainError as refusal:
            return None, user_errors(refusal)
