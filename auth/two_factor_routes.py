"""HTTP side of the second factor: the sign-in step after the password, and the account's factor page.

Both count wrong codes against the account's second-factor budget and the address's, the sign-in page's
throttle (auth/throttle.py); both check the CSRF token of every form. The second step turns a challenge
(auth/login_challenges.py) into a session only when a code passes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from auth import login_challenges, page_text, sessions, throttle, totp, two_factor
from auth import two_factor_pages as screens
from auth.models import User
from auth.page_forms import MAX_FORM_BYTES, SECOND_STEP_PATH, TWO_FACTOR_PATH, read_form, safe_next, with_csrf
from auth.pages import PAGE_HEADERS
from auth.passwords import verify_password_async
from tenancy.db import Database


class TwoFactorWeb:
    def __init__(
        self,
        db: Database,
        limits: throttle.LoginLimits,
        *,
        session_ttl_s: int,
        secure: bool,
        clock: Callable[[], datetime],
    ) -> None:
        self.db = db
        self.limits = limits
        self.session_ttl_s = session_ttl_s
        self.secure = secure
        self.clock = clock

    def routes(self) -> list[BaseRoute]:
        return [
            Route(
                SECOND_STEP_PATH,
                page_text.localized(self.second_step),
                methods=["GET", "POST"],
                max_body_size=MAX_FORM_BYTES,
            ),
            Route(
                TWO_FACTOR_PATH,
                page_text.localized(self.account),
                methods=["GET", "POST"],
                max_body_size=MAX_FORM_BYTES,
            ),
        ]

    @staticmethod
    def _address(request: Request) -> str:
        return request.client.host if request.client else "unknown"

    def _csrf(self, request: Request) -> str:
        # Only called once a form passed the CSRF check, so the cookie is there.
        return request.cookies.get(sessions.CSRF_COOKIE, "")

    # --- the sign-in step after the password ------------------------------------------------------------

    async def second_step(self, request: Request) -> Response:
        now = self.clock()
        user = await login_challenges.user_of(self.db, request, now)
        if request.method == "GET":
            next_url = safe_next(request.query_params.get("next"))
            if user is None:
                return _to_login(next_url)
            return with_csrf(
                request, lambda csrf: screens.second_step_page(csrf=csrf, next_url=next_url), secure=self.secure
            )
        form = await read_form(request)
        fields = dict(form or [])
        next_url = safe_next(fields.get("next"))
        if form is None or not sessions.csrf_ok(request, fields.get(sessions.CSRF_FIELD)):
            return with_csrf(
                request,
                lambda csrf: screens.second_step_page(csrf=csrf, next_url=next_url, error="form_expired", status=400),
                secure=self.secure,
            )
        if user is None:  # expired, or never past the password: back to the first step
            return _to_login(next_url)
        csrf = self._csrf(request)
        address = self._address(request)
        if await throttle.factor_blocked(self.db, self.limits, user_id=user.id, address=address, now=now):
            return screens.second_step_page(csrf=csrf, next_url=next_url, error="too_many", status=429)
        if not await two_factor.check_code(self.db, user.id, fields.get("code", "")[:1024], now):
            await throttle.record_factor_failure(self.db, self.limits, user_id=user.id, address=address, now=now)
            return screens.second_step_page(csrf=csrf, next_url=next_url, error="code_wrong", status=401)
        await throttle.clear_factor(self.db, user.id)
        await login_challenges.end(self.db, request)
        token = await sessions.start_session(
            self.db, user.id, ttl_s=self.session_ttl_s, now=now, agent=sessions.user_agent(request)
        )
        response = RedirectResponse(next_url or "/login", status_code=303, headers=PAGE_HEADERS)
        login_challenges.clear_cookie(response, secure=self.secure)
        sessions.set_session_cookie(response, token, secure=self.secure, ttl_s=self.session_ttl_s)
        return response

    # --- the account's second factor: enrol, new recovery codes, turn off --------------------------------

    async def account(self, request: Request) -> Response:
        now = self.clock()
        user = await sessions.session_user(self.db, request, now)
        if request.method == "GET":
            next_url = safe_next(request.query_params.get("next"))
            if user is None:
                return _to_login(TWO_FACTOR_PATH + (f"?{request.url.query}" if request.url.query else ""))
            required = request.query_params.get("why") == "workspace"
            return await self._show(request, user, now, next_url=next_url, required=required)
        form = await read_form(request)
        fields = dict(form or [])
        next_url = safe_next(fields.get("next"))
        if form is None or not sessions.csrf_ok(request, fields.get(sessions.CSRF_FIELD)):
            if user is None:
                return _to_login(TWO_FACTOR_PATH)
            return await self._show(request, user, now, next_url=next_url, error="form_expired", status=400)
        if user is None:
            return _to_login(TWO_FACTOR_PATH)
        address = self._address(request)
        if await throttle.factor_blocked(self.db, self.limits, user_id=user.id, address=address, now=now):
            return await self._show(request, user, now, next_url=next_url, error="too_many", status=429)
        action = fields.get("action")
        required = fields.get("why") == "workspace"
        code = fields.get("code", "")[:1024]
        if action == "enable":
            codes = await two_factor.confirm(self.db, user.id, code.strip(), now)
            if codes is None:
                return await self._refused(request, user, now, next_url, "code_wrong", required=required)
            return screens.recovery_codes_page(codes=codes, next_url=next_url)
        if action == "regenerate":
            if not await two_factor.check_code(self.db, user.id, code, now):
                return await self._refused(request, user, now, next_url, "code_wrong")
            fresh = await two_factor.regenerate_recovery_codes(self.db, user.id, now)
            return screens.recovery_codes_page(codes=fresh or [], next_url=None)
        if action == "disable":
            if not await two_factor.check_code(self.db, user.id, code, now) and not await _password_ok(user, code):
                return await self._refused(request, user, now, next_url, "code_or_password_wrong")
            await two_factor.disable(self.db, user.id)
            await throttle.clear_factor(self.db, user.id)
            return screens.disabled_page()
        return await self._show(request, user, now, next_url=next_url, error="form_expired", status=400)

    async def _refused(
        self, request: Request, user: User, now: datetime, next_url: str | None, error: str, *, required: bool = False
    ) -> Response:
        address = self._address(request)
        await throttle.record_factor_failure(self.db, self.limits, user_id=user.id, address=address, now=now)
        return await self._show(request, user, now, next_url=next_url, required=required, error=error, status=401)

    async def _show(
        self,
        request: Request,
        user: User,
        now: datetime,
        *,
        next_url: str | None,
        required: bool = False,
        error: str | None = None,
        status: int = 200,
    ) -> Response:
        state = await two_factor.status(self.db, user.id)
        if state.enrolled:
            if next_url:  # sent here to enrol, and already enrolled: nothing to do but go on
                return RedirectResponse(next_url, status_code=303, headers=PAGE_HEADERS)
            left = state.recovery_codes_left
            return with_csrf(
                request,
                lambda csrf: screens.status_page(csrf=csrf, codes_left=left, error=error, status=status),
                secure=self.secure,
            )
        secret = await two_factor.pending_secret(self.db, user.id, now)
        if secret is None:  # confirmed in another tab between the two reads
            return RedirectResponse(TWO_FACTOR_PATH, status_code=303, headers=PAGE_HEADERS)
        uri = totp.provisioning_uri(secret, user.email)
        svg = totp.qr_svg(uri, page_text.t("qr_label"))
        return with_csrf(
            request,
            lambda csrf: screens.enrol_page(
                csrf=csrf,
                next_url=next_url,
                secret=totp.grouped(secret),
                qr_svg=svg,
                required=required,
                error=error,
                status=status,
            ),
            secure=self.secure,
        )


async def _password_ok(user: User, password: str) -> bool:
    return bool(user.password_hash) and await verify_password_async(user.password_hash or "", password)


def _to_login(next_url: str | None) -> Response:
    target = "/login" + ("?" + urlencode({"next": next_url}) if next_url else "")
    return RedirectResponse(target, status_code=303, headers=PAGE_HEADERS)
