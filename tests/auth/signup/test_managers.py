"""`facturehub structure manager`: the operator names a public structure's first principal manager, who gets
an account and a mail whose link lets them choose its password; on both engines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from starlette.applications import Starlette

from auth.sessions import SESSION_COOKIE
from auth.users import find_user
from tenancy import privileged
from tenancy.db import Database
from tenancy.enums import Access, Role
from tests.auth.flows import make_person, sign_in
from tests.auth.signup.helpers import Mailbox, form_fields, hub_clock, path_of, said
from tests.clock import FakeClock
from tests.factories import make_structure
from tests.tenancy.mail.conftest import StartSmtp
from tests.test_cli import run


async def test_the_operator_names_a_manager_who_chooses_a_password_and_lands_in_the_structure(
    app: Starlette, db: Database, database_url: str, client: httpx.AsyncClient, start_smtp: StartSmtp
) -> None:
    town_hall = await make_structure(db, public=True, name="Mairie de Saint-Exemple")
    done = run(database_url, "structure", "manager", town_hall.identifier, "Nina.Maire@Example.fr", "--name", "Nina")
    assert "nina.maire@example.fr (a new account) is a GESTIONNAIRE_PRINCIPAL of Mairie de Saint-Exemple" in done.stderr
    user = await find_user(db, "nina.maire@example.fr")
    assert user is not None and user.password_hash is None and user.email_verified_at is None
    [(member, structure)] = await privileged.workspaces_of_user(db, user.id)
    assert structure.id == town_hall.id and (member.role, member.access) == (Role.GESTIONNAIRE_PRINCIPAL, Access.WRITE)

    # The link is valid for seven days (the clock of the pages, set by the test, runs from now)
    clock = hub_clock(app, datetime.now(UTC) + timedelta(days=6))
    mailbox = Mailbox(db, start_smtp(), clock)
    [mail] = await mailbox.to("nina.maire@example.fr")
    assert mail["Subject"] == "Vous gérez Mairie de Saint-Exemple sur facturehub"
    link = await mailbox.last_link("nina.maire@example.fr")
    page = await client.get(path_of(link))
    assert page.status_code == 200 and "choisissez son mot de passe" in said(page)
    assert 'value="confirm"' not in page.text  # no password to confirm: choosing one is the only way
    fields = form_fields(page.text, "/signup/verify", "choose")
    fields["new_password"] = "the town hall's password"
    chosen = await client.post("/signup/verify", data=fields)
    assert chosen.status_code == 303 and chosen.headers["location"] == "/" and SESSION_COOKIE in client.cookies
    client.cookies.clear()
    assert (await sign_in(client, "nina.maire@example.fr", "the town hall's password")).status_code == 303


async def test_an_existing_account_is_attached_without_mail_and_mistakes_are_said(
    db: Database, database_url: str, start_smtp: StartSmtp
) -> None:
    hospital = await make_structure(db, public=True, name="Hôpital")
    person = await make_person(db, "deja@example.fr")
    done = run(database_url, "structure", "manager", hospital.identifier, "deja@example.fr")
    assert "(an existing account)" in done.stderr and "mailed" not in done.stderr
    assert [s.id for _, s in await privileged.workspaces_of_user(db, person.id)] == [hospital.id]
    mailbox = Mailbox(db, start_smtp(), _soon())
    assert await mailbox.to("deja@example.fr") == []
    unknown = run(database_url, "structure", "manager", "21000000000000", "x@example.fr", check=False)
    assert unknown.returncode == 1 and "no structure has the identifier '21000000000000'" in unknown.stderr
    wrong = run(database_url, "structure", "manager", hospital.identifier, "not-an-address", check=False)
    assert wrong.returncode == 1 and "not an e-mail address" in wrong.stderr
    assert (await find_user(db, "x@example.fr")) is None


def _soon() -> FakeClock:
    """A worker's clock just past the real one, which the CLI's mails were dated by."""
    return FakeClock(datetime.now(UTC) + timedelta(minutes=1))
