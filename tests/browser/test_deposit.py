"""A supplier at the browser: drop a file and read the rule it breaks, deposit a good one and find it, type an
invoice in with live totals, deposit a flux and follow it to its end, search the directory, and a validator
decides on subcontractors' invoices. The documents are the builder's real UBL; markup in a file name, a line
text, an archive member's name and a reason must stay text. Each screen is saved under var/screenshots/."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
import uuid
from decimal import Decimal

from playwright.sync_api import FilePayload, expect

from invoicing.validation.rule_words import french_texts
from tenancy.models import Structure
from tests.browser.conftest import Hub, Tab
from tests.browser.test_web import sign_in
from tests.invoicing.fluxes import zip_of
from tests.invoicing.parties import invoice_between, ubl

HANS = "hans.mueller@mueller-buero.example"
MULLER = Structure(
    identifier_type="UE_HORS_FRANCE",
    identifier="DE136695976",
    name="Müller Bürotechnik GmbH",
    is_public=False,
    vat_number="DE136695976",
)
MAIRIE = Structure(identifier_type="SIRET", identifier="21750001600019", name="Mairie de Villeneuve-Saint-Martin")
EAUX = Structure(identifier_type="SIRET", identifier="26690001800026", name="Syndicat des eaux du Val-de-Saône")
CANARY = "<img src=x onerror=window.__xss=1>"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10].upper()}"  # numbers are unique per supplier and year


def good_ubl(recipient: Structure, number: str) -> bytes:
    return ubl(invoice_between(MULLER, recipient, number=number))


def broken_ubl(recipient: Structure, number: str) -> bytes:
    """Totals that do not add up: BT-112 is not BT-109 + BT-110 (EN 16931 BR-CO-15, and BR-CO-16 with it)."""
    invoice = invoice_between(MULLER, recipient, number=number)
    assert invoice.totals.with_vat is not None
    wrong = dataclasses.replace(invoice.totals, with_vat=invoice.totals.with_vat + Decimal("10.00"))
    return ubl(dataclasses.replace(invoice, totals=wrong))


def no_xss(tab: Tab) -> None:
    assert tab.page.evaluate("() => window.__xss") is None
    assert tab.page.locator("main img").count() == 0


def open_as_hans(tab: Tab, link: str) -> None:
    tab.go("/")
    sign_in(tab, HANS)
    tab.page.wait_for_url(re.compile(r"/factures/emises$"))
    tab.page.get_by_role("navigation").get_by_role("link", name=link, exact=True).click()


def test_a_supplier_drops_a_bad_file_reads_the_rule_then_deposits_a_good_one(tab: Tab) -> None:
    page = tab.page
    open_as_hans(tab, "Déposer")
    expect(page.get_by_role("heading", name="Déposer une facture")).to_be_visible()
    tab.shot("deposit-20-deposit-empty")

    # Dropped on the zone, as with a mouse: a file whose name is markup and whose totals are wrong.
    bad = broken_ubl(EAUX, unique("BAD"))
    dropped = page.evaluate_handle(
        "([name, text]) => { const d = new DataTransfer();"
        " d.items.add(new File([text], name, {type: 'application/xml'})); return d; }",
        [CANARY + ".xml", bad.decode()],
    )
    page.get_by_test_id("dropzone").dispatch_event("drop", {"dataTransfer": dropped})
    expect(page.get_by_test_id("file-name")).to_have_text(f"Fichier : {CANARY}.xml")
    alert = page.get_by_role("alert").filter(has_text="Le dépôt serait refusé")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("BR-CO-15")  # the rule
    # The rule in French, as the hub says it (the official artefacts speak English only), and its term's name.
    ((english, french),) = (  # shown without their "[BR-CO-15]-", the rule being named beside them
        (e.split("]-", 1)[1], f.split("]-", 1)[1]) for e, f in french_texts()["BR-CO-15"].items()
    )
    expect(alert).to_contain_text(french)
    expect(alert).to_contain_text("BT-112 · Montant total de la facture TTC")  # the business term
    # At the switch, the same report in English: the preview is asked again in the new language.
    page.get_by_role("button", name="English").click()
    refused = page.get_by_role("alert").filter(has_text="BR-CO-15")
    expect(refused).to_contain_text(english)
    expect(refused).to_contain_text("BT-112 · Invoice total amount with VAT")
    tab.shot("deposit-21-deposit-refused-en")
    page.get_by_role("button", name="Français").click()
    expect(alert).to_contain_text(french)
    expect(alert).to_contain_text("Document")  # the field
    expect(page.get_by_role("button", name="Déposer la facture")).to_be_disabled()
    no_xss(tab)
    tab.shot("deposit-21-deposit-refused")

    # The keyboard's way: the file button. A good document that names no service, to the town hall that
    # requires one: the preview says which rule, then the recipient picker shows the requirement first.
    number = unique("WEB")
    page.get_by_label("Choisir un fichier (XML ou PDF)").set_input_files(
        files=FilePayload(name=f"{number}.xml", mimeType="application/xml", buffer=good_ubl(MAIRIE, number))
    )
    expect(page.get_by_test_id("file-name")).to_have_text(f"Fichier : {number}.xml")
    alert = page.get_by_role("alert").filter(has_text="Le dépôt serait refusé")
    expect(alert).to_contain_text("FH-SERVICE-REQUIRED")
    expect(alert).to_contain_text("exige un code service (BT-10 référence acheteur, ou serviceCode)")
    expect(alert).to_contain_text("Code service")
    page.get_by_role("searchbox", name="Rechercher le destinataire").fill("villeneuve")
    page.get_by_role("button", name="Choisir Mairie de Villeneuve-Saint-Martin").click()
    expect(page.get_by_test_id("requirements")).to_contain_text("un code service")
    expect(page.get_by_text("Service (obligatoire)")).to_be_visible()  # said before anything is typed
    page.get_by_label("Service").select_option("FINANCES")
    expect(page.get_by_test_id("preview")).to_contain_text(f"Ce document peut être déposé : facture {number}")
    expect(page.get_by_role("alert").filter(has_text="Le dépôt serait refusé")).to_have_count(0)
    tab.shot("deposit-22-deposit-accepted")

    page.get_by_role("button", name="Déposer la facture").click()
    expect(page.get_by_role("status").filter(has_text=f"Facture {number} déposée")).to_be_visible()
    tab.shot("deposit-23-deposit-done")
    page.get_by_role("link", name=f"Voir la facture {number}").click()
    expect(page.get_by_role("heading", name=f"Facture {number}")).to_be_visible()
    expect(page.get_by_text("FINANCES")).to_be_visible()

    # And it is among the issued invoices.
    page.get_by_role("navigation").get_by_role("link", name="Factures émises").click()
    expect(page.locator("table.invoices tbody tr", has_text=number)).to_have_count(1)
    no_xss(tab)
    assert tab.errors == []


def test_a_typed_in_invoice_with_two_lines_shows_its_totals_and_deposits(tab: Tab) -> None:
    page = tab.page
    open_as_hans(tab, "Déposer")
    page.get_by_role("link", name="Pas de fichier ? Saisir une facture").click()
    expect(page.get_by_role("heading", name="Saisir une facture")).to_be_visible()

    # Nothing filled: the form says what is missing, on the fields themselves.
    page.get_by_role("button", name="Déposer la facture").click()
    expect(page.get_by_text("Corrigez les champs signalés.")).to_be_visible()
    expect(page.get_by_text("Choisissez le destinataire dans l'annuaire.")).to_be_visible()

    number = unique("SAI")
    page.get_by_label("Numéro de facture").fill(number)
    page.get_by_role("searchbox", name="Rechercher le destinataire").fill("valbonne")
    page.get_by_role("button", name="Choisir Centre hospitalier de Valbonne").click()
    # The hospital requires an engagement number: shown, and the field marked, before it is typed.
    expect(page.get_by_test_id("requirements")).to_contain_text("un numéro d'engagement")
    expect(page.get_by_text("Numéro d'engagement (obligatoire)")).to_be_visible()
    page.get_by_label("Service").select_option("ACHATS")

    page.get_by_label("Désignation, Ligne 1").fill("Ramette " + CANARY)
    page.get_by_label("Quantité, Ligne 1").fill("10")
    page.get_by_label("Prix unitaire HT, Ligne 1").fill("4,50")
    page.get_by_role("button", name="Ajouter une ligne").click()
    page.get_by_label("Désignation, Ligne 2").fill("Classeur")
    page.get_by_label("Quantité, Ligne 2").fill("3")
    page.get_by_label("Prix unitaire HT, Ligne 2").fill("10,33")
    page.get_by_label("Taux de TVA (%), Ligne 2").fill("5,5")
    # 10 x 4.50 = 45.00 at 20 % (9.00); 3 x 10.33 = 30.99 at 5.5 % (1.70450 -> 1.70).
    expect(page.get_by_test_id("line-net")).to_have_text(["45,00\u00a0€", "30,99\u00a0€"])
    expect(page.get_by_test_id("total-without-vat")).to_have_text("75,99\u00a0€")
    expect(page.get_by_test_id("total-vat")).to_have_text("10,70\u00a0€")
    expect(page.get_by_test_id("total-with-vat")).to_have_text("86,69\u00a0€")
    expect(page.get_by_test_id("breakdown")).to_contain_text("S 5,5 %")

    # The engagement number is still missing: the client says so before asking the hub.
    page.get_by_role("button", name="Déposer la facture").click()
    expect(page.get_by_text("Un numéro d'engagement est exigé.")).to_be_visible()
    page.get_by_label("Numéro d'engagement (obligatoire)").fill("CHV-EJ-" + number[-6:])
    page.get_by_label("Note").fill("Livraison " + CANARY)
    no_xss(tab)
    tab.shot("deposit-24-typed-in-form")

    page.get_by_role("button", name="Déposer la facture").click()
    expect(page.get_by_role("status").filter(has_text=f"Facture {number} déposée")).to_be_visible()
    page.get_by_role("link", name=f"Voir la facture {number}").click()
    expect(page.get_by_role("heading", name=f"Facture {number}")).to_be_visible()
    totals = page.get_by_role("region", name="Totaux")
    expect(totals).to_contain_text("75,99\u00a0€")
    expect(totals).to_contain_text("86,69\u00a0€")  # the hub computed what the form showed
    expect(page.get_by_role("region", name="Lignes")).to_contain_text("Ramette " + CANARY)
    no_xss(tab)
    tab.shot("deposit-25-typed-in-deposited")
    assert tab.errors == []


def test_a_subcontractor_types_an_exempt_invoice_then_a_credit_note_not_subject_to_vat(tab: Tab) -> None:
    page = tab.page
    open_as_hans(tab, "Déposer")
    page.get_by_role("link", name="Pas de fichier ? Saisir une facture").click()
    expect(page.get_by_role("heading", name="Saisir une facture")).to_be_visible()

    number = unique("A9")
    page.get_by_label("Numéro de facture").fill(number)
    page.get_by_role("searchbox", name="Rechercher le destinataire").fill("val-de-saône")
    page.get_by_role("button", name=f"Choisir {EAUX.name}").click()
    # A subcontractor's invoice (A9): the main contractor who validates it is asked for, and only then.
    expect(page.get_by_label("SIRET du titulaire (valideur)")).to_have_count(0)
    page.get_by_label("Cadre de facturation").select_option("A9_FACTURE_SOUSTRAITANT")
    validator = page.get_by_label("SIRET du titulaire (valideur)")
    expect(validator).to_be_visible()

    page.get_by_label("Désignation, Ligne 1").fill("Maintenance")
    page.get_by_label("Prix unitaire HT, Ligne 1").fill("200")
    page.get_by_role("button", name="Ajouter une ligne").click()
    page.get_by_label("Désignation, Ligne 2").fill("Formation professionnelle " + CANARY)
    page.get_by_label("Prix unitaire HT, Ligne 2").fill("300")
    # Exempt (E): no rate to type, and the reason of the exemption asked for.
    page.get_by_label("Catégorie de TVA, Ligne 2").select_option("E")
    expect(page.get_by_label("Taux de TVA (%), Ligne 2")).to_have_count(0)
    expect(page.get_by_test_id("breakdown")).to_contain_text("E 0 %")
    expect(page.get_by_test_id("total-vat")).to_have_text("40,00\u00a0€")
    page.get_by_label("IBAN du compte à créditer").fill("FR76 3000 6000 0112 3456 7890 188")
    page.get_by_role("button", name="Déposer la facture").click()
    expect(page.get_by_text("Le cadre A9 ou A12 exige le SIRET du titulaire qui valide la facture.")).to_be_visible()
    reason = page.get_by_label("Motif d'exonération, ligne 2")
    expect(reason).to_have_accessible_description(re.compile("Une ligne exonérée \\(E\\) demande le motif"))
    iban = page.get_by_label("IBAN du compte à créditer")
    expect(iban).to_have_accessible_description(re.compile("ne passe pas le contrôle"))
    tab.shot("deposit-32-typed-in-a9-errors")

    validator.fill("44306184100104")  # Atelier Durand, the main contractor
    reason.fill("Exonération de TVA, article 261-4-4° du CGI")
    iban.fill("FR76 3000 6000 0112 3456 7890 189")
    tab.shot("deposit-33-typed-in-a9-exempt")
    page.get_by_role("button", name="Déposer la facture").click()
    expect(page.get_by_role("status").filter(has_text=f"Facture {number} déposée")).to_contain_text("À valider")
    page.get_by_role("link", name=f"Voir la facture {number}").click()
    expect(page.get_by_role("heading", name=f"Facture {number}")).to_be_visible()
    expect(page.get_by_text("A9 — Facture de sous-traitant")).to_be_visible()
    expect(page.get_by_text("44306184100104")).to_be_visible()
    expect(page.get_by_text("Exonération de TVA, article 261-4-4° du CGI")).to_be_visible()
    expect(page.get_by_role("region", name="Totaux")).to_contain_text("540,00\u00a0€")
    no_xss(tab)
    tab.shot("deposit-34-typed-in-a9-detail")

    # A credit note for it, not subject to VAT (O): it names the invoice it corrects, and no line has a rate.
    page.get_by_role("navigation").get_by_role("link", name="Déposer", exact=True).click()
    page.get_by_role("link", name="Pas de fichier ? Saisir une facture").click()
    credit = unique("AV")
    page.get_by_label("Numéro de facture").fill(credit)
    page.get_by_label("Type", exact=True).select_option("381")
    page.get_by_label("Numéro de la facture corrigée 1").fill(number)
    page.get_by_label("Date de la facture corrigée 1").fill("2026-11-20")
    page.get_by_role("searchbox", name="Rechercher le destinataire").fill("val-de-saône")
    page.get_by_role("button", name=f"Choisir {EAUX.name}").click()
    page.get_by_label("Désignation, Ligne 1").fill("Annulation de la formation")
    page.get_by_label("Prix unitaire HT, Ligne 1").fill("300")
    page.get_by_label("Catégorie de TVA, Ligne 1").select_option("O")
    page.get_by_role("button", name="Ajouter une ligne").click()
    page.get_by_label("Désignation, Ligne 2").fill("Frais")
    page.get_by_label("Prix unitaire HT, Ligne 2").fill("10")
    page.get_by_role("button", name="Déposer la facture").click()
    # O stands alone (BR-O-12): the standard-rated line is refused in the browser already.
    expect(page.get_by_label("Catégorie de TVA, Ligne 2")).to_have_accessible_description(
        "Une facture hors champ de la TVA (O) n'a que des lignes O."
    )
    page.get_by_role("button", name="Supprimer la ligne 2").click()
    expect(page.get_by_test_id("line-rate")).to_have_text("sans taux")
    expect(page.get_by_test_id("breakdown")).to_contain_text("O")
    expect(page.get_by_test_id("total-with-vat")).to_have_text("300,00\u00a0€")
    tab.shot("deposit-35-typed-in-credit-note")
    page.get_by_role("button", name="Déposer la facture").click()
    expect(page.get_by_role("status").filter(has_text=f"Facture {credit} déposée")).to_be_visible()
    page.get_by_role("link", name=f"Voir la facture {credit}").click()
    expect(page.get_by_role("heading", name=re.compile(credit))).to_be_visible()
    expect(page.get_by_text(f"{number} (20 nov. 2026)")).to_be_visible()
    expect(page.get_by_text("Hors champ d'application de la TVA")).to_be_visible()
    tab.shot("deposit-36-credit-note-detail")
    assert tab.errors == []


def test_a_flux_is_followed_to_its_end_and_its_report_read(tab: Tab, live_hub: Hub) -> None:
    page = tab.page
    open_as_hans(tab, "Flux")
    expect(page.get_by_role("heading", name="Flux", exact=True)).to_be_visible()
    first, second, bad = unique("FX"), unique("FX"), unique("FX")
    archive = zip_of(
        [
            (f"{first}.xml", good_ubl(EAUX, first)),
            (f"{CANARY}.xml", broken_ubl(EAUX, bad)),
            (f"{second}.xml", good_ubl(EAUX, second)),
        ]
    )
    page.get_by_label("Choisir une archive (ZIP ou TAR.GZ)").set_input_files(
        files=FilePayload(name=f"lot-{CANARY}.zip", mimeType="application/zip", buffer=archive)
    )
    expect(page.get_by_test_id("archive-name")).to_have_text(f"Fichier : lot-{CANARY}.zip")
    page.get_by_role("button", name="Déposer l'archive").click()
    page.wait_for_url(re.compile(r"/flux/[^/]+$"))
    report = page.get_by_test_id("flux-report")
    expect(report).to_contain_text(f"lot-{CANARY}.zip")
    # No worker yet: the flux waits, and the screen keeps asking.
    expect(page.get_by_test_id("flux-status")).to_have_text(re.compile("Reçu|En attente de traitement"))
    expect(page.get_by_test_id("flux-progress")).to_contain_text("actualisé chaque seconde")
    tab.shot("deposit-26-flux-waiting")

    # The job worker the browser hub runs without (conftest), started now: the screen follows it unreloaded.
    with subprocess.Popen(
        [sys.executable, "-m", "api.cli", "worker", "--poll-interval", "0.2"],
        env=live_hub.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ) as worker:
        try:
            expect(page.get_by_test_id("flux-status")).to_have_text("Intégré partiellement", timeout=60_000)
        finally:
            worker.terminate()
    expect(page.get_by_test_id("flux-progress")).to_contain_text("Intégration terminée : Intégré partiellement.")
    expect(page.get_by_test_id("flux-progress")).to_contain_text("3 fichiers traités")
    entries = page.get_by_test_id("flux-entries").locator("tbody tr")
    expect(entries).to_have_count(3)
    expect(entries.nth(0)).to_contain_text(first)
    expect(entries.nth(0)).to_contain_text("Acceptée")
    expect(entries.nth(1)).to_contain_text(f"{CANARY}.xml")
    expect(entries.nth(1)).to_contain_text("Refusée")
    expect(entries.nth(1)).to_contain_text("BR-CO-15")
    expect(entries.nth(2)).to_contain_text("Acceptée")
    listed = page.get_by_test_id("flux-list").locator("tbody tr", has_text=f"lot-{CANARY}.zip")
    expect(listed).to_contain_text("Intégré partiellement")  # the list too, without a reload
    no_xss(tab)
    tab.shot("deposit-27-flux-report")

    # An accepted member leads to its invoice.
    entries.nth(0).get_by_role("link", name=first).click()
    expect(page.get_by_role("heading", name=f"Facture {first}")).to_be_visible()
    assert tab.errors == []


def test_the_directory_finds_a_structure_its_services_and_requirements(tab: Tab) -> None:
    page = tab.page
    open_as_hans(tab, "Annuaire")
    expect(page.get_by_role("heading", name="Annuaire")).to_be_visible()
    expect(page.get_by_test_id("structure")).to_have_count(3)  # the demo's three public structures
    page.get_by_role("searchbox", name="Rechercher").fill("valbonne")
    expect(page.get_by_test_id("structure")).to_have_count(1)
    card = page.get_by_test_id("structure")
    expect(card).to_contain_text("Centre hospitalier de Valbonne")
    expect(card).to_contain_text("13000274400014")
    expect(card.get_by_test_id("requirements")).to_contain_text("un numéro d'engagement")
    card.get_by_role("button", name="Voir les services").click()
    expect(card.get_by_role("table")).to_contain_text("ACHATS")
    expect(card.get_by_role("table")).to_contain_text("Pharmacie centrale")
    tab.shot("deposit-28-directory")
    page.get_by_role("searchbox", name="Rechercher").fill("21750001600019")  # by identifier
    expect(page.get_by_test_id("structure")).to_have_count(1)
    expect(page.get_by_test_id("structure")).to_contain_text("un code service")
    assert tab.errors == []


def test_a_validator_validates_and_refuses_with_a_reason(tab: Tab, live_hub: Hub) -> None:
    # Two co-contractor invoices (A12) Müller validates, deposited by Atelier Durand through the API.
    durand = live_hub.cli("token", "--email", "marie.durand@atelier-durand.example", "--workspace", "44306184100104")
    numbers = [unique("A12"), unique("A12")]
    for number in numbers:
        created = live_hub.graphql(
            durand,
            """mutation ($number: String!) { createInvoice(input: {number: $number, issueDate: "2026-11-20",
            recipientIdentifier: "26690001800026", frame: A12_FACTURE_COTRAITANT, validatorIdentifier: "DE136695976",
            lines: [{itemName: "Support", quantity: "2", netPrice: "100.00"}]})
            { invoice { status } userErrors { rule message } } }""",
            {"number": number},
        )
        assert created == {"createInvoice": {"invoice": {"status": "A_VALIDER_1"}, "userErrors": []}}, created

    page = tab.page
    open_as_hans(tab, "À valider")
    expect(page.get_by_role("heading", name="Factures à valider")).to_be_visible()
    table = page.get_by_test_id("to-validate")
    expect(table).to_contain_text("HS-2026-0042")  # the demo's own
    for number in numbers:
        expect(table.locator("tr", has_text=number)).to_contain_text("À valider")
    tab.shot("deposit-29-to-validate")

    page.get_by_role("button", name=f"Valider la facture {numbers[0]}").click()
    dialog = page.get_by_role("dialog", name=f"Valider la facture {numbers[0]}")
    dialog.get_by_role("button", name="Valider la facture").click()
    expect(page.get_by_test_id("validate-outcome")).to_have_text(
        f"Facture {numbers[0]} validée ; statut : Mise à disposition."  # validated, it goes on to the recipient
    )
    expect(table.locator("tr", has_text=numbers[0])).to_contain_text("Mise à disposition")

    page.get_by_role("button", name=f"Refuser la facture {numbers[1]}").click()
    dialog = page.get_by_role("dialog", name=f"Refuser la facture {numbers[1]}")
    dialog.get_by_role("button", name="Refuser la facture").click()
    expect(dialog.get_by_role("alert")).to_have_text("Le motif du refus est obligatoire.")
    dialog.get_by_label("Motif").fill("Prestation non réalisée " + CANARY)
    tab.shot("deposit-30-refuse-dialog")
    dialog.get_by_role("button", name="Refuser la facture").click()
    expect(page.get_by_test_id("validate-outcome")).to_contain_text(f"Facture {numbers[1]} refusée")
    expect(table.locator("tr", has_text=numbers[1])).to_contain_text("Refusée")

    # The reason is in the invoice's history, as text.
    table.get_by_role("link", name=numbers[1]).click()
    expect(page.get_by_role("region", name="Historique")).to_contain_text("Prestation non réalisée " + CANARY)
    no_xss(tab)
    tab.shot("deposit-31-refused-detail")
    assert tab.errors == []
