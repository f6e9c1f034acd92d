"""Row-level security DDL (PostgreSQL): the database's own guard behind the application filter."""

from __future__ import annotations

from tenancy.db import APP_ROLE, SYSTEM_ROLE

# NULLIF: once the placeholder GUC exists on a connection it reads '' rather than NULL, and ''::uuid would raise.
CURRENT_TENANT = "NULLIF(current_setting('app.tenant_id', true), '')::uuid"


def create_roles() -> list[str]:
    """Both roles are NOLOGIN: the connecting login role switches to them (SET ROLE), PostgREST-style."""
    return [
        # Role names are module constants, never input.
        f"""DO $$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
                CREATE ROLE {APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
            END IF;
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{SYSTEM_ROLE}') THEN
                CREATE ROLE {SYSTEM_ROLE} NOLOGIN NOSUPERUSER BYPASSRLS NOCREATEDB NOCREATEROLE;
            END IF;
        END $$""",  # noqa: S608
        f"GRANT {APP_ROLE} TO CURRENT_USER",
        f"GRANT {SYSTEM_ROLE} TO CURRENT_USER",
        f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}, {SYSTEM_ROLE}",
    ]


def grant_tables(*tables: str) -> list[str]:
    names = ", ".join(tables)
    return [f"GRANT SELECT, INSERT, UPDATE, DELETE ON {names} TO {APP_ROLE}, {SYSTEM_ROLE}"]


def protect(table: str, column: str = "tenant_id") -> list[str]:
    """Enable and force RLS on a tenant-owned table, with one policy for reads and writes."""
    predicate = f"{column} = {CURRENT_TENANT}"
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY tenant_isolation ON {table} USING ({predicate}) WITH CHECK ({predicate})",
    ]
