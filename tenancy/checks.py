"""Small field checks shared by the tenancy services; each failure names the field and the reason."""

from __future__ import annotations

import re

from tenancy.errors import DomainError, ErrorCode

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def text(field: str, value: str | None, *, max_length: int, required: bool = False) -> str | None:
    if value is None or not value.strip():
        if required:
            raise DomainError.single(field, ErrorCode.REQUIRED, f"{field} is required")
        return None
    value = value.strip()
    if len(value) > max_length:
        raise DomainError.single(
            field, ErrorCode.TOO_LONG, f"{field} is {len(value)} characters long; at most {max_length}"
        )
    if CONTROL.search(value):
        raise DomainError.single(field, ErrorCode.INVALID, f"{field} contains control characters")
    return value


def required_text(field: str, value: str | None, *, max_length: int) -> str:
    checked = text(field, value, max_length=max_length, required=True)
    assert checked is not None
    return checked


def email(field: str, value: str | None) -> str | None:
    checked = text(field, value, max_length=254)
    if checked is not None and not EMAIL.match(checked):
        raise DomainError.single(field, ErrorCode.INVALID, f"{field} '{checked}' is not an e-mail address")
    return checked.lower() if checked else None
