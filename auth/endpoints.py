"""Revocation (RFC 7009) and introspection (RFC 7662, confidential clients only).

Access tokens are self-contained JWTs: revoking one is not possible before it expires (about ten
minutes), so revocation acts on refresh tokens, and revoking one ends its whole family.
Introspection answers only about tokens of the introspecting client's own workspace.
"""

from __future__ import annotations

from typing import Any

from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7662 import IntrospectionEndpoint
from sqlalchemy import select

from auth import opaque
from auth.oauth_call import CONFIDENTIAL_METHODS, AccessRecord, HubClient, RefreshRecord, revoke_family, state
from auth.oauth_models import OAuthClient, OAuthRefreshToken


def _refresh_record(token: str) -> RefreshRecord | None:
    row = state().session.scalar(select(OAuthRefreshToken).where(OAuthRefreshToken.token_hash == opaque.digest(token)))
    return RefreshRecord(row) if row is not None else None


class HubRevocationEndpoint(RevocationEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = [*CONFIDENTIAL_METHODS, "none"]

    def query_token(self, token_string: str, token_type_hint: str | None) -> RefreshRecord | None:
        if token_type_hint == "access_token":  # noqa: S105 (a hint name)
            return None
        return _refresh_record(token_string)

    def revoke_token(self, token: RefreshRecord, request: Any) -> None:
        call = state()
        revoke_family(call.session, token.row.family_id, call.now)


class HubIntrospectionEndpoint(IntrospectionEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = list(CONFIDENTIAL_METHODS)

    def query_token(self, token_string: str, token_type_hint: str | None) -> AccessRecord | RefreshRecord | None:
        verified = state().verified_access
        if verified is not None and token_type_hint != "refresh_token":  # noqa: S105
            return AccessRecord(verified)
        if token_type_hint == "access_token":  # noqa: S105
            return None
        return _refresh_record(token_string)

    def check_permission(self, token: AccessRecord | RefreshRecord, client: HubClient, request: Any) -> bool:
        return token.workspace_id == client.workspace_id

    def introspect_token(self, token: AccessRecord | RefreshRecord) -> dict[str, Any]:
        issuer = self.server.settings.issuer
        if isinstance(token, AccessRecord):
            t = token.token
            return {
                "active": True,
                "token_type": "access_token",
                "client_id": t.client_id,
                "sub": t.subject,
                "scope": " ".join(sorted(t.scopes)),
                "tid": str(t.workspace_id),
                "iss": issuer,
                "aud": self.server.settings.tokens.audience,
                "iat": t.issued_at,
                "exp": t.expires_at,
            }
        row = token.row
        client = state().session.get(OAuthClient, row.client_pk)
        return {
            "active": True,
            "token_type": "refresh_token",
            "client_id": client.client_id if client else None,
            "sub": f"user:{row.user_id}",
            "scope": row.scopes,
            "tid": str(row.workspace_id),
            "iss": issuer,
            "iat": int(row.created_at.timestamp()),
            "exp": int(row.expires_at.timestamp()),
        }
