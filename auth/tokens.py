"""RFC 9068 access tokens: short-lived JWTs (typ at+jwt) naming the one workspace they act in."""

from __future__ import annotations

import json
import secrets
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from joserfc import jwt
from joserfc.errors import BadSignatureError, ClaimError, ExpiredTokenError, JoseError, MissingClaimError
from joserfc.jwt import JWTClaimsRegistry

from auth.keys import ALGORITHM, KeyRing
from auth.principal import Principal
from auth.scopes import ALL_SCOPES, parse_scope
from tenancy import base64url
from tenancy.enums import Role

TOKEN_TYPE = "at+jwt"  # noqa: S105 (a media type, not a secret)
# Access tokens cannot be revoked: they must be short-lived (and long enough to be used).
MIN_TTL_S = 30
MAX_TTL_S = 3600
LEEWAY_S = 30
VERIFIED_CACHE_SIZE = 10_000


@dataclass(frozen=True)
class TokenSettings:
    issuer: str
    audience: str
    ttl_s: int = 600


def issue_access_token(
    keyring: KeyRing,
    settings: TokenSettings,
    *,
    subject: str,
    client_id: str,
    tenant_id: uuid.UUID,
    scopes: Iterable[str],
    role: Role | None,
    ttl_s: int | None = None,
) -> str:
    kid, key = keyring.signing_key()
    now = int(time.time())
    claims: dict[str, object] = {
        "iss": settings.issuer,
        "aud": settings.audience,
        "sub": subject,
        "client_id": client_id,
        "scope": " ".join(sorted(scopes)),
        "jti": secrets.token_urlsafe(16),
        "iat": now,
        "exp": now + (ttl_s if ttl_s is not None else settings.ttl_s),
        "tid": str(tenant_id),
    }
    if role is not None:
        claims["role"] = role.value
    return jwt.encode({"alg": ALGORITHM, "kid": kid, "typ": TOKEN_TYPE}, claims, key, algorithms=[ALGORITHM])


class InvalidToken(Exception):
    """The bearer token cannot be trusted; the message is safe to show (RFC 6750 error_description).

    ``claim`` names what failed when it is one claim (``iss``, ``aud``, ``exp``...) or ``signature``.
    """

    def __init__(self, message: str, *, claim: str | None = None) -> None:
        super().__init__(message)
        self.claim = claim


class AccessTokenVerifier:
    """Checks signature, type, issuer, audience, expiry and the workspace claim; no database hit."""

    def __init__(self, keyring: KeyRing, settings: TokenSettings) -> None:
        self._keyring = keyring
        self._settings = settings
        self._claims = JWTClaimsRegistry(
            leeway=LEEWAY_S,
            iss={"essential": True, "value": settings.issuer},
            aud={"essential": True, "value": settings.audience},
            exp={"essential": True},
            sub={"essential": True},
            client_id={"essential": True},
            jti={"essential": True},
            tid={"essential": True},
        )
        self._verified: dict[str, tuple[Principal, str, float]] = {}

    async def verify(self, token: str) -> Principal:
        # A client sends the same token for minutes: the signature check (the costly part) is done once;
        # a remembered token still expires on time and dies with its key when the key is retired.
        known = self._verified.get(token)
        if known is not None:
            principal, kid, expires = known
            if time.time() <= expires + LEEWAY_S and self._keyring.knows(kid):
                return principal
            del self._verified[token]
        principal, kid, expires = await self._verify(token)
        if len(self._verified) >= VERIFIED_CACHE_SIZE:
            del self._verified[next(iter(self._verified))]  # the oldest entry
        self._verified[token] = (principal, kid, expires)
        return principal

    async def _verify(self, token: str) -> tuple[Principal, str, float]:
        header = _peek_header(token)
        if header.get("typ") != TOKEN_TYPE:
            raise InvalidToken("not an access token (typ must be at+jwt)")
        if header.get("alg") != ALGORITHM:
            raise InvalidToken("unsupported signing algorithm")
        kid = header.get("kid")
        if not isinstance(kid, str) or (not self._keyring.knows(kid) and not await self._refreshed_knows(kid)):
            raise InvalidToken("signed by an unknown key")
        try:
            decoded = jwt.decode(token, self._keyring.verification_keys, algorithms=[ALGORITHM])
        except BadSignatureError as exc:
            raise InvalidToken("bad signature", claim="signature") from exc
        except JoseError as exc:
            raise InvalidToken(f"token rejected: {exc.error}") from exc
        try:
            self._claims.validate(decoded.claims)
        except ClaimError as exc:
            raise InvalidToken(self._claim_problem(exc), claim=exc.claim) from exc
        except JoseError as exc:
            raise InvalidToken(f"token rejected: {exc.error}") from exc
        claims = decoded.claims
        try:
            tenant = uuid.UUID(str(claims["tid"]))
            role = Role(claims["role"]) if "role" in claims else None
        except ValueError as exc:
            raise InvalidToken("malformed tid or role claim") from exc
        scope = claims.get("scope", "")
        if not isinstance(scope, str):
            raise InvalidToken("malformed scope claim")
        principal = Principal(
            subject=str(claims["sub"]),
            client_id=str(claims["client_id"]),
            tenant=tenant,
            scopes=parse_scope(scope) & ALL_SCOPES,
            role=role,
            token_id=str(claims["jti"]),
        )
        return principal, kid, float(claims["exp"])

    def _claim_problem(self, error: ClaimError) -> str:
        # The expected values are this hub's own (public, in its metadata): a token minted for another
        # address, e.g. another port, says at once which one this hub wants.
        if isinstance(error, ExpiredTokenError):
            return "the token has expired (exp)"
        if isinstance(error, MissingClaimError):
            return f"missing claim: {error.claim}"
        if error.claim == "iss":
            return f"the iss claim is not this hub's issuer, {self._settings.issuer}"
        if error.claim == "aud":
            return f"the aud claim is not this hub's API, {self._settings.audience}"
        return f"invalid {error.claim} claim"

    async def _refreshed_knows(self, kid: str) -> bool:
        return await self._keyring.refresh_if_stale() and self._keyring.knows(kid)


def _peek_header(token: str) -> dict[str, object]:
    """Read the protected header before verifying, to pick the key and refuse alg/typ games early."""
    parts = token.split(".")
    if len(parts) != 3 or len(token) > 8192:
        raise InvalidToken("malformed token")
    try:
        header = json.loads(base64url.decode(parts[0]))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidToken("malformed token header") from exc
    if not isinstance(header, dict):
        raise InvalidToken("malformed token header")
    return header
