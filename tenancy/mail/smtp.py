"""Handing a message to the SMTP server of ``FACTUREHUB_SMTP_URL`` (aiosmtplib), one connection per mail."""

from __future__ import annotations

import ssl
from email.message import EmailMessage

import aiosmtplib

from tenancy.mail.config import SMTP_TIMEOUT_S, SmtpServer


class Undeliverable(Exception):
    """The server refused the recipient for good (a 5xx reply): retrying would only be refused again."""


async def send_smtp(message: EmailMessage, server: SmtpServer, *, sender: str, to: str, tls: ssl.SSLContext) -> None:
    """Deliver ``message``; Undeliverable on a permanent refusal of ``to``, any other error to be retried."""
    try:
        await aiosmtplib.send(
            message,
            sender=sender,
            recipients=[to],
            hostname=server.host,
            port=server.port,
            username=server.username,
            password=server.password,
            use_tls=server.implicit_tls,
            # None: STARTTLS if the server offers it; True: refuse a server that does not.
            start_tls=False if server.implicit_tls else (True if server.starttls_required else None),
            tls_context=tls,
            timeout=SMTP_TIMEOUT_S,
        )
    except aiosmtplib.SMTPRecipientsRefused as exc:
        refusals = exc.recipients
        if refusals and all(500 <= refusal.code < 600 for refusal in refusals):
            raise Undeliverable("; ".join(f"{r.code} {r.message}" for r in refusals)) from exc
        raise
