"""The demo's API clients: the README's copy-paste client-credentials call works, and loading is idempotent."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from api.demo import load_demo
from auth.oauth_models import OAuthClient
from tenancy.db import Database
from tests.auth.flows import authorize_params, consent, pkce, query_of, redeem, sign_in


async def test_demo_clients_get_tokens_for_their_structure(client: httpx.AsyncClient, db: Database) -> None:
    first = await load_demo(db)
    second = await load_demo(db)
    assert first == second
    async with db.bare_session() as session:
        assert await session.scalar(select(func.count()).select_from(OAuthClient)) == 2 * len(first["structures"])
    confidential = [c for c in first["clients"] if c["clientSecret"]]
    public = [c for c in first["clients"] if not c["clientSecret"]]
    assert len(confidential) == len(public) == len(first["structures"])
    valbonne = next(c for c in confidential if c["workspace"] == "13000274400014")
    assert valbonne["grantTypes"] == ["client_credentials"]
    issued = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "invoices:read directory:read"},
        auth=httpx.BasicAuth(valbonne["clientId"], valbonne["clientSecret"]),
    )
    assert issued.status_code == 200, issued.text
    answer = await client.post(
        "/graphql",
        json={"query": "{ workspace { identifier name } }"},
        headers={"Authorization": f"Bearer {issued.json()['access_token']}"},
    )
    assert answer.json()["data"]["workspace"] == {
        "identifier": "13000274400014",
        "name": "Centre hospitalier de Valbonne",
    }


async def test_demo_public_client_does_the_code_flow(client: httpx.AsyncClient, db: Database) -> None:
    loaded = await load_demo(db)
    app = next(c for c in loaded["clients"] if c["workspace"] == "13000274400014" and not c["clientSecret"])
    assert app["grantTypes"] == ["authorization_code", "refresh_token"]
    assert "http://127.0.0.1:8000/callback" in app["redirectUris"]
    user = next(u for u in loaded["users"] if u["email"].startswith("claire.petit"))
    await sign_in(client, user["email"], user["password"])
    verifier, challenge = pkce()
    redirect = "http://127.0.0.1:8000/callback"
    answer = await consent(client, authorize_params(app["clientId"], challenge, redirect_uri=redirect))
    code = query_of(answer.headers["location"])["code"]
    tokens = await redeem(client, app["clientId"], code, verifier, redirect_uri=redirect)
    assert tokens.status_code == 200, tokens.text
