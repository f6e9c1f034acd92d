"""A person at the browser: sign in through the hub's pages, read the inboxes, reload, switch workspace,
change language, sign out. Each screen is saved under var/screenshots/."""

from __future__ import annotations

import re

from playwright.sync_api import Response, expect

from api.demo import DEMO_PASSWORD
from tests.browser.conftest import Hub, Tab

MAIRIE = "Mairie de Villeneuve-Saint-Martin"
SYNDICAT = "Syndicat des eaux du Val-de-Saône"
INBOX = re.compile(r"/factures/recues$")
# A French amount: digits grouped by narrow no-break spaces, a decimal comma, the euro sign after.
FRENCH_AMOUNT = re.compile(r"^-?\d{1,3}(\u202f\d{3})*,\d{2}\u00a0€$")


def sign_in(tab: Tab, email: str) -> None:
    tab.page.wait_for_url(re.compile(r"/login\?"))
    tab.page.get_by_label("Adresse e-mail").fill(email)
    tab.page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    tab.page.get_by_role("button", name="Se connecter").click()


def count(tab: Tab) -> int:
    text = tab.page.get_by_test_id("invoice-count").inner_text()
    return int(re.sub(r"\D", "", text))


def rows(tab: Tab) -> list[str]:
    tab.page.locator("table.invoices tbody tr").first.wait_for()
    return tab.page.locator("table.invoices tbody tr").all_inner_texts()


def test_sign_in_inbox_reload_paging_language_and_sign_out(tab: Tab) -> None:
    page = tab.page
    tab.go("/")
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    tab.shot("01-sign-in")
    page.get_by_role("link", name="English").click()  # the hub's page in English, on the same request
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
    tab.shot("01-sign-in-english")
    page.get_by_role("link", name="Français").click()
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    sign_in(tab, "agent.compta@villeneuve.example")  # one workspace: no question asked
    page.wait_for_url(INBOX)
    expect(page.get_by_role("heading", name="Factures reçues")).to_be_visible()
    expect(page.get_by_test_id("current-workspace")).to_have_text(MAIRIE)
    expect(page.get_by_test_id("current-role")).to_have_text("Utilisateur")
    total = count(tab)
    assert 10 < total <= 20  # the demo's inbox of this town hall, seen by its clerk
    assert len(rows(tab)) == total
    amounts = page.locator("table.invoices tbody td.num").all_inner_texts()
    assert all(FRENCH_AMOUNT.match(a) for a in amounts), amounts
    tab.shot("02-received-invoices")

    # A reload comes back to the same screen without the sign-in page: the hub's session answers.
    seen: list[str] = []
    page.on("response", lambda r: seen.append(r.url))
    page.reload()
    page.wait_for_url(INBOX)
    assert len(rows(tab)) == total
    assert not [u for u in seen if "/login" in u], seen
    assert any("/oauth/authorize" in u for u in seen)  # a new authorization, answered at once

    # Ten a page: two pages on the keyset cursors, none of the first page's rows on the second.
    page.get_by_label("Lignes par page").select_option("10")
    page.wait_for_function("() => document.querySelectorAll('table.invoices tbody tr').length === 10")
    first_page = rows(tab)
    page.get_by_role("button", name="Page suivante").click()
    expect(page.get_by_text("Page 2", exact=True)).to_be_visible()
    page.wait_for_function(f"() => document.querySelectorAll('table.invoices tbody tr').length === {total - 10}")
    second_page = rows(tab)
    assert not set(second_page) & set(first_page)
    expect(page.get_by_role("button", name="Page suivante")).to_be_disabled()
    tab.shot("03-received-page-2")

    # The status filter: only that status, every page of it.
    status = page.locator("table.invoices tbody tr").first.locator(".status").inner_text()
    page.get_by_label("Statut").select_option(label=status)
    expect(page.get_by_text("Page 2", exact=True)).to_have_count(0)  # a new filter starts at page 1
    page.wait_for_function(
        "s => [...document.querySelectorAll('table.invoices tbody .status')].every(e => e.textContent === s)",
        arg=status,
    )
    tab.shot("04-received-filtered")
    page.get_by_label("Statut").select_option(value="")

    # Words of the number or of the supplier's name.
    page.get_by_role("searchbox", name="Rechercher").fill("helvetia")
    page.wait_for_function(
        "() => { const r = [...document.querySelectorAll('table.invoices tbody tr')];"
        " return r.length > 0 && r.every(e => e.textContent.includes('Helvetia')); }"
    )
    page.get_by_role("searchbox", name="Rechercher").fill("no such supplier")
    expect(page.get_by_text("Aucune facture ne correspond à ces critères.")).to_be_visible()
    page.get_by_role("searchbox", name="Rechercher").fill("")

    # English at the switch, remembered across a reload.
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Received invoices")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Received invoices")).to_be_visible()
    expect(page.get_by_test_id("current-role")).to_have_text("User")
    amounts = page.locator("table.invoices tbody td.num").all_inner_texts()
    assert all(re.match(r"^-?€[\d,]+\.\d{2}$", a) for a in amounts), amounts
    tab.shot("05-received-english")
    page.get_by_role("button", name="Français").click()
    expect(page.get_by_role("heading", name="Factures reçues")).to_be_visible()

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(re.compile(r"/login\?next="))
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    tab.shot("06-signed-out")
    tab.go("/factures/recues")  # the session is over: the app must ask again
    page.wait_for_url(re.compile(r"/login\?"))
    sign_in(tab, "agent.compta@villeneuve.example")  # and signing in again leads back into the app
    page.wait_for_url(re.compile(r"/factures/recues$"))
    assert tab.errors == []


def test_a_person_in_two_structures_switches_without_consent_again(tab: Tab) -> None:
    page = tab.page
    authorize_pages: list[Response] = []
    page.on(
        "response",
        lambda r: authorize_pages.append(r) if "/oauth/authorize" in r.url and r.status == 200 else None,
    )
    tab.go("/")
    sign_in(tab, "paul.martin@villeneuve.example")
    # Two structures and none chosen yet in this browser: the hub asks which one, once.
    expect(page.get_by_role("group", name="Structure")).to_be_visible()
    tab.shot("07-choose-workspace")
    page.get_by_role("radio", name=re.compile(MAIRIE)).check()
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url(INBOX)
    expect(page.get_by_test_id("current-workspace")).to_have_text(MAIRIE)
    expect(page.get_by_test_id("current-role")).to_have_text("Gestionnaire principal")
    asked = len(authorize_pages)
    assert asked == 1

    page.get_by_label("Changer de structure").select_option(label=SYNDICAT)
    expect(page.get_by_test_id("current-workspace")).to_have_text(SYNDICAT)
    expect(page.get_by_test_id("current-role")).to_have_text("Utilisateur · lecture seule")
    assert len(rows(tab)) == min(count(tab), 20)
    tab.shot("08-switched-workspace")
    # Back to the first one: consented already, so no page either way; a reload keeps the last choice.
    page.get_by_label("Changer de structure").select_option(label=MAIRIE)
    expect(page.get_by_test_id("current-workspace")).to_have_text(MAIRIE)
    page.reload()
    expect(page.get_by_test_id("current-workspace")).to_have_text(MAIRIE)
    assert len(authorize_pages) == asked
    assert tab.errors == []


def test_a_supplier_lands_on_its_issued_invoices(tab: Tab) -> None:
    page = tab.page
    tab.go("/")
    sign_in(tab, "hans.mueller@mueller-buero.example")
    page.wait_for_url(re.compile(r"/factures/emises$"))
    expect(page.get_by_role("heading", name="Factures émises")).to_be_visible()
    issued = rows(tab)
    assert issued and all("\n" in row for row in issued)
    tab.shot("09-issued-invoices")
    page.get_by_role("link", name="Factures reçues").click()
    expect(page.get_by_text("Aucune facture à afficher.")).to_be_visible()
    tab.shot("10-received-empty")
    assert tab.errors == []


CANARY = "<img src=x onerror=\"document.title='pwned'\">"


def test_invoice_content_is_text_never_html(tab: Tab, live_hub: Hub) -> None:
    """A supplier named like markup: the public entity's inbox shows the characters, builds no element."""
    supplier = live_hub.cli("token", "--email", "marie.durand@atelier-durand.example", "--workspace", "44306184100104")
    renamed = live_hub.graphql(
        supplier,
        "mutation ($name: String!) { updateWorkspace(input: {name: $name}) { userErrors { message } } }",
        {"name": "Atelier " + CANARY},
    )
    assert renamed == {"updateWorkspace": {"userErrors": []}}
    created = live_hub.graphql(
        supplier,
        """mutation ($lines: [InvoiceLineInput!]!) { createInvoice(input: {number: "XSS-1", issueDate: "2026-11-28",
        recipientIdentifier: "26690001800026", lines: $lines}) { invoice { number } userErrors { message } } }""",
        {"lines": [{"itemName": CANARY, "quantity": "1", "netPrice": "10.00"}]},
    )
    assert created == {"createInvoice": {"invoice": {"number": "XSS-1"}, "userErrors": []}}, created

    page = tab.page
    tab.go("/")
    sign_in(tab, "jean.leroy@eaux-valdesaone.example")
    page.wait_for_url(INBOX)
    row = page.locator("table.invoices tbody tr", has_text="XSS-1")
    expect(row).to_contain_text("Atelier " + CANARY)
    assert page.locator("table.invoices img").count() == 0
    assert page.title() == "facturehub"
    tab.shot("11-untrusted-text")

    # The invoice itself: parties, lines, totals, history; the line text is characters too.
    row.get_by_role("link", name="XSS-1").click()
    expect(page.get_by_role("heading", name="Facture XSS-1")).to_be_visible()
    expect(page.get_by_role("region", name="Lignes")).to_contain_text(CANARY)
    expect(page.get_by_role("region", name="Totaux")).to_contain_text("12,00\u00a0€")
    expect(page.get_by_role("region", name="Historique")).to_contain_text("Mise à disposition")
    assert page.locator("article img").count() == 0
    assert page.title() == "facturehub"
    tab.shot("12-invoice-detail")
    assert tab.errors == []
