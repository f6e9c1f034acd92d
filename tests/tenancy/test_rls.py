"""The database's own guard (PostgreSQL RLS) and the application's (ORM criteria), tested apart."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from tenancy.db import APP_ROLE, Database, MissingTenantError
from tenancy.models import Service
from tests.factories import make_service, make_structure

TENANT_TABLES = ("services", "memberships", "membership_requests", "invitations")
REPO = Path(__file__).resolve().parents[2]


@pytest.mark.postgres_only
async def test_every_tenant_table_has_rls_enabled_forced_and_a_policy(db: Database) -> None:
    async with db.bare_session() as session:
        rows = (
            await session.execute(
                text(
                    """
                    SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                           (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = 'public' AND c.relkind = 'r'
                      AND (EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')
                           OR c.relname = 'structures')
                    """
                )
            )
        ).all()
    tables = {r.relname: r for r in rows}
    assert set(TENANT_TABLES) | {"structures"} <= set(tables)
    for name, row in tables.items():
        assert row.relrowsecurity and row.relforcerowsecurity and row.policies >= 1, name


@pytest.mark.postgres_only
async def test_the_app_role_is_neither_superuser_nor_bypassrls_nor_owner(db: Database) -> None:
    async with db.bare_session() as session:
        role = (
            await session.execute(
                text(
                    "SELECT current_user AS name, r.rolsuper, r.rolbypassrls FROM pg_roles r WHERE r.rolname = current_user"
                )
            )
        ).one()
        owned = await session.scalar(
            text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user")
        )
    assert role.name == APP_ROLE
    assert not role.rolsuper and not role.rolbypassrls
    assert owned == 0


@pytest.mark.postgres_only
async def test_without_a_tenant_raw_sql_sees_no_tenant_rows(db: Database) -> None:
    structure = await make_structure(db)
    await make_service(db, structure, "CANARY")
    async with db.bare_session() as session:
        assert await session.scalar(text("SELECT count(*) FROM services")) == 0
        assert await session.scalar(text("SELECT count(*) FROM structures")) == 0


@pytest.mark.postgres_only
async def test_a_tenant_sees_only_its_rows_even_through_raw_sql(db: Database) -> None:
    a, b = await make_structure(db), await make_structure(db)
    await make_service(db, a, "A1")
    await make_service(db, b, "B1")
    async with db.tenant_session(a.id) as session:
        codes = (await session.scalars(text("SELECT code FROM services"))).all()
        structures = (await session.scalars(text("SELECT id FROM structures"))).all()
    assert codes == ["A1"]
    assert structures == [a.id]


@pytest.mark.postgres_only
async def test_writing_a_row_for_another_tenant_is_refused(db: Database) -> None:
    a, b = await make_structure(db), await make_structure(db)
    with pytest.raises(DBAPIError, match="row-level security"):
        async with db.tenant_session(a.id) as session:
            await session.execute(
                text(
                    "INSERT INTO services (tenant_id, id, code, name, is_active, engagement_required) "
                    "VALUES (:t, :i, 'X', 'x', true, false)"
                ),
                {"t": b.id, "i": uuid.uuid4()},
            )
    async with db.tenant_session(b.id) as session:
        assert await session.scalar(text("SELECT count(*) FROM services")) == 0


@pytest.mark.postgres_only
async def test_a_pooled_connection_does_not_carry_the_tenant_into_the_next_transaction(database_url: str) -> None:
    single = Database(database_url, pool_size=1)
    try:
        a = await make_structure(single)
        await make_service(single, a, "POOLED")
        async with single.tenant_session(a.id) as session:
            assert await session.scalar(text("SELECT count(*) FROM services")) == 1
        async with single.bare_session() as session:
            assert await session.scalar(text("SELECT current_setting('app.tenant_id', true)")) in ("", None)
            assert await session.scalar(text("SELECT count(*) FROM services")) == 0
            assert await session.scalar(text("SELECT current_user")) == APP_ROLE
    finally:
        await single.dispose()


async def test_the_orm_refuses_tenant_rows_without_a_tenant(db: Database) -> None:
    with pytest.raises(MissingTenantError):
        async with db.bare_session() as session:
            await session.scalars(select(Service))


async def test_the_orm_adds_the_tenant_filter_even_when_a_query_forgets_it(db: Database) -> None:
    a, b = await make_structure(db), await make_structure(db)
    await make_service(db, a, "MINE")
    await make_service(db, b, "THEIRS")
    async with db.tenant_session(a.id) as session:
        codes = (await session.scalars(select(Service.code))).all()
    assert codes == ["MINE"]


def test_only_the_privileged_module_opens_system_sessions() -> None:
    users = [
        path.relative_to(REPO).as_posix()
        for folder in ("api", "auth", "tenancy", "invoicing")
        for path in (REPO / folder).rglob("*.py")
        if "_system_session" in path.read_text(encoding="utf-8")
    ]
    assert sorted(users) == ["tenancy/db.py", "tenancy/privileged.py"]
