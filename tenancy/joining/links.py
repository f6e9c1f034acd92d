"""An invitation's link token: which structure it is for, and a secret kept only as its digest.

The token is ``<structure id, base64url>.<32 random bytes, base64url>``. The structure part lets the
acceptance page open that tenant's transaction directly (no cross-tenant search by digest, and the lookup
stays on the tenant's shard once keys are distributed); it is no secret, the invitee learns the structure's
name from the mail anyway. The secret part carries 256 bits of randomness, so a plain SHA-256 of the token
is what is stored: nobody can find a preimage of it, whereas a slow password hash (argon2) exists to protect
low-entropy secrets people choose, and would only spend CPU on every visit to the link.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
import secrets
import uuid

from tenancy import base64url

SECRET_BYTES = 32
MAX_TOKEN = 120


def new_token(tenant_id: uuid.UUID) -> str:
    return f"{base64url.encode(tenant_id.bytes)}.{secrets.token_urlsafe(SECRET_BYTES)}"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def matches(token: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(token), stored_digest)


def tenant_of(token: str) -> uuid.UUID | None:
    """The structure a token names, or None for anything that is not one of our tokens."""
    if len(token) > MAX_TOKEN:
        return None
    head, dot, secret = token.partition(".")
    if not dot or len(secret) < 43:
        return None
    try:
        raw = base64url.decode(head)
    except (ValueError, binascii.Error):
        return None
    return uuid.UUID(bytes=raw) if len(raw) == 16 else None
