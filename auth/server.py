"""The OAuth 2.0 authorization server: authlib's ``AuthorizationServer`` on our tables.

authlib is synchronous. ``auth/routes.py`` reads each request in async code, builds a ``HubRequest``
from it, then runs the authlib call inside ``AsyncSession.run_sync``: the callbacks below get a plain
sync ``Session`` through the ``CallState`` context variable of ``auth/oauth_call.py`` (set inside the
synchronous function, on the greenlet that runs it), and their I/O is awaited on the event loop. No
threads, no second engine.

Every call runs in a savepoint: an error response leaves nothing behind, except the revocations a
replayed code or refresh token asks for (``CallState.revoke_families``), which are applied after it.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from authlib.oauth2 import AuthorizationServer, OAuth2Request
from authlib.oauth2.rfc6749 import (
    AccessDeniedError,
    InvalidGrantError,
    InvalidRequestError,
    InvalidScopeError,
    OAuth2Error,
    UnsupportedResponseTypeError,
)
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant, ClientCredentialsGrant, RefreshTokenGrant
from authlib.oauth2.rfc6749.requests import OAuth2Payload
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc9207 import IssuerParameter
from sqlalchemy import CursorResult, Update, select, update
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, Headers

from auth import opaque
from auth.clients import CLIENT_CREDENTIALS
from auth.endpoints import HubIntrospectionEndpoint, HubRevocationEndpoint
from auth.keys import KeyRing
from auth.oauth_call import (
    CONFIDENTIAL_METHODS,
    CallState,
    CodeRecord,
    HubClient,
    RefreshRecord,
    calling,
    revoke_family,
    state,
)
from auth.oauth_models import OAuthClient, OAuthCode, OAuthConsent, OAuthRefreshToken
from auth.scopes import ALL_SCOPES, parse_scope, scopes_for
from auth.tokens import TokenSettings, issue_access_token
from tenancy import base64url
from tenancy.enums import Role
from tenancy.moments import aware

T = TypeVar("T")


@dataclass(frozen=True)
class OAuthSettings:
    issuer: str
    tokens: TokenSettings
    code_ttl_s: int = 300
    refresh_ttl_s: int = 30 * 86400


@dataclass(frozen=True)
class Grantee:
    """Who a code or refresh token acts for: a member, in one workspace, with at most ``scopes``."""

    user_id: uuid.UUID
    workspace_id: uuid.UUID
    role: Role
    scopes: frozenset[str]
    consent_id: uuid.UUID
    family_id: uuid.UUID


def run_call(session: Session, now: datetime, work: Callable[[], T], **known: Any) -> T:
    """Run one authlib call on ``session`` (inside ``run_sync``); roll back its writes if it answered an error."""
    with calling(session, now, **known) as call:
        savepoint = session.begin_nested()
        result = work()
        failed = isinstance(result, OAuthResponse) and result.status >= 400
        if failed:
            savepoint.rollback()
        else:
            savepoint.commit()
        for family in call.revoke_families:
            revoke_family(session, family, now)
        return result


# --- requests and responses ---------------------------------------------------------------------


class HubPayload(OAuth2Payload):  # type: ignore[misc]
    def __init__(self, params: FormData) -> None:
        self._params = params
        datalist: defaultdict[str, list[str]] = defaultdict(list)
        for key, value in params.multi_items():
            datalist[key].append(str(value))
        self._datalist = datalist

    @property
    def data(self) -> FormData:
        return self._params

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._datalist


class HubRequest(OAuth2Request):  # type: ignore[misc]
    """The parameters of one endpoint call: the query string for GET, the urlencoded body for POST."""

    def __init__(self, method: str, uri: str, headers: Headers, params: list[tuple[str, str]]) -> None:
        super().__init__(method, uri, headers=headers)
        self._params = FormData(list[tuple[str, str | Any]](params))
        self.payload = HubPayload(self._params)

    @property
    def args(self) -> FormData:
        return self._params if self.method == "GET" else FormData()

    @property
    def form(self) -> FormData:
        return self._params


@dataclass
class OAuthResponse:
    status: int
    body: Any
    headers: list[tuple[str, str]]

    @property
    def location(self) -> str | None:
        return next((v for k, v in self.headers if k.lower() == "location"), None)

    @location.setter
    def location(self, value: str) -> None:
        self.headers = [(k, v) for k, v in self.headers if k.lower() != "location"] + [("Location", value)]


# --- PKCE: S256 only, for every client ------------------------------------------------------------


def _s256_matches(verifier: str, challenge: str) -> bool:
    computed = base64url.encode(hashlib.sha256(verifier.encode("ascii")).digest())
    return hmac.compare_digest(computed, challenge)


class S256Required(CodeChallenge):  # type: ignore[misc]
    """authlib accepts a request without a challenge, and ``plain``; RFC 9700 wants S256 from everyone."""

    DEFAULT_CODE_CHALLENGE_METHOD = "S256"
    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]
    CODE_CHALLENGE_METHODS = {"S256": _s256_matches}

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send a S256 code_challenge")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("code_challenge_method must be S256")
        super().validate_code_challenge(grant, redirect_uri)

    def validate_code_verifier(self, grant: Any, result: Any) -> None:
        if not grant.request.form.get("code_verifier"):
            raise InvalidRequestError("Missing 'code_verifier'")
        super().validate_code_verifier(grant, result)


# --- grants ---------------------------------------------------------------------------------------


UNREGISTERED_REDIRECT = "the redirect_uri is not registered for this client"


class CodeGrant(AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = [*CONFIDENTIAL_METHODS, "none"]

    @staticmethod
    def validate_authorization_redirect_uri(request: HubRequest, client: HubClient) -> str:
        # authlib echoes the refused URI in the error description, and refuses (ValueError, a 500) the
        # characters RFC 6749 does not allow there (\\, ", non-ASCII): one fixed text, that echoes nothing.
        requested = request.payload.redirect_uri
        if requested and not client.check_redirect_uri(requested):
            raise InvalidRequestError(UNREGISTERED_REDIRECT)
        redirect_uri: str = AuthorizationCodeGrant.validate_authorization_redirect_uri(request, client)
        return redirect_uri

    def save_authorization_code(self, code: str, request: HubRequest) -> None:
        call, grantee = state(), request.user
        assert isinstance(grantee, Grantee)
        data = request.payload.data
        call.session.add(
            OAuthCode(
                id=uuid.uuid4(),
                code_hash=opaque.digest(code),
                client_pk=request.client.pk,
                workspace_id=grantee.workspace_id,
                user_id=grantee.user_id,
                consent_id=grantee.consent_id,
                role=grantee.role.value,
                redirect_uri=request.payload.redirect_uri or "",
                scopes=" ".join(sorted(grantee.scopes)),
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"),
                family_id=grantee.family_id,
                created_at=call.now,
                expires_at=call.now + timedelta(seconds=self.server.settings.code_ttl_s),
            )
        )

    def query_authorization_code(self, code: str, client: HubClient) -> CodeRecord | None:
        call = state()
        row = call.session.scalar(select(OAuthCode).where(OAuthCode.code_hash == opaque.digest(code)))
        if row is None or row.client_pk != client.pk:
            return None
        # RFC 6749 §4.1.2: a code used twice is a stolen code; revoke what it issued.
        claim = update(OAuthCode).where(OAuthCode.id == row.id, OAuthCode.used_at.is_(None)).values(used_at=call.now)
        return CodeRecord(row) if _used_once(call, row, replayed=row.used_at is not None, claim=claim) else None

    def delete_authorization_code(self, authorization_code: CodeRecord) -> None:
        """Kept, marked used (by ``query_authorization_code``): a replay must be recognised, not just refused."""

    def authenticate_user(self, authorization_code: CodeRecord) -> Grantee:
        row = authorization_code.row
        return Grantee(
            user_id=row.user_id,
            workspace_id=row.workspace_id,
            role=Role(row.role),
            scopes=parse_scope(row.scopes),
            consent_id=row.consent_id,
            family_id=row.family_id,
        )


def _used_once(call: CallState, row: OAuthCode | OAuthRefreshToken, *, replayed: bool, claim: Update) -> bool:
    """Whether a code or refresh token may be used now, claiming it if so: a replayed one, or one another
    request claimed first, revokes its family; an expired one is only refused."""
    if replayed:
        call.revoke_families.add(row.family_id)
        return False
    if aware(row.expires_at) <= call.now:
        return False
    if cast(CursorResult[Any], call.session.execute(claim)).rowcount != 1:
        call.revoke_families.add(row.family_id)
        return False
    return True


class RotatingRefreshGrant(RefreshTokenGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = [*CONFIDENTIAL_METHODS, "none"]
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> RefreshRecord | None:
        call = state()
        digest = opaque.digest(refresh_token)
        row = call.session.scalar(select(OAuthRefreshToken).where(OAuthRefreshToken.token_hash == digest))
        if row is None:
            return None
        # A rotated or revoked token came back: whoever holds the family may be an attacker.
        replayed = row.used_at is not None or row.revoked_at is not None
        claim = (
            update(OAuthRefreshToken)
            .where(
                OAuthRefreshToken.id == row.id,
                OAuthRefreshToken.used_at.is_(None),
                OAuthRefreshToken.revoked_at.is_(None),
            )
            .values(used_at=call.now)
        )
        return RefreshRecord(row) if _used_once(call, row, replayed=replayed, claim=claim) else None

    def authenticate_user(self, refresh_token: RefreshRecord) -> Grantee:
        call, row = state(), refresh_token.row
        membership = call.memberships.get((row.user_id, row.workspace_id))
        if membership is None:
            raise InvalidGrantError(description="the user is no longer a member of this workspace")
        consent = call.session.get(OAuthConsent, row.consent_id)
        if consent is None or consent.revoked_at is not None or consent.workspace_id != row.workspace_id:
            raise InvalidGrantError(description="the authorization was revoked")
        role, access = membership
        return Grantee(
            user_id=row.user_id,
            workspace_id=row.workspace_id,
            role=role,
            scopes=parse_scope(row.scopes) & scopes_for(role, access),
            consent_id=row.consent_id,
            family_id=row.family_id,
        )

    def revoke_old_credential(self, refresh_token: RefreshRecord) -> None:
        """Already marked used when it was authenticated (atomically, so two concurrent uses cannot both win)."""


class WorkspaceClientCredentialsGrant(ClientCredentialsGrant):  # type: ignore[misc]
    """A technical account: acts in the one workspace its client is bound to, within the client's scopes."""

    TOKEN_ENDPOINT_AUTH_METHODS = list(CONFIDENTIAL_METHODS)

    def validate_token_request(self) -> None:
        super().validate_token_request()
        requested = parse_scope(self.request.payload.scope or "")
        if not requested <= self.request.client.scopes:
            raise InvalidScopeError(description="the client is not allowed this scope")


# --- the server -----------------------------------------------------------------------------------


class _Issuer(IssuerParameter):  # type: ignore[misc]
    def __init__(self, issuer: str) -> None:
        self._issuer = issuer

    def get_issuer(self) -> str:
        return self._issuer


class HubAuthorizationServer(AuthorizationServer):  # type: ignore[misc]
    def __init__(self, settings: OAuthSettings, keyring: KeyRing) -> None:
        super().__init__(scopes_supported=sorted(ALL_SCOPES))
        self.settings = settings
        self.keyring = keyring
        self.register_grant(CodeGrant, [S256Required(required=True)])
        self.register_grant(RotatingRefreshGrant)
        self.register_grant(WorkspaceClientCredentialsGrant)
        self.register_token_generator("default", self._generate_token)
        self.register_extension(_Issuer(settings.issuer))
        self.register_endpoint(HubRevocationEndpoint)
        self.register_endpoint(HubIntrospectionEndpoint)

    # authlib's framework hooks

    def query_client(self, client_id: str) -> HubClient | None:
        call = state()
        if client_id not in call.clients:
            row = call.session.scalar(
                select(OAuthClient).where(OAuthClient.client_id == client_id, OAuthClient.revoked_at.is_(None))
            )
            call.clients[client_id] = HubClient(row) if row is not None else None
        return call.clients[client_id]

    def create_oauth2_request(self, request: HubRequest) -> HubRequest:
        return request

    def handle_response(self, status: int, body: Any, headers: Any) -> OAuthResponse:
        return OAuthResponse(status, body, list(headers))

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """No signal receivers: auditing hooks in here when it exists."""

    def save_token(self, token: dict[str, Any], request: HubRequest) -> None:
        if "refresh_token" not in token:
            return
        call, grantee = state(), request.user
        assert isinstance(grantee, Grantee)
        call.session.add(
            OAuthRefreshToken(
                id=uuid.uuid4(),
                token_hash=opaque.digest(token["refresh_token"]),
                family_id=grantee.family_id,
                client_pk=request.client.pk,
                workspace_id=grantee.workspace_id,
                user_id=grantee.user_id,
                consent_id=grantee.consent_id,
                scopes=" ".join(sorted(grantee.scopes)),
                created_at=call.now,
                expires_at=call.now + timedelta(seconds=self.settings.refresh_ttl_s),
            )
        )

    def _generate_token(
        self,
        grant_type: str,
        client: HubClient,
        user: Grantee | None = None,
        scope: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = True,
    ) -> dict[str, Any]:
        if user is None:
            if grant_type != CLIENT_CREDENTIALS:
                raise InvalidGrantError()
            scopes = (parse_scope(scope) if scope else client.scopes) & client.scopes
            subject, workspace, role = f"client:{client.client_id}", client.workspace_id, None
        else:
            scopes = (parse_scope(scope) if scope else user.scopes) & user.scopes & client.scopes
            subject, workspace, role = f"user:{user.user_id}", user.workspace_id, user.role
        if not scopes:
            raise InvalidScopeError(description="no scope left to grant")
        ttl = self.settings.tokens.ttl_s
        token: dict[str, Any] = {
            "token_type": "Bearer",
            "access_token": issue_access_token(
                self.keyring,
                self.settings.tokens,
                subject=subject,
                client_id=client.client_id,
                tenant_id=workspace,
                scopes=scopes,
                role=role,
                ttl_s=ttl,
            ),
            "expires_in": ttl,
            "scope": " ".join(sorted(scopes)),
        }
        if include_refresh_token and user is not None:
            token["refresh_token"] = opaque.new_secret()
        return token

    # the authorization endpoint, in two steps around the login and consent pages

    def check_authorization_request(self, request: HubRequest) -> AuthorizationCodeGrant | OAuthResponse:
        """The validated grant, or the answer to give: a redirect to the client, or a 400 for the error page."""
        if request.payload.response_type != "code":
            # authlib would put the client's response_type in the description, and fail on a character
            # RFC 6749 forbids there; this answer is never redirected (O04), so nothing else is needed.
            refused = UnsupportedResponseTypeError(None, description="only response_type=code is supported")
            return self.authorization_error(refused)
        try:
            return self.get_consent_grant(request, end_user=None)
        except OAuth2Error as error:
            return self.authorization_error(error)

    def authorization_error(self, error: OAuth2Error) -> OAuthResponse:
        # Only a redirect URI validated against the client is ever redirected to (O03, O04).
        if error.redirect_uri and not isinstance(error, UnsupportedResponseTypeError):
            response = self.handle_response(*error())
            response.location = _with_iss(response.location or "", self.settings.issuer)
            return response
        return OAuthResponse(400, {"error": error.error, "error_description": error.description or ""}, [])

    def deny(self, grant: AuthorizationCodeGrant, request: HubRequest) -> OAuthResponse:
        return self.authorization_error(AccessDeniedError(redirect_uri=grant.redirect_uri, state=request.payload.state))

    def approve(self, grant: AuthorizationCodeGrant, request: HubRequest, grantee: Grantee) -> OAuthResponse:
        response: OAuthResponse = self.create_authorization_response(request, grant_user=grantee, grant=grant)
        return response


def _with_iss(location: str, issuer: str) -> str:
    from authlib.common.urls import add_params_to_uri

    return str(add_params_to_uri(location, {"iss": issuer}))
