"""Every refusal of /graphql is a GraphQL error document with the spec's media type: bad JSON, deep nesting,
unknown operations, unsupported media types, bodies over the limit (never plain text, never a 500)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from api.http import GRAPHQL_RESPONSE
from tenancy.db import Database
from tests.factories import make_tenant

JSON = {"Content-Type": "application/json"}


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


async def _post(
    client: httpx.AsyncClient, token: str, content: str | bytes, **headers: str
) -> tuple[httpx.Response, list[dict[str, Any]]]:
    sent = {**JSON, "Authorization": f"Bearer {token}", **headers}
    response = await client.post("/graphql", content=content, headers=sent)
    return response, _document(response)


def _document(response: httpx.Response) -> list[dict[str, Any]]:
    """The response's errors, after checking it is a GraphQL error document of the spec's media type."""
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE), response.text[:200]
    body = response.json()
    assert "data" not in body and set(body) <= {"errors", "extensions"}, body
    errors: list[dict[str, Any]] = body["errors"]
    assert errors and all(isinstance(e["message"], str) for e in errors)
    return errors


# --- item 5: nesting ----------------------------------------------------------------------------


async def test_a_body_nested_5000_arrays_deep_is_a_400_document(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    tenant = await make_tenant(app, db)
    response, errors = await _post(client, tenant.token, _deep(5000))
    assert response.status_code == 400  # was a 500: json.loads hit the interpreter's recursion limit
    assert errors[0]["message"] == "the request body is nested too deeply (JSON depth over 1024)"


async def test_variables_nested_5000_deep_are_a_400_document(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    tenant = await make_tenant(app, db)
    body = '{"query": "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }", "variables": {"ids": ' + _deep(5000) + "}}"
    response, errors = await _post(client, tenant.token, body)
    assert response.status_code == 400
    assert "nested too deeply" in errors[0]["message"]


NESTED = "Variable values are nested too deeply."
NOT_A_DECIMAL = 'Decimal cannot represent a list: send a decimal number as a string, e.g. "12.50"'


@pytest.mark.parametrize(
    ("query", "value", "message"),
    [
        ("query ($v: [ID!]!) { nodes(ids: $v) { id } }", _deep(1000), NESTED),
        (
            "query ($v: Decimal) { workspace { receivedInvoices(first: 1, filter: {amountMin: $v}) { totalCount } } }",
            _deep(1000),
            f"Variable '$v' has invalid value: {NOT_A_DECIMAL}",
        ),
        (
            "query ($v: String) { directory { structures(first: 1, search: $v) { totalCount } } }",
            '{"a":' * 1000 + "1" + "}" * 1000,
            NESTED,
        ),
    ],
    ids=["list", "Decimal", "String"],
)
async def test_variables_nested_within_the_json_limit_are_refused_before_they_recurse(
    app: Starlette, db: Database, client: httpx.AsyncClient, query: str, value: str, message: str
) -> None:
    # Within orjson's 1024 levels: graphql-core's coercion refuses them (it counts depth, it does not recurse),
    # and the Decimal scalar looks at the value's type only.
    tenant = await make_tenant(app, db)
    response, errors = await _post(
        client, tenant.token, '{"query": "' + query + '", "variables": {"v": ' + value + "}}"
    )
    assert response.status_code == 400
    assert errors[0]["message"] == message


async def test_a_get_query_with_variables_nested_1100_deep_is_a_400_document(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    tenant = await make_tenant(app, db)
    response = await client.get(
        "/graphql",
        params={
            "query": "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            "variables": '{"ids":' + _deep(1100) + "}",
        },
        headers={"Authorization": f"Bearer {tenant.token}"},
    )
    assert response.status_code == 400
    assert _document(response)[0]["message"] == "the `variables` parameter is nested too deeply (JSON depth over 1024)"


# --- item 9d: error documents ---------------------------------------------------------------------


async def test_malformed_json_is_a_400_document(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    for body in ('{"query": "{ workspace { name } }"', "", "not json", b"\xff\xfe"):
        response, errors = await _post(client, tenant.token, body)
        assert response.status_code == 400, body
        assert errors[0]["message"].startswith("the request body is not valid JSON: "), errors
        assert errors[0]["extensions"]["code"] == "BAD_REQUEST"


async def test_malformed_json_is_400_even_for_legacy_json_clients(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    # Not a well-formed GraphQL-over-HTTP request: 4xx whatever the media type (the spec's application/json rule).
    tenant = await make_tenant(app, db)
    response = await client.post(
        "/graphql",
        content="{",
        headers={**JSON, "Accept": "application/json", "Authorization": f"Bearer {tenant.token}"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["errors"][0]["message"].startswith("the request body is not valid JSON")


async def test_an_unknown_operation_name_is_a_400_document(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    tenant = await make_tenant(app, db, name="Operation Canary")
    body = '{"query": "query Mine { workspace { name } }", "operationName": "Theirs"}'
    response, errors = await _post(client, tenant.token, body)
    assert response.status_code == 400
    assert errors[0]["message"] == "the document has no operation 'Theirs'"
    assert "Operation Canary" not in response.text
    # A legacy client gets the GraphQL way (200 with errors): the request itself was well formed.
    legacy = await client.post(
        "/graphql",
        content=body,
        headers={**JSON, "Accept": "application/json", "Authorization": f"Bearer {tenant.token}"},
    )
    assert legacy.status_code == 200
    assert legacy.headers["content-type"].startswith("application/json")
    assert legacy.json() == {"errors": errors}


async def test_an_operation_name_that_is_not_a_string_is_a_400_document(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    tenant = await make_tenant(app, db)
    response, errors = await _post(client, tenant.token, '{"query": "query A { __typename }", "operationName": 7}')
    assert response.status_code == 400
    assert errors[0]["message"] == "`operationName` must be a string or null"


async def test_several_operations_need_an_operation_name(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    tenant = await make_tenant(app, db, name="Chosen")
    query = "query First { viewer { clientId } } query Second { workspace { name } }"
    response, errors = await _post(client, tenant.token, '{"query": "' + query + '"}')
    # GraphQL's GetOperation(): no guessing (strawberry alone runs the first one).
    assert response.status_code == 400
    assert errors[0]["message"] == "the document has several operations: name the one to run in `operationName`"
    named = await client.post(
        "/graphql",
        json={"query": query, "operationName": "Second"},
        headers={"Authorization": f"Bearer {tenant.token}"},
    )
    assert named.status_code == 200
    assert named.json()["data"] == {"workspace": {"name": "Chosen"}}


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/graphql", "application/xml", None],
)
async def test_an_unsupported_content_type_is_a_415_document(
    app: Starlette, db: Database, client: httpx.AsyncClient, content_type: str | None
) -> None:
    tenant = await make_tenant(app, db, name="Media Canary")
    headers = {"Authorization": f"Bearer {tenant.token}"}
    if content_type is not None:
        headers["Content-Type"] = content_type
    response = await client.post("/graphql", content='{"query": "{ workspace { name } }"}', headers=headers)
    assert response.status_code == 415
    errors = _document(response)
    assert errors[0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert errors[0]["message"].startswith(f"unsupported content type {content_type or '(none)'!r}")
    assert "Media Canary" not in response.text


async def test_json_with_a_charset_is_served(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db, name="Charset")
    response = await client.post(
        "/graphql",
        content='{"query": "{ workspace { name } }"}',
        headers={"Content-Type": "application/json; charset=utf-8", "Authorization": f"Bearer {tenant.token}"},
    )
    assert response.status_code == 200
    assert response.json()["data"] == {"workspace": {"name": "Charset"}}


async def test_strawberrys_own_refusals_are_documents(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    for body, message in (
        ("{}", "No GraphQL query found in the request"),
        ('{"query": 1}', "The GraphQL operation's `query` must be a string or null, if provided."),
        ('{"query": "{ __typename }", "variables": [1]}', "The GraphQL operation's `variables` must be an object"),
        ('[{"query": "{ __typename }"}]', "Batching is not enabled"),
    ):
        response, errors = await _post(client, tenant.token, body)
        assert response.status_code == 400, body
        assert errors[0]["message"].startswith(message)


async def test_a_malformed_multipart_body_is_a_400_document(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    tenant = await make_tenant(app, db)
    response, errors = await _post(
        client, tenant.token, "not a multipart body", **{"Content-Type": "multipart/form-data; boundary=xyz"}
    )
    assert response.status_code == 400
    assert errors[0]["extensions"]["code"] == "BAD_REQUEST"


async def test_a_missing_token_is_a_401_document(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 401
    assert _document(response)[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_body_over_the_limit_is_a_413_document(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    big = '{"query": "{ __typename }", "variables": {"p": "' + "x" * 1_000_001 + '"}}'
    response, errors = await _post(client, tenant.token, big)
    assert response.status_code == 413
    assert errors[0] == {
        "message": "the request body is over 1000000 bytes",
        "extensions": {"code": "PAYLOAD_TOO_LARGE"},
    }

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the limit is found while reading
        for _ in range(11):
            yield b"x" * 100_000

    streamed = await client.post(
        "/graphql", content=chunks(), headers={**JSON, "Authorization": f"Bearer {tenant.token}"}
    )
    assert "content-length" not in streamed.request.headers
    assert streamed.status_code == 413
    assert _document(streamed)[0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
