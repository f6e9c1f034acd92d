"""Introspection (RFC 7662), revocation (RFC 7009), metadata (RFC 8414), JWKS rotation, sessions and CSRF."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import httpx
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata
from authlib.oauth2.rfc9207 import AuthorizationServerMetadata as IssMetadata
from starlette.applications import Starlette

from auth.sessions import cookies_secure
from tenancy.db import Database
from tests.auth.conftest import World
from tests.auth.flows import (
    FORM,
    authorize_params,
    code_for,
    forms_of,
    make_client,
    pkce,
    redeem,
    refresh,
    sign_in,
)
from tests.factories import make_structure


def _basic(client_id: str, secret: str | None) -> httpx.BasicAuth:
    return httpx.BasicAuth(client_id, secret or "")


async def _machine_token(client: httpx.AsyncClient, client_id: str, secret: str | None) -> str:
    issued = await client.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=_basic(client_id, secret)
    )
    token: str = issued.json()["access_token"]
    return token


async def test_introspection_for_confidential_clients_of_the_same_workspace(
    client: httpx.AsyncClient, world: World, db: Database
) -> None:
    token = await _machine_token(client, world.machine.client_id, world.machine.secret)
    mine = await client.post(
        "/oauth/introspect", data={"token": token}, auth=_basic(world.confidential.client_id, world.confidential.secret)
    )
    assert mine.status_code == 200 and mine.headers["cache-control"] == "no-store"
    body = mine.json()
    assert body["active"] is True and body["client_id"] == world.machine.client_id
    assert body["tid"] == str(world.structure.id) and body["sub"] == f"client:{world.machine.client_id}"
    # Another workspace's client learns nothing about this token.
    elsewhere = await make_structure(db)
    stranger = await make_client(
        db, elsewhere, confidential=True, grant_types=("client_credentials",), redirect_uris=()
    )
    foreign = await client.post(
        "/oauth/introspect", data={"token": token}, auth=_basic(stranger.client_id, stranger.secret)
    )
    assert foreign.json() == {"active": False}
    garbage = await client.post(
        "/oauth/introspect", data={"token": "abc.def.ghi"}, auth=_basic(world.machine.client_id, world.machine.secret)
    )
    assert garbage.json() == {"active": False}
    # Public clients may not introspect.
    public = await client.post("/oauth/introspect", data={"token": token, "client_id": world.public.client_id})
    assert public.status_code == 401 and public.json()["error"] == "invalid_client"


async def test_refresh_token_introspection_and_revocation(client: httpx.AsyncClient, world: World) -> None:
    code, verifier = await code_for(client, world.person.email, world.public.client_id)
    tokens = (await redeem(client, world.public.client_id, code, verifier)).json()
    machine = _basic(world.machine.client_id, world.machine.secret)
    before = (await client.post("/oauth/introspect", data={"token": tokens["refresh_token"]}, auth=machine)).json()
    assert before["active"] is True and before["token_type"] == "refresh_token"
    # Revoking another client's token is refused; the owner (a public client, by client_id) may.
    other = await client.post(
        "/oauth/revoke",
        data={"token": tokens["refresh_token"]},
        auth=_basic(world.confidential.client_id, world.confidential.secret),
    )
    assert other.status_code == 400
    own = await client.post(
        "/oauth/revoke", data={"token": tokens["refresh_token"], "client_id": world.public.client_id}
    )
    assert own.status_code == 200
    after = (await client.post("/oauth/introspect", data={"token": tokens["refresh_token"]}, auth=machine)).json()
    assert after == {"active": False}
    assert (await refresh(client, world.public.client_id, tokens["refresh_token"])).json()["error"] == "invalid_grant"
    unknown = await client.post("/oauth/revoke", data={"token": "never-issued", "client_id": world.public.client_id})
    assert unknown.status_code == 200  # RFC 7009 §2.2: an unknown token is not an error


async def test_metadata_is_valid_rfc8414(client: httpx.AsyncClient, app: Starlette) -> None:
    document = (await client.get("/.well-known/oauth-authorization-server")).json()
    metadata = AuthorizationServerMetadata(document)
    metadata.validate(metadata_classes=[IssMetadata])
    assert document["issuer"] == app.state.settings.issuer
    assert document["jwks_uri"].endswith("/.well-known/jwks.json")


async def test_a_new_key_is_published_before_it_signs(client: httpx.AsyncClient, app: Starlette, world: World) -> None:
    signing_kid, _ = app.state.keyring.signing_key()
    new_kid = await app.state.keyring.rotate(publish_ahead=timedelta(hours=1))
    published = {k["kid"] for k in (await client.get("/.well-known/jwks.json")).json()["keys"]}
    assert {signing_kid, new_kid} <= published
    token = await _machine_token(client, world.machine.client_id, world.machine.secret)
    import base64
    import json

    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header["kid"] == signing_kid and header["typ"] == "at+jwt"


async def test_session_cookie_flags_and_sign_out(client: httpx.AsyncClient, world: World) -> None:
    signed_in = await sign_in(client, world.person.email)
    cookie = next(
        v for k, v in signed_in.headers.multi_items() if k == "set-cookie" and v.startswith("facturehub_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie  # http on loopback (dev)
    assert cookies_secure("https://hub.example.org") and not cookies_secure("http://127.0.0.1:8000")
    params = authorize_params(world.public.client_id, pkce()[1])
    assert (await client.get("/oauth/authorize", params=params)).status_code == 200  # consent page: signed in
    stolen = client.cookies["facturehub_session"]
    page = await client.get("/login")
    csrf = dict(forms_of(page.text)[0].fields)["csrf_token"]
    out = await client.post("/logout", content=urlencode({"csrf_token": csrf}), headers=FORM)
    assert out.status_code == 303
    # Replaying the old cookie does not help: the session ended on the server, not only in the browser.
    client.cookies.set("facturehub_session", stolen, domain="127.0.0.1")
    assert (await client.get("/oauth/authorize", params=params)).headers["location"].startswith("/login?")


async def test_forms_without_the_csrf_token_are_refused(client: httpx.AsyncClient, world: World) -> None:
    await client.get("/login")
    forged_login = await client.post(
        "/login", content=urlencode({"email": world.person.email, "password": "x" * 20}), headers=FORM
    )
    assert forged_login.status_code == 400 and "facturehub_session" not in forged_login.cookies
    await sign_in(client, world.person.email)
    forged = [
        *authorize_params(world.public.client_id, pkce()[1]).items(),
        ("workspace", str(world.structure.id)),
        ("decision", "approve"),
    ]
    answer = await client.post("/oauth/authorize", content=urlencode(forged), headers=FORM)
    assert answer.status_code == 400 and "location" not in answer.headers


async def test_an_http_issuer_off_loopback_is_refused_with_a_reason(db: Database, database_url: str) -> None:
    from api.app import create_app
    from api.settings import Settings

    app = create_app(Settings(database_url=database_url, public_url="http://hub.example.org"), db=db)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.example.org") as http:
            answer = await http.post("/oauth/token", data={"grant_type": "client_credentials"})
    assert answer.status_code == 503 and answer.json()["error"] == "insecure_transport"
