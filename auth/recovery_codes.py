"""Recovery codes: ten single-use codes, shown once, for the day the authenticator app is lost.

Each code holds 80 random bits (16 characters of a 32-letter alphabet), so it is stored as an
HMAC-SHA-256 digest keyed by the user's id rather than with the password hasher: guessing 2^80 preimages
is out of reach however fast the hash, whereas argon2 would cost a second of CPU for every code tried
against ten digests. The key makes a digest worthless for any other account (no table across users).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid

COUNT = 10
# Crockford's base32: no I, L, O, U, so nothing is misread when copied from paper.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16
_PURPOSE = b"facturehub recovery code v1"


def new_codes() -> list[str]:
    return [_group("".join(secrets.choice(ALPHABET) for _ in range(LENGTH))) for _ in range(COUNT)]


def _group(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def normalized(text: str) -> str | None:
    """The code as typed (any case, spaces or dashes, O for 0, I/L for 1) in its canonical form, or None."""
    raw = text.strip().upper().replace("-", "").replace(" ", "")
    raw = raw.replace("O", "0").replace("I", "1").replace("L", "1")
    if len(raw) != LENGTH or any(c not in ALPHABET for c in raw):
        return None
    return _group(raw)


def digest(user_id: uuid.UUID, code: str) -> str:
    return hmac.new(_PURPOSE + user_id.bytes, code.encode("ascii"), hashlib.sha256).hexdigest()
