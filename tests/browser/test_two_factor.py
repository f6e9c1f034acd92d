"""Two-factor sign-in at the browser, on a hub of its own (the shared one's demo accounts stay password-only):
an administrator requires it of the hospital's administrators, is sent to enrol before the app gets its next
token, scans nothing but reads the key the page shows (pyotp plays the phone), keeps the recovery codes,
then signs out and in again with a code. Screens saved as var/screenshots/2fa-NN-*.png, checked with axe."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pyotp
import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import Hub, chromium, hub_env, person, require_browser
from tests.browser.test_admin import INBOX, sign_in
from tests.live import free_port, serving

CLAIRE = "claire.petit@ch-valbonne.example"  # the hospital's main manager, one workspace
ADMIN = re.compile(r"/administration/securite$")


@pytest.fixture(scope="module")
def own_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    require_browser()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = hub_env(f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('2fa') / 'hub.db'}", base)
    hub = Hub(base, env)
    hub.cli("demo")
    with serving(env, tmp_path_factory.mktemp("log") / "serve-2fa.log", port):
        yield hub


@pytest.fixture(scope="module")
def own_browser(own_hub: Hub) -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def _next_step(after: int) -> None:
    """Wait for the authenticator's next 30-second step: a code is accepted once."""
    while int(time.time() // 30) <= after:
        time.sleep(0.5)


def test_required_enrolment_then_sign_in_with_a_code(own_browser: Browser, own_hub: Hub) -> None:
    with person(own_browser, own_hub.base) as tab:
        page = tab.page
        tab.go("/")
        sign_in(tab, CLAIRE)
        page.wait_for_url(INBOX)
        nav = page.get_by_role("navigation", name="Navigation principale")
        nav.get_by_role("link", name="Administration").click()
        page.get_by_role("navigation", name="Rubriques de l'administration").get_by_role(
            "link", name="Sécurité"
        ).click()
        switch = page.get_by_role("switch", name="Exiger la validation en deux étapes des administrateurs")
        expect(switch).not_to_be_checked()
        tab.shot("2fa-01-admin-not-required")
        switch.click()
        expect(switch).to_be_checked()
        expect(page.get_by_role("status").filter(has_text="désormais exigée")).to_be_visible()
        tab.shot("2fa-02-admin-required")

        # The next token the app asks for: the hub sends her to enrol first
        page.reload()
        page.wait_for_url(re.compile(r"/account/two-factor\?"))
        expect(page.get_by_role("heading", name="Activer la validation en deux étapes")).to_be_visible()
        expect(page.get_by_text("Une structure dont vous êtes administrateur exige")).to_be_visible()
        expect(page.get_by_role("img", name="QR code à scanner avec l'application d'authentification")).to_be_visible()
        tab.shot("2fa-03-enrol")
        phone = pyotp.TOTP(page.locator("#totp-secret").inner_text().replace(" ", ""))
        wrong = "000000" if phone.now() != "000000" else "111111"
        page.get_by_label("Code à 6 chiffres affiché par l'application").fill(wrong)
        page.get_by_role("button", name="Activer").click()
        expect(page.get_by_role("alert")).to_contain_text("Ce code n'est pas valable")
        tab.shot("2fa-04-enrol-wrong-code")
        # The refusal is a 401 page, which Chromium reports on the console; nothing else was
        assert [e for e in tab.errors if "401" not in e] == [] and len(tab.errors) == 1, tab.errors
        tab.errors.clear()
        enrolled_at = int(time.time() // 30)
        page.get_by_label("Code à 6 chiffres affiché par l'application").fill(phone.now())
        page.get_by_role("button", name="Activer").click()
        expect(page.get_by_role("heading", name="Vos codes de secours")).to_be_visible()
        codes = page.locator("#recovery-codes li").all_inner_texts()
        assert len(set(codes)) == 10 and all(re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", c) for c in codes)
        tab.shot("2fa-05-recovery-codes")
        page.get_by_role("link", name="Continuer").click()
        page.wait_for_url(ADMIN)  # back where she was: the app got its token
        expect(switch).to_be_checked()

        # Signing in again: the password, then the code
        page.get_by_role("button", name="Se déconnecter").click()
        page.wait_for_url(re.compile(r"/login\?next="))
        sign_in(tab, CLAIRE)
        page.wait_for_url(re.compile(r"/login/second-factor"))
        expect(page.get_by_role("heading", name="Validation en deux étapes")).to_be_visible()
        field = page.get_by_label("Code")
        expect(field).to_have_attribute("autocomplete", "one-time-code")
        tab.shot("2fa-06-second-step")
        page.get_by_role("link", name="English").click()
        expect(page.get_by_role("heading", name="Two-step verification")).to_be_visible()
        tab.shot("2fa-07-second-step-english")
        page.get_by_role("link", name="Français").click()
        _next_step(enrolled_at)  # the enrolment's code is spent
        page.get_by_label("Code").fill(phone.now())
        page.get_by_role("button", name="Vérifier").click()
        page.wait_for_url(re.compile(r"/(factures/recues|administration/securite)$"))
        expect(page.get_by_test_id("current-workspace")).to_have_text("Centre hospitalier de Valbonne")
        tab.shot("2fa-08-signed-in-with-code")
        assert tab.errors == []
