"""API clients of a workspace: registration, secret rotation, revocation, and redirect-URI rules.

A secret is returned once, when it is made; only its digest is kept. Redirect URIs match exactly, except
that a loopback IP literal (``http://127.0.0.1`` or ``http://[::1]``) accepts any port, as RFC 8252 §7.3
asks for native apps that listen on an ephemeral port.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from auth import opaque
from auth.oauth_models import OAuthClient, OAuthConsent, OAuthRefreshToken
from auth.scopes import ALL_SCOPES
from tenancy import checks
from tenancy.errors import DomainError, ErrorCode, FieldError
from tenancy.events.actor import EventActor
from tenancy.events.record import record_one
from tenancy.events.types import EventType, ObjectKind
from tenancy.keyset import SortKey

AUTHORIZATION_CODE = "authorization_code"
REFRESH_TOKEN = "refresh_token"  # noqa: S105 (a grant type name)
CLIENT_CREDENTIALS = "client_credentials"
GRANT_TYPES = frozenset({AUTHORIZATION_CODE, REFRESH_TOKEN, CLIENT_CREDENTIALS})
MAX_REDIRECT_URIS = 10
MAX_URI_LENGTH = 2000
CLIENT_KEYS = (SortKey(OAuthClient.created_at), SortKey(OAuthClient.id))

# A loopback IP literal and an optional port of plain ASCII digits, up to the end of the authority.
_LOOPBACK = re.compile(r"http://(127\.0\.0\.1|\[::1\])(?::([0-9]{1,5}))?(?=[/?#]|\Z)")
MAX_PORT = 65535


@dataclass(frozen=True)
class ClientDraft:
    name: str
    redirect_uris: Sequence[str]
    confidential: bool
    grant_types: Sequence[str]
    scopes: Sequence[str]


def split(value: str) -> list[str]:
    return [part for part in value.split() if part]


def _loopback_parts(uri: str) -> tuple[str, str] | None:
    """(host, everything after the authority) of an http loopback URI whose port, if any, is 1-65535.

    The raw text is compared, not a parse of it, so an encoded or re-ordered variant never passes; a port
    with a leading zero, out of range, or not digits is malformed: such a URI is not a loopback one and
    can only match exactly (which registration never allows).
    """
    found = _LOOPBACK.match(uri)
    if found is None:
        return None
    port = found.group(2)
    if port is not None and (port.startswith("0") or int(port) > MAX_PORT):
        return None
    return found.group(1), uri[found.end() :]


def is_loopback(uri: str) -> bool:
    return _loopback_parts(uri) is not None


def check_redirect_uri(field: tuple[str, ...], uri: str) -> str:
    """A registrable redirect URI: absolute https (or http on a loopback IP literal), no fragment, no userinfo."""

    def refuse(why: str) -> DomainError:
        return DomainError.single(field, ErrorCode.INVALID, f"redirect URI {uri[:200]!r} {why}")

    if len(uri) > MAX_URI_LENGTH or uri != uri.strip() or any(c.isspace() or ord(c) < 0x21 for c in uri):
        raise refuse("is too long or contains spaces or control characters")
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 (raises on a malformed port)
    except ValueError as exc:
        raise refuse("is not a URL") from exc
    if "#" in uri:
        raise refuse("must not contain a fragment")
    if "@" in parts.netloc or not parts.hostname:
        raise refuse("must name a host and no user information")
    if parts.scheme == "https":
        return uri
    if is_loopback(uri):
        return uri
    if parts.scheme == "http" and parts.hostname in ("127.0.0.1", "::1"):
        raise refuse(f"has a malformed port (1-{MAX_PORT}, no leading zero)")
    raise refuse("must use https (http only for http://127.0.0.1 or http://[::1] loopback addresses)")


def redirect_uri_matches(registered: Iterable[str], requested: str) -> bool:
    """Exact string match; for a registered loopback URI, any port with everything else identical."""
    asked = _loopback_parts(requested)
    for uri in registered:
        if requested == uri:
            return True
        if asked is not None and _loopback_parts(uri) == asked:
            return True
    return False


def check_draft(draft: ClientDraft, allowed_scopes: frozenset[str]) -> tuple[str, list[str], list[str], list[str]]:
    """(name, redirect URIs, grant types, scopes) once every rule holds; else all the problems at once."""
    problems: list[FieldError] = []
    name = ""
    try:
        name = checks.required_text("name", draft.name, max_length=200)
    except DomainError as error:
        problems.extend(error.errors)
    grant_types = list(dict.fromkeys(draft.grant_types))
    unknown = [g for g in grant_types if g not in GRANT_TYPES]
    if unknown:
        problems.append(FieldError(("grantTypes",), ErrorCode.INVALID, f"unknown grant type(s): {', '.join(unknown)}"))
    elif not grant_types:
        problems.append(FieldError(("grantTypes",), ErrorCode.REQUIRED, "at least one grant type is required"))
    if CLIENT_CREDENTIALS in grant_types and not draft.confidential:
        problems.append(
            FieldError(("grantTypes",), ErrorCode.INVALID, "client_credentials needs a confidential client")
        )
    if REFRESH_TOKEN in grant_types and AUTHORIZATION_CODE not in grant_types:
        problems.append(FieldError(("grantTypes",), ErrorCode.INVALID, "refresh_token goes with authorization_code"))
    uris: list[str] = []
    if len(draft.redirect_uris) > MAX_REDIRECT_URIS:
        problems.append(FieldError(("redirectUris",), ErrorCode.INVALID, f"at most {MAX_REDIRECT_URIS} redirect URIs"))
    else:
        for i, uri in enumerate(draft.redirect_uris):
            try:
                uris.append(check_redirect_uri(("redirectUris", str(i)), uri))
            except DomainError as error:
                problems.extend(error.errors)
    if AUTHORIZATION_CODE in grant_types and not draft.redirect_uris:
        problems.append(
            FieldError(("redirectUris",), ErrorCode.REQUIRED, "authorization_code needs at least one redirect URI")
        )
    scopes = sorted(set(draft.scopes))
    unknown_scopes = [s for s in scopes if s not in ALL_SCOPES]
    if unknown_scopes:
        problems.append(FieldError(("scopes",), ErrorCode.INVALID, f"unknown scope(s): {', '.join(unknown_scopes)}"))
    elif not scopes:
        problems.append(FieldError(("scopes",), ErrorCode.REQUIRED, "at least one scope is required"))
    else:
        beyond = [s for s in scopes if s not in allowed_scopes]
        if beyond:
            problems.append(
                FieldError(
                    ("scopes",), ErrorCode.FORBIDDEN, f"you cannot grant scope(s) you do not hold: {', '.join(beyond)}"
                )
            )
    if problems:
        raise DomainError(*problems)
    return name, list(dict.fromkeys(uris)), grant_types, scopes


async def register_client(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    draft: ClientDraft,
    *,
    allowed_scopes: frozenset[str],
    created_by: uuid.UUID | None,
    actor: EventActor,
    client_id: str | None = None,
    secret: str | None = None,
) -> tuple[OAuthClient, str | None]:
    """Create a client; the secret (confidential clients) is in the result and nowhere else."""
    name, uris, grant_types, scopes = check_draft(draft, allowed_scopes)
    secret = (secret or opaque.new_secret()) if draft.confidential else None
    row = OAuthClient(
        id=uuid.uuid4(),
        client_id=client_id or f"fh_{opaque.new_secret()[:24]}",
        workspace_id=workspace_id,
        name=name,
        confidential=draft.confidential,
        secret_hash=opaque.digest(secret) if secret else None,
        redirect_uris=" ".join(uris),
        grant_types=" ".join(sorted(grant_types)),
        scopes=" ".join(scopes),
        created_by=created_by,
        created_at=datetime.now(UTC),
    )
    session.add(row)
    await session.flush()
    await _logged(session, row, EventType.API_CLIENT_CREATED, actor)
    return row, secret


async def get_client(session: AsyncSession, workspace_id: uuid.UUID, client_pk: uuid.UUID) -> OAuthClient | None:
    return await session.scalar(
        select(OAuthClient).where(OAuthClient.workspace_id == workspace_id, OAuthClient.id == client_pk)
    )


def _missing() -> DomainError:
    return DomainError.single("id", ErrorCode.NOT_FOUND, "no such API client in this workspace")


async def rotate_secret(
    session: AsyncSession, workspace_id: uuid.UUID, client_pk: uuid.UUID, *, actor: EventActor
) -> tuple[OAuthClient, str]:
    row = await get_client(session, workspace_id, client_pk)
    if row is None or row.revoked_at is not None:
        raise _missing()
    if not row.confidential:
        raise DomainError.single("id", ErrorCode.INVALID, "a public client has no secret")
    secret = opaque.new_secret()
    row.secret_hash = opaque.digest(secret)
    row.secret_rotated_at = datetime.now(UTC)
    await session.flush()
    await _logged(session, row, EventType.API_CLIENT_SECRET_ROTATED, actor)
    return row, secret


async def revoke_client(
    session: AsyncSession, workspace_id: uuid.UUID, client_pk: uuid.UUID, *, actor: EventActor
) -> OAuthClient:
    """No new token for this client from now on, and its refresh tokens stop working."""
    row = await get_client(session, workspace_id, client_pk)
    if row is None or row.revoked_at is not None:
        raise _missing()
    now = datetime.now(UTC)
    row.revoked_at = now
    row.secret_hash = None
    # The client was found within this workspace; what it holds elsewhere (people in other workspaces may
    # have authorized it) ends with it, so these two statements filter by the client, not the workspace.
    await session.execute(
        update(OAuthRefreshToken)
        .where(OAuthRefreshToken.client_pk == row.id, OAuthRefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    await session.execute(
        update(OAuthConsent)
        .where(OAuthConsent.client_pk == row.id, OAuthConsent.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    await session.flush()
    await _logged(session, row, EventType.API_CLIENT_REVOKED, actor)
    return row


async def _logged(session: AsyncSession, row: OAuthClient, type_: EventType, actor: EventActor) -> None:
    """In the log of the workspace that registered the client (never the secret, not even its hash)."""
    payload = {"client_id": row.client_id, "name": row.name}
    await record_one(session, row.workspace_id, type_, ObjectKind.API_CLIENT, row.id, actor, payload)


def clients_query(workspace_id: uuid.UUID) -> Select[OAuthClient]:
    return select(OAuthClient).where(OAuthClient.workspace_id == workspace_id, OAuthClient.revoked_at.is_(None))


async def clients_by_pk(session: AsyncSession, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, OAuthClient]:
    """Clients are global rows (an app may be registered by another workspace): fetched by id, one query."""
    return {c.id: c for c in await session.scalars(select(OAuthClient).where(OAuthClient.id.in_(list(ids))))}
