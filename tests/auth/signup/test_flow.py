"""From nothing to an invoice, on both engines: sign up, read the mail on a real SMTP server, follow the link,
create a supplier structure, get a token for it through the OAuth code flow of the hub's own app, deposit."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from starlette.applications import Starlette

from auth.first_party import WEB_CLIENT_ID, ensure_web_client
from auth.models import OneTimeLink, User
from auth.sessions import SESSION_COOKIE
from tenancy import privileged
from tenancy.db import Database
from tenancy.enums import Access, Role
from tests.auth.flows import WEB_REDIRECT, pkce, query_of, sign_in, web_token
from tests.auth.signup.helpers import (
    ISSUER,
    PASSWORD,
    Mailbox,
    confirm,
    create_structure,
    hub_clock,
    said,
    sign_up,
    text_of,
)
from tests.factories import data, make_siret, make_structure
from tests.tenancy.mail.conftest import StartSmtp

CREATE = """
mutation ($input: InvoiceInput!) {
  createInvoice(input: $input) { invoice { number status supplier { name } } userErrors { field code message } }
}"""


async def test_sign_up_verify_create_a_structure_get_a_token_and_deposit(
    app: Starlette, db: Database, client: httpx.AsyncClient, start_smtp: StartSmtp
) -> None:
    clock = hub_clock(app)
    mailbox = Mailbox(db, start_smtp(), clock)
    recipient = await make_structure(db, public=True, name="Mairie de Test")
    await ensure_web_client(db, ISSUER)

    answer = await sign_up(client, "Ada@Example.fr")
    assert answer.status_code == 200, answer.text
    assert "Consultez votre messagerie" in said(answer) and "ada@example.fr" in said(answer)
    # An account exists, unverified, and cannot sign in yet: the right password says to verify
    async with db.bare_session() as session:
        user = await session.scalar(select(User).where(User.email == "ada@example.fr"))
        stored = list(await session.scalars(select(OneTimeLink)))
    assert user is not None and user.email_verified_at is None and user.locale == "fr"

    [mail] = await mailbox.to("ada@example.fr")
    assert mail["Subject"] == "Confirmez votre adresse e-mail"
    link = await mailbox.last_link("ada@example.fr")
    token = link.split("token=")[1]
    # The link's secret is nowhere in the database: only its SHA-256
    [row] = stored
    assert row.token_hash != token and len(row.token_hash) == 64 and token not in row.token_hash
    assert "24 heures" in text_of(mail)

    refused = await sign_in(client, "ada@example.fr", PASSWORD)
    assert refused.status_code == 403 and "pas encore confirmée" in said(refused)
    assert SESSION_COOKIE not in client.cookies
    link = await mailbox.last_link("ada@example.fr")  # that sign-in sent a new link, which replaces the first

    verified = await confirm(client, link)
    assert verified.status_code == 303 and verified.headers["location"] == "/signup/structure"
    assert SESSION_COOKIE in client.cookies

    siret = make_siret()
    created = await create_structure(client, siret)
    assert created.status_code == 200, created.text
    assert "Menuiserie Dupont" in said(created) and "gestionnaire principal" in said(created)
    [(member, structure)] = await privileged.workspaces_of_user(db, user.id)
    assert (structure.identifier, structure.is_public, structure.town) == (siret, False, "Lyon")
    assert (member.role, member.access) == (Role.GESTIONNAIRE_PRINCIPAL, Access.WRITE)

    # The hub's own app: one workspace, so the authorization request is answered at once with a code
    verifier, challenge = pkce()
    params = {
        "response_type": "code",
        "client_id": WEB_CLIENT_ID,
        "redirect_uri": WEB_REDIRECT,
        "scope": "invoices:read invoices:submit workspace:admin",
        "state": "st-signup",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    granted = await client.get("/oauth/authorize", params=params)
    assert granted.status_code in (302, 303) and "code" in query_of(granted.headers["location"]), granted.text
    tokens = await web_token(client, granted.headers["location"], verifier)
    seen = await data(client, tokens["access_token"], "{ workspace { name identifier } viewer { scopes } }")
    assert seen["workspace"] == {"name": "Menuiserie Dupont", "identifier": siret}

    typed = {
        "number": "F-SIGNUP-1",
        "issueDate": "2026-01-05",
        "recipientIdentifier": recipient.identifier,
        "lines": [{"itemName": "Pose de fenêtres", "quantity": "2", "netPrice": "480.00"}],
    }
    deposited = (await data(client, tokens["access_token"], CREATE, {"input": typed}))["createInvoice"]
    assert deposited["userErrors"] == [], deposited
    assert deposited["invoice"] == {
        "number": "F-SIGNUP-1",
        "status": "MISE_A_DISPOSITION",
        "supplier": {"name": "Menuiserie Dupont"},
    }


async def test_signed_up_in_english_the_mail_and_pages_are_english(
    app: Starlette, db: Database, client: httpx.AsyncClient, start_smtp: StartSmtp
) -> None:
    clock = hub_clock(app)
    mailbox = Mailbox(db, start_smtp(), clock)
    await client.get("/signup?lang=en")
    answer = await sign_up(client, "grace@example.org", locale="en", name="Grace Hopper")
    assert answer.status_code == 200 and "Check your mail" in said(answer)
    [mail] = await mailbox.to("grace@example.org")
    assert mail["Subject"] == "Confirm your e-mail address" and mail["Content-Language"] == "en"
