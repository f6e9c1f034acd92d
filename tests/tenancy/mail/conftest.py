"""A real SMTP server on loopback (aiosmtpd, in its own thread), started and stopped as a test needs."""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tenancy.mail.config import MailConfig, parse_sender


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    authenticated_as: str | None
    over_tls: bool


@dataclass
class Recorder:
    """aiosmtpd handler: keeps what it was given; refuses the recipients in ``refuse`` for good."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        login = session.auth_data if session.authenticated else None
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message, login, _encrypted(server)))
        return "250 OK"


def _encrypted(server: Any) -> bool:
    # STARTTLS or implicit TLS alike: the transport the DATA came on is a TLS one.
    return server.transport.get_extra_info("ssl_object") is not None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Authenticator:
    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user, password

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            self.user.encode(),
            self.password.encode(),
        )
        return AuthResult(success=ok, handled=False, auth_data=self.user if ok else None)


@dataclass
class SmtpServer:
    port: int
    recorder: Recorder
    controller: Controller | None = None

    @property
    def received(self) -> list[Received]:
        return self.recorder.received

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


StartSmtp = Callable[..., SmtpServer]


@pytest.fixture
def start_smtp() -> Iterator[StartSmtp]:
    """``start_smtp(port=None, **aiosmtpd_options)``: a server listening on 127.0.0.1 (a free port by default)."""
    servers: list[SmtpServer] = []

    def start(port: int | None = None, recorder: Recorder | None = None, **options: Any) -> SmtpServer:
        server = SmtpServer(port or free_port(), recorder or Recorder())
        controller = Controller(server.recorder, hostname="127.0.0.1", port=server.port, **options)
        controller.start()
        server.controller = controller
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@dataclass(frozen=True)
class Tls:
    ca_file: Path
    server_context: ssl.SSLContext


def _tls(tmp_path: Path, name: str) -> Tls:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    ca_file = tmp_path / f"{name}.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return Tls(ca_file, context)


@pytest.fixture
def tls(tmp_path: Path) -> Tls:
    """A throw-away CA (its PEM in ca_file) and a server context with a certificate it issued for 127.0.0.1."""
    return _tls(tmp_path, "ca")


@pytest.fixture
def other_tls(tmp_path: Path) -> Tls:
    return _tls(tmp_path, "other-ca")


def smtp_config(url: str, *, ca_file: Path | None = None, directory: Path | None = None) -> MailConfig:
    return MailConfig.build(
        smtp_url=url,
        sender="facturehub <no-reply@hub.example>",
        directory=directory or Path("unused"),
        ca_file=ca_file,
    )


SENDER = parse_sender("facturehub <no-reply@hub.example>")
