"""Managing API clients and authorized apps through GraphQL, checked against the token endpoint."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from starlette.applications import Starlette

from api.core.ids import to_global_id
from auth.oauth_models import OAuthClient, OAuthRefreshToken
from auth.scopes import Scope
from tenancy.db import Database
from tenancy.enums import Role
from tests.auth.conftest import World
from tests.auth.flows import code_for, make_person, redeem, refresh
from tests.factories import data, gql, make_member, make_structure, make_tenant, token_for

REGISTER = """
mutation($input: RegisterApiClientInput!) {
  registerApiClient(input: $input) {
    apiClient { id clientId name confidential redirectUris grantTypes scopes }
    clientSecret
    userErrors { field code message }
  }
}"""
ROTATE = """mutation($id: ID!) { rotateApiClientSecret(input: {id: $id}) {
  apiClient { clientId } clientSecret userErrors { field code message } } }"""
REVOKE_CLIENT = """mutation($id: ID!) { revokeApiClient(input: {id: $id}) {
  revokedApiClientId userErrors { field code message } } }"""
REVOKE_AUTHORIZATION = """mutation($id: ID!) { revokeAuthorization(input: {id: $id}) {
  revokedAuthorizationId userErrors { field code message } } }"""
LIST = """{ workspace {
  apiClients(first: 10) { totalCount nodes { clientId name scopes } }
  authorizedApps(first: 10) { totalCount nodes { id clientId clientName scopes user { email } } }
} }"""

APPS = "{ workspace { authorizedApps(first: 10) { totalCount nodes { id clientId clientName user { email } } } } }"
MACHINE = {
    "name": "ERP",
    "confidential": True,
    "grantTypes": ["client_credentials"],
    "scopes": ["invoices:read", "invoices:submit"],
}


async def _register(client: httpx.AsyncClient, token: str, **fields: Any) -> dict[str, Any]:
    result: dict[str, Any] = (await data(client, token, REGISTER, {"input": {**MACHINE, **fields}}))[
        "registerApiClient"
    ]
    return result


async def _client_credentials(client: httpx.AsyncClient, client_id: str, secret: str) -> httpx.Response:
    return await client.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=httpx.BasicAuth(client_id, secret)
    )


async def test_register_shows_the_secret_once_and_keeps_a_digest(
    client: httpx.AsyncClient, app: Starlette, db: Database
) -> None:
    tenant = await make_tenant(app, db)
    made = await _register(client, tenant.token)
    assert made["userErrors"] == []
    secret, api_client = made["clientSecret"], made["apiClient"]
    assert secret and api_client["confidential"] is True and api_client["scopes"] == MACHINE["scopes"]
    async with db.bare_session() as session:
        row = await session.scalar(select(OAuthClient).where(OAuthClient.client_id == api_client["clientId"]))
    assert row is not None and row.workspace_id == tenant.structure.id
    assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    listed = await data(client, tenant.token, LIST)
    assert secret not in str(listed)
    assert listed["workspace"]["apiClients"]["nodes"] == [
        {"clientId": api_client["clientId"], "name": "ERP", "scopes": MACHINE["scopes"]}
    ]
    issued = await _client_credentials(client, api_client["clientId"], secret)
    assert issued.status_code == 200
    assert issued.json()["scope"] == "invoices:read invoices:submit"


async def test_rotation_kills_the_old_secret(client: httpx.AsyncClient, app: Starlette, db: Database) -> None:
    tenant = await make_tenant(app, db)
    made = await _register(client, tenant.token)
    rotated = (await data(client, tenant.token, ROTATE, {"id": made["apiClient"]["id"]}))["rotateApiClientSecret"]
    assert rotated["userErrors"] == [] and rotated["clientSecret"] != made["clientSecret"]
    client_id = made["apiClient"]["clientId"]
    old = await _client_credentials(client, client_id, made["clientSecret"])
    assert old.status_code == 401 and old.json()["error"] == "invalid_client"
    new = await _client_credentials(client, client_id, rotated["clientSecret"])
    assert new.status_code == 200


async def test_revoked_client_gets_no_token_and_its_refresh_tokens_die(
    client: httpx.AsyncClient, app: Starlette, db: Database, world: World
) -> None:
    admin = token_for(app, world.structure, world.person)
    code, verifier = await code_for(client, world.person.email, world.public.client_id)
    tokens = (await redeem(client, world.public.client_id, code, verifier)).json()
    machine_id = to_global_id("ApiClient", world.machine.pk)
    public_id = to_global_id("ApiClient", world.public.pk)
    for key in (machine_id, public_id):
        revoked = (await data(client, admin, REVOKE_CLIENT, {"id": key}))["revokeApiClient"]
        assert revoked == {"revokedApiClientId": key, "userErrors": []}
    assert world.machine.secret is not None
    refused = await _client_credentials(client, world.machine.client_id, world.machine.secret)
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"
    dead = await refresh(client, world.public.client_id, tokens["refresh_token"])
    assert dead.status_code in (400, 401) and dead.json()["error"] in ("invalid_client", "invalid_grant")
    listed = await data(client, admin, LIST)
    assert world.machine.client_id not in str(listed["workspace"]["apiClients"])


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"redirectUris": ["http://app.example.com/cb"], "grantTypes": ["authorization_code"]}, "0", "INVALID"),
        ({"redirectUris": ["https://app.example.com/cb#x"], "grantTypes": ["authorization_code"]}, "0", "INVALID"),
        ({"grantTypes": ["authorization_code"], "redirectUris": []}, "redirectUris", "REQUIRED"),
        ({"grantTypes": ["password"]}, "grantTypes", "INVALID"),
        ({"grantTypes": ["implicit"]}, "grantTypes", "INVALID"),
        ({"confidential": False}, "grantTypes", "INVALID"),
        ({"scopes": ["invoices:everything"]}, "scopes", "INVALID"),
        ({"scopes": ["webhooks:manage"]}, "scopes", "FORBIDDEN"),
        ({"name": "  "}, "name", "REQUIRED"),
    ],
)
async def test_bad_registrations_are_user_errors(
    client: httpx.AsyncClient, app: Starlette, db: Database, fields: dict[str, Any], field: str, code: str
) -> None:
    tenant = await make_tenant(app, db)
    # An administrator whose own token lacks webhooks:manage cannot hand it to a client.
    token = token_for(
        app, tenant.structure, tenant.user, scopes={"workspace:admin", "invoices:read", "invoices:submit"}
    )
    made = await _register(client, token, **fields)
    assert made["apiClient"] is None and made["clientSecret"] is None
    assert any(e["field"][-1] == field and e["code"] == code for e in made["userErrors"]), made["userErrors"]
    listed = await data(client, tenant.token, LIST)
    assert listed["workspace"]["apiClients"]["totalCount"] == 0


async def test_only_administrators_manage_clients(client: httpx.AsyncClient, app: Starlette, db: Database) -> None:
    tenant = await make_tenant(app, db)
    reader = token_for(app, tenant.structure, tenant.user, scopes={Scope.INVOICES_READ.value})
    answer = (await gql(client, reader, REGISTER, {"input": MACHINE})).json()
    assert answer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    listed = (await gql(client, reader, "{ workspace { apiClients(first: 5) { totalCount } } }")).json()
    assert listed["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_foreign_or_malformed_ids_answer_like_missing_ones(
    client: httpx.AsyncClient, app: Starlette, db: Database
) -> None:
    a = await make_tenant(app, db)
    b = await make_tenant(app, db)
    foreign = (await _register(client, b.token))["apiClient"]["id"]
    answers = []
    for key in (foreign, to_global_id("ApiClient", uuid.uuid4()), "not-an-id", to_global_id("Member", uuid.uuid4())):
        for mutation, name in ((ROTATE, "rotateApiClientSecret"), (REVOKE_CLIENT, "revokeApiClient")):
            answers.append((await data(client, a.token, mutation, {"id": key}))[name]["userErrors"])
        answers.append(
            (await data(client, a.token, REVOKE_AUTHORIZATION, {"id": key}))["revokeAuthorization"]["userErrors"]
        )
    assert all(len(e) == 1 and e[0]["code"] == "NOT_FOUND" for e in answers)
    assert len({e[0]["message"] for e in answers[0::3]}) == 1  # same words whether foreign, random or malformed
    # B's client is untouched and still works.
    assert (await data(client, b.token, LIST))["workspace"]["apiClients"]["totalCount"] == 1


async def test_authorized_apps_are_listed_and_revocable(
    client: httpx.AsyncClient, app: Starlette, db: Database, world: World
) -> None:
    colleague = await make_person(db)
    await make_member(db, world.structure, colleague, role=Role.UTILISATEUR)
    code, verifier = await code_for(client, world.person.email, world.public.client_id)
    tokens = (await redeem(client, world.public.client_id, code, verifier)).json()
    colleague_token = token_for(app, world.structure, colleague, role=Role.UTILISATEUR, scopes={"invoices:read"})
    listed = await data(client, colleague_token, APPS)
    apps = listed["workspace"]["authorizedApps"]
    assert apps["totalCount"] == 1
    authorized = apps["nodes"][0]
    assert authorized["clientId"] == world.public.client_id and authorized["user"]["email"] == world.person.email
    # A member who is not an administrator cannot withdraw a colleague's authorization...
    refused = (await data(client, colleague_token, REVOKE_AUTHORIZATION, {"id": authorized["id"]}))[
        "revokeAuthorization"
    ]
    assert refused["userErrors"][0]["code"] == "NOT_FOUND"
    # ...its owner can, and the app's refresh tokens stop working.
    own = token_for(app, world.structure, world.person, scopes={"invoices:read"})
    done = (await data(client, own, REVOKE_AUTHORIZATION, {"id": authorized["id"]}))["revokeAuthorization"]
    assert done == {"revokedAuthorizationId": authorized["id"], "userErrors": []}
    dead = await refresh(client, world.public.client_id, tokens["refresh_token"])
    assert dead.status_code == 400 and dead.json()["error"] == "invalid_grant"
    assert (await data(client, own, APPS))["workspace"]["authorizedApps"]["totalCount"] == 0


async def test_revoking_an_authorization_ends_its_refresh_tokens(
    client: httpx.AsyncClient, app: Starlette, world: World
) -> None:
    code, verifier = await code_for(client, world.person.email, world.public.client_id)
    tokens = (await redeem(client, world.public.client_id, code, verifier)).json()
    admin = token_for(app, world.structure, world.person)
    apps = (await data(client, admin, LIST))["workspace"]["authorizedApps"]["nodes"]
    done = (await data(client, admin, REVOKE_AUTHORIZATION, {"id": apps[0]["id"]}))["revokeAuthorization"]
    assert done["userErrors"] == []
    dead = await refresh(client, world.public.client_id, tokens["refresh_token"])
    assert dead.status_code == 400 and dead.json()["error"] == "invalid_grant"


async def test_revoking_a_client_ends_what_it_holds_in_other_workspaces(
    client: httpx.AsyncClient, app: Starlette, db: Database, world: World
) -> None:
    # Given a person of another workspace who authorized the client registered by A
    b = await make_structure(db, name="Structure B")
    outsider = await make_person(db)
    await make_member(db, b, outsider)
    code, verifier = await code_for(client, outsider.email, world.public.client_id)
    tokens = (await redeem(client, world.public.client_id, code, verifier)).json()
    b_admin = token_for(app, b, outsider)
    assert (await data(client, b_admin, APPS))["workspace"]["authorizedApps"]["totalCount"] == 1
    # When A's administrator revokes the client
    a_admin = token_for(app, world.structure, world.person)
    done = await data(client, a_admin, REVOKE_CLIENT, {"id": to_global_id("ApiClient", world.public.pk)})
    assert done["revokeApiClient"]["userErrors"] == []
    # Then B no longer lists it, and its refresh token is revoked (not only refused)
    assert (await data(client, b_admin, APPS))["workspace"]["authorizedApps"]["totalCount"] == 0
    async with db.bare_session() as session:
        rows = list(await session.scalars(select(OAuthRefreshToken).where(OAuthRefreshToken.workspace_id == b.id)))
    assert rows and all(r.revoked_at is not None for r in rows)
    dead = await refresh(client, world.public.client_id, tokens["refresh_token"])
    assert dead.status_code in (400, 401)
