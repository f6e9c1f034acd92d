"""Getting back in at the browser, on a hub of its own whose worker writes the mail as .eml files: a person
who forgot their password asks from the sign-in page, follows the link of the mail file, chooses a new
password, signs in with it, and reaches their account page from the app's header. Screens saved as
var/screenshots/account-NN-*.png, checked with axe."""

from __future__ import annotations

import email
import email.policy
import re
import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import Hub, chromium, hub_env, person, require_browser
from tests.live import free_port, serving

HANS = "hans.mueller@mueller-buero.example"  # a supplier's user, one workspace
NEW_PASSWORD = "a brand new passphrase 42"
ISSUED = re.compile(r"/factures/emises")


@pytest.fixture(scope="module")
def mail_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mail")


@pytest.fixture(scope="module")
def own_hub(tmp_path_factory: pytest.TempPathFactory, mail_dir: Path) -> Iterator[Hub]:
    require_browser()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = hub_env(f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('account') / 'hub.db'}", base)
    # The worker runs in `serve`, as with `make run`, and writes the mail where the test reads it.
    env.update(FACTUREHUB_RUN_WORKER="true", FACTUREHUB_WORKER_POLL_INTERVAL="0.2", FACTUREHUB_MAIL_DIR=str(mail_dir))
    hub = Hub(base, env)
    hub.cli("demo")
    with serving(env, tmp_path_factory.mktemp("log") / "serve-account.log", port):
        yield hub


@pytest.fixture(scope="module")
def own_browser(own_hub: Hub) -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def _mail(directory: Path, template: str, timeout: float = 30) -> EmailMessage:
    """The first mail of this kind the worker wrote (it polls the queue: wait for it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(directory.glob(f"*-{template}-*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            return message
        time.sleep(0.2)
    raise AssertionError(f"no {template} mail in {directory}: {sorted(p.name for p in directory.iterdir())}")


def _first_link(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    found = re.search(r"https?://\S+", str(body.get_content()))
    assert found, body
    return found.group(0)


def test_forgotten_password_reset_from_the_mail_file_then_the_account_page(
    own_browser: Browser, own_hub: Hub, mail_dir: Path
) -> None:
    with person(own_browser, own_hub.base) as tab:
        page = tab.page
        tab.go("/login")
        tab.shot("account-01-sign-in")
        page.get_by_role("link", name="Mot de passe oublié ?").click()
        expect(page.get_by_role("heading", name="Mot de passe oublié")).to_be_visible()
        page.get_by_label("Adresse e-mail").fill(HANS)
        tab.shot("account-02-forgot")
        page.get_by_role("button", name="Envoyer le lien").click()
        expect(page.get_by_role("status")).to_contain_text(f"Si un compte facturehub utilise l'adresse {HANS}")
        tab.shot("account-03-sent")

        # The mail, as `make run` leaves it: a file under the mail directory, its link to the hub
        message = _mail(mail_dir, "password_reset")
        assert message["To"] == HANS and message["Subject"] == "Réinitialisation de votre mot de passe"
        link = _first_link(message)
        assert link.startswith(own_hub.base + "/password/reset/")
        page.goto(link)
        expect(page.get_by_role("heading", name="Choisir un nouveau mot de passe")).to_be_visible()
        page.get_by_label("Nouveau mot de passe", exact=True).fill("too short")
        page.get_by_label("Nouveau mot de passe, à nouveau").fill("too short")
        # The browser holds the form back (minlength) before the hub has to say it
        page.get_by_role("button", name="Enregistrer le mot de passe").click()
        expect(page.get_by_role("heading", name="Choisir un nouveau mot de passe")).to_be_visible()
        page.get_by_label("Nouveau mot de passe", exact=True).fill(NEW_PASSWORD)
        page.get_by_label("Nouveau mot de passe, à nouveau").fill(NEW_PASSWORD)
        tab.shot("account-04-reset")
        page.get_by_role("button", name="Enregistrer le mot de passe").click()
        expect(page.get_by_role("status")).to_contain_text("Votre mot de passe a été changé")
        tab.shot("account-05-done")

        # The same link again: refused, with the way to ask for a new one
        page.goto(link)
        expect(page.get_by_role("alert")).to_contain_text("Ce lien a déjà servi")
        tab.shot("account-06-link-used")
        expect(page.get_by_role("link", name="Demander un nouveau lien")).to_have_attribute("href", "/password/forgot")

        # The new password signs in; the app's header leads to the account page
        tab.go("/")
        page.wait_for_url(re.compile(r"/login\?"))
        page.get_by_label("Adresse e-mail").fill(HANS)
        page.get_by_label("Mot de passe").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(ISSUED)
        page.get_by_role("link", name="Mon compte").click()
        page.wait_for_url(re.compile(r"/account$"))
        expect(page.get_by_role("heading", name="Mon compte", level=1)).to_be_visible()
        sessions = page.locator("#sessions")
        expect(sessions).to_contain_text("ce navigateur")
        expect(page.get_by_role("heading", name="Validation en deux étapes")).to_be_visible()
        expect(page.get_by_role("link", name="Activer la validation en deux étapes")).to_be_visible()
        # The hub's own web app, just used to get here, is not an app the person authorized
        expect(page.locator("#apps")).to_have_text("Vous n'avez autorisé aucune application.")
        tab.shot("account-07-account")

        # A change of name and language is saved, and the page speaks the language chosen
        page.get_by_label("Nom").fill("Hans Müller-Schmidt")
        page.get_by_label("Langue").select_option("en")
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_role("status")).to_have_text("Profile saved.")
        expect(page.get_by_label("Name")).to_have_value("Hans Müller-Schmidt")
        tab.shot("account-08-saved-en")

        # The mail that told the account its password changed is there too
        told = _mail(mail_dir, "password_changed")
        assert told["To"] == HANS and _first_link(told) == own_hub.base + "/password/forgot"
        # The one error the console saw is the used link's 410, said on purpose
        assert [e for e in tab.errors if "status of 410" not in e] == [], tab.errors
