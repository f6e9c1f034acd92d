"""Driving the authorization server as a browser and an app would: forms, redirects, PKCE."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from auth.clients import ClientDraft, register_client
from auth.first_party import WEB_CLIENT_ID
from auth.scopes import ALL_SCOPES
from auth.users import upsert_user
from tenancy.db import Database
from tenancy.events.actor import EventActor
from tenancy.models import Structure

PASSWORD = "correct horse battery staple"
REDIRECT = "http://127.0.0.1/callback"


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    radios: dict[str, list[str]] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").upper()))
        elif tag == "input" and self.forms:
            kind = a.get("type", "text")
            if kind == "radio":
                self.forms[-1].radios.setdefault(a["name"], []).append(a.get("value", ""))
            elif kind in ("hidden", "text", "email", "password"):
                self.forms[-1].fields.append((a.get("name", ""), a.get("value", "")))
        elif tag == "button" and self.forms and a.get("name"):
            self.forms[-1].buttons.append((a["name"], a.get("value", "")))


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return verifier, challenge


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


async def make_person(db: Database, email: str | None = None) -> Any:
    return await upsert_user(
        db, email=email or f"person-{secrets.token_hex(4)}@example.test", display_name="Person", password=PASSWORD
    )


@dataclass
class Registered:
    client_id: str
    secret: str | None
    pk: Any


async def make_client(
    db: Database,
    structure: Structure,
    *,
    confidential: bool = False,
    grant_types: tuple[str, ...] = ("authorization_code", "refresh_token"),
    scopes: frozenset[str] = ALL_SCOPES,
    redirect_uris: tuple[str, ...] = (REDIRECT,),
    name: str = "Test app",
) -> Registered:
    async with db.tenant_session(structure.id) as session:
        row, secret = await register_client(
            session,
            structure.id,
            ClientDraft(
                name=name,
                redirect_uris=list(redirect_uris),
                confidential=confidential,
                grant_types=list(grant_types),
                scopes=sorted(scopes),
            ),
            allowed_scopes=ALL_SCOPES,
            created_by=None,
            actor=EventActor.system(),
        )
    return Registered(row.client_id, secret, row.id)


def authorize_params(client_id: str, challenge: str | None, **extra: str) -> dict[str, str]:
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT, "state": "st-123"}
    if challenge is not None:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    params.update(extra)
    return params


async def sign_in(
    http: httpx.AsyncClient, email: str, password: str = PASSWORD, next_url: str | None = None
) -> httpx.Response:
    page = await http.get("/login", params={"next": next_url} if next_url else None)
    form = forms_of(page.text)[0]
    fields = dict(form.fields)
    fields.update(email=email, password=password)
    return await http.post("/login", data=fields)


async def consent(
    http: httpx.AsyncClient, params: dict[str, str], *, workspace: str | None = None, decision: str = "approve"
) -> httpx.Response:
    """GET the authorization endpoint (signed in), then submit the consent form; the final response."""
    page = await http.get("/oauth/authorize", params=params)
    if page.status_code != 200:
        return page
    form = next(f for f in forms_of(page.text) if f.action == "/oauth/authorize")
    fields = list(form.fields)
    choices = form.radios.get("workspace", [])
    fields.append(("workspace", workspace or choices[0]))
    fields.append(("decision", decision))
    return await http.post("/oauth/authorize", content=urlencode(fields), headers=FORM)


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


async def code_for(
    http: httpx.AsyncClient, email: str, client_id: str, *, workspace: str | None = None, **extra: str
) -> tuple[str, str]:
    """Sign in, approve, and return (code, verifier)."""
    verifier, challenge = pkce()
    await sign_in(http, email)
    answer = await consent(http, authorize_params(client_id, challenge, **extra), workspace=workspace)
    assert answer.status_code in (302, 303), answer.text
    query = query_of(answer.headers["location"])
    assert "code" in query, query
    return query["code"], verifier


async def redeem(
    http: httpx.AsyncClient, client_id: str, code: str, verifier: str | None, **extra: str
) -> httpx.Response:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "client_id": client_id}
    if verifier is not None:
        data["code_verifier"] = verifier
    data.update(extra)
    return await http.post("/oauth/token", data=data)


async def refresh(http: httpx.AsyncClient, client_id: str, refresh_token: str, **extra: str) -> httpx.Response:
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": client_id, **extra}
    return await http.post("/oauth/token", data=data)


WEB_ISSUER = "http://127.0.0.1:8000"  # the test app's public URL (tests.conftest settings)
WEB_REDIRECT = WEB_ISSUER + "/callback"


async def web_token(http: httpx.AsyncClient, location: str, verifier: str) -> dict[str, str]:
    """The hub's own app at its /callback: check the issuer, redeem the code with the PKCE verifier."""
    query = query_of(location)
    assert location.startswith(WEB_REDIRECT + "?") and query["iss"] == WEB_ISSUER, location
    answer = await http.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": query["code"],
            "redirect_uri": WEB_REDIRECT,
            "client_id": WEB_CLIENT_ID,
            "code_verifier": verifier,
        },
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, str] = answer.json()
    return body
