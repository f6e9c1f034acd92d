"""What an invoice mutation answers when it refuses: a typed code, the rule, the field and the term."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import strawberry

from invoicing.deposit.problems import Problem
from invoicing.lifecycle.service import ActionRefused


class InvoiceErrorCodeValue(StrEnum):
    DOCUMENT_INVALID = "DOCUMENT_INVALID"  # an EN 16931 / XSD / profile rule: see `rule`
    PLATFORM_RULE = "PLATFORM_RULE"  # one of the hub's FH-* deposit rules: see `rule`
    DUPLICATE_NUMBER = "DUPLICATE_NUMBER"
    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN_TRANSITION = "FORBIDDEN_TRANSITION"
    REASON_REQUIRED = "REASON_REQUIRED"
    CONFLICT = "CONFLICT"
    INVALID = "INVALID"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"


InvoiceErrorCode = Annotated[
    InvoiceErrorCodeValue,
    strawberry.enum(name="InvoiceErrorCode", description="Why an invoice mutation refused (see also `rule`)."),
]


@strawberry.type(description="A problem with an invoice or an action on it; nothing was stored or changed.")
class InvoiceError:
    field: list[str] | None = strawberry.field(
        description="Path to the input field to change, e.g. ['input', 'document']."
    )
    code: InvoiceErrorCode
    rule: str | None = strawberry.field(description="The rule broken: an EN 16931 id (BR-CO-15...) or FH-*.")
    message: str
    bt: str | None = strawberry.field(description="The business term concerned (BT-10...), when there is one.")
    location: str | None = strawberry.field(description="Where in the document (XPath), when inside it.")

    @classmethod
    def for_input(cls, field: list[str], message: str) -> InvoiceError:
        """An input the API refuses before any domain work (``api.core.mutation.CheckedText``)."""
        return cls(field=field, code=InvoiceErrorCodeValue.INVALID, rule=None, message=message, bt=None, location=None)


def _code_of_rule(rule: str) -> InvoiceErrorCodeValue:
    if rule == "FH-DUPLICATE-NUMBER":
        return InvoiceErrorCodeValue.DUPLICATE_NUMBER
    if rule.startswith("FH-"):
        return InvoiceErrorCodeValue.PLATFORM_RULE
    return InvoiceErrorCodeValue.DOCUMENT_INVALID


def from_problem(problem: Problem) -> InvoiceError:
    return InvoiceError(
        field=["input", problem.field] if problem.field else None,
        code=_code_of_rule(problem.code),
        rule=problem.code,
        message=problem.message,
        bt=problem.bt,
        location=problem.location,
    )


def line_error(problem: Problem) -> InvoiceError:
    """A problem on a typed-in line, whose field is dotted (``lines.0.quantity``), at its input path."""
    error = from_problem(problem)
    error.field = ["input", *(problem.field or "").split(".")]
    return error


def from_refusal(refusal: ActionRefused) -> InvoiceError:
    try:
        code = InvoiceErrorCodeValue(refusal.code)
        rule = None
    except ValueError:
        code, rule = _code_of_rule(refusal.code), refusal.code
    return InvoiceError(
        field=["input", refusal.field] if refusal.field else None,
        code=code,
        rule=rule,
        message=refusal.message,
        bt=None,
        location=None,
    )


def invoice_error(code: InvoiceErrorCodeValue, message: str, field: str | None = None) -> InvoiceError:
    return InvoiceError(
        field=["input", field] if field else None, code=code, rule=None, message=message, bt=None, location=None
    )
