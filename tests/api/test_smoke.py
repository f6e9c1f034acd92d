from __future__ import annotations

import httpx
from starlette.applications import Starlette

from tenancy.db import Database
from tests.factories import data, make_tenant


async def test_workspace_query_returns_the_token_structure(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    tenant = await make_tenant(app, db, name="Atelier Canary")
    result = await data(client, tenant.token, "{ workspace { name identifier isPublic } viewer { role } }")
    assert result["workspace"] == {
        "name": "Atelier Canary",
        "identifier": tenant.structure.identifier,
        "isPublic": False,
    }
    assert result["viewer"]["role"] == "GESTIONNAIRE_PRINCIPAL"
