"""The worker's handler for ``mail`` jobs: render the outbox row, hand it over, mark it sent.

Through SMTP when ``FACTUREHUB_SMTP_URL`` is set, else into an ``.eml`` file. A failure (server down,
4xx, TLS) raises, and the job queue retries with its backoff; a permanent refusal of the recipient (5xx)
is written on the row and not retried. The row is marked sent only after the server took the mail, so a
mail can be sent twice only if the worker dies between the two (with the same Message-ID), never lost.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from sqlalchemy import update

from tenancy.db import Database
from tenancy.jobs.queue import ClaimedJob, Clock
from tenancy.jobs.worker import Handler
from tenancy.mail.config import MailConfig
from tenancy.mail.files import write_eml
from tenancy.mail.message import compose
from tenancy.mail.rendering import render
from tenancy.mail.smtp import Undeliverable, send_smtp
from tenancy.mail.table import OutboxMail
from tenancy.moments import utc

log = logging.getLogger(__name__)


def mail_handler(config: MailConfig) -> Handler:
    """The handler of ``mail`` jobs for this configuration (its TLS context is built once)."""
    tls = config.tls_context()

    async def send_mail(db: Database, job: ClaimedJob, clock: Clock) -> None:
        mail_id = uuid.UUID(str(job.payload["mail_id"]))
        async with db.bare_session() as session:
            mail = await session.get(OutboxMail, mail_id)
        if mail is None or mail.sent_at is not None or mail.failed_at is not None:
            return  # already handed over (a retried job) or refused for good: nothing to send again
        rendered = render(mail.template, mail.locale, mail.params)
        message = compose(mail, rendered, config.sender, encoding="8bit" if config.smtp is None else "quoted-printable")
        if config.smtp is None:
            name = f"{utc(mail.created_at):%Y%m%dT%H%M%SZ}-{mail.template}-{mail.id}.eml"
            await write_eml(message, config.directory / name, first_link=next(iter(rendered.links), None))
        else:
            try:
                await send_smtp(message, config.smtp, sender=config.sender.addr_spec, to=mail.to_address, tls=tls)
            except Undeliverable as exc:
                log.warning("mail %s (%s) refused for good: %s", mail.id, mail.template, exc)
                await _mark(db, mail_id, failed_at=clock.now(), error=str(exc))
                return
            log.info("mail %s (%s) sent", mail.id, mail.template)
        await _mark(db, mail_id, sent_at=clock.now())

    return send_mail


async def _mark(
    db: Database,
    mail_id: uuid.UUID,
    *,
    sent_at: datetime | None = None,
    failed_at: datetime | None = None,
    error: str | None = None,
) -> None:
    # The links' tokens are not kept once the mail is out of our hands.
    values: dict[str, object] = {"params": {}, "sent_at": sent_at, "failed_at": failed_at, "error": error}
    async with db.bare_session() as session:
        await session.execute(
            update(OutboxMail)
            .where(OutboxMail.id == mail_id, OutboxMail.sent_at.is_(None), OutboxMail.failed_at.is_(None))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
