"""Short-lived signed download links: GET /files/<token>, bound to one tenant, one invoice, one file.

The token is ``payload.signature``: the payload names the tenant, the invoice, the file and the expiry;
the signature is an HMAC-SHA256 with a key derived from the hub's current token-signing key (HKDF-like:
SHA-256 over a purpose label and the key's private scalar). So there is no new secret to keep or rotate:
the key ring in the database already is the secret every server process shares, and rotating it also
retires the links (they live 5 minutes anyway). An expired, forged, altered or foreign link, or one for
a file that does not exist, all answer the same 404.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from api.core.context import Context
from auth.keys import KeyRing
from invoicing.deposit import storage
from invoicing.deposit.records import InvoiceAttachment, InvoiceRecord
from invoicing.deposit.service import document_media_type
from invoicing.formats import filekinds
from invoicing.formats.convert import Target, write
from invoicing.formats.errors import InvoiceInputError
from invoicing.formats.reader import read_invoice
from tenancy import base64url
from tenancy.db import Database

LINK_TTL_S = 300
_PURPOSE = b"facturehub download links v1"
_KINDS = ("original", "ubl", "cii", "pdf")


def _secret(keyring: KeyRing, kid: str | None = None) -> tuple[str, bytes] | None:
    found = keyring.private_key(kid) if kid else keyring.signing_key()
    if found is None:
        return None
    kid, key = found
    scalar = str(key.as_dict(private=True)["d"]).encode()
    return kid, hashlib.sha256(_PURPOSE + b"\0" + scalar).digest()


@dataclass(frozen=True)
class Link:
    tenant_id: uuid.UUID
    invoice_id: uuid.UUID
    what: str  # original, ubl, cii, pdf, or a:<attachment id>


def sign(keyring: KeyRing, link: Link, *, now: float | None = None, ttl_s: int = LINK_TTL_S) -> str:
    found = _secret(keyring)
    assert found is not None
    kid, secret = found
    expires = int((now if now is not None else time.time()) + ttl_s)
    payload = base64url.encode(orjson.dumps([kid, link.tenant_id.hex, link.invoice_id.hex, link.what, expires]))
    signature = base64url.encode(hmac.new(secret, payload.encode(), hashlib.sha256).digest())
    return f"{payload}.{signature}"


def verify(keyring: KeyRing, token: str, *, now: float | None = None) -> Link | None:
    """The link a token grants, or None for anything expired, forged, altered or malformed."""
    if len(token) > 400 or token.count(".") != 1:
        return None
    payload, signature = token.split(".")
    try:
        kid, tenant, invoice, what, expires = orjson.loads(base64url.decode(payload))
        given = base64url.decode(signature)
        found = _secret(keyring, str(kid))
        if found is None:
            return None
        expected = hmac.new(found[1], payload.encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, given):
            return None
        if int(expires) < (now if now is not None else time.time()):
            return None
        return Link(uuid.UUID(hex=tenant), uuid.UUID(hex=invoice), str(what))
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
        return None


class Signer:
    """Signs links for the caller's tenant, with the request's base URL."""

    def __init__(self, keyring: KeyRing, tenant_id: uuid.UUID, base_url: str) -> None:
        self.keyring = keyring
        self.tenant_id = tenant_id
        self.base_url = base_url.rstrip("/")

    @classmethod
    def of(cls, context: Context) -> Signer:
        request = context.request
        return cls(request.app.state.keyring, context.principal.tenant, str(request.base_url))

    def url(self, invoice_id: uuid.UUID, what: str) -> str:
        return f"{self.base_url}/files/{sign(self.keyring, Link(self.tenant_id, invoice_id, what))}"


_NOT_FOUND = Response("not found\n", status_code=404, media_type="text/plain")
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str, fallback: str = "document") -> str:
    """A download name made of safe characters only (never a path); the client's name is only a hint."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _SAFE.sub("_", base).strip("._")[:80]
    return cleaned or fallback


async def _content(db: Database, link: Link) -> tuple[bytes, str, str] | None:
    async with db.tenant_session(link.tenant_id) as session:
        record = (
            await session.execute(
                select(InvoiceRecord.number, InvoiceRecord.document_sha256, InvoiceRecord.document_name).where(
                    InvoiceRecord.tenant_id == link.tenant_id, InvoiceRecord.id == link.invoice_id
                )
            )
        ).first()
        if record is None:
            return None
        number = safe_filename(record.number, "invoice")
        if link.what.startswith("a:"):
            try:
                attachment_id = uuid.UUID(link.what[2:])
            except ValueError:
                return None
            attachment = await session.scalar(
                select(InvoiceAttachment).where(
                    InvoiceAttachment.tenant_id == link.tenant_id,
                    InvoiceAttachment.invoice_id == link.invoice_id,
                    InvoiceAttachment.id == attachment_id,
                )
            )
            if attachment is None:
                return None
            stored = await storage.fetch(session, attachment.document_sha256)
            if stored is None:
                return None
            # The type the content shows, decided again here: rows stored before it was detected kept the client's.
            extension = attachment.filename.rsplit(".", 1)[1] if "." in attachment.filename else ""
            media_type = filekinds.media_type(extension, stored.content) or filekinds.OCTET_STREAM
            return stored.content, media_type, safe_filename(attachment.filename, "attachment")
        if link.what not in _KINDS:
            return None
        stored = await storage.fetch(session, record.document_sha256)
        if stored is None:
            return None
    if link.what == "original":
        return stored.content, document_media_type(stored.content), safe_filename(record.document_name, number)
    try:
        invoice = read_invoice(stored.content)
    except InvoiceInputError:
        return None
    target = {"ubl": Target.UBL, "cii": Target.CII, "pdf": Target.FACTURX}[link.what]
    media = "application/pdf" if target is Target.FACTURX else "application/xml"
    suffix = {"ubl": "-ubl.xml", "cii": "-cii.xml", "pdf": ".pdf"}[link.what]
    return write(invoice, target), media, f"{number}{suffix}"


def file_endpoint(db: Database, keyring: KeyRing) -> Any:
    async def download(request: Request) -> Response:
        link = verify(keyring, str(request.path_params.get("token", "")))
        if link is None:
            return _NOT_FOUND
        found = await _content(db, link)
        if found is None:
            return _NOT_FOUND
        content, media_type, filename = found
        return Response(
            content,
            media_type=media_type,
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Cache-Control": "private, no-store",
                "X-Content-Type-Options": "nosniff",
                # Should a browser ever show one inline, nothing in it runs or loads.
                "Content-Security-Policy": "default-src 'none'; sandbox",
            },
        )

    return download
