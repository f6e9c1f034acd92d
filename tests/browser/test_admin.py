"""Administration at the browser: an administrator edits the structure record, creates a service and an API
client (its secret read once, copied, good for a client_credentials token), rotates and revokes it, adds a
member and changes their role; a member who is no administrator never sees it; a person in two structures
switches between them. Markup typed into names stays characters."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import httpx
from playwright.sync_api import Page, expect

from api.demo import DEMO_PASSWORD, demo_clients
from tests.browser.conftest import Hub, Tab

HOSPITAL = "Centre hospitalier de Valbonne"
HOSPITAL_ID = "13000274400014"
MAIRIE = "Mairie de Villeneuve-Saint-Martin"
SYNDICAT = "Syndicat des eaux du Val-de-Saône"
SYNDICAT_ID = "26690001800026"
CANARY = "<img src=x onerror=window.__xss=1>"
INBOX = re.compile(r"/factures/recues$")


def sign_in(tab: Tab, email: str, password: str = DEMO_PASSWORD) -> None:
    tab.page.wait_for_url(re.compile(r"/login\?"))
    tab.page.get_by_label("Adresse e-mail").fill(email)
    tab.page.get_by_label("Mot de passe").fill(password)
    tab.page.get_by_role("button", name="Se connecter").click()


def no_markup_ran(page: Page) -> None:
    assert page.evaluate("() => window.__xss") is None
    assert page.locator("main img").count() == 0


def open_admin(tab: Tab, email: str) -> Page:
    page = tab.page
    tab.go("/")
    sign_in(tab, email)
    page.wait_for_url(INBOX)
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Administration").click()
    page.wait_for_url(re.compile(r"/administration/structure$"))
    return page


def client_token(hub: str, client_id: str, secret: str) -> httpx.Response:
    return httpx.post(
        hub + "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "invoices:read"},
        auth=(client_id, secret),
        timeout=30,
    )


def test_structure_record_and_services(tab: Tab, live_hub: Hub) -> None:
    page = open_admin(tab, "claire.petit@ch-valbonne.example")
    expect(page.get_by_role("heading", name="Fiche de la structure")).to_be_visible()
    expect(page.get_by_test_id("structure-identifier")).to_have_text(HOSPITAL_ID)  # shown, not a field
    assert page.get_by_label("Identifiant", exact=True).count() == 0
    expect(page.get_by_label("Raison sociale")).to_have_value(HOSPITAL)
    expect(page.get_by_label("N° d'engagement obligatoire", exact=True)).to_be_checked()
    tab.shot("admin-01-structure")

    # The API's refusal lands on its field, announced, the field focused; nothing is saved.
    page.get_by_label("Adresse e-mail").fill("pas une adresse")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_have_text("1 champ à corriger.")
    email = page.get_by_label("Adresse e-mail")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_be_focused()
    expect(page.get_by_text("Cette valeur n'est pas valide.")).to_be_visible()
    email.fill("factures@ch-valbonne.example")
    country = page.get_by_label("Code pays (ISO, 2 lettres)")
    country.fill("FRA")
    page.get_by_role("button", name="Enregistrer").click()
    expect(country).to_have_attribute("aria-invalid", "true")
    expect(country).to_be_focused()
    expect(email).not_to_have_attribute("aria-invalid", "true")
    tab.shot("admin-02-structure-errors")

    country.fill("FR")
    page.get_by_label("Statut de mise en paiement transmis au fournisseur").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_have_text("Modifications enregistrées.")
    expect(page.get_by_role("alert")).to_have_count(0)
    token = live_hub.cli("token", "--email", "claire.petit@ch-valbonne.example", "--workspace", HOSPITAL_ID)
    saved = live_hub.graphql(token, "{ workspace { email parameters { engagementRequired paymentStatusReported } } }")
    assert saved == {
        "workspace": {
            "email": "factures@ch-valbonne.example",
            "parameters": {"engagementRequired": True, "paymentStatusReported": True},
        }
    }

    # Services: the list, a new one through the dialog (Escape closes it), a duplicate code refused.
    page.get_by_role("link", name="Services").click()
    table = page.locator("table.admin-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(page.get_by_text("2 éléments")).to_be_visible()
    page.get_by_role("button", name="Nouveau service").click()
    dialog = page.get_by_role("dialog", name="Nouveau service")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Code")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(page.get_by_role("button", name="Nouveau service")).to_be_focused()  # focus came back

    page.keyboard.press("Enter")  # the keyboard alone
    dialog.get_by_label("Code").fill("PHARMACIE")
    dialog.get_by_label("Nom").fill("Encore la pharmacie")
    dialog.get_by_role("button", name="Enregistrer").click()
    expect(dialog.get_by_text("Cette valeur existe déjà.")).to_be_visible()
    expect(dialog.get_by_label("Code")).to_have_attribute("aria-invalid", "true")
    dialog.get_by_label("Code").fill("RADIO")
    dialog.get_by_label("Nom").fill("Radiologie " + CANARY)
    dialog.get_by_label("Date de début").fill("2026-06-01")
    dialog.get_by_label("Date de fin").fill("2026-01-01")
    dialog.get_by_role("button", name="Enregistrer").click()
    expect(dialog.get_by_text("La date de fin doit suivre la date de début.")).to_be_visible()
    tab.shot("admin-03-service-dialog")
    dialog.get_by_label("Date de fin").fill("")
    dialog.get_by_label("N° d'engagement obligatoire", exact=True).check()
    dialog.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_have_text("Service RADIO créé.")
    expect(table.locator("tbody tr")).to_have_count(3)
    row = table.locator("tbody tr", has_text="RADIO")
    expect(row).to_contain_text("Radiologie " + CANARY)
    no_markup_ran(page)

    # Searched, deactivated, filtered by state, edited.
    page.get_by_label("Rechercher un service").fill("radio")
    expect(table.locator("tbody tr")).to_have_count(1)
    page.get_by_role("button", name="Désactiver le service RADIO").click()
    expect(row).to_contain_text("Inactif")
    page.get_by_label("Rechercher un service").fill("")
    page.get_by_label("État").select_option(label="Actifs")
    expect(table.locator("tbody tr")).to_have_count(2)
    page.get_by_label("État").select_option(label="Inactifs")
    expect(table.locator("tbody tr")).to_have_count(1)
    page.get_by_role("button", name="Modifier le service RADIO").click()
    dialog = page.get_by_role("dialog", name="Modifier le service RADIO")
    expect(dialog.get_by_label("Code")).to_have_attribute("readonly", "")
    dialog.get_by_label("Nom").fill("Imagerie médicale")
    dialog.get_by_label("Service actif").check()
    expect(page.get_by_role("status")).to_have_count(0)  # the last announcement ended with the new action
    dialog.get_by_role("button", name="Enregistrer").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_role("status")).to_have_text("Service RADIO modifié.")
    page.get_by_label("État").select_option(label="Tous")
    expect(table.locator("tbody tr", has_text="RADIO")).to_contain_text("Imagerie médicale")
    tab.shot("admin-04-services")
    no_markup_ran(page)
    assert tab.errors == []


def test_api_client_secret_once_copy_rotate_revoke(tab: Tab, hub: str) -> None:
    tab.page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=hub)
    page = open_admin(tab, "claire.petit@ch-valbonne.example")
    page.get_by_role("link", name="Clients d'API").click()
    table = page.locator("table.admin-table")
    expect(table.locator("tbody tr")).to_have_count(2)  # the demo's technical account and app
    tab.shot("admin-05-api-clients")

    page.get_by_role("button", name="Enregistrer un client").click()
    dialog = page.get_by_role("dialog", name="Enregistrer un client d'API")
    dialog.get_by_role("button", name="Enregistrer un client").click()  # the name is checked here first
    expect(dialog.get_by_text("Ce champ est obligatoire.")).to_be_visible()
    dialog.get_by_label("Nom de l'application").fill("ERP " + CANARY)
    # A public client cannot use client_credentials: the API says so on the grant types.
    dialog.get_by_label("Application serveur (confidentielle, avec un secret)").uncheck()
    dialog.get_by_role("button", name="Enregistrer un client").click()
    expect(dialog.get_by_role("alert")).to_have_text("1 champ à corriger.")
    expect(dialog.get_by_text("Cette valeur n'est pas valide.")).to_be_visible()
    expect(dialog.get_by_label("Nom de l'application")).not_to_have_attribute("aria-invalid", "true")
    dialog.get_by_label("Application serveur (confidentielle, avec un secret)").check()
    dialog.get_by_label("Déposer des factures (invoices:submit)").check()
    tab.shot("admin-06-register-client")
    dialog.get_by_role("button", name="Enregistrer un client").click()

    shown = page.get_by_role("dialog", name="Secret de ERP " + CANARY)
    expect(shown).to_contain_text("n'est affiché qu'une seule fois")
    secret = shown.get_by_test_id("client-secret").input_value()
    assert len(secret) >= 32
    expect(shown.get_by_role("button", name="Copier le secret")).to_be_focused()
    page.keyboard.press("Enter")
    expect(shown.get_by_role("status")).to_have_text("Secret copié dans le presse-papiers.")
    assert page.evaluate("() => navigator.clipboard.readText()") == secret
    tab.shot("admin-07-secret-once")
    no_markup_ran(page)
    shown.get_by_role("button", name="J'ai copié le secret").click()
    expect(shown).to_have_count(0)
    assert secret not in page.content()  # shown once: gone with its dialog

    row = table.locator("tbody tr", has_text="ERP " + CANARY)
    expect(row).to_contain_text("client_credentials")
    client_id = row.get_by_test_id("client-id").inner_text()
    granted = client_token(hub, client_id, secret)
    assert granted.status_code == 200, granted.text
    assert granted.json()["access_token"]

    # Rotate: confirmed, the new secret shown once; here the clipboard refuses, so the field is selected.
    row.get_by_role("button", name=re.compile("^Changer le secret de ERP")).click()
    confirm = page.get_by_role("alertdialog", name=re.compile("^Changer le secret de ERP"))
    expect(confirm).to_contain_text("L'ancien secret cessera de fonctionner immédiatement.")
    confirm.get_by_role("button", name="Changer le secret").click()
    shown = page.get_by_role("dialog", name="Secret de ERP " + CANARY)
    new_secret = shown.get_by_test_id("client-secret").input_value()
    assert new_secret and new_secret != secret
    page.evaluate("() => { navigator.clipboard.writeText = () => Promise.reject(new Error('denied')); }")
    shown.get_by_role("button", name="Copier le secret").click()
    expect(shown.get_by_role("status")).to_contain_text("copiez-le avec Ctrl+C")
    field = shown.get_by_test_id("client-secret")
    expect(field).to_be_focused()
    assert field.evaluate("e => e.value.slice(e.selectionStart, e.selectionEnd)") == new_secret
    tab.shot("admin-08-secret-fallback")
    page.keyboard.press("Escape")
    expect(shown).to_have_count(0)
    assert client_token(hub, client_id, secret).status_code == 401
    assert client_token(hub, client_id, new_secret).status_code == 200

    # Revoke, confirmed: gone from the list, and no token any more.
    row.get_by_role("button", name=re.compile("^Révoquer ERP")).click()
    confirm = page.get_by_role("alertdialog", name=re.compile("^Révoquer ERP"))
    expect(confirm.get_by_role("button", name="Annuler")).to_be_focused()
    confirm.get_by_role("button", name="Révoquer").click()
    expect(page.get_by_role("status")).to_contain_text("révoqué")
    expect(table.locator("tbody tr")).to_have_count(2)
    assert client_token(hub, client_id, new_secret).status_code == 401

    # The demo app, authorized by Claire through the hub's consent page, then withdrawn by the administrator.
    demo_app = demo_clients(HOSPITAL_ID)[1]
    page.route("http://127.0.0.1:8000/**", lambda route: route.fulfill(body="the demo app's callback"))
    query = urlencode({
        "response_type": "code", "client_id": demo_app.client_id, "redirect_uri": demo_app.redirect_uris[0],
        "scope": "invoices:read", "state": "s", "code_challenge": "A" * 43, "code_challenge_method": "S256",
        "workspace": HOSPITAL_ID,
    })  # fmt: skip
    tab.go("/oauth/authorize?" + query)
    page.get_by_role("button", name="Autoriser").click()
    page.wait_for_url(re.compile(r"^http://127\.0\.0\.1:8000/callback\?code="))
    tab.go("/administration/applications")
    expect(page.get_by_role("heading", name="Applications autorisées par les membres")).to_be_visible()
    apps = page.locator("table.admin-table tbody tr", has_text=demo_app.name)
    expect(apps).to_contain_text("Claire Petit")
    expect(apps).to_contain_text("invoices:read")
    tab.shot("admin-09-authorized-apps")
    apps.get_by_role("button", name=f"Retirer l'autorisation de {demo_app.name}").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Retirer l'autorisation").click()
    expect(page.get_by_role("status")).to_have_text(f"Autorisation de {demo_app.name} retirée.")
    expect(apps).to_have_count(0)
    no_markup_ran(page)
    assert tab.errors == []


def test_members_add_change_role_and_refusals(tab: Tab, live_hub: Hub) -> None:
    live_hub.cli("user", "add", "--email", "nina.recrue@ch-valbonne.example", "--name", "Nina Recrue",
                 "--password", DEMO_PASSWORD)  # fmt: skip
    page = open_admin(tab, "claire.petit@ch-valbonne.example")
    page.get_by_role("link", name="Membres et rôles").click()
    table = page.locator("table.admin-table")
    expect(table.locator("tbody tr")).to_have_count(1)

    form = page.locator("form", has=page.get_by_role("heading", name="Ajouter un membre"))
    form.get_by_label("Adresse e-mail du compte").fill("personne@nulle-part.example")
    form.get_by_role("button", name="Ajouter un membre").click()
    expect(form.get_by_label("Adresse e-mail du compte")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_role("alert")).to_contain_text("1 champ à corriger.")
    form.get_by_label("Adresse e-mail du compte").fill("nina.recrue@ch-valbonne.example")
    form.get_by_label("Accès").select_option(label="lecture seule")
    form.get_by_role("button", name="Ajouter un membre").click()
    expect(page.get_by_role("status")).to_have_text("Nina Recrue a été ajouté(e).")
    row = table.locator("tbody tr", has_text="Nina Recrue")
    expect(row).to_contain_text("Utilisateur")
    expect(row).to_contain_text("lecture seule")

    row.get_by_role("button", name="Modifier le rôle de Nina Recrue").click()
    dialog = page.get_by_role("dialog", name="Rôle et accès de Nina Recrue")
    dialog.get_by_label("Rôle").select_option(label="Gestionnaire")
    dialog.get_by_label("Accès").select_option(label="écriture")
    tab.shot("admin-10-member-role")
    dialog.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_have_text("Rôle de Nina Recrue modifié.")
    expect(row).to_contain_text("Gestionnaire")
    expect(row).to_contain_text("écriture")

    # The last main manager cannot leave nor be demoted: the API's refusal is read out in the dialog.
    me = table.locator("tbody tr", has_text="Claire Petit")
    me.get_by_role("button", name="Retirer Claire Petit").click()
    confirm = page.get_by_role("alertdialog", name="Retirer Claire Petit ?")
    confirm.get_by_role("button", name="Retirer").click()
    expect(confirm.get_by_role("alert")).to_have_text("La structure doit garder au moins un gestionnaire principal.")
    tab.shot("admin-11-last-manager")
    page.keyboard.press("Escape")
    me.get_by_role("button", name="Modifier le rôle de Claire Petit").click()
    dialog = page.get_by_role("dialog", name="Rôle et accès de Claire Petit")
    dialog.get_by_label("Rôle").select_option(label="Utilisateur")
    dialog.get_by_role("button", name="Enregistrer").click()
    expect(dialog.get_by_role("alert")).to_contain_text("au moins un gestionnaire principal")
    dialog.get_by_role("button", name="Annuler").click()
    expect(me).to_contain_text("Gestionnaire principal")

    row.get_by_role("button", name="Retirer Nina Recrue").click()
    page.get_by_role("alertdialog", name="Retirer Nina Recrue ?").get_by_role("button", name="Retirer").click()
    expect(page.get_by_role("status")).to_have_text("Nina Recrue a été retiré(e) de la structure.")
    expect(table.locator("tbody tr")).to_have_count(1)
    tab.shot("admin-12-members")

    # English, complete.
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Members and roles", exact=True)).to_be_visible()
    expect(table).to_contain_text("Main manager")
    expect(page.get_by_text("a été retiré(e)")).to_have_count(0)  # said in French, over with the switch
    tab.shot("admin-13-members-english")
    page.get_by_role("button", name="Français").click()
    assert tab.errors == []


def test_no_administration_for_a_member_who_is_no_administrator(tab: Tab) -> None:
    page = tab.page
    tab.go("/")
    sign_in(tab, "agent.compta@villeneuve.example")
    page.wait_for_url(INBOX)
    nav = page.get_by_role("navigation", name="Navigation principale")
    expect(nav.get_by_role("link", name="Factures reçues")).to_be_visible()
    expect(nav.get_by_role("link", name="Administration")).to_have_count(0)
    tab.go("/administration/membres")  # typed in: refused, with the reason
    expect(page.get_by_role("alert")).to_contain_text("réservée aux gestionnaires")
    expect(page.locator("table")).to_have_count(0)
    tab.shot("admin-14-refused")
    assert tab.errors == []


def test_switching_structure_changes_name_role_and_administration(tab: Tab) -> None:
    page = tab.page
    consent_or_choice: list[str] = []
    page.on(
        "response",
        lambda r: consent_or_choice.append(r.url) if "/oauth/authorize" in r.url and r.status == 200 else None,
    )
    tab.go("/administration/services")
    sign_in(tab, "paul.martin@villeneuve.example")
    page.get_by_role("radio", name=re.compile(MAIRIE)).check()  # first time in this browser: which one
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url(re.compile(r"/administration/services$"))
    expect(page.get_by_test_id("current-workspace")).to_have_text(MAIRIE)
    expect(page.get_by_test_id("current-role")).to_have_text("Gestionnaire principal")
    expect(page.locator("table.admin-table")).to_contain_text("FINANCES")
    asked = len(consent_or_choice)

    # With the keyboard: the arrows pick (and do not leave yet), Enter takes the pick.
    switcher = page.get_by_label("Changer de structure")
    switcher.focus()
    page.keyboard.press("ArrowDown")
    expect(switcher).to_have_value(SYNDICAT_ID)
    expect(page.get_by_test_id("current-workspace")).to_have_text(MAIRIE)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("current-workspace")).to_have_text(SYNDICAT)
    expect(page.get_by_test_id("current-role")).to_have_text("Utilisateur · lecture seule")
    page.wait_for_url(re.compile(r"/administration/services$"))  # the same address, in the other structure
    expect(page.get_by_role("alert")).to_contain_text("réservée aux gestionnaires")
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)
    tab.shot("admin-15-switched-not-admin")

    page.get_by_label("Changer de structure").select_option(label=MAIRIE)
    expect(page.get_by_test_id("current-workspace")).to_have_text(MAIRIE)
    expect(page.get_by_test_id("current-role")).to_have_text("Gestionnaire principal")
    expect(page.locator("table.admin-table")).to_contain_text("FINANCES")
    assert len(consent_or_choice) == asked  # neither consent nor choice again
    assert tab.errors == []
