"""HTTP side of the authorization server: Starlette routes around ``HubAuthorizationServer``.

Each handler reads its request in async code (query string, or an urlencoded body parsed here: OAuth
only speaks application/x-www-form-urlencoded), resolves what needs tenant-scoped or CPU-heavy work
(memberships, password checks) on the event loop or in a thread, then runs the authlib call through
``run_sync`` (see auth/server.py).
"""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlencode

from authlib.oauth2.rfc6749 import AccessDeniedError, InsecureTransportError
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from auth import consents, first_party, login_challenges, opaque, page_text, pages, sessions, throttle, two_factor
from auth.account_routes import AccountWeb
from auth.clients import split
from auth.keys import KeyRing
from auth.metadata import server_metadata
from auth.models import User
from auth.oauth_call import VerifiedAccessToken
from auth.oauth_models import OAuthConsent, OAuthRefreshToken
from auth.page_forms import (
    AUTHORIZE_PATH,
    MAX_FORM_BYTES,
    SECOND_STEP_PATH,
    TWO_FACTOR_PATH,
    read_form,
    safe_next,
    with_csrf,
)
from auth.passwords import hash_password, verify_password_async
from auth.scopes import Scope, parse_scope, scopes_for
from auth.server import (
    Grantee,
    HubAuthorizationServer,
    HubRequest,
    OAuthResponse,
    OAuthSettings,
    run_call,
)
from auth.signup.routes import SignupSettings, SignupWeb, unverified
from auth.tokens import AccessTokenVerifier, InvalidToken
from auth.two_factor_routes import TwoFactorWeb
from tenancy import base64url, privileged
from tenancy.db import Database
from tenancy.enums import Access, Role
from tenancy.models import Membership

T = TypeVar("T")
SQLITE_ATTEMPTS = 5
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
# Fields of the consent form that are ours, not the client's authorization request.
CONSENT_FIELDS = frozenset({sessions.CSRF_FIELD, "workspace", "decision"})


@dataclass(frozen=True)
class OAuthWebSettings:
    oauth: OAuthSettings
    login_limits: throttle.LoginLimits
    session_ttl_s: int
    token_requests_per_client: int
    token_requests_per_address: int
    signup_window_s: int = 3600
    signup_per_address: int = 20
    signup_mails_per_recipient: int = 5
    signup_structures_per_account: int = 10


@dataclass(frozen=True)
class _Choice:
    structure_id: uuid.UUID
    name: str
    identifier: str
    role: Role
    cap: frozenset[str]
    # The workspace requires a second factor of its administrators, and this member is one.
    needs_second_factor: bool = False


class OAuthWeb:
    def __init__(self, settings: OAuthWebSettings, db: Database, keyring: KeyRing) -> None:
        self.settings = settings
        self.issuer = settings.oauth.issuer
        self.db = db
        self.server = HubAuthorizationServer(settings.oauth, keyring)
        self.verifier = AccessTokenVerifier(keyring, settings.oauth.tokens)
        self.budget = throttle.RequestBudget()
        self.secure_cookies = sessions.cookies_secure(self.issuer)
        # Injectable so tests can move time forward (code and token expiry) without sleeping.
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self._dummy_hash: str | None = None
        self.two_factor = TwoFactorWeb(
            db, settings.login_limits, session_ttl_s=settings.session_ttl_s, secure=self.secure_cookies, clock=self.now
        )
        self.account = AccountWeb(
            db, settings.login_limits, issuer=self.issuer, secure=self.secure_cookies, clock=self.now
        )
        self.signup = SignupWeb(
            SignupSettings(
                issuer=self.issuer,
                session_ttl_s=settings.session_ttl_s,
                login_limits=settings.login_limits,
                window_s=settings.signup_window_s,
                per_address=settings.signup_per_address,
                mails_per_recipient=settings.signup_mails_per_recipient,
                structures_per_account=settings.signup_structures_per_account,
            ),
            db,
            clock=self.now,
        )

    def now(self) -> datetime:
        return self.clock()

    def routes(self) -> list[BaseRoute]:
        guarded = _refuse_insecure_issuer
        return [
            Route(
                AUTHORIZE_PATH,
                guarded(page_text.localized(self.authorize)),
                methods=["GET", "POST"],
                max_body_size=MAX_FORM_BYTES,
            ),
            Route("/oauth/token", guarded(self.token), methods=["POST"], max_body_size=MAX_FORM_BYTES),
            Route("/oauth/revoke", guarded(self.revoke), methods=["POST"], max_body_size=MAX_FORM_BYTES),
            Route("/oauth/introspect", guarded(self.introspect), methods=["POST"], max_body_size=MAX_FORM_BYTES),
            Route("/login", page_text.localized(self.login), methods=["GET", "POST"], max_body_size=MAX_FORM_BYTES),
            Route("/logout", page_text.localized(self.logout), methods=["POST"], max_body_size=MAX_FORM_BYTES),
            Route("/logout/csrf", self.logout_csrf, methods=["GET"]),
            Route("/.well-known/oauth-authorization-server", self.metadata, methods=["GET"]),
            *self.two_factor.routes(),
            *self.account.routes(),
            *self.signup.routes(),
        ]

    # --- plumbing ----------------------------------------------------------------------------------

    async def _run(self, work: Callable[[Session], T], **known: Any) -> T:
        """Run ``work`` (which builds its own authlib request: authlib mutates it) in one transaction."""
        for attempt in range(SQLITE_ATTEMPTS):
            now = self.clock()

            def call(sync: Session, at: datetime = now) -> T:
                return run_call(sync, at, lambda: work(sync), **known)

            try:
                async with self.db.bare_session() as session:
                    return await session.run_sync(call)
            except OperationalError as error:
                # SQLite (WAL) refuses at once a write from a transaction whose snapshot another writer made
                # stale, e.g. two refreshes of one token; the whole call is safe to run again, and the retry
                # then sees the first writer's result (here: a reused token).
                if self.db.is_postgres or "locked" not in str(error) or attempt == SQLITE_ATTEMPTS - 1:
                    raise
                await asyncio.sleep(0.01 * (attempt + 1))
        raise AssertionError("unreachable")

    def _oauth_request(self, request: Request, params: list[tuple[str, str]]) -> HubRequest:
        # The URI as the client addressed it (the issuer), not as a proxy forwarded it.
        uri = self.issuer + request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return HubRequest(request.method, uri, request.headers, params)

    @staticmethod
    def _json(result: OAuthResponse, *, extra: dict[str, str] | None = None) -> Response:
        headers = {k: v for k, v in result.headers if k.lower() != "content-type"}
        headers.update(NO_STORE)
        if extra:
            headers.update(extra)
        return JSONResponse(result.body if result.body != "" else {}, status_code=result.status, headers=headers)

    def _authorization_answer(self, result: OAuthResponse, *, after_post: bool) -> Response:
        if result.location:
            # 303 after a form POST, so a browser never re-sends the credentials to the client (O15).
            return RedirectResponse(result.location, status_code=303 if after_post else 302, headers=pages.PAGE_HEADERS)
        body = result.body if isinstance(result.body, dict) else {}
        return pages.error_page(str(body.get("error", "invalid_request")), str(body.get("error_description", "")))

    def _with_csrf(self, request: Request, render: Callable[[str], Response]) -> Response:
        return with_csrf(request, render, secure=self.secure_cookies)

    @staticmethod
    def _address(request: Request) -> str:
        return request.client.host if request.client else "unknown"

    # --- authorization endpoint ------------------------------------------------------------------

    async def authorize(self, request: Request) -> Response:
        now = self.clock()
        user = await sessions.session_user(self.db, request, now)
        if request.method == "GET":
            params = list(request.query_params.multi_items())
            return await self._authorize_get(request, params, user)
        form = await read_form(request)
        if form is None:
            return pages.error_page("invalid_request", "the form could not be read")
        fields = dict(form)
        if not sessions.csrf_ok(request, fields.get(sessions.CSRF_FIELD)):
            return pages.error_page("invalid_request", "the form expired or came from another site; start again")
        if user is None:
            return pages.error_page("login_required", "you are not signed in any more; start again from the app")
        params = [(k, v) for k, v in form if k not in CONSENT_FIELDS]
        choices = await self._choices(user)
        chosen = next((c for c in choices if str(c.structure_id) == fields.get("workspace")), None)
        if fields.get("decision") != "approve":
            result = await self._run(lambda s: self._decide(s, self._oauth_request(request, params), user, None))
        elif chosen is None:
            return pages.error_page("invalid_request", "choose one of your workspaces")
        elif await self._second_factor_missing(user, chosen):
            return _to_enrolment(AUTHORIZE_PATH + "?" + urlencode(params))
        else:
            result = await self._run(lambda s: self._decide(s, self._oauth_request(request, params), user, chosen))
        return self._authorization_answer(result, after_post=True)

    async def _authorize_get(self, request: Request, params: list[tuple[str, str]], user: User | None) -> Response:
        oauth_request = self._oauth_request(request, params)
        checked = await self._run(lambda s: self.server.check_authorization_request(oauth_request))
        if isinstance(checked, OAuthResponse):
            return self._authorization_answer(checked, after_post=False)
        if user is None:
            target = AUTHORIZE_PATH + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(
                "/login?" + urlencode({"next": target}), status_code=303, headers=pages.PAGE_HEADERS
            )
        requested = parse_scope(oauth_request.scope or "")
        choices = [c for c in await self._choices(user) if c.cap & requested]
        if not choices:
            denied = AccessDeniedError(
                description="none of your workspaces allows these scopes",
                redirect_uri=checked.redirect_uri,
                state=oauth_request.payload.state,
            )
            return self._authorization_answer(self.server.authorization_error(denied), after_post=False)
        named = _named_workspace(oauth_request, choices)
        client = checked.request.client
        remembered = await self._remembered(user, checked, choices, requested, oauth_request, named)
        if remembered is None and first_party.is_first_party(client.client_id) and not _prompts_consent(oauth_request):
            # The hub's own app asks for nothing beyond what the role allows: choosing the workspace is
            # the only question, and it needs no asking when the request names one or there is one.
            remembered = named or (choices[0] if len(choices) == 1 else None)
        if remembered is not None and await self._second_factor_missing(user, remembered):
            return _to_enrolment(AUTHORIZE_PATH + "?" + request.url.query)
        if remembered is not None:
            result = await self._run(lambda s: self._decide(s, self._oauth_request(request, params), user, remembered))
            return self._authorization_answer(result, after_post=False)
        if named is not None:  # the workspace the request names comes first, checked
            choices = [named, *(c for c in choices if c is not named)]
        carried = [(k, v) for k, v in params if k not in CONSENT_FIELDS]
        return self._with_csrf(
            request,
            lambda csrf: pages.consent_page(
                csrf=csrf,
                client_name=client.row.name,
                client_id=client.client_id,
                requested=requested,
                choices=[
                    pages.WorkspaceChoice(str(c.structure_id), c.name, c.identifier, c.cap & requested) for c in choices
                ],
                params=carried,
                user_name=user.display_name,
                first_party=first_party.is_first_party(client.client_id),
            ),
        )

    def _decide(self, session: Session, request: HubRequest, user: User, chosen: _Choice | None) -> OAuthResponse:
        checked = self.server.check_authorization_request(request)
        if isinstance(checked, OAuthResponse):
            return checked
        if chosen is None:
            return self.server.deny(checked, request)
        granted = parse_scope(request.scope or "") & chosen.cap
        if not granted:
            denied = AccessDeniedError(
                description="your role in this workspace allows none of these scopes",
                redirect_uri=checked.redirect_uri,
                state=request.payload.state,
            )
            return self.server.authorization_error(denied)
        client = request.client
        now = self.clock()
        consent_id = consents.remember(
            session, user_id=user.id, client_pk=client.pk, workspace_id=chosen.structure_id, scopes=granted, now=now
        )
        grantee = Grantee(
            user_id=user.id,
            workspace_id=chosen.structure_id,
            role=chosen.role,
            scopes=granted,
            consent_id=consent_id,
            family_id=uuid.uuid4(),
        )
        return self.server.approve(checked, request, grantee)

    async def _choices(self, user: User) -> list[_Choice]:
        """The user's own workspaces, each with what their role there allows."""
        choices = []
        for m, s in await privileged.workspaces_of_user(self.db, user.id):
            if not s.is_active:
                continue
            cap = scopes_for(Role(m.role), Access(m.access))
            required = s.require_admin_two_factor and Scope.WORKSPACE_ADMIN.value in cap
            choices.append(_Choice(s.id, s.name, s.identifier, Role(m.role), cap, required))
        return choices

    async def _second_factor_missing(self, user: User, chosen: _Choice) -> bool:
        """An administrator of a workspace that requires a second factor gets no code for it before enrolling."""
        return chosen.needs_second_factor and not await two_factor.is_enrolled(self.db, user.id)

    async def _remembered(
        self,
        user: User,
        grant: AuthorizationCodeGrant,
        choices: list[_Choice],
        requested: frozenset[str],
        request: HubRequest,
        named: _Choice | None = None,
    ) -> _Choice | None:
        """Skip the page when the workspace the request names (else the only one) holds a consent covering it."""
        if _prompts_consent(request):
            return None
        async with self.db.bare_session() as session:
            rows = await session.scalars(
                select(OAuthConsent).where(
                    OAuthConsent.user_id == user.id,
                    OAuthConsent.client_pk == grant.request.client.pk,
                    OAuthConsent.revoked_at.is_(None),
                )
            )
            held = {r.workspace_id: frozenset(split(r.scopes)) for r in rows}
        covered = [c for c in choices if c.structure_id in held and (requested & c.cap) <= held[c.structure_id]]
        if named is not None:
            return named if named in covered else None
        return covered[0] if len(covered) == 1 and len(held) == 1 else None

    # --- token, revocation, introspection -----------------------------------------------------------

    async def token(self, request: Request) -> Response:
        form = await read_form(request)
        if form is None:
            return JSONResponse(
                _error("invalid_request", "send an application/x-www-form-urlencoded body"), 400, NO_STORE
            )
        client_key = _client_of(request, form)
        address_ok = self.budget.spend("addr:" + self._address(request), self.settings.token_requests_per_address)
        client_ok = client_key is None or self.budget.spend(
            "client:" + client_key, self.settings.token_requests_per_client
        )
        if not (address_ok and client_ok):
            body = _error("temporarily_unavailable", "too many token requests; retry in a minute")
            return JSONResponse(body, 429, {**NO_STORE, "Retry-After": "60"})
        known: dict[str, Any] = {}
        fields = dict(form)
        if fields.get("grant_type") == "refresh_token" and fields.get("refresh_token"):
            known["memberships"] = await self._membership_of_refresh(fields["refresh_token"])
        result = await self._run(
            lambda s: self.server.create_token_response(self._oauth_request(request, form)), **known
        )
        return self._json(result)

    async def _membership_of_refresh(self, token: str) -> dict[tuple[uuid.UUID, uuid.UUID], tuple[Role, Access] | None]:
        async with self.db.bare_session() as session:
            found = (
                await session.execute(
                    select(OAuthRefreshToken.user_id, OAuthRefreshToken.workspace_id).where(
                        OAuthRefreshToken.token_hash == opaque.digest(token)
                    )
                )
            ).first()
        if found is None:
            return {}
        user_id, workspace_id = found
        async with self.db.tenant_session(workspace_id) as session:
            member = await session.scalar(
                select(Membership).where(Membership.tenant_id == workspace_id, Membership.user_id == user_id)
            )
        role = (Role(member.role), Access(member.access)) if member is not None else None
        return {(user_id, workspace_id): role}

    async def revoke(self, request: Request) -> Response:
        form = await read_form(request)
        if form is None:
            return JSONResponse(
                _error("invalid_request", "send an application/x-www-form-urlencoded body"), 400, NO_STORE
            )
        result = await self._run(
            lambda s: self.server.create_endpoint_response("revocation", self._oauth_request(request, form))
        )
        return self._json(result)

    async def introspect(self, request: Request) -> Response:
        form = await read_form(request)
        if form is None:
            return JSONResponse(
                _error("invalid_request", "send an application/x-www-form-urlencoded body"), 400, NO_STORE
            )
        verified = await self._verified(dict(form).get("token", ""))
        oauth_request = self._oauth_request(request, form)
        result = await self._run(
            lambda s: self.server.create_endpoint_response("introspection", oauth_request), verified_access=verified
        )
        return self._json(result)

    async def _verified(self, token: str) -> VerifiedAccessToken | None:
        if token.count(".") != 2:
            return None
        try:
            principal = await self.verifier.verify(token)
        except InvalidToken:
            return None
        claims = _claims_of(token)
        return VerifiedAccessToken(
            client_id=principal.client_id,
            subject=principal.subject,
            workspace_id=principal.tenant,
            scopes=principal.scopes,
            issued_at=int(claims.get("iat", 0)),
            expires_at=int(claims.get("exp", 0)),
        )

    async def metadata(self, request: Request) -> Response:
        return JSONResponse(server_metadata(self.issuer), headers={"Cache-Control": "public, max-age=300"})

    # --- sign-in ------------------------------------------------------------------------------------

    async def login(self, request: Request) -> Response:
        now = self.clock()
        if request.method == "GET":
            next_url = safe_next(request.query_params.get("next"))
            user = await sessions.session_user(self.db, request, now)
            if user is not None and next_url:
                return RedirectResponse(next_url, status_code=303, headers=pages.PAGE_HEADERS)
            if user is not None:
                name = user.display_name
                return self._with_csrf(request, lambda csrf: pages.signed_in_page(csrf=csrf, name=name))
            return self._with_csrf(request, lambda csrf: pages.login_page(csrf=csrf, next_url=next_url))
        form = await read_form(request)
        fields = dict(form or [])
        next_url = safe_next(fields.get("next"))
        csrf = request.cookies.get(sessions.CSRF_COOKIE, "")
        if form is None or not sessions.csrf_ok(request, fields.get(sessions.CSRF_FIELD)):
            return self._with_csrf(
                request,
                lambda token: pages.login_page(
                    csrf=token, next_url=next_url, error="The form expired; please try again.", status=400
                ),
            )
        email = fields.get("email", "")[:254].strip().lower()
        password = fields.get("password", "")[:1024]
        address = self._address(request)
        limits = self.settings.login_limits
        if await throttle.login_blocked(self.db, limits, email=email, address=address, now=now):
            return pages.login_page(
                csrf=csrf,
                next_url=next_url,
                email=email,
                error="Too many failed attempts. Wait a few minutes before trying again.",
                status=429,
            )
        user = await self._check_password(email, password)
        if user is None:
            await throttle.record_failure(self.db, limits, email=email, address=address, now=now)
            return pages.login_page(
                csrf=csrf, next_url=next_url, email=email, error="Wrong e-mail or password.", status=401
            )
        await throttle.clear_account(self.db, email)
        if user.email_verified_at is None:  # the right password: only its owner learns the address waits
            return await unverified(self.signup, user, now)
        if await two_factor.is_enrolled(self.db, user.id):
            # The password is right; the session waits for the second factor (auth/login_challenges.py).
            challenge = await login_challenges.start(self.db, user.id, now)
            target = SECOND_STEP_PATH + ("?" + urlencode({"next": next_url}) if next_url else "")
            response = RedirectResponse(target, status_code=303, headers=pages.PAGE_HEADERS)
            login_challenges.set_cookie(response, challenge, secure=self.secure_cookies)
            return response
        token = await sessions.start_session(
            self.db, user.id, ttl_s=self.settings.session_ttl_s, now=now, agent=sessions.user_agent(request)
        )
        response = RedirectResponse(next_url or "/login", status_code=303, headers=pages.PAGE_HEADERS)
        sessions.set_session_cookie(response, token, secure=self.secure_cookies, ttl_s=self.settings.session_ttl_s)
        return response

    async def _check_password(self, email: str, password: str) -> User | None:
        async with self.db.bare_session() as session:
            user = await session.scalar(select(User).where(User.email == email))
        if user is None or not user.is_active or not user.password_hash:
            # Spend the same time as a real check, so response times do not reveal which accounts exist.
            await verify_password_async(await self._dummy(), password)
            return None
        return user if await verify_password_async(user.password_hash, password) else None

    async def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = await asyncio.to_thread(hash_password, opaque.new_secret())
        return self._dummy_hash

    async def logout(self, request: Request) -> Response:
        form = await read_form(request)
        if form is None or not sessions.csrf_ok(request, dict(form).get(sessions.CSRF_FIELD)):
            return pages.error_page("invalid_request", "the form expired; please try again")
        await sessions.end_session(self.db, request)
        # An app signing out may name its next authorization request: the sign-in page then leads back to it.
        next_url = safe_next(dict(form).get("next"))
        target = "/login?" + urlencode({"next": next_url}) if next_url else "/login"
        response = RedirectResponse(target, status_code=303, headers=pages.PAGE_HEADERS)
        sessions.clear_session_cookie(response, secure=self.secure_cookies)
        return response

    async def logout_csrf(self, request: Request) -> Response:
        """The CSRF token of this browser, for the hub's own web app to post /logout in one click.

        Only same-origin script can read it (no CORS here), and such script could read it from any page's
        form already: it opens nothing new."""
        token, new = sessions.csrf_token(request)
        response = JSONResponse({"csrf_token": token}, headers=NO_STORE)
        if new:
            sessions.set_csrf_cookie(response, token, secure=self.secure_cookies)
        return response


Handler = Callable[[Request], Awaitable[Response]]


def _refuse_insecure_issuer(handler: Handler) -> Handler:
    """authlib refuses OAuth over plain http (except on loopback): say why, rather than fail with a 500."""

    async def guarded(request: Request) -> Response:
        try:
            return await handler(request)
        except InsecureTransportError:
            body = _error(
                "insecure_transport", "FACTUREHUB_PUBLIC_URL must be https (http only on 127.0.0.1/localhost)"
            )
            return JSONResponse(body, 503, NO_STORE)

    return guarded


def _to_enrolment(authorize_url: str) -> Response:
    target = TWO_FACTOR_PATH + "?" + urlencode({"next": authorize_url, "why": "workspace"})
    return RedirectResponse(target, status_code=303, headers=pages.PAGE_HEADERS)


def _prompts_consent(request: HubRequest) -> bool:
    return "consent" in split(str(request.payload.data.get("prompt") or ""))


def _named_workspace(request: HubRequest, choices: list[_Choice]) -> _Choice | None:
    """The workspace the authorization request names (``workspace``: the structure's identifier), if it is
    one of the user's and names only one of them; else none, and the consent page asks."""
    wanted = str(request.payload.data.get("workspace") or "").strip()
    named = [c for c in choices if c.identifier == wanted] if wanted else []
    return named[0] if len(named) == 1 else None


def _client_of(request: Request, form: list[tuple[str, str]]) -> str | None:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            return base64.b64decode(credentials).decode("utf-8").partition(":")[0][:100] or None
        except (ValueError, UnicodeDecodeError):
            return None
    client_id = dict(form).get("client_id")
    return client_id[:100] if client_id else None


def _claims_of(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    claims = json.loads(base64url.decode(payload))
    return claims if isinstance(claims, dict) else {}


def _error(error: str, description: str) -> dict[str, str]:
    return {"error": error, "error_description": description}
