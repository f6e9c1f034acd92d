"""What sign-up refuses or hides, on both engines: no page says whether an address has an account, links
work once and for 24 hours, identifiers are checked and taken once, forms need their CSRF token, and the
form has its budgets."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select
from starlette.applications import Starlette

from auth.models import User
from auth.sessions import SESSION_COOKIE
from auth.users import find_user
from tenancy import privileged
from tenancy.db import Database
from tests.auth.conftest import app_with
from tests.auth.flows import PASSWORD as OWNER_PASSWORD
from tests.auth.flows import make_person, sign_in
from tests.auth.signup.helpers import (
    PASSWORD,
    Mailbox,
    confirm,
    create_structure,
    form_fields,
    hub_clock,
    path_of,
    said,
    sign_up,
    text_of,
)
from tests.clock import FakeClock
from tests.factories import make_siret, make_structure
from tests.tenancy.mail.conftest import StartSmtp

CSRF = re.compile(r'name="csrf_token" value="[^"]+"')


def _page(response: httpx.Response, email: str) -> str:
    """The answer as another address would get it: the address typed and the form's token set aside."""
    return CSRF.sub("", response.text.replace(email, "ADDRESS"))


async def _users(db: Database) -> int:
    async with db.bare_session() as session:
        return int(await session.scalar(select(func.count()).select_from(User)) or 0)


async def _signed_up(client: httpx.AsyncClient, mailbox: Mailbox, email: str) -> str:
    assert (await sign_up(client, email)).status_code == 200
    return await mailbox.last_link(email)


async def test_an_address_with_an_account_gets_the_same_page_and_its_owner_a_mail(
    app: Starlette, db: Database, client: httpx.AsyncClient, start_smtp: StartSmtp
) -> None:
    mailbox = Mailbox(db, start_smtp(), hub_clock(app))
    owner = await make_person(db, "owner@example.fr")
    fresh = await sign_up(client, "newcomer@example.fr")
    before = await _users(db)
    taken = await sign_up(client, "owner@example.fr", password="another password, long enough")
    assert (taken.status_code, _page(taken, "owner@example.fr")) == (
        fresh.status_code,
        _page(fresh, "newcomer@example.fr"),
    )
    assert await _users(db) == before  # no second account, and the owner's is untouched
    [mail] = await mailbox.to(owner.email)
    assert mail["Subject"] == "Tentative de création de compte avec votre adresse"
    body = text_of(mail)
    assert "http://127.0.0.1:8000/login" in body and "http://127.0.0.1:8000/password/forgot" in body
    assert "token=" not in body
    client.cookies.clear()
    assert (await sign_in(client, owner.email, OWNER_PASSWORD)).status_code == 303
    client.cookies.clear()
    assert (await sign_in(client, owner.email, "another password, long enough")).status_code == 401


async def test_an_unverified_account_answers_the_sign_in_page_like_any_other_to_a_wrong_password(
    app: Starlette, db: Database, client: httpx.AsyncClient, start_smtp: StartSmtp
) -> None:
    mailbox = Mailbox(db, start_smtp(), hub_clock(app))
    await _signed_up(client, mailbox, "pending@example.fr")
    unverified = await sign_in(client, "pending@example.fr", "not the password at all")
    nobody = await sign_in(client, "nobody@example.fr", "not the password at all")
    assert unverified.status_code == nobody.status_code == 401
    assert _page(unverified, "pending@example.fr") == _page(nobody, "nobody@example.fr")
    # Only the right password learns the address waits for its link, and a new link is sent
    right = await sign_in(client, "pending@example.fr", PASSWORD)
    assert right.status_code == 403 and SESSION_COOKIE not in client.cookies
    assert len(await mailbox.to("pending@example.fr")) == 2


async def test_a_link_works_once_and_a_newer_one_retires_it(
    app: Starlette, db: Database, client: httpx.AsyncClient, start_smtp: StartSmtp
) -> None:
    mailbox = Mailbox(db, start_smtp(), hub_clock(app))
    first = await _signed_up(client, mailbox, "twice@example.fr")
    # Signing up again before verifying: the newest name and password win, and only the newest link works
    assert (await sign_up(client, "twice@example.fr", password="the second password typed")).status_code == 200
    second = await mailbox.last_link("twice@example.fr")
    assert second != first
    old = await client.get(path_of(first))
    assert old.status_code == 410 and "un lien plus récent" in said(old)
    assert (await confirm(client, second, PASSWORD)).status_code == 401  # the first password no longer
    assert (await confirm(client, second, "the second password typed")).status_code == 303
    client.cookies.clear()
    reused = await client.get(path_of(second))
    assert reused.status_code == 410 and "déjà servi" in said(reused)
    assert 'href="/signup"' in reused.text and 'href="/login"' in reused.text  # the ways to a new link
    unknown = await client.get("/signup/verify?token=" + "x" * 43)
    assert unknown.status_code == 404 and "n'est pas valable" in said(unknown)


async def test_a_link_expires_after_24_hours(
    app: Starlette, db: Database, client: httpx.AsyncClient, start_smtp: StartSmtp
) -> None:
    clock = hub_clock(app)
    mailbox = Mailbox(db, start_smtp(), clock)
    link = await _signed_up(client, mailbox, "late@example.fr")
    clock.advance(timedelta(hours=24) - timedelta(seconds=1))
    page = await client.get(path_of(link))
    assert page.status_code == 200
    fields = form_fields(page.text, "/signup/verify", "confirm")
    fields["password"] = PASSWORD
    clock.advance(timedelta(seconds=1))  # the form was shown in time, sent too late
    late = await client.post("/signup/verify", data=fields)
    assert late.status_code == 410 and "expiré" in said(late)
    assert SESSION_COOKIE not in client.cookies


async def test_the_link_proves_the_address_so_its_reader_may_choose_the_password(
    app: Starlette, db: Database, client: httpx.AsyncClient, start_smtp: StartSmtp
) -> None:
    """Someone signed up with another's address: its owner follows the link without knowing that password."""
    mailbox = Mailbox(db, start_smtp(), hub_clock(app))
    link = await _signed_up(client, mailbox, "victim@example.fr")
    owner = httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url))
    async with owner:
        wrong = await confirm(owner, link, "I never chose a password")
        assert wrong.status_code == 401 and "Ce n'est pas le mot de passe" in said(wrong)
        page = await owner.get(path_of(link))
        fields = form_fields(page.text, "/signup/verify", "choose")
        fields["new_password"] = "short"
        assert (await owner.post("/signup/verify", data=fields)).status_code == 400
        fields["new_password"] = "the owner's own password"
        chosen = await owner.post("/signup/verify", data=fields)
        assert chosen.status_code == 303 and SESSION_COOKIE in owner.cookies
    # The password typed at sign-up by the other person no longer opens the account
    client.cookies.clear()
    assert (await sign_in(client, "victim@example.fr", PASSWORD)).status_code == 401
    client.cookies.clear()
    assert (await sign_in(client, "victim@example.fr", "the owner's own password")).status_code == 303


async def _verified(client: httpx.AsyncClient, mailbox: Mailbox, email: str) -> None:
    link = await _signed_up(client, mailbox, email)
    assert (await confirm(client, link)).status_code == 303


async def _workspaces(db: Database, email: str) -> set[tuple[str, str]]:
    """The structures (type, identifier) the account is a member of (structures are read across tenants)."""
    user = await find_user(db, email)
    assert user is not None
    return {(str(s.identifier_type), s.identifier) for _, s in await privileged.workspaces_of_user(db, user.id)}


@pytest.mark.parametrize(
    ("kind", "identifier", "said_fr"),
    [
        ("SIRET", "44306184100105", "La clé de contrôle (Luhn) du SIRET ne correspond pas"),
        ("SIRET", "4430618410010", "Le SIRET compte 14 chiffres"),
        ("SIRET", "4430618410010A", "Le SIRET ne contient que des chiffres"),
        ("UE_HORS_FRANCE", "DE136695977", "La clé de contrôle du numéro de TVA ne correspond pas"),
        ("UE_HORS_FRANCE", "US123456789", "commence par le code d'un pays de l'Union"),
        ("UE_HORS_FRANCE", "FR40303265045", "une structure française s'identifie par son SIRET"),
        ("HORS_UE", "<script>", "1 à 80 lettres"),
    ],
)
async def test_a_wrong_identifier_is_refused_on_its_field(
    app: Starlette, db: Database, client: httpx.AsyncClient, start_smtp: StartSmtp,
    kind: str, identifier: str, said_fr: str,
) -> None:  # fmt: skip
    mailbox = Mailbox(db, start_smtp(), hub_clock(app))
    await _verified(client, mailbox, "checks@example.fr")
    refused = await create_structure(client, identifier, identifier_type=kind)
    assert refused.status_code == 400 and said_fr in said(refused), said(refused)
    assert re.search(r'name="identifier" value="[^"]*" [^>]*aria-invalid="true"', refused.text)
    assert "<script>" not in refused.text
    assert await _workspaces(db, "checks@example.fr") == set()
    # The other fields are named too
    assert (await create_structure(client, make_siret(), identifier_type="AUTRE")).status_code == 400
    nameless = await create_structure(client, make_siret(), name=" ")
    assert nameless.status_code == 400 and "Indiquez la raison sociale" in said(nameless)
    country = await create_structure(client, make_siret(), country_code="F1")
    assert country.status_code == 400 and "deux lettres" in said(country)


async def test_good_identifiers_of_each_kind_are_taken_normalised(
    app: Starlette, db: Database, client: httpx.AsyncClient, start_smtp: StartSmtp
) -> None:
    mailbox = Mailbox(db, start_smtp(), hub_clock(app))
    await _verified(client, mailbox, "kinds@example.fr")
    # La Poste's establishments pass the digit-sum rule instead of Luhn
    assert (await create_structure(client, "356 000 000 00010")).status_code == 200
    assert (await create_structure(client, "de 136 695 976", identifier_type="UE_HORS_FRANCE")).status_code == 200
    kept = await _workspaces(db, "kinds@example.fr")
    assert kept == {("SIRET", "35600000000010"), ("UE_HORS_FRANCE", "DE136695976")}


async def test_a_taken_identifier_is_refused_and_the_person_offered_to_ask_to_join(
    app: Starlette, db: Database, client: httpx.AsyncClient, start_smtp: StartSmtp
) -> None:
    mailbox = Mailbox(db, start_smtp(), hub_clock(app))
    existing = await make_structure(db, name="Atelier déjà là")
    public = await make_structure(db, public=True, name="Mairie publique")
    await _verified(client, mailbox, "late-comer@example.fr")
    for structure in (existing, public):
        spaced = " ".join(structure.identifier[i : i + 3] for i in range(0, 14, 3))
        refused = await create_structure(client, spaced)
        assert refused.status_code == 409, refused.text
        text = said(refused)
        assert f"SIRET {structure.identifier} existe déjà" in text and structure.name not in text
        assert f'href="/join?identifier_type=SIRET&amp;identifier={structure.identifier}"' in refused.text
        assert len(await privileged.find_structure(db, structure.identifier)) == 1
    assert await _workspaces(db, "late-comer@example.fr") == set()


async def test_every_form_needs_its_csrf_token(
    app: Starlette, db: Database, client: httpx.AsyncClient, start_smtp: StartSmtp
) -> None:
    mailbox = Mailbox(db, start_smtp(), hub_clock(app))
    await client.get("/signup")  # the browser has its CSRF cookie; the forms below do not carry the token
    signup = await client.post("/signup", data={"email": "x@example.fr", "password": PASSWORD, "display_name": "X"})
    assert signup.status_code == 400 and "expiré" in said(signup)
    assert await _users(db) == 0 and await mailbox.to("x@example.fr") == []
    link = await _signed_up(client, mailbox, "csrf@example.fr")
    verify = await client.post("/signup/verify", data={"token": link.split("token=")[1], "password": PASSWORD})
    assert verify.status_code == 400 and SESSION_COOKIE not in client.cookies
    assert (await confirm(client, link)).status_code == 303  # the link was not spent by the forged post
    structure = await client.post(
        "/signup/structure", data={"identifier": make_siret(), "name": "N", "country_code": "FR"}
    )
    assert structure.status_code == 400
    assert await _workspaces(db, "csrf@example.fr") == set()


async def test_the_structure_page_asks_to_sign_in_first_and_comes_back(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    person = await make_person(db)
    away = await client.get("/signup/structure")
    assert away.status_code == 303 and away.headers["location"] == "/login?next=%2Fsignup%2Fstructure"
    back = await sign_in(client, person.email, OWNER_PASSWORD, next_url="/signup/structure")
    assert back.status_code == 303 and back.headers["location"] == "/signup/structure"
    assert (await create_structure(client, make_siret())).status_code == 200


@pytest.fixture
async def tight(db: Database, database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async for http in app_with(
        db,
        database_url,
        signup_max_per_address=3,
        signup_max_mails_per_recipient=2,
        signup_max_structures_per_account=1,
    ):
        yield http


async def test_sign_ups_are_budgeted_per_client_and_their_mails_per_address(
    db: Database, tight: httpx.AsyncClient, start_smtp: StartSmtp
) -> None:
    mailbox = Mailbox(db, start_smtp(), FakeClock(datetime.now(UTC) + timedelta(minutes=1)))
    answers = [await sign_up(tight, "flooded@example.fr") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert len({_page(a, "flooded@example.fr") for a in answers}) == 1  # the third sends nothing, says the same
    assert len(await mailbox.to("flooded@example.fr")) == 2
    blocked = await sign_up(tight, "other@example.fr")
    assert blocked.status_code == 429 and "Trop de demandes" in said(blocked)
    assert await mailbox.to("other@example.fr") == []


async def test_an_address_with_an_account_takes_as_long_to_answer(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    """The same work either way (the password hash dominates): a path that skipped it would answer in a
    fraction of the time. Medians of a few runs each, with a wide margin for a busy machine."""
    hub_clock(app)
    await make_person(db, "known@example.fr")

    async def timed(email: str) -> float:
        page = await client.get("/signup")
        fields = form_fields(page.text, "/signup")
        fields.update(email=email, password=PASSWORD, display_name="Timing", locale="fr")
        started = time.perf_counter()
        answer = await client.post("/signup", data=fields)
        assert answer.status_code == 200
        return time.perf_counter() - started

    await timed("warm-up@example.fr")
    fresh = statistics.median([await timed(f"fresh{i}@example.fr") for i in range(4)])
    known = statistics.median([await timed("known@example.fr") for _ in range(4)])
    assert 0.5 < known / fresh < 2, (known, fresh)


async def test_one_account_creates_a_budgeted_number_of_structures(db: Database, tight: httpx.AsyncClient) -> None:
    await make_person(db, "many@example.fr")
    assert (await sign_in(tight, "many@example.fr", OWNER_PASSWORD)).status_code == 303
    assert (await create_structure(tight, make_siret())).status_code == 200
    second = make_siret()
    refused = await create_structure(tight, second)
    assert refused.status_code == 429 and "beaucoup de structures" in said(refused)
    assert await privileged.find_structure(db, second) == []
