"""A token for workspace A never acts in workspace B: not by header, not by parameter, not by consent."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy import delete

from tenancy.db import Database
from tenancy.enums import Access, Role
from tenancy.models import Membership
from tests.auth import flows
from tests.auth.conftest import World
from tests.factories import data, gql, make_member, make_structure

WHO = "{ workspace { id name } viewer { scopes } }"


def claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return decoded


async def test_client_credentials_client_of_a_gets_tokens_for_a_only(
    client: httpx.AsyncClient, world: World, db: Database
) -> None:
    b = await make_structure(db, name="Structure B")
    assert world.machine.secret is not None
    # Whatever it asks for, and however, the client bound to A gets A.
    for extra in ({}, {"tid": str(b.id)}, {"workspace": str(b.id)}, {"resource": "urn:workspace:" + str(b.id)}):
        issued = await client.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", **extra},
            auth=httpx.BasicAuth(world.machine.client_id, world.machine.secret),
            headers={"X-Tenant": str(b.id)},
        )
        assert issued.status_code == 200, issued.text
        token = issued.json()["access_token"]
        assert claims(token)["tid"] == str(world.structure.id)
        for header in ("X-Tenant", "X-Workspace", "X-Tenant-Id"):
            answer = (await gql(client, token, WHO, **{header: str(b.id)})).json()
            assert answer["data"]["workspace"]["name"] == "Atelier A"


async def test_consent_in_a_does_not_grant_b(client: httpx.AsyncClient, world: World, db: Database) -> None:
    b = await make_structure(db, name="Structure B")
    await make_member(db, b, world.person, role=Role.UTILISATEUR, access=Access.READ_ONLY)
    a_id, b_id = str(world.structure.id), str(b.id)
    code, verifier = await flows.code_for(client, world.person.email, world.public.client_id, workspace=a_id)
    in_a = (await flows.redeem(client, world.public.client_id, code, verifier)).json()
    assert claims(in_a["access_token"])["tid"] == a_id
    assert (await data(client, in_a["access_token"], WHO))["workspace"]["name"] == "Atelier A"
    # The remembered consent is A's: asking again without choosing lands in A, never in B.
    verifier2, challenge2 = flows.pkce()
    again = await client.get("/oauth/authorize", params=flows.authorize_params(world.public.client_id, challenge2))
    assert again.status_code == 302
    code2 = flows.query_of(again.headers["location"])["code"]
    remembered = (await flows.redeem(client, world.public.client_id, code2, verifier2)).json()
    assert claims(remembered["access_token"])["tid"] == a_id
    # The refreshed token stays in A.
    refreshed = (await flows.refresh(client, world.public.client_id, in_a["refresh_token"])).json()
    assert claims(refreshed["access_token"])["tid"] == a_id
    # Choosing B needs its own consent, and B's role caps the scopes (read-only member: reads only).
    code3, verifier3 = await flows.code_for(
        client, world.person.email, world.public.client_id, workspace=b_id, prompt="consent"
    )
    in_b = (await flows.redeem(client, world.public.client_id, code3, verifier3)).json()
    assert claims(in_b["access_token"])["tid"] == b_id
    assert set(in_b["scope"].split()) == {"invoices:read", "directory:read"}
    assert (await data(client, in_b["access_token"], WHO))["workspace"]["name"] == "Structure B"


async def test_a_workspace_the_user_is_not_in_cannot_be_chosen(
    client: httpx.AsyncClient, world: World, db: Database
) -> None:
    foreign = await make_structure(db, name="Not mine")
    await flows.sign_in(client, world.person.email)
    params = flows.authorize_params(world.public.client_id, flows.pkce()[1])
    page = await client.get("/oauth/authorize", params=params)
    form = next(f for f in flows.forms_of(page.text) if f.action == "/oauth/authorize")
    assert form.radios["workspace"] == [str(world.structure.id)]  # only their own are offered
    tampered = [*form.fields, ("workspace", str(foreign.id)), ("decision", "approve")]
    answer = await client.post("/oauth/authorize", content=urlencode(tampered), headers=flows.FORM)
    assert answer.status_code == 400 and "location" not in answer.headers


async def test_role_caps_what_the_app_gets(client: httpx.AsyncClient, world: World, db: Database) -> None:
    clerk_ws = await make_structure(db, name="Clerk workspace")
    clerk = await flows.make_person(db)
    await make_member(db, clerk_ws, clerk, role=Role.UTILISATEUR)
    await flows.sign_in(client, clerk.email)
    verifier, challenge = flows.pkce()
    asked = flows.authorize_params(world.public.client_id, challenge, scope="invoices:read workspace:admin")
    answer = await flows.consent(client, asked)
    code = flows.query_of(answer.headers["location"])["code"]
    tokens = (await flows.redeem(client, world.public.client_id, code, verifier)).json()
    assert tokens["scope"] == "invoices:read"
    admin_only = (
        await gql(client, tokens["access_token"], "{ workspace { members(first: 1) { totalCount } } }")
    ).json()
    assert admin_only["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_member_who_left_cannot_refresh(client: httpx.AsyncClient, world: World, db: Database) -> None:
    code, verifier = await flows.code_for(client, world.person.email, world.public.client_id)
    tokens = (await flows.redeem(client, world.public.client_id, code, verifier)).json()
    async with db.tenant_session(world.structure.id) as session:
        await session.execute(
            delete(Membership).where(Membership.tenant_id == world.structure.id, Membership.user_id == world.person.id)
        )
    gone = await flows.refresh(client, world.public.client_id, tokens["refresh_token"])
    assert gone.status_code == 400 and gone.json()["error"] == "invalid_grant"
