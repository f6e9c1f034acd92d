"""Time-based one-time passwords (RFC 6238) as authenticator apps compute them: 30 s, 6 digits, SHA-1.

SHA-1, 6 digits and 30 seconds are what every authenticator app reads from an ``otpauth://`` URI without
asking; anything else is silently ignored by some of them, and HOTP's HMAC-SHA-1 is not weakened by SHA-1
collisions. pyotp computes the codes; the hub only decides which time steps it accepts.

The secret is stored as is, not encrypted: the hub must compute codes from it, so it cannot be hashed, and
encrypting it with a key kept in the same database (as the signing keys are) would protect nothing. What
protects it is that no page shows it again once the enrolment is confirmed, and that a code is accepted
once only (``last_step``). Encrypting it at rest needs a key the database does not hold (a deployment
secret), a hub-wide decision that would cover the signing keys too.
"""

from __future__ import annotations

import hmac
import re
from datetime import datetime

import pyotp
import segno

ISSUER = "facturehub"
DIGITS = 6
PERIOD_S = 30
# One step either side: a phone's clock a little off, or a code typed as it turns, still counts.
DRIFT_STEPS = 1
_CODE = re.compile(r"\d{6}")


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, the length RFC 4226 recommends for HMAC-SHA-1


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=DIGITS, interval=PERIOD_S)


def provisioning_uri(secret: str, account: str) -> str:
    return _totp(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def qr_svg(uri: str, title: str) -> str:
    """The URI as an inline SVG element: drawn in the page itself, so the CSP needs no img-src."""
    svg: str = segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff", title=title)
    return svg


def grouped(secret: str) -> str:
    """The secret in groups of four, as people type it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def looks_like_code(text: str) -> bool:
    return bool(_CODE.fullmatch(text))


def matching_step(secret: str, code: str, at: datetime, *, after: int | None) -> int | None:
    """The time step ``code`` is valid for around ``at``, if any is later than ``after`` (the last one used)."""
    if not looks_like_code(code):
        return None
    totp = _totp(secret)
    now_step = totp.timecode(at)
    for offset in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
        step = now_step + offset
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(totp.at(at, counter_offset=offset), code):
            return step
    return None
