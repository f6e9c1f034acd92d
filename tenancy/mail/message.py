"""The e-mail itself: a multipart/alternative message (text, then HTML) with the headers of an automatic mail."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Literal

from tenancy.mail.rendering import RenderedMail
from tenancy.mail.table import OutboxMail
from tenancy.moments import utc


def compose(
    mail: OutboxMail, rendered: RenderedMail, sender: Address, *, encoding: Literal["quoted-printable", "8bit"]
) -> EmailMessage:
    """``encoding``: quoted-printable on the wire (7-bit safe for any server); 8bit in an .eml file, which a
    text editor then shows as written, long links unbroken."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to_address
    message["Subject"] = rendered.subject
    message["Date"] = format_datetime(utc(mail.created_at))
    # From the outbox row: a retry after a send whose success went unrecorded carries the same id,
    # so receivers that deduplicate by Message-ID see one mail.
    message["Message-ID"] = f"<{mail.id}@{sender.domain}>"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to it
    message.set_content(rendered.text, cte=encoding)
    message.add_alternative(rendered.html, subtype="html", cte=encoding)
    message["Content-Language"] = mail.locale  # after the parts: set_content drops every Content-* header
    return message
