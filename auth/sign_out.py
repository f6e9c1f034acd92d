"""Signing a person out everywhere: what a password reset, a change of password and "sign out everywhere" do.

It ends every sign-in session of the account (but the one asked to be kept: the browser that changed its
own password stays signed in), every half-done sign-in (a password step awaiting its code), every refresh
token of every app, and every authorization code not yet exchanged. Access tokens are JWTs the API checks
without the database: they live out their few minutes (``access_token_ttl``, ten by default) and cannot be
renewed. All in the caller's transaction, so it happens with the change that asks for it, or not at all.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from auth.oauth_models import LoginChallenge, LoginSession, OAuthCode, OAuthRefreshToken


async def sign_out_everywhere(
    session: AsyncSession, user_id: uuid.UUID, *, now: datetime, keep_session: str | None = None
) -> None:
    """End the account's sessions (but ``keep_session``, a session token's digest), challenges, refresh
    tokens and unused codes."""
    ended = delete(LoginSession).where(LoginSession.user_id == user_id)
    if keep_session is not None:
        ended = ended.where(LoginSession.token_hash != keep_session)
    await session.execute(ended)
    await session.execute(delete(LoginChallenge).where(LoginChallenge.user_id == user_id))
    await session.execute(
        update(OAuthRefreshToken)
        .where(OAuthRefreshToken.user_id == user_id, OAuthRefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    # A used code's refresh family is revoked if it comes back (auth/server.py): marking them used is enough.
    await session.execute(
        update(OAuthCode).where(OAuthCode.user_id == user_id, OAuthCode.used_at.is_(None)).values(used_at=now)
    )
