"""The free texts of joining (a requester's message, a decline's reason): several lines allowed."""

from __future__ import annotations

import re

from tenancy.errors import DomainError, ErrorCode

MAX_MESSAGE = 2000
# Line breaks and tabs are how people write a message; every other control character is refused.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def free_text(field: str, value: str | None, *, required: bool) -> str | None:
    cleaned = (value or "").replace("\r\n", "\n").strip()
    if not cleaned:
        if required:
            raise DomainError.single(field, ErrorCode.REQUIRED, f"{field} is required")
        return None
    if len(cleaned) > MAX_MESSAGE:
        raise DomainError.single(
            field, ErrorCode.TOO_LONG, f"{field} is {len(cleaned)} characters long; at most {MAX_MESSAGE}"
        )
    if _CONTROL.search(cleaned):
        raise DomainError.single(field, ErrorCode.INVALID, f"{field} contains control characters")
    return cleaned
