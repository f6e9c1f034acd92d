"""Queries over GET (GraphQL over HTTP): what urql sends by default; mutations stay POST-only."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from starlette.applications import Starlette

from api.http import GRAPHQL_RESPONSE
from tenancy.db import Database
from tests.factories import make_tenant

WORKSPACE = "{ workspace { name } }"
# What urql's fetch exchange sends (preferGetMethod: 'within-url-limit').
URQL_ACCEPT = (
    "application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed"
)


async def _get(client: httpx.AsyncClient, token: str | None, params: dict[str, Any], **headers: str) -> httpx.Response:
    sent = {"Accept": URQL_ACCEPT, **headers}
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    return await client.get("/graphql", params=params, headers=sent)


async def test_a_query_over_get_is_served(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db, name="Over Get")
    response = await _get(client, tenant.token, {"query": WORKSPACE})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert response.json()["data"] == {"workspace": {"name": "Over Get"}}
    assert response.headers["cache-control"] == "no-store"  # an answer for one token


async def test_urqls_get_request_is_served(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db, name="Urql Ltd")
    query = "query Services($first: Int!) { workspace { name services(first: $first) { totalCount } } }"
    # urql puts every parameter in the URL, JSON-encoded, extensions included.
    params = {
        "query": query,
        "operationName": "Services",
        "variables": json.dumps({"first": 5}),
        "extensions": json.dumps({}),
    }
    response = await _get(client, tenant.token, params)
    assert response.status_code == 200, response.text
    assert response.json()["data"] == {"workspace": {"name": "Urql Ltd", "services": {"totalCount": 0}}}


async def test_get_picks_the_named_operation(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db, name="Named")
    query = "query A { viewer { clientId } } query B { workspace { name } }"
    response = await _get(client, tenant.token, {"query": query, "operationName": "B"})
    assert response.status_code == 200
    assert response.json()["data"] == {"workspace": {"name": "Named"}}


async def test_legacy_json_clients_are_served_over_get(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    response = await _get(client, tenant.token, {"query": "{ workspace { nope } }"}, Accept="application/json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["errors"]


async def test_a_mutation_over_get_is_405_allow_post_and_runs_nothing(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    tenant = await make_tenant(app, db)
    mutation = 'mutation { createService(input: {code: "OVERGET", name: "Over get"}) { service { id } } }'
    response = await _get(client, tenant.token, {"query": mutation})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert response.json() == {
        "errors": [{"message": "mutations are served over POST only", "extensions": {"code": "METHOD_NOT_ALLOWED"}}]
    }
    listed = await client.post(
        "/graphql",
        json={"query": "{ workspace { services(first: 10) { nodes { code } } } }"},
        headers={"Authorization": f"Bearer {tenant.token}"},
    )
    assert listed.json()["data"]["workspace"]["services"]["nodes"] == []  # nothing was written
    # The same mutation over POST is served: the refusal is about the method only.
    posted = await client.post(
        "/graphql", json={"query": mutation}, headers={"Authorization": f"Bearer {tenant.token}"}
    )
    assert posted.status_code == 200 and posted.json()["data"]["createService"]["service"]["id"]


async def test_a_mutation_named_by_operation_name_over_get_is_405(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    tenant = await make_tenant(app, db)
    query = 'query Q { __typename } mutation M { createService(input: {code: "X", name: "X"}) { service { id } } }'
    assert (await _get(client, tenant.token, {"query": query, "operationName": "Q"})).status_code == 200
    assert (await _get(client, tenant.token, {"query": query, "operationName": "M"})).status_code == 405


def _url_of(length: int) -> str:
    """/graphql?query=... padded with an unknown parameter to exactly that many bytes."""
    base = "/graphql?" + urlencode({"query": WORKSPACE}) + "&pad="
    return base + "x" * (length - len(base))


async def test_a_url_over_8_kb_is_414(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db, name="Long Url")
    headers = {"Authorization": f"Bearer {tenant.token}"}
    response = await client.get(_url_of(8193), headers=headers)
    assert response.status_code == 414
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert response.json()["errors"] == [
        {
            "message": "the URL has 8193 bytes, more than 8192: send the query over POST",
            "extensions": {"code": "URI_TOO_LONG"},
        }
    ]
    served = await client.get(_url_of(8192), headers=headers)
    assert served.status_code == 200, served.text
    assert served.json()["data"] == {"workspace": {"name": "Long Url"}}


async def test_get_needs_a_bearer_token_in_the_header(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db, name="Token Canary")
    for params in ({"query": WORKSPACE}, {"query": WORKSPACE, "access_token": tenant.token}):
        response = await _get(client, None, params)
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert "Token Canary" not in response.text
    cookie = await _get(client, None, {"query": WORKSPACE}, Cookie=f"access_token={tenant.token}")
    assert cookie.status_code == 401


@pytest.mark.parametrize("accept", [URQL_ACCEPT, "text/html", "*/*"])
async def test_a_get_without_a_query_is_a_400_document(
    app: Starlette, db: Database, client: httpx.AsyncClient, accept: str
) -> None:
    tenant = await make_tenant(app, db)
    response = await _get(client, tenant.token, {}, Accept=accept)
    assert response.status_code == 400  # no IDE page, no 404
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert response.json()["errors"][0]["message"] == "No GraphQL query found in the request"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"variables": "{not json"}, "the `variables` parameter is not valid JSON: "),
        ({"extensions": "[1"}, "the `extensions` parameter is not valid JSON: "),
        ({"variables": "[1, 2]"}, "The GraphQL operation's `variables` must be an object or null, if provided."),
    ],
)
async def test_get_parameters_that_are_not_json_objects_are_400(
    app: Starlette, db: Database, client: httpx.AsyncClient, params: dict[str, str], message: str
) -> None:
    tenant = await make_tenant(app, db)
    response = await _get(client, tenant.token, {"query": WORKSPACE, **params})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith(message)


# --- the same limits as POST ---------------------------------------------------------------------


def _nested(depth: int) -> str:
    query = "leaf"
    for level in range(depth, 0, -1):
        query = f"f{level} {{ {query} }}"
    return "{ " + query + " }"


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        (_nested(11), 422, "exceeds maximum operation depth of 10"),
        ("{ " + " ".join(f"a{i}: workspace {{ name }}" for i in range(16)) + " }", 422, "16 aliases found"),
        ("{ " + "a " * 2_001 + "}", 400, "2000"),  # short tokens: 2,001 of them fit in a URL
        (
            "{ directory { structures(first: 100) { edges { node { services(first: 100) { edges { node { id } } } } } } } }",
            422,
            "query cost 30301 exceeds the limit of 5000",
        ),
        ("{ workspace { nope } }", 422, "Cannot query field 'nope'"),
        ("{ workspace { name }", 400, "Syntax Error"),
    ],
    ids=["depth", "aliases", "tokens", "cost", "validation", "syntax"],
)
async def test_get_queries_have_the_same_limits(
    app: Starlette, db: Database, client: httpx.AsyncClient, query: str, status: int, message: str
) -> None:
    tenant = await make_tenant(app, db)
    response = await _get(client, tenant.token, {"query": query})
    assert response.status_code == status, response.text[:300]
    assert any(message in e["message"] for e in response.json()["errors"]), response.json()
    assert "data" not in response.json()


async def test_the_cost_limit_uses_get_variables(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    query = "query ($n: Int) { directory { structures(first: $n) { edges { node { services(first: $n) { edges { node { id } } } } } } } }"
    small = await _get(client, tenant.token, {"query": query, "variables": json.dumps({"n": 5})})
    assert small.status_code == 200, small.text
    big = await _get(client, tenant.token, {"query": query, "variables": json.dumps({"n": 100})})
    assert big.status_code == 422
    assert "query cost 30301" in big.json()["errors"][0]["message"]
