"""Engines and sessions: one place decides which role and which tenant a transaction runs as.

PostgreSQL: every pooled connection switches to the non-owner role ``facturehub_app`` when it is
opened, so a session that forgets its tenant sees nothing (RLS fails closed). A tenant session sets
``app.tenant_id`` with ``SET LOCAL`` at the start of each transaction, so the value dies with the
transaction and never leaks into the next user of the pooled connection. ``SET LOCAL`` (not
``set_config``) because it is what Citus propagates to worker nodes.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import ForeignKey, MetaData, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    ORMExecuteState,
    Session,
    SessionTransaction,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)

APP_ROLE = "facturehub_app"
SYSTEM_ROLE = "facturehub_system"
STATEMENT_TIMEOUT_MS = 30_000

# Deterministic constraint names: migrations written by hand must match the models on both engines.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class TenantScoped:
    """Tables whose rows belong to one tenant: ``tenant_id`` first in the primary key (and every other key)."""

    @declared_attr
    def tenant_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(ForeignKey("structures.id"), primary_key=True, sort_order=-1)


class MissingTenantError(RuntimeError):
    """A tenant-owned table was queried in a session that has no tenant: a bug, refused."""


def is_postgres(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def _tenant_literal(tenant_id: uuid.UUID) -> str:
    # SET LOCAL takes no bind parameters; a uuid.UUID renders only hex digits and dashes.
    return str(uuid.UUID(str(tenant_id)))


class _ScopedSession(Session):
    """Sync session class behind every AsyncSession of a Database (carries the event hooks)."""


@event.listens_for(_ScopedSession, "after_begin")
def _set_transaction_scope(session: Session, transaction: SessionTransaction, connection: Any) -> None:
    if connection.dialect.name != "postgresql":
        return
    if session.info.get("system"):
        connection.exec_driver_sql(f"SET LOCAL ROLE {SYSTEM_ROLE}")
    tenant = session.info.get("tenant_id")
    if tenant is not None:
        connection.exec_driver_sql(f"SET LOCAL app.tenant_id = '{_tenant_literal(tenant)}'")


class Database:
    """One database: an engine for the app role, and tenant or system sessions on it."""

    def __init__(self, url: str | URL, *, pool_size: int = 10, as_owner: bool = False) -> None:
        self.url = make_url(url)
        self.is_postgres = self.url.get_backend_name() == "postgresql"
        kwargs: dict[str, Any] = {}
        if self.is_postgres:
            kwargs.update(pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        if self.is_postgres:
            event.listen(self.engine.sync_engine, "connect", self._on_pg_connect if not as_owner else _pg_timeouts)
        else:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False, sync_session_class=_ScopedSession)

    @staticmethod
    def _on_pg_connect(dbapi_connection: Any, _record: Any) -> None:
        _pg_timeouts(dbapi_connection, _record)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"SET ROLE {APP_ROLE}")
        cursor.close()

    @asynccontextmanager
    async def tenant_session(self, tenant_id: uuid.UUID) -> AsyncIterator[AsyncSession]:
        """A session whose every transaction is confined to ``tenant_id``; commits on success."""
        async with self._sessions() as session:
            session.info["tenant_id"] = tenant_id
            async with session.begin():
                yield session

    @asynccontextmanager
    async def bare_session(self) -> AsyncIterator[AsyncSession]:
        """A session with no tenant: tenant-owned rows are invisible (used for global tables)."""
        async with self._sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def _system_session(self, tenants: frozenset[uuid.UUID] = frozenset()) -> AsyncIterator[AsyncSession]:
        # Only tenancy.privileged may call this: it is the one door to cross-tenant rows.
        async with self._sessions() as session:
            session.info["system"] = True
            session.info["tenants"] = tenants
            async with session.begin():
                yield session

    async def dispose(self) -> None:
        await self.engine.dispose()


def _pg_timeouts(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
    cursor.close()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


@event.listens_for(_ScopedSession, "do_orm_execute")
def _tenant_criteria(state: ORMExecuteState) -> None:
    """The application-level guard: every ORM statement on a tenant-owned entity gets the tenant filter."""
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.session.info.get("system"):
        confined = state.session.info.get("tenants")
        if confined:  # a cross-tenant transaction still only touches the tenants it was opened for
            state.statement = state.statement.options(
                with_loader_criteria(TenantScoped, lambda cls: cls.tenant_id.in_(confined), include_aliases=True)
            )
        return
    tenant = state.session.info.get("tenant_id")
    if tenant is None:
        if any(issubclass(m.class_, TenantScoped) for m in state.all_mappers):
            raise MissingTenantError("tenant-owned rows queried without a tenant")
        return
    state.statement = state.statement.options(
        with_loader_criteria(TenantScoped, lambda cls: cls.tenant_id == tenant, include_aliases=True)
    )
