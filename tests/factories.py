"""Building blocks for tests: structures, users, members, tokens, and a GraphQL call helper."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.applications import Starlette
from stdnum import luhn

from api.app import token_settings
from auth.models import User
from auth.tokens import issue_access_token
from auth.users import upsert_user
from tenancy import members, privileged, services
from tenancy.db import Database
from tenancy.enums import Access, IdentifierType, Role
from tenancy.events.actor import EventActor
from tenancy.models import Membership, Service, Structure
from tenancy.structures import Address, RecipientParameters, StructureDraft

_counter = itertools.count(1)


def make_siret(seed: int | None = None) -> str:
    """A SIRET that passes the Luhn checks (SIREN and SIRET), distinct per call."""
    n = seed if seed is not None else next(_counter) + 10_000
    siren8 = f"{40_000_000 + n:08d}"[-8:]
    siren = siren8 + luhn.calc_check_digit(siren8)
    base = siren + f"{n % 10_000:04d}"
    return base + luhn.calc_check_digit(base)


async def make_structure(
    db: Database,
    *,
    name: str | None = None,
    public: bool = False,
    identifier: str | None = None,
    identifier_type: IdentifierType = IdentifierType.SIRET,
    parameters: RecipientParameters | None = None,
    town: str = "Lyon",
    postcode: str = "69001",
    email: str | None = None,
) -> Structure:
    return await privileged.create_structure(
        db,
        StructureDraft(
            identifier_type=identifier_type,
            identifier=identifier or make_siret(),
            name=name or f"Structure {next(_counter)}",
            is_public=public,
            email=email,
            address=Address(line1="1 rue de la Paix", postcode=postcode, town=town),
            parameters=parameters or RecipientParameters(),
        ),
    )


async def make_user(db: Database, email: str | None = None, name: str = "Test User") -> User:
    return await upsert_user(db, email=email or f"user{next(_counter)}@example.test", display_name=name, password=None)


async def make_member(
    db: Database,
    structure: Structure,
    user: User,
    role: Role = Role.GESTIONNAIRE_PRINCIPAL,
    access: Access = Access.WRITE,
) -> Membership:
    async with db.tenant_session(structure.id) as session:
        return await members.ensure_member(session, structure.id, user_id=user.id, role=role, access=access)


async def make_service(db: Database, structure: Structure, code: str, **kw: Any) -> Service:
    async with db.tenant_session(structure.id) as session:
        return await services.create_service(
            session,
            structure.id,
            services.ServiceDraft(code=code, name=f"Service {code}", **kw),
            actor=EventActor.system(),
        )


def token_for(
    app: Starlette,
    structure: Structure,
    user: User | None = None,
    *,
    scopes: Iterable[str] | None = None,
    role: Role | None = Role.GESTIONNAIRE_PRINCIPAL,
    client_id: str = "test-client",
    ttl_s: int | None = None,
) -> str:
    from auth.scopes import ALL_SCOPES

    return issue_access_token(
        app.state.keyring,
        token_settings(app.state.settings),
        subject=f"user:{user.id}" if user else f"client:{client_id}",
        client_id=client_id,
        tenant_id=structure.id,
        scopes=ALL_SCOPES if scopes is None else scopes,
        role=role if user else None,
        ttl_s=ttl_s,
    )


@dataclass
class Tenant:
    """A structure with one principal manager and a token for them."""

    structure: Structure
    user: User
    token: str


async def make_tenant(
    app: Starlette, db: Database, *, public: bool = False, name: str | None = None, **kw: Any
) -> Tenant:
    structure = await make_structure(db, public=public, name=name, **kw)
    user = await make_user(db)
    await make_member(db, structure, user)
    return Tenant(structure, user, token_for(app, structure, user))


async def gql(
    client: httpx.AsyncClient, token: str | None, query: str, variables: dict[str, Any] | None = None, **headers: str
) -> httpx.Response:
    sent = {"Content-Type": "application/json", **headers}
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    return await client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=sent)


async def data(client: httpx.AsyncClient, token: str, query: str, variables: dict[str, Any] | None = None) -> Any:
    """Run a query that must succeed; return its data."""
    response = await gql(client, token, query, variables)
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return body["data"]


def new_id() -> uuid.UUID:
    return uuid.uuid4()
