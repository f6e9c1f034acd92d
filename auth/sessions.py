"""The sign-in session of a browser, for the login and consent pages only (the API never reads cookies).

The cookie holds a random token; the database keeps its digest, so signing out ends it everywhere and a
leaked database does not yield live sessions. Forms carry a CSRF token checked against a second cookie
(double submit): SameSite alone does not cover every browser, nor a login form used before any session.
"""

from __future__ import annotations

import hmac
import secrets
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import delete
from starlette.requests import Request
from starlette.responses import Response

from auth import opaque
from auth.models import User
from auth.oauth_models import LoginSession
from tenancy.db import Database
from tenancy.moments import aware

SESSION_COOKIE = "facturehub_session"
CSRF_COOKIE = "facturehub_csrf"
CSRF_FIELD = "csrf_token"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# "Last seen" is for a person reading their account page: a write per minute at most, not per request.
SEEN_EVERY = timedelta(minutes=1)
MAX_USER_AGENT = 300


def cookies_secure(issuer: str) -> bool:
    """Secure cookies everywhere but a development hub on this machine (plain http on loopback)."""
    return urlsplit(issuer).hostname not in LOCAL_HOSTS


def session_digest(request: Request) -> str | None:
    """The digest of this browser's session token, as the table keys it (None without a cookie)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 200:
        return None
    return opaque.digest(token)


async def session_user(db: Database, request: Request, now: datetime) -> User | None:
    digest = session_digest(request)
    if digest is None:
        return None
    async with db.bare_session() as session:
        row = await session.get(LoginSession, digest)
        if row is None or aware(row.expires_at) <= now:
            return None
        if row.last_seen_at is None or aware(row.last_seen_at) + SEEN_EVERY <= now:
            row.last_seen_at = now
        user = await session.get(User, row.user_id)
    return user if user is not None and user.is_active else None


def user_agent(request: Request) -> str | None:
    """How the browser names itself, cut to what the account page shows; it is the browser's word, not proof."""
    value = request.headers.get("user-agent", "").strip()
    return value[:MAX_USER_AGENT] or None


async def start_session(
    db: Database, user_id: uuid.UUID, *, ttl_s: int, now: datetime, agent: str | None = None
) -> str:
    token = opaque.new_secret()
    async with db.bare_session() as session:
        session.add(
            LoginSession(
                token_hash=opaque.digest(token),
                user_id=user_id,
                created_at=now,
                expires_at=now + timedelta(seconds=ttl_s),
                last_seen_at=now,
                user_agent=agent,
            )
        )
        # Housekeeping: a user's expired sessions go when they sign in again.
        await session.execute(
            delete(LoginSession).where(LoginSession.user_id == user_id, LoginSession.expires_at < now)
        )
    return token


async def end_session(db: Database, request: Request) -> None:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        async with db.bare_session() as session:
            await session.execute(delete(LoginSession).where(LoginSession.token_hash == opaque.digest(token)))


def set_session_cookie(response: Response, token: str, *, secure: bool, ttl_s: int) -> None:
    response.set_cookie(SESSION_COOKIE, token, max_age=ttl_s, path="/", secure=secure, httponly=True, samesite="lax")


def clear_session_cookie(response: Response, *, secure: bool) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", secure=secure, httponly=True, samesite="lax")


def csrf_token(request: Request) -> tuple[str, bool]:
    """The browser's CSRF token, and whether it is new (then the response must set the cookie)."""
    existing = request.cookies.get(CSRF_COOKIE)
    if existing and 20 <= len(existing) <= 100:
        return existing, False
    return secrets.token_urlsafe(32), True


def set_csrf_cookie(response: Response, token: str, *, secure: bool) -> None:
    response.set_cookie(CSRF_COOKIE, token, path="/", secure=secure, httponly=True, samesite="strict")


def csrf_ok(request: Request, submitted: str | None) -> bool:
    expected = request.cookies.get(CSRF_COOKIE)
    return bool(expected and submitted) and hmac.compare_digest(str(expected), str(submitted))
