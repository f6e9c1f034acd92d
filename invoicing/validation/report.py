"""What validating one document found: the verdict and every broken rule, with where and which term."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from invoicing.formats.syntax import Syntax
from invoicing.validation.rule_words import RuleWords
from invoicing.wording import Locale, Said

Flag = Literal["fatal", "warning"]
# Where a finding comes from: the input layer (facturehub's own FH-* refusals), the XSD, the official
# EN 16931 artefact, or the Factur-X profile schematron chosen from BT-24.
Source = Literal["input", "xsd", "en16931", "profile"]

_TERM = re.compile(r"\b(B[TG]-\d+)\b")


def business_term(message: str) -> str | None:
    """The first BT-/BG- number a rule message names (the CEN messages always name the term they check)."""
    match = _TERM.search(message)
    return match.group(1) if match else None


@dataclass(frozen=True)
class Finding:
    rule: str
    flag: Flag
    message: str
    location: str
    bt: str | None
    source: Source
    # The message in each reader's language; ``message`` is the English the artefacts and the hub write.
    said: Said | None = field(default=None, compare=False)

    def text(self, locale: Locale) -> str:
        return (self.said or RuleWords(self.rule, self.message)).text(locale)

    def as_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "flag": self.flag, "message": self.message, "location": self.location, "bt": self.bt}


@dataclass
class Report:
    syntax: Syntax
    xsd_valid: bool = False
    profile: str | None = None
    findings: list[Finding] = field(default_factory=list)
    container: str | None = None
    embedded_file: str | None = None

    def _ids(self, flag: Flag, *sources: Source) -> list[str]:
        return sorted({f.rule for f in self.findings if f.flag == flag and f.source in sources})

    @property
    def fatal(self) -> list[str]:
        """Fatal ids of the EN 16931 rules, the set the official artefacts report."""
        return self._ids("fatal", "en16931")

    @property
    def warning(self) -> list[str]:
        return self._ids("warning", "en16931")

    @property
    def profile_fatal(self) -> list[str]:
        return self._ids("fatal", "profile")

    @property
    def refusals(self) -> list[Finding]:
        return [f for f in self.findings if f.source == "input"]

    @property
    def valid(self) -> bool:
        """Valid means what the official validators mean: a known syntax, XSD-valid, no fatal EN 16931 rule."""
        known = self.syntax in (Syntax.UBL_INVOICE, Syntax.UBL_CREDITNOTE, Syntax.CII)
        return known and self.xsd_valid and not self.fatal and not self.refusals

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "syntax": str(self.syntax),
            "fatal": self.fatal,
            "warning": self.warning,
            "xsd_valid": self.xsd_valid,
            "profile": self.profile,
            "errors": [f.as_json() for f in self.findings],
        }
        if self.profile_fatal:
            out["profile_fatal"] = self.profile_fatal
        if self.container:
            out["container"] = self.container
            out["embedded_file"] = self.embedded_file
        return out
