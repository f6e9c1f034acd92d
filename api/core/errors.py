"""Errors a client may see: user errors in payloads, and the few top-level ones (never masked)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from graphql import GraphQLError

from tenancy.errors import DomainError, ErrorCode

UserErrorCode = Annotated[
    ErrorCode, strawberry.enum(name="UserErrorCode", description="Why a mutation refused its input.")
]


@strawberry.type(description="A problem with the input of a mutation; nothing was changed.")
class UserError:
    field: list[str] | None = strawberry.field(description="Path to the input field, e.g. ['input', 'code'].")
    code: UserErrorCode
    message: str

    @classmethod
    def for_input(cls, field: list[str], message: str) -> UserError:
        """An input the API refuses before any domain work (``api.core.mutation.CheckedText``)."""
        return cls(field=field, code=ErrorCode.INVALID, message=message)


def user_errors(error: DomainError) -> list[UserError]:
    return [UserError(field=["input", *e.field], code=e.code, message=e.message) for e in error.errors]


def not_found(field: str, what: str) -> list[UserError]:
    return [UserError(field=["input", field], code=ErrorCode.NOT_FOUND, message=f"no such {what} in this workspace")]


class PublicError(GraphQLError):
    """A top-level error whose message is written for the client (bad arguments, limits, permissions)."""

    code = "BAD_USER_INPUT"

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message, extensions={"code": self.code, **extensions})


class Forbidden(PublicError):
    code = "FORBIDDEN"


def should_mask(error: GraphQLError) -> bool:
    """Mask what a resolver did not mean to say: any exception that is not a GraphQLError of ours."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)
