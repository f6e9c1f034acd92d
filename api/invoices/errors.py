"""What an invoice mutation answers when it refuses: a typed code, the rule, the field and the term."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import strawberry

from api.core.said import Explained
from invoicing.deposit.problems import Problem
from invoicing.lifecycle.service import ActionRefused
from invoicing.platform_codes import CodeKind, PlatformCode
from invoicing.refusal_codes import RefusalCode
from invoicing.wording import Plain, Said


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
class InvoiceError(Explained):
    field: list[str] | None = strawberry.field(
        description="Path to the input field to change, e.g. ['input', 'document']."
    )
    code: InvoiceErrorCode
    rule: str | None = strawberry.field(description="The rule broken: an EN 16931 id (BR-CO-15...) or FH-*.")
    location: str | None = strawberry.field(description="Where in the document (XPath), when inside it.")

    @classmethod
    def for_input(cls, field: list[str], message: str) -> InvoiceError:
        """An input the API refuses before any domain work (``api.core.mutation.CheckedText``)."""
        return cls(
            field=field, code=InvoiceErrorCodeValue.INVALID, rule=None, said=Plain(message), bt=None, location=None
        )


# Every kind of platform code is a PLATFORM_RULE but the duplicate number, which clients handle apart.
_OF_KIND: dict[CodeKind, InvoiceErrorCodeValue] = {
    kind: InvoiceErrorCodeValue.DUPLICATE_NUMBER if kind is CodeKind.DUPLICATE else InvoiceErrorCodeValue.PLATFORM_RULE
    for kind in CodeKind
}
_OF_REFUSAL: dict[RefusalCode, InvoiceErrorCodeValue] = {
    RefusalCode.NOT_FOUND: InvoiceErrorCodeValue.NOT_FOUND,
    RefusalCode.FORBIDDEN_TRANSITION: InvoiceErrorCodeValue.FORBIDDEN_TRANSITION,
    RefusalCode.REASON_REQUIRED: InvoiceErrorCodeValue.REASON_REQUIRED,
    RefusalCode.CONFLICT: InvoiceErrorCodeValue.CONFLICT,
    RefusalCode.INVALID: InvoiceErrorCodeValue.INVALID,
}


def _code_of_rule(rule: str) -> InvoiceErrorCodeValue:
    """The hub's own rules by their kind; any other rule id (BR-CO-15, XSD...) is the document's."""
    code = PlatformCode.of(rule)
    return InvoiceErrorCodeValue.DOCUMENT_INVALID if code is None else _OF_KIND[code.kind]


def from_problem(problem: Problem) -> InvoiceError:
    return InvoiceError(
        field=["input", problem.field] if problem.field else None,
        code=_code_of_rule(problem.code),
        rule=problem.code,
        said=problem,
        bt=problem.bt,
        location=problem.location,
    )


def line_error(problem: Problem) -> InvoiceError:
    """A problem on a typed-in line, whose field is dotted (``lines.0.quantity``), at its input path."""
    error = from_problem(problem)
    error.field = ["input", *(problem.field or "").split(".")]
    return error


def from_refusal(refusal: ActionRefused) -> InvoiceError:
    if isinstance(refusal.code, RefusalCode):
        code, rule = _OF_REFUSAL[refusal.code], None
    else:
        code, rule = _OF_KIND[refusal.code.kind], refusal.code.value
    return InvoiceError(
        field=["input", refusal.field] if refusal.field else None,
        code=code,
        rule=rule,
        said=refusal.said,
        bt=None,
        location=None,
    )


def invoice_error(code: InvoiceErrorCodeValue, said: Said, field: str | None = None) -> InvoiceError:
    return InvoiceError(
        field=["input", field] if field else None, code=code, rule=None, said=said, bt=None, location=None
    )
