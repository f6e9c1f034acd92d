"""Two-factor sign-in over HTTP against the in-process hub, on both engines: enrolment with a code pyotp
computes from the secret the page shows, the second sign-in step, replays, recovery codes, turning it
off, and a workspace that requires it of its administrators."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from urllib.parse import urlencode

import httpx
import pyotp
from starlette.applications import Starlette

from auth.sessions import SESSION_COOKIE
from tenancy.db import Database
from tenancy.enums import Role
from tests.auth.conftest import World
from tests.auth.flows import (
    FORM,
    PASSWORD,
    authorize_params,
    consent,
    forms_of,
    make_person,
    pkce,
    query_of,
    redeem,
    sign_in,
)
from tests.clock import FakeClock
from tests.factories import data, make_member, token_for

SECOND_STEP = "/login/second-factor"
ACCOUNT = "/account/two-factor"
STEP = timedelta(seconds=30)


def _clock(app: Starlette) -> FakeClock:
    # Mid-step, so that a step forward or back is a whole other code.
    now = datetime.now(UTC).replace(microsecond=0)
    clock = FakeClock(now - timedelta(seconds=now.timestamp() % 30) + timedelta(seconds=15))
    app.state.oauth.clock = clock.now
    return clock


def _secret_of(html: str) -> str:
    found = re.search(r'<code class="secret" id="totp-secret">([A-Z2-7 ]+)</code>', html)
    assert found, html
    return found.group(1).replace(" ", "")


def _codes_of(html: str) -> list[str]:
    listed = re.search(r'<ol class="codes" id="recovery-codes">(.*?)</ol>', html, re.S)
    assert listed, html
    return [unescape(c) for c in re.findall(r"<li><code>([^<]+)</code></li>", listed.group(1))]


def _form(html: str, action: str, which: str | None = None) -> dict[str, str]:
    for form in forms_of(html):
        fields = dict(form.fields)
        if form.action == action and (which is None or fields.get("action") == which):
            return fields
    raise AssertionError(f"no form {action} {which} in {html}")


async def _enrol(http: httpx.AsyncClient, clock: FakeClock) -> tuple[pyotp.TOTP, list[str]]:
    """On the account page (signed in): scan the secret, confirm with a code, keep the recovery codes."""
    page = await http.get(ACCOUNT)
    assert page.status_code == 200, page.text
    assert "<svg" in page.text and "default-src 'none'" in page.headers["content-security-policy"]
    app = pyotp.TOTP(_secret_of(page.text))
    fields = _form(page.text, ACCOUNT, "enable")
    fields["code"] = app.at(clock.now())
    done = await http.post(ACCOUNT, data=fields)
    assert done.status_code == 200, done.text
    codes = _codes_of(done.text)
    return app, codes


async def _password_step(http: httpx.AsyncClient, email: str, next_url: str | None = None) -> httpx.Response:
    http.cookies.clear()
    answer = await sign_in(http, email, next_url=next_url)
    assert answer.status_code == 303, answer.text
    return answer


async def _second_step(http: httpx.AsyncClient, code: str) -> httpx.Response:
    page = await http.get(SECOND_STEP)
    assert page.status_code == 200, page.text
    fields = _form(page.text, SECOND_STEP)
    fields["code"] = code
    return await http.post(SECOND_STEP, data=fields)


async def _signed_in(http: httpx.AsyncClient) -> bool:
    page = await http.get("/login")
    return page.status_code == 200 and 'action="/logout"' in page.text


async def test_enrol_then_every_sign_in_asks_for_a_code_and_only_then_a_token(
    app: Starlette, world: World, client: httpx.AsyncClient
) -> None:
    clock = _clock(app)
    await sign_in(client, world.person.email)
    totp, codes = await _enrol(client, clock)
    # Ten distinct recovery codes, shown once; the account page no longer shows the secret
    assert len(codes) == len(set(codes)) == 10
    status = await client.get(ACCOUNT)
    assert "totp-secret" not in status.text and totp.secret not in status.text.replace(" ", "")
    assert "10" in status.text

    # The password alone: sent to the second step, with no session cookie and nothing signed in
    verifier, challenge = pkce()
    params = authorize_params(world.public.client_id, challenge)
    target = "/oauth/authorize?" + urlencode(params)
    clock.advance(STEP)
    answer = await _password_step(client, world.person.email, next_url=target)
    assert answer.headers["location"] == SECOND_STEP + "?" + urlencode({"next": target})
    assert SESSION_COOKIE not in answer.cookies and SESSION_COOKIE not in client.cookies
    half = await client.get("/oauth/authorize", params=params)
    assert half.status_code == 303 and half.headers["location"].startswith("/login?")
    assert not await _signed_in(client)

    # The code: a session, then the usual code flow gives a token for the workspace
    page = await client.get(answer.headers["location"])
    fields = _form(page.text, SECOND_STEP)
    assert fields["next"] == target
    fields["code"] = totp.at(clock.now())
    passed = await client.post(SECOND_STEP, data=fields)
    assert passed.status_code == 303 and passed.headers["location"] == target
    assert SESSION_COOKIE in passed.cookies
    approved = await consent(client, params)
    code = query_of(approved.headers["location"])["code"]
    tokens = (await redeem(client, world.public.client_id, code, verifier)).json()
    got = await data(client, tokens["access_token"], "{ workspace { name } }")
    assert got["workspace"]["name"] == world.structure.name


async def test_a_half_signed_in_browser_gets_no_session_and_its_cookie_is_no_session(
    app: Starlette, world: World, client: httpx.AsyncClient
) -> None:
    clock = _clock(app)
    await sign_in(client, world.person.email)
    await _enrol(client, clock)
    answer = await _password_step(client, world.person.email)
    challenge = answer.cookies.get("facturehub_second_factor")
    assert challenge
    # The challenge's value presented as a session cookie opens nothing
    client.cookies.set(SESSION_COOKIE, challenge)
    assert not await _signed_in(client)
    assert (await client.get(ACCOUNT)).status_code == 303
    verifier, pkce_challenge = pkce()
    half = await client.get("/oauth/authorize", params=authorize_params(world.public.client_id, pkce_challenge))
    assert half.status_code == 303 and "code=" not in half.headers["location"]


async def test_wrong_codes_are_refused_counted_and_throttled(
    app: Starlette, world: World, client: httpx.AsyncClient
) -> None:
    clock = _clock(app)
    await sign_in(client, world.person.email)
    totp, _ = await _enrol(client, clock)
    clock.advance(STEP)
    await _password_step(client, world.person.email)
    right = totp.at(clock.now())
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for attempt in range(5):  # the default budget per account and window
        refused = await _second_step(client, wrong if attempt % 2 else "not a code")
        assert refused.status_code == 401, refused.text
        assert "Ce code n'est pas valable" in unescape(refused.text)
    # Then even the right code is turned away until the window passes, and no session is given
    blocked = await _second_step(client, right)
    assert blocked.status_code == 429 and "Trop d'essais" in unescape(blocked.text)
    assert SESSION_COOKIE not in client.cookies
    # A right password again does not reset the code budget
    await _password_step(client, world.person.email)
    assert (await _second_step(client, right)).status_code == 429
    clock.advance(timedelta(minutes=15))
    await _password_step(client, world.person.email)
    assert (await _second_step(client, totp.at(clock.now()))).status_code == 303


async def test_a_code_is_accepted_once_and_never_an_earlier_one(
    app: Starlette, world: World, client: httpx.AsyncClient
) -> None:
    clock = _clock(app)
    await sign_in(client, world.person.email)
    totp, _ = await _enrol(client, clock)
    # The code that confirmed the enrolment cannot sign in within its window
    await _password_step(client, world.person.email)
    assert (await _second_step(client, totp.at(clock.now()))).status_code == 401
    clock.advance(STEP)
    code = totp.at(clock.now())
    assert (await _second_step(client, code)).status_code == 303
    # Replayed in the same window, from another browser that knows the password
    await _password_step(client, world.person.email)
    assert (await _second_step(client, code)).status_code == 401
    # Nor the previous step's code, still inside the drift allowed
    clock.advance(STEP)
    await _password_step(client, world.person.email)
    assert (await _second_step(client, code)).status_code == 401
    assert (await _second_step(client, totp.at(clock.now()))).status_code == 303


async def test_a_recovery_code_signs_in_once(app: Starlette, world: World, client: httpx.AsyncClient) -> None:
    clock = _clock(app)
    await sign_in(client, world.person.email)
    _, codes = await _enrol(client, clock)
    await _password_step(client, world.person.email)
    # Typed loosely: lower case, spaces for dashes
    assert (await _second_step(client, codes[3].lower().replace("-", " "))).status_code == 303
    assert await _signed_in(client)
    assert "9" in (await client.get(ACCOUNT)).text
    await _password_step(client, world.person.email)
    assert (await _second_step(client, codes[3])).status_code == 401
    assert (await _second_step(client, codes[4])).status_code == 303


async def test_new_recovery_codes_replace_the_old_ones(app: Starlette, world: World, client: httpx.AsyncClient) -> None:
    clock = _clock(app)
    await sign_in(client, world.person.email)
    totp, old = await _enrol(client, clock)
    status = await client.get(ACCOUNT)
    fields = _form(status.text, ACCOUNT, "regenerate")
    fields["code"] = "000000" if totp.at(clock.now() + STEP) != "000000" else "111111"
    assert (await client.post(ACCOUNT, data=fields)).status_code == 401
    clock.advance(STEP)
    fields["code"] = totp.at(clock.now())
    fresh = _codes_of((await client.post(ACCOUNT, data=fields)).text)
    assert len(fresh) == 10 and not set(fresh) & set(old)
    await _password_step(client, world.person.email)
    assert (await _second_step(client, old[0])).status_code == 401
    assert (await _second_step(client, fresh[0])).status_code == 303


async def test_turning_it_off_asks_a_code_or_the_password(
    app: Starlette, world: World, client: httpx.AsyncClient
) -> None:
    clock = _clock(app)
    await sign_in(client, world.person.email)
    await _enrol(client, clock)
    status = await client.get(ACCOUNT)
    fields = _form(status.text, ACCOUNT, "disable")
    # Without the CSRF token, or with a wrong password, nothing changes
    refused = await client.post(ACCOUNT, data={**fields, "csrf_token": "x" * 40, "code": PASSWORD})
    assert refused.status_code == 400
    fields["code"] = "not the password"
    wrong = await client.post(ACCOUNT, data=fields)
    assert wrong.status_code == 401 and "Ni un code valable" in wrong.text
    fields["code"] = PASSWORD
    off = await client.post(ACCOUNT, data=fields)
    assert off.status_code == 200 and "désactivée" in off.text
    # The password alone signs in again
    client.cookies.clear()
    answer = await sign_in(client, world.person.email)
    assert answer.headers["location"] == "/login" and SESSION_COOKIE in answer.cookies


async def test_the_second_step_checks_the_form(app: Starlette, world: World, client: httpx.AsyncClient) -> None:
    clock = _clock(app)
    await sign_in(client, world.person.email)
    totp, _ = await _enrol(client, clock)
    clock.advance(STEP)
    await _password_step(client, world.person.email)
    page = await client.get(SECOND_STEP)
    fields = _form(page.text, SECOND_STEP)
    forged = await client.post(SECOND_STEP, data={**fields, "csrf_token": "y" * 40, "code": totp.at(clock.now())})
    assert forged.status_code == 400 and SESSION_COOKIE not in client.cookies
    not_a_form = await client.post(SECOND_STEP, content=b"{}", headers={"Content-Type": "application/json"})
    assert not_a_form.status_code == 400
    # An expired challenge sends back to the password
    clock.advance(timedelta(minutes=6))
    fields["code"] = totp.at(clock.now())
    expired = await client.post(SECOND_STEP, content=urlencode(fields), headers=FORM)
    assert expired.status_code == 303 and expired.headers["location"].startswith("/login")
    assert SESSION_COOKIE not in client.cookies


async def test_a_workspace_that_requires_it_sends_an_administrator_to_enrol_first(
    app: Starlette, db: Database, world: World, client: httpx.AsyncClient
) -> None:
    clock = _clock(app)
    admin_token = token_for(app, world.structure, world.person)
    turned = await data(
        client,
        admin_token,
        "mutation { setAdminTwoFactor(input: {required: true}) { workspace { requireAdminTwoFactor } userErrors { code } } }",
    )
    assert turned["setAdminTwoFactor"] == {"workspace": {"requireAdminTwoFactor": True}, "userErrors": []}
    employee = await make_person(db)
    await make_member(db, world.structure, employee, role=Role.UTILISATEUR)

    # The administrator, signed in with a password only, approves: no code, but the enrolment page
    verifier, challenge = pkce()
    params = authorize_params(world.public.client_id, challenge)
    await sign_in(client, world.person.email)
    sent = await consent(client, params)
    assert sent.status_code == 303, sent.text
    location = sent.headers["location"]
    assert location.startswith("/account/two-factor?") and "code=" not in location
    page = await client.get(location)
    assert "Une structure dont vous êtes administrateur exige" in page.text
    totp = pyotp.TOTP(_secret_of(page.text))
    fields = _form(page.text, ACCOUNT, "enable")
    fields["code"] = "123456" if totp.at(clock.now()) != "123456" else "654321"
    again = await client.post(ACCOUNT, data=fields)
    assert again.status_code == 401 and "Une structure dont vous êtes administrateur exige" in again.text
    fields["code"] = totp.at(clock.now())
    enrolled = await client.post(ACCOUNT, data=fields)
    onward = re.search(r'<a href="([^"]+)">Continuer</a>', enrolled.text)
    assert onward, enrolled.text
    # Enrolled, the same authorization request now gives a code
    approved = await consent(client, dict(query_of(unescape(onward.group(1)))))
    code = query_of(approved.headers["location"])["code"]
    assert (await redeem(client, world.public.client_id, code, verifier)).status_code == 200

    # A member who does not administer the workspace is not held back
    client.cookies.clear()
    verifier, challenge = pkce()
    await sign_in(client, employee.email)
    answer = await consent(client, authorize_params(world.public.client_id, challenge))
    assert "code" in query_of(answer.headers["location"]), answer.headers["location"]


async def test_the_account_page_needs_a_session_and_the_pages_speak_english_at_the_switch(
    app: Starlette, world: World, client: httpx.AsyncClient
) -> None:
    first = await client.get(ACCOUNT)
    assert first.status_code == 303 and first.headers["location"] == "/login?" + urlencode({"next": ACCOUNT})
    await sign_in(client, world.person.email, next_url=ACCOUNT)
    english = await client.get(ACCOUNT, params={"lang": "en"})
    assert "Turn on two-step verification" in english.text and 'lang="en"' in english.text
    assert 'href="/account/two-factor?lang=fr"' in english.text
