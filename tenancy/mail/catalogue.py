"""Every mail the hub sends, with the parameters each one takes: the one list its callers and templates share.

A template is ``templates/<locale>/<name>.j2``, written once per language and rendered twice: as the text
part and as the HTML part (see rendering.py). Every parameter is a string; one whose name ends in ``link``
is an absolute http(s) URL (the hub's own links, with their single-use tokens).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

MailLocale = Literal["fr", "en"]
LOCALES: tuple[MailLocale, ...] = ("fr", "en")
ROLES = ("GESTIONNAIRE_PRINCIPAL", "GESTIONNAIRE", "UTILISATEUR")  # tenancy.enums.Role, named in the templates


class MailTemplate(StrEnum):
    EMAIL_VERIFICATION = "email_verification"  # sign-up: confirm the address (24 h)
    PASSWORD_RESET = "password_reset"  # noqa: S105 (a name, not a password): a reset link (1 h)
    INVITATION = "invitation"  # an admin invites this address into a structure (7 days)
    MEMBERSHIP_REQUEST = "membership_request"  # to a structure's principal managers: someone asks to join
    MEMBERSHIP_APPROVED = "membership_approved"  # to the requester
    MEMBERSHIP_DECLINED = "membership_declined"  # to the requester, with the managers' reason
    SIGNUP_ATTEMPT = "signup_attempt"  # someone tried to sign up with an address that has an account
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 (a name, not a password)
    EMAIL_CHANGE_VERIFY = "email_change_verify"  # to the new address: confirm it (24 h)
    EMAIL_CHANGE_NOTICE = "email_change_notice"  # to the old address: it is no longer the account's
    MANAGER_NAMED = "manager_named"  # the operator named this address a structure's principal manager (7 days)


@dataclass(frozen=True)
class Params:
    required: frozenset[str]
    optional: frozenset[str] = frozenset()

    @property
    def allowed(self) -> frozenset[str]:
        return self.required | self.optional


def _params(*required: str, optional: tuple[str, ...] = ()) -> Params:
    return Params(frozenset(required), frozenset(optional))


PARAMS: dict[MailTemplate, Params] = {
    MailTemplate.EMAIL_VERIFICATION: _params("link"),
    MailTemplate.PASSWORD_RESET: _params("link"),
    MailTemplate.INVITATION: _params("link", "structure_name", "inviter_name", "role"),
    MailTemplate.MEMBERSHIP_REQUEST: _params(
        "link", "structure_name", "requester_name", "requester_email", optional=("message",)
    ),
    MailTemplate.MEMBERSHIP_APPROVED: _params("link", "structure_name", "role"),
    MailTemplate.MEMBERSHIP_DECLINED: _params("structure_name", "reason"),
    MailTemplate.SIGNUP_ATTEMPT: _params("signin_link", "reset_link"),
    MailTemplate.PASSWORD_CHANGED: _params("reset_link"),
    MailTemplate.EMAIL_CHANGE_VERIFY: _params("link"),
    MailTemplate.EMAIL_CHANGE_NOTICE: _params("new_email"),
    MailTemplate.MANAGER_NAMED: _params("link", "structure_name"),
}
