"""Where mail goes: an SMTP server (``FACTUREHUB_SMTP_URL``) or, without one, ``.eml`` files in a directory.

The URL says it all: ``smtp://USER:PASSWORD@HOST:PORT`` speaks STARTTLS when the server offers it
(``?starttls=required`` refuses to go on without it), ``smtps://`` is TLS from the first byte. A password is
never sent in clear: with a user in an ``smtp://`` URL to a host other than loopback, STARTTLS is required.
"""

from __future__ import annotations

import email.policy
import ipaddress
import ssl
from dataclasses import dataclass, field
from email.headerregistry import Address
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_FROM = "facturehub <no-reply@localhost>"
DEFAULT_DIR = Path("var/mail")
SMTP_TIMEOUT_S = 30.0
_PORTS = {"smtp": 587, "smtps": 465}
_STARTTLS = ("opportunistic", "required")


class MailConfigError(ValueError):
    """A mail setting that cannot work, said with the setting's name."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    implicit_tls: bool  # smtps://
    starttls_required: bool  # smtp:// refuses a server without STARTTLS
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in _PORTS:
            raise MailConfigError(f"FACTUREHUB_SMTP_URL: the scheme must be smtp:// or smtps://, not {scheme!r}")
        if not parts.hostname:
            raise MailConfigError("FACTUREHUB_SMTP_URL: no host (smtp://USER:PASSWORD@HOST:PORT)")
        try:
            port = parts.port or _PORTS[scheme]
        except ValueError as exc:  # a port out of range or not a number
            raise MailConfigError(f"FACTUREHUB_SMTP_URL: {exc}") from None
        query = parse_qs(parts.query, keep_blank_values=True)
        unknown = sorted(set(query) - {"starttls"})
        if unknown:
            raise MailConfigError(f"FACTUREHUB_SMTP_URL: unknown parameter(s) {', '.join(unknown)} (only starttls)")
        starttls = query.get("starttls", ["opportunistic"])[-1]
        if starttls not in _STARTTLS:
            raise MailConfigError(f"FACTUREHUB_SMTP_URL: starttls must be one of {', '.join(_STARTTLS)}")
        if scheme == "smtps" and "starttls" in query:
            raise MailConfigError("FACTUREHUB_SMTP_URL: smtps:// is TLS already; starttls is for smtp://")
        username = unquote(parts.username) if parts.username else None
        password = unquote(parts.password) if parts.password is not None else None
        if password is not None and username is None:
            raise MailConfigError("FACTUREHUB_SMTP_URL: a password without a user")
        required = starttls == "required" or (
            scheme == "smtp" and username is not None and not _is_loopback(parts.hostname)
        )
        return cls(
            host=parts.hostname,
            port=port,
            implicit_tls=scheme == "smtps",
            starttls_required=required,
            username=username,
            password=password,
        )


def parse_sender(value: str) -> Address:
    """The one From address (``Name <address>`` or a bare address), or a MailConfigError naming the defect."""
    header = email.policy.default.header_factory("From", value)
    if header.defects or len(header.addresses) != 1 or not header.addresses[0].domain:
        raise MailConfigError(f"FACTUREHUB_MAIL_FROM: one address such as {DEFAULT_FROM!r}, not {value!r}")
    sender: Address = header.addresses[0]
    return sender


@dataclass(frozen=True)
class MailConfig:
    """What the mail sender needs: the From address, and an SMTP server or a directory for ``.eml`` files."""

    sender: Address = field(default_factory=lambda: parse_sender(DEFAULT_FROM))
    smtp: SmtpServer | None = None
    directory: Path = DEFAULT_DIR
    ca_file: Path | None = None  # trust this CA (PEM) for the SMTP server instead of the system's

    @classmethod
    def build(cls, *, smtp_url: str | None, sender: str, directory: Path, ca_file: Path | None = None) -> MailConfig:
        if ca_file is not None and not ca_file.is_file():
            raise MailConfigError(f"FACTUREHUB_SMTP_CA_FILE: {ca_file} is not a file")
        return cls(
            sender=parse_sender(sender),
            smtp=SmtpServer.from_url(smtp_url) if smtp_url else None,
            directory=directory,
            ca_file=ca_file,
        )

    def tls_context(self) -> ssl.SSLContext:
        """Certificates verified against the system's CAs, or only against ``ca_file`` when set."""
        return ssl.create_default_context(cafile=str(self.ca_file) if self.ca_file else None)
