"""The hub's own web app: a first-party public client every installation has, the `workspace` request
parameter, and signing out of the hub's pages from the app."""

from __future__ import annotations

from urllib.parse import urlencode

import httpx
from sqlalchemy import func, select

from auth.first_party import HUB_RECORD, WEB_CLIENT_ID, ensure_web_client
from auth.oauth_models import OAuthClient
from auth.routes import _claims_of
from tenancy import privileged
from tenancy.db import Database
from tenancy.enums import Role
from tenancy.keyset import PageRequest
from tests.auth.conftest import World
from tests.auth.flows import (
    FORM,
    WEB_ISSUER,
    WEB_REDIRECT,
    consent,
    forms_of,
    make_client,
    pkce,
    query_of,
    sign_in,
    web_token,
)
from tests.factories import make_member, make_structure

ISSUER = WEB_ISSUER


def web_params(challenge: str, **extra: str) -> dict[str, str]:
    return {
        "response_type": "code",
        "client_id": WEB_CLIENT_ID,
        "redirect_uri": WEB_REDIRECT,
        "scope": "invoices:read directory:read workspace:admin",
        "state": "st-web",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **extra,
    }


async def test_the_web_client_is_made_once_and_follows_the_public_url(db: Database) -> None:
    await ensure_web_client(db, ISSUER)
    await ensure_web_client(db, ISSUER)
    async with db.bare_session() as session:
        assert await session.scalar(select(func.count()).where(OAuthClient.client_id == WEB_CLIENT_ID)) == 1
        row = await session.scalar(select(OAuthClient).where(OAuthClient.client_id == WEB_CLIENT_ID))
        assert row is not None
        assert (row.redirect_uris, row.confidential, row.secret_hash) == (WEB_REDIRECT, False, None)
        assert set(row.grant_types.split()) == {"authorization_code", "refresh_token"}
        row.revoked_at = row.created_at  # revoked by hand: the next start-up puts it back
    await ensure_web_client(db, "https://factures.example.org/")
    async with db.bare_session() as session:
        row = await session.scalar(select(OAuthClient).where(OAuthClient.client_id == WEB_CLIENT_ID))
        assert row is not None
        assert row.redirect_uris == "https://factures.example.org/callback"
        assert row.revoked_at is None


async def test_the_hubs_own_record_is_in_no_directory(db: Database) -> None:
    await ensure_web_client(db, ISSUER)
    page, total = await privileged.directory_page(db, PageRequest(first=100), include_inactive=True, with_count=True)
    assert HUB_RECORD.identifier not in [s.identifier for s in page.items]
    assert HUB_RECORD.identifier not in [s.identifier for s in await privileged.public_structures(db)]


async def test_a_signed_in_member_of_one_workspace_gets_a_code_at_once(
    db: Database, client: httpx.AsyncClient, world: World
) -> None:
    await ensure_web_client(db, ISSUER)
    verifier, challenge = pkce()
    await sign_in(client, world.person.email)
    answer = await client.get("/oauth/authorize", params=web_params(challenge))
    assert answer.status_code == 302, answer.text  # no consent page for the hub's own app
    tokens = await web_token(client, answer.headers["location"], verifier)
    claims = _claims_of(tokens["access_token"])
    assert claims["tid"] == str(world.structure.id)
    assert "refresh_token" in tokens


async def test_the_workspace_parameter_picks_the_workspace_without_asking(
    db: Database, client: httpx.AsyncClient, world: World
) -> None:
    await ensure_web_client(db, ISSUER)
    other = await make_structure(db, name="Structure B")
    await make_member(db, other, world.person, role=Role.UTILISATEUR)
    await sign_in(client, world.person.email)
    verifier, challenge = pkce()
    page = await client.get("/oauth/authorize", params=web_params(challenge))
    assert page.status_code == 200  # two workspaces and none named: the page asks which
    radios = forms_of(page.text)[0].radios["workspace"]
    assert set(radios) == {str(world.structure.id), str(other.id)}
    # A workspace the person is not in is not taken: the page asks.
    stranger = await make_structure(db, name="Not mine")
    page = await client.get("/oauth/authorize", params=web_params(challenge, workspace=stranger.identifier))
    assert page.status_code == 200 and "Not mine" not in page.text
    answer = await client.get("/oauth/authorize", params=web_params(challenge, workspace=other.identifier))
    assert answer.status_code == 302, answer.text
    claims = _claims_of((await web_token(client, answer.headers["location"], verifier))["access_token"])
    assert claims["tid"] == str(other.id)
    assert "workspace:admin" not in claims["scope"].split()  # the role there allows less than asked


async def test_third_party_apps_skip_consent_only_for_a_named_workspace_already_consented(
    db: Database, client: httpx.AsyncClient, world: World
) -> None:
    other = await make_structure(db, name="Structure B")
    await make_member(db, other, world.person)
    app = await make_client(db, world.structure)
    _, challenge = pkce()
    params = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": "http://127.0.0.1/callback",
        "state": "s",
        "scope": "invoices:read",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    await sign_in(client, world.person.email)
    for structure in (world.structure, other):
        asked = {**params, "prompt": "consent"}
        assert (await consent(client, asked, workspace=str(structure.id))).status_code == 303
    # Consented in both: without a name the page asks which one; naming one goes straight through.
    assert (await client.get("/oauth/authorize", params=params)).status_code == 200
    named = await client.get("/oauth/authorize", params={**params, "workspace": other.identifier})
    assert named.status_code == 302 and "code" in query_of(named.headers["location"])
    # Named but not consented (wider scope): the page, with that workspace first and checked.
    wider = await client.get(
        "/oauth/authorize", params={**params, "scope": "invoices:read invoices:submit", "workspace": other.identifier}
    )
    assert wider.status_code == 200
    assert forms_of(wider.text)[0].radios["workspace"][0] == str(other.id)
    assert f'value="{other.id}" checked' in wider.text


async def test_signing_out_from_the_app_ends_the_session_and_leads_back(
    db: Database, client: httpx.AsyncClient, world: World
) -> None:
    await ensure_web_client(db, ISSUER)
    verifier, challenge = pkce()
    await sign_in(client, world.person.email)
    tokens = await web_token(
        client, (await client.get("/oauth/authorize", params=web_params(challenge))).headers["location"], verifier
    )
    csrf = (await client.get("/logout/csrf")).json()["csrf_token"]
    refused = await client.post("/logout", content=urlencode({"csrf_token": "forged" * 5}), headers=FORM)
    assert refused.status_code == 400
    assert (await client.get("/oauth/authorize", params=web_params(challenge))).status_code == 302  # still in
    revoked = await client.post(
        "/oauth/revoke",
        data={"token": tokens["refresh_token"], "token_type_hint": "refresh_token", "client_id": WEB_CLIENT_ID},
    )
    assert revoked.status_code == 200
    next_url = "/oauth/authorize?" + urlencode(web_params(challenge))
    out = await client.post("/logout", content=urlencode({"csrf_token": csrf, "next": next_url}), headers=FORM)
    assert out.status_code == 303
    assert out.headers["location"] == "/login?" + urlencode({"next": next_url})
    again = await client.get("/oauth/authorize", params=web_params(challenge))
    assert again.status_code == 303 and again.headers["location"].startswith("/login?")
    refreshed = await client.post(
        "/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": WEB_CLIENT_ID},
    )
    assert refreshed.status_code == 400


async def test_logout_never_leads_elsewhere(db: Database, client: httpx.AsyncClient, world: World) -> None:
    await sign_in(client, world.person.email)
    csrf = (await client.get("/logout/csrf")).json()["csrf_token"]
    out = await client.post(
        "/logout", content=urlencode({"csrf_token": csrf, "next": "https://evil.example/"}), headers=FORM
    )
    assert out.status_code == 303 and out.headers["location"] == "/login"
