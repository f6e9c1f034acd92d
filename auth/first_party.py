"""The hub's own web app (frontend/), a first-party public OAuth client that every installation has.

Its client_id is fixed (``facturehub-web``) and its one redirect URI is ``PUBLIC_URL + "/callback"``:
``facturehub migrate`` and ``facturehub serve`` (re)write the row, so a changed public URL is followed.
An OAuth client belongs to a structure (``oauth_clients.workspace_id`` is required): this one belongs to
the hub's own record, a private, inactive structure that is in no directory and nobody's workspace, so
no workspace administrator lists, rotates or revokes it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from auth.clients import AUTHORIZATION_CODE, REFRESH_TOKEN
from auth.oauth_models import OAuthClient
from auth.scopes import ALL_SCOPES
from tenancy import privileged
from tenancy.db import Database
from tenancy.enums import IdentifierType
from tenancy.structures import StructureDraft

WEB_CLIENT_ID = "facturehub-web"
WEB_CLIENT_NAME = "facturehub (web)"
HUB_RECORD = StructureDraft(
    identifier_type=IdentifierType.AUTRE,
    identifier="FACTUREHUB-HUB",
    name="facturehub (this hub)",
    is_public=False,
    is_active=False,
)


def is_first_party(client_id: str) -> bool:
    return client_id == WEB_CLIENT_ID


def web_redirect_uri(issuer: str) -> str:
    return issuer.rstrip("/") + "/callback"


async def ensure_web_client(db: Database, issuer: str) -> OAuthClient:
    """Create or bring back in line the web app's client (idempotent; undoes a revocation)."""
    hub = await privileged.upsert_structure(db, HUB_RECORD)
    async with db.bare_session() as session:
        row = await session.scalar(select(OAuthClient).where(OAuthClient.client_id == WEB_CLIENT_ID))
        if row is None:
            row = OAuthClient(client_id=WEB_CLIENT_ID, created_at=datetime.now(UTC))
            session.add(row)
        row.workspace_id = hub.id
        row.name = WEB_CLIENT_NAME
        row.confidential = False
        row.secret_hash = None
        row.redirect_uris = web_redirect_uri(issuer)
        row.grant_types = " ".join(sorted((AUTHORIZATION_CODE, REFRESH_TOKEN)))
        row.scopes = " ".join(sorted(ALL_SCOPES))
        row.revoked_at = None
    return row
