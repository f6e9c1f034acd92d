"""The operator names a structure's principal manager (``facturehub structure manager``).

Public structures come from the directory import, with no member: the operator names the first manager by
address. An address without an account gets one, unverified and without a password, and a mail whose link
(the sign-up's verification link, seven days here) lets them choose the password; an existing account is
simply attached. Both in one transaction with the membership, so the mail leaves only if the rest holds.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from auth import one_time_links
from auth.models import User
from auth.one_time_links import LinkPurpose
from auth.signup.accounts import verification_link
from tenancy import checks, members, privileged
from tenancy.db import Database
from tenancy.enums import Access, Role
from tenancy.errors import DomainError
from tenancy.mail import LOCALES, MailTemplate, enqueue_mail

LINK_TTL = timedelta(days=7)


class ManagerError(Exception):
    """Said to the operator as is."""


@dataclass(frozen=True)
class NamedManager:
    structure_name: str
    structure_identifier: str
    email: str
    new_account: bool
    mailed: bool  # a link to choose the password was sent (the account had not verified its address yet)


async def name_manager(
    db: Database,
    *,
    identifier: str,
    identifier_type: str | None,
    email: str,
    display_name: str | None,
    locale: str,
    base_url: str,
    now: datetime,
) -> NamedManager:
    if locale not in LOCALES:
        raise ManagerError(f"the language is one of {', '.join(LOCALES)}, not {locale!r}")
    try:
        address = checks.email("email", email)
    except DomainError as exc:
        raise ManagerError(str(exc)) from exc
    if address is None:
        raise ManagerError("an e-mail address is needed")
    found = await privileged.find_structure(db, identifier, identifier_type)
    if not found:
        raise ManagerError(f"no structure has the identifier {identifier.strip()!r} (import the directory first?)")
    if len(found) > 1:
        kinds = ", ".join(sorted(str(s.identifier_type) for s in found))
        raise ManagerError(f"several structures have the identifier {identifier.strip()!r} ({kinds}): give --type")
    structure = found[0]
    async with db.bare_session() as session:
        user = await session.scalar(select(User).where(User.email == address))
        new_account = user is None
        if user is None:
            name = (display_name or "").strip() or address.split("@")[0]
            user = User(id=uuid.uuid4(), email=address, display_name=name[:200], password_hash=None, locale=locale)
            session.add(user)
    async with db.tenant_session(structure.id) as session:
        await members.ensure_member(
            session, structure.id, user_id=user.id, role=Role.GESTIONNAIRE_PRINCIPAL, access=Access.WRITE
        )
        mailed = user.email_verified_at is None
        if mailed:
            token = await one_time_links.issue(
                session, LinkPurpose.EMAIL_VERIFICATION, user.id, ttl=LINK_TTL, now=now, address=address
            )
            params = {"link": verification_link(base_url, token), "structure_name": structure.name}
            mail_locale = user.locale if user.locale in LOCALES else locale
            await enqueue_mail(session, address, MailTemplate.MANAGER_NAMED, mail_locale, params, now=now)
    return NamedManager(structure.name, structure.identifier, address, new_account, mailed)
