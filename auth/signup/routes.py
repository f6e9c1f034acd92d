"""The sign-up pages' HTTP side: the form (/signup), the mailed link (/signup/verify), the new structure
(/signup/structure).

Every form carries the sign-in page's CSRF token (double submit, auth.sessions). A sign-up costs the hub a
password hash and a mail whoever sends it, so it spends from a budget per client address (429 past it)
and from one per e-mail address (past it, the same answer, and no more mail); a wrong password on the
link's page counts as a failed sign-in of that account, with the sign-in page's limits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from auth import page_text, sessions, throttle
from auth.models import User
from auth.one_time_links import LinkProblem
from auth.page_forms import MAX_FORM_BYTES, read_form, with_csrf
from auth.pages import PAGE_HEADERS
from auth.passwords import hash_password_async, verify_password_async
from auth.signup import accounts, structures
from auth.signup import pages as screens
from auth.signup.page_text import identifier_problem, t
from auth.users import check_password
from tenancy import privileged
from tenancy.db import Database
from tenancy.errors import DomainError, ErrorCode, FieldError
from tenancy.identifiers import InvalidIdentifier, normalize_identifier
from tenancy.structures import Address


@dataclass(frozen=True)
class SignupSettings:
    issuer: str
    session_ttl_s: int
    login_limits: throttle.LoginLimits
    window_s: int = 3600
    per_address: int = 20
    mails_per_recipient: int = 5
    # Nothing checks that a SIRET is the creator's (Chorus Pro asks INSEE): at least one account cannot
    # take many identifiers at once.
    structures_per_account: int = 10


def mail_key(email: str) -> str:
    return "signup-mail:" + email.strip().lower()[:254]


class SignupWeb:
    def __init__(self, settings: SignupSettings, db: Database, *, clock: Callable[[], datetime]) -> None:
        self.settings = settings
        self.db = db
        self.clock = clock
        self.base_url = settings.issuer.rstrip("/")
        self.secure = sessions.cookies_secure(settings.issuer)

    def routes(self) -> list[BaseRoute]:
        def route(path: str, handler: Callable[[Request], object]) -> Route:
            return Route(path, page_text.localized(handler), methods=["GET", "POST"], max_body_size=MAX_FORM_BYTES)  # type: ignore[arg-type]

        return [
            route(screens.SIGNUP_PATH, self.signup),
            route(screens.VERIFY_PATH, self.verify),
            route(screens.STRUCTURE_PATH, self.structure),
        ]

    # --- plumbing ----------------------------------------------------------------------------------

    @staticmethod
    def _address(request: Request) -> str:
        return request.client.host if request.client else "unknown"

    def _render(self, request: Request, render: Callable[[str], Response]) -> Response:
        return with_csrf(request, render, secure=self.secure)

    async def _form(self, request: Request) -> dict[str, str] | None:
        """The posted fields, or None when the form cannot be read or its CSRF token is not this browser's."""
        form = await read_form(request)
        fields = dict(form or [])
        if form is None or not sessions.csrf_ok(request, fields.get(sessions.CSRF_FIELD)):
            return None
        return fields

    async def mail_budget(self, email: str, now: datetime) -> bool:
        """One more sign-up mail to ``email`` within its budget (the sign-in page's resend spends it too)."""
        s = self.settings
        return await throttle.spend(self.db, mail_key(email), limit=s.mails_per_recipient, window_s=s.window_s, now=now)

    # --- /signup -----------------------------------------------------------------------------------

    async def signup(self, request: Request) -> Response:
        if request.method == "GET":
            return self._render(request, lambda csrf: screens.signup_page(csrf=csrf))
        now = self.clock()
        fields = await self._form(request)
        if fields is None:
            return self._render(
                request, lambda csrf: screens.signup_page(csrf=csrf, error=t("form_expired"), status=400)
            )
        csrf = fields[sessions.CSRF_FIELD]
        typed = accounts.SignUpForm(
            email=fields.get("email", "")[:300],
            display_name=fields.get("display_name", "")[:400],
            password=fields.get("password", "")[: accounts.MAX_PASSWORD_CHARS + 1],
            locale=fields.get("locale", page_text.language()),
        )

        def again(error: str, field: str | None, status: int) -> Response:
            return screens.signup_page(
                csrf=csrf, email=typed.email, name=typed.display_name, locale=typed.locale, error=error,
                field=field, status=status,
            )  # fmt: skip

        s = self.settings
        key = "signup:" + self._address(request)
        if not await throttle.spend(self.db, key, limit=s.per_address, window_s=s.window_s, now=now):
            return again(t("too_many"), None, 429)
        try:
            checked = accounts.check_form(typed)
        except DomainError as refusal:
            error = refusal.errors[0]
            return again(_signup_text(error), ".".join(error.field), 400)
        send = await self.mail_budget(checked.email, now)
        await accounts.sign_up(self.db, checked, base_url=self.base_url, now=now, send=send)
        return screens.notice("check_title", t("check_text", email=checked.email))

    # --- /signup/verify ----------------------------------------------------------------------------

    async def verify(self, request: Request) -> Response:
        now = self.clock()
        if request.method == "GET":
            token = request.query_params.get("token", "")
            found = await accounts.pending(self.db, token, now)
            if isinstance(found, LinkProblem):
                return _unusable(found)
            user = found.user
            return self._render(request, lambda csrf: _verify_page(csrf, token, user))
        fields = await self._form(request)
        if fields is None:
            return self._render(request, lambda csrf: screens.link_unusable("form_expired", status=400))
        csrf, token = fields[sessions.CSRF_FIELD], fields.get("token", "")[:300]
        found = await accounts.pending(self.db, token, now)
        if isinstance(found, LinkProblem):
            return _unusable(found)
        user = found.user
        new_hash: str | None = None
        if fields.get("mode") == "choose":
            chosen = fields.get("new_password", "")
            try:
                if len(chosen) > accounts.MAX_PASSWORD_CHARS:
                    raise DomainError.single("password", ErrorCode.TOO_LONG, "too long")
                check_password(chosen)
            except DomainError as refusal:
                error = _signup_text(refusal.errors[0])
                return _verify_page(csrf, token, user, error=error, status=400)
            new_hash = await hash_password_async(chosen)
        else:
            limits, address = self.settings.login_limits, self._address(request)
            if await throttle.login_blocked(self.db, limits, email=user.email, address=address, now=now):
                return _verify_page(csrf, token, user, error=t("too_many_tries"), status=429)
            given = fields.get("password", "")[:1024]
            if not user.password_hash or not await verify_password_async(user.password_hash, given):
                await throttle.record_failure(self.db, limits, email=user.email, address=address, now=now)
                return _verify_page(csrf, token, user, error=t("password_wrong"), status=401)
            await throttle.clear_account(self.db, user.email)
        verified = await accounts.verify(self.db, token, now=now, new_password_hash=new_hash)
        if isinstance(verified, LinkProblem):
            return _unusable(verified)
        session = await sessions.start_session(self.db, verified.id, ttl_s=self.settings.session_ttl_s, now=now)
        # Named as a manager by the operator already: straight to the app; else, the structure to create.
        has_workspace = bool(await privileged.workspaces_of_user(self.db, verified.id))
        response = RedirectResponse(
            "/" if has_workspace else screens.STRUCTURE_PATH, status_code=303, headers=PAGE_HEADERS
        )
        sessions.set_session_cookie(response, session, secure=self.secure, ttl_s=self.settings.session_ttl_s)
        return response

    # --- /signup/structure -------------------------------------------------------------------------

    async def structure(self, request: Request) -> Response:
        now = self.clock()
        user = await sessions.session_user(self.db, request, now)
        if user is None:
            target = "/login?" + urlencode({"next": screens.STRUCTURE_PATH})
            return RedirectResponse(target, status_code=303, headers=PAGE_HEADERS)
        name = user.display_name
        if request.method == "GET":
            return self._render(request, lambda csrf: screens.structure_page(csrf=csrf, user=name))
        fields = await self._form(request)
        if fields is None:
            return self._render(
                request, lambda csrf: screens.structure_page(csrf=csrf, user=name, error=t("form_expired"), status=400)
            )
        values = {k: fields.get(k, "")[:300] for k in _STRUCTURE_FIELDS}
        form = structures.SupplierForm(
            identifier_type=values["identifier_type"],
            identifier=values["identifier"],
            name=values["name"],
            address=Address(
                line1=values["address_line1"] or None,
                line2=values["address_line2"] or None,
                postcode=values["postcode"] or None,
                town=values["town"] or None,
                country_code=values["country_code"],
            ),
        )
        csrf = fields[sessions.CSRF_FIELD]
        s = self.settings
        key = f"signup-structure:{user.id}"
        if not await throttle.spend(self.db, key, limit=s.structures_per_account, window_s=s.window_s, now=now):
            return screens.structure_page(
                csrf=csrf, user=name, values=values, error=t("too_many_structures"), status=429
            )
        try:
            created = await structures.create_supplier(self.db, user, form)
        except DomainError as refusal:
            error = refusal.errors[0]
            if error.code is ErrorCode.DUPLICATE:
                taken = (form.identifier_type, _normalized(form.identifier_type, form.identifier))
                return screens.structure_page(csrf=csrf, user=name, values=values, taken=taken, status=409)
            return screens.structure_page(
                csrf=csrf, user=name, values=values, error=_structure_text(error), field=".".join(error.field),
                status=400,
            )  # fmt: skip
        said = t("created", name=created.name, kind=str(created.identifier_type), identifier=created.identifier)
        # The app starts its sign-in naming the new workspace, so a person with others lands in this one.
        into = "/?" + urlencode({"workspace": created.identifier})
        return screens.notice("created_title", said, link=(into, t("continue")))


_STRUCTURE_FIELDS = (
    "identifier_type", "identifier", "name", "address_line1", "address_line2", "postcode", "town", "country_code",
)  # fmt: skip


def _verify_page(csrf: str, token: str, user: User, *, error: str | None = None, status: int = 200) -> Response:
    return screens.verify_page(
        csrf=csrf, token=token, email=user.email, has_password=bool(user.password_hash), error=error, status=status
    )


def _unusable(problem: LinkProblem) -> Response:
    if problem is LinkProblem.USED:
        return screens.link_unusable("link_used", status=410)
    if problem is LinkProblem.EXPIRED:
        return screens.link_unusable("link_expired", status=410)
    return screens.link_unusable("link_unknown", status=404)


def _normalized(kind: str, identifier: str) -> str:
    try:
        return normalize_identifier(structures.supplier_type(kind), identifier)
    except (InvalidIdentifier, DomainError):
        return identifier.strip()


def _signup_text(error: FieldError) -> str:
    field = ".".join(error.field)
    if field == "email":
        return t("email_invalid")
    if field == "displayName":
        return t("name_required") if error.code is ErrorCode.REQUIRED else t("name_invalid")
    if field == "password":
        return t("password_long") if error.code is ErrorCode.TOO_LONG else t("password_short")
    return t("locale_invalid")


def _structure_text(error: FieldError) -> str:
    field = ".".join(error.field)
    if field == "identifierType":
        return t("type_invalid")
    if field == "identifier":
        return identifier_problem(error.message)
    if field == "name":
        return t("name_field_required") if error.code is ErrorCode.REQUIRED else t("name_field_invalid")
    if field == "address.countryCode":
        return t("country_invalid")
    return t("field_invalid")


async def unverified(web: SignupWeb, user: User, now: datetime) -> Response:
    """The sign-in page's answer to the right password of an account whose address is not verified yet:
    a new link (within the address's mail budget). Only the password's owner ever reads this page, so it
    tells nobody else that the address has an account."""
    if await web.mail_budget(user.email, now):
        async with web.db.bare_session() as session:
            await accounts.mail_verification(session, user, base_url=web.base_url, now=now)
        return screens.notice("unverified_title", t("unverified", email=user.email), status=403)
    return screens.notice("unverified_title", t("unverified_budget", email=user.email), status=403)
