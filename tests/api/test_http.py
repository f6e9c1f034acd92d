"""GraphQL over HTTP: GET and POST, bearer only, the spec's media type and status codes, and the request limits."""

from __future__ import annotations

import base64
import json
import secrets
import time
import uuid
from typing import Any

import httpx
import pytest
from graphql import GraphQLError, parse
from joserfc import jwt
from joserfc.jwk import ECKey
from starlette.applications import Starlette

from api.core.errors import Forbidden, PublicError, should_mask
from api.core.ids import to_global_id
from api.core.limits import query_cost
from api.http import GRAPHQL_RESPONSE
from api.schema import build_schema
from tenancy.db import Database
from tenancy.models import Structure
from tests.api import invoice_calls as calls
from tests.factories import Tenant, data, gql, make_service, make_structure, make_tenant, token_for
from tests.invoicing.parties import invoice_between

WORKSPACE = "{ workspace { name } }"


def _claims(app: Starlette, tenant: Tenant, **overrides: Any) -> dict[str, Any]:
    settings = app.state.settings
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": settings.issuer,
        "aud": settings.audience,
        "sub": f"user:{tenant.user.id}",
        "client_id": "test-client",
        "scope": "workspace:admin directory:read",
        "jti": secrets.token_urlsafe(8),
        "iat": now,
        "exp": now + 300,
        "tid": str(tenant.structure.id),
        "role": "GESTIONNAIRE_PRINCIPAL",
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _mint(app: Starlette, claims: dict[str, Any], *, typ: str = "at+jwt", key: ECKey | None = None) -> str:
    kid, signing = app.state.keyring.signing_key()
    if key is not None:
        signing, kid = key, key.thumbprint()
    return jwt.encode({"alg": "ES256", "kid": kid, "typ": typ}, claims, signing, algorithms=["ES256"])


def _b64(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


async def _post(client: httpx.AsyncClient, token: str | None, body: Any, **headers: str) -> httpx.Response:
    sent = {"Content-Type": "application/json", **headers}
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    return await client.post("/graphql", content=json.dumps(body), headers=sent)


def _messages(response: httpx.Response) -> list[str]:
    return [e["message"] for e in response.json().get("errors", [])]


# --- method and authentication ---------------------------------------------------------------


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"])
async def test_only_get_and_post_are_served(
    app: Starlette, db: Database, client: httpx.AsyncClient, method: str
) -> None:
    tenant = await make_tenant(app, db, name="Method Canary")
    response = await client.request(
        method, "/graphql", params={"query": WORKSPACE}, headers={"Authorization": f"Bearer {tenant.token}"}
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert "Method Canary" not in response.text
    if method != "HEAD":
        assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
        assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


async def test_no_token_is_401_with_a_challenge(client: httpx.AsyncClient) -> None:
    response = await gql(client, None, WORKSPACE)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "invalid_token" not in response.headers["www-authenticate"]  # RFC 6750: no error code without a token
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_other_authorization_schemes_count_as_no_token(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    tenant = await make_tenant(app, db)
    for header in (f"Basic {tenant.token}", f"Token {tenant.token}", tenant.token, "Bearer ", "Bearer"):
        response = await client.post("/graphql", json={"query": WORKSPACE}, headers={"Authorization": header})
        assert response.status_code == 401, header


async def test_valid_token_is_accepted(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db, name="Accepted Ltd")
    assert (await data(client, tenant.token, WORKSPACE)) == {"workspace": {"name": "Accepted Ltd"}}
    # The hand-minted baseline is accepted too, so the refusals below are about the one thing they change.
    assert (await data(client, _mint(app, _claims(app, tenant)), WORKSPACE)) == {"workspace": {"name": "Accepted Ltd"}}


def _bad_tokens(app: Starlette, tenant: Tenant) -> dict[str, str]:
    good = _mint(app, _claims(app, tenant))
    header, payload, signature = good.split(".")
    none_header = _b64({"alg": "none", "typ": "at+jwt"})
    kid = app.state.keyring.signing_key()[0]
    return {
        "garbage": "not-a-jwt",
        "two parts": f"{header}.{payload}",
        "expired": token_for(app, tenant.structure, tenant.user, ttl_s=-100),
        "foreign audience": _mint(app, _claims(app, tenant, aud="https://elsewhere.example/graphql")),
        "foreign issuer": _mint(app, _claims(app, tenant, iss="https://elsewhere.example")),
        "no tid": _mint(app, _claims(app, tenant, tid=None)),
        "malformed tid": _mint(app, _claims(app, tenant, tid="tenant-1")),
        "unknown role": _mint(app, _claims(app, tenant, role="ADMIN")),
        "alg none": f"{none_header}.{payload}.",
        "alg none with kid": f"{_b64({'alg': 'none', 'typ': 'at+jwt', 'kid': kid})}.{payload}.",
        "alg HS256": f"{_b64({'alg': 'HS256', 'typ': 'at+jwt', 'kid': kid})}.{payload}.{signature}",
        "typ JWT": _mint(app, _claims(app, tenant), typ="JWT"),
        "id token typ": _mint(app, _claims(app, tenant), typ="id_token+jwt"),
        "tampered payload": f"{header}.{_b64({**_claims(app, tenant), 'scope': 'webhooks:manage'})}.{signature}",
        "foreign key": _mint(app, _claims(app, tenant), key=ECKey.generate_key("P-256", private=True)),
    }


BAD_TOKEN_NAMES = [
    "garbage",
    "two parts",
    "expired",
    "foreign audience",
    "foreign issuer",
    "no tid",
    "malformed tid",
    "unknown role",
    "alg none",
    "alg none with kid",
    "alg HS256",
    "typ JWT",
    "id token typ",
    "tampered payload",
    "foreign key",
]


@pytest.mark.parametrize("name", BAD_TOKEN_NAMES)
async def test_untrustworthy_tokens_are_401_invalid_token(
    app: Starlette, db: Database, client: httpx.AsyncClient, name: str
) -> None:
    tenant = await make_tenant(app, db, name="Secret Canary")
    token = _bad_tokens(app, tenant)[name]
    response = await gql(client, token, WORKSPACE)
    assert response.status_code == 401
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith("Bearer") and 'error="invalid_token"' in challenge
    assert "Secret Canary" not in response.text


async def test_token_in_query_string_or_body_is_ignored(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    tenant = await make_tenant(app, db)
    in_url = await client.post(
        "/graphql",
        params={"access_token": tenant.token},
        json={"query": WORKSPACE},
        headers={"Accept": GRAPHQL_RESPONSE},
    )
    assert in_url.status_code == 401
    in_body = await _post(client, None, {"query": WORKSPACE, "access_token": tenant.token})
    assert in_body.status_code == 401
    in_extensions = await _post(client, None, {"query": WORKSPACE, "extensions": {"authorization": tenant.token}})
    assert in_extensions.status_code == 401
    in_cookie = await client.post(
        "/graphql", json={"query": WORKSPACE}, headers={"Cookie": f"access_token={tenant.token}"}
    )
    assert in_cookie.status_code == 401


# --- status codes and media types ------------------------------------------------------------


async def test_success_is_200_graphql_response_json(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    response = await gql(client, tenant.token, WORKSPACE, Accept=GRAPHQL_RESPONSE)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    default = await gql(client, tenant.token, WORKSPACE)  # no Accept header: the spec's media type
    assert default.headers["content-type"].startswith(GRAPHQL_RESPONSE)


@pytest.mark.parametrize(
    ("query", "variables", "status", "words"),
    [
        ("{ workspace { name }", None, 400, "Syntax Error"),
        ("{ workspace { nope } }", None, 422, "Cannot query field 'nope'"),
        # GraphQL over HTTP: variable coercion failure is a request error, 400, and nothing executed (no data).
        (
            "query ($n: Int) { workspace { services(first: $n) { totalCount } } }",
            {"n": "ten"},
            400,
            "Variable '$n' has invalid value",
        ),
    ],
    ids=["parse", "validation", "variable"],
)
async def test_a_request_error_has_its_status_and_no_data(
    app: Starlette,
    db: Database,
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None,
    status: int,
    words: str,
) -> None:
    tenant = await make_tenant(app, db)
    response = await gql(client, tenant.token, query, variables, Accept=GRAPHQL_RESPONSE)
    assert response.status_code == status
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    body = response.json()
    assert "data" not in body
    assert words in body["errors"][0]["message"]


async def test_legacy_json_clients_get_200_with_errors(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    for query in ("{ workspace { name }", "{ workspace { nope } }"):
        response = await gql(client, tenant.token, query, Accept="application/json")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/json")
        assert response.json()["errors"]
    ok = await gql(client, tenant.token, WORKSPACE, Accept="application/json")
    assert ok.status_code == 200 and ok.headers["content-type"].startswith("application/json")


async def test_accepting_both_media_types_prefers_the_graphql_one(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    tenant = await make_tenant(app, db)
    response = await gql(
        client, tenant.token, "{ workspace { nope } }", Accept=f"{GRAPHQL_RESPONSE}, application/json;q=0.9"
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)


# --- what a request may be -------------------------------------------------------------------


async def test_a_lone_surrogate_is_not_json(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    # It was decoded, then echoed in a user error that could not be encoded back: a 500.
    tenant = await make_tenant(app, db)
    mutation = "mutation ($input: CreateServiceInput!) { createService(input: $input) { userErrors { message } } }"
    body = {"query": mutation, "variables": {"input": {"code": "S\ud800", "name": "Accueil"}}}
    response = await _post(client, tenant.token, body)  # json.dumps writes it as the escape \ud800
    assert response.status_code == 400
    assert "the request body is not valid JSON" in response.text


async def test_batching_is_refused(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    response = await _post(client, tenant.token, [{"query": WORKSPACE}, {"query": WORKSPACE}])
    assert response.status_code == 400
    assert "workspace" not in response.text.replace("Batching", "")


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", "query=%7B+workspace+%7B+name+%7D+%7D"),
        ("text/plain", '{"query": "{ workspace { name } }"}'),
        (
            "multipart/form-data; boundary=xyz",
            '--xyz\r\nContent-Disposition: form-data; name="query"\r\n\r\n{ __typename }\r\n--xyz--\r\n',
        ),
    ],
)
async def test_simple_request_content_types_are_refused(
    app: Starlette, db: Database, client: httpx.AsyncClient, content_type: str, body: str
) -> None:
    tenant = await make_tenant(app, db, name="Form Canary")
    response = await client.post(
        "/graphql", content=body, headers={"Content-Type": content_type, "Authorization": f"Bearer {tenant.token}"}
    )
    assert response.status_code in (400, 415)
    assert "Form Canary" not in response.text


async def test_body_over_one_megabyte_is_413(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    padding = "x" * 1_000_001
    response = await gql(client, tenant.token, WORKSPACE, {"padding": padding})
    assert response.status_code == 413


async def test_body_just_under_the_limit_is_served(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db, name="Big Body")
    padding = "x" * 990_000
    # An id is not a text argument (a search is capped at 200 characters): an overlong one is only missing.
    query = "query ($p: ID!) { workspace { name } node(id: $p) { id } }"
    response = await gql(client, tenant.token, query, {"p": padding})
    assert response.status_code == 200, response.text[:300]
    assert response.json()["data"] == {"workspace": {"name": "Big Body"}, "node": None}


# --- query limits ----------------------------------------------------------------------------


def _nested(depth: int) -> str:
    """A query of that depth, counted as strawberry (and graphql-depth-limit) do: `{ a { b } }` has depth 1."""
    query = "leaf"
    for level in range(depth, 0, -1):
        query = f"f{level} {{ {query} }}"
    return "{ " + query + " }"


async def test_query_deeper_than_10_is_refused(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    response = await gql(client, tenant.token, _nested(11))
    assert response.status_code == 422
    assert any("exceeds maximum operation depth of 10" in m for m in _messages(response))
    # At the limit, only the unknown fields are reported.
    at_limit = await gql(client, tenant.token, _nested(10))
    assert at_limit.status_code == 422
    assert not any("depth" in m for m in _messages(at_limit))


async def test_depth_of_the_deepest_real_query_is_allowed(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    tenant = await make_tenant(app, db)
    query = "{ directory { structures(first: 1) { edges { node { services(first: 1) { edges { node { id } } } } } } } }"
    await data(client, tenant.token, query)


async def test_depth_counts_through_fragments(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    query = _nested(5).replace("leaf", "...F") + " fragment F on Query { " + _nested(6)[2:-2] + " }"
    response = await gql(client, tenant.token, query)
    assert response.status_code == 422
    assert any("exceeds maximum operation depth" in m for m in _messages(response))


async def test_100_aliases_are_refused(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    query = "{ " + " ".join(f"a{i}: workspace {{ name }}" for i in range(100)) + " }"
    response = await gql(client, tenant.token, query)
    assert response.status_code == 422
    assert any("100 aliases found" in m for m in _messages(response))


async def test_a_few_aliases_are_fine(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db, name="Aliased")
    query = "{ " + " ".join(f"a{i}: workspace {{ name }}" for i in range(10)) + " }"
    result = await data(client, tenant.token, query)
    assert result == {f"a{i}": {"name": "Aliased"} for i in range(10)}


async def test_more_than_2000_tokens_are_refused(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    query = "{ " + "__typename " * 2_001 + "}"
    response = await gql(client, tenant.token, query)
    assert response.status_code in (400, 422)
    assert any("token" in m.lower() and "2000" in m for m in _messages(response)), _messages(response)


async def test_cost_over_the_limit_is_refused_naming_the_cost(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    tenant = await make_tenant(app, db)
    query = """{ directory { structures(first: 100) { edges { node {
        services(first: 100) { edges { node { id } } } } } } } }"""
    response = await gql(client, tenant.token, query)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    # directory 1 + structures (1 + edges (1 + node (1 + services (1 + edges (1 + node 1)) x 100))) x 100
    assert error["message"] == "query cost 30301 exceeds the limit of 5000: ask for smaller pages"
    assert error["extensions"]["cost"] == 30301
    assert error["extensions"]["maxCost"] == 5000


async def test_cost_uses_the_variables(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    query = """query ($n: Int) { directory { structures(first: $n) { edges { node {
        services(first: $n) { edges { node { id } } } } } } } }"""
    small = await gql(client, tenant.token, query, {"n": 5})
    assert small.status_code == 200 and "errors" not in small.json()
    assert small.json()["extensions"]["cost"]["requestedQueryCost"] == 1 + (1 + 1 + 1 + (1 + 1 + 1) * 5) * 5
    big = await gql(client, tenant.token, query, {"n": 100})
    assert big.status_code == 422
    assert "query cost 30301" in _messages(big)[0]


async def test_cost_is_reported_on_success(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    response = await gql(client, tenant.token, "{ workspace { services(first: 10) { nodes { code } } } }")
    body = response.json()
    assert response.status_code == 200 and "errors" not in body
    assert body["extensions"]["cost"] == {"requestedQueryCost": 1 + (1 + 1) * 10, "maximumAvailable": 5000}


async def test_cost_counts_a_variable_default_that_is_not_sent(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    tenant = await make_tenant(app, db)
    defaulted = """query ($n: Int = 100) { directory { structures(first: $n) { nodes {
        services(first: $n) { nodes { id } } } } } }"""
    literal = defaulted.replace("($n: Int = 100) ", "").replace("$n", "100")
    # directory 1 + structures (1 + nodes (1 + services (1 + nodes 1) x 100)) x 100, however 100 is given
    for query, variables in ((defaulted, {}), (defaulted, {"n": 100}), (literal, {})):
        response = await gql(client, tenant.token, query, variables)
        assert response.status_code == 422, response.text
        assert _messages(response) == ["query cost 20201 exceeds the limit of 5000: ask for smaller pages"]
    small = await gql(client, tenant.token, defaulted, {"n": 5})
    assert small.status_code == 200 and "errors" not in small.json()
    assert small.json()["extensions"]["cost"]["requestedQueryCost"] == 1 + (1 + 1 + (1 + 1) * 5) * 5


async def test_nodes_cost_once_per_id(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    ids = [to_global_id("Invoice", uuid.uuid4()) for _ in range(100)]
    selection = "{ ... on Invoice { lines(first: 100) { nodes { lineId } } } }"
    per_id = 1 + (1 + 1) * 100  # the invoice 1 + lines (1 + nodes 1) x 100
    variable = f"query ($ids: [ID!]!) {{ nodes(ids: $ids) {selection} }}"
    defaulted = f"query ($ids: [ID!]! = {json.dumps(ids)}) {{ nodes(ids: $ids) {selection} }}"
    literal = f"{{ nodes(ids: {json.dumps(ids)}) {selection} }}"
    for query, variables in ((variable, {"ids": ids}), (defaulted, {}), (literal, {})):
        response = await gql(client, tenant.token, query, variables)
        assert response.status_code == 422, response.text
        assert _messages(response) == [f"query cost {per_id * 100} exceeds the limit of 5000: ask for smaller pages"]
    one = await gql(client, tenant.token, variable, {"ids": ids[:1]})
    assert one.json()["data"] == {"nodes": [None]}
    assert one.json()["extensions"]["cost"]["requestedQueryCost"] == per_id


def test_cost_of_fragments_spreading_fragments_is_quick_to_tell() -> None:
    # Each fragment spreads the next 30 times: 30^5 paths, but 5 fragments to cost (each once).
    path = ["workspace", "fluxes(first: 1)", "nodes", "invoices(first: 1)", "nodes"]
    types = ["Query", "Workspace", "FluxConnection", "Flux", "InvoiceConnection"]
    fragments = [
        f"fragment F{i} on {types[i]} {{ " + f"{path[i]} {{ ...F{i + 1} }} " * 30 + "}" for i in range(len(path) - 1)
    ]
    fragments.append(f"fragment F{len(path) - 1} on InvoiceConnection {{ " + "nodes { number } " * 30 + "}")
    document = parse("{ ...F0 } " + " ".join(fragments))
    started = time.perf_counter()
    cost = query_cost(build_schema()._schema, document, {})
    assert time.perf_counter() - started < 2  # 18 s when every spread was walked again
    # workspace (1 + fluxes (1 + nodes (1 + invoices (1 + nodes 1 x 30) x 30) x 30) x 30) x 30, times 30 copies
    assert cost == 30 * (1 + 30 * (1 + 30 * (1 + 30 * (1 + 30 * 1))))


async def test_depth_of_fragments_spreading_fragments_is_quick_to_tell(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    # 30 spreads a level, 5 levels: strawberry's depth limiter walked every one of the 30^5 paths (97 s of
    # CPU before any resolver), and its alias limiter did too (17 to 45 s); each fragment is now walked once.
    tenant = await make_tenant(app, db)
    path = ["workspace", "fluxes(first: 1)", "nodes", "invoices(first: 1)", "nodes"]
    types = ["Query", "Workspace", "FluxConnection", "Flux", "InvoiceConnection"]
    fragments = [
        f"fragment F{i} on {types[i]} {{ " + f"{path[i]} {{ ...F{i + 1} }} " * 30 + "}" for i in range(len(path) - 1)
    ]
    fragments.append(f"fragment F{len(path) - 1} on InvoiceConnection {{ " + "nodes { number } " * 30 + "}")
    started = time.perf_counter()
    response = await gql(client, tenant.token, "query Deep { ...F0 } " + " ".join(fragments))
    assert time.perf_counter() - started < 3  # it takes a tenth of a second; the bound allows a loaded machine
    assert response.status_code == 422
    assert any("exceeds the limit" in m for m in _messages(response))  # its cost; depth 5 is allowed
    deep = _nested(8).replace("leaf", "...G") + " fragment G on Query { " + _nested(4)[2:-2] + " }"
    assert any(
        "'anonymous' exceeds maximum operation depth of 10" in m
        for m in _messages(await gql(client, tenant.token, deep))
    )


# --- text arguments ----------------------------------------------------------------------------

TEXT_ARGUMENTS = [
    ("Directory.structures", "search", "directory { structures(first: 5, search: $s) { totalCount } }"),
    ("Directory.structure", "identifier", "directory { structure(identifier: $s) { id } }"),
    ("Workspace.services", "filter.search", "workspace { services(first: 5, filter: {search: $s}) { totalCount } }"),
    *(
        (
            "Workspace.issuedInvoices",
            f"filter.{name}",
            f"workspace {{ issuedInvoices(first: 5, filter: {{{name}: $s}}) {{ totalCount }} }}",
        )
        for name in ("search", "number", "serviceCode", "engagementNumber", "counterpart")
    ),
]


@pytest.fixture
async def searchable(app: Starlette, db: Database, client: httpx.AsyncClient) -> Tenant:
    """A workspace with a row behind every text argument (SQLite tries a LIKE pattern only on a row)."""
    tenant = await make_tenant(app, db, name="Atelier Durand")
    entity = await make_structure(db, name="Commune de Villeneuve", public=True)
    await make_service(db, tenant.structure, "SVC-1")
    deposited = await calls.submit(client, tenant.token, invoice_between(tenant.structure, entity, number="F-TEXT-1"))
    assert deposited["userErrors"] == []
    return tenant


@pytest.mark.parametrize(("field", "argument", "selection"), TEXT_ARGUMENTS, ids=[a[1] for a in TEXT_ARGUMENTS])
async def test_text_arguments_are_capped_and_free_of_control_characters(
    client: httpx.AsyncClient, searchable: Tenant, field: str, argument: str, selection: str
) -> None:
    query = f"query ($s: String!) {{ {selection} }}"
    at_the_cap = await gql(client, searchable.token, query, {"s": "x" * 200})
    assert at_the_cap.status_code == 200 and "errors" not in at_the_cap.json(), at_the_cap.text
    refused = {
        "x" * 900_000: f"`{argument}` is 900000 characters long; at most 200",
        "F\x00": f"`{argument}` contains a control character (U+0000) at character 2; only tabs and line breaks are allowed",
    }
    for value, problem in refused.items():
        response = await gql(client, searchable.token, query, {"s": value})
        assert response.status_code == 422, response.text[:500]
        assert response.json()["errors"] == [
            {
                "message": f"{problem} (an argument of `{field}`)",
                "extensions": {"code": "BAD_USER_INPUT", "argument": argument, "field": field},
            }
        ]


async def test_a_cursor_may_be_longer_than_a_search_but_not_endless(
    client: httpx.AsyncClient, searchable: Tenant
) -> None:
    query = "query ($c: String) { workspace { services(first: 5, after: $c) { totalCount } } }"
    longest = await gql(client, searchable.token, query, {"c": "x" * 2_000})
    assert _messages(longest) == ["invalid cursor: pass back a cursor from this connection, unchanged"]
    beyond = await gql(client, searchable.token, query, {"c": "x" * 2_001})
    assert beyond.status_code == 422
    assert _messages(beyond) == ["`after` is 2001 characters long; at most 2000 (an argument of `Workspace.services`)"]


async def test_a_status_filter_that_repeats_itself_is_one_condition(
    client: httpx.AsyncClient, searchable: Tenant
) -> None:
    # 40,000 bound parameters would exceed PostgreSQL's 32,767 (it answered `Unexpected error.`).
    query = "query ($f: InvoiceFilter) { workspace { issuedInvoices(first: 5, filter: $f) { totalCount } } }"
    answer = await data(client, searchable.token, query, {"f": {"statuses": ["MISE_A_DISPOSITION"] * 40_000}})
    assert answer["workspace"]["issuedInvoices"]["totalCount"] == 1


async def test_wildcards_in_a_search_are_searched_for(client: httpx.AsyncClient, searchable: Tenant) -> None:
    query = """query ($s: String) { directory { structures(first: 5, search: $s) { totalCount } }
      workspace { services(first: 5, filter: {search: $s}) { totalCount }
        issuedInvoices(first: 5, filter: {search: $s}) { totalCount } } }"""

    async def found(search: str) -> tuple[int, int, int]:
        answer = await data(client, searchable.token, query, {"s": search})
        workspace = answer["workspace"]
        return (
            answer["directory"]["structures"]["totalCount"],
            workspace["services"]["totalCount"],
            workspace["issuedInvoices"]["totalCount"],
        )

    assert await found("villeneuve") == (1, 0, 1)
    assert await found("svc") == (0, 1, 0)
    for wildcard in ("%", "_", "v%e", "s_c", "\\%"):
        assert await found(wildcard) == (0, 0, 0), wildcard


@pytest.mark.parametrize(
    "query",
    [
        "{ workspac { name } }",
        "{ workspace { nam } }",
        "{ directory { structure { name } } }",
        "{ __schema { directive } }",
    ],
)
async def test_no_field_suggestions(app: Starlette, db: Database, client: httpx.AsyncClient, query: str) -> None:
    tenant = await make_tenant(app, db)
    response = await gql(client, tenant.token, query)
    assert response.status_code == 422
    assert response.json()["errors"]
    assert "did you mean" not in response.text.lower()


async def test_no_argument_or_enum_suggestions(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    response = await gql(
        client, tenant.token, 'mutation { addMember(input: {email: "a@b.c", role: GESTIONAIRE}) { member { id } } }'
    )
    assert response.status_code == 422
    assert "did you mean" not in response.text.lower()
    response = await gql(client, tenant.token, "{ workspace { services(frist: 1) { totalCount } } }")
    assert response.status_code == 422
    assert "did you mean" not in response.text.lower()
    response = await gql(client, tenant.token, "{ workspace { name ...on Workspac { id } } }")
    assert response.status_code == 422
    assert "did you mean" not in response.text.lower()


async def test_no_suggestions_in_variable_errors(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    query = 'mutation ($r: Role!) { addMember(input: {email: "a@b.c", role: $r}) { member { id } } }'
    response = await gql(client, tenant.token, query, {"r": "GESTIONAIRE"})
    assert response.status_code == 400
    assert "does not exist in 'Role' enum" in response.text
    assert "did you mean" not in response.text.lower()


# --- error masking ---------------------------------------------------------------------------


async def test_unexpected_exception_is_masked(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    # A well-signed token for a structure that does not exist: the resolver hits a LookupError (a bug path).
    ghost = Structure(id=uuid.uuid4(), identifier="ghost", name="Ghost")
    token = token_for(app, ghost)
    response = await gql(client, token, WORKSPACE)
    body = response.json()
    assert response.status_code == 200
    assert body["data"] is None
    assert [e["message"] for e in body["errors"]] == ["Unexpected error."]
    assert "workspace structure missing" not in response.text
    assert "LookupError" not in response.text and "Traceback" not in response.text
    assert "exception" not in body["errors"][0].get("extensions", {})


async def test_public_errors_are_not_masked(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    response = await gql(client, tenant.token, "{ workspace { services(first: 500) { totalCount } } }")
    messages = _messages(response)
    assert messages == ["`first` must be between 1 and 100"]
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_permission_errors_are_not_masked(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    token = token_for(app, tenant.structure, tenant.user, scopes=["invoices:read"])
    response = await gql(client, token, "{ directory { structures(first: 1) { totalCount } } }")
    error = response.json()["errors"][0]
    assert error["message"] == "this token lacks the 'directory:read' scope"
    assert error["extensions"]["code"] == "FORBIDDEN"


def test_should_mask_only_what_a_resolver_did_not_mean_to_say() -> None:
    def wrapped(original: Exception | None) -> GraphQLError:
        return GraphQLError("raw message", original_error=original)

    assert should_mask(wrapped(ValueError("db password=secret at /srv/app/db.py")))
    assert should_mask(wrapped(LookupError("missing")))
    assert should_mask(wrapped(AssertionError()))
    assert not should_mask(wrapped(PublicError("bad cursor")))
    assert not should_mask(wrapped(Forbidden("no scope")))
    assert not should_mask(wrapped(GraphQLError("graphql-core's own")))
    assert not should_mask(wrapped(None))  # validation and parse errors have no original error
