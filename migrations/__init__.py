"""The schema's history (Alembic: ``env.py``, ``versions/``) and what runs it: bring a database to the latest
schema (both engines), as the owner role.

A package of its own above the domain: ``env.py`` imports every layer's models. ``facturehub migrate``
points Alembic at this folder, installed or not; ``alembic.ini`` at the top serves the ``alembic`` command
in a checkout.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import create_async_engine

MIGRATIONS = Path(__file__).parent


def alembic_config(connection: Any = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _ensure_sqlite_folder(url: URL) -> None:
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


@dataclass(frozen=True)
class Upgraded:
    """The schema revision before and after an upgrade (``before`` is None on a new database)."""

    before: str | None
    after: str | None

    def describe(self) -> str:
        if self.before is None:
            return f"created the schema at revision {self.after}"
        if self.before != self.after:
            return f"upgraded the schema from revision {self.before} to {self.after}"
        return f"the schema is already at the latest revision, {self.after}"


async def upgrade(url: str | URL, revision: str = "head") -> Upgraded:
    url = make_url(url)
    _ensure_sqlite_folder(url)
    engine = create_async_engine(url)

    def run(sync: Connection) -> Upgraded:
        before = MigrationContext.configure(sync).get_current_revision()
        command.upgrade(alembic_config(sync), revision)
        return Upgraded(before, MigrationContext.configure(sync).get_current_revision())

    try:
        async with engine.begin() as connection:
            return await connection.run_sync(run)
    finally:
        await engine.dispose()


async def current_revision(url: str | URL) -> str | None:
    engine = create_async_engine(make_url(url))
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())
    finally:
        await engine.dispose()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
