"""GraphQL shapes of the workspace's API clients and of the apps its members authorized."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry
from strawberry import Info

from api.core.context import Context
from api.core.ids import to_global_id
from api.core.node import Node
from api.core.pagination import (
    DATETIME_KEY,
    UUID_KEY,
    Connection,
    ConnectionArgs,
    connection,
    page_request,
    tenant_connection,
    wants,
)
from api.members.types import User, load_user
from auth import clients as client_domain
from auth import consents as consent_domain
from auth.clients import split
from auth.oauth_models import OAuthClient, OAuthConsent
from auth.scopes import Scope
from tenancy.keyset import SortKey, count, fetch_page

CONSENT_KEYS = (SortKey(OAuthConsent.created_at), SortKey(OAuthConsent.id))


@strawberry.type(description="An application registered by this workspace (an ERP, a technical account...).")
class ApiClient(Node):
    client_id: str = strawberry.field(description="What the application sends as client_id.")
    name: str
    confidential: bool = strawberry.field(description="Holds a secret (server-side apps); public apps use PKCE only.")
    redirect_uris: list[str]
    grant_types: list[str]
    scopes: list[str] = strawberry.field(description="The most this client may ever be granted.")
    created_at: datetime
    secret_rotated_at: datetime | None

    @classmethod
    def of(cls, row: OAuthClient) -> ApiClient:
        return cls(
            id=strawberry.ID(to_global_id("ApiClient", row.id)),
            client_id=row.client_id,
            name=row.name,
            confidential=row.confidential,
            redirect_uris=split(row.redirect_uris),
            grant_types=split(row.grant_types),
            scopes=split(row.scopes),
            created_at=row.created_at,
            secret_rotated_at=row.secret_rotated_at,
        )


@strawberry.type(description="A member's standing authorization of an app in this workspace (revocable).")
class AuthorizedApp(Node):
    client_id: str
    client_name: str
    scopes: list[str]
    created_at: datetime
    updated_at: datetime
    user_id: strawberry.Private[uuid.UUID]

    @strawberry.field(description="The member who authorized the app.")
    async def user(self, info: Info[Context, None]) -> User | None:
        return await load_user(info.context, self.user_id)

    @classmethod
    def of(cls, consent: OAuthConsent, client: OAuthClient) -> AuthorizedApp:
        return cls(
            id=strawberry.ID(to_global_id("AuthorizedApp", consent.id)),
            client_id=client.client_id,
            client_name=client.name,
            scopes=split(consent.scopes),
            created_at=consent.created_at,
            updated_at=consent.updated_at,
            user_id=consent.user_id,
        )


async def api_clients(info: Info[Context, None], page: ConnectionArgs) -> Connection[ApiClient]:
    stmt = client_domain.clients_query(info.context.principal.tenant)
    return await tenant_connection(info, stmt, client_domain.CLIENT_KEYS, ApiClient.of, page)


async def authorized_apps(info: Info[Context, None], page: ConnectionArgs) -> Connection[AuthorizedApp]:
    request = page_request((DATETIME_KEY, UUID_KEY), page)
    stmt = consent_domain.consents_query(info.context.principal.tenant)
    async with info.context.session.use() as session:
        found = await fetch_page(session, stmt, CONSENT_KEYS, request)
        total = await count(session, stmt) if wants(info, "totalCount") else None
        clients = await client_domain.clients_by_pk(session, {c.client_pk for c in found.items})
    return connection(found, lambda c: AuthorizedApp.of(c, clients[c.client_pk]), lambda c: (c.created_at, c.id), total)


async def api_client_node(context: Context, key: uuid.UUID) -> ApiClient | None:
    if not context.principal.has(Scope.WORKSPACE_ADMIN.value):
        return None
    async with context.session.use() as session:
        row = await client_domain.get_client(session, context.principal.tenant, key)
    return ApiClient.of(row) if row else None


async def authorized_app_node(context: Context, key: uuid.UUID) -> AuthorizedApp | None:
    async with context.session.use() as session:
        consent = await consent_domain.get_consent(session, context.principal.tenant, key)
        client = (
            (await client_domain.clients_by_pk(session, [consent.client_pk])).get(consent.client_pk)
            if consent
            else None
        )
    return AuthorizedApp.of(consent, client) if consent and client else None
