"""What a signed-in person changes on their account page: name and language, password, e-mail address, and
who may still act for them (sign-in sessions, apps they authorized).

Refusals are page-text keys (auth/page_text.py), said in the reader's language by the page.

A change of e-mail is proven before it is made: the new address gets a link (single-use, 24 hours) and the
account keeps its old address until the link is followed; then the old address is told. Whether another
account already uses the new address is never said to the person asking: the link is mailed all the same
(its mail says to ignore it if unasked), and only following it, which needs that mailbox, says the address
is taken. The asker learns nothing they could not learn by owning the mailbox.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from auth import first_party, one_time_links, password_reset
from auth.models import OneTimeLink, User
from auth.oauth_models import LoginSession, OAuthClient, OAuthConsent, OAuthRefreshToken
from auth.one_time_links import LinkProblem, LinkPurpose
from auth.passwords import hash_password_async
from auth.sign_out import sign_out_everywhere
from auth.users import MIN_PASSWORD
from tenancy import checks, privileged
from tenancy.db import Database
from tenancy.errors import DomainError
from tenancy.mail import LOCALES, MailTemplate, enqueue_mail

EMAIL_CHANGE_TTL = timedelta(hours=24)
EMAIL_CHANGE_PATH = "/account/email/"  # + the link's secret
MAX_PASSWORD = 1024  # the sign-in form reads no more than this
MAX_NAME = 200


def password_problem(password: str) -> str | None:
    """The hub's password rules (auth/users.py), as a page-text key."""
    if len(password) < MIN_PASSWORD:
        return "password_short"
    if len(password) > MAX_PASSWORD:
        return "password_long"
    return None


async def update_profile(db: Database, user_id: uuid.UUID, *, name: str, locale: str) -> str | None:
    name = " ".join(name.split())
    if not name:
        return "name_required"
    if len(name) > MAX_NAME:
        return "name_long"
    if locale not in LOCALES:
        return "form_expired"
    async with db.bare_session() as session:
        user = await session.get(User, user_id)
        if user is not None:
            user.display_name, user.locale = name, locale
    return None


async def change_password(
    db: Database,
    user_id: uuid.UUID,
    password: str,
    *,
    keep_session: str | None,
    issuer: str,
    locale: str,
    now: datetime,
) -> None:
    """Set a new password (current one already checked, new one within the rules); every other session and
    every refresh token ends, reset links die, and the account is told by mail."""
    password_hash = await hash_password_async(password)
    async with db.bare_session() as session:
        user = await session.get(User, user_id)
        if user is None:
            return
        user.password_hash = password_hash
        await one_time_links.retire(session, LinkPurpose.PASSWORD_RESET, user.id, now=now)
        await sign_out_everywhere(session, user.id, now=now, keep_session=keep_session)
        await password_reset.password_changed_mail(session, user, issuer=issuer, locale=locale, now=now)


def checked_address(value: str) -> str | None:
    try:
        return checks.email("email", value)
    except DomainError:
        return None


async def start_email_change(
    db: Database, user_id: uuid.UUID, new_address: str, *, issuer: str, locale: str, now: datetime
) -> None:
    """Mail a confirmation link to ``new_address`` (already checked); the account's address is unchanged."""
    async with db.bare_session() as session:
        user = await session.get(User, user_id)
        if user is None:
            return
        token = await one_time_links.issue(
            session, LinkPurpose.EMAIL_CHANGE, user.id, ttl=EMAIL_CHANGE_TTL, now=now, address=new_address
        )
        params = {"link": issuer + EMAIL_CHANGE_PATH + token}
        mail_locale = password_reset.mail_locale(user, locale)
        await enqueue_mail(session, new_address, MailTemplate.EMAIL_CHANGE_VERIFY, mail_locale, params, now=now)


async def check_email_change(db: Database, token: str, *, now: datetime) -> LinkProblem | str:
    """The address the link would make the account's, or what is wrong with the link."""
    async with db.bare_session() as session:
        found = await one_time_links.check(session, LinkPurpose.EMAIL_CHANGE, token, now=now)
    return found if isinstance(found, LinkProblem) else str(found.address)


class AddressTaken(Exception):
    """Another account uses the address the link would give."""


async def confirm_email_change(db: Database, token: str, *, locale: str, now: datetime) -> str | LinkProblem:
    """Make the link's address the account's (the link is used), and tell the old address; the new address.

    Raises AddressTaken, with nothing changed, when another account took the address meanwhile."""
    try:
        async with db.bare_session() as session:
            link = await one_time_links.consume(session, LinkPurpose.EMAIL_CHANGE, token, now=now)
            if isinstance(link, LinkProblem):
                return link
            user = await session.get(User, link.user_id)
            new_address = str(link.address)
            if user is None or not user.is_active:
                return LinkProblem.UNKNOWN
            taken = await session.scalar(select(User.id).where(User.email == new_address, User.id != user.id))
            if taken is not None:
                raise AddressTaken
            old_address, user.email = user.email, new_address
            user.email_verified_at = now  # the new address is proven by the link that reached it
            await session.flush()  # the unique index has the last word on a race
            params = {"new_email": new_address}
            mail_locale = password_reset.mail_locale(user, locale)
            await enqueue_mail(session, old_address, MailTemplate.EMAIL_CHANGE_NOTICE, mail_locale, params, now=now)
    except IntegrityError:
        raise AddressTaken from None
    return new_address


# --- who may act for the person ---------------------------------------------------------------------


async def active_sessions(db: Database, user_id: uuid.UUID, *, now: datetime) -> list[LoginSession]:
    async with db.bare_session() as session:
        rows = await session.scalars(
            select(LoginSession)
            .where(LoginSession.user_id == user_id, LoginSession.expires_at > now)
            .order_by(LoginSession.created_at.desc())
        )
        return list(rows)


async def end_every_session(db: Database, user_id: uuid.UUID, *, now: datetime) -> None:
    async with db.bare_session() as session:
        await sign_out_everywhere(session, user_id, now=now)


@dataclass(frozen=True)
class AuthorizedApp:
    consent_id: uuid.UUID
    name: str
    client_id: str
    workspace: str
    scopes: str
    since: datetime


async def authorized_apps(db: Database, user_id: uuid.UUID) -> list[AuthorizedApp]:
    """The apps the person approved, per workspace; the hub's own web app is not one (it asks nobody)."""
    async with db.bare_session() as session:
        rows = (
            await session.execute(
                select(OAuthConsent, OAuthClient)
                .join(OAuthClient, OAuthClient.id == OAuthConsent.client_pk)
                .where(OAuthConsent.user_id == user_id, OAuthConsent.revoked_at.is_(None))
                .order_by(OAuthConsent.created_at, OAuthConsent.id)
            )
        ).all()
    names = {s.id: s.name for _, s in await privileged.workspaces_of_user(db, user_id)}
    return [
        AuthorizedApp(c.id, client.name, client.client_id, names.get(c.workspace_id, "—"), c.scopes, c.created_at)
        for c, client in rows
        if not first_party.is_first_party(client.client_id)
    ]


async def revoke_app(db: Database, user_id: uuid.UUID, consent_id: uuid.UUID, *, now: datetime) -> bool:
    """Withdraw one of the person's own authorizations; its refresh tokens stop working. False: none such."""
    async with db.bare_session() as session:
        row = await session.scalar(
            select(OAuthConsent).where(
                OAuthConsent.id == consent_id, OAuthConsent.user_id == user_id, OAuthConsent.revoked_at.is_(None)
            )
        )
        if row is None:
            return False
        row.revoked_at = now
        await session.execute(
            update(OAuthRefreshToken)
            .where(OAuthRefreshToken.consent_id == row.id, OAuthRefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
    return True


async def pending_email_change(db: Database, user_id: uuid.UUID, *, now: datetime) -> str | None:
    """The address a mailed link would make the account's, while that link can still be followed."""
    async with db.bare_session() as session:
        return await session.scalar(
            select(OneTimeLink.address).where(
                OneTimeLink.user_id == user_id,
                OneTimeLink.purpose == LinkPurpose.EMAIL_CHANGE.value,
                OneTimeLink.used_at.is_(None),
                OneTimeLink.expires_at > now,
            )
        )
