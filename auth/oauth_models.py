"""OAuth tables: clients, authorization codes, consents, refresh tokens, login sessions and the login throttle.

They are global (not tenant-owned, no RLS): a login or a token request happens before any workspace is known.
Rows that belong to a workspace carry it in ``workspace_id`` and every query filters by it explicitly.
Codes, refresh tokens, session tokens and client secrets are stored only as SHA-256 hex digests.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from tenancy.db import Base


class OAuthClient(Base):
    """A registered application, bound to the workspace whose administrator registered it."""

    __tablename__ = "oauth_clients"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("structures.id"))
    name: Mapped[str] = mapped_column(String(200))
    confidential: Mapped[bool] = mapped_column(Boolean)
    secret_hash: Mapped[str | None] = mapped_column(String(64))
    # Space-separated lists: small, read whole, never queried by element.
    redirect_uris: Mapped[str] = mapped_column(Text, default="")
    grant_types: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[str] = mapped_column(String(500))
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    secret_rotated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_oauth_clients_workspace", "workspace_id", "created_at", "id"),)


class OAuthConsent(Base):
    """A person's remembered approval of one client in one workspace (revocable)."""

    __tablename__ = "oauth_consents"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("structures.id"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    client_pk: Mapped[uuid.UUID] = mapped_column(ForeignKey("oauth_clients.id"))
    scopes: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_oauth_consents_workspace", "workspace_id", "created_at", "id"),
        Index("ix_oauth_consents_user_client", "user_id", "client_pk", "workspace_id"),
    )


class OAuthCode(Base):
    """An authorization code: single use, short-lived, bound to client, redirect URI, PKCE challenge."""

    __tablename__ = "oauth_codes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_pk: Mapped[uuid.UUID] = mapped_column(ForeignKey("oauth_clients.id"))
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("structures.id"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    consent_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("oauth_consents.id"))
    role: Mapped[str] = mapped_column(String(30))
    redirect_uri: Mapped[str] = mapped_column(Text)
    scopes: Mapped[str] = mapped_column(String(500))
    code_challenge: Mapped[str] = mapped_column(String(128))
    code_challenge_method: Mapped[str] = mapped_column(String(10))
    # The refresh-token family this code starts: a replayed code revokes it.
    family_id: Mapped[uuid.UUID] = mapped_column(default=uuid.uuid4)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OAuthRefreshToken(Base):
    """One refresh token of a family; rotation marks it used, reuse of a used one revokes the family."""

    __tablename__ = "oauth_refresh_tokens"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    family_id: Mapped[uuid.UUID] = mapped_column()
    client_pk: Mapped[uuid.UUID] = mapped_column(ForeignKey("oauth_clients.id"))
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("structures.id"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    consent_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("oauth_consents.id"))
    scopes: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_oauth_refresh_tokens_family", "family_id"),
        Index("ix_oauth_refresh_tokens_consent", "consent_id"),
        Index("ix_oauth_refresh_tokens_client", "client_pk"),
    )


class LoginSession(Base):
    """A signed-in browser, for the login and consent pages only (the API takes bearer tokens)."""

    __tablename__ = "login_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # What the account page lists: when the browser last used it (to the minute) and how it named itself.
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    user_agent: Mapped[str | None] = mapped_column(String(300))

    __table_args__ = (Index("ix_login_sessions_user", "user_id"),)


class LoginChallenge(Base):
    """A browser past the password but not yet the second factor: it grants no session and no token."""

    __tablename__ = "login_challenges"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginThrottle(Base):
    """Failed sign-ins in the current window, per account (``acct:``), per second factor (``2fa:``) and per
    address (``addr:``)."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


__all__ = [
    "LoginChallenge",
    "LoginSession",
    "LoginThrottle",
    "OAuthClient",
    "OAuthCode",
    "OAuthConsent",
    "OAuthRefreshToken",
]
