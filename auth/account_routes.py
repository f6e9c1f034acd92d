"""HTTP side of getting back in and of the account page: the password-reset pages, /account and its forms,
and the link that confirms a new e-mail address.

Every form checks its CSRF token (the sign-in page's double submit, auth/sessions.py); every form that takes
a password counts wrong ones against the sign-in throttle of the account and of the address, and asking
for a reset counts against its own budget (auth/throttle.py). A mailed link is used only by a POST from
the page it opens: mail scanners that fetch links do not spend them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from auth import account, page_text, password_reset, sessions, throttle, two_factor
from auth import account_pages as screens
from auth import reset_pages as reset_screens
from auth.models import User
from auth.one_time_links import LinkProblem
from auth.page_forms import ACCOUNT_PATH, MAX_FORM_BYTES, read_form, with_csrf
from auth.page_text import t
from auth.pages import PAGE_HEADERS
from auth.passwords import verify_password_async
from tenancy.db import Database

FORMS = ["GET", "POST"]


class AccountWeb:
    def __init__(
        self,
        db: Database,
        limits: throttle.LoginLimits,
        *,
        issuer: str,
        secure: bool,
        clock: Callable[[], datetime],
    ) -> None:
        self.db = db
        self.limits = limits
        self.issuer = issuer
        self.secure = secure
        self.clock = clock

    def routes(self) -> list[BaseRoute]:
        def route(path: str, handler: page_text.Handler) -> Route:
            return Route(path, page_text.localized(handler), methods=FORMS, max_body_size=MAX_FORM_BYTES)

        return [
            route(password_reset.FORGOT_PATH, self.forgot),
            route(password_reset.RESET_PATH + "{token}", self.reset),
            route(ACCOUNT_PATH, self.account),
            route(account.EMAIL_CHANGE_PATH + "{token}", self.confirm_email),
        ]

    @staticmethod
    def _address(request: Request) -> str:
        return request.client.host if request.client else "unknown"

    def _with_csrf(self, request: Request, render: Callable[[str], Response]) -> Response:
        return with_csrf(request, render, secure=self.secure)

    @staticmethod
    def _csrf(request: Request) -> str:
        # Only called once a form passed the CSRF check, so the cookie is there.
        return request.cookies.get(sessions.CSRF_COOKIE, "")

    # --- forgotten password ----------------------------------------------------------------------------

    async def forgot(self, request: Request) -> Response:
        if request.method == "GET":
            return self._with_csrf(request, lambda csrf: reset_screens.forgot_page(csrf=csrf))
        now = self.clock()
        form = await read_form(request)
        fields = dict(form or [])
        email = fields.get("email", "")[:254].strip().lower()
        if form is None or not sessions.csrf_ok(request, fields.get(sessions.CSRF_FIELD)):
            return self._with_csrf(
                request,
                lambda csrf: reset_screens.forgot_page(csrf=csrf, email=email, error="form_expired", status=400),
            )
        csrf = self._csrf(request)
        if account.checked_address(email) is None:  # the address's form only: it says nothing of accounts
            return reset_screens.forgot_page(csrf=csrf, email=email, error="email_invalid", status=400)
        address = self._address(request)
        if await throttle.reset_blocked(self.db, self.limits, email=email, address=address, now=now):
            return reset_screens.forgot_page(csrf=csrf, email=email, error="too_many_requests", status=429)
        await throttle.record_reset(self.db, self.limits, email=email, address=address, now=now)
        await password_reset.ask(self.db, email, locale=page_text.language(), issuer=self.issuer, now=now)
        return reset_screens.forgot_sent_page(email=email)

    async def reset(self, request: Request) -> Response:
        now = self.clock()
        token = request.path_params["token"]
        problem = await password_reset.check(self.db, token, now=now)
        if problem is not None:
            return _reset_link_problem(problem)
        if request.method == "GET":
            return self._with_csrf(request, lambda csrf: reset_screens.reset_page(csrf=csrf, token=token))
        form = await read_form(request)
        fields = dict(form or [])
        if form is None or not sessions.csrf_ok(request, fields.get(sessions.CSRF_FIELD)):
            return self._with_csrf(
                request,
                lambda csrf: reset_screens.reset_page(csrf=csrf, token=token, error="form_expired", status=400),
            )
        password = fields.get("password", "")
        wrong = _new_password_problem(password, fields.get("password_again", ""))
        if wrong is not None:
            return reset_screens.reset_page(csrf=self._csrf(request), token=token, error=wrong, status=400)
        done = await password_reset.reset(
            self.db, token, password, issuer=self.issuer, locale=page_text.language(), now=now
        )
        if isinstance(done, LinkProblem):
            return _reset_link_problem(done)
        await throttle.clear_account(self.db, done.email)
        response = reset_screens.reset_done_page()
        # This browser's session (if any) ended with all the others.
        sessions.clear_session_cookie(response, secure=self.secure)
        return response

    # --- the account page ------------------------------------------------------------------------------

    async def account(self, request: Request) -> Response:
        now = self.clock()
        user = await sessions.session_user(self.db, request, now)
        if user is None:
            return RedirectResponse(
                "/login?" + urlencode({"next": ACCOUNT_PATH}), status_code=303, headers=PAGE_HEADERS
            )
        if request.method == "GET":
            notice = request.query_params.get("done")
            return await self._show(request, user, now, notice=notice)
        form = await read_form(request)
        fields = dict(form or [])
        if form is None or not sessions.csrf_ok(request, fields.get(sessions.CSRF_FIELD)):
            return await self._show(request, user, now, error="form_expired", status=400)
        action = fields.get("action")
        if action == "profile":
            locale = fields.get("locale", "")
            refused = await account.update_profile(self.db, user.id, name=fields.get("name", ""), locale=locale)
            if refused is not None:
                return await self._show(request, user, now, error=refused, where="profile", status=400)
            return _done("profile_saved", lang=locale)
        if action in ("email", "password"):
            return await self._with_password(request, user, now, fields, action)
        if action == "sign_out_everywhere":
            await account.end_every_session(self.db, user.id, now=now)
            response = RedirectResponse("/login", status_code=303, headers=PAGE_HEADERS)
            sessions.clear_session_cookie(response, secure=self.secure)
            return response
        if action == "revoke_app":
            consent = _uuid(fields.get("consent", ""))
            if consent is None or not await account.revoke_app(self.db, user.id, consent, now=now):
                return await self._show(request, user, now, error="app_not_found", status=404)
            return _done("app_revoked")
        return await self._show(request, user, now, error="form_expired", status=400)

    async def _with_password(
        self, request: Request, user: User, now: datetime, fields: dict[str, str], action: str
    ) -> Response:
        """A change that needs the current password: throttled like the sign-in page."""
        address = self._address(request)
        if await throttle.login_blocked(self.db, self.limits, email=user.email, address=address, now=now):
            return await self._show(request, user, now, error="too_many", where=action, status=429)
        current = fields.get("current_password", "")[:1024]
        if not user.password_hash or not await verify_password_async(user.password_hash, current):
            await throttle.record_failure(self.db, self.limits, email=user.email, address=address, now=now)
            return await self._show(request, user, now, error="password_wrong", where=action, status=401)
        await throttle.clear_account(self.db, user.email)
        locale = page_text.language()
        if action == "email":
            new_address = account.checked_address(fields.get("email", "")[:254])
            if new_address is None:
                return await self._show(request, user, now, error="email_invalid", where=action, status=400)
            if new_address == user.email:
                return await self._show(request, user, now, error="email_same", where=action, status=400)
            await account.start_email_change(self.db, user.id, new_address, issuer=self.issuer, locale=locale, now=now)
            return _done("email_sent")
        password = fields.get("password", "")
        wrong = _new_password_problem(password, fields.get("password_again", ""))
        if wrong is not None:
            return await self._show(request, user, now, error=wrong, where=action, status=400)
        await account.change_password(
            self.db,
            user.id,
            password,
            keep_session=sessions.session_digest(request),
            issuer=self.issuer,
            locale=locale,
            now=now,
        )
        return _done("password_saved")

    async def _show(
        self,
        request: Request,
        user: User,
        now: datetime,
        *,
        notice: str | None = None,
        error: str | None = None,
        where: str | None = None,
        status: int = 200,
    ) -> Response:
        current = sessions.session_digest(request)
        lines = [
            screens.SessionLine(s.created_at, s.last_seen_at, s.user_agent, s.token_hash == current)
            for s in await account.active_sessions(self.db, user.id, now=now)
        ]
        view = screens.AccountView(
            name=user.display_name,
            email=user.email,
            locale=user.locale or page_text.language(),
            two_factor_on=(await two_factor.status(self.db, user.id)).enrolled,
            sessions=lines,
            apps=await account.authorized_apps(self.db, user.id),
            pending_email=await account.pending_email_change(self.db, user.id, now=now),
        )
        return self._with_csrf(
            request,
            lambda csrf: screens.account_page(
                csrf=csrf, view=view, notice=notice, error=error, where=where, status=status
            ),
        )

    # --- the link that confirms a new address ----------------------------------------------------------

    async def confirm_email(self, request: Request) -> Response:
        now = self.clock()
        token = request.path_params["token"]
        found = await account.check_email_change(self.db, token, now=now)
        if isinstance(found, LinkProblem):
            return _email_link_problem(found)
        if request.method == "GET":
            action = request.url.path
            return self._with_csrf(
                request, lambda csrf: screens.email_confirm_page(csrf=csrf, action=action, address=found)
            )
        form = await read_form(request)
        if form is None or not sessions.csrf_ok(request, dict(form).get(sessions.CSRF_FIELD)):
            return self._with_csrf(request, lambda csrf: screens.form_refused_page(error="form_expired", status=400))
        try:
            done = await account.confirm_email_change(self.db, token, locale=page_text.language(), now=now)
        except account.AddressTaken:
            return screens.email_taken_page()
        if isinstance(done, LinkProblem):
            return _email_link_problem(done)
        return screens.email_changed_page(address=done)


def _new_password_problem(password: str, again: str) -> str | None:
    if password != again:
        return "password_mismatch"
    return account.password_problem(password)


def _reset_link_problem(problem: LinkProblem) -> Response:
    return reset_screens.link_problem_page(problem, again=password_reset.FORGOT_PATH, again_text=t("ask_again"))


def _email_link_problem(problem: LinkProblem) -> Response:
    return reset_screens.link_problem_page(problem, again=ACCOUNT_PATH, again_text=t("ask_again_account"))


def _done(notice: str, *, lang: str | None = None) -> Response:
    query = {"done": notice, **({"lang": lang} if lang else {})}
    return RedirectResponse(ACCOUNT_PATH + "?" + urlencode(query), status_code=303, headers=PAGE_HEADERS)


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
