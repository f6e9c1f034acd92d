"""The joining pages' HTTP side: an invitation's link (/invitation/{token}) and asking to join (/join).

Forms carry the sign-in page's CSRF token (double submit, auth.sessions) and every request spends from a
per-address budget, as /oauth/token does: the link's secret cannot be guessed, but each new account costs
a password hash, and nobody should be able to make the hub spend those at will.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from auth import page_text, pages, sessions, throttle
from auth.joining import invitations, requests
from auth.joining import pages as joining_pages
from auth.joining.page_text import t
from auth.models import User
from auth.page_forms import MAX_FORM_BYTES, read_form
from tenancy.db import Database
from tenancy.enums import IdentifierType
from tenancy.errors import DomainError, ErrorCode, FieldError


@dataclass(frozen=True)
class JoiningSettings:
    issuer: str
    session_ttl_s: int
    requests_per_minute_per_address: int = 30


class JoiningWeb:
    def __init__(self, settings: JoiningSettings, db: Database) -> None:
        self.settings = settings
        self.db = db
        self.secure_cookies = sessions.cookies_secure(settings.issuer)
        self.budget = throttle.RequestBudget()
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    def routes(self) -> list[BaseRoute]:
        return [
            Route(
                "/invitation/{token}",
                page_text.localized(self.invitation),
                methods=["GET", "POST"],
                max_body_size=MAX_FORM_BYTES,
            ),
            Route("/join", page_text.localized(self.join), methods=["GET", "POST"], max_body_size=MAX_FORM_BYTES),
        ]

    # --- plumbing ----------------------------------------------------------------------------------

    def _with_csrf(self, request: Request, render: Callable[[str], Response]) -> Response:
        token, new = sessions.csrf_token(request)
        response = render(token)
        if new:
            sessions.set_csrf_cookie(response, token, secure=self.secure_cookies)
        return response

    def _over_budget(self, request: Request) -> bool:
        address = request.client.host if request.client else "unknown"
        return not self.budget.spend("joining:" + address, self.settings.requests_per_minute_per_address)

    def _signed_in(self, response: Response, token: str) -> Response:
        sessions.set_session_cookie(response, token, secure=self.secure_cookies, ttl_s=self.settings.session_ttl_s)
        return response

    # --- /invitation/{token} -----------------------------------------------------------------------

    async def invitation(self, request: Request) -> Response:
        if self._over_budget(request):
            return joining_pages.unusable(t("too_many"), status=429)
        token = str(request.path_params["token"])
        now = self.clock()
        user = await sessions.session_user(self.db, request, now)
        fields: dict[str, str] = {}
        if request.method == "POST":
            form = await read_form(request)
            fields = dict(form or [])
            if form is None or not sessions.csrf_ok(request, fields.get(sessions.CSRF_FIELD)):
                return self._with_csrf(request, lambda _: joining_pages.unusable(t("form_expired"), status=400))
        found = await invitations.look(self.db, token, now)
        if isinstance(found, DomainError):
            return _refused(found)
        if request.method == "GET":
            return self._with_csrf(request, lambda csrf: self._offer(request, csrf, found, user))
        csrf = fields.get(sessions.CSRF_FIELD, "")
        if fields.get("decision") == "decline":
            try:
                await invitations.decline(self.db, token, now)
            except DomainError as refusal:
                return _refused(refusal)
            return joining_pages.notice("declined_title", t("declined", structure=found.structure_name))
        if fields.get("decision") != "accept":
            return self._offer(request, csrf, found, user, error=t("form_expired"), status=400)
        if user is not None:
            try:
                await invitations.accept_as(self.db, token, user, now)
            except DomainError as refusal:
                return self._after_refusal(request, csrf, found, user, refusal)
            return RedirectResponse("/", status_code=303, headers=pages.PAGE_HEADERS)
        if found.has_account:  # sign in first: the account's password, not the link alone, says it is theirs
            return self._offer(request, csrf, found, user)
        name = fields.get("display_name", "")[:400]
        try:
            created, _ = await invitations.accept_with_new_account(
                self.db, token, display_name=name, password=fields.get("password", "")[:1024], now=now
            )
        except DomainError as refusal:
            return self._after_refusal(request, csrf, found, user, refusal, name=name)
        session = await sessions.start_session(self.db, created.id, ttl_s=self.settings.session_ttl_s, now=now)
        return self._signed_in(RedirectResponse("/", status_code=303, headers=pages.PAGE_HEADERS), session)

    def _offer(
        self,
        request: Request,
        csrf: str,
        found: invitations.OpenInvitation,
        user: User | None,
        *,
        error: str | None = None,
        status: int = 200,
        name: str = "",
    ) -> Response:
        row = found.invitation
        action = "/invitation/" + quote(str(request.path_params["token"]), safe="")
        common: dict[str, Any] = {
            "action": action,
            "csrf": csrf,
            "structure": found.structure_name,
            "inviter": found.inviter_name,
            "role": str(row.role),
            "email": row.email,
        }
        if user is not None and user.email != row.email:
            return joining_pages.invitation_for_someone_else(
                action=action, csrf=csrf, user=user.display_name, email=row.email
            )
        if user is not None or found.has_account:
            return joining_pages.invitation_for_account(
                **common, signed_in=user is not None, error=error, status=status
            )
        return joining_pages.invitation_for_new_account(**common, name=name, error=error, status=status)

    def _after_refusal(
        self,
        request: Request,
        csrf: str,
        found: invitations.OpenInvitation,
        user: User | None,
        refusal: DomainError,
        *,
        name: str = "",
    ) -> Response:
        error = refusal.errors[0]
        if error.field == ("token",) and error.code != ErrorCode.DUPLICATE:
            return _refused(refusal)
        return self._offer(request, csrf, found, user, error=_field_text(error), status=400, name=name)

    # --- /join -------------------------------------------------------------------------------------

    async def join(self, request: Request) -> Response:
        if self._over_budget(request):
            return joining_pages.unusable(t("too_many"), status=429)
        now = self.clock()
        user = await sessions.session_user(self.db, request, now)
        if request.method == "GET":
            # Sign-up sends here a person whose structure already exists, naming it (so it is asked for, not typed).
            identifier = request.query_params.get("identifier", "")[:80]
            kind = request.query_params.get("identifier_type", "")
            kind = kind if kind in IdentifierType.__members__ else ""
            if user is None:
                back = "/join?" + urlencode({"identifier": identifier, "identifier_type": kind})
                login = "/login?" + urlencode({"next": back}) if identifier else "/login?next=/join"
                return RedirectResponse(login, status_code=303, headers=pages.PAGE_HEADERS)
            name = user.display_name
            return self._with_csrf(
                request,
                lambda csrf: joining_pages.join_page(csrf=csrf, user=name, identifier=identifier, identifier_type=kind),
            )
        if user is None:
            return RedirectResponse("/login?next=/join", status_code=303, headers=pages.PAGE_HEADERS)
        form = await read_form(request)
        fields = dict(form or [])
        if form is None or not sessions.csrf_ok(request, fields.get(sessions.CSRF_FIELD)):
            return self._with_csrf(
                request,
                lambda csrf: joining_pages.join_page(
                    csrf=csrf, user=user.display_name, error=t("form_expired"), status=400
                ),
            )
        identifier = fields.get("identifier", "")[:200]
        kind = fields.get("identifier_type", "")
        message = fields.get("message", "")[:4000]
        try:
            _, structure = await requests.request_membership(
                self.db,
                user_id=user.id,
                identifier=identifier,
                identifier_type=IdentifierType(kind) if kind in IdentifierType.__members__ else None,
                message=message,
                locale=page_text.language(),
                base_url=self.settings.issuer.rstrip("/"),
                now=now,
            )
        except DomainError as refusal:
            return joining_pages.join_page(
                csrf=fields.get(sessions.CSRF_FIELD, ""),
                user=user.display_name,
                identifier=identifier,
                identifier_type=kind,
                message=message,
                error=_join_text(refusal.errors[0], identifier),
                status=400,
            )
        return joining_pages.notice("sent_title", t("sent", structure=structure.name))


def _refused(refusal: DomainError) -> Response:
    error = refusal.errors[0]
    if error.code == ErrorCode.EXPIRED:
        return joining_pages.unusable(t("expired"), status=410)
    if error.code == ErrorCode.NOT_PENDING:
        said = {"accepted": "accepted", "declined": "declined_before", "withdrawn": "withdrawn"}
        key = next((k for word, k in said.items() if word in error.message), "accepted")
        return joining_pages.unusable(t(key), status=410)
    return joining_pages.unusable(t("unknown"), status=404)


def _field_text(error: FieldError) -> str:
    if error.field == ("displayName",):
        return t("name_required") if error.code == ErrorCode.REQUIRED else t("name_invalid")
    if error.field == ("password",):
        return t("password_short")
    if error.field == ("email",) and error.code == ErrorCode.DUPLICATE:
        return t("already_member")
    return t("has_account") if error.code == ErrorCode.DUPLICATE else error.message


def _join_text(error: FieldError, identifier: str) -> str:
    if error.field == ("message",):
        return t("message_invalid")
    if error.code == ErrorCode.REQUIRED:
        return t("identifier_required")
    if error.code == ErrorCode.AMBIGUOUS:
        return t("join_ambiguous")
    if error.code == ErrorCode.DUPLICATE:
        return t("join_member") if "member" in error.message else t("join_pending")
    if error.code == ErrorCode.NOT_FOUND:
        return t("join_not_found", identifier=identifier.strip())
    return error.message
