"""What every invoice mutation needs: who acts (as history names them), the invoice id, the uploads."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from api.core.context import Context
from api.core.ids import key_of
from auth.models import User
from auth.oauth_models import OAuthClient
from invoicing.lifecycle_service import ActionRefused
from invoicing.refusal_codes import RefusalCode
from invoicing.routing import Actor
from invoicing.rules import AttachmentFile

# Names as history shows them, per access token (jti): read once per token, as a token's role is.
_names: dict[str, str] = {}
MAX_NAMES = 10_000


async def actor_of(context: Context) -> Actor:
    """The user's display name, or the API client's name for a technical account (client credentials)."""
    principal = context.principal
    name = _names.get(principal.token_id) if principal.token_id else None
    if name is None:
        name = await _name_of(context)
        if principal.token_id:
            if len(_names) >= MAX_NAMES:
                del _names[next(iter(_names))]  # the oldest entry
            _names[principal.token_id] = name
    return Actor(tenant_id=principal.tenant, name=name, subject=principal.subject)


async def _name_of(context: Context) -> str:
    principal = context.principal
    found: str | None
    async with context.db.tenant_session(principal.tenant) as session:
        if principal.user_id is not None:
            found = await session.scalar(select(User.display_name).where(User.id == principal.user_id))
        else:
            found = await session.scalar(select(OAuthClient.name).where(OAuthClient.client_id == principal.client_id))
    return (found or principal.client_id)[:200]


def invoice_key(value: str) -> uuid.UUID:
    """The invoice's uuid, or NOT_FOUND exactly as for a missing invoice (malformed or foreign alike)."""
    key = key_of(value, "Invoice")
    if key is None:
        raise ActionRefused(RefusalCode.NOT_FOUND, RefusalCode.NOT_FOUND.message("en"), "invoiceId")
    return key


async def read_upload(upload: Any) -> tuple[str, bytes, str]:
    """(client's file name, bytes, media type): the name is only ever a label, never a path."""
    if not hasattr(upload, "read"):
        raise ActionRefused(RefusalCode.INVALID, RefusalCode.INVALID.message("en", "upload"), "document")
    try:
        content = await upload.read()
    finally:
        close = getattr(upload, "close", None)
        if close is not None:
            await close()  # the spooled temporary file goes now, not whenever the collector finds it
    if isinstance(content, str):
        content = content.encode()
    name = str(getattr(upload, "filename", None) or "document")
    media = str(getattr(upload, "content_type", None) or "application/octet-stream")
    return name, content, media


async def read_attachments(uploads: list[Any] | None) -> list[AttachmentFile]:
    files = []
    for upload in uploads or []:
        name, content, media = await read_upload(upload)
        files.append(AttachmentFile(name.replace("\\", "/").rsplit("/", 1)[-1], content, media))
    return files
