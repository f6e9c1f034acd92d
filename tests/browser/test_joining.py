"""Joining at the browser: an administrator invites a newcomer from the Administration screen; the newcomer
follows the link in the mail file, sets a name and a password, and lands in the workspace."""

from __future__ import annotations

import asyncio
import email
import email.policy
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from playwright.sync_api import Browser, expect

from tenancy import mail
from tenancy.db import Database
from tenancy.jobs.worker import Worker
from tenancy.mail.config import DEFAULT_FROM
from tests.browser.conftest import Hub, Tab, person
from tests.browser.test_admin import open_admin

NEWCOMER = "nouvelle.recrue@example.test"
PASSWORD = "une phrase de passe assez longue"


def _send_mail(hub: Hub, folder: Path) -> list[Path]:
    """The worker's mail job, once, as the hub's worker would run it without SMTP: .eml files in ``folder``."""

    async def run() -> None:
        db = Database(hub.env["FACTUREHUB_DATABASE_URL"])
        try:
            config = mail.MailConfig.build(smtp_url=None, sender=DEFAULT_FROM, directory=folder)
            await Worker(db, {mail.JOB_KIND: mail.mail_handler(config)}, listen=False).run_until_idle()
        finally:
            await db.dispose()

    # In a thread of its own: sync Playwright keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, run()).result()
    return sorted(folder.glob("*.eml"))


def _link_in(path: Path) -> str:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["To"] == NEWCOMER
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    found = re.search(r"https?://\S+/invitation/\S+", body.get_content())
    assert found, body.get_content()
    return found.group(0)


def test_an_invitation_from_administration_to_the_workspace(
    live_hub: Hub, browser: Browser, tab: Tab, tmp_path: Path
) -> None:
    page = open_admin(tab, "claire.petit@ch-valbonne.example")
    page.get_by_role("link", name="Invitations").click()
    form = page.locator("form", has=page.get_by_role("heading", name="Inviter"))
    form.get_by_label("Adresse e-mail").fill(NEWCOMER)
    form.get_by_label("Rôle").select_option("GESTIONNAIRE")
    form.get_by_role("button", name="Inviter").click()
    expect(page.get_by_text(f"Invitation envoyée à {NEWCOMER}.")).to_be_visible()
    row = page.get_by_role("row", name=re.compile(re.escape(NEWCOMER)))
    expect(row).to_contain_text("En attente")
    tab.shot("joining-01-invited")

    (mail_file,) = _send_mail(live_hub, tmp_path)
    link = _link_in(mail_file)
    assert link.startswith(live_hub.base + "/invitation/")

    with person(browser, live_hub.base) as newcomer:
        invited = newcomer.page
        invited.goto(link)
        expect(invited.get_by_role("heading", name="Invitation")).to_be_visible()
        expect(invited.get_by_text("avec le rôle de gestionnaire")).to_be_visible()
        newcomer.shot("joining-02-invitation")
        invited.get_by_label("Nom et prénom").fill("Nina Nouvelle")
        invited.get_by_label("Mot de passe").fill(PASSWORD)
        invited.get_by_role("button", name="Accepter").click()
        invited.wait_for_url(re.compile(r"/factures/"))
        expect(invited.get_by_text("Nina Nouvelle").first).to_be_visible()
        expect(invited.get_by_text("Chargement des factures")).to_have_count(0)
        newcomer.shot("joining-03-landed")
        assert newcomer.errors == []

        invited.goto(link)  # the link is spent
        expect(invited.get_by_text("déjà été acceptée")).to_be_visible()
        newcomer.shot("joining-04-spent")

    page.reload()
    expect(page.get_by_role("row", name=re.compile(re.escape(NEWCOMER)))).to_contain_text("Acceptée")
    assert tab.errors == []
