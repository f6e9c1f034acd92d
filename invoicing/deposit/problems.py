"""What stops a deposit: one problem per broken rule, saying what to change, where, and which term."""

from __future__ import annotations

from dataclasses import dataclass

from invoicing.platform_codes import PlatformCode
from invoicing.validation.report import Report


@dataclass(frozen=True)
class Problem:
    code: str  # an EN 16931 rule id (BR-CO-15...), XSD, or one of the hub's FH-* platform rules
    message: str
    field: str | None = None  # the deposit's input field to change (document, recipientIdentifier, ...)
    bt: str | None = None  # the business term concerned (BT-10...)
    location: str | None = None  # XPath in the document, when the problem is inside it

    def as_json(self) -> dict[str, str | None]:
        return {
            "code": self.code,
            "message": self.message,
            "field": self.field,
            "bt": self.bt,
            "location": self.location,
        }


def platform_problem(
    code: PlatformCode, field: str, bt: str | None = None, case: str = "", /, **params: object
) -> Problem:
    """A broken rule of the hub's own, said in English as the API says it (the catalogue holds the French)."""
    return Problem(code, code.message("en", case, **params), field, bt)


def from_report(report: Report) -> list[Problem]:
    """The validation findings that refuse a deposit (fatal ones, whatever their source)."""
    return [
        Problem(f.rule, f.message, "document", f.bt, f.location or None) for f in report.findings if f.flag == "fatal"
    ]
