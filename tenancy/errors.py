"""Domain errors: what went wrong, on which field, in words a person understands."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ErrorCode(StrEnum):
    REQUIRED = "REQUIRED"
    INVALID = "INVALID"
    TOO_LONG = "TOO_LONG"
    INVALID_IDENTIFIER = "INVALID_IDENTIFIER"
    INVALID_DATE_RANGE = "INVALID_DATE_RANGE"
    DUPLICATE = "DUPLICATE"
    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN = "FORBIDDEN"
    LAST_PRINCIPAL_MANAGER = "LAST_PRINCIPAL_MANAGER"
    AMBIGUOUS = "AMBIGUOUS"  # an identifier several structures share (one per identifier type): name the type
    NOT_PENDING = "NOT_PENDING"  # a request or an invitation already answered, or withdrawn
    EXPIRED = "EXPIRED"  # an invitation past its seven days


@dataclass(frozen=True)
class FieldError:
    field: tuple[str, ...]
    code: ErrorCode
    message: str


class DomainError(Exception):
    """A refusal the caller can act on; carries one or more field errors."""

    def __init__(self, *errors: FieldError) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors

    @classmethod
    def single(cls, field: str | tuple[str, ...], code: ErrorCode, message: str) -> DomainError:
        path = (field,) if isinstance(field, str) else field
        return cls(FieldError(path, code, message))
