"""Issue 11's story, in one go, as the people would live it, against a real `facturehub serve` on SQLite and on
PostgreSQL (each a fresh, migrated database with the demo data): a supplier drops a file that breaks a rule,
reads which, fixes it and submits it; the town hall's clerk finds it, suspends it with a reason; the supplier
completes it with an attachment; the clerk takes it through every step to payment and exports the list; a
person in two structures switches between them; an administrator creates a service and an API client.

Every action goes through the hub's own sign-in pages and the screens; the API is only used to check. Markup in
the seller's name, a line, a reason and a file name never runs. Each step's screen is checked with axe and saved
as var/screenshots/story-NN-...-ENGINE.png; no console error anywhere.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import re
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import asyncpg
import httpx
import pytest
from playwright.sync_api import Browser, FilePayload, expect
from sqlalchemy.engine import make_url

from invoicing.validation.rule_words import french_texts
from tenancy.models import Structure
from tests.browser.conftest import Hub, Tab, chromium, hub_env, require_browser
from tests.browser.conftest import person as watched
from tests.browser.test_deposit import MULLER
from tests.browser.test_web import INBOX, sign_in
from tests.conftest import PG_URL, _asyncpg_dsn
from tests.invoicing import builder
from tests.invoicing.hostile import plain_pdf
from tests.invoicing.parties import invoice_between, ubl
from tests.live import free_port, serving

CANARY = "<img src=x onerror=window.__xss=1>"
HANS = "hans.mueller@mueller-buero.example"  # Müller Bürotechnik GmbH, a supplier
SOPHIE = "agent.compta@villeneuve.example"  # the town hall's accounts-payable clerk
PAUL = "paul.martin@villeneuve.example"  # the town hall's main manager, read-only at the water syndicate
MAIRIE = "Mairie de Villeneuve-Saint-Martin"
SYNDICAT = "Syndicat des eaux du Val-de-Saône"
MAIRIE_ID = "21750001600019"
# After the supplier's completion, the town hall's steps one by one: (the button, the status it leads to).
TO_PAYMENT = (
    ("Prendre en compte", "Prise en compte"),
    ("Constater le service fait", "Service fait"),
    ("Mandater", "Mandatée"),
    ("Mettre à disposition du comptable", "Mise à disposition comptable"),
    ("Comptabiliser", "Comptabilisée"),
    ("Mettre en paiement", "Mise en paiement"),
)
ATTACHMENT = plain_pdf("bon de livraison signé")


def documents(number: str) -> tuple[bytes, bytes]:
    """The supplier's invoice to the town hall, first with totals that do not add up (BT-112 is not BT-109 +
    BT-110: EN 16931 BR-CO-15), then fixed. Its seller's name and a line's text are markup."""
    seller = Structure(
        identifier_type=MULLER.identifier_type,
        identifier=MULLER.identifier,
        name=f"{MULLER.name} {CANARY}",
        is_public=False,
        vat_number=MULLER.vat_number,
    )
    recipient = Structure(identifier_type="SIRET", identifier=MAIRIE_ID, name=MAIRIE)
    lines = [builder.line(1, "10", "4.50"), builder.line(2, "2", "12.00", name=CANARY)]
    good = invoice_between(seller, recipient, number=number, lines=lines)
    assert good.totals.with_vat == Decimal("88.80")
    broken = dataclasses.replace(good, totals=dataclasses.replace(good.totals, with_vat=Decimal("98.80")))
    return ubl(broken), ubl(good)


def no_script_ran(tab: Tab) -> None:
    assert tab.page.evaluate("() => window.__xss") is None
    assert tab.page.locator("main img").count() == 0


async def _create_database(name: str) -> None:
    admin = await asyncpg.connect(_asyncpg_dsn(PG_URL))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


async def _drop_database(name: str) -> None:
    admin = await asyncpg.connect(_asyncpg_dsn(PG_URL))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@contextmanager
def database(engine: str, folder: Path) -> Iterator[str]:
    """A fresh database for one hub: an SQLite file, or a PostgreSQL database dropped afterwards."""
    if engine == "sqlite":
        yield f"sqlite+aiosqlite:///{folder / 'hub.db'}"
        return
    name = f"facturehub_story_{os.getpid()}_{secrets.token_hex(3)}"
    asyncio.run(_create_database(name))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_drop_database(name))


# `engine` is tests/conftest.py's: the PostgreSQL case is deselected (and said so) when PostgreSQL does not
# answer, and the whole run refused under CI=true.
@pytest.fixture(scope="module")
def story_hub(engine: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    require_browser()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with database(engine, tmp_path_factory.mktemp(f"story-{engine}")) as url:
        env = hub_env(url, base)
        hub = Hub(base, env)
        hub.cli("migrate")
        hub.cli("demo")
        with serving(env, tmp_path_factory.mktemp("log") / f"serve-{engine}.log", port):
            yield hub


@pytest.fixture(scope="module")
def story_browser(story_hub: Hub) -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@contextmanager
def person(browser: Browser, base: str) -> Iterator[Tab]:
    """One person's own browser profile: nothing on its console is an error, to the end."""
    with watched(browser, base) as tab:
        yield tab
        assert tab.errors == []


def test_the_story_of_one_invoice_from_deposit_to_payment(story_browser: Browser, story_hub: Hub, engine: str) -> None:
    base = story_hub.base
    number = f"STORY-{uuid.uuid4().hex[:8].upper()}"
    broken, fixed = documents(number)
    step = iter(range(1, 100))

    def shot(tab: Tab, what: str) -> None:
        no_script_ran(tab)
        tab.shot(f"story-{next(step):02d}-{what}-{engine}")
        assert tab.errors == [], tab.errors

    with person(story_browser, base) as supplier, person(story_browser, base) as clerk:
        # 1. The supplier signs in, drops its invoice on Déposer and reads the rule it breaks.
        s = supplier.page
        supplier.go("/")
        expect(s.get_by_role("heading", name="Connexion")).to_be_visible()
        shot(supplier, "sign-in")
        sign_in(supplier, HANS)
        s.wait_for_url(re.compile(r"/factures/emises$"))
        s.get_by_role("navigation").get_by_role("link", name="Déposer", exact=True).click()
        expect(s.get_by_role("heading", name="Déposer une facture")).to_be_visible()
        dropped = s.evaluate_handle(
            "([name, text]) => { const d = new DataTransfer();"
            " d.items.add(new File([text], name, {type: 'application/xml'})); return d; }",
            [f"{number}.xml", broken.decode()],
        )
        s.get_by_test_id("dropzone").dispatch_event("drop", {"dataTransfer": dropped})
        refused = s.get_by_role("alert").filter(has_text="Le dépôt serait refusé")
        expect(refused).to_contain_text("BR-CO-15")
        (french,) = (f.split("]-", 1)[1] for f in french_texts()["BR-CO-15"].values())
        expect(refused).to_contain_text(french)  # the rule in the clerk's language
        expect(refused).to_contain_text("BT-112 · Montant total de la facture TTC")
        expect(s.get_by_role("button", name="Déposer la facture")).to_be_disabled()
        shot(supplier, "deposit-refused")

        # Fixed, and sent to the town hall, which requires a service: the picker says so, the supplier picks one.
        s.get_by_label("Choisir un fichier (XML ou PDF)").set_input_files(
            files=FilePayload(name=f"{number}.xml", mimeType="application/xml", buffer=fixed)
        )
        expect(s.get_by_role("alert").filter(has_text="Le dépôt serait refusé")).to_contain_text("FH-SERVICE-REQUIRED")
        s.get_by_role("searchbox", name="Rechercher le destinataire").fill("villeneuve")
        s.get_by_role("button", name=f"Choisir {MAIRIE}").click()
        expect(s.get_by_test_id("requirements")).to_contain_text("un code service")
        s.get_by_label("Service").select_option("FINANCES")
        expect(s.get_by_test_id("preview")).to_contain_text(f"Ce document peut être déposé : facture {number}")
        expect(s.get_by_role("alert").filter(has_text="Le dépôt serait refusé")).to_have_count(0)
        shot(supplier, "deposit-ready")
        s.get_by_role("button", name="Déposer la facture").click()
        expect(s.get_by_role("status").filter(has_text=f"Facture {number} déposée")).to_be_visible()
        s.get_by_role("link", name=f"Voir la facture {number}").click()
        expect(s.get_by_role("heading", name=f"Facture {number}")).to_be_visible()
        expect(s.get_by_role("region", name="Fournisseur")).to_contain_text(f"Müller Bürotechnik GmbH {CANARY}")
        expect(s.get_by_role("region", name="Lignes")).to_contain_text(CANARY)
        shot(supplier, "supplier-detail")

        # 2. The town hall's clerk finds it in Factures reçues, opens it, suspends it with a reason.
        c = clerk.page
        clerk.go("/")
        sign_in(clerk, SOPHIE)
        c.wait_for_url(INBOX)
        c.get_by_role("searchbox", name="Rechercher").fill(number)
        row = c.locator("table.invoices tbody tr")
        expect(row).to_have_count(1)
        expect(row).to_contain_text(number)
        expect(row).to_contain_text("Mise à disposition")
        shot(clerk, "inbox-found")
        row.get_by_role("link", name=number).click()
        expect(c.get_by_role("heading", name=f"Facture {number}")).to_be_visible()
        expect(c.get_by_role("region", name="Fournisseur")).to_contain_text(CANARY)
        expect(c.get_by_role("region", name="Totaux")).to_contain_text("88,80\u00a0€")
        c.get_by_role("button", name="Suspendre").click()
        dialog = c.get_by_role("dialog", name=f"Passer la facture {number} à « Suspendue »")
        dialog.get_by_label("Motif").fill("Bon de livraison manquant " + CANARY)
        shot(clerk, "reason-dialog")
        dialog.get_by_role("button", name="Confirmer").click()
        expect(c.get_by_test_id("invoice-status")).to_have_text("Suspendue")
        expect(c.get_by_role("region", name="Historique")).to_contain_text("Bon de livraison manquant " + CANARY)
        expect(c.get_by_role("region", name="Historique")).to_contain_text("Sophie Bernard")
        shot(clerk, "suspended")

        # 3. The supplier sees it among its invoices to complete and sends the missing document.
        s.get_by_role("navigation").get_by_role("link", name="Factures émises").click()
        s.get_by_role("searchbox", name="Rechercher").fill(number)
        issued = s.locator("table.invoices tbody tr")
        expect(issued).to_have_count(1)
        expect(issued).to_contain_text("Suspendue")
        issued.get_by_role("link", name=number).click()
        expect(s.get_by_role("region", name="Historique")).to_contain_text("Bon de livraison manquant " + CANARY)
        form = s.get_by_role("region", name="Compléter la facture")
        form.get_by_label("Commentaire").fill("Voici le bon de livraison")
        form.get_by_label("Pièces à joindre").set_input_files(
            files=FilePayload(name=CANARY + ".pdf", mimeType="application/pdf", buffer=ATTACHMENT)
        )
        form.get_by_role("button", name="Envoyer le complément").click()
        expect(s.get_by_test_id("invoice-status")).to_have_text("Complétée")
        expect(s.get_by_role("region", name="Documents")).to_contain_text(CANARY + ".pdf")
        shot(supplier, "completed")

        # 4. The clerk reloads, reads the attachment, and takes the invoice step by step to payment.
        c.reload()
        expect(c.get_by_test_id("invoice-status")).to_have_text("Complétée")
        with c.expect_download() as attachment:
            c.get_by_role("region", name="Documents").get_by_role("link", name=CANARY + ".pdf").click()
        assert Path(attachment.value.path()).read_bytes() == ATTACHMENT
        for button, status in TO_PAYMENT:
            c.get_by_role("button", name=button, exact=True).click()
            c.get_by_role("dialog", name=f"Passer la facture {number} à « {status} »").get_by_role(
                "button", name="Confirmer"
            ).click()
            expect(c.get_by_test_id("invoice-status")).to_have_text(status)
        expect(c.get_by_text("Aucune décision n'est possible à cette étape.")).to_be_visible()
        history = c.get_by_role("region", name="Historique")
        for _, status in TO_PAYMENT:
            expect(history).to_contain_text(status)
        shot(clerk, "paid")

        # 5. The whole inbox to a French spreadsheet: the invoice is in it, with its amount.
        c.get_by_role("navigation").get_by_role("link", name="Factures reçues").click()
        c.wait_for_url(INBOX)
        expect(c.locator("table.invoices tbody tr", has_text=number)).to_contain_text("Mise en paiement")
        with c.expect_download() as exported:
            c.get_by_role("button", name="Exporter (CSV)").click()
        assert exported.value.suggested_filename == "factures-recues.csv"
        raw = Path(exported.value.path()).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        lines = raw.decode("utf-8-sig").split("\r\n")
        header = lines[0].split(";")
        assert header[0] == "Numéro" and "Montant TTC" in header, header
        ours = [line.split(";") for line in lines[1:] if line.startswith(number + ";")]
        assert len(ours) == 1, lines
        assert ours[0][header.index("Montant TTC")] == "88,80"
        assert "Mise en paiement" in ours[0]
        shot(clerk, "inbox-exported")

    # The hub agrees, through the API.
    token = story_hub.cli("token", "--email", SOPHIE, "--workspace", MAIRIE_ID)
    found = story_hub.graphql(
        token,
        "query ($n: String!) { workspace { receivedInvoices(first: 2, filter: {number: $n}) { nodes { status } } } }",
        {"n": number},
    )
    assert found == {"workspace": {"receivedInvoices": {"nodes": [{"status": "MISE_EN_PAIEMENT"}]}}}

    with person(story_browser, base) as manager:
        # 6. A person in two structures: asked once which one, then switching without being asked again.
        m = manager.page
        manager.go("/")
        sign_in(manager, PAUL)
        expect(m.get_by_role("group", name="Structure")).to_be_visible()
        shot(manager, "choose-workspace")
        m.get_by_role("radio", name=re.compile(MAIRIE)).check()
        m.get_by_role("button", name="Continuer").click()
        m.wait_for_url(INBOX)
        expect(m.get_by_test_id("current-workspace")).to_have_text(MAIRIE)
        expect(m.get_by_test_id("current-role")).to_have_text("Gestionnaire principal")
        m.get_by_role("searchbox", name="Rechercher").fill(number)
        expect(m.locator("table.invoices tbody tr", has_text=number)).to_have_count(1)
        m.get_by_label("Changer de structure").select_option(label=SYNDICAT)
        expect(m.get_by_test_id("current-workspace")).to_have_text(SYNDICAT)
        expect(m.get_by_test_id("current-role")).to_have_text("Utilisateur · lecture seule")
        m.get_by_role("searchbox", name="Rechercher").fill(number)
        expect(m.get_by_text("Aucune facture ne correspond à ces critères.")).to_be_visible()  # not its invoice
        shot(manager, "switched-workspace")
        m.get_by_label("Changer de structure").select_option(label=MAIRIE)
        expect(m.get_by_test_id("current-workspace")).to_have_text(MAIRIE)

        # 7. As the town hall's administrator: a new service, then an API client whose secret is shown once.
        m.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Administration").click()
        m.wait_for_url(re.compile(r"/administration/structure$"))
        m.get_by_role("link", name="Services").click()
        m.get_by_role("button", name="Nouveau service").click()
        dialog = m.get_by_role("dialog", name="Nouveau service")
        dialog.get_by_label("Code").fill("CULTURE")
        dialog.get_by_label("Nom").fill("Affaires culturelles")
        dialog.get_by_role("button", name="Enregistrer").click()
        expect(m.get_by_role("status")).to_have_text("Service CULTURE créé.")
        expect(m.locator("table.admin-table tbody tr", has_text="CULTURE")).to_contain_text("Affaires culturelles")
        shot(manager, "service-created")

        m.get_by_role("link", name="Clients d'API").click()
        m.get_by_role("button", name="Enregistrer un client").click()
        dialog = m.get_by_role("dialog", name="Enregistrer un client d'API")
        dialog.get_by_label("Nom de l'application").fill("Logiciel comptable")
        dialog.get_by_role("button", name="Enregistrer un client").click()
        shown = m.get_by_role("dialog", name="Secret de Logiciel comptable")
        expect(shown).to_contain_text("n'est affiché qu'une seule fois")
        secret = shown.get_by_test_id("client-secret").input_value()
        assert len(secret) >= 32
        shot(manager, "client-secret")
        shown.get_by_role("button", name="J'ai copié le secret").click()
        client = m.locator("table.admin-table tbody tr", has_text="Logiciel comptable")
        expect(client).to_contain_text("client_credentials")
        client_id = client.get_by_test_id("client-id").inner_text()
        shot(manager, "api-clients")

    # The new service is in the directory, and the client gets a token with its secret.
    directory = story_hub.graphql(
        story_hub.cli("token", "--email", HANS, "--workspace", MULLER.identifier),
        'query { directory { structure(identifier: "21750001600019") { services(first: 50) { nodes { code } } } } }',
    )
    assert {"code": "CULTURE"} in directory["directory"]["structure"]["services"]["nodes"]  # type: ignore[index]
    granted = httpx.post(
        base + "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "invoices:read"},
        auth=(client_id, secret),
        timeout=30,
    )
    assert granted.status_code == 200, granted.text
