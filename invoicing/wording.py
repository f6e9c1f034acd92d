"""Words in two languages: a code's templates, and a message kept unsaid until its reader's language is known.

A refusal is made deep in the domain, long before anyone knows who reads it: the API answers in the language
of the request, a flux report is read days later by someone else. So what the domain keeps is a ``Wording``
(the code, the case, the parameters) and each reader renders it in their language.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, Protocol

Locale = Literal["fr", "en"]
LOCALES: tuple[Locale, ...] = ("fr", "en")


def locale_of(value: object) -> Locale:
    return "en" if value == "en" else "fr"


@dataclass(frozen=True)
class Template:
    """One message in both languages; its ``{name}`` fields are its parameters, the same in both."""

    fr: str
    en: str

    def text(self, locale: Locale) -> str:
        return self.fr if locale == "fr" else self.en

    def params(self, locale: Locale) -> frozenset[str]:
        return frozenset(name for _, name, _, _ in string.Formatter().parse(self.text(locale)) if name)

    def render(self, locale: Locale, params: Mapping[str, object]) -> str:
        return self.text(locale).format_map(params)


class Said(Protocol):
    """Anything that can be put in either language."""

    def text(self, locale: Locale) -> str: ...


class Worded:
    """What a code of a catalogue says: each of its cases is a template, ``""`` the usual one."""

    @property
    def cases(self) -> Mapping[str, Template]:
        raise NotImplementedError

    def message(self, locale: Locale, case: str = "", /, **params: object) -> str:
        return self.cases[case].render(locale, params)

    def words(self, case: str = "", /, **params: object) -> Wording:
        """This code's message for ``case``, to be rendered later in each reader's language."""
        self.cases[case]  # an unknown case fails here, where it is written, not where it is read
        return Wording(self, case, {name: _kept(value) for name, value in params.items()})


def _kept(value: object) -> object:
    # Parameters are stored in reports (JSON) and rendered again later: keep numbers as numbers (a template
    # may format them, ``{high:,}``) and everything else as the text it would have been rendered as.
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        return str(value)
    return value


@dataclass(frozen=True)
class Wording:
    code: Worded
    case: str = ""
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    def text(self, locale: Locale) -> str:
        return self.code.message(locale, self.case, **self.params)

    def as_json(self) -> dict[str, object]:
        """What a stored report keeps to say it again (``case`` and JSON-safe ``params``)."""
        return {
            "case": self.case,
            "params": {k: (str(v) if isinstance(v, Decimal) else v) for k, v in self.params.items()},
        }


@dataclass(frozen=True)
class Plain:
    """Words that exist in one language only (a parser's message, a text stored before wordings were)."""

    words: str

    def text(self, locale: Locale) -> str:
        return self.words
