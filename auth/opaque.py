"""Opaque credentials (codes, refresh tokens, session tokens, client secrets): random values kept only as digests.

They carry at least 256 bits of randomness, so a plain SHA-256 digest is enough to store them: nobody can
guess a preimage, and a slow password hash would only cost CPU on every token request. Comparisons of
digests use ``hmac.compare_digest``; lookups go by digest, so the raw value never reaches the database.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32


def new_secret() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def matches(value: str, stored_digest: str | None) -> bool:
    if not stored_digest:
        return False
    return hmac.compare_digest(digest(value), stored_digest)
