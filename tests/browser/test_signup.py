"""A newcomer at the browser, on a hub of its own whose worker writes mail as .eml files (the `make run`
default): from http://127.0.0.1:PORT/ to the sign-up form, the mail's link, a new supplier structure, then the
app, where they type in an invoice and deposit it. Screens saved as var/screenshots/signup-NN-*.png, with axe."""

from __future__ import annotations

import email
import email.policy
import re
import time
import uuid
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import Hub, chromium, hub_env, person, require_browser
from tests.factories import make_siret
from tests.live import free_port, serving

PASSWORD = "mon mot de passe de fournisseur"
EAUX = "Syndicat des eaux du Val-de-Saône"  # a demo public structure that asks for no service nor engagement


@pytest.fixture(scope="module")
def mail_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mail")


@pytest.fixture(scope="module")
def own_hub(tmp_path_factory: pytest.TempPathFactory, mail_dir: Path) -> Iterator[Hub]:
    require_browser()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = hub_env(f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('signup') / 'hub.db'}", base)
    env.update(
        FACTUREHUB_RUN_WORKER="true", FACTUREHUB_WORKER_POLL_INTERVAL="0.3", FACTUREHUB_MAIL_DIR=str(mail_dir)
    )  # no SMTP server: each mail is an .eml file, as `make run` writes them under var/mail
    hub = Hub(base, env)
    hub.cli("demo")
    with serving(env, tmp_path_factory.mktemp("log") / "serve-signup.log", port):
        yield hub


@pytest.fixture(scope="module")
def own_browser(own_hub: Hub) -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def mail_to(directory: Path, address: str, timeout: float = 30) -> EmailMessage:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(directory.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            if message["To"] == address:
                return message
        time.sleep(0.3)
    raise AssertionError(f"no mail to {address} in {directory}")


def link_in(message: EmailMessage, base: str) -> str:
    text = message.get_body(("plain",))
    assert text is not None
    found = re.search(re.escape(base) + r"/signup/verify\?token=[A-Za-z0-9_\-]+", str(text.get_content()))
    assert found, text.get_content()
    return found.group(0)


def test_a_newcomer_signs_up_creates_a_supplier_workspace_and_deposits_an_invoice(
    own_browser: Browser, own_hub: Hub, mail_dir: Path
) -> None:
    address = f"lea.{uuid.uuid4().hex[:8]}@menuiserie.example"
    with person(own_browser, own_hub.base) as tab:
        page = tab.page
        tab.go("/")
        page.wait_for_url(re.compile(r"/login\?"))
        expect(page.get_by_role("link", name="Mot de passe oublié ?")).to_have_attribute("href", "/password/forgot")
        tab.shot("signup-01-sign-in-page")
        page.get_by_role("link", name="Créer un compte").click()
        expect(page.get_by_role("heading", name="Créer un compte")).to_be_visible()
        page.get_by_label("Nom et prénom").fill("Léa Menuisier")
        page.get_by_label("Adresse e-mail").fill(address)
        page.get_by_label("Mot de passe (12 caractères au moins)").fill("trop court")
        tab.shot("signup-02-form")
        page.get_by_label("Mot de passe (12 caractères au moins)").fill(PASSWORD)
        page.get_by_role("button", name="Créer mon compte").click()
        expect(page.get_by_role("heading", name="Consultez votre messagerie")).to_be_visible()
        expect(page.get_by_role("status")).to_contain_text(address)
        tab.shot("signup-03-check-your-mail")

        # The mail the worker wrote, as `make run` writes it under var/mail
        mail = mail_to(mail_dir, address)
        assert mail["Subject"] == "Confirmez votre adresse e-mail"
        page.goto(link_in(mail, own_hub.base))
        expect(page.get_by_role("heading", name="Confirmer votre adresse")).to_be_visible()
        tab.shot("signup-04-verify")
        page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Confirmer", exact=True).click()

        expect(page.get_by_role("heading", name="Créer votre structure")).to_be_visible()
        page.get_by_label("Type d'identifiant").select_option("SIRET")
        siret = make_siret(int(time.time()) % 100_000)
        wrong = siret[:-1] + str((int(siret[-1]) + 1) % 10)
        page.get_by_label("Identifiant", exact=True).fill(wrong)
        page.get_by_label("Raison sociale").fill("Menuiserie Léa <b>SARL</b>")
        page.get_by_label("Adresse (numéro et voie)").fill("12 quai des Planches")
        page.get_by_label("Code postal").fill("71000")
        page.get_by_label("Ville").fill("Mâcon")
        page.get_by_role("button", name="Créer la structure").click()
        expect(page.get_by_role("alert")).to_contain_text("La clé de contrôle (Luhn) du SIRET ne correspond pas")
        expect(page.get_by_label("Identifiant", exact=True)).to_have_attribute("aria-invalid", "true")
        tab.shot("signup-05-structure-wrong-siret")
        page.get_by_label("Identifiant", exact=True).fill(siret)
        page.get_by_role("button", name="Créer la structure").click()
        expect(page.get_by_role("heading", name="Structure créée")).to_be_visible()
        expect(page.get_by_role("status")).to_contain_text("Menuiserie Léa <b>SARL</b>")  # text, not markup
        tab.shot("signup-06-structure-created")

        # Into the app: one workspace, the new one, with no question asked
        page.get_by_role("link", name="Continuer vers facturehub").click()
        page.wait_for_url(re.compile(r"/factures/emises$"))
        expect(page.get_by_text("Menuiserie Léa <b>SARL</b>").first).to_be_visible()
        expect(page.get_by_role("status").filter(has_text="Aucune facture à afficher.")).to_be_visible()
        tab.shot("signup-07-new-workspace")
        page.get_by_role("navigation").get_by_role("link", name="Déposer", exact=True).click()
        page.get_by_role("link", name="Pas de fichier ? Saisir une facture").click()
        number = f"LEA-{uuid.uuid4().hex[:6].upper()}"
        page.get_by_label("Numéro de facture").fill(number)
        page.get_by_role("searchbox", name="Rechercher le destinataire").fill("eaux")
        page.get_by_role("button", name=f"Choisir {EAUX}").click()
        page.get_by_label("Désignation, Ligne 1").fill("Porte en chêne")
        page.get_by_label("Quantité, Ligne 1").fill("1")
        page.get_by_label("Prix unitaire HT, Ligne 1").fill("1250")
        tab.shot("signup-08-typed-in")
        page.get_by_role("button", name="Déposer la facture").click()
        expect(page.get_by_role("status").filter(has_text=f"Facture {number} déposée")).to_be_visible()
        tab.shot("signup-09-deposited")
        # The same pages in English, at the switch
        tab.go("/signup")
        page.get_by_role("link", name="English").click()
        expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
        expect(page.get_by_label("Password (at least 12 characters)")).to_be_visible()
        tab.shot("signup-10-english")
        assert [e for e in tab.errors if "status of 4" not in e] == []
