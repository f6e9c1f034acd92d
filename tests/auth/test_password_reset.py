"""Password reset over HTTP against the in-process hub, on both engines, with the mail read from the .eml
files the worker writes: the whole way back in, what it ends (sessions, refresh tokens), links used twice or
too late, the same answer and work for an address with or without an account, CSRF and throttling."""

from __future__ import annotations

import asyncio
import statistics
import time
from datetime import timedelta

import httpx
from sqlalchemy import func, select

from auth.models import OneTimeLink
from auth.sessions import SESSION_COOKIE
from tenancy.db import Database
from tenancy.jobs.table import Job
from tests.auth.account_flows import Hub, form_fields, signed_in, submit
from tests.auth.conftest import World
from tests.auth.flows import PASSWORD, code_for, redeem, refresh, sign_in

FORGOT = "/password/forgot"
NEW_PASSWORD = "a brand new passphrase 42"


async def _ask(http: httpx.AsyncClient, email: str) -> httpx.Response:
    return await submit(http, FORGOT, email=email)


async def _reset(http: httpx.AsyncClient, link: str, password: str = NEW_PASSWORD) -> httpx.Response:
    return await submit(http, link, password=password, password_again=password)


async def _refresh_token(http: httpx.AsyncClient, world: World) -> str:
    code, verifier = await code_for(http, world.person.email, world.public.client_id)
    answer = await redeem(http, world.public.client_id, code, verifier)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["refresh_token"])


async def _jobs(db: Database) -> int:
    async with db.bare_session() as session:
        return int(await session.scalar(select(func.count()).select_from(Job)) or 0)


async def test_forgotten_password_reset_by_mail_ends_every_session_and_refresh_token(
    hub: Hub, world: World, client: httpx.AsyncClient
) -> None:
    email = world.person.email
    # A browser signed in with an app's refresh token, as before the password was forgotten
    old_token = await _refresh_token(client, world)
    old_cookie = client.cookies[SESSION_COOKIE]
    assert await signed_in(client)

    # The sign-in page leads to the reset page; asking answers at once, the mail comes from the worker
    login = await hub.browser().get("/login")
    assert f'href="{FORGOT}"' in login.text
    stranger = hub.browser()
    asked = await _ask(stranger, email)
    assert asked.status_code == 200 and "un lien pour choisir un nouveau mot de passe vient d" in asked.text
    assert hub.mail.all() == []
    await hub.mail.deliver()
    (mail,) = hub.mail.to(email)
    assert mail.template == "password_reset" and mail.language == "fr"
    link = mail.link()
    assert link.startswith("/password/reset/")

    # The link opens a form; a password the rules refuse is said so, and the link still works
    short = await _reset(stranger, link, "too short")
    assert short.status_code == 400 and "au moins 12 caractères" in short.text
    page = await stranger.get(link)
    fields = form_fields(page.text, link)
    fields.update(password=NEW_PASSWORD, password_again=NEW_PASSWORD + "x")
    mismatch = await stranger.post(link, data=fields)
    assert mismatch.status_code == 400 and "diffèrent" in mismatch.text

    done = await _reset(stranger, link)
    assert done.status_code == 200 and "toutes vos sessions ont été fermées" in done.text

    # The old refresh token is refused at /token; the old session cookie signs nobody in
    refused = await refresh(client, world.public.client_id, old_token)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    assert client.cookies[SESSION_COOKIE] == old_cookie
    assert not await signed_in(client)
    # The account is told, with the way back should it not have been them
    await hub.mail.deliver()
    (told,) = hub.mail.to(email, "password_changed")
    assert told.link() == FORGOT

    # The old password no longer signs in, the new one does
    again = hub.browser()
    assert (await sign_in(again, email, PASSWORD)).status_code == 401
    assert (await sign_in(again, email, NEW_PASSWORD)).status_code == 303
    assert await signed_in(again)


async def test_a_reset_link_works_once_for_one_hour_and_a_newer_one_replaces_it(
    hub: Hub, world: World, client: httpx.AsyncClient
) -> None:
    email = world.person.email
    await _ask(client, email)
    await hub.mail.deliver()
    (first,) = hub.mail.to(email)
    await _ask(client, email)
    await hub.mail.deliver()
    second = hub.mail.to(email)[-1]
    assert second.link() != first.link()

    # The first link was replaced by the second: refused, with a way to ask again
    replaced = await client.get(first.link())
    assert replaced.status_code == 410 and "déjà servi" in replaced.text and f'href="{FORGOT}"' in replaced.text
    assert (await _reset(client, second.link())).status_code == 200
    # Used: refused on GET and POST, the password the first use set stays
    reused = await client.get(second.link())
    assert reused.status_code == 410 and "déjà servi" in reused.text
    fields = {"csrf_token": client.cookies["facturehub_csrf"], "password": "x" * 20, "password_again": "x" * 20}
    assert (await client.post(second.link(), data=fields)).status_code == 410
    assert (await sign_in(hub.browser(), email, NEW_PASSWORD)).status_code == 303

    # A new link, one hour and a second later: expired, the form and its POST both refuse it
    await _ask(client, email)
    await hub.mail.deliver()
    late = hub.mail.to(email, "password_reset")[-1].link()
    page = await client.get(late)
    assert page.status_code == 200
    hub.clock.advance(timedelta(hours=1, seconds=1))
    fields = form_fields(page.text, late)
    fields.update(password="yet another passphrase", password_again="yet another passphrase")
    expired = await client.post(late, data=fields)
    assert expired.status_code == 410 and "expiré" in expired.text and f'href="{FORGOT}"' in expired.text
    assert (await sign_in(hub.browser(), email, NEW_PASSWORD)).status_code == 303

    # A link never sent (or cut short) is unknown: 404, the same way to ask again
    unknown = await client.get("/password/reset/" + "A" * 43)
    assert unknown.status_code == 404 and f'href="{FORGOT}"' in unknown.text


async def test_an_address_without_an_account_gets_the_same_answer_the_same_work_and_no_mail(
    hub: Hub, db: Database, world: World, client: httpx.AsyncClient
) -> None:
    existing, missing = world.person.email, "nobody-here@example.test"
    answers: dict[str, list[float]] = {existing: [], missing: []}
    pages: dict[str, str] = {}
    jobs_before = await _jobs(db)
    for _ in range(4):  # interleaved, so that a slow moment of the machine falls on both
        for email in (existing, missing):
            page = await client.get(FORGOT)
            fields = form_fields(page.text, FORGOT)
            fields["email"] = email
            started = time.perf_counter()
            answer = await client.post(FORGOT, data=fields)
            answers[email].append(time.perf_counter() - started)
            assert answer.status_code == 200
            pages[email] = answer.text.replace(email, "ADDRESS")
    # Word for word the same page, and the same writes: one job per request, whoever the address is
    assert pages[existing] == pages[missing]
    assert await _jobs(db) - jobs_before == 8
    fast, slow = sorted(statistics.median(times) for times in answers.values())
    assert slow - fast < max(0.05, fast), answers
    # Only the worker tells them apart: four mails to the account, none to the address without one
    await hub.mail.deliver()
    assert [m.template for m in hub.mail.all()] == ["password_reset"] * 4
    assert hub.mail.to(missing) == []


async def test_asking_is_throttled_per_address_asked_for_whether_it_has_an_account_or_not(
    hub: Hub, db: Database, world: World, client: httpx.AsyncClient
) -> None:
    for email in (world.person.email, "nobody-here@example.test"):
        for _ in range(5):
            assert (await _ask(client, email)).status_code == 200
        before = await _jobs(db)
        blocked = await _ask(client, email)
        assert blocked.status_code == 429 and "Trop de demandes" in blocked.text
        assert await _jobs(db) == before
    # Past the window, asking works again
    hub.clock.advance(timedelta(minutes=16))
    assert (await _ask(client, world.person.email)).status_code == 200


async def test_forms_without_their_csrf_token_are_refused(hub: Hub, world: World, client: httpx.AsyncClient) -> None:
    page = await client.get(FORGOT)
    fields = form_fields(page.text, FORGOT)
    missing = await client.post(FORGOT, data={"email": world.person.email})
    assert missing.status_code == 400 and "expiré" in missing.text
    forged = await client.post(FORGOT, data={**fields, "csrf_token": "x" * 40, "email": world.person.email})
    assert forged.status_code == 400
    await hub.mail.deliver()
    assert hub.mail.all() == []  # nothing was asked

    await _ask(client, world.person.email)
    await hub.mail.deliver()
    link = hub.mail.to(world.person.email)[0].link()
    refused = await client.post(link, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert refused.status_code == 400
    assert (await client.get(link)).status_code == 200  # the link was not spent
    assert (await sign_in(hub.browser(), world.person.email, PASSWORD)).status_code == 303
    # A form that is not urlencoded is refused the same way
    odd = await client.post(FORGOT, json={"email": world.person.email})
    assert odd.status_code == 400


async def test_the_mail_speaks_the_language_of_the_page_it_was_asked_from(
    hub: Hub, world: World, client: httpx.AsyncClient
) -> None:
    english = await submit(client, FORGOT + "?lang=en", action=FORGOT, email=world.person.email)
    assert english.status_code == 200 and "a link to choose a new password has just been sent" in english.text
    await hub.mail.deliver()
    (mail,) = hub.mail.to(world.person.email)
    assert mail.language == "en" and mail.subject == "Reset your password"


async def test_links_long_expired_are_cleared_when_a_new_one_is_sent(
    hub: Hub, db: Database, world: World, client: httpx.AsyncClient
) -> None:
    await _ask(client, world.person.email)
    await hub.mail.deliver()
    old = hub.mail.to(world.person.email)[-1].link()
    hub.clock.advance(timedelta(days=2))
    await _ask(client, world.person.email)
    await hub.mail.deliver()
    # Recently replaced: still known, so the page says why it fails
    assert (await client.get(old)).status_code == 410
    hub.clock.advance(timedelta(days=29))  # the first expired 31 days ago, the second 29
    await _ask(client, world.person.email)
    await hub.mail.deliver()
    async with db.bare_session() as session:
        kept = int(await session.scalar(select(func.count()).select_from(OneTimeLink)) or 0)
    assert kept == 2  # the first link went; the second (expired, within 30 days) and the newest stay
    assert (await client.get(old)).status_code == 404


async def test_two_uses_of_one_link_at_once_make_one_change(hub: Hub, world: World, client: httpx.AsyncClient) -> None:
    await _ask(client, world.person.email)
    await hub.mail.deliver()
    link = hub.mail.to(world.person.email)[0].link()
    page = await client.get(link)
    fields = form_fields(page.text, link)
    first = {**fields, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    second = {**fields, "password": "the other passphrase", "password_again": "the other passphrase"}
    answers = await asyncio.gather(client.post(link, data=first), client.post(link, data=second))
    assert sorted(a.status_code for a in answers) == [200, 410], [a.text[-300:] for a in answers]
    won = NEW_PASSWORD if answers[0].status_code == 200 else "the other passphrase"
    lost = "the other passphrase" if won == NEW_PASSWORD else NEW_PASSWORD
    assert (await sign_in(hub.browser(), world.person.email, lost)).status_code == 401
    assert (await sign_in(hub.browser(), world.person.email, won)).status_code == 303
