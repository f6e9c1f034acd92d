"""The mail the hub sends, read where a newcomer reads it: the worker runs the queue (reset requests, then
mail) and writes each mail as an .eml file (the default without SMTP), which the tests open."""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

from auth import jobs as auth_jobs
from invoicing.background import hub_worker
from tenancy.db import Database
from tenancy.jobs.worker import Worker
from tenancy.mail import MailConfig
from tests.clock import FakeClock

LINK = re.compile(r"https?://[^\s<>\"]+")


@dataclass
class Mail:
    to: str
    subject: str
    template: str
    text: str
    language: str

    def link(self) -> str:
        """The mail's first link, as the path the test client follows."""
        found = LINK.search(self.text)
        assert found, self.text
        parts = urlsplit(found.group(0))
        return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Mailbox:
    directory: Path
    worker: Worker

    async def deliver(self) -> int:
        """Run every due job (reset requests, then the mail they ask for); how many ran."""
        return await self.worker.run_until_idle()

    def all(self) -> list[Mail]:
        mails = []
        # In the order they were written (their names begin with the second they were asked for, then an id).
        for path in sorted(self.directory.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            body = message.get_body(("plain",))
            assert body is not None
            template = path.name.split("-")[1]
            mails.append(
                Mail(
                    to=str(message["To"]),
                    subject=str(message["Subject"]),
                    template=template,
                    text=str(body.get_content()),
                    language=str(message["Content-Language"]),
                )
            )
        return mails

    def to(self, address: str, template: str | None = None) -> list[Mail]:
        return [m for m in self.all() if address in m.to and (template is None or m.template == template)]


def mailbox(db: Database, directory: Path, clock: FakeClock) -> Mailbox:
    config = MailConfig.build(smtp_url=None, sender="facturehub <no-reply@hub.example>", directory=directory)
    worker = hub_worker(db, mail_config=config, clock=clock, listen=False, more=auth_jobs.HANDLERS)
    return Mailbox(directory, worker)
