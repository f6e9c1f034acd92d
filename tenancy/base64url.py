"""Base64url without padding (RFC 4648 §5, as JOSE and opaque ids write it), and back."""

from __future__ import annotations

import base64


def encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def decode(text: str) -> bytes:
    """The bytes of ``text``, padded or not; ``ValueError`` (``binascii.Error``) when it is not base64url."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
