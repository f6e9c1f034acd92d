"""What stops a deposit: one problem per broken rule, saying what to change, where, and which term."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from invoicing.platform_codes import PlatformCode
from invoicing.validation.report import Report
from invoicing.validation.rule_words import RuleWords
from invoicing.wording import Locale, Said, Wording


@dataclass(frozen=True)
class Problem:
    code: str  # an EN 16931 rule id (BR-CO-15...), XSD, or one of the hub's FH-* platform rules
    message: str
    field: str | None = None  # the deposit's input field to change (document, recipientIdentifier, ...)
    bt: str | None = None  # the business term concerned (BT-10...)
    location: str | None = None  # XPath in the document, when the problem is inside it
    # The message for each reader's language; ``message`` is its English, what reports and logs keep.
    said: Said | None = dataclasses.field(default=None, compare=False)

    def text(self, locale: Locale) -> str:
        return (self.said or RuleWords(self.code, self.message)).text(locale)

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "code": self.code,
            "message": self.message,
            "field": self.field,
            "bt": self.bt,
            "location": self.location,
        }
        if isinstance(self.said, Wording):
            out.update(self.said.as_json())  # so a stored report can say it again in its reader's language
        return out

    @classmethod
    def from_json(cls, entry: Mapping[str, Any]) -> Problem:
        """A problem as a stored report kept it (``as_json``), with its words when the report has them."""
        code, message = str(entry.get("code")), str(entry.get("message"))
        platform, params = PlatformCode.of(code), entry.get("params")
        said: Said | None = None
        if platform is not None and isinstance(params, dict) and entry.get("case", "") in platform.cases:
            said = Wording(platform, str(entry.get("case", "")), params)
        return cls(code, message, _text(entry.get("field")), _text(entry.get("bt")), _text(entry.get("location")), said)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def platform_problem(
    code: PlatformCode, field: str, bt: str | None = None, case: str = "", /, **params: object
) -> Problem:
    """A broken rule of the hub's own, in words each reader gets in their language."""
    said = code.words(case, **params)
    return Problem(code, said.text("en"), field, bt, said=said)


def from_report(report: Report) -> list[Problem]:
    """The validation findings that refuse a deposit (fatal ones, whatever their source)."""
    return [
        Problem(f.rule, f.message, "document", f.bt, f.location or None, said=f.said)
        for f in report.findings
        if f.flag == "fatal"
    ]
