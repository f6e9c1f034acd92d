"""What every invoice mutation needs: who acts (as history names them), the invoice id, the uploads."""

from __future__ import annotations

import uuid
from typing import Any

from api.core.actor import acting_name
from api.core.context import Context
from api.core.ids import key_of
from invoicing.deposit.rules import AttachmentFile
from invoicing.deposit.transmission import Actor
from invoicing.lifecycle.service import ActionRefused
from invoicing.refusal_codes import RefusalCode


async def actor_of(context: Context) -> Actor:
    """The user's display name, or the API client's name for a technical account (client credentials)."""
    principal = context.principal
    return Actor(tenant_id=principal.tenant, name=await acting_name(context), subject=principal.subject)


def invoice_key(value: str) -> uuid.UUID:
    """The invoice's uuid, or NOT_FOUND exactly as for a missing invoice (malformed or foreign alike)."""
    key = key_of(value, "Invoice")
    if key is None:
        raise ActionRefused(RefusalCode.NOT_FOUND, RefusalCode.NOT_FOUND.words(), "invoiceId")
    return key


async def read_upload(upload: Any) -> tuple[str, bytes, str]:
    """(client's file name, bytes, media type): the name is only ever a label, never a path."""
    if not hasattr(upload, "read"):
        raise ActionRefused(RefusalCode.INVALID, RefusalCode.INVALID.words("upload"), "document")
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
