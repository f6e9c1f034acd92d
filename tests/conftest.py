"""Test harness: every database test runs on SQLite and on PostgreSQL (when one answers).

PostgreSQL comes from FACTUREHUB_TEST_POSTGRES_URL (default: postgres@127.0.0.1:5432, trust auth, as in
CI). Each run creates its own throw-away database, migrates it as the owner, and the app connects
through the same non-owner roles as in production. Without PostgreSQL the PostgreSQL half is
deselected and the run says so once; under CI=true a missing PostgreSQL is an error instead.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url
from starlette.applications import Starlette

import auth.models
import auth.oauth_models
import invoicing.deposit.records
import tenancy.jobs.table
import tenancy.joining.models
import tenancy.mail.table
import tenancy.models
from api.app import create_app
from api.settings import Settings
from migrations import upgrade
from tenancy.db import Base, Database

_ = (
    auth.models,
    auth.oauth_models,
    invoicing.deposit.records,
    tenancy.jobs.table,
    tenancy.joining.models,
    tenancy.mail.table,
    tenancy.models,
)

PG_URL = os.environ.get("FACTUREHUB_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
ENGINES = ("sqlite", "postgresql")
SHARED_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _probe_postgres() -> str | None:
    async def probe() -> None:
        connection = await asyncpg.connect(_asyncpg_dsn(PG_URL), timeout=3)
        await connection.close()

    try:
        asyncio.run(probe())
    except Exception as exc:  # any failure to connect means: no PostgreSQL here
        return f"{type(exc).__name__}: {exc}".strip()
    return None


def pytest_configure(config: pytest.Config) -> None:
    reason = _probe_postgres()
    config.stash[_PG_SKIP] = reason
    if reason and os.environ.get("CI"):
        raise pytest.UsageError(f"CI must run the PostgreSQL half, but {PG_URL} does not answer: {reason}")


_PG_SKIP = pytest.StashKey[str | None]()


def pytest_report_header(config: pytest.Config) -> str:
    reason = config.stash[_PG_SKIP]
    if reason:
        return f"facturehub: PostgreSQL half SKIPPED ({make_url(PG_URL).render_as_string()} unreachable: {reason})"
    return f"facturehub: database tests run on sqlite and postgresql ({make_url(PG_URL).render_as_string()})"


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    reason = config.stash[_PG_SKIP]
    if reason:
        terminalreporter.write_line(
            f"NOTE: the PostgreSQL half of the suite was SKIPPED: {make_url(PG_URL).render_as_string()} "
            f"is unreachable ({reason}). Only SQLite ran.",
            yellow=True,
            bold=True,
        )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_pg = config.stash[_PG_SKIP] is not None
    keep, drop = [], []
    for item in items:
        engine = getattr(item, "callspec", None) and item.callspec.params.get("engine")
        if engine == "postgresql" and skip_pg or engine == "sqlite" and item.get_closest_marker("postgres_only"):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
async def database_url(engine: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    if engine == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'facturehub.db'}"
        await upgrade(url)
        yield url
        return
    name = f"facturehub_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = await asyncpg.connect(_asyncpg_dsn(PG_URL))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    await upgrade(url)
    yield url
    admin = await asyncpg.connect(_asyncpg_dsn(PG_URL))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(scope="session")
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url, pool_size=4)
    yield db
    await db.dispose()


@pytest.fixture
async def db(database: Database, database_url: str) -> AsyncIterator[Database]:
    """The app's Database, emptied after the test (as the owner: TRUNCATE is not subject to RLS)."""
    yield database
    owner = Database(database_url, as_owner=True)
    try:
        async with owner.engine.begin() as connection:
            tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
            if owner.is_postgres:
                await connection.exec_driver_sql(f"TRUNCATE {', '.join(tables)} CASCADE")
            else:
                for table in tables:
                    await connection.exec_driver_sql(f"DELETE FROM {table}")
    finally:
        await owner.dispose()


def settings_for(database_url: str, **overrides: Any) -> Settings:
    overrides.setdefault("run_worker", False)  # tests drive workers themselves (tests/tenancy/jobs/test_queue.py)
    return Settings(database_url=database_url, public_url="http://127.0.0.1:8000", **overrides)


@pytest.fixture
async def app(db: Database, database_url: str) -> AsyncIterator[Starlette]:
    application = create_app(settings_for(database_url), db=db)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as http:
        yield http
