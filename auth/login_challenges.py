"""The step between password and second factor: a browser that knows the password but has not yet given
a code holds a challenge, not a session.

Its cookie is random and kept only as a digest, like a session's; but nothing that reads sessions
(``sessions.session_user``, hence the authorization endpoint) looks at this table, so a half-signed-in
browser can get no token and see no page behind the sign-in. A challenge lasts a few minutes and ends
when the code is accepted.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete
from starlette.requests import Request
from starlette.responses import Response

from auth import opaque
from auth.models import User
from auth.oauth_models import LoginChallenge
from auth.page_forms import SECOND_STEP_PATH
from tenancy.db import Database
from tenancy.moments import aware

CHALLENGE_COOKIE = "facturehub_second_factor"
TTL = timedelta(minutes=5)


async def start(db: Database, user_id: uuid.UUID, now: datetime) -> str:
    token = opaque.new_secret()
    async with db.bare_session() as session:
        # One challenge per account at a time; a new password step replaces the old one and its leftovers.
        await session.execute(delete(LoginChallenge).where(LoginChallenge.user_id == user_id))
        session.add(
            LoginChallenge(token_hash=opaque.digest(token), user_id=user_id, created_at=now, expires_at=now + TTL)
        )
    return token


async def user_of(db: Database, request: Request, now: datetime) -> User | None:
    token = request.cookies.get(CHALLENGE_COOKIE)
    if not token or len(token) > 200:
        return None
    async with db.bare_session() as session:
        row = await session.get(LoginChallenge, opaque.digest(token))
        if row is None or aware(row.expires_at) <= now:
            return None
        user = await session.get(User, row.user_id)
    return user if user is not None and user.is_active else None


async def end(db: Database, request: Request) -> None:
    token = request.cookies.get(CHALLENGE_COOKIE)
    if token:
        async with db.bare_session() as session:
            await session.execute(delete(LoginChallenge).where(LoginChallenge.token_hash == opaque.digest(token)))


def set_cookie(response: Response, token: str, *, secure: bool) -> None:
    # Sent only to the second step's page: no other handler ever sees it.
    response.set_cookie(
        CHALLENGE_COOKIE,
        token,
        max_age=int(TTL.total_seconds()),
        path=SECOND_STEP_PATH,
        secure=secure,
        httponly=True,
        samesite="lax",
    )


def clear_cookie(response: Response, *, secure: bool) -> None:
    response.delete_cookie(CHALLENGE_COOKIE, path=SECOND_STEP_PATH, secure=secure, httponly=True, samesite="lax")
