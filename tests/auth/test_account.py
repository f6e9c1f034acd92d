"""The account page over HTTP against the in-process hub, on both engines: it needs a session; name and
language; a change of password ends the other sessions and refresh tokens; a change of e-mail is proven
first and then told to the old address, and says nothing of an address another account uses; sessions and
"sign out everywhere"; the apps the person authorized and their revocation; CSRF and throttling."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import httpx

from auth.users import find_user
from tenancy.db import Database
from tests.auth.account_flows import Hub, form_fields, signed_in, submit
from tests.auth.conftest import World
from tests.auth.flows import PASSWORD, code_for, make_person, redeem, refresh, sign_in

ACCOUNT = "/account"
NEW_PASSWORD = "a brand new passphrase 42"


async def _browser_with_token(hub: Hub, world: World, agent: str) -> tuple[httpx.AsyncClient, str]:
    """Another browser, signed in, holding an app's refresh token."""
    browser = hub.browser()
    browser.headers["User-Agent"] = agent
    code, verifier = await code_for(browser, world.person.email, world.public.client_id)
    answer = await redeem(browser, world.public.client_id, code, verifier)
    assert answer.status_code == 200, answer.text
    return browser, str(answer.json()["refresh_token"])


async def _refused(http: httpx.AsyncClient, world: World, token: str) -> bool:
    answer = await refresh(http, world.public.client_id, token)
    return answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


async def _act(http: httpx.AsyncClient, which: str, **values: str) -> httpx.Response:
    return await submit(http, ACCOUNT, which=which, **values)


async def test_the_account_page_needs_a_session_and_shows_the_account(
    hub: Hub, world: World, client: httpx.AsyncClient
) -> None:
    away = await client.get(ACCOUNT)
    assert away.status_code == 303 and away.headers["location"] == "/login?next=%2Faccount"
    client.headers["User-Agent"] = "TestBrowser/1.0 <script>"
    signed = await sign_in(client, world.person.email, next_url=ACCOUNT)
    assert signed.headers["location"] == ACCOUNT
    page = await client.get(ACCOUNT)
    assert page.status_code == 200 and "default-src 'none'" in page.headers["content-security-policy"]
    assert world.person.email in page.text and 'value="Person"' in page.text
    assert 'href="/account/two-factor"' in page.text and "Désactivée" in unescape(page.text)
    # The session is listed with how the browser named itself, escaped, and marked as this one
    assert "TestBrowser/1.0 &lt;script&gt;" in page.text and "ce navigateur" in page.text
    assert "<script>" not in page.text
    # The signed-in page leads here
    assert 'href="/account"' in (await client.get("/login")).text


async def test_name_and_language_are_saved_and_the_language_is_the_pages_and_the_mails(
    hub: Hub, world: World, client: httpx.AsyncClient
) -> None:
    await sign_in(client, world.person.email)
    empty = await _act(client, "profile", name="   ", locale="fr")
    assert empty.status_code == 400 and "Le nom est obligatoire" in unescape(empty.text)
    saved = await _act(client, "profile", name="Ada  Lovelace", locale="en")
    assert saved.status_code == 303
    page = await client.get(saved.headers["location"])
    assert client.cookies["facturehub_lang"] == "en"
    assert "Profile saved." in unescape(page.text) and 'value="Ada Lovelace"' in page.text
    assert '<option value="en" selected>' in page.text
    # Mail follows the account's language, even asked from a French page
    client.cookies.set("facturehub_lang", "fr")
    await submit(client, "/password/forgot", email=world.person.email)
    await hub.mail.deliver()
    assert [m.language for m in hub.mail.to(world.person.email)] == ["en"]


async def test_a_change_of_password_needs_the_current_one_and_ends_the_other_sessions(
    hub: Hub, world: World, client: httpx.AsyncClient
) -> None:
    other, other_token = await _browser_with_token(hub, world, "Other/2.0")
    await sign_in(client, world.person.email)
    page = await client.get(ACCOUNT)
    assert "Other/2.0" in unescape(page.text)

    wrong = await _act(
        client, "password", current_password="not it at all", password=NEW_PASSWORD, password_again=NEW_PASSWORD
    )
    assert wrong.status_code == 401 and "Le mot de passe actuel n'est pas le bon" in unescape(wrong.text)
    short = await _act(client, "password", current_password=PASSWORD, password="short", password_again="short")
    assert short.status_code == 400 and "au moins 12 caractères" in unescape(short.text)
    differ = await _act(
        client, "password", current_password=PASSWORD, password=NEW_PASSWORD, password_again=NEW_PASSWORD + "!"
    )
    assert differ.status_code == 400 and "diffèrent" in unescape(differ.text)
    # Refused changes ended nothing
    assert await signed_in(other)
    kept = await refresh(other, world.public.client_id, other_token)
    assert kept.status_code == 200, kept.text
    other_token = str(kept.json()["refresh_token"])

    done = await _act(client, "password", current_password=PASSWORD, password=NEW_PASSWORD, password_again=NEW_PASSWORD)
    assert done.status_code == 303
    page = await client.get(done.headers["location"])
    assert "Mot de passe changé" in unescape(page.text)
    # This browser stays signed in; the other one and its app's refresh token do not
    assert await signed_in(client)
    assert not await signed_in(other)
    assert await _refused(other, world, other_token)
    assert "Other/2.0" not in page.text
    await hub.mail.deliver()
    assert [m.template for m in hub.mail.to(world.person.email)] == ["password_changed"]
    assert (await sign_in(hub.browser(), world.person.email, NEW_PASSWORD)).status_code == 303


async def test_wrong_current_passwords_are_throttled_like_sign_ins(
    hub: Hub, world: World, client: httpx.AsyncClient
) -> None:
    await sign_in(client, world.person.email)
    for _ in range(5):
        wrong = await _act(client, "email", current_password="not it at all", email="new@example.test")
        assert wrong.status_code == 401
    blocked = await _act(
        client, "password", current_password=PASSWORD, password=NEW_PASSWORD, password_again=NEW_PASSWORD
    )
    assert blocked.status_code == 429 and "Trop d'essais" in unescape(blocked.text)
    # One budget with the sign-in page: it is blocked too, for the account, with the right password
    assert (await sign_in(hub.browser(), world.person.email, PASSWORD)).status_code == 429
    hub.clock.advance(timedelta(minutes=16))
    done = await _act(client, "password", current_password=PASSWORD, password=NEW_PASSWORD, password_again=NEW_PASSWORD)
    assert done.status_code == 303


async def test_a_new_address_is_proven_first_then_the_old_one_is_told(
    hub: Hub, db: Database, world: World, client: httpx.AsyncClient
) -> None:
    old, new = world.person.email, "ada.new@example.test"
    await sign_in(client, old)
    bad = await _act(client, "email", current_password=PASSWORD, email="not an address")
    assert bad.status_code == 400 and "adresse e-mail valable" in unescape(bad.text)
    same = await _act(client, "email", current_password=PASSWORD, email=old.upper())
    assert same.status_code == 400 and "déjà l'adresse de votre compte" in unescape(same.text)
    asked = await _act(client, "email", current_password=PASSWORD, email=new)
    assert asked.status_code == 303
    page = await client.get(asked.headers["location"])
    assert "Un lien de confirmation a été envoyé" in unescape(
        page.text
    ) and f"En attente de confirmation : {new}" in unescape(page.text)

    # Nothing changes before the link is followed: the account keeps its address, only the new one got mail
    await hub.mail.deliver()
    assert hub.mail.to(old) == []
    (verify,) = hub.mail.to(new)
    assert verify.template == "email_change_verify"
    assert (await find_user(db, old)) is not None and (await find_user(db, new)) is None

    # The link opens a page (a mail scanner's GET spends nothing); its button makes the change
    link = verify.link()
    opened = await hub.browser().get(link)
    assert opened.status_code == 200 and new in opened.text
    elsewhere = hub.browser()  # followed in another browser, signed in nowhere
    done = await submit(elsewhere, link)
    assert done.status_code == 200 and f"votre compte se connecte désormais avec {new}" in unescape(done.text)
    assert (await find_user(db, old)) is None
    moved = await find_user(db, new)
    assert moved is not None and moved.email_verified_at is not None  # the link proved the new mailbox
    await hub.mail.deliver()
    (notice,) = hub.mail.to(old)
    assert notice.template == "email_change_notice" and new in notice.text

    # The link works once; the new address signs in, the old one no longer
    again = await hub.browser().get(link)
    assert again.status_code == 410
    assert (await sign_in(hub.browser(), new)).status_code == 303
    assert (await sign_in(hub.browser(), old)).status_code == 401


async def test_an_address_another_account_uses_is_not_revealed_to_the_asker(
    hub: Hub, db: Database, world: World, client: httpx.AsyncClient
) -> None:
    taken = (await make_person(db, "already.taken@example.test")).email
    await sign_in(client, world.person.email)
    answers = []
    for address in ("free.address@example.test", taken):  # the later request replaces the earlier link
        asked = await _act(client, "email", current_password=PASSWORD, email=address)
        assert asked.status_code == 303
        answers.append((await client.get(asked.headers["location"])).text.replace(address, "ADDRESS"))
    assert answers[0] == answers[1]
    # Only the mailbox of the taken address learns it, by following the link it was sent
    await hub.mail.deliver()
    (verify,) = hub.mail.to(taken)
    refused = await submit(hub.browser(), verify.link())
    assert refused.status_code == 409 and "déjà celle d'un autre compte" in unescape(refused.text)
    assert (await find_user(db, world.person.email)) is not None
    assert hub.mail.to(world.person.email) == []  # nothing changed, nothing to tell


async def test_an_e_mail_change_link_expires_after_a_day(hub: Hub, world: World, client: httpx.AsyncClient) -> None:
    await sign_in(client, world.person.email)
    await _act(client, "email", current_password=PASSWORD, email="later@example.test")
    await hub.mail.deliver()
    link = hub.mail.to("later@example.test")[0].link()
    hub.clock.advance(timedelta(hours=24, seconds=1))
    expired = await hub.browser().get(link)
    assert expired.status_code == 410 and "expiré" in unescape(expired.text) and 'href="/account"' in expired.text


async def test_sign_out_everywhere_ends_every_session_and_refresh_token(
    hub: Hub, world: World, client: httpx.AsyncClient
) -> None:
    other, other_token = await _browser_with_token(hub, world, "Other/2.0")
    mine, my_token = await _browser_with_token(hub, world, "Mine/1.0")
    page = await mine.get(ACCOUNT)
    assert len(re.findall(r"<tr><td>", page.text.split('id="sessions"')[1].split("</table>")[0])) == 2
    out = await _act(mine, "sign_out_everywhere")
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert not await signed_in(mine) and not await signed_in(other)
    assert await _refused(mine, world, my_token) and await _refused(other, world, other_token)


async def test_the_apps_the_person_authorized_are_listed_and_revoked(
    hub: Hub, db: Database, world: World, client: httpx.AsyncClient
) -> None:
    browser, token = await _browser_with_token(hub, world, "Mine/1.0")
    page = await browser.get(ACCOUNT)
    apps = page.text.split('id="apps"')[1].split("</table>")[0]
    assert "Test app" in apps and world.public.client_id in apps and "Atelier A" in apps
    fields = form_fields(page.text, ACCOUNT, "revoke_app")
    # Someone else's (or a made-up) authorization: refused, nothing revoked
    other = hub.browser()
    await sign_in(other, (await make_person(db)).email)
    csrf = form_fields((await other.get(ACCOUNT)).text, ACCOUNT, "profile")["csrf_token"]
    forged = await other.post(ACCOUNT, data={"csrf_token": csrf, "action": "revoke_app", "consent": fields["consent"]})
    made_up = await other.post(ACCOUNT, data={"csrf_token": csrf, "action": "revoke_app", "consent": "not-an-id"})
    assert forged.status_code == made_up.status_code == 404
    assert "n'existe pas ou a déjà été retirée" in unescape(forged.text)
    kept = await refresh(browser, world.public.client_id, token)
    assert kept.status_code == 200, kept.text
    token = str(kept.json()["refresh_token"])
    # Revoked by its owner: gone from the page, its refresh tokens refused
    done = await browser.post(ACCOUNT, data=fields)
    assert done.status_code == 303
    page = await browser.get(done.headers["location"])
    assert "Autorisation retirée" in unescape(page.text) and "aucune application" in unescape(page.text)
    assert await _refused(browser, world, token)


async def test_account_forms_without_their_csrf_token_are_refused(
    hub: Hub, world: World, client: httpx.AsyncClient
) -> None:
    await sign_in(client, world.person.email)
    for action, values in (
        ("profile", {"name": "Changed", "locale": "en"}),
        ("password", {"current_password": PASSWORD, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}),
        ("email", {"current_password": PASSWORD, "email": "x@example.test"}),
        ("sign_out_everywhere", {}),
    ):
        refused = await client.post(ACCOUNT, data={"action": action, **values})
        assert refused.status_code == 400 and "Le formulaire a expiré" in unescape(refused.text), action
    assert await signed_in(client)
    assert 'value="Person"' in (await client.get(ACCOUNT)).text
    await hub.mail.deliver()
    assert hub.mail.all() == []
