"""Remembered consents: a person approved a client in one workspace, until they (or an admin) revoke it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from auth.clients import split
from auth.oauth_models import OAuthConsent, OAuthRefreshToken
from tenancy.errors import DomainError, ErrorCode


def remember(
    session: Session,
    *,
    user_id: uuid.UUID,
    client_pk: uuid.UUID,
    workspace_id: uuid.UUID,
    scopes: frozenset[str],
    now: datetime,
) -> uuid.UUID:
    """Record (or widen) the consent of ``user_id`` to ``client_pk`` in ``workspace_id``; its id."""
    row = session.scalar(
        select(OAuthConsent).where(
            OAuthConsent.workspace_id == workspace_id,
            OAuthConsent.user_id == user_id,
            OAuthConsent.client_pk == client_pk,
            OAuthConsent.revoked_at.is_(None),
        )
    )
    if row is None:
        row = OAuthConsent(
            id=uuid.uuid4(),
            workspace_id=workspace_id,
            user_id=user_id,
            client_pk=client_pk,
            scopes=" ".join(sorted(scopes)),
            created_at=now,
            updated_at=now,
        )
        session.add(row)
    else:
        row.scopes = " ".join(sorted(frozenset(split(row.scopes)) | scopes))
        row.updated_at = now
    session.flush()  # the code row that follows references it
    return row.id


def consents_query(workspace_id: uuid.UUID) -> Select[OAuthConsent]:
    return select(OAuthConsent).where(OAuthConsent.workspace_id == workspace_id, OAuthConsent.revoked_at.is_(None))


async def revoke_consent(
    session: AsyncSession, workspace_id: uuid.UUID, consent_id: uuid.UUID, *, actor: uuid.UUID | None, admin: bool
) -> OAuthConsent:
    """Members revoke their own consents, administrators any in the workspace; refresh tokens die with it."""
    row = await session.scalar(consents_query(workspace_id).where(OAuthConsent.id == consent_id))
    if row is None or not (admin or (actor is not None and row.user_id == actor)):
        # Someone else's consent answers like a missing one.
        raise DomainError.single("id", ErrorCode.NOT_FOUND, "no such authorization in this workspace")
    now = datetime.now(UTC)
    row.revoked_at = now
    await session.execute(
        update(OAuthRefreshToken)
        .where(
            OAuthRefreshToken.workspace_id == workspace_id,
            OAuthRefreshToken.consent_id == row.id,
            OAuthRefreshToken.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    await session.flush()
    return row


async def get_consent(session: AsyncSession, workspace_id: uuid.UUID, consent_id: uuid.UUID) -> OAuthConsent | None:
    return await session.scalar(consents_query(workspace_id).where(OAuthConsent.id == consent_id))
