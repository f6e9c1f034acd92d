"""Joining and getting back in with the mail going out for real: the hub's worker sends to an SMTP server on
loopback (aiosmtpd), and each step follows the link in the mail that server received."""

from __future__ import annotations

import re
from email.message import EmailMessage
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select
from starlette.applications import Starlette

from auth import jobs as auth_jobs
from invoicing.background import hub_worker
from tenancy.db import Database
from tenancy.jobs.queue import SystemClock
from tenancy.models import Membership
from tests.auth.account_flows import submit
from tests.auth.flows import PASSWORD, make_person, sign_in
from tests.factories import data, make_tenant
from tests.tenancy.mail.conftest import StartSmtp, smtp_config, start_smtp

LINK = re.compile(r"https?://[^\s<>\"]+")
NEW_PASSWORD = "a new passphrase from the mail"
__all__ = ["start_smtp"]  # the fixture: an aiosmtpd server on a free loopback port
INVITE = """mutation ($input: InviteMemberInput!) { inviteMember(input: $input) { userErrors { code message } } }"""
PENDING = "{ workspace { membershipRequests(first: 5) { nodes { id } } } }"
APPROVE = """mutation ($input: ApproveMembershipRequestInput!) {
  approveMembershipRequest(input: $input) { membershipRequest { status } userErrors { code message } } }"""


def _path(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    found = LINK.search(str(body.get_content()))
    assert found, body
    parts = urlsplit(found.group(0))
    return parts.path + (f"?{parts.query}" if parts.query else "")


async def test_invited_asked_approved_and_reset_each_by_a_mail_an_smtp_server_received(
    app: Starlette, db: Database, client: httpx.AsyncClient, start_smtp: StartSmtp
) -> None:
    server = start_smtp()
    worker = hub_worker(
        db,
        mail_config=smtp_config(f"smtp://127.0.0.1:{server.port}"),
        clock=SystemClock(),
        listen=False,
        more=auth_jobs.HANDLERS,
    )

    async def mail_to(address: str) -> list[EmailMessage]:
        await worker.run_until_idle()
        return [r.message for r in server.received if address in r.rcpt_tos]

    a = await make_tenant(app, db, name="Atelier Courrier")

    # An admin invites a colleague, who has no account: the link in the mail makes one and a member
    invited = await data(
        client, a.token, INVITE, {"input": {"email": "colleague@example.test", "role": "GESTIONNAIRE"}}
    )
    assert invited["inviteMember"]["userErrors"] == []
    (invitation,) = await mail_to("colleague@example.test")
    assert "Atelier Courrier" in str(invitation["Subject"]) or "Atelier Courrier" in invitation.as_string()
    accepted = await submit(
        client, _path(invitation), decision="accept", display_name="Colin Collègue", password=PASSWORD
    )
    assert accepted.status_code == 303, accepted.text
    async with db.tenant_session(a.structure.id) as session:
        roles = {m.role for m in await session.scalars(select(Membership))}
    assert roles == {"GESTIONNAIRE_PRINCIPAL", "GESTIONNAIRE"}

    # A third person asks to join: the principal manager is mailed, approves, and the person is told
    client.cookies.clear()
    third = await make_person(db)
    await sign_in(client, third.email, next_url="/join")
    asked = await submit(client, "/join", identifier=a.structure.identifier, message="Bonjour, je suis la comptable.")
    assert asked.status_code == 200, asked.text
    (request_mail,) = await mail_to(a.user.email)
    assert third.email in request_mail.as_string()
    (pending,) = (await data(client, a.token, PENDING))["workspace"]["membershipRequests"]["nodes"]
    approved = await data(client, a.token, APPROVE, {"input": {"id": pending["id"], "role": "UTILISATEUR"}})
    assert approved["approveMembershipRequest"] == {"membershipRequest": {"status": "APPROVED"}, "userErrors": []}
    (told,) = await mail_to(third.email)
    assert "Atelier Courrier" in told.as_string()

    # The colleague forgets the password: the reset link in the mail sets a new one, the old one is over
    client.cookies.clear()
    assert (await submit(client, "/password/forgot", email="colleague@example.test")).status_code == 200
    reset = [m for m in await mail_to("colleague@example.test") if "/password/reset/" in m.as_string()]
    assert len(reset) == 1
    done = await submit(client, _path(reset[0]), password=NEW_PASSWORD, password_again=NEW_PASSWORD)
    assert done.status_code == 200, done.text
    client.cookies.clear()
    assert (await sign_in(client, "colleague@example.test", PASSWORD)).status_code == 401
    client.cookies.clear()
    assert (await sign_in(client, "colleague@example.test", NEW_PASSWORD)).status_code == 303
    # Every mail left once, each to its own address
    assert sorted(len(r.rcpt_tos) for r in server.received) == [1] * len(server.received)
