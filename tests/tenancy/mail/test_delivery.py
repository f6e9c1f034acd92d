"""Mail that leaves, on both engines, to a real SMTP server on loopback (aiosmtpd): only what was committed,
once, in the reader's language, through AUTH and TLS; retried with the queue's backoff while the server is down;
and, without a server, as .eml files announced in the log."""

from __future__ import annotations

import email
import email.policy
import logging
import uuid
from datetime import timedelta
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from invoicing.background import hub_worker
from tenancy.db import Database
from tenancy.jobs import queue as jobs
from tenancy.jobs.table import Job
from tenancy.jobs.worker import Worker
from tenancy.mail import JOB_KIND, MailConfig, MailTemplate, enqueue_mail, mail_handler
from tenancy.mail.address import InvalidAddress
from tenancy.mail.rendering import MailParamsError
from tenancy.mail.table import OutboxMail
from tests.clock import FakeClock
from tests.factories import make_structure
from tests.tenancy.mail.conftest import Authenticator, Recorder, StartSmtp, Tls, free_port, smtp_config

RESET = {"link": "https://hub.example/reset?token=t0k3n"}
HOSTILE = "<img src=x onerror=alert(1)>"


class Rollback(Exception):
    pass


async def _enqueue(
    db: Database,
    clock: FakeClock,
    to: str = "ada@example.fr",
    template: MailTemplate = MailTemplate.PASSWORD_RESET,
    locale: str = "fr",
    params: dict[str, str] | None = None,
) -> uuid.UUID:
    async with db.bare_session() as session:
        return await enqueue_mail(session, to, template, locale, RESET if params is None else params, now=clock.now())


def _worker(db: Database, config: MailConfig, clock: FakeClock) -> Worker:
    return Worker(db, {JOB_KIND: mail_handler(config)}, clock=clock, listen=False)


async def _outbox(db: Database, mail_id: uuid.UUID) -> OutboxMail:
    async with db.bare_session() as session:
        mail = await session.get(OutboxMail, mail_id)
    assert mail is not None
    return mail


async def _mail_job(db: Database) -> Job:
    async with db.bare_session() as session:
        (job,) = (await session.scalars(select(Job).where(Job.kind == JOB_KIND))).all()
    return job


def _parts(message: EmailMessage) -> tuple[str, str]:
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None
    return str(text.get_content()), str(html.get_content())


async def test_a_mail_asked_for_in_a_transaction_that_rolls_back_is_never_sent(
    db: Database, start_smtp: StartSmtp
) -> None:
    server = start_smtp()
    clock = FakeClock()
    with pytest.raises(Rollback):
        async with db.bare_session() as session:
            await enqueue_mail(session, "ada@example.fr", MailTemplate.PASSWORD_RESET, "fr", RESET, now=clock.now())
            raise Rollback
    assert await _worker(db, smtp_config(f"smtp://127.0.0.1:{server.port}"), clock).run_until_idle() == 0
    async with db.bare_session() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxMail)) == 0
        assert await session.scalar(select(func.count()).select_from(Job)) == 0
    assert server.received == []


async def test_a_committed_mail_arrives_once_in_its_language_with_both_parts_and_its_headers(
    db: Database, start_smtp: StartSmtp
) -> None:
    server = start_smtp()
    clock = FakeClock()
    params = {
        "link": "https://hub.example/invitations/abc?token=x",
        "structure_name": "Commune de Saint-Étienne",
        "inviter_name": "Jeanne Martin",
        "role": "GESTIONNAIRE",
    }
    mail_id = await _enqueue(db, clock, "bob@example.fr", MailTemplate.INVITATION, "en", params)
    sent_at = clock.now() + timedelta(seconds=3)
    clock.advance(timedelta(seconds=3))
    worker = hub_worker(db, mail_config=smtp_config(f"smtp://127.0.0.1:{server.port}"), clock=clock, listen=False)
    assert await worker.run_until_idle() == 1
    clock.advance(timedelta(days=1))
    assert await worker.run_until_idle() == 0

    (received,) = server.received
    message = received.message
    assert received.mail_from == "no-reply@hub.example" and received.rcpt_tos == ["bob@example.fr"]
    assert message["From"] == "facturehub <no-reply@hub.example>" and message["To"] == "bob@example.fr"
    assert message["Subject"] == "Invitation to join Commune de Saint-Étienne on facturehub"
    assert parsedate_to_datetime(message["Date"]) == FakeClock().now()  # when it was asked for
    assert message["Message-ID"] == f"<{mail_id}@hub.example>"
    assert message["Auto-Submitted"] == "auto-generated" and message["Content-Language"] == "en"
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    text, html = _parts(message)
    words = " ".join(text.split())
    assert "Jeanne Martin invites you to join Commune de Saint-Étienne on facturehub, with the manager role." in words
    assert f"\r\n{params['link']}\r\n" in text  # a link on a line of its own
    assert '<html lang="en">' in html and f'href="{params["link"]}"' in html and "Saint-Étienne" in html
    assert "Bonjour" not in text

    mail = await _outbox(db, mail_id)
    assert mail.sent_at is not None and mail.sent_at.replace(tzinfo=None) == sent_at.replace(tzinfo=None)
    assert mail.params == {}  # the link's token is not kept once the mail is out
    assert mail.subject == message["Subject"] and mail.failed_at is None


async def test_a_mail_asked_for_in_a_workspaces_transaction_leaves_with_it(db: Database, start_smtp: StartSmtp) -> None:
    # A request to join is written in the structure's tenant session (RLS on PostgreSQL); its mail with it.
    server = start_smtp()
    clock = FakeClock()
    structure = await make_structure(db, name="Mairie de Lyon")
    params = {
        "link": "https://hub.example/requests/1",
        "structure_name": structure.name,
        "requester_name": "Ada Lovelace",
        "requester_email": "ada@example.fr",
    }
    async with db.tenant_session(structure.id) as session:
        await enqueue_mail(
            session, "manager@example.fr", MailTemplate.MEMBERSHIP_REQUEST, "fr", params, now=clock.now()
        )
    assert await _worker(db, smtp_config(f"smtp://127.0.0.1:{server.port}"), clock).run_until_idle() == 1
    (received,) = server.received
    assert received.message["Subject"] == "Demande de rattachement à Mairie de Lyon"


async def test_a_hostile_parameter_arrives_as_text_in_the_html_part(db: Database, start_smtp: StartSmtp) -> None:
    server = start_smtp()
    clock = FakeClock()
    await _enqueue(
        db, clock, template=MailTemplate.MEMBERSHIP_DECLINED, params={"structure_name": "ACME", "reason": HOSTILE}
    )
    assert await _worker(db, smtp_config(f"smtp://127.0.0.1:{server.port}"), clock).run_until_idle() == 1
    (received,) = server.received
    text, html = _parts(received.message)
    assert HOSTILE not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert f"> {HOSTILE}" in text


async def test_a_mail_while_the_server_is_down_is_retried_with_backoff_and_arrives_once(
    db: Database, start_smtp: StartSmtp
) -> None:
    port = free_port()  # nothing listens there yet: connection refused
    clock = FakeClock()
    mail_id = await _enqueue(db, clock)
    worker = _worker(db, smtp_config(f"smtp://127.0.0.1:{port}"), clock)
    assert await worker.run_until_idle() == 1  # the first attempt fails
    job = await _mail_job(db)
    assert job.attempts == 1 and job.done_at is None and job.failed_at is None
    assert job.last_error and "127.0.0.1" in job.last_error
    assert job.run_at.replace(tzinfo=None) == (clock.now() + jobs.backoff(1)).replace(tzinfo=None)
    clock.advance(jobs.backoff(1) - timedelta(seconds=1))
    assert await worker.run_until_idle() == 0  # backing off
    clock.advance(timedelta(seconds=1))
    assert await worker.run_until_idle() == 1  # the second attempt fails too
    assert (await _outbox(db, mail_id)).sent_at is None

    server = start_smtp(port=port)  # the server comes back
    clock.advance(jobs.backoff(2))
    assert await worker.run_until_idle() == 1
    for _ in range(5):
        clock.advance(timedelta(hours=1))
        assert await worker.run_until_idle() == 0
    assert len(server.received) == 1 and server.received[0].rcpt_tos == ["ada@example.fr"]
    job = await _mail_job(db)
    assert job.attempts == 3 and job.done_at is not None
    assert (await _outbox(db, mail_id)).sent_at is not None


# On loopback the hub sends a password without TLS (see config.py); aiosmtpd warns about such a server.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
async def test_the_server_gets_the_user_and_password_of_the_url(db: Database, start_smtp: StartSmtp) -> None:
    server = start_smtp(authenticator=Authenticator("hub", "s3cret:/@"), auth_required=True, auth_require_tls=False)
    clock = FakeClock()
    await _enqueue(db, clock, to="one@example.fr")
    await _enqueue(db, clock, to="two@example.fr")
    good = _worker(db, smtp_config(f"smtp://hub:s3cret%3A%2F%40@127.0.0.1:{server.port}"), clock)
    bad = _worker(db, smtp_config(f"smtp://hub:wrong@127.0.0.1:{server.port}"), clock)
    assert await bad.run_once() is not None  # refused: retried later, not lost
    assert server.received == []
    assert await good.run_until_idle() == 1
    clock.advance(timedelta(minutes=5))
    assert await good.run_until_idle() == 1
    assert sorted(r.rcpt_tos[0] for r in server.received) == ["one@example.fr", "two@example.fr"]
    assert {r.authenticated_as for r in server.received} == {"hub"}


async def test_starttls_with_the_ca_of_the_setting_and_auth_over_it(
    db: Database, start_smtp: StartSmtp, tls: Tls, other_tls: Tls
) -> None:
    # aiosmtpd's defaults: AUTH only once the connection is encrypted.
    server = start_smtp(
        tls_context=tls.server_context,
        require_starttls=True,
        authenticator=Authenticator("hub", "pw"),
        auth_required=True,
    )
    clock = FakeClock()
    url = f"smtp://hub:pw@127.0.0.1:{server.port}?starttls=required"
    mail_id = await _enqueue(db, clock)
    untrusted = _worker(db, smtp_config(url, ca_file=other_tls.ca_file), clock)  # a CA that did not sign it
    assert await untrusted.run_until_idle() == 1
    assert server.received == [] and "CERTIFICATE_VERIFY_FAILED" in ((await _mail_job(db)).last_error or "")
    clock.advance(timedelta(minutes=1))
    assert await _worker(db, smtp_config(url, ca_file=tls.ca_file), clock).run_until_idle() == 1
    (received,) = server.received
    assert received.over_tls and received.authenticated_as == "hub"
    assert (await _outbox(db, mail_id)).sent_at is not None


async def test_opportunistic_starttls_is_taken_when_offered(db: Database, start_smtp: StartSmtp, tls: Tls) -> None:
    server = start_smtp(tls_context=tls.server_context)
    clock = FakeClock()
    await _enqueue(db, clock)
    assert await _worker(
        db, smtp_config(f"smtp://127.0.0.1:{server.port}", ca_file=tls.ca_file), clock
    ).run_until_idle()
    assert [r.over_tls for r in server.received] == [True]


async def test_starttls_required_refuses_a_server_without_it(db: Database, start_smtp: StartSmtp) -> None:
    server = start_smtp()
    clock = FakeClock()
    await _enqueue(db, clock)
    assert await _worker(db, smtp_config(f"smtp://127.0.0.1:{server.port}?starttls=required"), clock).run_until_idle()
    assert server.received == [] and "STARTTLS" in ((await _mail_job(db)).last_error or "")


async def test_smtps_is_tls_from_the_first_byte(db: Database, start_smtp: StartSmtp, tls: Tls) -> None:
    server = start_smtp(ssl_context=tls.server_context)
    clock = FakeClock()
    await _enqueue(db, clock)
    assert await _worker(
        db, smtp_config(f"smtps://127.0.0.1:{server.port}", ca_file=tls.ca_file), clock
    ).run_until_idle()
    assert [r.over_tls for r in server.received] == [True]


async def test_a_recipient_refused_for_good_is_not_retried(db: Database, start_smtp: StartSmtp) -> None:
    server = start_smtp(recorder=Recorder(refuse={"gone@example.fr"}))
    clock = FakeClock()
    mail_id = await _enqueue(db, clock, to="gone@example.fr")
    worker = _worker(db, smtp_config(f"smtp://127.0.0.1:{server.port}"), clock)
    assert await worker.run_until_idle() == 1
    clock.advance(timedelta(days=2))
    assert await worker.run_until_idle() == 0
    mail = await _outbox(db, mail_id)
    assert mail.sent_at is None and mail.failed_at is not None and "550" in (mail.error or "")
    assert (await _mail_job(db)).done_at is not None and server.received == []


async def test_without_smtp_each_mail_is_an_eml_file_and_a_log_line_with_its_link(
    db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock()
    params = {"signin_link": "http://127.0.0.1:8000/oauth/login", "reset_link": "http://127.0.0.1:8000/reset"}
    mail_id = await _enqueue(db, clock, template=MailTemplate.SIGNUP_ATTEMPT, params=params)
    directory = tmp_path / "var" / "mail"
    config = MailConfig.build(smtp_url=None, sender="facturehub <no-reply@localhost>", directory=directory)
    with caplog.at_level(logging.INFO, logger="tenancy.mail"):
        assert await _worker(db, config, clock).run_until_idle() == 1
    (path,) = directory.iterdir()
    assert path.name == f"20260105T090000Z-signup_attempt-{mail_id}.eml"
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    assert message["Subject"] == "Tentative de création de compte avec votre adresse"
    assert message["To"] == "ada@example.fr" and message["Message-ID"] == f"<{mail_id}@localhost>"
    text, html = _parts(message)
    assert params["signin_link"] in text and params["reset_link"] in html
    raw = path.read_text("utf-8")  # a text editor shows it as written
    assert f"\n{params['signin_link']}\n" in raw and "Vous avez déjà un compte avec cette adresse" in raw
    (line,) = [r.getMessage() for r in caplog.records if r.name == "tenancy.mail.files"]
    assert line == (
        f"mail to ada@example.fr written to {path}: Tentative de création de compte avec votre adresse"
        f" — {params['signin_link']}"
    )
    assert (await _outbox(db, mail_id)).sent_at is not None


async def test_a_wrong_mail_fails_in_the_callers_transaction_and_writes_nothing(db: Database) -> None:
    clock = FakeClock()
    with pytest.raises(InvalidAddress):
        await _enqueue(db, clock, to="ada@example.fr, eve@example.fr")
    with pytest.raises(MailParamsError):
        await _enqueue(db, clock, params={"link": "https://hub.example/x", "extra": "y"})
    async with db.bare_session() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxMail)) == 0
        assert await session.scalar(select(func.count()).select_from(Job)) == 0
