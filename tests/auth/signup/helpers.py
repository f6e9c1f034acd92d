"""Driving the sign-up pages as a browser would, and reading the mail the worker sends to aiosmtpd."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from html import unescape
from typing import Any
from urllib.parse import urlsplit

import httpx
from starlette.applications import Starlette

from tenancy.db import Database
from tenancy.jobs.worker import Worker
from tenancy.mail import JOB_KIND, mail_handler
from tests.auth.flows import WEB_ISSUER, forms_of
from tests.clock import FakeClock
from tests.tenancy.mail.conftest import SmtpServer, smtp_config

PASSWORD = "a long enough sign-up password"
ISSUER = WEB_ISSUER
LINK = re.compile(r"http://127\.0\.0\.1:8000/signup/verify\?token=[A-Za-z0-9_\-]+")


def hub_clock(app: Starlette, start: datetime | None = None) -> FakeClock:
    """The hub's pages (sign-in, links, sign-up) on a clock the test moves."""
    clock = FakeClock() if start is None else FakeClock(start)
    app.state.oauth.clock = clock.now
    return clock


@dataclass
class Mailbox:
    """What the worker delivered to the loopback SMTP server, read as a person reads their mail."""

    db: Database
    server: SmtpServer
    clock: FakeClock

    async def deliver(self) -> None:
        worker = Worker(
            self.db, {JOB_KIND: mail_handler(smtp_config(f"smtp://127.0.0.1:{self.server.port}"))},
            clock=self.clock, listen=False,
        )  # fmt: skip
        await worker.run_until_idle()

    async def to(self, address: str) -> list[EmailMessage]:
        await self.deliver()
        return [r.message for r in self.server.received if address in r.rcpt_tos]

    async def last_link(self, address: str) -> str:
        mails = await self.to(address)
        assert mails, f"no mail to {address}"
        found = LINK.search(text_of(mails[-1]))
        assert found, text_of(mails[-1])
        return found.group(0)


def text_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def path_of(link: str) -> str:
    parts = urlsplit(link)
    return parts.path + "?" + parts.query


def form_fields(html: str, action: str, mode: str | None = None) -> dict[str, str]:
    for form in forms_of(html):
        fields = dict(form.fields)
        if form.action == action and (mode is None or fields.get("mode") == mode):
            return fields
    raise AssertionError(f"no form {action} {mode} in {html}")


async def sign_up(
    http: httpx.AsyncClient, email: str, *, password: str = PASSWORD, name: str = "Ada Lovelace", locale: str = "fr"
) -> httpx.Response:
    page = await http.get("/signup")
    assert page.status_code == 200, page.text
    fields = form_fields(page.text, "/signup")
    fields.update(email=email, password=password, display_name=name, locale=locale)
    return await http.post("/signup", data=fields)


async def confirm(http: httpx.AsyncClient, link: str, password: str = PASSWORD) -> httpx.Response:
    page = await http.get(path_of(link))
    assert page.status_code == 200, page.text
    fields = form_fields(page.text, "/signup/verify", "confirm")
    fields["password"] = password
    return await http.post("/signup/verify", data=fields)


SUPPLIER = {
    "identifier_type": "SIRET",
    "name": "Menuiserie Dupont",
    "address_line1": "3 rue des Lilas",
    "postcode": "69003",
    "town": "Lyon",
    "country_code": "FR",
}


async def create_structure(http: httpx.AsyncClient, identifier: str, **changes: str) -> httpx.Response:
    page = await http.get("/signup/structure")
    assert page.status_code == 200, page.text
    fields: dict[str, Any] = form_fields(page.text, "/signup/structure")
    fields.update(SUPPLIER, identifier=identifier, **changes)
    return await http.post("/signup/structure", data=fields)


def said(response: httpx.Response) -> str:
    return unescape(response.text)
