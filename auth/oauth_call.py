"""One authlib call as our code sees it: its state, and our rows as authlib's models.

Shared by the authorization server (``auth/server.py``) and its revocation and introspection endpoints
(``auth/endpoints.py``): the server registers the endpoints, so what both use lives here, below them.
authlib's callbacks are synchronous and get no context of ours: ``calling`` sets the state (the sync
``Session``, the time, what was looked up in async code before the call) in a context variable, which
``state()`` reads.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from auth import opaque
from auth.clients import redirect_uri_matches, split
from auth.oauth_models import OAuthClient, OAuthCode, OAuthRefreshToken
from auth.scopes import parse_scope
from tenancy.enums import Access, Role
from tenancy.moments import aware

CONFIDENTIAL_METHODS = ("client_secret_basic", "client_secret_post")


@dataclass(frozen=True)
class VerifiedAccessToken:
    """An access token already verified in async code (signature, audience, expiry), for introspection."""

    client_id: str
    subject: str
    workspace_id: uuid.UUID
    scopes: frozenset[str]
    issued_at: int
    expires_at: int


@dataclass
class CallState:
    session: Session
    now: datetime
    # (user, workspace) -> (role, access), looked up before the call: memberships are tenant-owned rows.
    memberships: dict[tuple[uuid.UUID, uuid.UUID], tuple[Role, Access] | None] = field(default_factory=dict)
    verified_access: VerifiedAccessToken | None = None
    revoke_families: set[uuid.UUID] = field(default_factory=set)
    clients: dict[str, HubClient | None] = field(default_factory=dict)


_state: ContextVar[CallState] = ContextVar("oauth_call_state")


def state() -> CallState:
    return _state.get()


@contextmanager
def calling(session: Session, now: datetime, **known: Any) -> Iterator[CallState]:
    """Make ``state()`` answer, for the authlib call made inside the block."""
    call = CallState(session=session, now=now, **known)
    token = _state.set(call)
    try:
        yield call
    finally:
        _state.reset(token)


def revoke_family(session: Session, family_id: uuid.UUID, now: datetime) -> None:
    session.execute(
        update(OAuthRefreshToken)
        .where(OAuthRefreshToken.family_id == family_id, OAuthRefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


# --- models as authlib sees them -----------------------------------------------------------------


class HubClient:
    """authlib's ClientMixin over an ``oauth_clients`` row."""

    def __init__(self, row: OAuthClient) -> None:
        self.row = row
        self.pk = row.id
        self.client_id = row.client_id
        self.workspace_id = row.workspace_id
        self.scopes = frozenset(split(row.scopes))
        self.redirect_uris = split(row.redirect_uris)
        self.grant_types = frozenset(split(row.grant_types))

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return self.redirect_uris[0] if len(self.redirect_uris) == 1 else None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        if not scope:
            return " ".join(sorted(self.scopes))
        requested = parse_scope(scope)
        return " ".join(sorted(requested)) if requested <= self.scopes else None

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri_matches(self.redirect_uris, redirect_uri)

    def check_client_secret(self, client_secret: str) -> bool:
        return self.row.confidential and opaque.matches(client_secret, self.row.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if self.row.confidential:
            return method in CONFIDENTIAL_METHODS
        return method == "none" and endpoint in ("token", "revocation")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code" and "authorization_code" in self.grant_types

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.grant_types


class CodeRecord:
    def __init__(self, row: OAuthCode) -> None:
        self.row = row
        self.code_challenge = row.code_challenge
        self.code_challenge_method = row.code_challenge_method

    def get_redirect_uri(self) -> str:
        return self.row.redirect_uri

    def get_scope(self) -> str:
        return self.row.scopes


class RefreshRecord:
    def __init__(self, row: OAuthRefreshToken) -> None:
        self.row = row
        self.workspace_id = row.workspace_id

    def check_client(self, client: HubClient) -> bool:
        return self.row.client_pk == client.pk

    def get_scope(self) -> str:
        return self.row.scopes

    def is_expired(self) -> bool:
        return aware(self.row.expires_at) <= state().now

    def is_revoked(self) -> bool:
        return self.row.revoked_at is not None or self.row.used_at is not None


class AccessRecord:
    def __init__(self, token: VerifiedAccessToken) -> None:
        self.token = token
        self.workspace_id = token.workspace_id

    def check_client(self, client: HubClient) -> bool:
        return self.token.client_id == client.client_id

    def is_expired(self) -> bool:
        return self.token.expires_at <= state().now.timestamp()

    def is_revoked(self) -> bool:
        return False
