"""A mail's subject, text part and HTML part, from its template, its language and its parameters.

Each template is written once per language and rendered by two Jinja environments over the same files:
the text one (no escaping, paragraphs wrapped at 76 columns) and the HTML one (every parameter escaped by
autoescape, so a hostile name or reason stays text). The two differ only by the layout and the small
macros (``_parts.txt`` / ``_parts.html``: paragraph, action link, quote) they hand the template, so the
parts cannot drift apart. Nothing is tracked: no images, no pixels, links exactly as given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from tenancy.mail.catalogue import LOCALES, PARAMS, ROLES, MailLocale, MailTemplate

MAX_PARAM_CHARS = 4000
MAX_SUBJECT_CHARS = 250


class MailParamsError(ValueError):
    """A mail asked for with a template, language or parameters it does not have: a bug of the caller."""


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str
    links: tuple[str, ...]  # the mail's link parameters, in the order the text part gives them


_BREAKS = re.compile(r"[ \t\r\n]+")  # not the no-break spaces French puts before : ; ? !


def _squash(value: str) -> str:
    """Runs of spaces and line breaks (the template's own) as one space; escaped markup stays escaped."""
    squashed = _BREAKS.sub(" ", value).strip()
    # S704: the value was escaped markup already, and only whitespace was taken out of it.
    return Markup(squashed) if isinstance(value, Markup) else squashed  # noqa: S704


def _environment(kind: Literal["txt", "html"]) -> Environment:
    env = Environment(
        loader=PackageLoader("tenancy.mail", "templates"),
        autoescape=kind == "html",  # noqa: S701 (the other one writes the text/plain part, never read as HTML)
        undefined=StrictUndefined,  # a parameter a template names but was not given fails, never renders empty
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(layout=f"_layout.{kind}", parts=f"_parts.{kind}")
    env.filters["squash"] = _squash
    return env


_TEXT = _environment("txt")
_HTML = _environment("html")


def check(template: MailTemplate | str, locale: str, params: Mapping[str, object]) -> MailTemplate:
    """The template, if the language and the parameters are the ones it takes; else a MailParamsError saying why."""
    try:
        known = MailTemplate(template)
    except ValueError:
        raise MailParamsError(f"no mail template {template!r}") from None
    if locale not in LOCALES:
        raise MailParamsError(f"mail {known}: locale {locale!r} is not one of {', '.join(LOCALES)}")
    spec = PARAMS[known]
    missing = sorted(spec.required - params.keys())
    unknown = sorted(params.keys() - spec.allowed)
    if missing or unknown:
        said = [f"missing {', '.join(missing)}"] * bool(missing) + [f"unknown {', '.join(unknown)}"] * bool(unknown)
        raise MailParamsError(f"mail {known}: {'; '.join(said)}")
    for name, value in params.items():
        if not isinstance(value, str):
            raise MailParamsError(f"mail {known}: {name} must be a string, not {type(value).__name__}")
        if len(value) > MAX_PARAM_CHARS:
            raise MailParamsError(f"mail {known}: {name} is longer than {MAX_PARAM_CHARS} characters")
        if name.endswith("link"):
            url = urlsplit(value)
            if url.scheme not in ("http", "https") or not url.netloc or re.search(r"\s", value):
                raise MailParamsError(f"mail {known}: {name} must be an absolute http(s) URL, not {value!r}")
        if name == "role" and value not in ROLES:
            raise MailParamsError(f"mail {known}: role {value!r} is not one of {', '.join(ROLES)}")
    return known


def render(template: MailTemplate | str, locale: MailLocale | str, params: Mapping[str, str]) -> RenderedMail:
    known = check(template, locale, params)
    name = f"{locale}/{known.value}.j2"
    variables = {**params, "lang": locale}
    text_template = _TEXT.get_template(name)
    subject = _squash("".join(text_template.blocks["subject"](text_template.new_context(variables))))
    if not subject or len(subject) > MAX_SUBJECT_CHARS:
        raise MailParamsError(f"mail {known}: the subject is empty or longer than {MAX_SUBJECT_CHARS} characters")
    text = text_template.render(variables)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    html = _HTML.get_template(name).render(variables)
    links = sorted((text.find(value), value) for key, value in params.items() if key.endswith("link") and value in text)
    return RenderedMail(subject=subject, text=text, html=html, links=tuple(value for _, value in links))
