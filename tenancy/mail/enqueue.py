"""Asking for a mail: the outbox row and its job, both in the caller's transaction.

So a mail leaves if and only if what caused it was committed: a sign-up rolled back sends nothing, and
a committed one is sent even if the SMTP server is down for a while (the job queue retries).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from tenancy.jobs import queue as jobs
from tenancy.mail.address import recipient
from tenancy.mail.catalogue import MailLocale, MailTemplate
from tenancy.mail.rendering import render
from tenancy.mail.table import OutboxMail
from tenancy.moments import utc

JOB_KIND = "mail"
# 10 s, 20 s... then hourly (the queue's backoff): thirty attempts keep trying for about a day.
MAX_ATTEMPTS = 30


async def enqueue_mail(
    session: AsyncSession,
    to: str,
    template: MailTemplate | str,
    locale: MailLocale | str,
    params: Mapping[str, str],
    *,
    now: datetime | None = None,
) -> uuid.UUID:
    """Write a mail to ``to`` and its sending job in ``session``'s transaction; the outbox row's id.

    The mail is rendered once here, so a wrong template, language or parameter fails in the caller
    (MailParamsError) and an unusable address too (InvalidAddress), before anything is committed.
    """
    address = recipient(to)
    rendered = render(template, locale, params)
    moment = utc(now or datetime.now(UTC))
    mail = OutboxMail(
        id=uuid.uuid4(),
        to_address=address,
        template=str(MailTemplate(template)),
        locale=locale,
        params=dict(params),
        subject=rendered.subject,
        created_at=moment,
    )
    session.add(mail)
    await session.flush()
    await jobs.enqueue(
        session, JOB_KIND, {"mail_id": str(mail.id)}, for_tenant=None, run_at=moment, max_attempts=MAX_ATTEMPTS
    )
    return mail.id
