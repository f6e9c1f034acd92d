"""What the account tests share: a hub whose clock they hold, its mailbox, and the forms of its pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from starlette.applications import Starlette

from tenancy.db import Database
from tests.auth.flows import forms_of
from tests.auth.mailbox import Mailbox, mailbox
from tests.clock import FakeClock


@dataclass
class Hub:
    app: Starlette
    clock: FakeClock
    mail: Mailbox

    def browser(self) -> httpx.AsyncClient:
        """Another browser (its own cookies) on the same hub."""
        transport = httpx.ASGITransport(app=self.app)
        return httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000")


def make_hub(app: Starlette, db: Database, directory: Path) -> Hub:
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    app.state.oauth.clock = clock.now
    return Hub(app, clock, mailbox(db, directory, clock))


def form_fields(html: str, action: str, which: str | None = None) -> dict[str, str]:
    """The fields of the page's form posting to ``action`` (and with ``action=which`` when given)."""
    for form in forms_of(html):
        fields = dict(form.fields)
        if form.action == action and (which is None or fields.get("action") == which):
            return fields
    raise AssertionError(f"no form {action} {which or ''} in {html}")


async def submit(
    http: httpx.AsyncClient, page_path: str, action: str | None = None, which: str | None = None, **values: str
) -> httpx.Response:
    """Open a page, fill its form (``action``: where it posts, by default the page itself) and send it."""
    page = await http.get(page_path)
    assert page.status_code == 200, page.text
    fields = form_fields(page.text, action or page_path.split("?")[0], which)
    fields.update(values)
    return await http.post(action or page_path.split("?")[0], data=fields)


async def signed_in(http: httpx.AsyncClient) -> bool:
    page = await http.get("/login")
    return page.status_code == 200 and 'action="/logout"' in page.text
