"""FACTUREHUB_SMTP_URL, _MAIL_FROM and _SMTP_CA_FILE: what each URL means, and a clear refusal of what cannot work."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from api.settings import Settings
from tenancy.mail.address import InvalidAddress, recipient
from tenancy.mail.config import MailConfig, MailConfigError, SmtpServer


@pytest.mark.parametrize(
    ("url", "host", "port", "implicit", "required", "user", "password"),
    [
        ("smtp://mail.example", "mail.example", 587, False, False, None, None),
        ("smtp://mail.example:25?starttls=required", "mail.example", 25, False, True, None, None),
        ("smtps://mail.example", "mail.example", 465, True, False, None, None),
        # A password never crosses in clear: a user in an smtp:// URL asks for STARTTLS, but on loopback.
        ("smtp://ada:s%40cret@mail.example:2525", "mail.example", 2525, False, True, "ada", "s@cret"),
        ("smtp://ada:pw@127.0.0.1:2525", "127.0.0.1", 2525, False, False, "ada", "pw"),
        ("smtp://ada:pw@[::1]:2525", "::1", 2525, False, False, "ada", "pw"),
        ("smtps://ada:pw@mail.example", "mail.example", 465, True, False, "ada", "pw"),
    ],
)
def test_an_smtp_url_says_host_port_tls_and_credentials(
    url: str, host: str, port: int, implicit: bool, required: bool, user: str | None, password: str | None
) -> None:
    server = SmtpServer.from_url(url)
    assert (server.host, server.port, server.implicit_tls, server.starttls_required) == (host, port, implicit, required)
    assert (server.username, server.password) == (user, password)
    assert "pw" not in repr(server) and "cret" not in repr(server)


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://mail.example", "the scheme must be smtp:// or smtps://"),
        ("smtp://", "no host"),
        ("smtp://mail.example:99999", "out of range"),
        ("smtp://mail.example?tls=yes", "unknown parameter(s) tls"),
        ("smtp://mail.example?starttls=sometimes", "starttls must be one of opportunistic, required"),
        ("smtps://mail.example?starttls=required", "smtps:// is TLS already"),
        ("smtp://:pw@mail.example", "a password without a user"),
    ],
)
def test_an_smtp_url_that_cannot_work_is_refused_by_name(url: str, said: str) -> None:
    with pytest.raises(MailConfigError) as refused:
        SmtpServer.from_url(url)
    assert said in str(refused.value) and "FACTUREHUB_SMTP_URL" in str(refused.value)


def test_the_settings_refuse_a_bad_url_without_repeating_its_password() -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(smtp_url="smtp://ada:hunter2@mail.example?tls=1")
    assert "unknown parameter(s) tls" in str(refused.value) and "hunter2" not in str(refused.value)
    assert "hunter2" not in repr(Settings(smtp_url="smtp://ada:hunter2@mail.example"))


def test_the_default_is_eml_files_under_var_mail() -> None:
    config = Settings().mail_config()
    assert config.smtp is None and config.directory == Path("var/mail")
    assert str(config.sender) == "facturehub <no-reply@localhost>"


@pytest.mark.parametrize("sender", ["a@b.fr, c@d.fr", "nobody", "Fac <a@b>\nBcc: x@y.fr", ""])
def test_one_from_address_or_a_refusal(sender: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(mail_from=sender)
    assert "FACTUREHUB_MAIL_FROM" in str(refused.value)


def test_a_ca_file_that_is_not_there_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MailConfigError) as refused:
        MailConfig.build(smtp_url="smtp://h", sender="a@b.fr", directory=tmp_path, ca_file=tmp_path / "none.pem")
    assert "FACTUREHUB_SMTP_CA_FILE" in str(refused.value)


@pytest.mark.parametrize(
    "address", ["", "nobody", "a@b.fr, c@d.fr", "Ada <ada@b.fr>", "ada@b.fr\r\nBcc: x@y.fr", "x" * 250 + "@b.fr"]
)
def test_a_recipient_is_one_plain_address(address: str) -> None:
    with pytest.raises(InvalidAddress):
        recipient(address)


def test_a_recipient_keeps_its_address_without_the_spaces_around() -> None:
    assert recipient("  ada.lovelace+hub@example.fr ") == "ada.lovelace+hub@example.fr"
