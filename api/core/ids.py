"""Global ids: opaque base64url of 'Type:uuid'. The tenant is never in an id; it comes from the token."""

from __future__ import annotations

import binascii
import uuid

from tenancy import base64url


def to_global_id(type_name: str, key: uuid.UUID) -> str:
    return base64url.encode(f"{type_name}:{key}".encode())


def from_global_id(value: str, expected_type: str | None = None) -> tuple[str, uuid.UUID] | None:
    """(type, key), or None for anything malformed: a bad id must answer like a missing one."""
    if not isinstance(value, str) or len(value) > 200:
        return None
    try:
        raw = base64url.decode(value).decode("ascii")
        type_name, _, key = raw.partition(":")
        parsed = uuid.UUID(key)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if expected_type is not None and type_name != expected_type:
        return None
    return type_name, parsed


def key_of(value: str, expected_type: str) -> uuid.UUID | None:
    decoded = from_global_id(value, expected_type)
    return decoded[1] if decoded else None
