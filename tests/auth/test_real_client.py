"""A third-party app, unchanged: authlib's own httpx OAuth2Client against a running `facturehub serve`.

Real HTTP on 127.0.0.1: the browser part (login form, consent form) is driven with httpx, and the
redirect lands on a loopback listener the test starts, as a native app would (RFC 8252).
"""

from __future__ import annotations

import asyncio
import os
import threading
import warnings
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from authlib.deprecate import AuthlibDeprecationWarning

from tenancy.db import Database
from tests.auth.flows import PASSWORD, forms_of, make_client, make_person, query_of
from tests.factories import make_member, make_structure
from tests.live import free_port, serving

with warnings.catch_warnings():
    # authlib prefers httpx2 and warns once, at import, when it falls back to httpx (which we use).
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.httpx_client import OAuth2Client, OAuthError


@pytest.fixture
def hub(db: Database, database_url: str, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "FACTUREHUB_DATABASE_URL": database_url, "FACTUREHUB_PUBLIC_URL": base}
    with serving(env, tmp_path / "serve.log", port):
        yield base


class _Callback(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.received.append(self.path)  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"you may close this window")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def loopback() -> Iterator[HTTPServer]:
    server = HTTPServer(("127.0.0.1", 0), _Callback)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _browser_approves(base: str, authorization_url: str, email: str) -> str:
    """What a person does in the browser: sign in, pick the workspace, approve; the callback URL reached."""
    with httpx.Client(timeout=10) as browser:
        to_login = browser.get(authorization_url)
        assert to_login.status_code == 303 and to_login.headers["location"].startswith("/login?")
        login_page = browser.get(base + to_login.headers["location"])
        fields = dict(forms_of(login_page.text)[0].fields)
        fields.update(email=email, password=PASSWORD)
        signed_in = browser.post(base + "/login", content=urlencode(fields), headers=_FORM)
        assert signed_in.status_code == 303, signed_in.text
        consent_page = browser.get(base + signed_in.headers["location"])
        assert consent_page.status_code == 200, consent_page.text
        form = next(f for f in forms_of(consent_page.text) if f.action == "/oauth/authorize")
        choice = [*form.fields, ("workspace", form.radios["workspace"][0]), ("decision", "approve")]
        approved = browser.post(base + "/oauth/authorize", content=urlencode(choice), headers=_FORM)
        assert approved.status_code == 303, approved.text
        callback = approved.headers["location"]
        assert browser.get(callback).status_code == 200  # the app's loopback listener answers
        return callback


_FORM = {"Content-Type": "application/x-www-form-urlencoded"}
QUERY = {"query": "{ workspace { name } viewer { clientId scopes } }"}


def _code_flow(base: str, client_id: str, email: str, redirect_uri: str) -> dict[str, Any]:
    with OAuth2Client(
        client_id=client_id,
        redirect_uri=redirect_uri,
        scope="invoices:read workspace:admin",
        code_challenge_method="S256",
        timeout=10,
    ) as app:
        verifier = os.urandom(32).hex()
        url, state = app.create_authorization_url(f"{base}/oauth/authorize", code_verifier=verifier)
        callback = _browser_approves(base, url, email)
        assert query_of(callback)["iss"] == base
        token = app.fetch_token(
            f"{base}/oauth/token", authorization_response=callback, state=state, code_verifier=verifier
        )
        assert token["token_type"] == "Bearer" and token["expires_in"] <= 900
        first_call = app.post(f"{base}/graphql", json=QUERY).json()
        refreshed = app.refresh_token(f"{base}/oauth/token")
        rotated = refreshed["refresh_token"] != token["refresh_token"]
        second_call = app.post(f"{base}/graphql", json=QUERY).json()
        revoked = app.revoke_token(
            f"{base}/oauth/revoke", token=refreshed["refresh_token"], token_type_hint="refresh_token"
        )
        try:
            app.refresh_token(f"{base}/oauth/token", refresh_token=refreshed["refresh_token"])
            after_revoke = "accepted"
        except OAuthError as error:
            after_revoke = error.error
        return {
            "first": first_call,
            "second": second_call,
            "rotated": rotated,
            "revoked_status": revoked.status_code,
            "after_revoke": after_revoke,
            "scope": token["scope"],
        }


def _client_credentials(base: str, client_id: str, secret: str) -> dict[str, Any]:
    with OAuth2Client(client_id=client_id, client_secret=secret, scope="invoices:read", timeout=10) as app:
        token = app.fetch_token(f"{base}/oauth/token", grant_type="client_credentials")
        assert "refresh_token" not in token
        return {"token": dict(token), "call": app.post(f"{base}/graphql", json=QUERY).json()}


async def test_third_party_app_does_the_code_flow_with_pkce(hub: str, loopback: HTTPServer, db: Database) -> None:
    structure = await make_structure(db, name="Atelier réel")
    person = await make_person(db)
    await make_member(db, structure, person)
    registered = await make_client(db, structure, redirect_uris=("http://127.0.0.1/callback",))
    redirect_uri = f"http://127.0.0.1:{loopback.server_port}/callback"

    result = await asyncio.to_thread(_code_flow, hub, registered.client_id, person.email, redirect_uri)

    assert loopback.received and loopback.received[0].startswith("/callback?code=")  # type: ignore[attr-defined]
    assert result["scope"] == "invoices:read workspace:admin"
    for call in (result["first"], result["second"]):
        assert call["data"]["workspace"]["name"] == "Atelier réel"
        assert call["data"]["viewer"]["clientId"] == registered.client_id
    assert result["rotated"] is True
    assert result["revoked_status"] == 200
    assert result["after_revoke"] == "invalid_grant"


async def test_third_party_app_does_client_credentials(hub: str, db: Database) -> None:
    structure = await make_structure(db, name="Fournisseur technique")
    machine = await make_client(
        db, structure, confidential=True, grant_types=("client_credentials",), redirect_uris=(), name="ERP"
    )
    assert machine.secret is not None

    result = await asyncio.to_thread(_client_credentials, hub, machine.client_id, machine.secret)

    assert result["token"]["scope"] == "invoices:read"
    assert result["call"]["data"]["workspace"]["name"] == "Fournisseur technique"
    assert result["call"]["data"]["viewer"]["scopes"] == ["invoices:read"]
