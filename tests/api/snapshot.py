"""What a tenant's rows look like now: compare before/after to prove a request changed nothing.

Every table of the metadata is read, so a new table is covered without touching this file: rows of
the tenant (``tenant_id``, or ``workspace_id`` for the global OAuth tables, or the structure itself)
through a tenant session, and every row of the global tables (users, clients...) as well.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from tenancy.db import Base, Database

OWNER_COLUMNS = ("tenant_id", "workspace_id")


async def tenant_state(db: Database, tenant_id: uuid.UUID) -> dict[str, list[dict[str, Any]]]:
    state: dict[str, list[dict[str, Any]]] = {}
    async with db.tenant_session(tenant_id) as session:
        for table in Base.metadata.sorted_tables:
            owner = next((table.c[name] for name in OWNER_COLUMNS if name in table.c), None)
            if table.name == "structures":
                owner = table.c.id
            stmt = select(table) if owner is None else select(table).where(owner == tenant_id)
            rows = await session.execute(stmt.order_by(*table.primary_key.columns))
            state[table.name] = [dict(row._mapping) for row in rows]
    # A snapshot that sees nothing would make every before/after comparison pass: refuse it.
    assert len(state["structures"]) == 1 and state["memberships"], f"tenant {tenant_id} is invisible to its own session"
    return state
