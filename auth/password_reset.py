"""Password reset by e-mail: ask with an address, follow the mailed link (single-use, one hour), choose a
new password; the account is then signed out everywhere and told by mail.

Asking writes one job and nothing else, whether or not an account uses the address: the answer, the work
done before it and so its timing are the same either way. The worker (``run_request``) looks the address
up; only for an active account does it issue a link and mail it. The page that asks never learns which.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth import one_time_links
from auth.models import User
from auth.one_time_links import LinkProblem, LinkPurpose
from auth.passwords import hash_password_async
from auth.sign_out import sign_out_everywhere
from tenancy.db import Database
from tenancy.jobs import queue as jobs
from tenancy.jobs.queue import ClaimedJob, Clock
from tenancy.mail import LOCALES, MailLocale, MailTemplate, enqueue_mail

JOB_KIND = "password_reset_request"
TTL = timedelta(hours=1)
FORGOT_PATH = "/password/forgot"
RESET_PATH = "/password/reset/"  # + the link's secret


def mail_locale(user: User, fallback: str) -> MailLocale:
    """The person's chosen language, else the one of the page they asked from, else French."""
    for value in (user.locale, fallback):
        for locale in LOCALES:
            if value == locale:
                return locale
    return "fr"


async def ask(db: Database, email: str, *, locale: str, issuer: str, now: datetime) -> None:
    async with db.bare_session() as session:
        payload = {"email": email.strip().lower()[:254], "locale": locale, "issuer": issuer}
        await jobs.enqueue(session, JOB_KIND, payload, for_tenant=None, run_at=now)


async def run_request(db: Database, job: ClaimedJob, clock: Clock) -> None:
    """The worker's half of a request: a link and its mail for an active account, nothing otherwise."""
    now = clock.now()
    issuer = str(job.payload["issuer"])
    async with db.bare_session() as session:
        user = await session.scalar(select(User).where(User.email == str(job.payload["email"])))
        if user is None or not user.is_active:
            return
        token = await one_time_links.issue(session, LinkPurpose.PASSWORD_RESET, user.id, ttl=TTL, now=now)
        locale = mail_locale(user, str(job.payload.get("locale", "")))
        params = {"link": issuer + RESET_PATH + token}
        await enqueue_mail(session, user.email, MailTemplate.PASSWORD_RESET, locale, params, now=now)


async def check(db: Database, token: str, *, now: datetime) -> LinkProblem | None:
    async with db.bare_session() as session:
        found = await one_time_links.check(session, LinkPurpose.PASSWORD_RESET, token, now=now)
    return found if isinstance(found, LinkProblem) else None


async def reset(
    db: Database, token: str, password: str, *, issuer: str, locale: str, now: datetime
) -> User | LinkProblem:
    """Set the password the link's account chose (already checked against the rules); the account, or why not.

    The link is used, the account's other reset links retired, and every session and refresh token ended
    in the one transaction that changes the password."""
    password_hash = await hash_password_async(password)
    async with db.bare_session() as session:
        link = await one_time_links.consume(session, LinkPurpose.PASSWORD_RESET, token, now=now)
        if isinstance(link, LinkProblem):
            return link
        user = await session.get(User, link.user_id)
        if user is None or not user.is_active:
            return LinkProblem.UNKNOWN
        user.password_hash = password_hash
        user.email_verified_at = user.email_verified_at or now  # the link reached this mailbox
        await one_time_links.retire(session, LinkPurpose.PASSWORD_RESET, user.id, now=now)
        await sign_out_everywhere(session, user.id, now=now)
        await password_changed_mail(session, user, issuer=issuer, locale=locale, now=now)
    return user


async def password_changed_mail(session: AsyncSession, user: User, *, issuer: str, locale: str, now: datetime) -> None:
    """Told after every change of password, with the way back should it not have been them."""
    params = {"reset_link": issuer + FORGOT_PATH}
    await enqueue_mail(session, user.email, MailTemplate.PASSWORD_CHANGED, mail_locale(user, locale), params, now=now)
