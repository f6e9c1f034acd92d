"""Pinned SQL counts for the main screens: the number of queries must not grow with the page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy import event
from starlette.applications import Starlette

from tenancy.db import Database
from tests.factories import data, make_member, make_service, make_structure, make_tenant, make_user

DIRECTORY_PAGE = """
query ($first: Int!) {
  directory { structures(first: $first, search: "commune") {
    totalCount
    nodes { id name identifier address { town } parameters { serviceCodeRequired }
            services(first: 5) { nodes { code name engagementRequired } pageInfo { hasNextPage } } }
  } }
}
"""

WORKSPACE_SCREEN = """
{ viewer { user { email } workspaces { name role current } }
  workspace { name parameters { engagementRequired }
    services(first: 50) { totalCount nodes { code name isActive } }
    members(first: 50) { totalCount nodes { role access user { email displayName } } } } }
"""


@contextmanager
def counting(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        # Session plumbing (SET LOCAL role/tenant, savepoints) is not a query of the screen.
        if not statement.lstrip().upper().startswith(("SET ", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


async def test_directory_page_queries_do_not_grow_with_the_page(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    viewer = await make_tenant(app, db)
    for i in range(12):
        structure = await make_structure(db, public=True, name=f"Commune {i:02d}")
        for code in ("A", "B", "C"):
            await make_service(db, structure, f"{code}{i}")
    counts = []
    for first in (2, 12):
        with counting(db) as statements:
            result = await data(client, viewer.token, DIRECTORY_PAGE, {"first": first})
        assert len(result["directory"]["structures"]["nodes"]) == first
        counts.append(len(statements))
    assert counts[0] == counts[1] == 3, counts  # page, count, the services of every structure at once


async def test_workspace_screen_query_count_is_pinned(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    for i in range(30):
        await make_service(db, tenant.structure, f"S{i:02d}")
        await make_member(db, tenant.structure, await make_user(db))
    with counting(db) as statements:
        result = await data(client, tenant.token, WORKSPACE_SCREEN)
    assert result["workspace"]["members"]["totalCount"] == 31
    # viewer.user, viewer.workspaces, workspace, services page + count, members page + count, members' users (batched)
    assert len(statements) == 8, statements


EVENTS_PAGE = """
query ($first: Int!, $after: String) {
  workspace { events(first: $first, after: $after) {
    totalCount pageInfo { endCursor hasNextPage }
    edges { cursor node { id type occurredAt actor { name kind } objectId service { code name } } }
  } }
}
"""


async def test_events_page_query_count_is_pinned(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    for i in range(30):
        await make_service(db, tenant.structure, f"E{i:02d}")  # one service.created event each
    counts = []
    after = None
    for first in (2, 20):
        with counting(db) as statements:
            result = await data(client, tenant.token, EVENTS_PAGE, {"first": first, "after": after})
        events = result["workspace"]["events"]
        assert len(events["edges"]) == first and events["totalCount"] == 30
        after = events["pageInfo"]["endCursor"]
        counts.append(len(statements))
    # workspace, the events page, its count: the payload is in the row, nothing is loaded per event
    assert counts == [3, 3], counts
