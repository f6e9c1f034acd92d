"""Where joining's mails lead, and in which language they are written."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from tenancy.mail import LOCALES, MailLocale

# People carry no language yet: the managers' mail about a request is in French first.
MANAGERS_LOCALE: MailLocale = "fr"


def locale_of(value: str | None) -> MailLocale:
    return next((known for known in LOCALES if known == value), "fr")


def invitation_link(base_url: str, token: str) -> str:
    return f"{base_url}/invitation/{quote(token, safe='')}"


def requests_link(base_url: str, workspace_identifier: str) -> str:
    """The Administration's pending requests, in that workspace (the app's sign-in honours ``workspace``)."""
    return f"{base_url}/administration/demandes?" + urlencode({"workspace": workspace_identifier})


def app_link(base_url: str) -> str:
    return f"{base_url}/"
