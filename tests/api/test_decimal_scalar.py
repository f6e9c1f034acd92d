"""The Decimal scalar takes finite numbers only: NaN, sNaN and infinities are request errors (they were
unexpected errors, or Saxon's messages, far from the input that carried them)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from tenancy.db import Database
from tests.factories import gql, make_tenant

FILTERED = "query ($a: Decimal) { workspace { receivedInvoices(first: 1, filter: {amountMin: $a}) { totalCount } } }"
CREATE = """mutation ($q: Decimal!) { createInvoice(input: {number: "F-1", issueDate: "2026-01-01",
  recipientIdentifier: "13000274400014", lines: [{itemName: "a", quantity: $q, netPrice: "1"}]}) { userErrors { code } } }"""


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity", "nan", "inf"])
@pytest.mark.parametrize("query", [FILTERED, CREATE], ids=["filter", "createInvoice"])
async def test_non_finite_decimals_are_request_errors(
    app: Starlette, db: Database, client: httpx.AsyncClient, query: str, value: str
) -> None:
    tenant = await make_tenant(app, db)
    response = await gql(client, tenant.token, query, {"a": value, "q": value})
    assert response.status_code == 400, response.text[:300]
    [error] = response.json()["errors"]
    assert error["message"].endswith(f'Decimal cannot represent "{value}": the number must be finite')


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12,50", 'Decimal cannot represent "12,50": not a decimal number'),
        (True, "Decimal cannot represent a bool"),
        ({"a": 1}, "Decimal cannot represent a dict"),
        ("9" * 60 + "x", 'Decimal cannot represent "' + "9" * 40 + '...": not a decimal number'),  # shown cut
    ],
)
async def test_what_is_not_a_decimal_is_a_request_error(
    app: Starlette, db: Database, client: httpx.AsyncClient, value: Any, message: str
) -> None:
    tenant = await make_tenant(app, db)
    response = await gql(client, tenant.token, FILTERED, {"a": value})
    assert response.status_code == 400
    assert message in response.json()["errors"][0]["message"]


async def test_an_inline_nan_does_not_validate(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    response = await gql(client, tenant.token, FILTERED.replace("query ($a: Decimal) ", "").replace("$a", '"NaN"'))
    assert response.status_code == 422
    assert "the number must be finite" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("value", ["12.50", "0", "-3.1", "1E+2", 12.5, 7])
async def test_finite_decimals_are_served(app: Starlette, db: Database, client: httpx.AsyncClient, value: Any) -> None:
    tenant = await make_tenant(app, db)
    response = await gql(client, tenant.token, FILTERED, {"a": value})
    assert response.status_code == 200, response.text
    assert response.json()["data"] == {"workspace": {"receivedInvoices": {"totalCount": 0}}}
