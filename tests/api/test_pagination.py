"""Keyset connections: every item exactly once forwards and backwards, totalCount, and clear errors for bad paging."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import orjson
import pytest
from starlette.applications import Starlette

from tenancy.db import Database
from tests.factories import Tenant, data, gql, make_service, make_structure, make_tenant

SERVICES = """query ($first: Int, $after: String, $last: Int, $before: String) {
  workspace { services(first: $first, after: $after, last: $last, before: $before) {
    totalCount edges { cursor node { id code } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }
}"""

DIRECTORY = """query ($first: Int, $after: String, $last: Int, $before: String) {
  directory { structures(first: $first, after: $after, last: $last, before: $before) {
    totalCount edges { cursor node { id identifier name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }
}"""

SERVICE_CODES = [f"S{i:03d}" for i in range(23)]
# Repeated names (ties broken by id), case and accents: the order must still be total and stable.
DIRECTORY_NAMES = (
    ["Mairie"] * 9
    + ["mairie", "Mairie de Lyon", "École", "Ecole", "Zèbre", "ÉCOLE"]
    + [f"Commune {i:02d}" for i in range(10)]
)


async def _services(client: httpx.AsyncClient, tenant: Tenant, **variables: Any) -> dict[str, Any]:
    return (await data(client, tenant.token, SERVICES, variables))["workspace"]["services"]


async def _structures(client: httpx.AsyncClient, tenant: Tenant, **variables: Any) -> dict[str, Any]:
    return (await data(client, tenant.token, DIRECTORY, variables))["directory"]["structures"]


Fetch = Any


async def _walk_forward(fetch: Fetch, size: int, total: int) -> list[str]:
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        page = await fetch(first=size, after=after)
        pages += 1
        assert page["totalCount"] == total
        ids = [e["node"]["id"] for e in page["edges"]]
        assert len(ids) <= size
        info = page["pageInfo"]
        assert info["hasPreviousPage"] == (after is not None)
        if ids:
            assert info["startCursor"] == page["edges"][0]["cursor"]
            assert info["endCursor"] == page["edges"][-1]["cursor"]
        seen += ids
        if not info["hasNextPage"]:
            break
        assert len(ids) == size
        after = info["endCursor"]
        assert pages <= total  # no endless loop on a cursor that does not advance
    return seen


async def _walk_backward(fetch: Fetch, size: int, total: int) -> list[str]:
    seen: list[str] = []
    before = None
    pages = 0
    while True:
        page = await fetch(last=size, before=before)
        pages += 1
        assert page["totalCount"] == total
        ids = [e["node"]["id"] for e in page["edges"]]
        info = page["pageInfo"]
        assert info["hasNextPage"] == (before is not None)
        seen = ids + seen
        if not info["hasPreviousPage"]:
            break
        assert len(ids) == size
        before = info["startCursor"]
        assert pages <= total
    return seen


# --- workspace.services ------------------------------------------------------------------------


@pytest.fixture
async def tenant_with_services(app: Starlette, db: Database) -> Tenant:
    tenant = await make_tenant(app, db)
    for code in reversed(SERVICE_CODES):  # created out of order: the order is the code's, not the insertion's
        await make_service(db, tenant.structure, code)
    other = await make_tenant(app, db)  # another tenant's services never show up
    await make_service(db, other.structure, "S005")
    await make_service(db, other.structure, "ZZZ")
    return tenant


@pytest.mark.parametrize("size", [1, 5, 23, 100])
async def test_services_forward_walk_sees_every_item_once(
    client: httpx.AsyncClient, tenant_with_services: Tenant, size: int
) -> None:
    tenant = tenant_with_services

    async def fetch(**v: Any) -> dict[str, Any]:
        return await _services(client, tenant, **v)

    ids = await _walk_forward(fetch, size, len(SERVICE_CODES))
    assert len(ids) == len(set(ids)) == len(SERVICE_CODES)
    everything = await _services(client, tenant, first=100)
    assert [e["node"]["code"] for e in everything["edges"]] == SERVICE_CODES
    assert [e["node"]["id"] for e in everything["edges"]] == ids


@pytest.mark.parametrize("size", [1, 4, 22, 23])
async def test_services_backward_walk_matches_the_forward_order(
    client: httpx.AsyncClient, tenant_with_services: Tenant, size: int
) -> None:
    tenant = tenant_with_services

    async def fetch(**v: Any) -> dict[str, Any]:
        return await _services(client, tenant, **v)

    backward = await _walk_backward(fetch, size, len(SERVICE_CODES))
    forward = await _walk_forward(fetch, 100, len(SERVICE_CODES))
    assert backward == forward


async def test_services_last_page_and_first_page(client: httpx.AsyncClient, tenant_with_services: Tenant) -> None:
    tenant = tenant_with_services
    last = await _services(client, tenant, last=3)
    assert [e["node"]["code"] for e in last["edges"]] == SERVICE_CODES[-3:]
    assert last["pageInfo"]["hasPreviousPage"] is True
    assert last["pageInfo"]["hasNextPage"] is False
    first = await _services(client, tenant, first=3)
    assert [e["node"]["code"] for e in first["edges"]] == SERVICE_CODES[:3]
    assert first["pageInfo"] == {
        "hasNextPage": True,
        "hasPreviousPage": False,
        "startCursor": first["edges"][0]["cursor"],
        "endCursor": first["edges"][2]["cursor"],
    }


async def test_services_after_the_last_cursor_is_empty(client: httpx.AsyncClient, tenant_with_services: Tenant) -> None:
    tenant = tenant_with_services
    end = (await _services(client, tenant, first=100))["pageInfo"]["endCursor"]
    page = await _services(client, tenant, first=10, after=end)
    assert page["edges"] == []
    assert page["pageInfo"] == {"hasNextPage": False, "hasPreviousPage": True, "startCursor": None, "endCursor": None}
    assert page["totalCount"] == len(SERVICE_CODES)


async def test_empty_connection(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    page = await _services(client, tenant, first=10)
    assert page == {
        "totalCount": 0,
        "edges": [],
        "pageInfo": {"hasNextPage": False, "hasPreviousPage": False, "startCursor": None, "endCursor": None},
    }


async def test_an_insertion_before_the_cursor_does_not_shift_the_next_page(
    db: Database, client: httpx.AsyncClient, tenant_with_services: Tenant
) -> None:
    # Keyset cursors carry the sort key, not a position: items inserted before the cursor do not shift the page.
    tenant = tenant_with_services
    page = await _services(client, tenant, first=5)
    await make_service(db, tenant.structure, "A000")
    following = await _services(client, tenant, first=5, after=page["pageInfo"]["endCursor"])
    assert [e["node"]["code"] for e in following["edges"]] == SERVICE_CODES[5:10]
    assert following["totalCount"] == len(SERVICE_CODES) + 1


# --- directory.structures ----------------------------------------------------------------------


@pytest.fixture
async def directory_tenant(app: Starlette, db: Database) -> Tenant:
    for name in DIRECTORY_NAMES:
        await make_structure(db, name=name, public=True)
    await make_structure(db, name="Mairie privée", public=False)  # private: not in the directory
    return await make_tenant(app, db)


@pytest.mark.parametrize("size", [1, 2, 7, 25])
async def test_directory_forward_and_backward_walks_see_every_structure_once(
    client: httpx.AsyncClient, directory_tenant: Tenant, size: int
) -> None:
    tenant = directory_tenant

    async def fetch(**v: Any) -> dict[str, Any]:
        return await _structures(client, tenant, **v)

    total = len(DIRECTORY_NAMES)
    forward = await _walk_forward(fetch, size, total)
    assert len(forward) == len(set(forward)) == total
    backward = await _walk_backward(fetch, size, total)
    assert backward == forward
    everything = await _structures(client, tenant, first=100)
    assert [e["node"]["id"] for e in everything["edges"]] == forward
    assert sorted(e["node"]["name"] for e in everything["edges"]) == sorted(DIRECTORY_NAMES)


async def test_directory_total_count_follows_the_search(client: httpx.AsyncClient, directory_tenant: Tenant) -> None:
    tenant = directory_tenant
    query = """query ($search: String, $after: String) { directory { structures(search: $search, first: 3, after: $after) {
        totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } } }"""
    names: list[str] = []
    after = None
    while True:
        page = (await data(client, tenant.token, query, {"search": "mairie", "after": after}))["directory"][
            "structures"
        ]
        assert page["totalCount"] == 11
        names += [e["node"]["name"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sorted(names) == sorted(["Mairie"] * 9 + ["mairie", "Mairie de Lyon"])


# --- bad paging arguments ----------------------------------------------------------------------


def _cursor(values: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(values)).decode().rstrip("=")


BAD_PAGING = [
    ({}, "pass exactly one of `first` or `last` (1 to 100)"),
    ({"first": 5, "last": 5}, "pass exactly one of `first` or `last` (1 to 100)"),
    ({"first": 101}, "`first` must be between 1 and 100"),
    ({"first": 0}, "`first` must be between 1 and 100"),
    ({"first": -1}, "`first` must be between 1 and 100"),
    ({"last": 101}, "`last` must be between 1 and 100"),
    ({"last": 0}, "`last` must be between 1 and 100"),
    ({"first": 5, "before": _cursor(["S001", "00000000-0000-0000-0000-000000000000"])}, "`first` goes with `after`"),
    ({"last": 5, "after": _cursor(["S001", "00000000-0000-0000-0000-000000000000"])}, "`last` goes with `before`"),
]

BAD_CURSORS = [
    "not a cursor!",
    "%%%",
    _cursor({"code": "S001"}),
    _cursor(["S001"]),
    _cursor(["S001", "not-a-uuid"]),
    _cursor(["S001", 12]),
    _cursor(["S001", "00000000-0000-0000-0000-000000000000", "extra"]),
    base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    _cursor(["S\u0000001", "00000000-0000-0000-0000-000000000000"]),  # PostgreSQL refuses NUL in text
    "",
]


@pytest.mark.parametrize(("variables", "message"), BAD_PAGING)
@pytest.mark.parametrize("query", [SERVICES, DIRECTORY], ids=["services", "directory"])
async def test_bad_paging_arguments_are_clear_errors(
    app: Starlette, db: Database, client: httpx.AsyncClient, query: str, variables: dict[str, Any], message: str
) -> None:
    tenant = await make_tenant(app, db)
    response = await gql(client, tenant.token, query, variables)
    body = response.json()
    assert body["data"] is None
    assert len(body["errors"]) == 1
    error = body["errors"][0]
    assert error["message"].startswith(message)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("cursor", BAD_CURSORS)
@pytest.mark.parametrize("argument", ["after", "before"])
@pytest.mark.parametrize("query", [SERVICES, DIRECTORY], ids=["services", "directory"])
async def test_malformed_cursor_is_a_clear_error(
    app: Starlette, db: Database, client: httpx.AsyncClient, query: str, argument: str, cursor: str
) -> None:
    tenant = await make_tenant(app, db)
    await make_service(db, tenant.structure, "S001")
    variables = {"first": 5, "after": cursor} if argument == "after" else {"last": 5, "before": cursor}
    response = await gql(client, tenant.token, query, variables)
    body = response.json()
    assert body["data"] is None
    assert [e["message"] for e in body["errors"]] == [
        "invalid cursor: pass back a cursor from this connection, unchanged"
    ]


async def test_relay_limit_on_nested_connections(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    await make_structure(db, name="Avec services", public=True)
    query = "{ directory { structures(first: 1) { edges { node { services(first: 101) { totalCount } } } } } }"
    response = await gql(client, tenant.token, query)
    assert "`first` must be between 1 and 100" in response.text
    query = "{ directory { structures(first: 1) { edges { node { services { totalCount } } } } } }"
    response = await gql(client, tenant.token, query)
    assert "pass exactly one of `first` or `last`" in response.text
