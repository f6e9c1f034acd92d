"""Every template in both languages: its parameters, its two parts, what reaches the reader escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tenancy.mail.catalogue import LOCALES, PARAMS, MailTemplate
from tenancy.mail.rendering import MailParamsError, render

HOSTILE = "<img src=x onerror=alert(1)>"


def sample(template: MailTemplate) -> dict[str, str]:
    values = {"role": "GESTIONNAIRE", "new_email": "nouvelle@example.fr", "requester_email": "demandeur@example.fr"}
    spec = PARAMS[template]
    return {
        name: values.get(
            name, f"https://hub.example/{template}/{name}?t=tok3n" if name.endswith("link") else f"«{name}»"
        )
        for name in sorted(spec.allowed)
    }


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [value or "" for name, value in attrs if name == "href"]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(html: str) -> _Html:
    parser = _Html()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("template", list(MailTemplate))
def test_each_template_renders_both_parts_with_every_parameter_and_link(template: MailTemplate, locale: str) -> None:
    params = sample(template)
    mail = render(template, locale, params)
    html = parsed(mail.html)
    assert mail.subject and "\n" not in mail.subject and "{" not in mail.subject
    assert f'<html lang="{locale}">' in mail.html
    for name, value in params.items():
        # Every parameter is said in both parts (the role by its name in the reader's language).
        if name == "role":
            word = {"fr": "gestionnaire", "en": "manager"}[locale]
            assert word in mail.text and word in mail.html
            assert value not in mail.text
        else:
            assert value in mail.text, name
            assert value in "".join(html.text), name
    links = [value for name, value in params.items() if name.endswith("link")]
    assert sorted(mail.links) == sorted(links)
    assert re.findall(r"https?://\S+", mail.text) == list(mail.links)  # the text part has no other link
    assert set(html.hrefs) == set(links)  # and the HTML part links nowhere else
    assert "img" not in html.tags and "script" not in html.tags  # nothing tracked, nothing run
    assert all(len(line) <= 76 or "://" in line for line in mail.text.splitlines())
    assert "-- \n" in mail.text  # the footer, after the signature separator
    assert ("Bonjour" if locale == "fr" else "Hello") in mail.text


def test_french_and_english_say_different_words_for_the_same_mail() -> None:
    params = sample(MailTemplate.PASSWORD_RESET)
    french, english = render("password_reset", "fr", params), render("password_reset", "en", params)
    assert french.subject == "Réinitialisation de votre mot de passe"
    assert english.subject == "Reset your password"
    assert "valable une heure" in french.text and "valid for one hour" in english.text
    assert "\u00a0:" in french.text  # French punctuation keeps its no-break space, not wrapped away


def test_a_hostile_parameter_is_text_in_both_parts() -> None:
    mail = render(
        MailTemplate.MEMBERSHIP_DECLINED,
        "fr",
        {"structure_name": HOSTILE, "reason": f'"><script>alert(2)</script>\n{HOSTILE}'},
    )
    html = parsed(mail.html)
    assert HOSTILE not in mail.html and "<script>" not in mail.html
    assert "&lt;img src=x onerror=alert(1)&gt;" in mail.html
    assert html.tags.count("img") == 0 and "script" not in html.tags
    assert HOSTILE in "".join(html.text)  # what the reader sees is the text as written
    assert HOSTILE in mail.text and mail.subject == f"Votre demande de rattachement à {HOSTILE} n’a pas été acceptée"
    assert f"> {HOSTILE}" in mail.text  # the reason, quoted line by line


def test_a_parameter_cannot_break_the_subject_line() -> None:
    mail = render(MailTemplate.INVITATION, "en", {**sample(MailTemplate.INVITATION), "structure_name": "A\r\nBcc: x@y"})
    assert mail.subject == "Invitation to join A Bcc: x@y on facturehub"


@pytest.mark.parametrize(
    ("template", "locale", "params", "said"),
    [
        ("no_such_mail", "fr", {}, "no mail template 'no_such_mail'"),
        ("password_reset", "de", {"link": "https://h/x"}, "locale 'de' is not one of fr, en"),
        ("password_reset", "fr", {}, "mail password_reset: missing link"),
        ("password_reset", "fr", {"link": "https://h/x", "name": "A"}, "mail password_reset: unknown name"),
        ("password_reset", "fr", {"link": "javascript:alert(1)"}, "link must be an absolute http(s) URL"),
        ("password_reset", "fr", {"link": "https://h/x y"}, "link must be an absolute http(s) URL"),
        ("password_reset", "fr", {"link": "/relative"}, "link must be an absolute http(s) URL"),
        ("password_reset", "fr", {"link": 3}, "link must be a string, not int"),
        ("password_reset", "fr", {"link": "https://h/" + "x" * 4000}, "longer than 4000 characters"),
        (
            "invitation",
            "fr",
            {"link": "https://h/i", "structure_name": "S", "inviter_name": "I", "role": "ADMIN"},
            "role 'ADMIN' is not one of GESTIONNAIRE_PRINCIPAL",
        ),
    ],
)
def test_a_wrong_template_language_or_parameter_is_refused_with_what_is_wrong(
    template: str, locale: str, params: dict[str, object], said: str
) -> None:
    with pytest.raises(MailParamsError) as refused:
        render(template, locale, params)  # type: ignore[arg-type]
    assert said in str(refused.value)


def test_an_optional_parameter_may_be_left_out() -> None:
    params = sample(MailTemplate.MEMBERSHIP_REQUEST)
    del params["message"]
    mail = render(MailTemplate.MEMBERSHIP_REQUEST, "en", params)
    assert "Their message" not in mail.text and "blockquote" not in mail.html
    with_message = render(MailTemplate.MEMBERSHIP_REQUEST, "en", {**params, "message": "Hello\nthere"})
    assert "> Hello\n> there" in with_message.text and "<blockquote" in with_message.html
