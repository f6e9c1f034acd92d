"""The hub's sign-in pages speak French first, English at a switch remembered in the facturehub_lang cookie
(the web app reads and writes the same cookie)."""

from __future__ import annotations

import httpx

from tests.auth.conftest import World
from tests.auth.flows import forms_of


async def test_french_first_english_at_the_switch_remembered(client: httpx.AsyncClient) -> None:
    page = await client.get("/login")
    assert '<html lang="fr">' in page.text and "<h1>Connexion</h1>" in page.text
    assert 'href="/login?lang=en"' in page.text
    english = await client.get("/login", params={"lang": "en"})
    assert "<h1>Sign in</h1>" in english.text and 'href="/login?lang=fr"' in english.text
    assert "facturehub_lang=en" in english.headers["set-cookie"]
    assert "<h1>Sign in</h1>" in (await client.get("/login")).text  # remembered
    client.cookies.set("facturehub_lang", "xx")  # nonsense is French
    assert "<h1>Connexion</h1>" in (await client.get("/login")).text


async def test_the_switch_keeps_the_pages_parameters(client: httpx.AsyncClient) -> None:
    page = await client.get("/login", params={"next": "/oauth/authorize?client_id=a&state=b"})
    assert 'href="/login?next=%2Foauth%2Fauthorize%3Fclient_id%3Da%26state%3Db&amp;lang=en"' in page.text


async def test_messages_are_in_the_readers_language(client: httpx.AsyncClient, world: World) -> None:
    page = await client.get("/login")
    fields = dict(forms_of(page.text)[0].fields)
    wrong = await client.post("/login", data={**fields, "email": world.person.email, "password": "nope"})
    assert wrong.status_code == 401
    assert "Adresse e-mail ou mot de passe incorrect." in wrong.text
    client.cookies.set("facturehub_lang", "en")
    wrong = await client.post("/login", data={**fields, "email": world.person.email, "password": "nope"})
    assert "Wrong e-mail or password." in wrong.text
