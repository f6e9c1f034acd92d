"""Rows O01-O17 of the security checklist (shared/reference/security-checklist.md), one test (or one
parametrised test) per row, over HTTP against the in-process app."""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import httpx
import pytest
from joserfc import jwt
from starlette.applications import Starlette

from auth.clients import check_redirect_uri, redirect_uri_matches
from auth.oauth_models import OAuthClient
from auth.sessions import CSRF_COOKIE, CSRF_FIELD
from auth.tokens import TokenSettings, issue_access_token
from tenancy.db import Database
from tenancy.errors import DomainError
from tests.auth.conftest import HTTPS_REDIRECT, World, app_with
from tests.auth.flows import (
    FORM,
    PASSWORD,
    REDIRECT,
    authorize_params,
    code_for,
    consent,
    forms_of,
    make_person,
    pkce,
    query_of,
    redeem,
    refresh,
    sign_in,
)
from tests.factories import gql, token_for

WORKSPACE = "{ workspace { name } }"


def _basic(client_id: str, secret: str | None) -> httpx.BasicAuth:
    return httpx.BasicAuth(client_id, secret or "")


# --- O01: PKCE S256 required for every client ----------------------------------------------------


@pytest.mark.parametrize("which", ["public", "confidential"])
@pytest.mark.parametrize(
    "pkce_params",
    [
        {},
        {"code_challenge_method": "S256"},
        {"code_challenge": "x" * 43},
        {"code_challenge": "x" * 43, "code_challenge_method": "plain"},
        {"code_challenge": "x" * 43, "code_challenge_method": "s256"},
    ],
    ids=["none", "method-only", "challenge-without-method", "plain", "lowercase"],
)
async def test_o01_authorization_request_needs_a_s256_challenge(
    client: httpx.AsyncClient, world: World, which: str, pkce_params: dict[str, str]
) -> None:
    registered = world.public if which == "public" else world.confidential
    params = authorize_params(registered.client_id, None, **pkce_params)
    answer = await client.get("/oauth/authorize", params=params)
    assert answer.status_code == 302
    query = query_of(answer.headers["location"])
    assert query["error"] == "invalid_request"
    assert query["state"] == "st-123"
    assert "code" not in query
    metadata = (await client.get("/.well-known/oauth-authorization-server")).json()
    assert metadata["code_challenge_methods_supported"] == ["S256"]


# --- O02: the verifier must match ------------------------------------------------------------------


async def test_o02_wrong_or_missing_verifier_is_refused(client: httpx.AsyncClient, world: World) -> None:
    code, verifier = await code_for(client, world.person.email, world.public.client_id)
    wrong = await redeem(client, world.public.client_id, code, pkce()[0])
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    missing = await redeem(client, world.public.client_id, code, None)
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    # A refused redemption does not burn the code: the holder of the verifier still gets its tokens.
    right = await redeem(client, world.public.client_id, code, verifier)
    assert right.status_code == 200, right.text


async def test_o02_confidential_clients_need_the_verifier_too(client: httpx.AsyncClient, world: World) -> None:
    code, _ = await code_for(client, world.person.email, world.confidential.client_id)
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    answer = await client.post(
        "/oauth/token", data=data, auth=_basic(world.confidential.client_id, world.confidential.secret)
    )
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request"


# --- O03: redirect URIs match exactly; an unvalidated one is never redirected to --------------------

BAD_REDIRECTS = [
    HTTPS_REDIRECT + "/",
    HTTPS_REDIRECT + "/extra",
    HTTPS_REDIRECT + "?x=1",
    HTTPS_REDIRECT + "#fragment",
    "https://app.example.com@evil.example/cb",
    "https://app.example.com.evil.example/cb",
    "https://app.example.com:8443/cb",
    "http://app.example.com/cb",
    "https://APP.example.com/cb",
    "https://app.example.com/CB",
    "https://app.example.com/cb/%2e%2e/admin",
    "https://app.example.com/%2e%2e/cb",
    "https://evil.example/cb",
    "http://127.0.0.1/callback/",
    "http://127.0.0.1:8080/other",
    "http://127.0.0.1:8080/callback?x=1",
    "http://localhost/callback",
    "http://[::1]/callback",
    "http://127.0.0.1@evil.example/callback",
    "javascript:alert(1)",
    "",
    # RFC 8252 loopback: any port, but a port (1-65535, plain digits); a malformed one matches nothing.
    "http://127.0.0.1:99999/callback",
    "http://127.0.0.1:65536/callback",
    "http://127.0.0.1:0/callback",
    "http://127.0.0.1:08080/callback",
    "http://127.0.0.1:/callback",
    "http://127.0.0.1:-1/callback",
    "http://127.0.0.1:80a/callback",
    "http://127.0.0.1:123456/callback",
    "http://127.0.0.1:8080:8080/callback",
]


@pytest.mark.parametrize("redirect_uri", BAD_REDIRECTS)
async def test_o03_unregistered_redirect_uri_gets_an_error_page_and_no_location(
    client: httpx.AsyncClient, world: World, redirect_uri: str
) -> None:
    params = authorize_params(world.public.client_id, pkce()[1], redirect_uri=redirect_uri)
    answer = await client.get("/oauth/authorize", params=params)
    assert answer.status_code == 400
    assert "location" not in answer.headers
    assert answer.headers["content-type"].startswith("text/html")


# Values authlib cannot put in an error description (RFC 6749 allows %x20-21 / %x23-5B / %x5D-7E only):
# they must get the same page as any other unregistered redirect, not a 500.
HOSTILE_REDIRECTS = [
    "https://evil.example/cb\\x",
    'https://evil.example/cb"x',
    "https://évil.example/cb",
    "https://evil.example/cb\u202e",
    "https://evil.example/\u0000",
    "https://evil.example/cb\r\nSet-Cookie: x=1",
    "https://evil.example/cb\t",
    "https://evil.example/" + "a" * 3000,
    "http://127.0.0.1:8080/callback\\",
    'http://127.0.0.1:8080/callback"',
    "http://127.0.0.1:8080/callbäck",
]


def _without_language_links(page: str) -> str:
    return re.sub(r'class="lang" href="[^"]*"', 'class="lang"', page)


@pytest.mark.parametrize("redirect_uri", HOSTILE_REDIRECTS, ids=lambda uri: ascii(uri)[:60])
async def test_o03_hostile_redirect_uri_gets_the_same_error_page(
    client: httpx.AsyncClient, world: World, redirect_uri: str
) -> None:
    plain = await client.get(
        "/oauth/authorize",
        params=authorize_params(world.public.client_id, pkce()[1], redirect_uri="https://evil.example/cb"),
    )
    params = authorize_params(world.public.client_id, pkce()[1], redirect_uri=redirect_uri)
    answer = await client.get("/oauth/authorize", params=params)
    assert answer.status_code == 400
    assert "location" not in answer.headers
    # The URI is not echoed: one page for every unregistered redirect (but for the language switch's links,
    # which repeat the request's own query, HTML-escaped, so that switching keeps the request).
    assert _without_language_links(answer.text) == _without_language_links(plain.text)
    assert "not registered" in answer.text
    # Signed in, and through the consent form's POST, the answer is the same.
    await sign_in(client, world.person.email)
    again = await client.get("/oauth/authorize", params=params)
    assert again.status_code == 400 and _without_language_links(again.text) == _without_language_links(plain.text)
    csrf = client.cookies[CSRF_COOKIE]
    fields = [*params.items(), (CSRF_FIELD, csrf), ("workspace", str(world.structure.id)), ("decision", "approve")]
    posted = await client.post("/oauth/authorize", content=urlencode(fields), headers=FORM)
    assert posted.status_code == 400 and "location" not in posted.headers
    assert _without_language_links(posted.text) == _without_language_links(plain.text)


@pytest.mark.parametrize("response_type", ['token"', "code\\", "cödé", "code\r\nX: y"])
async def test_o04_hostile_response_type_gets_an_error_page(
    client: httpx.AsyncClient, world: World, response_type: str
) -> None:
    params = authorize_params(world.public.client_id, pkce()[1], response_type=response_type)
    answer = await client.get("/oauth/authorize", params=params)
    assert answer.status_code == 400 and "location" not in answer.headers
    assert "unsupported_response_type" in answer.text


async def test_o03_unknown_client_gets_an_error_page(client: httpx.AsyncClient, world: World) -> None:
    answer = await client.get("/oauth/authorize", params=authorize_params("no-such-client", pkce()[1]))
    assert answer.status_code == 400 and "location" not in answer.headers


async def test_o03_any_port_on_a_registered_loopback_uri_is_accepted(client: httpx.AsyncClient, world: World) -> None:
    verifier, challenge = pkce()
    loopback = "http://127.0.0.1:53117/callback"
    await sign_in(client, world.person.email)
    answer = await consent(client, authorize_params(world.public.client_id, challenge, redirect_uri=loopback))
    assert answer.status_code == 303
    assert answer.headers["location"].startswith(loopback + "?")
    code = query_of(answer.headers["location"])["code"]
    # The token request must repeat the same URI, port included.
    other_port = await redeem(
        client, world.public.client_id, code, verifier, redirect_uri="http://127.0.0.1:1/callback"
    )
    assert other_port.json()["error"] == "invalid_grant"


def test_o03_loopback_ports_are_1_to_65535() -> None:
    for registered, host in (("http://127.0.0.1/callback", "127.0.0.1"), ("http://[::1]:8000/callback", "[::1]")):
        for port in ("1", "8080", "65535"):
            assert redirect_uri_matches([registered], f"http://{host}:{port}/callback")
        for port in ("0", "65536", "99999", "00080", "", "+80", " 80", "80\n", "８０"):
            assert not redirect_uri_matches([registered], f"http://{host}:{port}/callback"), port
    # A registered URI with a bad port is refused at registration, so it can never be matched against.
    for bad in (
        "http://127.0.0.1:0/cb",
        "http://127.0.0.1:99999/cb",
        "http://[::1]:65536/cb",
        "http://127.0.0.1:080/cb",
    ):
        with pytest.raises(DomainError):
            check_redirect_uri(("redirectUris", "0"), bad)


# --- O04: no implicit grant, no password grant ---------------------------------------------------


async def test_o04_implicit_is_shown_not_redirected(client: httpx.AsyncClient, world: World) -> None:
    params = authorize_params(world.public.client_id, pkce()[1], response_type="token")
    answer = await client.get("/oauth/authorize", params=params)
    assert answer.status_code == 400 and "location" not in answer.headers
    assert "unsupported_response_type" in answer.text


async def test_o04_password_grant_is_unsupported(client: httpx.AsyncClient, world: World) -> None:
    data = {"grant_type": "password", "username": world.person.email, "password": PASSWORD}
    answer = await client.post(
        "/oauth/token", data=data, auth=_basic(world.confidential.client_id, world.confidential.secret)
    )
    assert answer.status_code == 400 and answer.json()["error"] == "unsupported_grant_type"
    metadata = (await client.get("/.well-known/oauth-authorization-server")).json()
    assert "password" not in metadata["grant_types_supported"] and metadata["response_types_supported"] == ["code"]


# --- O05: codes are single-use, bound to their client, short-lived -----------------------------------


async def test_o05_replayed_code_is_refused_and_revokes_what_it_issued(client: httpx.AsyncClient, world: World) -> None:
    code, verifier = await code_for(client, world.person.email, world.public.client_id)
    first = await redeem(client, world.public.client_id, code, verifier)
    assert first.status_code == 200
    replay = await redeem(client, world.public.client_id, code, verifier)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    issued = await refresh(client, world.public.client_id, first.json()["refresh_token"])
    assert issued.status_code == 400 and issued.json()["error"] == "invalid_grant"


async def test_o05_code_of_one_client_is_refused_to_another(
    client: httpx.AsyncClient, world: World, db: Database
) -> None:
    from tests.auth.flows import make_client

    other = await make_client(db, world.structure)
    code, verifier = await code_for(client, world.person.email, world.public.client_id)
    stolen = await redeem(client, other.client_id, code, verifier)
    assert stolen.status_code == 400 and stolen.json()["error"] == "invalid_grant"


async def test_o05_code_expires(client: httpx.AsyncClient, app: Starlette, world: World) -> None:
    code, verifier = await code_for(client, world.person.email, world.public.client_id)
    later = datetime.now(UTC) + timedelta(minutes=10, seconds=1)
    app.state.oauth.clock = lambda: later
    late = await redeem(client, world.public.client_id, code, verifier)
    assert late.status_code == 400 and late.json()["error"] == "invalid_grant"


# --- O06: refresh tokens rotate; reuse revokes the family --------------------------------------------


async def test_o06_refresh_reuse_revokes_the_whole_family(client: httpx.AsyncClient, world: World) -> None:
    code, verifier = await code_for(client, world.person.email, world.public.client_id)
    first = (await redeem(client, world.public.client_id, code, verifier)).json()
    rotated = await refresh(client, world.public.client_id, first["refresh_token"])
    assert rotated.status_code == 200
    second = rotated.json()
    assert second["refresh_token"] != first["refresh_token"]
    reuse = await refresh(client, world.public.client_id, first["refresh_token"])
    assert reuse.status_code == 400 and reuse.json()["error"] == "invalid_grant"
    after = await refresh(client, world.public.client_id, second["refresh_token"])
    assert after.status_code == 400 and after.json()["error"] == "invalid_grant"


# --- O07: a refresh cannot widen the scope ---------------------------------------------------------


async def test_o07_refresh_with_wider_scope_is_refused(client: httpx.AsyncClient, world: World) -> None:
    code, verifier = await code_for(client, world.person.email, world.public.client_id, scope="invoices:read")
    first = (await redeem(client, world.public.client_id, code, verifier)).json()
    assert first["scope"] == "invoices:read"
    wider = await refresh(client, world.public.client_id, first["refresh_token"], scope="invoices:read workspace:admin")
    assert wider.status_code == 400 and wider.json()["error"] == "invalid_scope"
    same = await refresh(client, world.public.client_id, first["refresh_token"], scope="invoices:read")
    assert same.status_code == 200 and same.json()["scope"] == "invoices:read"


# --- O08: expired, foreign-audience and unsigned tokens are refused --------------------------------


async def test_o08_expired_foreign_and_unsigned_tokens_get_401(
    client: httpx.AsyncClient, app: Starlette, world: World
) -> None:
    expired = token_for(app, world.structure, world.person, ttl_s=-120)
    kid, key = app.state.keyring.signing_key()
    now = int(time.time())
    claims = {
        "iss": app.state.settings.issuer,
        "aud": "https://other-resource.example/graphql",
        "sub": f"user:{world.person.id}",
        "client_id": "x",
        "scope": "invoices:read",
        "jti": secrets.token_hex(8),
        "iat": now,
        "exp": now + 300,
        "tid": str(world.structure.id),
    }
    foreign = jwt.encode({"alg": "ES256", "kid": kid, "typ": "at+jwt"}, claims, key)
    import base64
    import json

    def b64(value: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    unsigned = (
        f"{b64({'alg': 'none', 'typ': 'at+jwt', 'kid': kid})}.{b64({**claims, 'aud': app.state.settings.audience})}."
    )
    for token in (expired, foreign, unsigned):
        answer = await gql(client, token, WORKSPACE)
        assert answer.status_code == 401
        assert 'error="invalid_token"' in answer.headers["www-authenticate"]
    # Tokens from the token endpoint are short-lived.
    issued = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=_basic(world.machine.client_id, world.machine.secret),
    )
    assert 0 < issued.json()["expires_in"] <= 900


async def test_o08_a_rejected_token_says_which_claim_failed(
    client: httpx.AsyncClient, app: Starlette, world: World
) -> None:
    settings = app.state.settings
    hub = TokenSettings(issuer=settings.issuer, audience=settings.audience)
    other_port = TokenSettings(issuer="http://127.0.0.1:8001", audience="http://127.0.0.1:8001/graphql")
    wrong_aud = TokenSettings(issuer=settings.issuer, audience="http://127.0.0.1:8001/graphql")

    def minted(token_settings: TokenSettings, ttl_s: int = 300) -> str:
        return issue_access_token(
            app.state.keyring,
            token_settings,
            subject=f"user:{world.person.id}",
            client_id="x",
            tenant_id=world.structure.id,
            scopes=["invoices:read"],
            role=None,
            ttl_s=ttl_s,
        )

    kid, key = app.state.keyring.signing_key()
    now = int(time.time())
    no_tid = jwt.encode(
        {"alg": "ES256", "kid": kid, "typ": "at+jwt"},
        {
            "iss": settings.issuer,
            "aud": settings.audience,
            "sub": "client:x",
            "client_id": "x",
            "jti": "j",
            "exp": now + 60,
        },
        key,
    )
    good = minted(hub)
    header, payload, signature = good.split(".")
    forged = f"{header}.{payload}.{signature[:-4]}{'AAAA' if not signature.endswith('AAAA') else 'BBBB'}"
    expected = {
        minted(other_port): f"the iss claim is not this hub's issuer, {settings.issuer}",
        minted(wrong_aud): f"the aud claim is not this hub's API, {settings.audience}",
        minted(hub, ttl_s=-120): "the token has expired (exp)",
        no_tid: "missing claim: tid",
        forged: "bad signature",
    }
    for token, description in expected.items():
        answer = await gql(client, token, WORKSPACE)
        assert answer.status_code == 401
        challenge = answer.headers["www-authenticate"]
        assert challenge == f'Bearer realm="facturehub", error="invalid_token", error_description="{description}"'
        assert answer.json()["errors"][0]["message"] == description
    assert (await gql(client, good, WORKSPACE)).status_code == 200


# --- O09: scopes and workspace come from the token only --------------------------------------------


async def test_o09_read_token_cannot_mutate_and_headers_cannot_switch_workspace(
    client: httpx.AsyncClient, world: World, second_structure: object
) -> None:
    issued = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "invoices:read"},
        auth=_basic(world.machine.client_id, world.machine.secret),
    )
    token = issued.json()["access_token"]
    mutation = 'mutation { updateWorkspace(input: {email: "evil@example.test"}) { userErrors { message } } }'
    refused = (await gql(client, token, mutation)).json()
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    structure_b = second_structure
    answer = await gql(
        client, token, WORKSPACE, **{"X-Tenant": str(structure_b.id), "X-Workspace": str(structure_b.id)}
    )  # type: ignore[attr-defined]
    assert answer.json()["data"]["workspace"]["name"] == "Atelier A"


# --- O10: tokens only in the Authorization header --------------------------------------------------


async def test_o10_token_in_query_string_or_body_is_ignored(
    client: httpx.AsyncClient, app: Starlette, world: World
) -> None:
    token = token_for(app, world.structure, world.person)
    in_query = await client.post(f"/graphql?access_token={token}", json={"query": WORKSPACE})
    assert in_query.status_code == 401
    in_body = await client.post("/graphql", json={"query": WORKSPACE, "access_token": token})
    assert in_body.status_code == 401
    in_form = await client.post(
        "/graphql", content=urlencode({"access_token": token, "query": WORKSPACE}), headers=FORM
    )
    assert in_form.status_code == 401


# --- O11: client authentication ------------------------------------------------------------------


async def test_o11_client_authentication_failures_are_invalid_client(
    client: httpx.AsyncClient, world: World, db: Database
) -> None:
    cc = {"grant_type": "client_credentials"}
    wrong = await client.post("/oauth/token", data=cc, auth=_basic(world.machine.client_id, "not-the-secret"))
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    public_cc = await client.post("/oauth/token", data={**cc, "client_id": world.public.client_id})
    assert public_cc.status_code in (400, 401) and public_cc.json()["error"] == "invalid_client"
    code, verifier = await code_for(client, world.person.email, world.confidential.client_id)
    no_secret = await redeem(client, world.confidential.client_id, code, verifier)
    assert no_secret.status_code in (400, 401) and no_secret.json()["error"] == "invalid_client"
    async with db.bare_session() as session:
        row = await session.get(OAuthClient, world.machine.pk)
    assert row is not None and world.machine.secret is not None
    assert row.secret_hash == hashlib.sha256(world.machine.secret.encode()).hexdigest()
    assert world.machine.secret not in (row.secret_hash or "")


# --- O12: the issuer is named in every authorization response -----------------------------------------


async def test_o12_iss_in_authorization_responses_and_metadata(
    client: httpx.AsyncClient, app: Starlette, world: World
) -> None:
    issuer = app.state.settings.issuer
    await sign_in(client, world.person.email)
    approved = await consent(client, authorize_params(world.public.client_id, pkce()[1]))
    assert query_of(approved.headers["location"])["iss"] == issuer
    asked_again = authorize_params(world.public.client_id, pkce()[1], prompt="consent")
    denied = await consent(client, asked_again, decision="deny")
    denied_query = query_of(denied.headers["location"])
    assert denied_query["error"] == "access_denied" and denied_query["iss"] == issuer
    error = await client.get("/oauth/authorize", params=authorize_params(world.public.client_id, None))
    assert query_of(error.headers["location"])["iss"] == issuer
    metadata = (await client.get("/.well-known/oauth-authorization-server")).json()
    assert metadata["authorization_response_iss_parameter_supported"] is True
    assert metadata["issuer"] == issuer


# --- O13: no open redirector ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/oauth/authorize?x",
        "/\\evil.example",
        "/graphql",
        "javascript:alert(1)",
        "/oauth/authorize?\r\nLocation: https://evil.example",
    ],  # fmt: skip
)
async def test_o13_sign_in_only_returns_to_the_authorization_endpoint(
    client: httpx.AsyncClient, world: World, target: str
) -> None:
    answer = await sign_in(client, world.person.email, next_url=target)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    again = await client.get("/login", params={"next": target})
    assert "location" not in again.headers


# --- O14 / O15: login and consent pages -----------------------------------------------------------


async def _pages(client: httpx.AsyncClient, world: World) -> list[httpx.Response]:
    params = authorize_params(world.public.client_id, pkce()[1])
    login = await client.get("/login", params={"next": "/oauth/authorize?" + urlencode(params)})
    await sign_in(client, world.person.email)
    consent_page = await client.get("/oauth/authorize", params=params)
    assert consent_page.status_code == 200 and forms_of(consent_page.text)
    error_page = await client.get("/oauth/authorize", params={"client_id": "nobody"})
    return [login, consent_page, error_page]


async def test_o14_pages_send_no_referrer_and_load_nothing_from_elsewhere(
    client: httpx.AsyncClient, world: World
) -> None:
    for page in await _pages(client, world):
        assert page.headers["referrer-policy"] == "no-referrer"
        assert "src=" not in page.text and "<script" not in page.text and "<link" not in page.text
    await sign_in(client, world.person.email)
    redirect = await consent(client, authorize_params(world.public.client_id, pkce()[1]))
    assert redirect.headers["referrer-policy"] == "no-referrer"


async def test_o15_pages_cannot_be_framed_and_credential_posts_answer_303(
    client: httpx.AsyncClient, world: World
) -> None:
    for page in await _pages(client, world):
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY"
    signed_in = await sign_in(client, world.person.email)
    assert signed_in.status_code == 303
    approved = await consent(client, authorize_params(world.public.client_id, pkce()[1]))
    assert approved.status_code == 303


# --- O16: no CORS on the authorization endpoint; token responses are not cached ---------------------


async def test_o16_no_cors_and_no_caching_of_tokens(client: httpx.AsyncClient, world: World) -> None:
    origin = {"Origin": "https://evil.example"}
    page = await client.get(
        "/oauth/authorize", params=authorize_params(world.public.client_id, pkce()[1]), headers=origin
    )
    assert "access-control-allow-origin" not in page.headers
    preflight = await client.options("/oauth/authorize", headers={**origin, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers
    good = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=_basic(world.machine.client_id, world.machine.secret),
    )
    bad = await client.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=_basic(world.machine.client_id, "x")
    )
    for answer in (good, bad):
        assert answer.headers["cache-control"] == "no-store"
        assert answer.headers["pragma"] == "no-cache"
        assert "access-control-allow-origin" not in answer.headers


# --- O17: guessing is slowed down --------------------------------------------------------------------


async def test_o17_token_endpoint_brute_force_gets_429(db: Database, database_url: str, world: World) -> None:
    async for http in app_with(db, database_url, token_requests_per_minute_per_client=20):
        statuses = []
        for _ in range(30):
            answer = await http.post(
                "/oauth/token", data={"grant_type": "client_credentials"}, auth=_basic(world.machine.client_id, "guess")
            )
            statuses.append(answer.status_code)
        assert statuses[:20] == [401] * 20
        assert set(statuses[20:]) == {429}
        assert answer.headers["retry-after"] == "60"


async def test_o17_token_endpoint_limits_each_address(db: Database, database_url: str, world: World) -> None:
    async for http in app_with(db, database_url, token_requests_per_minute_per_address=10):
        statuses = [
            (
                await http.post("/oauth/token", data={"grant_type": "client_credentials", "client_id": f"c{i}"})
            ).status_code
            for i in range(12)
        ]
        assert statuses[-1] == 429 and 429 not in statuses[:10]


async def test_o17_failed_sign_ins_lock_the_account(client: httpx.AsyncClient, world: World) -> None:
    for _ in range(5):
        failed = await sign_in(client, world.person.email, password="wrong password!")
        assert failed.status_code == 401
    locked = await sign_in(client, world.person.email)  # even the right password
    assert locked.status_code == 429
    assert "facturehub_session" not in locked.cookies


async def test_o17_failed_sign_ins_are_limited_per_address(db: Database, database_url: str, world: World) -> None:
    async for http in app_with(db, database_url, login_max_failures_per_address=3):
        for i in range(3):
            assert (await sign_in(http, f"nobody{i}@example.test", password="whatever it is")).status_code == 401
        other = await make_person(db)
        blocked = await sign_in(http, other.email)
        assert blocked.status_code == 429


async def test_o17_a_successful_sign_in_is_not_counted(client: httpx.AsyncClient, world: World) -> None:
    for _ in range(4):
        await sign_in(client, world.person.email, password="wrong password!")
    assert (await sign_in(client, world.person.email)).status_code == 303
    for _ in range(4):
        await sign_in(client, world.person.email, password="wrong password!")
    assert (await sign_in(client, world.person.email)).status_code == 303


async def test_o06_two_concurrent_uses_of_one_refresh_token_cannot_both_win(
    client: httpx.AsyncClient, world: World
) -> None:
    import asyncio

    code, verifier = await code_for(client, world.person.email, world.public.client_id)
    first = (await redeem(client, world.public.client_id, code, verifier)).json()
    answers = await asyncio.gather(*(refresh(client, world.public.client_id, first["refresh_token"]) for _ in range(2)))
    assert sorted(a.status_code for a in answers) == [200, 400]
    winner = next(a for a in answers if a.status_code == 200).json()
    # The loser was a reuse: the family is gone, the winner's new token too.
    assert (await refresh(client, world.public.client_id, winner["refresh_token"])).json()["error"] == "invalid_grant"
