"""The official rules' findings in French: each message the four stylesheets can report, and the XSD findings.

The CEN and Factur-X stylesheets speak English only. ``words/rules_fr.json`` holds, for each rule id, the
French of each English text that id carries (one text nearly always; a few ids say slightly different things
in the UBL and CII stylesheets, and the Factur-X profiles reuse the CEN texts under their own ids). The French
follows NF EN 16931-1's names for the terms and keeps every BT-/BG- number of the English, so a clerk reads
the same rule in either language. A text is looked up by its exact English, as the report carries it: an
artefact release that rewords a rule then falls back to English instead of showing the French of another
sentence (the tests, which read the stylesheets, notice it first).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources

from invoicing.formats.syntax import Syntax
from invoicing.wording import Locale

# The rule ids validate.py gives to lxml's schema errors: the syntax's XSD and the Factur-X profile's XSD.
XSD_RULE = "XSD"
PROFILE_XSD_RULE = "FX-XSD"

_SYNTAX_NAMES = {
    Syntax.UBL_INVOICE: "UBL 2.1 (Invoice)",
    Syntax.UBL_CREDITNOTE: "UBL 2.1 (CreditNote)",
    Syntax.CII: "CII D16B",
}


@functools.cache
def french_texts() -> dict[str, dict[str, str]]:
    """Rule id -> English text -> French text."""
    data = resources.files("invoicing.validation").joinpath("words", "rules_fr.json").read_text(encoding="utf-8")
    texts: dict[str, dict[str, str]] = json.loads(data)
    return texts


def _schema_message(rule_id: str, english: str, syntax: Syntax | None) -> str:
    # lxml's detail (element names, expected content) stays as lxml wrote it: it names the XML, not the term.
    if rule_id == PROFILE_XSD_RULE:
        return f"Le fichier ne respecte pas le schéma XML du profil Factur-X qu'il déclare : {english}"
    name = _SYNTAX_NAMES.get(syntax) if syntax is not None else None
    where = f"de la syntaxe {name}" if name else "de sa syntaxe"
    return f"Le fichier ne respecte pas le schéma XML {where} : {english}"


def rule_message(rule_id: str, locale: Locale, english: str, syntax: Syntax | None = None) -> str:
    """The message of a finding of rule ``rule_id`` in ``locale``, from the English the report carries.

    ``syntax`` names the schema in an XSD finding's French lead sentence. A text with no French (a rule the
    pinned stylesheets do not have) comes back in English.
    """
    if locale == "en":
        return english
    if rule_id in (XSD_RULE, PROFILE_XSD_RULE):
        return _schema_message(rule_id, english, syntax)
    return french_texts().get(rule_id, {}).get(" ".join(english.split()), english)


@dataclass(frozen=True)
class RuleWords:
    """A finding's message as the artefact wrote it, said in each reader's language."""

    rule: str
    english: str
    syntax: Syntax | None = None

    def text(self, locale: Locale) -> str:
        return rule_message(self.rule, locale, self.english, self.syntax)
