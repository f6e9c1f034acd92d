"""The hand-written migrations and the models describe the same schema, on both engines."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from migrations import current_revision, head_revision, upgrade
from tenancy.db import Base


async def test_models_and_migrations_agree(database_url: str) -> None:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:

            def diff(sync: Any) -> list[Any]:
                context = MigrationContext.configure(sync, opts={"compare_type": True})
                return list(compare_metadata(context, Base.metadata))

            differences = await connection.run_sync(diff)
    finally:
        await engine.dispose()
    assert differences == []


async def test_the_database_is_at_head_and_upgrading_again_is_a_no_op(database_url: str) -> None:
    assert await current_revision(database_url) == head_revision()
    await upgrade(database_url)
    assert await current_revision(database_url) == head_revision()
