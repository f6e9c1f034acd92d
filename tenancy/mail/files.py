"""Without an SMTP server (the ``make run`` default): each mail as an ``.eml`` file, announced in the log.

The log line gives the subject and the mail's first link, so a newcomer can follow a sign-up or a reset
from the terminal; the file opens in any mail client, or in a text editor (its parts are 8-bit UTF-8).
"""

from __future__ import annotations

import asyncio
import logging
import os
from email.message import EmailMessage
from pathlib import Path

log = logging.getLogger(__name__)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)  # a reader never sees half a file; a retry rewrites the same one


async def write_eml(message: EmailMessage, path: Path, *, first_link: str | None) -> None:
    await asyncio.to_thread(_write, path, message.as_bytes())
    log.info(
        "mail to %s written to %s: %s%s",
        message["To"],
        path,
        message["Subject"],
        f" — {first_link}" if first_link else "",
    )
