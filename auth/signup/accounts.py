"""A new account from the sign-up form, and the link that proves its address.

Whether the address already has an account never shows: the form always answers "check your mail", after
the same work (a password hash, one transaction, one mail in the outbox). The mail differs: a new or
still-unverified account gets a verification link; a verified one gets ``signup_attempt``, telling its owner
someone tried. Nothing is sent beyond a small budget per address, so the form cannot flood an inbox.

An unverified account cannot sign in. Its password was chosen by whoever filled the form, who may not own
the address: so the link alone does not take the account as it is. Following it, the person either types
the password chosen at sign-up (then they are the one who signed up) or chooses a new one (the link proves
the address, as a reset would), and a password someone else set never survives verification
(the "pre-hijacked account" attacks of Sudhodanan and Paverd, 2022).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from auth import one_time_links
from auth.models import OneTimeLink, User
from auth.one_time_links import LinkProblem, LinkPurpose
from auth.passwords import hash_password_async
from auth.users import check_password
from tenancy import checks
from tenancy.db import Database
from tenancy.errors import DomainError, ErrorCode
from tenancy.mail import LOCALES, MailTemplate, enqueue_mail

VERIFICATION_TTL = timedelta(hours=24)
VERIFY_PATH = "/signup/verify"
SIGN_IN_PATH = "/login"
FORGOT_PATH = "/password/forgot"  # the account pages' (password reset): only linked to from here
MAX_PASSWORD_CHARS = 1024


@dataclass(frozen=True)
class SignUpForm:
    email: str
    display_name: str
    password: str
    locale: str


@dataclass(frozen=True)
class CheckedForm:
    email: str
    display_name: str
    password: str
    locale: str


def check_form(form: SignUpForm) -> CheckedForm:
    """The form's fields, or a DomainError naming the first wrong one (before anything is looked up)."""
    address = checks.email("email", form.email)
    if address is None:
        raise DomainError.single("email", ErrorCode.REQUIRED, "email is required")
    name = checks.required_text("displayName", form.display_name, max_length=200)
    if len(form.password) > MAX_PASSWORD_CHARS:
        raise DomainError.single("password", ErrorCode.TOO_LONG, f"at most {MAX_PASSWORD_CHARS} characters")
    check_password(form.password)
    if form.locale not in LOCALES:
        raise DomainError.single("locale", ErrorCode.INVALID, f"the language is one of {', '.join(LOCALES)}")
    return CheckedForm(address, name, form.password, form.locale)


def verification_link(base_url: str, token: str) -> str:
    return f"{base_url}{VERIFY_PATH}?token={token}"


async def mail_verification(
    session: AsyncSession, user: User, *, base_url: str, now: datetime, ttl: timedelta = VERIFICATION_TTL
) -> None:
    """A new verification link for ``user`` (older ones stop working), in the outbox of ``session``."""
    token = await one_time_links.issue(
        session, LinkPurpose.EMAIL_VERIFICATION, user.id, ttl=ttl, now=now, address=user.email
    )
    locale = user.locale if user.locale in LOCALES else "fr"
    link = verification_link(base_url, token)
    await enqueue_mail(session, user.email, MailTemplate.EMAIL_VERIFICATION, locale, {"link": link}, now=now)


async def sign_up(db: Database, form: CheckedForm, *, base_url: str, now: datetime, send: bool) -> None:
    """Do what the form asks, the same way whoever owns the address; ``send`` False: the address's mail
    budget is spent, and only the password hash is done (so the answer takes as long)."""
    password_hash = await hash_password_async(form.password)
    if not send:
        return
    for attempt in range(2):
        try:
            async with db.bare_session() as session:
                await _sign_up(session, form, password_hash, base_url=base_url, now=now)
            return
        except IntegrityError:
            # Two sign-ups of one new address at once: the second finds the first's account on its retry.
            if attempt:
                raise


async def _sign_up(
    session: AsyncSession, form: CheckedForm, password_hash: str, *, base_url: str, now: datetime
) -> None:
    user = await session.scalar(select(User).where(User.email == form.email).with_for_update())
    if user is None:
        user = User(
            id=uuid.uuid4(),
            email=form.email,
            display_name=form.display_name,
            password_hash=password_hash,
            is_active=True,
            locale=form.locale,
        )
        session.add(user)
        await session.flush()
    elif user.email_verified_at is None:
        # Nobody can sign in to it yet: the latest sign-up's name, password and language win, and only the
        # newest link works (whoever follows it still has to know that password, or choose a new one).
        user.display_name, user.password_hash, user.locale = form.display_name, password_hash, form.locale
    else:
        locale = user.locale if user.locale in LOCALES else form.locale
        params = {"signin_link": base_url + SIGN_IN_PATH, "reset_link": base_url + FORGOT_PATH}
        await enqueue_mail(session, user.email, MailTemplate.SIGNUP_ATTEMPT, locale, params, now=now)
        return
    await mail_verification(session, user, base_url=base_url, now=now)


@dataclass(frozen=True)
class Pending:
    """A verification link that works, and the account it is for."""

    link: OneTimeLink
    user: User


async def pending(db: Database, token: str, now: datetime) -> Pending | LinkProblem:
    """The link and its account, without using the link (mail scanners follow links: the page shows a form)."""
    async with db.bare_session() as session:
        found = await one_time_links.check(session, LinkPurpose.EMAIL_VERIFICATION, token, now=now)
        if isinstance(found, LinkProblem):
            return found
        user = await session.get(User, found.user_id)
    if user is None or not user.is_active:
        return LinkProblem.UNKNOWN
    return Pending(found, user)


async def verify(db: Database, token: str, *, now: datetime, new_password_hash: str | None) -> User | LinkProblem:
    """Use the link: the address is verified (and the password replaced when one is given); the account, or
    why the link does not work (used by a click a moment earlier, expired meanwhile)."""
    async with db.bare_session() as session:
        used = await one_time_links.consume(session, LinkPurpose.EMAIL_VERIFICATION, token, now=now)
        if isinstance(used, LinkProblem):
            return used
        user = await session.get(User, used.user_id, with_for_update=True)
        if user is None or not user.is_active:
            return LinkProblem.UNKNOWN
        if user.email_verified_at is None:
            user.email_verified_at = now
        if new_password_hash is not None:
            user.password_hash = new_password_hash
    return user
